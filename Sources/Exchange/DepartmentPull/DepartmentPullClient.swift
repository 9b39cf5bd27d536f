import AsyncHTTPClient
import Foundation
import NIOCore

/// Reads pages of records from a department system that cannot push.
///
/// The department system answers in the same wire forms as the push API (a JSON batch or a `<records>`
/// document, in its own field names if its profile maps them) and names the cursor to resume from in the
/// `X-Next-Cursor` header, with `X-More: true` while more pages wait. So a pulled page goes through exactly
/// the decoder, reader, normalization and ledger path of a pushed one.
///
/// A page is held to the same limits as a push: the client follows no redirects (a department system's
/// answer cannot send the hub's bearer token, or the hub itself, somewhere else) and refuses a page larger
/// than `maxPageBytes` (the hub passes `HUB_MAX_BODY_BYTES`) without reading past the limit.
public struct DepartmentPullClient: Sendable {
    let http: HTTPClient
    public let maxPageBytes: Int

    /// The client of every pull: redirects are answers, never followed.
    public static let noRedirects = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow)
    )

    public init(http: HTTPClient = DepartmentPullClient.noRedirects, maxPageBytes: Int = 8 * 1024 * 1024) {
        self.http = http
        self.maxPageBytes = maxPageBytes
    }

    /// Where and how to pull one department system (from its profile).
    public struct Source: Sendable, Hashable {
        public var url: String
        /// `json` or `xml`: sent as `Accept`.
        public var format: String
        /// Sent as `Authorization: Bearer …` when set.
        public var token: String?
        public var pageSize: Int
        public var timeout: Duration

        public init(url: String, format: String = "json", token: String? = nil, pageSize: Int = 500, timeout: Duration = .seconds(30)) {
            self.url = url
            self.format = format
            self.token = token
            self.pageSize = pageSize
            self.timeout = timeout
        }
    }

    public struct Page: Sendable {
        public var body: ByteBuffer
        public var contentType: String?
        public var nextCursor: String
        public var more: Bool
        public var isEmpty: Bool { body.readableBytes == 0 }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public func fetch(_ source: Source, cursor: String) async throws -> Page {
        var components = URLComponents(string: source.url)
        var query = components?.queryItems ?? []
        query.append(URLQueryItem(name: "cursor", value: cursor))
        query.append(URLQueryItem(name: "limit", value: String(source.pageSize)))
        components?.queryItems = query
        guard let url = components?.string else { throw Failure(reason: "pull url \(source.url) is not a URL") }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: source.format == "xml" ? "application/xml" : "application/json")
        if let token = source.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await http.execute(request, timeout: .milliseconds(source.timeout.milliseconds))
        guard response.status.code == 200 else {
            let location = response.headers.first(name: "Location").map { " (redirect to \($0) not followed)" } ?? ""
            throw Failure(reason: "department system answered HTTP \(response.status.code)\(location)")
        }
        let tooLarge = Failure(reason: "department system sent a page larger than \(maxPageBytes) bytes (HUB_MAX_BODY_BYTES)")
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > maxPageBytes { throw tooLarge }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: maxPageBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
        guard let next = response.headers.first(name: "X-Next-Cursor") else { throw Failure(reason: "department system sent no X-Next-Cursor") }
        return Page(
            body: body,
            contentType: response.headers.first(name: "Content-Type"),
            nextCursor: next,
            more: response.headers.first(name: "X-More")?.lowercased() == "true"
        )
    }
}
