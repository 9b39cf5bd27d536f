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
            return Response(status: status, headers: [.contentType: "application/xml; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: XMLWriter.document(root: "response", value))))
        }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
    }
}
