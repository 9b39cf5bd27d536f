/// Times as the console shows them: `YYYY-MM-DD HH:mm`, the hub's stored timestamps being Asia/Shanghai already
/// (`2026-12-07T14:05:33.123456+08:00` → `2026-12-07 14:05`). Anything else is shown as it is.
enum ConsoleTime {
    static func minutes(_ timestamp: String?) -> String {
        guard let timestamp else { return "" }
        let chars = Array(timestamp)
        guard chars.count >= 16, chars[10] == "T", timestamp.hasSuffix("+08:00") else { return timestamp }
        return String(chars[0..<10]) + " " + String(chars[11..<16])
    }
}
