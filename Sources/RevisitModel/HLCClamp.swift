/// The server's guard against tablets whose clock runs far ahead (DESIGN section 4).
///
/// A write stamped hours in the future would win every last-writer-wins merge until that time came, so the
/// server stores such a write with its own clock instead and says so (`"hlcClamped": true`).
public enum HLCClamp {
    /// How far ahead of the server's clock a write's `wall` may be: 60 s.
    public static let maxAheadMillis: Int64 = 60_000

    /// Whether `hlc` is more than ``maxAheadMillis`` ahead of the server's physical clock.
    public static func isTooFarAhead(_ hlc: HLC, serverMillis: Int64) -> Bool {
        hlc.wall > serverMillis + maxAheadMillis
    }
}
