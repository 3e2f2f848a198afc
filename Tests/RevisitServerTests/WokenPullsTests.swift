import Foundation
import RevisitStore
import Synchronization
import Testing

@testable import RevisitServer

/// The herd one commit wakes: its polls share one pull, but never one that began before the commit that woke them,
/// and the broadcaster vouches for a version only while no commit can have gone unheard.
@Suite("Woken polls share their pull")
struct WokenPullsTests {
    /// A pull the test lets finish when it chooses, counting how often it was started.
    final class GatedLoad: Sendable {
        private let started = Atomic<Int>(0)
        private let gate = Mutex<[CheckedContinuation<Void, Never>]>([])
        private let open = Atomic<Bool>(false)

        var starts: Int { started.load(ordering: .relaxed) }

        func load(cursor: String) async -> PullPage {
            started.add(1, ordering: .relaxed)
            await withCheckedContinuation { continuation in
                let now = gate.withLock { waiting -> Bool in
                    if open.load(ordering: .relaxed) { return true }
                    waiting.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
            return PullPage(changes: [], cursor: cursor, hasMore: false)
        }

        func release() {
            open.store(true, ordering: .relaxed)
            for continuation in gate.withLock({ waiting in
                defer { waiting.removeAll() }
                return waiting
            }) {
                continuation.resume()
            }
        }
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<2_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
        #expect(condition())
    }

    @Test("polls woken by the same commit for the same page share one pull")
    func herdShares() async throws {
        let pulls = WokenPulls()
        let load = GatedLoad()
        let pages = Task {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await pulls.page(tenant: 1, since: "7", limit: 500, atLeast: 8) {
                            await load.load(cursor: "8")
                        }.cursor
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
        }
        try await Self.waitUntil { load.starts >= 1 }
        try await Task.sleep(for: .milliseconds(20))
        load.release()
        let cursors = try await pages.value
        #expect(cursors == Array(repeating: "8", count: 50))
        #expect(load.starts == 1)
    }

    @Test("a poll woken by a later commit, or asking for another page or tenant, does not join an earlier pull")
    func laterCommitDoesNotJoin() async throws {
        let pulls = WokenPulls()
        let load = GatedLoad()
        let first = Task {
            try await pulls.page(tenant: 1, since: "7", limit: 500, atLeast: 8) { await load.load(cursor: "8") }
        }
        try await Self.waitUntil { load.starts == 1 }
        let later = Task {
            try await pulls.page(tenant: 1, since: "7", limit: 500, atLeast: 9) { await load.load(cursor: "9") }
        }
        try await Self.waitUntil { load.starts == 2 }
        let otherLimit = Task {
            try await pulls.page(tenant: 1, since: "7", limit: 10, atLeast: 8) { await load.load(cursor: "8") }
        }
        try await Self.waitUntil { load.starts == 3 }
        let otherTenant = Task {
            try await pulls.page(tenant: 2, since: "7", limit: 500, atLeast: 8) { await load.load(cursor: "8") }
        }
        try await Self.waitUntil { load.starts == 4 }
        // An earlier commit's poll may join the later pull: its snapshot holds what woke it.
        let earlier = Task {
            try await pulls.page(tenant: 1, since: "7", limit: 500, atLeast: 8) { await load.load(cursor: "x") }
        }
        try await Task.sleep(for: .milliseconds(20))
        load.release()
        #expect(try await first.value.cursor == "8")
        #expect(try await later.value.cursor == "9")
        #expect(try await earlier.value.cursor == "9")
        _ = try await (otherLimit.value, otherTenant.value)
        #expect(load.starts == 4)
    }

    @Test("once a pull has answered, the next wake-up pulls again")
    func finishedPullIsNotReused() async throws {
        let pulls = WokenPulls()
        let load = GatedLoad()
        load.release()
        _ = try await pulls.page(tenant: 1, since: "7", limit: 500, atLeast: 8) { await load.load(cursor: "8") }
        _ = try await pulls.page(tenant: 1, since: "7", limit: 500, atLeast: 8) { await load.load(cursor: "8") }
        #expect(load.starts == 2)
    }

    @Test("the broadcaster vouches for a tenant's version only from its announce until a recheck")
    func vouching() {
        let changes = ChangeBroadcaster()
        #expect(changes.vouchedLatest(tenant: 1) == nil)
        changes.announce(tenant: 1, version: 5)
        changes.announce(tenant: 1, version: 4)
        #expect(changes.vouchedLatest(tenant: 1) == 5)
        #expect(changes.vouchedLatest(tenant: 2) == nil)
        changes.recheckAll()
        #expect(changes.vouchedLatest(tenant: 1) == nil)
        #expect(changes.latest(tenant: 1) == 5)
        changes.announce(tenant: 1, version: 6)
        #expect(changes.vouchedLatest(tenant: 1) == 6)
    }
}
