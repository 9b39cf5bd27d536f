import HubModel
import Supervision
import Testing

/// The model file reader refuses what it does not understand, naming the file, the rule and the field.
@Suite struct RiskModelLoaderTests {
    static let valid = """
        model: illegal_drug_sales
        version: "3"
        name: 非法销售药品
        threshold: 1
        applies_to:
          kinds: [listing]
          categories: [drug]
        rules:
          - id: no_licence
            description: 无药品经营许可证
            weight: 1
            required: true
            facts:
              no_licence: [drug_trading]
        """

    func problem(_ text: String) -> RiskModelError? {
        let result = Result { () throws(RiskModelError) in try RiskModelLoader.parse(text, file: "Mappings/risk/test.yaml") }
        guard case .failure(let error) = result else { return nil }
        return error
    }

    @Test func aValidFileReadsWithItsVersionAndHash() throws {
        let model = try RiskModelLoader.parse(Self.valid, file: "x.yaml")
        #expect(model.id == .illegalDrugSales)
        #expect(model.version == "3")
        #expect(model.rules.map(\.id) == ["no_licence"])
        #expect(model.rules[0].required)
        #expect(model.sha256 == sha256(Array(Self.valid.utf8)).hex)
        #expect(model.appliesTo == RiskScope(kinds: [.listing], categories: [.drug]))
    }

    @Test func anUnknownTopKeyIsNamed() throws {
        let e = try #require(problem(Self.valid + "\ncolour: red\n"))
        #expect(e.file == "Mappings/risk/test.yaml")
        #expect(e.field == "colour")
        #expect(e.rule == nil)
        #expect(e.description.contains("unknown key \"colour\""))
    }

    @Test func anUnknownRuleKeyNamesTheRule() throws {
        let e = try #require(problem(Self.valid.replacingOccurrences(of: "    required: true", with: "    requird: true")))
        #expect(e.rule == "no_licence")
        #expect(e.field == "requird")
        #expect(e.line == 12)
        #expect(e.description.hasPrefix("Mappings/risk/test.yaml:12: rule no_licence: requird: unknown key"))
    }

    @Test func aBadRegularExpressionIsRefused() throws {
        let text =
            Self.valid + """

                  - id: figure
                    description: 数字
                    weight: 1
                    patterns:
                      regex: ['年化(\\d+']
                """
        let e = try #require(problem(text))
        #expect(e.rule == "figure")
        #expect(e.field == "patterns.regex")
        #expect(e.reason.contains("bad regular expression"))
    }

    @Test(arguments: ["0", "-1", "abc"]) func aWeightMustBePositive(_ weight: String) throws {
        let e = try #require(problem(Self.valid.replacingOccurrences(of: "    weight: 1", with: "    weight: \(weight)")))
        #expect(e.rule == "no_licence")
        #expect(e.field == "weight")
    }

    @Test func aThresholdMustBePositiveAndReachable() throws {
        let zero = try #require(problem(Self.valid.replacingOccurrences(of: "threshold: 1", with: "threshold: 0")))
        #expect(zero.field == "threshold")
        let high = try #require(problem(Self.valid.replacingOccurrences(of: "threshold: 1", with: "threshold: 2.5")))
        #expect(high.field == "threshold")
        #expect(high.reason.contains("could never warn"))
    }

    @Test func anUnknownModelIdIsRefused() throws {
        let e = try #require(problem(Self.valid.replacingOccurrences(of: "model: illegal_drug_sales", with: "model: illegal_drug_sale")))
        #expect(e.field == "model")
        #expect(e.reason.contains("unknown model id"))
    }

    @Test func unknownValuesAndEmptyRulesAreRefused() throws {
        #expect(try #require(problem(Self.valid.replacingOccurrences(of: "[listing]", with: "[listings]"))).field == "applies_to.kinds")
        #expect(try #require(problem(Self.valid.replacingOccurrences(of: "[drug_trading]", with: "[drug_licence]"))).field == "facts.no_licence")
        let noCondition = Self.valid.replacingOccurrences(of: "    facts:\n      no_licence: [drug_trading]", with: "")
        #expect(try #require(problem(noCondition)).reason.contains("at least one of"))
        #expect(try #require(problem("model: [")).reason.contains("not valid YAML"))
    }

    @Test func aTermListNeedsAnyOrAll() throws {
        let text =
            Self.valid + """

                  - id: words
                    description: 词
                    weight: 1
                    terms:
                      except: [不]
                """
        let e = try #require(problem(text))
        #expect(e.rule == "words")
        #expect(e.field == "terms")
    }

    @Test func theSetNeedsEachModelExactlyOnce() throws {
        let one = try RiskModelLoader.parse(Self.valid, file: "a.yaml")
        #expect(throws: RiskModelError.self) { try RiskModelSet([one]) }
        let all = try RiskFixtures.models()
        #expect(all.models.map(\.id) == RiskModelID.allCases)
        var twice = all.models
        twice.append(one)
        let result = Result { () throws(RiskModelError) in try RiskModelSet(twice) }
        guard case .failure(let error) = result else {
            Issue.record("a model defined twice was accepted")
            return
        }
        #expect(error.reason.contains("also defined in"))
    }
}
