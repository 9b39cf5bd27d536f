import Foundation
import HubClient
import HubModel
import HubServer
import HubStore

/// What `hub-demo` prepares so a newcomer can push a first record within a minute (after the sample catalog):
/// a demo department with saved credentials, the console's demo account, and a record coded against the catalog.
enum DemoSetup {
    static let departmentCode = "HY-SCJG"
    static let departmentName = "衡阳市市场监督管理局（演示）"
    static let agencyName = "衡阳市市场监督管理局"

    /// The demo department's credentials: reused from `.hub/demo-credentials.json` while its key is valid.
    static func credentials(_ hub: HubContext) async throws -> DepartmentCredentials {
        let file = hub.configuration.stateDirectory.appendingPathComponent("demo-credentials.json")
        if let data = try? Data(contentsOf: file), let saved = try? JSONDecoder().decode(DepartmentCredentials.self, from: data),
            try await hub.departments.key(saved.keyId) != nil
        {
            return saved
        }
        let created = try await hub.addDepartment(code: departmentCode, name: departmentName)
        try FileManager.default.createDirectory(at: hub.configuration.stateDirectory, withIntermediateDirectories: true)
        // Readable by the owner only from the first byte: it holds the demo department's secret.
        _ = FileManager.default.createFile(atPath: file.path, contents: try JSONEncoder().encode(created), attributes: [.posixPermissions: 0o600])
        return created
    }

    /// The demo's ops accounts for the console, each with a password made once, printed, and kept in a file of
    /// `.hub/` (mode 600) so a restarted demo signs in the same way: `ops-demo` (admin: decides, and sees
    /// everything) and `approver-demo` (approver: the second person of the four-eyes rule), so a decision can be
    /// made in one browser and approved in another.
    static let accounts: [(username: String, displayName: String, role: OpsUser.Role, file: String)] = [
        ("ops-demo", "演示运维", .admin, "demo-ops-password"),
        ("approver-demo", "演示复核员", .approver, "demo-approver-password"),
    ]

    static func opsAccounts(_ hub: HubContext) async throws -> [(username: String, password: String, file: URL)] {
        var out: [(String, String, URL)] = []
        for account in accounts {
            let file = hub.configuration.stateDirectory.appendingPathComponent(account.file)
            if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                try await hub.opsUsers.authenticate(username: account.username, password: saved) != nil
            {
                out.append((account.username, saved, file))
                continue
            }
            let password = [UInt8].random(count: 8).hex
            try await hub.opsUsers.add(username: account.username, displayName: account.displayName, password: password, roles: [account.role])
            try FileManager.default.createDirectory(at: hub.configuration.stateDirectory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: file.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
            out.append((account.username, password, file))
        }
        return out
    }
}
