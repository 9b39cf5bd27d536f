import HubModel
import Normalization

/// The ledger payload of an accepted record version: the normalized record and how it was normalized.
///
/// Built the same way at ingest and when a review releases held records, so an auditor reads one shape.
public enum RecordEntry {
    /// `normalized` is the canonical encoding of the normalized record (embedded as is, not encoded again).
    public static func payload(
        localId: String,
        normalized: [UInt8],
        version: Int,
        operation: String,
        contentHash: [UInt8],
        rule: ResolutionRule,
        release: Int64?,
        batchId: String?
    ) -> String {
        func enc(_ v: JSONValue) -> [UInt8] { CanonicalJSON.encode(v) }
        var members: [(String, [UInt8])] = [
            ("localId", enc(.string(localId))), ("version", Array(String(version).utf8)), ("operation", enc(.string(operation))),
            ("contentHash", enc(.string(contentHash.hex))), ("rule", enc(.string(rule.rawValue))), ("record", normalized),
        ]
        if let release { members.append(("mappingRelease", Array(String(release).utf8))) }
        if let batchId { members.append(("batchId", enc(.string(batchId)))) }
        return String(decoding: CanonicalJSON.object(encodedMembers: members), as: UTF8.self)
    }

    /// The ledger subject of a record version: `localId#version`.
    public static func subject(localId: String, version: Int) -> String { "\(localId)#\(version)" }

    /// The matcher's candidates as stored on a review item and a mapping release (evidence for people).
    public static func candidatesJSON(_ match: MatchResult?) -> String {
        guard let match else { return "[]" }
        return CanonicalJSON.string(
            .array(
                match.candidates.map { c in
                    .object([
                        ("catalogCode", .string(c.catalogCode)), ("catalogName", .string(c.catalogName)), ("score", .number(String(c.score))),
                        ("sharedArticles", .array(c.sharedArticles.map { .string($0.description) })),
                        ("contradictions", .array(c.contradictions.map { .string($0) })),
                        ("evidence", .array(c.evidence.map { .string($0) })),
                    ])
                }
            )
        )
    }
}
