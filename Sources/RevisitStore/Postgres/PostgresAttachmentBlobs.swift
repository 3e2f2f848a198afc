import Foundation
import PostgresNIO
import Synchronization

/// Attachment bytes in PostgreSQL, so that instances behind a load balancer share no disk: content-addressed like the
/// files, in 256 KiB chunks written and read one at a time, so a 20 MB video is never held whole in memory. The blob
/// row is written in the transaction of the last chunk; a blob without one does not exist.
public struct PostgresAttachmentBlobs: AttachmentBlobs {
    static let chunkSize = 262_144
    let store: PostgresSyncStore
    /// Uploads are hashed in a temporary file first, as with files.
    let temporaryFolder: URL

    public init(store: PostgresSyncStore, temporaryFolder: URL) throws {
        self.store = store
        self.temporaryFolder = temporaryFolder
        try FileManager.default.createDirectory(at: temporaryFolder, withIntermediateDirectories: true)
    }

    public func temporaryURL() -> URL { temporaryFolder.appending(path: UUID().uuidString) }

    public func exists(_ sha256: String) async throws -> Bool {
        let logger = store.logger
        return try await store.withConnection { connection in
            !(try await connection.rows("SELECT 1 FROM attachment_blobs WHERE sha256 = \(sha256)", logger: logger)
                .isEmpty)
        }
    }

    public func commit(temporary: URL, sha256: String) async throws {
        defer { try? FileManager.default.removeItem(at: temporary) }
        let logger = store.logger
        let now = Date().timeIntervalSince1970
        try await store.transaction { connection in
            let handle = try FileHandle(forReadingFrom: temporary)
            defer { try? handle.close() }
            var index: Int32 = 0
            var size: Int64 = 0
            while let data = try handle.read(upToCount: Self.chunkSize), !data.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO attachment_chunks (sha256, n, data) VALUES (\(sha256), \(index), \(ByteBuffer(data: data)))
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
                index += 1
                size += Int64(data.count)
            }
            try await connection.query(
                """
                INSERT INTO attachment_blobs (sha256, size, created_at) VALUES (\(sha256), \(size), \(now))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        }
    }

    public func chunks(_ sha256: String) -> AsyncThrowingStream<ArraySlice<UInt8>, any Error> {
        let next = Mutex<Int32>(0)
        let store = self.store
        return AsyncThrowingStream {
            let index = next.withLock { value in
                defer { value += 1 }
                return value
            }
            let logger = store.logger
            let rows = try await store.withConnection { connection in
                try await connection.rows(
                    "SELECT data FROM attachment_chunks WHERE sha256 = \(sha256) AND n = \(index)",
                    logger: logger
                )
            }
            guard let row = rows.first else { return nil }
            let buffer = try row.decode(ByteBuffer.self)
            return ArraySlice(buffer.readableBytesView)
        }
    }
}
