import Crypto
import Exchange
import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ProvinceSimulator
import Testing

/// Signed tree heads outside the database: the public checkpoint and consistency endpoints, the head that
/// rides with every upload, and a history rewrite by the strongest attacker — a superuser who recomputes the
/// chain and re-signs every checkpoint with the hub's own key — caught by `hub ledger audit` with a head saved
/// before, and by the simulator as a witness.
@Suite("Ledger: signed tree heads, audit and witness", .serialized)
struct LedgerWitnessTests {
    func push(_ t: TestHub, _ client: any TestClientProtocol, _ ids: Range<Int>) async throws {
        let item = t.inspectionItem
        let records = ids.map {
            SampleRecords.inspection(localId: "W-\($0)", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
        }
        let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
        #expect(response.status == .ok)
    }

    @Test("checkpoints and consistency proofs are public, paginated, and every proof verifies; bad parameters are 4xx")
    func publicEndpoints() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let none = try await client.execute(uri: "/api/v1/ledger/checkpoints", method: .get)
            #expect(none.status == .ok)
            #expect(none.json["checkpoints"]?.array.isEmpty == true)
            #expect(none.json["publicKey"]?.string == hub.ledgerCheckpoints.publicKey.hex)
            #expect(try await client.execute(uri: "/api/v1/ledger/consistency?from=0", method: .get).status == .notFound)

            var sizes: [Int64] = []
            for _ in 0..<3 { sizes.append(try #require(try await hub.ledgerCheckpoints.create(by: "test")).treeSize) }
            // No department signature needed.
            let page = try await client.execute(uri: "/api/v1/ledger/checkpoints?limit=2", method: .get)
            #expect(page.status == .ok)
            let heads = page.json["checkpoints"]!.array.compactMap { SignedTreeHead(json: $0) }
            #expect(heads.map(\.treeSize) == [sizes[2], sizes[1]])
            #expect(heads.allSatisfy { $0.signedBy(anyOf: hub.trustedCheckpointKeys) })
            let next = try #require(page.json["next"]?.int)
            let rest = try await client.execute(uri: "/api/v1/ledger/checkpoints?limit=2&before=\(next)", method: .get)
            #expect(rest.json["checkpoints"]!.array.compactMap { SignedTreeHead(json: $0) }.map(\.treeSize) == [sizes[0]])
            #expect(rest.json["next"] == .null)

            let oldest = try #require(SignedTreeHead(json: rest.json["checkpoints"]![0]))
            let proof = try await client.execute(uri: "/api/v1/ledger/consistency?from=\(sizes[0])&to=\(sizes[2])", method: .get)
            #expect(proof.status == .ok)
            let to = try #require(proof.json["to"].flatMap { SignedTreeHead(json: $0) })
            let path = proof.json["proof"]!.array.compactMap { $0.string.flatMap { [UInt8](hex: $0) } }
            #expect(!path.isEmpty)
            #expect(
                MerkleTree.verifyConsistency(first: Int(sizes[0]), second: Int(sizes[2]), firstRoot: oldest.root, secondRoot: to.root, proof: path)
            )
            // What `hub ledger consistency A B` prints and checks.
            let cli = try #require(try await hub.ledgerCheckpoints.consistency(from: sizes[0], to: sizes[2]))
            #expect(cli.proof == path && cli.verifies(oldRoot: oldest.root))

            for (uri, status, code, field) in [
                ("/api/v1/ledger/consistency", HTTPResponse.Status.badRequest, "required", "from"),
                ("/api/v1/ledger/consistency?from=abc", .badRequest, "invalid_query_parameter", "from"),
                ("/api/v1/ledger/consistency?from=1&to=999999", .notFound, "checkpoint_not_found", "to"),
                ("/api/v1/ledger/consistency?from=\(sizes[2] + 1)&to=\(sizes[2])", .badRequest, "from_after_to", "from"),
                ("/api/v1/ledger/checkpoints?limit=0", .badRequest, "invalid_query_parameter", "limit"),
            ] {
                let answer = try await client.execute(uri: uri, method: .get)
                #expect(answer.status == status, Comment(rawValue: uri))
                #expect(answer.json["errors"]?[0]["code"]?.string == code, Comment(rawValue: uri))
                #expect(answer.json["errors"]?[0]["path"]?.string == field, Comment(rawValue: uri))
            }
        }
    }

    @Test("a superuser's rewrite, re-signed with the hub's key, passes verify but is caught by audit with a saved head and by the witness")
    func rewriteIsCaught() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV)
        let headFile = FileManager.default.temporaryDirectory.appendingPathComponent("saved-head-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: headFile) }
        try await t.serve { client, hub in
            try await TestProvince.serve(platform, hubURL: "http://127.0.0.1:\(client.port!)") { simulator in
                let settings = TestProvince.settings(url: simulator, workers: 1)
                func deliver() async throws {
                    let ctx = try HubContext(
                        configuration: t.hub.configuration,
                        databaseURL: t.databaseURL,
                        migrationDatabaseURL: t.ownerURL,
                        logger: TestCluster.logger
                    )
                    #expect(try await TestProvince.deliver([ctx], settings: settings, databaseURL: t.databaseURL))
                }
                try await push(t, client, 0..<10)
                _ = try #require(try await hub.ledgerCheckpoints.create(by: "test"))
                try await deliver()
                try await push(t, client, 10..<20)
                _ = try #require(try await hub.ledgerCheckpoints.create(by: "test"))
                try await deliver()
                var stats = await platform.stats()
                #expect(stats.n("headsWitnessed") == 2)
                #expect(stats.n("inconsistentHeads") == 0)
                #expect(stats.n("accepted") == 20 + 20, "20 records and their 20 publications")

                // A department saves the newest head as the endpoint serves it.
                let served = try await client.execute(uri: "/api/v1/ledger/checkpoints?limit=1", method: .get)
                try Data(served.body.readableBytesView).write(to: headFile)
                let saved = try #require(SignedTreeHead.fromSaved(Array(try Data(contentsOf: headFile))))
                let honest = try await hub.auditHead(saved)
                #expect(honest.ok, Comment(rawValue: honest.message))

                try await Self.rewriteHistory(t, localId: "W-3")

                // The hub's own verify cannot tell: the chain and every checkpoint were recomputed and re-signed.
                let verify = try await hub.verifyLedger()
                #expect(verify.ok, Comment(rawValue: verify.firstBad?.reason ?? ""))
                // Whoever kept a head can.
                let audit = try await hub.auditHead(try #require(SignedTreeHead.fromSaved(Array(try Data(contentsOf: headFile)))))
                #expect(!audit.ok)
                #expect(audit.message.contains("history was rewritten"), Comment(rawValue: audit.message))

                // The next upload carries a head the witness cannot link to the ones it kept.
                try await push(t, client, 20..<25)
                _ = try #require(try await hub.ledgerCheckpoints.create(by: "test"))
                try await deliver()
                stats = await platform.stats()
                #expect(stats.n("inconsistentHeads") == 1)
                #expect(stats.n("headsWitnessed") == 2)
                #expect(await platform.witness.findings.first?.contains("not a prefix") == true)
            }
        }
    }

    /// The strongest attacker: superuser access with triggers off, one record entry's payload changed, every
    /// later entry re-chained, every checkpoint from there on re-computed and re-signed with the hub's own key
    /// (rows and their ledger entries alike).
    static func rewriteHistory(_ t: TestHub, localId: String) async throws {
        let keyBytes = t.hub.checkpointKey
        try await t.withSuperuser { db in
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: keyBytes)
            let publicKey = Array(key.publicKey.rawRepresentation)
            try await db.client.withConnection { conn in
                var entries: [LedgerEntry] = []
                for try await (seq, kind, dept, subject, us, payload, prev, hash) in try await conn.query(
                    """
                    SELECT seq, kind, department, subject, recorded_us, payload, prev_hash, entry_hash FROM ledger ORDER BY seq
                    """,
                    logger: db.logger
                ).decode((Int64, String, String, String, Int64, String, ByteBuffer, ByteBuffer).self) {
                    entries.append(
                        LedgerEntry(
                            seq: seq,
                            kind: kind,
                            department: dept,
                            subject: subject,
                            recordedMicros: us,
                            payload: payload,
                            previousHash: Array(prev.readableBytesView),
                            hash: Array(hash.readableBytesView)
                        )
                    )
                }
                let target = try #require(entries.firstIndex { $0.kind == "record" && $0.payload.contains("\"\(localId)\"") })
                try await conn.query("SET session_replication_role = replica", logger: db.logger)
                try await conn.query("DELETE FROM ledger_checkpoints WHERE tree_size > \(target)", logger: db.logger)
                var previous = entries[target - 1].hash
                for i in target..<entries.count {
                    let e = entries[i]
                    var payload = e.payload
                    if i == target { payload = payload.replacingOccurrences(of: "\"\(localId)\"", with: "\"\(localId)-FORGED\"") }
                    if e.kind == "checkpoint", let doc = try? JSONParser().parse(Array(e.payload.utf8)), let size = doc["treeSize"]?.intValue {
                        let root = MerkleTree.root(entries[0..<size].map { MerkleTree.leafHash($0.hash) }[...])
                        let signature = Array(try key.signature(for: SignedTreeHead.message(treeSize: Int64(size), root: root)))
                        payload = CanonicalJSON.string(
                            .object([
                                ("treeSize", .number(String(size))), ("root", .string(root.hex)), ("signature", .string(signature.hex)),
                                ("publicKey", .string(publicKey.hex)), ("by", doc["by"] ?? .string("hub")),
                            ])
                        )
                        try await conn.query(
                            """
                            INSERT INTO ledger_checkpoints (tree_size, root_hash, signature, public_key, created_by)
                            VALUES (\(Int64(size)), \(ByteBuffer(bytes: root)), \(ByteBuffer(bytes: signature)), \(ByteBuffer(bytes: publicKey)), 'hub')
                            """,
                            logger: db.logger
                        )
                    }
                    let rewritten = LedgerEntry(
                        seq: e.seq,
                        kind: e.kind,
                        department: e.department,
                        subject: e.subject,
                        recordedMicros: e.recordedMicros,
                        payload: payload,
                        previousHash: previous
                    )
                    entries[i] = rewritten
                    previous = rewritten.hash
                    try await conn.query(
                        """
                        UPDATE ledger SET payload = \(payload), prev_hash = \(ByteBuffer(bytes: rewritten.previousHash)),
                            entry_hash = \(ByteBuffer(bytes: rewritten.hash)) WHERE seq = \(e.seq)
                        """,
                        logger: db.logger
                    )
                }
                try await conn.query("SET session_replication_role = origin", logger: db.logger)
            }
        }
    }
}
