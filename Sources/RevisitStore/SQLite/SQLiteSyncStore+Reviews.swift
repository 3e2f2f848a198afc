import Foundation
import GRDB
import RevisitModel

extension SQLiteSyncStore {
    public func createReviewLink(
        tenantId: Int64,
        inspectionId: String,
        url: @Sendable (String) -> String
    ) async throws -> (link: ReviewLinkRecord, token: String) {
        let now = clock.now()
        let token = WebSecret.generate()
        return try await pool.write { db in
            let context = try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits)
            let days = try context.settings().reviewLinkDays
            let link = ReviewLinkRecord(
                id: StoreIds.prefixed("rvl"),
                inspectionId: inspectionId,
                clientId: UUID().uuidString.lowercased(),
                createdAt: now,
                expiresAt: now.addingTimeInterval(Double(days) * 86_400)
            )
            try ReviewRules.requestLink(link, url: url(token), context: context)
            try db.execute(
                sql: """
                    INSERT INTO review_links (id, tenant_id, inspection_id, token_hash, client_id, created_at,
                                              expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    link.id, tenantId, inspectionId, WebSecret.hash(token), link.clientId,
                    now.timeIntervalSince1970, link.expiresAt.timeIntervalSince1970,
                ]
            )
            return (link, token)
        }
    }

    public func reviewLinks(tenantId: Int64, inspectionId: String) async throws -> [ReviewLinkRecord]? {
        try await pool.read { db in
            let exists = try Bool.fetchOne(
                db,
                sql: "SELECT 1 FROM rows WHERE tenant_id = ? AND id = ? AND entity = 'inspection' AND deleted = 0",
                arguments: [tenantId, inspectionId]
            )
            guard exists != nil else { return nil }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM review_links WHERE tenant_id = ? AND inspection_id = ? ORDER BY seq DESC",
                arguments: [tenantId, inspectionId]
            ).map(Self.reviewLink)
        }
    }

    public func revokeReviewLink(tenantId: Int64, id: String) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        return try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE review_links SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?
                    """,
                arguments: [now, tenantId, id]
            )
            return db.changesCount > 0
        }
    }

    public func reviewVisit(token: String, sessionIdHash: String?) async throws -> ReviewVisit? {
        guard WebSecret.isWellFormed(token) else { return nil }
        let now = clock.now().timeIntervalSince1970
        return try await pool.read { db in
            guard let access = try Self.reviewAccess(db, token: token) else { return nil }
            return ReviewVisit(
                access: access,
                stamp: try Self.tenantStamp(db, tenantId: access.tenantId),
                session: try sessionIdHash.flatMap { try Self.webSession(db, idHash: $0, now: now) }
            )
        }
    }

    static func reviewAccess(_ db: Database, token: String) throws -> ReviewAccess? {
        try Row.fetchOne(
            db,
            sql: "SELECT * FROM review_links WHERE token_hash = ?",
            arguments: [WebSecret.hash(token)]
        ).map { ReviewAccess(tenantId: $0["tenant_id"], link: Self.reviewLink($0)) }
    }

    public func openReviewLink(_ access: ReviewAccess, session: WebSessionRecord?) async throws {
        let now = clock.now().timeIntervalSince1970
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE review_links SET opened_at = ? WHERE id = ? AND opened_at IS NULL",
                arguments: [now, access.link.id]
            )
            if let session { try Self.insert(session, db: db) }
        }
    }

    public func webSession(idHash: String) async throws -> WebSessionRecord? {
        let now = clock.now().timeIntervalSince1970
        return try await pool.read { db in try Self.webSession(db, idHash: idHash, now: now) }
    }

    static func webSession(_ db: Database, idHash: String, now: Double) throws -> WebSessionRecord? {
        try Row.fetchOne(
            db,
            sql: "SELECT * FROM web_sessions WHERE id_hash = ? AND expires_at > ?",
            arguments: [idHash, now]
        ).flatMap { row in
            WebSessionRecord.Purpose(rawValue: row["purpose"]).map { purpose in
                WebSessionRecord(
                    idHash: row["id_hash"],
                    tenantId: row["tenant_id"],
                    purpose: purpose,
                    subject: row["subject"],
                    csrf: row["csrf"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    expiresAt: Date(timeIntervalSince1970: row["expires_at"])
                )
            }
        }
    }

    public func submitReview(
        tenantId: Int64,
        linkId: String,
        mutations: [IncomingMutation],
        completedEvent: [String: JSONValue]
    ) async throws -> PushResult {
        let now = clock.now()
        let hlc = self.hlc
        return try await pool.write { db in
            guard
                let link = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM review_links WHERE tenant_id = ? AND id = ?",
                    arguments: [tenantId, linkId]
                ).map(Self.reviewLink)
            else { throw StoreError.notFound("review link \(linkId) does not exist") }
            let context = try SQLitePushContext(db: db, tenantId: tenantId, now: now, feed: commits)
            try ReviewRules.admit(link, context: context)
            var engine = PushEngine(
                context: context,
                clientId: link.clientId,
                stamps: hlc.begin(stored: context.storedHLC),
                signsReviews: true
            )
            let result = try engine.run(mutations)
            try ReviewRules.requireApplied(result)
            try engine.context.emit(.reviewCompleted, data: completedEvent)
            try db.execute(
                sql: "UPDATE review_links SET completed_at = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, linkId]
            )
            try engine.context.commitVersion(highest: engine.stamps.highest)
            hlc.commit(engine.stamps)
            return result
        }
    }

    public func startWebSession(_ session: WebSessionRecord) async throws {
        let now = clock.now().timeIntervalSince1970
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [now])
            try Self.insert(session, db: db)
        }
    }

    public func endWebSession(idHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    static func insert(_ session: WebSessionRecord, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO web_sessions (id_hash, tenant_id, purpose, subject, csrf, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                session.idHash, session.tenantId, session.purpose.rawValue, session.subject, session.csrf,
                session.createdAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970,
            ]
        )
    }

    static func reviewLink(_ row: Row) -> ReviewLinkRecord {
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return ReviewLinkRecord(
            id: row["id"],
            inspectionId: row["inspection_id"],
            clientId: row["client_id"],
            createdAt: date("created_at")!,
            expiresAt: date("expires_at")!,
            openedAt: date("opened_at"),
            completedAt: date("completed_at"),
            revokedAt: date("revoked_at")
        )
    }
}
