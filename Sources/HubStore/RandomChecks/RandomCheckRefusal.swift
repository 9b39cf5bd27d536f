import HubModel

/// A random-check action the store refuses, with the field errors a client sees: an unknown plan (404), a plan
/// in the wrong state or a draw short of inspectors (409), a plan that names what the hub does not know (400),
/// the proposer approving their own plan (403).
public struct RandomCheckRefusal: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, conflict, invalid, forbidden }

    public var kind: Kind
    public var errors: [FieldError]

    public init(_ kind: Kind, _ errors: [FieldError]) {
        self.kind = kind
        self.errors = errors
    }

    public init(_ kind: Kind, path: String, code: String, zh: String, en: String) {
        self.init(kind, [FieldError(path: path, code: code, zh: zh, en: en)])
    }

    /// The errors as the command line prints them.
    public var description: String { errors.map { "\($0.path): \($0.code) \($0.messageZh) / \($0.messageEn)" }.joined(separator: "\n") }

    static func noPlan(_ planId: String) -> RandomCheckRefusal {
        RandomCheckRefusal(.notFound, path: "planId", code: "plan_not_found", zh: "没有该抽查计划", en: "no plan \(planId)")
    }

    static func wrongStatus(_ status: String, expected: String) -> RandomCheckRefusal {
        RandomCheckRefusal(
            .conflict,
            path: "status",
            code: "plan_not_\(expected)",
            zh: "计划当前状态为 \(status)，此操作需要状态 \(expected)",
            en: "the plan is \(status); this needs it \(expected)"
        )
    }
}
