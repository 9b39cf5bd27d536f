import Foundation
import HubModel

#if canImport(Glibc)
import Glibc
#endif

/// Checks of what an operator typed, done at the top of a command before anything starts (no PostgreSQL
/// started, no connection opened): each failure is a `CommandFailure` with exit code 2 naming the option.
package enum CommandInput {
    /// A file that exists, is not a folder, and can be read.
    @discardableResult
    package static func readableFile(_ path: String, option: String = "FILE") throws(CommandFailure) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .badInput("文件不存在：\(path)（\(option)）", "no such file: \(path) (\(option))")
        }
        guard !isDirectory.boolValue else { throw .badInput("\(path) 是目录，不是文件（\(option)）", "\(path) is a folder, not a file (\(option))") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .badInput("没有权限读取文件：\(path)（\(option)）", "cannot read \(path): permission denied (\(option))")
        }
        return path
    }

    /// A real calendar day `YYYY-MM-DD` (2026-02-30 is refused here, not by PostgreSQL after it started).
    package static func day(_ text: String, option: String = "--date") throws(CommandFailure) -> CalendarDate {
        guard let date = CalendarDate(text) else {
            throw .badInput("\(option) \(text) 不是有效日期，应为 YYYY-MM-DD 的真实日期", "\(option) \(text) is not a real date in the form YYYY-MM-DD")
        }
        return date
    }

    /// A 统一社会信用代码 whose two check characters hold.
    package static func uscc(_ text: String, option: String) throws(CommandFailure) {
        do { _ = try USCC(text) } catch {
            let why: (String, String) =
                switch error {
                case .length: ("应为 18 位", "it must have 18 characters")
                case .character: ("含有不允许的字符", "it holds a character a USCC cannot have")
                case .checkCharacter: ("第 18 位校验码不符", "its check character (position 18) does not match")
                case .organisationCheck: ("第 17 位组织机构代码校验码不符", "its organisation-code check (position 17) does not match")
                }
            throw .badInput(
                "\(option) \(text) 不是有效的统一社会信用代码：\(why.0)",
                "\(option) \(text) is not a valid USCC: \(why.1)"
            )
        }
    }

    /// A 14-digit 监管事项目录编码.
    package static func catalogCode(_ text: String, option: String) throws(CommandFailure) {
        guard CatalogCode(text) != nil else {
            throw .badInput("\(option) \(text) 不是有效的事项目录编码：应为 14 位数字", "\(option) \(text) is not a catalog code: it has 14 digits")
        }
    }

    /// A department code as the hub registers them (capital letters, digits, `-` and `_`).
    package static func departmentCode(_ text: String, option: String = "CODE") throws(CommandFailure) {
        guard (2...32).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .badInput(
                "\(option) \(text) 不是有效的部门编码：2–32 个大写字母、数字、- 或 _，例如 HY-SCJG",
                "\(option) \(text) is not a department code: 2–32 capital letters, digits, - or _, e.g. HY-SCJG"
            )
        }
    }

    /// A port nobody listens on yet at `host`: tried by binding it (then let go at once), so a taken port is
    /// named with the option and variable that choose it before PostgreSQL starts, not as `bind … errno: 98`.
    package static func freePort(_ port: Int, host: String, option: String, variable: String) throws(CommandFailure) {
        guard (1...65535).contains(port) else {
            throw .badInput("端口 \(port) 无效（\(option) 或 \(variable)，1–65535）", "port \(port) is not valid (\(option) or \(variable): 1–65535)")
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw .badInput("无法解析监听地址 \(host)（--host 或 HUB_HOST）", "cannot resolve the address to listen on, \(host) (--host or HUB_HOST)")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        // As the server binds (SO_REUSEADDR): a port left in TIME_WAIT by a stopped hub counts as free.
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let why = errno
            if why == EADDRINUSE {
                throw .badInput(
                    "端口 \(port) 已被占用（\(host)）：请用 \(option) 或环境变量 \(variable) 换一个端口",
                    "port \(port) is already in use on \(host): choose another with \(option) or \(variable)"
                )
            }
            if why == EADDRNOTAVAIL {
                throw .badInput("本机没有地址 \(host)（--host 或 HUB_HOST）", "this machine has no address \(host) (--host or HUB_HOST)")
            }
        }
    }

    /// Fails at once, with what to run, when nothing listens at `url`'s host and port: an HTTP client retries a
    /// refused connection until its request deadline (a minute), which is not an answer an operator can use.
    /// A connection that takes longer than `seconds` is left to the request to report.
    package static func hubListening(_ url: String, seconds: Int32 = 5) throws(CommandFailure) {
        guard let parts = URLComponents(string: url), let host = parts.host else {
            throw .badInput("--url \(url) 不是有效的网址", "--url \(url) is not a URL")
        }
        let port = parts.port ?? (parts.scheme == "https" ? 443 : 80)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw .failed("无法解析主机名 \(host)（--url）", "cannot resolve the host \(host) (--url)")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), first.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var refused = false
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            if errno == EINPROGRESS {
                var wait = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&wait, 1, seconds * 1000) == 1 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    refused = error == ECONNREFUSED
                }
            } else {
                refused = errno == ECONNREFUSED
            }
        }
        if refused { throw CommandFailure.hubNotRunning(url, RefusedConnection()) }
    }

    struct RefusedConnection: Error, CustomStringConvertible {
        var description: String { "Connection refused" }
    }
}
