extension Migrations {
    /// Published warning reports are ledger entries (`risk_report`, subject `risk_report:YYYY-MM`); the console reads
    /// a month's newest and counts its versions. A partial index keeps that a few rows' read however long the ledger
    /// grows (the ledger itself is indexed by `seq` only).
    static let riskReports = Migration(
        version: 19,
        name: "risk_reports",
        sql: ["CREATE INDEX ledger_risk_reports ON ledger (subject, seq) WHERE kind = 'risk_report'"]
    )
}
