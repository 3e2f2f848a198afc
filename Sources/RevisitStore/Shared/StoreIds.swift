import Foundation

/// The prefixed ids the store hands out (`evt_…` events, `dlv_…` deliveries, `whe_…` webhook endpoints): a prefix
/// and 32 hex digits of a random UUID, one spelling for both backends. Rules take ids as inputs; backends draw them
/// here.
enum StoreIds {
    static func event() -> String { prefixed("evt") }
    static func delivery() -> String { prefixed("dlv") }
    static func webhookEndpoint() -> String { prefixed("whe") }

    static func prefixed(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}
