import Foundation

/// Where and how the hub talks to the provincial platform. The national interface is not public, so all
/// of it is configuration: the base URL, the wire form of uploads, the credentials and the timeouts.
public struct ProvinceConfiguration: Sendable, Hashable {
    public enum Format: String, Sendable { case json, xml }

    public var baseURL: String
    public var format: Format
    /// Sent as `Authorization: Bearer …` on every request.
    public var token: String
    /// Shared secret the province signs its receipts with.
    public var receiptSecret: String
    /// A request that has not answered by then counts as a transport failure (the batch is retried).
    public var requestTimeout: Duration

    public init(baseURL: String, format: Format = .json, token: String, receiptSecret: String, requestTimeout: Duration = .seconds(30)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.format = format
        self.token = token
        self.receiptSecret = receiptSecret
        self.requestTimeout = requestTimeout
    }
}
