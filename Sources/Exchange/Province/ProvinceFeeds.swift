import HubModel

/// What the province sends down, read from its feeds. Each entry carries the feed's sequence number,
/// which is the cursor the hub checkpoints so that a restart resumes where it stopped.

/// An item of the provincial catalog added, changed or retired, effective from a date: the catalog feed's entry.
/// The item is the same `CatalogItem` a catalog file row reads into, so the feed and the file import write
/// the same versions; its `effectiveFrom` is always set (the feed requires it).
public struct CatalogChange: Sendable, Hashable {
    public var seq: Int
    /// `added`, `changed` or `retired`, as the province labels it (the store decides from the content).
    public var change: String
    package var item: CatalogItem
    /// For an item set by local legislation that the province has just coded: the hub's provisional code
    /// (`ProvisionalItemCode`, `L…`) that `item.code` replaces. Absent on every other change, and in feeds written
    /// before it existed, which read as before.
    public var replaces: String?

    package init(seq: Int, change: String, item: CatalogItem, replaces: String? = nil) {
        self.seq = seq
        self.change = change
        self.item = item
        self.replaces = replaces
    }

    public var json: JSONValue {
        guard case .object(let members) = baseJSON, let replaces else { return baseJSON }
        return .object(members + [("replaces", .string(replaces))])
    }

    var baseJSON: JSONValue {
        .object([
            ("seq", .number(String(seq))), ("change", .string(change)),
            (
                "item",
                .object([
                    ("code", .string(item.code)), ("name", .string(item.name)), ("itemType", .string(item.itemType.rawValue)),
                    ("department", .string(item.department)), ("legalBasis", .string(item.legalBasis)),
                    ("parentCode", .text(item.parentCode)), ("levels", .string(item.levels)),
                    ("status", .string(item.status.rawValue)),
                ])
            ),
            ("effectiveFrom", .string(item.effectiveFrom ?? "")),
        ])
    }

    /// Reads a feed entry; an unknown item type or status, a malformed code or date is refused (a `FeedError`),
    /// so the feed stops at the entry instead of importing a wrong catalog version.
    public init(json v: JSONValue) throws {
        guard let seq = v["seq"]?.intValue, let change = v["change"]?.stringValue, let item = v["item"],
            let code = item["code"]?.stringValue, let name = item["name"]?.stringValue, let type = item["itemType"]?.stringValue,
            let dept = item["department"]?.stringValue, let basis = item["legalBasis"]?.stringValue,
            let status = item["status"]?.stringValue, let effective = v["effectiveFrom"]?.stringValue
        else {
            throw FeedError(reason: "a catalog change needs seq, change, item{code,name,itemType,department,legalBasis,status} and effectiveFrom")
        }
        guard effective.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, Timestamp(effective + "T00:00:00+08:00") != nil else {
            throw FeedError(reason: "catalog change \(seq): effectiveFrom \"\(effective)\" is not a date YYYY-MM-DD")
        }
        // The feed speaks the canonical spellings only (`active`/`retired`), not the files' Chinese ones.
        guard let itemType = ItemType(rawValue: type), CatalogCode(code) != nil, let status = CatalogStatus(rawValue: status) else {
            throw FeedError(reason: "catalog change \(seq) for \(code) has an unknown type, code or status")
        }
        let replaces = v["replaces"]?.stringValue
        if let replaces, ProvisionalItemCode(replaces) == nil {
            throw FeedError(reason: "catalog change \(seq): replaces \"\(replaces)\" is not a provisional local code")
        }
        self.init(
            seq: seq,
            change: change,
            item: CatalogItem(
                code: code,
                name: name,
                itemType: itemType,
                department: dept,
                legalBasis: basis,
                parentCode: item["parentCode"]?.stringValue,
                levels: item["levels"]?.stringValue ?? "",
                status: status,
                effectiveFrom: effective
            ),
            replaces: replaces
        )
    }
}

/// A joint-supervision task (跨部门联合抽查) dispatched to city departments, with objects and a deadline.
public struct JointTask: Sendable, Hashable {
    public var seq: Int
    public var taskId: String
    public var title: String
    public var leadDepartment: String
    public var departments: [String]
    /// Market entities to visit: USCC and name.
    public var objects: [(uscc: String, name: String)]
    public var items: [String]
    /// `YYYY-MM-DD`.
    public var deadline: String
    public var dispatchedAt: String

    public init(
        seq: Int,
        taskId: String,
        title: String,
        leadDepartment: String,
        departments: [String],
        objects: [(uscc: String, name: String)],
        items: [String],
        deadline: String,
        dispatchedAt: String
    ) {
        self.seq = seq
        self.taskId = taskId
        self.title = title
        self.leadDepartment = leadDepartment
        self.departments = departments
        self.objects = objects
        self.items = items
        self.deadline = deadline
        self.dispatchedAt = dispatchedAt
    }

    public static func == (a: JointTask, b: JointTask) -> Bool { a.seq == b.seq && a.taskId == b.taskId }
    public func hash(into h: inout Hasher) { h.combine(taskId) }

    public var json: JSONValue {
        .object([
            ("seq", .number(String(seq))), ("taskId", .string(taskId)), ("title", .string(title)),
            ("leadDepartment", .string(leadDepartment)), ("departments", .array(departments.map(JSONValue.string))),
            ("objects", .array(objects.map { .object([("uscc", .string($0.uscc)), ("name", .string($0.name))]) })),
            ("items", .array(items.map(JSONValue.string))), ("deadline", .string(deadline)), ("dispatchedAt", .string(dispatchedAt)),
        ])
    }

    public init(json v: JSONValue) throws {
        guard let seq = v["seq"]?.intValue, let id = v["taskId"]?.stringValue, let title = v["title"]?.stringValue,
            let lead = v["leadDepartment"]?.stringValue, let depts = v["departments"]?.arrayValue?.compactMap(\.stringValue),
            let objects = v["objects"]?.arrayValue, let deadline = v["deadline"]?.stringValue
        else {
            throw FeedError(reason: "a task needs seq, taskId, title, leadDepartment, departments, objects and deadline")
        }
        self.init(
            seq: seq,
            taskId: id,
            title: title,
            leadDepartment: lead,
            departments: depts,
            objects: objects.compactMap { o in o["uscc"]?.stringValue.map { ($0, o["name"]?.stringValue ?? "") } },
            items: v["items"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            deadline: deadline,
            dispatchedAt: v["dispatchedAt"]?.stringValue ?? ""
        )
    }
}

/// A risk clue (风险线索) from one of the provincial risk models, for the departments it names.
public struct RiskClue: Sendable, Hashable {
    public var seq: Int
    public var clueId: String
    public var model: String
    public var departments: [String]
    public var subjectUSCC: String
    public var subjectName: String
    public var summary: String
    public var evidence: String
    public var issuedAt: String

    public init(
        seq: Int,
        clueId: String,
        model: String,
        departments: [String],
        subjectUSCC: String,
        subjectName: String,
        summary: String,
        evidence: String,
        issuedAt: String
    ) {
        self.seq = seq
        self.clueId = clueId
        self.model = model
        self.departments = departments
        self.subjectUSCC = subjectUSCC
        self.subjectName = subjectName
        self.summary = summary
        self.evidence = evidence
        self.issuedAt = issuedAt
    }

    public var json: JSONValue {
        .object([
            ("seq", .number(String(seq))), ("clueId", .string(clueId)), ("model", .string(model)),
            ("departments", .array(departments.map(JSONValue.string))),
            ("subject", .object([("uscc", .string(subjectUSCC)), ("name", .string(subjectName))])),
            ("summary", .string(summary)), ("evidence", .string(evidence)), ("issuedAt", .string(issuedAt)),
        ])
    }

    public init(json v: JSONValue) throws {
        guard let seq = v["seq"]?.intValue, let id = v["clueId"]?.stringValue, let model = v["model"]?.stringValue,
            let depts = v["departments"]?.arrayValue?.compactMap(\.stringValue), let subject = v["subject"],
            let uscc = subject["uscc"]?.stringValue, let summary = v["summary"]?.stringValue
        else {
            throw FeedError(reason: "a clue needs seq, clueId, model, departments, subject.uscc and summary")
        }
        self.init(
            seq: seq,
            clueId: id,
            model: model,
            departments: depts,
            subjectUSCC: uscc,
            subjectName: subject["name"]?.stringValue ?? "",
            summary: summary,
            evidence: v["evidence"]?.stringValue ?? "",
            issuedAt: v["issuedAt"]?.stringValue ?? ""
        )
    }
}

public struct FeedError: Error, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "provincial feed: \(reason)" }
}
