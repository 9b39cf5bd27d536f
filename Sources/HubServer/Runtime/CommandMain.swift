import ArgumentParser
import Foundation

/// The programs' one way of ending: `hub` and `hub-demo` both call this from their `main`, so that a failure
/// is said the same way whichever program ran.
extension AsyncParsableCommand {
    /// ArgumentParser's `main`, with one place that says how a command failed: a `CommandFailure` (or an error
    /// it translates, such as PostgreSQL's) as one bilingual line with its exit code — 2 for bad input, 1 for a
    /// failure while running — and no usage text after a domain error. Usage errors (unknown option,
    /// `validate()`) keep ArgumentParser's message and usage, and exit 2 like every other bad input.
    package static func runReportingFailures() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(nil)
        } catch {
            exitParsing(error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // ArgumentParser's own answers reach here too (`hub help X`, `X --help` run a built-in command that
            // throws them): help exits 0 as ArgumentParser prints it, a usage error exits 2 with its usage.
            switch exitCode(for: error) {
            case .success: exit(withError: error)
            case .validationFailure: exitParsing(error)
            default: break
            }
            let failure = CommandFailure.from(error)
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            Foundation.exit(failure.exitCode)
        }
    }

    /// Help and version exit 0 as ArgumentParser prints them; a usage error exits 2 (not ArgumentParser's 64).
    private static func exitParsing(_ error: any Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(CommandFailure.Kind.badInput.rawValue)
    }
}
