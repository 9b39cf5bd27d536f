import Exchange
import HubModel
import HubStore
import Logging
import Normalization
import ServiceLifecycle

/// Reads what the province sends down, on a schedule: catalog changes (each applied as a new catalog
/// version, which sends affected mappings back to review), joint-supervision tasks and risk clues; and
/// forwards departments' task feedback up. Each feed's cursor is a checkpoint saved with what it covers.
public struct ProvincePullService: Service {
    let checkpoints: SyncCheckpoints
    let catalogStore: CatalogStore
    let feeds: ProvinceFeedStore
    let client: ProvinceClient
    /// `HUB_PULL_INTERVAL_SECONDS`.
    let interval: Duration
    let metrics: HubMetrics
    let logger: Logger

    /// Takes from the hub the stores, settings, metrics and logger the pulls use.
    public init(hub: HubContext, client: ProvinceClient) {
        self.checkpoints = hub.checkpoints
        self.catalogStore = hub.catalog
        self.feeds = hub.feeds
        self.client = client
        self.interval = hub.configuration.exchange.pullInterval
        self.metrics = hub.metrics
        self.logger = hub.logger
    }

    public static let catalogFeed = "province:catalog"
    public static let taskFeed = "province:tasks"
    public static let clueFeed = "province:clues"
    public static let creditGradeFeed = "province:credit-grades"

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pullOnce()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One round over every feed; a failing feed is recorded and does not stop the others.
    public func pullOnce() async {
        for (name, step) in [
            (Self.catalogFeed, catalog), (Self.taskFeed, tasks), (Self.clueFeed, clues), (Self.creditGradeFeed, creditGradeRound),
        ] as [(String, @Sendable () async throws -> Void)] {
            do {
                // One instance at a time per feed: the others skip this round.
                try await checkpoints.exclusively(name) { try await step() }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("provincial pull failed", metadata: ["feed": "\(name)", "error": LogRedaction.error(error)])
                try? await checkpoints.failed(name, error: "\(error)")
            }
        }
        _ = try? await checkpoints.exclusively("province:feedback") { await forwardFeedback() }
    }

    func cursor(_ name: String) async throws -> Int {
        Int(try await checkpoints.cursor(name) ?? "0") ?? 0
    }

    /// Reads one feed page by page from its checkpoint; `store` keeps a page and its cursor (one transaction
    /// where it can) and returns how many entries it took.
    func drain(_ feed: String, checkpoint: String, store: (_ entries: [JSONValue], _ next: Int) async throws -> Int) async throws {
        var cursor = try await cursor(checkpoint)
        while true {
            let page = try await client.feed(feed, after: cursor)
            guard !page.entries.isEmpty else {
                try await checkpoints.touch(checkpoint)
                return
            }
            guard page.next > cursor else { throw FeedError(reason: "feed \(feed) answered entries but its cursor did not move past \(cursor)") }
            metrics.pull(checkpoint, records: try await store(page.entries, page.next))
            cursor = page.next
        }
    }

    @Sendable func catalog() async throws {
        try await drain("catalog/changes", checkpoint: Self.catalogFeed) { entries, next in
            let changes = try entries.map { try CatalogChange(json: $0) }
            let rows = changes.map(\.item)
            // A change that codes a local item names the provisional code it replaces: coded in the import's transaction.
            var replacing: [String: LocalItemStore.Replacement] = [:]
            for change in changes {
                guard let provisional = change.replaces else { continue }
                replacing[change.item.code] = .init(provisionalCode: provisional, evidence: CanonicalJSON.string(change.json))
            }
            // Re-reading a page after a crash is harmless: an unchanged item writes no version, a coded item is not coded again.
            let summary = try await catalogStore.importCatalog(rows, replacing: replacing)
            try await checkpoints.save(Self.catalogFeed, cursor: String(next))
            logger.info(
                "catalog changes applied",
                metadata: [
                    "changes": "\(rows.count)", "new_versions": "\(summary.added + summary.changed)",
                    "mappings_to_review": "\(summary.mappingsToReview)", "local_items_coded": "\(summary.localItems.coded)",
                    "held_released": "\(summary.localItems.released)",
                ]
            )
            return rows.count
        }
    }

    @Sendable func tasks() async throws {
        try await drain("tasks", checkpoint: Self.taskFeed) { entries, next in
            let tasks = try entries.map { v -> ProvinceFeedStore.Task in
                // Kept as the typed task writes it: members the schema does not know are dropped, not echoed.
                let t = try JointTask(json: v)
                return .init(
                    taskId: t.taskId,
                    seq: t.seq,
                    title: t.title,
                    leadDepartment: t.leadDepartment,
                    departments: t.departments,
                    deadline: t.deadline,
                    body: CanonicalJSON.string(t.json)
                )
            }
            try await feeds.store(tasks: tasks, checkpoint: Self.taskFeed, cursor: next)
            return tasks.count
        }
    }

    @Sendable func clues() async throws {
        try await drain("clues", checkpoint: Self.clueFeed) { entries, next in
            let clues = try entries.map { v -> ProvinceFeedStore.Clue in
                let c = try RiskClue(json: v)
                return .init(
                    clueId: c.clueId,
                    seq: c.seq,
                    model: c.model,
                    departments: c.departments,
                    subjectUSCC: c.subjectUSCC,
                    body: CanonicalJSON.string(c.json)
                )
            }
            try await feeds.store(clues: clues, checkpoint: Self.clueFeed, cursor: next)
            return clues.count
        }
    }

    /// The scheduled round of the credit-grade feed (its tally is logged page by page).
    @Sendable func creditGradeRound() async throws { _ = try await creditGrades() }

    /// What a credit-grade pull did, over every page it read.
    public struct CreditGradeTally: Sendable, Equatable {
        public var changed = 0
        public var unchanged = 0
        /// Grades for subjects not in the 检查对象名录库: counted and skipped.
        public var unknownSubjects = 0
        /// Malformed entries: refused, counted, and the feed goes on past them.
        public var refused = 0

        public init(changed: Int = 0, unchanged: Int = 0, unknownSubjects: Int = 0, refused: Int = 0) {
            self.changed = changed
            self.unchanged = unchanged
            self.unknownSubjects = unknownSubjects
            self.refused = refused
        }
    }

    /// Reads the credit-grade feed into the subject library (`rc_subjects.credit_grade/credit_date`,
    /// `credit_source = 'province'`), page by page with its checkpoint. Public so that ops tooling and tests can run
    /// one pull and read what it did; the schedule calls it from `pullOnce`.
    @Sendable public func creditGrades() async throws -> CreditGradeTally {
        var tally = CreditGradeTally()
        try await drain("credit-grades", checkpoint: Self.creditGradeFeed) { entries, next in
            var valid: [CreditGradeFeed.Entry] = []
            for entry in entries {
                switch CreditGradeFeed.entry(entry) {
                case .success(let e): valid.append(e)
                case .failure(let refusal):
                    tally.refused += 1
                    logger.warning("credit grade refused", metadata: ["path": "\(refusal.path)", "code": "\(refusal.code)"])
                }
            }
            let plan = try await feeds.store(creditGrades: valid, checkpoint: Self.creditGradeFeed, cursor: next)
            tally.changed += plan.changes.count
            tally.unchanged += plan.unchanged
            tally.unknownSubjects += plan.unknown.count
            if !plan.unknown.isEmpty {
                logger.info(
                    "credit grades for subjects not in the library skipped",
                    metadata: ["count": "\(plan.unknown.count)", "first": "\(plan.unknown.prefix(5).joined(separator: ","))"]
                )
            }
            return valid.count
        }
        return tally
    }

    func forwardFeedback() async {
        guard let pending = try? await feeds.pendingFeedback() else { return }
        for f in pending {
            do {
                try await client.taskFeedback(taskId: f.taskId, department: f.department, result: f.result, detail: f.detail)
                try await feeds.markForwarded(f.id)
            } catch {
                logger.warning("task feedback not forwarded yet", metadata: ["task": "\(f.taskId)", "error": LogRedaction.error(error)])
                return
            }
        }
    }
}
