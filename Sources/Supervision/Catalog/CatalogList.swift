/// The city list and the county lists (市、县两级监管事项目录清单), derived from published claims, in the layout
/// the province's lists use: 序号, 事项名称, 目录编码, 主项/子项, 事项类型, 设定依据, 实施主体, 实施编码, 层级, 区划,
/// and the agency's 检查内容, 检查方式, 检查频次.
public enum CatalogList {
    /// One published claim with its catalog item.
    public struct Entry: Sendable, Hashable {
        public var catalogCode: String
        public var name: String
        public var itemType: String
        public var legalBasis: String
        /// Nil for a main item (主项); the main item's code for a sub-item (子项).
        public var parentCode: String?
        public var agencyCode: String
        public var agencyName: String
        public var implementationCode: String
        public var regionCode: String
        public var level: ClaimLevel
        public var details: ClaimDetails

        public init(
            catalogCode: String,
            name: String,
            itemType: String,
            legalBasis: String,
            parentCode: String?,
            agencyCode: String,
            agencyName: String,
            implementationCode: String,
            regionCode: String,
            level: ClaimLevel,
            details: ClaimDetails
        ) {
            self.catalogCode = catalogCode
            self.name = name
            self.itemType = itemType
            self.legalBasis = legalBasis
            self.parentCode = parentCode
            self.agencyCode = agencyCode
            self.agencyName = agencyName
            self.implementationCode = implementationCode
            self.regionCode = regionCode
            self.level = level
            self.details = details
        }

        /// 主项 or 子项.
        public var part: String { parentCode == nil ? "主项" : "子项" }
    }

    public static let header = [
        "序号", "事项名称", "目录编码", "主项/子项", "事项类型", "设定依据", "实施主体", "实施编码", "层级", "区划", "检查内容", "检查方式", "检查频次",
    ]

    /// The rows in list order (by region, then catalog code, then agency), numbered from 1.
    public static func rows(_ entries: [Entry]) -> [[String]] {
        let sorted = entries.sorted { ($0.regionCode, $0.catalogCode, $0.agencyCode) < ($1.regionCode, $1.catalogCode, $1.agencyCode) }
        return sorted.enumerated().map { i, e in
            [
                String(i + 1), e.name, e.catalogCode, e.part, e.itemType, e.legalBasis, e.agencyName, e.implementationCode, e.level.label,
                HengyangRegions.name(e.regionCode), e.details.checkContent, e.details.checkMethod, e.details.checkFrequency,
            ]
        }
    }

    /// The file name of a list: `city-list-430400` or `county-list-430421` (ASCII, for every browser).
    public static func fileName(level: ClaimLevel, region: String?) -> String {
        (level == .city ? "city-list" : "county-list") + (region.map { "-" + $0 } ?? "")
    }

    /// The sheet's title: 衡阳市市级监管事项目录清单, 衡阳县县级监管事项目录清单.
    public static func title(level: ClaimLevel, region: String?) -> String {
        (region.map(HengyangRegions.name) ?? (level == .city ? "衡阳市" : "各区县")) + level.label + "监管事项目录清单"
    }
}
