import HubModel

/// Why a step on a clue is refused: a stable code, Chinese and English messages, the field it is about, and the
/// kind of refusal (which the HTTP layer maps to 400, 403 or 409).
public struct ClueRefusal: Error, Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The step itself is incomplete or malformed (400).
        case invalid
        /// The actor may not take this step on this clue: another department, a department assigning (403).
        case forbidden
        /// The clue is not where the step needs it: out of order, already closed (409).
        case conflict
        /// The working-day calendar lacks a year the deadline falls in: the operator's error to fix (409).
        case calendarMissing
    }

    public var kind: Kind
    public var error: FieldError

    public init(_ kind: Kind, path: String, code: String, zh: String, en: String) {
        self.kind = kind
        self.error = FieldError(path: path, code: code, zh: zh, en: en)
    }

    public var code: String { error.code }

    static func wrongDepartment(_ assigned: String?) -> ClueRefusal {
        ClueRefusal(
            .forbidden,
            path: "clueId",
            code: "wrong_department",
            zh: "该线索分派给\(assigned ?? "（尚未分派）")，本部门不能办理",
            en: "the clue is assigned to \(assigned ?? "no department yet"); this department cannot act on it"
        )
    }

    static func outOfOrder(_ step: String, status: ClueStatus, needs: String) -> ClueRefusal {
        ClueRefusal(
            .conflict,
            path: "clueId",
            code: "step_out_of_order",
            zh: "线索当前为“\(status.label)”，不能\(needs)",
            en: "the clue is \(status.rawValue): \(step) is not the next step"
        )
    }

    static let closed = ClueRefusal(.conflict, path: "clueId", code: "clue_closed", zh: "线索已办结，不能再办理", en: "the clue is closed")

    static func required(_ path: String, code: String, zh: String, en: String) -> ClueRefusal {
        ClueRefusal(.invalid, path: path, code: code, zh: zh, en: en)
    }

    static func calendar(_ missing: WorkingDays.MissingYear) -> ClueRefusal {
        let e = missing.fieldError
        return ClueRefusal(.calendarMissing, path: e.path, code: e.code, zh: e.messageZh, en: e.messageEn)
    }
}
