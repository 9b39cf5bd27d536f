extension Migrations {
    /// Observations for the risk models (issue #14, DOMAIN §6): what departments and monitoring systems saw —
    /// advertisements, online listings, complaints, licence facts — each kept as pushed (its canonical JSON in
    /// `body`) with the ledger entry recording it. An observation is a fact: a resend with the same id and body is
    /// a duplicate, with another body a conflict, so the table only grows (`DatabaseRoles.appendOnlyTables`).
    ///
    /// `licences` is the current state of every licence or filing a licence observation reported, one row per
    /// subject USCC + kind + number, kept from the latest observation (by `observed_on`): what the models ask
    /// ("a 药品经营许可证 in force for this USCC on that day?"). Revoked licences stay, flagged.
    ///
    /// The indexes serve the facts the models read: licences by USCC, and complaints against a USCC (or a name,
    /// when the subject has no USCC) in the 90 days up to a date.
    static let observations = Migration(
        version: 16,
        name: "risk_observations",
        sql: [
            """
            CREATE TABLE observations (
                id bigserial PRIMARY KEY,
                department text NOT NULL REFERENCES departments(code),
                observation_id text NOT NULL CHECK (length(observation_id) BETWEEN 1 AND 64),
                kind text NOT NULL CHECK (kind IN ('advertisement', 'listing', 'complaint', 'licence')),
                observed_on date NOT NULL,
                subject_uscc text CHECK (subject_uscc IS NULL OR length(subject_uscc) = 18),
                subject_name text NOT NULL,
                region_code text CHECK (region_code IS NULL OR region_code ~ '^[0-9]{6}$'),
                body jsonb NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                ledger_seq bigint NOT NULL,
                UNIQUE (department, observation_id))
            """,
            "CREATE INDEX observations_by_uscc ON observations (subject_uscc, kind, observed_on) WHERE subject_uscc IS NOT NULL",
            "CREATE INDEX observations_by_name ON observations (subject_name, kind, observed_on)",
            "CREATE INDEX observations_by_kind ON observations (kind, observed_on, id)",
            """
            CREATE TABLE licences (
                subject_uscc text NOT NULL CHECK (length(subject_uscc) = 18),
                kind text NOT NULL CHECK (kind IN ('drug_trading', 'medical_institution', 'device_trading', 'device_filing', 'financial')),
                number text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
                subject_name text NOT NULL,
                valid_from date NOT NULL,
                valid_until date,
                revoked boolean NOT NULL DEFAULT false,
                department text NOT NULL REFERENCES departments(code),
                observation_id text NOT NULL,
                observed_on date NOT NULL,
                ledger_seq bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (subject_uscc, kind, number))
            """,
        ]
    )
}
