import Foundation
import HTTPTypes
import HubServer
import HummingbirdTesting
import NIOCore
import Testing
import Yams

/// Refusals of routes, methods and query parameters in the error shape (issue #19 item 1).
@Suite("Routes, methods and query parameters")
struct NoRouteTests {
    @Test("an undeclared method on a documented path is 405 with Allow and the error shape, before authentication")
    func methodNotAllowed() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            for (method, path, allow) in [
                (HTTPRequest.Method.delete, "/api/v1/records", "POST"), (.put, "/api/v1/records/X-1", "GET"),
                (.patch, "/api/v1/receipts", "GET"), (.options, "/api/v1/ops/login", "POST"),
                (.trace, "/api/v1/ops/reviews/7/decide", "POST"), (.post, "/health", "GET"),
            ] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.json["errors"]?[0]["code"]?.string == "method_not_allowed")
                #expect(response.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            }
        }
    }

    @Test("an unknown route is 404 no_such_route in the error shape")
    func unknownRoute() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            for path in ["/api/v1/nope", "/api/v2/records", "/api", "/api/v1/records/a/b"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.json["errors"]?[0]["code"]?.string == "no_such_route", "\(path)")
            }
        }
    }

    @Test("bad receipts cursors and limits are 400 invalid_query_parameter, never a silent default")
    func strictQuery() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            for (query, name) in [
                ("after=abc", "after"), ("after=0.5", "after"), ("after=9223372036854775808", "after"), ("after=-1", "after"),
                ("after=", "after"), ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=1.0", "limit"),
            ] {
                let response = try await client.signed(.get, "/api/v1/receipts?\(query)", as: t.scjg)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.json["errors"]?[0]["code"]?.string == "invalid_query_parameter", "\(query)")
                #expect(response.json["errors"]?[0]["path"]?.string == name, "\(query)")
            }
            let fine = try await client.signed(.get, "/api/v1/receipts?after=0&limit=1000", as: t.scjg)
            #expect(fine.status == .ok)
        }
    }

    @Test("the route table names exactly the paths and methods of openapi.yaml")
    func tableMatchesSpec() throws {
        let text = try String(contentsOf: TestCluster.projectRoot.appendingPathComponent("Schemas/openapi.yaml"), encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: Any])
        var documented: [String: Set<String>] = [:]
        for (path, value) in paths {
            let operations = (value as? [String: Any] ?? [:]).keys.filter { ["get", "post", "put", "delete", "patch"].contains($0) }
            documented[path] = Set(operations.map { $0.uppercased() })
        }
        var table: [String: Set<String>] = [:]
        for route in APIRoutes.documented where route.path.hasPrefix("/api/") || route.path.hasPrefix("/public/") {
            table[route.path] = Set(route.methods.map(\.rawValue))
        }
        #expect(table == documented)
    }
}

/// Ops and feedback bodies are strict like record bodies (issue #19 item 1).
@Suite("Strict ops bodies")
struct StrictOpsBodyTests {
    @Test("unknown members in login, decide, approve, requeue and feedback bodies are 400 unknown_field")
    func unknownMembers() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let login = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"a","password":"b","remember":true}"#)
            )
            #expect(login.status == .badRequest)
            #expect(login.json["errors"]?[0]["code"]?.string == "unknown_field")
            #expect(login.json["errors"]?[0]["path"]?.string == "remember")
            let notObject = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"["a","b"]"#)
            )
            #expect(notObject.status == .badRequest)
            let feedback = try await client.signed(.post, "/api/v1/tasks/T-1/feedback", body: #"{"result":"已完成","detial":"typo"}"#, as: t.scjg)
            #expect(feedback.status == .badRequest)
            #expect(feedback.json["errors"]?[0]["code"]?.string == "unknown_field")
        }
    }
}

extension StrictOpsBodyTests {
    @Test("a member of the wrong type is 400 wrong_type with its path, never read as absent")
    func wrongTypes() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let login = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"a","password":{}}"#)
            )
            #expect(login.status == .badRequest)
            #expect(login.json["errors"]?[0]["code"]?.string == "wrong_type")
            #expect(login.json["errors"]?[0]["path"]?.string == "password")
            let feedback = try await client.signed(.post, "/api/v1/tasks/T-1/feedback", body: #"{"result":"已完成","detail":7}"#, as: t.scjg)
            #expect(feedback.status == .badRequest)
            #expect(feedback.json["errors"]?[0]["path"]?.string == "detail")
        }
    }
}

/// A value the database refuses as data (a NUL byte) is the client's mistake: 400, never 503 (review finding).
@Suite("Values the database refuses")
struct RefusedValueTests {
    @Test("a NUL byte in the console sign-in answers 400, not 503 database_unavailable")
    func nulInConsoleSignIn() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let form = try await client.execute(uri: "/console/login", method: .get)
            let loginCookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let csrf = String(loginCookie.split(separator: "=")[1])
            let r = try await client.execute(
                uri: "/console/login",
                method: .post,
                headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(csrf)&username=a%00b&password=x")
            )
            #expect(r.status != .serviceUnavailable)
            #expect(r.status.code < 500)
        }
    }
}
