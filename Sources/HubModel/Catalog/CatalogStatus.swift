/// Whether a provincial catalog item may still be coded against.
///
/// The one place that says which spellings of the catalog file's `status` column mean what: the store's
/// import, the matcher's evaluation and the provincial simulator all read the file through `CatalogFile`,
/// so they cannot disagree on whether, say, `停用` retires an item.
package enum CatalogStatus: String, Sendable, Hashable, CaseIterable {
    case active
    case retired

    /// The spellings the province's files use; an empty cell is `active` (the column is optional).
    package init?(spelling: String) {
        switch spelling {
        case "", "active", "在用", "有效": self = .active
        case "retired", "停用", "已取消", "废止": self = .retired
        default: return nil
        }
    }
}
