import HubModel

/// How one department's systems speak: its field names, its value codes, its known item mappings.
///
/// Loaded from `Mappings/departments/CODE.yaml` (see `ProfileLoader`). Applying a profile is
/// pure: a department's own record shape goes in, the canonical shape comes out, and the `RecordReader`
/// then checks it like any other record.
public struct DepartmentProfile: Sendable, Hashable {
    public var code: String
    public var name: String
    /// The catalog's short department name (市场监管, 卫健 …): the scope of legal-basis matching.
    public var catalogDepartment: String
    public var agencyCode: String?
    public var agencyName: String?
    /// The agency level digit (3 city, 4 county) used to pick implementation items.
    public var agencyLevel: Int?
    /// Further implementing agencies (实施主体) whose records the department's systems may file, e.g. its
    /// county bureaus (`agencies:` in the profile). The main `agency` is always one of them.
    public var agencies: [Agency] = []
    public var systems: [System]
    /// Local field name (top level of a record) → canonical dotted path, e.g. `jcjg` → `inspection.result`.
    public var fields: [String: String]
    /// Canonical dotted path → (local value → national code), e.g. `inspection.result`: {合格: "01"}.
    public var values: [String: [String: String]]
    public var items: [KnownItem]
    /// Where it was loaded from, for messages.
    public var source: String

    public struct System: Sendable, Hashable {
        public var name: String
        public var mode: String
        /// For `mode: pull`: where and how the hub polls the system.
        public var pull: Pull?
        public init(name: String, mode: String, pull: Pull? = nil) {
            self.name = name
            self.mode = mode
            self.pull = pull
        }
    }

    /// How the hub pulls a department system that cannot push: its endpoint, wire form, credentials and
    /// schedule. The cursor itself is the hub's (a checkpoint per system), not configuration.
    public struct Pull: Sendable, Hashable {
        public var url: String
        /// `json` or `xml`.
        public var format: String
        /// Name of the environment variable holding the bearer token (never the token itself).
        public var tokenEnv: String?
        public var intervalSeconds: Int
        public var pageSize: Int
        /// What the system's pages hold: record batches (the default) or observations for the risk models.
        public var content: Content
        public init(
            url: String,
            format: String = "json",
            tokenEnv: String? = nil,
            intervalSeconds: Int = 60,
            pageSize: Int = 500,
            content: Content = .records
        ) {
            self.url = url
            self.format = format
            self.tokenEnv = tokenEnv
            self.intervalSeconds = intervalSeconds
            self.pageSize = pageSize
            self.content = content
        }

        /// The push a pulled page goes through: `records` as `POST /api/v1/records`, `observations` as
        /// `POST /api/v1/risk/observations` (the profile's `content:` key).
        public enum Content: String, Sendable, Hashable, CaseIterable {
            case records
            case observations
        }
    }

    /// An implementing agency named by the profile.
    public struct Agency: Sendable, Hashable {
        public var code: String
        public var name: String?
        public init(code: String, name: String? = nil) {
            self.code = code
            self.name = name
        }
    }

    /// Every agency the department may file records for: the main one first, then `agencies`.
    public var allAgencies: [Agency] {
        var out: [Agency] = agencyCode.map { [Agency(code: $0, name: agencyName)] } ?? []
        for agency in agencies where !out.contains(where: { $0.code == agency.code }) { out.append(agency) }
        return out
    }

    /// The systems the hub polls.
    public var pulledSystems: [(name: String, pull: Pull)] { systems.compactMap { s in s.pull.map { (s.name, $0) } } }

    /// A local item the department already knows the provincial codes of.
    public struct KnownItem: Sendable, Hashable {
        public var localCode: String
        public var catalogCode: String
        public var implementationCode: String
        public init(localCode: String, catalogCode: String, implementationCode: String) {
            self.localCode = localCode
            self.catalogCode = catalogCode
            self.implementationCode = implementationCode
        }
    }

    public init(
        code: String,
        name: String,
        catalogDepartment: String,
        agencyCode: String? = nil,
        agencyName: String? = nil,
        agencyLevel: Int? = nil,
        systems: [System] = [],
        fields: [String: String] = [:],
        values: [String: [String: String]] = [:],
        items: [KnownItem] = [],
        source: String = ""
    ) {
        self.code = code
        self.name = name
        self.catalogDepartment = catalogDepartment
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.agencyLevel = agencyLevel
        self.systems = systems
        self.fields = fields
        self.values = values
        self.items = items
        self.source = source
    }

    /// Turns one record in the department's own shape into the canonical shape.
    ///
    /// Mapped fields move to their canonical path; fields that are already canonical pass through; any
    /// other field is left for the reader to refuse as unknown (so a typo is never silently dropped).
    /// Values found in the profile's dictionaries become national codes; others pass through and meet the
    /// national dictionary check.
    public func apply(to record: JSONValue) -> JSONValue {
        guard !fields.isEmpty || !values.isEmpty, case .object(let members) = record else { return record }
        var out = JSONValue.object([])
        for (name, value) in members {
            // Only mapped names are re-pathed; any other name stays one member (a dotted name is not a path).
            if let path = fields[name] {
                out = out.setting(path.split(separator: ".").map(String.init), to: value)
            } else {
                out = out.setting([name], to: value)
            }
        }
        for (path, map) in values {
            let parts = path.split(separator: ".").map(String.init)
            if case .string(let local)? = out.value(at: parts), let national = map[local] {
                out = out.setting(parts, to: .string(national))
            } else if case .array(let list)? = out.value(at: parts) {
                out = out.setting(
                    parts,
                    to: .array(
                        list.map { v in
                            if case .string(let s) = v, let n = map[s] { return .string(n) }
                            return v
                        }
                    )
                )
            }
        }
        return out
    }
}

extension JSONValue {
    /// The value at a member path, if every step is an object that has it.
    public func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for p in path { current = current?[p] }
        return current
    }

    /// A copy with `value` at `path`, creating objects on the way.
    /// Objects merge: setting `inspection` to an object keeps `inspection.result` set earlier.
    public func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let first = path.first else {
            if case .object(let existing) = self, case .object(let new) = value {
                var merged = existing.filter { e in !new.contains { $0.0 == e.0 } }
                merged.append(contentsOf: new)
                return .object(merged)
            }
            return value
        }
        var members: [(String, JSONValue)] = if case .object(let m) = self { m } else { [] }
        if let i = members.firstIndex(where: { $0.0 == first }) {
            members[i].1 = members[i].1.setting(Array(path.dropFirst()), to: value)
        } else {
            members.append((first, JSONValue.object([]).setting(Array(path.dropFirst()), to: value)))
        }
        return .object(members)
    }
}
