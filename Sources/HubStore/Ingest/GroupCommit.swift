import Foundation
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
///
/// Each group has its own `deadline` (its write and any retries alone): a group still unanswered then — in the
/// failover drill, one waiting on a connection the killed primary had dropped — answers each of its batches
/// `Deadline.Exceeded` (503 `database_unavailable`, as an ungrouped write past its deadline), is left to end on
/// its own, and the next group starts at once. Never a false success, never a half-written batch: the group is one
/// transaction, so it commits whole or not at all — and if its commit lands after the deadline, the 503 told the
/// caller only to resend, which is then answered record by record (duplicates as such).
public actor GroupCommit {
    public let store: IngestStore
    public let maxWait: Duration
    public let maxBatches: Int
    /// Longest one group may take before its batches are answered 503 and the next group starts.
    public let deadline: Duration
    /// Writes one group in one transaction: `store.write(group:)`; a test puts a writer that hangs in its place.
    let writeGroup: Writer

    package typealias Writer = @Sendable ([IngestWrite]) async throws -> [[RecordResult]]

    struct Waiting {
        var write: IngestWrite
        var keys: Set<String>
        var continuation: CheckedContinuation<[RecordResult], any Error>
    }

    private var waiting: [Waiting] = []
    private var windowOpen = false
    /// The group being written (its number), nil when none is; a group past its deadline no longer counts.
    private var writing: Int?
    /// Groups written and batches in them, for the metrics and the benchmark.
    public private(set) var groups = 0
    public private(set) var batches = 0
    /// Groups that did not finish before their deadline.
    public private(set) var timedOut = 0

    public init(store: IngestStore, maxWait: Duration, maxBatches: Int, deadline: Duration = .seconds(10)) {
        self.init(store: store, maxWait: maxWait, maxBatches: maxBatches, deadline: deadline) { try await store.write(group: $0) }
    }

    package init(store: IngestStore, maxWait: Duration, maxBatches: Int, deadline: Duration, writeGroup: @escaping Writer) {
        self.store = store
        self.maxWait = maxWait
        self.maxBatches = max(1, maxBatches)
        self.deadline = deadline
        self.writeGroup = writeGroup
    }

    /// Writes the batch with the next group; returns its results once the group committed.
    public func write(_ write: IngestWrite) async throws -> [RecordResult] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(write: write, keys: write.groupKeys, continuation: continuation))
            schedule()
        }
    }

    private func schedule() {
        guard writing == nil else { return }
        if waiting.count >= maxBatches {
            startGroup()
        } else if !windowOpen {
            windowOpen = true
            let wait = maxWait
            Task {
                try? await Task.sleep(for: wait)
                self.windowClosed()
            }
        }
    }

    private func windowClosed() {
        windowOpen = false
        if writing == nil && !waiting.isEmpty { startGroup() }
    }

    private func startGroup() {
        let group = GroupCommit.take(&waiting, limit: maxBatches)
        guard !group.isEmpty else { return }
        groups += 1
        batches += group.count
        let number = groups
        writing = number
        let answers = Answers(group.map(\.continuation))
        let writes = group.map(\.write)
        let (writeGroup, deadline, logger) = (self.writeGroup, self.deadline, store.db.logger)
        Task {
            do {
                try await Deadline.run(deadline, operation: "group commit") {
                    await Self.run(writes, answers: answers, writeGroup: writeGroup, logger: logger)
                }
            } catch {
                // Past the deadline (or cancelled): whoever is still unanswered gets the ungrouped write's answer.
                if answers.fail(error) > 0 {
                    logger.error(
                        "group commit did not finish before its deadline; its batches answered 503",
                        metadata: ["batches": "\(writes.count)", "deadline": "\(deadline)"]
                    )
                    self.groupTimedOut()
                }
            }
            self.groupDone(number)
        }
    }

    private func groupTimedOut() { timedOut += 1 }

    /// The group ended or passed its deadline: the next group starts now (once per group).
    private func groupDone(_ number: Int) {
        guard writing == number else { return }
        writing = nil
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

    /// Writes a group and answers every batch of it; a failed group is tried again batch by batch (not after
    /// its deadline: the batches left are answered by the caller of `run`).
    static func run(_ writes: [IngestWrite], answers: Answers, writeGroup: Writer, logger: Logger) async {
        do {
            let results = try await writeGroup(writes)
            for (i, r) in results.enumerated() { answers.resume(i, with: .success(r)) }
        } catch {
            guard writes.count > 1 else {
                answers.resume(0, with: .failure(error))
                return
            }
            logger.warning(
                "group commit failed; writing its batches one by one",
                metadata: ["batches": "\(writes.count)", "error": "\(String(reflecting: error))"]
            )
            for (i, w) in writes.enumerated() {
                guard !Task.isCancelled else { return }
                do {
                    answers.resume(i, with: .success(try await writeGroup([w])[0]))
                } catch {
                    answers.resume(i, with: .failure(error))
                }
            }
        }
    }

    /// The callers of one group, each answered once: by the group's write, or with the deadline's error.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var continuations: [CheckedContinuation<[RecordResult], any Error>?]

        init(_ continuations: [CheckedContinuation<[RecordResult], any Error>]) { self.continuations = continuations }

        func resume(_ i: Int, with result: Result<[RecordResult], any Error>) {
            lock.lock()
            let c = continuations[i]
            continuations[i] = nil
            lock.unlock()
            c?.resume(with: result)
        }

        /// Fails every caller not answered yet; returns how many.
        func fail(_ error: any Error) -> Int {
            lock.lock()
            let left = continuations.compactMap { $0 }
            continuations = continuations.map { _ in nil }
            lock.unlock()
            for c in left { c.resume(throwing: error) }
            return left.count
        }
    }
}
