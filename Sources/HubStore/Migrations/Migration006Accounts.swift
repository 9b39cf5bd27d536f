extension Migrations {
    /// Accounts and keys: sign-in attempts counted in the database (every instance sees them), department
    /// keys sealed with the master key and able to expire (rotation with a grace period), and ops accounts
    /// scoped to departments.
    static let accounts = Migration(
        version: 6,
        name: "accounts",
        sql: [
            // One row per username and per client address: attempts in the current window. A sign-in reserves an
            // attempt here (one upsert, so the row lock serializes concurrent attempts) before the password is checked.
            """
            CREATE TABLE sign_in_attempts (
                scope text NOT NULL CHECK (scope IN ('user', 'address')),
                key text NOT NULL,
                attempts int NOT NULL,
                window_start timestamptz NOT NULL,
                PRIMARY KEY (scope, key))
            """,
            "CREATE INDEX sign_in_attempts_window ON sign_in_attempts (window_start)",
            // Secrets are sealed (AES-GCM under the master key) by the hub on start; `secret` is cleared then.
            "ALTER TABLE department_keys ALTER COLUMN secret DROP NOT NULL",
            "ALTER TABLE department_keys ADD COLUMN secret_sealed bytea",
            "ALTER TABLE department_keys ADD CONSTRAINT department_keys_has_secret CHECK (secret IS NOT NULL OR secret_sealed IS NOT NULL)",
            // A rotated key stays valid until then; NULL: no end.
            "ALTER TABLE department_keys ADD COLUMN expires_at timestamptz",
            // Department codes whose review items the account may see and decide; empty: all departments.
            "ALTER TABLE ops_users ADD COLUMN departments text[] NOT NULL DEFAULT '{}'",
        ]
    )
}
