import HubModel

/// The implementation code (实施编码) an agency's published claim gets: agency USCC (18) + level digit (3 city,
/// 4 county) + catalog code (14) + a two-digit sequence, e.g. `11430400013248734H` `3` `43012100010000` `01`.
///
/// The sequence tells apart the codes one agency holds for one item at one level: a claim withdrawn and made
/// again gets the next sequence, so a retired code is never reused for other details.
extension ImplementationCode {
    /// The first 33 characters, shared by every sequence.
    public static func prefix(agency: String, level: ClaimLevel, catalogCode: String) -> String {
        agency + String(level.rawValue) + catalogCode
    }

    /// The full code, or nil when the sequence is outside 01…99.
    public static func compose(agency: String, level: ClaimLevel, catalogCode: String, sequence: Int) -> String? {
        guard (1...99).contains(sequence) else { return nil }
        return prefix(agency: agency, level: level, catalogCode: catalogCode) + (sequence < 10 ? "0" : "") + String(sequence)
    }

    /// The region code inside a USCC (characters 3…8, the registration authority's 行政区划代码).
    public static func region(ofAgency uscc: String) -> String? {
        guard uscc.count == 18 else { return nil }
        let digits = uscc.dropFirst(2).prefix(6)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(digits)
    }
}

/// The names of Hengyang's region codes (DOMAIN §3), for the lists' 区划 column; an unknown code shows as itself.
public enum HengyangRegions {
    public static let names: [String: String] = [
        "430400": "衡阳市", "430405": "珠晖区", "430406": "雁峰区", "430407": "石鼓区", "430408": "蒸湘区", "430412": "南岳区",
        "430421": "衡阳县", "430422": "衡南县", "430423": "衡山县", "430424": "衡东县", "430426": "祁东县", "430481": "耒阳市",
        "430482": "常宁市",
    ]

    public static func name(_ code: String) -> String { names[code] ?? code }
}
