/// Proving entries from a run of leaves alone (`hub ledger archive`): an archive holds one month of entries
/// — leaves `range` of a signed tree of `size` — and the roots of the subtrees outside that run which the
/// RFC 9162 split meets on the way down. With those few nodes (at most two per level) the root, and the
/// audit path of any leaf in the run, are recomputed without the rest of the ledger. Pure.
extension MerkleTree {
    /// The root of leaves `start..<end` of the tree (a subtree the split produces).
    public struct RangeNode: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var hash: [UInt8]

        public init(start: Int, end: Int, hash: [UInt8]) {
            self.start = start
            self.end = end
            self.hash = hash
        }
    }

    /// The subtrees wholly outside `range` that the split of a tree of `size` meets, left to right (their
    /// hashes come from `root(start, end)`; the store folds those leaves from the database).
    public static func rangeBoundary(size: Int, range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        func walk(_ lo: Int, _ hi: Int) {
            if hi <= range.lowerBound || lo >= range.upperBound {
                out.append(lo..<hi)
            } else if lo < range.lowerBound || hi > range.upperBound {
                let k = split(hi - lo)
                walk(lo, lo + k)
                walk(lo + k, hi)
            }
        }
        if size > 0 { walk(0, size) }
        return out
    }

    /// A tree of `size` known only by the leaves in `range` (already `leafHash`ed) and the boundary nodes.
    public struct PartialTree: Sendable {
        public let size: Int
        public let range: Range<Int>
        public let leaves: [[UInt8]]
        let nodes: [Range<Int>: [UInt8]]

        /// Nil when the leaves do not fill `range` or `range` is not inside the tree.
        public init?(size: Int, range: Range<Int>, leaves: [[UInt8]], nodes: [RangeNode]) {
            guard range.lowerBound >= 0, range.upperBound <= size, leaves.count == range.count else { return nil }
            self.size = size
            self.range = range
            self.leaves = leaves
            self.nodes = Dictionary(nodes.map { ($0.start..<$0.end, $0.hash) }, uniquingKeysWith: { a, _ in a })
        }

        /// The root of leaves `lo..<hi`; nil when a node outside the range is missing.
        func node(_ lo: Int, _ hi: Int) -> [UInt8]? {
            if hi <= range.lowerBound || lo >= range.upperBound { return nodes[lo..<hi] }
            if lo >= range.lowerBound && hi <= range.upperBound {
                let base = range.lowerBound
                return MerkleTree.root(leaves[(lo - base)..<(hi - base)])
            }
            let k = split(hi - lo)
            guard let left = node(lo, lo + k), let right = node(lo + k, hi) else { return nil }
            return nodeHash(left, right)
        }

        /// The tree's root (nil when a boundary node is missing).
        public var root: [UInt8]? { size == 0 ? nil : node(0, size) }

        /// The audit path of leaf `index` (inside `range`), bottom first, as `MerkleTree.verifyInclusion` takes it.
        public func inclusionProof(index: Int) -> [[UInt8]]? {
            guard range.contains(index) else { return nil }
            func path(_ lo: Int, _ hi: Int) -> [[UInt8]]? {
                if hi - lo <= 1 { return [] }
                let k = split(hi - lo)
                if index < lo + k {
                    guard let below = path(lo, lo + k), let sibling = node(lo + k, hi) else { return nil }
                    return below + [sibling]
                }
                guard let below = path(lo + k, hi), let sibling = node(lo, lo + k) else { return nil }
                return below + [sibling]
            }
            return path(0, size)
        }
    }
}
