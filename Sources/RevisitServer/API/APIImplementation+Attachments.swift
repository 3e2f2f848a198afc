import Crypto
import Foundation
import OpenAPIRuntime
import RevisitAPI
import RevisitStore

extension APIImplementation {
    func putAttachment(_ input: Operations.putAttachment.Input) async throws -> Operations.putAttachment.Output {
        let principal = try caller(.device, .admin)
        let sha = try Self.checkedHash(input.path.sha256)
        let (contentType, body) = Self.upload(input.body)
        let temporary = attachments.temporaryURL()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let (digest, size) = try await receive(body, into: temporary)
        guard digest == sha else {
            throw APIProblem.hashMismatch("the body's SHA-256 is \(digest), not the \(sha) of the path")
        }
        if try await !attachments.exists(sha) { try await attachments.commit(temporary: temporary, sha256: sha) }
        let record = AttachmentRecord(
            sha256: sha,
            contentType: contentType,
            size: size,
            createdAt: configuration.clock.now()
        )
        let created = try await store.recordAttachment(tenantId: principal.tenantId, record)
        let stored = try await store.attachment(tenantId: principal.tenantId, sha256: sha) ?? record
        let info = Components.Schemas.AttachmentInfo(
            sha256: sha,
            contentType: stored.contentType,
            size: stored.size,
            createdAt: stored.createdAt
        )
        return created ? .created(.init(body: .json(info))) : .ok(.init(body: .json(info)))
    }

    func getAttachment(_ input: Operations.getAttachment.Input) async throws -> Operations.getAttachment.Output {
        let principal = try caller(.device, .admin, .integration)
        guard let sha = try? Self.checkedHash(input.path.sha256),
            let record = try await store.attachment(tenantId: principal.tenantId, sha256: sha)
        else { throw APIProblem.notFound("no attachment \(input.path.sha256)") }
        let etag = "\"\(sha)\""
        if let match = input.headers.If_hyphen_None_hyphen_Match, match == etag || match == "*" {
            return .notModified(.init(headers: .init(ETag: etag)))
        }
        let body = HTTPBody(attachments.chunks(sha), length: .known(record.size), iterationBehavior: .single)
        let payload: Operations.getAttachment.Output.Ok.Body =
            switch record.contentType {
            case "image/png": .png(body)
            case "image/heic": .image_heic(body)
            case "image/webp": .image_webp(body)
            case "video/mp4": .video_mp4(body)
            case "video/quicktime": .video_quicktime(body)
            default: .jpeg(body)
            }
        return .ok(.init(headers: .init(ETag: etag), body: payload))
    }

    func headAttachment(_ input: Operations.headAttachment.Input) async throws -> Operations.headAttachment.Output {
        let principal = try caller(.device, .admin, .integration)
        guard let sha = try? Self.checkedHash(input.path.sha256),
            let record = try await store.attachment(tenantId: principal.tenantId, sha256: sha)
        else { return .notFound(.init()) }
        return .ok(.init(headers: .init(ETag: "\"\(sha)\"", Content_hyphen_Length: record.size)))
    }

    /// Streams the body to a temporary file while hashing and counting it, so a 20 MB video never sits in memory.
    private func receive(_ body: HTTPBody, into url: URL) async throws -> (String, Int64) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: url)
        else {
            // A 500 `internal`: the answer shows nothing of it, the log says which file could not be written.
            throw AttachmentSpoolError(path: url.path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        let limit = Int64(configuration.limits.attachmentBytes)
        for try await chunk in body {
            size += Int64(chunk.count)
            guard size <= limit else {
                throw APIProblem.payloadTooLarge("an attachment may be at most \(limit / 1_048_576) MB")
            }
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
        }
        try handle.synchronize()
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }

    static func checkedHash(_ text: String) throws -> String {
        let sha = text.lowercased()
        guard sha.count == 64, sha.allSatisfy(\.isHexDigit) else {
            throw APIProblem.malformed("an attachment is addressed by the 64 hex digits of its SHA-256")
        }
        return sha
    }

    private static func upload(_ body: Operations.putAttachment.Input.Body) -> (String, HTTPBody) {
        switch body {
        case .jpeg(let body): ("image/jpeg", body)
        case .png(let body): ("image/png", body)
        case .image_heic(let body): ("image/heic", body)
        case .image_webp(let body): ("image/webp", body)
        case .video_mp4(let body): ("video/mp4", body)
        case .video_quicktime(let body): ("video/quicktime", body)
        }
    }
}

/// The temporary file an upload streams into could not be created (a full or read-only data folder).
struct AttachmentSpoolError: Error, CustomStringConvertible {
    let path: String
    var description: String { "could not create the upload's temporary file at \(path)" }
}
