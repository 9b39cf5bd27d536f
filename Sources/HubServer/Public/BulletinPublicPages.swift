import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The public pages of 监管动态 and 曝光台, in the same plain layout as 行政执法公示 (`PublicPages.page`):
///
/// - `GET /public/news`, `GET /public/exposures` — published bulletins, newest first, 「下一页」 by keyset cursor
/// - `GET /public/bulletins/{id}` — one published bulletin; an exposure links to the 行政执法公示 of its decision
struct BulletinPublicPages<Context: RequestContext> {
    let store: BulletinStore

    static var pageSize: Int { 20 }

    func addRoutes(to router: Router<Context>) {
        router.get("public/news") { request, _ in try await list(.news, request) }
        router.get("public/exposures") { request, _ in try await list(.exposure, request) }
        router.get("public/bulletins/{id}") { _, context in
            guard let id = context.parameters.get("id").flatMap(Int64.init), let b = try await store.bulletin(id), b.status == .published else {
                throw HubHTTPError(.notFound, code: "no_such_bulletin", zh: "没有这条内容", en: "no such bulletin", path: "id")
            }
            return PublicPages<Context>.page(title: b.title, body: Self.detail(b))
        }
    }

    func list(_ kind: BulletinKind, _ request: Request) async throws -> Response {
        let cursor = try request.uri.queryParameters.get("cursor").map(BulletinPublicController.cursor)
        let page = try await store.published(kind: kind, after: cursor, limit: Self.pageSize + 1)
        let items = Array(page.prefix(Self.pageSize))
        let h = PublicPages<Context>.h
        var out = "<h1>\(kind.label)</h1>"
        if items.isEmpty { out += "<p>暂无内容。</p>" }
        out += "<ul class=\"items\">"
        for b in items {
            out += "<li><a href=\"/public/bulletins/\(b.id)\">\(h(b.title))</a>"
            out += "<div class=\"meta\">\(h(b.departmentName)) · 发布日期 \(h(String((b.publishedAt ?? "").prefix(10))))</div></li>"
        }
        out += "</ul>"
        if page.count > Self.pageSize, let last = items.last {
            let path = kind == .news ? "/public/news" : "/public/exposures"
            out += "<div class=\"pager\"><a href=\"\(path)\">首页</a> · <a rel=\"next\" href=\"\(path)?cursor=\(last.id)\">下一页</a></div>"
        }
        return PublicPages<Context>.page(title: kind.label, body: out)
    }

    static func detail(_ b: BulletinStore.Bulletin) -> String {
        let h = PublicPages<Context>.h
        var out =
            "<h1>\(h(b.title))</h1><p class=\"meta\">\(h(b.kind.label)) · \(h(b.departmentName)) · 发布日期 \(h(String((b.publishedAt ?? "").prefix(10))))</p>"
        out +=
            "<dl><dd>" + b.body.split(separator: "\n", omittingEmptySubsequences: false).map { h(String($0)) }.joined(separator: "<br>")
            + "</dd></dl>"
        if let decision = b.decisionPublicationId {
            out += "<p><a href=\"/public/publications/\(decision)\" id=\"decision-link\">查看行政处罚决定公示</a></p>"
        }
        out += "<p><a href=\"\(b.kind == .news ? "/public/news" : "/public/exposures")\">返回列表</a></p>"
        return out
    }
}
