import Foundation
import HubClient
import HubModel
import Testing

/// The request signature the department API checks, computed by the same code on the client and the server.
@Suite("Request signing")
struct RequestSignerTests {
    @Test("signature version 2 matches the worked example of docs/API.md and openapi.yaml; Host as clients send it")
    func signerExample() {
        let secret = "9f2c4e7a1b3d5f608192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
        let body = Array(#"{"batchId":"B-1","records":[]}"#.utf8)
        func sign(_ contentType: String) -> String {
            RequestSigner.signatureV2(
                secret: secret,
                method: "POST",
                host: "hub.example.gov.cn:8443",
                pathWithQuery: "/api/v1/records",
                contentType: contentType,
                timestamp: "1795660200",
                nonce: "3f9a6c2e8b1d4f7a",
                body: body
            )
        }
        #expect(sign("application/json; charset=utf-8") == "1cbadb230c0e68c5a8f06111183686482dcdc47bd6700ae2559d5511d36a9427")
        #expect(sign("application/json; charset=gbk") == "dd735c3086fcefebac5cae604f13700f9729bbe58460be4c131a00438cbc740b")
        #expect(RequestSigner.host(of: URL(string: "https://Hub.Example.gov.cn/api")!) == "hub.example.gov.cn")
        #expect(RequestSigner.host(of: URL(string: "https://hub.example.gov.cn:443/api")!) == "hub.example.gov.cn")
        #expect(RequestSigner.host(of: URL(string: "http://127.0.0.1:8080/api")!) == "127.0.0.1:8080")
        #expect(RequestSigner.host(of: URL(string: "https://hub:8443")!) == "hub:8443")
    }

    @Test("version 1 signs method, path, time, nonce and the body's hash; the headers carry what the server needs")
    func version1() {
        let body = Array("{}".utf8)
        let now = Date(timeIntervalSince1970: 1_795_660_200)
        let headers = Dictionary(
            uniqueKeysWithValues: RequestSigner.headers(
                keyId: "K1",
                secret: "s",
                method: "POST",
                pathWithQuery: "/api/v1/records",
                body: body,
                now: now,
                nonce: "n1"
            )
        )
        #expect(headers["X-Hub-Key"] == "K1" && headers["X-Hub-Timestamp"] == "1795660200" && headers["X-Hub-Nonce"] == "n1")
        #expect(
            headers["X-Hub-Signature"]
                == RequestSigner.signature(
                    secret: "s",
                    method: "POST",
                    pathWithQuery: "/api/v1/records",
                    timestamp: "1795660200",
                    nonce: "n1",
                    body: body
                )
        )
        #expect(headers["X-Hub-Signature-Version"] == nil)
        // Another body, path or secret is another signature.
        #expect(
            headers["X-Hub-Signature"]
                != RequestSigner.signature(
                    secret: "s",
                    method: "POST",
                    pathWithQuery: "/api/v1/records",
                    timestamp: "1795660200",
                    nonce: "n1",
                    body: Array("[]".utf8)
                )
        )
        #expect(
            headers["X-Hub-Signature"]
                != RequestSigner.signature(
                    secret: "t",
                    method: "POST",
                    pathWithQuery: "/api/v1/records",
                    timestamp: "1795660200",
                    nonce: "n1",
                    body: body
                )
        )
    }

    @Test("version 2's string to sign: host lower-cased, content type trimmed, body hashed")
    func stringToSign() {
        let text = RequestSigner.stringToSignV2(
            method: "POST",
            host: "Hub.Example:8443",
            pathWithQuery: "/a?b=1",
            contentType: " application/json ",
            timestamp: "1",
            nonce: "n",
            bodyHash: "h"
        )
        #expect(text == "v2\nPOST\nhub.example:8443\n/a?b=1\napplication/json\n1\nn\nh")
    }
}
