import Foundation

/// The position in the department catalog API's change order (`GET /api/v1/catalog`): the change `seq` of the
/// last row answered and its implementation code (rows of one catalog change share a seq, so the code breaks the
/// tie and a page may end inside such a group without skipping the rest of it).
///
/// Opaque to department systems: base64url of `v1:SEQ:CODE`. The zero cursor is the start.
public struct CatalogCursor: Sendable, Hashable {
    public var seq: Int64
    public var code: String

    public init(seq: Int64, code: String) {
        self.seq = seq
        self.code = code
    }

    public static let start = CatalogCursor(seq: 0, code: "")

    public var token: String {
        Data("v1:\(seq):\(code)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token this type wrote; nil for anything else.
    public init?(token: String) {
        guard !token.isEmpty, token.utf8.count <= 200 else { return nil }
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let seq = Int64(parts[1]), seq >= 0,
            parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        self.init(seq: seq, code: String(parts[2]))
    }
}
