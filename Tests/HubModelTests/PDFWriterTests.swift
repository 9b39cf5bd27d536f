import Testing

@testable import HubModel

/// The PDF writer's structure: every cross-reference offset points at its object, text is UCS-2 hex, numbers are
/// plain decimals. (That a reader draws it is checked by the browser suite, which renders a report to PNG.)
@Suite struct PDFWriterTests {
    func document() -> [UInt8] {
        var page = PDFPage()
        page.text("风险预警月报 2026-11", x: 50, y: 790, size: 18)
        page.fill(x: 50, y: 600, width: 120.5, height: 40.25, color: PDFColor(0.2, 0.4, 0.8))
        page.line(from: (50, 590), to: (545, 590))
        page.text("𠀀", x: 50, y: 560, size: 12)
        var doc = PDFDocument()
        doc.add(page)
        doc.add(PDFPage())
        return doc.bytes(title: "风险预警")
    }

    @Test func crossReferencesPointAtTheirObjects() throws {
        let bytes = document()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4\n"))
        #expect(text.hasSuffix("%%EOF\n"))
        let startxref = try #require(text.range(of: "startxref\n"))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        #expect(Array(bytes[xrefOffset..<(xrefOffset + 4)]) == Array("xref".utf8))
        let lines = String(decoding: bytes[xrefOffset...], as: UTF8.self).split(separator: "\n")
        let count = try #require(Int(lines[1].split(separator: " ")[1]))
        #expect(count == 6 + 2 * 2 + 1)
        for n in 1..<count {
            let offset = try #require(Int(lines[2 + n].prefix(10)))
            let head = String(decoding: bytes[offset..<(offset + 8)], as: UTF8.self)
            #expect(head.hasPrefix("\(n) 0 obj"))
        }
    }

    @Test func textIsUCS2HexAndBeyondTheBMPIsAFullWidthQuestionMark() {
        let text = String(decoding: document(), as: UTF8.self)
        #expect(text.contains("<98CE966998848B66670862A500200032003000320036002D00310031> Tj"))
        #expect(text.contains("<FF1F> Tj"))
        #expect(text.contains("0.2 0.4 0.8 rg 50 600 120.5 40.25 re f"))
        #expect(text.contains("1 0 0 1 50 790 Tm"))
        #expect(text.contains("/Title <FEFF98CE966998848B66> "))
    }

    @Test func widthsFollowTheFontsDeclaredWidths() {
        #expect(PDFPage.width(of: "ab风险", size: 10) == 30)
        #expect(PDFPage.fitting("风险预警月报", width: 40, size: 10) == "风险预…")
        #expect(PDFPage.fitting("风险", width: 40, size: 10) == "风险")
    }
}
