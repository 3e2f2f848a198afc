import Crypto
import Foundation

/// Reads a photo or video for an item: its bytes, SHA-256 (lowercase hex, the attachment's address) and media
/// type, recognised from the first bytes (a file's name can lie) among the types the server accepts.
enum PhotoFile {
    static func read(_ url: URL) throws -> StoredAttachment {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw RevisitClientError(
                .attachmentUnreadable,
                "cannot read the photo \(url.path): \(error.localizedDescription)"
            )
        }
        guard let type = mediaType(of: bytes) else {
            throw RevisitClientError(
                .attachmentUnreadable,
                "\(url.path) is not a JPEG, PNG, HEIC or WebP image, nor an MP4 or QuickTime video"
            )
        }
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return StoredAttachment(sha256: hash, contentType: type, bytes: bytes)
    }

    /// The media type from the file's signature, or nil for a type the server does not take.
    static func mediaType(of bytes: Data) -> String? {
        let head = [UInt8](bytes.prefix(16))
        func ascii(_ range: Range<Int>) -> String {
            guard head.count >= range.upperBound else { return "" }
            return String(decoding: head[range], as: UTF8.self)
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if ascii(0..<4) == "RIFF" && ascii(8..<12) == "WEBP" { return "image/webp" }
        if ascii(4..<8) == "ftyp" {
            switch ascii(8..<12) {
            case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1": return "image/heic"
            case "qt  ": return "video/quicktime"
            default: return "video/mp4"
            }
        }
        return nil
    }
}
