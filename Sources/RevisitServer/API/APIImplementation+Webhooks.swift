import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

extension APIImplementation {
    func createWebhookEndpoint(
        _ input: Operations.createWebhookEndpoint.Input
    ) async throws -> Operations.createWebhookEndpoint.Output {
        let principal = try caller(.admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let url = try checkedURL(body.url)
        let events = try checkedEvents(body.events ?? ["*"])
        let secret = StandardWebhooks.generateSecret()
        let record = try await store.createEndpoint(
            tenantId: principal.tenantId,
            url: url,
            events: events,
            description: body.description,
            secret: secret
        )
        logger.info("webhook endpoint created", metadata: ["id": "\(record.id)"])
        return .created(.init(body: .json(try GeneratedModel.make(record.json(withSecret: true)))))
    }

    func listWebhookEndpoints(
        _ input: Operations.listWebhookEndpoints.Input
    ) async throws -> Operations.listWebhookEndpoints.Output {
        let principal = try caller(.admin)
        let page = try await store.endpoints(
            tenantId: principal.tenantId,
            cursor: input.query.cursor,
            limit: try listLimit(input.query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.generated { $0.json(withSecret: false) },
                        nextCursor: nextCursorValue(page.nextCursor)
                    )
                )
            )
        )
    }

    func getWebhookEndpoint(
        _ input: Operations.getWebhookEndpoint.Input
    ) async throws -> Operations.getWebhookEndpoint.Output {
        let principal = try caller(.admin)
        let record = try await endpoint(principal, input.path.id)
        return .ok(.init(body: .json(try GeneratedModel.make(record.json(withSecret: false)))))
    }

    func patchWebhookEndpoint(
        _ input: Operations.patchWebhookEndpoint.Input
    ) async throws -> Operations.patchWebhookEndpoint.Output {
        let principal = try caller(.admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        _ = try await endpoint(principal, input.path.id)
        let record = try await store.updateEndpoint(
            tenantId: principal.tenantId,
            id: input.path.id,
            url: try body.url.map(checkedURL),
            events: try body.events.map(checkedEvents),
            description: body.description,
            enabled: body.enabled
        )
        return .ok(.init(body: .json(try GeneratedModel.make(record.json(withSecret: false)))))
    }

    func deleteWebhookEndpoint(
        _ input: Operations.deleteWebhookEndpoint.Input
    ) async throws -> Operations.deleteWebhookEndpoint.Output {
        let principal = try caller(.admin)
        guard try await store.deleteEndpoint(tenantId: principal.tenantId, id: input.path.id) else {
            throw APIProblem.notFound("webhook endpoint \(input.path.id) does not exist")
        }
        return .noContent(.init())
    }

    func rotateWebhookSecret(
        _ input: Operations.rotateWebhookSecret.Input
    ) async throws -> Operations.rotateWebhookSecret.Output {
        let principal = try caller(.admin)
        let record = try await store.rotateSecret(
            tenantId: principal.tenantId,
            id: input.path.id,
            newSecret: StandardWebhooks.generateSecret()
        )
        logger.info("webhook secret rotated", metadata: ["id": "\(record.id)"])
        return .ok(.init(body: .json(try GeneratedModel.make(record.json(withSecret: true)))))
    }

    func listWebhookDeliveries(
        _ input: Operations.listWebhookDeliveries.Input
    ) async throws -> Operations.listWebhookDeliveries.Output {
        let principal = try caller(.admin)
        _ = try await endpoint(principal, input.path.id)
        let state: DeliveryState? = try choice(input.query.state, "state")
        let page = try await store.deliveries(
            tenantId: principal.tenantId,
            endpointId: input.path.id,
            state: state,
            cursor: input.query.cursor,
            limit: try listLimit(input.query.limit)
        )
        return .ok(
            .init(
                body: .json(
                    .init(
                        data: try page.generated(\.json),
                        nextCursor: nextCursorValue(page.nextCursor)
                    )
                )
            )
        )
    }

    func replayWebhookEndpoint(
        _ input: Operations.replayWebhookEndpoint.Input
    ) async throws -> Operations.replayWebhookEndpoint.Output {
        let principal = try caller(.admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let record = try await endpoint(principal, input.path.id)
        guard record.enabled else { throw APIProblem.validation("the endpoint is disabled: enable it before a replay") }
        guard body.since <= configuration.clock.now() else { throw APIProblem.validation("since is in the future") }
        let queued = try await store.replay(tenantId: principal.tenantId, endpointId: record.id, since: body.since)
        logger.info("webhook replay", metadata: ["id": "\(record.id)", "queued": "\(queued)"])
        return .accepted(.init(body: .json(.init(queued: queued))))
    }

    private func endpoint(_ principal: Principal, _ id: String) async throws -> WebhookEndpointRecord {
        guard let record = try await store.endpoint(tenantId: principal.tenantId, id: id) else {
            throw APIProblem.notFound("webhook endpoint \(id) does not exist")
        }
        return record
    }

    /// http(s) only; an IP literal in a private, loopback or link-local range is refused unless the server runs
    /// with `--allow-private-webhooks` (host names are checked at every attempt, after resolution).
    private func checkedURL(_ url: String) throws -> String {
        guard url.count <= 2000 else { throw APIProblem.validation("url is at most 2000 characters") }
        do {
            _ = try WebhookAddressPolicy.checkURL(url, allowPrivate: configuration.allowPrivateWebhooks)
        } catch let problem as MutationProblem {
            throw APIProblem.validation(problem.detail)
        }
        return url
    }

    private func checkedEvents(_ events: [String]) throws -> [String] {
        let known = Set(EventType.allCases.map(\.rawValue))
        guard !events.isEmpty else { throw APIProblem.validation("events lists at least one type, or \"*\"") }
        for event in events where event != "*" && !known.contains(event) {
            throw APIProblem.validation(
                "unknown event type \"\(event)\": use \"*\" or \(known.sorted().joined(separator: ", "))"
            )
        }
        return Array(Set(events)).sorted()
    }
}

extension WebhookEndpointRecord {
    func json(withSecret: Bool) -> [String: JSONValue] {
        var out: [String: JSONValue] = [
            "id": .string(id), "url": .string(url), "events": .array(events.map(JSONValue.string)),
            "enabled": .bool(enabled), "createdAt": .string(RFC3339DateTime.string(from: createdAt)),
            "updatedAt": .string(RFC3339DateTime.string(from: updatedAt)),
        ]
        if let description { out["description"] = .string(description) }
        if let disabledReason { out["disabledReason"] = .string(disabledReason) }
        if let secretRotatedAt { out["secretRotatedAt"] = .string(RFC3339DateTime.string(from: secretRotatedAt)) }
        if withSecret {
            out["secret"] = .string(secret)
            if let previousSecretExpiresAt {
                out["previousSecretExpiresAt"] = .string(RFC3339DateTime.string(from: previousSecretExpiresAt))
            }
        }
        return out
    }
}

extension DeliveryRecord {
    var json: [String: JSONValue] {
        var out: [String: JSONValue] = [
            "id": .string(id), "eventId": .string(eventId), "eventType": .string(eventType),
            "endpointId": .string(endpointId), "state": .string(state.rawValue), "attempts": .int(Int64(attempts)),
        ]
        if let nextAttemptAt { out["nextAttemptAt"] = .string(RFC3339DateTime.string(from: nextAttemptAt)) }
        if let lastAttemptAt { out["lastAttemptAt"] = .string(RFC3339DateTime.string(from: lastAttemptAt)) }
        if let lastStatusCode { out["lastStatusCode"] = .int(Int64(lastStatusCode)) }
        if let lastDurationMs { out["lastDurationMs"] = .int(Int64(lastDurationMs)) }
        if let lastResponseBody { out["lastResponseBody"] = .string(lastResponseBody) }
        if let lastError { out["lastError"] = .string(lastError) }
        return out
    }
}
