import Foundation
import RevisitModel
import RevisitStore

/// What `console-inspections.mustache` shows: the completed inspections waiting for their customer, each with its
/// newest review link (made, opened, expiring) and a button that makes one.
struct ConsoleReviews {
    /// A link just made: its URL is shown this once.
    struct MadeLink {
        var inspectionId: String
        var url: String
    }

    struct Waiting {
        var inspection: RowRecord
        var vehicle: RowRecord?
        var link: ReviewLinkRecord?
    }

    /// At most this many completed inspections on the page, newest first.
    static let maximumRows = 200

    let settings: TenantSettings
    let texts: [String: String]
    let csrf: String
    let now: Date

    /// Reads the completed inspections with their vehicles and newest links.
    static func waiting(store: any SyncStore, tenantId: Int64) async throws -> [Waiting] {
        let page = try await store.inspections(
            tenantId: tenantId,
            vehicleId: nil,
            state: InspectionState.completed.rawValue,
            cursor: nil,
            limit: maximumRows
        )
        var rows: [Waiting] = []
        for inspection in page.items {
            var vehicle: RowRecord?
            if let id = inspection.fields["vehicleId"]?.stringValue {
                vehicle = try await store.vehicle(tenantId: tenantId, id: id)?.vehicle
            }
            let links = try await store.reviewLinks(tenantId: tenantId, inspectionId: inspection.id) ?? []
            rows.append(Waiting(inspection: inspection, vehicle: vehicle, link: links.first))
        }
        return rows
    }

    func context(_ rows: [Waiting], made: MadeLink?) -> [String: Any] {
        let format = PageFormat(locale: settings.locale, settings: settings)
        return [
            "rows": rows.map { row($0, format: format, made: made) }, "empty": rows.isEmpty, "csrf": csrf,
        ]
    }

    private func row(_ waiting: Waiting, format: PageFormat, made: MadeLink?) -> [String: Any] {
        func text(_ value: JSONValue?) -> String? { value?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        let fields = waiting.inspection.fields
        let car = [text(waiting.vehicle?.fields["plate"]), text(waiting.vehicle?.fields["make"])]
            .compactMap { $0 }.joined(separator: " · ")
        var row: [String: Any] = [
            "id": waiting.inspection.id, "car": car.isEmpty ? "–" : car,
            "inspectedAt": text(fields["inspectedAt"]).flatMap(RFC3339DateTime.date(from:)).map(format.dateTime) ?? "–",
            "mechanic": text(fields["mechanic"]) ?? "–",
        ]
        if let link = waiting.link {
            let state: String
            if link.revokedAt != nil {
                state = texts["consoleLinkRevoked"] ?? ""
            } else if link.expiresAt <= now {
                state = texts["consoleLinkExpired"] ?? ""
            } else if let opened = link.openedAt {
                state = (texts["consoleLinkOpened"] ?? "") + " " + format.dateTime(opened)
            } else {
                state = texts["consoleLinkNotOpened"] ?? ""
            }
            row["link"] = [
                "made": format.dateTime(link.createdAt), "expires": format.dateTime(link.expiresAt), "state": state,
            ]
        }
        if let made, made.inspectionId == waiting.inspection.id { row["madeURL"] = made.url }
        return row
    }
}

extension PageFormat {
    /// "30 April 2026, 10:12" in the workshop's time zone.
    func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = zone
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: date)
    }
}
