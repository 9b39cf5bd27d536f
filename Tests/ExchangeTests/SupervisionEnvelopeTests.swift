import Exchange
import HubModel
import Testing

@testable import ProvinceSimulator

/// Rows of the 双随机 tables in the `cd_*` envelope: they name their table and carry their JSON exactly, in both
/// wire forms, while a record's row is what it always was.
@Suite("双随机 rows in the exchange envelope")
struct SupervisionEnvelopeTests {
    let data = #"{"candidatesHash":"ab","note":"<&>\"引号\"","planId":"HY-SCJG-2026-001","tasks":[]}"#

    func row(table: String?, cdId: String = "6f1c2b1e-8d3a-4b5e-9c7f-0a1b2c3d4e5f") -> ExchangeRow {
        ExchangeRow(
            cdId: cdId,
            cdTime: "2026-12-02T10:00:00+08:00",
            cdSource: "430000-HY-SCJG",
            cdOperation: "U",
            localId: table.map { "\($0):HY-SCJG-2026-001" } ?? "SCJG-1",
            version: 2,
            record: Array((table == nil ? #"{"item":{"catalogCode":"11430400000001"},"localId":"SCJG-1"}"# : data).utf8),
            table: table
        )
    }

    @Test("JSON: cd_table and data for a 双随机 row, record and no cd_table for a record")
    func jsonForm() throws {
        let doc = try JSONParser().parse(ExchangeBatch(cdBatch: "2026120200001", rows: [row(table: "rc_draw"), row(table: nil)]).json())
        let rows = try #require(doc["rows"]?.arrayValue)
        #expect(rows[0]["cd_table"]?.stringValue == "rc_draw")
        #expect(rows[0]["data"]?["planId"]?.stringValue == "HY-SCJG-2026-001")
        #expect(rows[0]["record"] == nil)
        #expect(rows[1]["cd_table"] == nil)
        #expect(rows[1]["record"]?["item"]?["catalogCode"]?.stringValue == "11430400000001")
    }

    @Test("both forms read the same on the province's side, the row's JSON intact")
    func bothFormsReadTheSame() throws {
        let batch = ExchangeBatch(cdBatch: "2026120200001", rows: [row(table: "rc_draw"), row(table: nil)])
        let xmlText = try batch.xml()
        #expect(xmlText.contains(#"cd_table="rc_draw""#) && xmlText.contains(#"<data format="json">"#))
        let json = try UploadParsing.parse(batch.json(), contentType: "application/json")
        let xml = try UploadParsing.parse(Array(xmlText.utf8), contentType: "application/xml")
        let expected = try JSONParser().parse(Array(data.utf8))
        for parsed in [json, xml] {
            #expect(parsed.rows.count == 2)
            #expect(parsed.rows[0].table == "rc_draw")
            #expect(parsed.rows[0].data == expected)
            #expect(parsed.rows[0].problem == nil)
            #expect(parsed.rows[0].localId == "rc_draw:HY-SCJG-2026-001" && parsed.rows[0].version == 2)
            #expect(parsed.rows[1].table == nil && parsed.rows[1].catalogCode == "11430400000001")
        }
    }

    @Test("the province refuses a table it does not know and keeps a draw that does not verify as failed, not refused")
    func provinceChecks() async throws {
        let platform = try ProvincialPlatform(catalogCSV: nil)
        let rows = [row(table: "rc_unknown"), row(table: "rc_draw", cdId: "7f1c2b1e-8d3a-4b5e-9c7f-0a1b2c3d4e5f")]
        let parsed = try UploadParsing.parse(ExchangeBatch(cdBatch: "2026120200001", rows: rows).json(), contentType: "application/json")
        var g = SeededGenerator(state: 1)
        let receipt = await platform.take(parsed.rows, cdBatch: parsed.cdBatch, partialReject: 0, duplicateAck: 0, using: &g)
        #expect(receipt.results.map(\.status) == [.rejected, .accepted])
        #expect(receipt.results[0].code == "unknown_table" && receipt.results[0].retryable == false)
        let draws = await platform.drawChecks()["draws"]?.arrayValue ?? []
        #expect(draws.count == 1)
        #expect(draws.first?["status"]?.stringValue == "failed")
        #expect(draws.first?["planId"]?.stringValue == "HY-SCJG-2026-001")
    }
}
