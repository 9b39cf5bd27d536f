extension Migrations {
    /// 双随机一公开: the 一单两库 (check items, subjects, inspectors and their declared conflicts), plans, draws,
    /// tasks and joint-visit merge proposals; and the outbox learns to carry rows that are not records.
    ///
    /// Library rows are current state (upserted); their history is the ledger (`random_check_library`). A plan
    /// row carries its lifecycle: proposed → approved (seed made, commitment published) → drawn (seed revealed)
    /// or withdrawn. The seed stays in `rc_plans.seed` and is shown by no endpoint before the draw.
    static let randomChecks = Migration(
        version: 9,
        name: "random_checks",
        sql: [
            // Outbox rows for what is not a record version: `kind` names the provincial table (`rc_item`, …),
            // `body` holds the row to deliver. Records keep kind `record` and read their body from `records`.
            "ALTER TABLE outbox ADD COLUMN kind text NOT NULL DEFAULT 'record', ADD COLUMN body text",
            "ALTER TABLE outbox ADD CONSTRAINT outbox_body_of_kind CHECK ((kind = 'record') = (body IS NULL))",
            // 抽查事项清单 (and, with joint_departments, the joint list).
            """
            CREATE TABLE rc_items (
                department_code text NOT NULL,
                catalog_code text NOT NULL CHECK (catalog_code ~ '^[0-9]{14}$'),
                implementation_code text,
                name text NOT NULL,
                check_content text NOT NULL,
                check_method text NOT NULL,
                joint_departments text[] NOT NULL DEFAULT '{}',
                active boolean NOT NULL DEFAULT true,
                ledger_seq bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (department_code, catalog_code))
            """,
            // 检查对象名录库: one library for the city; `source_department` is who last wrote the row.
            """
            CREATE TABLE rc_subjects (
                subject_id text PRIMARY KEY,
                id_type text NOT NULL,
                name text NOT NULL,
                region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
                industry_code text NOT NULL DEFAULT '',
                subject_type text NOT NULL DEFAULT '',
                tags text[] NOT NULL DEFAULT '{}',
                credit_grade char(1) NOT NULL DEFAULT 'N' CHECK (credit_grade IN ('A', 'B', 'C', 'D', 'N')),
                credit_date date,
                credit_source text,
                risk_level text,
                active boolean NOT NULL DEFAULT true,
                source_department text NOT NULL,
                ledger_seq bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX rc_subjects_region ON rc_subjects (region_code) WHERE active",
            // 执法检查人员名录库.
            """
            CREATE TABLE rc_inspectors (
                certificate_no text PRIMARY KEY,
                department_code text NOT NULL,
                name text NOT NULL,
                region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
                specialties text[] NOT NULL DEFAULT '{}',
                status text NOT NULL CHECK (status IN ('active', 'suspended', 'left')),
                ledger_seq bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX rc_inspectors_department ON rc_inspectors (department_code)",
            // 利害关系: the inspector must withdraw from tasks on the subject. A withdrawn declaration is deleted
            // (its history is in the ledger).
            """
            CREATE TABLE rc_conflicts (
                certificate_no text NOT NULL,
                subject_id text NOT NULL,
                reason text NOT NULL,
                department_code text NOT NULL,
                ledger_seq bigint NOT NULL,
                declared_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (certificate_no, subject_id))
            """,
            // 抽查计划. `body` is the plan as proposed (Supervision.RandomCheckPlan, JSON); `draw` the published draw.
            """
            CREATE TABLE rc_plans (
                plan_id text PRIMARY KEY,
                name text NOT NULL,
                lead_department text NOT NULL,
                participants text[] NOT NULL DEFAULT '{}',
                body text NOT NULL,
                status text NOT NULL CHECK (status IN ('proposed', 'approved', 'drawn', 'withdrawn')),
                period_start date NOT NULL,
                period_end date NOT NULL,
                proposed_by text NOT NULL,
                proposed_at timestamptz NOT NULL DEFAULT now(),
                approved_by text,
                approved_at timestamptz,
                seed bytea,
                commitment text,
                drawn_at timestamptz,
                candidates_hash text,
                draw text,
                ledger_seq bigint NOT NULL)
            """,
            // 抽查任务: one per drawn subject. `seq` orders the departments' task feed (`?after=`).
            """
            CREATE TABLE rc_tasks (
                task_id text PRIMARY KEY,
                seq bigserial UNIQUE,
                plan_id text NOT NULL REFERENCES rc_plans(plan_id),
                subject_id text NOT NULL,
                credit_grade char(1) NOT NULL,
                departments text[] NOT NULL,
                drawn_on date NOT NULL,
                period_end date NOT NULL,
                status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
                merged_into bigint,
                result_at timestamptz)
            """,
            "CREATE INDEX rc_tasks_subject_year ON rc_tasks (subject_id, drawn_on)",
            "CREATE INDEX rc_tasks_departments ON rc_tasks USING gin (departments)",
            // The inspectors drawn for each task and department, and recorded substitutions (with their reason).
            """
            CREATE TABLE rc_task_inspectors (
                task_id text NOT NULL REFERENCES rc_tasks(task_id),
                department_code text NOT NULL,
                certificate_no text NOT NULL,
                substitutes_for text,
                reason text,
                PRIMARY KEY (task_id, department_code, certificate_no))
            """,
            // A task's result per department: the inspection record that reports it.
            """
            CREATE TABLE rc_task_results (
                task_id text NOT NULL REFERENCES rc_tasks(task_id),
                department_code text NOT NULL,
                local_id text NOT NULL,
                checked_on date NOT NULL,
                publish_due date,
                ledger_seq bigint NOT NULL,
                PRIMARY KEY (task_id, department_code))
            """,
            // 进一次门查多项事: proposals to visit a subject once for tasks of several departments.
            """
            CREATE TABLE rc_merge_proposals (
                id bigserial PRIMARY KEY,
                subject_id text NOT NULL,
                task_ids text[] NOT NULL,
                departments text[] NOT NULL,
                window_start date NOT NULL,
                window_end date NOT NULL,
                status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined')),
                decided_by text,
                decided_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (task_ids))
            """,
        ]
    )
}
