import Foundation
import RevisitModel

/// Writes results: text for people, or one JSON document for scripts (`--json`); errors go to stderr.
struct Output: Sendable {
    let json: Bool

    /// A line of text for people (nothing with `--json`).
    func text(_ line: String = "") {
        guard !json else { return }
        print(line)
    }

    /// The JSON document (only with `--json`); nulls are written, as the Contract's `"lastSync": null` needs.
    func document(_ value: JSONValue) {
        guard json else { return }
        print(value.jsonString)
    }

    /// A note for people that is not the command's result (stderr, so stdout stays parseable).
    func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// An error: `revisit: message` and the suggestions, or a JSON object on stderr with `--json`.
    func failure(code: String, message: String, suggestions: [String]) {
        if json {
            var object: [String: JSONValue] = ["error": .string(code), "message": .string(message)]
            if !suggestions.isEmpty { object["suggestions"] = .array(suggestions.map(JSONValue.string)) }
            note(JSONValue.object(object).jsonString)
        } else {
            note("revisit: \(message)")
        }
    }
}

/// A plain text table with left-aligned columns.
struct Table {
    var headers: [String]
    var rows: [[String]] = []

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
