extension Migrations {
    /// The risk models' versions (issue #14): one row per model file installed, its text and SHA-256, so that a
    /// warning's `modelVersion` can always be read back as the rules that produced it. A new row only when a
    /// file changed (with a `risk_model` ledger entry); the newest row of a model is the one in force.
    static let riskModels = Migration(
        version: 18,
        name: "risk_models",
        sql: [
            """
            CREATE TABLE risk_models (
                id bigserial PRIMARY KEY,
                model text NOT NULL CHECK (model IN ('false_medical_ad', 'illegal_fundraising', 'illegal_drug_sales',
                                                     'illegal_prescription_sales', 'illegal_device_sales')),
                version text NOT NULL CHECK (version <> ''),
                sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                body text NOT NULL,
                installed_by text NOT NULL,
                installed_at timestamptz NOT NULL DEFAULT now(),
                ledger_seq bigint NOT NULL)
            """,
            "CREATE INDEX risk_models_newest ON risk_models (model, id DESC)",
        ]
    )
}
