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
    public var inspectionId: String
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
