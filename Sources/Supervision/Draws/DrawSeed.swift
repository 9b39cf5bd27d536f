import Crypto
import Foundation

/// The secret of one draw: 32 random bytes made when the plan is approved. Only `commitment`
/// (`hex(SHA-256(seed))`) is published then; the seed itself is revealed after the draw, so that nobody —
/// the hub included — could pick the seed to suit a candidate list fixed later, and anyone can check the draw.
public struct DrawSeed: Sendable, Hashable {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A seed read back from its lowercase or uppercase hex (64 digits).
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A new seed from the system's cryptographic generator.
    public static func random() -> DrawSeed {
        var generator = SystemRandomNumberGenerator()
        return DrawSeed(bytes: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })!
    }

    public var hex: String { Hex.encode(bytes) }

    /// `hex(SHA-256(seed))`, published before the candidate list is fixed.
    public var commitment: String { Hex.encode(SHA256.hash(data: bytes)) }

    /// A subject's place in its stratum: `hex(HMAC-SHA256(key: seed, message: "object|" + planId + "|" + subjectId))`.
    public func objectRank(planId: String, subjectId: String) -> String {
        mac("object|" + planId + "|" + subjectId)
    }

    /// An inspector's place for one task: `hex(HMAC-SHA256(key: seed, message: "inspector|" + taskId + "|" + certificateNo))`.
    public func inspectorRank(taskId: String, certificateNo: String) -> String {
        mac("inspector|" + taskId + "|" + certificateNo)
    }

    private func mac(_ message: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: bytes)))
    }

    /// The ranks of many messages with one prefix, as 256-bit numbers: ordering them orders their hex spellings
    /// (lowercase hex keeps byte order), without a string per subject. The key is set up once and copied.
    func ranker(prefix: String) -> Ranker { Ranker(key: SymmetricKey(data: bytes), prefix: Array(prefix.utf8)) }

    struct Ranker {
        private let keyed: HMAC<SHA256>
        private let prefix: [UInt8]

        init(key: SymmetricKey, prefix: [UInt8]) {
            self.keyed = HMAC<SHA256>(key: key)
            self.prefix = prefix
        }

        func rank(_ suffix: String) -> Rank {
            var mac = keyed
            mac.update(data: prefix)
            var suffix = suffix
            suffix.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
            return mac.finalize().withUnsafeBytes { raw in
                Rank(
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian,
                    raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).bigEndian,
                    raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self).bigEndian
                )
            }
        }
    }

    /// A 256-bit HMAC as four big-endian words; tuple order is the order of the hex strings.
    struct Rank: Comparable {
        let a: UInt64, b: UInt64, c: UInt64, d: UInt64

        init(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) { (self.a, self.b, self.c, self.d) = (a, b, c, d) }

        static func < (l: Rank, r: Rank) -> Bool { (l.a, l.b, l.c, l.d) < (r.a, r.b, r.c, r.d) }
    }
}

/// Lowercase hex, the one spelling of hashes and seeds in a published draw.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let high = value(chars[i]), let low = value(chars[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
