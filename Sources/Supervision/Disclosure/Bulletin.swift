import Foundation
import HubModel

/// What a bulletin is: 监管动态 (news of the city's supervision work, written by a department's ops staff) or
/// 曝光台 (a serious violation put on the exposure list, always pointing at the penalty decision it exposes).
/// Both are written by one person, published only when a second person approves, and can be withdrawn.
public enum BulletinKind: String, Sendable, CaseIterable, Hashable {
    case news
    case exposure

    /// The name operators and the public see.
    public var label: String {
        switch self {
        case .news: "监管动态"
        case .exposure: "曝光台"
        }
    }
}

/// Where a bulletin stands. Only `published` bulletins are on the public side; a withdrawn one stays in the
/// hub (and in the ledger) with its reason.
public enum BulletinStatus: String, Sendable, CaseIterable, Hashable {
    /// Written, waiting for a second person.
    case proposed
    /// Approved by a second person: public, and sent to the provincial portals.
    case published
    /// Taken down, with the reason; the portals are told.
    case withdrawn

    public var label: String {
        switch self {
        case .proposed: "待审核"
        case .published: "已发布"
        case .withdrawn: "已撤回"
        }
    }
}

/// A bulletin as ops write it, checked before anything is stored: the rules of the text (lengths, no personal
/// data) and of the kind (an exposure names its penalty record, news names none). Whether that record exists
/// and is a penalty decision of the department is the store's check, since it needs the records.
public struct BulletinDraft: Sendable, Hashable {
    public var kind: BulletinKind
    /// The department the bulletin speaks for (a department code known to the hub).
    public var department: String
    public var title: String
    public var body: String
    /// For an exposure: the `localId` of the department's penalty record whose decision is exposed.
    public var recordLocalId: String?

    public static let titleLimit = 200
    public static let bodyLimit = 20_000

    public init(kind: BulletinKind, department: String, title: String, body: String, recordLocalId: String? = nil) {
        self.kind = kind
        self.department = department
        self.title = title
        self.body = body
        self.recordLocalId = recordLocalId
    }

    /// Reads a draft from a JSON object (`kind`, `department`, `title`, `body`, `recordLocalId`); every problem is
    /// returned, each with its field path.
    public static func read(_ value: JSONValue) -> (draft: BulletinDraft?, errors: [FieldError]) {
        var fields = DraftFields(value, known: ["kind", "department", "title", "body", "recordLocalId"])
        guard fields.isObject else { return (nil, fields.errors) }
        let kindText = fields.text("kind", max: 20)
        let kind = kindText.flatMap(BulletinKind.init(rawValue:))
        if let kindText, kind == nil {
            fields.errors.append(.unknownCode("kind", dictionary: "bulletin_kind", value: kindText))
        }
        let department = fields.text("department", max: 20)
        let title = fields.text("title", max: titleLimit)
        let body = fields.text("body", max: bodyLimit)
        let recordLocalId = fields.text("recordLocalId", max: 50, required: kind == .exposure)
        if kind == .news, recordLocalId != nil {
            fields.errors.append(
                FieldError(
                    path: "recordLocalId",
                    code: "not_for_news",
                    zh: "监管动态不关联处罚记录（曝光台才需要）",
                    en: "news names no penalty record (only an exposure does)"
                )
            )
        }
        for (name, value) in [("title", title), ("body", body)] {
            if let value, PersonalData.maskText(value) != value {
                fields.errors.append(
                    FieldError(
                        path: name,
                        code: "personal_data_in_text",
                        zh: "文字中含有身份证号码或手机号码，公开前请删除",
                        en: "the text contains a resident ID or mobile number; remove it before publishing"
                    )
                )
            }
        }
        guard fields.errors.isEmpty, let kind, let department, let title, let body else { return (nil, fields.errors) }
        return (BulletinDraft(kind: kind, department: department, title: title, body: body, recordLocalId: recordLocalId), [])
    }

    /// The draft as stored in the ledger and sent to the portals.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind.rawValue)), ("department", .string(department)), ("title", .string(title)), ("body", .string(body)),
        ]
        if let recordLocalId { members.append(("recordLocalId", .string(recordLocalId))) }
        return .object(members)
    }
}
