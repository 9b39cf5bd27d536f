import ArgumentParser
import Foundation
import HubServer

#if canImport(Glibc)
import Glibc
#endif

/// `hub demo`: hands over to the `hub-demo` program installed beside `hub`. The demo runs the provincial
/// simulator (a test double) in its process, and the production `hub` does not link the simulator, so the demo
/// is a program of its own; this command only replaces the `hub` process with it (`execv`), passing the
/// arguments on, so `hub demo --port 9000` still works as documented.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "演示模式：交给 hub 旁边的 hub-demo 运行 — run the demo: hands over to hub-demo beside hub.",
        discussion: examples(
            "hub demo",
            "hub demo --port 9000 --simulator-port 9001",
            note: "参数原样交给 hub-demo。Arguments go to hub-demo unchanged."
        )
    )

    @Argument(parsing: .captureForPassthrough, help: "Arguments for hub-demo.") var arguments: [String] = []

    func run() throws {
        // /proc/self/exe: where this binary really is, whatever the PATH or working directory.
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let demo = own.deletingLastPathComponent().appendingPathComponent("hub-demo").path
        guard FileManager.default.isExecutableFile(atPath: demo) else {
            throw CommandFailure.failed(
                "找不到演示程序 \(demo)：请先构建 swift build --product hub-demo",
                "hub-demo not found beside hub: build it (swift build --product hub-demo)"
            )
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([demo] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(demo, &argv)
        // execv returns only on failure.
        throw CommandFailure.failed("无法启动演示程序 \(demo)", "could not start \(demo): \(String(cString: strerror(errno)))")
    }
}
