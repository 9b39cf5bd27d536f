/// What one console list accepts in its query string: its sortable columns (a whitelist), its filters and
/// how each is checked, the page sizes, and whether it pages by cursor (keyset, for the big tables: records,
/// the ledger) or by page number (small ones). `ListQuery.parse` reads a query against it; the list's page
/// renders its header, pager and export links from it (`ListView`), so every list behaves the same.
struct ListSpec: Sendable {
    /// A column of the list's table: its key in `sort=`, its Chinese header, whether it may be sorted by.
    struct Column: Sendable {
        var key: String
        var label: String
        var sortable: Bool
        var numeric: Bool

        init(_ key: String, _ label: String, sortable: Bool = false, numeric: Bool = false) {
            (self.key, self.label, self.sortable, self.numeric) = (key, label, sortable, numeric)
        }
    }

    /// How a filter's value is checked. A value that fails its check is refused (400), never ignored, so a
    /// mistyped link does not silently show another list.
    enum FilterKind: Sendable, Equatable {
        /// One of these values.
        case oneOf([String])
        /// A code: ASCII letters, digits, `-` and `_`, at most `maxLength` characters.
        case code(maxLength: Int)
        /// Digits only, at most `maxLength` (a catalog code or its prefix).
        case digits(maxLength: Int)
        /// Any text without control characters, at most `maxLength` characters (a department's Chinese name).
        case text(maxLength: Int)
        /// A calendar date `YYYY-MM-DD` (a real date, year 2000–2099).
        case day
    }

    struct Filter: Sendable {
        var name: String
        /// The field's Chinese name, for the refusal.
        var label: String
        var kind: FilterKind
    }

    /// The console path of the list (`/console/records`); exports are at `path/export.csv|xlsx`.
    var path: String
    var columns: [Column]
    var filters: [Filter]
    /// The default order: a sortable column's key and its direction.
    var defaultSort: String
    var defaultDescending: Bool
    /// Keyset paging: how many values the `after=` cursor holds (the sort key and its tie-breakers); 0 for
    /// paging by page number.
    var cursorWidth: Int
    /// What `q` searches, said on the page (e.g. "本地编号前缀、统一社会信用代码或当事人名称").
    var searchHint: String
    var sizes: [Int] = [20, 50, 100, 200]
    var defaultSize = 50
    /// The most rows one export holds (stated on the page).
    var exportCap = 100_000
    /// Put before every parameter name (`dead_q`, `dead_page`) when a page holds two lists.
    var prefix = ""
    /// Where the export is, when not under `path` (a second list on a page: `/console/exchange/dead-letters`).
    var exportBase: String?
    /// The longest search text accepted.
    var searchMaxLength = 50

    var keyset: Bool { cursorWidth > 0 }
    var sortKeys: [String] { columns.filter(\.sortable).map(\.key) }
}
