import Foundation
import RevisitModel

extension FollowUpRecord {
    /// The plan that covers this follow-up when it falls due, as it shows it (DESIGN section 6, "Cover"): decided for
    /// its due date and the odometer estimated for that day, so it changes when either does.
    func cover(plans: [CoveragePlan], readings: [OdometerSample], settings: TenantSettings) -> [String: JSONValue]? {
        guard !plans.isEmpty, let due = CalendarDate(dueDate) else { return nil }
        let odometer = CoverageRule.odometer(on: due, readings: readings, settings: settings)
        return CoverageRule.cover(category: category, dueDate: due, odometerAtDue: odometer, plans: plans)?.coverageJSON
    }
}

extension [CoveragePlan] {
    /// The stored form: the API's shape, as JSON text.
    var storageText: String { String(decoding: JSONValue.array(map { .object($0.json) }).jsonData(), as: UTF8.self) }

    /// Plans as both stores keep them; a stored plan that no longer reads is skipped rather than failing every writer.
    init(storageText text: String?) {
        guard let text, let list = (try? JSONValue.parse(Data(text.utf8)))?.arrayValue else {
            self = []
            return
        }
        self = list.enumerated().compactMap { index, value in try? CoveragePlan(json: value, index: index) }
    }
}
