/// The canonical record v1 as data: every field, its type, whether it is required, its limits and the
/// check its value must pass.
///
/// One declarative description drives decoding of both wire forms (JSON now, XML through the same
/// `JSONValue` tree), the field-path errors, and the documents in `Schemas/`. Cross-field rules
/// (two inspectors, dates in order, party id by id type) live in `RecordRules`.
public indirect enum FieldSpec: Sendable {
    case text(max: Int, check: TextCheck = .none)
    case flag
    case object([Member])
    case list(of: FieldSpec, min: Int, max: Int)

    public struct Member: Sendable {
        public var name: String
        public var spec: FieldSpec
        public var required: Bool
    }

    /// What a text value must be beyond its length.
    public enum TextCheck: Sendable {
        case none
        /// An identifier: NFC, no control characters (so that equal text is equal bytes everywhere).
        case identifier
        case oneOf([String])
        case dictionary(String)
        case uscc
        case region
        case catalogCode
        case implementationCode
        case timestamp
        case money
    }
}

/// Builds members tersely: `req("name", .text(max: 200))`, `opt(…)`.
func req(_ name: String, _ spec: FieldSpec) -> FieldSpec.Member { .init(name: name, spec: spec, required: true) }
func opt(_ name: String, _ spec: FieldSpec) -> FieldSpec.Member { .init(name: name, spec: spec, required: false) }

public enum RecordSchema {
    static let agency: FieldSpec = .object([req("name", .text(max: 100)), req("code", .text(max: 20, check: .uscc))])
    static let time: FieldSpec = .text(max: 40, check: .timestamp)

    /// The shape of one record of the canonical record v1 (DESIGN.md "Contracts").
    public static let record: FieldSpec = .object([
        req("localId", .text(max: 50, check: .identifier)),
        req("kind", .text(max: 20, check: .oneOf(RecordKind.allCases.map(\.rawValue)))),
        opt("operation", .text(max: 10, check: .oneOf(RecordOperation.allCases.map(\.rawValue)))),
        req(
            "item",
            .object([
                opt("localCode", .text(max: 50, check: .identifier)),
                opt("localName", .text(max: 200)),
                opt("legalBasis", .text(max: 2000)),
                opt("catalogCode", .text(max: 14, check: .catalogCode)),
                opt("implementationCode", .text(max: 64, check: .implementationCode)),
            ])
        ),
        opt("planId", .text(max: 50, check: .identifier)),
        opt("taskId", .text(max: 120, check: .identifier)),
        req("actionName", .text(max: 200)),
        req("agency", agency),
        opt("delegatedAgency", agency),
        req("subject", .object([opt("type", .text(max: 10, check: .dictionary("subject_type"))), req("name", .text(max: 200))])),
        req(
            "party",
            .object([
                req("name", .text(max: 200)),
                req("nature", .text(max: 1, check: .dictionary("party_nature"))),
                req("idType", .text(max: 3, check: .dictionary("id_type"))),
                req("idNumber", .text(max: 20)),
                opt("registeredAddress", .text(max: 400)),
                opt("businessAddress", .text(max: 400)),
            ])
        ),
        req("regionCode", .text(max: 6, check: .region)),
        opt(
            "inspection",
            .object([
                req("form", .text(max: 2, check: .dictionary("inspection_form"))),
                req("category", .text(max: 2, check: .dictionary("inspection_category"))),
                opt("mode", .text(max: 2, check: .dictionary("inspection_mode"))),
                req("result", .text(max: 2, check: .dictionary("inspection_result"))),
                req("date", time),
                req("inspectors", .list(of: .object([req("name", .text(max: 50)), req("certificateNo", .text(max: 50))]), min: 0, max: 50)),
            ])
        ),
        opt(
            "penalty",
            .object([
                opt("caseSource", .text(max: 2, check: .dictionary("case_source"))),
                opt("relatedCheckNo", .text(max: 50)),
                req("facts", .text(max: 4000)),
                req("basis", .text(max: 2000)),
                req("procedure", .text(max: 2, check: .dictionary("penalty_procedure"))),
                req("hearing", .flag),
                req("filedAt", time),
                opt("criminal", .flag),
                opt("major", .flag),
                opt("legalReview", .object([req("done", .flag), opt("date", time), opt("opinion", .text(max: 2000))])),
                opt("collectiveDiscussion", .object([req("done", .flag), opt("date", time), opt("conclusion", .text(max: 2000))])),
                req("decisionNo", .text(max: 100)),
                req("decidedAt", time),
                req("kinds", .list(of: .text(max: 2, check: .dictionary("penalty_kind")), min: 1, max: 14)),
                opt("fineAmount", .text(max: 20, check: .money)),
                opt("result", .text(max: 2000)),
                opt("reconsideration", .text(max: 2000)),
                opt("litigation", .text(max: 2000)),
                opt(
                    "execution",
                    .object([
                        opt("method", .text(max: 200)), opt("result", .text(max: 2000)),
                        opt("paidAmount", .text(max: 20, check: .money)), opt("closedAt", time),
                    ])
                ),
                opt("transferredAt", time),
            ])
        ),
        opt(
            "coercion",
            .object([
                req("measure", .text(max: 200)),
                req("startAt", time),
                opt("endAt", time),
                opt("closingStatus", .text(max: 200)),
                opt("source", .text(max: 200)),
            ])
        ),
        opt(
            "disclosure",
            .object([
                opt("minor", .flag),
                opt("stateSecret", .flag),
                opt("tradeSecret", .flag),
                opt("persons", .list(of: .text(max: 50), min: 0, max: 50)),
                opt("personalData", .list(of: .text(max: 400), min: 0, max: 50)),
            ])
        ),
        req("submittedAt", time),
        opt("submittedBy", .text(max: 50)),
    ])
}

public enum RecordKind: String, Sendable, CaseIterable, Codable {
    case inspection, penalty, coercion, other

    /// The section that carries this kind's own fields (`other` uses the coercion shape).
    public var section: String {
        switch self {
        case .inspection: "inspection"
        case .penalty: "penalty"
        case .coercion, .other: "coercion"
        }
    }
}

public enum RecordOperation: String, Sendable, CaseIterable, Codable {
    case upsert, delete
}
