/// What one size measured. Throughputs are per second of wall time; latencies in milliseconds.
struct SizeResult: Codable, Sendable {
    var rowsStored = 0
    var seedSeconds = 0.0
    var seedMutationsPerSecond = 0.0

    var pullRows = 0
    var pullCapped = false
    /// Rows over the time spent in requests (send to last byte), the server's side of a full pull.
    var pullRowsPerSecond = 0.0
    /// Rows over the whole loop, including the benchmark's decoding of each page to find the next cursor.
    var pullRowsPerSecondWall = 0.0
    var pullLatency = LatencySummary(seconds: [])
    var pull500Latency = LatencySummary(seconds: [])
    var pull500ShortPages = 0
    var pullAnomalies: [String] = []

    var push1MutationsPerSecond = 0.0
    var push1Latency = LatencySummary(seconds: [])
    var push8MutationsPerSecond = 0.0
    var push8Latency = LatencySummary(seconds: [])

    var rowsAtEnd = 0
    var maxVersion: Int64 = 0
    var applied = 0
    var rejected = 0
    var duplicates = 0
    var rejectionExamples: [String] = []
    var serverErrorLogLines = 0

    /// Server CPU over wall time during each measured phase (1.0 = one core busy).
    var serverCoresPullFromScratch = 0.0
    var serverCoresPush1 = 0.0
    var serverCoresPush8 = 0.0
    /// CPU seconds for the whole size: the server's, and the benchmark's own (its HTTP and JSON work shares the
    /// machine with the server).
    var serverCPUSeconds = 0.0
    var clientCPUSeconds = 0.0

    var serverPeakMemoryMB = 0.0
    var serverResidentMemoryMB = 0.0
    var databaseMB = 0.0
    var runSeconds = 0.0
}
