import HubModel
import Ingest
import Normalization

/// One batch's write, as `IngestStore.write(group:)` takes it: the candidates, what was read for them before the
/// transaction, and the pure planner to run once the stored versions are read under the ledger lock.
public struct IngestWrite: Sendable {
    public var candidates: [IngestCandidate]
    public var context: ResolutionContext
    public var department: Department
    public var profile: DepartmentProfile?
    /// Records of the batch refused before this point (schema, rules): counted in the hour's intake tally.
    public var rejectedBefore: Int
    /// The batch's message log row (nil: not logged — tools).
    public var log: MessageLogWrite?
    public var plan: @Sendable (IngestReadings) -> IngestPlan

    public init(
        candidates: [IngestCandidate],
        context: ResolutionContext,
        department: Department,
        profile: DepartmentProfile?,
        rejectedBefore: Int,
        log: MessageLogWrite?,
        plan: @escaping @Sendable (IngestReadings) -> IngestPlan
    ) {
        self.candidates = candidates
        self.context = context
        self.department = department
        self.profile = profile
        self.rejectedBefore = rejectedBefore
        self.log = log
        self.plan = plan
    }

    /// Local codes the batch may match automatically (no decided mapping, a sure legal-basis match): a mapping
    /// confirmed meanwhile must be read under the lock for them.
    var automaticLocalCodes: [String] {
        Array(
            Set(
                candidates.compactMap { c -> String? in
                    guard let code = c.record.item.localCode, context.mappings[code] == nil, context.matches[code]?.decision == .auto else {
                        return nil
                    }
                    return code
                }
            )
        )
    }

    /// What two batches of one group must not share: a department's `localId` (a version plans on the versions
    /// stored before it) or, for a record resolved through its local item (no full pair of codes), its local item
    /// code (an automatic release is confirmed once). Such a batch waits for the next group. Records that carry
    /// both codes share their local code freely: they never create a mapping, and a review they open is upserted.
    var groupKeys: Set<String> {
        var keys = Set<String>()
        for c in candidates {
            keys.insert("\(department.id)#id#\(c.record.localId)")
            if let code = c.record.item.localCode, c.record.item.catalogCode == nil || c.record.item.implementationCode == nil {
                keys.insert("\(department.id)#code#\(code)")
            }
        }
        return keys
    }
}

/// A department's counts for the hour's intake tally, summed over the batches of a group.
struct IntakeCounts {
    var accepted = 0, held = 0, duplicate = 0, rejected = 0

    mutating func add(_ results: [RecordResult], rejectedBefore: Int) {
        accepted += results.count { $0.status == .accepted }
        held += results.count { $0.status == .held }
        duplicate += results.count { $0.status == .duplicate }
        rejected += rejectedBefore + results.count { $0.status == .rejected }
    }
}
