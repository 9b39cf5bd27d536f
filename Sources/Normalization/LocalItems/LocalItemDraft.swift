import HubModel

/// An item set by local legislation (地方立法设立的监管事项) as ops register it, checked before anything is stored:
/// a name, an item type, the catalog department (主管部门, as the catalog spells it), the local regulation that sets
/// it — which must cite at least one instrument with an article (`CitationParser`), since the basis is what makes
/// it an item at all — an optional parent item, the levels that implement it, the region of the government whose
/// legislation sets it, and the agencies (USCC) that implement it.
///
/// Whether the department, the agencies and the parent exist is the store's check; this is the shape.
public struct LocalItemDraft: Sendable, Hashable {
    /// The hub department that registers the item (and whose local items may map to it).
    public var department: String
    public var name: String
    public var itemType: ItemType
    /// 主管部门 as the provincial catalog names it (e.g. `市场监管`).
    public var catalogDepartment: String
    public var legalBasis: String
    /// The provisions the basis cites, as the matcher reads them.
    public var legalRefs: [LegalReference]
    /// A provincial catalog item this one refines (14 digits), if any.
    public var parentCode: String?
    /// `3`, `4` or `3|4`.
    public var levels: String
    /// The region of the government whose legislation sets the item (`430400`, or a county `4304xx`).
    public var regionCode: String
    /// The agencies (USCC) that implement it; each gets an implementation item when the province codes the item.
    public var agencies: [String]

    public static let members: Set<String> = [
        "department", "name", "itemType", "catalogDepartment", "legalBasis", "parentCode", "levels", "regionCode", "agencies",
    ]

    public init(
        department: String,
        name: String,
        itemType: ItemType,
        catalogDepartment: String,
        legalBasis: String,
        parentCode: String? = nil,
        levels: String,
        regionCode: String,
        agencies: [String]
    ) {
        self.department = department
        self.name = name
        self.itemType = itemType
        self.catalogDepartment = catalogDepartment
        self.legalBasis = legalBasis
        self.legalRefs = CitationParser.parse(legalBasis)
        self.parentCode = parentCode
        self.levels = levels
        self.regionCode = regionCode
        self.agencies = agencies
    }

    /// Reads a draft from a JSON object; every problem is returned, each with its field path.
    public static func read(_ value: JSONValue) -> (draft: LocalItemDraft?, errors: [FieldError]) {
        var fields = DraftFields(value, known: members)
        guard fields.isObject else { return (nil, fields.errors) }
        let department = fields.text("department", max: 20)
        let name = fields.text("name", max: 200)
        let typeText = fields.text("itemType", max: 10)
        let itemType = typeText.flatMap(ItemType.init(rawValue:))
        if typeText != nil, itemType == nil || itemType == .other {
            fields.errors.append(
                FieldError(
                    path: "itemType",
                    code: "invalid_item_type",
                    zh: "事项类型应为 行政检查、行政处罚 或 行政强制",
                    en: "itemType is 行政检查, 行政处罚 or 行政强制"
                )
            )
        }
        let catalogDepartment = fields.text("catalogDepartment", max: 50)
        let basis = fields.text("legalBasis", max: 2000)
        if let basis, !CitationParser.parse(basis).contains(where: { $0.article != nil }) {
            fields.errors.append(
                FieldError(
                    path: "legalBasis",
                    code: "no_citation",
                    zh: "设定依据须引用地方性法规或规章的具体条款，如《湖南省食品生产加工小作坊和食品摊贩管理办法》第二十条",
                    en: "the basis must cite an instrument and an article of the local regulation that sets the item"
                )
            )
        }
        let parent = fields.text("parentCode", max: 14, required: false)
        if let parent, CatalogCode(parent) == nil {
            fields.errors.append(
                FieldError(path: "parentCode", code: "invalid_catalog_code", zh: "上级事项须为14位省级目录编码", en: "parentCode is a 14-digit catalog code")
            )
        }
        let levels = fields.text("levels", max: 5)
        if let levels, !["3", "4", "3|4"].contains(levels) {
            fields.errors.append(FieldError(path: "levels", code: "invalid_levels", zh: "实施层级应为 3、4 或 3|4", en: "levels is 3, 4 or 3|4"))
        }
        let region = fields.text("regionCode", max: 6)
        if let region, RegionCode(region)?.city != "430400" {
            fields.errors.append(
                FieldError(
                    path: "regionCode",
                    code: "invalid_region",
                    zh: "行政区划代码应为本市（430400）或所辖县市区（4304xx）",
                    en: "regionCode is the city (430400) or one of its counties (4304xx)"
                )
            )
        }
        var agencies: [String] = []
        switch value["agencies"] {
        case nil, .null?: fields.errors.append(.required("agencies"))
        case .array(let list)?:
            if list.isEmpty { fields.errors.append(.empty("agencies")) }
            for (i, element) in list.enumerated() {
                guard let code = element.stringValue, (try? USCC(code)) != nil else {
                    fields.errors.append(
                        FieldError(path: "agencies[\(i)]", code: "invalid_uscc", zh: "实施机构须为18位统一社会信用代码", en: "an agency is an 18-character USCC")
                    )
                    continue
                }
                if !agencies.contains(code) { agencies.append(code) }
            }
        case let other?: fields.errors.append(.wrongType("agencies", expected: "array", found: other.typeName))
        }
        guard fields.errors.isEmpty, let department, let name, let itemType, let catalogDepartment, let basis, let levels, let region else {
            return (nil, fields.errors)
        }
        return (
            LocalItemDraft(
                department: department,
                name: name,
                itemType: itemType,
                catalogDepartment: catalogDepartment,
                legalBasis: basis,
                parentCode: parent,
                levels: levels,
                regionCode: region,
                agencies: agencies
            ),
            []
        )
    }

    /// The implementation items of a coded item: for each agency, the province's layout — USCC, the level digit
    /// (3 for an agency of the city, 4 for a county's, read from the USCC's region part), the provincial code and
    /// sequence `01`. The province's implementation list, when imported later, adds versions over these.
    public static func implementationCodes(agencies: [String], provincialCode: String) -> [(code: String, agency: String, region: String, level: Int)]
    {
        agencies.map { agency in
            let region = String(agency.dropFirst(2).prefix(6))
            let level = region.hasSuffix("00") ? 3 : 4
            return (agency + String(level) + provincialCode + "01", agency, region, level)
        }
    }
}
