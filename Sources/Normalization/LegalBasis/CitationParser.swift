import HubModel

/// Parses legal-basis text as published into canonical references.
///
/// Handles: several instruments in one field (`；`, `，`, newlines), full and short titles (with or without
/// `中华人民共和国`), enactment and alias notes in brackets after a title (`（国务院令第739号）`,
/// `（以下简称《药品管理法》）`, `【2015年修订】`), Chinese, Arabic and full-width numerals, 条/款/项 (目 is
/// ignored), lists (`第五十五条、第五十八条`, `和`, `及`, `第一款、第二款`, `第（一）项、第（二）项`), ranges
/// (`第十条至第十二条`), chapters and sections that are not articles (`第九章`), and back-references to an
/// instrument named earlier (`《条例》`, `《办法》`, `《该法》`, `本条例第…`). Pure: no I/O.
///
/// Staff also type titles without book-title marks (`食品安全法第一百二十二条`, `药品管理法 第117条第1款`,
/// `依据中华人民共和国广告法第五十五条`): a run of text ending in 法/条例/办法/… right before 第 is read as the
/// cited instrument, after dropping what only introduces it (`依据`, `根据`, `违反`, `对…的`). Words before the
/// title separated by a space (an item name) are left out unless the joined text is a title the caller knows
/// (`known`: the catalog's instruments and the alias table), so `食品安全 法第…` still reads as one title.
public enum CitationParser {
    /// Most articles a single range may expand to (guards against `第一条至第九九九九条`).
    static let maxRange = 50

    /// How the name of a law, regulation or rule ends when it is written without book-title marks.
    static let unbracketedTitleEndings = ["法", "条例", "办法", "规定", "细则", "决定", "规则", "规范"]

    /// Words that introduce a cited instrument: the title starts after the last of them.
    static let introducers = ["依据", "根据", "按照", "依照", "违反", "参照", "对照", "适用"]

    /// Words that join a title to what came before (`和药品管理法实施条例第…`, `对…`): dropped when they lead.
    static let leadingJoiners = ["以及", "及", "和", "与", "并", "或", "对"]

    /// Short titles that refer back to the most recent instrument whose title ends with `法`.
    static let thisLaw: Set<String> = ["该法", "本法"]

    /// - Parameter known: titles the caller knows (canonical instruments and aliases); they only decide how much
    ///   of a bare run separated by spaces is the title.
    public static func parse(_ text: String, known: Set<String> = []) -> [LegalReference] {
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
            // `食品安全法（2021年修正）第一百二十二条`: a note after a bare title keeps the title for its articles.
            if openers[c] != nil, endsWithTitle(run) {
                let after = skipNotes(chars, from: i)
                if after > i, after < chars.count, chars[after] == "第" {
                    i = after
                    continue
                }
            }
            if c != "第" && c != "《" && c != "〈" {
                if c.isWhitespace {
                    if !run.isEmpty && !run.hasSuffix(" ") { run.append(" ") }
                } else if c.isPunctuation {
                    run = ""
                } else {
                    run.append(c)
                }
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
            if c == "第", endsWithTitle(run) {
                // A title without 《》: it is the cited instrument (or, when it cannot be read, it at least must
                // not lend its articles to the title before it).
                current = bareTitle(run, known: known, named: named)
                if let title = current { named.append(title) }
                lastArticle = nil
                lastParagraph = nil
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

    /// Whether the text before a 第 ends like the name of an instrument (`…法`, `…条例 `).
    static func endsWithTitle(_ run: String) -> Bool {
        var t = Substring(run)
        while t.hasSuffix(" ") { t = t.dropLast() }
        return t.count >= 3 && unbracketedTitleEndings.contains { t.hasSuffix($0) }
    }

    /// The instrument a bare run names, or nil when nothing title-like is left after the introducing words.
    ///
    /// Space-separated segments: the longest trailing join the caller knows wins (`食品安全 法`); otherwise the
    /// shortest trailing join that reads as a title (`食品经营 食品安全法` → `食品安全法`: an item name typed
    /// before the title is not part of it).
    static func bareTitle(_ run: String, known: Set<String>, named: [String]) -> String? {
        // `湖南省 道路运输条例`: a region name is the start of a local title, never an item name before it.
        var segments: [String] = []
        for part in run.split(separator: " ").map(String.init) {
            if let last = segments.last, isRegionName(last) {
                segments[segments.count - 1] = last + part
            } else {
                segments.append(part)
            }
        }
        guard !segments.isEmpty else { return nil }
        let joins = (0..<segments.count).map { segments[$0...].joined() }
        for join in joins {
            for candidate in [normalizeTitle(join), cleanTitle(join)] where known.contains(candidate) { return candidate }
        }
        for join in joins.reversed() {
            let title = cleanTitle(join)
            // `及其实施细则第…`: an instrument named only through another; no reading is safe.
            if title.hasPrefix("其") { return nil }
            // `本条例第…`, `该办法第…`: the instrument named before.
            if let first = title.first, first == "本" || first == "该", unbracketedTitleEndings.contains(String(title.dropFirst())) {
                return named.last { $0.hasSuffix(title.dropFirst()) }
            }
            if title.count >= 3, unbracketedTitleEndings.contains(where: { title.hasSuffix($0) }), !unbracketedTitleEndings.contains(title) {
                return title
            }
        }
        return nil
    }

    /// `湖南省`, `衡阳市`, `湘西土家族苗族自治州`: the start of a local regulation's title.
    static func isRegionName(_ segment: String) -> Bool {
        let name = cleanTitle(segment)
        return (3...10).contains(name.count) && ["省", "市", "县", "自治区", "自治州"].contains { name.hasSuffix($0) }
    }

    /// `依据中华人民共和国广告法` → `广告法`; `未取得许可的违反食品安全法` → `食品安全法`.
    static func cleanTitle(_ raw: String) -> String {
        var t = raw.filter { !$0.isWhitespace }
        for word in introducers {
            if let r = t.range(of: word, options: .backwards) { t = String(t[r.upperBound...]) }
        }
        // `…的` ends the words before a title, except inside `关于…的决定` titles.
        if let r = t.range(of: "的", options: .backwards), !t[..<r.lowerBound].contains("关于") { t = String(t[r.upperBound...]) }
        var stripped = true
        while stripped {
            stripped = false
            for word in leadingJoiners where t.hasPrefix(word) && t.count > word.count + 2 {
                t.removeFirst(word.count)
                stripped = true
            }
        }
        return normalizeTitle(t)
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
