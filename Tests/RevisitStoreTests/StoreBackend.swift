import Foundation
import RevisitModel
import RevisitStore
import Testing

/// A backend the conformance suite runs against. PostgreSQL joins this list when its store exists.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (TestWallClock) async throws -> (any SyncStore, @Sendable () -> Void)

    var testDescription: String { name }

    static let sqlite = StoreBackend(name: "SQLite") { clock in
        let directory = FileManager.default.temporaryDirectory.appending(path: "revisit-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteSyncStore(
            path: directory.appending(path: "store.sqlite").path,
            clock: clock,
            hlc: ServerHLC(clock: clock)
        )
        return (store, { try? FileManager.default.removeItem(at: directory) })
    }

    static let all: [StoreBackend] = [.sqlite]
}
