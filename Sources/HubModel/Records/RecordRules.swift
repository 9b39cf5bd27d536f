/// The national rules that span fields (DOMAIN.md §4), applied after the schema.
///
/// Each rule names the field a department must change, so the path points at the value to fix.
public enum RecordRules {
    public static func check(_ record: CanonicalRecord, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let tree = record.tree
        func text(_ v: JSONValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
        func time(_ v: JSONValue?) -> Timestamp? { text(v).flatMap(Timestamp.init) }

        // Exactly one section, the one matching the kind.
        let sections = ["inspection", "penalty", "coercion"].filter { tree[$0] != nil }
        let expected = record.kind.section
        if !sections.contains(expected) { errors.append(.required("\(path).\(expected)")) }
        for other in sections where other != expected {
            errors.append(
                FieldError(
                    path: "\(path).\(other)",
                    code: "section_kind_mismatch",
                    zh: "记录类型为“\(record.kind.rawValue)”，不应包含“\(other)”部分",
                    en: "a record of kind \(record.kind.rawValue) must not carry \(other)"
                )
            )
        }

        // The item must be identified: by local code, or by both provincial codes.
        let item = record.item
        if item.localCode == nil && (item.catalogCode == nil || item.implementationCode == nil) {
            errors.append(
                FieldError(
                    path: "\(path).item",
                    code: "item_unidentified",
                    zh: "监管事项须提供本地事项编码（localCode），或同时提供目录编码与实施清单编码",
                    en: "item needs localCode, or both catalogCode and implementationCode"
                )
            )
        }
        if item.implementationCode != nil && item.catalogCode == nil {
            errors.append(.required("\(path).item.catalogCode"))
        }

        // 行政相对人编码 checked by its id type.
        if let idType = text(tree["party"]?["idType"]), let number = text(tree["party"]?["idNumber"]) {
            let p = "\(path).party.idNumber"
            switch idType {
            case "001":
                do { _ = try USCC(number) } catch { errors.append(error.fieldError(p)) }
            case "111", "112":
                do { _ = try ResidentID(number) } catch { errors.append(error.fieldError(p)) }
            default:
                break
            }
            if text(tree["party"]?["nature"]) == "1" && idType == "001" {
                errors.append(
                    FieldError(
                        path: "\(path).party.idType",
                        code: "nature_id_type_mismatch",
                        zh: "行政相对人性质为公民时，证件类型不能是统一社会信用代码",
                        en: "a citizen (nature 1) cannot be identified by a USCC"
                    )
                )
            }
        }

        let submitted = time(tree["submittedAt"])
        func mustFollow(_ later: Timestamp?, _ laterPath: String, _ earlier: Timestamp?, zh: String, en: String, code: String) {
            if let later, let earlier, !(later > earlier) {
                errors.append(FieldError(path: laterPath, code: code, zh: zh, en: en))
            }
        }

        if let inspection = tree["inspection"], record.kind == .inspection {
            if case .array(let inspectors)? = inspection["inspectors"], inspectors.count < 2 {
                errors.append(
                    FieldError(
                        path: "\(path).inspection.inspectors",
                        code: "too_few_inspectors",
                        zh: "检查人员至少2名",
                        en: "an inspection needs at least 2 inspectors"
                    )
                )
            }
            mustFollow(
                submitted,
                "\(path).submittedAt",
                time(inspection["date"]),
                zh: "报送时间必须晚于检查时间",
                en: "submittedAt must be later than inspection.date",
                code: "submitted_before_act"
            )
        }
        if let penalty = tree["penalty"], record.kind == .penalty {
            let filed = time(penalty["filedAt"])
            mustFollow(
                time(penalty["decidedAt"]),
                "\(path).penalty.decidedAt",
                filed,
                zh: "处罚决定日期必须晚于立案时间",
                en: "decidedAt must be later than filedAt",
                code: "decided_before_filed"
            )
            mustFollow(
                time(penalty["execution"]?["closedAt"]),
                "\(path).penalty.execution.closedAt",
                filed,
                zh: "结案日期必须晚于立案时间",
                en: "closedAt must be later than filedAt",
                code: "closed_before_filed"
            )
            mustFollow(
                submitted,
                "\(path).submittedAt",
                time(penalty["decidedAt"]),
                zh: "报送时间必须晚于处罚决定日期",
                en: "submittedAt must be later than penalty.decidedAt",
                code: "submitted_before_act"
            )
            if case .array(let kinds)? = penalty["kinds"], kinds.contains(.string("02")) {
                if let amount = text(penalty["fineAmount"]) {
                    if Money.fen(amount) == 0 {
                        errors.append(
                            FieldError(
                                path: "\(path).penalty.fineAmount",
                                code: "fine_not_positive",
                                zh: "处罚种类含罚款时，罚款金额必须大于0",
                                en: "a fine (kind 02) needs an amount above zero"
                            )
                        )
                    }
                } else {
                    errors.append(
                        FieldError(
                            path: "\(path).penalty.fineAmount",
                            code: "required",
                            zh: "处罚种类含罚款（02）时必须填写罚款金额",
                            en: "fineAmount is required when kinds contains 02 (fine)"
                        )
                    )
                }
            }
            if case .bool(true)? = penalty["legalReview"]?["done"], penalty["legalReview"]?["date"] == nil {
                errors.append(.required("\(path).penalty.legalReview.date"))
            }
        }
        if let coercion = tree["coercion"], record.kind == .coercion || record.kind == .other {
            let start = time(coercion["startAt"])
            mustFollow(
                time(coercion["endAt"]),
                "\(path).coercion.endAt",
                start,
                zh: "结束时间必须晚于开始时间",
                en: "endAt must be later than startAt",
                code: "ended_before_started"
            )
            mustFollow(
                submitted,
                "\(path).submittedAt",
                start,
                zh: "报送时间必须晚于措施开始时间",
                en: "submittedAt must be later than coercion.startAt",
                code: "submitted_before_act"
            )
        }
        return errors
    }
}
