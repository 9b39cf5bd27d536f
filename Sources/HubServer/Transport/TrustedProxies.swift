import Foundation

/// The peers (reverse proxies, load balancers, an ingress controller's pods) whose `X-Forwarded-Proto` and
/// `X-Forwarded-For` the hub believes (`HUB_TRUSTED_PROXIES`: comma-separated IP addresses and CIDR ranges such
/// as `10.244.0.0/16` or `fd00::/8`). From anyone else those headers are ignored: a client could otherwise claim
/// HTTPS or another address to slip past the sign-in throttle. Every entry must be an IP address or a range; a
/// host name would never match a socket peer, so it is refused at start rather than silently ignored.
public struct TrustedProxies: Sendable, Hashable {
    /// Exact addresses, normalised.
    public let addresses: Set<String>
    /// Ranges, as written (normalised).
    public let ranges: [IPRange]
    /// Both, as byte ranges (an address is its own full-length range): `::1` and `0:0:0:0:0:0:0:1` are one peer.
    let matchers: [IPRange]

    public init(_ list: String) throws(ConfigurationError) {
        var addresses: Set<String> = []
        var ranges: [IPRange] = []
        var exact: [IPRange] = []
        for entry in list.split(separator: ",").map({ Self.normalize(String($0)) }) where !entry.isEmpty {
            if entry.contains("/") {
                guard let range = IPRange(entry) else { throw Self.invalid(list, entry) }
                ranges.append(range)
            } else {
                guard let bytes = IPRange.bytes(entry) else { throw Self.invalid(list, entry) }
                addresses.insert(entry)
                exact.append(IPRange(network: bytes, prefix: bytes.count * 8, description: entry))
            }
        }
        self.addresses = addresses
        self.ranges = ranges
        matchers = exact + ranges
    }

    static func invalid(_ list: String, _ entry: String) -> ConfigurationError {
        ConfigurationError(
            variable: "HUB_TRUSTED_PROXIES",
            value: list,
            expectedZh: "逗号分隔的 IP 地址或 CIDR 网段（如 10.0.0.5,10.244.0.0/16），“\(entry)”不是",
            expectedEn: "comma-separated IP addresses or CIDR ranges (such as 10.0.0.5,10.244.0.0/16); \"\(entry)\" is neither"
        )
    }

    public var isEmpty: Bool { addresses.isEmpty && ranges.isEmpty }

    /// Every entry as configured, for the start-up summary.
    public var entries: [String] { addresses.sorted() + ranges.map(\.description) }

    public func contains(_ address: String) -> Bool {
        let a = Self.normalize(address)
        if addresses.contains(a) { return true }
        guard !matchers.isEmpty, let bytes = IPRange.bytes(a) else { return false }
        return matchers.contains { $0.contains(bytes) }
    }

    /// Lower-case, trimmed, and an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as its IPv4 form.
    static func normalize(_ address: String) -> String {
        let a = address.trimmingCharacters(in: .whitespaces).lowercased()
        return a.hasPrefix("::ffff:") && a.contains(".") ? String(a.dropFirst(7)) : a
    }
}

/// An IPv4 or IPv6 network in CIDR notation: the address's first `prefix` bits.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    let network: [UInt8]
    let prefix: Int
    public let description: String

    /// `10.244.0.0/16`, `fd00::/8`; nil when the address or the prefix length is not valid for its family.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = Self.bytes(String(parts[0])), let prefix = Int(parts[1]),
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            (0...(bytes.count * 8)).contains(prefix)
        else { return nil }
        self.init(network: bytes, prefix: prefix, description: text)
    }

    init(network: [UInt8], prefix: Int, description: String) {
        self.network = network
        self.prefix = prefix
        self.description = description
    }

    /// Whether `address` (4 or 16 bytes) lies in the range; an address of the other family never does.
    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var bits = prefix
        for (a, n) in zip(address, network) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != n & mask { return false }
            bits -= 8
        }
        return true
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6), nil when it is not an IP address.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// Where a request came from and whether it travelled encrypted, as far as this hub can know.
public struct RequestOrigin: Sendable, Hashable {
    /// The client's IP address: the socket peer, or — when the peer is a trusted proxy — the nearest
    /// address in `X-Forwarded-For` that is not itself a trusted proxy. "unknown" when there is no peer.
    public var clientAddress: String
    /// True when the request came over this hub's TLS, or through a trusted proxy that sent
    /// `X-Forwarded-Proto: https`.
    public var isSecure: Bool

    public init(clientAddress: String = "unknown", isSecure: Bool = false) {
        self.clientAddress = clientAddress
        self.isSecure = isSecure
    }

    /// Works out the origin from the socket peer and, only for a trusted peer, the forwarding headers.
    /// - Parameters:
    ///   - peer: the socket peer's IP address (nil for a Unix socket or a test without sockets).
    ///   - tls: this hub terminated TLS on the connection.
    ///   - forwardedFor: every `X-Forwarded-For` value, in order.
    ///   - forwardedProto: every `X-Forwarded-Proto` value, in order.
    public static func resolve(
        peer: String?,
        tls: Bool,
        forwardedFor: [String],
        forwardedProto: [String],
        trusted: TrustedProxies
    ) -> RequestOrigin {
        guard let peer else { return RequestOrigin(clientAddress: "unknown", isSecure: tls) }
        let direct = TrustedProxies.normalize(peer)
        guard trusted.contains(direct) else { return RequestOrigin(clientAddress: direct, isSecure: tls) }
        // The nearest proxy wrote the last hop: read right to left, skipping our own proxies.
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { TrustedProxies.normalize(String($0)) }.filter { !$0.isEmpty }
        let client = hops.last { !trusted.contains($0) } ?? hops.first ?? direct
        let proto = forwardedProto.flatMap { $0.split(separator: ",") }.last.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return RequestOrigin(clientAddress: client, isSecure: tls || proto == "https")
    }
}
