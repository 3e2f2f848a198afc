import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RevisitModel

/// An answer as a test looks at it: status, headers, raw bytes and the body as JSON when it is JSON.
public struct Answer: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var bytes: [UInt8]

    public var json: JSONValue { (try? JSONValue.parse(Data(bytes))) ?? .null }
    public var object: [String: JSONValue] { json.objectValue ?? [:] }
    public subscript(key: String) -> JSONValue? { object[key] }
    public var contentType: String { headers.first(name: "content-type") ?? "" }

    /// Whether this is an RFC 9457 problem of this status whose type ends in `slug`.
    public func isProblem(_ status: Int, _ slug: String? = nil) -> Bool {
        guard self.status == status, contentType.hasPrefix("application/problem+json"),
            let type = self["type"]?.stringValue, self["title"]?.stringValue != nil,
            self["status"]?.intValue == Int64(status)
        else { return false }
        return slug == nil || type.split(separator: "/").last.map(String.init) == slug
    }
}

/// Speaks HTTP to a test server over loopback.
public struct API: Sendable {
    public let baseURL: String
    public var token: String?
    /// The shared client, or one with its own TLS trust (the HTTPS tests).
    public var client: HTTPClient = .shared

    public init(baseURL: String, token: String? = nil) {
        self.baseURL = baseURL
        self.token = token
    }

    public func send(
        _ method: HTTPMethod,
        _ path: String,
        json: JSONValue? = nil,
        raw: [UInt8]? = nil,
        contentType: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.body = .bytes(ByteBuffer(data: json.jsonData()))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        } else if let raw {
            request.body = .bytes(ByteBuffer(bytes: raw))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 64 * 1_048_576)
        return Answer(status: Int(response.status.code), headers: response.headers, bytes: Array(buffer: body))
    }

    public func get(_ path: String) async throws -> Answer { try await send(.GET, path) }
    public func post(_ path: String, _ json: JSONValue) async throws -> Answer {
        try await send(.POST, path, json: json)
    }
}
