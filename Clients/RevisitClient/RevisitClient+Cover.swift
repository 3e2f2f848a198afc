import Foundation
import RevisitModel

extension RevisitClient {
    /// Which of an inspection's items a plan of the vehicle pays for (DESIGN section 6, "Cover"), by item code, so
    /// the advisor knows who pays while talking to the customer. Plans live on the server, not in the local copy:
    /// this asks it (online only). An item counts as covered when the first plan listing its category is valid on
    /// its due date (today without one) at the inspection's odometer.
    public func itemCover(_ inspection: Inspection, today: CalendarDate? = nil) async throws -> [String: CoveragePlan] {
        guard let vehicle = inspection.vehicle else { return [:] }
        let state = try store.state()
        guard let serverURL = state.serverURL, let token = state.token else {
            throw RevisitClientError(.notLoggedIn, "not logged in: run revisit login --server URL --token TOKEN")
        }
        let api = ServerAPI(serverURL: serverURL, token: token, transport: transport)
        let plans: [CoveragePlan]
        do {
            plans = try await api.coveragePlans(vehicleId: vehicle.id.lowercasedString) ?? []
        } catch let failure as ServerFailure {
            throw failure.clientError(server: serverURL.absoluteString)
        }
        let day = today ?? CalendarDate(clock.now(), in: .gmt)
        var cover: [String: CoveragePlan] = [:]
        for item in inspection.items where item.status == .later || item.status == .now {
            let due = item.dueDate.flatMap(CalendarDate.init) ?? day
            if let plan = CoverageRule.cover(
                category: item.category,
                dueDate: due,
                odometerAtDue: inspection.odometer,
                plans: plans
            ) {
                cover[item.code] = plan
            }
        }
        return cover
    }
}
