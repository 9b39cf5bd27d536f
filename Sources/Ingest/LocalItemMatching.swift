import HubModel
import Normalization

/// The legal-basis step of reading a batch's resolution context, as a pure function: which local items the
/// matcher looks at (those without a decided mapping and not under review, each once), what it finds, and so
/// which catalog items' implementations the store must read next. The store reads the mappings, the open
/// reviews and the catalog index, calls this, and reads what it names: it decides nothing itself.
public enum LocalItemMatching {
    /// Matches and the catalog codes whose implementations the resolution needs.
    public struct Result: Sendable {
        public var matches: [String: MatchResult] = [:]
        public var catalogCodes: Set<String> = []
    }

    /// The records that carry no full pair of codes, i.e. those whose local item code decides their catalog item.
    public static func localRecords(_ records: [CanonicalRecord]) -> [CanonicalRecord] {
        records.filter { $0.item.catalogCode == nil || $0.item.implementationCode == nil }
    }

    /// `context` holds the decided mappings and the local codes under review; `catalogDepartment` is the profile's
    /// and `index` the catalog's (nil: the department has no profile, so nothing is matched and such records are
    /// held for review).
    public static func plan(
        _ records: [CanonicalRecord],
        context: ResolutionContext,
        catalogDepartment: String?,
        index: CatalogIndex?
    ) -> Result {
        var result = Result()
        result.catalogCodes = Set(context.mappings.values.compactMap(\.catalogCode))
        result.catalogCodes.formUnion(records.filter { $0.item.implementationCode == nil }.compactMap(\.item.catalogCode))
        guard let catalogDepartment, let index else { return result }
        for record in localRecords(records) {
            guard let code = record.item.localCode, context.mappings[code] == nil, !context.underReview.contains(code),
                result.matches[code] == nil
            else { continue }
            let item = LocalItem(
                localCode: code,
                localName: record.item.localName ?? "",
                itemType: ItemType(kind: record.kind),
                legalBasis: record.item.legalBasis ?? "",
                department: catalogDepartment
            )
            let match = ItemMatcher.match(item, in: index)
            result.matches[code] = match
            if let c = match.catalogCode { result.catalogCodes.insert(c) }
        }
        return result
    }
}
