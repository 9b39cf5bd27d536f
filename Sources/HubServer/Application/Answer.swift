import Foundation
import HTTPTypes
import HubModel
import HubXML
import Hummingbird
import NIOCore

/// One way to answer with a document: JSON by default, XML when the client's `Accept` prefers it.
enum Answer {
    /// Whether the client's `Accept` names XML (`application/xml` or `text/xml`) before any JSON it also accepts,
    /// read with Hummingbird's `MediaType`.
    static func wantsXML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        let ranges = accept.split(separator: ",").compactMap { MediaType(from: $0.trimmingCharacters(in: .whitespaces)) }
        func isXML(_ m: MediaType) -> Bool { (m.type == .application || m.type == .text) && m.subType.lowercased() == "xml" }
        func isJSON(_ m: MediaType) -> Bool { m.type == .application && m.subType.lowercased() == "json" }
        guard let xml = ranges.firstIndex(where: isXML) else { return false }
        // XML must come before any JSON the client also accepts.
        return ranges.firstIndex(where: isJSON).map { xml < $0 } ?? true
    }

    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, for request: Request?) -> Response {
        if let request, wantsXML(request) {
            do {
                let xml = try XMLWriter.document(root: "response", value)
                return Response(
                    status: status,
                    headers: [.contentType: "application/xml; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: xml))
                )
            } catch {
                let name = error.name
                // A member name from outside that is no XML name: the answer exists only as JSON.
                let refusal = HubHTTPError(
                    .notAcceptable,
                    code: "not_representable_as_xml",
                    zh: "该答复含有不能作为 XML 元素名的字段名，请以 JSON 请求（Accept: application/json）",
                    en: "this answer has a member name that is not an XML element name: ask for JSON",
                    path: String(name.prefix(64))
                )
                return make(.object([("errors", .array(refusal.errors.map(\.json)))]), status: .notAcceptable, for: nil)
            }
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value)))
        )
    }
}
