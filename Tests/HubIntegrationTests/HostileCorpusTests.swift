import Foundation
import HTTPTypes
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// The hostile-input corpus (`Fixtures/hostile/`, see its README): every case is sent signed to the live
/// server and must get its 4xx (or its record-level rejection) with the error shape, never a 5xx, never a
/// crash, and nothing written.
@Suite("Hostile input corpus")
struct HostileCorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var contentType: String
        var status: Int
        var code: String
        var scope: String
        var testDescription: String { file }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    static let cases: [Case] = {
        let text = (try? String(contentsOf: directory.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, let status = Int(f[2]) else { return nil }
            return Case(file: f[0], contentType: f[1], status: status, code: f[3], scope: f[4])
        }
    }()

    /// Peak resident memory of this process (the server runs in it), from /proc.
    static func peakRSSKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }

    @Test("the corpus holds at least 200 cases, each with its file")
    func size() {
        #expect(Self.cases.count >= 200)
        for c in Self.cases { #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(c.file).path), "\(c.file)") }
    }

    @Test("every case gets its answer, never a 5xx, and nothing is written")
    func corpus() async throws {
        let t = try await TestHub.make()
        // A body refused before it is read (413) ends its connection (the hub does not drain it): those go last.
        let cases = Self.cases.filter { $0.status != 413 } + Self.cases.filter { $0.status == 413 }
        let before = Self.peakRSSKiB()
        let failures = try await t.serve { client, hub -> [String] in
            var failures: [String] = []
            for c in cases {
                var body = Array(try Data(contentsOf: Self.directory.appendingPathComponent(c.file)))
                if body.starts(with: Array("GENERATE:100MB".utf8)) { body = [UInt8](repeating: UInt8(ascii: " "), count: 100 * 1024 * 1024) }
                let response: TestResponse
                do {
                    response = try await client.signedBytes(.post, "/api/v1/records", body: body, as: t.scjg, contentType: c.contentType)
                } catch {
                    // The server may close the connection on an oversized body before reading it all.
                    if c.status == 413 { continue }
                    failures.append("\(c.file): \(error)")
                    continue
                }
                let json = response.json
                if response.status.code >= 500 { failures.append("\(c.file): \(response.status.code)") }
                if response.status.code != c.status {
                    failures.append("\(c.file): status \(response.status.code), expected \(c.status): \(String(buffer: response.body).prefix(200))")
                    continue
                }
                if c.scope == "record" {
                    let result = json["results"]?[0]
                    let codes = result?["errors"]?.array.compactMap { $0["code"]?.string } ?? []
                    if result?["status"]?.string != "rejected" || !codes.contains(c.code) {
                        failures.append("\(c.file): expected rejected with \(c.code), got \(result?["status"]?.string ?? "-") \(codes)")
                    }
                } else if json["errors"]?[0]["code"]?.string != c.code {
                    failures.append(
                        "\(c.file): expected \(c.code), got \(json["errors"]?[0]["code"]?.string ?? String(buffer: response.body).prefix(120).description)"
                    )
                }
                if json["errors"]?[0]["messageZh"]?.string?.isEmpty == true { failures.append("\(c.file): no Chinese message") }
            }
            if try await count(hub.db, "SELECT (SELECT count(*) FROM records) + (SELECT count(*) FROM ledger WHERE kind = 'record')::int") != 0 {
                failures.append("something was written")
            }
            #expect(try await RawClient.status(port: client.port!, "/health") == "HTTP/1.1 200 OK")
            return failures
        }
        let after = Self.peakRSSKiB()
        print("hostile corpus: \(cases.count) cases; test process peak RSS \(before / 1024) MiB before, \(after / 1024) MiB after")
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) cases differ:\n" + failures.joined(separator: "\n")))
    }
}
