/// One Server-Sent Event, as the WHATWG HTML standard's "dispatch the event" step hands it over.
struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, `message` when the event had none.
    var type: String
    /// The `data:` lines joined with `\n`.
    var data: String
    /// The last `id:` seen on the stream (it carries over to later events, as the standard says).
    var lastEventId: String
}

/// Turns the bytes of a `text/event-stream` into events, chunk by chunk, by the WHATWG HTML "interpreting an event
/// stream" rules.
///
/// It works on bytes rather than on `String` lines because a network chunk may end anywhere: inside a UTF-8
/// sequence, or between the CR and the LF of a `\r\n` (which must count as one line end, not two, or an empty line
/// would end the event early).
struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var afterCR = false
    private var atStart = true
    private var type = ""
    private var data = ""
    private var hasData = false
    private var lastEventId = ""
    /// The `retry:` the server asked for, in milliseconds (kept for callers that honour it).
    private(set) var retryMillis: Int?

    /// Feeds the next chunk; returns the events it completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                afterCR = true
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Processes the buffered line; a blank line dispatches the event being built.
    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            // A UTF-8 byte order mark at the very start of the stream is not part of the first field.
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }  // a comment, such as the server's keep-alive
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event": type = String(value)
        case "data":
            data += value + "\n"
            hasData = true
        case "id" where !value.contains("\0"): lastEventId = String(value)
        case "retry" where !value.isEmpty && value.allSatisfy(\.isASCIIDigit): retryMillis = Int(value)
        default: break  // unknown fields are ignored
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            type = ""
            data = ""
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(
            type: type.isEmpty ? "message" : type,
            data: String(data.dropLast()),
            lastEventId: lastEventId
        )
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
