import Foundation

/// Turns a decoded document (JSON, or XML mapped to the same tree) into canonical records or
/// field-path errors, following `RecordSchema` and then `RecordRules`.
///
/// Every problem in a record is reported, not only the first, so a department can fix a record in one
/// round trip. The canonical tree drops `null` members and fills defaults, so that equal content has
/// equal bytes.
public struct RecordReader: Sendable {
    public let dictionaries: NationalDictionaries
    /// Most records accepted in one batch.
    public var maxRecords: Int

    public init(dictionaries: NationalDictionaries, maxRecords: Int = 1000) {
        self.dictionaries = dictionaries
        self.maxRecords = maxRecords
    }

    /// Most errors reported for one record (a hostile record must not make a 100 MB answer).
    static let maxErrorsPerRecord = 50

    /// One record of a batch as read: its canonical form, or why it cannot be taken.
    public enum Outcome: Sendable {
        case valid(CanonicalRecord)
        case invalid(localId: String?, errors: [FieldError])
    }

    /// A batch as read. `errors` are problems with the batch itself (then no record is looked at).
    public struct Batch: Sendable {
        public var batchId: String?
        public var records: [Outcome]
    }

    /// Reads a batch. `transform` turns each record from the department's own shape into the canonical one
    /// (its profile's field and value maps) before the schema looks at it.
    public func readBatch(_ document: JSONValue, transform: (JSONValue) -> JSONValue = { $0 }) throws(BatchError) -> Batch {
        guard case .object(let members) = document else {
            throw BatchError([.wrongType("", expected: "object", found: document.typeName)])
        }
        var batchId: String?
        var records: [JSONValue]?
        var errors: [FieldError] = []
        for (name, value) in members {
            switch name {
            case "batchId":
                if case .string(let s) = value, s.unicodeScalars.count <= 50, !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                    batchId = s
                } else if case .null = value {
                } else {
                    errors.append(
                        FieldError(
                            path: "batchId",
                            code: "invalid_value",
                            zh: "批次号应为不超过50个字符、不含控制字符的字符串",
                            en: "batchId must be a string of at most 50 characters without control characters"
                        )
                    )
                }
            case "records":
                if case .array(let a) = value { records = a } else { errors.append(.wrongType("records", expected: "array", found: value.typeName)) }
            default:
                errors.append(.unknownField(name))
            }
        }
        guard let records else {
            if errors.isEmpty { errors.append(.required("records")) }
            throw BatchError(errors)
        }
        if records.isEmpty { errors.append(FieldError(path: "records", code: "empty", zh: "批次中没有记录", en: "the batch holds no record")) }
        if records.count > maxRecords {
            errors.append(
                FieldError(path: "records", code: "too_many_records", zh: "每批最多 \(maxRecords) 条记录", en: "at most \(maxRecords) records per batch")
            )
        }
        guard errors.isEmpty else { throw BatchError(errors) }
        return Batch(batchId: batchId, records: records.enumerated().map { read(transform($1), path: "records[\($0)]") })
    }

    /// Reads one record found at `path`.
    public func read(_ value: JSONValue, path: String) -> Outcome {
        var errors: [FieldError] = []
        let canonical = walk(value, spec: RecordSchema.record, path: { path }, errors: &errors).0
        let localId: String? = if case .string(let s) = value["localId"], s.utf8.count <= 200 { s } else { nil }
        if errors.count > Self.maxErrorsPerRecord {
            errors =
                Array(errors.prefix(Self.maxErrorsPerRecord)) + [
                    FieldError(
                        path: path,
                        code: "too_many_errors",
                        zh: "错误过多，仅列出前 \(Self.maxErrorsPerRecord) 项",
                        en: "too many errors: the first \(Self.maxErrorsPerRecord) are listed"
                    )
                ]
        }
        guard errors.isEmpty, let canonical else { return .invalid(localId: localId, errors: errors) }
        var filled = canonical
        if filled["operation"] == nil, case .object(var m) = filled {
            m.append(("operation", .string(RecordOperation.upsert.rawValue)))
            filled = .object(m)
        }
        let record = CanonicalRecord(tree: filled)
        errors = RecordRules.check(record, path: path)
        guard errors.isEmpty else { return .invalid(localId: localId, errors: errors) }
        return .valid(record)
    }

    /// Checks `value` against `spec`. Returns the canonical value (nil when invalid) and whether it differs
    /// from the input (null members dropped); an unchanged subtree is returned as is, without copying.
    /// `path` is only rendered when there is an error to report: most records have none.
    private func walk(_ value: JSONValue, spec: FieldSpec, path: () -> String, errors: inout [FieldError]) -> (JSONValue?, Bool) {
        switch spec {
        case .flag:
            guard case .bool = value else {
                errors.append(.wrongType(path(), expected: "boolean", found: value.typeName))
                return (nil, true)
            }
            return (value, false)
        case .text(let max, let check):
            guard case .string(let s) = value else {
                errors.append(.wrongType(path(), expected: "string", found: value.typeName))
                return (nil, true)
            }
            return checkText(s, max: max, check: check, path: path, errors: &errors) ? (value, false) : (nil, true)
        case .list(let element, let min, let max):
            guard case .array(let items) = value else {
                errors.append(.wrongType(path(), expected: "array", found: value.typeName))
                return (nil, true)
            }
            if items.count > max {
                errors.append(FieldError(path: path(), code: "too_many", zh: "最多 \(max) 项", en: "at most \(max) entries"))
                return (nil, true)
            }
            if items.count < min {
                errors.append(FieldError(path: path(), code: "too_few", zh: "至少 \(min) 项", en: "at least \(min) entries"))
            }
            var out: [JSONValue] = []
            var changed = false
            for (i, item) in items.enumerated() {
                let (v, c) = walk(item, spec: element, path: { "\(path())[\(i)]" }, errors: &errors)
                changed = changed || c
                if let v { out.append(v) }
            }
            return changed ? (.array(out), true) : (value, false)
        case .object(let spec):
            guard case .object(let members) = value else {
                errors.append(.wrongType(path(), expected: "object", found: value.typeName))
                return (nil, true)
            }
            func child(_ name: String) -> String {
                let p = path()
                return p.isEmpty ? name : p + "." + name
            }
            var changed = false
            for (name, _) in members where !spec.contains(where: { $0.name == name }) {
                errors.append(.unknownField(child(name)))
                changed = true
            }
            var out: [(String, JSONValue)] = []
            out.reserveCapacity(members.count)
            for field in spec {
                guard let member = members.first(where: { $0.0 == field.name })?.1, member != .null else {
                    if field.required { errors.append(.required(child(field.name))) }
                    if members.contains(where: { $0.0 == field.name }) { changed = true }
                    continue
                }
                let (v, c) = walk(member, spec: field.spec, path: { child(field.name) }, errors: &errors)
                changed = changed || c
                if let v { out.append((field.name, v)) }
            }
            return changed ? (.object(out), true) : (value, false)
        }
    }

    private func checkText(_ s: String, max: Int, check: FieldSpec.TextCheck, path pathOf: () -> String, errors: inout [FieldError]) -> Bool {
        // Control characters are single UTF-8 bytes below 0x20 (and DEL); tab and newline are allowed in text.
        if s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }) {
            errors.append(FieldError(path: pathOf(), code: "control_character", zh: "文本中含有控制字符", en: "the text holds a control character"))
            return false
        }
        if s.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            errors.append(.empty(pathOf()))
            return false
        }
        // A dictionary value is checked by membership, which also bounds its length (and says more).
        // Lengths count Unicode scalars (as PostgreSQL counts characters), never grapheme clusters, which a
        // run of combining marks could make arbitrarily long in bytes.
        if case .dictionary = check {
        } else if s.utf8.count > max, s.unicodeScalars.count > max {
            errors.append(.tooLong(pathOf(), max: max))
            return false
        }
        switch check {
        case .none:
            return true
        case .identifier:
            // One identifier, one byte sequence: NFC, and no tab or newline (they separate ledger header fields).
            guard !s.utf8.contains(where: { $0 < 0x20 }), s.precomposedStringWithCanonicalMapping.utf8.elementsEqual(s.utf8) else {
                errors.append(
                    FieldError(
                        path: pathOf(),
                        code: "invalid_identifier",
                        zh: "编号不能含控制字符，且须为 Unicode NFC 规范形式",
                        en: "an identifier has no control characters and is in Unicode NFC"
                    )
                )
                return false
            }
        case .oneOf(let allowed):
            guard allowed.contains(s) else {
                errors.append(
                    FieldError(
                        path: pathOf(),
                        code: "invalid_value",
                        zh: "取值应为 \(allowed.joined(separator: "、")) 之一",
                        en: "must be one of \(allowed.joined(separator: ", "))"
                    )
                )
                return false
            }
        case .dictionary(let name):
            guard dictionaries.contains(name, s) else {
                errors.append(.unknownCode(pathOf(), dictionary: name, value: s))
                return false
            }
        case .uscc:
            do { _ = try USCC(s) } catch {
                errors.append(error.fieldError(pathOf()))
                return false
            }
        case .region:
            guard RegionCode(s) != nil else {
                errors.append(FieldError(path: pathOf(), code: "invalid_region_code", zh: "行政区划代码应为6位数字", en: "a region code is 6 digits"))
                return false
            }
        case .catalogCode:
            guard CatalogCode(s) != nil else {
                errors.append(FieldError(path: pathOf(), code: "invalid_catalog_code", zh: "监管事项目录编码应为14位数字", en: "a catalog code is 14 digits"))
                return false
            }
        case .implementationCode:
            do { _ = try ImplementationCode(s) } catch {
                errors.append(error.fieldError(pathOf()))
                return false
            }
        case .timestamp:
            guard Timestamp(s) != nil else {
                errors.append(
                    FieldError(
                        path: pathOf(),
                        code: "invalid_timestamp",
                        zh: "时间应为带时区的 ISO 8601 格式，如 2026-11-20T09:30:00+08:00",
                        en: "a time is ISO 8601 with an offset, e.g. 2026-11-20T09:30:00+08:00"
                    )
                )
                return false
            }
        case .money:
            guard Money.isValid(s) else {
                errors.append(
                    FieldError(
                        path: pathOf(),
                        code: "invalid_money",
                        zh: "金额应为非负的精确小数字符串，最多两位小数，如 \"5000.00\"",
                        en: "money is a non-negative exact decimal string with at most 2 places, e.g. \"5000.00\""
                    )
                )
                return false
            }
        }
        return true
    }
}

/// A problem with a batch as a whole: nothing in it was looked at or written.
public struct BatchError: Error, Sendable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}
