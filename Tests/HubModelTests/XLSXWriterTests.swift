import Testing

@testable import HubModel

/// The export workbook: the ZIP's checksums, the cell references and the escaping spreadsheet programs need.
@Suite struct XLSXWriterTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func columnsAreLettersAfterZ() {
        #expect(XLSXWriter.column(0) == "A")
        #expect(XLSXWriter.column(25) == "Z")
        #expect(XLSXWriter.column(26) == "AA")
        #expect(XLSXWriter.column(701) == "ZZ")
        #expect(XLSXWriter.column(702) == "AAA")
    }

    @Test func cellsAreEscapedAndControlCharactersDropped() {
        #expect(XLSXWriter.escape("A&B <c> \"d\"\u{1}") == "A&amp;B &lt;c&gt; &quot;d&quot;")
    }

    @Test func theArchiveHasFivePartsAndTheCellsInline() {
        let bytes = XLSXWriter.workbook(sheet: "抽查任务", header: ["任务编号"], rows: [["HY-1"], ["雁城 & 石鼓"]])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        // End of central directory: signature, then 5 entries on this disk and in total.
        let end = Array(bytes.suffix(22))
        #expect(end.starts(with: [0x50, 0x4B, 0x05, 0x06]))
        #expect(end[8] == 5 && end[10] == 5)
        #expect(text.contains(#"<c r="A3" t="inlineStr"><is><t xml:space="preserve">雁城 &amp; 石鼓</t></is></c>"#))
        #expect(text.contains(#"<sheet name="抽查任务""#))
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        #expect(CSVWriter.line(["a", "b,c", "say \"hi\"", "x\ny"]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n")
        #expect(CSVWriter.document(header: ["h"], rows: [["v"]]) == "\u{FEFF}h\r\nv\r\n")
    }
}
