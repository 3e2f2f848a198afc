import RevisitModel

/// One writer's reading of the server's clock, taken once inside the tenant's lock. The rules stamp from this value,
/// not from the shared ``ServerHLC``, so running them again (PostgreSQL fetches what a run missed and runs again)
/// hands out the same stamps: a plan is a function of its inputs. ``ServerHLC/commit(_:)`` moves the shared clock
/// past whatever the kept run handed out.
struct PushStamps: Sendable {
    private var clock: HybridLogicalClock
    /// The wall clock once per writer, so that every run sees the same physical time.
    let physicalMillis: Int64

    init(last: HLC, physicalMillis: Int64) {
        self.clock = HybridLogicalClock(last: last)
        self.physicalMillis = physicalMillis
    }

    /// The highest reading handed out, the starting point included: what the tenant row stores.
    var highest: HLC { clock.last }

    /// Takes in a client's HLC; returns the stamp to store and whether it had to be clamped (DESIGN section 4).
    mutating func stamp(_ remote: HLC) -> (hlc: HLC, clamped: Bool) {
        if HLCClamp.isTooFarAhead(remote, serverMillis: physicalMillis) {
            return (clock.tick(physicalMillis: physicalMillis), true)
        }
        _ = clock.receive(remote, physicalMillis: physicalMillis)
        return (remote, false)
    }

    /// A reading for a server-made write (a person's conflict resolution).
    mutating func tick() -> HLC { clock.tick(physicalMillis: physicalMillis) }
}
