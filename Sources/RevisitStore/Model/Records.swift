import Foundation
import RevisitModel

/// A synced row as the read API shows it.
public struct RowRecord: Sendable {
    public var entity: EntityKind
    public var id: String
    public var version: Int64
    public var deleted: Bool
    public var fields: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date

    /// The fields with `id` and `version`, the shape of `GET /v1/inspections/{id}` and its siblings.
    public var json: [String: JSONValue] { InspectionJSON.withIdentity((id, version, fields)) }
}

public struct InspectionDetail: Sendable {
    public var inspection: RowRecord
    public var items: [RowRecord]
}

/// A reading taken from an inspection: the raw material of a vehicle's km/day estimate.
public struct OdometerReading: Sendable, Hashable {
    public var odometer: Int64
    public var at: Date
    public var source: OdometerSource
    /// The inspection it was taken at (`source` `inspection`).
    public var inspectionId: String?
    /// The follow-up whose outcome reported it (`source` `crm`, from a call).
    public var followupId: String?

    public var sample: OdometerSample { OdometerSample(at: at, km: odometer) }

    init(odometer: Int64, at: Date, source: OdometerSource, inspectionId: String? = nil, followupId: String? = nil) {
        self.odometer = odometer
        self.at = at
        self.source = source
        self.inspectionId = inspectionId
        self.followupId = followupId
    }

    /// A reading the CRM reported now.
    public static func reported(_ sample: OdometerSample, followupId: String? = nil) -> OdometerReading {
        OdometerReading(odometer: sample.km, at: sample.at, source: .crm, followupId: followupId)
    }

    /// A reported reading as both stores keep it: seconds since 1970 and the source's name.
    init(stored value: Int64, readAt: Double, source: String, followupId: String?) {
        self.init(
            odometer: value,
            at: Date(timeIntervalSince1970: readAt),
            source: OdometerSource(rawValue: source) ?? .crm,
            followupId: followupId
        )
    }

    /// The API's shape of a reading.
    public var json: [String: JSONValue] {
        var out: [String: JSONValue] = [
            "odometer": .int(odometer), "at": .string(RFC3339DateTime.string(from: at)),
            "source": .string(source.rawValue),
        ]
        if let inspectionId { out["inspectionId"] = .string(inspectionId) }
        if let followupId { out["followupId"] = .string(followupId) }
        return out
    }
}

/// Where an odometer reading came from (DESIGN section 6): an inspection, or the customer's dashboard reading that
/// the CRM reported.
public enum OdometerSource: String, Sendable, Hashable {
    case inspection
    case crm
}

public struct VehicleDetail: Sendable {
    public var vehicle: RowRecord
    public var inspections: [RowRecord]
    public var odometerReadings: [OdometerReading]
}

public struct TokenRecord: Sendable {
    public var id: String
    public var tenantSlug: String
    public var role: Role
    public var name: String?
    public var createdAt: Date
    public var revokedAt: Date?
    public var lastUsedAt: Date?
}

public struct AttachmentRecord: Sendable {
    public var sha256: String
    public var contentType: String
    public var size: Int64
    public var createdAt: Date

    public init(sha256: String, contentType: String, size: Int64, createdAt: Date) {
        self.sha256 = sha256
        self.contentType = contentType
        self.size = size
        self.createdAt = createdAt
    }
}
