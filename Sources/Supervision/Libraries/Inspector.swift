/// One entry of the 执法检查人员名录库: an inspector of one department, known by the 执法证号.
public struct Inspector: Sendable, Hashable, Codable {
    public var departmentCode: String
    /// 执法证号: the inspector's key in draws and records.
    public var certificateNo: String
    public var name: String
    /// The region the inspector works in; a city-level code (`430400`) covers every county of the city.
    public var regionCode: String
    /// 专业领域 (e.g. 药品, 食品, 特种设备).
    public var specialties: [String]
    public var status: InspectorStatus

    public init(
        departmentCode: String,
        certificateNo: String,
        name: String,
        regionCode: String,
        specialties: [String] = [],
        status: InspectorStatus = .active
    ) {
        self.departmentCode = departmentCode
        self.certificateNo = certificateNo
        self.name = name
        self.regionCode = regionCode
        self.specialties = specialties
        self.status = status
    }

    /// Whether the inspector may be sent to a subject registered in `subjectRegion`: the inspector's region is the
    /// subject's, or the city or province that contains it.
    public func covers(subjectRegion: String) -> Bool {
        RegionScope(regionCode).contains(subjectRegion)
    }
}

/// Whether an inspector may be drawn: only `active` inspectors are.
public enum InspectorStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// 在岗.
    case active
    /// 暂停执法 (suspended, on leave, certificate under review).
    case suspended
    /// 调离或注销.
    case left

    public var labelZh: String {
        switch self {
        case .active: "在岗"
        case .suspended: "暂停"
        case .left: "调离/注销"
        }
    }
}

/// A declared conflict of interest (利害关系) between an inspector and a subject: the inspector must withdraw
/// (回避) from any task on that subject.
public struct InterestConflict: Sendable, Hashable, Codable {
    public var certificateNo: String
    public var subjectId: String
    public var reason: String

    public init(certificateNo: String, subjectId: String, reason: String) {
        self.certificateNo = certificateNo
        self.subjectId = subjectId
        self.reason = reason
    }
}

/// A region code read as the area it names: `430000` a province, `430400` a city, `430405` a county.
public struct RegionScope: Sendable, Hashable {
    public let code: String

    public init(_ code: String) { self.code = code }

    /// The significant prefix: 2 digits for a province, 4 for a city, 6 for a county.
    public var prefix: Substring {
        if code.hasSuffix("0000") { return code.prefix(2) }
        if code.hasSuffix("00") { return code.prefix(4) }
        return code.prefix(6)
    }

    public func contains(_ region: String) -> Bool { region.count == 6 && region.hasPrefix(prefix) }
}
