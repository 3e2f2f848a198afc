import Foundation
import OpenAPIRuntime
import RevisitModel

/// Reads the server's timestamps with or without fractional seconds and any offset (RFC 3339), through the model's
/// one parser; OpenAPIRuntime's default transcoder accepts only one of the two forms.
struct RFC3339DateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { RFC3339DateTime.string(from: date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339DateTime.date(from: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not RFC 3339: \(text)"))
        }
        return date
    }
}
