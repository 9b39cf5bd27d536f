import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore
import Ingest
import Normalization

/// `hub mappings …`: dry-run matching, the evaluation figures, and moving confirmed mappings to and from files.
struct MappingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mappings",
        abstract: "本地事项映射：试匹配、评估、导出、导入 — local item mappings: dry-run matching, evaluation, export, import.",
        discussion: examples(
            "hub mappings match --department HY-SCJG --input 本地事项.csv",
            "hub mappings export --department HY-SCJG --output Mappings/mappings/HY-SCJG.csv",
            "hub mappings import Mappings/mappings/HY-SCJG.csv --user zhangsan"
        ),
        subcommands: [Match.self, Evaluate.self, Export.self, Import.self]
    )

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "试匹配本地事项与目录，不写入任何数据 — dry run: match local items (CSV or XLSX) against the catalog; writes nothing.",
            discussion: examples(
                "hub mappings match --department HY-SCJG --input 本地事项.csv",
                "hub mappings match --department HY-SCJG --input 本地事项.xlsx --json",
                note: "列 columns: local_code,local_name,item_type,legal_basis"
            )
        )
        @Option(help: "Department code (its profile gives the catalog department, agency and level).") var department: String
        @Option(help: "CSV file (UTF-8 or GBK/GB18030, detected) or XLSX workbook (first sheet), with a header row.") var input: String
        @Option(help: "Force the CSV encoding: utf-8 or gb18030 (default: detected).") var encoding: TableFile.Encoding?
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            try CommandInput.readableFile(input, option: "--input")
            try CommandInput.departmentCode(department, option: "--department")
            let table = try CSV.records(try TableFile.read(input, encoding: encoding).text)
            let (code, json) = (department, self.json)
            let runtime = try HubRuntime.start(logger: Logs.logger())
            try await runtime.job { hub in
                guard let profile = hub.profiles[code] else {
                    throw CommandFailure.failed(
                        "没有部门配置 Mappings/departments/\(code).yaml：匹配需要其中的 catalogDepartment",
                        "no profile Mappings/departments/\(code).yaml: matching needs its catalogDepartment"
                    )
                }
                let index = try await hub.catalogCache.current()
                var results: [(String, MatchResult)] = []
                for row in table.rows {
                    let v = row.values
                    guard let type = ItemType(rawValue: v["item_type"] ?? "") else {
                        throw CommandFailure.badInput(
                            "\(input):\(row.line): item_type 应为 行政检查/行政处罚/行政强制/其他",
                            "\(input):\(row.line): item_type must be 行政检查/行政处罚/行政强制/其他"
                        )
                    }
                    let item = LocalItem(
                        localCode: v["local_code"] ?? "",
                        localName: v["local_name"] ?? "",
                        itemType: type,
                        legalBasis: v["legal_basis"] ?? "",
                        department: profile.catalogDepartment
                    )
                    results.append((item.localCode, ItemMatcher.match(item, in: index)))
                }
                let implementations = try await hub.catalog.implementations(catalogCodes: Array(Set(results.compactMap { $0.1.catalogCode })))
                for (localCode, r) in results {
                    let own = (implementations[r.catalogCode ?? ""] ?? []).filter { $0.agencyCode == profile.agencyCode }
                    let impl = (own.first { $0.level == profile.agencyLevel } ?? own.first)?.implementationCode
                    if json {
                        var m: [(String, JSONValue)] = [
                            ("localCode", .string(localCode)), ("decision", .string(r.decision.rawValue)),
                            ("catalogCode", r.catalogCode.map { .string($0) } ?? .null),
                            ("implementationCode", impl.map { .string($0) } ?? .null),
                        ]
                        m.append(
                            (
                                "candidates",
                                .array(
                                    r.candidates.map { c in
                                        .object([
                                            ("catalogCode", .string(c.catalogCode)), ("score", .number(String(c.score))),
                                            ("evidence", .array(c.evidence.map { .string($0) })),
                                        ])
                                    }
                                )
                            )
                        )
                        say(String(decoding: JSONLines.ordered(m), as: UTF8.self))
                    } else {
                        say("\(localCode): \(r.decision.rawValue) \(r.catalogCode ?? "") \(impl ?? "")")
                        for c in r.candidates.prefix(3) { say("    \(c.catalogCode) \(c.catalogName) score \(c.score)") }
                    }
                }
            }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "在标注评估集上给匹配器打分（精确率、召回率）— score the matcher on the labelled evaluation set (precision, recall).",
            discussion: examples("hub mappings evaluate", "hub mappings evaluate --items 标注事项.csv --catalog Mappings/catalog/catalog.csv")
        )
        @Option(help: "Labelled local items.") var items = "Tests/NormalizationTests/Fixtures/evaluation/local-items.csv"
        @Option(help: "Catalog CSV.") var catalog = "Mappings/catalog/catalog.csv"
        @Option(help: "Instrument alias table (alias,title); required.") var aliases = "Mappings/catalog/instrument-aliases.csv"

        func run() throws {
            try CommandInput.readableFile(items, option: "--items")
            try CommandInput.readableFile(catalog, option: "--catalog")
            let cases = try MatchEvaluation.cases(csv: try String(contentsOfFile: items, encoding: .utf8))
            guard let table = try InstrumentAliases.load(URL(fileURLWithPath: aliases)) else {
                throw CommandFailure.badInput("没有文书别名表 \(aliases)：评估结果依赖它", "no alias table \(aliases): the figures depend on it")
            }
            let index = try MatchEvaluation.index(
                catalogCSV: try String(contentsOfFile: catalog, encoding: .utf8),
                file: catalog,
                aliases: table
            )
            say(MatchEvaluation.run(cases, index: index).report)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "把已确认的映射导出为 CSV（标准输出或 --output）— write confirmed mappings as CSV (stdout, or --output).",
            discussion: examples("hub mappings export", "hub mappings export --department HY-SCJG --output Mappings/mappings/HY-SCJG.csv")
        )
        @Option(help: "Only this department.") var department: String?
        @Option(help: "File to write, e.g. Mappings/mappings/HY-SCJG.csv.") var output: String?

        func run() async throws {
            let department = self.department
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let rows = try await runtime.job { hub in try await hub.mappings.confirmed(department: department) }
            var out = "department,local_code,catalog_code,implementation_code,relationship,rule,decided_by,reason\n"
            for r in rows {
                out +=
                    [r.department, r.localCode, r.catalogCode ?? "", r.implementationCode ?? "", r.relationship, r.rule, r.decidedBy, r.reason]
                    .map(CSVField.quote).joined(separator: ",") + "\n"
            }
            if let output {
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: output).deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try out.write(toFile: output, atomically: true, encoding: .utf8)
                say("已导出 exported \(rows.count) mappings to \(output)")
            } else {
                FileHandle.standardOutput.write(Data(out.utf8))
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入映射 CSV：每项待第二人复核 — propose the mappings of an exported CSV; each waits for a second person's approval.",
            discussion: examples(
                "HUB_OPS_PASSWORD=… hub mappings import Mappings/mappings/HY-SCJG.csv --user zhangsan",
                note: "HUB_REVIEW_FOUR_EYES=false 时直接确认。With HUB_REVIEW_FOUR_EYES=false they are confirmed at once. "
                    + "The importer signs in: --user and HUB_OPS_PASSWORD or a prompt."
            )
        )
        @Argument var file: String
        @Option(help: "The importing ops account, a reviewer (password from HUB_OPS_PASSWORD or a prompt).") var user: String

        func run() async throws {
            try CommandInput.readableFile(file)
            let table = try CSV.records(try String(contentsOfFile: file, encoding: .utf8))
            let (username, file) = (self.user, self.file)
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (count, proposed) = try await runtime.job { hub in
                let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                guard user.can(.reviewer) else {
                    throw CommandFailure.failed("\(username) 需要 reviewer 角色才能导入映射", "\(username) needs the reviewer role to import mappings")
                }
                let fourEyes = hub.configuration.reviewFourEyes
                var n = 0
                var reviews: [Int64] = []
                for row in table.rows {
                    let v = row.values
                    guard let department = try await hub.departments.department(code: v["department"] ?? "") else {
                        throw CommandFailure.badInput(
                            "\(file):\(row.line): 未登记的部门 \(v["department"] ?? "")",
                            "\(file):\(row.line): unknown department \(v["department"] ?? "")"
                        )
                    }
                    let relationship = v["relationship"] ?? "equivalent"
                    let catalogCode = (v["catalog_code"] ?? "").isEmpty ? nil : v["catalog_code"]
                    guard relationship == "no-match" || catalogCode.flatMap(CatalogCode.init) != nil else {
                        throw CommandFailure.badInput(
                            "\(file):\(row.line): catalog_code 应为 14 位数字",
                            "\(file):\(row.line): catalog_code must be 14 digits"
                        )
                    }
                    let implementationCode = (v["implementation_code"] ?? "").isEmpty ? nil : v["implementation_code"]
                    let reason = "导入 imported from \(file): \(v["reason"] ?? "")"
                    if fourEyes {
                        do {
                            reviews.append(
                                try await hub.reviews.propose(
                                    department: department,
                                    localCode: v["local_code"] ?? "",
                                    catalogCode: catalogCode,
                                    implementationCode: implementationCode,
                                    relationship: relationship,
                                    by: user,
                                    reason: reason
                                )
                            )
                        } catch let error as ReviewError {
                            throw CommandFailure.failed(
                                "\(file):\(row.line): \(error.error.messageZh)",
                                "\(file):\(row.line): \(error.error.code) \(error.error.messageEn)"
                            )
                        }
                    } else {
                        guard user.sees(department: department.code) else {
                            throw CommandFailure.failed(
                                "\(file):\(row.line): \(username) 无权处理 \(department.code) 的事项",
                                "\(file):\(row.line): \(username) is not scoped to \(department.code)"
                            )
                        }
                        try await hub.mappings.confirm(
                            department: department,
                            localCode: v["local_code"] ?? "",
                            catalogCode: catalogCode,
                            implementationCode: implementationCode,
                            relationship: relationship,
                            decidedBy: user.username,
                            reason: reason,
                            rule: "import"
                        )
                    }
                    n += 1
                }
                return (n, reviews)
            }
            if proposed.isEmpty {
                say("已导入 imported \(count) mappings")
            } else {
                say(
                    "已提交 \(count) 项映射，待第二人复核 proposed \(count) mappings, waiting for a second person's approval: reviews "
                        + proposed.map { "#\($0)" }.joined(separator: " ")
                )
            }
        }
    }
}

/// Quoting for CSV output.
enum CSVField {
    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// JSON lines with members in the order given (the dry run's documented field order).
enum JSONLines {
    static func ordered(_ members: [(String, JSONValue)]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, (k, v)) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += CanonicalJSON.encode(.string(k))
            out.append(UInt8(ascii: ":"))
            out += CanonicalJSON.encode(v)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
