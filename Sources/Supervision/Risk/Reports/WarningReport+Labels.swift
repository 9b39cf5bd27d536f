extension WarningReport {
    /// A disposition kind's label (`ClueDisposition.Kind.label`), for the keys of `dispositions`.
    public static func dispositionLabel(_ kind: String) -> String { ClueDisposition.Kind(rawValue: kind)?.label ?? kind }

    /// The columns of the per-model table, in order, as both the page and the PDF print them.
    public static let columns = ["预警数", "本市模型", "已核查", "属实", "不属实", "属实率", "已处置", "已办结", "逾期"]

    /// A line's cells under `columns`.
    public static func cells(_ line: Line) -> [String] {
        [
            String(line.raised), String(line.fromCity), String(line.verified), String(line.truePositives), String(line.falsePositives),
            line.truePositivePercent.map { "\($0)%" } ?? "—", String(line.disposed), String(line.closed), String(line.overdue),
        ]
    }
}
