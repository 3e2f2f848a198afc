import Foundation

/// Time-ordered random ids (RFC 9562 section 5.7), which DESIGN section 4 recommends for client-generated
/// `entityId`s: ids made later sort later, so indexes on them grow at the end instead of splitting pages at random.
public enum UUIDv7 {
    /// A version 7 UUID: 48 bits of Unix milliseconds, then 74 random bits with the version and variant set.
    public static func make(unixMillis: Int64) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make(unixMillis: unixMillis, using: &generator)
    }

    /// A version 7 UUID from the given random source (tests pass a seeded one).
    public static func make(unixMillis: Int64, using generator: inout some RandomNumberGenerator) -> UUID {
        let millis = UInt64(max(0, unixMillis)) & 0xFFFF_FFFF_FFFF
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        for index in 6..<16 {
            let source = index < 14 ? random.0 : random.1
            bytes[index] = UInt8(truncatingIfNeeded: source >> (8 * (index % 8)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}
