/// The code the hub gives an item set by local legislation (地方立法设立的监管事项) until the province codes it:
/// `L`, the six-digit region code of the registering government, and a seven-digit sequence, e.g. `L4304000000001`.
///
/// Fourteen characters like a provincial code, so it fits wherever a catalog code is shown, but it starts with a
/// letter: `CatalogCode` (14 digits) never accepts it, and no provincial code can ever equal it. That is what keeps a
/// provisional code out of anything sent to the province: a record whose item maps to one is held
/// (`awaiting_provincial_code`), never delivered.
public struct ProvisionalItemCode: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public static let prefix = "L"
    public static let sequenceDigits = 7

    /// Reads a provisional code; nil for anything else (a provincial code included).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 1 + 6 + Self.sequenceDigits, bytes[0] == UInt8(ascii: "L"),
            bytes.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), RegionCode(String(text.dropFirst().prefix(6))) != nil
        else { return nil }
        value = text
    }

    /// The code of the `sequence`th local item registered in `region` (sequence 1 … 9,999,999).
    public init?(region: RegionCode, sequence: Int) {
        guard sequence >= 1, sequence < 10_000_000 else { return nil }
        let digits = String(sequence)
        self.init(Self.prefix + region.value + String(repeating: "0", count: Self.sequenceDigits - digits.count) + digits)
    }

    /// The region of the government that registered the item.
    public var region: String { String(value.dropFirst().prefix(6)) }

    public var description: String { value }

    /// Whether a catalog code names a provisional item (and so must never leave the hub on a record).
    public static func isProvisional(_ code: String) -> Bool { ProvisionalItemCode(code) != nil }
}
