import Crypto

/// RFC 9162 (Certificate Transparency v2) Merkle tree hashing over ledger entries, so that an auditor can
/// check that an entry is in the log (inclusion proof) against a signed root, without trusting the hub.
///
/// Leaf = SHA-256(0x00 ‖ entry hash); node = SHA-256(0x01 ‖ left ‖ right); a tree of n leaves splits at the
/// largest power of two below n. Pure: values in, values out.
public enum MerkleTree {
    public static func leafHash(_ entryHash: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: [0x00])
        h.update(data: entryHash)
        return Array(h.finalize())
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: [0x01])
        h.update(data: left)
        h.update(data: right)
        return Array(h.finalize())
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    public static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH over leaf hashes (already `leafHash`ed), written as RFC 9162 defines it. The hub computes roots with
    /// `Frontier` and proofs with `Levels`; this and `inclusionProof(index:leaves:)` are the reference the tests
    /// hold those to. The empty tree's root is SHA-256 of nothing.
    public static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return Array(SHA256.hash(data: [UInt8]()))
        case 1: return leaves.first!
        default:
            let k = split(leaves.count)
            let mid = leaves.startIndex + k
            return nodeHash(root(leaves[leaves.startIndex..<mid]), root(leaves[mid...]))
        }
    }

    /// The audit path of leaf `index` in the tree of `leaves` (RFC 9162 §2.1.3.1), bottom first.
    public static func inclusionProof(index: Int, leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let mid = leaves.startIndex + k
        if index < k {
            return inclusionProof(index: index, leaves: leaves[leaves.startIndex..<mid]) + [root(leaves[mid...])]
        }
        return inclusionProof(index: index - k, leaves: leaves[mid...]) + [root(leaves[leaves.startIndex..<mid])]
    }

    /// Checks an audit path (RFC 9162 §2.1.3.2): does `leaf` sit at `index` of a tree of `size` with `root`?
    public static func verifyInclusion(leaf: [UInt8], index: Int, size: Int, proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard index < size, size > 0 else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }
}

extension MerkleTree {
    /// Every level of the tree, built bottom-up once: pairs hash together and an odd last node moves up
    /// unchanged — the same tree as RFC 9162's split at the largest power of two. Root in O(1), an audit path
    /// in O(log n), so proofs against a checkpoint cost nothing after the first.
    public struct Levels: Sendable {
        public let levels: [[[UInt8]]]

        public init(leaves: [[UInt8]]) {
            var levels = [leaves]
            while let top = levels.last, top.count > 1 {
                var next: [[UInt8]] = []
                next.reserveCapacity((top.count + 1) / 2)
                var i = 0
                while i < top.count {
                    next.append(i + 1 < top.count ? nodeHash(top[i], top[i + 1]) : top[i])
                    i += 2
                }
                levels.append(next)
            }
            self.levels = levels
        }

        public var size: Int { levels.first?.count ?? 0 }

        public var root: [UInt8] { levels.last?.first ?? Array(SHA256.hash(data: [UInt8]())) }

        /// The audit path of leaf `index`, bottom first (RFC 9162 §2.1.3.1).
        public func inclusionProof(index: Int) -> [[UInt8]] {
            var path: [[UInt8]] = []
            var i = index
            for level in levels.dropLast() {
                let sibling = i ^ 1
                if sibling < level.count { path.append(level[sibling]) }
                i >>= 1
            }
            return path
        }
    }
}

extension MerkleTree {
    /// The right edge of the tree as leaves are appended (RFC 9162 trees are left-balanced: the perfect
    /// subtrees of the binary expansion of the size, largest first). O(log n) memory; the root at any size
    /// costs O(log n) — so a checkpoint or a verification reads the ledger once, however many checkpoints.
    public struct Frontier: Sendable {
        /// (height, hash) of each perfect subtree, largest first.
        var stack: [(height: Int, hash: [UInt8])] = []
        public private(set) var size = 0

        public init() {}

        public mutating func append(_ leaf: [UInt8]) {
            var node = (height: 0, hash: leaf)
            while let last = stack.last, last.height == node.height {
                stack.removeLast()
                node = (node.height + 1, nodeHash(last.hash, node.hash))
            }
            stack.append(node)
            size += 1
        }

        /// MTH of the leaves appended so far (the smallest subtrees fold in from the right).
        public var root: [UInt8] {
            guard var r = stack.last?.hash else { return Array(SHA256.hash(data: [UInt8]())) }
            for entry in stack.dropLast().reversed() { r = nodeHash(entry.hash, r) }
            return r
        }
    }
}
