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

    /// The demo's ops account (`ops-demo`, admin) for the console: its password is made once, printed, and kept
    /// in `.hub/demo-ops-password` (mode 600) so a restarted demo signs in the same way.
    static func opsAccount(_ hub: HubContext) async throws -> (username: String, password: String) {
        let username = "ops-demo"
        let file = hub.configuration.stateDirectory.appendingPathComponent("demo-ops-password")
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            try await hub.opsUsers.authenticate(username: username, password: saved) != nil
        {
            return (username, saved)
        }
        let password = [UInt8].random(count: 8).hex
        try await hub.opsUsers.add(username: username, displayName: "演示运维", password: password, roles: [.admin])
        try FileManager.default.createDirectory(at: hub.configuration.stateDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        return (username, password)
    }

    /// A valid inspection record of the demo agency, coded against an active implementation item.
    static func firstRecord(_ hub: HubContext, localId: String = "SCJG-JC-DEMO-000001") async throws -> String {
        let items = try await hub.catalog.implementations(agencyName: agencyName, limit: 500)
        guard let item = items.first(where: { $0.itemType == .inspection }) else {
            throw DemoError.noInspectionItem(agencyName)
        }
        return SampleRecords.inspection(localId: localId, catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
    }

    enum DemoError: Error, CustomStringConvertible {
        case noInspectionItem(String)
        var description: String {
            switch self {
            case .noInspectionItem(let a): "the sample catalog has no active inspection item of \(a)"
            }
        }
    }
}
