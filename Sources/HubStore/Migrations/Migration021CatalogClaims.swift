extension Migrations {
    /// Claims of catalog items by agencies (认领发布, docs/CATALOG.md): one row per claim with its state, and the
    /// steps each took (append-only, like the ledger: a trigger refuses updates and deletes).
    ///
    /// At most one open claim (proposed, published, or with a change waiting) per item and agency; a withdrawn or
    /// rejected claim stays as history and the agency may claim the item again. The published implementation item
    /// itself is a version in `implementation_items`, so ingest and the catalog API read it like any other.
    static let catalogClaims = Migration(
        version: 21,
        name: "catalog_claims",
        sql: [
            """
            CREATE TABLE catalog_claims (
                id bigserial PRIMARY KEY,
                catalog_code text NOT NULL,
                agency_code text NOT NULL,
                agency_name text NOT NULL DEFAULT '',
                department text NOT NULL,
                region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
                level int NOT NULL CHECK (level IN (3, 4)),
                status text NOT NULL CHECK (status IN ('proposed', 'published', 'adjustment_proposed', 'withdrawal_proposed', 'withdrawn', 'rejected')),
                check_content text NOT NULL,
                check_method text NOT NULL,
                check_frequency text NOT NULL,
                pending_details jsonb,
                pending_reason text,
                proposed_by text NOT NULL,
                implementation_code text,
                published_version int,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE UNIQUE INDEX catalog_claims_open ON catalog_claims (catalog_code, agency_code)
            WHERE status NOT IN ('withdrawn', 'rejected')
            """,
            "CREATE INDEX catalog_claims_department ON catalog_claims (department, status)",
            "CREATE INDEX catalog_claims_list ON catalog_claims (level, region_code) WHERE status IN ('published', 'adjustment_proposed', 'withdrawal_proposed')",
            """
            CREATE TABLE catalog_claim_steps (
                id bigserial PRIMARY KEY,
                claim_id bigint NOT NULL REFERENCES catalog_claims(id),
                step text NOT NULL,
                actor text NOT NULL,
                payload jsonb NOT NULL,
                occurred_at timestamptz NOT NULL DEFAULT now(),
                ledger_seq bigint NOT NULL)
            """,
            "CREATE INDEX catalog_claim_steps_claim ON catalog_claim_steps (claim_id, id)",
            """
            CREATE FUNCTION catalog_claim_steps_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'catalog_claim_steps is append-only'; END $$
            """,
            """
            CREATE TRIGGER catalog_claim_steps_append_only BEFORE UPDATE OR DELETE ON catalog_claim_steps
            FOR EACH ROW EXECUTE FUNCTION catalog_claim_steps_append_only()
            """,
        ]
    )
}
