import Foundation
import Logging

// What the command-line programs (`hub`, `hub-demo`) share to talk to their operator: one logging set-up and
// progress lines. In the server library because both programs link it, and neither should link the other.

/// Logging set up once per process: logfmt lines on standard error, level from HUB_LOG_LEVEL.
package enum Logs {
    static let bootstrapped: Void = {
        let level = (try? HubConfiguration()).flatMap { Logger.Level(rawValue: $0.logLevel) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    package static func logger(_ label: String = "hub") -> Logger {
        _ = bootstrapped
        return Logger(label: label)
    }
}

/// Prints a line to standard output at once (progress must show while work runs).
package func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Prints the settings a server starts with (`HubConfiguration.summary`: passwords and keys masked).
package func printSettings(_ configuration: HubConfiguration) {
    say("配置 settings:")
    for (key, value) in configuration.summary { say("  \(key): \(value)") }
}
