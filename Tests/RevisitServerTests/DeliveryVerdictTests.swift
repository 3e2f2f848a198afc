import Foundation
import Logging
import RevisitModel
import RevisitStore
import Testing

@testable import RevisitServer

/// The rules of DESIGN section 7 for what an attempt's answer leads to, as the worker applies them.
@Suite("Delivery verdicts")
struct DeliveryVerdictTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let worker = WebhookDeliveryWorker(
        store: try! SQLiteSyncStore(
            path: FileManager.default.temporaryDirectory.appending(path: "verdicts-\(UUID().uuidString).sqlite").path,
            clock: TestWallClock(now),
            hlc: ServerHLC(clock: TestWallClock(now))
        ),
        clock: TestWallClock(now),
        schedule: [.seconds(5), .seconds(300)],
        timeout: .seconds(10),
        lease: .seconds(30),
        allowPrivate: false,
        logger: Logger(label: "test")
    )

    static func delivery(attempts: Int, failingSince: Date? = nil) -> ClaimedDelivery {
        ClaimedDelivery(
            deliveryId: "d",
            tenantId: 1,
            endpointId: "e",
            eventId: "evt",
            url: "https://crm.example.com/hook",
            secrets: [],
            body: [],
            attempts: attempts,
            failingSince: failingSince
        )
    }

    @Test("2xx succeeds; 410 disables the endpoint; a redirect is a failure like any other")
    func answers() {
        #expect(
            Self.worker.verdict(for: Self.delivery(attempts: 0), status: 204, retryAfter: nil, at: Self.now)
                == .succeeded
        )
        #expect(
            Self.worker.verdict(for: Self.delivery(attempts: 0), status: 410, retryAfter: nil, at: Self.now)
                == .disableEndpoint(reason: "gone")
        )
        guard
            case .retry = Self.worker.verdict(
                for: Self.delivery(attempts: 0),
                status: 302,
                retryAfter: nil,
                at: Self.now
            )
        else {
            Issue.record("a 302 is retried, not followed")
            return
        }
    }

    @Test("retries follow the schedule with jitter, then fail; Retry-After is respected on 429 and 503")
    func schedule() {
        for _ in 0..<50 {
            guard
                case .retry(let at) = Self.worker.verdict(
                    for: Self.delivery(attempts: 0),
                    status: 500,
                    retryAfter: nil,
                    at: Self.now
                )
            else {
                Issue.record("first failure is retried")
                return
            }
            #expect((4...6).contains(at.timeIntervalSince(Self.now)), "5 s ± 20%")
        }
        guard
            case .retry(let later) = Self.worker.verdict(
                for: Self.delivery(attempts: 1),
                status: nil,
                retryAfter: nil,
                at: Self.now
            )
        else {
            Issue.record("a network error is retried")
            return
        }
        #expect((240...360).contains(later.timeIntervalSince(Self.now)))
        #expect(
            Self.worker.verdict(for: Self.delivery(attempts: 2), status: 500, retryAfter: nil, at: Self.now) == .failed
        )
        guard
            case .retry(let asked) = Self.worker.verdict(
                for: Self.delivery(attempts: 0),
                status: 503,
                retryAfter: 3600,
                at: Self.now
            )
        else {
            Issue.record("503 is retried")
            return
        }
        #expect(asked.timeIntervalSince(Self.now) >= 3600, "no sooner than Retry-After")
    }

    @Test("an endpoint failing for 5 days in a row is disabled")
    func fiveDays() {
        let since = Self.now.addingTimeInterval(-5 * 86400 - 1)
        #expect(
            Self.worker.verdict(
                for: Self.delivery(attempts: 0, failingSince: since),
                status: 500,
                retryAfter: nil,
                at: Self.now
            )
                == .disableEndpoint(reason: "failing")
        )
        let recent = Self.now.addingTimeInterval(-4 * 86400)
        #expect(
            Self.worker.verdict(
                for: Self.delivery(attempts: 0, failingSince: recent),
                status: 500,
                retryAfter: nil,
                at: Self.now
            )
                != .disableEndpoint(reason: "failing")
        )
    }
}
