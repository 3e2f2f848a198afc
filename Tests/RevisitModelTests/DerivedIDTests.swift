import Foundation
import Testing

@testable import RevisitModel

@Suite("Derived ids")
struct DerivedIDTests {
    @Test("UUID v5 matches the RFC / Python test vector")
    func vector() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(
            DerivedID.uuidV5(namespace: dns, name: "python.org")
                == UUID(uuidString: "886313e1-3b8a-5372-9b90-0c9aee199e5d")!
        )
    }

    @Test("vehicle ids ignore the VIN's case")
    func vehicle() {
        let upper = DerivedID.vehicle(vin: "WVWZZZ1JZXW000001")
        #expect(DerivedID.vehicle(vin: "wvwzzz1jzxw000001") == upper)
        #expect(upper == DerivedID.uuidV5(namespace: DerivedID.vehicleNamespace, name: "WVWZZZ1JZXW000001"))
        #expect(DerivedID.vehicleNamespace.lowercasedString == "f598abb4-7713-5b3f-a5d4-083a7b870474")
    }

    @Test("item ids are v5 of the code in the inspection's namespace")
    func item() {
        let inspection = UUID(uuidString: "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b")!
        let id = DerivedID.item(inspectionId: inspection, code: "brake_pads_front")
        #expect(id == DerivedID.uuidV5(namespace: inspection, name: "brake_pads_front"))
        #expect(id != DerivedID.item(inspectionId: inspection, code: "brake_pads_rear"))
        #expect(id.lowercasedString.dropFirst(14).first == "5")
        #expect("89ab".contains(id.lowercasedString.dropFirst(19).first!))
    }
}
