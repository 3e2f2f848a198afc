import Foundation
import RevisitModel

extension FollowUpRecord {
    /// The record after a change to `state` at `now` (a change to the state it has is a change of its details): a
    /// new version, `updatedAt`, and `releasedAt` when it becomes released. Every such change emits an event.
    func changed(to state: FollowUpState, at now: Date) -> FollowUpRecord {
        var next = self
        next.state = state
        next.version += 1
        next.updatedAt = now
        // A change of a released follow-up's details (a new due date, a new cover) is not a second release.
        if state == .released, self.state != .released { next.releasedAt = now }
        return next
    }
}
