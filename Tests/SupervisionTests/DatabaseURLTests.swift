import Supervision
import Testing

/// `HUB_DATABASE_URL` as libpq reads it: host lists, IPv6, escapes, session attributes — and clear refusals.
@Suite("Database URL")
struct DatabaseURLTests {
    func parse(_ url: String) throws -> DatabaseURL { try DatabaseURL(parsing: url) }

    func refusal(_ url: String) -> String? {
        do {
            _ = try DatabaseURL(parsing: url)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("one host, as before: defaults for port and database, sslmode from loopback")
    func oneHost() throws {
        let u = try parse("postgres://hub:secret@127.0.0.1:55432/hubdb")
        #expect(u.endpoints == [.init(host: "127.0.0.1", port: 55432)])
        #expect(u.user == "hub")
        #expect(u.password == "secret")
        #expect(u.database == "hubdb")
        #expect(u.sslMode == .disable)
        #expect(u.targetSessionAttrs == .any)

        let remote = try parse("postgresql://hub@db.example")
        #expect(remote.endpoints == [.init(host: "db.example", port: 5432)])
        #expect(remote.password == nil)
        #expect(remote.database == "hub")
        #expect(remote.sslMode == .prefer)
        #expect(try parse("postgres://hub@db.example/x?sslmode=require&application_name=hub").sslMode == .require)
        #expect(try parse("postgres://hub@db.example/x?sslmode=verify-full").sslMode == .require)
    }

    @Test("a host list with ports, IPv6 in brackets, and target_session_attrs")
    func hostList() throws {
        let u = try parse("postgres://u:p@host1:5432,host2:5433,[::1]:5434,[fe80::1],host3/db?target_session_attrs=read-write")
        #expect(u.endpoints.map(\.description) == ["host1:5432", "host2:5433", "[::1]:5434", "[fe80::1]:5432", "host3:5432"])
        #expect(u.endpoints[2].host == "::1")
        #expect(u.targetSessionAttrs == .readWrite)
        #expect(u.sslMode == .prefer)
        #expect(try parse("postgres://u@[::1]:5432,127.0.0.1/db").sslMode == .disable)
        for attrs in TargetSessionAttrs.allCases {
            #expect(try parse("postgres://u@h/db?target_session_attrs=\(attrs.rawValue)").targetSessionAttrs == attrs)
        }
    }

    @Test("percent-escapes in user, password and database; a raw '/' or '@' in the password still reads")
    func escapes() throws {
        let u = try parse("postgres://hub%40city:p%40ss%2Fw%3Ard%25@h1,h2/hub%20db")
        #expect(u.user == "hub@city")
        #expect(u.password == "p@ss/w:rd%")
        #expect(u.database == "hub db")
        let raw = try parse("postgres://hub:a/b@c@h1:5432/db")
        #expect(raw.password == "a/b@c")
        #expect(raw.endpoints == [.init(host: "h1", port: 5432)])
        #expect(try parse("postgres://hub:%E5%AF%86@h/db").password == "密")
        #expect(try parse("postgres://hub:@h/db").password == "")
    }

    @Test("bad inputs are refused with what is wrong, never the password")
    func refusals() {
        #expect(refusal("mysql://u@h/db")?.contains("scheme") == true)
        #expect(refusal("h:5432/db")?.contains("scheme") == true)
        #expect(refusal("postgres://h/db")?.contains("user is required") == true)
        #expect(refusal("postgres://u@/db")?.contains("host is required") == true)
        #expect(refusal("postgres://u@h1,,h2/db")?.contains("empty host") == true)
        #expect(refusal("postgres://u@h1,/db")?.contains("empty host") == true)
        #expect(refusal("postgres://u@h:port/db")?.contains("'port'") == true)
        #expect(refusal("postgres://u@h:70000/db")?.contains("1 to 65535") == true)
        #expect(refusal("postgres://u@h:/db")?.contains("port") == true)
        #expect(refusal("postgres://u@[::1/db")?.contains("closing ']'") == true)
        #expect(refusal("postgres://u@[::1]x/db")?.contains("after the IPv6") == true)
        #expect(refusal("postgres://u:se%ZZcret@h/db") == "the password holds a bad %-escape")
        #expect(refusal("postgres://u@h/db?target_session_attrs=writable")?.contains("read-write") == true)
        #expect(refusal("postgres://u@h/db?sslmode=always")?.contains("sslmode=always") == true)
        #expect(refusal("postgres://u@h/a/b")?.contains("'/'") == true)
    }

    @Test("masked: the password never shows")
    func masked() throws {
        let u = try parse("postgres://hub:topsecret@db1:5432,[::1]:5433/hub?target_session_attrs=read-write")
        #expect(u.masked == "postgres://hub:****@db1:5432,[::1]:5433/hub?sslmode=prefer&target_session_attrs=read-write")
        #expect(!u.masked.contains("topsecret"))
    }

    @Test("host choice follows libpq: the first host that suits, in list order")
    func choice() {
        let probes: [ServerRole?] = [.standby, nil, .primary, .standby]
        #expect(HostChoice.choose(probes, for: .readWrite) == 2)
        #expect(HostChoice.choose(probes, for: .primary) == 2)
        #expect(HostChoice.choose(probes, for: .any) == 0)
        #expect(HostChoice.choose(probes, for: .standby) == 0)
        #expect(HostChoice.choose(probes, for: .readOnly) == 0)
        #expect(HostChoice.choose(probes, for: .preferStandby) == 0)
        // During a failover: the primary is gone, the standby not yet promoted.
        #expect(HostChoice.choose([nil, .standby], for: .readWrite) == nil)
        #expect(HostChoice.choose([nil, .standby], for: .any) == 1)
        #expect(HostChoice.choose([nil, nil], for: .any) == nil)
        // prefer-standby falls back to any server that answers.
        #expect(HostChoice.choose([nil, .primary], for: .preferStandby) == 1)
        #expect(HostChoice.choose([.primary, .standby], for: .preferStandby) == 1)
        // A primary with default_transaction_read_only on is not read-write, but is a primary.
        let readOnlyPrimary = ServerRole(inRecovery: false, readOnly: true)
        #expect(HostChoice.choose([readOnlyPrimary], for: .readWrite) == nil)
        #expect(HostChoice.choose([readOnlyPrimary], for: .primary) == 0)
    }

    @Test("a session keeps its server while the server still suits")
    func accepts() {
        #expect(TargetSessionAttrs.readWrite.accepts(.primary))
        #expect(!TargetSessionAttrs.readWrite.accepts(.standby))
        #expect(TargetSessionAttrs.preferStandby.accepts(.primary))
        #expect(TargetSessionAttrs.any.accepts(.standby))
        #expect(!TargetSessionAttrs.standby.accepts(.primary))
    }
}
