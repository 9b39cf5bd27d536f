import Foundation
import HTTPTypes
import HubModel
import HubServer
import HummingbirdTesting
import NIOCore
import Testing

/// The console's frame (issue #16 item 5): `/` leads to the console, the styled 404 and 403 pages in Chinese,
/// the help page with a section for every page, and the card layout's column names on every table cell.
/// (`scripts/browser_checks/40_layout.py` measures the layout itself in Chromium at 375 and 1280 px.)
@Suite("Console layout, help and error pages")
struct ConsoleLayoutTests {
    let console = ConsoleTests()

    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = root.appendingPathComponent("Sources/HubServer/Console/Templates")

    static func templateNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
            .map { String($0.dropLast(".mustache".count)) }.sorted()
    }

    @Test("/ redirects to the console, and /console to the review queue")
    func rootRedirects() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let root = try await client.execute(uri: "/", method: .get)
            #expect([.found, .seeOther].contains(root.status))
            #expect(root.headers[.location] == "/console")
            let signedOut = try await client.execute(uri: "/console", method: .get)
            #expect(signedOut.headers[.location] == "/console/login")
        }
    }

    @Test("an unknown console path is the styled Chinese 404, signed in or not; an unknown API path stays JSON")
    func notFoundPages() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await console.users(hub)
            for path in ["/console/nope", "/console/reviews/1/nope", "/console/static/nope.css", "/console/a/b/c"] {
                let r = try await client.execute(uri: path, method: .get)
                let html = ConsoleTests.text(r)
                #expect(r.status == .notFound, "\(path)")
                #expect(r.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(html.contains("页面不存在") && html.contains("/console/static/console.css"), "\(path)")
                #expect(html.contains("id=\"problem-login\"") && !html.contains("id=\"who\""), "\(path)")
            }
            let alice = try await console.signIn(client, "alice")
            let (status, html) = try await console.get(client, "/console/nope/deeper", alice)
            #expect(status == .notFound)
            #expect(html.contains("页面不存在") && html.contains("id=\"who\"") && html.contains("id=\"logout\""))
            #expect(html.contains("<html lang=\"zh-CN\">") && html.contains("class=\"card narrow problem missing\""))
            let post = try await console.post(client, "/console/nope", alice, "")
            #expect(post.status == .notFound)
            #expect(ConsoleTests.text(post).contains("页面不存在"))

            for path in ["/api/v1/nope", "/api/v1/ops/nope", "/apix"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .notFound, "\(path)")
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, "\(path)")
                #expect(r.json["errors"]?[0]["code"]?.string == "no_such_route", "\(path)")
            }
        }
    }

    @Test("a refusal for the user's role is the styled 403 page")
    func forbiddenPage() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await console.users(hub)
            let carol = try await console.signIn(client, "carol")
            let r = try await console.post(client, "/console/exchange/requeue", carol, "all=1")
            let html = ConsoleTests.text(r)
            #expect(r.status == .forbidden)
            #expect(html.contains("无权进行此操作") && html.contains("class=\"card narrow problem refused\""))
            #expect(html.contains("重新入队需要审批人或管理员角色") && html.contains("id=\"who\""))
        }
    }

    @Test("every page links to its help section, and /console/help has every one of them")
    func helpSections() async throws {
        // Every template that is a page has a section (a new page without one fails here).
        for name in try Self.templateNames() where !ConsoleHelp.withoutSection.contains(name) {
            #expect(ConsoleHelp.anchor(for: name) != nil, "the console page \(name) has no section in ConsoleHelp.sections")
        }
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await console.users(hub)
            let alice = try await console.signIn(client, "alice")
            let (status, help) = try await console.get(client, "/console/help", alice)
            #expect(status == .ok)
            #expect(help.contains("<h1 id=\"ops-console-运维控制台\">Ops console (运维控制台)</h1>"))
            for (template, heading) in ConsoleHelp.sections {
                let anchor = try #require(ConsoleHelp.anchor(for: template))
                #expect(help.contains("id=\"\(anchor)\">\(heading)</h3>"), "docs/CONSOLE.md has no section \"### \(heading)\" for \(template)")
            }
            // The pages link to their own section.
            for (path, heading) in [
                ("/console/reviews", "映射审核"), ("/console/exchange", "交换监控"), ("/console/ledger", "统一台账"),
                ("/console/catalog/claims", "事项认领"), ("/console/deadlines", "期限看板"), ("/console/help", ""),
            ] {
                let (_, page) = try await console.get(client, path, alice)
                #expect(page.contains("href=\"/console/help#\(heading)\" id=\"help-link\""), "\(path)")
            }
            let (_, missing) = try await console.get(client, "/console/nope", alice)
            #expect(missing.contains("href=\"/console/help#错误页面\""))
            // Markup in the document is text on the page.
            #expect(help.contains("<code>&lt;mark&gt;</code>"))
        }
    }

    @Test("the help page's copy in the resource bundle is docs/CONSOLE.md")
    func bundledHelpIsTheDocument() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/CONSOLE.md"), encoding: .utf8)
        let copy = try String(contentsOf: Self.root.appendingPathComponent("Sources/HubServer/Console/Help/CONSOLE.md"), encoding: .utf8)
        #expect(doc == copy, "cp docs/CONSOLE.md Sources/HubServer/Console/Help/CONSOLE.md")
    }

    @Test("every cell of every console table carries its column's name for the card layout")
    func everyCellIsLabelled() throws {
        for name in try Self.templateNames() {
            let text = try String(contentsOf: Self.templates.appendingPathComponent(name + ".mustache"), encoding: .utf8)
            for table in text.matches(of: /<table class="list[^"]*"[\s\S]*?<\/table>/) {
                let cells = table.output.matches(of: /<td\b[^>]*>/).map { String($0.output) }
                #expect(!cells.isEmpty, "\(name): a table without cells")
                for cell in cells { #expect(cell.contains("data-label="), "\(name): \(cell) has no data-label") }
                let start = table.range.lowerBound
                #expect(text[..<start].hasSuffix("<div class=\"scroll\">"), "\(name): a table outside its scroll wrapper")
            }
        }
    }
}
