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

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    /// Every run of digits (groups of 3 or more joined by one space or hyphen count as one run, so
    /// `138-1234-5678` and `6222 0212 3456 7890` are seen whole, but a date `2026-11-02` is not), classified
    /// by its length and what precedes it.
    func scrubDigits(_ text: String) -> String {
        guard text.utf8.contains(where: { (0x30...0x39).contains($0) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var groups: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            guard Self.isDigit(scalars[i]) else {
                i += 1
                continue
            }
            var end = i
            while end < scalars.count, Self.isDigit(scalars[end]) { end += 1 }
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
            let sep = scalars[lastGroup.upperBound]
            if gap == 1, sep == " " || sep == "-", lastGroup.count >= 3, g.count >= 3 {
                current = current.lowerBound..<g.upperBound
            } else {
                runs.append(current)
                current = g
            }
            lastGroup = g
        }
        runs.append(current)

        var out = String.UnicodeScalarView()
        var cursor = 0
        for var run in runs {
            var digits = String(String.UnicodeScalarView(scalars[run].filter(Self.isDigit)))
            if digits.count == 17, run.upperBound < scalars.count, scalars[run.upperBound] == "X" || scalars[run.upperBound] == "x" {
                digits.append("X")
                run = run.lowerBound..<(run.upperBound + 1)
            }
            if insideUSCC(scalars, run) { continue }
            let before = String(String.UnicodeScalarView(scalars[max(0, run.lowerBound - 8)..<run.lowerBound]))
            guard let masked = mask(digits: digits, before: before) else { continue }
            out.append(contentsOf: scalars[cursor..<run.lowerBound])
            out.append(contentsOf: masked.unicodeScalars)
            cursor = run.upperBound
        }
        guard cursor > 0 else { return text }
        out.append(contentsOf: scalars[cursor...])
        return String(out)
    }

    /// Whether the run is part of an 18-character code with letters that is a valid USCC (an organisation's
    /// public code, such as 91330105MA2KER1H4N).
    func insideUSCC(_ scalars: [Unicode.Scalar], _ run: Range<Int>) -> Bool {
        func alnum(_ i: Int) -> Bool {
            i >= 0 && i < scalars.count && scalars[i].isASCII && (Self.isDigit(scalars[i]) || scalars[i].properties.isAlphabetic)
        }
        var start = run.lowerBound
        var end = run.upperBound
        while alnum(start - 1) { start -= 1 }
        while alnum(end) { end += 1 }
        guard end - start == 18, start != run.lowerBound || end != run.upperBound else { return false }
        return (try? USCC(String(String.UnicodeScalarView(scalars[start..<end])))) != nil
    }

    /// The masked form of a run of digits, or nil to keep it.
    func mask(digits d: String, before: String) -> String? {
        let c = Array(d)
        let n = c.count
        func stars(_ k: Int) -> String { String(repeating: "*", count: k) }
        if Self.accountLabels.contains(where: before.hasSuffix)
            || Self.accountLabels.contains(where: { before.hasSuffix($0 + "：") || before.hasSuffix($0 + ":") }),
            n >= 6
        {
            return stars(n)
        }
        if n == 11, c[0] == "1", ("3"..."9").contains(c[1]) { return PersonalData.maskMobile(d) }
        if n == 13, d.hasPrefix("861"), ("3"..."9").contains(c[3]) { return "86" + PersonalData.maskMobile(String(d.dropFirst(2))) }
        if n == 18 {
            if exemptCodes.contains(d) { return nil }
            if (try? USCC(d)) != nil, !Self.hasBirthDate(c, at: 6) { return nil }
            return PersonalData.maskIDNumber(d)
        }
        if n == 15 { return PersonalData.maskIDNumber(d) }
        if c[0] == "0", (10...12).contains(n) {
            let area = c[1] == "1" || c[1] == "2" ? 3 : 4
            return String(c[0..<area]) + "-" + stars(n - area)
        }
        if (7...8).contains(n), Self.phoneLabels.contains(where: { before.contains($0) }) { return stars(n) }
        if n >= 12 { return stars(n) }
        return nil
    }

    /// Whether `c[at...]` reads as a birth date (YYYYMMDD, 1900–2099): what tells a resident ID from an
    /// all-digit USCC.
    static func hasBirthDate(_ c: [Character], at: Int) -> Bool {
        guard c.count >= at + 8, let y = Int(String(c[at..<(at + 4)])), let m = Int(String(c[(at + 4)..<(at + 6)])),
            let day = Int(String(c[(at + 6)..<(at + 8)]))
        else { return false }
        return (1900...2099).contains(y) && (1...12).contains(m) && (1...31).contains(day)
    }
}
