import Crypto
import Foundation
import HubModel

/// The department API's request signature (DESIGN.md "Contracts"), in one place for the server, the
/// `hub push` client, the tests and the benchmark.
///
/// signature = hex(HMAC-SHA256(secret, METHOD \n PATH_WITH_QUERY \n TIMESTAMP \n NONCE \n hex(SHA256(body))))
public enum RequestSigner {
    public static func signature(secret: String, method: String, pathWithQuery: String, timestamp: String, nonce: String, body: some Sequence<UInt8>) -> String {
        let bodyHash = Array(SHA256.hash(data: Array(body))).hex
        let message = "\(method)\n\(pathWithQuery)\n\(timestamp)\n\(nonce)\n\(bodyHash)"
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Array(mac).hex
    }

    /// The four authentication headers for a request signed now with a fresh nonce.
    public static func headers(keyId: String, secret: String, method: String, pathWithQuery: String, body: some Sequence<UInt8>,
                               now: Date = Date(), nonce: String = UUID().uuidString.lowercased()) -> [(String, String)] {
        let timestamp = String(Int(now.timeIntervalSince1970))
        return [
            ("X-Hub-Key", keyId),
            ("X-Hub-Timestamp", timestamp),
            ("X-Hub-Nonce", nonce),
            ("X-Hub-Signature", signature(secret: secret, method: method, pathWithQuery: pathWithQuery, timestamp: timestamp, nonce: nonce, body: body)),
        ]
    }

}
