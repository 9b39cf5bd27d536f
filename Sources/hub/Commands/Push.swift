import ArgumentParser
import AsyncHTTPClient
import Foundation
import HubClient
import HubServer
import NIOCore
import NIOFoundationCompat

/// `hub push FILE`: signs (signature version 2: method, host, path, content type, time, nonce and body)
/// and sends a batch as a department system would, and prints the hub's answer. The secret never goes on
/// the command line, where other users of the machine could read it: it comes from `--secret-file`,
/// `HUB_SECRET`, or the demo credentials.
struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Push a batch file to a running hub, signed with a department key (default: the demo key in .hub/demo-credentials.json).",
        discussion:
            "The secret comes from --secret-file or the HUB_SECRET environment variable (never from the command line); without --key, the demo credentials are used."
    )

    @Argument(help: "A batch file (JSON).") var file: String?
    @Option(help: "Look up a record by localId instead of pushing.") var get: String?
    @Option(help: "The hub's base URL.") var url = "http://127.0.0.1:8080"
    @Option(help: "Key id (default: the demo key).") var key: String?
    @Option(help: "A file holding the key's secret (default: $HUB_SECRET, else the demo secret).") var secretFile: String?
    @Option(help: "Signature version, 1 or 2.") var signatureVersion = 2
    @Option(help: "Content-Type of the body.") var contentType = "application/json"

    func run() async throws {
        var keyId = key
        var keySecret: String?
        if let secretFile {
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw ValidationError("cannot read --secret-file \(secretFile)")
            }
            keySecret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["HUB_SECRET"], !fromEnvironment.isEmpty {
            keySecret = fromEnvironment
        }
        // A key without its secret (or a secret without its key) is a mistake, not a request for the demo key.
        if (keyId == nil) != (keySecret == nil) {
            throw ValidationError(
                keyId == nil
                    ? "a secret was given (--secret-file or HUB_SECRET) without --key"
                    : "--key \(keyId ?? "") needs its secret: --secret-file FILE or HUB_SECRET"
            )
        }
        if keyId == nil {
            // Only the state folder: a client-side push must not stop on an unrelated server setting.
            let state = ProcessInfo.processInfo.environment["HUB_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".hub"
            let file = URL(fileURLWithPath: state).appendingPathComponent("demo-credentials.json")
            guard let data = try? Data(contentsOf: file),
                let saved = try? JSONSerialization.jsonObject(with: data) as? [String: String]
            else {
                throw ValidationError("no --key with --secret-file or HUB_SECRET, and no demo credentials at \(file.path): run `hub-demo` first")
            }
            keyId = saved["keyId"]
            keySecret = saved["secret"]
        }
        let method: String
        let path: String
        let body: [UInt8]
        if let localId = get {
            method = "GET"
            path = "/api/v1/records/" + (localId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? localId)
            body = []
        } else {
            guard let file else { throw ValidationError("give a batch FILE to push, or --get LOCAL_ID") }
            method = "POST"
            path = "/api/v1/records"
            body = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        }
        var request = HTTPClientRequest(url: url + path)
        request.method = .RAW(value: method)
        let sentType = method == "POST" ? contentType : ""
        let headers: [(String, String)]
        switch signatureVersion {
        case 1:
            headers = RequestSigner.headers(keyId: keyId!, secret: keySecret!, method: method, pathWithQuery: path, body: body)
        case 2:
            guard let host = URL(string: url).flatMap(RequestSigner.host(of:)) else { throw ValidationError("--url \(url) is not a URL") }
            headers = RequestSigner.headersV2(
                keyId: keyId!,
                secret: keySecret!,
                method: method,
                host: host,
                pathWithQuery: path,
                contentType: sentType,
                body: body
            )
        default:
            throw ValidationError("--signature-version must be 1 or 2")
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method == "POST" {
            request.headers.add(name: "Content-Type", value: sentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let answer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        say("HTTP \(response.status.code)")
        if let object = try? JSONSerialization.jsonObject(with: Data(buffer: answer)),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            say(String(decoding: pretty, as: UTF8.self))
        } else {
            say(String(buffer: answer))
        }
        if response.status.code >= 400 { throw ExitCode(1) }
    }
}
