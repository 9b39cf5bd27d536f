extension Migrations {
    /// Effective dates and the department catalog API's cursor.
    ///
    /// - `catalog_current` / `implementation_current` show, per code, the version in force now: the last by
    ///   `effective_from` then `version` among those with `effective_from <= now()`. A version published ahead of
    ///   its day becomes current on that day by itself (views over `now()`: no restart, no job).
    /// - First versions imported without a date (their `effective_from` is their `recorded_at`: both were the
    ///   import's `now()`) become `-infinity`: in force for every act date, as the import now writes them.
    /// - `seq`: one sequence over both tables, assigned by a BEFORE INSERT trigger after it takes a transaction
    ///   advisory lock, so every writer (imports, the feed, claims) is serialized and seq order is commit order:
    ///   a reader that saw seq N can never later see a row below N commit. The cursor of `GET /api/v1/catalog`.
    ///   Writers take it before the ledger head (insert versions first, append the ledger last).
    /// - Indexes for "every version of these codes" (`CatalogStore.timeline`) and for the cursor.
    static let catalogDates = Migration(
        version: 20,
        name: "catalog_dates",
        sql: [
            "UPDATE catalog_items SET effective_from = '-infinity' WHERE version = 1 AND effective_from = recorded_at",
            "UPDATE implementation_items SET effective_from = '-infinity' WHERE version = 1 AND effective_from = recorded_at",
            "CREATE SEQUENCE catalog_seq",
            "ALTER TABLE catalog_items ADD COLUMN seq bigint NOT NULL DEFAULT 0",
            "ALTER TABLE implementation_items ADD COLUMN seq bigint NOT NULL DEFAULT 0",
            "UPDATE catalog_items SET seq = nextval('catalog_seq') WHERE seq = 0",
            "UPDATE implementation_items SET seq = nextval('catalog_seq') WHERE seq = 0",
            """
            CREATE FUNCTION catalog_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(7411020);
                NEW.seq := nextval('catalog_seq');
                RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER catalog_items_seq BEFORE INSERT ON catalog_items FOR EACH ROW EXECUTE FUNCTION catalog_assign_seq()",
            "CREATE TRIGGER implementation_items_seq BEFORE INSERT ON implementation_items FOR EACH ROW EXECUTE FUNCTION catalog_assign_seq()",
            "CREATE INDEX catalog_items_by_seq ON catalog_items (seq)",
            "CREATE INDEX implementation_items_by_seq ON implementation_items (seq)",
            "CREATE INDEX implementation_items_catalog ON implementation_items (catalog_code, code)",
            """
            CREATE OR REPLACE VIEW catalog_current AS
            SELECT DISTINCT ON (code) * FROM catalog_items WHERE effective_from <= now() ORDER BY code, effective_from DESC, version DESC
            """,
            """
            CREATE OR REPLACE VIEW implementation_current AS
            SELECT DISTINCT ON (code) * FROM implementation_items WHERE effective_from <= now() ORDER BY code, effective_from DESC, version DESC
            """,
        ]
    )
}
