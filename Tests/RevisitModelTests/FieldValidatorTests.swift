import Testing

@testable import RevisitModel

/// Runs the validator and returns the problem's detail, or nil when the fields pass.
func validationDetail(
    _ entity: EntityKind,
    _ fields: [String: JSONValue],
    isCreate: Bool = false
) -> String? {
    do {
        _ = try FieldValidator.validate(entity: entity, fields: fields, isCreate: isCreate)
        return nil
    } catch let problem as MutationProblem {
        #expect(problem.type == "validation")
        #expect(problem.status == 422)
        return problem.detail
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("Field validation: shared rules, customers and vehicles")
struct FieldValidatorTests {
    @Test("writable fields per entity")
    func writableFields() {
        #expect(FieldValidator.writableFields(of: .customer) == ["name", "phone", "email", "contactConsent"])
        #expect(
            FieldValidator.writableFields(of: .vehicle)
                == ["vin", "plate", "make", "model", "year", "customerId", "kind"]
        )
        #expect(
            FieldValidator.writableFields(of: .inspection)
                == [
                    "vehicleId", "templateId", "templateVersion", "odometer", "inspectedAt", "mechanic", "state",
                    "review",
                ]
        )
        #expect(
            FieldValidator.writableFields(of: .item)
                == [
                    "inspectionId", "code", "status", "measurement", "note", "estimatedCost", "remainingKm",
                    "dueDate", "photos", "customerDecision", "declineReason",
                ]
        )
    }

    @Test("an unknown field is refused by name")
    func unknownField() {
        let detail = validationDetail(.customer, ["name": "Ada", "colour": "red"])
        #expect(detail?.contains("customer.colour") == true)
        #expect(validationDetail(.item, ["id": "x"])?.contains("item.id") == true)
    }

    @Test("wrong JSON types are refused naming the field")
    func wrongTypes() {
        #expect(validationDetail(.customer, ["name": 42])?.contains("customer.name must be a string") == true)
        #expect(validationDetail(.customer, ["contactConsent": "yes"])?.contains("customer.contactConsent") == true)
        #expect(validationDetail(.vehicle, ["year": "2019"])?.contains("vehicle.year") == true)
        #expect(validationDetail(.item, ["photos": "abc"])?.contains("item.photos") == true)
        #expect(validationDetail(.item, ["measurement": 3.2])?.contains("item.measurement") == true)
    }

    @Test("customer fields")
    func customer() throws {
        let fields: [String: JSONValue] = [
            "name": "Ada Lovelace", "phone": "+44 20 7946 0000", "email": "ada@example.com", "contactConsent": true,
        ]
        #expect(try FieldValidator.validate(entity: .customer, fields: fields, isCreate: true) == fields)
        #expect(
            try FieldValidator.validate(entity: .customer, fields: ["email": .null], isCreate: false) == [
                "email": .null
            ]
        )
        #expect(validationDetail(.customer, ["name": ""]) != nil)
        #expect(validationDetail(.customer, ["name": .string(String(repeating: "a", count: 201))]) != nil)
        #expect(validationDetail(.customer, ["name": .string(String(repeating: "é", count: 200))]) == nil)
        #expect(validationDetail(.customer, ["phone": .string(String(repeating: "1", count: 51))]) != nil)
        for bad in ["ada", "@example.com", "ada@", "a@b@c"] {
            #expect(validationDetail(.customer, ["email": .string(bad)])?.contains("customer.email") == true)
        }
        #expect(validationDetail(.customer, ["name": "A\u{0}B"])?.contains("NUL") == true)
    }

    @Test("vehicle fields are checked and normalised")
    func vehicle() throws {
        let result = try FieldValidator.validate(
            entity: .vehicle,
            fields: [
                "vin": "wvwzzz1jzxw000001", "plate": "  B-AB 123 ", "make": "VW", "model": "Golf", "year": 2019.0,
                "customerId": "0193A5B2-7C4D-7E8F-9A0B-1C2D3E4F5A6B", "kind": "pdi",
            ],
            isCreate: true
        )
        #expect(result["vin"] == "WVWZZZ1JZXW000001")
        #expect(result["plate"] == "B-AB 123")
        #expect(result["year"] == .int(2019))
        #expect(result["customerId"] == "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b")
        #expect(result["kind"] == "pdi")
        #expect(try FieldValidator.validate(entity: .vehicle, fields: [:], isCreate: true).isEmpty)
        #expect(
            try FieldValidator.validate(entity: .vehicle, fields: ["customerId": .null], isCreate: false)
                == ["customerId": .null]
        )
    }

    @Test(
        "VINs with I, O or Q, or of the wrong length, are refused",
        arguments: [
            "WVWZZZ1JZXW00000I", "WVWZZZ1JZXW00000O", "WVWZZZ1JZXW00000Q", "wvwzzz1jzxw00000q", "WVWZZZ1JZXW00001",
            "WVWZZZ1JZXW0000012", "WVWZZZ1JZXW0000-1", "",
        ]
    )
    func badVIN(vin: String) {
        #expect(validationDetail(.vehicle, ["vin": .string(vin)])?.contains("vehicle.vin") == true)
    }

    @Test("vehicle ranges and enums")
    func vehicleRanges() {
        #expect(validationDetail(.vehicle, ["year": 1885])?.contains("vehicle.year") == true)
        #expect(validationDetail(.vehicle, ["year": 2101])?.contains("vehicle.year") == true)
        #expect(validationDetail(.vehicle, ["year": 2019.5])?.contains("whole number") == true)
        #expect(validationDetail(.vehicle, ["year": 1886]) == nil)
        #expect(validationDetail(.vehicle, ["plate": "   "])?.contains("vehicle.plate") == true)
        #expect(validationDetail(.vehicle, ["plate": .string(String(repeating: "X", count: 21))]) != nil)
        #expect(validationDetail(.vehicle, ["kind": "fleet"])?.contains("customer, internal, pdi") == true)
        #expect(validationDetail(.vehicle, ["kind": .null])?.contains("may not be null") == true)
        #expect(validationDetail(.vehicle, ["customerId": "not-a-uuid"])?.contains("vehicle.customerId") == true)
        #expect(validationDetail(.vehicle, ["make": .string(String(repeating: "m", count: 101))]) != nil)
    }
}
