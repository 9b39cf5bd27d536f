import Foundation
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Supervision
import Testing

/// The 一单两库 through the hub: departments push items, subjects, inspectors and conflicts over signed HTTP (JSON
/// and XML), get one answer per row, and what changed is in the ledger and (conflicts excepted) the outbox.
@Suite("Random-check libraries")
struct RandomCheckLibraryTests {
    static let uscc = "91330105MA2KER1H4N"
    static let otherUSCC = USCC.make(kind: "91", region: "430405", organisation: "MA4L0001")!

    static func subjectsBody(_ rows: [String]) -> String { "{\"subjects\":[" + rows.joined(separator: ",") + "]}" }

    static func subject(_ id: String, name: String = "示例大药房", grade: String = "B", extra: String = "") -> String {
        "{\"id\":\"\(id)\",\"idType\":\"001\",\"name\":\"\(name)\",\"regionCode\":\"430405\",\"industryCode\":\"F5251\",\"tags\":[\"药品经营许可证\"],\"creditGrade\":\"\(grade)\"\(extra)}"
    }

    static func statuses(_ answer: JSONValue) -> [String] { answer["results"]?.array.map { $0["status"]?.string ?? "?" } ?? [] }
    static func codes(_ answer: JSONValue, _ index: Int) -> [String] {
        answer["results"]?[index]["errors"]?.array.map { ($0["path"]?.string ?? "") + " " + ($0["code"]?.string ?? "") } ?? []
    }

    @Test("subjects in JSON: per-row answers, a wrong USCC check digit refused, a resend unchanged without a ledger entry, outbox rows, delete")
    func subjectsOverJSON() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")
            let body = Self.subjectsBody([
                Self.subject(Self.uscc), Self.subject("91330105MA2KER1H4M"), Self.subject(Self.otherUSCC, name: "示例诊所", grade: ""),
            ])
            let first = try await client.signed(.post, "/api/v1/random-checks/subjects", body: body, as: t.scjg)
            #expect(first.status == .ok, "\(String(buffer: first.body))")
            #expect(Self.statuses(first.json) == ["accepted", "rejected", "accepted"])
            #expect(Self.codes(first.json, 1) == ["subjects[1].id invalid_check_digit"])
            #expect(first.json["results"]?[0]["ledgerSeq"]?.int != nil)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore + 2)
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger WHERE kind = 'random_check_library' AND department = 'HY-SCJG' AND subject = 'subject:\(Self.uscc)'"
                ) == 1
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_subject' AND body IS NOT NULL") == 2)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_subjects WHERE credit_grade = 'N'") == 1)

            // The same content again (another department, other member order): unchanged, nothing written.
            let resend = try await client.signed(
                .post,
                "/api/v1/random-checks/subjects",
                body: Self.subjectsBody([Self.subject(Self.uscc)]),
                as: t.wj
            )
            #expect(Self.statuses(resend.json) == ["unchanged"])
            #expect(resend.json["results"]?[0]["ledgerSeq"] == nil)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore + 2)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_subject'") == 2)

            // Any department reads the city's library.
            let read = try await client.signed(.get, "/api/v1/random-checks/subjects/\(Self.uscc)", as: t.wj)
            #expect(read.status == .ok)
            #expect(read.json["creditGrade"]?.string == "B" && read.json["sourceDepartment"]?.string == "HY-SCJG")
            #expect(read.json["tags"]?.array.first?.string == "药品经营许可证")
            let missing = try await client.signed(.get, "/api/v1/random-checks/subjects/91330105MA2KER1H4X", as: t.wj)
            #expect(missing.status == .notFound && missing.json["errors"]?[0]["code"]?.string == "subject_not_found")

            // A natural person (个体经营者 by resident ID): the ID number is masked in the answer.
            let person = ResidentID.withCheckDigit("43040519800101001")!
            let personBody = "{\"subjects\":[{\"id\":\"\(person)\",\"idType\":\"111\",\"name\":\"张三\",\"regionCode\":\"430405\"}]}"
            #expect(
                Self.statuses(try await client.signed(.post, "/api/v1/random-checks/subjects", body: personBody, as: t.scjg).json) == ["accepted"]
            )
            let personRead = try await client.signed(.get, "/api/v1/random-checks/subjects/\(person)", as: t.wj)
            #expect(personRead.json["id"]?.string == PersonalData.maskIDNumber(person))

            // A delete: inactive, one ledger entry, a D row for the province; again: unchanged.
            let delete = "{\"subjects\":[{\"id\":\"\(Self.uscc)\",\"operation\":\"delete\"}]}"
            let deleted = try await client.signed(.post, "/api/v1/random-checks/subjects", body: delete, as: t.scjg)
            #expect(Self.statuses(deleted.json) == ["accepted"] && deleted.json["results"]?[0]["operation"]?.string == "delete")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_subjects WHERE NOT active") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_subject' AND cd_operation = 'D'") == 1)
            let again = try await client.signed(.post, "/api/v1/random-checks/subjects", body: delete, as: t.scjg)
            #expect(Self.statuses(again.json) == ["unchanged"])

            // One key twice in a batch: both changes answered, recorded and queued in order; the row holds the last.
            let twice = Self.subjectsBody([Self.subject(Self.otherUSCC, grade: "C"), Self.subject(Self.otherUSCC, grade: "D")])
            let both = try await client.signed(.post, "/api/v1/random-checks/subjects", body: twice, as: t.scjg)
            #expect(Self.statuses(both.json) == ["accepted", "accepted"])
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM rc_subjects WHERE subject_id = '\(Self.otherUSCC)' AND credit_grade = 'D'") == 1
            )
            #expect(
                try await count(
                    hub.db,
                    "SELECT max(version)::int FROM outbox WHERE local_id = 'rc_subject:\(Self.otherUSCC)' AND body LIKE '%\"creditGrade\":\"D\"%'"
                ) == 3
            )
        }
    }

    @Test("items: a known catalog code is accepted, an unknown one answered unknown_catalog_code, joint items name known departments")
    func items() async throws {
        let t = try await TestHub.make()
        let code = t.inspectionItem.catalogCode
        try await t.serve { client, hub in
            let body = """
                {"items":[
                  {"catalogCode":"\(code)","name":"药品经营使用质量检查","checkContent":"许可证、购销记录","checkMethod":"现场检查","jointDepartments":["HY-WJ"]},
                  {"catalogCode":"43999999999999","name":"x","checkContent":"x","checkMethod":"现场检查"},
                  {"catalogCode":"\(code)","name":"x","checkContent":"x","checkMethod":"x","jointDepartments":["HY-NOPE"]},
                  {"catalogCode":"\(code)","name":"x","checkContent":"x","checkMethod":"x","departmentCode":"HY-WJ"}
                ]}
                """
            let answer = try await client.signed(.post, "/api/v1/random-checks/items", body: body, as: t.scjg)
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            #expect(Self.statuses(answer.json) == ["accepted", "rejected", "rejected", "rejected"])
            #expect(answer.json["results"]?[0]["key"]?.string == "HY-SCJG:\(code)")
            #expect(Self.codes(answer.json, 1) == ["items[1].catalogCode unknown_catalog_code"])
            #expect(Self.codes(answer.json, 2) == ["items[2].jointDepartments[0] unknown_department"])
            #expect(Self.codes(answer.json, 3) == ["items[3].departmentCode not_your_department"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_items WHERE joint_departments = '{HY-WJ}' AND active") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_item' AND local_id = 'rc_item:HY-SCJG:\(code)'") == 1)
        }
    }

    @Test("inspectors and conflicts: a foreign department's inspector is refused, conflicts name the signer's inspectors and stay in the city")
    func inspectorsAndConflicts() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let inspectors = """
                {"inspectors":[
                  {"certificateNo":"43040020260001","name":"张伟","regionCode":"430400","specialties":["药品","食品"]},
                  {"certificateNo":"43040020260002","name":"李娜","regionCode":"430405","status":"suspended"}
                ]}
                """
            let pushed = try await client.signed(.post, "/api/v1/random-checks/inspectors", body: inspectors, as: t.scjg)
            #expect(Self.statuses(pushed.json) == ["accepted", "accepted"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_inspector'") == 2)

            let takeover = "{\"inspectors\":[{\"certificateNo\":\"43040020260001\",\"name\":\"张伟\",\"regionCode\":\"430400\"}]}"
            let refused = try await client.signed(.post, "/api/v1/random-checks/inspectors", body: takeover, as: t.wj)
            #expect(Self.codes(refused.json, 0) == ["inspectors[0].certificateNo not_your_department"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_inspectors WHERE department_code = 'HY-SCJG'") == 2)

            let own = try await client.signed(.get, "/api/v1/random-checks/inspectors", as: t.scjg)
            #expect(own.json["inspectors"]?.array.map { $0["certificateNo"]?.string ?? "" } == ["43040020260001", "43040020260002"])
            let theirs = try await client.signed(.get, "/api/v1/random-checks/inspectors?limit=1000", as: t.wj)
            #expect(theirs.status == .ok && theirs.json["inspectors"]?.array.isEmpty == true)
            let bad = try await client.signed(.get, "/api/v1/random-checks/inspectors?limit=abc", as: t.wj)
            #expect(bad.status == .badRequest)

            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")
            let outboxBefore = try await count(hub.db, "SELECT count(*)::int FROM outbox")
            let conflicts = """
                {"conflicts":[
                  {"certificateNo":"43040020260001","subjectId":"\(Self.uscc)","reason":"配偶为该企业股东"},
                  {"certificateNo":"43040020269999","subjectId":"\(Self.uscc)","reason":"亲属"}
                ]}
                """
            let declared = try await client.signed(.post, "/api/v1/random-checks/conflicts", body: conflicts, as: t.scjg)
            #expect(Self.statuses(declared.json) == ["accepted", "rejected"])
            #expect(Self.codes(declared.json, 1) == ["conflicts[1].certificateNo unknown_inspector"])
            let foreign = try await client.signed(.post, "/api/v1/random-checks/conflicts", body: conflicts, as: t.wj)
            #expect(Self.codes(foreign.json, 0) == ["conflicts[0].certificateNo not_your_department"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore + 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox") == outboxBefore)

            let withdraw = "{\"conflicts\":[{\"certificateNo\":\"43040020260001\",\"subjectId\":\"\(Self.uscc)\",\"operation\":\"delete\"}]}"
            let withdrawn = try await client.signed(.post, "/api/v1/random-checks/conflicts", body: withdraw, as: t.scjg)
            #expect(Self.statuses(withdrawn.json) == ["accepted"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_conflicts") == 0)
        }
    }

    @Test("XML in UTF-8 and declared GB18030 gets the JSON answers; a row only the XSD refuses is rejected with its path")
    func xml() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            func document(_ encoding: String) -> String {
                """
                <?xml version="1.0" encoding="\(encoding)"?>
                <subjects>
                  <subject><id>\(Self.uscc)</id><name>示例大药房</name><regionCode>430405</regionCode><tags><tag>药品经营许可证</tag></tags><creditGrade>A</creditGrade></subject>
                  <subject><id>91330105MA2KER1H4M</id><name>坏码</name><regionCode>430405</regionCode></subject>
                  <subject><id>\(Self.otherUSCC)</id><name>诊所</name><regionCode>430405</regionCode><colour>red</colour></subject>
                </subjects>
                """
            }
            let utf8 = try await client.signed(
                .post,
                "/api/v1/random-checks/subjects",
                body: document("UTF-8"),
                as: t.scjg,
                contentType: "application/xml"
            )
            #expect(utf8.status == .ok, "\(String(buffer: utf8.body))")
            #expect(Self.statuses(utf8.json) == ["accepted", "rejected", "rejected"])
            #expect(Self.codes(utf8.json, 1) == ["subjects[1].id invalid_check_digit"])
            #expect(Self.codes(utf8.json, 2) == ["subjects[2].colour unknown_field"])

            let gb = XMLSamples.gb18030(document("GB18030"))
            let second = try await client.signedBytes(.post, "/api/v1/random-checks/subjects", body: gb, as: t.scjg, contentType: "application/xml")
            #expect(second.status == .ok, "\(String(buffer: second.body))")
            #expect(Self.statuses(second.json) == ["unchanged", "rejected", "rejected"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_subjects WHERE name = '示例大药房' AND tags = '{药品经营许可证}'") == 1)

            // A row the reader takes but the XSD refuses (a list wrapper holding an element it does not name).
            let onlyXSD = """
                <?xml version="1.0" encoding="UTF-8"?>
                <inspectors><inspector><certificateNo>43040020260009</certificateNo><name>王芳</name><regionCode>430400</regionCode><status>active</status><specialties><specialty>药品</specialty><other>x</other></specialties></inspector></inspectors>
                """
            let violation = try await client.signed(
                .post,
                "/api/v1/random-checks/inspectors",
                body: onlyXSD,
                as: t.scjg,
                contentType: "application/xml"
            )
            #expect(violation.status == .ok, "\(String(buffer: violation.body))")
            #expect(Self.statuses(violation.json) == ["rejected"])
            #expect(violation.json["results"]?[0]["errors"]?[0]["code"]?.string == "schema_violation")

            let wrongRoot = try await client.signed(
                .post,
                "/api/v1/random-checks/items",
                body: "<?xml version=\"1.0\"?><subjects/>",
                as: t.scjg,
                contentType: "application/xml"
            )
            #expect(wrongRoot.status == .badRequest && wrongRoot.json["errors"]?[0]["code"]?.string == "wrong_root")
        }
    }

    @Test("a whole-request error is 4xx in the hub's error shape and writes nothing")
    func wholeRequestErrors() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")
            for (body, code) in [
                ("{\"subjects\":[", "malformed_json"), ("{\"subjects\":[],\"x\":1}", "unknown_field"), ("{\"subjects\":[]}", "empty"),
                ("{\"rows\":[" + Self.subject(Self.uscc) + "]}", "unknown_field"),
            ] {
                let answer = try await client.signed(.post, "/api/v1/random-checks/subjects", body: body, as: t.scjg)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json["errors"]?.array.map { $0["code"]?.string ?? "" }.contains(code) == true, "\(String(buffer: answer.body))")
            }
            let tooMany = Self.subjectsBody(Array(repeating: Self.subject(Self.uscc), count: 5001))
            let refused = try await client.signed(.post, "/api/v1/random-checks/subjects", body: tooMany, as: t.scjg)
            #expect(refused.status == .badRequest && refused.json["errors"]?[0]["code"]?.string == "too_many_rows")
            let media = try await client.signed(.post, "/api/v1/random-checks/subjects", body: "id,name", as: t.scjg, contentType: "text/csv")
            #expect(media.status == .unsupportedMediaType)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_subjects") == 0)
        }
    }

    @Test("CSV import through the command's code path: the same rules, refusals with line numbers, GB18030 files read")
    func csvImport() async throws {
        let t = try await TestHub.make()
        try await t.serve { _, hub in
            let csv = """
                id,idType,name,regionCode,tags,creditGrade
                \(Self.uscc),001,示例大药房,430405,药品经营许可证;医疗器械经营备案,A
                91330105MA2KER1H4M,001,坏码,430405,,B
                \(Self.otherUSCC),001,"诊所, 第二门店",4304,,
                """
            var lines: [String] = []
            for i in 0..<30 {
                lines.append("\(USCC.make(kind: "91", region: "430405", organisation: String(format: "MA4M%04d", i))!),001,企业\(i),430405,,C")
            }
            let importer = LibraryImport(service: hub.libraries)
            let report = try await importer.run(
                Array((csv + "\n" + lines.joined(separator: "\n") + "\n").utf8),
                kind: .subjects,
                department: "HY-SCJG"
            )
            #expect(report.rows == 33 && report.accepted == 31 && report.rejected == 2 && report.unchanged == 0)
            #expect(report.rejectedLines.map(\.line) == [3, 4])
            #expect(report.refusals.contains("第 3 行 id：统一社会信用代码第18位校验码错误（invalid_check_digit）"))
            #expect(report.refusals.contains { $0.hasPrefix("第 4 行 regionCode：") })
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_subject'") == 31)

            // The same file saved by a Chinese Excel (GB18030): read, and nothing changed.
            let again = try await importer.run(XMLSamples.gb18030(csv), kind: .subjects, department: "HY-SCJG")
            #expect(again.encoding == "GB18030" && again.unchanged == 1 && again.rejected == 2)

            await #expect(throws: LibraryImport.Refused.self) {
                try await importer.run(Array("id,colour\nx,y\n".utf8), kind: .subjects, department: "HY-SCJG")
            }
        }
    }

    @Test("a 12,000-row file is imported in three transactions with progress, and imported again as all unchanged")
    func largeImport() async throws {
        let t = try await TestHub.make()
        try await t.serve { _, hub in
            var text = "id,name,regionCode,industryCode,tags,creditGrade\n"
            let grades = ["A", "B", "C", "D", ""]
            for i in 0..<12_000 {
                let id = USCC.make(kind: "91", region: "430405", organisation: String(format: "M%07d", i))!
                text += "\(id),衡阳示例企业\(i),43040\(i % 7 + 1),F5251,药品经营许可证,\(grades[i % 5])\n"
            }
            let progress = NIOLockedValueBox<[Int]>([])
            let importer = LibraryImport(service: hub.libraries)
            let started = ContinuousClock.now
            let report = try await importer.run(Array(text.utf8), kind: .subjects, department: "HY-SCJG") { done, _ in
                progress.withLockedValue { $0.append(done) }
            }
            let first = ContinuousClock.now - started
            #expect(report.accepted == 12_000 && report.rejected == 0)
            #expect(progress.withLockedValue { $0 } == [5000, 10_000, 12_000])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'random_check_library'") == 12_000)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_subject'") == 12_000)
            let again = ContinuousClock.now
            let resend = try await importer.run(Array(text.utf8), kind: .subjects, department: "HY-SCJG")
            let second = ContinuousClock.now - again
            #expect(resend.unchanged == 12_000)
            print("library import: 12,000 subjects written in \(first), imported again (all unchanged) in \(second)")
        }
    }

    @Test("an XLSX workbook is imported like the CSV: shared and inline strings, numbers, rich text, sparse rows, deflate")
    func xlsxImport() async throws {
        let t = try await TestHub.make()
        let fixtures = TestCluster.projectRoot.appendingPathComponent("Tests/HubIntegrationTests/Fixtures/random-checks")
        try await t.serve { _, hub in
            let importer = LibraryImport(service: hub.libraries)
            let small = try await importer.run(
                Array(try Data(contentsOf: fixtures.appendingPathComponent("subjects.xlsx"))),
                kind: .subjects,
                department: "HY-SCJG"
            )
            #expect(small.encoding == "XLSX" && small.rows == 2 && small.accepted == 1 && small.rejected == 1)
            #expect(small.rejectedLines.map(\.line) == [4])
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM rc_subjects WHERE name = '示例大药房' AND credit_grade = 'A' AND region_code = '430405' AND tags = '{药品经营许可证,医疗器械经营备案}'"
                ) == 1
            )
            let large = try await importer.run(
                Array(try Data(contentsOf: fixtures.appendingPathComponent("subjects-300.xlsx"))),
                kind: .subjects,
                department: "HY-SCJG"
            )
            #expect(large.rows == 300 && large.accepted == 300, "\(large.refusals.prefix(3))")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_subjects WHERE id_type = '414' AND name LIKE '衡阳示例经营户%'") == 300)
            await #expect(throws: LibraryImport.Refused.self) {
                try await importer.run([0x50, 0x4B, 0x03, 0x04, 0, 0, 0], kind: .subjects, department: "HY-SCJG")
            }
        }
    }
}
