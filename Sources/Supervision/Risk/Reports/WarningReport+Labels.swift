extension WarningReport {
    /// Disposition kinds in the words of the 核查处置 forms.
    public static func dispositionLabel(_ kind: String) -> String {
        switch kind {
        case "no_problem": "未发现问题"
        case "rectification_ordered": "责令整改"
        case "case_opened": "立案查处"
        case "transferred": "移送处理"
        default: kind
        }
    }

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
