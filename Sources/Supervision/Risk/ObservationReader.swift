import HubModel

/// Reads a pushed batch of observations (`{"observations":[…]}`, or the same tree from XML) into observations,
/// each row checked on its own: members, types, lengths, dates, codes (USCC check digit, region code), and that
/// the row carries the detail its `kind` names and no other. Whether the row repeats a stored one is the store's
/// part.
///
/// Booleans and integers are also taken as their text (`"true"`, `"2"`), since the XML form carries only text.
/// Pure, so the push API, an import and the labelled corpus read observations one way.
public struct ObservationReader: Sendable {
    public var maxRows: Int

    public init(maxRows: Int = 5000) { self.maxRows = maxRows }

    /// A row as read: the observation, or why it cannot be taken.
    public enum Outcome: Sendable, Hashable {
        case valid(Observation)
        case invalid([FieldError])
    }

    /// The rows of a batch sent by `department`. Whole-request problems (not an object, no list, too many) throw.
    public func read(_ document: JSONValue, department: String) throws(BatchError) -> [Outcome] {
        guard case .object(let members) = document else {
            throw BatchError([.wrongType("", expected: "object", found: document.typeName)])
        }
        var rows: [JSONValue]?
        var errors: [FieldError] = []
        for (name, value) in members {
            if name == "observations", case .array(let list) = value {
                rows = list
            } else if name == "observations" {
                errors.append(.wrongType(name, expected: "array", found: value.typeName))
            } else {
                errors.append(.unknownField(name))
            }
        }
        if rows == nil, errors.isEmpty { errors.append(.required("observations")) }
        if let rows, rows.isEmpty {
            errors.append(FieldError(path: "observations", code: "empty", zh: "批次中没有监测数据", en: "the batch holds no observation"))
        }
        if let rows, rows.count > maxRows {
            errors.append(
                FieldError(path: "observations", code: "too_many_rows", zh: "每批最多 \(maxRows) 条", en: "at most \(maxRows) observations per batch")
            )
        }
        guard errors.isEmpty, let rows else { throw BatchError(errors) }
        return rows.enumerated().map { index, row in read(row, department: department, path: "observations[\(index)]") }
    }

    /// Reads one row found at `path`.
    public func read(_ value: JSONValue, department: String, path: String) -> Outcome {
        var top = Members(
            value,
            path: path,
            allowed: ["observationId", "kind", "observedOn", "subject", "regionCode"] + ObservationKind.allCases.map(\.rawValue)
        )
        let id = top.text("observationId", max: 64)
        if let id, id.contains(where: \.isWhitespace) {
            top.errors.append(
                FieldError(path: "\(path).observationId", code: "invalid_identifier", zh: "监测数据标识不能含空白", en: "an observation id holds no white space")
            )
        }
        let kind = top.choice("kind", ObservationKind.self)
        let observedOn = top.date("observedOn")
        let region = top.text("regionCode", max: 6, required: false)
        if let region, RegionCode(region) == nil {
            top.errors.append(
                FieldError(path: "\(path).regionCode", code: "invalid_region_code", zh: "行政区划代码应为6位数字", en: "a region code is 6 digits")
            )
        }
        var subject: ObservedSubject?
        if let raw = top.members["subject"] {
            subject = readSubject(raw, path: "\(path).subject", errors: &top.errors)
        } else if top.isObject {
            top.errors.append(.required("\(path).subject"))
        }
        var detail: ObservationDetail?
        if let kind {
            for other in ObservationKind.allCases where other != kind && top.members[other.rawValue] != nil {
                top.errors.append(
                    FieldError(
                        path: "\(path).\(other.rawValue)",
                        code: "detail_kind_mismatch",
                        zh: "kind 为 \(kind.rawValue)，不应含 \(other.rawValue)",
                        en: "the kind is \(kind.rawValue): \(other.rawValue) does not belong here"
                    )
                )
            }
            if let raw = top.members[kind.rawValue] {
                detail = readDetail(kind, raw, path: "\(path).\(kind.rawValue)", errors: &top.errors)
            } else {
                top.errors.append(.required("\(path).\(kind.rawValue)"))
            }
        }
        guard top.errors.isEmpty, let id, let observedOn, let subject, let detail else { return .invalid(top.errors) }
        return .valid(
            Observation(observationId: id, department: department, observedOn: observedOn, subject: subject, regionCode: region, detail: detail)
        )
    }

    private func readSubject(_ value: JSONValue, path: String, errors: inout [FieldError]) -> ObservedSubject? {
        var m = Members(value, path: path, allowed: ["uscc", "name"])
        let uscc = m.text("uscc", max: 18, required: false)
        if let uscc {
            do { _ = try USCC(uscc) } catch { m.errors.append(error.fieldError("\(path).uscc")) }
        }
        let name = m.text("name", max: 200)
        errors += m.errors
        guard m.errors.isEmpty, let name else { return nil }
        return ObservedSubject(uscc: uscc, name: name)
    }

    private func readDetail(_ kind: ObservationKind, _ value: JSONValue, path: String, errors: inout [FieldError]) -> ObservationDetail? {
        switch kind {
        case .advertisement:
            var m = Members(value, path: path, allowed: ["medium", "location", "text", "advertiser", "approvalNumber", "product"])
            let ad = (
                m.text("medium", max: 50), m.text("location", max: 2000), m.text("text", max: 20_000), m.text("advertiser", max: 200),
                m.text("approvalNumber", max: 100, required: false), m.choice("product", AdvertisedProduct.self)
            )
            errors += m.errors
            guard m.errors.isEmpty, let medium = ad.0, let location = ad.1, let text = ad.2, let advertiser = ad.3, let product = ad.5 else {
                return nil
            }
            return .advertisement(
                Advertisement(medium: medium, location: location, text: text, advertiser: advertiser, approvalNumber: ad.4, product: product)
            )
        case .listing:
            var m = Members(
                value,
                path: path,
                allowed: ["platform", "shop", "productName", "category", "prescription", "prescriptionChecked", "deviceClass", "seller", "text"]
            )
            let platform = m.text("platform", max: 100)
            let shop = m.text("shop", max: 200)
            let product = m.text("productName", max: 200)
            let category = m.choice("category", ListingCategory.self)
            let prescription = m.bool("prescription", required: false) ?? false
            let checked = m.bool("prescriptionChecked", required: false)
            let deviceClass = m.integer("deviceClass", in: 1...3, required: false).map(Int.init)
            let seller = m.text("seller", max: 200)
            let text = m.text("text", max: 20_000, required: false) ?? ""
            if deviceClass != nil, category != .device {
                m.errors.append(
                    FieldError(
                        path: "\(path).deviceClass",
                        code: "device_class_without_device",
                        zh: "只有医疗器械（category 为 device）才有器械类别",
                        en: "only a device (category device) has a device class"
                    )
                )
            }
            errors += m.errors
            guard m.errors.isEmpty, let platform, let shop, let product, let category, let seller else { return nil }
            return .listing(
                OnlineListing(
                    platform: platform,
                    shop: shop,
                    productName: product,
                    category: category,
                    prescription: prescription,
                    prescriptionChecked: checked,
                    deviceClass: deviceClass,
                    seller: seller,
                    text: text
                )
            )
        case .complaint:
            var m = Members(value, path: path, allowed: ["text", "amountFen", "channel"])
            let text = m.text("text", max: 20_000)
            let amount = m.integer("amountFen", in: 0...100_000_000_000_000, required: false)
            let channel = m.text("channel", max: 50, required: false) ?? ""
            errors += m.errors
            guard m.errors.isEmpty, let text else { return nil }
            return .complaint(Complaint(text: text, amountFen: amount, channel: channel))
        case .licence:
            var m = Members(value, path: path, allowed: ["kind", "number", "validFrom", "validUntil", "revoked"])
            let kind = m.choice("kind", LicenceKind.self)
            let number = m.text("number", max: 100)
            let from = m.date("validFrom")
            let until = m.date("validUntil", required: false)
            let revoked = m.bool("revoked", required: false) ?? false
            if let from, let until, until < from {
                m.errors.append(
                    FieldError(path: "\(path).validUntil", code: "ends_before_start", zh: "有效期止早于有效期起", en: "valid until is before valid from")
                )
            }
            errors += m.errors
            guard m.errors.isEmpty, let kind, let number, let from else { return nil }
            return .licence(LicenceFact(kind: kind, number: number, validFrom: from, validUntil: until, revoked: revoked))
        }
    }
}
