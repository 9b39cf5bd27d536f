extension Migrations {
    /// The ledger in monthly partitions (docs/ARCHITECTURE.md "The ledger in monthly partitions").
    ///
    /// Partition key: `recorded_us`, by calendar month in China Standard Time (+08:00, no daylight saving), so
    /// months can be created ahead without knowing their first sequence number. PostgreSQL wants every unique
    /// key of a partitioned table to hold the key, so `seq` is unique as `(seq, recorded_us)` per partition and
    /// globally by `ledger_head`: a one-row table that a statement trigger advances for every insert — the new
    /// entries must continue the head's `seq` without gap and not be recorded before it. Recorded time never
    /// goes back (the writer takes the later of now and the head's time), so a month is one run of `seq`.
    ///
    /// The conversion does not copy rows and holds the exclusive lock only for catalog changes: the existing
    /// table gets a unique index `(seq, recorded_us)` built CONCURRENTLY and a CHECK bounding its times,
    /// validated without blocking writers; then, in one short transaction, it is renamed `ledger_legacy` and
    /// attached as the partition of everything before the month after next (ATTACH trusts the validated CHECK
    /// and adopts the indexes instead of scanning and building). `ledger_default` takes entries of a month
    /// nobody created ahead, so a write never fails for want of a partition.
    ///
    /// `outbox.ledger_seq REFERENCES ledger(seq)` cannot stay (a foreign key must name a unique key of the
    /// partitioned table): it becomes `(ledger_seq, ledger_recorded_us) REFERENCES ledger (seq, recorded_us)`,
    /// the new column filled by a trigger for any writer that leaves it out, old rows backfilled in batches,
    /// the key added NOT VALID and validated without blocking writers.
    static let ledgerPartitions = Migration(
        version: 24,
        name: "ledger_partitions",
        steps: [
            // Partition bounds: the first microsecond of a month in +08:00.
            .sql(
                """
                CREATE OR REPLACE FUNCTION ledger_month_start(us bigint, months int DEFAULT 0) RETURNS bigint
                LANGUAGE sql IMMUTABLE AS $$
                    SELECT (extract(epoch FROM (date_trunc('month', to_timestamp((us + 28800000000) / 1000000.0) AT TIME ZONE 'UTC')
                            + make_interval(months => months)) AT TIME ZONE 'UTC') * 1000000)::bigint - 28800000000
                $$
                """
            ),
            // The pre-24 table: the unique key the partitioned table needs, built without blocking writes.
            .outside(
                "DROP INDEX CONCURRENTLY IF EXISTS ledger_seq_recorded_legacy",
                onlyIf: """
                    SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('ledger_seq_recorded_legacy') AND NOT indisvalid)
                    """
            ),
            .outside(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ledger_seq_recorded_legacy ON ledger (seq, recorded_us)",
                onlyIf: "SELECT relkind = 'r' FROM pg_class WHERE oid = to_regclass('ledger')"
            ),
            // Its time bound: the start of the month after the one 2 days from now (a write made during the
            // migration stays below it). NOT VALID now (a moment's lock), validated in the next step.
            .sql(
                """
                DO $$
                BEGIN
                    IF (SELECT relkind = 'r' FROM pg_class WHERE oid = to_regclass('ledger'))
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'ledger_legacy_bound') THEN
                        EXECUTE format('ALTER TABLE ledger ADD CONSTRAINT ledger_legacy_bound CHECK (recorded_us < %s) NOT VALID',
                            ledger_month_start((extract(epoch FROM now() + interval '2 days') * 1000000)::bigint, 1));
                    END IF;
                END $$
                """
            ),
            .outside(
                "ALTER TABLE ledger VALIDATE CONSTRAINT ledger_legacy_bound",
                onlyIf: "SELECT relkind = 'r' FROM pg_class WHERE oid = to_regclass('ledger')"
            ),
            // The swap: catalog changes only.
            .sql("SET LOCAL lock_timeout = '30s'"),
            .sql("ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_ledger_seq_fkey"),
            .sql("ALTER TABLE ledger RENAME TO ledger_legacy"),
            .sql("ALTER INDEX ledger_pkey RENAME TO ledger_legacy_pkey"),
            .sql("ALTER INDEX ledger_entry_hash_key RENAME TO ledger_legacy_entry_hash_key"),
            .sql("ALTER INDEX ledger_risk_reports RENAME TO ledger_legacy_risk_reports"),
            .sql("ALTER TABLE ledger_legacy ADD CONSTRAINT ledger_legacy_seq_recorded UNIQUE USING INDEX ledger_seq_recorded_legacy"),
            .sql(
                """
                CREATE TABLE ledger (
                    seq bigint NOT NULL CONSTRAINT ledger_seq_check CHECK (seq > 0),
                    kind text NOT NULL,
                    department text NOT NULL DEFAULT '',
                    subject text NOT NULL,
                    recorded_us bigint NOT NULL,
                    payload text NOT NULL,
                    prev_hash bytea NOT NULL,
                    entry_hash bytea NOT NULL,
                    CONSTRAINT ledger_seq_recorded UNIQUE (seq, recorded_us))
                PARTITION BY RANGE (recorded_us)
                """
            ),
            .sql("CREATE INDEX ledger_risk_reports ON ledger (subject, seq) WHERE kind = 'risk_report'"),
            // Row triggers on a partitioned table are cloned onto every partition, now and later.
            .sql("CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"),
            .sql("CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"),
            .sql(
                """
                DO $$
                DECLARE bound text := substring(
                    (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ledger_legacy_bound') FROM '([0-9]+)');
                BEGIN
                    EXECUTE format('ALTER TABLE ledger ATTACH PARTITION ledger_legacy FOR VALUES FROM (MINVALUE) TO (%s)', bound);
                END $$
                """
            ),
            .sql("CREATE TABLE ledger_default PARTITION OF ledger DEFAULT"),
            // The head: the last seq and its recorded time, advanced by every insert (a SECURITY DEFINER trigger:
            // the hub's role may not write it).
            .sql(
                """
                CREATE TABLE ledger_head (
                    one boolean PRIMARY KEY DEFAULT true CHECK (one),
                    seq bigint NOT NULL,
                    recorded_us bigint NOT NULL)
                """
            ),
            .sql(
                """
                INSERT INTO ledger_head (seq, recorded_us)
                SELECT coalesce((SELECT seq FROM ledger_legacy ORDER BY seq DESC LIMIT 1), 0),
                       coalesce((SELECT recorded_us FROM ledger_legacy ORDER BY seq DESC LIMIT 1), 0)
                """
            ),
            .sql(
                """
                CREATE FUNCTION ledger_advance_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE lo bigint; hi bigint; first_us bigint; last_us bigint; bad bigint;
                BEGIN
                    -- One sorted pass over the statement's rows (a transition table has no index: no self-join).
                    SELECT seq INTO bad FROM (
                        SELECT seq, recorded_us, lag(seq) OVER w AS prev_seq, lag(recorded_us) OVER w AS prev_us
                        FROM new_rows WINDOW w AS (ORDER BY seq)) x
                    WHERE seq <> prev_seq + 1 OR recorded_us < prev_us LIMIT 1;
                    IF bad IS NOT NULL THEN
                        RAISE EXCEPTION 'ledger: entry % does not follow entry % (sequence or recorded time)', bad, bad - 1
                            USING ERRCODE = 'unique_violation';
                    END IF;
                    SELECT min(seq), max(seq) INTO lo, hi FROM new_rows;
                    IF lo IS NULL THEN RETURN NULL; END IF;
                    SELECT recorded_us INTO first_us FROM new_rows WHERE seq = lo;
                    SELECT recorded_us INTO last_us FROM new_rows WHERE seq = hi;
                    UPDATE ledger_head SET seq = hi, recorded_us = last_us WHERE seq = lo - 1 AND recorded_us <= first_us;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'ledger: entry % does not follow the head (%)', lo, (SELECT seq FROM ledger_head)
                            USING ERRCODE = 'unique_violation';
                    END IF;
                    RETURN NULL;
                END $$
                """
            ),
            .sql(
                """
                CREATE TRIGGER ledger_follows_head AFTER INSERT ON ledger REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION ledger_advance_head()
                """
            ),
            // Statement triggers are not inherited: every partition gets its own (an insert straight into a
            // partition fires the partition's, not the parent's).
            .sql(
                """
                CREATE FUNCTION ledger_guard_partition(part regclass) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'ledger_no_truncate') THEN
                        EXECUTE format('CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()', part);
                    END IF;
                    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'ledger_follows_head') THEN
                        EXECUTE format('CREATE TRIGGER ledger_follows_head AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                            'FOR EACH STATEMENT EXECUTE FUNCTION ledger_advance_head()', part);
                    END IF;
                    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', part);
                END $$
                """
            ),
            .sql("SELECT ledger_guard_partition('ledger_legacy'), ledger_guard_partition('ledger_default')"),
            // Creates the partition of the month starting at `start_us` unless it exists, overlaps the legacy
            // partition, or the default partition already holds entries of that month (they stay there; the
            // month is still read and archived by time). Two hubs racing serialize on the advisory lock; the
            // parent's lock is waited for at most 2 s (the caller retries on its next round).
            .sql(
                """
                CREATE FUNCTION ledger_add_month(start_us bigint) RETURNS text
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE
                    local timestamp := to_timestamp((start_us + 28800000000) / 1000000.0) AT TIME ZONE 'UTC';
                    next_us bigint := ledger_month_start(start_us, 1);
                    name text := 'ledger_y' || to_char(local, 'YYYY') || 'm' || to_char(local, 'MM');
                BEGIN
                    IF start_us <> ledger_month_start(start_us) THEN RAISE EXCEPTION 'not the start of a month: %', start_us; END IF;
                    PERFORM pg_advisory_xact_lock(7411003);
                    IF to_regclass(name) IS NOT NULL THEN RETURN NULL; END IF;
                    IF EXISTS (SELECT 1 FROM ledger_default WHERE recorded_us >= start_us AND recorded_us < next_us) THEN RETURN NULL; END IF;
                    PERFORM set_config('lock_timeout', '2s', true);
                    BEGIN
                        EXECUTE format('CREATE TABLE %I PARTITION OF ledger FOR VALUES FROM (%s) TO (%s)', name, start_us, next_us);
                    EXCEPTION WHEN invalid_object_definition OR check_violation THEN
                        RETURN NULL;
                    END;
                    PERFORM ledger_guard_partition(name::regclass);
                    RETURN name;
                END $$
                """
            ),
            // This month and the next `ahead` months (from now, +08:00); returns the partitions it created.
            .sql(
                """
                CREATE FUNCTION ledger_ensure_months(ahead int DEFAULT 2) RETURNS SETOF text
                LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                    SELECT made FROM generate_series(0, ahead) AS m,
                        LATERAL ledger_add_month(ledger_month_start((extract(epoch FROM now()) * 1000000)::bigint, m)) AS made
                    WHERE made IS NOT NULL
                $$
                """
            ),
            .sql("SELECT ledger_ensure_months(2)"),
            // The outbox's key to its ledger entry: (seq, recorded time), filled for writers that leave it out.
            .sql("ALTER TABLE outbox ADD COLUMN ledger_recorded_us bigint"),
            .sql(
                """
                CREATE FUNCTION outbox_ledger_time() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.ledger_recorded_us IS NULL THEN
                        SELECT recorded_us INTO NEW.ledger_recorded_us FROM ledger WHERE seq = NEW.ledger_seq ORDER BY recorded_us DESC LIMIT 1;
                    END IF;
                    RETURN NEW;
                END $$
                """
            ),
            .sql("CREATE TRIGGER outbox_ledger_time BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_ledger_time()"),
            .outside("CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_ledger_time_missing ON outbox (id) WHERE ledger_recorded_us IS NULL"),
            .batched(
                """
                WITH b AS (
                    UPDATE outbox o SET ledger_recorded_us = l.recorded_us FROM ledger l
                    WHERE o.id IN (SELECT id FROM outbox WHERE ledger_recorded_us IS NULL ORDER BY id LIMIT 5000) AND l.seq = o.ledger_seq
                    RETURNING 1)
                SELECT count(*)::int FROM b
                """
            ),
            .outside("DROP INDEX CONCURRENTLY IF EXISTS outbox_ledger_time_missing"),
            .sql(
                """
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'outbox_ledger_fkey') THEN
                        ALTER TABLE outbox ADD CONSTRAINT outbox_ledger_fkey FOREIGN KEY (ledger_seq, ledger_recorded_us)
                            REFERENCES ledger (seq, recorded_us) NOT VALID;
                        ALTER TABLE outbox ADD CONSTRAINT outbox_ledger_time_present CHECK (ledger_recorded_us IS NOT NULL) NOT VALID;
                    END IF;
                END $$
                """
            ),
            .outside("ALTER TABLE outbox VALIDATE CONSTRAINT outbox_ledger_fkey"),
            .outside("ALTER TABLE outbox VALIDATE CONSTRAINT outbox_ledger_time_present"),
        ]
    )
}
