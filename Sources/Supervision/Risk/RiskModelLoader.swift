import HubModel
import Yams

/// Reads a model file (`Mappings/risk/<id>.yaml`, format in `Mappings/risk/README.md`) into a `RiskModel`,
/// refusing anything it does not understand — an unknown key, a bad regular expression, a weight ≤ 0, a threshold
/// the rules cannot reach — with the file, the rule and the field named, so that a wrong file stops the hub from
/// starting instead of silently warning on nothing (or on everything).
public enum RiskModelLoader {
    static let topKeys: Set<String> = ["model", "version", "name", "basis", "threshold", "applies_to", "rules"]
    static let scopeKeys: Set<String> = ["kinds", "products", "categories"]
    static let ruleKeys: Set<String> = ["id", "description", "basis", "weight", "required", "terms", "patterns", "fields", "facts"]
    static let termKeys: Set<String> = ["in", "any", "all", "except", "unless"]
    static let patternKeys: Set<String> = ["in", "prefilter", "regex"]
    static let fieldKeys: Set<String> = ["product", "category", "prescription", "prescriptionChecked", "deviceClass", "approvalNumber"]
    static let approvalKeys: Set<String> = ["is", "format"]
    static let factKeys: Set<String> = ["no_licence", "complaints_at_least"]

    public static func parse(_ source: String, file: String) throws(RiskModelError) -> RiskModel {
        var reader = Reader(file: file)
        do {
            return try reader.model(source)
        } catch let error as RiskModelError {
            throw error
        } catch {
            throw RiskModelError(file: file, field: "", reason: "\(error)")
        }
    }

    /// The parse, with the rule being read remembered for messages.
    struct Reader {
        let file: String
        var rule: String?
        /// Every term of the file, in first-seen order, and its id.
        var terms: [[UInt32]] = []
        var termIds: [[UInt32]: Int] = [:]

        init(file: String) { self.file = file }

        func fail(_ field: String, _ node: Node?, _ reason: String) -> RiskModelError {
            RiskModelError(file: file, rule: rule, field: field, line: node?.mark.map { $0.line }, reason: reason)
        }

        mutating func model(_ source: String) throws -> RiskModel {
            let root: Node?
            do { root = try Yams.compose(yaml: source) } catch {
                throw fail("", nil, "not valid YAML: \(error)")
            }
            guard let root, case .mapping(let top) = root else {
                throw fail("", root, "a model file is a mapping (model, version, name, threshold, applies_to, rules)")
            }
            try known(top, RiskModelLoader.topKeys, "")
            let idText = try text(top, "model")
            guard let id = RiskModelID(rawValue: idText) else {
                throw fail(
                    "model",
                    top["model"],
                    "unknown model id \"\(idText)\" (known: \(RiskModelID.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            let version = try text(top, "version")
            let name = try text(top, "name")
            let threshold = try number(top, "threshold")
            guard threshold > 0 else { throw fail("threshold", top["threshold"], "threshold must be > 0") }
            guard let scopeNode = top["applies_to"], case .mapping(let scopeMap) = scopeNode else {
                throw fail("applies_to", top["applies_to"] ?? root, "applies_to is required: a mapping with kinds (and products, categories)")
            }
            let scope = try self.scope(scopeMap)
            guard let rulesNode = top["rules"], case .sequence(let seq) = rulesNode, !seq.isEmpty else {
                throw fail("rules", top["rules"] ?? root, "rules is required: a non-empty list")
            }
            var rules: [RiskRule] = []
            for node in seq {
                rule = nil
                guard case .mapping(let m) = node else { throw fail("rules", node, "a rule is a mapping (id, description, weight, conditions)") }
                let r = try self.rule(m)
                if rules.contains(where: { $0.id == r.id }) { throw fail("id", m["id"], "rule id \(r.id) is used twice") }
                rules.append(r)
            }
            rule = nil
            let reachable = rules.reduce(0) { $0 + $1.weight }
            guard reachable + 1e-9 >= threshold else {
                throw fail(
                    "threshold",
                    top["threshold"],
                    "threshold \(threshold) is above the sum of all weights (\(reachable)): the model could never warn"
                )
            }
            return RiskModel(
                id: id,
                version: version,
                name: name,
                basis: try strings(top, "basis", "basis"),
                threshold: threshold,
                appliesTo: scope,
                rules: rules,
                sha256: sha256(Array(source.utf8)).hex,
                file: file,
                source: source,
                matcher: TermMatcher(terms: terms)
            )
        }

        func scope(_ m: Node.Mapping) throws -> RiskScope {
            try known(m, RiskModelLoader.scopeKeys, "applies_to.")
            let kinds = try list(m, "kinds", "applies_to.kinds", required: true, ObservationKind.init(rawValue:))
            guard !kinds.isEmpty else { throw fail("applies_to.kinds", m["kinds"], "kinds must name at least one observation kind") }
            let products = m["products"] == nil ? nil : Set(try list(m, "products", "applies_to.products", AdvertisedProduct.init(rawValue:)))
            let categories = m["categories"] == nil ? nil : Set(try list(m, "categories", "applies_to.categories", ListingCategory.init(rawValue:)))
            return RiskScope(kinds: Set(kinds), products: products, categories: categories)
        }

        mutating func rule(_ m: Node.Mapping) throws -> RiskRule {
            if let id = m["id"]?.string { rule = id }
            try known(m, RiskModelLoader.ruleKeys, "")
            let id = try text(m, "id")
            let description = try text(m, "description")
            let weight = try number(m, "weight")
            guard weight > 0 else { throw fail("weight", m["weight"], "weight must be > 0") }
            var required = false
            if let r = m["required"] {
                guard let b = r.bool else { throw fail("required", r, "required must be true or false") }
                required = b
            }
            var first: [RiskCondition] = []
            var last: [RiskCondition] = []
            if let f = m["fields"] { first += try fields(f) }
            if let f = m["facts"] { first += try facts(f) }
            if let t = m["terms"] { last.append(.terms(try terms(t))) }
            if let p = m["patterns"] { last.append(.patterns(try patterns(p))) }
            guard !(first + last).isEmpty else { throw fail("", nil, "a rule needs at least one of terms, patterns, fields, facts") }
            let basis = m["basis"] == nil ? nil : try text(m, "basis")
            return RiskRule(id: id, description: description, basis: basis, weight: weight, required: required, conditions: first + last)
        }

        mutating func terms(_ node: Node) throws -> TermCondition {
            guard case .mapping(let m) = node else { throw fail("terms", node, "terms is a mapping (in, any, all, except, unless)") }
            try known(m, RiskModelLoader.termKeys, "terms.")
            let fields = try textFields(m, "terms.in")
            var c = TermCondition(
                fields: fields,
                any: try strings(m, "any", "terms.any"),
                all: try strings(m, "all", "terms.all"),
                except: try strings(m, "except", "terms.except"),
                unless: try strings(m, "unless", "terms.unless")
            )
            guard !(c.any.isEmpty && c.all.isEmpty) else { throw fail("terms", node, "terms needs any or all (a non-empty list)") }
            c.anyIds = Set(try c.any.map { try id(of: $0, "terms.any", m["any"]) })
            c.allIds = Set(try c.all.map { try id(of: $0, "terms.all", m["all"]) })
            c.exceptIds = Set(try c.except.map { try id(of: $0, "terms.except", m["except"]) })
            c.unlessIds = Set(try c.unless.map { try id(of: $0, "terms.unless", m["unless"]) })
            c.countedIds = c.anyIds.union(c.allIds)
            return c
        }

        mutating func id(of term: String, _ field: String, _ node: Node?) throws -> Int {
            let folded = ScannedText.foldTerm(term)
            guard !folded.isEmpty else { throw fail(field, node, "a term must have a character other than spaces") }
            if let id = termIds[folded] { return id }
            terms.append(folded)
            termIds[folded] = terms.count - 1
            return terms.count - 1
        }

        mutating func patterns(_ node: Node) throws -> PatternCondition {
            guard case .mapping(let m) = node else { throw fail("patterns", node, "patterns is a mapping (in, prefilter, regex)") }
            try known(m, RiskModelLoader.patternKeys, "patterns.")
            let sources = try strings(m, "regex", "patterns.regex")
            guard !sources.isEmpty else { throw fail("patterns.regex", node, "patterns.regex needs at least one regular expression") }
            var c = PatternCondition(
                fields: try textFields(m, "patterns.in"),
                prefilter: try strings(m, "prefilter", "patterns.prefilter"),
                patterns: try sources.map { try regex($0, "patterns.regex", m["regex"]) }
            )
            c.prefilterIds = Set(try c.prefilter.map { try id(of: $0, "patterns.prefilter", m["prefilter"]) })
            return c
        }

        func regex(_ source: String, _ field: String, _ node: Node?) throws -> CompiledPattern {
            do {
                return try CompiledPattern(source)
            } catch {
                throw fail(field, node, "bad regular expression \(source): \(error)")
            }
        }

        func fields(_ node: Node) throws -> [RiskCondition] {
            guard case .mapping(let m) = node else { throw fail("fields", node, "fields is a mapping of field conditions") }
            try known(m, RiskModelLoader.fieldKeys, "fields.")
            var out: [RiskCondition] = []
            if m["product"] != nil { out.append(.field(.product(Set(try list(m, "product", "fields.product", AdvertisedProduct.init(rawValue:)))))) }
            if m["category"] != nil {
                out.append(.field(.category(Set(try list(m, "category", "fields.category", ListingCategory.init(rawValue:))))))
            }
            if let p = m["prescription"] {
                guard let b = p.bool else { throw fail("fields.prescription", p, "prescription must be true or false") }
                out.append(.field(.prescription(b)))
            }
            if m["prescriptionChecked"] != nil {
                let states = try list(m, "prescriptionChecked", "fields.prescriptionChecked") { CheckState(rawValue: $0) }
                out.append(.field(.prescriptionChecked(Set(states))))
            }
            if m["deviceClass"] != nil {
                let classes = try list(m, "deviceClass", "fields.deviceClass") { v -> Int? in
                    v == "unknown" ? 0 : Int(v).flatMap { (1...3).contains($0) ? $0 : nil }
                }
                out.append(.field(.deviceClass(Set(classes))))
            }
            if let a = m["approvalNumber"] {
                guard case .mapping(let am) = a else { throw fail("fields.approvalNumber", a, "approvalNumber is a mapping (is, format)") }
                try known(am, RiskModelLoader.approvalKeys, "fields.approvalNumber.")
                let isText = try text(am, "is", field: "fields.approvalNumber.is")
                guard let problem = ApprovalProblem(rawValue: isText) else {
                    throw fail(
                        "fields.approvalNumber.is",
                        am["is"],
                        "is must be one of \(ApprovalProblem.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                let formats = try strings(am, "format", "fields.approvalNumber.format")
                if problem != .absent, formats.isEmpty {
                    throw fail("fields.approvalNumber.format", a, "format is required to tell a malformed number (a list of regular expressions)")
                }
                out.append(.field(.approvalNumber(problem, formats: try formats.map { try regex($0, "fields.approvalNumber.format", am["format"]) })))
            }
            return out
        }

        func facts(_ node: Node) throws -> [RiskCondition] {
            guard case .mapping(let m) = node else { throw fail("facts", node, "facts is a mapping (no_licence, complaints_at_least)") }
            try known(m, RiskModelLoader.factKeys, "facts.")
            var out: [RiskCondition] = []
            if m["no_licence"] != nil {
                let kinds = try list(m, "no_licence", "facts.no_licence", LicenceKind.init(rawValue:))
                guard !kinds.isEmpty else { throw fail("facts.no_licence", m["no_licence"], "no_licence names at least one licence kind") }
                out.append(.fact(.noLicence(Set(kinds))))
            }
            if let c = m["complaints_at_least"] {
                guard let n = c.int, n >= 1 else { throw fail("facts.complaints_at_least", c, "complaints_at_least must be a whole number ≥ 1") }
                out.append(.fact(.complaintsAtLeast(n)))
            }
            return out
        }

        // MARK: scalars and lists

        func known(_ m: Node.Mapping, _ keys: Set<String>, _ prefix: String) throws {
            for (k, _) in m where !keys.contains(k.string ?? "") {
                throw fail(prefix + (k.string ?? ""), k, "unknown key \"\(k.string ?? "")\" (known: \(keys.sorted().joined(separator: ", ")))")
            }
        }

        func text(_ m: Node.Mapping, _ key: String, field: String? = nil) throws -> String {
            guard let v = m[key] else { throw fail(field ?? key, nil, "\(key) is required") }
            guard v.scalar != nil, let s = v.string, s.contains(where: { !$0.isWhitespace }) else {
                throw fail(field ?? key, v, "\(key) must be a non-empty text")
            }
            return s
        }

        func number(_ m: Node.Mapping, _ key: String) throws -> Double {
            guard let v = m[key] else { throw fail(key, nil, "\(key) is required") }
            guard let d = v.float ?? v.int.map(Double.init), d.isFinite else { throw fail(key, v, "\(key) must be a number") }
            return d
        }

        func strings(_ m: Node.Mapping, _ key: String, _ field: String) throws -> [String] {
            try list(m, key, field) { $0 }
        }

        func textFields(_ m: Node.Mapping, _ field: String) throws -> [TextField] {
            m["in"] == nil ? [.text] : try list(m, "in", field, TextField.init(rawValue:))
        }

        /// A list of scalars, each decoded by `decode` (nil: not a known value, named in the message).
        func list<T>(_ m: Node.Mapping, _ key: String, _ field: String, required: Bool = false, _ decode: (String) -> T?) throws -> [T] {
            guard let v = m[key] else {
                if required { throw fail(field, nil, "\(key) is required") }
                return []
            }
            let items: [Node]
            switch v {
            case .sequence(let seq): items = Array(seq)
            case .scalar: items = [v]
            default: throw fail(field, v, "\(key) must be a list")
            }
            return try items.map { item in
                guard let s = item.string, !s.isEmpty else { throw fail(field, item, "\(key): each entry must be a non-empty text") }
                guard let value = decode(s) else { throw fail(field, item, "\(key): unknown value \"\(s)\"") }
                return value
            }
        }
    }
}
