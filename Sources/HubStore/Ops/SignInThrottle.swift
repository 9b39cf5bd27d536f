import Foundation
import Logging
import PostgresNIO

/// Counts ops sign-in attempts per username and per client address in PostgreSQL, so every hub instance
/// sees the same counts and a restart forgets nothing.
///
/// An attempt is reserved — counted as a failure — before the password is checked, in one upsert of the
/// two rows: the row locks serialize concurrent attempts for one username, so 200 parallel guesses cannot
/// all pass the check while the slow bcrypt runs; only the first `userLimit` get to try. A sign-in that
/// succeeds gives its reservation back (the username's count starts over, the address's drops by one).
public struct SignInThrottle: Sendable {
    public let db: HubDatabase
    /// Failed attempts per username inside the window before it is refused.
    public var userLimit: Int
    /// Failed attempts per client address inside the window (several usernames from one place).
    public var addressLimit: Int
    /// How long a window lasts, from its first attempt.
    public var windowSeconds: Int

    public init(db: HubDatabase, userLimit: Int = 5, addressLimit: Int = 20, windowSeconds: Int = 15 * 60) {
        self.db = db
        self.userLimit = userLimit
        self.addressLimit = addressLimit
        self.windowSeconds = windowSeconds
    }

    /// What a reservation found.
    public struct Reservation: Sendable, Equatable {
        /// Attempts of this username in its window, this one included.
        public var userAttempts: Int
        /// Attempts from this address in its window, this one included.
        public var addressAttempts: Int
        /// Seconds until the later of the two windows that refuses ends (0 when allowed).
        public var retryAfter: Int
        public var allowed: Bool { retryAfter == 0 }
    }

    /// Reserves one attempt for `username` from `address`; refused when either count is past its limit.
    public func reserve(username: String, address: String) async throws -> Reservation {
        let window = Double(windowSeconds)
        let rows = try await db.client.query(
            """
            INSERT INTO sign_in_attempts AS a (scope, key, attempts, window_start)
            VALUES ('user', \(username), 1, now()), ('address', \(address), 1, now())
            ON CONFLICT (scope, key) DO UPDATE SET
                attempts = CASE WHEN a.window_start <= now() - make_interval(secs => \(window)) THEN 1 ELSE a.attempts + 1 END,
                window_start = CASE WHEN a.window_start <= now() - make_interval(secs => \(window)) THEN now() ELSE a.window_start END
            RETURNING a.scope, a.attempts, greatest(1, ceil(extract(epoch FROM a.window_start + make_interval(secs => \(window)) - now())))::int
            """,
            logger: db.logger
        )
        var reservation = Reservation(userAttempts: 0, addressAttempts: 0, retryAfter: 0)
        for try await (scope, attempts, remaining) in rows.decode((String, Int, Int).self) {
            let limit = scope == "user" ? userLimit : addressLimit
            if scope == "user" { reservation.userAttempts = attempts } else { reservation.addressAttempts = attempts }
            if attempts > limit { reservation.retryAfter = max(reservation.retryAfter, remaining) }
        }
        // Made-up usernames leave rows behind: now and then, forget the windows that ended.
        if Int.random(in: 0..<64) == 0 { try await sweep() }
        return reservation
    }

    /// A sign-in that succeeded: the username starts over, and the address gets its attempt back.
    public func succeeded(username: String, address: String) async throws {
        try await db.client.query(
            """
            WITH u AS (DELETE FROM sign_in_attempts WHERE scope = 'user' AND key = \(username))
            UPDATE sign_in_attempts SET attempts = greatest(0, attempts - 1) WHERE scope = 'address' AND key = \(address)
            """,
            logger: db.logger
        )
    }

    /// Forgets windows that have ended.
    public func sweep() async throws {
        try await db.client.query(
            """
            DELETE FROM sign_in_attempts WHERE window_start <= now() - make_interval(secs => \(Double(windowSeconds)))
            """,
            logger: db.logger
        )
    }
}
