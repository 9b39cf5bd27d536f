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
        abstract: "以部门密钥签名，把批次文件推送到运行中的枢纽 — push a batch file to a running hub, signed with a department key.",
        discussion: examples(
            "hub push .hub/first-record.json",
            "hub push batch.json --url http://127.0.0.1:8080 --key K123 --secret-file key.secret",
            "hub push batch.json --json",
            "hub push --get SCJG-JC-DEMO-000001",
            note: """
                打印一行汇总（已入账 · 待审核 · 重复 · 拒收），--json 打印枢纽的原始回答。密钥来自 --secret-file 或 HUB_SECRET，\
                不写在命令行上；不给 --key 时用 .hub/demo-credentials.json 的演示密钥。
                Prints a one-line summary; --json prints the hub's answer. The secret comes from --secret-file or HUB_SECRET \
                (never the command line); without --key, the demo credentials are used.
                """
        )
    )

    @Argument(help: "A batch file (JSON).") var file: String?
    @Option(help: "Look up a record by localId instead of pushing.") var get: String?
    @Option(help: "The hub's base URL.") var url = "http://127.0.0.1:8080"
    @Option(help: "Key id (default: the demo key).") var key: String?
    @Option(help: "A file holding the key's secret (default: $HUB_SECRET, else the demo secret).") var secretFile: String?
    @Option(help: "Signature version, 1 or 2.") var signatureVersion = 2
    @Option(help: "Content-Type of the body.") var contentType = "application/json"
    @Flag(help: "Print the hub's answer as JSON (打印原始回答).") var json = false

    func run() async throws {
        var keyId = key
        var keySecret: String?
        if let file, get == nil { try CommandInput.readableFile(file) }
        guard signatureVersion == 1 || signatureVersion == 2 else {
            throw CommandFailure.badInput("--signature-version 只能是 1 或 2", "--signature-version must be 1 or 2")
        }
        if let secretFile {
            try CommandInput.readableFile(secretFile, option: "--secret-file")
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw CommandFailure.badInput("无法读取 --secret-file \(secretFile)", "cannot read --secret-file \(secretFile)")
            }
            keySecret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["HUB_SECRET"], !fromEnvironment.isEmpty {
            keySecret = fromEnvironment
        }
        // A key without its secret (or a secret without its key) is a mistake, not a request for the demo key.
        if (keyId == nil) != (keySecret == nil) {
            throw
                keyId == nil
                ? CommandFailure.badInput(
                    "给了密钥（--secret-file 或 HUB_SECRET）却没有 --key",
                    "a secret was given (--secret-file or HUB_SECRET) without --key"
                )
                : CommandFailure.badInput(
                    "--key \(keyId ?? "") 需要其密钥：--secret-file FILE 或 HUB_SECRET",
                    "--key \(keyId ?? "") needs its secret: --secret-file FILE or HUB_SECRET"
                )
        }
        if keyId == nil {
            // Only the state folder: a client-side push must not stop on an unrelated server setting.
            let state = ProcessInfo.processInfo.environment["HUB_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".hub"
            let file = URL(fileURLWithPath: state).appendingPathComponent("demo-credentials.json")
            guard let data = try? Data(contentsOf: file),
                let saved = try? JSONSerialization.jsonObject(with: data) as? [String: String],
                let savedKey = saved["keyId"], let savedSecret = saved["secret"]
            else {
                throw CommandFailure.badInput(
                    "没有 --key（及 --secret-file 或 HUB_SECRET），也没有演示密钥 \(file.path)：请先运行 scripts/demo.sh",
                    "no --key with --secret-file or HUB_SECRET, and no demo credentials at \(file.path): run scripts/demo.sh first"
                )
            }
            keyId = savedKey
            keySecret = savedSecret
        }
        guard let keyId, let keySecret else { return }
        let method: String
        let path: String
        let body: [UInt8]
        if let localId = get {
            method = "GET"
            path = "/api/v1/records/" + (localId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? localId)
            body = []
        } else {
            guard let file else {
                throw CommandFailure.badInput("请给出要推送的批次文件 FILE，或用 --get LOCAL_ID 查询", "give a batch FILE to push, or --get LOCAL_ID")
            }
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
            headers = RequestSigner.headers(keyId: keyId, secret: keySecret, method: method, pathWithQuery: path, body: body)
        default:
            guard let host = URL(string: url).flatMap(RequestSigner.host(of:)) else {
                throw CommandFailure.badInput("--url \(url) 不是有效的网址", "--url \(url) is not a URL")
            }
            headers = RequestSigner.headersV2(
                keyId: keyId,
                secret: keySecret,
                method: method,
                host: host,
                pathWithQuery: path,
                contentType: sentType,
                body: body
            )
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method == "POST" {
            request.headers.add(name: "Content-Type", value: sentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        try CommandInput.hubListening(url)
        let response: HTTPClientResponse
        let answer: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            answer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch {
            throw CommandFailure.hubNotRunning(url, error)
        }
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: answer))
        // A refused request (signature, size, a malformed batch): the hub's first error as the one-line failure.
        if !json, response.status.code >= 400, let first = ((object as? [String: Any])?["errors"] as? [[String: Any]])?.first {
            let (code, path) = (first["code"] as? String ?? "", first["path"] as? String ?? "")
            let place = path.isEmpty ? "" : " \(path)"
            throw CommandFailure.failed(
                "枢纽拒绝了请求（HTTP \(response.status.code)\(place)）：\(first["messageZh"] as? String ?? code)",
                "the hub refused the request (HTTP \(response.status.code)\(place)): \(code) \(first["messageEn"] as? String ?? "")"
            )
        }
        if json || method == "GET" || response.status.code >= 400 {
            if !json { say("HTTP \(response.status.code)") }
            if let object,
                let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            {
                say(String(decoding: pretty, as: UTF8.self))
            } else {
                say(String(buffer: answer))
            }
        } else {
            say(PushSummary.line(object))
            for line in PushSummary.refusals(object) { say(line) }
        }
        if response.status.code >= 400 { throw ExitCode(1) }
    }
}
