import Exchange
import HubModel
import HubXML

/// One uploaded row as the province reads it (only what it checks and counts).
struct ParsedRow: Sendable {
    var cdId: String
    var cdTime: String
    var cdSource: String
    var cdOperation: String
    var localId: String
    var version: Int
    var catalogCode: String?
    /// The day of the act (`ActDate`): the province judges the row by the catalog in force that day.
    var actDate: CalendarDate? = nil
    /// The provincial table of a row that is not a record (`cd_table`, e.g. `rc_draw`); nil for a record.
    var table: String? = nil
    /// Such a row's content (`data`).
    var data: JSONValue? = nil
    /// A row the province cannot read at all is refused with this (code, message).
    var problem: (String, String)?
}

/// Reads an uploaded batch in either wire form; a batch it cannot read as a whole is a `Refusal` (400).
enum UploadParsing {
    struct Refusal: Error {
        var code: String
        var message: String
    }

    /// A batch as read: its number, its rows, and the hub's signed tree head when the batch carried one.
    struct Parsed: Sendable {
        var cdBatch: String
        var rows: [ParsedRow]
        var head: SignedTreeHead?
    }

    static func parse(_ bytes: [UInt8], contentType: String?) throws(Refusal) -> Parsed {
        let media = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "application/json": return try json(bytes)
        case "application/xml", "text/xml": return try xml(bytes)
        default: throw Refusal(code: "unsupported_media_type", message: "Content-Type 必须为 application/json 或 application/xml")
        }
    }

    static func json(_ bytes: [UInt8]) throws(Refusal) -> Parsed {
        let doc: JSONValue
        do { doc = try JSONParser().parse(bytes) } catch { throw Refusal(code: "malformed_json", message: "批次不是合法 JSON: \(error.reason)") }
        guard let batch = doc["cd_batch"]?.stringValue, let rows = doc["rows"]?.arrayValue else {
            throw Refusal(code: "bad_envelope", message: "批次需要 cd_batch 与 rows")
        }
        try check(batch: batch)
        let head = try treeHead(doc["signedTreeHead"].map { SignedTreeHead(json: $0) })
        return Parsed(
            cdBatch: batch,
            rows: rows.map { row in
                var parsed = ParsedRow(
                    cdId: row["cd_id"]?.stringValue ?? "",
                    cdTime: row["cd_time"]?.stringValue ?? "",
                    cdSource: row["cd_source"]?.stringValue ?? "",
                    cdOperation: row["cd_operation"]?.stringValue ?? "",
                    localId: row["localId"]?.stringValue ?? "",
                    version: row["version"]?.intValue ?? 0,
                    catalogCode: row["record"]?["item"]?["catalogCode"]?.stringValue
                )
                parsed.actDate = row["record"].flatMap(ActDate.of)
                if let table = row["cd_table"]?.stringValue {
                    parsed.table = table
                    parsed.data = row["data"]
                    if row["data"] == nil || parsed.localId.isEmpty { parsed.problem = ("bad_row", "行缺少 data 或 localId") }
                } else if row["record"] == nil || parsed.localId.isEmpty {
                    parsed.problem = ("bad_row", "行缺少 record 或 localId")
                }
                return parsed
            },
            head: head
        )
    }

    /// A present but unreadable signed tree head refuses the batch; an absent one is fine (older hubs).
    static func treeHead(_ parsed: SignedTreeHead??) throws(Refusal) -> SignedTreeHead? {
        guard let parsed else { return nil }
        guard let head = parsed else { throw Refusal(code: "bad_signed_tree_head", message: "signedTreeHead 需要 treeSize、root、signature、publicKey") }
        return head
    }

    static func xml(_ bytes: [UInt8]) throws(Refusal) -> Parsed {
        let root: XMLNode
        do { root = try SafeXMLParser().parse(bytes) } catch { throw Refusal(code: error.code, message: "批次不是合法 XML: \(error.reason)") }
        guard root.name == "batch", let batch = root.attributes.first(where: { $0.0 == "cd_batch" })?.1 else {
            throw Refusal(code: "bad_envelope", message: "根元素须为 <batch cd_batch=\"…\">")
        }
        try check(batch: batch)
        let head = try treeHead(root.children.first { $0.name == "signedTreeHead" }.map { SignedTreeHead(attributes: $0.attributes) })
        return Parsed(
            cdBatch: batch,
            rows: root.children.filter { $0.name != "signedTreeHead" }.map { row in
                func attribute(_ name: String) -> String { row.attributes.first { $0.0 == name }?.1 ?? "" }
                let record = row.children.first { $0.name == "record" }
                let code = record?.children.first { $0.name == "item" }?.children.first { $0.name == "catalogCode" }?.text
                var parsed = ParsedRow(
                    cdId: attribute("cd_id"),
                    cdTime: attribute("cd_time"),
                    cdSource: attribute("cd_source"),
                    cdOperation: attribute("cd_operation"),
                    localId: attribute("localId"),
                    version: Int(attribute("version")) ?? 0,
                    catalogCode: code
                )
                parsed.actDate = record.flatMap(actDate)
                if let table = row.attributes.first(where: { $0.0 == "cd_table" })?.1 {
                    // A 双随机 row: its JSON is the text of `<data format="json">`.
                    parsed.table = table
                    let text = row.children.first { $0.name == "data" }?.text
                    parsed.data = text.flatMap { try? JSONParser().parse(Array($0.utf8)) }
                    if row.name != "row" || parsed.data == nil || parsed.localId.isEmpty {
                        parsed.problem = ("bad_row", "行缺少可读的 data（JSON）或 localId")
                    }
                } else if row.name != "row" || record == nil || parsed.localId.isEmpty {
                    parsed.problem = ("bad_row", "行缺少 record 或 localId")
                }
                return parsed
            },
            head: head
        )
    }

    /// `cd_batch` is yyyyMMdd + a 5-digit sequence of the day.
    static func check(batch: String) throws(Refusal) {
        guard batch.utf8.count == 13, batch.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw Refusal(code: "bad_cd_batch", message: "cd_batch 须为 yyyyMMdd + 5 位序号")
        }
    }

    /// The act's day of an XML record: the section present (inspection, penalty or coercion) and its dating field.
    static func actDate(_ record: XMLNode) -> CalendarDate? {
        for kind in [RecordKind.inspection, .penalty, .coercion] {
            if let section = record.children.first(where: { $0.name == kind.section }),
                let text = section.children.first(where: { $0.name == ActDate.field(of: kind) })?.text
            {
                return ActDate.day(of: text)
            }
        }
        return nil
    }
}
