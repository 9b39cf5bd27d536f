import HubModel
import Ingest
import NIOCore
import PostgresNIO

extension ReviewStore {
    /// The versions held on a review, in `localId`, version order — as a review's release reads them before its
    /// transaction, and as the coding of a local item reads them inside the catalog import's (`lock`: `FOR UPDATE`).
    static func heldQuery(department: Int64, review: Int64, lock: Bool = false) -> PostgresQuery {
        """
        SELECT local_id, version, body, operation, content_hash, batch_id,
               to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        FROM records WHERE department_id = \(department) AND review_id = \(review) AND status = 'held' ORDER BY local_id, version
        \(unescaped: lock ? "FOR UPDATE" : "")
        """
    }

    /// Decodes the rows of `heldQuery`.
    static func heldVersions(_ rows: PostgresRowSequence) async throws -> [IngestPlanner.HeldVersion] {
        var held: [IngestPlanner.HeldVersion] = []
        for try await (localId, version, body, op, hash, batchId, received) in rows.decode(
            (String, Int, String, String, ByteBuffer, String?, String).self
        ) {
            held.append(
                .init(
                    localId: localId,
                    version: version,
                    operation: op,
                    contentHash: Array(hash.readableBytesView),
                    batchId: batchId,
                    receivedAt: received,
                    record: CanonicalRecord(tree: (try? JSONParser().parse(Array(body.utf8))) ?? .null)
                )
            )
        }
        return held
    }
}
