/// Checks a template before it is stored (`PUT /v1/templates/{id}`) or shipped.
public struct TemplateValidator: Sendable {
    public init() {}

    /// Checks that the template has an id of 1 to 100 characters, a version ≥ 1, a name, at least one item, and
    /// items with unique codes of `[a-z0-9_]{1,64}`, non-empty titles and categories, consistent thresholds
    /// (`nowBelow` ≤ `laterBelow`, `laterAbove` ≤ `nowAbove`) and positive `defaultIntervalDays`.
    ///
    /// - Throws: ``MutationProblem/validation(_:)`` naming the first problem found.
    public static func validate(_ template: Template) throws {
        func fail(_ detail: String) -> MutationProblem { .validation(detail) }
        guard (1...100).contains(template.id.unicodeScalars.count) else {
            throw fail("template id must be 1 to 100 characters")
        }
        guard template.version >= 1 else { throw fail("template version must be at least 1") }
        guard !template.name.isEmpty else { throw fail("template name must not be empty") }
        guard !template.items.isEmpty else { throw fail("template must have at least one item") }
        var codes: Set<String> = []
        for (index, item) in template.items.enumerated() {
            let path = "items[\(index)]"
            guard FieldCheck.isItemCode(item.code) else {
                throw fail("\(path).code must be 1 to 64 characters of a-z, 0-9 and _; got \"\(item.code)\"")
            }
            guard codes.insert(item.code).inserted else { throw fail("\(path).code \"\(item.code)\" is repeated") }
            guard !item.title.isEmpty else { throw fail("\(path).title must not be empty") }
            guard !item.category.isEmpty else { throw fail("\(path).category must not be empty") }
            if let now = item.nowBelow, let later = item.laterBelow, now > later {
                throw fail("\(path): nowBelow (\(now)) must not be above laterBelow (\(later))")
            }
            if let now = item.nowAbove, let later = item.laterAbove, now < later {
                throw fail("\(path): nowAbove (\(now)) must not be below laterAbove (\(later))")
            }
            if let days = item.defaultIntervalDays, days < 1 {
                throw fail("\(path).defaultIntervalDays must be at least 1")
            }
        }
    }
}
