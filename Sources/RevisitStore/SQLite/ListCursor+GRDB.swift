import GRDB

extension ListCursor {
    /// Turns `limit + 1` fetched rows into a page: the extra row only tells that there is a next page.
    static func page<T>(_ rows: [Row], limit: Int, _ transform: (Row) throws -> T) throws -> Page<T> {
        let items = try rows.prefix(limit).map(transform)
        let next: String? = rows.count > limit ? String(rows[limit - 1]["seq"] as Int64) : nil
        return Page(items: items, nextCursor: next)
    }
}
