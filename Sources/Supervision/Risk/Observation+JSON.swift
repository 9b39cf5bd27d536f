import HubModel

extension Observation {
    /// The observation in the push document's shape, members in one fixed order and absent optionals as `null`:
    /// the canonical form stored, compared on a resend (same id, same bytes = duplicate) and shown to operators.
    /// `department` is not in it: it is the signer's, kept beside the row.
    public var json: JSONValue {
        .object([
            ("observationId", .string(observationId)),
            ("kind", .string(kind.rawValue)),
            ("observedOn", .string(observedOn.description)),
            ("subject", .object([("uscc", .text(subject.uscc)), ("name", .string(subject.name))])),
            ("regionCode", .text(regionCode)),
            (kind.rawValue, detail.json),
        ])
    }
}

extension ObservationDetail {
    var json: JSONValue {
        switch self {
        case .advertisement(let a):
            .object([
                ("medium", .string(a.medium)), ("location", .string(a.location)), ("text", .string(a.text)),
                ("advertiser", .string(a.advertiser)), ("approvalNumber", .text(a.approvalNumber)), ("product", .string(a.product.rawValue)),
            ])
        case .listing(let l):
            .object([
                ("platform", .string(l.platform)), ("shop", .string(l.shop)), ("productName", .string(l.productName)),
                ("category", .string(l.category.rawValue)), ("prescription", .bool(l.prescription)),
                ("prescriptionChecked", l.prescriptionChecked.map(JSONValue.bool) ?? .null),
                ("deviceClass", l.deviceClass.map { .number(String($0)) } ?? .null), ("seller", .string(l.seller)), ("text", .string(l.text)),
            ])
        case .complaint(let c):
            .object([
                ("text", .string(c.text)), ("amountFen", c.amountFen.map { .number(String($0)) } ?? .null), ("channel", .string(c.channel)),
            ])
        case .licence(let f):
            .object([
                ("kind", .string(f.kind.rawValue)), ("number", .string(f.number)), ("validFrom", .string(f.validFrom.description)),
                ("validUntil", .text(f.validUntil?.description)), ("revoked", .bool(f.revoked)),
            ])
        }
    }
}
