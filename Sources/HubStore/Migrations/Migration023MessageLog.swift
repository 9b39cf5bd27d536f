extension Migrations {
    /// 报送日志: one row per batch a department sent or the hub pulled — accepted, partly refused or refused as a
    /// whole. The per-record answers are a `jsonb` array on the batch's own row rather than a child table: the
    /// log is written inside the batch's transaction, and one row (one index update per index, the array
    /// TOAST-compressed) costs far less there than one child row per record; the detail page reads the whole
    /// array anyway and nothing queries single answers. What the list filters on is kept in plain columns:
    /// the counts, the batch's summary status, the distinct error and item codes (`text[]` with GIN indexes).
    /// After the retention (`HUB_MESSAGE_LOG_RETENTION_DAYS`) `answers` and `batch_errors` are cleared and
    /// `pruned_at` set; the counts and the code arrays stay, so old batches still count and filter.
    ///
    /// Paging is keyset on `(received_at, id)` descending: the plain index serves the unfiltered list, the
    /// department index the department filter, the partial ones the 拒收 filter (≈ 2 % of batches, so a scan
    /// of the plain index would read ~50 rows per hit).
    static let messageLog = Migration(
        version: 23,
        name: "message_log",
        sql: [
            """
            CREATE TABLE message_log (
                id bigserial PRIMARY KEY,
                received_at timestamptz NOT NULL DEFAULT now(),
                direction text NOT NULL CHECK (direction IN ('push', 'pull')),
                kind text NOT NULL,
                department text NOT NULL,
                system text,
                format text NOT NULL,
                content_type text,
                body_bytes integer NOT NULL CHECK (body_bytes >= 0),
                batch_id text,
                status text NOT NULL CHECK (status IN ('accepted', 'held', 'rejected', 'refused')),
                record_count integer NOT NULL DEFAULT 0,
                accepted integer NOT NULL DEFAULT 0,
                held integer NOT NULL DEFAULT 0,
                duplicate integer NOT NULL DEFAULT 0,
                rejected integer NOT NULL DEFAULT 0,
                error_code text,
                error_codes text[] NOT NULL DEFAULT '{}',
                item_codes text[] NOT NULL DEFAULT '{}',
                batch_errors jsonb,
                answers jsonb,
                pruned_at timestamptz)
            """,
            "CREATE INDEX message_log_time ON message_log (received_at DESC, id DESC)",
            "CREATE INDEX message_log_department ON message_log (department, received_at DESC, id DESC)",
            "CREATE INDEX message_log_refused_time ON message_log (received_at DESC, id DESC) WHERE status IN ('rejected', 'refused')",
            """
            CREATE INDEX message_log_refused_department ON message_log (department, received_at DESC, id DESC)
            WHERE status IN ('rejected', 'refused')
            """,
            "CREATE INDEX message_log_error_codes ON message_log USING gin (error_codes)",
            "CREATE INDEX message_log_item_codes ON message_log USING gin (item_codes)",
            "CREATE INDEX message_log_batch_id ON message_log (batch_id text_pattern_ops)",
            "CREATE INDEX message_log_unpruned ON message_log (received_at) WHERE pruned_at IS NULL",
        ]
    )
}
