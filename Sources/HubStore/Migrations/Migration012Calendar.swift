extension Migrations {
    /// The working-day calendar (DOMAIN.md §8): one row per year as ops loaded it from the State Council's notice
    /// (`hub calendar load`), the file's canonical text with it. In the database rather than each instance's
    /// `Mappings/` directory, so that every hub instance counts the same deadlines the moment a year is loaded.
    static let calendar = Migration(
        version: 12,
        name: "working_day_calendar",
        sql: [
            """
            CREATE TABLE calendar_years (
                year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
                notice text NOT NULL,
                source text NOT NULL,
                body text NOT NULL,
                loaded_by text NOT NULL,
                loaded_at timestamptz NOT NULL DEFAULT now(),
                ledger_seq bigint NOT NULL)
            """
        ]
    )
}
