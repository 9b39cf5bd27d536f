import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import Testing

/// The department push API against a live server and a real PostgreSQL.
@Suite("Push API")
struct PushAPITests {
    /// The batch: 1,000 signed records of every kind of right and wrong, each getting its own answer.
    @Test("a mixed batch of 1,000 records gets the right status per record and writes nothing of a rejected one")
    func mixedBatch() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        let penalty = t.penaltyItem
        try await t.serve { client, hub in
            let scjg = try #require(try await hub.departments.department(code: "HY-SCJG"))
            try await hub.mappings.confirm(
                department: scjg,
                localCode: "JC-MAPPED",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                decidedBy: "test-reviewer",
                reason: "same legal basis"
            )
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")

            var records: [String] = []
            var expected: [(status: String, code: String?, path: String?)] = []
            func valid(_ id: String, result: String = "01") -> String {
                SampleRecords.inspection(
                    localId: id,
                    catalogCode: item.catalogCode,
                    implementationCode: item.code,
                    agencyCode: item.agencyCode,
                    result: result
                )
            }
            for i in 0..<1000 {
                let id = "JC-\(i)"
                let round = i / 10
                switch i % 10 {
                case 0:
                    records.append(valid(id))
                    expected.append(("accepted", nil, nil))
                case 1:
                    records.append(
                        SampleRecords.inspection(
                            localId: id,
                            catalogCode: nil,
                            implementationCode: nil,
                            agencyCode: item.agencyCode,
                            localCode: "JC-MAPPED"
                        )
                    )
                    expected.append(("accepted", nil, nil))
                case 2:
                    records.append(
                        SampleRecords.inspection(
                            localId: id,
                            catalogCode: nil,
                            implementationCode: nil,
                            agencyCode: item.agencyCode,
                            localCode: "JC-UNKNOWN-\(round % 3)"
                        )
                    )
                    expected.append(("held", nil, nil))
                case 3:
                    records.append(
                        SampleRecords.inspection(
                            localId: id,
                            catalogCode: item.catalogCode,
                            implementationCode: item.code,
                            agencyCode: item.agencyCode,
                            partyUSCC: "91330105MA2KER1H4M"
                        )
                    )
                    expected.append(("rejected", "invalid_check_digit", "records[\(i)].party.idNumber"))
                case 4:
                    records.append(
                        valid(id).replacingOccurrences(
                            of: "\"nature\":\"2\",\"idType\":\"001\",\"idNumber\":\"91330105MA2KER1H4N\"",
                            with: "\"nature\":\"1\",\"idType\":\"111\",\"idNumber\":\"110105194912310021\""
                        )
                    )
                    expected.append(("rejected", "invalid_check_digit", "records[\(i)].party.idNumber"))
                case 5:
                    records.append(
                        SampleRecords.inspection(
                            localId: id,
                            catalogCode: item.catalogCode,
                            implementationCode: item.code,
                            agencyCode: item.agencyCode,
                            inspectorCount: 1
                        )
                    )
                    expected.append(("rejected", "too_few_inspectors", "records[\(i)].inspection.inspectors"))
                case 6 where round % 2 == 0:
                    records.append(
                        SampleRecords.inspection(
                            localId: id,
                            catalogCode: item.catalogCode,
                            implementationCode: item.code,
                            agencyCode: item.agencyCode,
                            date: "2026-11-21T10:00:00+08:00",
                            submittedAt: "2026-11-21T09:00:00+08:00"
                        )
                    )
                    expected.append(("rejected", "submitted_before_act", "records[\(i)].submittedAt"))
                case 6:
                    records.append(
                        SampleRecords.penalty(
                            localId: id,
                            catalogCode: penalty.catalogCode,
                            implementationCode: penalty.code,
                            agencyCode: penalty.agencyCode,
                            closedAt: "2026-10-01T10:00:00+08:00"
                        )
                    )
                    expected.append(("rejected", "closed_before_filed", "records[\(i)].penalty.execution.closedAt"))
                case 7:
                    records.append(valid(id, result: "99"))
                    expected.append(("rejected", "unknown_dictionary_value", "records[\(i)].inspection.result"))
                case 8:
                    records.append(valid(id).replacingOccurrences(of: "\"regionCode\"", with: "\"inspectorz\":1,\"regionCode\""))
                    expected.append(("rejected", "unknown_field", "records[\(i)].inspectorz"))
                default:
                    let original = "JC-\(i - 9)"
                    if round % 2 == 0 {
                        records.append(valid(original))
                        expected.append(("duplicate", nil, nil))
                    } else {
                        records.append(valid(original, result: "02"))
                        expected.append(("accepted", nil, nil))
                    }
                }
            }
            let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records, batchId: "2026112600001"), as: t.scjg)
            #expect(response.status == .ok)
            let results = response.json["results"]!.array
            #expect(results.count == 1000)
            for (i, want) in expected.enumerated() {
                let r = results[i]
                #expect(r["index"]?.int == i)
                #expect(r["status"]?.string == want.status, "record \(i): \(r)")
                if let code = want.code {
                    let errors = r["errors"]?.array ?? []
                    #expect(errors.contains { $0["code"]?.string == code && $0["path"]?.string == want.path }, "record \(i): \(errors)")
                    #expect(
                        errors.allSatisfy { ($0["messageZh"]?.string ?? "").isEmpty == false && ($0["messageEn"]?.string ?? "").isEmpty == false }
                    )
                }
            }
            // Accepted via codes, via the confirmed mapping, and the changed versions.
            #expect(results[0]["rule"]?.string == "record-codes")
            #expect(results[1]["rule"]?.string == "confirmed-mapping")
            #expect(results[1]["catalogCode"]?.string == item.catalogCode)
            #expect(results[19]["version"]?.int == 2 && results[19]["operation"]?.string == "U")
            #expect(results[9]["version"]?.int == 1 && results[9]["ledgerSeq"] == results[0]["ledgerSeq"])
            #expect(results[0]["entryHash"]?.string?.count == 64)

            // One review item per local item, not per record.
            #expect(try await count(hub.db, "SELECT count(*)::int FROM review_items WHERE status = 'open'") == 3)
            #expect(Set(results.filter { $0["status"]?.string == "held" }.compactMap { $0["reviewId"]?.int }).count == 3)

            // Ledger and outbox grow by exactly the accepted versions; nothing of a rejected record is stored. Beside
            // them, each accepted record's publication (行政执法公示) has its own ledger entry and outbox row.
            let accepted = expected.count { $0.status == "accepted" }
            #expect(accepted == 250)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind <> 'publication'") == ledgerBefore + accepted)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'record'") == accepted)
            let published = try await count(hub.db, "SELECT count(DISTINCT local_id)::int FROM records WHERE status = 'accepted'")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM publications") == published)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'publication'") == published)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE status = 'held'") == 100)
            let rejectedIds = expected.enumerated().filter { $0.element.status == "rejected" }.map { "'JC-\($0.offset)'" }.joined(separator: ",")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id IN (\(rejectedIds))") == 0)

            // The same batch again: nothing new, every taken record a duplicate of its original.
            let again = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
            let second = again.json["results"]!.array
            for (i, want) in expected.enumerated() where want.status != "rejected" {
                #expect(second[i]["status"]?.string == "duplicate", "record \(i)")
            }
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind <> 'publication'") == ledgerBefore + accepted)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'publication'") == published)

            let verification = try await LedgerStore.verify(hub.db)
            #expect(verification.ok)
        }
    }

    @Test("GET /api/v1/records/{localId} shows every version, its ledger entry and its delivery state")
    func lookup() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, _ in
            let v1 = SampleRecords.inspection(
                localId: "LOOK-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            let v2 = SampleRecords.inspection(
                localId: "LOOK-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode,
                result: "02"
            )
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([v1]), as: t.scjg)
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([v2]), as: t.scjg)
            let response = try await client.signed(.get, "/api/v1/records/LOOK-1", as: t.scjg)
            #expect(response.status == .ok)
            let versions = response.json["versions"]!.array
            #expect(versions.count == 2)
            #expect(versions[0]["operation"]?.string == "I")
            #expect(versions[1]["operation"]?.string == "U")
            #expect(versions[1]["delivery"]?["state"]?.string == "pending")
            #expect(versions[1]["record"]?["inspection"]?["result"]?.string == "02")
            #expect(versions[1]["entryHash"]?.string?.count == 64)

            // Another department sees nothing of it, and its own record of the same localId is its own.
            let other = try await client.signed(.get, "/api/v1/records/LOOK-1", as: t.wj)
            #expect(other.status == .notFound)
            #expect(other.json["errors"]?[0]["code"]?.string == "record_not_found")
        }
    }

    @Test("records of one local item are held together and accepted once a mapping is confirmed")
    func heldThenMapped() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            let held = (0..<5).map {
                SampleRecords.inspection(
                    localId: "H-\($0)",
                    catalogCode: nil,
                    implementationCode: nil,
                    agencyCode: item.agencyCode,
                    localCode: "LOCAL-9"
                )
            }
            let first = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(held), as: t.scjg)
            let reviewIds = Set(first.json["results"]!.array.compactMap { $0["reviewId"]?.int })
            #expect(first.json["summary"]?["held"]?.int == 5)
            #expect(reviewIds.count == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'record'") == 0)

            let scjg = try #require(try await hub.departments.department(code: "HY-SCJG"))
            try await hub.mappings.confirm(
                department: scjg,
                localCode: "LOCAL-9",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                decidedBy: "reviewer",
                reason: "legal basis"
            )
            let next = SampleRecords.inspection(
                localId: "H-new",
                catalogCode: nil,
                implementationCode: nil,
                agencyCode: item.agencyCode,
                localCode: "LOCAL-9"
            )
            let second = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([next]), as: t.scjg)
            #expect(second.json["results"]?[0]["status"]?.string == "accepted")
            #expect(second.json["results"]?[0]["rule"]?.string == "confirmed-mapping")
        }
    }

    @Test("codes the catalog contradicts are rejected with the reason")
    func contradictedCodes() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        let penalty = t.penaltyItem
        try await t.serve { client, _ in
            let unknown = SampleRecords.inspection(
                localId: "C-1",
                catalogCode: item.catalogCode,
                implementationCode: item.agencyCode + "3" + "99999999999999" + "01",
                agencyCode: item.agencyCode
            )
            let wrongKind = SampleRecords.inspection(
                localId: "C-2",
                catalogCode: penalty.catalogCode,
                implementationCode: penalty.code,
                agencyCode: item.agencyCode
            )
            let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([unknown, wrongKind]), as: t.scjg)
            let results = response.json["results"]!.array
            #expect(results[0]["errors"]?[0]["code"]?.string == "unknown_implementation_code")
            #expect(results[1]["errors"]?.array.contains { $0["code"]?.string == "item_type_mismatch" } == true)
        }
    }

    @Test("whole-request problems answer 4xx with the error shape and write nothing")
    func wholeRequestProblems() async throws {
        let t = try await TestHub.make(maxBodyBytes: 64 * 1024)
        try await t.serve { client, hub in
            let malformed = try await client.signed(.post, "/api/v1/records", body: "{\"records\": [ {\"localId\": }", as: t.scjg)
            #expect(malformed.status == .badRequest)
            let error = malformed.json["errors"]?[0]
            #expect(error?["code"]?.string == "malformed_json")
            #expect(error?["messageEn"]?.string?.contains("line 1, column") == true)

            let notBatch = try await client.signed(.post, "/api/v1/records", body: "[1,2]", as: t.scjg)
            #expect(notBatch.status == .badRequest)
            #expect(notBatch.json["errors"]?[0]["code"]?.string == "wrong_type")

            let duplicateKey = try await client.signed(.post, "/api/v1/records", body: "{\"records\":[],\"records\":[]}", as: t.scjg)
            #expect(duplicateKey.json["errors"]?[0]["code"]?.string == "malformed_json")

            let wrongType = try await client.signed(.post, "/api/v1/records", body: "{}", as: t.scjg, contentType: "text/plain")
            #expect(wrongType.status == .unsupportedMediaType)

            let big = String(repeating: "x", count: 100 * 1024)
            let tooLarge = try await client.signed(.post, "/api/v1/records", body: "{\"records\":[\"\(big)\"]}", as: t.scjg)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.json["errors"]?[0]["code"]?.string == "body_too_large")

            // U+0000 is refused by the parser; a control character in batchId is a 400, not a database error.
            let nul = try await client.signed(.post, "/api/v1/records", body: "{\"batchId\":\"a\\u0000b\",\"records\":[{}]}", as: t.scjg)
            #expect(nul.status == .badRequest)
            let tab = try await client.signed(.post, "/api/v1/records", body: "{\"batchId\":\"a\\tb\",\"records\":[{}]}", as: t.scjg)
            #expect(tab.status == .badRequest)
            #expect(tab.json["errors"]?[0]["path"]?.string == "batchId")

            #expect(try await count(hub.db, "SELECT count(*)::int FROM records") == 0)
        }
    }
}
