import HubModel
import Testing

@testable import Supervision

/// The library rules without a database: reading rows, format checks by ID type, and the plan of writes.
@Suite struct LibraryRulesTests {
    let reader = LibraryReader(maxRows: 10)
    let uscc = "91330105MA2KER1H4N"

    func subject(_ members: [(String, JSONValue)]) -> JSONValue { .object(members) }

    func read(_ kind: LibraryKind, _ rows: [JSONValue]) throws -> [LibraryReader.Outcome] {
        try reader.read(.object([(kind.rawValue, .array(rows))]), kind: kind)
    }

    func errors(_ outcome: LibraryReader.Outcome) -> [FieldError] {
        if case .invalid(let e) = outcome { return e }
        return []
    }

    func decisionErrors(_ decision: LibraryDecision) -> [FieldError] {
        if case .rejected(let e) = decision { return e }
        return []
    }

    var validSubject: JSONValue {
        .object([("id", .string(uscc)), ("name", .string("示例药房")), ("regionCode", .string("430405")), ("creditGrade", .string("b"))])
    }

    @Test func aSubjectIsReadWithItsGradeAndDefaults() throws {
        let outcomes = try read(.subjects, [validSubject])
        guard case .valid(let entry) = outcomes[0], case .subject(let s, let active) = entry.row else {
            Issue.record("not read: \(outcomes)")
            return
        }
        #expect(s.idType == "001" && s.credit == .b && active && entry.operation == .upsert)
    }

    @Test func subjectIdsAreCheckedByTheirType() throws {
        let badUSCC = subject([("id", .string("91330105MA2KER1H4M")), ("name", .string("x")), ("regionCode", .string("430405"))])
        let badID = subject([
            ("id", .string("110105194912310021")), ("idType", .string("111")), ("name", .string("x")), ("regionCode", .string("430405")),
        ])
        let goodID = subject([
            ("id", .string(ResidentID.withCheckDigit("11010519491231002")!)), ("idType", .string("111")), ("name", .string("张三")),
            ("regionCode", .string("430405")),
        ])
        let other = subject([("id", .string("E12345678")), ("idType", .string("414")), ("name", .string("x")), ("regionCode", .string("430405"))])
        let outcomes = try read(.subjects, [badUSCC, badID, goodID, other])
        #expect(errors(outcomes[0]).map(\.code) == ["invalid_check_digit"])
        #expect(errors(outcomes[0]).map(\.path) == ["subjects[0].id"])
        #expect(errors(outcomes[1]).map(\.code) == ["invalid_check_digit"])
        #expect(errors(outcomes[2]).isEmpty && errors(outcomes[3]).isEmpty)
    }

    @Test func formatsAndUnknownFieldsAreRefusedWithPaths() throws {
        let row = subject([
            ("id", .string(uscc)), ("name", .string("x")), ("regionCode", .string("4304")), ("creditGrade", .string("E")),
            ("creditDate", .string("2026-13-01")), ("colour", .string("red")),
        ])
        let codes = Set(errors(try read(.subjects, [row])[0]).map { "\($0.path) \($0.code)" })
        #expect(codes == ["subjects[0].colour unknown_field"])
        let noUnknown = subject([
            ("id", .string(uscc)), ("name", .string("x")), ("regionCode", .string("4304")), ("creditGrade", .string("E")),
            ("creditDate", .string("2026-13-01")),
        ])
        let formats = Set(errors(try read(.subjects, [noUnknown])[0]).map { "\($0.path) \($0.code)" })
        #expect(
            formats == [
                "subjects[0].regionCode invalid_region_code", "subjects[0].creditGrade invalid_credit_grade", "subjects[0].creditDate invalid_date",
            ]
        )
    }

    @Test func aDeleteNeedsOnlyItsKey() throws {
        let outcomes = try read(.subjects, [.object([("id", .string(uscc)), ("operation", .string("delete"))]), .object([("id", .string(uscc))])])
        guard case .valid(let entry) = outcomes[0] else {
            Issue.record("delete not read")
            return
        }
        #expect(entry.operation == .delete)
        #expect(Set(errors(outcomes[1]).map(\.path)) == ["subjects[1].name", "subjects[1].regionCode"])
    }

    @Test func wholeBatchProblemsThrow() {
        #expect(throws: BatchError.self) { try reader.read(.object([("subjects", .array([]))]), kind: .subjects) }
        #expect(throws: BatchError.self) { try reader.read(.object([("items", .array([validSubject]))]), kind: .subjects) }
        #expect(throws: BatchError.self) {
            try reader.read(.object([("subjects", .array(Array(repeating: validSubject, count: 11)))]), kind: .subjects)
        }
    }

    func item(_ code: String, joint: [String] = []) -> JSONValue {
        .object([
            ("catalogCode", .string(code)), ("name", .string("药品经营检查")), ("checkContent", .string("许可证、进货查验")),
            ("checkMethod", .string("现场检查")), ("jointDepartments", .array(joint.map(JSONValue.string))),
        ])
    }

    @Test func itemsNeedAKnownCatalogCodeAndKnownJointDepartments() throws {
        let outcomes = try read(
            .items,
            [item("43012100010000"), item("43099999990000"), item("43012100010000", joint: ["HY-WJ", "HY-XX", "HY-SCJG"])]
        )
        let facts = LibraryFacts(signer: "HY-SCJG", catalogCodes: ["43012100010000"], departments: ["HY-SCJG", "HY-WJ"])
        let decisions = LibraryRules.plan(outcomes, kind: .items, facts: facts)
        guard case .write(let change) = decisions[0], case .item(let written, true) = change.row else {
            Issue.record("first item not written: \(decisions[0])")
            return
        }
        #expect(written.departmentCode == "HY-SCJG" && change.key == "HY-SCJG:43012100010000")
        #expect(decisionErrors(decisions[1]).map(\.code) == ["unknown_catalog_code"])
        #expect(
            decisionErrors(decisions[2]).map { "\($0.path) \($0.code)" } == [
                "items[2].jointDepartments[1] unknown_department", "items[2].jointDepartments[2] own_department",
            ]
        )
    }

    @Test func theSameContentIsUnchangedAndALaterRowOfTheSameKeySeesTheEarlier() throws {
        let outcomes = try read(.subjects, [validSubject, validSubject])
        let first = LibraryRules.plan(outcomes, kind: .subjects, facts: LibraryFacts(signer: "HY-SCJG"))
        guard case .write(let change) = first[0] else {
            Issue.record("not written")
            return
        }
        #expect(first[1] == .unchanged(key: uscc))
        let resend = LibraryRules.plan(outcomes, kind: .subjects, facts: LibraryFacts(signer: "HY-WJ", stored: [uscc: change.row]))
        #expect(resend == [.unchanged(key: uscc), .unchanged(key: uscc)])
    }

    @Test func deletesRetireRowsAndAnswerMissingOnes() throws {
        let stored = InspectionSubject(id: uscc, name: "示例药房", regionCode: "430405", credit: .b)
        let delete = try read(.subjects, [.object([("id", .string(uscc)), ("operation", .string("delete"))])])
        let decided = LibraryRules.plan(
            delete,
            kind: .subjects,
            facts: LibraryFacts(signer: "HY-SCJG", stored: [uscc: .subject(stored, active: true)])
        )
        #expect(decided == [.write(LibraryChange(row: .subject(stored, active: false), operation: .delete))])
        let again = LibraryRules.plan(
            delete,
            kind: .subjects,
            facts: LibraryFacts(signer: "HY-SCJG", stored: [uscc: .subject(stored, active: false)])
        )
        #expect(again == [.unchanged(key: uscc)])
        let missing = LibraryRules.plan(delete, kind: .subjects, facts: LibraryFacts(signer: "HY-SCJG"))
        #expect(decisionErrors(missing[0]).map(\.code) == ["not_found"])
    }

    @Test func inspectorsAndConflictsBelongToTheSigner() throws {
        let foreign = Inspector(departmentCode: "HY-WJ", certificateNo: "43040020260001", name: "张伟", regionCode: "430400")
        let rows: [JSONValue] = [
            .object([("certificateNo", .string("43040020260001")), ("name", .string("张伟")), ("regionCode", .string("430400"))]),
            .object([
                ("certificateNo", .string("43040020260002")), ("name", .string("李娜")), ("regionCode", .string("430400")),
                ("departmentCode", .string("HY-WJ")),
            ]),
            .object([
                ("certificateNo", .string("43040020260003")), ("name", .string("王芳")), ("regionCode", .string("430400")),
                ("specialties", .array([.string("药品")])),
            ]),
        ]
        let facts = LibraryFacts(signer: "HY-SCJG", stored: ["43040020260001": .inspector(foreign)])
        let decisions = LibraryRules.plan(try read(.inspectors, rows), kind: .inspectors, facts: facts)
        #expect(decisionErrors(decisions[0]).map(\.code) == ["not_your_department"])
        #expect(decisionErrors(decisions[1]).map { "\($0.path) \($0.code)" } == ["inspectors[1].departmentCode not_your_department"])
        guard case .write = decisions[2] else {
            Issue.record("own inspector not written")
            return
        }
        let conflicts: [JSONValue] = [
            .object([("certificateNo", .string("43040020260003")), ("subjectId", .string(uscc)), ("reason", .string("配偶任该企业股东"))]),
            .object([("certificateNo", .string("43040020260001")), ("subjectId", .string(uscc)), ("reason", .string("亲属"))]),
            .object([("certificateNo", .string("43040020269999")), ("subjectId", .string(uscc)), ("reason", .string("亲属"))]),
        ]
        let conflictFacts = LibraryFacts(signer: "HY-SCJG", inspectorDepartments: ["43040020260003": "HY-SCJG", "43040020260001": "HY-WJ"])
        let decided = LibraryRules.plan(try read(.conflicts, conflicts), kind: .conflicts, facts: conflictFacts)
        guard case .write(let change) = decided[0] else {
            Issue.record("own conflict not written")
            return
        }
        #expect(change.row.department == "HY-SCJG")
        #expect(decisionErrors(decided[1]).map(\.code) == ["not_your_department"])
        #expect(decisionErrors(decided[2]).map(\.code) == ["unknown_inspector"])
    }

    @Test func aCSVFileBecomesTheSameRowsWithLineNumbers() throws {
        let text =
            "\u{FEFF}id,name,regionCode,tags,creditGrade\n\(uscc),示例药房,430405,药品经营许可证；医疗器械经营备案,A\n\n\"91330105MA2KER1H4M\",\"多行\n名称\",430405,,\n"
        let table = try LibraryCSV.read(text, kind: .subjects)
        #expect(table.lines == [2, 4])
        #expect(table.rows[0]["tags"] == .array([.string("药品经营许可证"), .string("医疗器械经营备案")]))
        #expect(table.rows[1]["creditGrade"] == nil)
        #expect(throws: BatchError.self) { try LibraryCSV.read("id,colour\n1,2\n", kind: .subjects) }
    }

    @Test func theLedgerPayloadAndBodyAreCanonical() {
        let change = LibraryChange(row: .subject(InspectionSubject(id: uscc, name: "示例", regionCode: "430405"), active: true), operation: .upsert)
        #expect(change.ledgerDraft(department: "HY-SCJG").subject == "subject:\(uscc)")
        #expect(change.ledgerPayload.hasPrefix("{\"library\":\"subjects\",\"operation\":\"upsert\",\"row\":{\"active\":true,"))
        #expect(change.body.contains("\"creditGrade\":\"\""))
    }
}
