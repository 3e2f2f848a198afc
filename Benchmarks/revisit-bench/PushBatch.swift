import Foundation

/// One push request built ahead of time (building JSON is the client's cost, not the server's).
struct PushBatch: Sendable {
    /// The client store that sends it.
    let clientId: String
    /// The id of its first mutation; the others follow without gaps.
    let firstMutationId: Int64
    /// How many mutations it carries.
    let count: Int
    /// The `POST /v1/sync/push` body.
    let body: Data
}
