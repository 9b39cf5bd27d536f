import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import Testing

/// What ops staff read on every console page is Chinese: no stored code (`unmatched`, `ops_action`,
/// `local-narrower`), no raw timestamp, no English status word where a name belongs (issue #16). Codes that
/// are identifiers (local codes, catalog codes, hashes) stay, in `<code>` or hash cells.
@Suite("Console wording")
struct ConsoleWordingTests {
    /// The text a reader sees: scripts, styles, code, preformatted blocks and hash cells removed, then the tags.
    static func visibleText(_ html: String) -> String {
        var text = html
        for pattern in [
            #/<script[\s\S]*?</script>/#, #/<style[\s\S]*?</style>/#, #/<code[\s\S]*?</code>/#, #/<pre[\s\S]*?</pre>/#,
            #/<svg[\s\S]*?</svg>/#, #/<(?:td|span|div)[^>]*class="[^"]*hash[^"]*"[^>]*>[^<]*</#, #/<title>[\s\S]*?</title>/#,
        ] {
            text = text.replacing(pattern, with: " ")
        }
        return text.replacing(#/<[^>]*>/#, with: " ").replacingOccurrences(of: "&nbsp;", with: " ")
    }

    /// Words a page must not show: stored codes and English status words.
    static func offending(_ text: String) -> [String] {
        var found: [String] = []
        for match in text.matches(of: #/\b[a-z]+(?:[_-][a-z]+)+\b/#) { found.append(String(match.0)) }
        for match in text.matches(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/#) { found.append(String(match.0)) }
        let words: Set<String> = [
            "accepted", "held", "rejected", "duplicate", "pending", "delivered", "dead", "unmatched", "ambiguous", "equivalent",
            "inspection", "penalty", "coercion", "open", "closed", "proposed", "approved", "published", "withdrawn", "record",
            "catalog", "checkpoint", "mapping", "publication", "running", "done", "failed", "human", "profile",
        ]
        for match in text.matches(of: #/\b[a-z]{4,}\b/#) where words.contains(String(match.0)) { found.append(String(match.0)) }
        return found
    }

    @Test("every console page names kinds and statuses in Chinese, and shows times as YYYY-MM-DD HH:mm")
    func pagesInChinese() async throws {
        let t = try await TestHub.make()
        let console = ConsoleTests()
        try await t.serve { client, hub in
            try await hub.opsUsers.add(username: "erin", displayName: "管理员小刘", password: "correct horse battery", roles: [.admin, .pii])
            let accepted = SampleRecords.inspection(
                localId: "WORD-1",
                catalogCode: t.inspectionItem.catalogCode,
                implementationCode: t.inspectionItem.code,
                agencyCode: t.inspectionItem.agencyCode
            )
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([accepted]), as: t.scjg)
            let held = (1...2).map { ReviewWorkflowTests.local("WORD-H\($0)", code: "SCJG-JC-7", name: "食品经营日常检查", basis: "《食品安全法》第110条") }
            let push = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(held), as: t.scjg)
            let reviewId = try #require(push.json["results"]?[0]["reviewId"]?.int)
            let unmatched = [ReviewWorkflowTests.local("WORD-U1", code: "SCJG-XX-1", name: "某项检查", basis: "《某某条例》第3条")]
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(unmatched), as: t.scjg)

            let erin = try await console.signIn(client, "erin")
            let pages = [
                "/console/reviews", "/console/reviews/\(reviewId)", "/console/exchange", "/console/records?department=HY-SCJG&localId=WORD-1",
                "/console/records?department=HY-SCJG&localId=WORD-H1", "/console/records?uscc=91330105MA2KER1H4N", "/console/ledger",
                "/console/catalog", "/console/catalog/\(t.inspectionItem.catalogCode)", "/console/catalog/claims", "/console/catalog/lists",
                "/console/local-items", "/console/random-checks", "/console/random-checks/merges", "/console/random-checks/libraries",
                "/console/bulletins", "/console/deadlines", "/console/risk", "/console/messages", "/console/records",
                "/console/records?review=\(reviewId)&status=held",
            ]
            for path in pages {
                let (status, html) = try await console.get(client, path, erin)
                #expect(status == .ok, "\(path): \(status)")
                let words = Self.offending(Self.visibleText(html))
                #expect(words.isEmpty, "\(path) shows codes or English where names belong: \(Set(words).sorted())")
            }
        }
    }
}
