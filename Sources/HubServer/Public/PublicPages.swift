import Foundation
import HubModel
import HubStore
import HubXML
import Hummingbird
import NIOCore

/// The public pages of 行政执法公示, plain server-rendered HTML in Chinese (no script), readable on a phone
/// (viewport meta, one column, long codes wrap):
///
/// - `GET /public/` — the list, newest first, with the search form (name, USCC, department, act dates) and
///   「下一页」 by keyset cursor
/// - `GET /public/publications/{id}` — one publication with every published field; a withdrawn one says 已撤回
///   with its reason and date
struct PublicPages<Context: RequestContext> {
    let store: PublicationStore
    let labels: PublicLabels

    func addRoutes(to router: Router<Context>) {
        router.get("public") { request, _ in try await list(request) }
        router.get("public/publications/{id}") { request, context in
            let item = try await PublicJSONController<Context>.item(context.parameters.get("id"), store: store)
            return Self.page(title: item.title, body: Self.detail(labels.label(item)))
        }
    }

    func list(_ request: Request) async throws -> Response {
        let query = try PublicQuery.read(request)
        let page = try await store.list(query)
        return Self.page(title: "行政执法公示", body: Self.listBody(query, page.items, next: page.next))
    }

    static func h(_ s: String) -> String { XMLWriter.escape(s) }

    static func page(title: String, body: String) -> Response {
        let html = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(title)) - 衡阳市行政执法公示</title>
            <link rel="alternate" type="application/atom+xml" title="行政执法公示" href="/public/feed.atom">
            <style>\(css)</style></head>
            <body><header><a href="/public/">衡阳市行政执法公示</a><nav><a href="/public/">执法公示</a><a href="/public/news">监管动态</a><a href="/public/exposures">曝光台</a></nav></header><main>\(body)</main>
            <footer>依据“谁执法谁公示”原则公开；个人信息已依法隐去。<a href="/public/feed.atom">订阅 Atom</a></footer></body></html>
            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static var css: String {
        """
        *{box-sizing:border-box}body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f6f6f6}
        header{background:#b22222;padding:12px 16px}header a{color:#fff;text-decoration:none;font-weight:bold;font-size:18px}
        header nav{display:flex;flex-wrap:wrap;gap:12px;margin-top:4px}header nav a{font-size:14px;font-weight:normal}
        main{max-width:960px;margin:0 auto;padding:12px}footer{max-width:960px;margin:0 auto;padding:12px;color:#666;font-size:13px}
        form{background:#fff;padding:12px;border-radius:6px;display:flex;flex-wrap:wrap;gap:8px}
        form label{display:flex;flex-direction:column;font-size:13px;color:#555;flex:1 1 140px;min-width:0}
        input{font:inherit;padding:6px;border:1px solid #bbb;border-radius:4px;width:100%;min-width:0}
        button{font:inherit;padding:6px 16px;background:#b22222;color:#fff;border:0;border-radius:4px;align-self:flex-end}
        ul.items{list-style:none;padding:0}ul.items li{background:#fff;margin:8px 0;padding:10px 12px;border-radius:6px}
        ul.items a{color:#0645ad;text-decoration:none;font-weight:bold}.meta{color:#666;font-size:13px}
        .withdrawn{color:#b22222;font-weight:bold}dl{background:#fff;padding:12px;border-radius:6px}dt{color:#666;font-size:13px;margin-top:8px}
        dd{margin:0;overflow-wrap:anywhere}h1{font-size:20px;overflow-wrap:anywhere}.pager{margin:12px 0}
        """
    }

    static func listBody(_ q: PublicationStore.Query, _ items: [PublicPublication], next: Int64?) -> String {
        func v(_ s: String?) -> String { h(s ?? "") }
        var out = """
            <h1>行政执法公示</h1>
            <form method="get" action="/public/" role="search">
            <label>名称<input name="q" value="\(v(q.q))" placeholder="当事人名称"></label>
            <label>统一社会信用代码<input name="uscc" value="\(v(q.uscc))" maxlength="18"></label>
            <label>部门<input name="department" value="\(v(q.department))" placeholder="部门编码"></label>
            <label>起始日期<input type="date" name="from" value="\(v(q.from?.description))"></label>
            <label>截止日期<input type="date" name="to" value="\(v(q.to?.description))"></label>
            <button type="submit">查询</button></form>
            """
        if items.isEmpty { out += "<p>没有符合条件的公示信息。</p>" }
        out += "<ul class=\"items\">"
        for p in items {
            let withdrawn = p.status == .withdrawn ? "<span class=\"withdrawn\">【已撤回】</span>" : ""
            out += "<li>\(withdrawn)<a href=\"/public/publications/\(p.id)\">\(h(p.title))</a>"
            out += "<div class=\"meta\">\(h(p.kind.chineseName)) · \(h(p.subjectName))\(p.uscc.map { "（\(h($0))）" } ?? "") · \(h(p.departmentName))"
            out += " · \(p.kind == .penalty ? "决定日期" : "检查日期") \(h(p.actDate ?? "-")) · 公示日期 \(h(String(p.publishedAt.prefix(10))))</div></li>"
        }
        out += "</ul>"
        if let next {
            var params: [String] = []
            func add(_ k: String, _ v: String?) {
                if let v { params.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            add("q", q.q)
            add("uscc", q.uscc)
            add("department", q.department)
            add("from", q.from?.description)
            add("to", q.to?.description)
            add("cursor", String(next))
            out +=
                "<div class=\"pager\"><a href=\"/public/\">首页</a> · <a rel=\"next\" href=\"/public/?\(h(params.joined(separator: "&")))\">下一页</a></div>"
        }
        return out
    }

    static func detail(_ p: PublicPublication) -> String {
        var out = "<h1>\(h(p.title))</h1>"
        if let w = p.withdrawal {
            out += "<p class=\"withdrawn\">已撤回：\(h(w.reason.chineseName))（\(h(w.date))）\(w.text.map { "：" + h($0) } ?? "")</p>"
        }
        out += "<dl><dt>公示类别</dt><dd>\(h(p.kind.chineseName))</dd><dt>当事人</dt><dd>\(h(p.subjectName))</dd>"
        if let uscc = p.uscc { out += "<dt>统一社会信用代码</dt><dd>\(h(uscc))</dd>" }
        if let id = p.maskedIdNumber { out += "<dt>证件号码</dt><dd>\(h(id))</dd>" }
        for f in p.fields { out += "<dt>\(h(f.label))</dt><dd>\(h(f.value))</dd>" }
        out += "<dt>公示部门</dt><dd>\(h(p.departmentName))</dd><dt>公示日期</dt><dd>\(h(String(p.publishedAt.prefix(10))))</dd>"
        out += "<dt>公示期限</dt><dd>\(h(p.dueDate.map { "\($0) 前" } ?? (p.duePending ?? "-")))</dd><dt>状态</dt><dd>\(h(p.status.chineseName))</dd></dl>"
        out += "<p><a href=\"/public/\">返回列表</a></p>"
        return out
    }
}
