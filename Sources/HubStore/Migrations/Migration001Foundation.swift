extension Migrations {
    /// Departments and keys, the catalog with every version, records and their versions, the review queue,
    /// confirmed mappings, the append-only ledger and the outbox.
    static let foundation = Migration(
        version: 1,
        name: "foundation",
        sql: [
            """
            CREATE TABLE departments (
                id bigserial PRIMARY KEY,
                code text NOT NULL UNIQUE,
                name text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE department_keys (
                key_id text PRIMARY KEY,
                department_id bigint NOT NULL REFERENCES departments(id),
                secret text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                revoked_at timestamptz)
            """,
            // Nonces seen inside the timestamp window; older ones are swept (a replay past the window fails on time).
            """
            CREATE TABLE request_nonces (
                key_id text NOT NULL,
                nonce text NOT NULL,
                seen_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (key_id, nonce))
            """,
            "CREATE INDEX request_nonces_seen ON request_nonces (seen_at)",
            // The provincial catalog: a new row per version, never overwritten.
            """
            CREATE TABLE catalog_items (
                code text NOT NULL,
                version int NOT NULL,
                name text NOT NULL,
                item_type text NOT NULL CHECK (item_type IN ('行政检查', '行政处罚', '行政强制', '其他')),
                department text NOT NULL,
                legal_basis text NOT NULL,
                legal_refs jsonb NOT NULL,
                parent_code text,
                levels text NOT NULL DEFAULT '',
                status text NOT NULL CHECK (status IN ('active', 'retired')),
                effective_from timestamptz NOT NULL DEFAULT now(),
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (code, version))
            """,
            "CREATE VIEW catalog_current AS SELECT DISTINCT ON (code) * FROM catalog_items ORDER BY code, version DESC",
            """
            CREATE TABLE implementation_items (
                code text NOT NULL,
                version int NOT NULL,
                catalog_code text NOT NULL,
                agency_code text NOT NULL,
                agency_name text NOT NULL,
                region_code text NOT NULL,
                level int NOT NULL,
                status text NOT NULL CHECK (status IN ('active', 'retired')),
                effective_from timestamptz NOT NULL DEFAULT now(),
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (code, version))
            """,
            "CREATE VIEW implementation_current AS SELECT DISTINCT ON (code) * FROM implementation_items ORDER BY code, version DESC",
            "CREATE INDEX implementation_items_agency ON implementation_items (agency_code)",
            // One open review per local item of a department, however many records wait on it.
            """
            CREATE TABLE review_items (
                id bigserial PRIMARY KEY,
                department_id bigint NOT NULL REFERENCES departments(id),
                local_code text NOT NULL,
                local_name text,
                legal_basis text,
                record_kind text NOT NULL,
                status text NOT NULL DEFAULT 'open',
                opened_at timestamptz NOT NULL DEFAULT now(),
                last_seen_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE UNIQUE INDEX review_items_open ON review_items (department_id, local_code) WHERE status = 'open'",
            """
            CREATE TABLE item_mappings (
                id bigserial PRIMARY KEY,
                department_id bigint NOT NULL REFERENCES departments(id),
                local_code text NOT NULL,
                catalog_code text NOT NULL,
                implementation_code text NOT NULL,
                relationship text NOT NULL DEFAULT 'equivalent',
                status text NOT NULL DEFAULT 'confirmed',
                decided_by text NOT NULL,
                reason text NOT NULL DEFAULT '',
                decided_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE UNIQUE INDEX item_mappings_confirmed ON item_mappings (department_id, local_code) WHERE status = 'confirmed'",
            // Every version of every record a department sent and the hub took (accepted or held).
            """
            CREATE TABLE records (
                department_id bigint NOT NULL REFERENCES departments(id),
                local_id text NOT NULL,
                version int NOT NULL,
                status text NOT NULL CHECK (status IN ('accepted', 'held')),
                operation char(1) NOT NULL CHECK (operation IN ('I', 'U', 'D')),
                content_hash bytea NOT NULL,
                body text NOT NULL,
                catalog_code text,
                implementation_code text,
                rule text,
                mapping_release bigint,
                review_id bigint REFERENCES review_items(id),
                ledger_seq bigint,
                batch_id text,
                received_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (department_id, local_id, version))
            """,
            "CREATE INDEX records_review ON records (review_id) WHERE status = 'held'",
            // The unified ledger. Entry hash = SHA-256(previous hash ‖ canonical bytes of the entry).
            """
            CREATE TABLE ledger (
                seq bigint PRIMARY KEY CHECK (seq > 0),
                kind text NOT NULL,
                department text NOT NULL DEFAULT '',
                subject text NOT NULL,
                recorded_us bigint NOT NULL,
                payload text NOT NULL,
                prev_hash bytea NOT NULL,
                entry_hash bytea NOT NULL UNIQUE)
            """,
            """
            CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$
            """,
            "CREATE TRIGGER ledger_no_update BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
            "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
            // The provincial sync's queue: written in the transaction of the ledger entry it delivers.
            """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                ledger_seq bigint NOT NULL UNIQUE REFERENCES ledger(seq),
                department_id bigint NOT NULL REFERENCES departments(id),
                local_id text NOT NULL,
                version int NOT NULL,
                cd_id uuid NOT NULL UNIQUE,
                cd_operation char(1) NOT NULL,
                state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected', 'dead')),
                attempts int NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE state = 'pending'",
        ]
    )
}
