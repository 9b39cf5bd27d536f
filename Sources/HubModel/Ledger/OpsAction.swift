/// What an `ops_action` ledger entry records: its subject (and the payload's `action`). One typed list, so the
/// console can name every action and a writer cannot misspell one.
///
/// Stored spellings are part of entries' hashes: never rename a raw value.
public enum OpsAction: String, Sendable, CaseIterable, Hashable {
    case consoleSignIn = "console_sign_in"
    case apiSignIn = "api_sign_in"
    case cliSignIn = "cli_sign_in"
    case consoleSignOut = "console_sign_out"
    case signInFailed = "sign_in_failed"
    case signInLocked = "sign_in_locked"
    case userDisabled = "user_disabled"
    case partyLookup = "party_lookup"
    case ledgerVerify = "ledger_verify"
    case keyRotated = "key_rotated"
    case keysRevoked = "keys_revoked"
    case outboxRequeue = "outbox.requeue"
    /// A year's working-day calendar loaded; its subject is `calendar:<year>`.
    case calendarLoaded = "calendar"
}
