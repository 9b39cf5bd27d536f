import Crypto
import HubModel
import Testing

/// RFC 9162 consistency proofs: the hub's fast proofs equal the RFC's recursion, every honest proof verifies,
/// and a changed leaf, a wrong root or a truncated path does not.
@Suite("Merkle consistency proofs")
struct MerkleConsistencyTests {
    static func leaves(_ n: Int, salt: UInt8 = 0) -> [[UInt8]] {
        (0..<n).map { MerkleTree.leafHash(sha256Bytes([UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8), salt])) }
    }

    static func sha256Bytes(_ b: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: b)) }

    @Test("proofs from the levels equal the RFC's recursion and verify, for every m ≤ n ≤ 40")
    func honestProofs() {
        for n in 1...40 {
            let all = Self.leaves(n)
            let tree = MerkleTree.Levels(leaves: all)
            #expect(tree.root == MerkleTree.root(all[...]))
            for m in 0...n {
                let proof = tree.consistencyProof(from: m)
                #expect(proof == MerkleTree.consistencyProof(from: m, leaves: all), "m=\(m) n=\(n)")
                let oldRoot = MerkleTree.root(all[0..<m])
                #expect(
                    MerkleTree.verifyConsistency(first: m, second: n, firstRoot: oldRoot, secondRoot: tree.root, proof: proof),
                    "m=\(m) n=\(n)"
                )
            }
        }
    }

    @Test("a rewritten leaf below the old size, a wrong root or a cut path fails")
    func dishonestProofs() {
        for n in 2...24 {
            let all = Self.leaves(n)
            for m in 1..<n {
                let oldRoot = MerkleTree.root(all[0..<m])
                // The ledger rewritten at one entry the old head covered: the new tree cannot prove the old root.
                var rewritten = all
                rewritten[m / 2] = MerkleTree.leafHash([0xFF, UInt8(m)])
                let forged = MerkleTree.Levels(leaves: rewritten)
                #expect(
                    !MerkleTree.verifyConsistency(
                        first: m,
                        second: n,
                        firstRoot: oldRoot,
                        secondRoot: forged.root,
                        proof: forged.consistencyProof(from: m)
                    ),
                    "m=\(m) n=\(n)"
                )
                let honest = MerkleTree.Levels(leaves: all)
                let proof = honest.consistencyProof(from: m)
                #expect(!MerkleTree.verifyConsistency(first: m, second: n, firstRoot: oldRoot, secondRoot: forged.root, proof: proof))
                if !proof.isEmpty {
                    #expect(
                        !MerkleTree.verifyConsistency(
                            first: m,
                            second: n,
                            firstRoot: oldRoot,
                            secondRoot: honest.root,
                            proof: Array(proof.dropLast())
                        )
                    )
                }
            }
        }
        // A shrinking tree is never consistent; equal sizes need equal roots.
        let a = MerkleTree.root(Self.leaves(5)[...])
        let b = MerkleTree.root(Self.leaves(5, salt: 1)[...])
        #expect(!MerkleTree.verifyConsistency(first: 6, second: 5, firstRoot: a, secondRoot: a, proof: []))
        #expect(MerkleTree.verifyConsistency(first: 5, second: 5, firstRoot: a, secondRoot: a, proof: []))
        #expect(!MerkleTree.verifyConsistency(first: 5, second: 5, firstRoot: a, secondRoot: b, proof: []))
    }

    @Test("a signed tree head survives JSON and XML attributes, and its signature binds size and root")
    func signedTreeHead() throws {
        let key = Curve25519.Signing.PrivateKey()
        let root = MerkleTree.root(Self.leaves(9)[...])
        let signature = try key.signature(for: SignedTreeHead.message(treeSize: 9, root: root))
        let head = SignedTreeHead(
            treeSize: 9,
            root: root,
            signature: Array(signature),
            publicKey: Array(key.publicKey.rawRepresentation),
            createdAt: "2026-12-02 10:00:00"
        )
        #expect(head.signatureValid)
        #expect(head.signedBy(anyOf: [head.publicKey]))
        #expect(!head.signedBy(anyOf: [Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)]))
        let parsed = try #require(SignedTreeHead(json: try JSONParser().parse(CanonicalJSON.encode(head.json))))
        #expect(parsed == head)
        #expect(SignedTreeHead(attributes: head.xmlAttributes) == head)
        var moved = head
        moved.treeSize = 10
        #expect(!moved.signatureValid)
        #expect(SignedTreeHead(json: .object([("treeSize", .number("9")), ("root", .string("zz"))])) == nil)
    }
}
