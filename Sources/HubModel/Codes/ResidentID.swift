/// 居民身份证号码 (GB 11643-1999): address, birth date, sequence, check digit.
public struct ResidentID: Sendable, Hashable {
    public let value: String

    public enum Problem: Error, Sendable, Equatable {
        case length, character, birthDate, checkDigit
    }

    public init(_ text: String) throws(Problem) {
        let chars = Array(text)
        guard chars.count == 18 else { throw .length }
        var digits: [Int] = []
        for c in chars.prefix(17) {
            guard let d = c.wholeNumberValue, c.isASCII else { throw .character }
            digits.append(d)
        }
        guard chars[17].isASCII, chars[17].isNumber || chars[17] == "X" || chars[17] == "x" else { throw .character }
        let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard (1900...2100).contains(year), (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw .birthDate
        }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let expected = Array("10X98765432")[sum % 11]
        guard Character(chars[17].uppercased()) == expected else { throw .checkDigit }
        self.value = text.uppercased()
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Completes a 17-digit body with its check digit (sample data and tests).
    public static func withCheckDigit(_ body: String) -> String? {
        let digits = body.compactMap(\.wholeNumberValue)
        guard digits.count == 17, body.count == 17 else { return nil }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }
}

extension ResidentID.Problem {
    public func fieldError(_ path: String) -> FieldError {
        switch self {
        case .length:
            FieldError(path: path, code: "invalid_length", zh: "居民身份证号码应为18位", en: "a resident ID number has 18 characters")
        case .character:
            FieldError(
                path: path,
                code: "invalid_character",
                zh: "居民身份证号码只能由数字和末位X组成",
                en: "a resident ID number is 17 digits and a digit or X"
            )
        case .birthDate:
            FieldError(path: path, code: "invalid_birth_date", zh: "居民身份证号码中的出生日期无效", en: "the birth date in the ID number is not a date")
        case .checkDigit:
            FieldError(path: path, code: "invalid_check_digit", zh: "居民身份证号码校验码错误", en: "the ID number check digit is wrong")
        }
    }
}
