import HubModel

/// Where a record's item lands in the provincial catalog, and by which rule.
public enum ItemResolution: Sendable, Equatable {
    /// Resolved: the record can be normalized, written to the ledger and delivered. `release` is the mapping
    /// release used, nil for the record's own codes and for a fresh automatic match (the store makes its release).
    case resolved(catalogCode: String, implementationCode: String, rule: ResolutionRule, release: Int64?)
    /// No safe answer yet: the record waits for a person to review its local item.
    case held(HoldReason)
    /// The department asserted something the catalog or a decision contradicts: it must fix the record.
    case rejected([FieldError])
}

/// Why a record waits (shown to ops staff on the review item).
public enum HoldReason: String, Sendable, Codable, CaseIterable {
    /// The department has no profile, so its items cannot be matched by legal basis.
    case noProfile = "no_profile"
    /// Several catalog items share the basis, or something contradicts: a person decides.
    case ambiguous
    /// No catalog item of the department and type shares an instrument and article.
    case unmatched
    /// The item is matched, but the record's agency has no implementation item for it.
    case noImplementation = "no_implementation"
    /// An earlier version of the same record waits: a version never overtakes an earlier one.
    case earlierVersionHeld = "earlier_version_held"
    /// The mapping's catalog item changed or was retired: the mapping is back in review.
    case catalogChanged = "catalog_changed"
    /// A review of this local item is open: nothing decides it automatically meanwhile.
    case underReview = "under_review"
    /// The local item maps to an item set by local legislation that the province has not coded yet: the record
    /// waits for the provincial code (it is never delivered with the hub's provisional `L…` code).
    case awaitingProvincialCode = "awaiting_provincial_code"
}

/// The rule that normalized a record; recorded in the ledger entry so an auditor can see why.
public enum ResolutionRule: String, Sendable, Codable, CaseIterable {
    /// The record carried a catalog code and an implementation code that the catalog confirms.
    case recordCodes = "record-codes"
    /// The department's local item has a confirmed mapping (a person's decision, a profile or an earlier auto match).
    case confirmedMapping = "confirmed-mapping"
    /// Matched now by legal basis: exactly one candidate with the same instrument and article.
    case legalBasis = "legal-basis"
}

/// What the resolution knows beyond the record: gathered by the store, decided here.
public struct ResolutionContext: Sendable {
    /// Implementation items by implementation code.
    public var facts: [String: ImplementationFacts]
    /// Active implementation items by catalog code (to pick the one of the record's agency).
    public var implementationsByCatalog: [String: [ImplementationFacts]]
    /// Decided mappings by local code.
    public var mappings: [String: ConfirmedMapping]
    /// Legal-basis match results by local code (absent when the department has no profile).
    public var matches: [String: MatchResult]
    /// The department's agency level (from its profile), preferred when several items fit.
    public var agencyLevel: Int?
    /// Local codes with an unresolved review: they wait for it.
    public var underReview: Set<String> = []
    /// The random-check tasks the records name (`taskId`), with their plans, departments and teams.
    public var taskTeams: [String: TaskTeams] = [:]
    /// Every version of the items the batch mentions (the store loads it): a record is judged by the versions
    /// in force on its act date. Without it (or for a record without an act date) `facts` and
    /// `implementationsByCatalog` — the catalog as it stands now — are taken as in force on every day.
    public var timeline: CatalogTimeline?

    /// The facts of one implementation item on the record's act date.
    func facts(_ code: String, on day: CalendarDate?) -> DatedFacts {
        if let timeline, let day { return timeline.facts(implementationCode: code, on: day) }
        return facts[code].map(DatedFacts.inForce) ?? .unknown
    }

    /// The implementation items of a catalog item as they stood on the act date (only those in force).
    func implementations(of catalogCode: String, on day: CalendarDate?) -> [ImplementationFacts] {
        guard let timeline, let day else { return implementationsByCatalog[catalogCode] ?? [] }
        return (timeline.byCatalog[catalogCode] ?? []).compactMap { code in
            if case .inForce(let f) = timeline.facts(implementationCode: code, on: day), f.catalogCode == catalogCode { f } else { nil }
        }
    }

    public init(
        facts: [String: ImplementationFacts] = [:],
        implementationsByCatalog: [String: [ImplementationFacts]] = [:],
        mappings: [String: ConfirmedMapping] = [:],
        matches: [String: MatchResult] = [:],
        agencyLevel: Int? = nil
    ) {
        self.facts = facts
        self.implementationsByCatalog = implementationsByCatalog
        self.mappings = mappings
        self.matches = matches
        self.agencyLevel = agencyLevel
    }
}

/// The item resolution, in order: a valid catalog and implementation code on the record; a decided mapping
/// of the local item; a legal-basis match that is sure; otherwise held for review.
///
/// Codes a department sends are an assertion: when the catalog contradicts them (unknown, retired, of
/// another item type or agency) the record is rejected with the reason rather than held, because holding
/// would hide the department's own error from it. A "no match" decision rejects records of that item.
public enum ItemResolver {
    public static func resolve(_ record: CanonicalRecord, path: String, context: ResolutionContext) -> ItemResolution {
        let item = record.item
        if let catalogCode = item.catalogCode, let implementationCode = item.implementationCode {
            return checkRecordCodes(
                record,
                path: path,
                catalogCode: catalogCode,
                implementationCode: implementationCode,
                facts: context.facts(implementationCode, on: record.actDate)
            )
        }
        // A catalog code alone is an assertion too: it is taken with the implementation item of the record's agency.
        if let catalogCode = item.catalogCode {
            guard let impl = pickImplementation(catalogCode: catalogCode, record: record, preferred: nil, context: context) else {
                if let dated = datedRejection(catalogCode: catalogCode, record: record, path: "\(path).item.catalogCode", context: context) {
                    return .rejected([dated])
                }
                let known = context.implementations(of: catalogCode, on: record.actDate)
                let code =
                    known.isEmpty
                    ? "unknown_catalog_code"
                    : (known.contains { $0.itemType.recordKind != record.kind } ? "item_type_mismatch" : "no_implementation_for_agency")
                return .rejected([
                    FieldError(
                        path: "\(path).item.catalogCode",
                        code: code,
                        zh: "该监管事项目录编码不存在、已停用、类型不符，或本实施机构没有对应的检查实施清单",
                        en: "the catalog code is unknown, retired, of another item type, or has no implementation item of this agency"
                    )
                ])
            }
            return .resolved(catalogCode: catalogCode, implementationCode: impl, rule: .recordCodes, release: nil)
        }
        guard let localCode = item.localCode else { return .held(.noProfile) }
        if let mapping = context.mappings[localCode] {
            guard mapping.relationship != "no-match", let catalogCode = mapping.catalogCode else {
                return .rejected([
                    FieldError(
                        path: "\(path).item.localCode",
                        code: "item_not_in_catalog",
                        zh: "该本地事项经审核确认不属于省级监管事项目录（清单之外无监管），记录不予报送",
                        en: "this local item was reviewed and has no provincial catalog item: the record is not taken"
                    )
                ])
            }
            if ProvisionalItemCode.isProvisional(catalogCode) { return .held(.awaitingProvincialCode) }
            if let type = context.implementationsByCatalog[catalogCode]?.first?.itemType, type.recordKind != record.kind {
                return .rejected([
                    FieldError(
                        path: "\(path).kind",
                        code: "item_type_mismatch",
                        zh: "记录类型与该本地事项所映射的监管事项类型（\(type.rawValue)）不一致",
                        en: "the record kind does not match the type \(type.rawValue) of the catalog item this local item maps to"
                    )
                ])
            }
            guard let impl = pickImplementation(catalogCode: catalogCode, record: record, preferred: mapping.implementationCode, context: context)
            else {
                return .held(.noImplementation)
            }
            return .resolved(catalogCode: catalogCode, implementationCode: impl, rule: .confirmedMapping, release: mapping.release)
        }
        if context.underReview.contains(localCode) { return .held(.underReview) }
        guard let match = context.matches[localCode] else { return .held(.noProfile) }
        switch match.decision {
        case .auto:
            guard let catalogCode = match.catalogCode,
                let impl = pickImplementation(catalogCode: catalogCode, record: record, preferred: nil, context: context)
            else {
                return .held(.noImplementation)
            }
            return .resolved(catalogCode: catalogCode, implementationCode: impl, rule: .legalBasis, release: nil)
        case .review:
            return .held(.ambiguous)
        case .unmatched:
            return .held(.unmatched)
        }
    }

    /// The implementation item of the record's own agency for a catalog item (preferring the department's level).
    /// Only an active item of an active catalog item of the record's own kind qualifies.
    static func pickImplementation(catalogCode: String, record: CanonicalRecord, preferred: String?, context: ResolutionContext) -> String? {
        func fits(_ f: ImplementationFacts) -> Bool {
            f.catalogCode == catalogCode && f.agencyCode == record.agencyCode && f.implementationActive && f.catalogActive
                && f.itemType.recordKind == record.kind
        }
        let inForce = context.implementations(of: catalogCode, on: record.actDate)
        if let preferred, let f = inForce.first(where: { $0.implementationCode == preferred }), fits(f) {
            return preferred
        }
        let own = inForce.filter(fits)
        return (own.first { $0.level == context.agencyLevel } ?? own.first)?.implementationCode
    }

    static func checkRecordCodes(
        _ record: CanonicalRecord,
        path: String,
        catalogCode: String,
        implementationCode: String,
        facts dated: DatedFacts
    ) -> ItemResolution {
        let p = "\(path).item"
        if case .notYetEffective(let day) = dated { return .rejected([notYetEffective(day, path: "\(p).catalogCode")]) }
        guard case .inForce(let facts) = dated else {
            return .rejected([
                FieldError(
                    path: "\(p).implementationCode",
                    code: "unknown_implementation_code",
                    zh: "检查实施清单编码在省级目录中不存在",
                    en: "the implementation code is not in the provincial catalog"
                )
            ])
        }
        var errors: [FieldError] = []
        if facts.catalogCode != catalogCode {
            errors.append(
                FieldError(
                    path: "\(p).catalogCode",
                    code: "implementation_catalog_mismatch",
                    zh: "实施清单编码不属于该监管事项目录编码（应为 \(facts.catalogCode)）",
                    en: "the implementation item belongs to catalog item \(facts.catalogCode)"
                )
            )
        }
        if !facts.catalogActive || !facts.implementationActive {
            errors.append(retired(since: facts.retiredOn, path: "\(p).catalogCode"))
        }
        if facts.itemType.recordKind != record.kind {
            errors.append(
                FieldError(
                    path: "\(path).kind",
                    code: "item_type_mismatch",
                    zh: "记录类型与监管事项类型（\(facts.itemType.rawValue)）不一致",
                    en: "the record kind does not match the item type \(facts.itemType.rawValue)"
                )
            )
        }
        if facts.agencyCode != record.agencyCode {
            errors.append(
                FieldError(
                    path: "\(path).agency.code",
                    code: "implementation_agency_mismatch",
                    zh: "实施机构编码与检查实施清单的实施机构不一致",
                    en: "the agency is not the implementing agency of this implementation item"
                )
            )
        }
        guard errors.isEmpty else { return .rejected(errors) }
        return .resolved(catalogCode: catalogCode, implementationCode: implementationCode, rule: .recordCodes, release: nil)
    }

    /// A catalog code alone whose items of the record's agency and kind were retired or not yet in force on the
    /// act date: said as such rather than as "no implementation".
    static func datedRejection(catalogCode: String, record: CanonicalRecord, path: String, context: ResolutionContext) -> FieldError? {
        guard let timeline = context.timeline, let day = record.actDate else { return nil }
        for code in timeline.byCatalog[catalogCode] ?? [] {
            switch timeline.facts(implementationCode: code, on: day) {
            case .notYetEffective(let from):
                if timeline.implementations[code]?.first?.agencyCode == record.agencyCode { return notYetEffective(from, path: path) }
            case .inForce(let f) where f.agencyCode == record.agencyCode && f.itemType.recordKind == record.kind:
                if !f.catalogActive || !f.implementationActive { return retired(since: f.retiredOn, path: path) }
            default:
                continue
            }
        }
        return nil
    }

    static func retired(since day: CalendarDate?, path: String) -> FieldError {
        FieldError(
            path: path,
            code: "catalog_item_retired",
            zh: day.map { "该监管事项自 \($0) 起停用" } ?? "该监管事项已停用",
            en: day.map { "the catalog item or implementation item is retired from \($0)" } ?? "the catalog item or implementation item is retired"
        )
    }

    static func notYetEffective(_ day: CalendarDate, path: String) -> FieldError {
        FieldError(
            path: path,
            code: "catalog_item_not_yet_effective",
            zh: "该监管事项自 \(day) 起施行，行为日期早于此日",
            en: "the catalog item or implementation item takes effect on \(day), after the act date"
        )
    }
}
