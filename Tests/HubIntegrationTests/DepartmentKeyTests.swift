import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// Department keys: sealed at rest under the master key, rotated with a grace period, revoked at once.
@Suite("Department keys")
struct DepartmentKeyTests {
    static func record(_ t: TestHub, _ id: String) -> String {
        let item = t.inspectionItem
        return SampleRecords.batch([
            SampleRecords.inspection(localId: id, catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
        ])
    }

    @Test("a rotated key keeps working for its grace period and ends with it; revoke refuses every key at once; both are ledger entries")
    func rotateAndRevoke() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let fresh = try await hub.departments.rotateKey(code: "HY-SCJG", graceSeconds: 3600, by: "test")
            #expect(fresh.keyId != t.scjg.keyId)
            #expect(
                try await client.signed(.post, "/api/v1/records", body: Self.record(t, "ROT-1"), as: t.scjg).status == .ok,
                "old key in its grace period"
            )
            #expect(try await client.signed(.post, "/api/v1/records", body: Self.record(t, "ROT-2"), as: fresh).status == .ok)
            // The old key ends an hour from now (the grace period), the new one never.
            #expect(
                try await count(
                    hub.db,
                    """
                    SELECT count(*)::int FROM department_keys WHERE key_id = '\(t.scjg.keyId)'
                    AND expires_at BETWEEN now() + interval '3500 seconds' AND now() + interval '3700 seconds'
                    """
                ) == 1
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM department_keys WHERE key_id = '\(fresh.keyId)' AND expires_at IS NULL") == 1)
            // A rotation with no grace period: every earlier key is refused at once (an expired grace period looks the same).
            let newest = try await hub.departments.rotateKey(code: "HY-SCJG", graceSeconds: 0, by: "test")
            for old in [t.scjg, fresh] {
                let late = try await client.signed(.post, "/api/v1/records", body: Self.record(t, "ROT-3"), as: old)
                #expect(late.status == .unauthorized)
                #expect(late.json["errors"]?[0]["code"]?.string == "unknown_key")
            }
            #expect(try await client.signed(.post, "/api/v1/records", body: Self.record(t, "ROT-4"), as: newest).status == .ok)

            let revoked = try await hub.departments.revokeKeys(code: "HY-SCJG", by: "test")
            #expect(revoked.contains(newest.keyId))
            let refused = try await client.signed(.post, "/api/v1/records", body: Self.record(t, "ROT-5"), as: newest)
            #expect(refused.json["errors"]?[0]["code"]?.string == "unknown_key")
            // Another department is untouched.
            #expect(try await client.signed(.get, "/api/v1/receipts", as: t.wj).status == .ok)
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger WHERE kind = 'ops_action' AND subject IN ('key_rotated', 'keys_revoked') AND department = 'HY-SCJG'"
                ) == 3
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE payload LIKE '%\(newest.secret)%'") == 0)
        }
    }

    @Test(
        "secrets are sealed at rest, clear ones from older versions are sealed on start, a wrong master key refuses to start, reencrypt moves them to a new key"
    )
    func sealedAtRest() async throws {
        let t = try await TestHub.make()
        // As an older version left it: a key whose secret is in clear.
        let legacy = DepartmentCredentials(department: "HY-WJ", name: "", keyId: "hk_legacy0001", secret: String(repeating: "ab", count: 32))
        try await t.withDatabase { db in
            #expect(try await count(db, "SELECT count(*)::int FROM department_keys WHERE secret IS NOT NULL OR secret_sealed IS NULL") == 0)
            var stored: [UInt8] = []
            for try await b in try await db.client.query(
                "SELECT secret_sealed FROM department_keys WHERE key_id = \(t.scjg.keyId)",
                logger: db.logger
            )
            .decode(ByteBuffer.self) { stored = Array(b.readableBytesView) }
            #expect(!String(decoding: stored, as: UTF8.self).contains(t.scjg.secret))
            #expect(stored.count == 12 + 64 + 16)
            try await db.client.query(
                """
                INSERT INTO department_keys (key_id, department_id, secret) SELECT \(legacy.keyId), id, \(legacy.secret) FROM departments WHERE code = 'HY-WJ'
                """,
                logger: db.logger
            )
        }
        try await t.serve { (client: any TestClientProtocol, hub: HubContext) async throws in
            #expect(try await count(hub.db, "SELECT count(*)::int FROM department_keys WHERE secret IS NOT NULL") == 0)
            #expect(try await client.signed(.get, "/api/v1/receipts", as: legacy).status == .ok)
        }
        // Another master key does not open them: the hub refuses to start rather than refuse every department.
        let otherKey = [UInt8].random(count: 32)
        var configuration = t.hub.configuration
        configuration.masterKey = otherKey.hex
        let wrong = try HubContext(configuration: configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
        try await wrong.db.withRunning { _ in
            await #expect(throws: SecretVault.Problem.self) { try await wrong.prepareKeys() }
            // Re-sealing from the old key makes the new one work, and the old one no longer opens them.
            let moved = try await wrong.departments.reencrypt(from: t.hub.secretVault)
            #expect(moved.reencrypted == 3 && moved.alreadyCurrent == 0)
            try await wrong.prepareKeys()
            #expect(try await wrong.departments.key(t.scjg.keyId)?.secret == t.scjg.secret)
            #expect(try await wrong.departments.key(legacy.keyId)?.secret == legacy.secret)
            await #expect(throws: SecretVault.Problem.self) { try await DepartmentStore(db: wrong.db, vault: t.hub.secretVault).checkMasterKey() }
            let again = try await wrong.departments.reencrypt(from: t.hub.secretVault)
            #expect(again.reencrypted == 0 && again.alreadyCurrent == 3)
        }
    }

    @Test("a master key is read as hex or base64; a key file is made once with mode 600 and reused")
    func masterKeyForms() throws {
        let key = [UInt8].random(count: 32)
        #expect(SecretVault.parseKey(Array(key.hex.utf8)) == key)
        #expect(SecretVault.parseKey(Array((Data(key).base64EncodedString() + "\n").utf8)) == key)
        #expect(SecretVault.parseKey(Array("too short".utf8)) == nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hub-master-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let configuration = try HubConfiguration(environment: [
            "HUB_STATE_DIR": dir.path, "HUB_MAPPINGS": TestCluster.projectRoot.appendingPathComponent("Mappings").path,
        ])
        let first = try HubContext(configuration: configuration, databaseURL: "postgres://nobody@127.0.0.1:1/none", logger: TestCluster.logger)
        let second = try HubContext(configuration: configuration, databaseURL: "postgres://nobody@127.0.0.1:1/none", logger: TestCluster.logger)
        let file = dir.appendingPathComponent("master.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let sealed = try first.secretVault.seal("s", keyId: "k")
        #expect(try second.secretVault.open(sealed, keyId: "k") == "s")
        // Bound to its key id: a sealed secret moved to another row does not open.
        #expect(throws: SecretVault.Problem.self) { try second.secretVault.open(sealed, keyId: "other") }
    }
}
