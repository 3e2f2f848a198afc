/// The languages the pages customers and the service desk see are written in (DESIGN sections 6 and 13).
public enum PageLocale: String, CaseIterable, Sendable, Codable {
    case en
    case nl

    /// The BCP 47 tag that formats numbers, money and dates the way readers of this language expect: British
    /// English (day before month, as European workshops write) and Dutch as written in the Netherlands.
    public var formattingIdentifier: String {
        switch self {
        case .en: "en-GB"
        case .nl: "nl-NL"
        }
    }
}
