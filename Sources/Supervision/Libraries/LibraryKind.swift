/// The four lists a department keeps for 双随机 (一单两库 and the declared conflicts), as the push API, the
/// import command and the ledger name them: `items`, `subjects`, `inspectors`, `conflicts`.
public enum LibraryKind: String, Sendable, Hashable, CaseIterable, Codable {
    case items
    case subjects
    case inspectors
    case conflicts

    /// The element of one row in the XML form (`<items><item>…</item></items>`).
    public var rowElement: String {
        switch self {
        case .items: "item"
        case .subjects: "subject"
        case .inspectors: "inspector"
        case .conflicts: "conflict"
        }
    }

    public var labelZh: String {
        switch self {
        case .items: "抽查事项清单"
        case .subjects: "检查对象名录库"
        case .inspectors: "执法检查人员名录库"
        case .conflicts: "利害关系申报"
        }
    }
}

/// What a pushed row asks for: write the row as given, or take it out of the library. A delete never erases a
/// library row's history (that is the ledger): items and subjects become inactive, inspectors `left`, and only a
/// conflict declaration, which is a personal statement, is deleted.
public enum LibraryOperation: String, Sendable, Hashable, Codable {
    case upsert
    case delete
}
