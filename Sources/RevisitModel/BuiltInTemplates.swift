/// The templates that ship with the server.
public enum BuiltInTemplates {
    /// The general car checklist, `standard-car` version 1, with the 22 item codes of DESIGN section 3
    /// (Contract).
    ///
    /// Thresholds follow common workshop practice: tyre tread 1.6 mm is the legal minimum in the EU, 3 mm the
    /// usual advice to replace; brake pads under 3 mm need replacing now, under 5 mm soon; brake fluid with over
    /// 3% water boils too easily (2% is the usual warning); coolant that protects only down to −15 °C or less needs
    /// attention now, −25 °C soon; a battery tester's state of health under 50% means replace now. Disc
    /// thickness limits are vehicle-specific, so discs carry a unit but no threshold.
    public static let standardCar = Template(
        id: "standard-car",
        version: 1,
        name: "Standard car inspection",
        items: [
            tyre("tyre_front_left", "Tyre front left"),
            tyre("tyre_front_right", "Tyre front right"),
            tyre("tyre_rear_left", "Tyre rear left"),
            tyre("tyre_rear_right", "Tyre rear right"),
            TemplateItem(
                code: "brake_pads_front",
                title: "Brake pads front",
                category: "brakes",
                unit: "mm",
                nowBelow: 3,
                laterBelow: 5
            ),
            TemplateItem(
                code: "brake_pads_rear",
                title: "Brake pads rear",
                category: "brakes",
                unit: "mm",
                nowBelow: 3,
                laterBelow: 5
            ),
            TemplateItem(code: "brake_discs_front", title: "Brake discs front", category: "brakes", unit: "mm"),
            TemplateItem(code: "brake_discs_rear", title: "Brake discs rear", category: "brakes", unit: "mm"),
            TemplateItem(
                code: "brake_fluid",
                title: "Brake fluid (water content)",
                category: "fluids",
                unit: "%",
                nowAbove: 3,
                laterAbove: 2,
                defaultIntervalDays: 730
            ),
            TemplateItem(code: "lights", title: "Lights and indicators", category: "lights"),
            TemplateItem(code: "wipers", title: "Wiper blades", category: "body", defaultIntervalDays: 365),
            TemplateItem(code: "windscreen", title: "Windscreen", category: "body"),
            TemplateItem(
                code: "battery",
                title: "Battery (state of health)",
                category: "electrical",
                unit: "%",
                nowBelow: 50,
                laterBelow: 70,
                defaultIntervalDays: 365
            ),
            TemplateItem(
                code: "coolant",
                title: "Coolant (freeze protection)",
                category: "fluids",
                unit: "°C",
                nowAbove: -15,
                laterAbove: -25
            ),
            TemplateItem(code: "engine_oil_leaks", title: "Engine oil leaks", category: "engine"),
            TemplateItem(code: "exhaust", title: "Exhaust system", category: "engine"),
            TemplateItem(code: "shock_absorbers", title: "Shock absorbers", category: "chassis"),
            TemplateItem(code: "steering_play", title: "Steering play", category: "chassis"),
            TemplateItem(code: "timing_belt", title: "Timing belt", category: "engine", defaultIntervalDays: 365),
            TemplateItem(
                code: "air_conditioning",
                title: "Air conditioning",
                category: "comfort",
                defaultIntervalDays: 730
            ),
            TemplateItem(code: "horn", title: "Horn", category: "safety"),
            TemplateItem(code: "seat_belts", title: "Seat belts", category: "safety"),
        ]
    )

    /// Every built-in template.
    public static let all: [Template] = [standardCar]

    /// A tyre: tread depth in mm, 1.6 the legal minimum, 3.0 the advice to replace.
    private static func tyre(_ code: String, _ title: String) -> TemplateItem {
        TemplateItem(code: code, title: title, category: "tyres", unit: "mm", nowBelow: 1.6, laterBelow: 3.0)
    }
}
