import Foundation
import RevisitModel

/// A follow-up as the API and the webhooks show it (DESIGN section 6), with the snapshots of vehicle and customer
/// taken when it was made, so that a CRM can act on one webhook alone.
public struct FollowUpRecord: Sendable {
    public var id: String
    public var itemId: String
    public var inspectionId: String
    public var vehicleId: String
    public var code: String
    public var title: String
    public var state: FollowUpState
    public var dueDate: String
    public var releaseAt: Date
    public var safetyCritical: Bool
    public var estimatedCost: JSONValue?
    public var outcome: [String: JSONValue]?
    public var version: Int64
    public var vehicle: [String: JSONValue]
    public var customer: [String: JSONValue]?
    public var dueSource: String
    /// The odometer at which a kilometre-based follow-up falls due (the inspection's odometer plus the item's
    /// remaining kilometres): what a later reading re-plans it from. nil for other due dates.
    public var dueOdometer: Int64?
    /// The reading the due date was last worked out from, when a reading re-planned it (`dueSource`
    /// `km_reading`).
    public var dueReading: [String: JSONValue]?
    public var leadDays: Int
    /// The template category of its item, which a plan's `categories` name.
    public var category: String?
    /// The plan that pays for it (`{kind, name}`), nil when the customer does (DESIGN section 6, "Cover").
    public var coverage: [String: JSONValue]?
    public var timeZone: String
    public var createdAt: Date
    public var updatedAt: Date
    public var releasedAt: Date?

    /// The API's shape; `releaseAt` carries the tenant's offset.
    public var json: [String: JSONValue] {
        var out: [String: JSONValue] = [
            "id": .string(id), "itemId": .string(itemId), "inspectionId": .string(inspectionId),
            "vehicleId": .string(vehicleId), "code": .string(code), "title": .string(title),
            "state": .string(state.rawValue), "dueDate": .string(dueDate),
            "releaseAt": .string(Self.offsetString(releaseAt, timeZone: timeZone)),
            "safetyCritical": .bool(safetyCritical), "version": .int(version), "vehicle": .object(vehicle),
            "dueSource": .string(dueSource), "leadDays": .int(Int64(leadDays)),
            "coverage": coverage.map(JSONValue.object) ?? .null,
            "createdAt": .string(RFC3339DateTime.string(from: createdAt)),
            "updatedAt": .string(RFC3339DateTime.string(from: updatedAt)),
        ]
        if let estimatedCost { out["estimatedCost"] = estimatedCost }
        if let outcome { out["outcome"] = .object(outcome) }
        if let customer { out["customer"] = .object(customer) }
        if let dueOdometer { out["dueOdometer"] = .int(dueOdometer) }
        if let dueReading { out["dueReading"] = .object(dueReading) }
        return out
    }

    /// What the report sums, kept in columns of their own so a report over years reads no JSON: the estimated
    /// amount (minor units, 0 without one), whether a plan covers it, and the outcome's reason.
    var reportAmount: Int64 { estimatedCost?.objectValue?["amount"]?.intValue ?? 0 }
    var isCovered: Bool { coverage != nil }
    var outcomeReason: String? { outcome?["reason"]?.stringValue }

    /// The stored form: the API shape plus what only the store needs.
    var storageJSON: JSONValue {
        var out = json
        out["timeZone"] = .string(timeZone)
        if let category { out["category"] = .string(category) }
        out["releaseAtEpoch"] = .double(releaseAt.timeIntervalSince1970)
        if let releasedAt { out["releasedAt"] = .double(releasedAt.timeIntervalSince1970) }
        out["createdAtEpoch"] = .double(createdAt.timeIntervalSince1970)
        out["updatedAtEpoch"] = .double(updatedAt.timeIntervalSince1970)
        return .object(out)
    }

    /// A follow-up as both stores keep it: the text of ``storageJSON``.
    init(storedText text: String) throws {
        try self.init(storage: JSONValue.parse(Data(text.utf8)))
    }

    init(storage: JSONValue) throws {
        guard let o = storage.objectValue, let id = o["id"]?.stringValue,
            let state = o["state"]?.stringValue.flatMap(FollowUpState.init(rawValue:))
        else { throw StoreError.malformed("a stored follow-up is unreadable") }
        self.id = id
        itemId = o["itemId"]?.stringValue ?? ""
        inspectionId = o["inspectionId"]?.stringValue ?? ""
        vehicleId = o["vehicleId"]?.stringValue ?? ""
        code = o["code"]?.stringValue ?? ""
        title = o["title"]?.stringValue ?? ""
        self.state = state
        dueDate = o["dueDate"]?.stringValue ?? ""
        releaseAt = Date(timeIntervalSince1970: o["releaseAtEpoch"]?.doubleValue ?? 0)
        safetyCritical = o["safetyCritical"]?.boolValue ?? false
        estimatedCost = o["estimatedCost"]
        outcome = o["outcome"]?.objectValue
        version = o["version"]?.intValue ?? 1
        vehicle = o["vehicle"]?.objectValue ?? [:]
        customer = o["customer"]?.objectValue
        dueSource = o["dueSource"]?.stringValue ?? ""
        dueOdometer = o["dueOdometer"]?.intValue
        dueReading = o["dueReading"]?.objectValue
        leadDays = Int(o["leadDays"]?.intValue ?? 0)
        category = o["category"]?.stringValue
        coverage = o["coverage"]?.objectValue
        timeZone = o["timeZone"]?.stringValue ?? "UTC"
        createdAt = Date(timeIntervalSince1970: o["createdAtEpoch"]?.doubleValue ?? 0)
        updatedAt = Date(timeIntervalSince1970: o["updatedAtEpoch"]?.doubleValue ?? 0)
        releasedAt = o["releasedAt"]?.doubleValue.map(Date.init(timeIntervalSince1970:))
    }

    init(
        id: String,
        itemId: String,
        inspectionId: String,
        vehicleId: String,
        code: String,
        title: String,
        plan: FollowUpPlan,
        dueSource: String,
        dueOdometer: Int64?,
        category: String?,
        estimatedCost: JSONValue?,
        vehicle: [String: JSONValue],
        customer: [String: JSONValue]?,
        timeZone: String,
        now: Date
    ) {
        self.id = id
        self.itemId = itemId
        self.inspectionId = inspectionId
        self.vehicleId = vehicleId
        self.code = code
        self.title = title
        state = .scheduled
        dueDate = plan.dueDate.description
        releaseAt = plan.releaseAt
        safetyCritical = plan.safetyCritical
        self.estimatedCost = estimatedCost
        version = 1
        self.vehicle = vehicle
        self.customer = customer
        self.dueSource = dueSource
        self.dueOdometer = dueOdometer
        self.category = category
        leadDays = plan.leadDays
        self.timeZone = timeZone
        createdAt = now
        updatedAt = now
    }

    /// RFC 3339 in a time zone, with its offset (`2026-03-02T08:00:00+01:00`).
    static func offsetString(_ date: Date, timeZone: String) -> String {
        let zone = TimeZone(identifier: timeZone) ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d",
            c.year ?? 0,
            c.month ?? 0,
            c.day ?? 0,
            c.hour ?? 0,
            c.minute ?? 0,
            c.second ?? 0,
            sign,
            hours,
            minutes
        )
    }
}

/// An event of the outbox (DESIGN section 7): the exact bytes every attempt sends.
public struct EventRecord: Sendable {
    public var id: String
    public var position: Int64
    public var type: String
    public var timestamp: Date
    public var body: [UInt8]

    /// `{"id", "type", "timestamp", "data"}` for `GET /v1/events`.
    public var feedJSON: [String: JSONValue] {
        var object = (try? JSONValue.parse(Data(body)).objectValue) ?? [:]
        object["id"] = .string(id)
        return object
    }
}

public struct EventPage: Sendable {
    public var events: [EventRecord]
    public var cursor: String
    public var hasMore: Bool
}
