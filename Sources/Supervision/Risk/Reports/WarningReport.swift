import HubModel

/// 风险预警报告: a month's warnings per model and for the city — how many were raised, verified, found true,
/// disposed, closed and overdue, where (region, industry), and the trend of the months before.
///
/// A pure function of the clues it is given, so the console page, the PDF and the copy sent to the province say the
/// same thing, and a report made again from the same rows is the same report.
public struct WarningReport: Sendable, Hashable {
    public var month: ReportMonth
    /// One line per model: the five in their fixed order, then any other model the province used.
    public var models: [Line]
    /// All models together.
    public var city: Line
    /// Warnings raised in the month per region and per industry, largest first (ties by code).
    public var byRegion: [Count]
    public var byIndustry: [Count]
    /// Disposition kinds of the month's warnings that were disposed.
    public var dispositions: [Count]
    /// The months up to this one (oldest first) and, per model line, the warnings raised in each.
    public var trendMonths: [ReportMonth]
    public var trend: [String: [Int]]

    public struct Line: Sendable, Hashable {
        public var model: String
        public var label: String
        public var raised = 0
        public var fromCity = 0
        public var verified = 0
        public var truePositives = 0
        public var falsePositives = 0
        public var disposed = 0
        public var closed = 0
        public var overdue = 0

        public init(model: String, label: String) {
            self.model = model
            self.label = label
        }

        /// True positives among verified warnings, in percent with one decimal; nil before any verdict.
        public var truePositivePercent: Double? {
            let judged = truePositives + falsePositives
            guard judged > 0 else { return nil }
            return (Double(truePositives) * 1000 / Double(judged)).rounded() / 10
        }

        mutating func count(_ clue: ReportedClue) {
            raised += 1
            if clue.fromCity { fromCity += 1 }
            switch clue.verdict {
            case .truePositive?:
                verified += 1
                truePositives += 1
            case .falsePositive?:
                verified += 1
                falsePositives += 1
            case nil: break
            }
            if clue.disposition != nil { disposed += 1 }
            if clue.closed { closed += 1 }
            if clue.overdue { overdue += 1 }
        }
    }

    public struct Count: Sendable, Hashable {
        public var key: String
        public var count: Int
    }

    /// How many months the trend shows, this one included.
    public static let trendLength = 6

    /// The report of `month` from `clues`: those raised in the month are counted; those raised in the five months
    /// before only feed the trend. Others are ignored.
    public init(month: ReportMonth, clues: [ReportedClue]) {
        self.month = month
        trendMonths = (0..<Self.trendLength).reversed().map { month.adding(months: -$0) }
        let inMonth = clues.filter { month.contains($0.raisedOn) }
        var lines: [String: Line] = [:]
        for model in RiskModelID.allCases { lines[model.rawValue] = Line(model: model.rawValue, label: model.label) }
        var city = Line(model: "city", label: "全市")
        for clue in inMonth {
            lines[clue.model, default: Line(model: clue.model, label: clue.model)].count(clue)
            city.count(clue)
        }
        let fixed = RiskModelID.allCases.map(\.rawValue)
        models = fixed.compactMap { lines[$0] } + lines.keys.filter { !fixed.contains($0) }.sorted().compactMap { lines[$0] }
        self.city = city
        byRegion = Self.counts(inMonth.map(\.regionCode))
        byIndustry = Self.counts(inMonth.map { $0.industryCode.isEmpty ? "未知" : $0.industryCode })
        dispositions = Self.counts(inMonth.compactMap(\.disposition?.rawValue))
        var trend: [String: [Int]] = [:]
        for line in models { trend[line.model] = Array(repeating: 0, count: Self.trendLength) }
        trend["city"] = Array(repeating: 0, count: Self.trendLength)
        for clue in clues {
            guard let index = trendMonths.firstIndex(where: { $0.contains(clue.raisedOn) }) else { continue }
            trend[clue.model, default: Array(repeating: 0, count: Self.trendLength)][index] += 1
            trend["city", default: Array(repeating: 0, count: Self.trendLength)][index] += 1
        }
        for line in models where trend[line.model] == nil { trend[line.model] = Array(repeating: 0, count: Self.trendLength) }
        self.trend = trend
    }

    static func counts(_ keys: [String]) -> [Count] {
        Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +).map { Count(key: $0.key, count: $0.value) }
            .sorted { ($0.count, $1.key) > ($1.count, $0.key) }
    }
}

/// A calendar month, the period of a warning report.
public struct ReportMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// `YYYY-MM`; nil for anything else.
    public init?(_ text: String) {
        guard text.utf8.count == 7, let date = CalendarDate(text + "-01") else { return nil }
        (year, month) = (date.year, date.month)
    }

    public init(containing date: CalendarDate) { (year, month) = (date.year, date.month) }

    public var description: String { String(year) + "-" + (month < 10 ? "0" : "") + String(month) }

    /// The month's first and last days.
    public var first: CalendarDate { CalendarDate("\(description)-01")! }
    public var last: CalendarDate { adding(months: 1).first.adding(days: -1) }

    public func contains(_ date: CalendarDate) -> Bool { date.year == year && date.month == month }

    public func adding(months: Int) -> ReportMonth {
        let index = year * 12 + (month - 1) + months
        return ReportMonth(index: index)
    }

    private init(index: Int) { (year, month) = (index / 12, index % 12 + 1) }

    public static func < (lhs: ReportMonth, rhs: ReportMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}
