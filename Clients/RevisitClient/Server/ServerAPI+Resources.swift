import Foundation
import HTTPTypes
import OpenAPIRuntime
import RevisitModel

extension ServerAPI {
    /// The latest version of every template the tenant has (built-in ones included), all pages.
    func templates() async throws -> [Template] {
        var cursor: String?
        var templates: [Template] = []
        repeat {
            let output = try await call { [cursor] in
                try await client.listTemplates(query: .init(cursor: cursor, limit: 100))
            }
            switch output {
            case .ok(let ok):
                let page = try ok.body.json
                templates += page.data.map(Template.init)
                cursor = page.nextCursor.value as? String
            case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
            case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
            case .badRequest(let answer):
                throw ServerFailure.failed(
                    status: 400,
                    problem: try? MutationProblem(answer.body.application_problem_plus_json)
                )
            case .serviceUnavailable(let answer):
                throw Self.unavailable(
                    answer.headers.Retry_hyphen_After,
                    try? answer.body.application_problem_plus_json
                )
            case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
            }
        } while cursor != nil
        return templates
    }

    /// One version of a template; nil when the server has no such version.
    func template(id: String, version: Int) async throws -> Template? {
        let output = try await call {
            try await client.getTemplate(path: .init(id: id), query: .init(version: version))
        }
        switch output {
        case .ok(let ok): return Template(try ok.body.json)
        case .notFound: return nil
        case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
        case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
        case .badRequest(let answer):
            throw ServerFailure.failed(
                status: 400,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .serviceUnavailable(let answer):
            throw Self.unavailable(answer.headers.Retry_hyphen_After, try? answer.body.application_problem_plus_json)
        case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
        }
    }

    /// Every open conflict of the tenant, all pages.
    func openConflicts() async throws -> [Conflict] {
        var cursor: String?
        var conflicts: [Conflict] = []
        repeat {
            let output = try await call { [cursor] in
                try await client.listConflicts(query: .init(resolved: false, cursor: cursor, limit: 1000))
            }
            switch output {
            case .ok(let ok):
                let page = try ok.body.json
                conflicts += page.data.map(Conflict.init)
                cursor = page.nextCursor.value as? String
            case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
            case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
            case .badRequest(let answer):
                throw ServerFailure.failed(
                    status: 400,
                    problem: try? MutationProblem(answer.body.application_problem_plus_json)
                )
            case .serviceUnavailable(let answer):
                throw Self.unavailable(
                    answer.headers.Retry_hyphen_After,
                    try? answer.body.application_problem_plus_json
                )
            case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
            }
        } while cursor != nil
        return conflicts
    }

    /// Whether the server has the attachment (HEAD).
    func hasAttachment(sha256: String) async throws -> Bool {
        let output = try await call { try await client.headAttachment(path: .init(sha256: sha256)) }
        switch output {
        case .ok: return true
        case .notFound: return false
        case .unauthorized: throw ServerFailure.refused(status: 401, detail: "")
        case .forbidden: throw ServerFailure.refused(status: 403, detail: "")
        case .serviceUnavailable(let answer):
            throw ServerFailure.transient(
                status: 503,
                retryAfter: .seconds(answer.headers.Retry_hyphen_After),
                detail: ""
            )
        case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
        }
    }

    /// Uploads an attachment (PUT); true when the server stored it now (201), false when it had it (200).
    @discardableResult
    func upload(_ attachment: StoredAttachment) async throws -> Bool {
        let body = HTTPBody(attachment.bytes)
        let input: Operations.putAttachment.Input.Body =
            switch attachment.contentType {
            case "image/png": .png(body)
            case "image/heic": .image_heic(body)
            case "image/webp": .image_webp(body)
            case "video/mp4": .video_mp4(body)
            case "video/quicktime": .video_quicktime(body)
            default: .jpeg(body)
            }
        let output = try await call {
            try await client.putAttachment(path: .init(sha256: attachment.sha256), body: input)
        }
        switch output {
        case .created: return true
        case .ok: return false
        case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
        case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
        case .contentTooLarge(let answer):
            throw ServerFailure.tooLarge((try? answer.body.application_problem_plus_json.detail) ?? "photo too large")
        case .badRequest(let answer):
            throw ServerFailure.failed(
                status: 400,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .unsupportedMediaType(let answer):
            throw ServerFailure.failed(
                status: 415,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .unprocessableContent(let answer):
            throw ServerFailure.failed(
                status: 422,
                problem: try? MutationProblem(answer.body.application_problem_plus_json)
            )
        case .serviceUnavailable(let answer):
            throw Self.unavailable(answer.headers.Retry_hyphen_After, try? answer.body.application_problem_plus_json)
        case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
        }
    }
}

extension Template {
    init(_ template: Components.Schemas.Template) {
        self.init(
            id: template.id,
            version: template.version,
            name: template.name,
            items: template.items.map { item in
                TemplateItem(
                    code: item.code,
                    title: item.title,
                    category: item.category,
                    unit: item.unit,
                    nowBelow: item.nowBelow,
                    laterBelow: item.laterBelow,
                    nowAbove: item.nowAbove,
                    laterAbove: item.laterAbove,
                    defaultIntervalDays: item.defaultIntervalDays
                )
            }
        )
    }
}

extension ServerAPI {
    /// The plans that pay for a vehicle's work; nil when the server has no such vehicle (not synced yet).
    func coveragePlans(vehicleId: String) async throws -> [CoveragePlan]? {
        let output = try await call { try await client.getCoverage(path: .init(id: vehicleId)) }
        switch output {
        case .ok(let ok):
            return try ok.body.json.plans.compactMap { plan in
                guard let kind = CoveragePlan.Kind(rawValue: plan.kind), let until = CalendarDate(plan.validUntil)
                else { return nil }
                return CoveragePlan(
                    kind: kind,
                    name: plan.name,
                    validUntil: until,
                    validUntilKm: plan.validUntilKm,
                    categories: plan.categories
                )
            }
        case .notFound: return nil
        case .unauthorized(let answer): throw Self.refused(401, try? answer.body.application_problem_plus_json)
        case .forbidden(let answer): throw Self.refused(403, try? answer.body.application_problem_plus_json)
        case .serviceUnavailable(let answer):
            throw Self.unavailable(answer.headers.Retry_hyphen_After, try? answer.body.application_problem_plus_json)
        case .undocumented(let status, let payload): throw Self.undocumented(status, payload)
        }
    }
}
