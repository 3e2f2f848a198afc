import Foundation
import RevisitModel

/// The rules of review links that run inside a backend's transaction, so both stores decide them once: which
/// inspection may get a link and what `review.requested` says, and when a submission's push counts as applied.
enum ReviewRules {
    /// Checks that the inspection may get a link and emits `review.requested` with the link, its expiry and the
    /// vehicle and customer snapshots, so the CRM can text the link on that event alone.
    static func requestLink(
        _ link: ReviewLinkRecord,
        url: String,
        context: some FollowUpContext
    ) throws {
        guard let inspection = try context.row(id: link.inspectionId), inspection.entity == .inspection,
            !inspection.deleted
        else { throw StoreError.notFound("inspection \(link.inspectionId) does not exist") }
        guard inspection.state == .completed else {
            throw StoreError.invalidTransition(
                "inspection \(link.inspectionId) is \(inspection.state?.rawValue ?? "draft"); a review link is made "
                    + "for a completed inspection"
            )
        }
        let vehicle = try inspection.fields["vehicleId"]?.stringValue.flatMap { try context.row(id: $0) }
        let customer = try vehicle?.fields["customerId"]?.stringValue.flatMap { try context.row(id: $0) }
        var data: [String: JSONValue] = [
            "link": .object(link.json.merging(["url": .string(url)]) { $1 }),
            "inspectionId": .string(link.inspectionId),
            "vehicle": .object(RowSnapshot.vehicle(vehicle, odometer: inspection.fields["odometer"])),
            "customer": customer.map { .object(RowSnapshot.customer($0)) } ?? .null,
        ]
        data["vehicleId"] = vehicle.map { .string($0.id) } ?? .null
        try context.emit(.reviewRequested, data: data)
    }

    /// The state of a link whose inspection is read in the same transaction.
    static func state(_ link: ReviewLinkRecord, context: some FollowUpContext) throws -> ReviewLinkState {
        let inspection = try context.row(id: link.inspectionId)
        let state = inspection.flatMap { $0.deleted ? nil : $0.state }
        return ReviewLinkState(link, inspectionState: state, now: context.now)
    }

    /// Throws unless the link takes choices now.
    static func admit(_ link: ReviewLinkRecord, context: some FollowUpContext) throws {
        switch try state(link, context: context) {
        case .open: return
        case .completed: throw ReviewLinkError.alreadyCompleted
        case .gone(let reason): throw ReviewLinkError.gone(reason)
        }
    }

    /// A submission is applied whole or not at all: the first rejected choice undoes the transaction. A choice
    /// rejected because the inspection became final meanwhile means the link is gone.
    static func requireApplied(_ result: PushResult) throws {
        for outcome in result.results where outcome.status != .applied {
            guard let problem = outcome.error else { continue }
            if problem.type == "inspection-final" { throw ReviewLinkError.gone(.inspectionClosed) }
            throw ReviewLinkError.rejected(problem)
        }
    }
}
