import HubModel
import Supervision
import Testing

/// Each kind of condition a rule may hold, on small models written for the test, and the highlights' offsets
/// (Unicode scalars of the original field) on text with full-width characters, spaces and emoji.
@Suite struct RiskRuleTests {
    static let day = CalendarDate("2026-11-02")!

    static func model(
        _ rules: String,
        id: String = "false_medical_ad",
        threshold: String = "1",
        kinds: String = "[advertisement, listing, complaint]"
    ) throws
        -> RiskModel
    {
        try RiskModelLoader.parse(
            """
            model: \(id)
            version: "1"
            name: 测试
            threshold: \(threshold)
            applies_to:
              kinds: \(kinds)
            rules:
            \(rules)
            """,
            file: "test.yaml"
        )
    }

    static func ad(_ text: String, product: AdvertisedProduct = .drug, approval: String? = nil, uscc: String? = "91330105MA2KER1H4N") -> Observation {
        Observation(
            observationId: "AD-1",
            department: "HY-SCJG",
            observedOn: day,
            subject: ObservedSubject(uscc: uscc, name: "某公司"),
            detail: .advertisement(
                Advertisement(medium: "web", location: "https://x", text: text, advertiser: "某公司", approvalNumber: approval, product: product)
            )
        )
    }

    static func listing(
        _ text: String = "",
        name: String = "阿莫西林胶囊",
        category: ListingCategory = .drug,
        rx: Bool = false,
        checked: Bool? = nil,
        deviceClass: Int? = nil
    ) -> Observation {
        Observation(
            observationId: "L-1",
            department: "HY-SCJG",
            observedOn: day,
            subject: ObservedSubject(uscc: "91330105MA2KER1H4N", name: "某药房"),
            detail: .listing(
                OnlineListing(
                    platform: "p",
                    shop: "某药房",
                    productName: name,
                    category: category,
                    prescription: rx,
                    prescriptionChecked: checked,
                    deviceClass: deviceClass,
                    seller: "某药房",
                    text: text
                )
            )
        )
    }

    static let cureTerms = """
          - id: claim
            description: 宣称治愈率
            weight: 1
            terms:
              any: [治愈率, 专家推荐, 保本保息, 保证治愈]
              except: [不保证治愈]
        """

    @Test func highlightsCountUnicodeScalarsOfTheOriginalText() throws {
        let m = try Self.model(Self.cureTerms)
        // 👨‍⚕️ is four scalars (man, ZWJ, staff of Aesculapius, variation selector 16).
        let text = "👨‍⚕️专家推荐：治愈率９８％！"
        let w = try #require(m.evaluate(Self.ad(text), facts: RiskFacts()))
        let matches = w.reasons[0].matches
        #expect(matches.map(\.text) == ["专家推荐", "治愈率"])
        #expect(matches.map(\.offset) == [4, 9])
        #expect(matches.map(\.length) == [4, 3])
        #expect(matches.allSatisfy { $0.field == "text" })
        let scalars = Array(text.unicodeScalars)
        for match in matches {
            #expect(String(String.UnicodeScalarView(scalars[match.offset..<(match.offset + match.length)])) == match.text)
        }
    }

    @Test func spacesInsideATermAndFullWidthLettersStillMatch() throws {
        let m = try Self.model(Self.cureTerms)
        let w = try #require(m.evaluate(Self.ad("🔥🔥 保 本　保 息，ＯＫ"), facts: RiskFacts()))
        #expect(w.reasons[0].matches == [TextMatch(field: "text", offset: 3, length: 7, text: "保 本　保 息")])
    }

    @Test func highlightsPerRuleAreBounded() throws {
        let m = try Self.model(Self.cureTerms)
        let w = try #require(m.evaluate(Self.ad(String(repeating: "治愈率，", count: 500)), facts: RiskFacts()))
        #expect(w.reasons[0].matches.count == RiskModel.maxMatchesPerRule)
        #expect(w.reasons[0].matches.last?.offset == (RiskModel.maxMatchesPerRule - 1) * 4)
    }

    @Test func aNearMissInsideAnExceptTermDoesNotCount() throws {
        let m = try Self.model(Self.cureTerms)
        #expect(m.evaluate(Self.ad("本品不保证治愈，请遵医嘱"), facts: RiskFacts()) == nil)
        #expect(m.evaluate(Self.ad("本品不保证治愈，但我们保证治愈"), facts: RiskFacts())?.reasons[0].matches.map(\.offset) == [11])
    }

    @Test func unlessVetoesAndAllNeedsEveryTerm() throws {
        let m = try Self.model(
            """
              - id: both
                description: 两者兼有
                weight: 1
                terms:
                  all: [处方药, 包邮]
                  except: [非处方药]
                  unless: [本广告仅供医学药学专业人士阅读]
            """
        )
        #expect(m.evaluate(Self.ad("处方药，包邮"), facts: RiskFacts()) != nil)
        #expect(m.evaluate(Self.ad("处方药"), facts: RiskFacts()) == nil)
        #expect(m.evaluate(Self.ad("非处方药，包邮"), facts: RiskFacts()) == nil)
        #expect(m.evaluate(Self.ad("处方药，包邮。本广告仅供医学药学专业人士阅读"), facts: RiskFacts()) == nil)
    }

    @Test func patternsMatchFullWidthDigitsAtTheirOriginalOffsets() throws {
        let m = try Self.model(
            """
              - id: figure
                description: 承诺收益率
                weight: 1
                patterns:
                  regex: ['年化\\s*\\d+(\\.\\d+)?\\s*%']
            """
        )
        let w = try #require(m.evaluate(Self.ad("💰年化 １８．５％ 稳稳的"), facts: RiskFacts()))
        #expect(w.reasons[0].matches == [TextMatch(field: "text", offset: 1, length: 8, text: "年化 １８．５％")])
        #expect(m.evaluate(Self.ad("年化收益看市场"), facts: RiskFacts()) == nil)
    }

    @Test func termsReadTheFieldsNamedInIn() throws {
        let m = try Self.model(
            """
              - id: waiver
                description: 免处方
                weight: 1
                terms:
                  in: [productName]
                  any: [免处方]
            """,
            kinds: "[listing]"
        )
        let w = try #require(m.evaluate(Self.listing("正品", name: "阿莫西林 免处方"), facts: RiskFacts()))
        #expect(w.reasons[0].matches == [TextMatch(field: "productName", offset: 5, length: 3, text: "免处方")])
        #expect(m.evaluate(Self.listing("免处方", name: "阿莫西林"), facts: RiskFacts()) == nil)
    }

    @Test func prescriptionFieldsAndTheFactsTheyState() throws {
        let m = try Self.model(
            """
              - id: rx
                description: 处方药未审核处方
                weight: 1
                fields:
                  category: [drug]
                  prescription: true
                  prescriptionChecked: [false]
            """,
            id: "illegal_prescription_sales",
            kinds: "[listing]"
        )
        let w = try #require(m.evaluate(Self.listing(rx: true, checked: false), facts: RiskFacts()))
        #expect(w.reasons[0].facts == ["商品类别为药品", "商品标注为处方药", "销售前未进行处方审核"])
        #expect(w.model == .illegalPrescriptionSales)
        #expect(m.evaluate(Self.listing(rx: true, checked: true), facts: RiskFacts()) == nil)
        #expect(m.evaluate(Self.listing(rx: true, checked: nil), facts: RiskFacts()) == nil)
        #expect(m.evaluate(Self.listing(rx: false, checked: false), facts: RiskFacts()) == nil)
    }

    @Test func deviceClassAndLicenceFacts() throws {
        let m = try Self.model(
            """
              - id: class3
                description: 三类无许可
                weight: 1
                fields:
                  deviceClass: [3]
                facts:
                  no_licence: [device_trading]
            """,
            id: "illegal_device_sales",
            kinds: "[listing]"
        )
        let device = Self.listing(name: "隐形眼镜", category: .device, deviceClass: 3)
        let expired = LicenceFact(
            kind: .deviceTrading,
            number: "湘械许1",
            validFrom: CalendarDate("2020-01-01")!,
            validUntil: CalendarDate("2026-10-31")!
        )
        let w = try #require(m.evaluate(device, facts: RiskFacts(licences: [expired])))
        #expect(
            w.reasons[0].facts == [
                "医疗器械类别为第三类",
                "该统一社会信用代码名下无在有效期内的医疗器械经营许可证（截至2026-11-02）；医疗器械经营许可证湘械许1已于2026-10-31到期",
            ]
        )
        let valid = LicenceFact(kind: .deviceTrading, number: "湘械许2", validFrom: CalendarDate("2024-01-01")!, validUntil: nil)
        #expect(m.evaluate(device, facts: RiskFacts(licences: [valid])) == nil)
        #expect(m.evaluate(Self.listing(name: "棉签", category: .device, deviceClass: 1), facts: RiskFacts()) == nil)
        let revoked = LicenceFact(kind: .deviceTrading, number: "湘械许3", validFrom: CalendarDate("2024-01-01")!, validUntil: nil, revoked: true)
        #expect(m.evaluate(device, facts: RiskFacts(licences: [revoked])) != nil)
    }

    @Test func approvalNumberAbsentOrMalformed() throws {
        let m = try Self.model(
            """
              - id: approval
                description: 无广告批准文号
                weight: 1
                fields:
                  approvalNumber:
                    is: absent_or_malformed
                    format: ['\\p{Han}(药|械)广审[(（][视声文][)）]第\\d{6}-\\d{5}号']
            """
        )
        #expect(m.evaluate(Self.ad("感冒灵", approval: "湘药广审（文）第２５０１０１-０００１２号"), facts: RiskFacts()) == nil)
        #expect(m.evaluate(Self.ad("感冒灵", approval: nil), facts: RiskFacts())?.reasons[0].facts == ["广告未标明广告批准文号"])
        #expect(m.evaluate(Self.ad("感冒灵", approval: "  "), facts: RiskFacts())?.reasons[0].facts == ["广告未标明广告批准文号"])
        #expect(m.evaluate(Self.ad("感冒灵", approval: "国药准字H20044521"), facts: RiskFacts())?.reasons[0].facts == ["广告批准文号“国药准字H20044521”不符合文号格式"])
    }

    @Test func aRequiredRuleGatesAndWeightsAddUpToTheThreshold() throws {
        let m = try Self.model(
            """
              - id: unlicensed
                description: 无金融许可
                weight: 0.5
                required: true
                facts:
                  no_licence: [financial]
              - id: returns
                description: 承诺回报
                weight: 1
                terms:
                  any: [保本保息]
              - id: crowd
                description: 投诉集中
                weight: 1
                facts:
                  complaints_at_least: 3
            """,
            id: "illegal_fundraising",
            threshold: "1.5"
        )
        let ad = Self.ad("保本保息", product: .financial, uscc: nil)
        let w = try #require(m.evaluate(ad, facts: RiskFacts()))
        #expect(w.score == 1.5)
        #expect(w.threshold == 1.5)
        #expect(w.reasons.map(\.ruleId) == ["unlicensed", "returns"])
        #expect(w.reasons[0].facts == ["该主体未提供统一社会信用代码，名下无在有效期内的金融许可证（截至2026-11-02）"])
        let bank = LicenceFact(kind: .financial, number: "B1", validFrom: CalendarDate("2020-01-01")!, validUntil: nil)
        #expect(m.evaluate(ad, facts: RiskFacts(licences: [bank])) == nil, "the gate: a licensed bank may say 保本保息")
        #expect(m.evaluate(Self.ad("欢迎咨询", product: .financial), facts: RiskFacts()) == nil, "0.5 is below the threshold")
        let crowd = try #require(m.evaluate(Self.ad("欢迎咨询", product: .financial), facts: RiskFacts(recentComplaints: 4, complaintWindowDays: 90)))
        #expect(crowd.reasons.last?.facts == ["近90日内针对该主体的投诉举报4件（阈值3件）"])
    }

    @Test func theShippedModelsExplainAWarning() throws {
        let models = try RiskFixtures.models()
        let warnings = models.evaluate(Self.ad("本院治疗白癜风，治愈率高达98%，无效退款", product: .medicalService), facts: RiskFacts())
        #expect(warnings.map(\.model) == [.falseMedicalAd])
        let w = warnings[0]
        #expect(w.modelVersion == models[.falseMedicalAd].version)
        #expect(Set(w.reasons.map(\.ruleId)).isSuperset(of: ["efficacy_guarantee", "cure_rate", "cure_rate_figure", "approval_number"]))
        #expect(w.reasons.allSatisfy { !$0.description.isEmpty })
        #expect(models.evaluate(Self.listing("OTC 甲类非处方药", name: "布洛芬缓释胶囊"), facts: RiskFacts()).map(\.model) == [.illegalDrugSales])
    }
}
