/// RFC 9162 §2.1.4 consistency proofs: that the tree of the first `m` leaves is a prefix of the tree of `n`
/// leaves. Whoever kept an old signed root can check a newer one against it without the leaves; a ledger
/// rewritten below the old size cannot produce a proof that verifies.
extension MerkleTree {
    /// PROOF(m, D[n]) (§2.1.4.1), with subtree roots from `subtreeRoot(start, end)` = MTH(D[start:end]).
    /// Empty when `m` is 0 or `m == n`. The recursion asks only for subtrees that start at a multiple of a power
    /// of two and are either perfect or end at `n`, which `Levels.subtreeRoot` answers in O(1).
    public static func consistencyProof(from m: Int, to n: Int, subtreeRoot: (Int, Int) -> [UInt8]) -> [[UInt8]] {
        guard m > 0, m < n else { return [] }
        func subproof(_ m: Int, _ start: Int, _ end: Int, _ complete: Bool) -> [[UInt8]] {
            let size = end - start
            if m == size { return complete ? [] : [subtreeRoot(start, end)] }
            let k = split(size)
            if m <= k { return subproof(m, start, start + k, complete) + [subtreeRoot(start + k, end)] }
            return subproof(m - k, start + k, end, false) + [subtreeRoot(start, start + k)]
        }
        return subproof(m, 0, n, true)
    }

    /// The reference: the proof from the leaves themselves, as the RFC writes it.
    public static func consistencyProof(from m: Int, leaves: [[UInt8]]) -> [[UInt8]] {
        consistencyProof(from: m, to: leaves.count) { root(leaves[$0..<$1]) }
    }

    /// Verifies a consistency proof (§2.1.4.2): the tree of size `first` with root `firstRoot` is a prefix of
    /// the tree of size `second` with root `secondRoot`. Size 0 is a prefix of everything; equal sizes need
    /// equal roots and an empty proof.
    public static func verifyConsistency(first: Int, second: Int, firstRoot: [UInt8], secondRoot: [UInt8], proof: [[UInt8]]) -> Bool {
        guard first >= 0, first <= second else { return false }
        if first == 0 { return proof.isEmpty }
        if first == second { return proof.isEmpty && firstRoot == secondRoot }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        guard let seed = path.first else { return false }
        var fn = first - 1
        var sn = second - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = seed
        var sr = seed
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}

extension MerkleTree.Levels {
    /// MTH(D[start:end]) for a subtree that starts at a multiple of its width's power of two and is either
    /// perfect or ends at the tree's size — the only shapes RFC 9162's recursions ask for.
    public func subtreeRoot(_ start: Int, _ end: Int) -> [UInt8] {
        var height = 0
        while 1 << height < end - start { height += 1 }
        return levels[height][start >> height]
    }

    /// The consistency proof from the first `m` leaves to the whole tree.
    public func consistencyProof(from m: Int) -> [[UInt8]] {
        MerkleTree.consistencyProof(from: m, to: size) { subtreeRoot($0, $1) }
    }
}
