import Foundation
import Testing

@testable import HubServer

/// The message log's per-key budget for whole-upload refusals: a key id is no secret, so the log must grow
/// with the number of keys, not with a sender's request rate.
@Suite struct RefusalLogBudgetTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("the first `limit` refusals of a key in a window are logged, the rest suppressed; the first suppressed one says so")
    func limitPerWindow() {
        var budget = RefusalLogBudget(limit: 3, window: 60)
        let answers = (0..<6).map { budget.admit(key: "K1", at: t0.addingTimeInterval(Double($0))) }
        #expect(answers == [.log, .log, .log, .suppress(first: true), .suppress(first: false), .suppress(first: false)])
    }

    @Test("keys are counted apart, and a key's budget comes back when its window ends")
    func keysAndWindows() {
        var budget = RefusalLogBudget(limit: 1, window: 60)
        #expect(budget.admit(key: "K1", at: t0) == .log)
        #expect(budget.admit(key: "K1", at: t0.addingTimeInterval(59)) == .suppress(first: true))
        #expect(budget.admit(key: "K2", at: t0.addingTimeInterval(59)) == .log)
        #expect(budget.admit(key: "K1", at: t0.addingTimeInterval(60)) == .log)
        #expect(budget.admit(key: "K1", at: t0.addingTimeInterval(61)) == .suppress(first: true))
    }

    @Test("ended windows are dropped once many keys were seen, so the map stays small")
    func pruned() {
        var budget = RefusalLogBudget(limit: 1, window: 60)
        for i in 0...1000 { _ = budget.admit(key: "K\(i)", at: t0) }
        #expect(budget.windows.count == 1001)
        _ = budget.admit(key: "late", at: t0.addingTimeInterval(120))
        #expect(budget.windows.count == 1)
    }
}
