import HubModel

/// A plan as the ops API, the CLI and `rc_plans.body` write it: the fields of `RandomCheckPlan`, ratios as basis
/// points keyed by grade letter (`{"A":100,"N":300}`, as a published draw lists them). One reader and one writer,
/// so what is proposed, stored and shown is the same document.
extension RandomCheckPlan {
    /// The members a plan document may hold; any other is refused (`unknown_field`), never ignored, and `null` is
    /// a wrong type, as in every ops body.
    static let members: Set<String> = [
        "planId", "name", "leadDepartment", "participants", "items", "filter", "ratios", "minimumCount", "maximumCount",
        "inspectorsPerTask", "inspectorSpecialty", "periodStart", "periodEnd",
    ]
    static let filterMembers: Set<String> = ["regionCode", "industryPrefixes", "tags", "subjectTypes"]

    /// Reads a plan document. Grades missing from `ratios` take `defaultRatios` (the department's
    /// `Mappings/random-checks/ratios.csv`). Returns the plan, or every shape problem with its path; the plan's
    /// own rules are `problems()`, checked by the caller after this.
    public static func read(_ value: JSONValue, defaultRatios: RatioTable) -> (plan: RandomCheckPlan?, errors: [FieldError]) {
        var errors: [FieldError] = []
        guard case .object(let pairs) = value else {
            return (nil, [FieldError(path: "", code: "wrong_type", zh: "计划应为 JSON 对象", en: "the plan must be a JSON object")])
        }
        for (name, _) in pairs where !members.contains(name) { errors.append(.unknownField(name)) }
        func text(_ name: String, required: Bool = true) -> String? {
            switch value[name] {
            case .string(let s)?: return s
            case nil:
                if required { errors.append(.required(name)) }
                return nil
            case let other?:
                errors.append(.wrongType(name, expected: "string", found: other.typeName))
                return nil
            }
        }
        func texts(_ path: String, _ node: JSONValue?) -> [String] {
            guard let node else { return [] }
            guard case .array(let list) = node else {
                errors.append(.wrongType(path, expected: "array", found: node.typeName))
                return []
            }
            return list.enumerated().compactMap { index, element in
                if case .string(let s) = element { return s }
                errors.append(.wrongType("\(path)[\(index)]", expected: "string", found: element.typeName))
                return nil
            }
        }
        func integer(_ name: String, default fallback: Int) -> Int {
            guard let node = value[name] else { return fallback }
            guard let n = node.integerValue, let int = Int(exactly: n) else {
                errors.append(.wrongType(name, expected: "integer", found: node.typeName))
                return fallback
            }
            return int
        }

        let planId = text("planId") ?? ""
        let name = text("name") ?? ""
        let lead = text("leadDepartment") ?? ""
        let participants = texts("participants", value["participants"])
        var items: [String: [String]] = [:]
        switch value["items"] {
        case .object(let departments)?:
            for (department, codes) in departments { items[department] = texts("items.\(department)", codes) }
        case nil: errors.append(.required("items"))
        case let other?: errors.append(.wrongType("items", expected: "object", found: other.typeName))
        }
        var filter = SubjectFilter()
        switch value["filter"] {
        case .object(let pairs)?:
            for (member, _) in pairs where !filterMembers.contains(member) { errors.append(.unknownField("filter.\(member)")) }
            let node = value["filter"]!
            switch node["regionCode"] {
            case .string(let s)?: filter.regionCode = s
            case nil: break
            case let other?: errors.append(.wrongType("filter.regionCode", expected: "string", found: other.typeName))
            }
            filter.industryPrefixes = texts("filter.industryPrefixes", node["industryPrefixes"])
            filter.tags = texts("filter.tags", node["tags"])
            filter.subjectTypes = texts("filter.subjectTypes", node["subjectTypes"])
        case nil: break
        case let other?: errors.append(.wrongType("filter", expected: "object", found: other.typeName))
        }
        var ratios = defaultRatios
        switch value["ratios"] {
        case .object(let pairs)?:
            for (letter, bp) in pairs {
                guard let grade = CreditGrade(rawValue: letter) else {
                    errors.append(
                        FieldError(path: "ratios.\(letter)", code: "unknown_grade", zh: "信用等级应为 A、B、C、D 或 N", en: "grade is A, B, C, D or N")
                    )
                    continue
                }
                guard let n = bp.integerValue, let int = Int(exactly: n) else {
                    errors.append(.wrongType("ratios.\(letter)", expected: "integer (basis points)", found: bp.typeName))
                    continue
                }
                ratios.basisPoints[grade] = int
            }
        case nil: break
        case let other?: errors.append(.wrongType("ratios", expected: "object", found: other.typeName))
        }
        let plan = RandomCheckPlan(
            planId: planId,
            name: name,
            leadDepartment: lead,
            participants: participants,
            items: items,
            filter: filter,
            ratios: ratios,
            minimumCount: integer("minimumCount", default: 0),
            maximumCount: integer("maximumCount", default: 1_000_000),
            inspectorsPerTask: integer("inspectorsPerTask", default: 2),
            inspectorSpecialty: text("inspectorSpecialty", required: false),
            periodStart: text("periodStart") ?? "",
            periodEnd: text("periodEnd") ?? ""
        )
        return errors.isEmpty ? (plan, []) : (nil, errors)
    }

    /// The plan as a document `read` reads back to the same plan (every ratio written out).
    public var json: JSONValue {
        var filterMembers: [(String, JSONValue)] = []
        if let region = filter.regionCode { filterMembers.append(("regionCode", .string(region))) }
        filterMembers += [
            ("industryPrefixes", .array(filter.industryPrefixes.map(JSONValue.string))),
            ("tags", .array(filter.tags.map(JSONValue.string))),
            ("subjectTypes", .array(filter.subjectTypes.map(JSONValue.string))),
        ]
        var members: [(String, JSONValue)] = [
            ("planId", .string(planId)), ("name", .string(name)), ("leadDepartment", .string(leadDepartment)),
            ("participants", .array(participants.map(JSONValue.string))),
            ("items", .object(departments.map { ($0, .array((items[$0] ?? []).map(JSONValue.string))) })),
            ("filter", .object(filterMembers)),
            ("ratios", .object(CreditGrade.drawOrder.map { ($0.rawValue, .number(String(ratios.basisPoints(for: $0)))) })),
            ("minimumCount", .number(String(minimumCount))), ("maximumCount", .number(String(maximumCount))),
            ("inspectorsPerTask", .number(String(inspectorsPerTask))),
        ]
        if let inspectorSpecialty { members.append(("inspectorSpecialty", .string(inspectorSpecialty))) }
        members += [("periodStart", .string(periodStart)), ("periodEnd", .string(periodEnd))]
        return .object(members)
    }
}
