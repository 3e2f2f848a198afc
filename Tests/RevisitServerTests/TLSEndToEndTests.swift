import AsyncHTTPClient
import Foundation
import NIOSSL
import RevisitModel
import RevisitTestSupport
import Testing

@testable import RevisitServer

#if canImport(Glibc)
import Glibc
#endif

/// HTTPS in the server itself (DESIGN section 9): self-signed certificates made with Debian's `openssl`, pushes over
/// TLS from AsyncHTTPClient and curl, and a new certificate picked up on SIGHUP without a restart.
@Suite("HTTPS", .serialized)
struct TLSEndToEndTests {
    /// A fresh self-signed certificate for localhost and 127.0.0.1, and its key, under `directory`.
    static func makeCertificate(in directory: URL, name: String) throws -> (certificate: String, key: String) {
        let certificate = directory.appending(path: "\(name).crt").path
        let key = directory.appending(path: "\(name).key").path
        try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=localhost \(name)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key, "-out", certificate,
            ]
        )
        return (certificate, key)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func folder() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func pushBody() -> String {
        let mutation: JSONValue = [
            "id": 1, "entity": "customer", "entityId": .string(UUID().uuidString.lowercased()), "op": "upsert",
            "baseVersion": 0, "hlc": ["wall": 1_765_000_000_000, "counter": 0], "fields": ["name": "TLS"],
        ]
        let body: JSONValue = ["clientId": .string(UUID().uuidString.lowercased()), "mutations": [mutation]]
        return String(decoding: body.jsonData(), as: UTF8.self)
    }

    /// curl's exit status and the HTTP status it saw (0 when the TLS handshake or verification failed).
    static func curlPush(_ url: String, token: String, trusting certificate: String) throws -> (Int32, Int) {
        let result = try run(
            "/usr/bin/curl",
            [
                "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", certificate, "-H",
                "Authorization: Bearer \(token)", "-H", "Content-Type: application/json", "--data", pushBody(),
                url + "/v1/sync/push",
            ]
        )
        return (result.status, Int(result.output.suffix(3)) ?? 0)
    }

    @Test("a push over HTTPS from AsyncHTTPClient and from curl; plain HTTP on the port is not served")
    func pushOverTLS() async throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.makeCertificate(in: directory, name: "first")
        try await TestServer.with({
            $0.edge.tlsCertificate = files.certificate
            $0.edge.tlsKey = files.key
        }) { server in
            let https = server.baseURL.replacingOccurrences(of: "http://", with: "https://")
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(files.certificate)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            let token = try await server.token()
            var api = API(baseURL: https, token: token)
            api.client = client
            let answer = try await api.send(
                .POST,
                "/v1/sync/push",
                raw: Array(Self.pushBody().utf8),
                contentType: "application/json"
            )
            #expect(answer.status == 200)
            #expect(answer["results"]?.arrayValue?.first?.objectValue?["status"]?.stringValue == "applied")

            try await client.shutdown()

            let (status, code) = try Self.curlPush(https, token: token, trusting: files.certificate)
            #expect(status == 0 && code == 200, "curl exit \(status), HTTP \(code)")
            let plain = try Self.run(
                "/usr/bin/curl",
                ["-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", server.baseURL + "/health"]
            )
            #expect(plain.status != 0 || !plain.output.hasSuffix("200"), "plain HTTP is not answered: \(plain.output)")
        }
    }

    @Test("SIGHUP reads the certificate again: new connections get the new one, no restart")
    func reloadOnHangup() async throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Self.makeCertificate(in: directory, name: "first")
        let served = (directory.appending(path: "served.crt").path, directory.appending(path: "served.key").path)
        try FileManager.default.copyItem(atPath: first.certificate, toPath: served.0)
        try FileManager.default.copyItem(atPath: first.key, toPath: served.1)
        try await TestServer.with({
            $0.edge.tlsCertificate = served.0
            $0.edge.tlsKey = served.1
        }) { server in
            let https = server.baseURL.replacingOccurrences(of: "http://", with: "https://")
            let token = try await server.token()
            #expect(try Self.curlPush(https, token: token, trusting: first.certificate).1 == 200)

            let second = try Self.makeCertificate(in: directory, name: "second")
            // As a renewal does: the files are replaced in place (atomically), then the server is told.
            let certificate = try Data(contentsOf: URL(filePath: second.certificate))
            try certificate.write(to: URL(filePath: served.0), options: .atomic)
            try Data(contentsOf: URL(filePath: second.key)).write(to: URL(filePath: served.1), options: .atomic)
            kill(getpid(), SIGHUP)
            try await eventually("the server serves the second certificate", timeout: .seconds(10)) {
                try Self.curlPush(https, token: token, trusting: second.certificate).1 == 200
            }
            #expect(try Self.curlPush(https, token: token, trusting: first.certificate).1 == 0, "the first is gone")
        }
    }

    @Test("start-up refuses a missing certificate, a key of another certificate, and a key without a certificate")
    func startupErrors() async throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Self.makeCertificate(in: directory, name: "first")
        let second = try Self.makeCertificate(in: directory, name: "second")
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return ""
            } catch {
                return "\(error)"
            }
        }
        let missing = directory.appending(path: "absent.crt").path
        #expect(message { _ = try TLSCertificates.load(certificate: missing, key: first.key) }.contains(missing))
        let mismatched = message { _ = try TLSCertificates.load(certificate: first.certificate, key: second.key) }
        #expect(mismatched.contains("is not the key"), "\(mismatched)")
        #expect(message { _ = try TLSCertificates.load(certificate: first.certificate, key: first.key) } == "")
        var keyOnly = ServerConfiguration.Edge()
        keyOnly.tlsKey = first.key
        var keyOnlyMessage = ""
        do {
            _ = try await EdgeServer.make(keyOnly, logger: .init(label: "test"))
        } catch {
            keyOnlyMessage = "\(error)"
        }
        #expect(keyOnlyMessage.contains("needs --tls-cert"))
    }
}
