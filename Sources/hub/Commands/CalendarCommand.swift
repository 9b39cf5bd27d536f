import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore

/// `hub calendar load FILE…` and `hub calendar show YEAR`: the working-day calendar deadlines are counted with.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "工作日历：国务院公布的节假日和调休上班日 — the working-day calendar, per year.",
        discussion: examples("hub calendar load --by 李四 Mappings/calendar/2026.csv", "hub calendar show 2026"),
        subcommands: [Load.self, Show.self]
    )

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "检查并载入某年的日历文件 — check a year's file (Mappings/calendar/YYYY.csv) and install it for every instance (a ledger entry names who).",
            discussion: examples("hub calendar load --by 李四 Mappings/calendar/2025.csv Mappings/calendar/2026.csv")
        )

        @Argument(help: "Calendar files: notice comment, '# source: URL', then date,kind rows (kind = holiday|workday).") var files: [String]
        @Option(help: "Who loads it (written to the ledger).") var by: String

        func run() async throws {
            // Every file is checked before anything is installed: a typo in one year installs none.
            for file in files { try CommandInput.readableFile(file) }
            var years: [CalendarYear] = []
            for file in files {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                do throws(FieldError) {
                    years.append(try CalendarYear.parse(text, file: file))
                } catch {
                    throw CommandFailure.badInput("\(error.path): \(error.messageZh)", "\(error.path): \(error.messageEn)")
                }
            }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (loaded, by) = (years, self.by)
            let replaced = try await runtime.job { hub in
                var replaced: [(replaced: Bool, recount: CalendarStore.Recount)] = []
                for year in loaded { replaced.append(try await CalendarStore(db: hub.db).install(year, by: by)) }
                return replaced
            }
            for (year, done) in zip(years, replaced) {
                say(
                    "\(done.replaced ? "已更新 reloaded" : "已载入 loaded") \(year.year): 节假日 \(year.holidays.count) 天 holidays, "
                        + "调休上班 \(year.workdays.count) 天 swapped working days — \(year.notice)"
                )
                if done.recount.publications + done.recount.taskResults > 0 {
                    say(
                        "  公示期限已补算 due dates settled: \(done.recount.publications) 条公示 publications, "
                            + "\(done.recount.taskResults) 条抽查结果 random-check results"
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "显示已载入的某年日历 — print an installed year: its notice, source, holidays and swapped working days.",
            discussion: examples("hub calendar show 2026")
        )

        @Argument(help: "The year, e.g. 2026.") var year: Int

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let year = self.year
            guard let found = try await runtime.job({ hub in try await CalendarStore(db: hub.db).year(year) }) else {
                throw CommandFailure.failed(
                    "没有 \(year) 年的工作日历：请用 hub calendar load --by NAME Mappings/calendar/\(year).csv 载入",
                    "no working-day calendar for \(year): load it with hub calendar load --by NAME Mappings/calendar/\(year).csv"
                )
            }
            say(String(found.csv.dropLast()))
        }
    }
}
