import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import RevisitModel
import RevisitServer
import RevisitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to a test server, for what an HTTP client library would never send: half a header, a body
/// that stops. ``sendThenReadToClose(_:within:)`` waits for the server to close the connection.
struct RawConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func open(port: Int) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawConnection(channel: channel)
    }

    /// Sends `text`, then reads until the server closes; returns what it answered.
    func sendThenReadToClose(_ text: String, within limit: Duration = .seconds(30)) async throws -> String {
        try await channel.executeThenClose { inbound, outbound in
            if !text.isEmpty {
                do {
                    try await outbound.write(ByteBuffer(string: text))
                } catch ChannelError.ioOnClosedChannel {
                    return ""  // The server closed it before the bytes went out: closed, and nothing answered.
                }
            }
            return try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    var answer = ""
                    do {
                        for try await buffer in inbound { answer += String(buffer: buffer) }
                    } catch {
                        // A reset (the server closed before bytes we sent arrived) is a close too.
                    }
                    return answer
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw TestFailure("the server kept the connection open for \(limit)") }
                return first
            }
        }
    }
}

extension TestServer {
    var port: Int { Int(baseURL.split(separator: ":").last ?? "0") ?? 0 }
}

@Suite("Facing the internet")
struct EdgeEndToEndTests {
    @Test("half a request header is closed after the header timeout; a stalled body after the body timeout")
    func slowRequestsAreClosed() async throws {
        try await TestServer.with({
            $0.edge.headerTimeout = .seconds(1)
            $0.edge.bodyTimeout = .seconds(1)
        }) { server in
            let half = try await RawConnection.open(port: server.port)
            let stalled = try await RawConnection.open(port: server.port)
            async let halfAnswer = half.sendThenReadToClose("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow")
            async let stalledAnswer = stalled.sendThenReadToClose(
                "POST /v1/sync/push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"clientId\":"
            )
            // Meanwhile a normal request is served.
            #expect(try await API(baseURL: server.baseURL).get("/health").status == 200)
            #expect(try await halfAnswer == "", "closed without an answer")
            _ = try await stalledAnswer
        }
    }

    @Test("a kept-alive connection without a request is closed after the idle timeout")
    func idleConnectionsAreClosed() async throws {
        try await TestServer.with({ $0.edge.idleTimeout = .seconds(1) }) { server in
            // On a loaded machine the request may reach the server after the idle second has already run out, and
            // the connection is closed unanswered (also right); the test then tries again for an answered one.
            var answers: [String] = []
            for _ in 0..<5 {
                let connection = try await RawConnection.open(port: server.port)
                let answer = try await connection.sendThenReadToClose(
                    "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
                    within: .seconds(15)
                )
                answers.append(String(answer.prefix(40)))
                if !answer.isEmpty { break }
            }
            #expect(answers.last?.hasPrefix("HTTP/1.1 200") == true, "answered, then closed when idle: \(answers)")
        }
    }

    @Test("past --max-connections a new connection gets 503 with Retry-After and is closed; a freed place is reused")
    func connectionLimit() async throws {
        try await TestServer.with({ $0.edge.maxConnections = 2 }) { server in
            let held = [
                try await RawConnection.open(port: server.port), try await RawConnection.open(port: server.port),
            ]
            // Both are counted once the server has set them up; a request on each shows it has.
            for connection in held {
                try await connection.channel.channel.writeAndFlush(
                    ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                )
            }
            try await Task.sleep(for: .milliseconds(300))
            let refused = try await RawConnection.open(port: server.port)
            let answer = try await refused.sendThenReadToClose("")
            #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer.prefix(60))")
            #expect(answer.contains("Retry-After: 1"))
            #expect(answer.contains(#""type":"unavailable""#))
            for connection in held { try await connection.channel.channel.close() }
            try await eventually("a place is free again", timeout: .seconds(10)) {
                (try? await API(baseURL: server.baseURL).get("/health").status) == 200
            }
        }
    }

    @Test(
        "20 wrong tokens a minute from one address: the 21st request gets 429 with Retry-After, even with a good token"
    )
    func wrongTokensAreLimited() async throws {
        try await TestServer.with { server in
            let good = try await server.token()
            let wrong = API(baseURL: server.baseURL, token: "rvt_00000000000000000000000000000000_nope")
            for _ in 0..<20 { #expect(try await wrong.get("/v1/inspections").isProblem(401, "unauthorized")) }
            let limited = try await wrong.get("/v1/inspections")
            #expect(limited.isProblem(429, "too-many-requests"))
            let seconds = Int(limited.headers.first(name: "retry-after") ?? "") ?? 0
            #expect((1...60).contains(seconds))
            // Decided before any lookup: the address is limited, whatever it sends.
            #expect(try await API(baseURL: server.baseURL, token: good).get("/v1/inspections").status == 429)
            #expect(try await API(baseURL: server.baseURL).get("/health").status == 200, "open routes stay open")
            server.clock.advance(by: 61)
            #expect(try await API(baseURL: server.baseURL, token: good).get("/v1/inspections").status == 200)
        }
    }

    @Test("behind a trusted proxy each X-Forwarded-For address has its own limit; an untrusted one is ignored")
    func trustedProxy() async throws {
        try await TestServer.with({ $0.edge.trustedProxies = ["127.0.0.1"] }) { server in
            let wrong = API(baseURL: server.baseURL, token: "rvt_00000000000000000000000000000000_nope")
            for _ in 0..<20 {
                _ = try await wrong.send(.GET, "/v1/inspections", headers: [("X-Forwarded-For", "127.0.0.7")])
            }
            let first = try await wrong.send(.GET, "/v1/inspections", headers: [("X-Forwarded-For", "127.0.0.7")])
            #expect(first.status == 429)
            let second = try await wrong.send(.GET, "/v1/inspections", headers: [("X-Forwarded-For", "127.0.0.8")])
            #expect(second.status == 401, "another client behind the same proxy")
        }
        try await TestServer.with { server in
            let wrong = API(baseURL: server.baseURL, token: "rvt_00000000000000000000000000000000_nope")
            for index in 0..<20 {
                _ = try await wrong.send(.GET, "/v1/inspections", headers: [("X-Forwarded-For", "127.0.1.\(index)")])
            }
            let forged = try await wrong.send(.GET, "/v1/inspections", headers: [("X-Forwarded-For", "127.0.2.1")])
            #expect(forged.status == 429, "no proxy is trusted: a forged X-Forwarded-For changes nothing")
        }
    }

    @Test("a revoked token is refused at once on the instance that revoked it, though it was just remembered")
    func revokedTokenRefused() async throws {
        try await TestServer.with { server in
            let admin = API(baseURL: server.baseURL, token: try await server.token("acme", .admin))
            let created = try await admin.post("/v1/tokens", ["role": "device"])
            let token = try #require(created["token"]?.stringValue)
            let id = try #require(created["id"]?.stringValue)
            let device = API(baseURL: server.baseURL, token: token)
            #expect(try await device.get("/v1/inspections").status == 200)
            #expect(try await admin.send(.DELETE, "/v1/tokens/\(id)").status == 204)
            #expect(try await device.get("/v1/inspections").isProblem(401, "unauthorized"))
        }
    }
}

@Suite("Public URL")
struct PublicURLTests {
    @Test("with an https --public-url every answer carries HSTS; with none or http, none; a bad one stops start-up")
    func strictTransport() async throws {
        try await TestServer.with({ $0.edge.publicURL = "https://localhost:8443/" }) { server in
            let answer = try await API(baseURL: server.baseURL).get("/health")
            #expect(answer.headers.first(name: "strict-transport-security") == "max-age=31536000")
            let problem = try await API(baseURL: server.baseURL).get("/v1/inspections")
            #expect(problem.status == 401 && problem.headers.first(name: "strict-transport-security") != nil)
        }
        for url in [nil, "http://localhost:8080"] {
            try await TestServer.with({ $0.edge.publicURL = url }) { server in
                let answer = try await API(baseURL: server.baseURL).get("/health")
                #expect(answer.headers.first(name: "strict-transport-security") == nil)
            }
        }
        for bad in ["localhost:8080", "ftp://localhost", "https://", "https://localhost/?a=1"] {
            await #expect(throws: ConfigurationError.self, "\(bad)") {
                try await TestServer.with({ $0.edge.publicURL = bad }) { _ in }
            }
        }
    }
}
