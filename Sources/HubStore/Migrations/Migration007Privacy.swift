extension Migrations {
    /// The console's background jobs (verify, checkpoint, inclusion proof: run off the request, their progress
    /// read by any instance) and its one-time flash messages, kept on the server by session so that no message
    /// a page shows ever comes from its URL.
    static let privacy = Migration(
        version: 7,
        name: "console_jobs_flash_sync_leases",
        sql: [
            """
            CREATE TABLE console_jobs (
                id bigserial PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('verify', 'checkpoint', 'proof')),
                argument text NOT NULL DEFAULT '',
                requested_by text NOT NULL,
                state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
                stage text NOT NULL DEFAULT '',
                progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
                result text,
                error text,
                created_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz)
            """,
            // One running job per action and argument: a second request joins the running one.
            "CREATE UNIQUE INDEX console_jobs_one_running ON console_jobs (kind, argument) WHERE state = 'running'",
            "CREATE INDEX console_jobs_by_user ON console_jobs (requested_by, kind, created_at)",
            """
            CREATE TABLE console_flash (
                id bigserial PRIMARY KEY,
                session_hash bytea NOT NULL,
                code text NOT NULL,
                params text NOT NULL DEFAULT '{}',
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX console_flash_session ON console_flash (session_hash)",
            // Who runs each named pull now (`SyncCheckpoints.exclusively`): a lease renewed while the pull runs,
            // instead of an advisory lock that pinned a pooled connection for the whole pull.
            "CREATE TABLE sync_leases (name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)",
        ]
    )
}
