import Foundation
import RevisitModel
import RevisitStore
import Testing

@testable import RevisitServer

/// The pure rules of facing the internet (DESIGN section 9): whose address a request counts against, and the
/// wrong-token limit and valid-token memory, on a test clock.
@Suite("Edge rules")
struct EdgeRulesTests {
    @Test("addresses and CIDR blocks parse and match, IPv4-mapped IPv6 as IPv4")
    func cidr() throws {
        let block = try #require(CIDR("10.0.0.0/8"))
        #expect(block.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(!block.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(block.contains(try #require(IPAddress("::ffff:10.1.2.3"))))
        let narrow = try #require(CIDR("192.168.1.128/25"))
        #expect(narrow.contains(try #require(IPAddress("192.168.1.200"))))
        #expect(!narrow.contains(try #require(IPAddress("192.168.1.100"))))
        let six = try #require(CIDR("fd00::/8"))
        #expect(six.contains(try #require(IPAddress("fd12:3456::1"))))
        #expect(!six.contains(try #require(IPAddress("fe80::1"))))
        #expect(!six.contains(try #require(IPAddress("10.0.0.1"))), "families never match")
        #expect(try #require(CIDR("127.0.0.1")).contains(try #require(IPAddress("127.0.0.1"))))
        #expect(try #require(CIDR("0.0.0.0/0")).contains(try #require(IPAddress("203.0.113.9"))))
        for bad in ["", "10.0.0.0/33", "fd00::/129", "10.0.0/8", "host.example", "10.0.0.0/-1", "10.0.0.0/x"] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8:0:0:0:0:0:1")
    }

    @Test("X-Forwarded-For counts only behind a trusted proxy, read from the right past every trusted hop")
    func clientAddress() throws {
        let none = TrustedProxies()
        #expect(none.clientAddress(peer: "127.0.0.1", forwardedFor: ["127.0.0.9"]) == "127.0.0.1")
        let proxies = try TrustedProxies.parse(["127.0.0.1", "10.0.0.0/8, fd00::/8"]).get()
        #expect(proxies.blocks.count == 3)
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["127.0.0.9"]) == "127.0.0.9")
        // The client wrote the first entry itself; the proxies appended the rest.
        #expect(
            proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["127.0.0.66, 127.0.0.9, 10.1.1.1"]) == "127.0.0.9"
        )
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["127.0.0.66", "127.0.0.9"]) == "127.0.0.9")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["10.0.0.5, 10.0.0.6"]) == "10.0.0.5")
        #expect(proxies.clientAddress(peer: "127.0.0.2", forwardedFor: ["127.0.0.9"]) == "127.0.0.2", "untrusted")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["not-an-address"]) == "not-an-address")
        #expect(proxies.clientAddress(peer: "::ffff:127.0.0.1", forwardedFor: ["fd00::7, 127.0.0.9"]) == "127.0.0.9")
        #expect(throws: TrustedProxies.InvalidCIDR.self) { try TrustedProxies.parse(["10.0.0.0/40"]).get() }
    }

    static let principal = Principal(tenantId: 1, tenantSlug: "acme", role: .device, tokenId: "t1")

    @Test("20 wrong tokens in a minute from one address are refused until the oldest leaves the minute; others pass")
    func wrongTokenLimit() {
        let clock = TestWallClock(Date(timeIntervalSince1970: 1_765_000_000))
        let guardian = TokenGuard(clock: clock)
        for _ in 0..<19 {
            guardian.recordFailure(address: "a")
            clock.advance(by: 1)
        }
        #expect(guardian.retryAfter(address: "a") == nil, "19 is under the limit")
        guardian.recordFailure(address: "a")
        // The first failure was 19 s ago: it leaves the minute in 41 s.
        #expect(guardian.retryAfter(address: "a") == 41)
        #expect(guardian.retryAfter(address: "b") == nil)
        clock.advance(by: 40.5)
        #expect(guardian.retryAfter(address: "a") == 1)
        clock.advance(by: 1)
        #expect(guardian.retryAfter(address: "a") == nil, "the oldest failure left the minute")
        for _ in 0..<100 { guardian.recordFailure(address: "c") }
        #expect(guardian.retryAfter(address: "c") == 60)
    }

    @Test("a valid token is remembered for a few seconds, forgotten on revoke, and the memory stays bounded")
    func validTokens() {
        let clock = TestWallClock(Date(timeIntervalSince1970: 1_765_000_000))
        var limits = TokenGuard.Limits()
        limits.capacity = 10
        let guardian = TokenGuard(limits: limits, clock: clock)
        #expect(guardian.cachedPrincipal(token: "rvt_x") == nil)
        guardian.remember(token: "rvt_x", as: Self.principal)
        #expect(guardian.cachedPrincipal(token: "rvt_x") == Self.principal)
        #expect(guardian.cachedPrincipal(token: "rvt_y") == nil)
        clock.advance(by: 5)
        #expect(guardian.cachedPrincipal(token: "rvt_x") == nil, "revocation elsewhere is honoured within 5 s")
        guardian.remember(token: "rvt_x", as: Self.principal)
        guardian.forget(tokenId: "t1")
        #expect(guardian.cachedPrincipal(token: "rvt_x") == nil)
        for index in 0..<25 { guardian.remember(token: "rvt_\(index)", as: Self.principal) }
        #expect(guardian.cachedPrincipal(token: "rvt_24") == Self.principal)
        for index in 0..<25 { guardian.recordFailure(address: "addr-\(index)") }
        #expect(guardian.retryAfter(address: "addr-24") == nil)
    }
}
