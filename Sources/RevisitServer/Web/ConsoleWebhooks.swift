import Foundation
import RevisitModel
import RevisitStore

/// What `console-webhooks.mustache` shows: the tenant's endpoints, each with its recent deliveries (state, response
/// code, attempts, next attempt) and the forms to replay since a day, rotate the secret and enable it again.
struct ConsoleWebhooks {
    /// A secret just made by a rotation: shown this once.
    struct Secret {
        var endpointId: String
        var secret: String
    }

    struct Endpoint {
        var record: WebhookEndpointRecord
        var deliveries: [DeliveryRecord]
    }

    static let deliveriesShown = 10

    let settings: TenantSettings
    let texts: [String: String]
    let csrf: String
    let now: Date

    static func load(store: any SyncStore, tenantId: Int64) async throws -> [Endpoint] {
        let page = try await store.endpoints(tenantId: tenantId, cursor: nil, limit: 100)
        var endpoints: [Endpoint] = []
        for record in page.items {
            let recent = try await store.recentDeliveries(
                tenantId: tenantId,
                endpointId: record.id,
                limit: deliveriesShown
            )
            endpoints.append(Endpoint(record: record, deliveries: recent))
        }
        return endpoints
    }

    func context(_ endpoints: [Endpoint], shown: Secret?) -> [String: Any] {
        let format = PageFormat(locale: settings.locale, settings: settings)
        let yesterday = CalendarDate(now, in: settings.zone).adding(days: -1).description
        return [
            "endpoints": endpoints.map { endpoint($0, format: format, shown: shown) }, "empty": endpoints.isEmpty,
            "csrf": csrf, "yesterday": yesterday,
        ]
    }

    private func endpoint(_ endpoint: Endpoint, format: PageFormat, shown: Secret?) -> [String: Any] {
        let record = endpoint.record
        var out: [String: Any] = [
            "id": record.id, "url": record.url, "events": record.events.joined(separator: ", "),
            "enabled": record.enabled, "deliveries": endpoint.deliveries.map { delivery($0, format: format) },
            "noDeliveries": endpoint.deliveries.isEmpty,
        ]
        if let description = record.description, !description.isEmpty { out["description"] = description }
        if !record.enabled { out["disabledReason"] = record.disabledReason ?? "" }
        if let shown, shown.endpointId == record.id { out["newSecret"] = shown.secret }
        return out
    }

    private func delivery(_ delivery: DeliveryRecord, format: PageFormat) -> [String: Any] {
        [
            "event": delivery.eventType,
            "state": texts["delivery_" + delivery.state.rawValue] ?? delivery.state.rawValue,
            "failed": delivery.state == .failed, "code": delivery.lastStatusCode.map(String.init) ?? "–",
            "attempts": delivery.attempts, "last": delivery.lastAttemptAt.map(format.dateTime) ?? "–",
            "next": delivery.state == .pending ? (delivery.nextAttemptAt.map(format.dateTime) ?? "–") : "–",
        ]
    }
}
