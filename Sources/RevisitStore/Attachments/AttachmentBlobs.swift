import Foundation

/// Where attachment bytes live, content-addressed: files under the data folder (one instance, SQLite's default) or
/// chunks in PostgreSQL (any number of instances, no shared disk). Metadata, and so which tenant may read which hash,
/// stays in the store.
public protocol AttachmentBlobs: Sendable {
    /// A fresh temporary file an upload is streamed into and hashed before it is committed.
    func temporaryURL() -> URL
    func exists(_ sha256: String) async throws -> Bool
    /// Keeps a verified temporary file's bytes under their hash; the same bytes uploaded twice are kept once.
    func commit(temporary: URL, sha256: String) async throws
    /// The bytes in chunks, read as the response is written, never whole in memory.
    func chunks(_ sha256: String) -> AsyncThrowingStream<ArraySlice<UInt8>, any Error>
}
