import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import Normalization
import Testing

/// A department files records only for its own implementing agencies (issue #10 item 2): its profile's agency,
/// the county bureaus its profile lists, and those added with `hub departments add … --agency`.
@Suite("Agencies belong to departments")
struct AgencyTests {
    @Test("a record in another department's agency is rejected with agency_not_of_department and writes nothing")
    func foreignAgencyRejected() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem  // an item of 衡阳市市场监督管理局 (HY-SCJG's agency)
        try await t.serve { client, hub in
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")
            let record = SampleRecords.inspection(
                localId: "FOREIGN-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            // 卫健委 signs a record that names 市场监管局 as its agency.
            let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.wj)
            #expect(response.status == .ok)
            let result = try #require(response.json["results"]?.array.first)
            #expect(result["status"]?.string == "rejected")
            let errors = result["errors"]?.array ?? []
            #expect(
                errors.contains { $0["code"]?.string == "agency_not_of_department" && $0["path"]?.string == "records[0].agency.code" },
                "\(errors)"
            )
            #expect(errors.allSatisfy { ($0["messageZh"]?.string ?? "").contains("实施主体") && ($0["messageEn"]?.string ?? "").contains("agency") })
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id = 'FOREIGN-1'") == 0)

            // The same record signed by its own department is accepted.
            let own = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            #expect(own.json["results"]?.array.first?["status"]?.string == "accepted")
        }
    }

    @Test("an implementation code of another agency is refused even when agency.code is the department's own")
    func foreignImplementationCode() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            let wjAgency = try #require(hub.profiles["HY-WJ"]?.agencyCode)
            let record = SampleRecords.inspection(
                localId: "FOREIGN-2",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: wjAgency
            )
            let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.wj)
            let errors = response.json["results"]?.array.first?["errors"]?.array ?? []
            #expect(
                errors.contains { $0["code"]?.string == "agency_not_of_department" && $0["path"]?.string == "records[0].item.implementationCode" },
                "\(errors)"
            )
        }
    }

    @Test("county bureaus named by the profile, and agencies added with --agency, may be filed for")
    func countyAndAddedAgencies() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            // 衡阳县市场监督管理局 is listed under `agencies:` in HY-SCJG's profile.
            let county = try await hub.catalog.implementations(agencyName: "衡阳县市场监督管理局", limit: 100).first { $0.itemType == .inspection }
            let countyItem = try #require(county)
            let record = SampleRecords.inspection(
                localId: "COUNTY-1",
                catalogCode: countyItem.catalogCode,
                implementationCode: countyItem.code,
                agencyCode: countyItem.agencyCode
            )
            let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            #expect(response.json["results"]?.array.first?["status"]?.string == "accepted", "\(response.json)")

            // 卫健委 may not, until ops register the agency for it (`hub departments add HY-WJ --agency …`).
            let before = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.wj)
            #expect(before.json["results"]?.array.first?["errors"]?.array.first?["code"]?.string == "agency_not_of_department")
            _ = try await hub.addDepartment(code: "HY-WJ", name: "衡阳市卫生健康委员会", extraAgencies: [countyItem.agencyCode])
            let wj = try #require(try await hub.departments.department(code: "HY-WJ"))
            let agencies = try await hub.departments.agencies(department: wj)
            #expect(agencies.contains { $0.code == countyItem.agencyCode && $0.source == .cli })
            #expect(agencies.contains { $0.code == hub.profiles["HY-WJ"]?.agencyCode && $0.source == .profile })
            let after = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.wj)
            #expect(after.json["results"]?.array.first?["status"]?.string == "accepted", "\(after.json)")
        }
    }

    @Test("the rule itself: main agency, listed agencies, implementation code prefix")
    func pureRule() throws {
        let reader = RecordReader(
            dictionaries: try DictionaryLoader.load(from: TestCluster.projectRoot.appendingPathComponent("Mappings/dictionaries"))
        )
        let json = SampleRecords.inspection(
            localId: "R-1",
            catalogCode: "43012100010000",
            implementationCode: "11430400013248734H34301210001000001",
            agencyCode: "11430400013248734H"
        )
        let batch = try reader.readBatch(try JSONParser().parse(Array(SampleRecords.batch([json]).utf8)))
        guard case .valid(let record) = try #require(batch.records.first) else {
            Issue.record("sample record invalid")
            return
        }
        #expect(AgencyRule.check(record, path: "records[0]", agencies: ["11430400013248734H"], department: "HY-SCJG").isEmpty)
        #expect(
            AgencyRule.check(record, path: "records[0]", agencies: [], department: "HY-WJ").map(\.path)
                == ["records[0].agency.code"]
        )
    }
}
