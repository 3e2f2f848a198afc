import Foundation
import RevisitModel

/// The rows the benchmark writes, as a workshop tablet creates them: per inspection one customer, one vehicle, one
/// inspection (`standard-car`, `in_progress`) and the 22 items of that template with a status and a note. Rows that
/// others refer to come first (customer, vehicle, inspection, then its items), as a client pushes them.
enum Workload {
    /// The item codes of the built-in `standard-car` template (DESIGN section 3).
    static let itemCodes = [
        "tyre_front_left", "tyre_front_right", "tyre_rear_left", "tyre_rear_right",
        "brake_pads_front", "brake_pads_rear", "brake_discs_front", "brake_discs_rear",
        "brake_fluid", "lights", "wipers", "windscreen", "battery", "coolant", "engine_oil_leaks", "exhaust",
        "shock_absorbers", "steering_play", "timing_belt", "air_conditioning", "horn", "seat_belts",
    ]

    /// Rows (and so mutations) per inspection: customer, vehicle, inspection and its items.
    static let rowsPerInspection = 3 + itemCodes.count

    /// One row to create: an `upsert` with `baseVersion` 0.
    struct Row {
        let entity: String
        let entityId: String
        let fields: [String: Any]
    }

    /// How many inspections `count` rows start.
    static func inspections(forRows count: Int) -> Int {
        (count + rowsPerInspection - 1) / rowsPerInspection
    }

    /// `count` rows, from whole inspections numbered from `firstSerial` (the last one cut short when `count` is not
    /// a multiple of ``rowsPerInspection``). Serials must not repeat within one server: they make the VINs, and so
    /// the vehicle ids, unique.
    static func rows(count: Int, firstSerial: Int, using rng: inout SplitMix64) -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(inspections(forRows: count) * rowsPerInspection)
        var serial = firstSerial
        while rows.count < count {
            rows.append(contentsOf: inspectionRows(serial: serial, using: &rng))
            serial += 1
        }
        return Array(rows.prefix(count))
    }

    private static let makes: [(String, [String])] = [
        ("Volkswagen", ["Golf", "Polo", "Passat", "Tiguan"]), ("Opel", ["Corsa", "Astra", "Insignia"]),
        ("Ford", ["Fiesta", "Focus", "Kuga"]), ("Skoda", ["Octavia", "Fabia", "Superb"]),
        ("Toyota", ["Yaris", "Corolla", "RAV4"]), ("Renault", ["Clio", "Megane", "Captur"]),
    ]
    private static let mechanics = ["Jana", "Piotr", "Aylin", "Marco", "Sven", "Lea"]
    private static let firstNames = [
        "Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannes", "Ines", "Jonas",
    ]
    private static let lastNames = ["Bauer", "Schmidt", "Weber", "Kowalski", "Yilmaz", "Rossi", "Novak", "Berg"]
    private static let notes: [String: [String]] = [
        "ok": ["Checked, fine.", "No findings.", "Within limits, checked visually and by hand."],
        "later": [
            "Wear visible; plan replacement at the next service.",
            "Close to the limit, recommend to the customer within 6 months.",
        ],
        "now": ["Below the legal limit: replace before driving on.", "Defective, needs repair today."],
    ]
    /// Letters and digits a VIN may use (no I, O or Q).
    private static let vinAlphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")

    /// The 25 rows of inspection number `serial`.
    static func inspectionRows(serial: Int, using rng: inout SplitMix64) -> [Row] {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let customerId = UUIDv7.make(unixMillis: Int64(now), using: &rng).lowercasedString
        let vin = vin(serial: serial)
        let vehicleId = DerivedID.vehicle(vin: vin).lowercasedString
        let inspectionUUID = UUIDv7.make(unixMillis: Int64(now), using: &rng)
        let inspectionId = inspectionUUID.lowercasedString
        let (make, models) = makes[Int(rng.next() % UInt64(makes.count))]
        let first = firstNames[Int(rng.next() % UInt64(firstNames.count))]
        let last = lastNames[Int(rng.next() % UInt64(lastNames.count))]

        var rows: [Row] = []
        rows.reserveCapacity(rowsPerInspection)
        rows.append(
            Row(
                entity: "customer",
                entityId: customerId,
                fields: [
                    "name": "\(first) \(last)", "phone": "+49 30 \(1_000_000 + serial % 9_000_000)",
                    "email": "\(first.lowercased()).\(last.lowercased())\(serial)@example.com",
                    "contactConsent": rng.next() % 4 != 0,
                ]
            )
        )
        rows.append(
            Row(
                entity: "vehicle",
                entityId: vehicleId,
                fields: [
                    "vin": vin, "plate": "B-RV \(serial % 10_000)", "make": make,
                    "model": models[Int(rng.next() % UInt64(models.count))],
                    "year": 2008 + Int(rng.next() % 17), "customerId": customerId,
                ]
            )
        )
        let day = 1 + serial % 28
        let minute = serial % (10 * 60)
        rows.append(
            Row(
                entity: "inspection",
                entityId: inspectionId,
                fields: [
                    "vehicleId": vehicleId, "templateId": "standard-car", "state": "in_progress",
                    "odometer": 5_000 + Int(rng.next() % 250_000),
                    "inspectedAt":
                        "2025-10-\(twoDigits(day))T\(twoDigits(8 + minute / 60)):\(twoDigits(minute % 60)):00Z",
                    "mechanic": mechanics[Int(rng.next() % UInt64(mechanics.count))],
                ]
            )
        )
        for code in itemCodes {
            let roll = rng.next() % 100
            let status = roll < 70 ? "ok" : roll < 90 ? "later" : "now"
            let choices = notes[status]!
            rows.append(
                Row(
                    entity: "item",
                    entityId: DerivedID.item(inspectionId: inspectionUUID, code: code).lowercasedString,
                    fields: [
                        "inspectionId": inspectionId, "code": code, "status": status,
                        "note": choices[Int(rng.next() % UInt64(choices.count))],
                    ]
                )
            )
        }
        return rows
    }

    /// Mutations per closed inspection: its rows, then the inspection `completed` and `closed`.
    static let mutationsPerClosedInspection = rowsPerInspection + 2

    /// Inspection number `serial` as a tablet finishes it: every item `later` with `dueDate` (YYYY-MM-DD) and a cost,
    /// then the inspection `completed` and `closed`, which schedules one follow-up per item (and a
    /// `followup.scheduled` event each).
    static func closedInspectionRows(serial: Int, dueDate: String, using rng: inout SplitMix64) -> [Row] {
        var rows = inspectionRows(serial: serial, using: &rng).map { row -> Row in
            guard row.entity == "item" else { return row }
            var fields = row.fields
            fields["status"] = "later"
            fields["note"] = notes["later"]![0]
            fields["dueDate"] = dueDate
            fields["estimatedCost"] = ["amount": 9900]
            return Row(entity: row.entity, entityId: row.entityId, fields: fields)
        }
        let inspection = rows[2]
        rows.append(Row(entity: "inspection", entityId: inspection.entityId, fields: ["state": "completed"]))
        rows.append(Row(entity: "inspection", entityId: inspection.entityId, fields: ["state": "closed"]))
        return rows
    }

    /// A 17-character VIN unique to `serial`: a fixed manufacturer prefix, then the serial in base 33.
    static func vin(serial: Int) -> String {
        var digits: [Character] = []
        var rest = serial
        for _ in 0..<11 {
            digits.append(vinAlphabet[rest % vinAlphabet.count])
            rest /= vinAlphabet.count
        }
        return "WRV" + "ZZZ" + String(digits.reversed())
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
