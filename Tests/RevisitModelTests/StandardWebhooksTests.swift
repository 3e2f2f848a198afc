import Foundation
import Testing

@testable import RevisitModel

/// Standard Webhooks signing and verification (DESIGN section 7), against the specification's own vector.
@Suite("Standard Webhooks signatures")
struct StandardWebhooksTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp: Int64 = 1_614_265_330
    static let body = Array(#"{"test": 2432232314}"#.utf8)
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let sentAt = Date(timeIntervalSince1970: 1_614_265_330)

    @Test("the specification's vector")
    func vector() throws {
        #expect(
            try StandardWebhooks.signature(secret: Self.secret, id: Self.id, timestamp: Self.timestamp, body: Self.body)
                == Self.expected
        )
        // Without the prefix the secret is the base64 key itself, as in the official libraries.
        #expect(
            try StandardWebhooks.signature(
                secret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                id: Self.id,
                timestamp: Self.timestamp,
                body: Self.body
            ) == Self.expected
        )
    }

    static func verify(
        secret: String = secret,
        id: String = id,
        timestamp: String = String(timestamp),
        header: String = expected,
        body: [UInt8] = body,
        now: Date = sentAt
    ) -> Bool {
        StandardWebhooks.verify(
            secret: secret,
            id: id,
            timestamp: timestamp,
            signatureHeader: header,
            body: body,
            now: now
        )
    }

    @Test("verification accepts the vector and refuses any change to it")
    func verification() {
        #expect(Self.verify())
        #expect(Self.verify(now: Self.sentAt.addingTimeInterval(299)))
        #expect(Self.verify(now: Self.sentAt.addingTimeInterval(-299)))
        #expect(!Self.verify(id: "msg_other"))
        #expect(!Self.verify(body: Array(#"{"test": 2432232315}"#.utf8)))
        #expect(!Self.verify(header: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="))
        #expect(!Self.verify(header: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="))
        #expect(!Self.verify(header: ""))
        #expect(!Self.verify(header: "v1,not base64!"))
        #expect(!Self.verify(timestamp: "1614265331"))
        #expect(!Self.verify(timestamp: "soon"))
    }

    @Test("a wrong secret, or a malformed one, verifies nothing")
    func wrongSecret() throws {
        let other = StandardWebhooks.generateSecret()
        #expect(!Self.verify(secret: other))
        #expect(!Self.verify(secret: "whsec_"))
        #expect(!Self.verify(secret: "whsec_***"))
        #expect(throws: StandardWebhooks.MalformedSecret.self) {
            try StandardWebhooks.signature(secret: "whsec_***", id: Self.id, timestamp: Self.timestamp, body: Self.body)
        }
        #expect(throws: StandardWebhooks.MalformedSecret.self) {
            try StandardWebhooks.signature(secret: "", id: Self.id, timestamp: Self.timestamp, body: Self.body)
        }
    }

    @Test("a timestamp more than 5 minutes off either way is refused")
    func staleTimestamp() {
        #expect(!Self.verify(now: Self.sentAt.addingTimeInterval(301)))
        #expect(!Self.verify(now: Self.sentAt.addingTimeInterval(-301)))
        #expect(!Self.verify(now: Self.sentAt.addingTimeInterval(86_400)))
        #expect(
            StandardWebhooks.verify(
                secret: Self.secret,
                id: Self.id,
                timestamp: String(Self.timestamp),
                signatureHeader: Self.expected,
                body: Self.body,
                now: Self.sentAt.addingTimeInterval(500),
                tolerance: 600
            )
        )
    }

    @Test("during a rotation either secret verifies the two-signature header")
    func rotation() throws {
        let newSecret = StandardWebhooks.generateSecret()
        let header = try StandardWebhooks.signatureHeader(
            secrets: [newSecret, Self.secret],
            id: Self.id,
            timestamp: Self.timestamp,
            body: Self.body
        )
        let parts = header.split(separator: " ")
        #expect(parts.count == 2)
        #expect(parts[1] == Self.expected[...])
        #expect(Self.verify(secret: Self.secret, header: header))
        #expect(Self.verify(secret: newSecret, header: header))
        #expect(Self.verify(secret: newSecret, header: "v2,ignored " + header))
        #expect(!Self.verify(secret: StandardWebhooks.generateSecret(), header: header))
    }

    @Test("generated secrets are whsec_ and 32 random bytes, and sign")
    func generatedSecrets() throws {
        let secrets = (0..<20).map { _ in StandardWebhooks.generateSecret() }
        #expect(Set(secrets).count == secrets.count)
        for secret in secrets {
            #expect(secret.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
            let signature = try StandardWebhooks.signature(secret: secret, id: "evt_1", timestamp: 1, body: [])
            #expect(signature.hasPrefix("v1,"))
            #expect(
                StandardWebhooks.verify(
                    secret: secret,
                    id: "evt_1",
                    timestamp: "1",
                    signatureHeader: signature,
                    body: [],
                    now: Date(timeIntervalSince1970: 1)
                )
            )
        }
    }
}
