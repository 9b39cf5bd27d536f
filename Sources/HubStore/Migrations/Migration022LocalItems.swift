extension Migrations {
    /// Items set by local legislation (地方立法设立的监管事项): registered under a provisional code (`L` + region +
    /// sequence, `ProvisionalItemCode`), approved by a second person and sent to the province, then coded when the
    /// province's catalog feed names the provisional code it replaces. The provisional code is unique for ever; the
    /// provincial code once given is unique too. Mappings may point at the provisional code meanwhile (the mapping
    /// tables hold any text code); records of such local items are held.
    static let localItems = Migration(
        version: 22,
        name: "local_items",
        sql: [
            """
            CREATE TABLE local_items (
                id bigserial PRIMARY KEY,
                provisional_code text NOT NULL UNIQUE CHECK (provisional_code ~ '^L[0-9]{13}$'),
                department text NOT NULL,
                name text NOT NULL,
                item_type text NOT NULL,
                catalog_department text NOT NULL,
                legal_basis text NOT NULL,
                legal_refs jsonb NOT NULL,
                parent_code text,
                levels text NOT NULL,
                region_code text NOT NULL,
                agencies text[] NOT NULL,
                status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'sent', 'coded')),
                proposed_by text NOT NULL,
                proposed_at timestamptz NOT NULL DEFAULT now(),
                approved_by text,
                approved_at timestamptz,
                provincial_code text UNIQUE CHECK (provincial_code ~ '^[0-9]{14}$'),
                coded_at timestamptz,
                CHECK ((status = 'coded') = (provincial_code IS NOT NULL)))
            """,
            "CREATE INDEX local_items_department ON local_items (department, status)",
        ]
    )
}
