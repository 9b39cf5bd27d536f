import Crypto
import Foundation

/// One entry of the unified ledger, and the one definition of how its hash is computed.
///
/// Entry hash = SHA-256(previous entry's hash ‖ canonical bytes). The canonical bytes are a versioned,
/// line-separated header followed by the payload exactly as stored (canonical JSON text), so `verify`
/// recomputes from the columns alone. The first entry's previous hash is 32 zero bytes.
public struct LedgerEntry: Sendable, Hashable {
    public var seq: Int64
    /// The kind exactly as stored (and hashed). New entries are written with `LedgerKind`'s spelling; an
    /// entry read back keeps whatever spelling it was written with, so its hash still holds.
    public var kind: String
    /// The department code the entry belongs to, or empty for city-wide acts (catalog changes).
    public var department: String
    /// What the entry is about, e.g. `SCJG-JC-2026-000123#2` or a catalog code.
    public var subject: String
    /// When the hub recorded it, in microseconds since the Unix epoch.
    public var recordedMicros: Int64
    /// Canonical JSON text of the entry's content.
    public var payload: String
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The typed kind, whichever spelling it was stored with; nil for a kind this hub does not know.
    public var ledgerKind: LedgerKind? { LedgerKind(stored: kind) }

    /// Builds a new entry of `kind` that follows `previousHash`, computing its hash.
    public init(seq: Int64, kind: LedgerKind, department: String, subject: String, recordedMicros: Int64, payload: String, previousHash: [UInt8]) {
        self.init(
            seq: seq,
            kind: kind.rawValue,
            department: department,
            subject: subject,
            recordedMicros: recordedMicros,
            payload: payload,
            previousHash: previousHash
        )
    }

    /// Recomputes an entry from stored columns (`kind` as stored), computing its hash.
    public init(seq: Int64, kind: String, department: String, subject: String, recordedMicros: Int64, payload: String, previousHash: [UInt8]) {
        self.init(
            seq: seq,
            kind: kind,
            department: department,
            subject: subject,
            recordedMicros: recordedMicros,
            payload: payload,
            previousHash: previousHash,
            hash: []
        )
        self.hash = computeHash()
    }

    /// An entry as read back, with the hash it claims.
    public init(
        seq: Int64,
        kind: String,
        department: String,
        subject: String,
        recordedMicros: Int64,
        payload: String,
        previousHash: [UInt8],
        hash: [UInt8]
    ) {
        self.seq = seq
        self.kind = kind
        self.department = department
        self.subject = subject
        self.recordedMicros = recordedMicros
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    public func computeHash() -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previousHash)
        hasher.update(data: Array("hub-ledger-v1\n\(seq)\n\(kind)\n\(department)\n\(subject)\n\(recordedMicros)\n".utf8))
        hasher.update(data: Array(payload.utf8))
        return Array(hasher.finalize())
    }

    public var hashHex: String { hash.hex }
}

/// What an entry will say, before the chain gives it a place: the writer chains drafts under the ledger lock.
public struct LedgerDraft: Sendable, Hashable {
    public var kind: LedgerKind
    public var department: String
    public var subject: String
    public var payload: String

    public init(kind: LedgerKind, department: String, subject: String, payload: String) {
        self.kind = kind
        self.department = department
        self.subject = subject
        self.payload = payload
    }
}

/// SHA-256 as bytes, for content hashes.
public func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    Array(SHA256.hash(data: Array(bytes)))
}

/// Microseconds since the Unix epoch, now.
public func nowMicros() -> Int64 {
    Int64(Date().timeIntervalSince1970 * 1_000_000)
}
