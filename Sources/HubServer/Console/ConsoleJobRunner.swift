import Foundation
import HubModel
import HubStore
import Logging

/// Runs the console's expensive actions off the request: the request registers a job (rate-limited, one
/// running job per action) and answers at once with the job's page, which refreshes itself until the job
/// is done. The job writes its stage and result to `console_jobs`; the ledger entries it writes are the
/// same as when the action ran on the request.
struct ConsoleJobRunner: Sendable {
    let jobs: ConsoleJobStore
    let users: OpsUserStore
    let checkpoints: LedgerCheckpoints
    /// The checkpoint keys proofs accept (`HubContext.trustedCheckpointKeys`).
    let trustedKeys: [[UInt8]]
    /// The full ledger check (`HubContext.verifyLedger`).
    let verifyLedger: @Sendable () async throws -> LedgerVerifier.Report
    let logger: Logger

    /// Starts `id`'s work in the background. Errors end the job as failed, never the process.
    func launch(_ id: Int64, _ kind: ConsoleJobStore.Kind, argument: String, user: String) {
        let runner = self
        Task.detached {
            do {
                let result: JSONValue
                switch kind {
                case .verify: result = try await runner.verify(id, user: user)
                case .checkpoint: result = try await runner.checkpoint(id, user: user)
                case .proof: result = try await runner.proof(id, seq: Int64(argument) ?? 0)
                }
                try await runner.jobs.finish(id, result: result)
            } catch {
                runner.logger.warning(
                    "console job failed",
                    metadata: ["job": "\(id)", "kind": "\(kind.rawValue)", "error": LogRedaction.error(error)]
                )
                try? await runner.jobs.fail(id, error: "\(error)")
            }
        }
    }

    /// The same verification as `hub ledger verify` (`HubContext.verifyLedger`: the chain, every checkpoint's root,
    /// checkpoint rows against their ledger entries, no old entry left unsigned); the result is a ledger entry.
    func verify(_ id: Int64, user: String) async throws -> JSONValue {
        let started = ContinuousClock.now
        try await jobs.progress(id, stage: "chain", percent: 5)
        let report = try await verifyLedger()
        let elapsed = ContinuousClock.now - started
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let bad = report.firstBad
        try await jobs.progress(id, stage: "ledger", percent: 95)
        let details: [(String, JSONValue)] = [
            ("ok", .bool(bad == nil)), ("checked", .number(String(report.chain.checked))), ("checkpoints", .number(String(report.checkpoints))),
            ("ms", .number(String(ms))), ("badSeq", bad.map { .number(String($0.0)) } ?? .null), ("reason", .text(bad?.1)),
        ]
        let entry = try await users.recordAction(.ledgerVerify, by: user, details: details)
        return .object(details + [("entry", .number(String(entry)))])
    }

    func checkpoint(_ id: Int64, user: String) async throws -> JSONValue {
        try await jobs.progress(id, stage: "signing", percent: 10)
        let made = try await checkpoints.create(by: user)
        return .object([("treeSize", made.map { .number(String($0.treeSize)) } ?? .null)])
    }

    /// The inclusion proof of one entry (the first proof after a checkpoint builds the tree: the slow part).
    func proof(_ id: Int64, seq: Int64) async throws -> JSONValue {
        try await jobs.progress(id, stage: "tree", percent: 10)
        guard let proof = try await checkpoints.proof(seq: seq, trustedKeys: trustedKeys) else {
            return .object([("seq", .number(String(seq))), ("found", .bool(false))])
        }
        return .object([
            ("seq", .number(String(proof.seq))), ("found", .bool(true)), ("entryHash", .string(proof.entryHash.hex)),
            ("leafHash", .string(proof.leafHash.hex)), ("treeSize", .number(String(proof.checkpoint.treeSize))),
            ("root", .string(proof.checkpoint.root.hex)), ("verified", .bool(proof.verified)),
            ("path", .array(proof.path.map { .string($0.hex) })),
        ])
    }
}
