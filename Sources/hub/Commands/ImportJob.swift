import ArgumentParser
import Foundation
import HubServer

/// The shared start of the import commands (`hub random-checks import`, `hub risk observations import`): read the
/// file, start the hub, check that the department the rows are imported for is registered, then run `body` with
/// the file's bytes.
func importJob<T: Sendable>(
    file: String,
    department: String,
    _ body: @escaping @Sendable (HubContext, [UInt8]) async throws -> T
) async throws -> T {
    try CommandInput.readableFile(file)
    try CommandInput.departmentCode(department, option: "--department")
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    let runtime = try HubRuntime.start(logger: Logs.logger())
    return try await runtime.job { hub in
        guard try await hub.departments.department(code: department) != nil else {
            throw CommandFailure.failed("部门 \(department) 未登记", "department \(department) is not registered")
        }
        return try await body(hub, bytes)
    }
}
