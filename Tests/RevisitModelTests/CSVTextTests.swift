import Testing

@testable import RevisitModel

@Suite("CSV text")
struct CSVTextTests {
    @Test("RFC 4180: commas, quotes and line breaks are quoted, quotes doubled, lines end in CRLF")
    func quoting() {
        #expect(CSVText.line(["a", "b c", ""]) == "a,b c,\r\n")
        #expect(CSVText.field("de Vries, J.") == "\"de Vries, J.\"")
        #expect(CSVText.field("the \"old\" pads") == "\"the \"\"old\"\" pads\"")
        #expect(CSVText.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.field("Müller ÄÖÜ ß") == "Müller ÄÖÜ ß", "UTF-8 passes as it is")
    }

    @Test("a field a spreadsheet would run as a formula is defused; phone numbers and amounts are not touched")
    func formulas() {
        #expect(CSVText.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVText.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.field("+cmd") == "'+cmd")
        #expect(CSVText.field("-2+3") == "-2+3")
        #expect(CSVText.field("+31 6 12345678") == "+31 6 12345678")
        #expect(CSVText.field("+(31) 6") == "+(31) 6")
        #expect(CSVText.field("-") == "-")
    }
}
