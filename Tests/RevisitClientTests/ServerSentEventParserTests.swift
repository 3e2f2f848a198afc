import Testing

@testable import RevisitClient

/// The event-stream parser against the WHATWG rules the server and proxies may exercise.
@Suite("Server-Sent Events parsing")
struct ServerSentEventParserTests {
    static func parse(_ chunks: [String]) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return chunks.flatMap { parser.feed(Array($0.utf8)) }
    }

    @Test("events, comments, multi-line data and the default type")
    func basics() {
        let events = Self.parse([
            ": keep-alive\n\nevent: version\ndata: {\"cursor\":\"1\"}\n\n", "data: a\ndata:b\nid: 7\n\n",
            "data\n\nevent: ignored-without-data\n\n",
        ])
        #expect(
            events == [
                ServerSentEvent(type: "version", data: "{\"cursor\":\"1\"}", lastEventId: ""),
                ServerSentEvent(type: "message", data: "a\nb", lastEventId: "7"),
                ServerSentEvent(type: "message", data: "", lastEventId: "7"),
            ]
        )
    }

    @Test("CRLF split across chunks, lone CR, a byte order mark and an unfinished event")
    func lineEnds() {
        let events = Self.parse([
            "\u{FEFF}event: version\r", "\ndata: {\"cursor\":\"2\"}\r", "\n\r", "\n",
            "data: x\r\rdata: cut off",
        ])
        #expect(events.map(\.data) == ["{\"cursor\":\"2\"}", "x"])
        #expect(events.first?.type == "version")
        #expect(StreamCursor(events[0])?.cursor == "2")
    }

    @Test("a UTF-8 character split across chunks")
    func splitCharacter() {
        let bytes = Array("data: Prüfung\n\n".utf8)
        var parser = ServerSentEventParser()
        let events = parser.feed(bytes[..<9]) + parser.feed(bytes[9...])
        #expect(events.map(\.data) == ["Prüfung"])
    }

    @Test("cursors compare as numbers when they are numbers")
    func cursorOrder() {
        #expect(isCursor("10", beyond: "9"))
        #expect(!isCursor("9", beyond: "10"))
        #expect(!isCursor("10", beyond: "10"))
        #expect(isCursor("1", beyond: nil))
        #expect(isCursor("b", beyond: "a"))
    }
}
