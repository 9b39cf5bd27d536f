extension Migrations {
    /// Clues followed to closure (核查处置, docs/RISK.md): one table for the province's clues and the city's own
    /// warnings, and the steps each took.
    ///
    /// `risk_clues` stays the raw provincial feed, exactly as pulled (its bodies are what `GET /api/v1/clues` has
    /// always answered); `clues` is the lifecycle, linked to it by `clue_id`. Keeping the two apart means the feed's
    /// checkpointed, idempotent store is untouched and a clue's lifecycle never rewrites what the province sent.
    /// Clues already pulled are copied in as 待分派 (pending): their due dates need the working-day calendar, which
    /// SQL does not count, so ops assign them (or the next step of the feed does for new ones).
    ///
    /// A provincial clue naming several departments is **one clue with the first named as lead** (`department`
    /// once assigned); the others are kept in `named_departments` and still read it through `GET /api/v1/clues`.
    /// One clue, one verification, one disposition: what the province asked is answered once.
    static let clues = Migration(
        version: 17,
        name: "clues",
        sql: [
            "CREATE SEQUENCE clue_city_numbers",
            """
            CREATE TABLE clues (
                id bigserial PRIMARY KEY,
                clue_id text NOT NULL UNIQUE,
                origin text NOT NULL CHECK (origin IN ('province', 'city')),
                model text NOT NULL,
                model_version text,
                subject_uscc text,
                subject_name text NOT NULL DEFAULT '',
                region_code text,
                industry text,
                named_departments text[] NOT NULL DEFAULT '{}',
                department text,
                status text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'assigned', 'verified', 'disposed', 'closed')),
                verdict text CHECK (verdict IN ('true_positive', 'false_positive')),
                findings text,
                disposition text CHECK (disposition IN ('no_problem', 'rectification_ordered', 'case_opened', 'transferred')),
                disposition_detail jsonb,
                assigned_on date,
                verification_due date,
                verified_on date,
                disposal_due date,
                disposed_on date,
                closed_on date,
                overdue_from date,
                escalated_phase text,
                escalated_at timestamptz,
                due_pending text,
                summary text NOT NULL DEFAULT '',
                evidence jsonb NOT NULL DEFAULT '{}',
                observation_department text,
                observation_id text,
                score double precision,
                threshold double precision,
                issued_at text,
                received_on date NOT NULL DEFAULT (now() AT TIME ZONE 'Asia/Shanghai')::date,
                received_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                ledger_seq bigint,
                CHECK ((status = 'pending') = (department IS NULL)))
            """,
            // The city's dedup key: one clue per model, reporting department and observation.
            """
            CREATE UNIQUE INDEX clues_city_observation ON clues (model, observation_department, observation_id) WHERE origin = 'city'
            """,
            "CREATE INDEX clues_department_status ON clues (department, status)",
            "CREATE INDEX clues_named_departments ON clues USING gin (named_departments)",
            "CREATE INDEX clues_overdue ON clues (overdue_from) WHERE status IN ('assigned', 'verified')",
            "CREATE INDEX clues_received ON clues (received_on DESC, id DESC)",
            """
            CREATE TABLE clue_steps (
                id bigserial PRIMARY KEY,
                clue_id text NOT NULL REFERENCES clues(clue_id),
                seq int NOT NULL,
                step text NOT NULL,
                actor text NOT NULL,
                payload jsonb NOT NULL,
                occurred_on date NOT NULL,
                occurred_at timestamptz NOT NULL DEFAULT now(),
                ledger_seq bigint NOT NULL,
                UNIQUE (clue_id, seq))
            """,
            """
            INSERT INTO clues (clue_id, origin, model, subject_uscc, subject_name, region_code, named_departments, summary, evidence,
                               issued_at, received_on, received_at)
            SELECT r.clue_id, 'province',
                   CASE r.model WHEN '虚假医疗广告监测' THEN 'false_medical_ad' WHEN '非法集资' THEN 'illegal_fundraising'
                                WHEN '非法销售药品' THEN 'illegal_drug_sales' WHEN '非法销售处方药品' THEN 'illegal_prescription_sales'
                                WHEN '非法销售医疗器械' THEN 'illegal_device_sales' ELSE r.model END,
                   nullif(r.subject_uscc, ''), coalesce(r.body::jsonb #>> '{subject,name}', ''),
                   CASE WHEN r.subject_uscc ~ '^[0-9A-Z]{2}[0-9]{6}' THEN substr(r.subject_uscc, 3, 6) END,
                   r.departments, coalesce(r.body::jsonb ->> 'summary', ''),
                   jsonb_build_object('evidence', coalesce(r.body::jsonb ->> 'evidence', ''), 'summary', coalesce(r.body::jsonb ->> 'summary', '')),
                   r.body::jsonb ->> 'issuedAt', (r.received_at AT TIME ZONE 'Asia/Shanghai')::date, r.received_at
            FROM risk_clues r ORDER BY r.seq
            """,
        ]
    )
}
