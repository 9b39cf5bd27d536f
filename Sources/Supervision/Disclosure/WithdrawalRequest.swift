import HubModel

/// A request to withdraw a publication (撤回, DOMAIN.md §7), read from the API's JSON with every problem as a
/// field error: which publication (a record's `localId`, or the publication's `publicationId`), why (a typed
/// reason, with text required for `other`), and the day it took effect (Asia/Shanghai).
public struct WithdrawalRequest: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case localId(String)
        case publicationId(Int64)
    }

    public var target: Target
    public var reason: WithdrawalReason
    public var text: String?
    public var date: CalendarDate

    public init(target: Target, reason: WithdrawalReason, text: String?, date: CalendarDate) {
        self.target = target
        self.reason = reason
        self.text = text
        self.date = date
    }

    static let members: Set<String> = ["localId", "publicationId", "reason", "text", "date"]

    /// Every problem found in a request.
    public struct Invalid: Error, Sendable, Hashable {
        public var errors: [FieldError]
    }

    /// Reads a request body; `.failure` carries every problem found.
    public static func read(_ body: JSONValue) -> Result<WithdrawalRequest, Invalid> {
        guard case .object(let members) = body else {
            return .failure(Invalid(errors: [FieldError.wrongType("", expected: "object", found: body.typeName)]))
        }
        var errors: [FieldError] = []
        for (name, _) in members where !Self.members.contains(name) { errors.append(.unknownField(name)) }
        var target: Target?
        switch (body["localId"], body["publicationId"]) {
        case (.string(let id)?, nil) where !id.isEmpty && id.count <= 50: target = .localId(id)
        case (nil, let n?) where n.integerValue.map { $0 > 0 } ?? false: target = .publicationId(n.integerValue!)
        case (nil, nil):
            errors.append(
                FieldError(
                    path: "localId",
                    code: "required",
                    zh: "须给出 localId（记录编号）或 publicationId（公示编号）之一",
                    en: "give localId (the record's number) or publicationId"
                )
            )
        case (_?, _?):
            errors.append(
                FieldError(
                    path: "publicationId",
                    code: "one_target",
                    zh: "localId 与 publicationId 只能给出一个",
                    en: "give localId or publicationId, not both"
                )
            )
        case (_?, nil):
            errors.append(
                FieldError(
                    path: "localId",
                    code: "invalid_local_id",
                    zh: "localId 须为 1 至 50 个字符的字符串",
                    en: "localId must be a string of 1 to 50 characters"
                )
            )
        case (nil, _?):
            errors.append(
                FieldError(
                    path: "publicationId",
                    code: "invalid_publication_id",
                    zh: "publicationId 须为正整数",
                    en: "publicationId must be a positive integer"
                )
            )
        }
        var reason: WithdrawalReason?
        switch body["reason"] {
        case nil: errors.append(.required("reason"))
        case .string(let s)? where WithdrawalReason(rawValue: s) != nil: reason = WithdrawalReason(rawValue: s)
        case _?:
            errors.append(
                FieldError(
                    path: "reason",
                    code: "unknown_reason",
                    zh: "撤回原因须为：" + WithdrawalReason.allCases.map(\.rawValue).joined(separator: "、"),
                    en: "reason must be one of " + WithdrawalReason.allCases.map(\.rawValue).joined(separator: ", ")
                )
            )
        }
        var text: String?
        switch body["text"] {
        case nil, .null?:
            if reason == .other {
                errors.append(FieldError(path: "text", code: "required", zh: "原因为 other 时须说明撤回理由", en: "text is required when reason is other"))
            }
        case .string(let s)? where s.count > 500: errors.append(.tooLong("text", max: 500))
        case .string(let s)?: text = s.isEmpty ? nil : s
        case let v?: errors.append(.wrongType("text", expected: "string", found: v.typeName))
        }
        if reason == .other, text == nil, !errors.contains(where: { $0.path == "text" }) {
            errors.append(FieldError(path: "text", code: "required", zh: "原因为 other 时须说明撤回理由", en: "text is required when reason is other"))
        }
        var date: CalendarDate?
        switch body["date"] {
        case nil: errors.append(.required("date"))
        case .string(let s)? where CalendarDate(s) != nil: date = CalendarDate(s)
        case _?: errors.append(FieldError(path: "date", code: "invalid_date", zh: "日期格式须为 YYYY-MM-DD", en: "date must be YYYY-MM-DD"))
        }
        guard errors.isEmpty, let target, let reason, let date else { return .failure(Invalid(errors: errors)) }
        return .success(WithdrawalRequest(target: target, reason: reason, text: text, date: date))
    }
}
