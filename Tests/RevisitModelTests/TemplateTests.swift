import Testing

@testable import RevisitModel

@Suite("Templates")
struct TemplateTests {
    static let contractCodes = [
        "tyre_front_left", "tyre_front_right", "tyre_rear_left", "tyre_rear_right", "brake_pads_front",
        "brake_pads_rear", "brake_discs_front", "brake_discs_rear", "brake_fluid", "lights", "wipers", "windscreen",
        "battery", "coolant", "engine_oil_leaks", "exhaust", "shock_absorbers", "steering_play", "timing_belt",
        "air_conditioning", "horn", "seat_belts",
    ]

    @Test("standard-car holds the 22 Contract codes and passes validation")
    func standardCar() throws {
        let template = BuiltInTemplates.standardCar
        #expect(template.id == "standard-car")
        #expect(template.version == 1)
        for code in Self.contractCodes {
            #expect(template.item(code: code) != nil, "missing \(code)")
        }
        try TemplateValidator.validate(template)
        #expect(BuiltInTemplates.all.map(\.id) == ["standard-car"])
        let categories: Set<String> = [
            "tyres", "brakes", "lights", "fluids", "engine", "chassis", "body", "safety", "electrical", "comfort",
        ]
        #expect(template.items.allSatisfy { categories.contains($0.category) })
    }

    @Test("thresholds suggest a status")
    func thresholds() throws {
        let tyre = try #require(BuiltInTemplates.standardCar.item(code: "tyre_front_left"))
        #expect(tyre.unit == "mm")
        #expect(tyre.suggestedStatus(for: 1.5) == .now)
        #expect(tyre.suggestedStatus(for: 2.5) == .later)
        #expect(tyre.suggestedStatus(for: 3.0) == .ok)
        let fluid = try #require(BuiltInTemplates.standardCar.item(code: "brake_fluid"))
        #expect(fluid.suggestedStatus(for: 3.5) == .now)
        #expect(fluid.suggestedStatus(for: 2.5) == .later)
        #expect(fluid.suggestedStatus(for: 1.0) == .ok)
        #expect(fluid.defaultIntervalDays == 730)
        #expect(BuiltInTemplates.standardCar.item(code: "horn")?.suggestedStatus(for: 1) == nil)
        #expect(BuiltInTemplates.standardCar.item(code: "nope") == nil)
    }

    @Test("the validator refuses broken templates")
    func invalid() {
        let good = TemplateItem(code: "horn", title: "Horn", category: "safety")
        let broken: [Template] = [
            Template(id: "t", version: 1, name: "T", items: []),
            Template(id: "t", version: 1, name: "T", items: [good, good]),
            Template(id: "t", version: 1, name: "T", items: [TemplateItem(code: "Horn", title: "H", category: "c")]),
            Template(id: "t", version: 1, name: "T", items: [TemplateItem(code: "", title: "H", category: "c")]),
            Template(id: "t", version: 1, name: "T", items: [TemplateItem(code: "h", title: "", category: "c")]),
            Template(
                id: "t",
                version: 1,
                name: "T",
                items: [TemplateItem(code: "h", title: "H", category: "c", nowBelow: 5, laterBelow: 3)]
            ),
            Template(id: "t", version: 0, name: "T", items: [good]),
            Template(id: "", version: 1, name: "T", items: [good]),
        ]
        for template in broken {
            #expect(throws: MutationProblem.self) { try TemplateValidator.validate(template) }
        }
    }
}
