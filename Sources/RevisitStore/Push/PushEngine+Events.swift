import Foundation
import RevisitModel

extension PushEngine {
    /// The events an inspection's lifecycle emits, in the push's transaction: `inspection.completed` when it
    /// reaches completed, `inspection.closed` and the follow-ups of its deferred work when it is closed.
    func inspectionEvents(_ row: StoredRow, previous: InspectionState?, final: InspectionState?) throws {
        if row.state == .completed, previous != .completed {
            try context.emit(.inspectionCompleted, data: try inspectionJSON(row))
        }
        if final == .closed {
            try context.emit(.inspectionClosed, data: try inspectionJSON(row))
            try FollowUpWriter(context: context).inspectionClosed(row)
        }
    }

    /// An inspection with its items (``InspectionJSON``), as `GET /v1/inspections/{id}` shows it.
    func inspectionJSON(_ row: StoredRow) throws -> [String: JSONValue] {
        InspectionJSON.make(
            inspection: (row.id, row.version, row.fields),
            items: try context.items(ofInspection: row.id).map { ($0.id, $0.version, $0.fields) }
        )
    }
}
