import HubServer
import Testing

/// `hub serve` and `hub sync` refuse a configured province whose token or receipt secret was left at the
/// demo value anyone can read in the source (issue #10 item 5).
@Suite struct DemoSecretsTests {
    @Test func provinceWithoutSecretsIsRefused() throws {
        let configuration = try HubConfiguration(environment: ["HUB_PROVINCE_URL": "https://province.example"])
        #expect(configuration.exchange.demoSecretsInUse == ["HUB_PROVINCE_TOKEN", "HUB_PROVINCE_RECEIPT_SECRET"])
        #expect(throws: DemoSecretsRefused.self) { try configuration.refuseDemoSecrets() }
    }

    @Test func demoValuesSetExplicitlyAreRefusedToo() throws {
        let configuration = try HubConfiguration(environment: [
            "HUB_PROVINCE_URL": "https://province.example", "HUB_PROVINCE_TOKEN": "a-real-token-from-the-province",
            "HUB_PROVINCE_RECEIPT_SECRET": DemoSecrets.receiptSecret,
        ])
        #expect(configuration.exchange.demoSecretsInUse == ["HUB_PROVINCE_RECEIPT_SECRET"])
        let error = #expect(throws: DemoSecretsRefused.self) { try configuration.refuseDemoSecrets() }
        #expect(error?.description.contains("HUB_PROVINCE_RECEIPT_SECRET") == true)
        #expect(error?.description.contains("拒绝启动") == true)
    }

    @Test func realSecretsOrNoProvinceStart() throws {
        try HubConfiguration(environment: [:]).refuseDemoSecrets()
        try HubConfiguration(environment: [
            "HUB_PROVINCE_URL": "https://province.example", "HUB_PROVINCE_TOKEN": "a-real-token-from-the-province",
            "HUB_PROVINCE_RECEIPT_SECRET": "a-real-receipt-secret",
        ]).refuseDemoSecrets()
    }
}
