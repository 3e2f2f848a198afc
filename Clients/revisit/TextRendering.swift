import Foundation
import RevisitClient
import RevisitModel

/// The text shapes for people.
enum TextRendering {
    /// With `cover` (code → plan), a COVER column says who pays where a plan does; without, there is none.
    static func itemTable(
        _ items: [InspectionItem],
        currency: String,
        cover: [String: CoveragePlan] = [:]
    ) -> String {
        let headers = ["CODE", "STATUS", "MEASURED", "COST", "DECISION"] + (cover.isEmpty ? [] : ["COVER"]) + ["NOTE"]
        var table = Table(headers: headers)
        for item in items {
            var row = [
                item.code + (item.hasPendingChanges ? " *" : ""), item.status.rawValue, measurement(item.measurement),
                item.estimatedCost?.formatted(defaultCurrency: currency) ?? "",
                decision(item),
            ]
            if !cover.isEmpty { row.append(cover[item.code].map(Self.cover) ?? "") }
            table.rows.append(row + [note(item)])
        }
        return table.render()
    }

    /// `warranty: Manufacturer warranty`.
    static func cover(_ plan: CoveragePlan) -> String {
        "\(plan.kind.rawValue.replacingOccurrences(of: "_", with: " ")): \(plan.name)"
    }

    /// `declined (price)`: the customer's reason goes with their decision.
    static func decision(_ item: InspectionItem) -> String {
        guard let decision = item.customerDecision else { return "" }
        return decision.rawValue + (item.declineReason.map { " (\($0.rawValue))" } ?? "")
    }

    static func measurement(_ measurement: MeasuredValue?) -> String {
        guard let measurement else { return "" }
        let value =
            measurement.value == measurement.value.rounded() && abs(measurement.value) < 1e12
            ? String(Int64(measurement.value)) : String(measurement.value)
        return value + (measurement.unit.map { " \($0)" } ?? "")
    }

    static func note(_ item: InspectionItem) -> String {
        var parts: [String] = []
        if let remaining = item.remainingKm { parts.append("\(remaining) km left") }
        if let due = item.dueDate { parts.append("due \(due)") }
        if !item.photos.isEmpty { parts.append("\(item.photos.count) photo\(item.photos.count == 1 ? "" : "s")") }
        if let note = item.note { parts.append(note) }
        return parts.joined(separator: "; ")
    }

    static func header(_ inspection: Inspection) -> String {
        var lines = ["Inspection \(inspection.id.lowercasedString)"]
        lines.append(
            "  state:     \(inspection.state.rawValue)\(inspection.hasPendingChanges ? " (changes not synced yet)" : "")"
        )
        if let vehicle = inspection.vehicle {
            let car = [vehicle.make, vehicle.model].compactMap { $0 }.joined(separator: " ")
            lines.append(
                "  vehicle:   \(vehicle.plate ?? "?")\(vehicle.vin.map { "  VIN \($0)" } ?? "")\(car.isEmpty ? "" : "  \(car)")"
            )
        }
        if let customer = inspection.customer {
            let contact = [customer.name, customer.phone, customer.email].compactMap { $0 }.joined(separator: ", ")
            lines.append("  customer:  \(contact)")
        }
        if let odometer = inspection.odometer { lines.append("  odometer:  \(odometer) km") }
        if let at = inspection.inspectedAt {
            lines.append("  inspected: \(at)\(inspection.mechanic.map { " by \($0)" } ?? "")")
        }
        if let review = inspection.review {
            let consent = review.contactConsent.map { $0 ? "; may be contacted about deferred work" : "; no contact" }
            lines.append("  review:    signed by \(review.signedName) at \(review.signedAt)\(consent ?? "")")
        }
        lines.append("  template:  \(inspection.templateId) v\(inspection.templateVersion.map(String.init) ?? "?")")
        let written = inspection.items.filter { $0.status != .unchecked }
        let now = inspection.items.filter { $0.status == .now }.count
        let later = inspection.items.filter { $0.status == .later }.count
        lines.append("  checked:   \(written.count) of \(inspection.items.count); \(now) now, \(later) later")
        return lines.joined(separator: "\n")
    }

    static func date(_ date: Date?) -> String {
        date.map { RFC3339DateTime.string(from: $0) } ?? "never"
    }
}
