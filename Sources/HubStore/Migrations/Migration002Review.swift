extension Migrations {
    /// Legal-basis matching and the review workflow: mapping releases with evidence and approval, review
    /// items with candidates, records rejected after review, ops accounts and tokens, the receipt feed.
    static let review = Migration(
        version: 2,
        name: "review",
        sql: [
            "ALTER TABLE records DROP CONSTRAINT records_status_check",
            "ALTER TABLE records ADD CONSTRAINT records_status_check CHECK (status IN ('accepted', 'held', 'rejected'))",
            "ALTER TABLE records ADD COLUMN rejection text",
            "ALTER TABLE review_items ADD COLUMN reason text NOT NULL DEFAULT 'no_mapping'",
            "ALTER TABLE review_items ADD COLUMN catalog_department text",
            "ALTER TABLE review_items ADD COLUMN candidates text NOT NULL DEFAULT '[]'",
            "ALTER TABLE review_items ADD COLUMN decided_mapping bigint",
            "ALTER TABLE review_items ADD COLUMN closed_at timestamptz",
            "ALTER TABLE review_items ADD CONSTRAINT review_items_status_check CHECK (status IN ('open', 'pending_approval', 'closed'))",
            "DROP INDEX review_items_open",
            // One unresolved review per local item: open or waiting for its second person.
            "CREATE UNIQUE INDEX review_items_open ON review_items (department_id, local_code) WHERE status IN ('open', 'pending_approval')",
            "ALTER TABLE item_mappings ALTER COLUMN catalog_code DROP NOT NULL",
            "ALTER TABLE item_mappings ALTER COLUMN implementation_code DROP NOT NULL",
            "ALTER TABLE item_mappings ADD COLUMN rule text NOT NULL DEFAULT 'human'",
            "ALTER TABLE item_mappings ADD COLUMN evidence text NOT NULL DEFAULT '[]'",
            "ALTER TABLE item_mappings ADD COLUMN review_id bigint REFERENCES review_items(id)",
            "ALTER TABLE item_mappings ADD COLUMN approved_by text",
            "ALTER TABLE item_mappings ADD COLUMN approved_at timestamptz",
            """
            ALTER TABLE item_mappings ADD CONSTRAINT item_mappings_status_check
                CHECK (status IN ('proposed', 'confirmed', 'superseded', 'needs_review', 'withdrawn'))
            """,
            """
            ALTER TABLE item_mappings ADD CONSTRAINT item_mappings_relationship_check
                CHECK (relationship IN ('equivalent', 'local-narrower', 'local-broader', 'no-match'))
            """,
            """
            CREATE TABLE ops_users (
                id bigserial PRIMARY KEY,
                username text NOT NULL UNIQUE,
                display_name text NOT NULL,
                password_hash text NOT NULL,
                roles text[] NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                disabled_at timestamptz)
            """,
            """
            CREATE TABLE ops_tokens (
                token_hash bytea PRIMARY KEY,
                user_id bigint NOT NULL REFERENCES ops_users(id),
                created_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL)
            """,
            // What a department learns after it pushed: releases and rejections after review, later receipts.
            """
            CREATE TABLE receipts (
                id bigserial PRIMARY KEY,
                department_id bigint NOT NULL REFERENCES departments(id),
                local_id text NOT NULL,
                version int NOT NULL,
                kind text NOT NULL,
                status text NOT NULL,
                detail text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX receipts_feed ON receipts (department_id, id)",
        ]
    )
}
