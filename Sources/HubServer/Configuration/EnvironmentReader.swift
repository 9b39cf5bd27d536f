/// The one strict reader of the hub's environment variables. An unset or empty variable takes its default; a
/// set value that is not what the setting expects stops the start with the variable's name, the value and
/// what was expected (`HUB_PORT=80a` is an error, never a silent 8080).
public struct EnvironmentReader: Sendable {
    let environment: [String: String]

    public init(_ environment: [String: String]) { self.environment = environment }

    /// The value of `name`, nil when unset or empty.
    public func string(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// A decimal integer in `range` (surrounding spaces allowed).
    public func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return fallback }
        let trimmed = text.trimmingSpaces
        guard let value = Self.decimalInteger(trimmed), range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                value: text,
                expectedZh: "\(Self.describe(range, zh: true))的整数",
                expectedEn: "an integer \(Self.describe(range, zh: false))"
            )
        }
        return value
    }

    /// A decimal number of seconds (or any unit the caller names) in `range`.
    public func number(_ name: String, default fallback: Double, in range: ClosedRange<Double>, unit: (zh: String, en: String)) throws -> Double {
        guard let text = string(name) else { return fallback }
        guard let value = Double(text.trimmingSpaces), value.isFinite, range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                value: text,
                expectedZh: "\(range.lowerBound)–\(range.upperBound) 之间的数（\(unit.zh)）",
                expectedEn: "a number of \(unit.en) from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, any case).
    public func boolean(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = string(name) else { return fallback }
        switch text.trimmingSpaces.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            throw ConfigurationError(variable: name, value: text, expectedZh: "true 或 false", expectedEn: "true or false")
        }
    }

    /// One of `choices` (as spelled there, any case).
    public func choice(_ name: String, default fallback: String, among choices: [String]) throws -> String {
        guard let text = string(name) else { return fallback }
        guard let match = choices.first(where: { $0.lowercased() == text.trimmingSpaces.lowercased() }) else {
            throw ConfigurationError(
                variable: name,
                value: text,
                expectedZh: choices.joined(separator: "、") + " 之一",
                expectedEn: "one of " + choices.joined(separator: ", ")
            )
        }
        return match
    }

    /// Only ASCII digits with an optional sign: `Int("+5")` is fine, but `Int` also takes nothing else odd.
    static func decimalInteger(_ text: Substring) -> Int? {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : text
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    static func describe(_ range: ClosedRange<Int>, zh: Bool) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (_, Int.max): zh ? "不小于 \(range.lowerBound) " : "of at least \(range.lowerBound)"
        default: zh ? "\(range.lowerBound)–\(range.upperBound) 之间" : "from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}

/// A setting the environment gives a value it cannot take: names the variable, the value and what it expects.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var value: String
    public var expectedZh: String
    public var expectedEn: String

    public var description: String {
        "配置错误 \(variable)=\(value.prefix(80))：应为\(expectedZh) / invalid setting \(variable)=\(value.prefix(80)): expected \(expectedEn)"
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
