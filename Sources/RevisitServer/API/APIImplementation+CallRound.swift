import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitModel
import RevisitStore

/// The call round's write-back (DESIGN section 6): readings of the odometer and corrections of contact details,
/// on their own or with an outcome.
extension APIImplementation {
    func postOdometerReading(
        _ input: Operations.postOdometerReading.Input
    ) async throws -> Operations.postOdometerReading.Output {
        let principal = try caller(.integration, .admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let reading = OdometerSample(at: body.readAt, km: body.value)
        let followups = try await store.addOdometerReading(
            tenantId: principal.tenantId,
            vehicleId: input.path.id,
            reading: reading
        )
        logger.info(
            "odometer reading",
            metadata: ["vehicle": "\(input.path.id)", "replanned": "\(followups.count)"]
        )
        let json: [String: JSONValue] = [
            "vehicleId": .string(input.path.id.lowercased()),
            "reading": .object(OdometerReading.reported(reading).json),
            "followups": .array(followups.map { .object($0.json) }),
        ]
        return .created(.init(body: .json(try GeneratedModel.make(json))))
    }

    func patchCustomer(_ input: Operations.patchCustomer.Input) async throws -> Operations.patchCustomer.Output {
        let principal = try caller(.integration, .admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let fields = try Self.correction(body)
        let customer = try await store.updateCustomer(tenantId: principal.tenantId, id: input.path.id, fields: fields)
        logger.info(
            "customer corrected",
            metadata: ["customer": "\(customer.id)", "fields": "\(fields.keys.sorted())"]
        )
        return .ok(.init(body: .json(try GeneratedModel.make(customer.json))))
    }

    /// The fields of a correction; an empty one is refused rather than written as a change of nothing.
    static func correction(_ body: Components.Schemas.CustomerCorrection) throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let phone = body.phone { fields["phone"] = .string(phone) }
        if let email = body.email { fields["email"] = .string(email) }
        if let consent = body.contactConsent { fields["contactConsent"] = .bool(consent) }
        guard !fields.isEmpty else {
            throw APIProblem.validation("a correction needs at least one of phone, email, contactConsent")
        }
        return fields
    }
}

/// Cover (DESIGN section 6): the plans that pay for a vehicle's work.
extension APIImplementation {
    func getCoverage(_ input: Operations.getCoverage.Input) async throws -> Operations.getCoverage.Output {
        let principal = try caller(.integration, .admin, .device)
        guard let plans = try await store.coveragePlans(tenantId: principal.tenantId, vehicleId: input.path.id) else {
            throw APIProblem.notFound("vehicle \(input.path.id) does not exist")
        }
        return .ok(.init(body: .json(try GeneratedModel.make(Self.coverageJSON(input.path.id, plans, nil)))))
    }

    func putCoverage(_ input: Operations.putCoverage.Input) async throws -> Operations.putCoverage.Output {
        let principal = try caller(.integration, .admin)
        guard case .json(let body) = input.body else { throw APIProblem.unsupportedMediaType("send JSON") }
        let list = try JSONValue.parse(JSONEncoder().encode(body)).objectValue?["plans"]?.arrayValue ?? []
        guard list.count <= CoverageRule.maximumPlans else {
            throw APIProblem.validation("at most \(CoverageRule.maximumPlans) plans per vehicle")
        }
        var plans: [CoveragePlan] = []
        for (index, value) in list.enumerated() {
            do { plans.append(try CoveragePlan(json: value, index: index)) } catch {
                throw APIProblem.validation(error.detail)
            }
        }
        let changed = try await store.replaceCoveragePlans(
            tenantId: principal.tenantId,
            vehicleId: input.path.id,
            plans: plans
        )
        logger.info("coverage replaced", metadata: ["vehicle": "\(input.path.id)", "changed": "\(changed.count)"])
        return .ok(.init(body: .json(try GeneratedModel.make(Self.coverageJSON(input.path.id, plans, changed)))))
    }

    static func coverageJSON(
        _ vehicleId: String,
        _ plans: [CoveragePlan],
        _ changed: [FollowUpRecord]?
    ) -> [String: JSONValue] {
        var json: [String: JSONValue] = [
            "vehicleId": .string(vehicleId.lowercased()), "plans": .array(plans.map { .object($0.json) }),
        ]
        if let changed { json["followups"] = .array(changed.map { .object($0.json) }) }
        return json
    }

    /// `?coverage=covered|customer`.
    func coverageFilter(_ value: String?) throws -> Bool? {
        switch value {
        case nil: nil
        case "covered": true
        case "customer": false
        case let other?: throw APIProblem.malformed("coverage must be covered or customer; got \"\(other)\"")
        }
    }
}
