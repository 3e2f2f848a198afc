/// One checklist item of a ``Template`` (DESIGN section 3).
///
/// Thresholds suggest a status from a measurement; a tablet shows the suggestion, the mechanic decides. Most
/// measurements get worse as they fall (tyre tread, pad thickness), some as they rise (water in the brake fluid),
/// hence the two pairs.
public struct TemplateItem: Sendable, Hashable, Codable {
    /// The item's code, unique in its template: `[a-z0-9_]{1,64}`.
    public var code: String
    /// What the mechanic sees.
    public var title: String
    /// The group it is listed under (tyres, brakes, lights, …).
    public var category: String
    /// The unit of its measurement, if it has one (`mm`, `%`, `°C`).
    public var unit: String?
    /// A measurement below this suggests `now`.
    public var nowBelow: Double?
    /// A measurement below this (and not below ``nowBelow``) suggests `later`.
    public var laterBelow: Double?
    /// A measurement above this suggests `now`, for measurements where higher is worse.
    public var nowAbove: Double?
    /// A measurement above this (and not above ``nowAbove``) suggests `later`.
    public var laterAbove: Double?
    /// When a `later` finding without a due date or remaining kilometres falls due, in days after the
    /// inspection (DESIGN section 6); without it the server's default applies.
    public var defaultIntervalDays: Int?

    public init(
        code: String,
        title: String,
        category: String,
        unit: String? = nil,
        nowBelow: Double? = nil,
        laterBelow: Double? = nil,
        nowAbove: Double? = nil,
        laterAbove: Double? = nil,
        defaultIntervalDays: Int? = nil
    ) {
        self.code = code
        self.title = title
        self.category = category
        self.unit = unit
        self.nowBelow = nowBelow
        self.laterBelow = laterBelow
        self.nowAbove = nowAbove
        self.laterAbove = laterAbove
        self.defaultIntervalDays = defaultIntervalDays
    }

    /// Whether the item has any threshold, so that a measurement suggests a status.
    public var hasThresholds: Bool {
        nowBelow != nil || laterBelow != nil || nowAbove != nil || laterAbove != nil
    }

    /// The status a measurement suggests: `now` or `later` past a threshold, `ok` otherwise, and nil for an
    /// item without thresholds.
    public func suggestedStatus(for measurement: Double) -> ItemStatus? {
        guard hasThresholds else { return nil }
        if let nowBelow, measurement < nowBelow { return .now }
        if let nowAbove, measurement > nowAbove { return .now }
        if let laterBelow, measurement < laterBelow { return .later }
        if let laterAbove, measurement > laterAbove { return .later }
        return .ok
    }
}
