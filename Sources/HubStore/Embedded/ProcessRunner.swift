import Foundation

/// Runs a command to completion and captures what it printed.
///
/// posix_spawn and waitpid rather than Foundation's `Process`: `pg_ctl start` leaves a server running,
/// and `Process` was seen here to never return from `waitUntilExit` in that case (the child stayed a
/// zombie). Output goes to a temporary file, not a pipe, for the same reason: the server could hold an
/// inherited pipe open forever.
package struct ProcessRunner {
    package struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var output: String
        package var description: String { "\(command.first ?? "") exited \(status): \(output)" }
    }

    /// Runs `arguments[0]` with the rest as arguments; throws when it exits non-zero.
    @discardableResult
    /// `environment` adds variables for the child (secrets go there, never into argv, which `ps` shows).
    package static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        allowFailure: Bool = false
    ) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("hub-run-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        var env: [UnsafeMutablePointer<CChar>?] =
            ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in env { free(p) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, &env)
        guard spawned == 0 else {
            throw Failure(command: arguments, status: -1, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        if exitCode != 0 && !allowFailure {
            throw Failure(command: arguments, status: exitCode, output: output)
        }
        return (exitCode, output)
    }

    /// Finds an executable on PATH.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
