import Foundation
import GRDB
import RevisitModel

/// A photo kept in the store until the server has it.
struct StoredAttachment: Sendable {
    var sha256: String
    var contentType: String
    var bytes: Data
}

extension ClientStore {
    /// Keeps a photo's bytes in the caller's transaction (once per hash).
    static func keep(_ attachment: StoredAttachment, now: Date, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO attachments (sha256, content_type, bytes, created_at) VALUES (?,?,?,?)
                ON CONFLICT (sha256) DO NOTHING
                """,
            arguments: [attachment.sha256, attachment.contentType, attachment.bytes, RFC3339DateTime.string(from: now)]
        )
    }

    /// The hashes of photos not yet known to be on the server.
    func attachmentsToUpload() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT sha256 FROM attachments WHERE uploaded = 0 ORDER BY created_at")
        }
    }

    /// One kept photo.
    func attachment(sha256: String) async throws -> StoredAttachment? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT sha256, content_type, bytes FROM attachments WHERE sha256 = ?",
                arguments: [sha256]
            ).map { StoredAttachment(sha256: $0["sha256"], contentType: $0["content_type"], bytes: $0["bytes"]) }
        }
    }

    func markUploaded(sha256: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE attachments SET uploaded = 1 WHERE sha256 = ?", arguments: [sha256])
        }
    }

    /// Sets aside a photo the server refused for good (`uploaded` 2), so that it is not offered again.
    func markRefused(sha256: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE attachments SET uploaded = 2 WHERE sha256 = ?", arguments: [sha256])
        }
    }
}
