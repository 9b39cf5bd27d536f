import Exchange
import HubModel
import HubStore
import Logging
import ServiceLifecycle

/// Drains the outbox to the province: lease a batch, upload it, record the signed receipt, repeat.
///
/// Several workers per instance, and any number of instances, share the outbox through leases (see
/// `OutboxStore`). A failed upload gives the rows back with a backoff (full jitter, `Retry-After` first) and
/// the worker waits the same time; the rows go again under the same `cd_id`s, so a lost acknowledgement
/// costs a duplicate answer from the province, never a second acceptance.
public struct OutboxDeliveryService: Service {
    let outbox: OutboxStore
    let client: ProvinceClient
    let settings: ExchangeSettings
    let metrics: HubMetrics
    let logger: Logger
    /// The newest signed tree head, sent with every batch so the province keeps the ledger's signed state.
    let treeHead: @Sendable () async throws -> SignedTreeHead?

    public init(hub: HubContext, client: ProvinceClient, settings: ExchangeSettings? = nil) {
        let checkpoints = hub.ledgerCheckpoints
        self.init(
            outbox: hub.outbox,
            client: client,
            settings: settings ?? hub.configuration.exchange,
            metrics: hub.metrics,
            logger: hub.logger,
            treeHead: { try await checkpoints.latest()?.head }
        )
    }

    init(
        outbox: OutboxStore,
        client: ProvinceClient,
        settings: ExchangeSettings,
        metrics: HubMetrics,
        logger: Logger,
        treeHead: @escaping @Sendable () async throws -> SignedTreeHead? = { nil }
    ) {
        self.outbox = outbox
        self.client = client
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.treeHead = treeHead
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<settings.workers { group.addTask { await worker(n) } }
                group.addTask { await monitor() }
            }
        }
    }

    func worker(_ n: Int) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                if try await deliverOne(failures: &failures) == false { try await Task.sleep(for: settings.idle) }
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.error("sync worker error", metadata: ["worker": "\(n)", "error": LogRedaction.error(error)])
                try? await Task.sleep(for: settings.retry.delay(afterFailures: failures))
            }
        }
    }

    static let databaseDeadline = Duration.seconds(60)

    /// One lease-upload-record round; false when there was nothing to deliver.
    func deliverOne(failures: inout Int) async throws -> Bool {
        let started = ContinuousClock.now
        // Database steps are bounded: after a hard database restart a wait can be lost inside PostgresNIO, and a
        // worker must not stop for good. An abandoned step is harmless: leases expire, receipts check the token.
        let outbox = self.outbox
        let settings = self.settings
        let lease = try await Deadline.run(Self.databaseDeadline, operation: "outbox lease") {
            try await outbox.claim(limit: settings.batchSize, seconds: settings.leaseSeconds)
        }
        guard !lease.items.isEmpty else { return false }
        let number = try await Deadline.run(Self.databaseDeadline, operation: "batch number") { try await outbox.nextBatchNumber() }
        let treeHead = self.treeHead
        let head = try await Deadline.run(Self.databaseDeadline, operation: "signed tree head") { try await treeHead() }
        let batch = ExchangeBatch(
            cdBatch: number,
            rows: lease.items.map {
                ExchangeRow(
                    cdId: $0.cdId,
                    cdTime: $0.queuedAt,
                    cdSource: ExchangeBatch.source(department: $0.department),
                    cdOperation: $0.operation,
                    localId: $0.localId,
                    version: $0.version,
                    record: Array($0.body.utf8),
                    // Records keep their wire form; a 双随机 row names its provincial table.
                    table: $0.kind == "record" ? nil : $0.kind
                )
            },
            signedTreeHead: head
        )
        let receipt: ProvincialReceipt
        do {
            receipt = try await client.upload(batch)
        } catch {
            failures += 1
            let delay = settings.retry.delay(afterFailures: failures, retryAfter: error.retryAfter)
            metrics.syncFailure(error.kind)
            logger.warning(
                "upload failed",
                metadata: [
                    "cd_batch": "\(batch.cdBatch)", "rows": "\(batch.rows.count)",
                    "error": LogRedaction.error(error), "retry_in_ms": "\(delay.milliseconds)",
                ]
            )
            let description = error.description
            let counts = !error.isTransient
            let maxAttempts = settings.retry.maxAttempts
            try await Deadline.run(Self.databaseDeadline, operation: "outbox release") {
                try await outbox.release(
                    lease,
                    delaySeconds: Double(delay.milliseconds) / 1000,
                    error: description,
                    countsAttempt: counts,
                    maxAttempts: maxAttempts
                )
            }
            try await Task.sleep(for: delay)
            return true
        }
        failures = 0
        let retry = settings.retry
        let outcomes = receipt.results
        let applied = try await Deadline.run(Self.databaseDeadline, operation: "receipt") {
            try await outbox.apply(
                lease: lease,
                receiptId: receipt.receiptId,
                cdBatch: receipt.cdBatch,
                receiptDocument: String(decoding: receipt.json(), as: UTF8.self),
                outcomes: outcomes,
                maxAttempts: retry.maxAttempts,
                retryDelaySeconds: { Double(retry.delay(afterFailures: $0).milliseconds) / 1000 }
            )
        }
        metrics.sync("delivered", count: applied.delivered)
        metrics.sync("rejected", count: applied.rejected)
        metrics.sync("retrying", count: applied.retrying)
        metrics.sync("dead", count: applied.dead)
        metrics.syncBatchDuration(ContinuousClock.now - started)
        logger.debug(
            "batch delivered",
            metadata: [
                "cd_batch": "\(batch.cdBatch)", "delivered": "\(applied.delivered)",
                "rejected": "\(applied.rejected)", "retrying": "\(applied.retrying)",
                "dead": "\(applied.dead)", "lost_lease": "\(applied.lostLease)",
            ]
        )
        return true
    }

    /// Exports the backlog and the delivery lag every second.
    func monitor() async {
        while !Task.isCancelled {
            if let backlog = try? await outbox.backlog() {
                metrics.setBacklog(pending: backlog.pending, dead: backlog.dead, lagSeconds: backlog.lagSeconds)
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

/// Runs `prepare` (the migrations of `hub sync`) until it succeeds: the sync daemon may start before the database is up.
func waitUntilPrepared(_ prepare: @Sendable () async throws -> Void, logger: Logger) async throws {
    var failures = 0
    while true {
        do {
            try await prepare()
            return
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            failures += 1
            logger.warning("waiting for the database", metadata: ["error": LogRedaction.error(error)])
            try await Task.sleep(for: RetryPolicy(base: .milliseconds(200), cap: .seconds(5)).delay(afterFailures: failures))
        }
    }
}
