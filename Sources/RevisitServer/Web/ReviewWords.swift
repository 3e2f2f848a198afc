import RevisitModel

/// The sentences the review page builds from values (thresholds), which a fixed text of the locale cannot hold.
/// Everything else the page says is in `Resources/texts/LOCALE.json`.
enum ReviewWords {
    /// "Replace below 3 mm, plan below 4 mm" for a measurement with thresholds.
    static func thresholds(_ item: TemplateItem, locale: PageLocale, format: PageFormat) -> String? {
        let unit = item.unit.map { " " + $0 } ?? ""
        func value(_ number: Double) -> String { format.number(number) + unit }
        var parts: [String] = []
        switch locale {
        case .en:
            if let limit = item.nowBelow { parts.append("replace below \(value(limit))") }
            if let limit = item.laterBelow { parts.append("plan below \(value(limit))") }
            if let limit = item.nowAbove { parts.append("replace above \(value(limit))") }
            if let limit = item.laterAbove { parts.append("plan above \(value(limit))") }
        case .nl:
            if let limit = item.nowBelow { parts.append("vervangen onder \(value(limit))") }
            if let limit = item.laterBelow { parts.append("inplannen onder \(value(limit))") }
            if let limit = item.nowAbove { parts.append("vervangen boven \(value(limit))") }
            if let limit = item.laterAbove { parts.append("inplannen boven \(value(limit))") }
        }
        guard let first = parts.first else { return nil }
        let sentence = ([first.prefix(1).uppercased() + first.dropFirst()] + parts.dropFirst()).joined(separator: ", ")
        return sentence
    }
}
