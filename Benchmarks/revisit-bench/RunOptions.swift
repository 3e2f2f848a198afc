/// How much work each size (or each configuration) does (the command's options).
struct RunOptions: Sendable, Codable {
    var batchSize = 500
    var seedClients = 2
    var pushBatches = 20
    var concurrentClients = 8
    var concurrentBatches = 10
    var pullLimit = 1000
    var pullCap = 200_000
    var latencyPulls = 200
    var latencyPullLimit = 500
    /// Configurations only: follow-ups whose webhook deliveries are queued at once (0 = no webhook phase).
    var webhookFollowups = 10_000
}
