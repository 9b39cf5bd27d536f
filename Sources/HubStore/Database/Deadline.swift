import Foundation

/// Runs an operation that may never return (a library wait that lost its wake-up) with a deadline.
///
/// Unlike a task group, which must wait for every child, the operation runs in its own task and the caller
/// is resumed by whichever comes first: the result or the deadline. A timed-out operation is cancelled and
/// left to end on its own.
public enum Deadline {
    public struct Exceeded: Error, CustomStringConvertible {
        public var operation: String
        package init(operation: String) { self.operation = operation }
        public var description: String { "\(operation) did not finish before its deadline (connection lost?)" }
    }

    /// Resumes the caller once, from whichever side finishes first.
    final class Once<T: Sendable>: @unchecked Sendable {
        let lock = NSLock()
        var continuation: CheckedContinuation<T, any Error>?
        init(_ c: CheckedContinuation<T, any Error>) { continuation = c }
        func finish(_ result: Result<T, any Error>) {
            lock.lock()
            let c = continuation
            continuation = nil
            lock.unlock()
            c?.resume(with: result)
        }
    }

    public static func run<T: Sendable>(_ limit: Duration, operation name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T
    {
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await wait(limit, name, body, box: box)
        } onCancel: {
            box.cancel()
        }
    }

    /// The running operation, so the caller's cancellation reaches it.
    final class TaskBox: @unchecked Sendable {
        let lock = NSLock()
        var task: Task<Void, Never>?
        var cancelled = false
        func set(_ t: Task<Void, Never>) {
            lock.lock()
            task = t
            let c = cancelled
            lock.unlock()
            if c { t.cancel() }
        }
        func cancel() {
            lock.lock()
            cancelled = true
            let t = task
            lock.unlock()
            t?.cancel()
        }
    }

    static func wait<T: Sendable>(_ limit: Duration, _ name: String, _ body: @escaping @Sendable () async throws -> T, box: TaskBox) async throws -> T
    {
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = Once(continuation)
            let work = Task {
                do { once.finish(.success(try await body())) } catch { once.finish(.failure(error)) }
            }
            box.set(work)
            timer = Task {
                do { try await Task.sleep(for: limit) } catch { return }
                work.cancel()
                once.finish(.failure(Exceeded(operation: name)))
            }
        }
    }
}
