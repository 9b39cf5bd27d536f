import Exchange
import HubModel

/// The province as a witness of the hub's ledger (RFC 9162's "gossip" in its simplest form): it keeps the
/// signed tree heads that arrive with uploads, and checks each new one against the largest it has accepted by
/// fetching a consistency proof from the hub. A hub whose history was rewritten — even re-signed with its own
/// key — cannot prove that the old head is a prefix of the new one, and is counted in `inconsistentHeads`.
///
/// The hub's key is pinned on first use from `GET /api/v1/ledger/checkpoints` (trust on first use; a real
/// province would take it from the hub's registration).
public actor HeadWitness {
    public struct Counters: Sendable {
        /// Distinct heads checked and found consistent with everything accepted before.
        public var headsWitnessed = 0
        /// Heads that failed: bad signature, another key, or no consistency with an accepted head.
        public var inconsistentHeads = 0
        /// Heads that could not be checked (no hub URL, or the hub did not answer).
        public var headsUnchecked = 0
    }

    public private(set) var counters = Counters()
    /// Why each inconsistent head failed, newest last.
    public private(set) var findings: [String] = []
    var pinnedKey: [UInt8]?
    /// The largest head accepted: every later head must be consistent with it.
    public private(set) var largest: SignedTreeHead?
    var seen = Set<SignedTreeHead>()

    public init() {}

    func inconsistent(_ why: String) {
        counters.inconsistentHeads += 1
        findings.append(why)
    }

    /// Checks one head as it arrived with an upload (duplicates of a head already checked are ignored);
    /// `hubURL`: where the hub answers its public ledger endpoints (`SIM_HUB_URL`).
    public func witness(_ head: SignedTreeHead, hubURL: String?) async {
        guard !seen.contains(head) else { return }
        guard let hub = hubURL.map({ HubLedgerClient(baseURL: $0, timeout: .seconds(3)) }) else {
            counters.headsUnchecked += 1
            return
        }
        if pinnedKey == nil {
            guard let key = try? await hub.publicKey() else {
                counters.headsUnchecked += 1
                return
            }
            pinnedKey = key
        }
        seen.insert(head)
        guard head.publicKey == pinnedKey, head.signatureValid else {
            return inconsistent("head of tree size \(head.treeSize) is not signed by the hub's key")
        }
        guard let known = largest else {
            largest = head
            counters.headsWitnessed += 1
            return
        }
        let (small, big) = head.treeSize <= known.treeSize ? (head, known) : (known, head)
        if small.treeSize == big.treeSize {
            guard small.root == big.root else { return inconsistent("two heads of tree size \(small.treeSize) with different roots") }
            counters.headsWitnessed += 1
            return
        }
        let answer: (to: SignedTreeHead, proof: [[UInt8]])
        do { answer = try await hub.consistency(from: small.treeSize, to: big.treeSize) } catch let failure as HubLedgerClient.Failure
            where failure.status != nil
        {
            return inconsistent("the hub gives no consistency proof from \(small.treeSize) to \(big.treeSize): \(failure)")
        } catch {
            counters.headsUnchecked += 1
            seen.remove(head)
            return
        }
        guard answer.to.root == big.root,
            MerkleTree.verifyConsistency(
                first: Int(small.treeSize),
                second: Int(big.treeSize),
                firstRoot: small.root,
                secondRoot: big.root,
                proof: answer.proof
            )
        else {
            return inconsistent("the head of tree size \(small.treeSize) is not a prefix of the head of tree size \(big.treeSize)")
        }
        counters.headsWitnessed += 1
        if big == head, (largest?.treeSize ?? 0) < head.treeSize { largest = head }
    }
}
