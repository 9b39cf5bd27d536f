import HubModel
import HubStore
import Hummingbird
import NIOCore

/// The public read side of 行政执法公示, unauthenticated: nothing personal beyond the redacted text.
///
/// - `GET /public/v1/publications?q=&department=&uscc=&from=&to=&cursor=&limit=` — newest first, keyset pages
///   (`next` is the cursor of the next page)
/// - `GET /public/v1/publications/{id}` — one publication (withheld ones do not exist here)
/// - `GET /public/feed.atom` — the 50 newest, as an Atom feed
struct PublicJSONController<Context: RequestContext> {
    let store: PublicationStore
    let labels: PublicLabels

    func addRoutes(to router: Router<Context>) {
        router.get("public/v1/publications") { request, _ in
            let page = try await store.list(try PublicQuery.read(request))
            return Answer.make(
                .object([("items", .array(page.items.map { labels.label($0).json })), ("next", page.next.map { .string(String($0)) } ?? .null)]),
                for: request
            )
        }
        router.get("public/v1/publications/{id}") { request, context in
            let item = try await Self.item(context.parameters.get("id"), store: store)
            return Answer.make(labels.label(item).json, for: request)
        }
        router.get("public/feed.atom") { request, _ in
            let page = try await store.list(.init(limit: 50))
            let base = Self.base(request)
            return Response(
                status: .ok,
                headers: [.contentType: "application/atom+xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: AtomFeed.render(page.items, base: base)))
            )
        }
    }

    /// The publication of a path id, or 404 `publication_not_found` (also for an id that is no number).
    static func item(_ raw: String?, store: PublicationStore) async throws -> PublicPublication {
        guard let raw, raw.count <= 19, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int64(raw),
            let item = try await store.item(id)
        else {
            throw HubHTTPError(.notFound, code: "publication_not_found", zh: "没有该公示信息", en: "no such publication", path: "id")
        }
        return item
    }

    /// `scheme://host` of the request, for the feed's absolute links (Host as the client sent it).
    static func base(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        return (request.uri.scheme.map { "\($0)" } ?? "http") + "://" + host
    }
}
