import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO

/// A hub on a fresh database with the sample catalog and two departments, served over real HTTP.
struct TestHub: Sendable {
    let hub: HubContext
    /// As the app role, as the hub runs.
    let databaseURL: String
    /// As the owner role (migrations) and as the server's superuser (the attacker of the ledger tests).
    let ownerURL: String
    let superuserURL: String
    let scjg: DepartmentCredentials
    let wj: DepartmentCredentials
    /// An active inspection implementation item of 衡阳市市场监督管理局 (the agency of `scjg`'s records).
    let inspectionItem: (code: String, catalogCode: String, agencyCode: String)
    /// An active penalty implementation item of the same agency.
    let penaltyItem: (code: String, catalogCode: String, agencyCode: String)

    static func make(
        maxBodyBytes: Int? = nil,
        environment: [String: String] = [:],
        database given: TestCluster.Database? = nil
    ) async throws -> TestHub {
        let database: TestCluster.Database
        if let given { database = given } else { database = try await TestCluster.freshDatabase() }
        let url = database.app
        // The test client opens its connection when the server starts; a test that then spends a while on its
        // own setup (bcrypt for its users, libraries) on a loaded machine sent its first request after the 10 s
        // header deadline and found the connection closed ("I/O on closed channel"). Tests of the deadlines
        // themselves set short ones.
        var env = [
            "HUB_MAPPINGS": TestCluster.projectRoot.appendingPathComponent("Mappings").path, "HUB_DB_POOL": "8",
            "HUB_HEADER_TIMEOUT": "600", "HUB_IDLE_TIMEOUT": "600",
        ]
        if let maxBodyBytes { env["HUB_MAX_BODY_BYTES"] = String(maxBodyBytes) }
        env.merge(environment) { _, new in new }
        let hub = try HubContext(
            configuration: try HubConfiguration(environment: env),
            databaseURL: url,
            migrationDatabaseURL: database.owner,
            logger: TestCluster.logger
        )
        return try await hub.db.withRunning { _ in
            try await hub.migrate()
            _ = try await hub.catalog.importFiles(in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog"))
            let scjg = try await hub.addDepartment(code: "HY-SCJG", name: "衡阳市市场监督管理局")
            let wj = try await hub.addDepartment(code: "HY-WJ", name: "衡阳市卫生健康委员会")
            let items = try await hub.catalog.implementations(agencyName: "衡阳市市场监督管理局", limit: 500)
            let inspection = items.first { $0.itemType == .inspection }!
            let penalty = items.first { $0.itemType == .penalty }!
            return TestHub(
                hub: hub,
                databaseURL: url,
                ownerURL: database.owner,
                superuserURL: database.superuser,
                scjg: scjg,
                wj: wj,
                inspectionItem: (inspection.code, inspection.catalogCode, inspection.agencyCode),
                penaltyItem: (penalty.code, penalty.catalogCode, penalty.agencyCode)
            )
        }
    }

    /// Runs `body` with a new pool on the test database (a pool runs only once, so each use gets its own).
    func withDatabase<T: Sendable>(_ body: @Sendable (HubDatabase) async throws -> T) async throws -> T {
        try await HubDatabase(url: databaseURL, maxConnections: 4, logger: TestCluster.logger).withRunning(body)
    }

    /// Runs `body` connected as the server's superuser (who can switch the ledger's triggers off).
    func withSuperuser<T: Sendable>(_ body: @Sendable (HubDatabase) async throws -> T) async throws -> T {
        try await HubDatabase(url: superuserURL, maxConnections: 2, logger: TestCluster.logger).withRunning(body)
    }

    /// Runs `body` against the live server (real sockets on loopback). A `HubContext` pool runs once, so
    /// each call gets a new context over the same database.
    func serve<T: Sendable>(_ body: @Sendable (any TestClientProtocol, HubContext) async throws -> T) async throws -> T {
        let fresh = try HubContext(
            configuration: hub.configuration,
            databaseURL: databaseURL,
            migrationDatabaseURL: ownerURL,
            logger: TestCluster.logger
        )
        let app = try await buildApplication(fresh, host: "127.0.0.1", port: 0)
        return try await app.test(.live) { client in try await body(client, fresh) }
    }
}

/// Signed requests as a department system sends them.
extension TestClientProtocol {
    func signed(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: String = "",
        as credentials: DepartmentCredentials,
        contentType: String = "application/json",
        extraHeaders: HTTPFields = [:],
        timestamp: Date = Date(),
        nonce: String = UUID().uuidString
    ) async throws -> TestResponse {
        let bytes = Array(body.utf8)
        var headers = extraHeaders
        for (name, value) in RequestSigner.headers(
            keyId: credentials.keyId,
            secret: credentials.secret,
            method: method.rawValue,
            pathWithQuery: path,
            body: bytes,
            now: timestamp,
            nonce: nonce
        ) {
            headers[HTTPField.Name(name)!] = value
        }
        if !body.isEmpty { headers[.contentType] = contentType }
        return try await execute(uri: path, method: method, headers: headers, body: body.isEmpty ? nil : ByteBuffer(bytes: bytes))
    }
}

extension TestResponse {
    /// The body as the hub's document tree.
    var json: JSONValue { (try? JSONParser().parse(body.readableBytesView)) ?? .null }
}

extension JSONValue {
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .number(let n) = self { Int(n) } else { nil } }
    var array: [JSONValue] { if case .array(let a) = self { a } else { [] } }
    subscript(index: Int) -> JSONValue { array.indices.contains(index) ? array[index] : .null }
}

/// Counting rows, to prove that refused requests and rejected records write nothing.
func count(_ db: HubDatabase, _ sql: String) async throws -> Int {
    var n = 0
    for try await v in try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger).decode(Int.self) { n = v }
    return n
}

/// Signs a test ops user in over the API (test users have the password "correct horse battery") and returns the
/// bearer header to send with ops requests.
func opsLogin(_ client: any TestClientProtocol, _ user: String) async throws -> HTTPFields {
    let r = try await client.execute(
        uri: "/api/v1/ops/login",
        method: .post,
        body: ByteBuffer(string: "{\"username\":\"\(user)\",\"password\":\"correct horse battery\"}")
    )
    return [.authorization: "Bearer \(r.json["token"]?.string ?? "")"]
}
