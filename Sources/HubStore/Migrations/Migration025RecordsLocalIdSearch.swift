extension Migrations {
    /// The console's records search by a department's own id (`localId` prefix: `r.local_id LIKE 'abc%'`). The
    /// database's collation is not C, so no existing index serves a `LIKE` prefix and the search read the whole
    /// table: 5 ms at 40,000 records, 164 ms at 1,000,000, 1,033 ms at 5,000,000 (`IngestBenchmark scale`).
    /// A `text_pattern_ops` index answers a prefix by a range scan. Built CONCURRENTLY, outside a transaction,
    /// so a large records table keeps taking writes; an invalid index left by an interrupted build is dropped
    /// first and built again.
    static let recordsLocalIdSearch = Migration(
        version: 25,
        name: "records_local_id_search",
        steps: [
            .outside(
                "DROP INDEX CONCURRENTLY IF EXISTS records_local_id_prefix",
                onlyIf: """
                    SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('records_local_id_prefix') AND NOT indisvalid)
                    """
            ),
            .outside("CREATE INDEX CONCURRENTLY IF NOT EXISTS records_local_id_prefix ON records (local_id text_pattern_ops)"),
        ]
    )
}
