import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird

/// The ledger page: height, the signed checkpoints, "verify now", and the inclusion proof of any entry.
extension ConsoleController {
    @Sendable func ledger(_ request: Request, context: HubRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        var height: Int64 = 0
        for try await h in try await hub.db.client.query("SELECT coalesce(max(seq), 0) FROM ledger", logger: hub.logger).decode(Int64.self) { height = h }
        let checkpoints = try await hub.ledgerCheckpoints.all(limit: 5)
        var values: [String: Any] = [
            "height": height, "publicKey": hub.ledgerCheckpoints.publicKey.hex,
            "checkpoints": checkpoints.map { c in
                ["treeSize": c.treeSize, "root": c.root.hex, "signatureValid": c.signatureValid, "createdBy": c.createdBy, "createdAt": c.createdAt]
            },
            "noCheckpoint": checkpoints.isEmpty,
            "entries": try await recentEntries(),
        ]
        if let last = checkpoints.first {
            values["last"] = ["treeSize": last.treeSize, "root": last.root.hex, "createdAt": last.createdAt, "behind": height - last.treeSize]
        }
        // The result of a verification is read from its own ledger entry, never from the URL, so a link cannot
        // show "校验通过" for a run that did not pass.
        if let entry = q.get("verification", as: Int64.self), let v = try await verification(entry) { values["verification"] = v }
        if let made = q.get("checkpoint") { values["checkpointMade"] = made }
        if let seqText = q.get("seq") {
            values["seq"] = seqText
            if let seq = Int64(seqText), let proof = try await hub.ledgerCheckpoints.proof(seq: seq, trustedKeys: hub.trustedCheckpointKeys) {
                values["proof"] = [
                    "seq": proof.seq, "entryHash": proof.entryHash.hex, "leafHash": proof.leafHash.hex,
                    "treeSize": proof.checkpoint.treeSize, "root": proof.checkpoint.root.hex, "verified": proof.verified,
                    "path": proof.path.enumerated().map { ["n": $0.offset + 1, "hash": $0.element.hex] },
                ]
            } else {
                values["proofMissing"] = true
            }
        }
        return renderer.page("ledger", title: "统一台账", tab: "ledger", values, context: context)
    }

    func verification(_ seq: Int64) async throws -> [String: Any]? {
        for try await (payload, at) in try await hub.db.client.query("""
            SELECT payload, to_char(to_timestamp(recorded_us / 1000000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
            FROM ledger WHERE seq = \(seq) AND kind = 'ops_action' AND subject = 'ledger_verify'
            """, logger: hub.logger).decode((String, String).self)
        {
            guard let doc = try? JSONParser().parse(Array(payload.utf8)) else { return nil }
            func text(_ k: String) -> String {
                switch doc[k] { case .number(let n)?: n; case .string(let s)?: s; default: "" }
            }
            return ["ok": doc["ok"]?.boolValue == true, "checked": text("checked"), "checkpoints": text("checkpoints"),
                    "badSeq": text("badSeq"), "reason": text("reason"), "ms": text("ms"), "by": text("by"), "at": at, "entry": seq]
        }
        return nil
    }

    func recentEntries() async throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        for try await (seq, kind, dept, subject, hash) in try await hub.db.client.query("""
            SELECT seq, kind, department, subject, entry_hash FROM ledger ORDER BY seq DESC LIMIT 15
            """, logger: hub.logger).decode((Int64, String, String, String, ByteBuffer).self)
        {
            out.append(["seq": seq, "kind": kind, "department": dept.isEmpty ? "—" : dept, "subject": subject,
                        "hash": Array(hash.readableBytesView).hex])
        }
        return out
    }

    /// Recomputes the chain and every checkpoint's root now; the result is shown and written to the ledger.
    @Sendable func verifyLedger(_ request: Request, context: HubRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let report = try await hub.verifyLedger()
        let ms = (ContinuousClock.now - started).components.seconds * 1000 + (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000
        let bad = report.firstBad
        let entry = try await hub.opsUsers.recordAction("ledger_verify", by: context.opsUser!.username, details: [
            ("ok", .bool(bad == nil)), ("checked", .number(String(report.chain.checked))), ("checkpoints", .number(String(report.checkpoints))),
            ("ms", .number(String(ms))), ("badSeq", bad.map { .number(String($0.0)) } ?? .null), ("reason", .text(bad?.1)),
        ])
        return ConsoleRenderer.redirect("/console/ledger?verification=\(entry)")
    }

    @Sendable func checkpoint(_ request: Request, context: HubRequestContext) async throws -> Response {
        let made = try await hub.ledgerCheckpoints.create(by: context.opsUser!.username)
        return ConsoleRenderer.redirect("/console/ledger?checkpoint=\(made.map { String($0.treeSize) } ?? "none")")
    }
}
