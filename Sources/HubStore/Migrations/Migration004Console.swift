extension Migrations {
    /// The ops console: signed Merkle checkpoints of the ledger, and the indexes its pages read by (records by
    /// arrival time and by party, deliveries by time, catalog mappings by catalog code).
    static let console = Migration(version: 4, name: "console", sql: [
        """
        CREATE TABLE ledger_checkpoints (
            tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
            root_hash bytea NOT NULL,
            signature bytea NOT NULL,
            public_key bytea NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())
        """,
        "CREATE INDEX records_received ON records (received_at)",
        // The party's USCC or ID number, for the console's lookup (the body is canonical JSON text).
        "CREATE INDEX records_party ON records (((body::jsonb) #>> '{party,idNumber}'), received_at)",
        "CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL",
        "CREATE INDEX item_mappings_catalog ON item_mappings (catalog_code)",
    ])
}
