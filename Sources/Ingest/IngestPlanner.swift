import HubModel
import Normalization

/// Every decision about a batch's records — accepted, held (and on which review), duplicate, rejected — and
/// about held records once their review is decided, as a pure function of what the store read.
///
/// The rules, in order, for each candidate of a batch:
/// 1. Same content as a stored version of its `localId` (not one rejected after review) or as an earlier
///    candidate of the batch: a duplicate, answered with the original's facts.
/// 2. The item resolution (`ItemResolver`): a contradiction rejects the record.
/// 3. A version never overtakes an earlier one that is held: it is held on that version's review.
/// 4. An automatic (legal-basis) match that disagrees with a mapping confirmed meanwhile is held as ambiguous;
///    one that agrees cites that mapping; otherwise the match is confirmed as an automatic release.
/// 5. A record held for its own reason opens (or refreshes) the review of its local item.
public enum IngestPlanner {
    /// Plans the candidates of one batch of `department` (its code, for ledger entries).
    public static func plan(_ candidates: [IngestCandidate], department: String, batchId: String?, readings: IngestReadings) -> IngestPlan {
        var plan = IngestPlan()
        var planned: [String: [Int]] = [:]
        // The review the first held version of a localId in this batch waits on (nil: none).
        var heldInBatch: [String: ReviewRef?] = [:]
        var reviewCodes = Set<String>()
        var releaseCodes = Set<String>()
        for c in candidates {
            let record = c.record
            let localId = record.localId
            let code = record.item.localCode
            let earlier = readings.stored[localId] ?? []
            let mine = planned[localId] ?? []
            // 1. Duplicates. A version rejected after review does not make a resend a duplicate: the resend may now be taken.
            if let original = earlier.first(where: { $0.contentHash == c.contentHash && $0.status != .rejected }) {
                plan.items.append(.init(index: c.index, localId: localId, outcome: .duplicate(of: .stored(original))))
                continue
            }
            if let original = mine.first(where: { plan.versions[$0].contentHash == c.contentHash }) {
                plan.items.append(.init(index: c.index, localId: localId, outcome: .duplicate(of: .planned(original))))
                continue
            }
            // 1b. A random-check result must match its task, its plan, the department and the drawn team.
            let taskProblems = TaskResultCheck.problems(
                record,
                department: department,
                teams: readings.context.taskTeams,
                path: "records[\(c.index)]"
            )
            if !taskProblems.isEmpty {
                plan.items.append(.init(index: c.index, localId: localId, outcome: .rejected(taskProblems)))
                continue
            }
            // 2. Resolution.
            var resolution = ItemResolver.resolve(record, path: "records[\(c.index)]", context: readings.context)
            if case .rejected(let errors) = resolution {
                plan.items.append(.init(index: c.index, localId: localId, outcome: .rejected(errors)))
                continue
            }
            // 3. An earlier held version holds this one, on its review.
            var waitOn: ReviewRef??
            if let held = earlier.first(where: { $0.status == .held }), let review = held.reviewId {
                waitOn = .some(.stored(review))
            } else if let review = heldInBatch[localId] {
                waitOn = .some(review)
            }
            if waitOn != nil { resolution = .held(.earlierVersionHeld) }
            // 4. Automatic matches against mappings confirmed meanwhile.
            var release: ReleaseRef?
            if case let .resolved(catalogCode, _, rule, stored) = resolution {
                release = stored.map(ReleaseRef.stored)
                if rule == .legalBasis, let code {
                    if let confirmed = readings.confirmed[code] {
                        // A person (or another batch) decided meanwhile: a disagreement waits for a person rather than
                        // going out under either code unchecked.
                        if confirmed.catalogCode == catalogCode { release = .stored(confirmed.release) } else { resolution = .held(.ambiguous) }
                    } else {
                        release = .automatic(localCode: code)
                        if releaseCodes.insert(code).inserted {
                            plan.automaticReleases.append(
                                AutomaticRelease(
                                    localCode: code,
                                    catalogCode: catalogCode,
                                    evidence: RecordEntry.candidatesJSON(readings.context.matches[code])
                                )
                            )
                        }
                    }
                }
            }
            // 5. A record held for its own reason waits on the review of its local item.
            var review: ReviewRef?
            if case .held(let reason) = resolution {
                if let waitOn {
                    review = waitOn
                } else {
                    review = earlier.last(where: { $0.status == .held })?.reviewId.map(ReviewRef.stored) ?? code.map { .item(localCode: $0) }
                    if let code, reviewCodes.insert(code).inserted {
                        plan.reviews.append(
                            ReviewDraft(
                                localCode: code,
                                localName: record.item.localName,
                                legalBasis: record.item.legalBasis,
                                recordKind: record.kind,
                                reason: reason,
                                candidates: RecordEntry.candidatesJSON(readings.context.matches[code])
                            )
                        )
                    }
                }
                if heldInBatch[localId] == nil { heldInBatch[localId] = .some(review) }
            }

            let version = max(earlier.map(\.version).max() ?? 0, mine.map { plan.versions[$0].version }.max() ?? 0) + 1
            // The province knows the record once a version was accepted (delivered or queued); before, it is an insert.
            let known = earlier.contains { $0.status == .accepted } || mine.contains { plan.versions[$0].status == .accepted }
            var next = PlannedVersion(
                write: .insert,
                localId: localId,
                version: version,
                operation: record.operation == .delete ? "D" : (known ? "U" : "I"),
                contentHash: c.contentHash,
                batchId: batchId,
                state: .held(review: review),
                body: record.canonicalBytes
            )
            if case let .resolved(catalogCode, implementationCode, rule, _) = resolution {
                next.state = .accepted(catalogCode: catalogCode, implementationCode: implementationCode, rule: rule, release: release)
                next.body = record.resolvedBytes(catalogCode: catalogCode, implementationCode: implementationCode)
                next.tree = record.tree
            }
            if let taskId = record.taskId, let checkedAt = TaskResultCheck.checkedAt(record) { next.taskResult = (taskId, checkedAt) }
            planned[localId, default: []].append(plan.versions.count)
            plan.items.append(.init(index: c.index, localId: localId, outcome: .written(plan.versions.count)))
            plan.versions.append(next)
        }
        return plan
    }

    /// A held version as stored, waiting on a review.
    public struct HeldVersion: Sendable {
        public var localId: String
        public var version: Int
        public var operation: String
        public var contentHash: [UInt8]
        public var batchId: String?
        /// When it was received (ISO 8601): its outbox row keeps the day it arrived.
        public var receivedAt: String
        public var record: CanonicalRecord

        public init(
            localId: String,
            version: Int,
            operation: String,
            contentHash: [UInt8],
            batchId: String?,
            receivedAt: String,
            record: CanonicalRecord
        ) {
            self.localId = localId
            self.version = version
            self.operation = operation
            self.contentHash = contentHash
            self.batchId = batchId
            self.receivedAt = receivedAt
            self.record = record
        }
    }

    /// Plans the release of the versions held on `review` once `release` confirmed its mapping (already in
    /// `context.mappings`). `held` is in `localId`, version order. Each version is resolved again: accepted,
    /// rejected (a "no match" decision) or still held — then on the review of its own local item, and a
    /// version never overtakes an earlier one that stays held. Every released or rejected version gets a receipt.
    public static func planRelease(_ held: [HeldVersion], review: Int64, release: Int64, context: ResolutionContext) -> IngestPlan {
        var plan = IngestPlan()
        let receipt = ReviewReceipt(reviewId: review, release: release)
        var stuck: [String: ReviewRef?] = [:]
        var reviewCodes = Set<String>()
        for h in held {
            var next = PlannedVersion(
                write: .update,
                localId: h.localId,
                version: h.version,
                operation: h.operation,
                contentHash: h.contentHash,
                batchId: h.batchId,
                state: .held(review: nil),
                body: nil,
                receivedAt: h.receivedAt,
                receipt: receipt
            )
            if let taskId = h.record.taskId, let checkedAt = TaskResultCheck.checkedAt(h.record) { next.taskResult = (taskId, checkedAt) }
            if let waitOn = stuck[h.localId] {
                next.state = .held(review: waitOn)
                next.receipt = nil
            } else {
                switch ItemResolver.resolve(h.record, path: "record", context: context) {
                case let .resolved(catalogCode, implementationCode, rule, mappingRelease):
                    next.state = .accepted(
                        catalogCode: catalogCode,
                        implementationCode: implementationCode,
                        rule: rule,
                        release: mappingRelease.map(ReleaseRef.stored)
                    )
                    next.body = h.record.resolvedBytes(catalogCode: catalogCode, implementationCode: implementationCode)
                    next.tree = h.record.tree
                case .rejected(let errors):
                    next.state = .rejected(detail: receipt.rejectedDetail(errors))
                case .held(let reason):
                    // Still waiting (no implementation item for its agency, or its own item unresolved): on a review of its own item.
                    let code = h.record.item.localCode
                    if let code, reviewCodes.insert(code).inserted {
                        plan.reviews.append(
                            ReviewDraft(
                                localCode: code,
                                localName: h.record.item.localName,
                                legalBasis: h.record.item.legalBasis,
                                recordKind: h.record.kind,
                                reason: reason,
                                candidates: RecordEntry.candidatesJSON(context.matches[code])
                            )
                        )
                    }
                    let ref = code.map { ReviewRef.item(localCode: $0) }
                    next.state = .held(review: ref)
                    next.receipt = nil
                    stuck[h.localId] = .some(ref)
                }
            }
            plan.items.append(.init(index: plan.versions.count, localId: h.localId, outcome: .written(plan.versions.count)))
            plan.versions.append(next)
        }
        return plan
    }
}
