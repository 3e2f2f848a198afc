import Foundation
import Synchronization

/// Attachment bytes as files under the data folder, content-addressed (`ab/abcdef…`): identical bytes are kept
/// once whatever the tenant, while the store's metadata decides which tenant may see them.
public struct FileAttachmentBlobs: AttachmentBlobs {
    public let root: URL

    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root.appending(path: "tmp"), withIntermediateDirectories: true)
    }

    public func url(for sha256: String) -> URL {
        root.appending(path: String(sha256.prefix(2))).appending(path: sha256)
    }

    public func exists(_ sha256: String) async throws -> Bool {
        FileManager.default.fileExists(atPath: url(for: sha256).path)
    }

    /// A fresh temporary file in the data folder (same file system as the final place, so that `rename` is atomic).
    public func temporaryURL() -> URL { root.appending(path: "tmp").appending(path: UUID().uuidString) }

    /// Moves a verified temporary file into place; a concurrent upload of the same bytes simply wins the race.
    public func commit(temporary: URL, sha256: String) async throws {
        let target = url(for: sha256)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        if rename(temporary.path, target.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: ["errno": code])
        }
    }

    public func chunks(_ sha256: String) -> AsyncThrowingStream<ArraySlice<UInt8>, any Error> {
        let handle = Mutex<FileHandle?>(try? FileHandle(forReadingFrom: url(for: sha256)))
        return AsyncThrowingStream {
            try handle.withLock { current -> ArraySlice<UInt8>? in
                guard let file = current else { return nil }
                guard let data = try file.read(upToCount: 65536), !data.isEmpty else {
                    try? file.close()
                    current = nil
                    return nil
                }
                return ArraySlice(data)
            }
        }
    }
}
