import HubModel

extension RiskModel {
    /// The model's judgement of one observation: a warning with every rule that fired, or nil. Pure.
    public func evaluate(_ observation: Observation, facts: RiskFacts) -> RiskWarning? {
        var texts = ScannedTexts(observation)
        return evaluate(observation, facts: facts, texts: &texts)
    }

    func evaluate(_ observation: Observation, facts: RiskFacts, texts: inout ScannedTexts) -> RiskWarning? {
        guard appliesTo.covers(observation) else { return nil }
        var hits: [TextField: [TermMatcher.Hit]] = [:]
        var fired: [FiredRule] = []
        var score = 0.0
        for rule in rules {
            if let line = fire(rule, observation, facts, &texts, &hits) {
                fired.append(line)
                score += rule.weight
            } else if rule.required {
                return nil
            }
        }
        guard !fired.isEmpty, score + 1e-9 >= threshold else { return nil }
        return RiskWarning(
            model: id,
            modelVersion: version,
            observationId: observation.observationId,
            department: observation.department,
            subject: observation.subject,
            score: score,
            threshold: threshold,
            reasons: fired
        )
    }

    /// The rule's line with its matches and facts when every condition holds. Cheap conditions come first in
    /// the file's order as written; the loader puts fields and facts before terms and patterns.
    private func fire(
        _ rule: RiskRule,
        _ observation: Observation,
        _ facts: RiskFacts,
        _ texts: inout ScannedTexts,
        _ hits: inout [TextField: [TermMatcher.Hit]]
    ) -> FiredRule? {
        var line = FiredRule(ruleId: rule.id, description: rule.description, weight: rule.weight)
        for condition in rule.conditions {
            switch condition {
            case .field(let f):
                guard let fact = f.holds(for: observation) else { return nil }
                line.facts.append(fact)
            case .fact(let f):
                guard let fact = f.holds(for: observation, facts: facts) else { return nil }
                line.facts.append(fact)
            case .terms(let t):
                guard let found = terms(t, &texts, &hits) else { return nil }
                line.matches += found
            case .patterns(let p):
                if !p.prefilterIds.isEmpty {
                    let seen = p.fields.contains { field in self.hits(field, &texts, &hits).contains { p.prefilterIds.contains($0.term) } }
                    guard seen else { return nil }
                }
                guard let found = p.matches(&texts) else { return nil }
                line.matches += found
            }
        }
        if line.matches.count > Self.maxMatchesPerRule { line.matches.removeLast(line.matches.count - Self.maxMatchesPerRule) }
        return line
    }

    /// Highlights kept per fired rule: enough for the officer to see the evidence, bounded so that a text repeating
    /// a term ten thousand times does not make a warning of that size.
    public static let maxMatchesPerRule = 50

    /// The model's term occurrences in a field, scanned once per observation.
    private func hits(_ field: TextField, _ texts: inout ScannedTexts, _ hits: inout [TextField: [TermMatcher.Hit]]) -> [TermMatcher.Hit] {
        if let cached = hits[field] { return cached }
        let found = texts[field].map { matcher.hits(in: $0.folded) } ?? []
        hits[field] = found
        return found
    }

    /// The matches that satisfy a term condition, nil when it does not hold.
    private func terms(_ t: TermCondition, _ texts: inout ScannedTexts, _ hits: inout [TextField: [TermMatcher.Hit]]) -> [TextMatch]? {
        var found: [TextMatch] = []
        var anyFound = t.anyIds.isEmpty
        var missing = t.allIds
        for field in t.fields {
            guard let scanned = texts[field] else { continue }
            let fieldHits = self.hits(field, &texts, &hits)
            if fieldHits.isEmpty { continue }
            if !t.unlessIds.isEmpty, fieldHits.contains(where: { t.unlessIds.contains($0.term) }) { return nil }
            let near = t.exceptIds.isEmpty ? [] : fieldHits.filter { t.exceptIds.contains($0.term) }
            var taken: [(Int, Int)] = []
            for hit in fieldHits where t.countedIds.contains(hit.term) {
                if near.contains(where: { $0.start < hit.end && hit.start < $0.end }) { continue }
                if t.anyIds.contains(hit.term) { anyFound = true }
                missing.remove(hit.term)
                // One highlight per span: a longer term ending at the same place supersedes a shorter one inside it.
                if taken.contains(where: { $0.0 <= hit.start && hit.end <= $0.1 }) { continue }
                taken.removeAll { hit.start <= $0.0 && $0.1 <= hit.end }
                found.removeAll { m in
                    m.field == field.rawValue && scanned.original[hit.start] <= m.offset && m.offset + m.length <= scanned.original[hit.end - 1] + 1
                }
                taken.append((hit.start, hit.end))
                found.append(scanned.match(field: field.rawValue, start: hit.start, end: hit.end))
            }
        }
        guard anyFound, missing.isEmpty else { return nil }
        return found
    }
}

extension PatternCondition {
    func matches(_ texts: inout ScannedTexts) -> [TextMatch]? {
        var found: [TextMatch] = []
        for field in fields {
            guard let scanned = texts[field] else { continue }
            let folded = texts.foldedKeepingSpace(field)
            let view = folded.unicodeScalars
            for pattern in patterns {
                for m in folded.matches(of: pattern.regex) {
                    let from = view.distance(from: view.startIndex, to: m.range.lowerBound)
                    let length = view.distance(from: m.range.lowerBound, to: m.range.upperBound)
                    guard length > 0 else { continue }
                    let text = String(String.UnicodeScalarView(scanned.scalars[from..<(from + length)]))
                    found.append(TextMatch(field: field.rawValue, offset: from, length: length, text: text))
                }
            }
        }
        return found.isEmpty ? nil : found
    }
}

extension FieldCondition {
    /// The fact in Chinese when the condition holds, nil when it does not.
    func holds(for observation: Observation) -> String? {
        switch (self, observation.detail) {
        case (.product(let set), .advertisement(let ad)):
            return set.contains(ad.product) ? "广告类别为\(ad.product.label)" : nil
        case (.category(let set), .listing(let l)):
            return set.contains(l.category) ? "商品类别为\(l.category.label)" : nil
        case (.prescription(let want), .listing(let l)):
            return l.prescription == want ? (want ? "商品标注为处方药" : "商品未标注为处方药") : nil
        case (.prescriptionChecked(let set), .listing(let l)):
            let state: CheckState = l.prescriptionChecked.map { $0 ? .true : .false } ?? .unknown
            guard set.contains(state) else { return nil }
            return switch state {
            case .true: "销售前进行处方审核"
            case .false: "销售前未进行处方审核"
            case .unknown: "未报告是否进行处方审核"
            }
        case (.deviceClass(let set), .listing(let l)):
            guard set.contains(l.deviceClass ?? 0) else { return nil }
            return l.deviceClass.map { "医疗器械类别为第\(["", "一", "二", "三"][min(max($0, 0), 3)])类" } ?? "未报告医疗器械类别"
        case (.approvalNumber(let problem, let formats), .advertisement(let ad)):
            let number = ad.approvalNumber?.trimmingSpaces ?? ""
            if number.isEmpty {
                return problem == .malformed ? nil : "广告未标明广告批准文号"
            }
            guard problem != .absent else { return nil }
            let folded = ScannedText(number).foldedKeepingSpace
            if formats.contains(where: { $0.wholeMatches(folded) }) { return nil }
            return "广告批准文号“\(number)”不符合文号格式"
        default:
            return nil
        }
    }
}

extension FactCondition {
    func holds(for observation: Observation, facts: RiskFacts) -> String? {
        switch self {
        case .noLicence(let kinds):
            let date = observation.observedOn
            if kinds.contains(where: { facts.holds($0, on: date) }) { return nil }
            let names = LicenceKind.allCases.filter(kinds.contains).map(\.label).joined(separator: "或")
            let who = observation.subject.uscc == nil ? "该主体未提供统一社会信用代码，名下" : "该统一社会信用代码名下"
            var fact = "\(who)无在有效期内的\(names)（截至\(date)）"
            let lapsed = facts.licences.filter { kinds.contains($0.kind) }
            if !lapsed.isEmpty {
                let notes = lapsed.map { l in
                    l.revoked
                        ? "\(l.kind.label)\(l.number)已注销或吊销"
                        : l.validFrom > date
                            ? "\(l.kind.label)\(l.number)自\(l.validFrom)起生效"
                            : "\(l.kind.label)\(l.number)已于\(l.validUntil.map(String.init(describing:)) ?? "")到期"
                }
                fact += "；" + notes.joined(separator: "；")
            }
            return fact
        case .complaintsAtLeast(let n):
            guard facts.recentComplaints >= n else { return nil }
            return "近\(facts.complaintWindowDays)日内针对该主体的投诉举报\(facts.recentComplaints)件（阈值\(n)件）"
        }
    }
}

extension AdvertisedProduct {
    var label: String {
        switch self {
        case .medicalService: "医疗服务"
        case .drug: "药品"
        case .device: "医疗器械"
        case .healthFood: "保健食品"
        case .financial: "金融投资"
        case .other: "其他"
        }
    }
}

extension ListingCategory {
    var label: String {
        switch self {
        case .drug: "药品"
        case .device: "医疗器械"
        case .healthFood: "保健食品"
        case .other: "其他"
        }
    }
}

/// The observation's text fields, scanned once each however many models read them.
struct ScannedTexts {
    let observation: Observation
    private var scanned: [TextField: ScannedText?] = [:]
    private var keepingSpace: [TextField: String] = [:]

    init(_ observation: Observation) { self.observation = observation }

    subscript(field: TextField) -> ScannedText? {
        mutating get {
            if let s = scanned[field] { return s }
            let s = field.value(in: observation).map(ScannedText.init)
            scanned[field] = .some(s)
            return s
        }
    }

    mutating func foldedKeepingSpace(_ field: TextField) -> String {
        if let s = keepingSpace[field] { return s }
        let s = self[field]?.foldedKeepingSpace ?? ""
        keepingSpace[field] = s
        return s
    }
}
