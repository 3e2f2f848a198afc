import Foundation
import RevisitModel
import RevisitStore
import Synchronization

/// The review page as last rendered, per link, so that a customer reloading it (or fifty customers of a busy
/// workshop at once) cost a few small reads instead of the inspection, its vehicle, template and photos read again
/// and the whole page rendered again. What the page shows changes only with the tenant's rows (the tenant's
/// version moves with any of them) or its settings, so those two are the entry's stamp (``TenantStamp``, one read);
/// the template is pinned by the inspection's `templateVersion`, and a page without one is not kept. The stamp is
/// read before the page's data, so an entry is never older than its stamp; a commit in between only costs one more
/// render.
final class ReviewPageCache: Sendable {
    /// A rendered page, split where the session's CSRF token goes, so it serves every browser's own session.
    struct Rendered: Sendable {
        fileprivate let parts: [String]

        func page(csrf: String) -> String { parts.joined(separator: csrf) }
    }

    struct Entry: Sendable {
        var stamp: TenantStamp
        /// The settings the stamp's text stands for.
        var settings: TenantSettings
        /// The inspection's state when rendered: with the link it decides open, completed or gone.
        var inspectionState: InspectionState?
        var form: Rendered? = nil
        var readOnly: Rendered? = nil
    }

    /// Stands in for the CSRF token while rendering: letters only, so no escaping changes it.
    static let csrfMark = "REVISITCSRFTOKENMARK"

    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 2_000) { self.capacity = capacity }

    /// The entry for `linkId` if it was rendered at `stamp`.
    func entry(linkId: String, stamp: TenantStamp) -> Entry? {
        entries.withLock { entries in entries[linkId].flatMap { $0.stamp == stamp ? $0 : nil } }
    }

    func store(_ entry: Entry, linkId: String) {
        entries.withLock { entries in
            if entries[linkId] == nil, entries.count >= capacity, let any = entries.keys.first {
                entries.removeValue(forKey: any)
            }
            entries[linkId] = entry
        }
    }

    /// A page rendered with ``csrfMark`` where the CSRF token goes.
    static func rendered(_ html: String) -> Rendered {
        Rendered(parts: html.components(separatedBy: csrfMark))
    }
}
