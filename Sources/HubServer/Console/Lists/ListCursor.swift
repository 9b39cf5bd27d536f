import Foundation

/// The keyset cursor of a list (`after=`): the sort key of the last row shown, as a few strings, carried
/// opaquely in the link (base64url of the values joined by U+001F). It only says where the next page starts;
/// the filters are re-read from the same link, and a cursor that does not decode is refused (400).
enum ListCursor {
    static let separator: Character = "\u{1F}"

    static func encode(_ values: [String]) -> String {
        Data(values.joined(separator: String(separator)).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The values, or nil for anything that is not a cursor this hub wrote (wrong alphabet, not UTF-8,
    /// the wrong number of values).
    static func decode(_ token: String, count: Int) -> [String]? {
        guard !token.isEmpty, token.count <= 400,
            token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let values = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        return values.count == count ? values : nil
    }
}
