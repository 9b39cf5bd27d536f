import Foundation

/// What `hub push` prints without `--json`: one line of counts from the answer's `summary`
/// (`已入账 1 · 待审核 6 · 重复 0 · 拒收 1`), then one line per refused or held record with its reason, so a
/// pushed batch reads at a glance and the full answer is one flag away.
enum PushSummary {
    static let labels: [(key: String, zh: String, en: String)] = [
        ("accepted", "已入账", "accepted"), ("held", "待审核", "held for review"), ("duplicate", "重复", "duplicates"),
        ("rejected", "拒收", "rejected"),
    ]

    static func line(_ answer: Any?) -> String {
        let summary = (answer as? [String: Any])?["summary"] as? [String: Any] ?? [:]
        let count = { (key: String) in (summary[key] as? NSNumber)?.intValue ?? 0 }
        let batch = ((answer as? [String: Any])?["batchId"] as? String).map { "批次 batch \($0): " } ?? ""
        return batch + labels.map { "\($0.zh) \(count($0.key))" }.joined(separator: " · ") + "  ("
            + labels.map { "\(count($0.key)) \($0.en)" }.joined(separator: ", ") + ")"
    }

    /// One line per record that was not simply accepted: its localId, status and first error or hold reason.
    static func refusals(_ answer: Any?) -> [String] {
        let results = (answer as? [String: Any])?["results"] as? [[String: Any]] ?? []
        return results.compactMap { result in
            let status = result["status"] as? String ?? ""
            guard status == "rejected" || status == "held" else { return nil }
            let label = labels.first { $0.key == status }?.zh ?? status
            let errors = result["errors"] as? [[String: Any]] ?? []
            let why =
                errors.first.map { e in
                    [e["path"] as? String, e["code"] as? String, e["messageZh"] as? String ?? e["message"] as? String].compactMap { $0 }
                        .joined(separator: " ")
                } ?? ((result["reviewId"] as? NSNumber).map { "审核 review #\($0)" } ?? "")
            return "  \(label) \(result["localId"] as? String ?? "?")\(why.isEmpty ? "" : "：" + why)"
        }
    }
}
