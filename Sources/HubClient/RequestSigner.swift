import Crypto
import Foundation
import HubModel

/// The department API's request signature (DESIGN.md "Contracts", docs/API.md "Signing"), in one place for
/// the server, the `hub push` client, the tests and the benchmark.
///
/// It lives in HubClient (HubModel and Crypto only) rather than in the server so that a client signs without
/// linking the server; the server's `SignatureMiddleware` depends on HubClient and verifies by computing the
/// same `signature`/`signatureV2` here. One canonical string for both sides means a change to what is signed
/// cannot reach one side only.
///
/// Version 1 (no `X-Hub-Signature-Version` header):
///
///     hex(HMAC-SHA256(secret, METHOD \n PATH_WITH_QUERY \n TIMESTAMP \n NONCE \n hex(SHA256(body))))
///
/// Version 2 (`X-Hub-Signature-Version: 2`) also binds the host the request was sent to and its declared
/// content type, so a signed body cannot be re-labelled (JSON read as XML, another charset) or replayed at
/// another hub that knows the same key:
///
///     hex(HMAC-SHA256(secret, "v2" \n METHOD \n HOST \n PATH_WITH_QUERY \n CONTENT_TYPE \n TIMESTAMP \n NONCE \n hex(SHA256(body))))
///
/// HOST is the `Host` header as sent, lower-cased (with `:port` exactly when the client sends it, i.e. when
/// the URL names a non-default port); CONTENT_TYPE is the `Content-Type` header as sent, parameters such as
/// `charset` included, without surrounding whitespace, and empty when the request has none.
package enum RequestSigner {
    package enum Version: Int, Sendable, CaseIterable, Comparable {
        case v1 = 1
        case v2 = 2
        package static let latest = Version.v2
        package static func < (a: Version, b: Version) -> Bool { a.rawValue < b.rawValue }
    }

    /// Version 1.
    package static func signature(
        secret: String,
        method: String,
        pathWithQuery: String,
        timestamp: String,
        nonce: String,
        body: some Sequence<UInt8>
    ) -> String {
        mac(secret: secret, "\(method)\n\(pathWithQuery)\n\(timestamp)\n\(nonce)\n\(bodyHash(body))")
    }

    /// Version 2.
    package static func signatureV2(
        secret: String,
        method: String,
        host: String,
        pathWithQuery: String,
        contentType: String,
        timestamp: String,
        nonce: String,
        body: some Sequence<UInt8>
    ) -> String {
        mac(
            secret: secret,
            stringToSignV2(
                method: method,
                host: host,
                pathWithQuery: pathWithQuery,
                contentType: contentType,
                timestamp: timestamp,
                nonce: nonce,
                bodyHash: bodyHash(body)
            )
        )
    }

    /// The exact text version 2 signs (exposed for the documentation's worked example and for debugging clients).
    package static func stringToSignV2(
        method: String,
        host: String,
        pathWithQuery: String,
        contentType: String,
        timestamp: String,
        nonce: String,
        bodyHash: String
    ) -> String {
        "v2\n\(method)\n\(host.lowercased())\n\(pathWithQuery)\n\(contentType.trimmingCharacters(in: .whitespaces))\n\(timestamp)\n\(nonce)\n\(bodyHash)"
    }

    /// The four version 1 authentication headers for a request signed now with a fresh nonce.
    package static func headers(
        keyId: String,
        secret: String,
        method: String,
        pathWithQuery: String,
        body: some Sequence<UInt8>,
        now: Date = Date(),
        nonce: String = UUID().uuidString.lowercased()
    ) -> [(String, String)] {
        let timestamp = String(Int(now.timeIntervalSince1970))
        return [
            ("X-Hub-Key", keyId),
            ("X-Hub-Timestamp", timestamp),
            ("X-Hub-Nonce", nonce),
            (
                "X-Hub-Signature",
                signature(secret: secret, method: method, pathWithQuery: pathWithQuery, timestamp: timestamp, nonce: nonce, body: body)
            ),
        ]
    }

    /// The five version 2 authentication headers (the four of version 1 and `X-Hub-Signature-Version: 2`).
    /// `contentType` must be the `Content-Type` the request is sent with ("" when it has none).
    package static func headersV2(
        keyId: String,
        secret: String,
        method: String,
        host: String,
        pathWithQuery: String,
        contentType: String,
        body: some Sequence<UInt8>,
        now: Date = Date(),
        nonce: String = UUID().uuidString.lowercased()
    ) -> [(String, String)] {
        let timestamp = String(Int(now.timeIntervalSince1970))
        return [
            ("X-Hub-Key", keyId),
            ("X-Hub-Timestamp", timestamp),
            ("X-Hub-Nonce", nonce),
            ("X-Hub-Signature-Version", "2"),
            (
                "X-Hub-Signature",
                signatureV2(
                    secret: secret,
                    method: method,
                    host: host,
                    pathWithQuery: pathWithQuery,
                    contentType: contentType,
                    timestamp: timestamp,
                    nonce: nonce,
                    body: body
                )
            ),
        ]
    }

    /// The `Host` header an HTTP client sends for `url`: the host, and `:port` only when the URL names a port
    /// other than its scheme's default (as curl, AsyncHTTPClient and Python's http.client do).
    package static func host(of url: URL) -> String? {
        guard let host = url.host?.lowercased() else { return nil }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port = url.port else { return bracketed }
        let defaultPort = url.scheme?.lowercased() == "https" ? 443 : 80
        return port == defaultPort ? bracketed : "\(bracketed):\(port)"
    }

    static func bodyHash(_ body: some Sequence<UInt8>) -> String { Array(SHA256.hash(data: Array(body))).hex }

    static func mac(secret: String, _ message: String) -> String {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8)))).hex
    }
}
