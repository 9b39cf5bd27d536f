import Crypto
import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

/// Publishes the monthly warning report (风险预警报告): a ledger entry `risk_report` with the report's figures and
/// the SHA-256 of its PDF, and an outbox row `risk_report` that delivers the same to the province. Publishing a
/// month again (after late dispositions changed its figures) is a new version of the same key, so the province keeps
/// the newest and the ledger keeps every one.
public struct RiskReportStore: Sendable {
    public let db: HubDatabase
    /// The department under which the city's report travels to the province (the outbox names one).
    public let department: String

    public init(db: HubDatabase, department: String) {
        self.db = db
        self.department = department
    }

    /// A publication as the console shows it.
    public struct Published: Sendable, Hashable {
        public var version: Int
        public var ledgerSeq: Int64
        public var publishedBy: String
        /// Microseconds since the epoch.
        public var recordedMicros: Int64
        public var pdfSHA256: String
    }

    /// Publishes `report` with its `pdf`; returns the publication.
    public func publish(_ report: WarningReport, pdf: [UInt8], by user: String) async throws -> Published {
        let digest = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
        let subject = "risk_report:" + report.month.description
        return try await db.client.transaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            let version = try await Self.versions(subject, on: conn, logger: db.logger) + 1
            let body = JSONValue.object([
                ("month", .string(report.month.description)), ("version", .number(String(version))), ("pdfSHA256", .string(digest)),
                ("publishedBy", .string(user)), ("report", report.json),
            ])
            let entry = chain.add(kind: .riskReport, department: department, subject: subject, payload: CanonicalJSON.string(body))
            try await chain.flush(conn, logger: db.logger)
            try await OutboxStore.enqueue(
                .riskReport,
                key: report.month.description,
                department: department,
                body: CanonicalJSON.string(body),
                ledgerSeq: entry.seq,
                on: conn,
                logger: db.logger
            )
            return Published(version: version, ledgerSeq: entry.seq, publishedBy: user, recordedMicros: entry.recordedMicros, pdfSHA256: digest)
        }
    }

    /// The newest publication of `month`, if any.
    public func latest(_ month: ReportMonth) async throws -> Published? {
        let subject = "risk_report:" + month.description
        let rows = try await db.client.query(
            """
            SELECT seq, recorded_us, payload FROM ledger WHERE kind = \(LedgerKind.riskReport.rawValue) AND subject = \(subject)
            ORDER BY seq DESC LIMIT 1
            """,
            logger: db.logger
        )
        for try await (seq, recorded, payload) in rows.decode((Int64, Int64, String).self) {
            let body = try JSONParser().parse(Array(payload.utf8))
            return Published(
                version: body["version"]?.intValue ?? 1,
                ledgerSeq: seq,
                publishedBy: body["publishedBy"]?.stringValue ?? "",
                recordedMicros: recorded,
                pdfSHA256: body["pdfSHA256"]?.stringValue ?? ""
            )
        }
        return nil
    }

    static func versions(_ subject: String, on conn: PostgresConnection, logger: Logger) async throws -> Int {
        for try await n in try await conn.query(
            "SELECT count(*)::int FROM ledger WHERE kind = \(LedgerKind.riskReport.rawValue) AND subject = \(subject)",
            logger: logger
        ).decode(Int.self) { return n }
        return 0
    }
}
