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
        abstract: "Risk warning (风险预警): observations for the five models.",
        subcommands: [Observations.self]
    )

    struct Observations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "observations",
            abstract: "Observations (广告监测、网络交易商品、投诉举报、许可备案).",
            subcommands: [Import.self]
        )
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import observations from a CSV (header of member paths, e.g. subject.uscc; UTF-8 or GB18030), JSON or XML file.",
            discussion:
                "Rows go through the same checks and the same write as POST /api/v1/risk/observations: a resent row is a duplicate, an id reused for other content is refused. CSV: 5,000 rows per transaction; JSON and XML: one batch of at most 5,000. Refused rows are printed with their line (CSV) or position."
        )

        @Argument(help: "The .csv, .json or .xml file.") var file: String
        @Option(help: "The department the observations are imported for (as if it had signed them), e.g. HY-SCJG.") var department: String

        func run() async throws {
            let (file, department) = (self.file, self.department)
            let report = try await importJob(file: file, department: department) { hub, bytes in
                do {
                    return try await ObservationImport(service: hub.observations).run(bytes, fileName: file, department: department)
                } catch let refused as ObservationImport.Refused {
                    throw ValidationError("文件被拒收：\n\(refused)")
                }
            }
            for line in report.refusals { say(line) }
            say("观测数据 \(file)：\(report.summaryZh)")
        }
    }
}
