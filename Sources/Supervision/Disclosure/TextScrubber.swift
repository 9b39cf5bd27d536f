import HubModel

/// Removes personal data from free text before it is published (违法事实, 处罚结果, titles): DOMAIN.md §7.
///
/// Known strings first (the record tells the hub the party's addresses, phones, accounts and health data, and the
/// names of the persons it mentions), then patterns nothing told it about: runs of digits that are resident ID
/// numbers (18 characters, check digit right or wrong, and 15-digit old ones), mobiles, landlines and bank
/// accounts, and a name after a label such as `法定代表人：`. It over-masks rather than under-masks: a long
/// product lot number is hidden like an account.
public struct TextScrubber: Sendable {
    /// Full names of natural persons, masked wherever they appear (longest first, so 欧阳修文 before 欧阳修).
    public let names: [String]
    /// Text removed wherever it appears.
    public let removals: [String]
    /// 18-character codes kept as sent: the USCCs of the organisation party and of the agency.
    public let exemptCodes: Set<String>
    /// Each removal and name as UTF-8 bytes with what replaces it, in the order they are applied. Every text of
    /// every published act is searched for each of them, so the search runs on bytes: UTF-8 is
    /// self-synchronising, so a byte match is a match of whole characters' scalars, and Foundation's
    /// `contains` (CFString folding and grapheme search) cost a fifth of batch ingest's CPU.
    let replacements: [(find: [UInt8], with: [UInt8])]

    public static let removedMarker = "（已隐去）"

    /// Labels after which a short run of Chinese characters is a person's name.
    static let nameLabels = ["姓名", "法定代表人", "负责人", "经营者", "联系人", "证人", "当事人", "委托代理人", "代理人", "投诉人", "举报人", "监护人"]
    static let nameLabelBytes = nameLabels.map { Array($0.utf8) }
    static let nameLabelScalars = nameLabels.map { Array($0.unicodeScalars) }
    /// Labels that make a 7–8 digit run a landline without its area code.
    static let phoneLabels = ["电话", "座机", "联系方式", "传真", "Tel", "tel", "TEL"]
    /// Labels that make any run of 6 or more digits an account.
    static let accountLabels = ["账号", "帐号", "账户", "帐户", "卡号", "开户"]

    public init(names: [String], removals: [String], exemptCodes: Set<String>) {
        self.names = names.filter { $0.count >= 2 }.sorted { $0.count > $1.count }
        self.removals = removals.filter { $0.count >= 2 }.sorted { $0.count > $1.count }
        self.exemptCodes = exemptCodes
        let marker = Array(Self.removedMarker.utf8)
        self.replacements =
            self.removals.map { (Array($0.utf8), marker) } + self.names.map { (Array($0.utf8), Array(Self.maskName($0).utf8)) }
    }

    public func scrub(_ text: String) -> String {
        var out = text
        if !replacements.isEmpty {
            var bytes = Array(text.utf8)
            var changed = false
            for r in replacements where Self.replaceAll(r.find, with: r.with, in: &bytes) { changed = true }
            if changed { out = String(decoding: bytes, as: UTF8.self) }
        }
        out = scrubDigits(out)
        return maskLabelledNames(out)
    }

    /// Replaces every occurrence of `needle` in `bytes`, left to right without overlaps; whether any was found.
    static func replaceAll(_ needle: [UInt8], with replacement: [UInt8], in bytes: inout [UInt8]) -> Bool {
        guard var at = firstIndex(of: needle, in: bytes, from: 0) else { return false }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        repeat {
            out.append(contentsOf: bytes[cursor..<at])
            out.append(contentsOf: replacement)
            cursor = at + needle.count
            guard let next = firstIndex(of: needle, in: bytes, from: cursor) else { break }
            at = next
        } while true
        out.append(contentsOf: bytes[cursor...])
        bytes = out
        return true
    }

    /// Where `needle` first occurs in `bytes` at or after `from`.
    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, bytes.count - from >= needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { n in
                var i = from
                let last = hay.count - n.count
                while i <= last {
                    if hay[i] == first {
                        var k = 1
                        while k < n.count, hay[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// A name as published: its first character and one `*` for each further character (张三丰 → 张**), so the
    /// length of the name stays visible, as most portals show it. A one-character name becomes `*`.
    public static func maskName(_ name: String) -> String {
        let chars = Array(name)
        guard chars.count > 1 else { return chars.isEmpty ? "" : "*" }
        return String(chars[0]) + String(repeating: "*", count: chars.count - 1)
    }

    static func isHan(_ c: Unicode.Scalar) -> Bool { (0x3400...0x9FFF).contains(c.value) }

    /// `法定代表人：张三` → `法定代表人：张*`: after a label and a colon, a run of 2–4 Chinese characters that ends
    /// there (a longer run is an organisation's name and stays).
    func maskLabelledNames(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let present = Self.nameLabelBytes.indices.filter { Self.firstIndex(of: Self.nameLabelBytes[$0], in: bytes, from: 0) != nil }
        guard !present.isEmpty else { return text }
        var scalars = Array(text.unicodeScalars)
        var changed = false
        for labelIndex in present {
            let l = Self.nameLabelScalars[labelIndex]
            var i = 0
            while i + l.count < scalars.count {
                guard scalars[i] == l[0], scalars[i..<(i + l.count)].elementsEqual(l) else {
                    i += 1
                    continue
                }
                var j = i + l.count
                guard j < scalars.count, scalars[j] == "：" || scalars[j] == ":" else {
                    i = j
                    continue
                }
                j += 1
                while j < scalars.count, scalars[j] == " " { j += 1 }
                var end = j
                while end < scalars.count, Self.isHan(scalars[end]) { end += 1 }
                if (2...4).contains(end - j) {
                    let masked = Self.maskName(String(String.UnicodeScalarView(scalars[j..<end])))
                    scalars.replaceSubrange(j..<end, with: masked.unicodeScalars)
                    changed = true
                }
                i = end
            }
        }
        return changed ? String(String.UnicodeScalarView(scalars)) : text
    }

    static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    static func isASCIILetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }

    static let accountSuffixes = accountLabels.flatMap { [Array($0.utf8), Array(($0 + "：").utf8), Array(($0 + ":").utf8)] }
    static let phoneLabelBytes = phoneLabels.map { Array($0.utf8) }

    /// Every run of digits (groups of 3 or more joined by one space or hyphen count as one run, so
    /// `138-1234-5678` and `6222 0212 3456 7890` are seen whole, but a date `2026-11-02` is not), classified
    /// by its length and what precedes it. Digits, separators and code letters are ASCII, so the text is read
    /// as UTF-8 bytes; only the 8 characters before a run (its label) are multi-byte.
    func scrubDigits(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var groups: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard Self.isDigit(bytes[i]) else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
            groups.append(i..<end)
            i = end
        }
        guard !groups.isEmpty else { return text }
        // Merge groups into runs.
        var runs: [Range<Int>] = []
        var current = groups[0]
        var lastGroup = groups[0]
        for g in groups.dropFirst() {
            let gap = g.lowerBound - lastGroup.upperBound
            let sep = bytes[lastGroup.upperBound]
            if gap == 1, sep == 0x20 || sep == 0x2D, lastGroup.count >= 3, g.count >= 3 {
                current = current.lowerBound..<g.upperBound
            } else {
                runs.append(current)
                current = g
            }
            lastGroup = g
        }
        runs.append(current)

        var out: [UInt8] = []
        var cursor = 0
        for var run in runs {
            var digits = bytes[run].filter(Self.isDigit)
            if digits.count == 17, run.upperBound < bytes.count, bytes[run.upperBound] == 0x58 || bytes[run.upperBound] == 0x78 {
                digits.append(0x58)
                run = run.lowerBound..<(run.upperBound + 1)
            }
            if insideUSCC(bytes, run) { continue }
            guard let masked = mask(digits: digits, before: bytes[Self.start(ofCharacters: 8, before: run.lowerBound, in: bytes)..<run.lowerBound])
            else { continue }
            if out.isEmpty { out.reserveCapacity(bytes.count) }
            out.append(contentsOf: bytes[cursor..<run.lowerBound])
            out.append(contentsOf: masked.utf8)
            cursor = run.upperBound
        }
        guard cursor > 0 else { return text }
        out.append(contentsOf: bytes[cursor...])
        return String(decoding: out, as: UTF8.self)
    }

    /// The byte offset `count` scalars before `end` (or 0): UTF-8 continuation bytes are `10xxxxxx`.
    static func start(ofCharacters count: Int, before end: Int, in bytes: [UInt8]) -> Int {
        var at = end
        var seen = 0
        while at > 0, seen < count {
            at -= 1
            if bytes[at] & 0xC0 != 0x80 { seen += 1 }
        }
        return at
    }

    /// Whether the run is part of an 18-character code with letters that is a valid USCC (an organisation's
    /// public code, such as 91330105MA2KER1H4N).
    func insideUSCC(_ bytes: [UInt8], _ run: Range<Int>) -> Bool {
        func alnum(_ i: Int) -> Bool { i >= 0 && i < bytes.count && (Self.isDigit(bytes[i]) || Self.isASCIILetter(bytes[i])) }
        var start = run.lowerBound
        var end = run.upperBound
        while alnum(start - 1) { start -= 1 }
        while alnum(end) { end += 1 }
        guard end - start == 18, start != run.lowerBound || end != run.upperBound else { return false }
        return (try? USCC(String(decoding: bytes[start..<end], as: UTF8.self))) != nil
    }

    /// The masked form of a run of digits (ASCII, with a final `X` for a resident ID), or nil to keep it.
    /// `before` is the text just before the run, whose label can make it an account or a landline.
    func mask(digits c: [UInt8], before: ArraySlice<UInt8>) -> String? {
        let n = c.count
        let d = String(decoding: c, as: UTF8.self)
        func stars(_ k: Int) -> String { String(repeating: "*", count: k) }
        func digit(_ i: Int, in range: ClosedRange<UInt8>) -> Bool { range.contains(c[i]) }
        if n >= 6, Self.accountSuffixes.contains(where: { before.count >= $0.count && before.suffix($0.count).elementsEqual($0) }) {
            return stars(n)
        }
        if n == 11, c[0] == 0x31, digit(1, in: 0x33...0x39) { return PersonalData.maskMobile(d) }
        if n == 13, c.starts(with: [0x38, 0x36, 0x31]), digit(3, in: 0x33...0x39) { return "86" + PersonalData.maskMobile(String(d.dropFirst(2))) }
        if n == 18 {
            if exemptCodes.contains(d) { return nil }
            if (try? USCC(d)) != nil, !Self.hasBirthDate(c, at: 6) { return nil }
            return PersonalData.maskIDNumber(d)
        }
        if n == 15 { return PersonalData.maskIDNumber(d) }
        if c[0] == 0x30, (10...12).contains(n) {
            let area = c[1] == 0x31 || c[1] == 0x32 ? 3 : 4
            return String(decoding: c[0..<area], as: UTF8.self) + "-" + stars(n - area)
        }
        if (7...8).contains(n), Self.phoneLabelBytes.contains(where: { Self.firstIndex(of: $0, in: Array(before), from: 0) != nil }) {
            return stars(n)
        }
        if n >= 12 { return stars(n) }
        return nil
    }

    /// Whether `c[at...]` reads as a birth date (YYYYMMDD, 1900–2099): what tells a resident ID from an
    /// all-digit USCC.
    static func hasBirthDate(_ c: [UInt8], at: Int) -> Bool {
        guard c.count >= at + 8, c[at..<(at + 8)].allSatisfy(isDigit) else { return false }
        func number(_ from: Int, _ count: Int) -> Int { c[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let (y, m, day) = (number(at, 4), number(at + 4, 2), number(at + 6, 2))
        return (1900...2099).contains(y) && (1...12).contains(m) && (1...31).contains(day)
    }
}
