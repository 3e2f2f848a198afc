import Foundation
import Synchronization

/// Wakes the pulls and streams waiting for a tenant's changes (DESIGN section 4), in process: a waiter is a suspended
/// continuation, not a thread and not a database connection, and it is resumed by the commit itself (``announce``)
/// rather than by polling the database.
final class ChangeBroadcaster: Sendable {
    struct Limits: Sendable {
        /// Held polls and streams of one tenant on this instance.
        var perTenant = 1_000
        /// Held polls and streams on this instance.
        var total = 10_000
    }

    enum Wake: Sendable, Equatable {
        /// The tenant's version went past the waiter's.
        case changed
        /// Signals may have been missed (the listener reconnected): look at the database again.
        case recheck
        case timedOut
        /// The server is shutting down.
        case closed
        case cancelled
    }

    private struct Waiter {
        let tenant: Int64
        let beyond: Int64
        let continuation: CheckedContinuation<Wake, Never>
    }

    private struct State {
        var latest: [Int64: Int64] = [:]
        var vouched: Set<Int64> = []
        var waiters: [UInt64: Waiter] = [:]
        var byTenant: [Int64: Set<UInt64>] = [:]
        var cancelledEarly: Set<UInt64> = []
        var held: [Int64: Int] = [:]
        var heldTotal = 0
        var closed = false
        var nextId: UInt64 = 0
    }

    let limits: Limits
    private let state = Mutex(State())

    init(limits: Limits = Limits()) { self.limits = limits }

    /// The highest version announced for a tenant since start.
    func latest(tenant: Int64) -> Int64? { state.withLock { $0.latest[tenant] } }

    /// ``latest(tenant:)`` when no commit of the tenant can have gone unheard: announced since the last recheck (the
    /// tenant's commits are announced in version order, so the newest announced one vouches for all before it).
    func vouchedLatest(tenant: Int64) -> Int64? {
        state.withLock { $0.vouched.contains(tenant) ? $0.latest[tenant] : nil }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// A commit: wakes the tenant's waiters that have not seen `version`.
    func announce(tenant: Int64, version: Int64) {
        let woken = state.withLock { state -> [CheckedContinuation<Wake, Never>] in
            state.latest[tenant] = max(state.latest[tenant] ?? 0, version)
            state.vouched.insert(tenant)
            guard let ids = state.byTenant[tenant] else { return [] }
            var woken: [CheckedContinuation<Wake, Never>] = []
            for id in ids {
                guard let waiter = state.waiters[id], waiter.beyond < version else { continue }
                state.waiters.removeValue(forKey: id)
                state.byTenant[tenant]?.remove(id)
                woken.append(waiter.continuation)
            }
            if state.byTenant[tenant]?.isEmpty == true { state.byTenant.removeValue(forKey: tenant) }
            return woken
        }
        LiveMetrics.wakeUps.increment(by: woken.count)
        for continuation in woken { continuation.resume(returning: .changed) }
    }

    /// Wakes every waiter to look at the database again. Commits may have been missed, so ``vouchedLatest(tenant:)``
    /// vouches for no tenant until it is announced again.
    func recheckAll() { resumeAll(.recheck, closing: false) }

    /// Ends every wait, now and later: the server is shutting down.
    func close() { resumeAll(.closed, closing: true) }

    private func resumeAll(_ wake: Wake, closing: Bool) {
        let all = state.withLock { state -> [CheckedContinuation<Wake, Never>] in
            if closing { state.closed = true } else { state.vouched.removeAll() }
            let all = state.waiters.values.map(\.continuation)
            state.waiters.removeAll()
            state.byTenant.removeAll()
            return all
        }
        for continuation in all { continuation.resume(returning: wake) }
    }

    /// Takes a place for a held poll or stream; false when the tenant's or the instance's places are taken.
    func admit(tenant: Int64) -> Bool {
        state.withLock { state in
            guard !state.closed, state.heldTotal < limits.total, (state.held[tenant] ?? 0) < limits.perTenant else {
                return false
            }
            state.heldTotal += 1
            state.held[tenant, default: 0] += 1
            return true
        }
    }

    func release(tenant: Int64) {
        state.withLock { state in
            state.heldTotal -= 1
            state.held[tenant, default: 1] -= 1
            if state.held[tenant] == 0 { state.held.removeValue(forKey: tenant) }
        }
    }

    /// Suspends until the tenant's version passes `beyond`, a recheck, shutdown, cancellation or `timeout`.
    func wait(tenant: Int64, beyond: Int64, timeout: Duration) async -> Wake {
        await withTaskGroup(of: Wake.self) { group in
            group.addTask { await self.wait(tenant: tenant, beyond: beyond) }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return .cancelled }
                return .timedOut
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
    }

    private func wait(tenant: Int64, beyond: Int64) async -> Wake {
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        let wake = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
                let immediate = state.withLock { state -> Wake? in
                    if state.closed { return .closed }
                    if state.cancelledEarly.remove(id) != nil { return .cancelled }
                    if let latest = state.latest[tenant], latest > beyond { return .changed }
                    state.waiters[id] = Waiter(tenant: tenant, beyond: beyond, continuation: continuation)
                    state.byTenant[tenant, default: []].insert(id)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelledEarly.insert(id)
                    return nil
                }
                state.byTenant[waiter.tenant]?.remove(id)
                return waiter
            }
            waiter?.continuation.resume(returning: .cancelled)
        }
        state.withLock { _ = $0.cancelledEarly.remove(id) }
        return wake
    }
}
