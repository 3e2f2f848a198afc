import Foundation
import GRDB
import RevisitModel

/// Turns a mechanic's actions into queued mutations inside one write transaction: it reads the rows as the store
/// shows them, checks what the server would refuse (unknown item codes, invalid values, lifecycle steps), and
/// queues the edits, so an edit is either kept whole or not at all.
struct LocalEditor {
    let db: Database
    let reader: LocalReader
    let now: Date
    let physicalMillis: Int64

    init(_ db: Database, clock: any WallClock) throws {
        self.db = db
        reader = try LocalReader(db)
        now = clock.now()
        physicalMillis = clock.nowMillis()
    }

    /// Validates fields as the server will (the same ``RevisitModel/FieldValidator``) and returns them normalised.
    func validated(_ entity: EntityKind, _ fields: [String: JSONValue], isCreate: Bool) throws -> [String: JSONValue] {
        do {
            return try FieldValidator.validate(entity: entity, fields: fields, isCreate: isCreate)
        } catch let problem as MutationProblem {
            throw RevisitClientError(.invalidValue, problem.detail, problem: problem)
        }
    }

    func queue(_ drafts: [MutationDraft]) throws {
        try ClientStore.enqueue(drafts, physicalMillis: physicalMillis, now: now, db)
    }

    /// The inspection an id (or unique prefix) names, as shown, refusing a final one for edits.
    func editableInspection(_ text: String) throws -> (id: String, row: LocalRow, state: InspectionState) {
        let id = try reader.resolveInspection(text)
        guard let row = try reader.row(.inspection, id), !row.deleted else {
            throw RevisitClientError(.unknownInspection, "inspection \(id) was deleted")
        }
        let state = row.string("state").flatMap(InspectionState.init(rawValue:)) ?? .draft
        if state.isFinal {
            throw RevisitClientError(
                .invalidTransition,
                "inspection \(id) is \(state.rawValue): it takes no more edits"
            )
        }
        return (id, row, state)
    }

    /// The inspection's template from the cache.
    func template(of row: LocalRow) throws -> Template {
        let id = row.string("templateId") ?? BuiltInTemplates.standardCar.id
        let version = row.int("templateVersion").map { Int($0) }
        if let template = try ClientStore.template(id: id, version: version, db)
            ?? ClientStore.template(id: id, version: nil, db)
        {
            return template
        }
        throw RevisitClientError(
            .templateMissing,
            "template \(id) is not in this store yet: run revisit sync while online"
        )
    }

    /// The template item with `code`, or an error naming the nearest codes.
    func templateItem(_ code: String, in template: Template) throws -> TemplateItem {
        if let item = template.item(code: code) { return item }
        let suggestions = NearestCodes.suggest(code, among: template.items.map(\.code))
        let hint =
            suggestions.isEmpty
            ? "; revisit item list INSPECTION shows the codes"
            : "; did you mean \(suggestions.joined(separator: ", "))?"
        throw RevisitClientError(
            .unknownItemCode,
            "unknown item code \"\(code)\" in template \(template.id) v\(template.version)\(hint)",
            suggestions: suggestions
        )
    }

    /// Queues a lifecycle step after checking it is allowed from the state shown.
    func move(_ text: String, to next: InspectionState) throws -> String {
        let (id, _, state) = try editableInspection(text)
        guard state != next else { return id }
        var steps: [InspectionState] = []
        if state == .draft && (next == .completed) { steps.append(.inProgress) }
        steps.append(next)
        var current = state
        for step in steps {
            guard current.canTransition(to: step) else {
                throw RevisitClientError(
                    .invalidTransition,
                    "inspection \(id) is \(state.rawValue); it cannot go to \(next.rawValue)"
                        + (next == .closed ? " before it is completed (revisit inspect complete \(id))" : "")
                )
            }
            current = step
        }
        try queue(
            steps.map {
                MutationDraft(
                    entity: .inspection,
                    entityId: id,
                    fields: ["state": .string($0.rawValue)],
                    inspectionId: id
                )
            }
        )
        return id
    }
}
