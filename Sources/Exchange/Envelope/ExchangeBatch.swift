import HubModel
import HubXML

/// One row of the provincial exchange in the "前置库" envelope (DOMAIN.md §4): the normalized record plus
/// `cd_id` (its idempotency key, chosen once when the version was queued), `cd_time`, `cd_source`
/// (province region code + department code) and `cd_operation` (I/U/D).
public struct ExchangeRow: Sendable, Hashable {
    public var cdId: String
    public var cdTime: String
    public var cdSource: String
    public var cdOperation: String
    public var localId: String
    /// The hub's version number of the record: the province keeps versions of one `localId` in this order.
    public var version: Int
    /// The normalized canonical record (canonical JSON bytes), or for a row of another table that row (JSON bytes).
    public var record: [UInt8]
    /// The provincial table of a row that is not a record (`rc_item`, `rc_subject`, `rc_inspector`, `rc_plan`,
    /// `rc_draw`, `rc_task`); nil for a record, whose wire form stays what it always was.
    public var table: String?

    public init(
        cdId: String,
        cdTime: String,
        cdSource: String,
        cdOperation: String,
        localId: String,
        version: Int,
        record: [UInt8],
        table: String? = nil
    ) {
        self.cdId = cdId
        self.cdTime = cdTime
        self.cdSource = cdSource
        self.cdOperation = cdOperation
        self.localId = localId
        self.version = version
        self.record = record
        self.table = table
    }
}

/// The unit of upload: rows under one `cd_batch` (yyyyMMdd + 5-digit sequence of the day).
///
/// Every upload also carries the hub's newest signed tree head (when it has one), so the province holds a
/// copy of the ledger's signed state outside the hub and can act as a witness (consistency proofs).
public struct ExchangeBatch: Sendable, Hashable {
    public var cdBatch: String
    public var rows: [ExchangeRow]
    public var signedTreeHead: SignedTreeHead?

    public init(cdBatch: String, rows: [ExchangeRow], signedTreeHead: SignedTreeHead? = nil) {
        self.cdBatch = cdBatch
        self.rows = rows
        self.signedTreeHead = signedTreeHead
    }

    /// The province's region code, the first half of every `cd_source`.
    public static let provinceRegion = "430000"

    public static func source(department: String) -> String { "\(provinceRegion)-\(department)" }

    /// `{"cd_batch":…,"signedTreeHead":{…},"rows":[{"cd_id":…,…,"record":{…}}]}` — the record is embedded as
    /// its canonical bytes; `signedTreeHead` only when there is one.
    public func json() -> [UInt8] {
        var out: [UInt8] = Array("{\"cd_batch\":".utf8)
        out += CanonicalJSON.encode(.string(cdBatch))
        if let signedTreeHead {
            out += Array(",\"signedTreeHead\":".utf8)
            out += CanonicalJSON.encode(signedTreeHead.json)
        }
        out += Array(",\"rows\":[".utf8)
        for (i, row) in rows.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var members: [(String, [UInt8])] = [
                ("cd_id", CanonicalJSON.encode(.string(row.cdId))),
                ("cd_time", CanonicalJSON.encode(.string(row.cdTime))),
                ("cd_source", CanonicalJSON.encode(.string(row.cdSource))),
                ("cd_operation", CanonicalJSON.encode(.string(row.cdOperation))),
                ("localId", CanonicalJSON.encode(.string(row.localId))),
                ("version", Array(String(row.version).utf8)),
            ]
            // A record travels as `record`; a row of another table names it in `cd_table` and travels as `data`.
            if let table = row.table {
                members += [("cd_table", CanonicalJSON.encode(.string(table))), ("data", row.record)]
            } else {
                members.append(("record", row.record))
            }
            out += CanonicalJSON.object(encodedMembers: members)
        }
        out += Array("]}".utf8)
        return out
    }

    /// `<batch cd_batch="…"><signedTreeHead treeSize="…" …/><row cd_id="…" …><record>…</record></row></batch>`,
    /// the record in its XML form.
    public func xml() throws -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<batch cd_batch=\"\(XMLWriter.escape(cdBatch))\">"
        if let signedTreeHead {
            out += "<signedTreeHead" + signedTreeHead.xmlAttributes.map { " \($0.0)=\"\(XMLWriter.escape($0.1))\"" }.joined() + "/>"
        }
        for row in rows {
            let record = try JSONParser().parse(row.record)
            out += "<row cd_id=\"\(XMLWriter.escape(row.cdId))\" cd_time=\"\(XMLWriter.escape(row.cdTime))\" "
            out += "cd_source=\"\(XMLWriter.escape(row.cdSource))\" cd_operation=\"\(XMLWriter.escape(row.cdOperation))\" "
            if let table = row.table { out += "cd_table=\"\(XMLWriter.escape(table))\" " }
            out += "localId=\"\(XMLWriter.escape(row.localId))\" version=\"\(row.version)\">"
            if row.table != nil {
                // Rows of the 双随机 tables have no XML schema: their JSON travels as the text of `<data>`, exactly, so
                // that a published draw reaches the province byte for byte and can be recomputed there.
                out += "<data format=\"json\">" + XMLWriter.escape(CanonicalJSON.string(record)) + "</data>"
            } else {
                out += try XMLWriter.element("record", record)
            }
            out += "</row>"
        }
        out += "</batch>\n"
        return out
    }
}
