import Foundation
import HubModel
import Ingest

/// Which way a batch came: a department pushed it (signed API) or the hub pulled it from the department's system.
public enum MessageDirection: String, Sendable, CaseIterable, Codable {
    case push, pull
}

/// What a logged batch held: the push path it took.
public enum MessageKind: String, Sendable, CaseIterable, Codable {
    case records, receipts, observations, libraries
    case taskResults = "task_results"
    case caseEvents = "case_events"
    case other

    /// The kind of a department API path (`/api/v1/records`, `/api/v1/risk/observations`, …).
    public init(path: String) {
        let p = path.split(separator: "?").first.map(String.init) ?? path
        if p.hasSuffix("/records") {
            self = .records
        } else if p.contains("/receipts") {
            self = .receipts
        } else if p.contains("/observations") {
            self = .observations
        } else if p.contains("/libraries") {
            self = .libraries
        } else if p.contains("/random-checks/") {
            self = .taskResults
        } else if p.contains("/cases") {
            self = .caseEvents
        } else {
            self = .other
        }
    }
}

/// Where a batch came from, as the message log records it: the way, the department's system (its key id for
/// a push, the pull checkpoint for a pull), the body's size and declared type. Never the body itself.
public struct MessageOrigin: Sendable, Hashable {
    public var direction: MessageDirection
    public var system: String?
    public var contentType: String?
    public var bodyBytes: Int

    public init(direction: MessageDirection, system: String?, contentType: String?, bodyBytes: Int) {
        self.direction = direction
        self.system = system
        self.contentType = contentType.map { String($0.prefix(200)) }
        self.bodyBytes = bodyBytes
    }

    /// `json`, `xml` or `other`, with the charset when one was declared (`xml; gb18030`).
    public var format: String {
        let parts = (contentType ?? "").lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let media = parts.first ?? ""
        let base = media.hasSuffix("json") ? "json" : media.hasSuffix("xml") ? "xml" : "other"
        guard let charset = parts.dropFirst().first(where: { $0.hasPrefix("charset=") }) else { return base }
        return base + "; " + charset.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).prefix(20)
    }
}

/// A batch about to be logged: its origin, kind, department and batch id; the answers come with the write.
public struct MessageLogEntry: Sendable {
    public var origin: MessageOrigin
    public var kind: MessageKind
    public var department: String
    public var batchId: String?
    /// The item code each record carried, by its index (for the answers of records the planner never saw).
    public var itemCodes: [Int: String]

    public init(origin: MessageOrigin, kind: MessageKind, department: String, batchId: String?, itemCodes: [Int: String] = [:]) {
        self.origin = origin
        self.kind = kind
        self.department = department
        self.batchId = batchId.map { String($0.prefix(128)) }
        self.itemCodes = itemCodes
    }

    /// The answers of these results, in batch order.
    public func answers(_ results: [RecordResult]) -> [MessageAnswer] {
        results.sorted { $0.index < $1.index }.map { MessageAnswer($0, itemCode: itemCodes[$0.index] ?? $0.implementationCode) }
    }
}

/// What `IngestStore.write` needs to log a batch in its transaction: the entry and the results of the records
/// refused before the write (schema, rules, agencies).
public struct MessageLogWrite: Sendable {
    public var entry: MessageLogEntry
    public var refused: [RecordResult]

    public init(entry: MessageLogEntry, refused: [RecordResult]) {
        self.entry = entry
        self.refused = refused
    }
}
