import AsyncHTTPClient
import Foundation
import RevisitModel

/// The follow-ups issue 15's targets are about, pushed as tablets close inspections: `callListCount` due in the call
/// list's month and `reportCount` more due over the report's 24 months after it, 20 `later` items (with a due date
/// and a price) per closed inspection of a customer's car.
struct ConsoleWorkshop {
    let client: SyncClient
    let callListMonth: CalendarDate
    let callListCount: Int
    let reportCount: Int

    static let itemsPerInspection = 20
    static let inspectionsPerPush = 20

    func prepare(progress: (Int) -> Void) async throws {
        var rng = SplitMix64(seed: 15)
        let total = callListCount + reportCount
        let inspections = (total + Self.itemsPerInspection - 1) / Self.itemsPerInspection
        var made = 0
        var batch = 0
        while made < inspections {
            let count = min(Self.inspectionsPerPush, inspections - made)
            try await push(first: made, count: count, using: &rng)
            made += count
            batch += 1
            if batch % 20 == 0 { progress(made * Self.itemsPerInspection) }
        }
    }

    /// The due date of follow-up number `index`: the call list's month first, then spread over 24 months.
    private func dueDate(_ index: Int) -> CalendarDate {
        if index < callListCount { return callListMonth.adding(days: index % 28) }
        let offset = index - callListCount
        let month = callListMonth.nextMonth.first.adding(days: (offset % 24) * 31).monthStart
        return month.adding(days: (offset / 24) % 28)
    }

    private func push(first: Int, count: Int, using rng: inout SplitMix64) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var rows: [(String, String, [String: Any])] = []
        for number in first..<(first + count) {
            let customerId = UUIDv7.make(unixMillis: now, using: &rng).lowercasedString
            let vehicleId = UUIDv7.make(unixMillis: now, using: &rng).lowercasedString
            let inspection = UUIDv7.make(unixMillis: now, using: &rng)
            let inspectionId = inspection.lowercasedString
            rows.append(
                (
                    "customer", customerId,
                    ["name": "Customer \(number)", "phone": "+31 6 \(10_000_000 + number)", "contactConsent": true]
                )
            )
            rows.append(
                (
                    "vehicle", vehicleId,
                    ["plate": "BN-\(number)-X", "make": "Volkswagen", "model": "Golf", "customerId": customerId]
                )
            )
            rows.append(
                (
                    "inspection", inspectionId,
                    [
                        "vehicleId": vehicleId, "templateId": "standard-car", "odometer": 40_000 + number,
                        "state": "in_progress",
                    ]
                )
            )
            for (slot, code) in Workload.itemCodes.prefix(Self.itemsPerInspection).enumerated() {
                let index = number * Self.itemsPerInspection + slot
                rows.append(
                    (
                        "item", DerivedID.item(inspectionId: inspection, code: code).lowercasedString,
                        [
                            "inspectionId": inspectionId, "code": code, "status": "later",
                            "dueDate": dueDate(index).description,
                            "estimatedCost": ["amount": 5_000 + (index % 50) * 500] as [String: Any],
                        ]
                    )
                )
            }
            rows.append(("inspection", inspectionId, ["state": "completed"]))
            rows.append(("inspection", inspectionId, ["state": "closed"]))
        }
        let clientId = UUIDv7.make(unixMillis: now, using: &rng).lowercasedString
        try await client.pushRows(rows, clientId: clientId, wall: now, what: "push of closed inspections")
    }
}
