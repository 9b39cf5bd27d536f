import Logging
import PostgresNIO

/// A signed request's nonce, not yet recorded: the records push records it inside the transaction that writes the
/// batch (`IngestStore.write`), so a push costs no commit of its own for it. Recorded or not together with the
/// batch: a replay finds the nonce once the first request's write committed, and is refused with nothing written.
public struct NonceClaim: Sendable, Hashable {
    public var keyId: String
    public var nonce: String

    public init(keyId: String, nonce: String) {
        self.keyId = keyId
        self.nonce = nonce
    }
}

/// The batches of a write whose nonce was already used (replays): the transaction was rolled back, nothing of it
/// written. `batches` are indices into the group handed to `IngestStore.write(group:)`.
public struct NonceReplayed: Error, Sendable, Equatable {
    public var batches: [Int]

    public init(batches: [Int]) { self.batches = batches }
}

extension DepartmentStore {
    /// Records these nonces as used inside the caller's transaction; returns those that were already used.
    static func useNonces(_ claims: [NonceClaim], on conn: PostgresConnection, logger: Logger) async throws -> Set<NonceClaim> {
        guard !claims.isEmpty else { return [] }
        var recorded = Set<NonceClaim>()
        for try await (keyId, nonce) in try await conn.query(
            """
            INSERT INTO request_nonces (key_id, nonce)
            SELECT * FROM unnest(\(claims.map(\.keyId))::text[], \(claims.map(\.nonce))::text[])
            ON CONFLICT DO NOTHING RETURNING key_id, nonce
            """,
            logger: logger
        ).decode((String, String).self) {
            recorded.insert(NonceClaim(keyId: keyId, nonce: nonce))
        }
        return Set(claims).subtracting(recorded)
    }
}
