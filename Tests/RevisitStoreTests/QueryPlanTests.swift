import Foundation
import GRDB
import RevisitModel
import Testing

@testable import RevisitStore

/// The hot queries read only what they need: their cost follows what is due or changed, not what is stored.
@Suite("SQLite query plans")
struct QueryPlanTests {
    static func plan(_ sql: String, _ arguments: StatementArguments) async throws -> String {
        let clock = TestWallClock()
        let (store, cleanUp) = try await StoreBackend.sqlite.make(clock)
        let sqlite = try #require(store as? SQLiteSyncStore)
        let plan = try await sqlite.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        await cleanUp()
        return plan
    }

    @Test("the scheduler reads due follow-ups through the partial index of scheduled ones")
    func scheduler() async throws {
        let plan = try await Self.plan(
            "SELECT tenant_id, body FROM followups WHERE state = 'scheduled' AND release_at <= ? ORDER BY release_at LIMIT ?",
            [1.0, 500]
        )
        #expect(plan.contains("followups_due"), "\(plan)")
        #expect(!plan.contains("SCAN followups") || plan.contains("USING INDEX"), "\(plan)")
    }

    @Test("a vehicle's open follow-ups are read through its index, with or without an item code")
    func openFollowups() async throws {
        for oneCode in [true, false] {
            let arguments: StatementArguments = oneCode ? [1, "v", "c"] : [1, "v"]
            let plan = try await Self.plan(SQLiteFollowUps.openSQL(oneCode: oneCode), arguments)
            #expect(plan.contains("followups_vehicle"), "\(plan)")
        }
    }

    @Test("the call list and the report read a range of the tenant's due dates and release moments")
    func callListAndReport() async throws {
        let list = try await Self.plan(
            "SELECT body FROM followups WHERE tenant_id = ? AND due_date BETWEEN ? AND ? ORDER BY due_date, seq",
            [1, "2027-01-01", "2027-01-31"]
        )
        #expect(list.contains("followups_due_date"), "\(list)")
        let report = try await Self.plan(
            "SELECT state, amount FROM followups WHERE tenant_id = ? AND release_at BETWEEN ? AND ?",
            [1, 0.0, 1.0]
        )
        #expect(report.contains("followups_release"), "\(report)")
    }

    @Test("the delivery worker reads due deliveries through the partial index of pending ones")
    func deliveries() async throws {
        let plan = try await Self.plan(
            """
            SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id
            JOIN webhook_endpoints w ON w.id = d.endpoint_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?
            """,
            [1.0, 256]
        )
        #expect(plan.contains("deliveries_due"), "\(plan)")
    }

    @Test("inspection and vehicle lists page through their own partial indexes")
    func lists() async throws {
        let inspections = try await Self.plan(
            "SELECT seq FROM rows WHERE tenant_id = ? AND entity = 'inspection' AND deleted = 0 AND seq < ? ORDER BY seq DESC LIMIT ?",
            [1, 1000, 101]
        )
        #expect(inspections.contains("rows_inspections"), "\(inspections)")
        let vehicles = try await Self.plan(
            "SELECT seq FROM rows WHERE tenant_id = ? AND entity = 'vehicle' AND deleted = 0 AND seq > ? ORDER BY seq LIMIT ?",
            [1, 0, 101]
        )
        #expect(vehicles.contains("rows_vehicles") || vehicles.contains("rows_plate"), "\(vehicles)")
    }

    @Test("a pull is a range scan of the tenant's versions")
    func pull() async throws {
        let plan = try await Self.plan(
            "SELECT entity, id, version, deleted, fields FROM rows WHERE tenant_id = ? AND version > ? ORDER BY version LIMIT ?",
            [1, 0, 501]
        )
        #expect(plan.contains("rows_version"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "no sort: \(plan)")
    }
}
