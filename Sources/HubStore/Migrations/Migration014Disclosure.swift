extension Migrations {
    /// 行政执法公示 (DOMAIN.md §7): one publication per published act (a record's every version updates it), with
    /// its redacted text, its due date in working days, and its withdrawal. The public read side searches it by
    /// name (trigram index, so `q` matches anywhere in the name), USCC, department and date, newest first.
    static let disclosure = Migration(
        version: 14,
        name: "disclosure",
        sql: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            """
            CREATE TABLE publications (
                id bigserial PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('penalty', 'inspection', 'random_check_result', 'licensing')),
                department_code text NOT NULL,
                source_key text NOT NULL UNIQUE,
                local_id text NOT NULL,
                record_version int NOT NULL,
                subject_name text NOT NULL,
                uscc text,
                title text NOT NULL,
                body jsonb NOT NULL,
                act_date date,
                due_date date,
                due_pending text,
                published_at timestamptz NOT NULL DEFAULT now(),
                status text NOT NULL CHECK (status IN ('published', 'withheld', 'withdrawn')),
                withheld_reason text CHECK ((status = 'withheld') = (withheld_reason IS NOT NULL)),
                withdrawal_reason text CHECK (withdrawal_reason IN ('revoked', 'changed_by_reconsideration', 'changed_by_litigation', 'credit_repair', 'other')),
                withdrawal_text text,
                withdrawn_on date,
                withdrawn_by text,
                ledger_seq bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                CHECK ((status = 'withdrawn') = (withdrawal_reason IS NOT NULL)))
            """,
            // Newest first is newest id first: keyset pagination walks the primary key (or one of these) backwards.
            "CREATE INDEX publications_department ON publications (department_code, id DESC) WHERE status <> 'withheld'",
            "CREATE INDEX publications_uscc ON publications (uscc, id DESC) WHERE status <> 'withheld'",
            "CREATE INDEX publications_act_date ON publications (act_date, id) INCLUDE (department_code) WHERE status <> 'withheld'",
            "CREATE INDEX publications_name ON publications USING gin (subject_name gin_trgm_ops) WHERE status <> 'withheld'",
        ]
    )
}
