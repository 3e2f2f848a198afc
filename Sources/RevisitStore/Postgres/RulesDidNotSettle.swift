/// The rules of a PostgreSQL change kept asking for rows the last fetch should have brought
/// (``PostgresTenantContext/settle(connection:logger:_:)``): a bug, not an outage. The server answers it as any
/// unexpected error (500 `internal`, details in the log only); the store logs it as an error where it happens.
struct RulesDidNotSettle: Error, CustomStringConvertible {
    let runs: Int
    /// What the last run still missed, by kind and count (no ids).
    let misses: String

    var description: String { "the push rules did not settle after \(runs) runs; still missing \(misses)" }
}
