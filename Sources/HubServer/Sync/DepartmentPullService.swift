import Exchange
import Foundation
import HubModel
import HubStore
import Logging
import Normalization
import ServiceLifecycle

/// Polls the department systems whose profiles say `mode: pull`, and runs every page through the same
/// path as a push (decoder, reader, normalization, ledger, outbox): records as `POST /api/v1/records`,
/// observations (`content: observations`) as `POST /api/v1/risk/observations`. The cursor is saved after the
/// page is written; a page read again after a crash is answered `duplicate` row by row.
public struct DepartmentPullService: Service {
    let ingest: IngestService
    let observations: ObservationService
    let departments: DepartmentStore
    let checkpoints: SyncCheckpoints
    let profiles: [String: DepartmentProfile]
    let client: DepartmentPullClient
    let metrics: HubMetrics
    let logger: Logger

    /// Takes from the hub the ingest path, stores, profiles, metrics and logger the pulls use. `client`
    /// defaults to one that follows no redirects and caps a page at `HUB_MAX_BODY_BYTES`.
    public init(hub: HubContext, client: DepartmentPullClient? = nil) {
        self.ingest = hub.ingest
        self.observations = hub.observations
        self.departments = hub.departments
        self.checkpoints = hub.checkpoints
        self.profiles = hub.profiles
        self.client = client ?? DepartmentPullClient(maxPageBytes: hub.configuration.maxBodyBytes)
        self.metrics = hub.metrics
        self.logger = hub.logger
    }

    /// One pulled system of a department, with its checkpoint name.
    public struct Target: Sendable {
        public var department: String
        public var checkpoint: String
        public var source: DepartmentPullClient.Source
        public var interval: Duration
        /// What the pages hold, and so which push path they take.
        public var content: DepartmentProfile.Pull.Content

        public init(
            department: String,
            checkpoint: String,
            source: DepartmentPullClient.Source,
            interval: Duration,
            content: DepartmentProfile.Pull.Content = .records
        ) {
            self.department = department
            self.checkpoint = checkpoint
            self.source = source
            self.interval = interval
            self.content = content
        }
    }

    public static func targets(
        _ profiles: [String: DepartmentProfile],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [Target] {
        profiles.values.sorted { $0.code < $1.code }.flatMap { profile in
            profile.pulledSystems.enumerated().map { n, system in
                Target(
                    department: profile.code,
                    checkpoint: "pull:\(profile.code):\(n)",
                    source: .init(
                        url: system.pull.url,
                        format: system.pull.format,
                        token: system.pull.tokenEnv.flatMap { environment[$0] },
                        pageSize: system.pull.pageSize
                    ),
                    interval: .seconds(system.pull.intervalSeconds),
                    content: system.pull.content
                )
            }
        }
    }

    public func run() async throws {
        let targets = Self.targets(profiles)
        // A service that returns ends the whole group: with nothing to pull, wait for shutdown instead.
        guard !targets.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for target in targets {
                    group.addTask {
                        while !Task.isCancelled {
                            await pull(target)
                            try? await Task.sleep(for: target.interval)
                        }
                    }
                }
            }
        }
    }

    /// Reads every waiting page of one system (or until an error); returns the records read.
    @discardableResult
    public func pull(_ target: Target) async -> Int {
        var total = 0
        do {
            // One instance at a time per pulled system: the others skip this round.
            try await checkpoints.exclusively(target.checkpoint) { total = try await pullPages(target) }
            metrics.pull(target.checkpoint, records: total)
        } catch is CancellationError {
        } catch {
            let reason = (error as? BatchError).map { $0.errors.map { "\($0.path) \($0.code)" }.joined(separator: "; ") } ?? "\(error)"
            logger.warning("department pull failed", metadata: ["source": "\(target.checkpoint)", "error": LogRedaction.text(reason)])
            try? await checkpoints.failed(target.checkpoint, error: reason)
        }
        return total
    }

    /// Reads every waiting page of one system; returns the records read.
    func pullPages(_ target: Target) async throws -> Int {
        var total = 0
        guard let department = try await departments.department(code: target.department) else { return 0 }
        var cursor = try await checkpoints.cursor(target.checkpoint) ?? "0"
        while !Task.isCancelled {
            let page = try await client.fetch(target.source, cursor: cursor)
            // The cursor moves only when there are records: an unmoved cursor is an empty page.
            guard page.nextCursor != cursor else {
                try await checkpoints.touch(target.checkpoint)
                break
            }
            let count: Int
            switch target.content {
            case .records:
                let origin = MessageOrigin(
                    direction: .pull,
                    system: target.checkpoint,
                    contentType: page.contentType,
                    bodyBytes: page.body.readableBytes
                )
                count = try await ingest.ingest(body: page.body, contentType: page.contentType, department: department, origin: origin).1.count
            case .observations:
                count = try await observations.push(body: page.body, contentType: page.contentType, department: department.code).count
            }
            total += count
            try await checkpoints.save(target.checkpoint, cursor: page.nextCursor)
            cursor = page.nextCursor
            if !page.more || count == 0 { break }
        }
        return total
    }
}
