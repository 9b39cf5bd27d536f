import Crypto
import Foundation
import HubStore

#if canImport(Glibc)
import Glibc
#endif

/// The master key that seals department secrets at rest: `HUB_MASTER_KEY` (64 hex digits or base64 of 32
/// bytes) when set, else the key file `HUB_MASTER_KEY_FILE`, else `HUB_STATE_DIR/master.key`, made once
/// (mode 600) like the checkpoint key. Keep it apart from database backups: a dump alone opens no secret.
enum MasterKey {
    enum Problem: Error, CustomStringConvertible {
        case invalid
        case badFile(String)
        var description: String {
            switch self {
            case .invalid: "HUB_MASTER_KEY must be 32 bytes: 64 hex digits or 44 base64 characters"
            case .badFile(let path):
                "\(path) is not a 32-byte master key (raw, hex or base64): restore it from backup, or the department secrets stay sealed"
            }
        }
    }

    static func load(_ configuration: HubConfiguration) throws -> SecretVault {
        if let text = configuration.masterKey {
            guard let bytes = SecretVault.parseKey(Array(text.utf8)) else { throw Problem.invalid }
            return try SecretVault(key: bytes)
        }
        let file = configuration.masterKeyFile ?? configuration.stateDirectory.appendingPathComponent("master.key")
        if FileManager.default.fileExists(atPath: file.path) {
            return try read(file)
        }
        // Never made silently when a file was named: a missing named file is a mistake, not a first start.
        guard configuration.masterKeyFile == nil else { throw Problem.badFile(file.path) }
        let key = Array(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        try FileManager.default.createDirectory(at: configuration.stateDirectory, withIntermediateDirectories: true)
        // Created exclusively and readable by the owner only from the first byte: when two processes start
        // at once, the second reads the first one's key instead of overwriting it.
        let fd = open(file.path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if fd < 0 {
            guard errno == EEXIST else { throw CocoaError(.fileWriteUnknown) }
            for _ in 0..<50 {
                if let data = try? Data(contentsOf: file), data.count == 32 { return try SecretVault(key: Array(data)) }
                usleep(20_000)
            }
            throw Problem.badFile(file.path)
        }
        defer { close(fd) }
        guard key.withUnsafeBytes({ write(fd, $0.baseAddress, 32) }) == 32 else { throw CocoaError(.fileWriteUnknown) }
        return try SecretVault(key: key)
    }

    /// A key file as `hub departments reencrypt --old-key-file` reads it: raw 32 bytes, hex or base64.
    static func read(_ file: URL) throws -> SecretVault {
        guard let data = try? Data(contentsOf: file), let bytes = SecretVault.parseKey(Array(data)) else { throw Problem.badFile(file.path) }
        return try SecretVault(key: bytes)
    }
}

extension HubContext {
    /// Opens a master key file (the old key of a re-encryption).
    public static func vault(keyFile path: String) throws -> SecretVault {
        try MasterKey.read(URL(fileURLWithPath: path))
    }
}
