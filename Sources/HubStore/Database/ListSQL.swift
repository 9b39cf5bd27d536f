import PostgresNIO

/// Small pieces the console lists' queries share: conditions added one filter at a time (the SQL of each
/// filter and sort is fixed text chosen by whitelisted enums; only values are bound), days as Asia/Shanghai
/// bounds, and `LIKE` escaping of search text.
extension PostgresQuery {
    /// Binds `value` and returns its placeholder (`$3`).
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Appends ` AND condition`, each `?` in it replaced by the next of `values`, bound.
    mutating func and(_ condition: String, _ values: String...) {
        var sqlText = ""
        var rest = values[...]
        for c in condition {
            if c == "?", let v = rest.popFirst() { sqlText += bind(v) } else { sqlText.append(c) }
        }
        sql += " AND " + sqlText
    }

    /// ` AND column = ANY($n)` for a list of values (a department scope).
    mutating func and(_ condition: String, any values: [String]) {
        let p = bind(values)
        sql += " AND " + condition.replacingOccurrences(of: "?", with: p)
    }

    /// ` AND expression`, `?` being the start of the day `YYYY-MM-DD` in Asia/Shanghai.
    mutating func and(_ condition: String, dayStart day: String) {
        let p = bind(day)
        sql += " AND " + condition.replacingOccurrences(of: "?", with: "((\(p)::date)::timestamp AT TIME ZONE 'Asia/Shanghai')")
    }

    /// ` AND expression`, `?` being the start of the day after `YYYY-MM-DD` in Asia/Shanghai (an exclusive end).
    mutating func and(_ condition: String, dayEnd day: String) {
        let p = bind(day)
        sql += " AND " + condition.replacingOccurrences(of: "?", with: "((\(p)::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')")
    }
}

/// `%`, `_` and `\` in a search text, escaped for `LIKE` (PostgreSQL's default escape character `\`).
public enum LikePattern {
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
