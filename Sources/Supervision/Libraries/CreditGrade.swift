import Foundation

/// A subject's credit grade (信用风险分类), as SAMR grades enterprises monthly: A is the lowest risk, D the
/// highest. `ungraded` is a subject the hub holds no grade for; it forms its own stratum in a draw, so a missing
/// grade never silently counts as A.
public enum CreditGrade: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case a = "A"
    case b = "B"
    case c = "C"
    case d = "D"
    /// 未评级.
    case ungraded = "N"

    /// The order strata are listed and filled in: highest risk first, ungraded last.
    public static let drawOrder: [CreditGrade] = [.d, .c, .b, .a, .ungraded]

    public static func < (lhs: CreditGrade, rhs: CreditGrade) -> Bool {
        drawOrder.firstIndex(of: lhs)! < drawOrder.firstIndex(of: rhs)!
    }

    /// The grade written in a library row or a feed: `A`–`D` (case-insensitive); empty means ungraded.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        if trimmed.isEmpty {
            self = .ungraded
            return
        }
        guard let grade = CreditGrade(rawValue: trimmed) else { return nil }
        self = grade
    }

    public var labelZh: String {
        switch self {
        case .a: "A 类（低风险）"
        case .b: "B 类（一般风险）"
        case .c: "C 类（较高风险）"
        case .d: "D 类（高风险）"
        case .ungraded: "未评级"
        }
    }
}
