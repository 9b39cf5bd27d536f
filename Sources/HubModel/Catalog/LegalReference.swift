/// One cited provision: an instrument (law, regulation, rule) and, where given, article, paragraph, item.
///
/// `instrument` is the normalized title: book-title marks removed, the `中华人民共和国` prefix dropped, so
/// that `《中华人民共和国药品管理法》` and `《药品管理法》` compare equal. Two references match when instrument
/// and article agree; paragraph and item refine the match (DOMAIN.md §2).
public struct LegalReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public var instrument: String
    public var article: Int?
    public var paragraph: Int?
    public var item: Int?

    public init(instrument: String, article: Int? = nil, paragraph: Int? = nil, item: Int? = nil) {
        self.instrument = instrument
        self.article = article
        self.paragraph = paragraph
        self.item = item
    }

    public var description: String {
        var s = "《\(instrument)》"
        if let article { s += "第\(article)条" }
        if let paragraph { s += "第\(paragraph)款" }
        if let item { s += "第\(item)项" }
        return s
    }
}

/// 监管事项类型 as the catalog names it, and the record kind it carries.
public enum ItemType: String, Sendable, CaseIterable, Codable {
    case inspection = "行政检查"
    case penalty = "行政处罚"
    case coercion = "行政强制"
    case other = "其他"

    public var recordKind: RecordKind {
        switch self {
        case .inspection: .inspection
        case .penalty: .penalty
        case .coercion: .coercion
        case .other: .other
        }
    }
}

extension ItemType {
    /// The catalog item type a record kind is coded against.
    public init(kind: RecordKind) {
        switch kind {
        case .inspection: self = .inspection
        case .penalty: self = .penalty
        case .coercion: self = .coercion
        case .other: self = .other
        }
    }
}
