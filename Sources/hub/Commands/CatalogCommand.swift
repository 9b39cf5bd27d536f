import ArgumentParser
import Foundation
import HubServer

extension TableFile.Encoding: ExpressibleByArgument {}

/// `hub catalog import FILE`: loads a catalog CSV or an implementation CSV (told apart by their header).
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Provincial catalog (监管事项目录).",
        subcommands: [Import.self, Sample.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import a catalog CSV (catalog_code,name,item_type,department,legal_basis[,parent_code,level,status]) or an implementation CSV (implementation_code,catalog_code,agency_code,agency_name,region_code)."
        )

        @Argument(help: "CSV files (UTF-8 or GBK/GB18030, detected) or XLSX workbooks (first sheet), each with a header row.")
        var files: [String]
        @Option(help: "Force the CSV encoding: utf-8 or gb18030 (default: detected).") var encoding: TableFile.Encoding?

        func run() async throws {
            let texts = try files.map { file in (file, try TableFile.read(file, encoding: encoding)) }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            try await runtime.job { hub in
                for (file, (text, format)) in texts {
                    if format != "UTF-8" { say("\(file): 读作 read as \(format)") }
                    let done = try await hub.catalog.importText(text, file: file)
                    let summary = done.summary
                    switch done.kind {
                    case .implementation:
                        say("实施清单 \(file): \(summary.rows) rows — new \(summary.added), changed \(summary.changed), unchanged \(summary.unchanged)")
                    case .catalog:
                        say(
                            "监管事项目录 \(file): \(summary.rows) rows — new \(summary.added), changed (new version) \(summary.changed), unchanged \(summary.unchanged)"
                        )
                    }
                }
            }
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import the sample catalog shipped in Mappings/catalog/.")
        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (c, i) = try await runtime.job { hub in
                try await hub.catalog.importFiles(in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog"))
            }
            say(
                "目录 catalog: \(c.rows) rows (new \(c.added), changed \(c.changed)); 实施清单 implementation: \(i.rows) rows (new \(i.added), changed \(i.changed))"
            )
        }
    }
}
