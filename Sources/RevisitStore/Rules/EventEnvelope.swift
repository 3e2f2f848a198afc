import Foundation
import RevisitModel

/// An event as the outbox stores it and every delivery attempt sends it (DESIGN section 7): its id (the
/// `webhook-id`), its type, when it happened, and the body `{"type", "timestamp", "data"}` as exact bytes.
struct EventEnvelope: Sendable, Equatable {
    var id: String
    var type: EventType
    var timestamp: Date
    var body: [UInt8]

    /// Builds the envelope of an event of `type` that happened at `timestamp`, carrying `data`.
    init(id: String, type: EventType, timestamp: Date, data: [String: JSONValue]) {
        self.id = id
        self.type = type
        self.timestamp = timestamp
        body = [UInt8](
            JSONValue.object([
                "type": .string(type.rawValue), "timestamp": .string(RFC3339DateTime.string(from: timestamp)),
                "data": .object(data),
            ]).jsonData()
        )
    }
}
