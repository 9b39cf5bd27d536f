/// Sorting and paging of a small list read whole (a row per department, the dead letters): the same query,
/// applied in memory instead of in SQL. Stable: rows equal in the sort key keep the order they were read in.
enum ListSortKey<Row>: Sendable {
    case text(@Sendable (Row) -> String)
    case number(@Sendable (Row) -> Int)
}

extension ListQuery {
    func sorted<Row>(_ rows: [Row], keys: [String: ListSortKey<Row>]) -> [Row] {
        guard let key = keys[sort] else { return rows }
        let indexed = Array(rows.enumerated())
        func before(_ a: (offset: Int, element: Row), _ b: (offset: Int, element: Row)) -> Bool {
            switch key {
            case .text(let f):
                let (x, y) = (f(a.element), f(b.element))
                if x != y { return descending ? x > y : x < y }
            case .number(let f):
                let (x, y) = (f(a.element), f(b.element))
                if x != y { return descending ? x > y : x < y }
            }
            return a.offset < b.offset
        }
        return indexed.sorted(by: before).map(\.element)
    }

    /// This page of `rows` (paging by number) and whether another follows.
    func page<Row>(of rows: [Row]) -> (rows: [Row], more: Bool) {
        guard offset < rows.count else { return ([], false) }
        let end = min(rows.count, offset + size)
        return (Array(rows[offset..<end]), end < rows.count)
    }
}
