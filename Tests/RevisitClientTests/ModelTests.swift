import Foundation
import RevisitClient
import RevisitModel
import Testing

/// The client's small pure rules.
@Suite("Client rules")
struct ModelTests {
    @Test("costs typed in major units become minor units of the currency")
    func moneyParsing() {
        #expect(Money.parse("120.50", currency: "EUR") == Money(amount: 12050, currency: "EUR"))
        #expect(Money.parse("120,5", currency: "eur") == Money(amount: 12050, currency: "EUR"))
        #expect(Money.parse("120", currency: "EUR") == Money(amount: 12000, currency: "EUR"))
        #expect(Money.parse("0.07", currency: "EUR") == Money(amount: 7, currency: "EUR"))
        #expect(Money.parse("1200", currency: "JPY") == Money(amount: 1200, currency: "JPY"))
        #expect(Money.parse("1.5", currency: "JPY") == nil)
        #expect(Money.parse("1.234", currency: "KWD") == Money(amount: 1234, currency: "KWD"))
        for bad in ["12.345", "-5", "1e3", "", "12.", ".5", "12.3.4", "abc"] {
            #expect(Money.parse(bad, currency: "EUR") == nil, "\(bad)")
        }
        #expect(Money(amount: 12050, currency: nil).formatted(defaultCurrency: "EUR") == "120.50 EUR")
        #expect(Money(amount: 5, currency: "EUR").formatted(defaultCurrency: "EUR") == "0.05 EUR")
    }

    @Test("backoff doubles, is jittered within bounds, and honours Retry-After")
    func backoff() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: .seconds(1), maxDelay: .seconds(8))
        #expect(policy.delay(forRetry: 1, random: { _ in 0 }) == .milliseconds(500))
        #expect(policy.delay(forRetry: 1, random: { _ in 1 }) == .seconds(1))
        #expect(policy.delay(forRetry: 3, random: { _ in 1 }) == .seconds(4))
        #expect(policy.delay(forRetry: 9, random: { _ in 1 }) == .seconds(8))
        #expect(policy.delay(forRetry: 1, retryAfter: .seconds(3), random: { _ in 0 }) == .seconds(3))
        for attempt in 1...6 {
            let delay = policy.delay(forRetry: attempt)
            #expect(delay >= .milliseconds(500) && delay <= .seconds(8))
        }
    }
}
