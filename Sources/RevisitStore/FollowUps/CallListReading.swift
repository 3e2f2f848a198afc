import Foundation
import RevisitModel

extension [FollowUpRecord] {
    /// The order a service desk phones in: safety first, then the earliest due, then the order they were made.
    func inCallOrder() -> [FollowUpRecord] {
        enumerated().sorted { a, b in
            if a.element.safetyCritical != b.element.safetyCritical { return a.element.safetyCritical }
            if a.element.dueDate != b.element.dueDate { return a.element.dueDate < b.element.dueDate }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension FollowUpRecord {
    /// Stored follow-ups read back, in their order, in two halves at once when there are many: a month's call list
    /// of 2,000 spends a quarter of its time parsing them, and the reader's connection is already back in the pool.
    static func parsed(_ bodies: [String]) async throws -> [FollowUpRecord] {
        func parse(_ slice: ArraySlice<String>) throws -> [FollowUpRecord] {
            try slice.map { try FollowUpRecord(storedText: $0) }
        }
        guard bodies.count >= 200 else { return try parse(bodies[...]) }
        let middle = bodies.count / 2
        async let first = parse(bodies[..<middle])
        let second = try parse(bodies[middle...])
        return try await first + second
    }
}
