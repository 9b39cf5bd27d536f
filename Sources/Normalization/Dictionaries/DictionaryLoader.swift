import Foundation
import HubModel

/// Reads the national dictionaries from `Mappings/dictionaries/*.csv` (one file per dictionary, `code,name`).
/// Operators can add codes without a release: the hub reads the files on start.
package enum DictionaryLoader {
    package struct Unreadable: Error, CustomStringConvertible {
        package var path: String
        package var description: String { "cannot read dictionary folder \(path)" }
    }

    package static func load(from directory: URL) throws -> NationalDictionaries {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { throw Unreadable(path: directory.path) }
        let files = try names.sorted().filter { $0.hasSuffix(".csv") }.map { file in
            (name: String(file.dropLast(4)), text: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8))
        }
        return try NationalDictionaries.parse(files)
    }
}
