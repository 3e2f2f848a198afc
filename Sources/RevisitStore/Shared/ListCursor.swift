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
}
