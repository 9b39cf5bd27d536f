import ArgumentParser
import Foundation
import HubServer
import HubStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a command that acts for an ops account proves who runs it: `--user NAME` and the account's password
/// from `HUB_OPS_PASSWORD` or a prompt that does not echo, checked through the same throttled sign-in as
/// the console (channel `cli`), so a failure is counted, logged and ledgered like any other.
enum OpsLogin {
    static func password(prompt: String = "密码 password: ") -> String {
        if let p = ProcessInfo.processInfo.environment["HUB_OPS_PASSWORD"], !p.isEmpty { return p }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let isTerminal = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true) ?? ""
    }

    static func authenticate(_ hub: HubContext, username: String, password: String) async throws -> OpsUser {
        switch try await hub.signIn.attempt(username: username, password: password, address: "local", channel: .cli) {
        case .signedIn(let user): return user
        case .wrongCredentials: throw CommandFailure.failed("用户名或密码错误", "wrong username or password")
        case .throttled(let wait): throw CommandFailure.failed("登录失败次数过多，请 \(wait) 秒后再试", "too many failed sign-ins: try again in \(wait) s")
        }
    }

    /// Who runs an administrative command (recorded in the ledger): the operating-system account.
    static var operatorName: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? NSUserName()) }
}
