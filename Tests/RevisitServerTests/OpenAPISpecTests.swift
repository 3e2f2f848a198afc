import Foundation
import Testing

/// The spec is the single source of the HTTP contract; a broken one must not land even if the generator copes.
@Suite("OpenAPI spec")
struct OpenAPISpecTests {
    static var packageRoot: URL { URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../..").standardized }

    @Test("OpenAPI/openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator)")
    func specIsValid() throws {
        let python = ProcessInfo.processInfo.environment["REVISIT_PYTHON"] ?? "python3"
        let spec = Self.packageRoot.appending(path: "OpenAPI/openapi.yaml").path
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [python, "-m", "openapi_spec_validator", spec]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0,
            "openapi-spec-validator failed (scripts/test.sh installs it into .venv and sets REVISIT_PYTHON): \(text)")
        #expect(text.contains("OK"), "\(text)")
    }
}
