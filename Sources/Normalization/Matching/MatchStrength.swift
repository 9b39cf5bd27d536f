/// How sure a candidate is, in one word a reviewer reads at a glance (强 / 中 / 弱) and the reason for it —
/// instead of the matcher's ranking score (`得分 1.091`), which only orders candidates and means nothing to
/// ops staff.
///
/// The level follows the matcher's own safety rule (`ItemMatcher`): only a shared instrument and article can
/// decide, paragraph or item disagreements weaken it, and the name is secondary evidence. Thresholds:
/// - 强: at least one (instrument, article) shared, no paragraph/item contradiction, and every provision the
///   local basis cites is shared.
/// - 中: an (instrument, article) shared but with a contradiction or only part of the cited provisions; or no
///   article shared but the same instrument and names at least `closeName` similar.
/// - 弱: only the same instrument (names less than `closeName` similar), or nothing shared at all.
public struct MatchStrength: Sendable, Hashable {
    public enum Level: String, Sendable, CaseIterable {
        case strong, medium, weak

        /// The one character the review page shows.
        public var label: String {
            switch self {
            case .strong: "强"
            case .medium: "中"
            case .weak: "弱"
            }
        }
    }

    /// `shared` of the `cited` (instrument, article) pairs of a local basis that cites several.
    public struct ProvisionShare: Sendable, Hashable {
        public var shared: Int
        public var cited: Int
        public init(shared: Int, cited: Int) {
            self.shared = shared
            self.cited = cited
        }
    }

    /// What the strength is judged on: counts and the name similarity, as a candidate's stored evidence gives them.
    public struct Facts: Sendable, Hashable {
        /// (instrument, article) pairs both sides cite.
        public var sharedArticles: Int
        /// Same article, differing paragraph or item.
        public var contradictions: Int
        /// Provisions shared of those the local basis cites, when it cites several (`1/2`); nil when not known.
        public var provisionShare: ProvisionShare?
        /// Shares the instrument (without a shared article, the only legal link).
        public var sameInstrument: Bool
        /// Character-bigram similarity of the names, 0…1; nil when not known.
        public var nameSimilarity: Double?

        public init(
            sharedArticles: Int,
            contradictions: Int = 0,
            provisionShare: ProvisionShare? = nil,
            sameInstrument: Bool = false,
            nameSimilarity: Double? = nil
        ) {
            self.sharedArticles = sharedArticles
            self.contradictions = contradictions
            self.provisionShare = provisionShare
            self.sameInstrument = sameInstrument || sharedArticles > 0
            self.nameSimilarity = nameSimilarity
        }
    }

    public var level: Level
    /// Why, in Chinese (`依据同源（同一法规同一条款）`).
    public var reason: String

    /// `强：依据同源（同一法规同一条款）`.
    public var text: String { "\(level.label)：\(reason)" }

    /// Names at least this similar lift a same-instrument candidate from 弱 to 中.
    public static let closeName = 0.5

    public static func assess(_ f: Facts) -> MatchStrength {
        let partial = f.provisionShare.map { $0.shared < $0.cited } ?? false
        if f.sharedArticles > 0 {
            var doubts: [String] = []
            if f.contradictions > 0 { doubts.append("同一法规同一条，但款或项不一致") }
            if partial, let p = f.provisionShare { doubts.append("仅共享部分所引条款（\(p.shared)/\(p.cited)）") }
            if doubts.isEmpty {
                return MatchStrength(level: .strong, reason: "依据同源（同一法规同一条款）" + (f.provisionShare.map { "，所引 \($0.cited) 处条款全部相同" } ?? ""))
            }
            return MatchStrength(level: .medium, reason: doubts.joined(separator: "；"))
        }
        let percent = f.nameSimilarity.map { "名称相似度 \(Self.percent($0))%" }
        if f.sameInstrument {
            if let s = f.nameSimilarity, s >= closeName {
                return MatchStrength(level: .medium, reason: "同一法规但条款不同，名称相近（\(percent ?? "")）")
            }
            return MatchStrength(level: .weak, reason: "仅法规相同、条款不同" + (percent.map { "（\($0)）" } ?? ""))
        }
        return MatchStrength(level: .weak, reason: "无共同法律依据" + (percent.map { "，仅\($0)" } ?? ""))
    }

    /// The strength of a candidate as the matcher just produced it (`cited`: the (instrument, article) pairs the
    /// local basis cites).
    public static func assess(_ c: MatchCandidate, cited: Int, nameSimilarity: Double? = nil) -> MatchStrength {
        assess(
            Facts(
                sharedArticles: c.sharedArticles.count,
                contradictions: c.contradictions.count,
                provisionShare: cited > 1 ? ProvisionShare(shared: c.sharedArticles.count, cited: cited) : nil,
                sameInstrument: true,
                nameSimilarity: nameSimilarity
            )
        )
    }

    /// The strength of a candidate as stored on a review item or mapping release (`RecordEntry.candidatesJSON`):
    /// its shared articles, contradictions and evidence lines, in the matcher's words of any version.
    public static func assess(sharedArticles: [String], contradictions: [String], evidence: [String]) -> MatchStrength {
        assess(
            Facts(
                sharedArticles: sharedArticles.count,
                contradictions: contradictions.count,
                provisionShare: evidence.lazy.compactMap(EvidenceWording.provisionShare).first,
                sameInstrument: !sharedArticles.isEmpty || evidence.contains { $0.hasPrefix(EvidenceWording.sameInstrumentPrefix) },
                nameSimilarity: evidence.lazy.compactMap(EvidenceWording.nameSimilarity).first
            )
        )
    }

    static func percent(_ similarity: Double) -> Int { Int((similarity * 100).rounded()) }
}
