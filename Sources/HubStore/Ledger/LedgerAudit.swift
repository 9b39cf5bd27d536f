import HubModel

/// `hub ledger audit --head FILE`: checks a signed tree head that someone kept outside the hub (a department,
/// an auditor, the province) against today's ledger. Whoever can rewrite the database — even re-sign with the
/// hub's key — cannot make the old root reappear as a prefix of a changed ledger.
extension LedgerCheckpoints {
    public struct Audit: Sendable {
        public var ok: Bool
        /// Why it failed, or what held.
        public var message: String
        /// The newest signed checkpoint the saved head was checked against.
        public var newest: SignedTreeHead?
        public var proof: [[UInt8]]
    }

    /// 1. the saved head is signed by a trusted key; 2. the newest checkpoint is too; 3. the first
    /// `head.treeSize` entries of today's ledger still hash to the saved root; 4. the consistency proof from the
    /// saved head to the newest checkpoint verifies.
    public func audit(head: SignedTreeHead, trustedKeys: [[UInt8]]) async throws -> Audit {
        func fail(_ why: String, _ newest: SignedTreeHead? = nil) -> Audit { Audit(ok: false, message: why, newest: newest, proof: []) }
        guard trustedKeys.contains(head.publicKey) else {
            return fail("the saved head is signed by a key this hub does not trust (\(head.publicKey.hex.prefix(16))…)")
        }
        guard head.signatureValid else { return fail("the saved head's signature does not verify") }
        guard let newest = try await latest()?.head else { return fail("the hub has no signed checkpoint to audit against") }
        guard newest.signedBy(anyOf: trustedKeys) else { return fail("the newest checkpoint is not signed by a trusted key", newest) }
        guard head.treeSize <= newest.treeSize else {
            return fail(
                "the saved head covers \(head.treeSize) entries but the newest checkpoint only \(newest.treeSize): checkpoints or entries were removed",
                newest
            )
        }
        let consistency: Consistency?
        do { consistency = try await self.consistency(from: head.treeSize, to: newest.treeSize) } catch let cut as LedgerCut {
            return fail(cut.description, newest)
        }
        guard let consistency else { return fail("the newest checkpoint disappeared while auditing", newest) }
        guard consistency.fromRoot == head.root else {
            return fail("the first \(head.treeSize) entries of today's ledger no longer hash to the saved root: history was rewritten", newest)
        }
        guard consistency.verifies(oldRoot: head.root) else {
            return fail("the consistency proof from tree size \(head.treeSize) to \(newest.treeSize) does not verify", newest)
        }
        return Audit(
            ok: true,
            message: "the saved head (tree size \(head.treeSize)) is a prefix of the newest checkpoint (tree size \(newest.treeSize))",
            newest: newest,
            proof: consistency.proof
        )
    }
}
