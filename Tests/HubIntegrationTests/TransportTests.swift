import AsyncHTTPClient
import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Transport and signatures: HTTPS served by the hub itself, signature version 2 (host and content type
/// signed), the minimum version, `Secure` cookies and the trusted proxies that may vouch for HTTPS.
@Suite("Transport")
struct TransportTests {
    @Test("the client address and HTTPS come from the socket, and from forwarding headers only when a trusted proxy sent them")
    func origin() throws {
        let trusted = try TrustedProxies("10.0.0.5, 10.0.0.6")
        let direct = RequestOrigin.resolve(
            peer: "203.0.113.9",
            tls: false,
            forwardedFor: ["198.51.100.1"],
            forwardedProto: ["https"],
            trusted: trusted
        )
        #expect(direct == RequestOrigin(clientAddress: "203.0.113.9", isSecure: false), "an untrusted peer cannot claim an address or HTTPS")
        let proxied = RequestOrigin.resolve(
            peer: "::ffff:10.0.0.5",
            tls: false,
            forwardedFor: ["1.2.3.4, 198.51.100.1", "10.0.0.6"],
            forwardedProto: ["https"],
            trusted: trusted
        )
        #expect(
            proxied == RequestOrigin(clientAddress: "198.51.100.1", isSecure: true),
            "the nearest untrusted hop is the client; what the client itself prepended (1.2.3.4) is not believed"
        )
        let plain = RequestOrigin.resolve(peer: "10.0.0.5", tls: false, forwardedFor: [], forwardedProto: ["http"], trusted: trusted)
        #expect(plain == RequestOrigin(clientAddress: "10.0.0.5", isSecure: false))
        #expect(RequestOrigin.resolve(peer: "203.0.113.9", tls: true, forwardedFor: [], forwardedProto: [], trusted: trusted).isSecure)
    }

    @Test("HUB_TRUSTED_PROXIES takes CIDR ranges (an ingress controller's pods) and refuses what is not an address")
    func ranges() throws {
        let trusted = try TrustedProxies("10.244.0.0/16, fd00::/8, 192.0.2.7, 0:0:0:0:0:0:0:1")
        for peer in ["10.244.0.1", "10.244.255.254", "::ffff:10.244.3.4", "fd12:3456::1", "192.0.2.7", "::1"] {
            #expect(trusted.contains(peer), "\(peer) is inside a listed range")
        }
        for peer in ["10.245.0.1", "10.0.0.1", "fe80::1", "192.0.2.8", "not-an-address"] {
            #expect(!trusted.contains(peer), "\(peer) is outside every listed range")
        }
        let proxied = RequestOrigin.resolve(
            peer: "10.244.7.9",
            tls: false,
            forwardedFor: ["198.51.100.1, 10.244.2.2"],
            forwardedProto: ["https"],
            trusted: trusted
        )
        #expect(proxied == RequestOrigin(clientAddress: "198.51.100.1", isSecure: true), "hops inside the range are proxies, skipped")
        #expect(try TrustedProxies("0.0.0.0/0").contains("203.0.113.9"))
        #expect(try TrustedProxies("10.1.2.3/8").contains("10.200.0.1"), "host bits of the network are ignored")
        for bad in ["proxy.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0/8"] {
            #expect(throws: ConfigurationError.self, "\(bad) is refused") { try TrustedProxies(bad) }
        }
        #expect(throws: ConfigurationError.self) { try TransportSettings(environment: ["HUB_TRUSTED_PROXIES": "10.0.0.0/40"]) }
        #expect(
            try TransportSettings(environment: ["HUB_TRUSTED_PROXIES": "10.244.0.0/16,127.0.0.1"]).summary.contains {
                $0 == ("trustedProxies", "127.0.0.1,10.244.0.0/16")
            }
        )
    }

    @Test(
        "over real HTTPS: v2 accepted, a v2 signature over another content type or host refused, v1 refused under minimum version 2, cookies Secure"
    )
    func https() async throws {
        let (certificate, key) = try makeSelfSignedCertificate()
        let t = try await TestHub.make(environment: ["HUB_TLS_CERT": certificate, "HUB_TLS_KEY": key, "HUB_SIGNATURE_MIN_VERSION": "2"])
        let item = t.inspectionItem
        let fresh = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
        #expect(fresh.tls != nil)
        try await buildApplication(fresh, host: "127.0.0.1", port: 0).test(.ahc(.https)) { client in
            let host = "localhost:\(client.port!)"
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            func body(_ id: String) -> String {
                SampleRecords.batch([
                    SampleRecords.inspection(localId: id, catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
                ])
            }

            let good = try await client.signedV2(.post, "/api/v1/records", body: body("TLS-1"), as: t.scjg, host: host)
            #expect(good.status == .ok)
            #expect(good.json["results"]?[0]["status"]?.string == "accepted")

            let relabelled = try await client.signedV2(
                .post,
                "/api/v1/records",
                body: body("TLS-2"),
                as: t.scjg,
                host: host,
                contentType: "application/json; charset=gbk",
                signedContentType: "application/json"
            )
            #expect(relabelled.status == .unauthorized)
            #expect(relabelled.json["errors"]?[0]["code"]?.string == "bad_signature")

            let elsewhere = try await client.signedV2(.post, "/api/v1/records", body: body("TLS-3"), as: t.scjg, host: "other-hub.example:8443")
            #expect(elsewhere.json["errors"]?[0]["code"]?.string == "bad_signature")

            let v1 = try await client.signed(.post, "/api/v1/records", body: body("TLS-4"), as: t.scjg)
            #expect(v1.status == .unauthorized)
            #expect(v1.json["errors"]?[0]["code"]?.string == "signature_version_too_old")
            #expect(v1.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)

            let unknown = try await client.signedV2(.get, "/api/v1/receipts", as: t.scjg, host: host, version: "3")
            #expect(unknown.json["errors"]?[0]["code"]?.string == "unsupported_signature_version")

            let login = try await client.execute(uri: "/console/login", method: .get)
            let cookies = login.headers[values: .setCookie]
            #expect(!cookies.isEmpty && cookies.allSatisfy { $0.hasSuffix("; Secure") }, "\(cookies)")
        }
        #expect(try await t.withDatabase { try await count($0, "SELECT count(*)::int FROM records WHERE local_id LIKE 'TLS-%'") } == 1)
    }

    @Test("over plain HTTP cookies are Secure only when a trusted proxy says the client used HTTPS")
    func proxiedCookies() async throws {
        let untrusted = try await TestHub.make()
        try await untrusted.serve { client, _ in
            let plain = try await client.execute(uri: "/console/login", method: .get)
            #expect(plain.headers[values: .setCookie].allSatisfy { !$0.contains("Secure") })
            let claimed = try await client.execute(uri: "/console/login", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(claimed.headers[values: .setCookie].allSatisfy { !$0.contains("Secure") }, "no proxy is trusted: the header is ignored")
        }
        let behindProxy = try await TestHub.make(environment: ["HUB_TRUSTED_PROXIES": "127.0.0.1,::1"])
        try await behindProxy.serve { client, _ in
            let proxied = try await client.execute(uri: "/console/login", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            let cookies = proxied.headers[values: .setCookie]
            #expect(!cookies.isEmpty && cookies.allSatisfy { $0.hasSuffix("; Secure") }, "\(cookies)")
        }
    }

    /// A throwaway self-signed certificate for localhost, made with openssl in a temporary folder.
    func makeSelfSignedCertificate() throws -> (certificate: String, key: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hub-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let certificate = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (certificate, key)
    }
}

extension TestClientProtocol {
    /// A request signed with signature version 2. `signedContentType` (default: the one sent) lets a test sign
    /// one content type and send another.
    func signedV2(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: String = "",
        as credentials: DepartmentCredentials,
        host: String,
        contentType: String = "application/json",
        signedContentType: String? = nil,
        version: String = "2"
    ) async throws -> TestResponse {
        let bytes = Array(body.utf8)
        let sent = body.isEmpty ? "" : contentType
        var headers: HTTPFields = [:]
        for (name, value) in RequestSigner.headersV2(
            keyId: credentials.keyId,
            secret: credentials.secret,
            method: method.rawValue,
            host: host,
            pathWithQuery: path,
            contentType: signedContentType ?? sent,
            body: bytes
        ) {
            headers[HTTPField.Name(name)!] = value
        }
        headers[HTTPField.Name("X-Hub-Signature-Version")!] = version
        if !body.isEmpty { headers[.contentType] = sent }
        return try await execute(uri: path, method: method, headers: headers, body: body.isEmpty ? nil : ByteBuffer(bytes: bytes))
    }
}
