import Crypto
import HubModel
import Testing

/// RFC 9162 hashing: the level-by-level tree the hub caches gives the same roots and audit paths as the
/// RFC's recursive definition, and every path verifies (and a wrong leaf, index or root does not).
@Suite("Merkle tree")
struct MerkleTreeTests {
    static func leaves(_ n: Int) -> [[UInt8]] {
        (0..<n).map { MerkleTree.leafHash(Array(SHA256.hash(data: [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]))) }
    }

    @Test("levels agree with the recursive definition for every size up to 70", arguments: Array(1...70))
    func agree(size: Int) {
        let leaves = Self.leaves(size)
        let tree = MerkleTree.Levels(leaves: leaves)
        #expect(tree.root == MerkleTree.root(leaves[...]))
        var frontier = MerkleTree.Frontier()
        for leaf in leaves { frontier.append(leaf) }
        #expect(frontier.root == tree.root, "the frontier folds to the same root")
        for i in 0..<size {
            let path = tree.inclusionProof(index: i)
            #expect(path == MerkleTree.inclusionProof(index: i, leaves: leaves[...]))
            #expect(MerkleTree.verifyInclusion(leaf: leaves[i], index: i, size: size, proof: path, root: tree.root))
            if size > 1 {
                #expect(!MerkleTree.verifyInclusion(leaf: leaves[(i + 1) % size], index: i, size: size, proof: path, root: tree.root))
            }
        }
    }

    @Test("the RFC 9162 shape: two leaves hash as SHA-256(0x01 ‖ left ‖ right), one leaf is its own root")
    func shape() {
        let leaves = Self.leaves(2)
        var h = SHA256()
        h.update(data: [0x01])
        h.update(data: leaves[0])
        h.update(data: leaves[1])
        #expect(MerkleTree.Levels(leaves: leaves).root == Array(h.finalize()))
        #expect(MerkleTree.Levels(leaves: [leaves[0]]).root == leaves[0])
        #expect(MerkleTree.leafHash([0xAB]) == Array(SHA256.hash(data: [0x00, 0xAB])))
    }
}
