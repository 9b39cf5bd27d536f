extension Migrations {
    /// Enforcement cases and their stage events (行政执法全过程记录, DOMAIN.md §7). A case belongs to one department
    /// and is keyed by its case number there; `case_events` keeps every accepted event in the order accepted, its
    /// stage member as pushed (in the fixed form `CaseEvent.stageJSON` gives), and the ledger entry recording it.
    /// The `cases` row is a summary of its events (`Supervision.CaseSummary`), rewritten with each batch.
    static let cases = Migration(
        version: 13,
        name: "enforcement_cases",
        sql: [
            """
            CREATE TABLE cases (
                id bigserial PRIMARY KEY,
                department_code text NOT NULL REFERENCES departments(code),
                case_no text NOT NULL CHECK (length(case_no) BETWEEN 1 AND 100),
                procedure text NOT NULL CHECK (procedure IN ('01', '02')),
                major boolean NOT NULL,
                stage text NOT NULL,
                flags text[] NOT NULL DEFAULT '{}',
                opened_at timestamptz NOT NULL,
                decided_at timestamptz,
                closed_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (department_code, case_no))
            """,
            "CREATE INDEX cases_over_limit ON cases (department_code) WHERE 'over_limit' = ANY(flags)",
            """
            CREATE TABLE case_events (
                case_id bigint NOT NULL REFERENCES cases(id),
                seq int NOT NULL CHECK (seq >= 1),
                event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 64),
                stage text NOT NULL,
                payload jsonb NOT NULL,
                flags text[] NOT NULL DEFAULT '{}',
                occurred_at timestamptz NOT NULL,
                ledger_seq bigint NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (case_id, seq),
                UNIQUE (case_id, event_id))
            """,
        ]
    )
}
