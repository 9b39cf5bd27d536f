import HubModel

extension PublishableAct {
    /// The act of an accepted canonical record, or nil when the kind is not published (coercive and other
    /// measures are not 执法公示 results). Dictionary codes stay codes (the public side names them).
    public init?(record tree: JSONValue, department: String) {
        func text(_ v: JSONValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
        func flag(_ v: JSONValue?) -> Bool { if case .bool(true)? = v { true } else { false } }
        func texts(_ v: JSONValue?) -> [String] { if case .array(let a)? = v { a.compactMap { text($0) } } else { [] } }
        let kind: PublicationKind
        var fields: [Field] = []
        func add(_ key: String, _ label: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append(Field(key, label, value)) }
        }
        let agency = text(tree["agency"]?["name"]) ?? ""
        switch text(tree["kind"]) {
        case "penalty":
            kind = .penalty
            let p = tree["penalty"]
            add("decisionNo", "行政处罚决定书文号", text(p?["decisionNo"]))
            add("facts", "违法事实", text(p?["facts"]))
            add("basis", "处罚依据", text(p?["basis"]))
            add("kinds", "处罚种类", texts(p?["kinds"]).joined(separator: "、"))
            add("fineAmount", "罚款金额（元）", text(p?["fineAmount"]))
            add("result", "处罚结果", text(p?["result"]))
            add("decidedOn", "处罚决定日期", Self.shanghaiDate(text(p?["decidedAt"]))?.description)
            add("agency", "处罚机关", agency)
        case "inspection":
            kind = text(tree["taskId"]) == nil ? .inspection : .randomCheckResult
            let i = tree["inspection"]
            add("category", "检查类别", text(i?["category"]))
            add("form", "检查形式", text(i?["form"]))
            add("result", "检查结果", text(i?["result"]))
            add("checkedOn", "检查日期", Self.shanghaiDate(text(i?["date"]))?.description)
            add("planId", "抽查计划", text(tree["planId"]))
            add("agency", "检查机关", agency)
        default:
            return nil
        }
        let party = tree["party"]
        let disclosure = tree["disclosure"]
        var persons = texts(disclosure?["persons"])
        persons += (tree["inspection"]?["inspectors"]).map { if case .array(let a) = $0 { a.compactMap { text($0["name"]) } } else { [] } } ?? []
        if let by = text(tree["submittedBy"]) { persons.append(by) }
        self.init(
            kind: kind,
            title: text(tree["actionName"]) ?? "",
            department: department,
            agencyName: agency,
            party: Party(
                name: text(party?["name"]) ?? "",
                nature: PartyNature(rawValue: text(party?["nature"]) ?? "") ?? .otherOrganisation,
                idType: text(party?["idType"]) ?? "",
                idNumber: text(party?["idNumber"]) ?? "",
                addresses: [text(party?["registeredAddress"]), text(party?["businessAddress"])].compactMap { $0 }
            ),
            otherPersons: persons,
            sensitiveTexts: texts(disclosure?["personalData"]),
            fields: fields,
            flags: Flags(
                minor: flag(disclosure?["minor"]),
                stateSecret: flag(disclosure?["stateSecret"]),
                tradeSecret: flag(disclosure?["tradeSecret"])
            )
        )
    }

    /// The day of a timestamp in Asia/Shanghai (UTC+8 all year, no daylight saving).
    public static func shanghaiDate(_ timestamp: String?) -> CalendarDate? {
        guard let timestamp, let t = Timestamp(timestamp) else { return nil }
        return CalendarDate(dayNumber: Int(((t.epochSeconds + 8 * 3600) / 86_400).rounded(.down)))
    }

    /// The day the deadline counts from: the decision for a penalty, the check for an inspection.
    public var actDate: CalendarDate? {
        let key = kind == .penalty ? "decidedOn" : "checkedOn"
        return fields.first { $0.key == key }.flatMap { CalendarDate($0.value) }
    }
}
