import HubModel

/// The XML form of a case-event batch turned into the tree the JSON form gives, so one reader
/// (`Supervision.CaseEventReader`) answers both the same way.
///
/// `<events><event><caseNo>…</caseNo><eventId>…</eventId><legalReview><date>…</date>…</legalReview></event></events>`:
/// each member is an element named as in JSON, nested as in JSON; a list is a wrapper with one child per entry
/// (`<penaltyKinds><kind>02</kind></penaltyKinds>`, `<evidence><item>…</item></evidence>`). Every leaf is text
/// (the reader takes `true`/`false` and integers as text). A repeated element is refused like a duplicate JSON
/// member; an attribute as an unknown member (`XMLTree`).
public enum CaseEventXML {
    /// The members that hold lists, in whatever object they appear.
    public static let listFields: Set<String> = ["evidence", "rightsTold", "penaltyKinds", "payments", "measures"]

    public static func batch(_ node: XMLNode) throws(RecordXML.Failure) -> JSONValue {
        try XMLTree.batch(node, root: "events", row: "event", listFields: listFields)
    }

    /// The event a schema violation's path points into (`events[3].decision.date` → 3).
    public static func eventIndex(_ path: String) -> Int? { LibraryXML.rowIndex(path, root: "events") }
}
