extension Migrations {
    /// The implementing agencies (实施主体) each department may file records for. A record naming another
    /// agency is refused at the door (`agency_not_of_department`). A department registered before this
    /// migration keeps the agencies its accepted records already named (source `migration`), so an upgrade does
    /// not stop a working system; ops review them with `hub departments show CODE`.
    static let agencies = Migration(
        version: 8,
        name: "department_agencies",
        sql: [
            """
            CREATE TABLE department_agencies (
                department_id bigint NOT NULL REFERENCES departments(id),
                agency_code text NOT NULL CHECK (agency_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
                agency_name text,
                source text NOT NULL CHECK (source IN ('profile', 'cli', 'migration')),
                added_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (department_id, agency_code))
            """,
            """
            INSERT INTO department_agencies (department_id, agency_code, source)
            SELECT DISTINCT department_id, (body::jsonb) #>> '{agency,code}', 'migration' FROM records
            WHERE status = 'accepted' AND ((body::jsonb) #>> '{agency,code}') ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'
            ON CONFLICT DO NOTHING
            """,
        ]
    )
}
