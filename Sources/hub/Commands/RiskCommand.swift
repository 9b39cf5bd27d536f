import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore
import Supervision

/// `hub risk observations import FILE --department CODE`: observations for the risk models from a file.
struct RiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "风险预警：为五个模型导入观测数据 — risk warning: observations for the five models.",
        discussion: examples("hub risk observations import 广告监测.csv --department HY-SCJG"),
        subcommands: [Observations.self]
    )

    struct Observations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "observations",
            abstract: "观测数据（广告监测、网络交易商品、投诉举报、许可备案）— observations for the risk models.",
            discussion: examples("hub risk observations import 投诉举报.json --department HY-SCJG"),
            subcommands: [Import.self]
        )
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从 CSV、JSON 或 XML 文件导入观测数据 — import observations from a CSV (member paths as header), JSON or XML file.",
            discussion: examples(
                "hub risk observations import 广告监测.csv --department HY-SCJG",
                "hub risk observations import observations.xml --department HY-SCJG",
                note: "与 POST /api/v1/risk/observations 同样的检查和写入：重发的行算重复，同一 id 换了内容被拒。\n"
                    + "Rows go through the same checks and write as POST /api/v1/risk/observations: a resent row is a duplicate, an id reused "
                    + "for other content is refused. CSV: 5,000 rows per transaction; JSON and XML: one batch of at most 5,000."
            )
        )

        @Argument(help: "The .csv, .json or .xml file.") var file: String
        @Option(help: "The department the observations are imported for (as if it had signed them), e.g. HY-SCJG.") var department: String

        func run() async throws {
            let (file, department) = (self.file, self.department)
            let report = try await importJob(file: file, department: department) { hub, bytes in
                do {
                    return try await ObservationImport(service: hub.observations).run(bytes, fileName: file, department: department)
                } catch let refused as ObservationImport.Refused {
                    say("文件被拒收 the file was refused:\n\(refused)")
                    throw CommandFailure.badInput("文件 \(file) 被拒收，原因见上", "the file \(file) was refused: see the lines above")
                }
            }
            for line in report.refusals { say(line) }
            say("观测数据 \(file)：\(report.summaryZh)")
        }
    }
}
