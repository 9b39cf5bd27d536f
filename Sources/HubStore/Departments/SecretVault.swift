import Crypto
import Foundation
import HubModel

/// Seals department secrets at rest: AES-256-GCM under the hub's master key, with the key id as associated
/// data, so a sealed secret copied onto another key's row does not open there. Stored as nonce ‖ ciphertext ‖ tag.
public struct SecretVault: Sendable {
    /// The raw key (swift-crypto's `SymmetricKey` is not `Sendable`; one is made per use).
    let keyBytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public enum Problem: Error, CustomStringConvertible {
        case wrongKeyLength(Int)
        case cannotOpen(keyId: String)
        public var description: String {
            switch self {
            case .wrongKeyLength(let n): "the master key must be 32 bytes (64 hex digits or 44 base64 characters), not \(n) bytes"
            case .cannotOpen(let keyId):
                "the master key does not open the secret of key \(keyId): it was sealed under another master key"
                    + " (restore HUB_MASTER_KEY / the key file, or run hub departments reencrypt --old-key-file OLD)"
            }
        }
    }

    public init(key bytes: [UInt8]) throws {
        guard bytes.count == 32 else { throw Problem.wrongKeyLength(bytes.count) }
        keyBytes = bytes
    }

    public func seal(_ secret: String, keyId: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(Array(secret.utf8), using: key, authenticating: Array(keyId.utf8))
        guard let combined = box.combined else { throw Problem.cannotOpen(keyId: keyId) }
        return Array(combined)
    }

    public func open(_ sealed: [UInt8], keyId: String) throws -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Array(keyId.utf8)), as: UTF8.self)
        } catch {
            throw Problem.cannotOpen(keyId: keyId)
        }
    }

    /// Reads a master key written as 64 hex digits or as base64 of 32 bytes (surrounding whitespace ignored),
    /// or — from a key file — the 32 raw bytes.
    public static func parseKey(_ data: [UInt8]) -> [UInt8]? {
        if data.count == 32 { return data }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.utf8.count == 64, let bytes = [UInt8](hex: text) { return bytes }
        if let bytes = Data(base64Encoded: text), bytes.count == 32 { return Array(bytes) }
        return nil
    }

}
