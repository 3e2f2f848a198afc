import Foundation
import RevisitModel
import RevisitTestSupport
import Synchronization
import Testing

/// A PostgreSQL restart under load. The test stops and starts a cluster of its own (started by
/// `scripts/with-postgres.sh`, as the suite's is), so that the other suites running meanwhile keep their database.
@Suite("PostgreSQL outage", .serialized)
struct DatabaseOutageTests {
    /// A private throwaway cluster: `with-postgres.sh` runs a command that writes the cluster's variables to a file
    /// and waits on its standard input; closing that ends the command, and the script stops and removes the cluster.
    final class PrivateCluster: @unchecked Sendable {
        // @unchecked: the process and pipe are touched by the one test that owns the cluster.
        let url: String
        let control: String
        private let process: Process
        private let input: Pipe

        init() async throws {
            let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let file = FileManager.default.temporaryDirectory.appending(path: "pg-env-\(UUID().uuidString)")
            let process = Process()
            process.executableURL = URL(filePath: "/bin/bash")
            process.arguments = [
                root.appending(path: "scripts/with-postgres.sh").path, "sh", "-c",
                "env | grep '^REVISIT_TEST_' > '\(file.path).tmp' && mv '\(file.path).tmp' '\(file.path)'; read done",
            ]
            var environment = ProcessInfo.processInfo.environment
            environment["REVISIT_TEST_DATABASE_URL"] = nil
            environment["REVISIT_TEST_PG_PORT"] = "55700"
            process.environment = environment
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.process = process
            self.input = input
            var values: [String: String] = [:]
            let deadline = ContinuousClock.now + .seconds(60)
            while values["REVISIT_TEST_DATABASE_URL"] == nil {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    throw TestFailure("scripts/with-postgres.sh did not start a private cluster")
                }
                try await Task.sleep(for: .milliseconds(100))
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { values[parts[0]] = parts[1] }
                }
            }
            try? FileManager.default.removeItem(at: file)
            url = values["REVISIT_TEST_DATABASE_URL"] ?? ""
            control = values["REVISIT_TEST_PG_CTL"] ?? ""
        }

        /// Runs `pg_ctl` with the arguments (`stop -m fast -w`, `start -w`).
        func pgctl(_ arguments: String) throws {
            let process = Process()
            process.executableURL = URL(filePath: "/bin/bash")
            // The server pg_ctl starts outlives it: it must not inherit this process's descriptors (Foundation's
            // own among them, which would keep waitUntilExit waiting for the server to end).
            let closeInherited = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done"
            process.arguments = ["-c", "\(closeInherited); \(control) \(arguments)"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestFailure("pg_ctl \(arguments) failed (\(process.terminationStatus)): \(control)")
            }
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    @Test(
        "PostgreSQL restarts while tablets push: 503 unavailable meanwhile, then service resumes; nothing acknowledged is lost"
    )
    func restartWhilePushing() async throws {
        try TestPostgres.requireConfigured()
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let server = try ServerProcess(database: cluster.url)
        defer { server.cleanUp() }
        let token = try server.createToken()
        try await server.start()
        let api = API(baseURL: server.baseURL, token: token)

        let log = OutageLog()
        let stopPushing = OutageLog.Flag()
        try await withThrowingTaskGroup(of: [String: Int64].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var tablet = Tablet(api)
                    var acknowledged: [String: Int64] = [:]
                    while !stopPushing.isSet {
                        let mutations = (0..<25).map { _ in
                            tablet.mutation("customer", UUID().uuidString.lowercased(), ["name": "during"])
                        }
                        // As the client library does: the same batch again until it is answered.
                        while true {
                            let answer = try await tablet.push(mutations)
                            log.record(answer)
                            if answer.status == 200 {
                                acknowledged.merge(
                                    MultiInstanceTests.appliedVersions(answer, mutations),
                                    uniquingKeysWith: max
                                )
                                break
                            }
                            if stopPushing.isSet { return acknowledged }
                            try await Task.sleep(for: .milliseconds(100))
                        }
                    }
                    return acknowledged
                }
            }
            do {
                try await eventually("pushes going through") { log.count(200) >= 8 }
                try cluster.pgctl("stop -m fast -w")
                try await eventually("503 answers while the database is down", timeout: .seconds(60)) {
                    log.count(503) >= 4
                }
                let ready = try await API(baseURL: server.baseURL).get("/ready")
                #expect(ready.status == 503, "/ready says the database is down")
                try cluster.pgctl("start -w")
                let resumed = log.count(200)
                try await eventually("pushes resume by themselves", timeout: .seconds(60)) {
                    log.count(200) >= resumed + 8
                }
                #expect(try await API(baseURL: server.baseURL).get("/ready").status == 200)
                stopPushing.set()
            } catch {
                stopPushing.set()  // The pushers end, so that the group can end and the failure show.
                throw error
            }

            var acknowledged: [String: Int64] = [:]
            for try await part in group { acknowledged.merge(part, uniquingKeysWith: max) }
            let pulled = try await Tablet(api).pullAll()
            let lost = acknowledged.filter { (pulled.changes[$0.key]?["version"]?.intValue ?? 0) < $0.value }
            #expect(lost.isEmpty, "acknowledged pushes survive the restart: \(lost.count) rows missing")
            #expect(!acknowledged.isEmpty)
        }
        #expect(
            log.unexpected.isEmpty,
            "every failure was a 503 unavailable with Retry-After: \(log.unexpected.prefix(3))"
        )
    }
}

/// The statuses the pushes met during an outage test.
final class OutageLog: Sendable {
    private let statuses = Mutex<[Int: Int]>([:])
    private let others = Mutex<[String]>([])

    func record(_ answer: Answer) {
        statuses.withLock { $0[answer.status, default: 0] += 1 }
        if answer.status == 503 {
            if !answer.isProblem(503, "unavailable") || answer.headers.first(name: "retry-after") == nil {
                others.withLock { $0.append("503 without problem or Retry-After: \(answer.json)") }
            }
            // A 5xx shows no internals: the detail is the fixed advice, never PostgreSQL's own message.
            if answer.object["detail"]?.stringValue?.hasPrefix("the database cannot be reached; try again") != true {
                others.withLock { $0.append("503 with a detail other than the fixed advice: \(answer.json)") }
            }
        } else if answer.status != 200 {
            others.withLock { $0.append("\(answer.status): \(answer.json)") }
        }
    }

    func count(_ status: Int) -> Int { statuses.withLock { $0[status] ?? 0 } }
    var unexpected: [String] { others.withLock { $0 } }

    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }
}
