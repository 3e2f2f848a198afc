import ArgumentParser
import Foundation
import RevisitClient
import RevisitModel

/// Runs a command's body against the store and turns failures into a message on stderr and the documented exit
/// code (see ``RevisitCommand``).
enum CLIExit {
    static let inputError: Int32 = 1
    static let rejected: Int32 = 2
    static let unreachable: Int32 = 3
    static let tokenRefused: Int32 = 4
    static let serverRefused: Int32 = 5

    static func run(
        _ options: GlobalOptions,
        retryPolicy: RetryPolicy = .default,
        _ body: (RevisitClient, Output) async throws -> Void
    ) async throws {
        let output = Output(json: options.json)
        do {
            let client = try RevisitClient(storePath: options.storePath, retryPolicy: retryPolicy)
            try await body(client, output)
        } catch let error as RevisitClientError {
            output.failure(code: error.code.description, message: error.message, suggestions: error.suggestions)
            throw ExitCode(exitCode(for: error.code))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            output.failure(code: "error", message: String(describing: error), suggestions: [])
            throw ExitCode(inputError)
        }
    }

    static func exitCode(for code: RevisitClientError.Code) -> Int32 {
        switch code {
        case .serverUnreachable: unreachable
        case .tokenRefused: tokenRefused
        case .serverRefused: serverRefused
        default: inputError
        }
    }
}
