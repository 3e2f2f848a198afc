import Foundation
import RevisitClient
import RevisitModel
import RevisitTestSupport
import Testing

/// Two tablets that edit one inspection without seeing each other end up with the same state as the server, by
/// the rules of DESIGN section 5.
@Suite("Two clients converge")
struct ConvergenceTests {
    /// The fields both sides compare, per item code.
    static func snapshot(_ inspection: Inspection) -> [String: [String]] {
        Dictionary(
            uniqueKeysWithValues: inspection.items.filter(\.isWritten).map { item in
                (
                    item.code,
                    [
                        item.status.rawValue, item.note ?? "-", item.photos.sorted().joined(separator: ","),
                        item.measurement.map { "\($0.value)" } ?? "-", item.customerDecision?.rawValue ?? "-",
                    ]
                )
            }
        )
    }

    static func serverSnapshot(_ items: [String: [String: JSONValue]]) -> [String: [String]] {
        items.mapValues { item in
            [
                item["status"]?.stringValue ?? "unchecked", item["note"]?.stringValue ?? "-",
                (item["photos"]?.arrayValue ?? []).compactMap(\.stringValue).sorted().joined(separator: ","),
                item["measurement"]?.objectValue?["value"]?.doubleValue.map { "\($0)" } ?? "-",
                item["customerDecision"]?.stringValue ?? "-",
            ]
        }
    }

    @Test("concurrent offline edits converge: severity for status, union for photos, last writer for notes")
    func concurrentEditsConverge() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let id = try await a.startInspection()
            try await a.client.setItem(id, code: "brake_pads_front", ItemChange(status: .ok))
            try await a.client.syncNow()
            try await b.client.syncNow()
            #expect(try await b.client.inspection(id).item("brake_pads_front")?.status == .ok)

            // Both offline, neither sees the other.
            let photoA = try PhotoFixture.write(seed: 1)
            let photoB = try PhotoFixture.write(seed: 2)
            try await a.client.setItem(
                id,
                code: "brake_pads_front",
                ItemChange(status: .later, note: "A: pads at 4 mm", photoFiles: [photoA])
            )
            try await a.client.setItem(id, code: "wipers", ItemChange(status: .ok))
            try await b.client.setItem(
                id,
                code: "brake_pads_front",
                ItemChange(status: .now, note: "B: pads at 2 mm", photoFiles: [photoB])
            )
            try await b.client.setItem(id, code: "wipers", ItemChange(status: .na, note: "B: no rear wiper"))
            try await b.client.setItem(id, code: "horn", ItemChange(status: .ok))

            let first = try await a.client.syncNow()
            let second = try await b.client.syncNow()
            #expect(first.rejected == 0 && second.rejected == 0)
            #expect(second.conflicts > 0)
            try await a.client.syncNow()

            let onA = try await a.client.inspection(id)
            let onB = try await b.client.inspection(id)
            let onServer = try await API(baseURL: server.baseURL, token: a.token).items(ofInspection: id)
            #expect(Self.snapshot(onA) == Self.snapshot(onB))
            #expect(Self.snapshot(onA) == Self.serverSnapshot(onServer))
            let merged = try #require(onA.item("brake_pads_front"))
            #expect(merged.status == .now)  // severity wins
            #expect(merged.photos.count == 2)  // the union
            #expect(merged.note == "B: pads at 2 mm")  // B wrote last
            #expect(onA.item("wipers")?.status == .ok)  // ok is more severe than na
            #expect(onA.item("horn")?.status == .ok)
            // The conflicts are listed on both tablets.
            #expect(
                try await a.client.conflicts().contains {
                    $0.field == "status" && $0.winner == "now" && $0.itemCode == "brake_pads_front"
                        && $0.inspectionId == id
                }
            )
            #expect(try await b.client.conflicts().contains { $0.field == "status" })

            // A write that has seen the conflict ends it: the mechanic looks again and sets ok.
            try await a.client.setItem(id, code: "brake_pads_front", ItemChange(status: .ok))
            try await a.client.syncNow()
            try await b.client.syncNow()
            #expect(try await b.client.inspection(id).item("brake_pads_front")?.status == .ok)
            let pads = DerivedID.item(inspectionId: UUID(uuidString: id)!, code: "brake_pads_front").lowercasedString
            #expect(try await b.client.conflicts().filter { $0.entityId == pads && $0.field == "status" }.isEmpty)
        }
    }

    @Test("two tablets that meet one car offline write one vehicle row (the VIN-derived id)")
    func oneVehicleForOneVIN() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let first = try await a.startInspection(plate: "AB-123-C", vin: "wvwzzz1jzxw000001")
            let second = try await b.startInspection(plate: "ab 123 c", vin: "WVWZZZ1JZXW000001")
            try await a.client.syncNow()
            try await b.client.syncNow()
            try await a.client.syncNow()
            let vehicleA = try #require(try await a.client.inspection(first).vehicle)
            let vehicleB = try #require(try await a.client.inspection(second).vehicle)
            #expect(vehicleA.id == vehicleB.id)
            #expect(vehicleA.id == DerivedID.vehicle(vin: "WVWZZZ1JZXW000001"))
            #expect(try await a.client.inspections().count == 2)
            // Starting a third inspection finds the car by plate, without the VIN.
            let third = try await a.client.startInspection(NewInspection(plate: "AB 123-C"))
            #expect(third.createdVehicle == false)
            #expect(third.vehicleId == vehicleA.id)
        }
    }

    @Test("a pending edit that did not see a concurrent change shows the merged value, as the server will")
    func pendingEditMergesWithConcurrentChange() async throws {
        try await TestServer.with { server in
            let a = try await ClientFixture.make(on: server)
            let b = try await ClientFixture.make(on: server)
            let id = try await a.startInspection()
            try await a.client.setItem(id, code: "battery", ItemChange(status: .ok, note: "fine"))
            try await a.client.syncNow()
            try await b.client.syncNow()
            // B marks the battery now and syncs.
            try await b.client.setItem(id, code: "battery", ItemChange(status: .now))
            try await b.client.syncNow()
            // A's mechanic says later (with a note) while A's sync is between its push and its pull: the edit has
            // not seen B's change when the pull brings it.
            a.transport.before("syncPull") {
                _ = try? await a.client.setItem(
                    id,
                    code: "battery",
                    ItemChange(status: .later, note: "check again in spring")
                )
            }
            try await a.client.syncNow()
            #expect(try await a.client.status().pending == 1)
            let shown = try #require(try await a.client.inspection(id).item("battery"))
            #expect(shown.status == .now)  // B's now and A's later did not see each other: severity
            #expect(shown.note == "check again in spring")  // the note B did not touch: A's edit had seen it
            #expect(shown.hasPendingChanges)
            try await a.client.syncNow()
            let synced = try #require(try await a.client.inspection(id).item("battery"))
            #expect(synced.status == shown.status && synced.note == shown.note)
            let onServer = try await API(baseURL: server.baseURL, token: a.token).items(ofInspection: id)
            #expect(onServer["battery"]?["status"] == "now")
            #expect(onServer["battery"]?["note"] == "check again in spring")
        }
    }
}

/// Small distinct JPEG-signed files for photo tests.
enum PhotoFixture {
    static func write(seed: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "revisit-photo-\(UUID().uuidString).jpg")
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        bytes += Array("revisit test photo \(seed) \(UUID().uuidString)".utf8)
        try Data(bytes).write(to: url)
        return url
    }
}
