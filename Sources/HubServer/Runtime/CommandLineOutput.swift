import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

// What the command-line programs (`hub`, `hub-demo`) share to talk to their operator: one logging set-up and
// progress lines. In the server library because both programs link it, and neither should link the other.

/// Logging set up once per process: lines on standard error, level from HUB_LOG_LEVEL, stamped in +08:00 like
/// everything else the hub prints.
package enum Logs {
    static let bootstrapped: Void = {
        let level = (try? HubConfiguration()).flatMap { Logger.Level(rawValue: $0.logLevel) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = ShanghaiLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    package static func logger(_ label: String = "hub") -> Logger {
        _ = bootstrapped
        return Logger(label: label)
    }
}

/// `StreamLogHandler`'s line (`time level label: metadata [source] message`), but with the time in Asia/Shanghai
/// (+08:00) whatever the machine's time zone: the console, the CLI's output and the ledger all say +08:00, and a
/// log in UTC beside them made ops subtract eight hours to match a line to a record.
struct ShanghaiLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let pretty = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Self.timestamp(Date())) \(event.level) \(label):\(pretty) [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// `2026-12-07T22:45:06+08:00`.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down)) + 8 * 3600
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))+08:00"
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

/// Progress of long work on standard error (standard output keeps the result alone, for scripts): on a terminal
/// one line rewritten in place at most ten times a second; otherwise (a log file, a CI job) a full line every
/// `interval` seconds. Silent with `--quiet`.
package final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let quiet: Bool
    private let terminal: Bool
    private let interval: Double
    private let started = Date()
    private let lock = NSLock()
    private var lastShown = Date.distantPast
    private var shownOnTerminal = false
    private var ticker: Task<Void, Never>?

    package init(_ label: String, quiet: Bool, interval: Double = 10) {
        self.label = label
        self.quiet = quiet
        self.terminal = isatty(STDERR_FILENO) == 1
        self.interval = interval
    }

    /// `done` of `total` (total nil: unknown).
    package func update(_ done: Int, of total: Int? = nil, _ what: String = "") {
        let count = total.map { "\(done)/\($0)" } ?? "\(done)"
        let percent = total.flatMap { $0 > 0 ? " \(done * 100 / $0)%" : nil } ?? ""
        show("\(count)\(percent)\(what.isEmpty ? "" : " " + what)")
    }

    /// For work that cannot count its steps (one long query, one transaction): the elapsed time every second
    /// on a terminal, every `interval` seconds otherwise, until `finish()`.
    package func tick() {
        guard !quiet else { return }
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                guard let self, !Task.isCancelled else { return }
                self.show("")
            }
        }
    }

    private func show(_ text: String) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let elapsed = Int(now.timeIntervalSince(started))
        guard now.timeIntervalSince(lastShown) >= (terminal ? 0.1 : interval) else { return }
        lastShown = now
        let line = "\(label) \(text)\(text.isEmpty ? "" : " ")… \(elapsed) 秒 s"
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            shownOnTerminal = true
        } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    /// Stops the ticker and ends the terminal line.
    package func finish() {
        ticker?.cancel()
        lock.lock()
        defer { lock.unlock() }
        if shownOnTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            shownOnTerminal = false
        }
        lastShown = .distantFuture
    }
}
