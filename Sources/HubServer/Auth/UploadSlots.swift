import Synchronization

/// How many uploads each key has in flight, capped (`HUB_MAX_UPLOADS_PER_KEY`): one department system
/// sending dozens of batches at once would otherwise hold the database pool and the memory of their bodies
/// while the other departments wait. Past the cap the answer is 429 `too_many_uploads` with `Retry-After`.
///
/// A slot is taken once the key is known and before the body is read, so the cap also bounds the body
/// memory one key can pin; it is given back when the request has been answered.
public final class UploadSlots: Sendable {
    public let limit: Int
    private let inFlight = Mutex<[String: Int]>([:])

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a slot for `key`; false when the key already has `limit` uploads in flight.
    public func acquire(_ key: String) -> Bool {
        inFlight.withLock { counts in
            let n = counts[key, default: 0]
            guard n < limit else { return false }
            counts[key] = n + 1
            return true
        }
    }

    public func release(_ key: String) {
        inFlight.withLock { counts in
            let n = counts[key, default: 1] - 1
            counts[key] = n > 0 ? n : nil
        }
    }

    /// Uploads in flight for `key` (for tests and metrics).
    public func count(_ key: String) -> Int { inFlight.withLock { $0[key, default: 0] } }
}
