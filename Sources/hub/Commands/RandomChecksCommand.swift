import ArgumentParser

/// `hub random-checks …`: 双随机一公开 for ops — the 一单两库 (import a library file for a department, list what
/// is kept; `RandomChecksCommand+Libraries.swift`) and the plans (propose, approve as a second person, draw, and
/// `verify`, which recomputes a published draw from a running hub's public endpoint;
/// `RandomChecksCommand+Plans.swift`).
struct RandomChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random-checks",
        abstract: "双随机一公开：一单两库、抽查计划、批准和可验证的摇号 — random checks: the libraries, plans, approval, the verifiable draw.",
        discussion: examples(
            "hub random-checks import subjects 检查对象.csv --department HY-SCJG",
            "hub random-checks propose plan.json --user zhangsan",
            "hub random-checks approve RC-2026-001 --user lisi",
            "hub random-checks draw RC-2026-001 --user zhangsan",
            "hub random-checks verify RC-2026-001"
        ),
        subcommands: [ImportLibrary.self, ListLibrary.self, Plans.self, Propose.self, Approve.self, Draw.self, Verify.self]
    )
}
