import HubModel
import PostgresNIO

/// The records a review holds, as its page lists them: the reviewer sees what the decision will release.
extension ReviewStore {
    /// One held version, for display (personal data is masked by the page, not here).
    public struct HeldRecord: Sendable {
        public var localId: String
        public var version: Int
        /// The record's `party` object (name, nature, id type, id number), or nil.
        public var party: JSONValue?
        /// The act's day (`ActDate`), `YYYY-MM-DD`.
        public var actDate: String?
        /// `YYYY-MM-DD HH:mm`, +08:00.
        public var receivedAt: String
    }

    /// The first `limit` versions held on the review (newest received first) and how many it holds in all.
    public func heldRecords(review id: Int64, limit: Int = 20) async throws -> (records: [HeldRecord], total: Int) {
        var total = 0
        for try await n in try await db.client.query(
            "SELECT count(*)::int FROM records WHERE review_id = \(id) AND status = 'held'",
            logger: db.logger
        ).decode(Int.self) { total = n }
        var out: [HeldRecord] = []
        for try await (localId, version, body, received) in try await db.client.query(
            """
            SELECT local_id, version, body, to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
            FROM records WHERE review_id = \(id) AND status = 'held' ORDER BY received_at DESC, local_id, version LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((String, Int, String, String).self) {
            let tree = (try? JSONParser().parse(Array(body.utf8))) ?? .null
            out.append(
                HeldRecord(localId: localId, version: version, party: tree["party"], actDate: ActDate.of(tree)?.description, receivedAt: received)
            )
        }
        return (out, total)
    }
}
