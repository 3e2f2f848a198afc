/// Finds the item codes nearest to a mistyped one, so "brake_pad_front" answers "did you mean brake_pads_front?".
enum NearestCodes {
    /// Up to `limit` codes, best first: codes that contain the typed text or are contained in it, then those
    /// within a few edits (Levenshtein distance, at most a third of the longer code's length).
    static func suggest(_ typed: String, among codes: [String], limit: Int = 3) -> [String] {
        let typed = typed.lowercased()
        let scored = codes.compactMap { code -> (String, Int)? in
            let distance = levenshtein(Array(typed.utf8), Array(code.utf8))
            let containment = !typed.isEmpty && (code.contains(typed) || typed.contains(code))
            let allowed = max(2, max(typed.utf8.count, code.utf8.count) / 3)
            guard containment || distance <= allowed else { return nil }
            return (code, containment ? distance - 100 : distance)
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// The edit distance between two byte strings.
    static func levenshtein(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (i, left) in lhs.enumerated() {
            current[0] = i + 1
            for (j, right) in rhs.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
