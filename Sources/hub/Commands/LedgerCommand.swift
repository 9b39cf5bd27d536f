import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore

/// `hub ledger verify`: recomputes the whole hash chain and names the first bad entry.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The unified ledger (统一台账).",
        subcommands: [Verify.self, Checkpoint.self, Prove.self, Consistency.self, Audit.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain from the first entry; exit 1 and name the first bad entry if it does not hold."
        )

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let report = try await runtime.job { hub in
                try await hub.verifyLedger { done, height in
                    FileHandle.standardError.write(Data("\r校验中 verifying \(done)/\(height)".utf8))
                }
            }
            FileHandle.standardError.write(Data("\n".utf8))
            if let bad = report.firstBad {
                say("台账校验失败 ledger verification FAILED at \(bad.seq): \(bad.reason) (\(report.chain.checked) entries checked)")
                throw ExitCode(1)
            }
            say(
                "台账校验通过 ledger OK: \(report.chain.checked) entries, chain intact; \(report.checkpoints) signed checkpoints match their entries and cover every entry older than the checkpoint interval"
            )
        }
    }
}

extension LedgerCommand {
    /// `hub ledger checkpoint`: signs the Merkle root of the whole ledger now (also done every HUB_CHECKPOINT_MINUTES).
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a Merkle checkpoint of the ledger now (RFC 9162 root, Ed25519).")
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
        static let configuration = CommandConfiguration(abstract: "Print the inclusion proof of one ledger entry against the newest checkpoint.")
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
            abstract: "Print the RFC 9162 consistency proof from tree size A to the checkpoint of tree size B, and check it."
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
            abstract: "Check that a signed tree head saved earlier is signed by a trusted key and is a prefix of today's ledger."
        )
        @Option(help: "A file with the saved signed tree head (JSON).") var head: String

        func run() async throws {
            let text = try Data(contentsOf: URL(fileURLWithPath: head))
            guard let saved = SignedTreeHead.fromSaved(Array(text)) else {
                say("文件中没有可读的已签名树头 \(head) holds no signed tree head (treeSize, root, signature, publicKey)")
                throw ExitCode(2)
            }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let audit = try await runtime.job { hub in try await hub.auditHead(saved) }
            say(audit.ok ? "审计通过 audit OK: \(audit.message)" : "审计失败 audit FAILED: \(audit.message)")
            if !audit.ok { throw ExitCode(1) }
        }
    }
}
