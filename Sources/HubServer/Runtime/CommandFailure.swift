import Foundation
import HubModel
import Ingest
import PostgresNIO

/// Why a `hub` command stopped, said the way an operator can act on it: one line, Chinese first, then English,
/// and the exit code. Every command throws this (never ArgumentParser's `ValidationError`, which is for
/// `validate()` and makes ArgumentParser print a usage line) and the programs' `main` prints it in one place.
///
/// Exit codes, one rule for every command: **2** — what was typed cannot work as given (a missing file, an
/// impossible date, a code whose check character fails, a port already taken, an unknown option), found before
/// anything starts; **1** — the work was tried and failed (the hub not reachable, PostgreSQL refused, a check
/// that did not hold, a record or account that does not exist).
package struct CommandFailure: Error, Sendable, CustomStringConvertible {
    package enum Kind: Int32, Sendable {
        case badInput = 2
        case failed = 1
    }

    package let zh: String
    package let en: String
    package let kind: Kind

    package init(_ kind: Kind, zh: String, en: String) {
        (self.kind, self.zh, self.en) = (kind, zh, en)
    }

    package static func badInput(_ zh: String, _ en: String) -> CommandFailure { CommandFailure(.badInput, zh: zh, en: en) }
    package static func failed(_ zh: String, _ en: String) -> CommandFailure { CommandFailure(.failed, zh: zh, en: en) }

    package var exitCode: Int32 { kind.rawValue }
    /// The line printed on standard error.
    package var description: String { "错误：\(zh) / error: \(en)" }

    /// The failure an error thrown by a command means to the operator; errors that say nothing useful on their
    /// own (PostgreSQL's generic description, Foundation's `NSCocoaErrorDomain Code=260`) are translated.
    package static func from(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure:
            return failure
        case let error as PSQLError:
            return database(error)
        case let error as ConfigurationError:
            let value = error.value.prefix(80)
            return .badInput(
                "配置错误 \(error.variable)=\(value)：应为\(error.expectedZh)",
                "invalid setting \(error.variable)=\(value): expected \(error.expectedEn)"
            )
        case let error as DemoSecretsRefused:
            // Its description is the Chinese line, then the English one.
            let lines = error.description.split(separator: "\n", maxSplits: 1).map(String.init)
            return .badInput(lines.first ?? "", lines.dropFirst().first ?? "")
        case let error as ReviewError:
            return .failed(error.error.messageZh, "\(error.error.code): \(error.error.messageEn)")
        case let error as FieldError:
            return .badInput("\(error.path): \(error.messageZh)", "\(error.path): \(error.messageEn)")
        case let error as CocoaError where [.fileReadNoSuchFile, .fileNoSuchFile].contains(error.code):
            let path = error.userInfo[NSFilePathErrorKey] as? String ?? "?"
            return .badInput("文件不存在 \(path)", "no such file \(path)")
        case let error as CocoaError where [.fileReadNoPermission, .fileWriteNoPermission].contains(error.code):
            let path = error.userInfo[NSFilePathErrorKey] as? String ?? "?"
            return .badInput("没有权限读写文件 \(path)", "permission denied: \(path)")
        default:
            let text = String(describing: error).replacingOccurrences(of: "\n", with: " ")
            return .failed("命令失败：\(text)", "the command failed: \(text)")
        }
    }

    /// PostgreSQL's own words (message, detail, SQLSTATE) instead of PSQLError's generic description; a
    /// connection that never opened says where it tried.
    package static func database(_ error: PSQLError) -> CommandFailure {
        if let info = error.serverInfo, let message = info[.message] {
            let detail = info[.detail].map { "（\($0)）" } ?? ""
            let state = info[.sqlState].map { " SQLSTATE \($0)" } ?? ""
            return .failed("数据库拒绝：\(message)\(detail)\(state)", "PostgreSQL refused: \(message)\(info[.detail].map { " (\($0))" } ?? "")\(state)")
        }
        let underlying = error.underlying.map { String(describing: $0) } ?? "\(error.code)"
        return .failed(
            "无法连接数据库（HUB_DATABASE_URL）：\(underlying)",
            "cannot reach PostgreSQL (HUB_DATABASE_URL): \(underlying)"
        )
    }

    /// A running hub was expected at `url` and did not answer: say what to run.
    package static func hubNotRunning(_ url: String, _ error: any Error) -> CommandFailure {
        let text = String(describing: error)
        let refused =
            text.contains("errno: 111") || text.contains("Connection refused") || text.contains("connectTimeout")
            || text.contains("connect(descriptor")
        guard refused else {
            return .failed("无法访问枢纽 \(url)：\(text)", "could not reach the hub at \(url): \(text)")
        }
        return .failed(
            "枢纽未运行：\(url) 无法连接。请先启动 scripts/demo.sh 或 hub serve（或用 --url 指向正在运行的枢纽）",
            "the hub is not running at \(url): start it with scripts/demo.sh or hub serve (or point --url at a running hub)"
        )
    }
}
