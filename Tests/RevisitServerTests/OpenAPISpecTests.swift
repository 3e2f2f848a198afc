import Foundation
import Testing

/// The spec is the single source of the HTTP contract; a broken one must not land even if the generator copes.
@Suite("OpenAPI spec")
struct OpenAPISpecTests {
    static var packageRoot: URL {
        URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../..").standardized
    }

    @Test("OpenAPI/openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator)")
    func specIsValid() throws {
        let spec = Self.packageRoot.appending(path: "OpenAPI/openapi.yaml").path
        let (status, text) = try PythonTool.run(["-m", "openapi_spec_validator", spec])
        #expect(
            status == 0,
            "openapi-spec-validator failed (scripts/test.sh installs it into .venv and sets REVISIT_PYTHON): \(text)"
        )
        #expect(text.contains("OK"), "\(text)")
    }
}

/// The Python that has the test tools (openapi-spec-validator, standardwebhooks): `REVISIT_PYTHON`, else the
/// `.venv` that scripts/test.sh makes, else `python3`.
enum PythonTool {
    static var interpreter: String {
        if let python = ProcessInfo.processInfo.environment["REVISIT_PYTHON"] { return python }
        let venv = OpenAPISpecTests.packageRoot.appending(path: ".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// Runs the interpreter with `arguments`; returns its exit status and its output (stdout and stderr).
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [interpreter] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// ``run(_:)`` for long runs (a browser session): it waits without holding one of Swift's few cooperative threads,
    /// which the in-process test servers need meanwhile. Output goes to a file, read once the process has exited.
    static func runAsync(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appending(path: "revisit-python-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [interpreter] + arguments
        process.standardOutput = handle
        process.standardError = handle
        let status = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
