import Crypto
import Foundation
import RevisitModel
import RevisitStore
import Synchronization

/// The in-memory gate in front of token lookups (DESIGN section 9): an address that sent 20 wrong tokens in the
/// last minute is answered 429 before any database lookup, and a valid token is remembered for a few seconds so
/// that a tablet's burst of requests costs one lookup, not one each. A revoked token is refused within that time
/// on every instance. The state is per process: with several instances, each counts what it sees.
final class TokenGuard: Sendable {
    struct Limits: Sendable {
        var wrongTokensPerMinute = 20
        var window: TimeInterval = 60
        var validFor: TimeInterval = 5
        /// Addresses and tokens kept at most; past it, expired entries are dropped, then the oldest.
        var capacity = 50_000
    }

    private struct State {
        var failures: [String: [Date]] = [:]
        var valid: [Data: (principal: Principal, until: Date)] = [:]
    }

    let limits: Limits
    private let clock: any WallClock
    private let state = Mutex(State())

    init(limits: Limits = Limits(), clock: any WallClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Seconds to wait when `address` is over the limit; nil when it may try.
    func retryAfter(address: String) -> Int? {
        let now = clock.now()
        return state.withLock { state in
            guard let times = state.failures[address] else { return nil }
            let recent = times.filter { now.timeIntervalSince($0) < limits.window }
            guard recent.count >= limits.wrongTokensPerMinute, let oldest = recent.first else { return nil }
            return max(1, Int((oldest.addingTimeInterval(limits.window).timeIntervalSince(now)).rounded(.up)))
        }
    }

    /// Counts a wrong or missing token from `address`.
    func recordFailure(address: String) {
        let now = clock.now()
        state.withLock { state in
            var recent = (state.failures[address] ?? []).filter { now.timeIntervalSince($0) < limits.window }
            recent.append(now)
            if recent.count > limits.wrongTokensPerMinute {
                recent.removeFirst(recent.count - limits.wrongTokensPerMinute)
            }
            if state.failures[address] == nil, state.failures.count >= limits.capacity {
                state.failures = state.failures.filter { _, times in
                    times.last.map { now.timeIntervalSince($0) < limits.window } ?? false
                }
                if state.failures.count >= limits.capacity { state.failures.removeAll(keepingCapacity: true) }
            }
            state.failures[address] = recent
        }
    }

    /// The principal of a token seen valid within the last ``Limits/validFor`` seconds.
    func cachedPrincipal(token: String) -> Principal? {
        let key = Self.key(token)
        let now = clock.now()
        return state.withLock { state in
            guard let entry = state.valid[key] else { return nil }
            guard entry.until > now else {
                state.valid[key] = nil
                return nil
            }
            return entry.principal
        }
    }

    func remember(token: String, as principal: Principal) {
        let key = Self.key(token)
        let now = clock.now()
        let until = now.addingTimeInterval(limits.validFor)
        state.withLock { state in
            if state.valid[key] == nil, state.valid.count >= limits.capacity {
                state.valid = state.valid.filter { $0.value.until > now }
                if state.valid.count >= limits.capacity { state.valid.removeAll(keepingCapacity: true) }
            }
            state.valid[key] = (principal, until)
        }
    }

    /// Drops a revoked token's entry, so that this instance refuses it at once.
    func forget(tokenId: String) {
        state.withLock { state in state.valid = state.valid.filter { $0.value.principal.tokenId != tokenId } }
    }

    /// Only a hash of the token is kept in memory, as in the database.
    private static func key(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }
}
