/// A `postgres://` connection URL as libpq reads it, with a host list:
/// `postgres://user:password@host1:5432,host2:5433,[::1]:5434/database?target_session_attrs=read-write`.
///
/// Foundation's `URLComponents` cannot read a comma-separated host list (nor a password with a reserved
/// character left unescaped by hand), and the hub's `HUB_DATABASE_URL` must name a primary/standby pair the way
/// every other PostgreSQL client does. Pure: no resolution, no connection; `HubDatabase` turns it into pools.
///
/// Read: `sslmode` (`disable`, `prefer`, `require`; unset: `disable` when every host is loopback, else `prefer`),
/// `target_session_attrs` (libpq's values; default `any`). Other parameters (`application_name`, …) are accepted
/// and ignored, as before.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int = 5432) {
            self.host = host
            self.port = port
        }
        /// `host:port`, an IPv6 address in brackets.
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
        public var isLoopback: Bool { host == "127.0.0.1" || host == "localhost" || host == "::1" }
    }

    public enum SSLMode: String, Sendable, Equatable {
        case disable, prefer, require
    }

    public var endpoints: [Endpoint]
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var targetSessionAttrs: TargetSessionAttrs

    /// Why a URL was refused; the message names the part that is wrong (never the password).
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    public init(
        endpoints: [Endpoint],
        user: String,
        password: String? = nil,
        database: String,
        sslMode: SSLMode = .disable,
        targetSessionAttrs: TargetSessionAttrs = .any
    ) {
        self.endpoints = endpoints
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.targetSessionAttrs = targetSessionAttrs
    }

    public init(parsing url: String) throws(Invalid) {
        var rest = Substring(url)
        guard let schemeEnd = rest.range(of: "://") else { throw Invalid("scheme must be postgres:// or postgresql://") }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else { throw Invalid("scheme must be postgres:// or postgresql://, not \(scheme)://") }
        rest = rest[schemeEnd.upperBound...]
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path: Substring = ""
        // The path starts at the first "/" after the user info: a password may hold an unescaped "/" only
        // before the last "@", which is why the user info is cut off first.
        var authority = rest
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            authority = rest[rest.index(after: at)...]
        }
        if let slash = authority.firstIndex(of: "/") {
            path = authority[authority.index(after: slash)...]
            authority = authority[..<slash]
        }
        guard let userInfo, !userInfo.isEmpty else { throw Invalid("a user is required (postgres://user@host/database)") }
        let userPart: Substring
        if let colon = userInfo.firstIndex(of: ":") {
            userPart = userInfo[..<colon]
            password = try Self.decode(userInfo[userInfo.index(after: colon)...], what: "the password")
        } else {
            userPart = userInfo
            password = nil
        }
        user = try Self.decode(userPart, what: "the user")
        guard !user.isEmpty else { throw Invalid("a user is required (postgres://user@host/database)") }
        endpoints = try Self.endpoints(authority)
        let name = try Self.decode(path, what: "the database name")
        guard !name.contains("/") else { throw Invalid("the database name may not contain '/'") }
        database = name.isEmpty ? user : name
        var ssl: SSLMode?
        targetSessionAttrs = .any
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], what: "a parameter name")
            let value = try parts.count > 1 ? Self.decode(parts[1], what: "the parameter \(key)") : ""
            switch key {
            case "sslmode":
                // libpq's allow/verify-* map onto what PostgresNIO offers: verify-* require TLS (and verify, as
                // NIOSSL's client configuration does by default), allow tries plain first, like prefer's fallback.
                switch value {
                case "disable": ssl = .disable
                case "allow", "prefer": ssl = .prefer
                case "require", "verify-ca", "verify-full": ssl = .require
                default: throw Invalid("sslmode=\(value) is not one of disable, allow, prefer, require, verify-ca, verify-full")
                }
            case "target_session_attrs":
                guard let attrs = TargetSessionAttrs(rawValue: value) else {
                    throw Invalid(
                        "target_session_attrs=\(value) is not one of \(TargetSessionAttrs.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                targetSessionAttrs = attrs
            default:
                continue
            }
        }
        sslMode = ssl ?? (endpoints.allSatisfy(\.isLoopback) ? .disable : .prefer)
    }

    /// `host[:port]` items separated by commas; an IPv6 address in brackets. libpq allows an empty host list
    /// (a Unix socket); the hub connects over TCP only, so a host is required.
    static func endpoints(_ authority: Substring) throws(Invalid) -> [Endpoint] {
        guard !authority.isEmpty else { throw Invalid("a host is required (postgres://user@host:5432/database)") }
        var result: [Endpoint] = []
        for item in authority.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw Invalid("an empty host in the host list '\(authority)'") }
            var host: Substring
            var port: Substring?
            if item.hasPrefix("[") {
                guard let close = item.firstIndex(of: "]") else { throw Invalid("an IPv6 address without its closing ']' in '\(item)'") }
                host = item[item.index(after: item.startIndex)..<close]
                let after = item[item.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":") else { throw Invalid("unexpected '\(after)' after the IPv6 address in '\(item)'") }
                    port = after.dropFirst()
                }
            } else if let colon = item.firstIndex(of: ":") {
                host = item[..<colon]
                port = item[item.index(after: colon)...]
            } else {
                host = item
            }
            let name = try decode(host, what: "a host name")
            guard !name.isEmpty else { throw Invalid("an empty host in '\(item)'") }
            var number = 5432
            if let port {
                guard let p = Int(port), (1...65535).contains(p) else {
                    throw Invalid("the port '\(port)' of '\(item)' is not a number from 1 to 65535")
                }
                number = p
            }
            result.append(Endpoint(host: name, port: number))
        }
        return result
    }

    static func decode(_ text: Substring, what: String) throws(Invalid) -> String {
        guard text.contains("%") else { return String(text) }
        guard let decoded = String(text).removingPercentEncodingStrict() else { throw Invalid("\(what) holds a bad %-escape") }
        return decoded
    }

    /// The URL back as text, the password as `****` (for start-up summaries and logs).
    public var masked: String {
        let auth = password == nil ? user : "\(user):****"
        var text = "postgres://\(auth)@\(endpoints.map(\.description).joined(separator: ","))/\(database)"
        var params: [String] = []
        params.append("sslmode=\(sslMode.rawValue)")
        if targetSessionAttrs != .any { params.append("target_session_attrs=\(targetSessionAttrs.rawValue)") }
        text += "?" + params.joined(separator: "&")
        return text
    }

    /// Masked: a value printed whole (a service's description in ServiceLifecycle's debug log, an assertion's
    /// message) must not show the password.
    public var description: String { masked }
    public var debugDescription: String { masked }
}

extension String {
    /// Percent-decoding that refuses a malformed escape (`%G1`, a lone `%`) and bytes that are not UTF-8,
    /// without Foundation.
    func removingPercentEncodingStrict() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
