import HubModel
import Ingest

@testable import Normalization

/// Records, catalog facts and contexts the planner tests share.
enum Fixture {
    static let agency = "11430400013248734H"
    static let catalog = "43012100010000"
    static let otherCatalog = "43012100020000"
    static let impl = "11430400013248734H34301210001000001"

    /// A record; `note` varies the content (a new version of the same `localId`).
    static func record(
        _ localId: String = "A",
        catalog: String? = nil,
        implementation: String? = nil,
        localCode: String? = "JC-1",
        note: String = "v1",
        operation: String? = nil
    ) -> CanonicalRecord {
        var item: [(String, JSONValue)] = []
        if let localCode { item.append(("localCode", .string(localCode))) }
        if let catalog { item.append(("catalogCode", .string(catalog))) }
        if let implementation { item.append(("implementationCode", .string(implementation))) }
        var members: [(String, JSONValue)] = [
            ("localId", .string(localId)), ("kind", .string("inspection")), ("item", .object(item)),
            ("agency", .object([("name", .string("局")), ("code", .string(agency))])), ("regionCode", .string("430405")),
            ("note", .string(note)),
        ]
        if let operation { members.append(("operation", .string(operation))) }
        return CanonicalRecord(tree: .object(members))
    }

    /// A record that carries valid provincial codes (resolved by the record-codes rule).
    static func coded(_ localId: String = "A", note: String = "v1") -> CanonicalRecord {
        record(localId, catalog: catalog, implementation: impl, localCode: nil, note: note)
    }

    static var facts: ImplementationFacts {
        ImplementationFacts(
            implementationCode: impl,
            catalogCode: catalog,
            agencyCode: agency,
            level: 3,
            itemType: .inspection,
            catalogActive: true,
            implementationActive: true
        )
    }

    /// The catalog knows `impl` of `catalog`; `matches` by local code.
    static func context(matches: [String: MatchResult.Decision] = [:], mappings: [ConfirmedMapping] = []) -> ResolutionContext {
        var c = ResolutionContext()
        c.facts[impl] = facts
        c.implementationsByCatalog[catalog] = [facts]
        for (code, decision) in matches {
            c.matches[code] = MatchResult(decision: decision, catalogCode: decision == .auto ? catalog : nil, candidates: [], references: [])
        }
        for m in mappings { c.mappings[m.localCode] = m }
        return c
    }

    static func candidates(_ records: [CanonicalRecord]) -> [IngestCandidate] {
        records.enumerated().map { IngestCandidate(index: $0.offset, record: $0.element) }
    }

    static func plan(
        _ records: [CanonicalRecord],
        context: ResolutionContext = context(),
        stored: [String: [StoredVersion]] = [:],
        confirmed: [String: ConfirmedMapping] = [:]
    ) -> IngestPlan {
        IngestPlanner.plan(
            candidates(records),
            department: "HY-SCJG",
            batchId: "B-1",
            readings: IngestReadings(context: context, stored: stored, confirmed: confirmed)
        )
    }

    /// The versions as a writer would store them (sequence numbers from 100, review ids from the refs).
    static func written(_ plan: IngestPlan) -> [StoredVersion] {
        plan.versions.enumerated().map { i, v in
            var s = StoredVersion(version: v.version, contentHash: v.contentHash, status: v.status, operation: v.operation)
            switch v.state {
            case let .accepted(c, impl, rule, _):
                s.ledgerSeq = Int64(100 + i)
                s.entryHash = "h\(i)"
                s.catalogCode = c
                s.implementationCode = impl
                s.rule = rule.rawValue
            case .held(.stored(let id)?): s.reviewId = id
            case .held(.item?): s.reviewId = 1
            default: break
            }
            return s
        }
    }
}
