/// Times as the console shows them: `YYYY-MM-DD HH:mm`, the hub's stored timestamps being Asia/Shanghai already
/// (`2026-12-07T14:05:33.123456+08:00` → `2026-12-07 14:05`). Anything else is shown as it is.
import Foundation
import HubModel
import Supervision

enum ConsoleTime {
    /// A moment as `YYYY-MM-DD HH:mm` in Asia/Shanghai (+08:00, no daylight saving).
    static func minutes(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let day = CalendarDate(dayNumber: StatutoryLimits.day(epochSeconds: seconds))
        let minute = ((Int(seconds) + 8 * 3600) % 86400 + 86400) % 86400 / 60
        let (h, m) = (minute / 60, minute % 60)
        return "\(day) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    static func minutes(_ timestamp: String?) -> String {
        guard let timestamp else { return "" }
        let chars = Array(timestamp)
        guard chars.count >= 16, chars[10] == "T", timestamp.hasSuffix("+08:00") else { return timestamp }
        return String(chars[0..<10]) + " " + String(chars[11..<16])
    }
}
