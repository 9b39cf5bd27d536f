import HubModel

/// Parses legal-basis text as published into canonical references.
///
/// Handles: several instruments in one field (`；`, `，`, newlines), full and short titles (with or without
/// `中华人民共和国`), enactment and alias notes in brackets after a title (`（国务院令第739号）`,
/// `（以下简称《药品管理法》）`, `【2015年修订】`), Chinese, Arabic and full-width numerals, 条/款/项 (目 is
/// ignored), lists (`第五十五条、第五十八条`, `和`, `及`, `第一款、第二款`, `第（一）项、第（二）项`), ranges
/// (`第十条至第十二条`), chapters and sections that are not articles (`第九章`), and back-references to an
/// instrument named earlier (`《条例》`, `《办法》`, `《该法》`). Pure: no I/O.
public enum CitationParser {
    /// Most articles a single range may expand to (guards against `第一条至第九九九九条`).
    static let maxRange = 50

    /// How the name of a law, regulation or rule ends when it is written without book-title marks.
    static let unbracketedTitleEndings = ["法", "条例", "办法", "规定", "细则", "决定", "规则"]

    /// Short titles that refer back to the most recent instrument whose title ends with `法`.
    static let thisLaw: Set<String> = ["该法", "本法"]

    public static func parse(_ text: String) -> [LegalReference] {
        var refs: [LegalReference] = []
        func add(_ r: LegalReference) { if !refs.contains(r) { refs.append(r) } }
        let chars = Array(text)
        var i = 0
        var named: [String] = []
        var current: String?
        var lastArticle: Int?
        var lastParagraph: Int?
        // Text since the last title or article: an instrument named without 《》 (`…药品管理法实施条例第五十五条`)
        // must not lend its articles to the title before it.
        var run = ""
        while i < chars.count {
            let c = chars[i]
            if c != "第" && c != "《" && c != "〈" {
                if c.isPunctuation || c.isWhitespace { run = "" } else { run.append(c) }
            }
            if c == "《" || c == "〈" {
                let close: Character = c == "《" ? "》" : "〉"
                guard let end = chars[(i + 1)...].firstIndex(of: close) else { break }
                let title = resolve(normalizeTitle(String(chars[(i + 1)..<end])), named: named)
                named.append(title)
                current = title
                lastArticle = nil
                lastParagraph = nil
                i = skipNotes(chars, from: end + 1)
                run = ""
                if !followedByArticle(chars, from: i) { add(LegalReference(instrument: title)) }
                continue
            }
            if c == "第", run.count >= 3, Self.unbracketedTitleEndings.contains(where: { run.hasSuffix($0) }) {
                current = nil
            }
            if c == "第" { run = "" }
            if c == "第", let instrument = current, let (number, unit, next) = readNumbered(chars, from: i) {
                switch unit {
                case "条":
                    var article = number
                    var j = next
                    if j < chars.count, chars[j] == "至" || chars[j] == "到" || chars[j] == "-" || chars[j] == "—" || chars[j] == "～",
                        let (upper, u2, after) = readNumbered(chars, from: j + 1), u2 == "条", upper > number, upper - number <= maxRange
                    {
                        for a in number..<upper { add(LegalReference(instrument: instrument, article: a)) }
                        article = upper
                        j = after
                    }
                    var ref = LegalReference(instrument: instrument, article: article)
                    lastParagraph = nil
                    if let (p, u, after) = readNumbered(chars, from: j), u == "款" {
                        ref.paragraph = p
                        lastParagraph = p
                        j = after
                        if let (it, u3, after3) = readNumbered(chars, from: j), u3 == "项" {
                            ref.item = it
                            j = after3
                        }
                    } else if let (it, u, after) = readNumbered(chars, from: j), u == "项" {
                        ref.item = it
                        j = after
                    }
                    add(ref)
                    lastArticle = article
                    i = j
                    continue
                case "款":
                    // 第十条第一款、第二款: a paragraph alone belongs to the last article.
                    var j = next
                    if let article = lastArticle {
                        var ref = LegalReference(instrument: instrument, article: article, paragraph: number)
                        if let (it, u, after) = readNumbered(chars, from: j), u == "项" {
                            ref.item = it
                            j = after
                        }
                        add(ref)
                        lastParagraph = number
                    }
                    i = j
                    continue
                case "项":
                    // 第（一）项、第（二）项: an item alone belongs to the last article and paragraph.
                    if let article = lastArticle {
                        add(LegalReference(instrument: instrument, article: article, paragraph: lastParagraph, item: number))
                    }
                    i = next
                    continue
                default:
                    i = next
                    continue
                }
            }
            i += 1
        }
        return refs
    }

    /// A back-reference (`条例`, `办法`, `该法` …) becomes the most recent earlier instrument it abbreviates.
    static func resolve(_ title: String, named: [String]) -> String {
        if thisLaw.contains(title) {
            return named.last { $0.hasSuffix("法") && !thisLaw.contains($0) } ?? title
        }
        return named.last { $0.count > title.count && $0.hasSuffix(title) } ?? title
    }

    /// `中华人民共和国 药品管理法` → `药品管理法`.
    public static func normalizeTitle(_ raw: String) -> String {
        var t = raw.filter { !$0.isWhitespace }
        for prefix in ["中华人民共和国", "中華人民共和國"] where t.hasPrefix(prefix) && t.count > prefix.count {
            t.removeFirst(prefix.count)
        }
        return t
    }

    static let openers: [Character: Character] = ["（": "）", "(": ")", "【": "】", "[": "]"]

    /// Skips whitespace and bracketed notes right after a title (enactment dates, order numbers, aliases).
    static func skipNotes(_ chars: [Character], from start: Int) -> Int {
        var i = start
        while true {
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            guard i < chars.count, let close = openers[chars[i]], let end = chars[i...].firstIndex(of: close) else { return i }
            i = end + 1
        }
    }

    /// Whether an article follows (after notes, and after any 第X编/章/节 that only locate it).
    static func followedByArticle(_ chars: [Character], from start: Int) -> Bool {
        var i = skipNotes(chars, from: start)
        while let (_, unit, next) = readNumbered(chars, from: i) {
            if unit == "条" { return true }
            guard ["编", "章", "节"].contains(unit) else { return false }
            i = next
        }
        return false
    }

    /// Reads `第` numeral unit, allowing `（三）` / `(3)` around the numeral and spaces, e.g. `第 99 条`.
    static func readNumbered(_ chars: [Character], from start: Int) -> (Int, Character, Int)? {
        var i = start
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        guard i < chars.count, chars[i] == "第" else { return nil }
        i += 1
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        var bracketed = false
        if i < chars.count, chars[i] == "（" || chars[i] == "(" {
            bracketed = true
            i += 1
        }
        let numStart = i
        while i < chars.count, ChineseNumeral.isNumeralCharacter(chars[i]) { i += 1 }
        guard i > numStart, let value = ChineseNumeral.value(Substring(String(chars[numStart..<i]))) else { return nil }
        if bracketed {
            guard i < chars.count, chars[i] == "）" || chars[i] == ")" else { return nil }
            i += 1
        }
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        guard i < chars.count, ["条", "款", "项", "目", "章", "节", "编"].contains(chars[i]) else { return nil }
        return (value, chars[i], i + 1)
    }
}
