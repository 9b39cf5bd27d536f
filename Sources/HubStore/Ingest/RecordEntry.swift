import HubModel
import Normalization

/// The ledger payload of an accepted record version: the normalized record and how it was normalized.
///
/// Built the same way at ingest and when a review releases held records, so an auditor reads one shape.
enum RecordEntry {
    static func payload(record: CanonicalRecord, normalized: JSONValue, version: Int, operation: String, contentHash: [UInt8],
                        rule: ResolutionRule, release: Int64?, batchId: String?) -> String {
        var members: [(String, JSONValue)] = [
            ("localId", .string(record.localId)), ("version", .number(String(version))), ("operation", .string(operation)),
            ("contentHash", .string(contentHash.hex)), ("rule", .string(rule.rawValue)), ("record", normalized),
        ]
        if let release { members.append(("mappingRelease", .number(String(release)))) }
        if let batchId { members.append(("batchId", .string(batchId))) }
        return CanonicalJSON.string(.object(members))
    }

    /// The matcher's candidates as stored on a review item and a mapping release (evidence for people).
    static func candidatesJSON(_ match: MatchResult?) -> String {
        guard let match else { return "[]" }
        return CanonicalJSON.string(.array(match.candidates.map { c in
            .object([
                ("catalogCode", .string(c.catalogCode)), ("catalogName", .string(c.catalogName)), ("score", .number(String(c.score))),
                ("sharedArticles", .array(c.sharedArticles.map { .string($0.description) })),
                ("contradictions", .array(c.contradictions.map { .string($0) })),
                ("evidence", .array(c.evidence.map { .string($0) })),
            ])
        }))
    }
}
