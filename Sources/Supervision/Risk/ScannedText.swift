/// A text field of an observation prepared for the term matcher: folded (full-width ASCII to ASCII, letters to
/// lower case) with white space and zero-width characters left out, and the map back to the original scalars.
///
/// Advertisers write `保 本 保 息`, `年化１２％` and `ＯＴＣ` to slip past filters; folding makes them the same
/// text as the plain spelling, while `original` keeps every offset in the field as sent (`TextMatch` counts
/// Unicode scalars of the original field).
struct ScannedText: Sendable {
    /// The field as sent, as scalars.
    let scalars: [Unicode.Scalar]
    /// Folded scalars without white space: what terms are matched against.
    let folded: [UInt32]
    /// For each folded scalar, its offset in `scalars`.
    let original: [Int]

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var folded: [UInt32] = []
        var original: [Int] = []
        folded.reserveCapacity(scalars.count)
        original.reserveCapacity(scalars.count)
        for (i, s) in scalars.enumerated() {
            guard let f = Self.fold(s.value) else { continue }
            folded.append(f)
            original.append(i)
        }
        self.scalars = scalars
        self.folded = folded
        self.original = original
    }

    /// The folded form of one scalar, nil for the characters matching skips (white space, zero-width marks).
    static func fold(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200F, 0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF:
            return nil
        case 0xFF01...0xFF5E:
            return fold(v - 0xFEE0)
        case 0x41...0x5A:
            return v + 0x20
        default:
            return v
        }
    }

    /// A term as the matcher holds it.
    static func foldTerm(_ term: String) -> [UInt32] {
        term.unicodeScalars.compactMap { fold($0.value) }
    }

    /// The folded text with white space kept, one scalar for one scalar, for the patterns (so that their offsets
    /// are the original's too).
    var foldedKeepingSpace: String {
        var out = String.UnicodeScalarView()
        for s in scalars {
            let v: UInt32 = (0xFF01...0xFF5E).contains(s.value) ? s.value - 0xFEE0 : s.value
            out.append(Unicode.Scalar(v) ?? s)
        }
        return String(out)
    }

    /// The original span of folded `start..<end` as a match on `field`.
    func match(field: String, start: Int, end: Int) -> TextMatch {
        let from = original[start]
        let to = original[end - 1] + 1
        return TextMatch(field: field, offset: from, length: to - from, text: String(String.UnicodeScalarView(scalars[from..<to])))
    }
}
