import Foundation
import RevisitModel

extension RevisitClient {
    /// Starts an inspection offline: the vehicle is found locally by VIN, then plate, or created (its id derived
    /// from the VIN when known); a customer is created or updated when a name, phone or e-mail is given.
    public func startInspection(_ new: NewInspection) async throws -> StartedInspection {
        let started = try await store.pool.write { [clock] db in
            let mechanic = try StoreState.fetch(db).mechanic
            return try LocalEditor(db, clock: clock).startInspection(new, defaultMechanic: mechanic)
        }
        watchers.nudgeAll()
        return started
    }

    /// Sets fields of a checklist item, checking the code against the inspection's cached template.
    ///
    /// Without a status, a measurement with template thresholds sets the status they suggest. Photo files are read
    /// and kept in the store now and uploaded at the next sync.
    /// - Parameter inspection: the inspection's id or a unique prefix of it.
    /// - Returns: the item as it now shows.
    @discardableResult
    public func setItem(_ inspection: String, code: String, _ change: ItemChange) async throws -> InspectionItem {
        let photos = try change.photoFiles.map(PhotoFile.read)
        let id = try await store.pool.write { [clock] db in
            try LocalEditor(db, clock: clock).setItem(inspection, code: code, change: change, photos: photos)
        }
        watchers.nudgeAll()
        guard let item = try await self.inspection(id).item(code) else {
            throw RevisitClientError(.unknownItemCode, "item \(code) vanished")
        }
        return item
    }

    /// Marks the inspection `completed` (a draft passes through `in_progress`).
    @discardableResult
    public func completeInspection(_ inspection: String) async throws -> Inspection {
        try await move(inspection, to: .completed)
    }

    /// Takes a completed inspection back to `in_progress`.
    @discardableResult
    public func reopenInspection(_ inspection: String) async throws -> Inspection {
        try await move(inspection, to: .inProgress)
    }

    /// Cancels an inspection that is not final.
    @discardableResult
    public func cancelInspection(_ inspection: String) async throws -> Inspection {
        try await move(inspection, to: .cancelled)
    }

    /// Records the customer's decision per item and, with `close`, closes the (completed) inspection.
    @discardableResult
    public func review(_ inspection: String, _ decisions: ReviewDecisions) async throws -> Inspection {
        let id = try await store.pool.write { [clock] db in
            try LocalEditor(db, clock: clock).review(inspection, decisions: decisions)
        }
        watchers.nudgeAll()
        return try await self.inspection(id)
    }

    private func move(_ inspection: String, to state: InspectionState) async throws -> Inspection {
        let id = try await store.pool.write { [clock] db in
            try LocalEditor(db, clock: clock).move(inspection, to: state)
        }
        watchers.nudgeAll()
        return try await self.inspection(id)
    }

    /// Forgets rejected mutations a person has dealt with (all of them when `mutationIds` is nil).
    @discardableResult
    public func discardRejected(mutationIds: [Int64]? = nil) async throws -> Int {
        try store.discardRejected(mutationIds: mutationIds)
    }
}
