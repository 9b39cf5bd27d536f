import Foundation

/// The console's help (帮助): docs/CONSOLE.md served as HTML at `/console/help`, since a browser cannot open a
/// file of the repository. A copy of the document ships in the resource bundle (`Console/Help/CONSOLE.md`; a test
/// keeps it equal to docs/CONSOLE.md), and every page's 帮助 link points at its own section through `sections`.
package enum ConsoleHelp {
    /// Template → the heading of its section in docs/CONSOLE.md ("各页帮助"); the link's anchor is the heading's
    /// GitHub-style id (`ConsoleMarkdown.slug`). One place for every page: a template missing here, or a heading
    /// missing from the document, fails `ConsoleLayoutTests`.
    package static let sections: [String: String] = [
        "reviews": "映射审核", "review": "映射审核",
        "exchange": "交换监控",
        "messages": "报送日志", "message": "报送日志",
        "records": "记录查询",
        "ledger": "统一台账", "job": "后台任务",
        "catalog": "事项目录", "catalog-item": "事项目录",
        "catalog-claims": "事项认领",
        "catalog-lists": "目录清单",
        "local-items": "地方设立事项",
        "random-checks": "双随机抽查", "random-check-plan": "双随机抽查",
        "random-check-merges": "合并检查",
        "random-check-libraries": "一单两库",
        "bulletins": "动态与曝光",
        "deadlines": "期限看板",
        "risk": "风险预警", "risk-clue": "风险预警",
        "risk-report": "月度预警报告",
        "problem": "错误页面",
    ]

    /// Templates that are no page of their own (the frame, the sign-in before any session, the help itself, and the
    /// partials of `ListView`).
    package static let withoutSection: Set<String> = ["layout", "login", "help", "list-head", "list-pager", "list-search"]

    /// The anchor of a template's section (nil: the top of the help).
    package static func anchor(for template: String) -> String? {
        sections[template].map(ConsoleMarkdown.slug)
    }

    /// The bundled document, read once with the templates (nil when the bundle has none).
    static func load(from base: URL) -> String? {
        try? String(contentsOf: base.appendingPathComponent("Help").appendingPathComponent("CONSOLE.md"), encoding: .utf8)
    }
}
