import Testing

@testable import RevisitServer

/// The console writes its call list's rows itself, so its escaping must be Mustache's: the same five characters.
@Suite("HTML text")
struct HTMLTextTests {
    @Test("the five characters Mustache escapes are escaped alike; other text, accents and emoji pass as they are")
    func escaping() {
        #expect(HTMLText.escaped(#"<b>O'Brien & "Zn"</b>"#) == "&lt;b&gt;O&#39;Brien &amp; &quot;Zn&quot;&lt;/b&gt;")
        #expect(HTMLText.escaped("Jörg · 🚗 +31 6 12345678") == "Jörg · 🚗 +31 6 12345678")
        #expect(HTMLText.escaped("") == "")
        #expect(HTMLText.escaped("&amp;") == "&amp;amp;", "escaping is not undone")
    }

    @Test("a template's {{t.key}} becomes its escaped text; an unknown key stops the server at start")
    func textsWrittenIn() throws {
        let words = ["greeting": "Fish & chips", "other": "<i>"]
        #expect(
            try WebResources.withTexts("<p>{{t.greeting}}</p>{{name}}{{t.other}}", words, template: "t")
                == "<p>Fish &amp; chips</p>{{name}}&lt;i&gt;"
        )
        #expect(throws: (any Error).self) { try WebResources.withTexts("{{t.missing}}", words, template: "t") }
        #expect(throws: (any Error).self) { try WebResources.withTexts("{{{t.greeting}}}", words, template: "t") }
    }
}
