import GRDB

/// Cursors of the lists (DESIGN section 10): the last sequence number of a page, as a decimal string. Opaque to
/// clients; a cursor that is not one answers 400.
enum ListCursor {
    static func decode(_ cursor: String?) throws -> Int64 {
        guard let cursor else { return 0 }
        guard let value = Int64(cursor), value >= 0 else {
            throw StoreError.malformed("cursor \"\(cursor)\" is not valid")
        }
        return value
    }

    /// Turns `limit + 1` fetched rows into a page: the extra row only tells that there is a next page.
    static func page<T>(_ rows: [Row], limit: Int, _ transform: (Row) throws -> T) throws -> Page<T> {
        let items = try rows.prefix(limit).map(transform)
        let next: String? = rows.count > limit ? String(rows[limit - 1]["seq"] as Int64) : nil
        return Page(items: items, nextCursor: next)
    }
}
