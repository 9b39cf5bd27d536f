import Foundation
import HubModel
import HubServer
import HubStore
import Normalization
import PostgresNIO
import ProvinceSimulator
import Supervision
import Synchronization
import Testing

/// Observations for the risk models over signed HTTP and PostgreSQL: a mixed batch in JSON and in XML (GB18030),
/// per-row answers with paths, resends (duplicate: nothing written) and reused ids (refused), one ledger entry per
/// accepted row, whole-request refusals writing nothing, hostile XML, and the facts the models read (the licence
/// register, the complaint window) — including from the hook inside the batch's transaction.
@Suite("Risk observations in", .serialized)
struct ObservationTests {
    static let path = "/api/v1/risk/observations"
    /// Valid USCCs of the example file (Schemas/examples/observations-valid.json).
    static let hospital = "91430405MA4L01014U"
    static let investment = "91430405MA4L01022N"
    static let pharmacy = "91430405MA4L01030H"

    static func example() throws -> String {
        try String(contentsOf: TestCluster.projectRoot.appendingPathComponent("Schemas/examples/observations-valid.json"), encoding: .utf8)
    }

    /// The rows of the example file, as JSON texts.
    static func exampleRows() throws -> [String] {
        let document = try JSONParser().parse(Array(try example().utf8))
        return document["observations"]!.array.map { CanonicalJSON.string($0) }
    }

    static func body(_ rows: [String]) -> String { #"{"observations":["# + rows.joined(separator: ",") + "]}" }

    static func listing(_ id: String, _ members: String) -> String {
        #"{"observationId":"\#(id)","kind":"listing","observedOn":"2026-11-02","subject":{"name":"某店"},"listing":{"platform":"P","shop":"某店","productName":"X","category":"device","seller":"S","text":"T",\#(members)}}"#
    }

    static func complaint(_ id: String, on day: String, uscc: String?, name: String = "某公司") -> String {
        let subject = uscc.map { #"{"uscc":"\#($0)","name":"\#(name)"}"# } ?? #"{"name":"\#(name)"}"#
        return
            #"{"observationId":"\#(id)","kind":"complaint","observedOn":"\#(day)","subject":\#(subject),"complaint":{"text":"投诉","channel":"12315"}}"#
    }

    static func licence(_ id: String, on day: String, uscc: String, kind: String, number: String, until: String?, revoked: Bool = false) -> String {
        let end = until.map { #""\#($0)""# } ?? "null"
        return
            #"{"observationId":"\#(id)","kind":"licence","observedOn":"\#(day)","subject":{"uscc":"\#(uscc)","name":"某药房"},"licence":{"kind":"\#(kind)","number":"\#(number)","validFrom":"2020-01-01","validUntil":\#(end),"revoked":\#(revoked)}}"#
    }

    static func statuses(_ answer: JSONValue) -> [String] { answer["results"]?.array.map { $0["status"]?.string ?? "?" } ?? [] }
    static func paths(_ answer: JSONValue, _ index: Int) -> [String] {
        answer["results"]?[index]["errors"]?.array.map { $0["path"]?.string ?? "" } ?? []
    }
    static func codes(_ answer: JSONValue, _ index: Int) -> [String] {
        answer["results"]?[index]["errors"]?.array.map { ($0["path"]?.string ?? "") + " " + ($0["code"]?.string ?? "") } ?? []
    }

    @Test("a mixed JSON batch: per-row answers with paths, one ledger entry per accepted row; a resend is duplicate, a reused id refused")
    func mixedBatchInJSON() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation'")
            var rows = try Self.exampleRows()
            let bad = rows[2].replacingOccurrences(of: Self.investment, with: String(Self.investment.dropLast()) + "M")
                .replacingOccurrences(of: "C-2026-0001", with: "BAD-USCC")
            rows += [
                bad,
                rows[0].replacingOccurrences(of: "\"kind\":\"advertisement\"", with: "\"kind\":\"billboard\"")
                    .replacingOccurrences(of: "AD-2026-0001", with: "BAD-KIND"),
                Self.listing("BAD-RX", #""prescription":"yes""#),
                Self.listing("BAD-CLASS", #""prescription":false,"deviceClass":4"#),
                rows[0].replacingOccurrences(of: #""regionCode":"430405""#, with: #""regionCode":"4304""#).replacingOccurrences(
                    of: "AD-2026-0001",
                    with: "BAD-REGION"
                ),
            ]
            let answer = try await client.signed(.post, Self.path, body: Self.body(rows), as: t.scjg)
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            #expect(Self.statuses(answer.json) == ["accepted", "accepted", "accepted", "accepted"] + Array(repeating: "rejected", count: 5))
            #expect(answer.json["summary"]?["accepted"]?.int == 4 && answer.json["summary"]?["rejected"]?.int == 5)
            #expect(answer.json["results"]?[0]["ledgerSeq"]?.int != nil && answer.json["results"]?[3]["kind"]?.string == "licence")
            #expect(Self.codes(answer.json, 4) == ["observations[4].subject.uscc invalid_check_digit"])
            #expect(Self.codes(answer.json, 5) == ["observations[5].kind invalid_value"])
            #expect(Self.codes(answer.json, 6) == ["observations[6].listing.prescription wrong_type"])
            #expect(Self.codes(answer.json, 7) == ["observations[7].listing.deviceClass out_of_range"])
            #expect(answer.json["results"]?[7]["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            #expect(Self.codes(answer.json, 8) == ["observations[8].regionCode invalid_region_code"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation'") == ledgerBefore + 4)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation' AND department = 'HY-SCJG'") == 4)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM observations WHERE department = 'HY-SCJG'") == 4)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM licences WHERE subject_uscc = '\(Self.pharmacy)' AND NOT revoked") == 1)
            // The ledger entry holds the observation as stored.
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger l JOIN observations o ON o.ledger_seq = l.seq WHERE l.payload::jsonb = o.body"
                ) == 4
            )

            // The same rows again, members reordered: duplicate, nothing written.
            let reordered = rows[1].replacingOccurrences(of: #"{"kind":"listing","#, with: "{")
                .replacingOccurrences(of: #""observationId":"L-2026-0001""#, with: #""observationId":"L-2026-0001","kind":"listing""#)
            let again = try await client.signed(.post, Self.path, body: Self.body(Array(rows[0..<4]) + [reordered]), as: t.scjg)
            #expect(Self.statuses(again.json) == ["duplicate", "duplicate", "duplicate", "duplicate", "duplicate"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation'") == ledgerBefore + 4)

            // The same id with other content: refused, stable code; a new row of the batch is still written.
            let changed = rows[0].replacingOccurrences(of: "无效退款", with: "无效全额退款")
            let conflict = try await client.signed(
                .post,
                Self.path,
                body: Self.body([changed, Self.complaint("C-NEW", on: "2026-11-03", uscc: Self.investment)]),
                as: t.scjg
            )
            #expect(Self.statuses(conflict.json) == ["rejected", "accepted"])
            #expect(Self.codes(conflict.json, 0) == ["observations[0].observationId observation_id_reused"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation'") == ledgerBefore + 5)

            // Ids are per department: another department may use the same id.
            let other = try await client.signed(.post, Self.path, body: Self.body([changed]), as: t.wj)
            #expect(Self.statuses(other.json) == ["accepted"])

            // Within one batch: a repeated id with the same content is duplicate, with other content refused.
            let c = Self.complaint("C-TWICE", on: "2026-11-03", uscc: nil)
            let twice = try await client.signed(
                .post,
                Self.path,
                body: Self.body([c, c, c.replacingOccurrences(of: "投诉", with: "举报")]),
                as: t.scjg
            )
            #expect(Self.statuses(twice.json) == ["accepted", "duplicate", "rejected"])

            // A licence fact names its subject's USCC.
            let noUSCC = Self.licence("LIC-X", on: "2026-11-02", uscc: Self.pharmacy, kind: "drug_trading", number: "N", until: nil)
                .replacingOccurrences(of: #""uscc":"\#(Self.pharmacy)","#, with: "")
            let refused = try await client.signed(.post, Self.path, body: Self.body([noUSCC]), as: t.scjg)
            #expect(Self.codes(refused.json, 0) == ["observations[0].subject.uscc required"])

            // The hub's own role may only add observations, never change or remove one.
            await #expect(throws: (any Error).self) {
                try await hub.db.client.query("UPDATE observations SET subject_name = 'x'", logger: hub.logger)
            }
            await #expect(throws: (any Error).self) { try await hub.db.client.query("DELETE FROM observations", logger: hub.logger) }

            // The console's reader: filters and one by id.
            let complaints = try await hub.observations.store.list(ObservationFilter(kind: .complaint, department: "HY-SCJG"))
            #expect(complaints.map(\.observationId) == ["C-TWICE", "C-NEW", "C-2026-0001"])
            let bySubject = try await hub.observations.store.list(ObservationFilter(subject: "投资咨询"))
            #expect(bySubject.map(\.observationId) == ["C-2026-0001"])
            let ranged = try await hub.observations.store.list(ObservationFilter(from: CalendarDate("2026-11-03")!, to: CalendarDate("2026-11-03")!))
            #expect(Set(ranged.map(\.observationId)) == ["C-NEW", "C-TWICE"])
            let one = try #require(try await hub.observations.store.observation(department: "HY-SCJG", observationId: "L-2026-0001"))
            #expect(one.kind == .listing && one.body["listing"]?["prescription"]?.boolValue == true && one.subject.uscc == nil)
            #expect(try await hub.observations.store.observation(id: one.id)?.observationId == "L-2026-0001")
        }
    }

    @Test("XML in declared GB18030 and UTF-8 gets the JSON answers (a resend in the other wire form is duplicate); XSD refusals per row")
    func xml() async throws {
        let t = try await TestHub.make()
        let examples = TestCluster.projectRoot.appendingPathComponent("Schemas/examples")
        try await t.serve { client, hub in
            let gb = Array(try Data(contentsOf: examples.appendingPathComponent("observations-gb18030.xml")))
            let first = try await client.signedBytes(.post, Self.path, body: gb, as: t.scjg, contentType: "application/xml")
            #expect(first.status == .ok, "\(String(buffer: first.body))")
            #expect(Self.statuses(first.json) == ["accepted", "accepted", "accepted", "accepted"])
            let utf8 = try String(contentsOf: examples.appendingPathComponent("observations-valid.xml"), encoding: .utf8)
            let second = try await client.signed(.post, Self.path, body: utf8, as: t.scjg, contentType: "text/xml; charset=utf-8")
            #expect(Self.statuses(second.json) == ["duplicate", "duplicate", "duplicate", "duplicate"])
            let json = try await client.signed(.post, Self.path, body: try Self.example(), as: t.scjg)
            #expect(Self.statuses(json.json) == ["duplicate", "duplicate", "duplicate", "duplicate"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation'") == 4)

            let listing =
                "<platform>P</platform><shop>S</shop><productName>X</productName><category>device</category><seller>S</seller><text>T</text>"
            let bad = """
                <?xml version="1.0" encoding="UTF-8"?>
                <observations>
                  <observation><observationId>X1</observationId><kind>listing</kind><observedOn>2026-11-02</observedOn><subject><name>店</name></subject>
                    <listing>\(listing)<prescription>yes</prescription></listing></observation>
                  <observation><observationId>X2</observationId><kind>listing</kind><observedOn>2026-11-02</observedOn><subject><name>店</name></subject>
                    <listing>\(listing)<prescription>false</prescription><deviceClass>4</deviceClass></listing></observation>
                  <observation><observationId>X3</observationId><kind>listing</kind><observedOn>2026-11-02</observedOn><subject><name>店</name></subject>
                    <listing>\(listing)<prescription>true</prescription><deviceClass>3</deviceClass></listing></observation>
                </observations>
                """
            let refused = try await client.signed(.post, Self.path, body: bad, as: t.scjg, contentType: "application/xml")
            #expect(refused.status == .ok, "\(String(buffer: refused.body))")
            #expect(Self.statuses(refused.json) == ["rejected", "rejected", "accepted"])
            #expect(!Self.paths(refused.json, 0).isEmpty && Self.paths(refused.json, 0).allSatisfy { $0 == "observations[0].listing.prescription" })
            #expect(!Self.paths(refused.json, 1).isEmpty && Self.paths(refused.json, 1).allSatisfy { $0 == "observations[1].listing.deviceClass" })
            let stored = try #require(try await hub.observations.store.observation(department: "HY-SCJG", observationId: "X3"))
            #expect(stored.body["listing"]?["deviceClass"]?.int == 3 && stored.body["listing"]?["prescription"]?.boolValue == true)
        }
    }

    @Test("whole-request problems: oversized batch and body, hostile XML, wrong root, media type — 4xx, nothing written")
    func wholeRequest() async throws {
        let t = try await TestHub.make(maxBodyBytes: 512 * 1024)
        try await t.serve { client, hub in
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")
            let tooMany = Self.body(Array(repeating: "{}", count: 5001))
            let many = try await client.signed(.post, Self.path, body: tooMany, as: t.scjg)
            #expect(many.status == .badRequest && many.json["errors"]?[0]["code"]?.string == "too_many_rows", "\(String(buffer: many.body))")

            let big = Self.body([Self.complaint("BIG", on: "2026-11-02", uscc: nil, name: String(repeating: "x", count: 600 * 1024))])
            let large = try await client.signed(.post, Self.path, body: big, as: t.scjg)
            #expect(large.status == .contentTooLarge && large.json["errors"]?[0]["code"]?.string == "body_too_large")

            for (xml, code) in [
                (
                    #"<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/passwd">]><observations><observation><observationId>&x;</observationId></observation></observations>"#,
                    "doctype_refused"
                ),
                (
                    #"<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><observations>&b;</observations>"#,
                    "doctype_refused"
                ),
                (
                    "<?xml version=\"1.0\"?>" + "<observations>" + String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
                        + "</observations>", "too_deep"
                ),
                (#"<?xml version="1.0"?><records/>"#, "wrong_root"),
                (#"<?xml version="1.0"?><observations><observation>"#, "malformed_xml"),
            ] {
                let answer = try await client.signed(.post, Self.path, body: xml, as: t.scjg, contentType: "application/xml")
                #expect(answer.status == .badRequest, "\(code): \(String(buffer: answer.body))")
                #expect(answer.json["errors"]?[0]["code"]?.string == code, "\(String(buffer: answer.body))")
            }
            for (body, codes) in [
                ("{\"observations\":[", ["malformed_json"]), ("{\"observations\":[]}", ["empty"]), ("{\"rows\":[]}", ["unknown_field", "required"]),
            ] {
                let answer = try await client.signed(.post, Self.path, body: body, as: t.scjg)
                #expect(answer.status == .badRequest)
                #expect(answer.json["errors"]?.array.contains { codes.contains($0["code"]?.string ?? "") } == true, "\(String(buffer: answer.body))")
            }
            let media = try await client.signed(.post, Self.path, body: "a,b", as: t.scjg, contentType: "text/csv")
            #expect(media.status == .unsupportedMediaType)
            let unsigned = try await client.execute(uri: Self.path, method: .post, body: ByteBuffer(string: "{}"))
            #expect(unsigned.status == .unauthorized)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM observations") == 0)
        }
    }

    @Test("facts: licences in force, expired and revoked (the latest fact by date wins); complaints in the 90-day window, by USCC or name")
    func facts() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let a = Self.pharmacy
            let day = CalendarDate("2026-11-02")!
            let first = try await client.signed(
                .post,
                Self.path,
                body: Self.body([
                    Self.licence("L1", on: "2026-10-01", uscc: a, kind: "drug_trading", number: "湘AA1", until: "2029-01-01"),
                    Self.licence("L2", on: "2026-10-01", uscc: a, kind: "device_trading", number: "湘食药监械经营许1", until: "2025-12-31"),
                    Self.licence("L3", on: "2026-10-01", uscc: a, kind: "financial", number: "F1", until: nil, revoked: true),
                    Self.licence("L4", on: "2026-10-01", uscc: a, kind: "device_filing", number: "湘衡食药监械经营备1", until: nil),
                ]),
                as: t.scjg
            )
            #expect(Self.statuses(first.json) == ["accepted", "accepted", "accepted", "accepted"])
            let seen = Observation(
                observationId: "Q",
                department: "HY-SCJG",
                observedOn: day,
                subject: ObservedSubject(uscc: a, name: "某药房"),
                detail: .complaint(Complaint(text: "", amountFen: nil, channel: ""))
            )
            var facts = try await hub.observations.store.facts(for: seen)
            #expect(facts.licences.count == 4)
            #expect(facts.holds(.drugTrading, on: day) && facts.holds(.deviceFiling, on: day))
            #expect(!facts.holds(.deviceTrading, on: day) && facts.holds(.deviceTrading, on: CalendarDate("2025-12-31")!))
            #expect(!facts.holds(.financial, on: day) && !facts.holds(.medicalInstitution, on: day))

            // Revoked later (by the wj department): the register follows; an older fact sent late does not undo it.
            _ = try await client.signed(
                .post,
                Self.path,
                body: Self.body([
                    Self.licence("R1", on: "2026-11-01", uscc: a, kind: "drug_trading", number: "湘AA1", until: "2029-01-01", revoked: true)
                ]),
                as: t.wj
            )
            _ = try await client.signed(
                .post,
                Self.path,
                body: Self.body([Self.licence("OLD", on: "2026-09-01", uscc: a, kind: "drug_trading", number: "湘AA1", until: "2029-01-01")]),
                as: t.scjg
            )
            facts = try await hub.observations.store.facts(for: seen)
            #expect(!facts.holds(.drugTrading, on: day) && facts.licences.count == 4)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM licences WHERE number = '湘AA1' AND revoked AND department = 'HY-WJ'") == 1)

            // Complaints: 2026-11-02 and the 89 days before it (from 2026-08-05) count; 08-04 and 11-03 do not.
            let b = Self.investment
            _ = try await client.signed(
                .post,
                Self.path,
                body: Self.body([
                    Self.complaint("K1", on: "2026-08-04", uscc: b), Self.complaint("K2", on: "2026-08-05", uscc: b),
                    Self.complaint("K3", on: "2026-11-02", uscc: b), Self.complaint("K4", on: "2026-11-03", uscc: b),
                    Self.complaint("N1", on: "2026-10-01", uscc: nil, name: "某理财工作室"),
                    Self.complaint("N2", on: "2026-10-02", uscc: nil, name: "某理财工作室"),
                ]),
                as: t.scjg
            )
            _ = try await client.signed(.post, Self.path, body: Self.body([Self.complaint("W1", on: "2026-09-01", uscc: b)]), as: t.wj)
            var subject = seen
            subject.subject = ObservedSubject(uscc: b, name: "某公司")
            facts = try await hub.observations.store.facts(for: subject)
            #expect(facts.recentComplaintIds == ["HY-SCJG/K2", "HY-WJ/W1", "HY-SCJG/K3"] && facts.recentComplaints == 3)
            #expect(facts.complaintWindowDays == 90 && facts.licences.isEmpty)
            subject.subject = ObservedSubject(uscc: nil, name: "某理财工作室")
            facts = try await hub.observations.store.facts(for: subject)
            #expect(facts.recentComplaintIds == ["HY-SCJG/N1", "HY-SCJG/N2"])

            // One batch of mixed subjects answers each in its place (by USCC, by name, a repeat).
            var byUSCC = seen
            byUSCC.subject = ObservedSubject(uscc: b, name: "某公司")
            let store = hub.observations.store
            let batch = try await hub.db.client.withConnection { conn in try await store.facts(for: [seen, byUSCC, subject, seen], on: conn) }
            #expect(batch.map(\.licences.count) == [4, 0, 0, 4])
            #expect(batch[0].recentComplaintIds.isEmpty && batch[3] == batch[0])
            #expect(batch[1].recentComplaintIds == ["HY-SCJG/K2", "HY-WJ/W1", "HY-SCJG/K3"])
            #expect(batch[2].recentComplaintIds == ["HY-SCJG/N1", "HY-SCJG/N2"])
        }
    }

    @Test("the hook runs inside the batch's transaction with the accepted rows and sees them in the facts; a failing hook writes nothing")
    func hook() async throws {
        let t = try await TestHub.make()
        let u = Self.investment
        let reader = ObservationReader()
        @Sendable func outcomes(_ rows: [String]) throws -> [ObservationReader.Outcome] {
            try reader.read(try JSONParser().parse(Array(Self.body(rows).utf8)), department: "HY-SCJG")
        }
        try await t.withDatabase { db async throws in
            let seen = Mutex<[(String, Int)]>([])
            let base = ObservationStore(db: db)
            let store = ObservationStore(db: db) { conn, observations in
                for observation in observations {
                    let facts = try await base.facts(for: observation, on: conn)
                    seen.withLock { $0.append((observation.observationId, facts.recentComplaints)) }
                }
            }
            let results = try await store.store(
                try outcomes([Self.complaint("H1", on: "2026-11-01", uscc: u), Self.complaint("H2", on: "2026-11-02", uscc: u)]),
                department: "HY-SCJG"
            )
            #expect(results.map(\.status) == [.accepted, .accepted])
            #expect(seen.withLock { $0.map(\.0) } == ["H1", "H2"])
            #expect(seen.withLock { $0.map(\.1) } == [1, 2])

            // A resend calls no hook (nothing accepted); a hook that throws rolls the whole batch back.
            _ = try await store.store(try outcomes([Self.complaint("H1", on: "2026-11-01", uscc: u)]), department: "HY-SCJG")
            #expect(seen.withLock { $0.count } == 2)
            struct Refused: Error {}
            let failing = ObservationStore(db: db) { _, _ in throw Refused() }
            let ledgerBefore = try await count(db, "SELECT count(*)::int FROM ledger")
            await #expect(throws: Refused.self) {
                try await failing.store(try outcomes([Self.complaint("H3", on: "2026-11-02", uscc: u)]), department: "HY-SCJG")
            }
            #expect(try await count(db, "SELECT count(*)::int FROM ledger") == ledgerBefore)
            #expect(try await count(db, "SELECT count(*)::int FROM observations WHERE observation_id = 'H3'") == 0)
        }
    }

    @Test("a department system that cannot push is pulled for observations (content: observations), in XML and JSON, each taken once")
    func pulled() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        let rows = (0..<5).map { i in
            try! JSONParser().parse(Array(Self.complaint("P-\(i)", on: "2026-11-0\(i + 1)", uscc: Self.investment).utf8))
        }
        await platform.addDepartmentRecords(rows, department: "HY-SCJG", collection: "observations")
        try await TestProvince.serve(platform) { url in
            for format in ["xml", "json"] {
                let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
                let target = DepartmentPullService.Target(
                    department: "HY-SCJG",
                    checkpoint: "pull:HY-SCJG:observations:\(format)",
                    source: .init(url: "\(url)/dept/HY-SCJG/observations", format: format, token: "dept-token", pageSize: 2),
                    interval: .seconds(60),
                    content: .observations
                )
                try await hub.db.withRunning { _ async throws in
                    let service = DepartmentPullService(hub: hub)
                    #expect(await service.pull(target) == 5, "three pages of 2, 2 and 1")
                    #expect(try await hub.checkpoints.cursor(target.checkpoint) == "5")
                    #expect(await service.pull(target) == 0, "nothing new since the cursor")
                }
            }
        }
        try await t.withDatabase { db async throws in
            // Pulled twice (XML, then JSON under another checkpoint): written once, one ledger entry each.
            #expect(try await count(db, "SELECT count(*)::int FROM observations WHERE observation_id LIKE 'P-%'") == 5)
            #expect(try await count(db, "SELECT count(*)::int FROM ledger WHERE kind = 'observation'") == 5)
        }
        // A profile names the content of a pulled system; anything but records or observations stops the load.
        let profile = """
            code: HY-X
            name: X
            catalogDepartment: 市场监管
            systems:
              - name: 监测系统
                mode: pull
                url: https://monitor.example/observations
                content: observations
            """
        #expect(try ProfileLoader.parse(profile, file: "HY-X.yaml").pulledSystems.first?.pull.content == .observations)
        #expect(throws: (any Error).self) {
            try ProfileLoader.parse(profile.replacingOccurrences(of: "content: observations", with: "content: ads"), file: "HY-X.yaml")
        }
    }

    @Test("a CSV import through the command's code path: member paths as headers, typed cells, refusals with lines; GB18030 read, resend duplicate")
    func csvImport() async throws {
        let t = try await TestHub.make()
        try await t.serve { _, hub in
            let csv = """
                observationId,kind,observedOn,subject.uscc,subject.name,listing.platform,listing.shop,listing.productName,listing.category,listing.prescription,listing.seller,listing.text,complaint.text,complaint.channel,complaint.amountFen,licence.kind,licence.number,licence.validFrom
                C-1,complaint,2026-11-02,\(Self.investment),某投资公司,,,,,,,,承诺保本保息,12315,500000,,,
                L-1,listing,2026-11-02,,某店,某平台,某店,阿莫西林,drug,yes,某店,无需处方,,,,,,
                LIC-1,licence,2026-11-02,\(Self.pharmacy),某药房,,,,,,,,,,,drug_trading,湘AA1,2024-01-01

                """
            let importer = ObservationImport(service: hub.observations)
            let report = try await importer.run(Array(csv.utf8), fileName: "obs.csv", department: "HY-SCJG")
            #expect(report.rows == 3 && report.accepted == 2 && report.rejected == 1, "\(report.refusals)")
            #expect(report.refusals.count == 1 && report.refusals[0].hasPrefix("第 3 行 listing.prescription："), "\(report.refusals)")
            let stored = try #require(try await hub.observations.store.observation(department: "HY-SCJG", observationId: "C-1"))
            #expect(stored.body["complaint"]?["amountFen"]?.int == 500000)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM licences WHERE number = '湘AA1'") == 1)

            let again = try await importer.run(XMLSamples.gb18030(csv), fileName: "obs.csv", department: "HY-SCJG")
            #expect(again.duplicate == 2 && again.accepted == 0 && again.rejected == 1)
            let json = try await importer.run(Array(try Self.example().utf8), fileName: "obs.json", department: "HY-SCJG")
            #expect(json.accepted == 4)
            await #expect(throws: ObservationImport.Refused.self) {
                try await importer.run(Array("{\"observations\":[]}".utf8), fileName: "obs.json", department: "HY-SCJG")
            }
        }
    }
}
