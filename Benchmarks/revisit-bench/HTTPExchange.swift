import Foundation
import NIOHTTP1

/// One request's answer and its wall time, from sending the request to the last byte of the body.
struct HTTPExchange: Sendable {
    let status: Int
    let body: Data
    let seconds: Double

    /// The start of the body as text, for error messages.
    var bodyPreview: String {
        String(decoding: body.prefix(600), as: UTF8.self)
    }
}

extension HTTPHeaders {
    /// The server's own time for an answer, from its `Server-Timing: app;dur=MS`.
    var serverTimingSeconds: Double? {
        self["Server-Timing"].first.flatMap { $0.split(separator: "=").last }.flatMap { Double($0) }.map { $0 / 1000 }
    }
}
