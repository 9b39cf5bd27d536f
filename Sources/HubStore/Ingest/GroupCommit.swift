import HubModel
import Ingest
import Logging
import Normalization

/// Group commit: concurrent small batches (a department system reporting each act as it happens pushes one
/// record per request) written together in one transaction.
///
/// Why: every batch takes the ledger's append lock and holds it through its commit, so one-record batches are
/// written one after another, each waiting for its own WAL flush — the lock, not the CPU, sets the rate. Gathered,
/// a group takes the lock once, writes every batch's rows with one COPY per table and commits once.
///
/// How: the first batch opens a window of at most `maxWait`; the group is written when the window closes or
/// `maxBatches` batches wait, whichever comes first. One group is written at a time (the ledger lock would
/// serialize them anyway); batches arriving meanwhile form the next group, which starts as soon as the previous
/// one committed. Each batch is planned on its own (`IngestPlanner`, pure) and keeps its own per-record answers —
/// a record the planner refuses is its batch's answer, never the group's failure — and every caller is answered
/// only after the group committed. Batches that share a department's `localId` or local item code never share a
/// group (the later one waits for the next). When the group's transaction fails, nothing of it was written and
/// each batch is tried again alone, so one batch whose statements fail cannot fail the others; a batch that
/// fails alone gets its own error (a database that went away: 503, as before).
public actor GroupCommit {
    public let store: IngestStore
    public let maxWait: Duration
    public let maxBatches: Int

    struct Waiting {
        var write: IngestWrite
        var keys: Set<String>
        var continuation: CheckedContinuation<[RecordResult], any Error>
    }

    private var waiting: [Waiting] = []
    private var windowOpen = false
    private var writing = false
    /// Groups written and batches in them, for the metrics and the benchmark.
    public private(set) var groups = 0
    public private(set) var batches = 0

    public init(store: IngestStore, maxWait: Duration, maxBatches: Int) {
        self.store = store
        self.maxWait = maxWait
        self.maxBatches = max(1, maxBatches)
    }

    /// Writes the batch with the next group; returns its results once the group committed.
    public func write(_ write: IngestWrite) async throws -> [RecordResult] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(write: write, keys: write.groupKeys, continuation: continuation))
            schedule()
        }
    }

    private func schedule() {
        guard !writing else { return }
        if waiting.count >= maxBatches {
            startGroup()
        } else if !windowOpen {
            windowOpen = true
            let wait = maxWait
            Task {
                try? await Task.sleep(for: wait)
                await self.windowClosed()
            }
        }
    }

    private func windowClosed() {
        windowOpen = false
        if !writing && !waiting.isEmpty { startGroup() }
    }

    private func startGroup() {
        let group = GroupCommit.take(&waiting, limit: maxBatches)
        guard !group.isEmpty else { return }
        writing = true
        groups += 1
        batches += group.count
        let store = self.store
        Task {
            await Self.run(group, store: store)
            self.groupDone()
        }
    }

    private func groupDone() {
        writing = false
        // Whoever arrived while the group was written has waited already: the next group starts now.
        if !waiting.isEmpty { startGroup() }
    }

    /// Takes up to `limit` waiting batches in arrival order, skipping any that shares a key with one taken or
    /// skipped before it (so batches of one `localId` keep their order across groups).
    static func take(_ waiting: inout [Waiting], limit: Int) -> [Waiting] {
        var taken: [Waiting] = []
        var kept: [Waiting] = []
        var seen = Set<String>()
        for w in waiting {
            if taken.count < limit && seen.isDisjoint(with: w.keys) {
                taken.append(w)
            } else {
                kept.append(w)
            }
            seen.formUnion(w.keys)
        }
        waiting = kept
        return taken
    }

    /// Writes a group and answers every batch of it; a failed group is tried again batch by batch.
    static func run(_ group: [Waiting], store: IngestStore) async {
        do {
            let results = try await store.write(group: group.map(\.write))
            for (w, r) in zip(group, results) { w.continuation.resume(returning: r) }
        } catch {
            guard group.count > 1 else {
                group[0].continuation.resume(throwing: error)
                return
            }
            store.db.logger.warning(
                "group commit failed; writing its batches one by one",
                metadata: ["batches": "\(group.count)", "error": "\(String(reflecting: error))"]
            )
            for w in group {
                do {
                    w.continuation.resume(returning: try await store.write(group: [w.write])[0])
                } catch {
                    w.continuation.resume(throwing: error)
                }
            }
        }
    }
}
