import Testing

@testable import HubModel

@Suite("Identifier codes and their check digits")
struct CodeTests {
    @Test("real USCCs pass both checks", arguments: ["91330105MA2KER1H4N", "913303275586060950", "11430400013248734H"])
    func validUSCC(_ code: String) throws {
        let uscc = try USCC(code)
        #expect(uscc.value == code)
    }

    @Test("a changed character fails the check it belongs to")
    func invalidUSCC() {
        #expect(throws: USCC.Problem.checkCharacter) { try USCC("91330105MA2KER1H4M") }
        // Position 17 changed and position 18 recomputed: only the GB 11714 check catches it.
        let body = "91330105MA2KER1H5"
        let recomputed = USCC.withCheckCharacter(body)!
        #expect(throws: USCC.Problem.organisationCheck) { try USCC(recomputed) }
        #expect(throws: USCC.Problem.length) { try USCC("91330105MA2KER1H4") }
        #expect(throws: USCC.Problem.character) { try USCC("91330105MA2KER1H4I") }
        #expect(throws: USCC.Problem.character) { try USCC("91330105ma2ker1h4n") }
    }

    @Test("made codes are valid and carry their region")
    func makeUSCC() throws {
        let code = try #require(USCC.make(kind: "11", region: "430405", organisation: "00123456"))
        let uscc = try USCC(code)
        #expect(uscc.regionCode == "430405")
        #expect(uscc.kindCode == "11")
    }

    @Test("resident ID numbers: the standard's sample passes; wrong check digit, date or length fail")
    func residentID() throws {
        #expect(try ResidentID("11010519491231002X").value == "11010519491231002X")
        #expect(try ResidentID("11010519491231002x").value == "11010519491231002X")
        #expect(throws: ResidentID.Problem.checkDigit) { try ResidentID("110105194912310021") }
        #expect(throws: ResidentID.Problem.birthDate) { try ResidentID(ResidentID.withCheckDigit("11010519490231002")!) }
        #expect(throws: ResidentID.Problem.length) { try ResidentID("1101051949123100") }
        #expect(throws: ResidentID.Problem.character) { try ResidentID("1101051949123100AX") }
    }

    @Test("region, catalog and implementation codes")
    func otherCodes() throws {
        #expect(RegionCode("430405")?.city == "430400")
        #expect(RegionCode("430405")?.province == "430000")
        #expect(RegionCode("43040") == nil)
        #expect(RegionCode("000000") == nil)
        #expect(CatalogCode("43012100010000") != nil)
        #expect(CatalogCode("4301210001000") == nil)
        #expect(CatalogCode("4301210001000A") == nil)
        let impl = try ImplementationCode("11430400013248734H34301210001000001")
        #expect(impl.level == 3)
        #expect(impl.agency.value == "11430400013248734H")
        #expect(throws: ImplementationCode.Problem.level) { try ImplementationCode("11430400013248734H94301210001000001") }
        #expect(throws: ImplementationCode.Problem.self) { try ImplementationCode("11430400013248734X34301210001000001") }
        #expect(throws: ImplementationCode.Problem.tooShort) { try ImplementationCode("11430400013248734H") }
    }

    @Test("timestamps need an offset and compare across offsets")
    func timestamps() throws {
        let a = try #require(Timestamp("2026-11-20T09:30:00+08:00"))
        let b = try #require(Timestamp("2026-11-20T01:30:00Z"))
        #expect(a.epochSeconds == b.epochSeconds)
        #expect(try #require(Timestamp("2026-11-20T09:30:00.5+08:00")) > a)
        #expect(Timestamp("2026-11-20T09:30:00") == nil)
        #expect(Timestamp("2026-11-20 09:30:00+08:00") == nil)
        #expect(Timestamp("2026-02-30T09:30:00+08:00") == nil)
        #expect(Timestamp("2026-11-20T24:00:00+08:00") == nil)
        #expect(Timestamp("1970-01-01T00:00:00Z")?.epochSeconds == 0)
    }

    @Test(
        "money is an exact decimal string",
        arguments: [
            ("5000", true), ("5000.5", true), ("5000.00", true), ("0", true), ("0.01", true),
            ("-1", false), ("5000.001", false), ("05000", false), ("1e3", false), ("", false), ("5000.", false), (".5", false),
            ("12345678901234", false), ("NaN", false),
        ]
    )
    func money(_ text: String, _ valid: Bool) {
        #expect(Money.isValid(text) == valid)
    }

    @Test("money in fen")
    func fen() {
        #expect(Money.fen("5000.5") == 500_050)
        #expect(Money.fen("0.01") == 1)
        #expect(Money.fen("12") == 1200)
    }
}
