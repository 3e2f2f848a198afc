import ArgumentParser
import Foundation
import RevisitModel

/// `crm-receiver`: a small webhook receiver for a CRM developer who integrates with Revisit and wants to see the
/// deliveries before writing any code.
///
/// Point a webhook endpoint at it (`POST /v1/webhook-endpoints` with `"url": "http://127.0.0.1:9000/"` on a server
/// started with `--allow-private-webhooks`) and give it the endpoint's secret: it verifies every delivery with the
/// Standard Webhooks rules (the same ones the official libraries apply), answers 204, and prints one JSON line per
/// event on standard output, so the stream can be piped into `jq` or a script. `--fail-first` answers 503 to the
/// first attempts of every event, to watch the server retry with the same `webhook-id`.
///
/// This type only reads the command line; ``buildReceiverApplication(host:port:receiver:)`` builds the server.
@main
struct CRMReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-receiver",
        abstract: "Receive Revisit webhooks, verify their signatures and print one JSON line per event.",
        discussion: """
            Every POST (to any path) must carry the Standard Webhooks headers webhook-id, webhook-timestamp and \
            webhook-signature. A delivery whose signature or timestamp does not verify is answered 401 and printed \
            to standard error only. A verified one is answered 204 and printed to standard output as
              {"id": webhook-id, "type": …, "timestamp": …, "verified": true, "data": …}
            Deliveries are deduplicated by webhook-id: a delivery of an id already printed (a retry after a lost \
            answer, or a replay) is printed again with "duplicate": true, so replays stay visible. Notes about \
            refused and failed deliveries go to standard error.
            """
    )

    @Option(help: "The port to listen on.")
    var port: Int = 9000

    @Option(help: "The address to listen on (0.0.0.0 for every interface).")
    var host: String = "127.0.0.1"

    @Option(
        help: ArgumentHelp(
            "The endpoint's secret as Revisit showed it when the endpoint was created or rotated "
                + "(default: the CRM_WEBHOOK_SECRET environment variable).",
            valueName: "whsec_…"
        )
    )
    var secret: String?

    @Option(
        help: ArgumentHelp(
            "Answer 503 to the first N deliveries of each webhook-id, to try the server's retries.",
            valueName: "N"
        )
    )
    var failFirst: Int = 0

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard failFirst >= 0 else { throw ValidationError("--fail-first must be 0 or more") }
        _ = try resolvedSecret()
    }

    func run() async throws {
        let receiver = DeliveryReceiver(secret: try resolvedSecret(), failFirst: failFirst)
        let app = buildReceiverApplication(host: host, port: port, receiver: receiver)
        try await app.runService()
    }

    /// The secret from `--secret` or `CRM_WEBHOOK_SECRET`, checked to be one a signature can be made with.
    func resolvedSecret() throws -> String {
        guard let secret = secret ?? ProcessInfo.processInfo.environment["CRM_WEBHOOK_SECRET"], !secret.isEmpty else {
            throw ValidationError("give the endpoint's secret with --secret whsec_… or in CRM_WEBHOOK_SECRET")
        }
        guard secret.hasPrefix(StandardWebhooks.secretPrefix),
            (try? StandardWebhooks.signature(secret: secret, id: "check", timestamp: 0, body: [])) != nil
        else { throw ValidationError("the secret is not a webhook secret: expected whsec_ followed by base64") }
        return secret
    }
}
