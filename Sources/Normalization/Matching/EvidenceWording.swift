import Foundation

/// The matcher's evidence lines as a reviewer reads them: in Chinese only.
///
/// `ItemMatcher` writes each line with an English gloss (`依据同源：… (same instrument and article)`, `名称相似度
/// name similarity 18%：…`), and those lines are stored with every review item and mapping release — years of
/// them. Pages show them through `sentence(_:)`, which words each known kind of line plainly and drops the gloss
/// from any other, so stored evidence of every version reads the same. The facts the strength needs (name
/// similarity, provisions shared) are read back from the lines here too.
public enum EvidenceWording {
    /// Lines of a candidate that shares only the instrument start so.
    static let sameInstrumentPrefix = "仅法律文件相同"

    /// One stored evidence line in plain Chinese.
    public static func sentence(_ line: String) -> String {
        let line = line.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("依据同源") {
            return withoutGloss(line).replacingOccurrences(of: "为同一法律文件同一条", with: "为同一法规同一条款")
        }
        if line.hasPrefix(sameInstrumentPrefix) {
            return withoutGloss(line).replacingOccurrences(of: "仅法律文件相同、条款不同", with: "仅法规相同、条款不同")
        }
        if let share = provisionShare(line) {
            let every = line.hasPrefix("共享全部所引条款")
            return (every ? "共享全部所引条款" : "仅共享部分所引条款") + "（\(share.shared)/\(share.cited)）"
        }
        if let similarity = nameSimilarity(line) {
            var out = "名称相似度 \(MatchStrength.percent(similarity))%"
            if let colon = line.firstIndex(of: "：") {
                out += "：" + line[line.index(after: colon)...].replacingOccurrences(of: "” ~ “", with: "”与“")
            }
            return out
        }
        return withoutGloss(line)
    }

    /// The line without a trailing English gloss in parentheses (` (paragraph or item differs)`); a parenthesis
    /// holding anything but ASCII is part of the Chinese text and stays.
    static func withoutGloss(_ line: String) -> String {
        guard line.hasSuffix(")"), let open = line.range(of: " (", options: .backwards) else { return line }
        let inside = line[open.upperBound..<line.index(before: line.endIndex)]
        guard !inside.isEmpty, inside.allSatisfy(\.isASCII), inside.contains(where: \.isLetter) else { return line }
        return String(line[..<open.lowerBound])
    }

    /// The name similarity of a `名称相似度 …N%` line, 0…1.
    public static func nameSimilarity(_ line: String) -> Double? {
        guard line.hasPrefix("名称相似度"), let match = line.firstMatch(of: /([0-9]{1,3})%/), let n = Int(match.1), n <= 100 else { return nil }
        return Double(n) / 100
    }

    /// `共享全部所引条款 … (2/2)`, `仅共享部分所引条款 shares 1 of 2 …` or `…（1/2）`: shared of cited.
    static func provisionShare(_ line: String) -> MatchStrength.ProvisionShare? {
        guard line.hasPrefix("共享全部所引条款") || line.hasPrefix("仅共享部分所引条款") else { return nil }
        if let m = line.firstMatch(of: /([0-9]+)\s*(?:\/|of)\s*([0-9]+)/), let a = Int(m.1), let b = Int(m.2), a <= b {
            return .init(shared: a, cited: b)
        }
        return nil
    }
}
