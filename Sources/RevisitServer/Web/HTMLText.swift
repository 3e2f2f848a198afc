/// Text made safe to place in HTML, as Mustache's `{{…}}` makes it (the same five characters, the same entities), so
/// that what the server writes itself and what a template writes read alike.
enum HTMLText {
    /// Walks the UTF-8 bytes once: a page of 2,000 rows escapes tens of thousands of short strings, and most need
    /// nothing done, so those are returned as they are.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 })
        else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
