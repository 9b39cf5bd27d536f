import HubModel

/// Where a record's item lands in the provincial catalog, and by which rule.
public enum ItemResolution: Sendable, Equatable {
    /// Resolved: the record can be normalized, written to the ledger and delivered.
    case resolved(catalogCode: String, implementationCode: String, rule: ResolutionRule, release: Int64?)
    /// No safe answer yet: the record waits for a person to review its local item.
    case held
    /// The department asserted codes that the catalog contradicts: the department must fix the record.
    case rejected([FieldError])
}

/// The rule that normalized a record; recorded in the ledger entry so an auditor can see why.
public enum ResolutionRule: String, Sendable, Codable {
    /// The record carried a catalog code and an implementation code that the catalog confirms.
    case recordCodes = "record-codes"
    /// The department's local item has a confirmed mapping.
    case confirmedMapping = "confirmed-mapping"
}

/// The item resolution of the foundation (before legal-basis matching lands): codes on the record, else
/// a confirmed mapping, else held for review.
///
/// Codes a department sends are an assertion: when the catalog contradicts them (unknown, retired, of
/// another item type or agency) the record is rejected with the reason rather than held, because holding
/// would hide the department's own error from it.
public enum ItemResolver {
    public static func resolve(
        _ record: CanonicalRecord,
        path: String,
        facts: ImplementationFacts?,
        mapping: ConfirmedMapping?
    ) -> ItemResolution {
        let item = record.item
        if let catalogCode = item.catalogCode, let implementationCode = item.implementationCode {
            let p = "\(path).item"
            guard let facts else {
                return .rejected([FieldError(path: "\(p).implementationCode", code: "unknown_implementation_code",
                                             zh: "检查实施清单编码在省级目录中不存在", en: "the implementation code is not in the provincial catalog")])
            }
            var errors: [FieldError] = []
            if facts.catalogCode != catalogCode {
                errors.append(FieldError(path: "\(p).catalogCode", code: "implementation_catalog_mismatch",
                                         zh: "实施清单编码不属于该监管事项目录编码（应为 \(facts.catalogCode)）",
                                         en: "the implementation item belongs to catalog item \(facts.catalogCode)"))
            }
            if !facts.catalogActive || !facts.implementationActive {
                errors.append(FieldError(path: "\(p).catalogCode", code: "catalog_item_retired",
                                         zh: "该监管事项已停用", en: "the catalog item or implementation item is retired"))
            }
            if facts.itemType.recordKind != record.kind {
                errors.append(FieldError(path: "\(path).kind", code: "item_type_mismatch",
                                         zh: "记录类型与监管事项类型（\(facts.itemType.rawValue)）不一致",
                                         en: "the record kind does not match the item type \(facts.itemType.rawValue)"))
            }
            if facts.agencyCode != record.agencyCode {
                errors.append(FieldError(path: "\(path).agency.code", code: "implementation_agency_mismatch",
                                         zh: "实施机构编码与检查实施清单的实施机构不一致",
                                         en: "the agency is not the implementing agency of this implementation item"))
            }
            guard errors.isEmpty else { return .rejected(errors) }
            return .resolved(catalogCode: catalogCode, implementationCode: implementationCode, rule: .recordCodes, release: nil)
        }
        if let mapping {
            return .resolved(catalogCode: mapping.catalogCode, implementationCode: mapping.implementationCode,
                             rule: .confirmedMapping, release: mapping.release)
        }
        return .held
    }
}
