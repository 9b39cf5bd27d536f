import Foundation
import Logging
import Normalization

extension HubContext {
    /// The instrument alias table of `Mappings/catalog/instrument-aliases.csv`. A bad file stops the start (a
    /// wrong alias could join two instruments); a missing one leaves the matcher with none, said on every start.
    static func instrumentAliases(_ configuration: HubConfiguration, logger: Logger) throws -> InstrumentAliases {
        let url = configuration.mappingsDirectory.appendingPathComponent(InstrumentAliases.relativePath)
        if let aliases = try InstrumentAliases.load(url) { return aliases }
        logger.warning("未找到法规简称表 no instrument alias table at \(url.path): titles typed as short names (食安法) will not match")
        return .none
    }
}
