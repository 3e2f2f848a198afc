import Foundation
import RevisitModel

extension FollowUpRecord {
    /// The record after a change to `state` at `now` (a change to the state it has is a change of its details): a
    /// new version, `updatedAt`, and `releasedAt` when it is released. Every such change emits an event.
    func changed(to state: FollowUpState, at now: Date) -> FollowUpRecord {
        var next = self
        next.state = state
        next.version += 1
        next.updatedAt = now
        if state == .released { next.releasedAt = now }
        return next
    }
}
