import HubStore

extension HubContext {
    /// After the migrations: seal department secrets still in clear, and refuse to go on when the master key
    /// does not open the sealed ones.
    public func prepareKeys(checkMasterKey: Bool = true) async throws {
        let sealed = try await departments.sealClearSecrets()
        if sealed > 0 { logger.notice("sealed department secrets stored in clear", metadata: ["count": "\(sealed)"]) }
        if checkMasterKey { try await departments.checkMasterKey() }
    }
}
