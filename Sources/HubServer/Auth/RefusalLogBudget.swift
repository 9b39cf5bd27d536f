import Foundation
import Synchronization

/// How many whole-upload refusals of one key the message log (报送日志) records per window.
///
/// The signature middleware logs a refused upload once the key id names a department — bad signatures and
/// replays included, because that is what ops staff need to coach a department whose system signs wrongly.
/// But the key id is not a secret: whoever knows one could add log rows at the request rate. The budget
/// keeps the first `limit` refusals of a key per window (enough to see what goes wrong) and only counts the
/// rest, so the log's growth is bounded by the number of keys, not by the sender.
struct RefusalLogBudget: Sendable, Equatable {
    /// What to do with one refusal.
    enum Admission: Sendable, Equatable {
        /// Write the log row.
        case log
        /// Skip it; `first` is true for the first skipped refusal of the key's window (say so once).
        case suppress(first: Bool)
    }

    struct Window: Sendable, Equatable {
        var start: Date
        var logged: Int
        var suppressed: Int
    }

    let limit: Int
    let window: TimeInterval
    private(set) var windows: [String: Window] = [:]

    init(limit: Int = 30, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Counts one refusal of `key` at `now` and says whether to log it. Windows that have ended are dropped,
    /// so the map holds only keys refused within the last window.
    mutating func admit(key: String, at now: Date) -> Admission {
        if windows.count > 1000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < window } }
        var current = windows[key].flatMap { now.timeIntervalSince($0.start) < window ? $0 : nil } ?? Window(start: now, logged: 0, suppressed: 0)
        defer { windows[key] = current }
        if current.logged < limit {
            current.logged += 1
            return .log
        }
        current.suppressed += 1
        return .suppress(first: current.suppressed == 1)
    }
}

/// The budget shared by every request of one application (a value type behind a lock).
final class RefusalLogLimiter: Sendable {
    private let budget: Mutex<RefusalLogBudget>

    init(_ budget: RefusalLogBudget = RefusalLogBudget()) { self.budget = Mutex(budget) }

    func admit(key: String, at now: Date = Date()) -> RefusalLogBudget.Admission {
        budget.withLock { $0.admit(key: key, at: now) }
    }
}
