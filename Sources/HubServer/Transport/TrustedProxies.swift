import Foundation

/// The peers (reverse proxies, load balancers) whose `X-Forwarded-Proto` and `X-Forwarded-For` the hub
/// believes (`HUB_TRUSTED_PROXIES`, comma-separated IP addresses). From anyone else those headers are
/// ignored: a client could otherwise claim HTTPS or another address to slip past the sign-in throttle.
public struct TrustedProxies: Sendable, Hashable {
    public let addresses: Set<String>

    public init(_ list: String) {
        addresses = Set(list.split(separator: ",").map { Self.normalize(String($0)) }.filter { !$0.isEmpty })
    }

    public func contains(_ address: String) -> Bool { addresses.contains(Self.normalize(address)) }

    /// Lower-case, trimmed, and an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as its IPv4 form.
    static func normalize(_ address: String) -> String {
        let a = address.trimmingCharacters(in: .whitespaces).lowercased()
        return a.hasPrefix("::ffff:") && a.contains(".") ? String(a.dropFirst(7)) : a
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
