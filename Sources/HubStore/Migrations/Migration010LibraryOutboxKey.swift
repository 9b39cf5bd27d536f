extension Migrations {
    /// The outbox looked up by key: `OutboxStore.enqueue` numbers each queued row after the highest version queued
    /// for its `local_id`, and without this index that lookup read the whole outbox once per row — a 12,000-row
    /// library import took minutes. `outbox_order` does not serve it: it covers pending and dead rows only.
    static let libraryOutboxKey = Migration(
        version: 10,
        name: "outbox_key",
        sql: ["CREATE INDEX outbox_key ON outbox (department_id, local_id, version)"]
    )
}
