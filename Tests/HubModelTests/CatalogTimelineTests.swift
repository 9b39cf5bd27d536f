import HubModel
import Testing

@Suite("Catalog timeline: the version in force on a day; act dates; the catalog API cursor")
struct CatalogTimelineTests {
    static let impl = "11430400013248734H34301210001000001"
    static let catalog = "43012100010000"

    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func timeline(_ catalogVersions: [(Int, String?, Bool)], implementation: [(Int, String?, Bool)] = [(1, nil, true)]) -> CatalogTimeline {
        CatalogTimeline(
            catalog: catalogVersions.map {
                CatalogVersion(code: Self.catalog, version: $0.0, effectiveOn: $0.1.map(day), itemType: .inspection, active: $0.2)
            },
            implementations: implementation.map {
                ImplementationVersion(
                    code: Self.impl,
                    version: $0.0,
                    effectiveOn: $0.1.map(day),
                    catalogCode: Self.catalog,
                    agencyCode: "11430400013248734H",
                    level: 3,
                    active: $0.2
                )
            }
        )
    }

    func facts(_ t: CatalogTimeline, _ on: String) -> DatedFacts { t.facts(implementationCode: Self.impl, on: day(on)) }

    @Test("in force on D is the last version effective on or before D; the retirement's day is named")
    func retirement() {
        let t = timeline([(1, nil, true), (2, "2026-07-01", false)])
        guard case .inForce(let before) = facts(t, "2026-06-30") else {
            Issue.record("no facts")
            return
        }
        #expect(before.catalogActive && before.retiredOn == nil)
        guard case .inForce(let on) = facts(t, "2026-07-01") else {
            Issue.record("no facts")
            return
        }
        #expect(!on.catalogActive && on.retiredOn == day("2026-07-01"))
        guard case .inForce(let after) = facts(t, "2027-01-01") else {
            Issue.record("no facts")
            return
        }
        #expect(!after.catalogActive)
    }

    @Test("versions are ordered by effective day, then version: a later-numbered version with an earlier day comes first")
    func ordering() {
        // Version 2 (retired from 2026-09-01) was published before version 3 (renamed, effective 2026-08-01).
        let t = timeline([(1, "2026-01-01", true), (2, "2026-09-01", false), (3, "2026-08-01", true)])
        #expect(t.catalog[Self.catalog]?.map(\.version) == [1, 3, 2])
        guard case .inForce(let august) = facts(t, "2026-08-15") else {
            Issue.record("no facts")
            return
        }
        #expect(august.catalogActive)
        guard case .inForce(let september) = facts(t, "2026-09-01") else {
            Issue.record("no facts")
            return
        }
        #expect(!september.catalogActive)
        // Two versions on one day: the higher version wins.
        let same = timeline([(1, "2026-01-01", true), (2, "2026-03-01", false), (3, "2026-03-01", true)])
        guard case .inForce(let march) = facts(same, "2026-03-01") else {
            Issue.record("no facts")
            return
        }
        #expect(march.catalogActive)
    }

    @Test("an act before the first effective day is not yet effective (catalog or implementation item); unknown codes are unknown")
    func notYetEffective() {
        #expect(facts(timeline([(1, "2026-05-01", true)]), "2026-04-30") == .notYetEffective(day("2026-05-01")))
        #expect(facts(timeline([(1, nil, true)], implementation: [(1, "2026-06-01", true)]), "2026-05-31") == .notYetEffective(day("2026-06-01")))
        if case .inForce = facts(timeline([(1, "2026-05-01", true)]), "2026-05-01") {} else { Issue.record("in force on its day") }
        #expect(timeline([(1, nil, true)]).facts(implementationCode: "X", on: day("2026-01-01")) == .unknown)
        #expect(CatalogTimeline(catalog: [], implementations: []).byCatalog.isEmpty)
    }

    @Test("a retired implementation item names its own retirement day")
    func implementationRetired() {
        let t = timeline([(1, nil, true)], implementation: [(1, nil, true), (2, "2026-10-10", false)])
        guard case .inForce(let f) = facts(t, "2026-10-10") else {
            Issue.record("no facts")
            return
        }
        #expect(f.catalogActive && !f.implementationActive && f.retiredOn == day("2026-10-10"))
    }

    @Test("the act date: inspection.date, penalty.decidedAt, coercion.startAt, in Asia/Shanghai")
    func actDates() {
        func tree(_ kind: String, _ section: String, _ field: String, _ time: String) -> JSONValue {
            .object([("kind", .string(kind)), (section, .object([(field, .string(time))]))])
        }
        #expect(ActDate.of(tree("inspection", "inspection", "date", "2026-06-30T23:30:00+08:00")) == day("2026-06-30"))
        // 16:30 UTC on 30 June is 00:30 on 1 July in Hengyang.
        #expect(ActDate.of(tree("penalty", "penalty", "decidedAt", "2026-06-30T16:30:00Z")) == day("2026-07-01"))
        #expect(ActDate.of(tree("other", "coercion", "startAt", "2026-07-01T08:00:00+08:00")) == day("2026-07-01"))
        #expect(ActDate.of(tree("penalty", "penalty", "filedAt", "2026-07-01T08:00:00+08:00")) == nil)
    }

    @Test("the cursor round-trips and refuses what it did not write")
    func cursor() {
        let c = CatalogCursor(seq: 42, code: Self.impl)
        #expect(CatalogCursor(token: c.token) == c)
        #expect(CatalogCursor(token: CatalogCursor.start.token) == .start)
        #expect(!c.token.contains("=") && !c.token.contains("+") && !c.token.contains("/"))
        for bad in ["", "42", "djE6LTE6", "v1:1:x", c.token + "%", String(repeating: "A", count: 300)] {
            #expect(CatalogCursor(token: bad) == nil, Comment(rawValue: bad))
        }
    }
}
