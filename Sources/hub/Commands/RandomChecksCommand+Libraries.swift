import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore
import Supervision

/// `hub random-checks import|list`: the 一单两库 for ops.
extension RandomChecksCommand {
    struct ImportLibrary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "为部门导入一单两库（CSV 或 XLSX）— import a library CSV or XLSX (header naming the push API's fields) for a department.",
            discussion: examples(
                "hub random-checks import items 检查事项.csv --department HY-SCJG",
                "hub random-checks import inspectors 执法人员.xlsx --department HY-SCJG",
                note: "与推送 /api/v1/random-checks/KIND 同样的检查和写入，每 5,000 行一个事务；列表值用 ; 分隔；被拒的行连同行号打印。\n"
                    + "Rows go through the same checks and write as a push of /api/v1/random-checks/KIND, 5,000 rows per transaction. "
                    + "Lists (jointDepartments, tags, specialties) separate values with ';'. Refused rows are printed with their line numbers."
            )
        )

        @Argument(help: "items, subjects, inspectors or conflicts.") var kind: String
        @Argument(help: "The CSV or XLSX file.") var file: String
        @Option(help: "The department the rows are imported for (as if it had signed them), e.g. HY-SCJG.") var department: String

        func validate() throws {
            guard LibraryKind(rawValue: kind) != nil else {
                throw ValidationError("库类型应为 items、subjects、inspectors 或 conflicts / KIND is items, subjects, inspectors or conflicts")
            }
        }

        func run() async throws {
            guard let kind = LibraryKind(rawValue: self.kind) else { return }
            let (department, file) = (self.department, self.file)
            let report = try await importJob(file: file, department: department) { hub, bytes in
                do {
                    return try await LibraryImport(service: hub.libraries).run(bytes, kind: kind, department: department) { done, total in
                        say("进度 \(done)/\(total) 行")
                    }
                } catch let refused as LibraryImport.Refused {
                    say("文件被拒收 the file was refused:\n\(refused)")
                    throw CommandFailure.badInput("文件 \(file) 被拒收，原因见上", "the file \(file) was refused: see the lines above")
                }
            }
            for line in report.refusals { say(line) }
            say("\(kind.labelZh) \(file)：\(report.summaryZh)")
        }
    }

    struct ListLibrary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "列出一单两库的内容（只读）— list a library (read-only).",
            discussion: examples("hub random-checks list subjects --search 超市", "hub random-checks list items --department HY-SCJG --json")
        )

        @Argument(help: "items, subjects, inspectors or conflicts.") var kind: String
        @Option(help: "Only this department's rows (for subjects: the ones it last wrote).") var department: String?
        @Option(help: "Only rows whose key or name contains this text.") var search: String?
        @Option(help: "At most this many rows.") var limit = 200
        @Flag(help: "One JSON object per line.") var json = false

        func validate() throws {
            guard LibraryKind(rawValue: kind) != nil else {
                throw ValidationError("库类型应为 items、subjects、inspectors 或 conflicts / KIND is items, subjects, inspectors or conflicts")
            }
        }

        func run() async throws {
            guard let kind = LibraryKind(rawValue: self.kind) else { return }
            let (department, search, limit) = (self.department, self.search, self.limit)
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let rows = try await runtime.job { hub in try await hub.libraries.store.list(kind, department: department, search: search, limit: limit) }
            if rows.isEmpty { say("\(kind.labelZh)：无匹配的行") }
            for stored in rows {
                if json {
                    say(CanonicalJSON.string(stored.row.json))
                } else {
                    say(Self.line(stored.row))
                }
            }
        }

        static func line(_ row: LibraryRow) -> String {
            switch row {
            case .item(let i, let active):
                "\(i.departmentCode)  \(i.catalogCode)  \(i.name)  [\(i.checkMethod)]\(i.isJoint ? "  联合：" + i.jointDepartments.joined(separator: ",") : "")\(active ? "" : "  （已停用）")"
            case .subject(let s, let active):
                "\(s.id)  \(s.name)  \(s.regionCode)  信用 \(s.credit.labelZh)\(s.tags.isEmpty ? "" : "  " + s.tags.joined(separator: ","))\(active ? "" : "  （已停用）")"
            case .inspector(let i):
                "\(i.departmentCode)  \(i.certificateNo)  \(i.name)  \(i.regionCode)  \(i.specialties.joined(separator: ","))  \(i.status.labelZh)"
            case .conflict(let c, let department):
                "\(department)  \(c.certificateNo) ↔ \(c.subjectId)  \(c.reason)"
            }
        }
    }
}
