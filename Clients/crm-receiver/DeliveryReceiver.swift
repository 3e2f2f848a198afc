import Foundation
import RevisitModel

/// What the receiver does with one delivery, apart from HTTP: verify, maybe fail on purpose, deduplicate, print.
///
/// Kept free of Hummingbird so the rules read in one place: the router only passes headers and body in and the
/// reply out.
struct DeliveryReceiver: Sendable {
    /// The largest body accepted; Revisit's payloads are a follow-up with two snapshots, far smaller.
    static let maximumBodyBytes = 16 << 20

    /// The answer to one delivery: an HTTP status and, for anything but 204, a short text.
    struct Reply: Equatable {
        var status: Int
        var message: String?
    }

    let secret: String
    let failFirst: Int
    let output: @Sendable (String) -> Void
    private let seen = SeenDeliveries()

    /// - Parameters:
    ///   - secret: the endpoint's `whsec_…` secret.
    ///   - failFirst: how many deliveries of each `webhook-id` to answer 503 before accepting it.
    ///   - output: where event lines go; standard output, one write per line, so each line leaves at once even
    ///     when piped.
    init(secret: String, failFirst: Int, output: @escaping @Sendable (String) -> Void = Self.writeLine) {
        self.secret = secret
        self.failFirst = failFirst
        self.output = output
    }

    /// Handles one delivery; `headers` are keyed by lower-case name.
    func receive(headers: [String: String], body: [UInt8], now: Date) -> Reply {
        guard let id = headers["webhook-id"], let timestamp = headers["webhook-timestamp"],
            let signature = headers["webhook-signature"]
        else {
            note("refused a delivery without webhook-id, webhook-timestamp and webhook-signature headers")
            return Reply(status: 401, message: "missing webhook-id, webhook-timestamp or webhook-signature header")
        }
        guard
            StandardWebhooks.verify(
                secret: secret,
                id: id,
                timestamp: timestamp,
                signatureHeader: signature,
                body: body,
                now: now
            )
        else {
            note(
                "refused \(id): the signature does not verify with this secret, or the timestamp is over 5 minutes off"
            )
            return Reply(status: 401, message: "invalid signature or timestamp")
        }
        let (attempt, duplicate) = seen.record(id, failing: failFirst)
        if attempt <= failFirst {
            note("answered 503 to \(id) (attempt \(attempt) of the \(failFirst) that --fail-first fails)")
            return Reply(status: 503, message: "failing on purpose: attempt \(attempt) of \(failFirst)")
        }
        output(Self.eventLine(id: id, body: body, duplicate: duplicate))
        return Reply(status: 204, message: nil)
    }

    /// The JSON line for a verified event, keys in the order a person reads them: id, type, timestamp, verified,
    /// data (and duplicate). A body that is not a JSON object is shown as a string under `data`.
    static func eventLine(id: String, body: [UInt8], duplicate: Bool) -> String {
        let event = (try? JSONValue.parse(Data(body)))?.objectValue
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("type", event?["type"] ?? .null),
            ("timestamp", event?["timestamp"] ?? .null),
            ("verified", true),
            ("data", event.map { $0["data"] ?? .null } ?? .string(String(decoding: body, as: UTF8.self))),
        ]
        if duplicate { members.append(("duplicate", true)) }
        return "{" + members.map { JSONValue.string($0.0).jsonString + ":" + $0.1.jsonString }.joined(separator: ",")
            + "}"
    }

    /// Writes `line` and a newline to standard output in one unbuffered write.
    @Sendable static func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data(("crm-receiver: " + text + "\n").utf8))
    }
}
