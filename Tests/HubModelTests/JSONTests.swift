import Testing

@testable import HubModel

@Suite("Strict JSON and its canonical form")
struct JSONTests {
    func parse(_ s: String) throws -> JSONValue { try JSONParser().parse(Array(s.utf8)) }

    @Test("parses objects, arrays, escapes and keeps number text")
    func parses() throws {
        let v = try parse(#"{"a":[1,-2.50,3e2,true,false,null],"b":"\u4e2d\n\"","c":12345678901234567890123}"#)
        #expect(v["a"] == .array([.number("1"), .number("-2.50"), .number("3e2"), .bool(true), .bool(false), .null]))
        #expect(v["b"] == .string("中\n\""))
        #expect(v["c"] == .number("12345678901234567890123"))
        #expect(try parse("\u{FEFF}{}") == .object([]))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test(
        "refuses what lenient parsers accept",
        arguments: [
            #"{"a":1,"a":2}"#, "{'a':1}", "[1,]", "{\"a\":1,}", "NaN", "[Infinity]", "01", "1.", "-", "\"abc", "[1 2]",
            "{\"a\":\"x\u{01}\"}", #""\ud800""#, "[1]x", "", "   ", "{\"a\" 1}", "tru", "[\"\\x\"]", #""a\u0000b""#,
        ]
    )
    func refuses(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test("refuses invalid UTF-8 and overlong encodings")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE4, 0xB8, 0x22]] {
            #expect(throws: JSONParser.Failure.self) { try JSONParser().parse(bytes) }
        }
    }

    @Test("refuses nesting past the limit without exhausting the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 60) + String(repeating: "]", count: 60)) }
    }

    @Test("errors say line and column")
    func position() throws {
        do {
            _ = try parse("{\n  \"a\": 1,\n  \"b\": x\n}")
            Issue.record("should fail")
        } catch let error as JSONParser.Failure {
            #expect(error.line == 3)
            #expect(error.column == 8)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("canonical form sorts members and drops whitespace, so equal content has equal bytes")
    func canonical() throws {
        let a = try parse(#"{ "b": 1, "a": {"y": "中", "x": [true, null]} }"#)
        let b = try parse(#"{"a":{"x":[true,null],"y":"中"},"b":1}"#)
        #expect(CanonicalJSON.encode(a) == CanonicalJSON.encode(b))
        #expect(CanonicalJSON.string(a) == #"{"a":{"x":[true,null],"y":"中"},"b":1}"#)
        #expect(CanonicalJSON.string(.string("a\"\\\n\u{01}")) == #""a\"\\\n\u0001""#)
        // Round trip.
        #expect(try parse(CanonicalJSON.string(a)) == b)
    }

    @Test("CSV with quotes, commas and newlines inside fields")
    func csv() throws {
        let rows = try CSV.parse("a,b,c\n1,\"x, \"\"y\"\"\",\"line1\nline2\"\r\n2,,\n")
        #expect(rows.count == 3)
        #expect(rows[1].fields == ["1", "x, \"y\"", "line1\nline2"])
        #expect(rows[2].line == 4)
        #expect(rows[2].fields == ["2", "", ""])
        #expect(throws: CSV.Failure.self) { try CSV.parse("a\n\"unterminated\n") }
    }
}

@Suite("Integers as JSON Schema counts them")
struct IntegerValueTests {
    @Test("3, 3.0, -3.00, 3e2 and the Int64 bounds are integers; 3.5, 1e19, strings and 1e999 are not")
    func integers() throws {
        func value(_ text: String) throws -> Int64? { try JSONParser().parse(Array(text.utf8)).integerValue }
        #expect(try value("3") == 3)
        #expect(try value("3.0") == 3)
        #expect(try value("-3.00") == -3)
        #expect(try value("3e2") == 300)
        #expect(try value("9223372036854775807") == Int64.max)
        #expect(try value("-9223372036854775808") == Int64.min)
        #expect(try value("3.5") == nil)
        #expect(try value("1e19") == nil)
        #expect(try value("9223372036854775808") == nil)
        #expect(try value("\"3\"") == nil)
        #expect(try value("1e999") == nil)
    }
}
