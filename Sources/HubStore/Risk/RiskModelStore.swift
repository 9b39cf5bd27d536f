import HubModel
import Logging
import PostgresNIO
import Supervision

/// The versions of the five risk models (`risk_models`): what was in force when, each change a `risk_model`
/// ledger entry.
///
/// A model file is identified by its `version` and the SHA-256 of its bytes. Installing (at `hub serve` and
/// `hub migrate`) stores a model only when its bytes differ from the newest stored ones, and refuses a file
/// whose bytes changed while its version did not: a warning names the version that produced it, so one version
/// must always mean one text.
public struct RiskModelStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// A model stored by `install`: its new version and the one it replaced (nil: the first).
    public struct Installed: Sendable, Hashable {
        public var model: RiskModelID
        public var version: String
        public var sha256: String
        public var previousVersion: String?
        public var ledgerSeq: Int64
    }

    /// A model file changed without a new version.
    public struct VersionNotBumped: Error, Sendable, Hashable, CustomStringConvertible {
        public var model: RiskModelID
        public var version: String
        public var file: String

        public var description: String {
            "风险模型 \(model.rawValue) 的文件 \(file) 已修改，但 version 仍为 \(version)：修改模型须同时提高版本号 "
                + "(the model file \(file) changed but its version is still \(version): a changed model must bump its version)"
        }
    }

    /// Stores every model whose file changed, with one ledger entry each, in one transaction (all or none: a
    /// refused file installs nothing). Unchanged models write nothing. Returns what it stored.
    @discardableResult
    public func install(_ set: RiskModelSet, by user: String) async throws -> [Installed] {
        try await db.client.transaction(logger: db.logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(7411018)", logger: db.logger)
            var newest: [String: (version: String, sha256: String)] = [:]
            var seen: [String: [String: String]] = [:]
            for try await (model, version, sha) in try await conn.query(
                "SELECT model, version, sha256 FROM risk_models ORDER BY id",
                logger: db.logger
            ).decode((String, String, String).self) {
                newest[model] = (version, sha)
                seen[model, default: [:]][version] = sha
            }
            var changed: [(RiskModel, String?)] = []
            for model in set.models {
                let id = model.id.rawValue
                if newest[id]?.sha256 == model.sha256 { continue }
                if let earlier = seen[id]?[model.version], earlier != model.sha256 {
                    throw VersionNotBumped(model: model.id, version: model.version, file: model.file)
                }
                changed.append((model, newest[id]?.version))
            }
            guard !changed.isEmpty else { return [] }
            let drafts = changed.map { model, previous in
                var payload: [(String, JSONValue)] = [
                    ("model", .string(model.id.rawValue)), ("version", .string(model.version)), ("sha256", .string(model.sha256)),
                    ("name", .string(model.name)), ("threshold", .number(String(model.threshold))),
                    ("rules", .number(String(model.rules.count))), ("by", .string(user)),
                ]
                if let previous { payload.append(("previousVersion", .string(previous))) }
                return LedgerDraft(
                    kind: .riskModel,
                    department: "",
                    subject: "risk_model:\(model.id.rawValue)",
                    payload: CanonicalJSON.string(.object(payload))
                )
            }
            let entries = try await LedgerStore.append(drafts, conn, logger: db.logger)
            var out: [Installed] = []
            for ((model, previous), entry) in zip(changed, entries) {
                try await conn.query(
                    """
                    INSERT INTO risk_models (model, version, sha256, body, installed_by, ledger_seq)
                    VALUES (\(model.id.rawValue), \(model.version), \(model.sha256), \(model.source), \(user), \(entry.seq))
                    """,
                    logger: db.logger
                )
                out.append(Installed(model: model.id, version: model.version, sha256: model.sha256, previousVersion: previous, ledgerSeq: entry.seq))
            }
            return out
        }
    }

    /// The version in force of each installed model.
    public func current() async throws -> [RiskModelID: (version: String, sha256: String)] {
        var out: [RiskModelID: (version: String, sha256: String)] = [:]
        for try await (model, version, sha) in try await db.client.query(
            "SELECT DISTINCT ON (model) model, version, sha256 FROM risk_models ORDER BY model, id DESC",
            logger: db.logger
        ).decode((String, String, String).self) {
            if let id = RiskModelID(rawValue: model) { out[id] = (version, sha) }
        }
        return out
    }

    /// The stored text of a model at a version (what produced a warning), nil when never installed.
    public func source(of model: RiskModelID, version: String) async throws -> String? {
        for try await body in try await db.client.query(
            "SELECT body FROM risk_models WHERE model = \(model.rawValue) AND version = \(version) ORDER BY id DESC LIMIT 1",
            logger: db.logger
        ).decode(String.self) { return body }
        return nil
    }
}
