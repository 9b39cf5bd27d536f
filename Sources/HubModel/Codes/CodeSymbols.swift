/// Check-character arithmetic shared by the field's codes (GB 32100, GB 11714, GB 11643).
enum CodeSymbols {
    /// The 31 symbols of a USCC, in value order (no I, O, S, V, Z).
    static let uscc: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let usccValue: [Character: Int] = Dictionary(uniqueKeysWithValues: uscc.enumerated().map { ($1, $0) })
    /// Symbol value by ASCII byte, -1 for bytes that are not USCC symbols (the hot path reads bytes).
    static let usccByteValue: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (v, c) in uscc.enumerated() { table[Int(c.asciiValue!)] = Int8(v) }
        return table
    }()

    /// GB 11714 character values: digits as themselves, letters A=10 … Z=35.
    static func organisationValue(_ c: Character) -> Int? {
        guard let a = c.asciiValue else { return nil }
        switch a {
        case 0x30...0x39: return Int(a - 0x30)
        case 0x41...0x5A: return Int(a - 0x41) + 10
        default: return nil
        }
    }

    /// The GB 11714 check character for the 8-character body of an organisation code.
    static func organisationCheck(_ body: [Character]) -> Character? {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (c, w) in zip(body, weights) {
            guard let v = organisationValue(c) else { return nil }
            sum += v * w
        }
        let c = 11 - sum % 11
        switch c {
        case 10: return "X"
        case 11: return "0"
        default: return Character(String(c))
        }
    }
}
