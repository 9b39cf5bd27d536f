import Foundation
import HTTPTypes
import HubStore
import Hummingbird
import Mustache
import NIOCore

/// Renders console pages from the Mustache templates in `Console/Templates` (shipped as a resource), with
/// what every page shows: who is signed in, the CSRF token for its forms, the navigation. Mustache escapes
/// every `{{value}}`, so nothing from a record or a department reaches the page as markup.
public struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    /// `console.css`, `console.js`: small, read once.
    let assets: [String: (contentType: String, body: ByteBuffer)]
    /// docs/CONSOLE.md as HTML for `/console/help` (`ConsoleHelp`), made once.
    let help: String

    public init() throws {
        guard let base = Self.resources() else { throw ConsoleError.missingResources }
        let folder = base.appendingPathComponent("Templates")
        var templates: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
        var assets: [String: (String, ByteBuffer)] = [:]
        for (name, type) in [("console.css", "text/css; charset=utf-8"), ("console.js", "text/javascript; charset=utf-8")] {
            let data = try Data(contentsOf: base.appendingPathComponent("Static").appendingPathComponent(name))
            assets[name] = (type, ByteBuffer(bytes: data))
        }
        self.assets = assets
        help = ConsoleHelp.load(from: base).map(ConsoleMarkdown.html) ?? "<p>帮助文档未随程序部署。</p>"
    }

    enum ConsoleError: Error, CustomStringConvertible {
        case missingResources
        var description: String { "the console's resource bundle \(ConsoleRenderer.bundleName) is not next to the executable" }
    }

    static let bundleName = "supervision-hub_HubServer.resources"

    /// The resource bundle, looked up by hand: SwiftPM's `Bundle.module` ends the process when the bundle is
    /// missing, and every `hub` command builds a renderer — a binary copied without its bundle must still run
    /// `hub migrate` or `hub ledger verify` (only the console is then unavailable).
    static func resources() -> URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for dir in [Bundle.main.bundleURL, executable, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent(bundleName)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Templates").path) { return candidate }
        }
        return nil
    }

    /// Security headers of every console answer: no framing, no foreign scripts or styles, no sniffing.
    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    /// A page: the template's values plus the layout's (user, roles, CSRF token, active tab).
    func page(
        _ template: String,
        title: String,
        tab: String,
        _ values: [String: Any],
        session: ConsoleSession?,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var all = values
        all["title"] = title
        all["tab_" + tab] = true
        all["help_anchor"] = ConsoleHelp.anchor(for: template) ?? ""
        if let session {
            let user = session.user
            all["user"] = [
                "name": user.displayName, "username": user.username,
                "roles": user.roles.map(\.consoleLabel).sorted().joined(separator: "、"),
            ]
            all["can_review"] = user.can(.reviewer)
            all["can_approve"] = user.can(.approver)
            all["can_requeue"] = user.can(.approver)
            all["can_see_pii"] = user.seesPersonalData
            all["csrf"] = session.csrfToken
        }
        let html = library.render(all, withTemplate: template) ?? "template \(template) is missing"
        return Response(status: status, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A refusal as a page (403 for a role or CSRF problem, 404, 400), in Chinese with the English below.
    /// 404 and 403 get their own heading and advice (`problem.mustache`), every other status "无法完成".
    func problem(_ status: HTTPResponse.Status, _ zh: String, _ en: String, session: ConsoleSession?) -> Response {
        let heading =
            switch status {
            case .notFound: "页面不存在"
            case .forbidden: "无权进行此操作"
            default: "无法完成"
            }
        let values: [String: Any] = [
            "status": status.code, "heading": heading, "zh": zh, "en": en, "missing": status == .notFound,
            "refused": status == .forbidden, "signed_out": session == nil,
        ]
        return page("problem", title: heading, tab: "", values, session: session, status: status)
    }

    /// The console's 404 page for a path it has no page for (`ConsoleNotFoundMiddleware`).
    func notFound(session: ConsoleSession?) -> Response {
        problem(.notFound, "没有这个页面：地址可能输错了，或页面已经移走。", "no such console page", session: session)
    }

    /// A refusal of the hub's one error mapping (`HubHTTPError.answer(for:)`) as a page: its status and first message.
    func problem(_ error: HubHTTPError, session: ConsoleSession?) -> Response {
        let first = error.errors.first
        var response = problem(error.status, first?.messageZh ?? "", first?.messageEn ?? "", session: session)
        if let retryAfterSeconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }

    func asset(_ name: String) -> Response? {
        guard let a = assets[name] else { return nil }
        return Response(
            status: .ok,
            headers: [.contentType: a.contentType, .cacheControl: "max-age=300", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: a.body)
        )
    }

    /// A table row's cells with their column names, for cells whose columns are not fixed in the template: each
    /// `<td>` carries its column as `data-label`, which the card layout under 700 px shows beside the value.
    static func labelled(_ cells: [String], _ columns: [String]) -> [[String: String]] {
        cells.enumerated().map { ["label": $0.offset < columns.count ? columns[$0.offset] : "", "value": $0.element] }
    }

    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }
}
