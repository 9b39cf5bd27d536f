import HubModel
import HubStore
import Ingest
import Normalization
import Supervision

/// A kind or status the console shows by its Chinese name instead of its stored code.
///
/// Each conformance switches over every case, so a case added without a name does not compile; values read
/// back as text from PostgreSQL go through `label(_:)`, which names them or, for a value this hub does not
/// know (an older hub's spelling), shows the stored text. `ConsoleLabels.all` lists every labelled type, for the
/// coverage test and the docs' glossary.
protocol ConsoleLabelled: CaseIterable, RawRepresentable, Sendable where RawValue == String {
    /// The Chinese name an operator reads.
    var consoleLabel: String { get }
}

extension ConsoleLabelled {
    /// The name of a stored value; the stored text itself when this hub does not know it, "—" when absent.
    static func label(_ stored: String?) -> String {
        guard let stored, !stored.isEmpty else { return "—" }
        return Self(rawValue: stored)?.consoleLabel ?? stored
    }

    /// Every value with its name, in declaration order (filters' options, exports' legends).
    static var options: [(value: String, label: String)] { allCases.map { ($0.rawValue, $0.consoleLabel) } }
}

/// The one place that lists what the console names: every labelled type with its values.
enum ConsoleLabels {
    /// One labelled type: its name in code and every value with its label.
    struct Domain: Sendable {
        let name: String
        let values: [(value: String, label: String)]
    }

    static func domain<T: ConsoleLabelled>(_ type: T.Type) -> Domain {
        Domain(name: String(describing: type), values: T.options)
    }

    /// Every enum whose values the console, its exports or its filters show.
    static let all: [Domain] = [
        domain(LedgerKind.self), domain(OpsAction.self), domain(LedgerSubjectKind.self), domain(ConsoleJobStore.Kind.self),
        domain(ConsoleJobStore.State.self), domain(RecordResult.Status.self), domain(RecordKind.self), domain(WireOperation.self),
        domain(HoldReason.self), domain(ResolutionRule.self), domain(MappingRule.self), domain(MappingRelationship.self),
        domain(DeliveryState.self), domain(ReviewStatus.self), domain(MatchResult.Decision.self), domain(OutboundKind.self),
        domain(PullSource.self), domain(OpsUser.Role.self), domain(LocalItemStatus.self), domain(ClaimStatus.self),
        domain(ClaimAction.self), domain(PublicationStatus.self), domain(PublicationKind.self), domain(WithdrawalReason.self),
        domain(WithholdingReason.self), domain(BulletinKind.self), domain(BulletinStatus.self), domain(CaseStage.self),
        domain(ClueStatus.self), domain(ClueOrigin.self), domain(ClueVerdict.self), domain(RiskModelID.self),
        domain(ObservationKind.self), domain(RandomCheckPlanStatus.self), domain(RandomCheckTaskStatus.self),
        domain(CreditGrade.self), domain(InspectorStatus.self), domain(LibraryKind.self), domain(MatchStrength.Level.self),
        domain(MessageBatchStatus.self), domain(MessageDirection.self), domain(MessageKind.self), domain(MessageLogFilter.Status.self),
    ]
}

extension ConsoleLabels {
    /// A department as ops staff know it: its name with the code beside it (`衡阳市市场监督管理局 · HY-SCJG`);
    /// the code alone for a department the hub does not know, "—" for none.
    static func department(_ code: String, names: [String: String]) -> String {
        guard !code.isEmpty else { return "—" }
        guard let name = names[code], !name.isEmpty, name != code else { return code }
        return "\(name) · \(code)"
    }
}
