import Foundation
import HubModel
import HubStore
import Logging

/// The one ops sign-in sequence, for the console, the ops API and the command line: cap the username,
/// reserve an attempt in the shared throttle (per username and per client address, in PostgreSQL), check
/// the password, then give the reservation back on success or log and ledger the failure (and the lockout
/// it may cause). A refused attempt is logged, not ledgered: a flood must not grow the ledger.
public struct SignIn: Sendable {
    public let users: OpsUserStore
    public let throttle: SignInThrottle
    public let logger: Logger

    /// Longest username looked at, in bytes: anything longer is refused before it reaches the database.
    public static let maxUsernameBytes = 64

    /// Where the attempt came from (recorded with it).
    public enum Channel: String, Sendable {
        case console, api, cli

        /// The ledger's name for a sign-in through this door.
        var signInAction: OpsAction {
            switch self {
            case .console: .consoleSignIn
            case .api: .apiSignIn
            case .cli: .cliSignIn
            }
        }
    }

    public enum Outcome: Sendable {
        case signedIn(OpsUser)
        case wrongCredentials
        /// Too many failures for the username or the address: try again after this many seconds.
        case throttled(retryAfter: Int)
    }

    public init(users: OpsUserStore, throttle: SignInThrottle, logger: Logger) {
        self.users = users
        self.throttle = throttle
        self.logger = logger
    }

    /// A new session of the console or the ops API: the ops token the console keeps in its cookie and the API
    /// hands out as a bearer token.
    public struct Session: Sendable {
        public var user: OpsUser
        public var token: String
        public var expiresAt: Date
    }

    /// The sign-in of the console and the ops API: `attempt`, then a session token. A refusal is thrown as the
    /// answer both give (401 `bad_credentials`, 429 `too_many_attempts` with `Retry-After`, 400
    /// `username_too_long`); the console shows it as its sign-in page does.
    public func session(username: String, password: String, address: String, channel: Channel) async throws -> Session {
        switch try await attempt(username: username, password: password, address: address, channel: channel) {
        case .signedIn(let user):
            let (token, expiresAt) = try await users.issueToken(for: user)
            return Session(user: user, token: token, expiresAt: expiresAt)
        case .wrongCredentials:
            throw Self.badCredentials
        case .throttled(let wait):
            var error = HubHTTPError(
                .tooManyRequests,
                code: "too_many_attempts",
                zh: "登录失败次数过多，请 \(wait) 秒后再试",
                en: "too many failed sign-ins: try again in \(wait) s"
            )
            error.retryAfterSeconds = wait
            throw error
        }
    }

    public static let badCredentials = HubHTTPError(.unauthorized, code: "bad_credentials", zh: "用户名或密码错误", en: "wrong username or password")

    /// The refusal of an over-long username (the caller shows it in its own way).
    public static let usernameTooLong = HubHTTPError(
        .badRequest,
        code: "username_too_long",
        zh: "用户名过长（最多 \(maxUsernameBytes) 字节）",
        en: "the username is longer than \(maxUsernameBytes) bytes",
        path: "username"
    )

    public func attempt(username: String, password: String, address: String, channel: Channel) async throws -> Outcome {
        guard username.utf8.count <= Self.maxUsernameBytes else { throw Self.usernameTooLong }
        let metadata: Logger.Metadata = ["username": .string(username), "address": .string(address), "channel": .string(channel.rawValue)]
        let reservation = try await throttle.reserve(username: username, address: address)
        guard reservation.allowed else {
            logger.warning("ops sign-in refused: too many failures", metadata: metadata.merging(["retry_after": "\(reservation.retryAfter)"]) { $1 })
            return .throttled(retryAfter: reservation.retryAfter)
        }
        guard let user = try await users.authenticate(username: username, password: password) else {
            logger.warning("ops sign-in failed", metadata: metadata.merging(["attempts": "\(reservation.userAttempts)"]) { $1 })
            try await users.recordSignInEvent(
                .failed,
                username: username,
                address: address,
                channel: channel.rawValue,
                attempts: reservation.userAttempts
            )
            if reservation.userAttempts == throttle.userLimit || reservation.addressAttempts == throttle.addressLimit {
                logger.warning("ops sign-in locked", metadata: metadata)
                try await users.recordSignInEvent(
                    .locked,
                    username: username,
                    address: address,
                    channel: channel.rawValue,
                    attempts: max(reservation.userAttempts, reservation.addressAttempts)
                )
            }
            return .wrongCredentials
        }
        try await throttle.succeeded(username: username, address: address)
        try await users.recordAction(channel.signInAction, by: user.username, details: [("address", .string(address))])
        logger.info("ops sign-in", metadata: metadata)
        return .signedIn(user)
    }
}
