import ArgumentParser

/// `hub demo`: only a pointer. The demo runs the provincial simulator in its process, and the production
/// `hub` does not link the simulator (a test double), so the demo is a program of its own: `hub-demo`.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The demo is its own program: swift run hub-demo (演示模式见 hub-demo).")

    func run() throws {
        throw ValidationError("演示模式是单独的程序 the demo is its own program: swift run hub-demo [--port N] [--simulator-port N]")
    }
}
