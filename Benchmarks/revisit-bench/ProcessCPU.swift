import Foundation

/// CPU time (user + system) a process has used so far, from `/proc/PID/stat`.
enum ProcessCPU {
    /// Seconds of CPU for `pid` ("self" for this process), or 0 when /proc cannot be read.
    static func seconds(_ pid: String) -> Double {
        guard let fields = statFields(pid), fields.count > 12, let user = Double(fields[11]),
            let system = Double(fields[12])
        else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Seconds of CPU of `root` and of each of its direct children (a PostgreSQL postmaster and its backends), by
    /// pid. A child that exited meanwhile takes its CPU with it: compare two readings pid by pid.
    static func tree(root: Int32) -> [Int32: Double] {
        var out: [Int32: Double] = [:]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return out }
        for entry in entries {
            guard let pid = Int32(entry) else { continue }
            // After "pid (comm)": state is field 3, ppid field 4 (proc(5)).
            guard let fields = statFields(entry), fields.count > 1, let parent = Int32(fields[1]) else { continue }
            if pid == root || parent == root { out[pid] = seconds(entry) }
        }
        return out
    }

    /// CPU seconds used between two ``tree(root:)`` readings (processes that started meanwhile count from 0).
    static func used(from before: [Int32: Double], to after: [Int32: Double]) -> Double {
        after.reduce(0) { $0 + max(0, $1.value - (before[$1.key] ?? 0)) }
    }

    /// Seconds of CPU the whole machine has been busy (every process, every core), from the first line of
    /// `/proc/stat`: all time but idle and I/O wait.
    static func machineBusySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return 0 }
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        let busy = ticks.prefix(8).enumerated().filter { $0.offset != 3 && $0.offset != 4 }.reduce(0) {
            $0 + $1.element
        }
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The load averages over 1, 5 and 15 minutes, from `/proc/loadavg`.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The fields of `/proc/PID/stat` after "pid (comm)", from the state on.
    private static func statFields(_ pid: String) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // utime is field 14 and stime field 15, so indices 11 and 12 here.
        return text[text.index(after: close)...].split(separator: " ")
    }
}
