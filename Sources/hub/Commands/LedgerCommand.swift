import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore

/// `hub ledger verify`: recomputes the whole hash chain and names the first bad entry.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "统一台账：校验、检查点、证明、审计、归档 — the unified ledger: verify, checkpoints, proofs, audit, archive.",
        discussion: examples(
            "hub ledger verify",
            "hub ledger checkpoint",
            "hub ledger prove 42",
            "hub ledger consistency 100 200",
            "hub ledger audit --head head.json",
            "hub ledger archive --month 2026-11 --out /backup/ledger-2026-11"
        ),
        subcommands: [Verify.self, Checkpoint.self, Prove.self, Consistency.self, Audit.self, Archive.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从第一条起重算哈希链；不成立时退出码 1 并指出第一条错误 — recompute the hash chain; exit 1 naming the first bad entry if it does not hold.",
            discussion: examples("hub ledger verify", "hub ledger verify --quiet", note: "进度显示在标准错误上。Progress goes to standard error.")
        )

        @Flag(help: "No progress line (不显示进度).") var quiet = false

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let progress = ProgressLine("校验台账 verifying the ledger", quiet: quiet)
            let report = try await runtime.job { hub in
                try await hub.verifyLedger { done, height in progress.update(Int(done), of: Int(height)) }
            }
            progress.finish()
            if let bad = report.firstBad {
                say("台账校验失败 ledger verification FAILED at \(bad.seq): \(bad.reason) (\(report.chain.checked) entries checked)")
                throw ExitCode(1)
            }
            say(
                report.checkpoints == 0
                    ? "台账校验通过 ledger OK: 共 \(report.chain.checked) 条，哈希链完整；尚无签名检查点 \(report.chain.checked) entries, chain intact; no signed checkpoints yet (hub ledger checkpoint)"
                    : "台账校验通过 ledger OK: 共 \(report.chain.checked) 条，哈希链完整；\(report.checkpoints) 个签名检查点与台账一致 \(report.chain.checked) entries, chain intact; \(report.checkpoints) signed checkpoints match their entries and cover every entry older than the checkpoint interval"
            )
        }
    }
}

extension LedgerCommand {
    /// `hub ledger checkpoint`: signs the Merkle root of the whole ledger now (also done every HUB_CHECKPOINT_MINUTES).
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "立即为台账签一个默克尔检查点 — sign a Merkle checkpoint of the ledger now (RFC 9162 root, Ed25519).",
            discussion: examples("hub ledger checkpoint", "hub ledger checkpoint --by 李四")
        )
        @Option(help: "Who asks for it (written to the ledger).") var by: String = "cli"

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let by = self.by
            let (made, key) = try await runtime.job { hub in (try await hub.ledgerCheckpoints.create(by: by), hub.ledgerCheckpoints.publicKey.hex) }
            guard let made else { return say("台账自上次检查点后没有增长 nothing new since the last checkpoint") }
            say("检查点 checkpoint: size \(made.treeSize), root \(made.root.hex)\n公钥 public key \(key)")
        }
    }

    /// `hub ledger prove SEQ`: the inclusion proof of one entry in the newest checkpoint.
    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "打印某条台账记录相对最新检查点的包含证明 — print the inclusion proof of one entry against the newest checkpoint.",
            discussion: examples("hub ledger prove 42")
        )
        @Argument(help: "The entry's sequence number.") var seq: Int64

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let seq = self.seq
            guard
                let proof = try await runtime.job({ hub in try await hub.ledgerCheckpoints.proof(seq: seq, trustedKeys: hub.trustedCheckpointKeys) })
            else {
                say("没有覆盖该序号的检查点 no checkpoint covers entry \(seq) (run hub ledger checkpoint)")
                throw ExitCode(1)
            }
            say("entry \(proof.seq) hash \(proof.entryHash.hex)")
            say("checkpoint size \(proof.checkpoint.treeSize) root \(proof.checkpoint.root.hex)")
            for (i, h) in proof.path.enumerated() { say("  path[\(i)] \(h.hex)") }
            say(proof.verified ? "证明有效 proof verifies" : "证明无效 proof does NOT verify")
            if !proof.verified { throw ExitCode(1) }
        }
    }
}

extension LedgerCommand {
    /// `hub ledger consistency A B`: the RFC 9162 consistency proof between two tree sizes, checked here.
    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "打印并校验从树大小 A 到检查点 B 的一致性证明 — print the RFC 9162 consistency proof from size A to checkpoint B, and check it.",
            discussion: examples("hub ledger consistency 100", "hub ledger consistency 100 200")
        )
        @Argument(help: "The older tree size (a checkpoint's, or any size up to B).") var from: Int64
        @Argument(help: "The tree size of a signed checkpoint (default: the newest).") var to: Int64?

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (from, to) = (self.from, self.to)
            let (proof, old, trusted) = try await runtime.job { hub in
                (
                    try await hub.ledgerCheckpoints.consistency(from: from, to: to), try await hub.ledgerCheckpoints.checkpoint(size: from),
                    hub.trustedCheckpointKeys
                )
            }
            guard let proof else {
                say("没有该检查点或 A 大于 B no checkpoint of that size, or A is larger than B")
                throw ExitCode(1)
            }
            // Against the signed root of A when A is a checkpoint; else against A's root recomputed from today's ledger.
            let oldRoot = old?.root ?? proof.fromRoot
            say("from size \(proof.from) root \(oldRoot.hex)\(old == nil ? " (recomputed, not signed)" : " (signed)")")
            say("to   size \(proof.to.treeSize) root \(proof.to.root.hex)")
            for (i, h) in proof.proof.enumerated() { say("  proof[\(i)] \(h.hex)") }
            let ok = proof.verifies(oldRoot: oldRoot) && proof.to.head.signedBy(anyOf: trusted) && (old?.head.signedBy(anyOf: trusted) ?? true)
            say(ok ? "一致性证明有效 consistency proof verifies" : "一致性证明无效 consistency proof does NOT verify")
            if !ok { throw ExitCode(1) }
        }
    }

    /// `hub ledger audit --head FILE`: a signed tree head saved earlier (JSON as `GET /api/v1/ledger/checkpoints`
    /// serves it: one head, or the whole answer, whose newest head is taken) against today's ledger.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "审计早先保存的签名树头：受信密钥所签，且是今日台账的前缀 — check a saved signed tree head against today's ledger.",
            discussion: examples(
                "curl -s http://127.0.0.1:8080/api/v1/ledger/checkpoints > head.json",
                "hub ledger audit --head head.json"
            )
        )
        @Option(help: "A file with the saved signed tree head (JSON).") var head: String

        func run() async throws {
            try CommandInput.readableFile(head, option: "--head")
            let text = try Data(contentsOf: URL(fileURLWithPath: head))
            guard let saved = SignedTreeHead.fromSaved(Array(text)) else {
                throw CommandFailure.badInput(
                    "文件 \(head) 中没有可读的签名树头（treeSize, root, signature, publicKey）",
                    "\(head) holds no signed tree head (treeSize, root, signature, publicKey)"
                )
            }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let audit = try await runtime.job { hub in try await hub.auditHead(saved) }
            say(audit.ok ? "审计通过 audit OK: \(audit.message)" : "审计失败 audit FAILED: \(audit.message)")
            if !audit.ok { throw ExitCode(1) }
        }
    }
}
