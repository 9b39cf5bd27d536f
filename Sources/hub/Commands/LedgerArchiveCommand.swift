import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore

extension LedgerCommand {
    /// `hub ledger archive`: a closed month with its signed checkpoint, for cold storage; `verify` and `prove`
    /// work on the archive alone, without the database (docs/DEPLOY.md "Archiving the ledger").
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "导出已结束的一个月台账（含签名检查点）以便冷存储，并可脱离数据库校验和证明 — export a closed month of the ledger with its signed checkpoint; verify and prove from the archive alone.",
            discussion: examples(
                "hub ledger archive --month 2026-11 --out /backup/ledger-2026-11",
                "hub ledger archive verify /backup/ledger-2026-11",
                "hub ledger archive verify /backup/ledger-2026-11 --key 3b6a27bc…",
                "hub ledger archive prove /backup/ledger-2026-11 --seq 1042",
                note: "月份按北京时间（+08:00）划分；导出不删除数据库中的任何记录。Months are cut at +08:00; nothing is deleted from the database."
            ),
            subcommands: [Export.self, VerifyArchive.self, ProveArchive.self],
            defaultSubcommand: Export.self
        )
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "导出一个已结束的月份（默认子命令）— export one closed month (the default subcommand).",
            discussion: examples("hub ledger archive --month 2026-11 --out /backup/ledger-2026-11")
        )
        @Option(help: "The month, YYYY-MM (+08:00) (月份).") var month: String
        @Option(help: "An empty or new directory for the archive's files (输出目录).") var out: String
        @Option(help: "Who asks for it (written with a checkpoint signed for the archive).") var by: String = "archive"
        @Flag(help: "No progress lines (不显示进度).") var quiet = false

        func run() async throws {
            guard let month = LedgerMonth(self.month) else {
                throw CommandFailure.badInput("--month 应为 YYYY-MM，例如 2026-11：\(self.month)", "--month must be YYYY-MM, e.g. 2026-11: \(self.month)")
            }
            let dir = URL(fileURLWithPath: out)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDir) {
                guard isDir.boolValue, (try FileManager.default.contentsOfDirectory(atPath: out)).isEmpty else {
                    throw CommandFailure.badInput("--out 须为空目录或新目录：\(out)", "--out must be an empty or new directory: \(out)")
                }
            }
            let quiet = self.quiet
            let note: @Sendable (String) -> Void = { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let by = self.by
            let contents: LedgerArchive.Contents
            do {
                contents = try await runtime.job { hub in
                    try await LedgerArchiver(checkpoints: hub.ledgerCheckpoints).export(month: month, by: by, progress: note)
                }
            } catch let refusal as LedgerArchiver.Refusal {
                throw Self.failure(refusal)
            }
            let files = LedgerArchive.files(contents, createdAt: ISO8601DateFormatter().string(from: Date()))
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in files { try Data(file.bytes).write(to: dir.appendingPathComponent(file.name), options: .atomic) }
            // What was written is read back and checked as `verify` would.
            _ = try LedgerArchiveFiles.check(out, trustedKeys: nil)
            say(
                "已归档 \(month)：第 \(contents.firstSeq)–\(contents.lastSeq) 条（\(contents.entries.count) 条），检查点树大小 \(contents.head.treeSize) → \(out)\n"
                    + "archived \(month): entries \(contents.firstSeq)–\(contents.lastSeq) (\(contents.entries.count)), checkpoint tree size \(contents.head.treeSize)\n"
                    + "公钥 public key \(contents.head.publicKey.hex)"
            )
        }

        static func failure(_ refusal: LedgerArchiver.Refusal) -> CommandFailure {
            switch refusal {
            case .notClosed(let m):
                .badInput("\(m) 尚未结束（北京时间），只能归档已结束的月份", "\(m) has not ended (+08:00); only a closed month can be archived")
            case .empty(let m):
                .failed("\(m) 没有台账记录", "no ledger entries were recorded in \(m)")
            case .notOneRun(let m, let first, let last, let count):
                .failed(
                    "\(m) 的记录不是连续的一段序号（第 \(first)–\(last) 条中只有 \(count) 条在本月，迁移 24 之前的台账）",
                    "the entries of \(m) are not one run of sequence numbers (\(count) of \(first)–\(last); a ledger written before migration 24)"
                )
            }
        }
    }

    struct VerifyArchive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "脱离数据库校验归档：文件摘要、哈希链、检查点签名、默克尔根 — check an archive without the database: file digests, chain, checkpoint signature, Merkle root.",
            discussion: examples(
                "hub ledger archive verify /backup/ledger-2026-11",
                "hub ledger archive verify /backup/ledger-2026-11 --key 3b6a27bc…"
            )
        )
        @Argument(help: "The archive's directory (归档目录).") var dir: String
        @Option(help: "The hub's public key (hex) the checkpoint must be signed with (受信公钥).") var key: String?

        func run() async throws {
            let contents = try LedgerArchiveFiles.check(dir, trustedKeys: try LedgerArchiveFiles.keys(key))
            say(
                "归档校验通过 archive OK: \(contents.month)，第 \(contents.firstSeq)–\(contents.lastSeq) 条，哈希链完整，"
                    + "检查点（树大小 \(contents.head.treeSize)）签名有效且默克尔根一致 entries \(contents.firstSeq)–\(contents.lastSeq), chain intact, "
                    + "checkpoint (tree size \(contents.head.treeSize)) signed and its Merkle root matches\n公钥 public key \(contents.head.publicKey.hex)"
                    + (key == nil ? "（请与中枢公布的公钥比对 compare with the hub's published key, or pass --key）" : "")
            )
        }
    }

    struct ProveArchive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "仅凭归档证明某条记录在签名检查点中 — prove from the archive alone that an entry is in the signed checkpoint.",
            discussion: examples("hub ledger archive prove /backup/ledger-2026-11 --seq 1042")
        )
        @Argument(help: "The archive's directory (归档目录).") var dir: String
        @Option(help: "The entry's sequence number (序号).") var seq: Int64
        @Option(help: "The hub's public key (hex) the checkpoint must be signed with (受信公钥).") var key: String?

        func run() async throws {
            let contents = try LedgerArchiveFiles.check(dir, trustedKeys: try LedgerArchiveFiles.keys(key))
            guard let proof = LedgerArchive.prove(contents, seq: seq) else {
                throw CommandFailure.badInput(
                    "第 \(seq) 条不在本归档中（\(contents.firstSeq)–\(contents.lastSeq)）",
                    "entry \(seq) is not in this archive (\(contents.firstSeq)–\(contents.lastSeq))"
                )
            }
            say("entry \(proof.entry.seq) \(proof.entry.kind) \(proof.entry.subject) hash \(proof.entry.hash.hex)")
            say("checkpoint size \(contents.head.treeSize) root \(contents.head.root.hex) key \(contents.head.publicKey.hex)")
            for (i, h) in proof.path.enumerated() { say("  path[\(i)] \(h.hex)") }
            say(proof.verified ? "证明有效 proof verifies" : "证明无效 proof does NOT verify")
            if !proof.verified { throw ExitCode(1) }
        }
    }
}

/// Reading an archive directory for `verify` and `prove`.
enum LedgerArchiveFiles {
    static func check(_ dir: String, trustedKeys: [[UInt8]]?) throws -> LedgerArchive.Contents {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CommandFailure.badInput("归档目录不存在：\(dir)", "no such archive directory: \(dir)")
        }
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(name)))
        }
        do {
            return try LedgerArchive.check(files: files, trustedKeys: trustedKeys)
        } catch {
            throw CommandFailure.failed("归档校验失败（\(error.code)）：\(error.zh)", "archive check FAILED (\(error.code)): \(error.en)")
        }
    }

    static func keys(_ hex: String?) throws -> [[UInt8]]? {
        guard let hex else { return nil }
        guard let key = [UInt8](hex: hex), key.count == 32 else {
            throw CommandFailure.badInput("--key 应为 64 位十六进制公钥：\(hex)", "--key must be a 64-digit hex public key: \(hex)")
        }
        return [key]
    }
}
