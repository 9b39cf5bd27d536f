import Exchange
import Foundation
import HubModel

/// The provincial platform's memory: its own copy of the catalog, every row it was sent, what it accepted
/// and in which order, and the feeds it publishes. Counting is the point: a test checks exactly-once and
/// per-record order from here, from the outside, not from the hub's own tables.
public actor ProvincialPlatform {
    /// Catalog code → every version of the item in the province's copy, in the order published (a feed change
    /// adds one; a future-dated one takes effect on its day).
    var catalog: [String: [CatalogItem]] = [:]
    /// `cd_id` → what was decided for it (the idempotency memory).
    var decided: [String: ProvincialReceipt.RowOutcome] = [:]
    /// `cd_source|localId` → versions accepted, in acceptance order.
    var accepted: [String: [Int]] = [:]
    public private(set) var counters = Counters()
    var catalogChanges: [CatalogChange] = []
    var tasks: [JointTask] = []
    var clues: [RiskClue] = []
    var feedback: [(taskId: String, department: String, result: String)] = []
    /// A pulled department system's rows: `collection/code` → (seq, row in the department's shape).
    var departmentRecords: [String: [(seq: Int, record: JSONValue)]] = [:]
    var departmentSeq = 0
    var receiptSeq = 0
    /// The 双随机 rows accepted, and the province's recomputation of every draw.
    var supervision = SupervisionRows()
    /// The credit-grade feed (信用风险分类结果) the province publishes, entries as given (a test may publish bad ones).
    var creditGrades: [JSONValue] = []
    public var faults: FaultPlan
    /// localIds refused as busy on every attempt (`refuseAlways`).
    var alwaysBusy: Set<String> = []
    /// Checks the hub's signed tree heads that come with uploads.
    nonisolated public let witness = HeadWitness()

    public struct Counters: Sendable {
        public var batches = 0
        public var rowsReceived = 0
        /// Distinct rows (`cd_id`) accepted.
        public var accepted = 0
        /// Rows sent again and answered `duplicate`.
        public var duplicateAcks = 0
        public var rejectedFinal = 0
        public var rejectedRetryable = 0
        /// A record version accepted a second time under another `cd_id` (must stay 0).
        public var acceptedTwice = 0
        /// A version accepted after a later version of the same record (must stay 0).
        public var orderViolations = 0
        public var injected: [String: Int] = [:]
    }

    public init(catalogCSV: String?, faults: FaultPlan = .none) throws {
        self.faults = faults
        if let catalogCSV {
            // The same reader as the hub's import: the province and the hub agree on what a row says.
            for var item in try CatalogFile.items(catalogCSV, file: "catalog.csv") {
                item.effectiveFrom = "2026-01-01"
                catalog[item.code] = [item]
            }
        }
    }

    func count(_ fault: String) { counters.injected[fault, default: 0] += 1 }

    // MARK: Uploads

    /// Decides every row of a batch: a `cd_id` seen before gets its first answer again (as `duplicate` when it was
    /// accepted); a new row is checked against the catalog copy and the record's version order.
    func take(
        _ rows: [ParsedRow],
        cdBatch: String,
        partialReject: Double,
        duplicateAck: Double,
        using g: inout some RandomNumberGenerator
    ) -> ProvincialReceipt {
        counters.batches += 1
        var results: [ProvincialReceipt.RowOutcome] = []
        for row in rows {
            counters.rowsReceived += 1
            if let earlier = decided[row.cdId] {
                if earlier.status == .accepted {
                    counters.duplicateAcks += 1
                    results.append(.init(cdId: row.cdId, status: .duplicate))
                } else {
                    results.append(earlier)
                }
                continue
            }
            if let problem = row.problem ?? validate(row) {
                let outcome = ProvincialReceipt.RowOutcome(cdId: row.cdId, status: .rejected, retryable: false, code: problem.0, message: problem.1)
                decided[row.cdId] = outcome
                counters.rejectedFinal += 1
                results.append(outcome)
                continue
            }
            if alwaysBusy.contains(row.localId) {
                counters.rejectedRetryable += 1
                count("alwaysBusy")
                results.append(.init(cdId: row.cdId, status: .rejected, retryable: true, code: "province_busy", message: "省平台繁忙，请稍后重传"))
                continue
            }
            if partialReject > 0, Double.random(in: 0..<1, using: &g) < partialReject {
                counters.rejectedRetryable += 1
                count("partialReject")
                results.append(.init(cdId: row.cdId, status: .rejected, retryable: true, code: "province_busy", message: "省平台繁忙，请稍后重传"))
                continue
            }
            let key = "\(row.cdSource)|\(row.localId)"
            let versions = accepted[key, default: []]
            if versions.contains(row.version) { counters.acceptedTwice += 1 }
            if let last = versions.max(), last > row.version { counters.orderViolations += 1 }
            accepted[key, default: []].append(row.version)
            if let table = row.table, let data = row.data {
                supervision.keep(table: table, localId: row.localId, version: row.version, data: data)
            }
            let outcome = ProvincialReceipt.RowOutcome(cdId: row.cdId, status: .accepted)
            decided[row.cdId] = outcome
            counters.accepted += 1
            results.append(outcome)
        }
        if duplicateAck > 0, !results.isEmpty, Double.random(in: 0..<1, using: &g) < duplicateAck {
            count("duplicateAck")
            results += results.prefix(max(1, results.count / 10))
        }
        receiptSeq += 1
        return ProvincialReceipt(receiptId: "SIM-R-\(receiptSeq)", cdBatch: cdBatch, results: results)
    }

    /// The province's own checks of a row: known, active catalog item; a sane envelope; for a 双随机 row, a known
    /// table (its content is kept as sent; a draw is recomputed, and a draw that does not verify is reported, not refused).
    func validate(_ row: ParsedRow) -> (String, String)? {
        guard ["I", "U", "D"].contains(row.cdOperation) else { return ("bad_operation", "cd_operation 必须为 I/U/D") }
        guard UUID(uuidString: row.cdId) != nil else { return ("bad_cd_id", "cd_id 必须为 UUID") }
        guard row.version >= 1 else { return ("bad_version", "version 必须 ≥ 1") }
        if let table = row.table {
            return SupervisionRows.tables.contains(table) ? nil : ("unknown_table", "省平台无此数据表 \(table)")
        }
        guard let code = row.catalogCode else { return ("catalog_code_missing", "缺少监管事项目录编码") }
        guard let versions = catalog[code], let item = Self.inForce(versions, on: row.actDate) else {
            return ("catalog_item_unknown", "省级目录中无此事项 \(code)")
        }
        guard item.status == .active else { return ("catalog_item_retired", "事项 \(code) 自 \(item.effectiveFrom ?? "") 起停用") }
        return nil
    }

    /// The version in force on the act's day by the hub's own rule (`CatalogTimeline.inForce`); the first version
    /// when the row has no act date or every version is later (the hub refuses such acts; the province is lenient).
    static func inForce(_ versions: [CatalogItem], on day: CalendarDate?) -> CatalogItem? {
        let ordered = versions.enumerated().sorted { a, b in
            CatalogTimeline.order(
                a.element.effectiveFrom.flatMap { CalendarDate($0) },
                a.offset,
                b.element.effectiveFrom.flatMap { CalendarDate($0) },
                b.offset
            )
        }.map(\.element)
        guard let day else { return ordered.last }
        return CatalogTimeline.inForce(ordered, on: day) { $0.effectiveFrom.flatMap { CalendarDate($0) } } ?? ordered.first
    }

    // MARK: Feeds

    /// Publishes a catalog change and applies it to the province's own copy.
    @discardableResult
    public func publish(change: CatalogChange) -> CatalogChange {
        var c = change
        c.seq = catalogChanges.count + 1
        catalogChanges.append(c)
        catalog[c.item.code, default: []].append(c.item)
        return c
    }

    /// Retires an item of the copy (a convenience over `publish`).
    public func retire(code: String, effectiveFrom: String) -> CatalogChange? {
        guard var item = catalog[code]?.last else { return nil }
        item.status = .retired
        item.effectiveFrom = effectiveFrom
        return publish(change: CatalogChange(seq: 0, change: "retired", item: item))
    }

    /// Codes an item set by local legislation that the hub sent (`local_item` row, under its provisional code): the
    /// item joins the province's copy under `code` and the catalog feed publishes it with the provisional code it
    /// replaces. Nil when no such row was received.
    public func code(localItem provisionalCode: String, as code: String, effectiveFrom: String) -> CatalogChange? {
        guard let row = supervision.rows["local_item"]?["local_item:" + provisionalCode]?.data,
            let name = row["name"]?.stringValue, let type = row["itemType"]?.stringValue.flatMap(ItemType.init(rawValue:))
        else { return nil }
        let item = CatalogItem(
            code: code,
            name: name,
            itemType: type,
            department: row["department"]?.stringValue ?? "",
            legalBasis: row["legalBasis"]?.stringValue ?? "",
            parentCode: row["parentCode"]?.stringValue,
            levels: row["levels"]?.stringValue ?? "",
            status: .active,
            effectiveFrom: effectiveFrom
        )
        return publish(change: CatalogChange(seq: 0, change: "added", item: item, replaces: provisionalCode))
    }

    /// The local items received for coding, by provisional code (`GET /sim/local-items`).
    public func localItems() -> JSONValue {
        .object(
            (supervision.rows["local_item"] ?? [:]).sorted { $0.key < $1.key }.map { (String($0.key.dropFirst("local_item:".count)), $0.value.data) }
        )
    }

    @discardableResult
    public func dispatch(task: JointTask) -> JointTask {
        var t = task
        t.seq = tasks.count + 1
        tasks.append(t)
        return t
    }

    /// Publishes credit grades on the feed (`{subjectId, grade, date}` each), numbering them with `seq`; returns
    /// them as published. Entries are kept as given, so a test can publish a malformed one.
    @discardableResult
    public func publish(creditGrades entries: [JSONValue]) -> [JSONValue] {
        entries.map { entry in
            var members: [(String, JSONValue)] = [("entry", entry)]
            if case .object(let given) = entry { members = given.filter { $0.0 != "seq" } }
            let numbered = JSONValue.object([("seq", .number(String(creditGrades.count + 1)))] + members)
            creditGrades.append(numbered)
            return numbered
        }
    }

    @discardableResult
    public func issue(clue: RiskClue) -> RiskClue {
        var c = clue
        c.seq = clues.count + 1
        clues.append(c)
        return c
    }

    func feed(_ name: String, after: Int, limit: Int) -> (entries: [JSONValue], next: Int)? {
        let all: [(Int, JSONValue)]
        switch name {
        case "catalog/changes": all = catalogChanges.map { ($0.seq, $0.json) }
        case "tasks": all = tasks.map { ($0.seq, $0.json) }
        case "clues": all = clues.map { ($0.seq, $0.json) }
        case "credit-grades": all = creditGrades.enumerated().map { ($0.offset + 1, $0.element) }
        default: return nil
        }
        let page = all.filter { $0.0 > after }.prefix(limit)
        return (page.map(\.1), page.last?.0 ?? after)
    }

    func takeFeedback(taskId: String, department: String, result: String) -> Bool {
        guard tasks.contains(where: { $0.taskId == taskId && ($0.departments.contains(department) || $0.leadDepartment == department) }) else {
            return false
        }
        feedback.append((taskId, department, result))
        return true
    }

    public var feedbackCount: Int { feedback.count }

    // MARK: A department system that is pulled

    /// Rows a pulled department system serves: record batches (`collection` `records`, `/dept/{code}/records`) or
    /// risk observations (`observations`, `/dept/{code}/observations`).
    public func addDepartmentRecords(_ records: [JSONValue], department: String, collection: String = "records") {
        for record in records {
            departmentSeq += 1
            departmentRecords["\(collection)/\(department)", default: []].append((departmentSeq, record))
        }
    }

    func departmentPage(
        _ department: String,
        collection: String = "records",
        after cursor: Int,
        limit: Int
    ) -> (records: [JSONValue], next: Int, more: Bool) {
        let waiting = departmentRecords["\(collection)/\(department)", default: []].filter { $0.seq > cursor }
        let page = waiting.prefix(limit)
        return (page.map(\.record), page.last?.seq ?? cursor, waiting.count > page.count)
    }

    // MARK: Counting from the outside

    public func stats() async -> JSONValue {
        let heads = await witness.counters
        var injected: [(String, JSONValue)] = counters.injected.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }
        if injected.isEmpty { injected = [] }
        let versions = accepted.values.reduce(0) { $0 + Set($1).count }
        let members: [(String, JSONValue)] = [
            ("batches", .number(String(counters.batches))), ("rowsReceived", .number(String(counters.rowsReceived))),
            ("accepted", .number(String(counters.accepted))), ("versionsAccepted", .number(String(versions))),
            ("recordsAccepted", .number(String(accepted.count))),
            ("duplicateAcks", .number(String(counters.duplicateAcks))), ("rejectedFinal", .number(String(counters.rejectedFinal))),
            ("rejectedRetryable", .number(String(counters.rejectedRetryable))), ("acceptedTwice", .number(String(counters.acceptedTwice))),
            ("orderViolations", .number(String(counters.orderViolations))), ("injected", .object(injected)),
            ("feedback", .number(String(feedback.count))), ("faults", faults.json),
            ("supervisionRows", .number(String(supervision.rows.values.reduce(0) { $0 + $1.count }))),
            ("drawsVerified", .number(String(supervision.verifiedCount))), ("drawsFailed", .number(String(supervision.failedCount))),
        ]
        return .object(members + witnessStats(heads))
    }

    /// The witness's counters as stats members.
    nonisolated func witnessStats(_ heads: HeadWitness.Counters) -> [(String, JSONValue)] {
        [
            ("headsWitnessed", .number(String(heads.headsWitnessed))), ("inconsistentHeads", .number(String(heads.inconsistentHeads))),
            ("headsUnchecked", .number(String(heads.headsUnchecked))),
        ]
    }

    public func setFaults(_ plan: FaultPlan) { faults = plan }

    /// Rows of these localIds are refused as busy (retryable) every time they come: the demo uses one to show a
    /// dead letter (the hub gives up after its maximum attempts), without failing any other row.
    public func refuseAlways(localIds: Set<String>) { alwaysBusy = localIds }

    /// The 双随机 rows kept (`GET /sim/supervision`).
    public func supervisionRows() -> JSONValue { supervision.json }

    /// Every draw received and whether it recomputes (`GET /sim/draws`).
    public func drawChecks() -> JSONValue { supervision.drawsJSON }

    /// The publications the portals received (`GET /sim/portal`).
    public func portal() -> JSONValue { supervision.portalJSON }

    /// The clue feedback received (`GET /sim/clue-feedback`).
    public func clueFeedback() -> JSONValue { supervision.clueFeedbackJSON }

    /// The claim rows received (`GET /sim/catalog-claims`).
    public func catalogClaims() -> JSONValue { supervision.catalogClaimsJSON }

    /// Every accepted record version: `{"cd_source|localId": [versions in acceptance order]}`.
    public func acceptedVersions() -> JSONValue {
        .object(accepted.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .number(String($0)) })) })
    }
}
