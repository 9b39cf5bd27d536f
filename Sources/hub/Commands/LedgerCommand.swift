import ArgumentParser
import Foundation
import HubServer
import HubStore

/// `hub ledger verify`: recomputes the whole hash chain and names the first bad entry.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "The unified ledger (统一台账).", subcommands: [Verify.self, Checkpoint.self, Prove.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the hash chain from the first entry; exit 1 and name the first bad entry if it does not hold.")

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (result, checkpoints) = try await runtime.job { hub in
                let chain = try await LedgerStore.verify(hub.db) { done, height in
                    FileHandle.standardError.write(Data("\r校验中 verifying \(done)/\(height)".utf8))
                }
                return (chain, try await LedgerCheckpoints.verifyAll(hub.db, trustedKeys: hub.trustedCheckpointKeys))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            if let bad = result.firstBad {
                say("台账校验失败 ledger verification FAILED at entry \(bad.seq): \(bad.reason) (\(result.checked) entries before it hold)")
                throw ExitCode(1)
            }
            if let bad = checkpoints.firstBad {
                say("台账校验失败 ledger verification FAILED at the checkpoint of size \(bad.0): \(bad.1)")
                throw ExitCode(1)
            }
            say("台账校验通过 ledger OK: \(result.checked) entries, chain intact; \(checkpoints.checked) signed checkpoints match")
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
            guard let proof = try await runtime.job({ hub in try await hub.ledgerCheckpoints.proof(seq: seq, trustedKeys: hub.trustedCheckpointKeys) }) else {
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
