import Foundation
import RevisitModel

/// Which template a tenant gets, on every backend: the built-in ones are version 1 of every tenant, a tenant's `PUT`
/// stores version N+1, and no version asked means the latest.
enum TemplateVersions {
    /// - Parameter stored: the tenant's stored versions of template `id`, by version.
    static func resolve(id: String, version: Int?, stored: [Int: Template]?) -> Template? {
        let builtIn = BuiltInTemplates.all.first { $0.id == id }
        if let version {
            if version == builtIn?.version { return builtIn }
            return stored?[version]
        }
        if let latest = stored?.max(by: { $0.key < $1.key }) { return latest.value }
        return builtIn
    }
}
