import HTTPTypes
import HubModel
import HubXML
import Hummingbird
import NIOCore

/// One way to answer with a document: JSON by default, XML when the client's `Accept` prefers it.
enum Answer {
    static func wantsXML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        let xml = accept.range(of: "application/xml") ?? accept.range(of: "text/xml")
        guard let xml else { return false }
        // XML must come before any JSON the client also accepts.
        if let json = accept.range(of: "application/json") { return xml.lowerBound < json.lowerBound }
        return true
    }

    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, for request: Request?) -> Response {
        if let request, wantsXML(request) {
            do {
                let xml = try XMLWriter.document(root: "response", value)
                return Response(status: status, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: xml)))
            } catch {
                let name = error.name
                // A member name from outside that is no XML name: the answer exists only as JSON.
                let refusal = HubHTTPError(.notAcceptable, code: "not_representable_as_xml",
                                           zh: "该答复含有不能作为 XML 元素名的字段名，请以 JSON 请求（Accept: application/json）",
                                           en: "this answer has a member name that is not an XML element name: ask for JSON", path: String(name.prefix(64)))
                return make(.object([("errors", .array(refusal.errors.map(\.json)))]), status: .notAcceptable, for: nil)
            }
        }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
    }
}
