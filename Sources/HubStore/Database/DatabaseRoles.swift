/// The two database roles of the hub (DESIGN: "a ledger nobody can quietly rewrite").
///
/// - `hub_owner` owns the database, its schema and every table, and runs the migrations
///   (`HUB_MIGRATION_DATABASE_URL`). It is no superuser either.
/// - `hub_app` is what the running hub connects as (`HUB_DATABASE_URL`): it owns nothing, so it cannot
///   `ALTER TABLE … DISABLE TRIGGER`, and it is no superuser, so it cannot `SET session_replication_role`. It
///   may only SELECT and INSERT on the append-only tables, and read, write and delete rows of the others.
///
/// The embedded cluster creates both; for an external PostgreSQL the README gives the same statements.
public enum DatabaseRoles {
    public static let owner = "hub_owner"
    public static let app = "hub_app"

    /// Tables the hub may only add to. Every migration run re-applies the grants, so a table a later
    /// migration adds gets DML by default: an append-only one must be named here. `case_events`: a case's stage
    /// events are its full-process record (全过程记录); a correction is a new event, never an edit. `risk_models`: a
    /// stored model version is what warnings cite; a change is a new version. `observations`: what was seen is a
    /// fact with its ledger entry; a changed resend is refused, never written over. `clue_steps`:
    /// a clue's timeline, one row per ledger entry.
    public static let appendOnlyTables = [
        "ledger", "ledger_checkpoints", "case_events", "risk_models", "observations", "clue_steps", "catalog_claim_steps",
    ]

    /// Creates (or resets) both roles: log in, nothing more. Run by a superuser, once per cluster.
    public static func clusterStatements(ownerPassword: String, appPassword: String) -> [String] {
        [
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(owner)') THEN CREATE ROLE \(owner); END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(app)') THEN CREATE ROLE \(app); END IF;
            END $$
            """,
            "ALTER ROLE \(owner) WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '\(ownerPassword)'",
            "ALTER ROLE \(app) WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '\(appPassword)'",
        ]
    }

    /// Gives a database and everything in its `public` schema to the owner (tables first, their sequences
    /// follow; then free sequences and functions) and lets the app role connect. Run by a superuser while
    /// connected to that database; idempotent, and a no-op once everything is the owner's.
    public static func databaseStatements(database: String) -> [String] {
        [
            "ALTER DATABASE \(database) OWNER TO \(owner)",
            "ALTER SCHEMA public OWNER TO \(owner)",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "GRANT CONNECT ON DATABASE \(database) TO \(app)",
            """
            DO $$ DECLARE r record; BEGIN
              -- Views too: a view the old owner kept would make the owner's GRANT … ON ALL TABLES fail.
              FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> '\(owner)' LOOP
                EXECUTE format(CASE r.relkind WHEN 'v' THEN 'ALTER VIEW %s OWNER TO \(owner)'
                                              WHEN 'm' THEN 'ALTER MATERIALIZED VIEW %s OWNER TO \(owner)'
                                              ELSE 'ALTER TABLE %s OWNER TO \(owner)' END, r.name);
              END LOOP;
            END $$
            """,
            """
            DO $$ DECLARE r record; BEGIN
              FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> '\(owner)' LOOP
                EXECUTE format('ALTER SEQUENCE %s OWNER TO \(owner)', r.name);
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '\(owner)' LOOP
                EXECUTE format('ALTER FUNCTION %s OWNER TO \(owner)', r.name);
              END LOOP;
            END $$
            """,
        ]
    }

    /// What the app role may do, granted by the owner after every migration run: DML on every table, then
    /// UPDATE/DELETE/TRUNCATE taken back on the append-only ones; the migration record read-only; sequences.
    static func grantStatements(to role: String, existing tables: Set<String>) -> [String] {
        let quoted = "\"\(role.replacingOccurrences(of: "\"", with: "\"\""))\""
        var out = [
            "GRANT USAGE ON SCHEMA public TO \(quoted)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(quoted)",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO \(quoted)",
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM \(quoted)",
        ]
        for table in appendOnlyTables where tables.contains(table) {
            out.append("REVOKE UPDATE, DELETE, TRUNCATE ON \(table) FROM \(quoted)")
        }
        if tables.contains("schema_migration_steps") {
            out.append("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration_steps FROM \(quoted)")
        }
        // The ledger's partitions are reached through `ledger` alone (migration 24); its head only by the
        // SECURITY DEFINER trigger.
        for table in tables.sorted() where LedgerPartitions.isPartition(table) {
            out.append("REVOKE ALL ON \(table) FROM \(quoted)")
        }
        if tables.contains("ledger_head") { out.append("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger_head FROM \(quoted)") }
        return out
    }
}
