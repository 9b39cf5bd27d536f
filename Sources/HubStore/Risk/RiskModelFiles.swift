import Foundation
import Supervision

/// Reads the five model files of `Mappings/risk/` (every `*.yaml`). A missing folder, a missing model or a bad
/// file stops the hub from starting, with the file, rule and field named (`RiskModelError`): a hub that cannot
/// evaluate its models must not take observations as if it could.
public enum RiskModelFiles {
    public static func load(from directory: URL) throws -> RiskModelSet {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw RiskModelError(file: directory.path, field: "", reason: "the risk model folder is missing (five files, Mappings/risk/README.md)")
        }
        var files: [(name: String, text: String)] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let url = directory.appendingPathComponent(name)
            files.append((url.path, try String(contentsOf: url, encoding: .utf8)))
        }
        return try RiskModelSet.parse(files)
    }
}
