import Foundation

/// Slows password guessing at the ops sign-in (console and API): after `limit` failed attempts for one
/// username within `window`, that username is refused until the window has passed — whether the next
/// password is right or not. In memory, per instance: with several instances the limit applies to each.
public actor LoginThrottle {
    let limit: Int
    let window: TimeInterval
    var failures: [String: (count: Int, first: Date)] = [:]

    public init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `username` may try again; nil when it may try now.
    public func wait(for username: String, now: Date = Date()) -> Int? {
        guard let f = failures[username] else { return nil }
        let elapsed = now.timeIntervalSince(f.first)
        if elapsed >= window { failures[username] = nil; return nil }
        return f.count >= limit ? Int((window - elapsed).rounded(.up)) : nil
    }

    public func failed(_ username: String, now: Date = Date()) {
        if let f = failures[username], now.timeIntervalSince(f.first) < window {
            failures[username] = (f.count + 1, f.first)
        } else {
            failures[username] = (1, now)
        }
        // Bound the memory a flood of made-up names can take.
        if failures.count > 10_000 { failures = failures.filter { now.timeIntervalSince($0.value.first) < window } }
    }

    public func succeeded(_ username: String) { failures[username] = nil }
}
