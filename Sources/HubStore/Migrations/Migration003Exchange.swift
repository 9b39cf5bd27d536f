extension Migrations {
    /// The provincial exchange: outbox leases and provincial outcomes, batch numbering, feed checkpoints,
    /// joint tasks and risk clues from the province, and hourly intake and delivery tallies.
    static let exchange = Migration(
        version: 3,
        name: "exchange",
        sql: [
            "ALTER TABLE outbox ADD COLUMN lease_owner text",
            "ALTER TABLE outbox ADD COLUMN lease_until timestamptz",
            "ALTER TABLE outbox ADD COLUMN delivered_at timestamptz",
            "ALTER TABLE outbox ADD COLUMN cd_batch text",
            "ALTER TABLE outbox ADD COLUMN province_status text",
            "ALTER TABLE outbox ADD COLUMN province_code text",
            "ALTER TABLE outbox ADD COLUMN province_message text",
            "ALTER TABLE outbox ADD COLUMN province_receipt text",
            "ALTER TABLE outbox ADD COLUMN last_error text",
            "DROP INDEX outbox_pending",
            "CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending'",
            // A version waits while an earlier version of its record is pending or dead: this finds those fast.
            "CREATE INDEX outbox_order ON outbox (department_id, local_id, id) WHERE state IN ('pending', 'dead')",
            "CREATE INDEX outbox_created ON outbox (created_at)",
            // cd_batch = yyyyMMdd + the day's 5-digit sequence.
            "CREATE TABLE exchange_batch_days (day text PRIMARY KEY, last int NOT NULL)",
            // Where each feed or pulled system was read up to; a restart resumes here.
            """
            CREATE TABLE sync_checkpoints (
                name text PRIMARY KEY,
                cursor text NOT NULL,
                last_success_at timestamptz,
                last_error text,
                last_error_at timestamptz,
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE joint_tasks (
                task_id text PRIMARY KEY,
                seq int NOT NULL,
                title text NOT NULL,
                lead_department text NOT NULL,
                departments text[] NOT NULL,
                deadline text NOT NULL,
                body text NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX joint_tasks_departments ON joint_tasks USING gin (departments)",
            """
            CREATE TABLE task_feedback (
                id bigserial PRIMARY KEY,
                task_id text NOT NULL REFERENCES joint_tasks(task_id),
                department text NOT NULL,
                result text NOT NULL,
                detail text NOT NULL,
                forwarded_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE risk_clues (
                clue_id text PRIMARY KEY,
                seq int NOT NULL,
                model text NOT NULL,
                departments text[] NOT NULL,
                subject_uscc text NOT NULL,
                body text NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX risk_clues_departments ON risk_clues USING gin (departments)",
            // Counts per department and hour, kept in the transactions that make them, so that dashboards and
            // charts read a few rows instead of counting the day's records.
            """
            CREATE TABLE intake_tally (
                department_id bigint NOT NULL REFERENCES departments(id),
                hour timestamptz NOT NULL,
                received bigint NOT NULL DEFAULT 0,
                accepted bigint NOT NULL DEFAULT 0,
                held bigint NOT NULL DEFAULT 0,
                duplicate bigint NOT NULL DEFAULT 0,
                rejected bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (department_id, hour))
            """,
            "CREATE INDEX intake_tally_hour ON intake_tally (hour)",
            """
            CREATE TABLE delivery_tally (
                department_id bigint NOT NULL REFERENCES departments(id),
                hour timestamptz NOT NULL,
                delivered bigint NOT NULL DEFAULT 0,
                province_rejected bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (department_id, hour))
            """,
            "CREATE INDEX delivery_tally_hour ON delivery_tally (hour)",
        ]
    )
}
