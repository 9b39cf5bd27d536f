/// 行政区划代码 (GB/T 2260): six digits, province · city · county.
public struct RegionCode: Sendable, Hashable {
    public let value: String

    public init?(_ text: String) {
        guard text.utf8.count == 6, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.prefix(2) != "00" else { return nil }
        self.value = text
    }

    /// The province part, e.g. `430000` for any Hunan code.
    public var province: String { String(value.prefix(2)) + "0000" }
    /// The city part, e.g. `430400` for Hengyang and its counties.
    public var city: String { String(value.prefix(4)) + "00" }
}

/// 监管事项目录编码: 14 digits. The segment layout is not public, so nothing else is assumed.
public struct CatalogCode: Sendable, Hashable {
    public let value: String

    public init?(_ text: String) {
        guard text.utf8.count == 14, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        self.value = text
    }
}

/// 检查实施清单编码: the implementing agency's USCC (1–18), a level digit 1–5 (19), then a provincial remainder.
public struct ImplementationCode: Sendable, Hashable {
    public let value: String
    public let agency: USCC
    /// Position 19. Read as the agency's level (3 city, 4 county in the sample catalog); unconfirmed nationally.
    public let level: Int

    public enum Problem: Error, Sendable, Equatable {
        case tooShort
        case agency(USCC.Problem)
        case level, character
    }

    public init(_ text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        guard bytes.count > 19, bytes.count <= 64 else { throw .tooShort }
        guard bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else { throw .character }
        do { self.agency = try USCC(String(decoding: bytes[0..<18], as: UTF8.self)) } catch { throw .agency(error) }
        let level = Int(bytes[18]) - 0x30
        guard (1...5).contains(level) else { throw .level }
        self.level = level
        self.value = text
    }
}

extension ImplementationCode.Problem {
    public func fieldError(_ path: String) -> FieldError {
        switch self {
        case .tooShort:
            FieldError(
                path: path,
                code: "invalid_length",
                zh: "检查实施清单编码长度错误（应为实施机构统一社会信用代码+层级码+省级编号）",
                en: "an implementation code is the agency USCC, a level digit and the provincial remainder"
            )
        case .character:
            FieldError(path: path, code: "invalid_character", zh: "检查实施清单编码含有非法字符", en: "an implementation code uses digits and capital letters only")
        case .agency:
            FieldError(
                path: path,
                code: "invalid_agency_prefix",
                zh: "检查实施清单编码前18位不是有效的实施机构统一社会信用代码",
                en: "characters 1-18 are not a valid agency USCC"
            )
        case .level:
            FieldError(path: path, code: "invalid_level_digit", zh: "检查实施清单编码第19位层级码应为1–5", en: "character 19 (level) must be a digit 1-5")
        }
    }
}
