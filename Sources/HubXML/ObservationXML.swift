import HubModel

/// The XML form of an observation batch turned into the tree the JSON form gives, so one reader
/// (`Supervision.ObservationReader`) answers both the same way.
///
/// `<observations><observation><observationId>…</observationId><kind>listing</kind><subject><name>…</name></subject>
/// <listing><prescription>true</prescription>…</listing></observation></observations>`: each member an element
/// named as in JSON, nested as in JSON. Every leaf is text: the reader takes `true`/`false` and integers from
/// their text, and refuses other text there with its path (`prescription` "yes" → not a boolean), as in JSON.
/// An optional member is left out rather than sent empty. A repeated element is refused like a duplicate JSON
/// member; an attribute as an unknown member (`XMLTree`).
public enum ObservationXML {
    public static func batch(_ node: XMLNode) throws(RecordXML.Failure) -> JSONValue {
        try XMLTree.batch(node, root: "observations", row: "observation")
    }

    /// The row a schema violation's path points into (`observations[3].listing.deviceClass` → 3).
    public static func rowIndex(_ path: String) -> Int? { LibraryXML.rowIndex(path, root: "observations") }
}
