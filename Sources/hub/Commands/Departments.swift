import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore

/// `hub departments add CODE --name NAME [--json]`: registers a department system and prints its key once.
struct Departments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "部门系统接入：登记部门、发放和吊销密钥 — department systems: register them, issue and revoke their keys.",
        discussion: examples("hub departments add HY-WJ --name 衡阳市卫生健康委员会", "hub departments show HY-SCJG", "hub departments rotate-key HY-WJ"),
        subcommands: [Add.self, DepartmentsShow.self, RotateKey.self, Revoke.self, Reencrypt.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记部门（或为已登记部门发新密钥），密钥只显示一次 — add a department (or a new key for one) and print its key id and secret once.",
            discussion: examples(
                "hub departments add HY-WJ --name 衡阳市卫生健康委员会",
                "hub departments add HY-SCJG --name 衡阳市市场监督管理局 --agency 11430400MB1234567X --json"
            )
        )

        @Argument(help: "Department code, e.g. HY-WJ (capital letters, digits, - and _).") var code: String
        @Option(help: "Department name, e.g. 衡阳市卫生健康委员会.") var name: String
        @Option(
            name: .customLong("agency"),
            help:
                "USCC of an implementing agency (实施主体) whose records the department may file, e.g. a county bureau; repeatable. The profile's agencies are always added."
        )
        var agencies: [String] = []
        @Flag(help: "Print JSON (for scripts).") var json = false

        func run() async throws {
            try CommandInput.departmentCode(code)
            for agency in agencies { try CommandInput.uscc(agency, option: "--agency") }
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (code, name, agencies) = (self.code, self.name, self.agencies)
            let credentials = try await runtime.job { hub in try await hub.addDepartment(code: code, name: name, extraAgencies: agencies) }
            try printCredentials(credentials, json: json)
        }
    }
}

/// `hub departments show CODE`: the department and the agencies it may file records for.
struct DepartmentsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "显示部门及其可报送的实施主体 — show a department and the agencies (实施主体) it may file records for.",
        discussion: examples("hub departments show HY-SCJG")
    )

    @Argument(help: "Department code, e.g. HY-SCJG.") var code: String

    func run() async throws {
        try CommandInput.departmentCode(code)
        let runtime = try HubRuntime.start(logger: Logs.logger())
        let code = self.code
        let found: (Department, [DepartmentAgency])? = try await runtime.job { hub in
            guard let department = try await hub.departments.department(code: code) else { return nil }
            return (department, try await hub.departments.agencies(department: department))
        }
        guard let (department, agencies) = found else { throw CommandFailure.failed("部门 \(code) 未登记", "department \(code) is not registered") }
        say("部门 department: \(department.code) \(department.name)")
        say("可报送的实施主体 agencies it may file records for: \(agencies.count)")
        let sources: [DepartmentAgency.Source: String] = [.profile: "部门配置 profile", .cli: "命令行 cli", .migration: "升级保留 kept on upgrade"]
        for agency in agencies {
            say("  \(agency.code)  \(agency.name ?? "-")  [\(sources[agency.source] ?? agency.source.rawValue)]")
        }
    }
}
