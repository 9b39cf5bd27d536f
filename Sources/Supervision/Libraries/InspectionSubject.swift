import Foundation

/// One entry of the 检查对象名录库: a market entity or other subject that random checks may draw.
///
/// `id` is the subject's key everywhere in a draw (candidate list, ranking, task id): its USCC, or the number of
/// the ID type `idType` names (national dictionary `id_type`, `001` = USCC).
public struct InspectionSubject: Sendable, Hashable, Codable {
    public var id: String
    public var idType: String
    public var name: String
    /// 行政区划代码 of the subject's registered place.
    public var regionCode: String
    /// GB/T 4754 industry code (门类 letter or 2–4 digit class), e.g. `F5251` or `5251`.
    public var industryCode: String
    /// 监管对象类型 (national dictionary `subject_type`).
    public var subjectType: String
    /// Licence kinds and other tags the filter of a plan may ask for (e.g. `药品经营许可证`).
    public var tags: [String]
    public var credit: CreditGrade
    /// When the grade was given (`YYYY-MM-DD`), and by whom (`province`, a department code …).
    public var creditDate: String?
    public var creditSource: String?
    /// 风险等级 as the department states it; informational, the draw strata are the credit grades.
    public var riskLevel: String?

    public init(
        id: String,
        idType: String = "001",
        name: String,
        regionCode: String,
        industryCode: String = "",
        subjectType: String = "",
        tags: [String] = [],
        credit: CreditGrade = .ungraded,
        creditDate: String? = nil,
        creditSource: String? = nil,
        riskLevel: String? = nil
    ) {
        self.id = id
        self.idType = idType
        self.name = name
        self.regionCode = regionCode
        self.industryCode = industryCode
        self.subjectType = subjectType
        self.tags = tags
        self.credit = credit
        self.creditDate = creditDate
        self.creditSource = creditSource
        self.riskLevel = riskLevel
    }
}
