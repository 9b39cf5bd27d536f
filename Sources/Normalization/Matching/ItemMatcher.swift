import HubModel

/// A department's own item, as its system names and cites it.
public struct LocalItem: Sendable, Hashable {
    public var localCode: String
    public var localName: String
    public var itemType: ItemType
    public var legalBasis: String
    /// The catalog's short department name the local system belongs to (市场监管, 卫健 …).
    public var department: String

    public init(localCode: String, localName: String, itemType: ItemType, legalBasis: String, department: String) {
        self.localCode = localCode
        self.localName = localName
        self.itemType = itemType
        self.legalBasis = legalBasis
        self.department = department
    }
}

/// One ranked candidate with the reasons for its rank, in words an ops reviewer reads.
public struct MatchCandidate: Sendable, Hashable {
    public var catalogCode: String
    public var catalogName: String
    public var score: Double
    /// Same instrument and article on both sides — the evidence that can decide alone.
    public var sharedArticles: [LegalReference]
    /// Shares every (instrument, article) the local item cites: ranks above candidates sharing only some.
    public var sharesEveryProvision: Bool
    /// Both cite the same article but different paragraphs or items.
    public var contradictions: [String]
    public var evidence: [String]
}

/// What the matcher concluded about a local item.
public struct MatchResult: Sendable, Hashable {
    public enum Decision: String, Sendable, Codable, CaseIterable {
        /// Exactly one candidate shares an instrument and article, and nothing contradicts it.
        case auto
        /// Several candidates share the basis, or something contradicts: a person decides.
        case review
        /// No candidate shares an instrument and article.
        case unmatched
    }

    public var decision: Decision
    public var catalogCode: String?
    public var candidates: [MatchCandidate]
    /// The local item's own references, as parsed.
    public var references: [LegalReference]
}

/// Matches a local item to the provincial catalog item with the same legal basis (法定依据同源).
///
/// Candidates are the active items of the same department and item type. The evidence that can decide is
/// a shared (instrument, article); paragraph and item refine it, and a differing paragraph or item where
/// both sides give one is a contradiction. The name is secondary evidence: it ranks, it never decides.
/// The matcher decides alone only when exactly one candidate shares an article and nothing contradicts —
/// a wrong automatic match would send wrong data to the province under the city's name.
public enum ItemMatcher {
    public static func match(_ item: LocalItem, in index: CatalogIndex) -> MatchResult {
        let local = index.references(item.legalBasis)
        var candidates: [MatchCandidate] = []
        for entry in index.candidates(department: item.department, itemType: item.itemType) {
            if let c = compare(local: local, localName: item.localName, entry: entry) { candidates.append(c) }
        }
        // A basis citing several instruments: the candidate with all of them first, then the score. Ranking only —
        // the decision below is the same safety rule whatever the order.
        candidates.sort { a, b in
            (a.sharesEveryProvision ? 1 : 0, a.score, b.catalogCode) > (b.sharesEveryProvision ? 1 : 0, b.score, a.catalogCode)
        }
        let strong = candidates.filter { !$0.sharedArticles.isEmpty }
        let decision: MatchResult.Decision
        var chosen: String?
        if strong.isEmpty {
            decision = .unmatched
        } else if strong.count == 1 && strong[0].contradictions.isEmpty {
            decision = .auto
            chosen = strong[0].catalogCode
        } else {
            decision = .review
        }
        return MatchResult(decision: decision, catalogCode: chosen, candidates: Array(candidates.prefix(10)), references: local)
    }

    /// Scores one catalog item against the local references; nil when they share nothing at all.
    static func compare(local: [LegalReference], localName: String, entry: CatalogEntry) -> MatchCandidate? {
        var shared: [LegalReference] = []
        var contradictions: [String] = []
        var evidence: [String] = []
        var score = 0.0
        var sameInstrument = Set<String>()
        for l in local {
            let sameInstrumentRefs = entry.references.filter { $0.instrument == l.instrument }
            if !sameInstrumentRefs.isEmpty { sameInstrument.insert(l.instrument) }
            guard let la = l.article else { continue }
            let sameArticle = sameInstrumentRefs.filter { $0.article == la }
            guard let first = sameArticle.first else { continue }
            if !shared.contains(where: { $0.instrument == l.instrument && $0.article == la }) {
                shared.append(LegalReference(instrument: l.instrument, article: la))
                score += 1.0
                evidence.append("依据同源：本地 \(l) 与目录 \(first) 为同一法律文件同一条 (same instrument and article)")
            }
            // Paragraph and item refine the article. A refinement contradicts only when no catalog citation of
            // that article agrees with it (`第64条第1款第(1)项、第(2)项` on both sides agree, pair by pair).
            guard l.paragraph != nil || l.item != nil else { continue }
            func agrees(_ c: LegalReference) -> Bool {
                (l.paragraph == nil || c.paragraph == nil || l.paragraph == c.paragraph) && (l.item == nil || c.item == nil || l.item == c.item)
            }
            if let c = sameArticle.first(where: agrees) {
                if let lp = l.paragraph, lp == c.paragraph {
                    score += 0.2
                    evidence.append("款一致：第\(lp)款 (same paragraph)")
                }
                if let li = l.item, li == c.item { score += 0.1 }
            } else {
                contradictions.append("款项不一致：本地 \(l)，目录 \(sameArticle.map(\.description).joined(separator: "、")) (paragraph or item differs)")
            }
        }
        if shared.isEmpty {
            guard !sameInstrument.isEmpty else { return nil }
            score += 0.1
            evidence.append("仅法律文件相同、条款不同：\(sameInstrument.sorted().map { "《\($0)》" }.joined(separator: "、")) (same instrument, other article)")
        }
        let cited = Set(local.compactMap { r in r.article.map { "\(r.instrument)#\($0)" } })
        let everyProvision = !shared.isEmpty && shared.count == cited.count
        if !shared.isEmpty && cited.count > 1 {
            evidence.append(
                everyProvision
                    ? "共享全部所引条款 shares every cited provision (\(shared.count)/\(cited.count))"
                    : "仅共享部分所引条款 shares \(shared.count) of \(cited.count) cited provisions"
            )
        }
        let similarity = NameSimilarity.dice(localName, entry.name)
        score += similarity * 0.5
        evidence.append("名称相似度 name similarity \(Int((similarity * 100).rounded()))%：“\(localName)” ~ “\(entry.name)”")
        return MatchCandidate(
            catalogCode: entry.code,
            catalogName: entry.name,
            score: (score * 1000).rounded() / 1000,
            sharedArticles: shared,
            sharesEveryProvision: everyProvision,
            contradictions: contradictions,
            evidence: evidence + contradictions
        )
    }
}

/// Character-bigram Dice similarity of two names (0…1), after dropping words every item name shares.
public enum NameSimilarity {
    static let filler = ["对", "的", "进行", "行政", "监督", "检查", "处罚", "强制"]

    public static func dice(_ a: String, _ b: String) -> Double {
        func grams(_ s: String) -> [String: Int] {
            var t = s.filter { !$0.isWhitespace && !$0.isPunctuation }
            for f in filler { t = t.replacingOccurrences(of: f, with: "") }
            let c = Array(t)
            var out: [String: Int] = [:]
            guard c.count > 1 else {
                if let only = c.first { out[String(only)] = 1 }
                return out
            }
            for i in 0..<(c.count - 1) { out[String(c[i...i + 1]), default: 0] += 1 }
            return out
        }
        let x = grams(a)
        let y = grams(b)
        let total = x.values.reduce(0, +) + y.values.reduce(0, +)
        guard total > 0 else { return 0 }
        let common = x.reduce(0) { $0 + min($1.value, y[$1.key] ?? 0) }
        return Double(2 * common) / Double(total)
    }
}
