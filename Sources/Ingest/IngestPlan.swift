import HubModel
import Normalization

/// A record that passed the schema and rules, at its place in the batch, with its content hash.
public struct IngestCandidate: Sendable {
    public var index: Int
    public var record: CanonicalRecord
    /// SHA-256 of the record's canonical bytes: equal hashes of one `localId` are the same version sent again.
    public var contentHash: [UInt8]

    public init(index: Int, record: CanonicalRecord) {
        self.index = index
        self.record = record
        self.contentHash = sha256(record.canonicalBytes)
    }
}

/// What the store read for a batch. `context` needs no lock; `stored` and `confirmed` are read after the
/// ledger's append lock, which serializes concurrent batches of the same `localId` and mapping confirmations.
public struct IngestReadings: Sendable {
    public var context: ResolutionContext
    /// Stored versions by `localId`, in version order.
    public var stored: [String: [StoredVersion]]
    /// Mappings confirmed by the time the lock was taken, by local code (for codes the batch may match automatically).
    public var confirmed: [String: ConfirmedMapping]

    public init(context: ResolutionContext, stored: [String: [StoredVersion]] = [:], confirmed: [String: ConfirmedMapping] = [:]) {
        self.context = context
        self.stored = stored
        self.confirmed = confirmed
    }
}

/// Where a mapping release id comes from: one already stored, or the automatic release the writer creates.
public enum ReleaseRef: Sendable, Hashable {
    case stored(Int64)
    /// The release of `IngestPlan.automaticReleases` for this local code (its id comes from the database).
    case automatic(localCode: String)
}

/// Which review a held version waits on: a stored one, or the item the writer opens (or refreshes) for a local code.
public enum ReviewRef: Sendable, Hashable {
    case stored(Int64)
    /// The review of `IngestPlan.reviews` for this local code (its id comes from the database).
    case item(localCode: String)
}

/// A matcher's sure decision made during ingest, to be confirmed as a mapping release (rule `legal-basis-auto`).
public struct AutomaticRelease: Sendable, Hashable {
    public var localCode: String
    public var catalogCode: String
    /// The matcher's candidates (canonical JSON), kept as the release's evidence.
    public var evidence: String
}

/// A review item to open for a held local item (or to refresh, when one is unresolved already).
public struct ReviewDraft: Sendable, Hashable {
    public var localCode: String
    public var localName: String?
    public var legalBasis: String?
    public var recordKind: RecordKind
    public var reason: HoldReason
    /// The matcher's candidates (canonical JSON), the evidence reviewers see.
    public var candidates: String
}

/// The department's receipt for a version whose outcome came after a review (released or rejected).
public struct ReviewReceipt: Sendable, Hashable {
    public var reviewId: Int64
    public var release: Int64

    public init(reviewId: Int64, release: Int64) {
        self.reviewId = reviewId
        self.release = release
    }

    /// The details of a version released after review: its ledger entry and where it landed.
    public func acceptedDetail(ledgerSeq: Int64, entryHash: String, catalogCode: String, implementationCode: String) -> String {
        CanonicalJSON.string(
            .object([
                ("reviewId", .number(String(reviewId))), ("mappingRelease", .number(String(release))), ("ledgerSeq", .number(String(ledgerSeq))),
                ("entryHash", .string(entryHash)), ("catalogCode", .string(catalogCode)), ("implementationCode", .string(implementationCode)),
            ])
        )
    }

    /// The details of a version rejected after review (also stored as the version's rejection).
    public func rejectedDetail(_ errors: [FieldError]) -> String {
        CanonicalJSON.string(
            .object([
                ("reviewId", .number(String(reviewId))),
                (
                    "errors",
                    .array(
                        errors.map {
                            .object([
                                ("path", .string($0.path)), ("code", .string($0.code)),
                                ("messageZh", .string($0.messageZh)), ("messageEn", .string($0.messageEn)),
                            ])
                        }
                    )
                ),
            ])
        )
    }
}

/// One record version the writer stores: a new version (ingest) or a held one whose review was decided.
public struct PlannedVersion: Sendable {
    /// Whether the version is new (a `records` row to insert) or a stored held version to update.
    public enum Write: Sendable, Hashable { case insert, update }

    public enum State: Sendable, Hashable {
        /// Normalized, written to the ledger and queued for the province.
        case accepted(catalogCode: String, implementationCode: String, rule: ResolutionRule, release: ReleaseRef?)
        /// Waits for a person; nil review: none to wait on (no local code).
        case held(review: ReviewRef?)
        /// Rejected after review, with the details the department gets.
        case rejected(detail: String)
    }

    public var write: Write
    public var localId: String
    public var version: Int
    /// `I`, `U` or `D`: how this version reaches the province.
    public var operation: String
    public var contentHash: [UInt8]
    public var batchId: String?
    public var state: State
    /// The stored body: the normalized record when accepted, the record as sent when held on insert; nil keeps it.
    public var body: [UInt8]?
    /// When the version was received (ISO 8601), for its outbox row; nil: now (a new version, in this transaction).
    public var receivedAt: String?
    /// Set when the department learns this version's outcome from its receipt feed (decided after review).
    public var receipt: ReviewReceipt?
    /// The record's canonical tree when accepted (the body without the resolved item codes): the publication
    /// writer reads the act from it instead of parsing the stored body again (nil: it parses the body).
    public var tree: JSONValue? = nil
    /// The random-check task this version reports (`taskId`) and the inspection's timestamp: written as the
    /// task's result for the department when the version is accepted.
    public var taskResult: (taskId: String, checkedAt: String)?

    /// The version's ledger entry when it is accepted; `release` is the resolved mapping release id.
    public func entry(department: String, release: Int64?) -> LedgerDraft? {
        guard case let .accepted(_, _, rule, _) = state, let body else { return nil }
        return LedgerDraft(
            kind: .record,
            department: department,
            subject: RecordEntry.subject(localId: localId, version: version),
            payload: RecordEntry.payload(
                localId: localId,
                normalized: body,
                version: version,
                operation: operation,
                contentHash: contentHash,
                rule: rule,
                release: release,
                batchId: batchId
            )
        )
    }

    public var status: RecordResult.Status {
        switch state {
        case .accepted: .accepted
        case .held: .held
        case .rejected: .rejected
        }
    }
}

/// What the writer does for a batch (or a review's release), decided by `IngestPlanner`: mapping releases,
/// review items, record versions with their ledger entries, outbox rows and receipts — applied in one
/// transaction. Ids the database assigns (releases, reviews) and chain positions are filled in by the writer.
public struct IngestPlan: Sendable {
    /// What becomes of one candidate of a batch.
    public enum Outcome: Sendable {
        /// Stored as `versions[i]` (accepted or held).
        case written(Int)
        /// The same content as a version already stored or planned earlier in the batch.
        case duplicate(of: Original)
        /// Refused: the catalog or a decision contradicts the record.
        case rejected([FieldError])
    }

    public enum Original: Sendable {
        case stored(StoredVersion)
        case planned(Int)
    }

    public struct Item: Sendable {
        public var index: Int
        public var localId: String
        public var outcome: Outcome
    }

    /// One per candidate, in batch order (empty for a release).
    public var items: [Item] = []
    /// Automatic matches to confirm, by local code; their ledger entries come before the records citing them.
    public var automaticReleases: [AutomaticRelease] = []
    /// Review items to open or refresh, one per local code.
    public var reviews: [ReviewDraft] = []
    /// Versions to store, in order (their ledger entries are chained in this order).
    public var versions: [PlannedVersion] = []

    public init() {}

    public func count(_ status: RecordResult.Status) -> Int { versions.count { $0.status == status } }

    /// The answer for every candidate, given the versions as the writer stored them (aligned with `versions`).
    public func results(written: [StoredVersion]) -> [RecordResult] {
        items.map { item in
            var result = RecordResult(index: item.index, localId: item.localId, status: .rejected)
            switch item.outcome {
            case .rejected(let errors):
                result.errors = errors
            case .written(let i):
                result.status = written[i].status
                result.fill(from: written[i])
            case .duplicate(of: let original):
                let stored =
                    switch original {
                    case .stored(let version): version
                    case .planned(let i): written[i]
                    }
                result.status = .duplicate
                result.originalStatus = stored.status
                result.fill(from: stored)
            }
            return result
        }
    }
}
