import Foundation

extension FieldValidator {
    /// The rules of every writable field of `entity` (DESIGN section 3).
    static func rules(of entity: EntityKind) -> [String: FieldRule] {
        switch entity {
        case .customer: customerRules
        case .vehicle: vehicleRules
        case .inspection: inspectionRules
        case .item: itemRules
        }
    }

    static let customerRules: [String: FieldRule] = [
        "name": .optional { .string(try FieldCheck.string($0, $1, length: 1...200)) },
        "phone": .optional { .string(try FieldCheck.string($0, $1, length: 0...50)) },
        "email": .optional { .string(try FieldCheck.email($0, $1)) },
        "contactConsent": .optional { .bool(try FieldCheck.bool($0, $1)) },
    ]

    static let vehicleRules: [String: FieldRule] = [
        "vin": .optional { .string(try FieldCheck.vin($0, $1)) },
        "plate": .optional { value, path in
            let plate = try FieldCheck.string(value, path, length: 0...Int.max)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return .string(try FieldCheck.length(plate, path, 1...20))
        },
        "make": .optional { .string(try FieldCheck.string($0, $1, length: 0...100)) },
        "model": .optional { .string(try FieldCheck.string($0, $1, length: 0...100)) },
        "year": .optional { .int(try FieldCheck.integer($0, $1, 1886...2100)) },
        "customerId": .optional { .string(try FieldCheck.uuid($0, $1)) },
        "kind": .nonNull { .string(try FieldCheck.enumeration(VehicleKind.self, $0, $1).rawValue) },
    ]

    static let inspectionRules: [String: FieldRule] = [
        "vehicleId": .nonNull { .string(try FieldCheck.uuid($0, $1)) },
        "templateId": .optional { .string(try FieldCheck.string($0, $1, length: 1...100)) },
        "templateVersion": .optional { .int(try FieldCheck.integer($0, $1, 1...Int64(Int32.max))) },
        "odometer": .optional { .int(try FieldCheck.integer($0, $1, 0...2_000_000)) },
        "inspectedAt": .optional { value, path in
            let text = try FieldCheck.string(value, path, length: 1...35)
            guard RFC3339DateTime.isValid(text) else {
                throw MutationProblem.validation(
                    "\(path) must be an RFC 3339 date-time with a time zone, like 2026-03-14T09:30:00Z or "
                        + "2026-03-14T10:30:00.250+01:00; got \(FieldCheck.quoted(text))"
                )
            }
            return .string(text)
        },
        "mechanic": .optional { .string(try FieldCheck.string($0, $1, length: 0...100)) },
        "state": .nonNull { .string(try FieldCheck.enumeration(InspectionState.self, $0, $1).rawValue) },
        "review": .optional { try FieldCheck.review($0, $1) },
    ]

    static let itemRules: [String: FieldRule] = [
        "inspectionId": .nonNull { .string(try FieldCheck.uuid($0, $1)) },
        "code": .nonNull { .string(try FieldCheck.itemCode($0, $1)) },
        "status": .nonNull { .string(try FieldCheck.enumeration(ItemStatus.self, $0, $1).rawValue) },
        "measurement": .optional { try FieldCheck.measurement($0, $1) },
        "note": .optional { .string(try FieldCheck.string($0, $1, length: 0...2000)) },
        "estimatedCost": .optional { try FieldCheck.estimatedCost($0, $1) },
        "remainingKm": .optional { .int(try FieldCheck.integer($0, $1, 0...1_000_000)) },
        "dueDate": .optional { value, path in
            let text = try FieldCheck.string(value, path, length: 0...Int.max)
            guard let date = CalendarDate(text) else {
                throw MutationProblem.validation(
                    "\(path) must be a real calendar date written YYYY-MM-DD; got \(FieldCheck.quoted(text))"
                )
            }
            return .string(date.description)
        },
        "photos": FieldRule(nullable: true, nullValue: .array([])) { try FieldCheck.photos($0, $1) },
        "customerDecision": .optional {
            .string(try FieldCheck.enumeration(CustomerDecision.self, $0, $1).rawValue)
        },
        "declineReason": .optional { .string(try FieldCheck.enumeration(DeclineReason.self, $0, $1).rawValue) },
    ]
}
