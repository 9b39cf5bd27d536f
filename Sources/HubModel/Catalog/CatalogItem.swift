/// One item of the provincial catalog (监管事项目录) as published: a row of the catalog file, or the item
/// of a change the province's catalog feed sends down (`CatalogChange` in Exchange). The store keeps every
/// version of it.
package struct CatalogItem: Sendable, Hashable {
    package var code: String
    package var name: String
    package var itemType: ItemType
    package var department: String
    package var legalBasis: String
    package var parentCode: String?
    /// The levels that implement the item, as published (`3|4`).
    package var levels: String
    package var status: CatalogStatus
    /// When this version takes effect (`YYYY-MM-DD`); the import time when the publisher does not say.
    package var effectiveFrom: String?

    package init(
        code: String,
        name: String,
        itemType: ItemType,
        department: String,
        legalBasis: String,
        parentCode: String? = nil,
        levels: String = "",
        status: CatalogStatus = .active,
        effectiveFrom: String? = nil
    ) {
        self.code = code
        self.name = name
        self.itemType = itemType
        self.department = department
        self.legalBasis = legalBasis
        self.parentCode = parentCode
        self.levels = levels
        self.status = status
        self.effectiveFrom = effectiveFrom
    }

    /// The item without its effective date: two versions that differ only in when they take effect say the same.
    package var content: CatalogItem {
        var item = self
        item.effectiveFrom = nil
        return item
    }
}

/// One implementation item (实施清单): the catalog item as one agency at one level implements it.
package struct ImplementationItem: Sendable, Hashable {
    package var code: String
    package var catalogCode: String
    package var agencyCode: String
    package var agencyName: String
    package var regionCode: String
    package var level: Int

    package init(code: String, catalogCode: String, agencyCode: String, agencyName: String, regionCode: String, level: Int) {
        self.code = code
        self.catalogCode = catalogCode
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.regionCode = regionCode
        self.level = level
    }
}
