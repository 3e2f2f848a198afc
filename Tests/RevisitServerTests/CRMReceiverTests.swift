import Foundation
import RevisitModel
import RevisitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The sample receiver a CRM developer starts (`Clients/crm-receiver`), run as the built binary on loopback.
@Suite("crm-receiver", .serialized)
struct CRMReceiverTests {
    @Test("verifies each signature: 204 and one JSON line for a good delivery, 401 for a forged one")
    func verifies() async throws {
        let binary = try #require(
            [URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "crm-receiver")]
                .first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "build crm-receiver first (swift build --build-tests builds it)"
        )
        let secret = StandardWebhooks.generateSecret()
        let port = try ServerProcess.freePort()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", String(port), "--secret", secret]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            Glibc.kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)/hook"
        let body = Array(
            #"{"type":"followup.released","timestamp":"2026-03-02T08:00:00.000Z","data":{"id":"f1"}}"#.utf8
        )
        let timestamp = Int64(Date().timeIntervalSince1970)
        let signature = try StandardWebhooks.signature(secret: secret, id: "evt_1", timestamp: timestamp, body: body)
        let api = API(baseURL: url)
        var answer: Answer?
        try await eventually("crm-receiver listens") {
            answer = try? await api.send(
                .POST,
                "",
                raw: body,
                contentType: "application/json",
                headers: [
                    ("webhook-id", "evt_1"), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature),
                ]
            )
            return answer != nil
        }
        #expect(answer?.status == 204)
        let forged = try await api.send(
            .POST,
            "",
            raw: body,
            contentType: "application/json",
            headers: [
                ("webhook-id", "evt_2"), ("webhook-timestamp", String(timestamp)), ("webhook-signature", "v1,Zm9yZ2Vk"),
            ]
        )
        #expect(forged.status == 401)
        Glibc.kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").compactMap { try? JSONValue.parse(Data($0.utf8)).objectValue }
        #expect(lines.count == 1, "only the verified delivery is printed: \(lines)")
        #expect(lines.first?["id"] == "evt_1" && lines.first?["type"] == "followup.released")
        #expect(lines.first?["verified"] == true)
    }
}
