import HubStore
import HubXML

/// The Atom feed (RFC 4287) of the newest publications: one entry per publication, its summary the published
/// party and decision, a withdrawn one titled 【已撤回】.
enum AtomFeed {
    static func render(_ items: [PublicPublication], base: String) -> String {
        func e(_ s: String) -> String { XMLWriter.escape(s) }
        var out = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        out += #"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">"#
        out += "<title>衡阳市行政执法公示</title><id>\(e(base))/public/feed.atom</id>"
        out += #"<link rel="self" href="\#(e(base))/public/feed.atom"/><link href="\#(e(base))/public/"/>"#
        out += "<updated>\(items.first?.publishedAt ?? "2026-01-01T00:00:00+08:00")</updated>"
        out += "<author><name>衡阳市“互联网+监管”数据交换枢纽</name></author>"
        for p in items {
            let url = "\(base)/public/publications/\(p.id)"
            let prefix = p.status == .withdrawn ? "【已撤回】" : ""
            var summary = "\(p.kind.chineseName)｜\(p.departmentName)｜\(p.subjectName)"
            if let uscc = p.uscc { summary += "（\(uscc)）" }
            if let w = p.withdrawal { summary += "｜已撤回：\(w.reason.chineseName) \(w.date)" }
            out += "<entry><title>\(e(prefix + p.title))</title><id>\(e(url))</id><link href=\"\(e(url))\"/>"
            out += "<updated>\(p.publishedAt)</updated><summary>\(e(summary))</summary></entry>"
        }
        out += "</feed>\n"
        return out
    }
}
