import Foundation
import HubModel
import Hummingbird
import Logging
import ProvinceSimulator

/// `province-simulator`: the provincial platform stand-in on its own (settings from `SIM_*`, faults from
/// `SIM_FAULTS` as a JSON fault plan, the catalog copy from `SIM_CATALOG` or Mappings/catalog/catalog.csv).
let environment = ProcessInfo.processInfo.environment
var logger = Logger(label: "province-simulator")
logger.logLevel = .info
let settings = SimulatorSettings(environment: environment)
let catalogPath = environment["SIM_CATALOG"] ?? "Mappings/catalog/catalog.csv"
let csv = try? String(contentsOfFile: catalogPath, encoding: .utf8)
if csv == nil { logger.warning("no catalog copy at \(catalogPath): every row will be rejected as catalog_item_unknown") }
let faults = try environment["SIM_FAULTS"].map { try FaultPlan.parse(Array($0.utf8)) } ?? .none
let platform = try ProvincialPlatform(catalogCSV: csv, faults: faults)
print(
    "省平台模拟器 province simulator on http://\(settings.host):\(settings.port)  faults: \(String(decoding: CanonicalJSON.encode(faults.json), as: UTF8.self))"
)
try await buildSimulator(platform, settings: settings, logger: logger).runService()
