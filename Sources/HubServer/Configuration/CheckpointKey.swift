import Crypto
import Foundation
import HubModel

/// The hub's checkpoint signing key: `HUB_CHECKPOINT_KEY` (64 hex digits) when set, else a key made once and
/// kept in `HUB_STATE_DIR/checkpoint-signing.key` (mode 600). Auditors get the public half from the console.
enum CheckpointKey {
    enum Problem: Error, CustomStringConvertible {
        case invalid
        case badFile(String)
        var description: String {
            switch self {
            case .invalid: "HUB_CHECKPOINT_KEY must be 64 hex digits (a raw Ed25519 private key)"
            case .badFile(let path): "\(path) is not a 32-byte Ed25519 key: restore it from backup (checkpoints signed with it need it)"
            }
        }
    }

    /// This hub's public key and the older ones it still trusts (`HUB_CHECKPOINT_TRUSTED_KEYS`, hex, comma-separated).
    static func trusted(own: [UInt8], configuration: HubConfiguration) -> [[UInt8]] {
        [own] + configuration.checkpointTrustedKeysHex.compactMap(decodeHex).filter { $0.count == 32 }
    }

    static func load(_ configuration: HubConfiguration) throws -> [UInt8] {
        if let hex = configuration.checkpointKeyHex {
            guard let bytes = decodeHex(hex), bytes.count == 32 else { throw Problem.invalid }
            return bytes
        }
        let file = configuration.stateDirectory.appendingPathComponent("checkpoint-signing.key")
        if FileManager.default.fileExists(atPath: file.path) {
            // Never replace a key silently: checkpoints signed with it would stop verifying.
            guard let data = try? Data(contentsOf: file), data.count == 32 else { throw Problem.badFile(file.path) }
            return Array(data)
        }
        let key = Array(Curve25519.Signing.PrivateKey().rawRepresentation)
        try FileManager.default.createDirectory(at: configuration.stateDirectory, withIntermediateDirectories: true)
        // Readable by the owner only from the first byte.
        if !FileManager.default.createFile(atPath: file.path, contents: Data(key), attributes: [.posixPermissions: 0o600]) {
            throw CocoaError(.fileWriteUnknown)
        }
        return key
    }

    static func decodeHex(_ s: String) -> [UInt8]? { [UInt8](hex: s) }
}
