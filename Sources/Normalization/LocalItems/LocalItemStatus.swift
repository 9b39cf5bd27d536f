/// Where an item set by local legislation stands. It is never deleted: a coded item keeps its provisional code,
/// so a ledger entry or an old mapping release that names it can still be followed to the provincial code.
public enum LocalItemStatus: String, Sendable, CaseIterable, Hashable {
    /// Registered by one person under its provisional code; waits for a second person.
    case proposed
    /// Approved and queued for the province (outbox `local_item`); waits for the provincial code.
    case sent
    /// The province's catalog feed gave it a provincial code; mappings and held records followed.
    case coded

    /// The name operators see.
    public var label: String {
        switch self {
        case .proposed: "待复核"
        case .sent: "已报省待赋码"
        case .coded: "已赋省级编码"
        }
    }
}
