import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The ledger page: height, the signed checkpoints, "verify now", and the inclusion proof of any entry.
extension ConsoleController {
    @Sendable func ledgerPage(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let listQuery: ListQuery
        switch self.listQuery(request, Self.ledgerListSpec, context: context) {
        case .success(let query) where query.after.map({ Int64($0[0]) != nil }) ?? true: listQuery = query
        case .success: return problem(.badRequest, "翻页位置（游标）无效，请从第一页重新浏览", "the page cursor is not valid", context: context)
        case .failure(let refusal): return refusal.response
        }
        let q = request.uri.queryParameters
        let height = try await ledger.height()
        let checkpoints = try await ledgerCheckpoints.all(limit: 5)
        var values: [String: Any] = [
            "height": height, "publicKey": ledgerCheckpoints.publicKey.hex,
            "checkpoints": checkpoints.map { c in
                ["treeSize": c.treeSize, "root": c.root.hex, "signatureValid": c.signatureValid, "createdBy": c.createdBy, "createdAt": c.createdAt]
            },
            "noCheckpoint": checkpoints.isEmpty,
        ]
        values.merge(try await ledgerListValues(listQuery, context: context)) { _, list in list }
        if let last = checkpoints.first {
            values["last"] = ["treeSize": last.treeSize, "root": last.root.hex, "createdAt": last.createdAt, "behind": height - last.treeSize]
        }
        // `seq` only fills in the proof form: proving is a background job (the first proof after a checkpoint
        // builds the whole tree), started by the form's POST.
        if let seq = q.get("seq", as: Int64.self), seq > 0 { values["seq"] = String(seq) }
        return page("ledger", title: "统一台账", tab: "ledger", values, context: context)
    }

    /// "Verify now": a background job (it reads the whole ledger); the page follows its progress.
    @Sendable func verifyLedger(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await startJob(.verify, context: context)
    }

    /// "Checkpoint now": a background job.
    @Sendable func checkpoint(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await startJob(.checkpoint, context: context)
    }

    /// An inclusion proof of the entry `seq` (form field): a background job.
    @Sendable func prove(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let text = try context.form.decode(ProofForm.self).seq?.trimmingCharacters(in: .whitespaces), let seq = Int64(text), seq > 0 else {
            return problem(.badRequest, "台账序号应为正整数", "the ledger sequence number must be a positive integer", context: context)
        }
        return try await startJob(.proof, argument: String(seq), context: context)
    }

    /// The proof form: the entry's sequence number.
    struct ProofForm: Decodable {
        var seq: String?
    }

    /// Registers a job (or joins the same running one) and redirects to its page; too soon after the user's
    /// last job of this kind is a 429 page with `Retry-After`.
    func startJob(_ kind: ConsoleJobStore.Kind, argument: String = "", context: ConsoleRequestContext) async throws -> Response {
        let user = context.user.username
        switch try await jobs.jobs.start(kind, argument: argument, by: user) {
        case .started(let id):
            jobs.launch(id, kind, argument: argument, user: user)
            return ConsoleRenderer.redirect("/console/jobs/\(id)")
        case .joined(let id):
            return ConsoleRenderer.redirect("/console/jobs/\(id)")
        case .tooSoon(let wait):
            var response = problem(
                .tooManyRequests,
                "操作过于频繁，请 \(wait) 秒后再试",
                "too many requests: try again in \(wait) s",
                context: context
            )
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }

    /// A job's page: its stage while it runs (the page refreshes itself every second, no script needed), its
    /// result when done.
    @Sendable func job(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context), let job = try await jobs.jobs.job(id) else {
            return problem(.notFound, "没有该任务", "no such job", context: context)
        }
        var values: [String: Any] = [
            "id": job.id, "kind": job.kind.consoleLabel, "requestedBy": job.requestedBy, "createdAt": job.createdAt,
            "progress": job.progress, "stage": Self.stageNames[job.stage] ?? job.stage,
            "running": job.state == .running, "failed": job.state == .failed, "error": job.error ?? "",
        ]
        if job.state == .running { values["refresh"] = true }
        if let finished = job.finishedAt { values["finishedAt"] = finished }
        if job.state == .done, let r = job.result {
            func text(_ k: String) -> String {
                switch r[k] {
                case .number(let n)?: n
                case .string(let s)?: s
                default: ""
                }
            }
            switch job.kind {
            case .verify:
                values["verification"] = [
                    "ok": r["ok"]?.boolValue == true, "checked": text("checked"), "checkpoints": text("checkpoints"),
                    "badSeq": text("badSeq"), "reason": text("reason"), "ms": text("ms"), "by": job.requestedBy,
                    "at": job.finishedAt ?? "", "entry": text("entry"),
                ]
            case .checkpoint:
                values["checkpointMade"] = ["made": r["treeSize"] != .null, "treeSize": text("treeSize")]
            case .proof:
                if r["found"]?.boolValue == true {
                    values["proof"] = [
                        "seq": text("seq"), "entryHash": text("entryHash"), "leafHash": text("leafHash"), "treeSize": text("treeSize"),
                        "root": text("root"), "verified": r["verified"]?.boolValue == true,
                        "path": (r["path"]?.arrayValue ?? []).enumerated().map { ["n": $0.offset + 1, "hash": $0.element.stringValue ?? ""] },
                    ]
                } else {
                    values["proofMissing"] = true
                }
            }
        }
        return page("job", title: "后台任务 #\(job.id)", tab: "ledger", values, context: context)
    }

    static let stageNames = [
        "queued": "排队中", "chain": "校验哈希链", "checkpoints": "核对签名检查点", "ledger": "写入台账",
        "signing": "计算默克尔根并签名", "tree": "构建默克尔树", "done": "已完成",
    ]
}
