extension Migrations {
    /// 监管动态 and 曝光台 (`Supervision.BulletinKind`): written by one person, published when a second approves,
    /// withdrawn with a reason. An exposure names the penalty record (department, localId) whose decision it
    /// exposes. Public lists read published rows newest first per kind, hence the partial index.
    static let bulletins = Migration(
        version: 15,
        name: "bulletins",
        sql: [
            """
            CREATE TABLE bulletins (
                id bigserial PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('news', 'exposure')),
                department text NOT NULL,
                title text NOT NULL,
                body text NOT NULL,
                record_local_id text,
                status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'published', 'withdrawn')),
                proposed_by text NOT NULL,
                proposed_at timestamptz NOT NULL DEFAULT now(),
                approved_by text,
                published_at timestamptz,
                withdrawn_by text,
                withdrawn_at timestamptz,
                withdrawal_reason text,
                ledger_seq bigint NOT NULL,
                CHECK ((kind = 'exposure') = (record_local_id IS NOT NULL)))
            """,
            "CREATE INDEX bulletins_public ON bulletins (kind, published_at DESC, id DESC) WHERE status = 'published'",
        ]
    )
}
