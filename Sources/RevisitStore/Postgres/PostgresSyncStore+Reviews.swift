import Foundation
import PostgresNIO
import RevisitModel

extension PostgresSyncStore {
    private static let linkColumns = """
        tenant_id, id, inspection_id, client_id, created_at, expires_at, opened_at, completed_at, revoked_at
        """

    /// Under the tenant's row lock, as every writer that emits: the event takes its position in commit order.
    public func createReviewLink(
        tenantId: Int64,
        inspectionId: String,
        url: @Sendable (String) -> String
    ) async throws -> (link: ReviewLinkRecord, token: String) {
        let now = clock.now()
        let logger = self.logger
        let token = WebSecret.generate()
        let link = ReviewLinkRecord(
            id: StoreIds.prefixed("rvl"),
            inspectionId: inspectionId,
            clientId: UUID().uuidString.lowercased(),
            createdAt: now,
            expiresAt: now
        )
        let address = url(token)
        return try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
            var made = link
            made.expiresAt = now.addingTimeInterval(Double(context.tenantSettings.reviewLinkDays) * 86_400)
            let record = made
            try await context.settle(connection: connection, logger: logger) { context in
                try ReviewRules.requestLink(record, url: address, context: context)
            }
            try await connection.query(
                """
                INSERT INTO review_links (id, tenant_id, inspection_id, token_hash, client_id, created_at, expires_at)
                VALUES (\(record.id), \(tenantId), \(inspectionId), \(WebSecret.hash(token)), \(record.clientId),
                        \(now.timeIntervalSince1970), \(record.expiresAt.timeIntervalSince1970))
                """,
                logger: logger
            )
            return (record, token)
        }
    }

    public func reviewLinks(tenantId: Int64, inspectionId: String) async throws -> [ReviewLinkRecord]? {
        let logger = self.logger
        return try await withConnection { connection in
            let exists = try await connection.rows(
                """
                SELECT 1 FROM rows WHERE tenant_id = \(tenantId) AND id = \(inspectionId) AND entity = 'inspection'
                AND NOT deleted
                """,
                logger: logger
            )
            guard !exists.isEmpty else { return nil }
            return try await connection.rows(
                """
                SELECT \(unescaped: Self.linkColumns) FROM review_links
                WHERE tenant_id = \(tenantId) AND inspection_id = \(inspectionId) ORDER BY seq DESC
                """,
                logger: logger
            ).map { try Self.reviewAccess($0).link }
        }
    }

    public func revokeReviewLink(tenantId: Int64, id: String) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        return try await withConnection { connection in
            try await !connection.rows(
                """
                UPDATE review_links SET revoked_at = COALESCE(revoked_at, \(now))
                WHERE tenant_id = \(tenantId) AND id = \(id) RETURNING id
                """,
                logger: logger
            ).isEmpty
        }
    }

    public func openReviewLink(_ access: ReviewAccess, session: WebSessionRecord?) async throws {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        let linkId = access.link.id
        try await withConnection { connection in
            try await connection.query(
                "UPDATE review_links SET opened_at = \(now) WHERE id = \(linkId) AND opened_at IS NULL",
                logger: logger
            )
            if let session {
                try await Self.insert(session, connection: connection, logger: logger)
            }
        }
    }

    public func startWebSession(_ session: WebSessionRecord) async throws {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        try await withConnection { connection in
            try await connection.query("DELETE FROM web_sessions WHERE expires_at <= \(now)", logger: logger)
            try await Self.insert(session, connection: connection, logger: logger)
        }
    }

    static func insert(_ session: WebSessionRecord, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO web_sessions (id_hash, tenant_id, purpose, subject, csrf, created_at, expires_at)
            VALUES (\(session.idHash), \(session.tenantId), \(session.purpose.rawValue), \(session.subject),
                    \(session.csrf), \(session.createdAt.timeIntervalSince1970),
                    \(session.expiresAt.timeIntervalSince1970))
            """,
            logger: logger
        )
    }

    public func endWebSession(idHash: String) async throws {
        let logger = self.logger
        try await withConnection { connection in
            try await connection.query("DELETE FROM web_sessions WHERE id_hash = \(idHash)", logger: logger)
        }
    }

    public func webSession(idHash: String) async throws -> WebSessionRecord? {
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        return try await withConnection { connection in
            try await Self.webSession(idHash: idHash, now: now, connection: connection, logger: logger)
        }
    }

    /// One lease for the three reads (three statements: a page load costs one wait for the pool, not three).
    public func reviewVisit(token: String, sessionIdHash: String?) async throws -> ReviewVisit? {
        guard WebSecret.isWellFormed(token) else { return nil }
        let now = clock.now().timeIntervalSince1970
        let logger = self.logger
        let hash = WebSecret.hash(token)
        return try await withConnection { connection in
            guard
                let access = try await connection.rows(
                    "SELECT \(unescaped: Self.linkColumns) FROM review_links WHERE token_hash = \(hash)",
                    logger: logger
                ).first.map(Self.reviewAccess)
            else { return nil }
            let stamp = try await Self.tenantStamp(tenantId: access.tenantId, connection: connection, logger: logger)
            var session: WebSessionRecord?
            if let sessionIdHash {
                session = try await Self.webSession(
                    idHash: sessionIdHash,
                    now: now,
                    connection: connection,
                    logger: logger
                )
            }
            return ReviewVisit(access: access, stamp: stamp, session: session)
        }
    }

    static func webSession(
        idHash: String,
        now: Double,
        connection: PostgresConnection,
        logger: Logger
    ) async throws -> WebSessionRecord? {
        let rows = try await connection.rows(
            """
            SELECT tenant_id, purpose, subject, csrf, created_at, expires_at FROM web_sessions
            WHERE id_hash = \(idHash) AND expires_at > \(now)
            """,
            logger: logger
        )
        guard let row = rows.first else { return nil }
        let (tenant, purpose, subject, csrf, created, expires) = try row.decode(
            (Int64, String, String, String, Double, Double).self
        )
        return WebSessionRecord.Purpose(rawValue: purpose).map {
            WebSessionRecord(
                idHash: idHash,
                tenantId: tenant,
                purpose: $0,
                subject: subject,
                csrf: csrf,
                createdAt: Date(timeIntervalSince1970: created),
                expiresAt: Date(timeIntervalSince1970: expires)
            )
        }
    }

    /// The push of ``push(tenantId:clientId:mutations:)`` with the link's checks, its completion and the event in
    /// the same transaction and run of the rules.
    public func submitReview(
        tenantId: Int64,
        linkId: String,
        mutations: [IncomingMutation],
        completedEvent: [String: JSONValue]
    ) async throws -> PushResult {
        let now = clock.now()
        let hlc = self.hlc
        let logger = self.logger
        return try await withTenantLock(tenantId: tenantId, now: now) { context, connection in
            guard
                let link = try await connection.rows(
                    """
                    SELECT \(unescaped: Self.linkColumns) FROM review_links
                    WHERE tenant_id = \(tenantId) AND id = \(linkId) FOR UPDATE
                    """,
                    logger: logger
                ).first.map({ try Self.reviewAccess($0).link })
            else { throw StoreError.notFound("review link \(linkId) does not exist") }
            try await context.loadDeclared(
                clientId: link.clientId,
                mutations: mutations,
                connection: connection,
                logger: logger
            )
            let result = try await context.settleStamped(
                hlc: hlc,
                connection: connection,
                logger: logger,
                declared: true
            ) { context, start in
                try ReviewRules.admit(link, context: context)
                var engine = PushEngine(context: context, clientId: link.clientId, stamps: start, signsReviews: true)
                let result = try engine.run(mutations)
                try ReviewRules.requireApplied(result)
                try context.emit(.reviewCompleted, data: completedEvent)
                return (result, engine.stamps)
            }
            try await connection.query(
                "UPDATE review_links SET completed_at = \(now.timeIntervalSince1970) WHERE id = \(linkId)",
                logger: logger
            )
            return result
        }
    }

    static func reviewAccess(_ row: PostgresRow) throws -> ReviewAccess {
        let (tenant, id, inspection, client, created, expires, opened, completed, revoked) = try row.decode(
            (Int64, String, String, String, Double, Double, Double?, Double?, Double?).self
        )
        return ReviewAccess(
            tenantId: tenant,
            link: ReviewLinkRecord(
                id: id,
                inspectionId: inspection,
                clientId: client,
                createdAt: Date(timeIntervalSince1970: created),
                expiresAt: Date(timeIntervalSince1970: expires),
                openedAt: opened.map(Date.init(timeIntervalSince1970:)),
                completedAt: completed.map(Date.init(timeIntervalSince1970:)),
                revokedAt: revoked.map(Date.init(timeIntervalSince1970:))
            )
        )
    }
}
