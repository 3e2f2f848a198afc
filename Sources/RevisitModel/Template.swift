/// A versioned checklist (DESIGN section 3): an inspection records the template version it started with, and
/// its items are checked against that version.
public struct Template: Sendable, Hashable, Codable {
    /// The template's id, e.g. `standard-car`.
    public var id: String
    /// Its version, from 1; each change makes the next.
    public var version: Int
    /// What people see.
    public var name: String
    /// The checklist, in the order it is walked.
    public var items: [TemplateItem]

    public init(id: String, version: Int, name: String, items: [TemplateItem]) {
        self.id = id
        self.version = version
        self.name = name
        self.items = items
    }

    /// The item with `code`, if the template has it (an item code must exist in its inspection's template).
    public func item(code: String) -> TemplateItem? {
        items.first { $0.code == code }
    }
}
