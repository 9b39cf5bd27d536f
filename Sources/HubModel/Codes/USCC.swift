/// 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015).
///
/// Valid only when both check characters hold: position 18 over positions 1–17 (mod 31) and position 17
/// over the organisation code in positions 9–16 (GB 11714, mod 11). A code that fails either is refused:
/// a wrong party code would attach a penalty to the wrong enterprise on the provincial platform.
public struct USCC: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public var description: String { value }
    /// Positions 3–8: the registering region (GB/T 2260).
    public var regionCode: String { String(value.dropFirst(2).prefix(6)) }
    /// Positions 1–2: registration authority and organisation kind, e.g. `11` 机关, `91` enterprise.
    public var kindCode: String { String(value.prefix(2)) }

    public enum Problem: Error, Sendable, Equatable {
        case length, character, checkCharacter, organisationCheck
    }

    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public init(_ text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        guard bytes.count == 18 else { throw text.count == 18 ? .character : .length }
        var sum = 0
        var values = [Int](repeating: 0, count: 18)
        for (i, b) in bytes.enumerated() {
            let v = Int(CodeSymbols.usccByteValue[Int(b)])
            guard v >= 0 else { throw .character }
            values[i] = v
            if i < 17 { sum += v * Self.weights[i] }
        }
        var check = 31 - sum % 31
        if check == 31 { check = 0 }
        guard check == values[17] else { throw .checkCharacter }
        guard CodeSymbols.organisationCheck(bytes[8..<16].map { Character(Unicode.Scalar($0)) }) == Character(Unicode.Scalar(bytes[16])) else {
            throw .organisationCheck
        }
        self.value = text
    }

    /// Completes a 17-character body with its check character (used to make sample data and tests).
    public static func withCheckCharacter(_ body: String) -> String? {
        let chars = Array(body)
        guard chars.count == 17 else { return nil }
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        var sum = 0
        for (c, w) in zip(chars, weights) {
            guard let v = CodeSymbols.usccValue[c] else { return nil }
            sum += v * w
        }
        var check = 31 - sum % 31
        if check == 31 { check = 0 }
        return body + String(CodeSymbols.uscc[check])
    }

    /// Makes a valid code from region (6 digits), kind (2 chars) and an 8-digit organisation body.
    public static func make(kind: String, region: String, organisation: String) -> String? {
        guard let orgCheck = CodeSymbols.organisationCheck(Array(organisation)) else { return nil }
        return withCheckCharacter(kind + region + organisation + String(orgCheck))
    }
}

extension USCC.Problem {
    public func fieldError(_ path: String) -> FieldError {
        switch self {
        case .length:
            FieldError(path: path, code: "invalid_length", zh: "统一社会信用代码应为18位", en: "a USCC has 18 characters")
        case .character:
            FieldError(
                path: path,
                code: "invalid_character",
                zh: "统一社会信用代码含有非法字符（不使用I、O、S、V、Z）",
                en: "a USCC uses only 0-9 and A-Y without I, O, S, V, Z"
            )
        case .checkCharacter:
            FieldError(
                path: path,
                code: "invalid_check_digit",
                zh: "统一社会信用代码第18位校验码错误",
                en: "the USCC check character (position 18) is wrong"
            )
        case .organisationCheck:
            FieldError(
                path: path,
                code: "invalid_check_digit",
                zh: "统一社会信用代码中组织机构代码（第9–17位）校验码错误",
                en: "the organisation code check character (position 17) is wrong"
            )
        }
    }
}
