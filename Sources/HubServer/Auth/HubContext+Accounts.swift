import HubStore

extension HubContext {
    /// The ops sign-in throttle, with the configured limits (shared by every instance through the database).
    public var signInThrottle: SignInThrottle {
        SignInThrottle(db: db, userLimit: configuration.loginMaxFailures, addressLimit: configuration.loginMaxFailuresPerAddress,
                       windowSeconds: configuration.loginWindowMinutes * 60)
    }

    /// The one ops sign-in sequence (console, API, command line).
    public var signIn: SignIn { SignIn(users: opsUsers, throttle: signInThrottle, logger: logger) }

    /// After the migrations: seal department secrets still in clear, and refuse to go on when the master key
    /// does not open the sealed ones.
    public func prepareKeys(checkMasterKey: Bool = true) async throws {
        let sealed = try await departments.sealClearSecrets()
        if sealed > 0 { logger.notice("sealed department secrets stored in clear", metadata: ["count": "\(sealed)"]) }
        if checkMasterKey { try await departments.checkMasterKey() }
    }
}

