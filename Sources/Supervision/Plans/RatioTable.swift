import Foundation
import HubModel

/// The share of each credit-grade stratum a plan draws, in basis points (1/100 of a percent) so that the quota
/// `ceil(ratio × stratum size)` is integer arithmetic anyone can recompute exactly: `(bp × n + 9999) / 10000`.
///
/// The default is the Henan 2021 table the domain brief cites (high risk 30 %, medium-high 10 %, medium 2 %,
/// low 1 %) read onto SAMR's A–D grades, with ungraded subjects at 3 %, the lower end of the general
/// (不定向) ratio. A department changes it in `Mappings/random-checks/ratios.csv`; a plan may carry its own.
public struct RatioTable: Sendable, Hashable, Codable {
    public var basisPoints: [CreditGrade: Int]

    public init(basisPoints: [CreditGrade: Int]) { self.basisPoints = basisPoints }

    public static let `default` = RatioTable(basisPoints: [.a: 100, .b: 200, .c: 1000, .d: 3000, .ungraded: 300])

    public func basisPoints(for grade: CreditGrade) -> Int { basisPoints[grade] ?? 0 }

    /// `ceil(ratio × size)`, exactly.
    public func quota(for grade: CreditGrade, size: Int) -> Int {
        (basisPoints(for: grade) * size + 9999) / 10000
    }

    /// A ratio written as a percentage with at most two decimals (`3`, `2.5`, `0.75`), as basis points.
    public static func basisPoints(percent text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCII) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        let bp = whole * 100 + fraction
        return bp <= 10000 ? bp : nil
    }

    /// The percentage text of a grade's ratio, e.g. `2.5`.
    public func percentText(for grade: CreditGrade) -> String {
        let bp = basisPoints(for: grade)
        if bp % 100 == 0 { return "\(bp / 100)" }
        if bp % 10 == 0 { return "\(bp / 100).\(bp % 100 / 10)" }
        return "\(bp / 100)." + (bp % 100 < 10 ? "0" : "") + "\(bp % 100)"
    }
}

/// How often one subject may be drawn, per credit grade, across every plan of every department: at most
/// `maxDraws` times within a calendar year (Asia/Shanghai). The default caps grade A at once a year (Daqing:
/// "A 类…原则上每年不超过一次"; Guangdong 2025: a low-risk firm is not checked twice in one year).
public struct FrequencyCaps: Sendable, Hashable, Codable {
    public var maxDrawsPerYear: [CreditGrade: Int]

    public init(maxDrawsPerYear: [CreditGrade: Int]) { self.maxDrawsPerYear = maxDrawsPerYear }

    public static let `default` = FrequencyCaps(maxDrawsPerYear: [.a: 1])

    /// Whether a subject of `grade`, already drawn `drawsThisYear` times this calendar year, is over its cap.
    public func isCapped(_ grade: CreditGrade, drawsThisYear: Int) -> Bool {
        guard let cap = maxDrawsPerYear[grade] else { return false }
        return drawsThisYear >= cap
    }
}

/// The random-check settings of `Mappings/random-checks/ratios.csv`: one row per grade,
/// `grade,ratio_percent,max_draws_per_year` (empty cap = no cap). One reader, used by the store, the CLI and tests.
public struct RandomCheckSettings: Sendable, Hashable {
    public var ratios: RatioTable
    public var caps: FrequencyCaps

    public static let `default` = RandomCheckSettings(ratios: .default, caps: .default)

    public init(ratios: RatioTable, caps: FrequencyCaps) {
        self.ratios = ratios
        self.caps = caps
    }

    /// Reads the CSV text; every problem names its line.
    public static func parse(csv text: String) throws(FieldError) -> RandomCheckSettings {
        var ratios: [CreditGrade: Int] = [:]
        var caps: [CreditGrade: Int] = [:]
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0 || cells.first == "grade" { continue }
            let path = "ratios.csv:\(index + 1)"
            guard cells.count == 3, let grade = CreditGrade(rawValue: cells[0].uppercased()) else {
                throw FieldError(
                    path: path,
                    code: "invalid_ratio_row",
                    zh: "行格式应为 等级,比例百分数,每年最多抽中次数",
                    en: "expected grade,ratio_percent,max_draws_per_year"
                )
            }
            guard let bp = RatioTable.basisPoints(percent: cells[1]) else {
                throw FieldError(
                    path: path,
                    code: "invalid_ratio",
                    zh: "比例应为 0–100 的百分数，最多两位小数",
                    en: "ratio must be a percentage 0–100 with at most two decimals"
                )
            }
            ratios[grade] = bp
            if !cells[2].isEmpty {
                guard let cap = Int(cells[2]), cap >= 0 else {
                    throw FieldError(path: path, code: "invalid_cap", zh: "每年最多抽中次数应为非负整数", en: "max draws per year must be a non-negative integer")
                }
                caps[grade] = cap
            }
        }
        for grade in CreditGrade.allCases where ratios[grade] == nil {
            throw FieldError(
                path: "ratios.csv",
                code: "missing_grade",
                zh: "缺少信用等级 \(grade.rawValue) 的比例",
                en: "no ratio for grade \(grade.rawValue)"
            )
        }
        return RandomCheckSettings(ratios: RatioTable(basisPoints: ratios), caps: FrequencyCaps(maxDrawsPerYear: caps))
    }
}
