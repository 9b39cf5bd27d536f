/// A small PDF 1.4 writer for the hub's printable reports: text, filled rectangles and lines on A4 pages.
///
/// Why not a library: none resolves on this machine kind, and a report needs little. Chinese text uses the
/// Adobe-GB1 font every PDF reader supplies (`STSong-Light` with the `UniGB-UCS2-H` encoding, not embedded), the
/// way ReportLab's CID fonts do, so a report is a few kilobytes and needs no font file. Characters outside the
/// Basic Multilingual Plane print as `？`.
public struct PDFDocument: Sendable {
    /// A4 in points.
    public static let pageWidth = 595.0
    public static let pageHeight = 842.0

    public private(set) var pages: [PDFPage] = []

    public init() {}

    public mutating func add(_ page: PDFPage) { pages.append(page) }

    /// The document's bytes, with `title` in its information dictionary.
    public func bytes(title: String) -> [UInt8] {
        // The second line's four high bytes mark the file as binary for tools that guess.
        var out: [UInt8] = Array("%PDF-1.4\n".utf8) + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        func object(_ body: String) {
            offsets.append(out.count)
            out += Array("\(offsets.count) 0 obj\n\(body)\nendobj\n".utf8)
        }
        // 1 catalog, 2 pages, 3–5 font, 6 info, then a page and its content per page.
        let firstPage = 7
        let kids = pages.indices.map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        object("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>")
        object(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                + "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
        )
        object(
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
                + "/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
        )
        object("<< /Title <FEFF\(PDFPage.hex(title))> /Producer (supervision data hub) >>")
        for (i, page) in pages.enumerated() {
            object(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Int(Self.pageWidth)) \(Int(Self.pageHeight))] "
                    + "/Resources << /Font << /F1 3 0 R >> >> /Contents \(firstPage + 2 * i + 1) 0 R >>"
            )
            let stream = Array(page.operators.utf8)
            object("<< /Length \(stream.count) >>\nstream\n\(page.operators)\nendstream")
        }
        let xref = out.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 6 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return out
    }
}

/// An RGB colour with components from 0 to 1.
public struct PDFColor: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(_ red: Double, _ green: Double, _ blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let black = PDFColor(0, 0, 0)
    public static let gray = PDFColor(0.45, 0.45, 0.45)
    public static let lightGray = PDFColor(0.85, 0.85, 0.85)

    var operands: String { "\(PDFPage.number(red)) \(PDFPage.number(green)) \(PDFPage.number(blue))" }
}

/// One page's drawing, in PDF user space (points, origin at the bottom left).
public struct PDFPage: Sendable {
    public private(set) var operators = ""

    public init() {}

    /// Draws `text` with its baseline starting at (`x`, `y`).
    public mutating func text(_ text: String, x: Double, y: Double, size: Double, color: PDFColor = .black) {
        operators += "BT /F1 \(Self.number(size)) Tf \(color.operands) rg 1 0 0 1 \(Self.number(x)) \(Self.number(y)) Tm <\(Self.hex(text))> Tj ET\n"
    }

    public mutating func fill(x: Double, y: Double, width: Double, height: Double, color: PDFColor) {
        operators += "\(color.operands) rg \(Self.number(x)) \(Self.number(y)) \(Self.number(width)) \(Self.number(height)) re f\n"
    }

    public mutating func line(from: (Double, Double), to: (Double, Double), width: Double = 0.5, color: PDFColor = .gray) {
        operators +=
            "\(color.operands) RG \(Self.number(width)) w \(Self.number(from.0)) \(Self.number(from.1)) m \(Self.number(to.0)) \(Self.number(to.1)) l S\n"
    }

    /// The width `text` takes at `size`: a full em for each wide character, half for ASCII, as the font's
    /// widths (`/DW 1000 /W [1 95 500]`) say.
    public static func width(of text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0.0) { $0 + ($1.value < 0x80 ? 0.5 : 1.0) } * size
    }

    /// The longest prefix of `text` that fits `width` at `size`, with `…` when cut.
    public static func fitting(_ text: String, width: Double, size: Double) -> String {
        guard Self.width(of: text, size: size) > width else { return text }
        var out = ""
        var used = size  // room for the ellipsis
        for scalar in text.unicodeScalars {
            used += (scalar.value < 0x80 ? 0.5 : 1.0) * size
            if used > width { break }
            out.unicodeScalars.append(scalar)
        }
        return out + "…"
    }

    /// UTF-16BE code units in hex, what the UCS2 encoding reads; outside the BMP becomes `？`.
    static func hex(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count * 4)
        for scalar in text.unicodeScalars {
            let unit = scalar.value <= 0xFFFF ? scalar.value : 0xFF1F
            for shift in [12, 8, 4, 0] { out.append(digits[Int((unit >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A number as PDF writes it: at most two decimals, no exponent.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(magnitude / 100)" }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return "\(sign)\(magnitude / 100).\(digits)"
    }
}
