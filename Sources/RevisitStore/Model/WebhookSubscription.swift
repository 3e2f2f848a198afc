import Foundation
import RevisitModel

/// The event types an endpoint subscribes to, as both stores keep them: a JSON array of type names, `*` for all.
enum WebhookSubscription {
    static func json(_ events: [String]) -> String {
        String(decoding: JSONValue.array(events.map(JSONValue.string)).jsonData(), as: UTF8.self)
    }

    static func parse(_ text: String) -> [String] {
        (try? JSONValue.parse(Data(text.utf8)).arrayValue?.compactMap(\.stringValue)) ?? []
    }

    static func matches(_ events: [String], _ type: String) -> Bool {
        events.contains("*") || events.contains(type)
    }
}
