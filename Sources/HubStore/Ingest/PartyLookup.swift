import HubModel
import PostgresNIO

/// One record of a party found by its USCC or ID number (console record lookup, ops API).
public struct PartyRecord: Sendable {
    public var department: String
    public var localId: String
    public var version: Int
    public var status: String
    public var receivedAt: String
    public var partyName: String?
    public var catalogCode: String?
}

extension IngestStore {
    /// Every record version whose party carries `idNumber`, newest first (at most 200).
    public func records(ofParty idNumber: String, limit: Int = 200) async throws -> [PartyRecord] {
        var out: [PartyRecord] = []
        let rows = try await db.client.query(
            """
            SELECT d.code, r.local_id, r.version, r.status,
                   to_char(r.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), (r.body::jsonb) #>> '{party,name}', r.catalog_code
            FROM records r JOIN departments d ON d.id = r.department_id
            WHERE ((r.body::jsonb) #>> '{party,idNumber}') = \(idNumber)
            ORDER BY r.received_at DESC, r.local_id, r.version LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await (dept, localId, version, status, received, party, catalogCode) in rows.decode(
            (String, String, Int, String, String, String?, String?).self
        ) {
            out.append(
                PartyRecord(
                    department: dept,
                    localId: localId,
                    version: version,
                    status: status,
                    receivedAt: received,
                    partyName: party,
                    catalogCode: catalogCode
                )
            )
        }
        return out
    }
}

extension OpsUserStore {
    /// Writes a lookup by party identifier to the ledger: who looked, whom (masked unless it is an
    /// organisation's USCC, plus a fingerprint an auditor can match against a known number), when (the
    /// entry's time), through which channel, how many records were found, and whether they were shown
    /// unmasked. The number itself never enters the ledger, which cannot be erased.
    @discardableResult
    public func recordPartyLookup(_ idNumber: String, by user: OpsUser, channel: String, found: Int) async throws -> Int64 {
        let organisation = (try? USCC(idNumber)) != nil
        return try await recordAction(
            .partyLookup,
            by: user.username,
            details: [
                ("channel", .string(channel)),
                ("whom", .string(organisation ? idNumber : PersonalData.maskIDNumber(idNumber))),
                ("whomFingerprint", .string(Self.lookupFingerprint(idNumber))),
                ("found", .number(String(found))),
                ("unmasked", .bool(user.seesPersonalData)),
            ]
        )
    }

    /// SHA-256 of the number with a fixed prefix, hex: lets an auditor who holds a person's number find every
    /// lookup of that person in the ledger without the ledger holding the number.
    public static func lookupFingerprint(_ idNumber: String) -> String {
        sha256("party-lookup:v1:\(idNumber.uppercased())".utf8).hex
    }
}
