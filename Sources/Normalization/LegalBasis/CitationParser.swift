import HubModel

/// Parses legal-basis text as published into canonical references.
///
/// Handles: several instruments in one field (`；`, newlines), full and short titles (with or without
/// `中华人民共和国`), enactment notes in brackets after a title, Chinese and Arabic numerals, 条/款/项,
/// lists (`第五十五条、第五十八条`, `和`, `及`) and ranges (`第十条至第十二条`). Pure: no I/O.
public enum CitationParser {
    /// Most articles a single range may expand to (guards against `第一条至第九九九九条`).
    static let maxRange = 50

    public static func parse(_ text: String) -> [LegalReference] {
        var refs: [LegalReference] = []
        let chars = Array(text)
        var i = 0
        var currentInstrument: String?
        var lastArticle: Int?
        while i < chars.count {
            let c = chars[i]
            if c == "《" || c == "〈" {
                let close: Character = c == "《" ? "》" : "〉"
                guard let end = chars[(i + 1)...].firstIndex(of: close) else { break }
                currentInstrument = normalizeTitle(String(chars[(i + 1)..<end]))
                lastArticle = nil
                i = end + 1
                // A title cited with no article still names the instrument.
                if !followedByArticle(chars, from: i), let instrument = currentInstrument {
                    refs.append(LegalReference(instrument: instrument))
                }
                continue
            }
            if c == "第", let instrument = currentInstrument, let (number, unit, next) = readNumbered(chars, from: i) {
                switch unit {
                case "条":
                    var article = number
                    var j = next
                    // A range: 第十条至第十二条 / 第10-12条 is handled by the 至 form only.
                    if j < chars.count, chars[j] == "至" || chars[j] == "到", let (upper, u2, after) = readNumbered(chars, from: j + 1), u2 == "条",
                       upper > number, upper - number <= maxRange {
                        for a in number..<upper { refs.append(LegalReference(instrument: instrument, article: a)) }
                        article = upper
                        j = after
                    }
                    var ref = LegalReference(instrument: instrument, article: article)
                    // Paragraph and item refine the last article: 第二条第一款第（三）项.
                    if let (p, u, after) = readNumbered(chars, from: j), u == "款" {
                        ref.paragraph = p
                        j = after
                        if let (it, u3, after3) = readNumbered(chars, from: j), u3 == "项" { ref.item = it; j = after3 }
                    } else if let (it, u, after) = readNumbered(chars, from: j), u == "项" {
                        ref.item = it
                        j = after
                    }
                    refs.append(ref)
                    lastArticle = article
                    i = j
                    continue
                case "款", "项":
                    // 第二款 after a list element (第十条第一款、第二款) belongs to the last article.
                    if let article = lastArticle {
                        let ref = unit == "款"
                            ? LegalReference(instrument: instrument, article: article, paragraph: number)
                            : LegalReference(instrument: instrument, article: article, item: number)
                        if !refs.contains(ref) { refs.append(ref) }
                    }
                    i = next
                    continue
                default:
                    break
                }
            }
            i += 1
        }
        var unique: [LegalReference] = []
        for r in refs where !unique.contains(r) { unique.append(r) }
        return unique
    }

    /// `《中华人民共和国 药品管理法》（2019年修订）` → `药品管理法`.
    public static func normalizeTitle(_ raw: String) -> String {
        var t = raw.filter { !$0.isWhitespace }
        for prefix in ["中华人民共和国", "中華人民共和國"] where t.hasPrefix(prefix) && t.count > prefix.count {
            t.removeFirst(prefix.count)
        }
        return t
    }

    static func followedByArticle(_ chars: [Character], from start: Int) -> Bool {
        var i = start
        // Skip an enactment note: （国务院令第739号） or (2019年修订).
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        if i < chars.count, chars[i] == "（" || chars[i] == "(" {
            let close: Character = chars[i] == "（" ? "）" : ")"
            if let end = chars[i...].firstIndex(of: close) { i = end + 1 }
        }
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        return i < chars.count && chars[i] == "第" && readNumbered(chars, from: i)?.1 == "条"
    }

    /// Reads `第` numeral unit, allowing `（三）` / `(3)` around the numeral and spaces, e.g. `第 99 条`.
    static func readNumbered(_ chars: [Character], from start: Int) -> (Int, Character, Int)? {
        var i = start
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        guard i < chars.count, chars[i] == "第" else { return nil }
        i += 1
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        var bracketed = false
        if i < chars.count, chars[i] == "（" || chars[i] == "(" { bracketed = true; i += 1 }
        let numStart = i
        while i < chars.count, ChineseNumeral.isNumeralCharacter(chars[i]) { i += 1 }
        guard i > numStart, let value = ChineseNumeral.value(Substring(String(chars[numStart..<i]))) else { return nil }
        if bracketed {
            guard i < chars.count, chars[i] == "）" || chars[i] == ")" else { return nil }
            i += 1
        }
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        guard i < chars.count, ["条", "款", "项", "目"].contains(chars[i]) else { return nil }
        return (value, chars[i], i + 1)
    }
}
