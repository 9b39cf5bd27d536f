import Crypto
import HubModel
import Testing

@Suite("Ledger archive (pure): Merkle ranges, checks, proofs")
struct LedgerArchiveTests {
    static func leaves(_ n: Int) -> [[UInt8]] { (0..<n).map { MerkleTree.leafHash(sha256(Array("leaf \($0)".utf8))) } }

    @Test("the root and every audit path from a run of leaves and the boundary match the whole tree")
    func partialTree() throws {
        for size in 1...37 {
            let all = Self.leaves(size)
            let root = MerkleTree.root(all[...])
            for lo in 0..<size {
                for hi in (lo + 1)...size where (hi - lo) <= 9 || hi == size {
                    let range = lo..<hi
                    let nodes = MerkleTree.rangeBoundary(size: size, range: range).map {
                        MerkleTree.RangeNode(start: $0.lowerBound, end: $0.upperBound, hash: MerkleTree.root(all[$0]))
                    }
                    #expect(nodes.count <= 2 * 6 + 2)
                    let tree = try #require(MerkleTree.PartialTree(size: size, range: range, leaves: Array(all[range]), nodes: nodes))
                    #expect(tree.root == root, "size \(size) range \(range)")
                    for i in range {
                        #expect(tree.inclusionProof(index: i) == MerkleTree.inclusionProof(index: i, leaves: all[...]))
                    }
                    #expect(tree.inclusionProof(index: size) == nil)
                }
            }
        }
    }

    static func archive(month: LedgerMonth, before: Int = 5, count: Int = 6, after: Int = 3) throws -> (LedgerArchive.Contents, [UInt8]) {
        var chain = LedgerChain(head: (0, LedgerEntry.genesisHash), recordedMicros: month.startMicros - 10)
        for i in 0..<before { chain.add(kind: .opsAction, department: "", subject: "before:\(i)", payload: "{}") }
        var inMonth = LedgerChain(head: chain.head, recordedMicros: month.startMicros)
        for i in 0..<count { inMonth.add(kind: .opsAction, department: "HY-SCJG", subject: "in:\(i)", payload: "{\"n\":\(i)}") }
        var later = LedgerChain(head: inMonth.head, recordedMicros: month.endMicros)
        for i in 0..<after { later.add(kind: .opsAction, department: "", subject: "after:\(i)", payload: "{}") }
        let all = chain.entries + inMonth.entries + later.entries
        let leaves = all.map { MerkleTree.leafHash($0.hash) }
        let key = Curve25519.Signing.PrivateKey()
        let root = MerkleTree.root(leaves[...])
        let head = SignedTreeHead(
            treeSize: Int64(all.count),
            root: root,
            signature: Array(try key.signature(for: SignedTreeHead.message(treeSize: Int64(all.count), root: root))),
            publicKey: Array(key.publicKey.rawRepresentation)
        )
        let range = before..<(before + count)
        let nodes = MerkleTree.rangeBoundary(size: all.count, range: range).map {
            MerkleTree.RangeNode(start: $0.lowerBound, end: $0.upperBound, hash: MerkleTree.root(leaves[$0]))
        }
        return (LedgerArchive.Contents(month: month, entries: inMonth.entries, head: head, nodes: nodes), head.publicKey)
    }

    static func files(_ contents: LedgerArchive.Contents) -> [String: [UInt8]] {
        Dictionary(uniqueKeysWithValues: LedgerArchive.files(contents, createdAt: "2026-12-01T00:00:00Z").map { ($0.name, $0.bytes) })
    }

    @Test("an archive checks and proves each of its entries; another key is not trusted")
    func roundTrip() throws {
        let (contents, key) = try Self.archive(month: LedgerMonth("2026-11")!)
        let files = Self.files(contents)
        let read = try LedgerArchive.check(files: files, trustedKeys: [key])
        #expect(read.firstSeq == 6 && read.lastSeq == 11)
        for seq in Int64(6)...11 { #expect(LedgerArchive.prove(read, seq: seq)?.verified == true) }
        #expect(LedgerArchive.prove(read, seq: 5) == nil)
        #expect(throws: LedgerArchive.Failure.self) { try LedgerArchive.check(files: files, trustedKeys: [[UInt8](repeating: 7, count: 32)]) }
    }

    static func failure(_ files: [String: [UInt8]]) -> String? {
        do {
            _ = try LedgerArchive.check(files: files)
            return nil
        } catch { return error.code }
    }

    /// Rewrites the manifest's digests so that only the deeper checks can catch the change.
    static func resealed(_ files: [String: [UInt8]], contents: LedgerArchive.Contents) -> [String: [UInt8]] {
        var out = files
        let fresh = Self.files(contents)
        var manifest = String(decoding: fresh[LedgerArchive.manifestFile]!, as: UTF8.self)
        for name in [LedgerArchive.entriesFile, LedgerArchive.checkpointFile, LedgerArchive.merkleFile] {
            manifest = manifest.replacingOccurrences(of: sha256(fresh[name]!).hex, with: sha256(files[name]!).hex)
            manifest = manifest.replacingOccurrences(
                of: "\"bytes\":\(fresh[name]!.count),\"name\":\"\(name)\"",
                with: "\"bytes\":\(files[name]!.count),\"name\":\"\(name)\""
            )
        }
        out[LedgerArchive.manifestFile] = Array(manifest.utf8)
        return out
    }

    @Test("a changed file, entry, checkpoint or boundary node is caught")
    func tampered() throws {
        let (contents, _) = try Self.archive(month: LedgerMonth("2026-11")!)
        let files = Self.files(contents)
        func edit(_ name: String, _ from: String, _ to: String) -> [String: [UInt8]] {
            var f = files
            let text = String(decoding: f[name]!, as: UTF8.self)
            #expect(text.contains(from))
            f[name] = Array(text.replacingOccurrences(of: from, with: to).utf8)
            return f
        }
        // The file's digest no longer matches the manifest.
        #expect(Self.failure(edit(LedgerArchive.entriesFile, "in:3", "in:X")) == "archive.file_altered")
        // With the manifest resealed, the entry's own hash catches it.
        #expect(Self.failure(Self.resealed(edit(LedgerArchive.entriesFile, "in:3", "in:X"), contents: contents)) == "archive.entry_altered")
        // A forged root: the signature fails.
        let root = contents.head.root.hex
        let forged = String(root.dropLast()) + (root.last == "0" ? "1" : "0")
        #expect(Self.failure(Self.resealed(edit(LedgerArchive.checkpointFile, root, forged), contents: contents)) == "archive.signature_invalid")
        // A changed boundary node: the root no longer matches.
        let node = contents.nodes[0].hash.hex
        let other = String(node.dropLast()) + (node.last == "0" ? "1" : "0")
        #expect(Self.failure(Self.resealed(edit(LedgerArchive.merkleFile, node, other), contents: contents)) == "archive.root_mismatch")
        var missing = files
        missing[LedgerArchive.checkpointFile] = nil
        #expect(Self.failure(missing) == "archive.file_missing")
        #expect(Self.failure([:]) == "archive.manifest_missing")
    }

    @Test("entries outside the month are refused")
    func outsideMonth() throws {
        let (contents, _) = try Self.archive(month: LedgerMonth("2026-11")!)
        var shifted = contents
        shifted.month = LedgerMonth("2026-10")!
        #expect(Self.failure(Self.files(shifted)) == "archive.outside_month")
    }
}
