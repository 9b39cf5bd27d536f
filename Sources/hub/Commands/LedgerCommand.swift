import ArgumentParser
import Foundation
import HubServer
import HubStore

/// `hub ledger verify`: recomputes the whole hash chain and names the first bad entry.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "The unified ledger (统一台账).", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the hash chain from the first entry; exit 1 and name the first bad entry if it does not hold.")

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let result = try await runtime.job { hub in
                try await LedgerStore.verify(hub.db) { done, height in
                    FileHandle.standardError.write(Data("\r校验中 verifying \(done)/\(height)".utf8))
                }
            }
            FileHandle.standardError.write(Data("\n".utf8))
            if let bad = result.firstBad {
                say("台账校验失败 ledger verification FAILED at entry \(bad.seq): \(bad.reason) (\(result.checked) entries before it hold)")
                throw ExitCode(1)
            }
            say("台账校验通过 ledger OK: \(result.checked) entries, chain intact")
        }
    }
}
