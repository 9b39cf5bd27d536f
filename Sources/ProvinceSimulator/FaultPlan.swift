import Exchange
import HubModel

/// The failures the simulator injects, as probabilities per request (and per row for partial rejection).
/// Set at start (`SIM_FAULTS`) and changed at run time (`PUT /sim/faults`) with the same JSON document.
public struct FaultPlan: Sendable, Hashable {
    /// Answer 503 without looking at the batch.
    public var serverError = 0.0
    /// Hold the request past the client's timeout (half of them after taking the batch in).
    public var timeout = 0.0
    /// Drop the connection in the middle of the answer (half of them after taking the batch in).
    public var reset = 0.0
    /// Answer 429 with `Retry-After: retryAfterSeconds`.
    public var throttle = 0.0
    /// Answer late but in time.
    public var slow = 0.0
    /// Take the batch in, then answer 502: the acknowledgement is lost.
    public var lostAck = 0.0
    /// Repeat some rows' outcomes in the receipt.
    public var duplicateAck = 0.0
    /// Per row: refuse it for now (`retryable`, code `province_busy`).
    public var partialReject = 0.0
    public var retryAfterSeconds = 1
    public var timeoutMilliseconds = 3000
    public var slowMilliseconds = 300

    public init() {}

    /// No faults at all.
    public static let none = FaultPlan()

    static let keys = [
        "serverError", "timeout", "reset", "throttle", "slow", "lostAck", "duplicateAck", "partialReject",
        "retryAfterSeconds", "timeoutMilliseconds", "slowMilliseconds",
    ]

    public var json: JSONValue {
        .object([
            ("serverError", .number("\(serverError)")), ("timeout", .number("\(timeout)")), ("reset", .number("\(reset)")),
            ("throttle", .number("\(throttle)")), ("slow", .number("\(slow)")), ("lostAck", .number("\(lostAck)")),
            ("duplicateAck", .number("\(duplicateAck)")), ("partialReject", .number("\(partialReject)")),
            ("retryAfterSeconds", .number("\(retryAfterSeconds)")), ("timeoutMilliseconds", .number("\(timeoutMilliseconds)")),
            ("slowMilliseconds", .number("\(slowMilliseconds)")),
        ])
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a (partial) fault document over `base`: rates in [0, 1], durations as whole numbers.
    public static func parse(_ bytes: some Collection<UInt8>, over base: FaultPlan = .none) throws -> FaultPlan {
        let doc: JSONValue
        do { doc = try JSONParser().parse(bytes) } catch { throw Invalid(description: "fault plan is not JSON: \(error.reason)") }
        guard case .object(let members) = doc else { throw Invalid(description: "fault plan must be an object") }
        var plan = base
        for (key, value) in members {
            guard keys.contains(key), case .number(let text) = value, let number = Double(text) else {
                throw Invalid(description: "unknown or non-numeric fault setting \(key); known: \(keys.joined(separator: ", "))")
            }
            if key.hasSuffix("Seconds") || key.hasSuffix("Milliseconds") {
                guard number >= 0 else { throw Invalid(description: "\(key) must not be negative") }
            } else {
                guard (0...1).contains(number) else { throw Invalid(description: "\(key) is a probability in [0, 1]") }
            }
            switch key {
            case "serverError": plan.serverError = number
            case "timeout": plan.timeout = number
            case "reset": plan.reset = number
            case "throttle": plan.throttle = number
            case "slow": plan.slow = number
            case "lostAck": plan.lostAck = number
            case "duplicateAck": plan.duplicateAck = number
            case "partialReject": plan.partialReject = number
            case "retryAfterSeconds": plan.retryAfterSeconds = Int(number)
            case "timeoutMilliseconds": plan.timeoutMilliseconds = Int(number)
            default: plan.slowMilliseconds = Int(number)
            }
        }
        return plan
    }

    /// What to do with one upload request, drawn from the plan.
    enum Outcome: Equatable {
        case serverError, throttle
        case timeout(processFirst: Bool)
        case reset(processFirst: Bool)
        case lostAck, slow, normal
    }

    func draw(using g: inout some RandomNumberGenerator) -> Outcome {
        let r = Double.random(in: 0..<1, using: &g)
        var edge = 0.0
        edge += serverError
        if r < edge { return .serverError }
        edge += timeout
        if r < edge { return .timeout(processFirst: Bool.random(using: &g)) }
        edge += reset
        if r < edge { return .reset(processFirst: Bool.random(using: &g)) }
        edge += throttle
        if r < edge { return .throttle }
        edge += lostAck
        if r < edge { return .lostAck }
        edge += slow
        if r < edge { return .slow }
        return .normal
    }
}
