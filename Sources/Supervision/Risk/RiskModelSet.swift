/// The five models, each exactly once: what the hub evaluates every observation with.
public struct RiskModelSet: Sendable {
    /// In `RiskModelID.allCases` order.
    public let models: [RiskModel]

    /// Refuses a set that lacks a model or holds one twice (naming the files).
    public init(_ models: [RiskModel]) throws(RiskModelError) {
        var byId: [RiskModelID: RiskModel] = [:]
        for model in models {
            if let other = byId[model.id] {
                throw RiskModelError(file: model.file, field: "model", reason: "model \(model.id.rawValue) is also defined in \(other.file)")
            }
            byId[model.id] = model
        }
        for id in RiskModelID.allCases where byId[id] == nil {
            throw RiskModelError(
                file: "Mappings/risk/\(id.rawValue).yaml",
                field: "model",
                reason: "model \(id.rawValue) has no file (all five are required)"
            )
        }
        self.models = RiskModelID.allCases.map { byId[$0]! }
    }

    /// Parses every file (name, text) and checks the set. The first problem stops the load.
    public static func parse(_ files: [(name: String, text: String)]) throws(RiskModelError) -> RiskModelSet {
        var models: [RiskModel] = []
        for file in files { models.append(try RiskModelLoader.parse(file.text, file: file.name)) }
        return try RiskModelSet(models)
    }

    public subscript(id: RiskModelID) -> RiskModel {
        models[RiskModelID.allCases.firstIndex(of: id)!]
    }

    /// Every model's warning for `observation` (none, one or several), in `RiskModelID.allCases` order. Pure: the
    /// caller gathers `facts` (licences on file, complaints in the window) before.
    public func evaluate(_ observation: Observation, facts: RiskFacts) -> [RiskWarning] {
        var texts = ScannedTexts(observation)
        var out: [RiskWarning] = []
        for model in models {
            if let warning = model.evaluate(observation, facts: facts, texts: &texts) { out.append(warning) }
        }
        return out
    }
}

/// A problem in a model file, naming the file, the rule (when in one) and the field, with the line when known.
public struct RiskModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var rule: String?
    public var field: String
    public var line: Int?
    public var reason: String

    public init(file: String, rule: String? = nil, field: String, line: Int? = nil, reason: String) {
        self.file = file
        self.rule = rule
        self.field = field
        self.line = line
        self.reason = reason
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let rule { where_ += ": rule \(rule)" }
        return "\(where_): \(field): \(reason)"
    }
}
