import Foundation
import HubClient
import HubServer
import HubStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `hub` executable as an operator meets it: each bad input gives one line in Chinese and English and exit
/// code 2 before anything starts (no embedded PostgreSQL, no connection), a failure at run time exit code 1,
/// no `Usage:` after a domain error, no library warnings, and every subcommand's help has a Chinese summary and
/// examples.
@Suite(
    "Command-line errors and help",
    .enabled(if: FileManager.default.isExecutableFile(atPath: hubExecutable.path), "needs the hub executable (swift build --build-tests)")
)
struct CommandLineErrorTests {
    struct Run {
        var status: Int32
        var output: String
        var seconds: Double
    }

    /// Runs `hub` with a fresh state folder and no database URL: anything that starts the embedded cluster
    /// leaves `STATE/postgres` behind, which the bad-input tests check is absent.
    static func hub(_ arguments: [String], environment extra: [String: String] = [:], state: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = hubExecutable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HUB_DATABASE_URL"] = nil
        environment["HUB_SECRET"] = nil
        environment["HUB_PORT"] = nil
        environment["HUB_MAPPINGS"] = TestCluster.projectRoot.appendingPathComponent("Mappings").path
        environment.merge(extra) { _, new in new }
        // Against the test database the state folder stays the tests' own (the master key the secrets are sealed with).
        if environment["HUB_DATABASE_URL"] == nil {
            environment["HUB_STATE_DIR"] = (state ?? FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")).path
        }
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        let (status, output) = try CommandLineFourEyesTests.run(process)
        return Run(status: status, output: output, seconds: Date().timeIntervalSince(started))
    }

    /// A bad input: exit 2, one line with the Chinese and the English words, no usage text, no cluster started.
    static func expectBadInput(_ arguments: [String], zh: String, en: String, environment: [String: String] = [:]) throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let run = try hub(arguments, environment: environment, state: state)
        let line = run.output.split(separator: "\n").first { $0.contains(zh) }.map(String.init) ?? ""
        #expect(run.status == 2, "\(arguments): \(run.output)")
        #expect(line.hasPrefix("错误：") && line.contains(en), "\(arguments): one line, Chinese then English: \(run.output)")
        #expect(line.range(of: zh)?.lowerBound ?? line.endIndex < line.range(of: en)?.lowerBound ?? line.startIndex, "Chinese first: \(line)")
        #expect(!run.output.contains("Usage:") && !run.output.contains("NSCocoaErrorDomain") && !run.output.contains("errno"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("postgres").path), "no PostgreSQL for \(arguments)")
        #expect(run.seconds < 10, "\(arguments) took \(run.seconds) s: the embedded cluster would not have started")
    }

    @Test("bad inputs: a missing file, an impossible date, a bad USCC, a bad catalog code, a bad department code — exit 2 before anything starts")
    func badInputs() throws {
        try Self.expectBadInput(["catalog", "import", "/nonexistent/catalog.csv"], zh: "文件不存在", en: "no such file: /nonexistent/catalog.csv")
        try Self.expectBadInput(["calendar", "load", "--by", "ops", "/nonexistent/2027.csv"], zh: "文件不存在", en: "no such file")
        try Self.expectBadInput(
            ["risk", "observations", "import", "/nonexistent/o.csv", "--department", "HY-SCJG"],
            zh: "文件不存在",
            en: "no such file"
        )
        try Self.expectBadInput(["ledger", "audit", "--head", "/nonexistent/head.json"], zh: "文件不存在", en: "(--head)")
        try Self.expectBadInput(["reconcile", "--date", "2026-02-30"], zh: "不是有效日期", en: "--date 2026-02-30 is not a real date")
        try Self.expectBadInput(["reconcile", "--date", "2026-13-01"], zh: "不是有效日期", en: "is not a real date")
        // The last character of a valid code changed: the check character (GB 32100) no longer holds.
        let valid = USCCSample.valid
        let broken = String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
        try Self.expectBadInput(
            ["departments", "add", "HY-NEW", "--name", "新部门", "--agency", broken],
            zh: "不是有效的统一社会信用代码",
            en: "is not a valid USCC"
        )
        try Self.expectBadInput(
            ["review", "decide", "1", "--user", "ops", "--reason", "x", "--catalog", "4301210001"],
            zh: "不是有效的事项目录编码",
            en: "is not a catalog code"
        )
        try Self.expectBadInput(["departments", "show", "hy-scjg"], zh: "不是有效的部门编码", en: "is not a department code")
        try Self.expectBadInput(["users", "add", "x1", "--name", "某", "--role", "boss"], zh: "未知角色", en: "unknown role boss")
    }

    @Test("a port in use is named with --port and HUB_PORT (exit 2), before PostgreSQL starts")
    func portInUse() throws {
        let (fd, port) = try Self.listeningSocket()
        defer { close(fd) }
        try Self.expectBadInput(["serve", "--port", String(port)], zh: "端口 \(port) 已被占用", en: "port \(port) is already in use")
        let run = try Self.hub(["serve"], environment: ["HUB_PORT": String(port)])
        #expect(run.status == 2 && run.output.contains("--port") && run.output.contains("HUB_PORT"), "\(run.output)")
    }

    @Test("the hub not running: what to run, exit 1 (not errno 111)")
    func hubNotRunning() throws {
        let (fd, port) = try Self.listeningSocket()
        close(fd)  // a port nobody listens on now
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString).json")
        try "{\"records\":[]}".write(to: batch, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: batch) }
        let run = try Self.hub(["push", batch.path, "--url", "http://127.0.0.1:\(port)", "--key", "K1"], environment: ["HUB_SECRET": "s"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("错误：枢纽未运行") && run.output.contains("the hub is not running at http://127.0.0.1:\(port)"), "\(run.output)")
        #expect(run.output.contains("scripts/demo.sh") && run.output.contains("hub serve"), "\(run.output)")
        #expect(!run.output.contains("errno") && !run.output.contains("Usage:"), "\(run.output)")
        let verify = try Self.hub(["random-checks", "verify", "P-1", "--url", "http://127.0.0.1:\(port)"])
        #expect(verify.status == 1 && verify.output.contains("枢纽未运行"), "\(verify.output)")
    }

    @Test("PostgreSQL's own message (not PSQLError's generic description), exit 1; a usage error exits 2 with its usage")
    func databaseMessageAndUsage() async throws {
        let t = try await TestHub.make()
        var parts = try #require(URLComponents(string: t.databaseURL))
        parts.path = "/no_such_database_\(UInt32.random(in: 0...999_999))"
        let run = try Self.hub(["outbox", "status"], environment: ["HUB_DATABASE_URL": try #require(parts.string), "HUB_LOG_LEVEL": "error"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("数据库拒绝") && run.output.contains("PostgreSQL refused") && run.output.contains("SQLSTATE 3D000"), "\(run.output)")
        #expect(run.output.contains("does not exist") && !run.output.contains("Generic description"), "\(run.output)")

        let usage = try Self.hub(["reconcile", "--no-such-option"])
        #expect(usage.status == 2 && usage.output.contains("Usage:"), "\(usage.output)")
        let missing = try Self.hub(["review", "show", "99999"], environment: ["HUB_DATABASE_URL": t.databaseURL, "HUB_LOG_LEVEL": "error"])
        #expect(missing.status == 1 && missing.output.contains("没有审核事项 #99999") && !missing.output.contains("Usage:"), "\(missing.output)")
    }

    @Test("a normal command: no 'run() hasn't been called' warning, logs stamped +08:00, verify says there are no checkpoints yet")
    func noLibraryWarnings() async throws {
        let t = try await TestHub.make()
        for arguments in [["outbox", "status"], ["review", "list"], ["ledger", "verify"], ["reconcile", "--date", "2026-12-01", "--quiet"]] {
            let run = try Self.hub(arguments, environment: ["HUB_DATABASE_URL": t.databaseURL, "HUB_LOG_LEVEL": "debug"])
            #expect(run.status == 0, "\(arguments): \(run.output)")
            #expect(!run.output.contains("hasn't been called"), "\(arguments): \(run.output)")
            // Every log line's timestamp is in +08:00.
            let stamps = run.output.split(separator: "\n").filter {
                $0.count > 25 && $0.dropFirst(4).hasPrefix("-") && $0.dropFirst(10).hasPrefix("T")
            }
            #expect(stamps.allSatisfy { $0.dropFirst(19).hasPrefix("+08:00") }, "\(stamps.prefix(3))")
            if arguments == ["ledger", "verify"] {
                #expect(run.output.contains("尚无签名检查点") && run.output.contains("no signed checkpoints yet"), "\(run.output)")
                #expect(!run.output.contains("0 signed checkpoints"), "\(run.output)")
            }
        }
    }

    @Test("every subcommand's --help has a Chinese summary, an English one, and 示例 Examples")
    func helpWalk() throws {
        let dump = try Self.hub(["--experimental-dump-help"])
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                paths.append(path + [name])
                walk(sub, path + [name])
            }
        }
        walk(try #require(tree["command"] as? [String: Any]), [])
        #expect(paths.count > 50, "\(paths.count) subcommands")
        let cjk = { (s: Substring) in s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        let latin = { (s: Substring) in s.unicodeScalars.filter { ("a"..."z").contains($0) }.count >= 8 }
        for path in paths {
            let help = try Self.hub(path + ["--help"])
            #expect(help.status == 0, "\(path): \(help.output)")
            // The overview paragraph (ArgumentParser wraps it): from OVERVIEW: to the first blank line.
            let overview = help.output.components(separatedBy: "\n\n").first { $0.hasPrefix("OVERVIEW:") }.map { Substring($0) } ?? ""
            #expect(cjk(overview) && latin(overview), "hub \(path.joined(separator: " ")): abstract in Chinese and English: \(overview)")
            #expect(help.output.contains("示例 Examples:"), "hub \(path.joined(separator: " ")) has no examples")
            #expect(help.output.contains("hub \(path.joined(separator: " "))") || help.output.contains("hub-demo"), "\(path): an example of itself")
        }
    }

    @Test("hub push prints a one-line summary (已入账 · 待审核 · 重复 · 拒收) and --json the raw answer")
    func pushSummary() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        let batch = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: batch) }
        try SampleRecords.batch([
            SampleRecords.inspection(localId: "CLI-A1", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode),
            SampleRecords.inspection(
                localId: "CLI-H1",
                catalogCode: nil,
                implementationCode: nil,
                agencyCode: item.agencyCode,
                localCode: "NO-SUCH-9"
            ),
            SampleRecords.inspection(
                localId: "CLI-R1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode,
                partyUSCC: "91330105MA2KER1H4X"
            ),
        ])
        .write(to: batch, atomically: true, encoding: .utf8)
        let secret = ["HUB_SECRET": t.scjg.secret, "HUB_LOG_LEVEL": "error"]
        try await t.serve { client, _ in
            let url = "http://127.0.0.1:\(client.port ?? 0)"
            let first = try await RandomCheckCommandLineTests.offPool {
                try Self.hub(["push", batch.path, "--url", url, "--key", t.scjg.keyId], environment: secret)
            }
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("已入账 1 · 待审核 1 · 重复 0 · 拒收 1"), "\(first.output)")
            #expect(first.output.contains("1 accepted, 1 held for review, 0 duplicates, 1 rejected"), "\(first.output)")
            #expect(first.output.contains("拒收 CLI-R1：") && first.output.contains("待审核 CLI-H1"), "\(first.output)")
            #expect(!first.output.contains("\"results\""), "no JSON without --json")
            let again = try await RandomCheckCommandLineTests.offPool {
                try Self.hub(["push", batch.path, "--url", url, "--key", t.scjg.keyId, "--json"], environment: secret)
            }
            #expect(again.status == 0, "\(again.output)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any], "\(again.output)")
            let summary = try #require(answer["summary"] as? [String: Int])
            #expect(summary["duplicate"] == 2 && summary["rejected"] == 1, "\(summary)")
            let refused = try await RandomCheckCommandLineTests.offPool {
                try Self.hub(["push", batch.path, "--url", url, "--key", t.scjg.keyId], environment: ["HUB_SECRET": "not-the-secret"])
            }
            #expect(refused.status == 1 && refused.output.contains("错误：枢纽拒绝了请求（HTTP 401"), "\(refused.output)")
            #expect(refused.output.contains("the hub refused the request (HTTP 401") && !refused.output.contains("Usage:"), "\(refused.output)")
        }
    }

    /// A socket listening on a free loopback port.
    static func listeningSocket() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// A valid USCC of the sample data (衡阳市市场监督管理局), to break one character of.
enum USCCSample {
    static let valid = "11430400013248734H"
}
