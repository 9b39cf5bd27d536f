import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Ingest
import NIOCore
import Testing

@testable import HubServer

/// The one error-to-HTTP mapping (`HubHTTPError.answer(for:)`) and the `Accept` negotiation, as pure functions.
@Suite struct ErrorMappingTests {
    struct Unknown: Error {}

    @Test func errorsMapByTypeNotByName() {
        #expect(HubHTTPError.answer(for: ReviewError.notFound(7))?.status == .notFound)
        #expect(HubHTTPError.answer(for: ReviewError.notFound(7))?.errors.first?.code == "review_not_found")
        let media = BatchError([FieldError(path: "", code: "unsupported_media_type", zh: "x", en: "x")])
        #expect(HubHTTPError.answer(for: media)?.status == .unsupportedMediaType)
        #expect(HubHTTPError.answer(for: BatchError([FieldError(path: "", code: "malformed_json", zh: "x", en: "x")]))?.status == .badRequest)
        #expect(HubHTTPError.answer(for: HubHTTPError.unsigned)?.errors.first?.code == "unsigned")
        #expect(HubHTTPError.answer(for: Unknown()) == nil, "an error the hub does not know stays a 500")
        #expect(HubHTTPError.databaseUnavailable.retryAfterSeconds == 5)
    }

    func request(accept: String?) -> Request {
        var fields = HTTPFields()
        if let accept { fields[.accept] = accept }
        return Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "hub", path: "/", headerFields: fields),
            body: .init(buffer: ByteBuffer())
        )
    }

    @Test func xmlOnlyWhenAskedForBeforeJSON() {
        #expect(!Answer.wantsXML(request(accept: nil)))
        #expect(Answer.wantsXML(request(accept: "application/xml")))
        #expect(Answer.wantsXML(request(accept: "text/xml; charset=utf-8")))
        #expect(Answer.wantsXML(request(accept: "application/xml, application/json")))
        #expect(!Answer.wantsXML(request(accept: "application/json, application/xml")))
        #expect(!Answer.wantsXML(request(accept: "*/*")))
        #expect(!Answer.wantsXML(request(accept: "application/xhtml+xml")))
    }
}
