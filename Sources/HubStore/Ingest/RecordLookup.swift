import HubModel
import NIOCore
import PostgresNIO

/// Where one record of a department stands: every version, how it was normalized, and its delivery.
public struct RecordHistory: Sendable {
    public struct Version: Sendable {
        public var version: Int
        public var status: String
        public var operation: String
        public var receivedAt: String
        public var catalogCode: String?
        public var implementationCode: String?
        public var rule: String?
        public var mappingRelease: Int64?
        public var reviewId: Int64?
        public var ledgerSeq: Int64?
        public var entryHash: String?
        public var delivery: String?
        public var cdId: String?
        public var record: String
        /// What the province answered for this version, once it did.
        public var province: ProvinceAnswer?
    }

    /// The province's verdict on one delivered or rejected version, and the receipt it came in.
    public struct ProvinceAnswer: Sendable {
        public var status: String
        public var code: String?
        public var message: String?
        public var cdBatch: String?
        public var receiptId: String?
        public var answeredAt: String?
    }

    public var localId: String
    public var versions: [Version]
}

extension IngestStore {
    /// The history of `localId` within `department` only; nil when that department has no such record.
    public func history(department: Int64, localId: String) async throws -> RecordHistory? {
        let rows = try await db.client.query(
            """
            SELECT r.version, r.status, r.operation, to_char(r.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"'),
                   r.catalog_code, r.implementation_code, r.rule, r.mapping_release, r.review_id, r.ledger_seq, l.entry_hash,
                   o.state, o.cd_id::text, r.body, o.province_status, o.province_code, o.province_message, o.cd_batch, o.province_receipt,
                   to_char(o.delivered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"')
            FROM records r
            LEFT JOIN ledger l ON l.seq = r.ledger_seq
            LEFT JOIN outbox o ON o.ledger_seq = r.ledger_seq
            WHERE r.department_id = \(department) AND r.local_id = \(localId)
            ORDER BY r.version
            """,
            logger: db.logger
        )
        var versions: [RecordHistory.Version] = []
        for try await (
            version, status, op, received, catalogCode, implCode, rule, release, review, seq, hash, state, cdId, body,
            provinceStatus, provinceCode, provinceMessage, cdBatch, receipt, answeredAt
        ) in rows.decode(
            (
                Int, String, String, String, String?, String?, String?, Int64?, Int64?, Int64?, ByteBuffer?, String?, String?, String,
                String?, String?, String?, String?, String?, String?
            ).self
        ) {
            let answer = provinceStatus.map {
                RecordHistory.ProvinceAnswer(
                    status: $0,
                    code: provinceCode,
                    message: provinceMessage,
                    cdBatch: cdBatch,
                    receiptId: receipt,
                    answeredAt: answeredAt
                )
            }
            versions.append(
                .init(
                    version: version,
                    status: status,
                    operation: op,
                    receivedAt: received,
                    catalogCode: catalogCode,
                    implementationCode: implCode,
                    rule: rule,
                    mappingRelease: release,
                    reviewId: review,
                    ledgerSeq: seq,
                    entryHash: hash.map { Array($0.readableBytesView).hex },
                    delivery: state,
                    cdId: cdId,
                    record: body,
                    province: answer
                )
            )
        }
        return versions.isEmpty ? nil : RecordHistory(localId: localId, versions: versions)
    }
}
