/// Reads article numbers written either way: `第九十九条` and `第99条` are the same article, and so is what staff
/// type when they switch input methods halfway (`第9十9条`, `第１１７条`, `第一百2十条`).
public enum ChineseNumeral {
    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
        "０": 0, "１": 1, "２": 2, "３": 3, "４": 4, "５": 5, "６": 6, "７": 7, "８": 8, "９": 9,
        "0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9,
    ]
    /// Digits written as digits (Arabic or full-width): a run of them is a positional number (`百17` is 117).
    static let positional: Set<Character> = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "０", "１", "２", "３", "４", "５", "６", "７", "８", "９"]
    static let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]

    /// The value of a numeral such as `一百一十`, `十二`, `99` or `９９`; nil if it is not one.
    public static func value(_ text: Substring) -> Int? {
        // No article number has more than a few digits; a long run is not a numeral (and must not overflow).
        guard !text.isEmpty, text.count <= 8 else { return nil }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int(text) }
        var total = 0
        var current = 0
        var sawDigit = false
        var allDigits = true
        var plain = 0
        var previousPositional = false
        for c in text {
            if let d = digits[c] {
                // `百17`: Arabic digits after a unit run together; Chinese digits each replace the last.
                current = previousPositional && positional.contains(c) ? current * 10 + d : d
                previousPositional = positional.contains(c)
                sawDigit = true
                plain = plain * 10 + d
            } else if let u = units[c] {
                previousPositional = false
                allDigits = false
                total += (sawDigit ? current : 1) * u
                current = 0
                sawDigit = false
            } else {
                return nil
            }
        }
        // "一二三" (digit by digit, as some systems write) reads positionally.
        if allDigits { return plain }
        return total + current
    }

    /// Whether `c` can be part of a numeral.
    static func isNumeralCharacter(_ c: Character) -> Bool {
        digits[c] != nil || units[c] != nil || (c.isASCII && c.isNumber)
    }
}
