import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The department pull client holds a pulled page to the limits of a push: no redirects, no page larger
/// than the body limit.
@Suite("Pull limits")
struct PullLimitsTests {
    /// A tiny department system: `/page` is a good page, `/moved` redirects to it, `/huge` is too large.
    static func departmentSystem() -> some ApplicationProtocol {
        let router = Router()
        router.get("page") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", HTTPField.Name("X-Next-Cursor")!: "1"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"batchId":"P-1","records":[]}"#))
            )
        }
        router.get("moved") { _, _ in
            Response(status: .found, headers: [.location: "/page"])
        }
        router.get("huge") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", HTTPField.Name("X-Next-Cursor")!: "1"],
                body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: " "), count: 5000))
            )
        }
        router.get("streamed") { _, _ in
            // No Content-Length: the limit must hold while reading, not only on the declared length.
            Response(
                status: .ok,
                headers: [.contentType: "application/json", HTTPField.Name("X-Next-Cursor")!: "1"],
                body: .init { writer in
                    for _ in 0..<10 { try await writer.write(ByteBuffer(repeating: UInt8(ascii: " "), count: 1000)) }
                    try await writer.finish(nil)
                }
            )
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("a redirect is not followed and a page over the limit is refused, declared or streamed")
    func limits() async throws {
        try await Self.departmentSystem().test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)"
            let pull = DepartmentPullClient(maxPageBytes: 4096)
            let page = try await pull.fetch(.init(url: "\(base)/page"), cursor: "0")
            #expect(page.nextCursor == "1")

            await #expect {
                _ = try await pull.fetch(.init(url: "\(base)/moved"), cursor: "0")
            } throws: { error in
                "\(error)".contains("HTTP 302") && "\(error)".contains("not followed")
            }
            for path in ["huge", "streamed"] {
                await #expect {
                    _ = try await pull.fetch(.init(url: "\(base)/\(path)"), cursor: "0")
                } throws: { error in
                    "\(error)".contains("larger than 4096 bytes")
                }
            }
        }
    }
}
