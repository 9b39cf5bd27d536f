import HubModel
import Testing

@testable import Normalization

/// What the review page says about a candidate: its strength (强/中/弱 with the reason) instead of the score,
/// the evidence in Chinese only (stored lines of every matcher version), and which other local items cite the
/// same provision.
@Suite("Review page wording: strength, evidence, shared basis")
struct ReviewWordingTests {
    typealias Facts = MatchStrength.Facts

    @Test("strong: an article shared, nothing contradicting, every cited provision shared")
    func strong() {
        let s = MatchStrength.assess(Facts(sharedArticles: 1, nameSimilarity: 0.1))
        #expect(s.level == .strong)
        #expect(s.text == "强：依据同源（同一法规同一条款）")
        let all = MatchStrength.assess(Facts(sharedArticles: 2, provisionShare: .init(shared: 2, cited: 2)))
        #expect(all.level == .strong)
        #expect(all.reason.contains("所引 2 处条款全部相同"))
    }

    @Test("medium: a contradiction or a partial share, each named; or the same instrument with close names")
    func medium() {
        let contra = MatchStrength.assess(Facts(sharedArticles: 1, contradictions: 1))
        #expect(contra.level == .medium)
        #expect(contra.reason == "同一法规同一条，但款或项不一致")
        let partial = MatchStrength.assess(Facts(sharedArticles: 1, provisionShare: .init(shared: 1, cited: 2)))
        #expect(partial.text == "中：仅共享部分所引条款（1/2）")
        let both = MatchStrength.assess(Facts(sharedArticles: 1, contradictions: 2, provisionShare: .init(shared: 1, cited: 3)))
        #expect(both.reason == "同一法规同一条，但款或项不一致；仅共享部分所引条款（1/3）")
        let close = MatchStrength.assess(Facts(sharedArticles: 0, sameInstrument: true, nameSimilarity: MatchStrength.closeName))
        #expect(close.level == .medium)
        #expect(close.reason == "同一法规但条款不同，名称相近（名称相似度 50%）")
    }

    @Test("weak: only the instrument in common with names apart, or nothing legal in common")
    func weak() {
        let apart = MatchStrength.assess(Facts(sharedArticles: 0, sameInstrument: true, nameSimilarity: 0.49))
        #expect(apart.level == .weak)
        #expect(apart.text == "弱：仅法规相同、条款不同（名称相似度 49%）")
        #expect(MatchStrength.assess(Facts(sharedArticles: 0, sameInstrument: true)).reason == "仅法规相同、条款不同")
        #expect(MatchStrength.assess(Facts(sharedArticles: 0, nameSimilarity: 0.8)).text == "弱：无共同法律依据，仅名称相似度 80%")
    }

    @Test("a strength from stored evidence lines (the old bilingual ones and the plain ones) agrees with the facts")
    func fromStored() {
        let old = MatchStrength.assess(
            sharedArticles: ["《食品安全法》第110条"],
            contradictions: [],
            evidence: [
                "依据同源：本地 《食品安全法》第110条 与目录 《食品安全法》第110条 为同一法律文件同一条 (same instrument and article)",
                "名称相似度 name similarity 18%：“食品经营日常检查” ~ “对食品生产者的监督检查”",
            ]
        )
        #expect(old.level == .strong)
        let partial = MatchStrength.assess(
            sharedArticles: ["《药品管理法》第99条"],
            contradictions: [],
            evidence: ["仅共享部分所引条款 shares 1 of 2 cited provisions"]
        )
        #expect(partial.text == "中：仅共享部分所引条款（1/2）")
        let instrument = MatchStrength.assess(
            sharedArticles: [],
            contradictions: [],
            evidence: ["仅法律文件相同、条款不同：《食品安全法》 (same instrument, other article)", "名称相似度 name similarity 62%：“a” ~ “b”"]
        )
        #expect(instrument.level == .medium)
        #expect(MatchStrength.assess(sharedArticles: [], contradictions: [], evidence: ["仅法律文件相同、条款不同：《食品安全法》"]).level == .weak)
    }

    @Test("a candidate fresh from the matcher: strong for the one sure match, and the order of levels follows the evidence")
    func fromMatcher() {
        let index = CatalogIndex([
            CatalogEntry(code: "B1", name: "对食品生产经营者的监督检查", itemType: .inspection, department: "市场监管", legalBasis: "《中华人民共和国食品安全法》第一百一十条"),
            CatalogEntry(code: "B2", name: "对食品经营日常的检查", itemType: .inspection, department: "市场监管", legalBasis: "《中华人民共和国食品安全法》第六十二条"),
        ])
        let r = ItemMatcher.match(
            LocalItem(localCode: "L", localName: "食品经营日常检查", itemType: .inspection, legalBasis: "《食品安全法》第110条", department: "市场监管"),
            in: index
        )
        let levels = r.candidates.map { c in
            MatchStrength.assess(sharedArticles: c.sharedArticles.map(\.description), contradictions: c.contradictions, evidence: c.evidence).level
        }
        #expect(r.candidates.map(\.catalogCode) == ["B1", "B2"])
        #expect(levels.first == .strong)
        #expect(levels.last != .strong)
        #expect(MatchStrength.assess(r.candidates[0], cited: 1).level == .strong)
    }

    @Test("every kind of evidence line the matcher writes reads in Chinese only")
    func wording() {
        let cases: [(String, String)] = [
            (
                "依据同源：本地 《食品安全法》第110条 与目录 《食品安全法》第110条 为同一法律文件同一条 (same instrument and article)",
                "依据同源：本地 《食品安全法》第110条 与目录 《食品安全法》第110条 为同一法规同一条款"
            ),
            ("款一致：第2款 (same paragraph)", "款一致：第2款"),
            (
                "款项不一致：本地 《药品管理法》第99条第3款，目录 《药品管理法》第99条第1款 (paragraph or item differs)",
                "款项不一致：本地 《药品管理法》第99条第3款，目录 《药品管理法》第99条第1款"
            ),
            ("仅法律文件相同、条款不同：《食品安全法》、《产品质量法》 (same instrument, other article)", "仅法规相同、条款不同：《食品安全法》、《产品质量法》"),
            ("共享全部所引条款 shares every cited provision (2/2)", "共享全部所引条款（2/2）"),
            ("仅共享部分所引条款 shares 1 of 2 cited provisions", "仅共享部分所引条款（1/2）"),
            ("名称相似度 name similarity 18%：“食品经营日常检查” ~ “对食品生产者的监督检查”", "名称相似度 18%：“食品经营日常检查”与“对食品生产者的监督检查”"),
            // Already plain, or Chinese text in parentheses: unchanged.
            ("款一致：第2款", "款一致：第2款"),
            ("依据同源：本地 《办法》（试行）第3条 与目录 《办法》（试行）第3条 为同一法规同一条款", "依据同源：本地 《办法》（试行）第3条 与目录 《办法》（试行）第3条 为同一法规同一条款"),
            ("名称相似度 18%：“甲”与“乙”", "名称相似度 18%：“甲”与“乙”"),
        ]
        for (stored, shown) in cases {
            #expect(EvidenceWording.sentence(stored) == shown)
            #expect(!EvidenceWording.sentence(stored).contains { $0.isASCII && $0.isLetter }, "no English left in \(stored)")
        }
    }

    @Test("the matcher's lines of today all read without English")
    func matcherLines() {
        let index = CatalogIndex([
            CatalogEntry(code: "C1", name: "检查", itemType: .inspection, department: "药监", legalBasis: "《药品管理法》第九十九条第一款；《药品经营质量管理规范》第二条"),
            CatalogEntry(code: "C2", name: "药品检查", itemType: .inspection, department: "药监", legalBasis: "《药品管理法》第十条"),
        ])
        let r = ItemMatcher.match(
            LocalItem(
                localCode: "L",
                localName: "药品零售检查",
                itemType: .inspection,
                legalBasis: "《药品管理法》第99条第3款；《药品经营质量管理规范》第2条；《药品管理法实施条例》第5条",
                department: "药监"
            ),
            in: index
        )
        let lines = r.candidates.flatMap(\.evidence)
        #expect(lines.count >= 5)
        for line in lines { #expect(!EvidenceWording.sentence(line).contains { $0.isASCII && $0.isLetter }, "\(line)") }
    }

    @Test("other local items citing the same instrument and article are siblings; another article or instrument is not")
    func siblings() {
        let target = CitationParser.parse("《特种设备安全法》第五十七条第一款；《特种设备安全监察条例》第50条")
        let others: [(id: Int64, references: [LegalReference])] = [
            (1, CitationParser.parse("《特种设备安全法》第57条")),
            (2, CitationParser.parse("《特种设备安全法》第58条")),
            (3, CitationParser.parse("《特种设备安全监察条例》第五十条第二款；《特种设备安全法》第五十七条")),
            (4, CitationParser.parse("《产品质量法》第57条")),
            (5, []),
        ]
        let found = SharedBasis.siblings(of: target, among: others)
        #expect(found.map(\.id) == [1, 3])
        #expect(found[0].shared == [LegalReference(instrument: "特种设备安全法", article: 57)])
        #expect(found[1].shared.count == 2, "both provisions, paragraphs dropped")
        #expect(SharedBasis.provisions(CitationParser.parse("《特种设备安全法》"), target).isEmpty, "an instrument without an article shares nothing")
    }
}
