import Crypto
import Foundation

/// Ids that every client derives the same way, so that two tablets that meet one item or one car offline write
/// one row instead of two (DESIGN section 3, Contract for clients).
public enum DerivedID {
    /// The namespace of vehicle ids derived from VINs.
    public static let vehicleNamespace = UUID(uuidString: "f598abb4-7713-5b3f-a5d4-083a7b870474")!

    /// A name-based UUID, version 5 (RFC 9562 section 5.5): SHA-1 over the namespace's 16 bytes followed by the
    /// UTF-8 bytes of `name`, cut to 16 bytes, with the version and variant bits set.
    public static func uuidV5(namespace: UUID, name: String) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Data(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }

    /// The id of the item with `code` in the inspection `inspectionId`: the UUID v5 of the code in the
    /// namespace of the inspection's id.
    public static func item(inspectionId: UUID, code: String) -> UUID {
        uuidV5(namespace: inspectionId, name: code)
    }

    /// The id of the vehicle with `vin`: the UUID v5 of the upper-cased VIN in ``vehicleNamespace``.
    public static func vehicle(vin: String) -> UUID {
        uuidV5(namespace: vehicleNamespace, name: vin.uppercased())
    }
}

extension UUID {
    /// The canonical lower-case text of the id, as the sync protocol writes ids (Foundation's `uuidString` is
    /// upper-case).
    public var lowercasedString: String {
        uuidString.lowercased()
    }
}
