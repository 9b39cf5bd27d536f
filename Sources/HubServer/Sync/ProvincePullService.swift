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
    let hub: HubContext
    let client: ProvinceClient
    let prepare: @Sendable () async throws -> Void

    public init(hub: HubContext, client: ProvinceClient) {
        self.hub = hub
        self.client = client
        self.prepare = { try await Migrations.apply(hub.db) }
    }

    public static let catalogFeed = "province:catalog"
    public static let taskFeed = "province:tasks"
    public static let clueFeed = "province:clues"

    public func run() async throws {
        try await waitUntilPrepared(prepare, logger: hub.logger)
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pullOnce()
                try await Task.sleep(for: hub.configuration.exchange.pullInterval)
            }
        }
    }

    /// One round over every feed; a failing feed is recorded and does not stop the others.
    public func pullOnce() async {
        for (name, step) in [(Self.catalogFeed, catalog), (Self.taskFeed, tasks), (Self.clueFeed, clues)] as [(String, @Sendable () async throws -> Void)] {
            do {
                try await step()
            } catch is CancellationError {
                return
            } catch {
                hub.logger.warning("provincial pull failed", metadata: ["feed": "\(name)", "error": "\(error)"])
                try? await hub.checkpoints.failed(name, error: "\(error)")
            }
        }
        await forwardFeedback()
    }

    func cursor(_ name: String) async throws -> Int {
        Int(try await hub.checkpoints.cursor(name) ?? "0") ?? 0
    }

    @Sendable func catalog() async throws {
        var cursor = try await cursor(Self.catalogFeed)
        while true {
            let page = try await client.feed("catalog/changes", after: cursor)
            guard !page.entries.isEmpty else { try await hub.checkpoints.touch(Self.catalogFeed); return }
            let changes = try page.entries.map(CatalogChange.init(json:))
            let rows = try changes.map { c -> CatalogStore.CatalogRow in
                guard let type = ItemType(rawValue: c.itemType), CatalogCode(c.code) != nil, ["active", "retired"].contains(c.status) else {
                    throw FeedError(reason: "catalog change \(c.seq) for \(c.code) has an unknown type, code or status")
                }
                return CatalogStore.CatalogRow(code: c.code, name: c.name, itemType: type, department: c.department, legalBasis: c.legalBasis,
                                               parentCode: c.parentCode, levels: c.levels, status: c.status, effectiveFrom: c.effectiveFrom)
            }
            // Re-reading a page after a crash is harmless: an unchanged item writes no version.
            let summary = try await hub.catalog.importCatalog(rows)
            try await hub.checkpoints.save(Self.catalogFeed, cursor: String(page.next))
            hub.metrics.pull(Self.catalogFeed, records: rows.count)
            hub.logger.info("catalog changes applied", metadata: ["changes": "\(rows.count)", "new_versions": "\(summary.added + summary.changed)",
                                                                  "mappings_to_review": "\(summary.mappingsToReview)"])
            cursor = page.next
        }
    }

    @Sendable func tasks() async throws {
        var cursor = try await cursor(Self.taskFeed)
        while true {
            let page = try await client.feed("tasks", after: cursor)
            guard !page.entries.isEmpty else { try await hub.checkpoints.touch(Self.taskFeed); return }
            let tasks = try page.entries.map { v -> ProvinceFeedStore.Task in
                let t = try JointTask(json: v)
                return .init(taskId: t.taskId, seq: t.seq, title: t.title, leadDepartment: t.leadDepartment, departments: t.departments,
                             deadline: t.deadline, body: CanonicalJSON.string(v))
            }
            try await hub.feeds.store(tasks: tasks, checkpoint: Self.taskFeed, cursor: page.next)
            hub.metrics.pull(Self.taskFeed, records: tasks.count)
            cursor = page.next
        }
    }

    @Sendable func clues() async throws {
        var cursor = try await cursor(Self.clueFeed)
        while true {
            let page = try await client.feed("clues", after: cursor)
            guard !page.entries.isEmpty else { try await hub.checkpoints.touch(Self.clueFeed); return }
            let clues = try page.entries.map { v -> ProvinceFeedStore.Clue in
                let c = try RiskClue(json: v)
                return .init(clueId: c.clueId, seq: c.seq, model: c.model, departments: c.departments, subjectUSCC: c.subjectUSCC,
                             body: CanonicalJSON.string(v))
            }
            try await hub.feeds.store(clues: clues, checkpoint: Self.clueFeed, cursor: page.next)
            hub.metrics.pull(Self.clueFeed, records: clues.count)
            cursor = page.next
        }
    }

    func forwardFeedback() async {
        guard let pending = try? await hub.feeds.pendingFeedback() else { return }
        for f in pending {
            do {
                try await client.taskFeedback(taskId: f.taskId, department: f.department, result: f.result, detail: f.detail)
                try await hub.feeds.markForwarded(f.id)
            } catch {
                hub.logger.warning("task feedback not forwarded yet", metadata: ["task": "\(f.taskId)", "error": "\(error)"])
                return
            }
        }
    }
}
