import HubModel

/// The XML form of an observation batch turned into the tree the JSON form gives, so one reader
/// (`Supervision.ObservationReader`) answers both the same way.
///
/// `<observations><observation><observationId>…</observationId><kind>listing</kind><subject><name>…</name></subject>
/// <listing><prescription>true</prescription>…</listing></observation></observations>`: each member an element
/// named as in JSON, nested as in JSON. XML has only text, so the members JSON types otherwise become that type
/// here: `true`/`false` of the boolean members, digits of the integer members; any other text stays text, and
/// the reader refuses it with its path as it refuses a string there in JSON (`prescription` "yes" → not a
/// boolean). An optional member is left out rather than sent empty. A repeated element is refused like a
/// duplicate JSON member; an attribute as an unknown member (`XMLTree`).
public enum ObservationXML {
    /// Members JSON carries as booleans.
    public static let booleanFields: Set<String> = ["prescription", "prescriptionChecked", "revoked"]
    /// Members JSON carries as integers.
    public static let integerFields: Set<String> = ["deviceClass", "amountFen"]

    public static func batch(_ node: XMLNode) throws(RecordXML.Failure) -> JSONValue {
        try XMLTree.batch(node, root: "observations", row: "observation", leaf: leaf)
    }

    /// A text leaf as the JSON form would carry it (also the cells of `hub risk observations import`'s CSV).
    public static func leaf(_ name: String, _ text: String) -> JSONValue {
        if booleanFields.contains(name), text == "true" || text == "false" { return .bool(text == "true") }
        if integerFields.contains(name), !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }),
            text == "0" || !text.hasPrefix("0")
        {
            return .number(text)
        }
        return .string(text)
    }

    /// The row a schema violation's path points into (`observations[3].listing.deviceClass` → 3).
    public static func rowIndex(_ path: String) -> Int? { LibraryXML.rowIndex(path, root: "observations") }
}
