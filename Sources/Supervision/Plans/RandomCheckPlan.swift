import Foundation
import HubModel

/// A 抽查计划: what is checked (items), among whom (the subject filter), how many (ratios per credit grade,
/// clamped by a minimum and maximum), by whom (inspectors per task, drawn per department) and when (the period).
///
/// A joint plan (跨部门联合抽查) has a lead department and participants: the lead's draw picks the subjects once,
/// every department of the plan draws its own inspectors for each task, and the task carries every department's
/// items ("进一次门、查多项事").
public struct RandomCheckPlan: Sendable, Hashable, Codable {
    /// The plan's id, unique in the hub (e.g. `HY-SCJG-2026-001`): ≤ 50 characters of `[A-Za-z0-9-_]`, so that a
    /// task id (`planId-subjectId`) stays printable and unambiguous.
    public var planId: String
    public var name: String
    public var leadDepartment: String
    /// The other departments of a joint plan; empty for a department plan.
    public var participants: [String]
    /// Catalog codes of the plan's items, per department (the lead's and each participant's).
    public var items: [String: [String]]
    public var filter: SubjectFilter
    public var ratios: RatioTable
    public var minimumCount: Int
    public var maximumCount: Int
    /// Inspectors each department sends to each task (≥ 2).
    public var inspectorsPerTask: Int
    /// Only inspectors with this specialty are drawn, when set.
    public var inspectorSpecialty: String?
    /// The check period, `YYYY-MM-DD` both inclusive (Asia/Shanghai).
    public var periodStart: String
    public var periodEnd: String

    public init(
        planId: String,
        name: String,
        leadDepartment: String,
        participants: [String] = [],
        items: [String: [String]],
        filter: SubjectFilter = SubjectFilter(),
        ratios: RatioTable = .default,
        minimumCount: Int = 0,
        maximumCount: Int = 1_000_000,
        inspectorsPerTask: Int = 2,
        inspectorSpecialty: String? = nil,
        periodStart: String,
        periodEnd: String
    ) {
        self.planId = planId
        self.name = name
        self.leadDepartment = leadDepartment
        self.participants = participants
        self.items = items
        self.filter = filter
        self.ratios = ratios
        self.minimumCount = minimumCount
        self.maximumCount = maximumCount
        self.inspectorsPerTask = inspectorsPerTask
        self.inspectorSpecialty = inspectorSpecialty
        self.periodStart = periodStart
        self.periodEnd = periodEnd
    }

    public var isJoint: Bool { !participants.isEmpty }

    /// The lead first, then the participants in the order the plan names them.
    public var departments: [String] { [leadDepartment] + participants }

    /// Every problem with the plan as written, with a field path each; empty when the plan may be proposed.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        let idBytes = planId.utf8
        if idBytes.isEmpty || idBytes.count > 50
            || !idBytes.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
            })
        {
            errors.append(
                FieldError(path: "planId", code: "invalid_plan_id", zh: "计划编号应为 1–50 位字母、数字、- 或 _", en: "planId must be 1–50 letters, digits, - or _")
            )
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(.required("name")) }
        if Set(departments).count != departments.count {
            errors.append(
                FieldError(path: "participants", code: "duplicate_department", zh: "参与部门重复或包含牵头部门", en: "a participant is repeated or is the lead")
            )
        }
        for department in departments {
            let codes = items[department] ?? []
            if codes.isEmpty {
                errors.append(
                    FieldError(
                        path: "items.\(department)",
                        code: "no_items",
                        zh: "每个部门至少列出一个抽查事项",
                        en: "every department of the plan names at least one item"
                    )
                )
            }
            for (index, code) in codes.enumerated() where CatalogCode(code) == nil {
                errors.append(
                    FieldError(
                        path: "items.\(department)[\(index)]",
                        code: "invalid_catalog_code",
                        zh: "监管事项目录编码应为 14 位数字",
                        en: "catalog code must be 14 digits"
                    )
                )
            }
        }
        for department in items.keys where !departments.contains(department) {
            errors.append(
                FieldError(
                    path: "items.\(department)",
                    code: "not_a_plan_department",
                    zh: "该部门不是本计划的牵头或参与部门",
                    en: "this department is neither the lead nor a participant"
                )
            )
        }
        if inspectorsPerTask < 2 {
            errors.append(
                FieldError(path: "inspectorsPerTask", code: "too_few_inspectors", zh: "每个任务至少 2 名执法检查人员", en: "at least 2 inspectors per task")
            )
        }
        if minimumCount < 0 || maximumCount < minimumCount {
            errors.append(
                FieldError(
                    path: "maximumCount",
                    code: "invalid_count_range",
                    zh: "最少抽取数不能为负，最多抽取数不能小于最少抽取数",
                    en: "minimum must be ≥ 0 and maximum ≥ minimum"
                )
            )
        }
        let start = CalendarDate(periodStart)
        let end = CalendarDate(periodEnd)
        if start == nil {
            errors.append(FieldError(path: "periodStart", code: "invalid_date", zh: "日期格式应为 YYYY-MM-DD", en: "date must be YYYY-MM-DD"))
        }
        if end == nil { errors.append(FieldError(path: "periodEnd", code: "invalid_date", zh: "日期格式应为 YYYY-MM-DD", en: "date must be YYYY-MM-DD")) }
        if let start, let end, end < start {
            errors.append(FieldError(path: "periodEnd", code: "period_reversed", zh: "计划结束日期早于开始日期", en: "the period ends before it starts"))
        }
        for grade in CreditGrade.allCases where !(0...10000).contains(ratios.basisPoints(for: grade)) {
            errors.append(
                FieldError(path: "ratios.\(grade.rawValue)", code: "invalid_ratio", zh: "比例应在 0–100% 之间", en: "ratio must be between 0 and 100 %")
            )
        }
        if let region = filter.regionCode, RegionCode(region) == nil {
            errors.append(FieldError(path: "filter.regionCode", code: "invalid_region", zh: "行政区划代码应为 6 位数字", en: "region code must be 6 digits"))
        }
        return errors
    }
}

/// Which subjects of the object library a plan draws from. Every condition set must hold; an unset one admits all.
public struct SubjectFilter: Sendable, Hashable, Codable {
    /// A province, city or county code: subjects registered inside it.
    public var regionCode: String?
    /// GB/T 4754 prefixes: a subject whose industry code starts with any of them.
    public var industryPrefixes: [String]
    /// Every one of these tags.
    public var tags: [String]
    /// Any of these subject types.
    public var subjectTypes: [String]

    public init(regionCode: String? = nil, industryPrefixes: [String] = [], tags: [String] = [], subjectTypes: [String] = []) {
        self.regionCode = regionCode
        self.industryPrefixes = industryPrefixes
        self.tags = tags
        self.subjectTypes = subjectTypes
    }

    public func admits(_ subject: InspectionSubject) -> Bool {
        if let regionCode, !RegionScope(regionCode).contains(subject.regionCode) { return false }
        if !industryPrefixes.isEmpty, !industryPrefixes.contains(where: { subject.industryCode.hasPrefix($0) }) { return false }
        if !tags.allSatisfy(subject.tags.contains) { return false }
        if !subjectTypes.isEmpty, !subjectTypes.contains(subject.subjectType) { return false }
        return true
    }
}
