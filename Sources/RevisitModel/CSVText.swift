/// RFC 4180 text for spreadsheets: fields joined by commas, lines ended by CRLF, a field quoted when it holds a
/// comma, a quote, CR or LF (quotes doubled inside).
///
/// A field a spreadsheet would read as a formula (`=`, `@`, a tab or CR first, or `+`/`-` before anything but a
/// digit, a space or a bracket) gets a leading `'`: an export that a service desk opens must not run what a customer
/// typed into their name (OWASP "CSV injection"). Phone numbers (`+31 6 …`) and negative amounts stay as they are.
public enum CSVText {
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ value: String) -> String {
        var text = value
        if startsLikeFormula(text) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func startsLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r": return true
        case "+", "-":
            guard let second = text.unicodeScalars.dropFirst().first else { return false }
            return !(("0"..."9").contains(second) || second == " " || second == "(")
        default: return false
        }
    }
}
