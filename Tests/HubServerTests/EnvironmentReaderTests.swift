import HubServer
import Testing

/// The strict environment reader: defaults for unset or empty variables, and a refusal naming the variable
/// for a value the setting cannot take (issue #11: `HUB_PORT=80a` silently became 8080).
@Suite struct EnvironmentReaderTests {
    @Test func unsetAndEmptyTakeTheDefault() throws {
        let env = EnvironmentReader(["HUB_PORT": ""])
        #expect(try env.integer("HUB_PORT", default: 8080, in: 0...65535) == 8080)
        #expect(try env.integer("HUB_DB_POOL", default: 20, in: 1...1000) == 20)
        #expect(try env.boolean("HUB_REVIEW_FOUR_EYES", default: true))
        #expect(env.string("HUB_PORT") == nil)
    }

    @Test func goodValuesAreRead() throws {
        let env = EnvironmentReader(["HUB_PORT": " 9090 ", "FLAG": "OFF", "FORMAT": "XML", "SECONDS": "0.5"])
        #expect(try env.integer("HUB_PORT", default: 8080, in: 0...65535) == 9090)
        #expect(try env.boolean("FLAG", default: true) == false)
        #expect(try env.choice("FORMAT", default: "json", among: ["json", "xml"]) == "xml")
        #expect(try env.number("SECONDS", default: 10, in: 0.05...60, unit: ("秒", "seconds")) == 0.5)
    }

    @Test(arguments: ["80a", "8080.0", "0x50", "-1", "65536", "99999999999999999999", "８０"])
    func badPortIsRefusedWithItsName(_ value: String) throws {
        let env = EnvironmentReader(["HUB_PORT": value])
        let error = #expect(throws: ConfigurationError.self) { try env.integer("HUB_PORT", default: 8080, in: 0...65535) }
        #expect(error?.variable == "HUB_PORT")
        #expect(error?.value == value)
        #expect(error?.description.contains("HUB_PORT=\(value)") == true)
        #expect(error?.description.contains("应为") == true)
        #expect(error?.description.contains("expected an integer from 0 to 65535") == true)
    }

    @Test func badBooleanChoiceAndNumberAreRefused() {
        let env = EnvironmentReader(["B": "ja", "C": "yaml", "N": "fast", "M": "0"])
        #expect(throws: ConfigurationError.self) { try env.boolean("B", default: true) }
        #expect(throws: ConfigurationError.self) { try env.choice("C", default: "json", among: ["json", "xml"]) }
        #expect(throws: ConfigurationError.self) { try env.number("N", default: 1, in: 0.05...60, unit: ("秒", "seconds")) }
        #expect(throws: ConfigurationError.self) { try env.number("M", default: 1, in: 0.05...60, unit: ("秒", "seconds")) }
    }

    @Test func theHubConfigurationStopsOnABadValue() {
        let error = #expect(throws: ConfigurationError.self) { try HubConfiguration(environment: ["HUB_PORT": "80a"]) }
        #expect(error?.variable == "HUB_PORT")
        #expect(throws: ConfigurationError.self) { try HubConfiguration(environment: ["HUB_SYNC_BATCH": "10000"]) }
        #expect(throws: ConfigurationError.self) { try HubConfiguration(environment: ["HUB_READ_TIMEOUT": "soon"]) }
        #expect(throws: ConfigurationError.self) { try HubConfiguration(environment: ["HUB_LOG_LEVEL": "verbose"]) }
        #expect(throws: ConfigurationError.self) { try HubConfiguration(environment: ["HUB_DEPARTMENT_PULL": "nein"]) }
    }

    @Test func theDefaultsStillHold() throws {
        let configuration = try HubConfiguration(environment: ["HUB_MAPPINGS": "Mappings"])
        #expect(configuration.port == 8080)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.reviewFourEyes)
        #expect(configuration.exchange.batchSize == 500)
        #expect(configuration.transport.maxUploadsPerKey == 4)
        #expect(configuration.checkpointMinutes == 10)
    }
}
