import Foundation

/// How number plates are compared: upper-cased, without spaces, dashes or other separators, so that "ab-123-c"
/// finds "AB 123 C". The server's vehicle search and a client's local lookup must agree, hence one rule here.
public enum Plate {
    /// The plate's search key: its letters and digits, upper-cased.
    public static func searchKey(_ plate: String) -> String {
        String(plate.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
