import Foundation
import OpenAPIRuntime
import RevisitModel

/// Dates out with milliseconds; dates in as any RFC 3339 timestamp, with or without fractional seconds (clients
/// write `2026-05-01T08:00:00Z` as often as not, and the runtime's ISO 8601 transcoders accept only one form).
struct FlexibleDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { RFC3339DateTime.string(from: date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339DateTime.date(from: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "\"\(text)\" is not an RFC 3339 timestamp")
            )
        }
        return date
    }
}
