import Testing

@testable import RevisitModel

@Suite("Field validation: inspections and items")
struct FieldValidatorInspectionItemTests {
    let inspectionId: JSONValue = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"
    let sha = String(repeating: "ab", count: 32)

    @Test("inspection fields pass and normalise")
    func inspection() throws {
        let result = try FieldValidator.validate(
            entity: .inspection,
            fields: [
                "vehicleId": "0193A5B2-7C4D-7E8F-9A0B-1C2D3E4F5A6B", "templateId": "standard-car",
                "templateVersion": 1, "odometer": 123_456, "inspectedAt": "2026-03-14T10:30:00.250+01:00",
                "mechanic": "Jo", "state": "in_progress",
            ],
            isCreate: true
        )
        #expect(result["vehicleId"] == "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b")
        #expect(result["state"] == "in_progress")
        #expect(result["odometer"] == .int(123_456))
    }

    @Test("vehicleId is required when an inspection is created, not on update")
    func inspectionRequired() {
        #expect(validationDetail(.inspection, ["state": "draft"], isCreate: true)?.contains("vehicleId") == true)
        #expect(validationDetail(.inspection, ["state": "draft"], isCreate: false) == nil)
        #expect(validationDetail(.inspection, ["vehicleId": .null], isCreate: false)?.contains("null") == true)
    }

    @Test("inspection ranges, formats and enums")
    func inspectionBad() {
        #expect(validationDetail(.inspection, ["odometer": -1])?.contains("inspection.odometer") == true)
        #expect(validationDetail(.inspection, ["odometer": 2_000_001]) != nil)
        #expect(validationDetail(.inspection, ["templateVersion": 0]) != nil)
        #expect(validationDetail(.inspection, ["templateId": ""]) != nil)
        #expect(validationDetail(.inspection, ["state": "done"])?.contains("draft, in_progress") == true)
        #expect(validationDetail(.inspection, ["mechanic": .string(String(repeating: "m", count: 101))]) != nil)
        for good in ["2026-03-14T09:30:00Z", "2026-03-14T09:30:00.1z", "2024-02-29T23:59:59-05:30"] {
            #expect(validationDetail(.inspection, ["inspectedAt": .string(good)]) == nil, "\(good)")
        }
        for bad in [
            "2026-03-14", "2026-03-14T09:30:00", "2026-03-14 09:30:00Z", "2026-02-30T09:30:00Z",
            "2026-03-14T24:00:00Z", "2026-03-14T09:30:00+0100", "2026-03-14T09:30:00.Z", "yesterday",
        ] {
            #expect(validationDetail(.inspection, ["inspectedAt": .string(bad)])?.contains("inspectedAt") == true)
        }
    }

    @Test("item fields pass and normalise")
    func item() throws {
        let result = try FieldValidator.validate(
            entity: .item,
            fields: [
                "inspectionId": inspectionId, "code": "brake_pads_front", "status": "later",
                "measurement": ["value": 3.2, "unit": "mm"], "note": "worn", "remainingKm": 4000.0,
                "estimatedCost": ["amount": 18_900, "currency": "eur"], "dueDate": "2026-09-30",
                "photos": [.string(sha.uppercased()), .string(sha)], "customerDecision": "deferred",
            ],
            isCreate: true
        )
        #expect(result["estimatedCost"] == ["amount": 18_900, "currency": "EUR"])
        #expect(result["photos"] == [.string(sha)])
        #expect(result["remainingKm"] == .int(4000))
        #expect(result["measurement"] == ["value": 3.2, "unit": "mm"])
        #expect(
            try FieldValidator.validate(
                entity: .item,
                fields: ["customerDecision": .null, "photos": .null, "estimatedCost": ["amount": 0]],
                isCreate: false
            ) == ["customerDecision": .null, "photos": [], "estimatedCost": ["amount": 0]]
        )
    }

    @Test("inspectionId and code are required when an item is created")
    func itemRequired() {
        #expect(validationDetail(.item, ["code": "horn"], isCreate: true)?.contains("item.inspectionId") == true)
        #expect(validationDetail(.item, ["inspectionId": inspectionId], isCreate: true)?.contains("item.code") == true)
        #expect(validationDetail(.item, ["status": "ok"], isCreate: false) == nil)
        #expect(validationDetail(.item, ["status": .null])?.contains("may not be null") == true)
    }

    @Test("bad item values are refused naming the field")
    func itemBad() {
        let cases: [(String, JSONValue)] = [
            ("code", "Brake-Pads"), ("code", .string(String(repeating: "a", count: 65))), ("code", ""),
            ("status", "broken"), ("note", .string(String(repeating: "n", count: 2001))),
            ("remainingKm", -5), ("remainingKm", 1_000_001), ("dueDate", "2026-02-30"), ("dueDate", "2026-2-3"),
            ("dueDate", "30.09.2026"), ("photos", ["abc"]), ("photos", .array([.string(sha), 7])),
            ("photos", .array(Array(repeating: .string(sha), count: 51))),
            ("photos", .array([.string(String(repeating: "g", count: 64))])),
            ("measurement", ["value": 3.2, "unit": "mm", "side": "left"]), ("measurement", ["unit": "mm"]),
            ("measurement", ["value": "3.2"]), ("measurement", ["value": 1, "unit": "millimetres of tread"]),
            ("estimatedCost", ["amount": 12.5]), ("estimatedCost", ["amount": -1]),
            ("estimatedCost", ["amount": 100_000_001]), ("estimatedCost", ["amount": 1, "currency": "EURO"]),
            ("estimatedCost", ["amount": 1, "currency": "E1R"]), ("estimatedCost", ["currency": "EUR"]),
            ("estimatedCost", ["amount": 1, "tax": 2]), ("customerDecision", "maybe"),
            ("inspectionId", "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6"),
        ]
        for (field, value) in cases {
            let detail = validationDetail(.item, [field: value])
            #expect(detail?.contains("item.\(field)") == true, "\(field): \(value.jsonString) → \(detail ?? "passed")")
        }
    }

    @Test("a leap day is a real date")
    func leapDay() {
        #expect(validationDetail(.item, ["dueDate": "2028-02-29"]) == nil)
        #expect(validationDetail(.item, ["dueDate": "2100-02-29"]) != nil)
        #expect(validationDetail(.item, ["dueDate": "2000-02-29"]) == nil)
    }
}
