/// What one configuration measured. Throughputs are per second of the phase's wall time; latencies in milliseconds;
/// CPU in cores (CPU seconds over wall seconds, 1.0 = one core busy).
struct ConfigurationResult: Codable, Sendable {
    /// CPU of the revisit-server processes, of PostgreSQL (postmaster and backends; nil when not known or SQLite),
    /// of the benchmark itself, and of everything else on the machine (other people's work) during one phase.
    struct CPU: Codable, Sendable {
        var servers = 0.0
        var postgres: Double?
        var bench = 0.0
        var others = 0.0
    }

    var mutationsPushed = 0
    var pushMutationsPerSecond = 0.0
    var pushLatency = LatencySummary(seconds: [])
    var pushCPU = CPU()

    var rowsPulled = 0
    var pullPasses = 0
    var pullRowsPerSecond = 0.0
    var pullLatency = LatencySummary(seconds: [])
    var pullCPU = CPU()
    var pullAnomalies: [String] = []

    /// Follow-ups whose `followup.scheduled` deliveries were queued at once by replays (0 = not measured).
    var webhookQueued = 0
    var webhookSeedMutations = 0
    var webhookDeliveriesPerSecond = 0.0
    /// From sending the replays to the last distinct delivery arriving.
    var webhookSeconds = 0.0
    var webhookRequests = 0
    var webhookDistinct = 0
    var webhookCPU = CPU()

    var rejected = 0
    var duplicates = 0
    var rejectionExamples: [String] = []
    var serverErrorLogLines = 0
    /// The largest VmHWM of the instances.
    var serverPeakMemoryMB = 0.0
    var runSeconds = 0.0
}
