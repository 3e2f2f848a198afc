import AsyncHTTPClient
import Crypto
import Foundation
import RevisitModel

/// The inspection a customer reviews in issue 12's target: the 22 items of `standard-car`, 3 to fix now and 5 that
/// can wait (each with a measurement, a note and a price), 14 fine, and 10 photos on the items needing work; pushed
/// as a tablet does (photos first, then the rows, then the inspection `completed`), and a review link made for it.
struct ReviewWorkshop {
    let client: SyncClient

    /// What needs work, with its measurement and how many photos it carries (10 in all). The other 14 codes are `ok`.
    private static let findings: [(code: String, status: String, value: Double, unit: String, photos: Int)] = [
        ("tyre_front_left", "now", 1.4, "mm", 2),
        ("brake_pads_front", "now", 2.1, "mm", 2),
        ("brake_fluid", "now", 3.5, "%", 2),
        ("tyre_rear_left", "later", 2.6, "mm", 1),
        ("tyre_rear_right", "later", 2.8, "mm", 1),
        ("brake_pads_rear", "later", 4.2, "mm", 1),
        ("battery", "later", 62, "%", 1),
        ("coolant", "later", -20, "°C", 0),
    ]

    static let photoCount = findings.reduce(0) { $0 + $1.photos }

    /// Seeds the inspection and returns its page's path, `/r/TOKEN`.
    func prepare() async throws -> String {
        var rng = SplitMix64(seed: 12)
        let photos = try await uploadPhotos(using: &rng)
        let inspectionId = try await pushInspection(photos: photos, using: &rng)
        return try await makeLink(inspectionId: inspectionId)
    }

    /// Ten distinct JPEG-like blobs of 40 kB (the page links them; their size does not count in its weight).
    private func uploadPhotos(using rng: inout SplitMix64) async throws -> [String] {
        var hashes: [String] = []
        for _ in 0..<Self.photoCount {
            var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
            for _ in 0..<(40_000 / 8) { withUnsafeBytes(of: rng.next()) { bytes.append(contentsOf: $0) } }
            let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            var request = HTTPClientRequest(url: client.baseURL + "/v1/attachments/\(hash)")
            request.method = .PUT
            request.headers.add(name: "Authorization", value: "Bearer \(client.token)")
            request.headers.add(name: "Content-Type", value: "image/jpeg")
            request.body = .bytes(bytes)
            let answer = try await client.exchange(request)
            guard answer.status == 201 || answer.status == 200 else {
                throw BenchError.http(what: "photo upload", status: answer.status, body: answer.bodyPreview)
            }
            hashes.append(hash)
        }
        return hashes
    }

    /// Customer, vehicle, inspection and its 22 items, then the inspection `completed`, in one push (the HLC grows
    /// along the batch, so the state change comes after the creation). Every mutation must be applied.
    private func pushInspection(photos: [String], using rng: inout SplitMix64) async throws -> String {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let customerId = UUIDv7.make(unixMillis: now, using: &rng).lowercasedString
        let vin = "WVWZZZ1KZ8W012345"
        let vehicleId = DerivedID.vehicle(vin: vin).lowercasedString
        let inspection = UUIDv7.make(unixMillis: now, using: &rng)
        let inspectionId = inspection.lowercasedString
        var rows: [(String, String, [String: Any])] = [
            (
                "customer", customerId,
                [
                    "name": "Clara Weber", "phone": "+49 30 5550123", "email": "clara@example.com",
                    "contactConsent": true,
                ]
            ),
            (
                "vehicle", vehicleId,
                ["vin": vin, "plate": "B-RV 1212", "make": "Volkswagen", "model": "Golf", "customerId": customerId]
            ),
            (
                "inspection", inspectionId,
                ["vehicleId": vehicleId, "templateId": "standard-car", "odometer": 84_210, "state": "in_progress"]
            ),
        ]
        var unusedPhotos = photos[...]
        for code in Workload.itemCodes {
            var fields: [String: Any] = ["inspectionId": inspectionId, "code": code, "status": "ok"]
            if let finding = Self.findings.first(where: { $0.code == code }) {
                fields["status"] = finding.status
                fields["measurement"] = ["value": finding.value, "unit": finding.unit] as [String: Any]
                fields["note"] =
                    finding.status == "now"
                    ? "Below the limit: replace before driving on." : "Wear visible; plan it at the next service."
                fields["estimatedCost"] =
                    ["amount": finding.status == "now" ? 18_900 : 9_550, "currency": "EUR"] as [String: Any]
                fields["photos"] = Array(unusedPhotos.prefix(finding.photos))
                unusedPhotos = unusedPhotos.dropFirst(finding.photos)
            }
            rows.append(("item", DerivedID.item(inspectionId: inspection, code: code).lowercasedString, fields))
        }
        rows.append(("inspection", inspectionId, ["state": "completed"]))

        let clientId = UUIDv7.make(unixMillis: now, using: &rng).lowercasedString
        try await client.pushRows(rows, clientId: clientId, wall: now, what: "push of the inspection")
        return inspectionId
    }

    /// `POST /v1/inspections/{id}/review-links`: the path of the page in the answer's `url`.
    private func makeLink(inspectionId: String) async throws -> String {
        var request = HTTPClientRequest(url: client.baseURL + "/v1/inspections/\(inspectionId)/review-links")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(client.token)")
        let answer = try await client.exchange(request)
        guard answer.status == 201, let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let url = (json["url"] as? String).flatMap(URL.init(string:)), url.path.hasPrefix("/r/")
        else { throw BenchError.http(what: "review link", status: answer.status, body: answer.bodyPreview) }
        return url.path
    }
}
