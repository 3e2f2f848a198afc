import Foundation

/// A plan that pays for work on a vehicle (DESIGN section 6, "Cover"): a warranty, a service plan or goodwill, up to
/// a date and optionally a mileage, for some template categories or all (`*`).
public struct CoveragePlan: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case warranty
        case servicePlan = "service_plan"
        case goodwill
    }

    public var kind: Kind
    public var name: String
    public var validUntil: CalendarDate
    public var validUntilKm: Int64?
    public var categories: [String]

    public init(kind: Kind, name: String, validUntil: CalendarDate, validUntilKm: Int64?, categories: [String]) {
        self.kind = kind
        self.name = name
        self.validUntil = validUntil
        self.validUntilKm = validUntilKm
        self.categories = categories
    }

    /// The API's shape of a plan.
    public var json: [String: JSONValue] {
        [
            "kind": .string(kind.rawValue), "name": .string(name), "validUntil": .string(validUntil.description),
            "validUntilKm": validUntilKm.map(JSONValue.int) ?? .null,
            "categories": .array(categories.map(JSONValue.string)),
        ]
    }

    /// What a follow-up shows of the plan that covers it.
    public var coverageJSON: [String: JSONValue] { ["kind": .string(kind.rawValue), "name": .string(name)] }

    /// Reads a plan as `PUT /v1/vehicles/{id}/coverage` takes it; every breach is a 422 naming the plan and field.
    public init(json value: JSONValue, index: Int) throws(MutationProblem) {
        let at = "plans[\(index)]"
        guard let object = value.objectValue else { throw .validation("\(at) must be an object") }
        let known: Set<String> = ["kind", "name", "validUntil", "validUntilKm", "categories"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .validation(
                "\(at).\(unknown) is not a field of a plan: use \(known.sorted().joined(separator: ", "))"
            )
        }
        guard let kindText = object["kind"]?.stringValue, let kind = Kind(rawValue: kindText) else {
            throw .validation("\(at).kind must be one of warranty, service_plan, goodwill")
        }
        guard let name = object["name"]?.stringValue, !name.isEmpty, name.count <= 200 else {
            throw .validation("\(at).name must be a text of 1 to 200 characters")
        }
        guard let until = object["validUntil"]?.stringValue.flatMap(CalendarDate.init) else {
            throw .validation("\(at).validUntil must be a date, YYYY-MM-DD")
        }
        var km: Int64?
        switch object["validUntilKm"] {
        case nil, .null?: km = nil
        case let number?:
            guard let value = number.intValue, value >= 0 else {
                throw .validation("\(at).validUntilKm must be a whole number of kilometres, or null")
            }
            km = value
        }
        guard let list = object["categories"]?.arrayValue, !list.isEmpty,
            case let categories = list.compactMap(\.stringValue), categories.count == list.count,
            categories.allSatisfy({ !$0.isEmpty && $0.count <= 100 })
        else {
            throw .validation("\(at).categories must list template categories, or [\"*\"] for all")
        }
        self.init(kind: kind, name: name, validUntil: until, validUntilKm: km, categories: categories)
    }
}

/// Which plan pays for a follow-up (DESIGN section 6): the first that still covers it when it falls due.
public enum CoverageRule {
    /// At most this many plans per vehicle: a warranty, a plan or two, some goodwill.
    public static let maximumPlans = 20

    /// The first plan listing the item's category (or `*`) whose `validUntil` is on or after the due date and whose
    /// `validUntilKm`, if any, is not below the odometer estimated for that day (an unknown odometer is not covered
    /// by a plan with a mileage limit: a plan is only promised when it is known to hold).
    public static func cover(
        category: String?,
        dueDate: CalendarDate,
        odometerAtDue: Int64?,
        plans: [CoveragePlan]
    ) -> CoveragePlan? {
        plans.first { plan in
            let listed = plan.categories.contains("*") || category.map(plan.categories.contains) == true
            guard listed, dueDate <= plan.validUntil else { return false }
            guard let limit = plan.validUntilKm else { return true }
            guard let odometerAtDue else { return false }
            return odometerAtDue <= limit
        }
    }

    /// The odometer expected on `day`: the latest trusted reading moved on at the vehicle's km/day (else the tenant's).
    public static func odometer(on day: CalendarDate, readings: [OdometerSample], settings: TenantSettings) -> Int64? {
        guard let anchor = KmPerDayEstimator.trusted(readings).last?.sample else { return nil }
        let rate = KmPerDayEstimator.estimate(readings)?.kmPerDay ?? settings.kmPerDay
        let days = Double(day.daysSinceEpoch - CalendarDate(anchor.at, in: settings.zone).daysSinceEpoch)
        guard rate.isFinite, rate > 0, days > 0 else { return anchor.km }
        let ahead = (rate * days).rounded()
        guard ahead < 1e12 else { return nil }
        return anchor.km + Int64(ahead)
    }
}
