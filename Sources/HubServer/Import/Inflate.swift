/// DEFLATE (RFC 1951) decoding, for the one compressed format ops bring: XLSX files (ZIP). A small canonical-Huffman
/// decoder after zlib's `puff.c`, in Swift so the hub links no compression library for one import path. Output is
/// capped (`limit`) so that a crafted file cannot expand without bound.
struct Inflate {
    struct Failure: Error, Sendable {
        var reason: String
    }

    private let input: [UInt8]
    private var position = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    private var output: [UInt8] = []
    private let limit: Int

    static func decompress(_ data: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var inflater = Inflate(input: data, limit: limit)
        try inflater.run()
        return inflater.output
    }

    private init(input: [UInt8], limit: Int) {
        self.input = input
        self.limit = limit
    }

    private mutating func bits(_ n: Int) throws(Failure) -> Int {
        while bitCount < n {
            guard position < input.count else { throw Failure(reason: "compressed data ends early") }
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// A canonical Huffman code given by its code lengths.
    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: [Int]) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    private mutating func decode(_ h: Huffman) throws(Failure) -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            code |= try bits(1)
            let count = h.counts[length]
            if code - count < first { return h.symbols[index + (code - first)] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw Failure(reason: "invalid Huffman code")
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
        16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func run() throws(Failure) {
        var last = 0
        while last == 0 {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored()
            case 1:
                let literal = Huffman(
                    lengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24) + [
                        8, 8, 8, 8, 8, 8, 8, 8,
                    ]
                )
                try codes(literal, Huffman(lengths: [Int](repeating: 5, count: 30)))
            case 2: try dynamic()
            default: throw Failure(reason: "invalid block type")
            }
        }
    }

    private mutating func stored() throws(Failure) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw Failure(reason: "stored block ends early") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw Failure(reason: "stored block length does not match") }
        position += 4
        guard position + length <= input.count, output.count + length <= limit else { throw Failure(reason: "stored block too long") }
        output.append(contentsOf: input[position..<(position + length)])
        position += length
    }

    private mutating func dynamic() throws(Failure) {
        let literals = try bits(5) + 257
        let distances = try bits(5) + 1
        let codeLengths = try bits(4) + 4
        guard literals <= 286, distances <= 30 else { throw Failure(reason: "too many codes") }
        var lengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengths { lengths[Self.codeLengthOrder[i]] = try bits(3) }
        let lengthCode = Huffman(lengths: lengths)
        var all: [Int] = []
        while all.count < literals + distances {
            let symbol = try decode(lengthCode)
            switch symbol {
            case 0..<16: all.append(symbol)
            case 16:
                guard let previous = all.last else { throw Failure(reason: "repeat without a previous length") }
                all += [Int](repeating: previous, count: 3 + (try bits(2)))
            case 17: all += [Int](repeating: 0, count: 3 + (try bits(3)))
            default: all += [Int](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard all.count == literals + distances, all[256] != 0 else { throw Failure(reason: "invalid code lengths") }
        try codes(Huffman(lengths: Array(all[..<literals])), Huffman(lengths: Array(all[literals...])))
    }

    private mutating func codes(_ literal: Huffman, _ distance: Huffman) throws(Failure) {
        while true {
            let symbol = try decode(literal)
            if symbol < 256 {
                guard output.count < limit else { throw Failure(reason: "expands past the limit") }
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let index = symbol - 257
            guard index < 29 else { throw Failure(reason: "invalid length code") }
            let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
            let d = try decode(distance)
            guard d < 30 else { throw Failure(reason: "invalid distance code") }
            let back = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
            guard back <= output.count else { throw Failure(reason: "distance too far back") }
            guard output.count + length <= limit else { throw Failure(reason: "expands past the limit") }
            let start = output.count - back
            for i in 0..<length { output.append(output[start + i]) }
        }
    }
}
