import ArgumentParser
import Foundation
import HubServer

extension TableFile.Encoding: ExpressibleByArgument {}

/// `hub catalog import FILE`: loads a catalog CSV or an implementation CSV (told apart by their header).
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "省级监管事项目录：导入目录和实施清单 — the provincial catalog: import the catalog and implementation lists.",
        discussion: examples("hub catalog sample", "hub catalog import catalog.csv implementation.csv"),
        subcommands: [Import.self, Sample.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入监管事项目录或实施清单 — import a catalog or an implementation list (CSV or XLSX, told apart by the header).",
            discussion: examples(
                "hub catalog import Mappings/catalog/catalog.csv",
                "hub catalog import 目录.xlsx 实施清单.csv --encoding gb18030 --quiet",
                note: """
                    目录 catalog: catalog_code,name,item_type,department,legal_basis[,parent_code,level,status]
                    实施清单 implementation: implementation_code,catalog_code,agency_code,agency_name,region_code
                    进度显示在标准错误上（--quiet 关闭）。Progress goes to standard error (--quiet: none).
                    """
            )
        )

        @Argument(help: "CSV files (UTF-8 or GBK/GB18030, detected) or XLSX workbooks (first sheet), each with a header row.")
        var files: [String]
        @Option(help: "Force the CSV encoding: utf-8 or gb18030 (default: detected).") var encoding: TableFile.Encoding?
        @Flag(help: "No progress line (不显示进度).") var quiet = false

        func run() async throws {
            for file in files { try CommandInput.readableFile(file) }
            let texts = try files.map { file in (file, try TableFile.read(file, encoding: encoding)) }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let progress = ProgressLine("导入目录 importing the catalog", quiet: quiet)
            progress.tick()
            defer { progress.finish() }
            try await runtime.job { hub in
                for (n, (file, (text, format))) in texts.enumerated() {
                    progress.update(n, of: texts.count, "\(file)")
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
        static let configuration = CommandConfiguration(
            abstract: "导入 Mappings/catalog/ 中的样例目录 — import the sample catalog shipped in Mappings/catalog/.",
            discussion: examples("hub catalog sample", "hub catalog sample --quiet")
        )
        @Flag(help: "No progress line (不显示进度).") var quiet = false

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let progress = ProgressLine("导入样例目录 importing the sample catalog", quiet: quiet)
            progress.tick()
            defer { progress.finish() }
            let (c, i) = try await runtime.job { hub in
                try await hub.catalog.importFiles(in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog"))
            }
            say(
                "目录 catalog: \(c.rows) rows (new \(c.added), changed \(c.changed)); 实施清单 implementation: \(i.rows) rows (new \(i.added), changed \(i.changed))"
            )
        }
    }
}
