/// A closed month of the ledger for cold storage (`hub ledger archive`), provable without the database.
///
/// Four files: `entries.jsonl` (one entry per line, every field and both hashes), `checkpoint.json` (a signed
/// tree head covering the month's last entry, with its public key), `merkle.json` (the roots of the subtrees
/// outside the month — `MerkleTree.rangeBoundary`) and `manifest.json` (what the archive is, and the SHA-256
/// and size of each other file). `check` recomputes every entry's hash and the chain inside the month, the
/// Merkle root from the month's leaves and the boundary, and the checkpoint's signature; `prove` then gives
/// the audit path of one entry against the signed root. Pure: bytes in, verdicts out.
public enum LedgerArchive {
    public static let format = "hub-ledger-archive-v1"
    public static let manifestFile = "manifest.json"
    public static let entriesFile = "entries.jsonl"
    public static let checkpointFile = "checkpoint.json"
    public static let merkleFile = "merkle.json"

    /// What an archive holds, once read and checked.
    public struct Contents: Sendable {
        public var month: LedgerMonth
        public var entries: [LedgerEntry]
        public var head: SignedTreeHead
        public var nodes: [MerkleTree.RangeNode]

        public init(month: LedgerMonth, entries: [LedgerEntry], head: SignedTreeHead, nodes: [MerkleTree.RangeNode]) {
            self.month = month
            self.entries = entries
            self.head = head
            self.nodes = nodes
        }

        public var firstSeq: Int64 { entries.first?.seq ?? 0 }
        public var lastSeq: Int64 { entries.last?.seq ?? 0 }

        /// The leaves of the month in the checkpoint's tree.
        public var tree: MerkleTree.PartialTree? {
            MerkleTree.PartialTree(
                size: Int(head.treeSize),
                range: Int(firstSeq - 1)..<Int(lastSeq),
                leaves: entries.map { MerkleTree.leafHash($0.hash) },
                nodes: nodes
            )
        }
    }

    /// A failed check: a stable code and the reason in Chinese and English.
    public struct Failure: Error, Sendable, Equatable {
        public var code: String
        public var zh: String
        public var en: String

        public init(_ code: String, _ zh: String, _ en: String) {
            self.code = code
            self.zh = zh
            self.en = en
        }
    }

    // MARK: Writing

    /// The archive's files, name → bytes, manifest last. `createdAt`: for people (not checked).
    public static func files(_ contents: Contents, createdAt: String) -> [(name: String, bytes: [UInt8])] {
        var entries: [UInt8] = []
        for e in contents.entries {
            entries += CanonicalJSON.encode(entryJSON(e))
            entries.append(0x0A)
        }
        let checkpoint = CanonicalJSON.encode(contents.head.json) + [0x0A]
        let merkle =
            CanonicalJSON.encode(
                .object([
                    ("treeSize", .number(String(contents.head.treeSize))),
                    ("firstSeq", .number(String(contents.firstSeq))),
                    ("lastSeq", .number(String(contents.lastSeq))),
                    (
                        "nodes",
                        .array(
                            contents.nodes.map {
                                .object([("start", .number(String($0.start))), ("end", .number(String($0.end))), ("hash", .string($0.hash.hex))])
                            }
                        )
                    ),
                ])
            ) + [0x0A]
        let parts: [(String, [UInt8])] = [(entriesFile, entries), (checkpointFile, checkpoint), (merkleFile, merkle)]
        let manifest =
            CanonicalJSON.encode(
                .object([
                    ("format", .string(format)),
                    ("month", .string(contents.month.description)),
                    ("timeZone", .string("+08:00")),
                    ("monthStartMicros", .number(String(contents.month.startMicros))),
                    ("monthEndMicros", .number(String(contents.month.endMicros))),
                    ("firstSeq", .number(String(contents.firstSeq))),
                    ("lastSeq", .number(String(contents.lastSeq))),
                    ("count", .number(String(contents.entries.count))),
                    ("treeSize", .number(String(contents.head.treeSize))),
                    ("publicKey", .string(contents.head.publicKey.hex)),
                    ("createdAt", .string(createdAt)),
                    (
                        "files",
                        .array(
                            parts.map {
                                .object([("name", .string($0.0)), ("bytes", .number(String($0.1.count))), ("sha256", .string(sha256($0.1).hex))])
                            }
                        )
                    ),
                ])
            ) + [0x0A]
        return parts.map { (name: $0.0, bytes: $0.1) } + [(name: manifestFile, bytes: manifest)]
    }

    static func entryJSON(_ e: LedgerEntry) -> JSONValue {
        .object([
            ("seq", .number(String(e.seq))), ("kind", .string(e.kind)), ("department", .string(e.department)),
            ("subject", .string(e.subject)), ("recordedMicros", .number(String(e.recordedMicros))), ("payload", .string(e.payload)),
            ("previousHash", .string(e.previousHash.hex)), ("hash", .string(e.hash.hex)),
        ])
    }

    static func entry(_ json: JSONValue) -> LedgerEntry? {
        guard let seq = json["seq"]?.intValue, let kind = json["kind"]?.stringValue, let department = json["department"]?.stringValue,
            let subject = json["subject"]?.stringValue, let us = json["recordedMicros"]?.intValue, let payload = json["payload"]?.stringValue,
            let prev = json["previousHash"]?.stringValue.flatMap({ [UInt8](hex: $0) }), prev.count == 32,
            let hash = json["hash"]?.stringValue.flatMap({ [UInt8](hex: $0) }), hash.count == 32
        else { return nil }
        return LedgerEntry(
            seq: Int64(seq),
            kind: kind,
            department: department,
            subject: subject,
            recordedMicros: Int64(us),
            payload: payload,
            previousHash: prev,
            hash: hash
        )
    }

    // MARK: Checking

    /// Reads and checks an archive from its files (name → bytes). `trustedKeys`: public keys the checkpoint
    /// must be signed by (nil: any key that verifies — print it and compare with the hub's published key).
    public static func check(files: [String: [UInt8]], trustedKeys: [[UInt8]]? = nil) throws(Failure) -> Contents {
        guard let manifestBytes = files[manifestFile] else {
            throw Failure("archive.manifest_missing", "缺少 \(manifestFile)", "\(manifestFile) is missing")
        }
        guard let manifest = try? JSONParser().parse(manifestBytes), manifest["format"]?.stringValue == format,
            let month = manifest["month"]?.stringValue.flatMap(LedgerMonth.init), let listed = manifest["files"]?.arrayValue
        else { throw Failure("archive.manifest_invalid", "\(manifestFile) 不是台账归档清单", "\(manifestFile) is not a ledger archive manifest") }
        var seen = Set<String>()
        for file in listed {
            guard let name = file["name"]?.stringValue, let digest = file["sha256"]?.stringValue, let size = file["bytes"]?.intValue else {
                throw Failure("archive.manifest_invalid", "清单中的文件条目不完整", "a file entry of the manifest is incomplete")
            }
            guard let bytes = files[name] else { throw Failure("archive.file_missing", "缺少文件 \(name)", "file \(name) is missing") }
            guard bytes.count == size, sha256(bytes).hex == digest.lowercased() else {
                throw Failure(
                    "archive.file_altered",
                    "文件 \(name) 的 SHA-256 与清单不符（被改动）",
                    "file \(name) does not match its SHA-256 in the manifest (altered)"
                )
            }
            seen.insert(name)
        }
        for name in [entriesFile, checkpointFile, merkleFile] where !seen.contains(name) {
            throw Failure("archive.file_missing", "清单未列出 \(name)", "the manifest does not list \(name)")
        }
        let entries = try readEntries(files[entriesFile]!)
        guard let first = entries.first, let last = entries.last else {
            throw Failure("archive.empty", "归档中没有台账记录", "the archive holds no entries")
        }
        guard manifest["firstSeq"]?.intValue == Int(first.seq), manifest["lastSeq"]?.intValue == Int(last.seq),
            manifest["count"]?.intValue == entries.count
        else { throw Failure("archive.manifest_mismatch", "清单的序号范围与记录不符", "the manifest's sequence range does not match the entries") }
        for (i, e) in entries.enumerated() {
            guard e.seq == first.seq + Int64(i) else {
                throw Failure("archive.gap", "缺少第 \(first.seq + Int64(i)) 条", "entry \(first.seq + Int64(i)) is missing")
            }
            guard e.computeHash() == e.hash else {
                throw Failure("archive.entry_altered", "第 \(e.seq) 条内容与其哈希不符（被改动）", "entry \(e.seq): content does not match its hash (altered)")
            }
            if i > 0, e.previousHash != entries[i - 1].hash {
                throw Failure(
                    "archive.chain_broken",
                    "第 \(e.seq) 条的前一哈希与第 \(e.seq - 1) 条不符",
                    "entry \(e.seq): previous hash does not match entry \(e.seq - 1)"
                )
            }
            guard month.contains(e.recordedMicros) else {
                throw Failure("archive.outside_month", "第 \(e.seq) 条不在 \(month) 月内", "entry \(e.seq) is not recorded in \(month)")
            }
        }
        guard let headJSON = try? JSONParser().parse(files[checkpointFile]!), let head = SignedTreeHead(json: headJSON) else {
            throw Failure("archive.checkpoint_invalid", "\(checkpointFile) 不是签名树头", "\(checkpointFile) is not a signed tree head")
        }
        guard head.signatureValid else {
            throw Failure("archive.signature_invalid", "检查点签名无效", "the checkpoint's signature does not verify")
        }
        if let trustedKeys, !trustedKeys.contains(head.publicKey) {
            throw Failure("archive.key_untrusted", "检查点不是受信密钥所签", "the checkpoint is not signed by a trusted key")
        }
        guard head.treeSize >= last.seq else {
            throw Failure("archive.checkpoint_short", "检查点未覆盖本月最后一条", "the checkpoint does not cover the month's last entry")
        }
        guard let merkle = try? JSONParser().parse(files[merkleFile]!), merkle["treeSize"]?.intValue == Int(head.treeSize),
            let list = merkle["nodes"]?.arrayValue
        else { throw Failure("archive.merkle_invalid", "\(merkleFile) 无法读取或与检查点不符", "\(merkleFile) is unreadable or names another tree") }
        var nodes: [MerkleTree.RangeNode] = []
        for n in list {
            guard let start = n["start"]?.intValue, let end = n["end"]?.intValue, start < end,
                let hash = n["hash"]?.stringValue.flatMap({ [UInt8](hex: $0) }), hash.count == 32
            else { throw Failure("archive.merkle_invalid", "\(merkleFile) 中有无效节点", "\(merkleFile) holds an invalid node") }
            nodes.append(MerkleTree.RangeNode(start: start, end: end, hash: hash))
        }
        let contents = Contents(month: month, entries: entries, head: head, nodes: nodes)
        guard let root = contents.tree?.root, root == head.root else {
            throw Failure(
                "archive.root_mismatch",
                "由本月记录与边界节点重算的默克尔根与签名检查点不符",
                "the Merkle root recomputed from the month's entries and the boundary nodes does not match the signed checkpoint"
            )
        }
        return contents
    }

    static func readEntries(_ bytes: [UInt8]) throws(Failure) -> [LedgerEntry] {
        var out: [LedgerEntry] = []
        var line = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            line += 1
            guard let json = try? JSONParser().parse(raw), let e = entry(json) else {
                throw Failure("archive.entry_invalid", "\(entriesFile) 第 \(line) 行无法读取", "\(entriesFile) line \(line) is not a ledger entry")
            }
            out.append(e)
        }
        return out
    }

    /// One entry's inclusion in the archive's signed checkpoint.
    public struct Proof: Sendable {
        public var entry: LedgerEntry
        public var leafIndex: Int
        public var path: [[UInt8]]
        public var verified: Bool
    }

    /// The audit path of entry `seq` against the checkpoint, checked (nil when the month does not hold it).
    public static func prove(_ contents: Contents, seq: Int64) -> Proof? {
        guard seq >= contents.firstSeq, seq <= contents.lastSeq, let tree = contents.tree else { return nil }
        let entry = contents.entries[Int(seq - contents.firstSeq)]
        let index = Int(seq - 1)
        guard let path = tree.inclusionProof(index: index) else { return nil }
        let ok = MerkleTree.verifyInclusion(
            leaf: MerkleTree.leafHash(entry.hash),
            index: index,
            size: Int(contents.head.treeSize),
            proof: path,
            root: contents.head.root
        )
        return Proof(entry: entry, leafIndex: index, path: path, verified: ok && contents.head.signatureValid)
    }
}
