import Synchronization

/// The process-wide budget of signed request bodies being processed at once (`HUB_MAX_INFLIGHT_BODY_BYTES`).
///
/// Why: a body costs several times its size while it is parsed, canonicalised and planned
/// (docs/BENCHMARKS.md, "The body budget"), and the per-key cap (`UploadSlots`) does not bound the sum over
/// keys: 20 departments sending 8 MiB each peaked at 294 MiB (issue #18 item 6, goal < 256 MiB). A request
/// charges its `Content-Length` (a chunked body, whose size is unknown until read, charges
/// `HUB_MAX_BODY_BYTES`) before its body is read and gives it back once answered. When the budget is used up
/// it waits in line, in arrival order, for at most `maxWait` (half of `HUB_READ_TIMEOUT`); past that it is
/// answered 503 `server_busy` with `Retry-After`, its body read and dropped, nothing written. A body larger
/// than the whole budget is charged the whole budget: it still gets through, alone, when nothing else runs.
public final class BodyBudget: Sendable {
    public let capacity: Int
    public let maxWait: Duration
    private let state: Mutex<State>

    public init(capacity: Int, maxWait: Duration = .seconds(15)) {
        self.capacity = max(1, capacity)
        self.maxWait = maxWait
        self.state = Mutex(State(ledger: BodyBudgetLedger(capacity: capacity)))
    }

    private struct State {
        var ledger: BodyBudgetLedger
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextId: UInt64 = 0
    }

    /// Bytes charged now (for tests and metrics).
    public var used: Int { state.withLock { $0.ledger.used } }

    /// Charges `bytes` (clamped to the budget); false when it could not be had within `maxWait`.
    /// On true the caller must call `release` with the same `bytes`.
    public func acquire(_ bytes: Int) async -> Bool {
        enum First {
            case granted
            case queued(UInt64)
        }
        let first: First = state.withLock { s in
            if s.ledger.tryAcquire(bytes) { return .granted }
            s.nextId += 1
            s.ledger.enqueue(id: s.nextId, bytes: bytes)
            return .queued(s.nextId)
        }
        guard case .queued(let id) = first else { return true }
        // A timer withdraws the request from the line if it is still waiting when `maxWait` is over.
        let timer = Task { [maxWait] in
            try? await Task.sleep(for: maxWait)
            self.withdraw(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Bool? = state.withLock { s in
                    if s.ledger.isWaiting(id) {
                        s.waiters[id] = continuation
                        return nil
                    }
                    // Decided before the continuation was stored: granted, or withdrawn already.
                    return s.ledger.takeGrant(id)
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            withdraw(id)
        }
    }

    public func release(_ bytes: Int) {
        let resumed = state.withLock { s in Self.pickUp(s.ledger.release(bytes), in: &s) }
        for c in resumed { c.resume(returning: true) }
    }

    /// Takes `id` out of the line (time up or cancelled); its waiter, if stored, is answered false, and the
    /// waiters its leaving lets through are answered true.
    private func withdraw(_ id: UInt64) {
        let (refused, resumed): (CheckedContinuation<Bool, Never>?, [CheckedContinuation<Bool, Never>]) = state.withLock { s in
            guard let next = s.ledger.cancel(id) else { return (nil, []) }
            return (s.waiters.removeValue(forKey: id), Self.pickUp(next, in: &s))
        }
        refused?.resume(returning: false)
        for c in resumed { c.resume(returning: true) }
    }

    /// The stored waiters of the granted `ids` (a grant whose waiter is not stored yet is picked up by it).
    private static func pickUp(_ ids: [UInt64], in s: inout State) -> [CheckedContinuation<Bool, Never>] {
        ids.compactMap { id in
            s.waiters.removeValue(forKey: id).map { c in
                _ = s.ledger.takeGrant(id)
                return c
            }
        }
    }
}

/// The budget's decisions without clocks or tasks, so they can be tested alone: who is charged what, who
/// goes now, who waits, and who goes when bytes come back (first come, first served: a small request does not
/// overtake a large one waiting ahead of it, so a large body is not starved).
public struct BodyBudgetLedger: Sendable {
    public let capacity: Int
    public private(set) var used = 0
    /// Waiting requests in arrival order.
    public private(set) var line: [(id: UInt64, bytes: Int)] = []
    /// Requests granted from the line whose waiter has not yet picked the grant up.
    private var granted: Set<UInt64> = []

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// What a request of `bytes` is charged: at least 1, at most the whole budget.
    public func charge(_ bytes: Int) -> Int { min(max(bytes, 1), capacity) }

    /// Grants at once when nobody waits ahead and the charge fits.
    public mutating func tryAcquire(_ bytes: Int) -> Bool {
        let c = charge(bytes)
        guard line.isEmpty, used + c <= capacity else { return false }
        used += c
        return true
    }

    public mutating func enqueue(id: UInt64, bytes: Int) { line.append((id, bytes)) }

    public func isWaiting(_ id: UInt64) -> Bool { line.contains { $0.id == id } }

    /// True once if `id` was granted from the line (and forgets it), false otherwise.
    public mutating func takeGrant(_ id: UInt64) -> Bool { granted.remove(id) != nil }

    /// Gives `bytes` back and grants the waiters at the head of the line that now fit; returns their ids.
    public mutating func release(_ bytes: Int) -> [UInt64] {
        used = max(0, used - charge(bytes))
        return grantHead()
    }

    /// Takes a waiter out of the line: nil when it was no longer waiting (already granted or withdrawn),
    /// else the waiters granted because it left (it may have been what held them back).
    public mutating func cancel(_ id: UInt64) -> [UInt64]? {
        guard let i = line.firstIndex(where: { $0.id == id }) else { return nil }
        line.remove(at: i)
        return grantHead()
    }

    private mutating func grantHead() -> [UInt64] {
        var ids: [UInt64] = []
        while let head = line.first, used + charge(head.bytes) <= capacity {
            used += charge(head.bytes)
            line.removeFirst()
            granted.insert(head.id)
            ids.append(head.id)
        }
        return ids
    }
}
