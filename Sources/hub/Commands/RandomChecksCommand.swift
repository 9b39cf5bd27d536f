import ArgumentParser

/// `hub random-checks …`: 双随机一公开 for ops — the 一单两库 (import a library file for a department, list what
/// is kept; `RandomChecksCommand+Libraries.swift`) and the plans (propose, approve as a second person, draw, and
/// `verify`, which recomputes a published draw from a running hub's public endpoint;
/// `RandomChecksCommand+Plans.swift`).
struct RandomChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random-checks",
        abstract: "双随机一公开: 一单两库 (check items, subjects, inspectors, conflicts), plans, approval, the verifiable draw.",
        subcommands: [ImportLibrary.self, ListLibrary.self, Plans.self, Propose.self, Approve.self, Draw.self, Verify.self]
    )
}
