extension Migrations {
    /// The ops console: signed Merkle checkpoints of the ledger, and the indexes its pages read by (records by
    /// arrival time and by party, outbox rows by their record's arrival, deliveries by time, catalog mappings
    /// by catalog code).
    static let console = Migration(
        version: 4,
        name: "console",
        sql: [
            """
            CREATE TABLE ledger_checkpoints (
                tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
                root_hash bytea NOT NULL,
                signature bytea NOT NULL,
                public_key bytea NOT NULL,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            // Signed checkpoints are as append-only as the ledger they sign.
            "CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE OR DELETE ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
            "CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
            // Per-day and per-hour counts read these indexes alone (index-only scans), not the wide records rows.
            "CREATE INDEX records_received ON records (received_at) INCLUDE (department_id, status)",
            // When the record version arrived (a version released after review keeps its arrival day), so the
            // per-day delivery counts need no join with records.
            "ALTER TABLE outbox ADD COLUMN received_at timestamptz NOT NULL DEFAULT now()",
            "UPDATE outbox o SET received_at = r.received_at FROM records r WHERE r.department_id = o.department_id AND r.local_id = o.local_id AND r.version = o.version",
            "CREATE INDEX outbox_received ON outbox (received_at) INCLUDE (department_id, state)",
            // The party's USCC or ID number, for the console's lookup (the body is canonical JSON text).
            "CREATE INDEX records_party ON records (((body::jsonb) #>> '{party,idNumber}'), received_at)",
            "CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL",
            "DROP INDEX outbox_created",
            "CREATE INDEX item_mappings_catalog ON item_mappings (catalog_code)",
        ]
    )
}
