import Normalization
import Supervision

// The supervision functions' kinds and statuses. Most carry their Chinese name where they are defined (the
// public pages and the PDFs use it too); the console takes it from there, so each value has one name.

extension LocalItemStatus: ConsoleLabelled { var consoleLabel: String { label } }
extension ClaimStatus: ConsoleLabelled { var consoleLabel: String { label } }
extension PublicationStatus: ConsoleLabelled { var consoleLabel: String { chineseName } }
extension PublicationKind: ConsoleLabelled { var consoleLabel: String { chineseName } }
extension WithdrawalReason: ConsoleLabelled { var consoleLabel: String { chineseName } }
extension WithholdingReason: ConsoleLabelled { var consoleLabel: String { chineseText } }
extension BulletinKind: ConsoleLabelled { var consoleLabel: String { label } }
extension BulletinStatus: ConsoleLabelled { var consoleLabel: String { label } }
extension CaseStage: ConsoleLabelled { var consoleLabel: String { nameZh } }
extension ClueStatus: ConsoleLabelled { var consoleLabel: String { label } }
extension ClueOrigin: ConsoleLabelled { var consoleLabel: String { label } }
extension ClueVerdict: ConsoleLabelled { var consoleLabel: String { label } }
extension RiskModelID: ConsoleLabelled { var consoleLabel: String { label } }
extension ObservationKind: ConsoleLabelled { var consoleLabel: String { label } }
extension InspectorStatus: ConsoleLabelled { var consoleLabel: String { labelZh } }
extension LibraryKind: ConsoleLabelled { var consoleLabel: String { labelZh } }
extension CreditGrade: ConsoleLabelled { var consoleLabel: String { labelZh } }

extension ClaimAction: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .claim: "认领"
        case .adjust: "调整"
        case .withdraw: "取消认领"
        }
    }
}

/// A random-check plan's status (`random_check_plans.status`).
enum RandomCheckPlanStatus: String, ConsoleLabelled {
    case proposed, approved, drawn, withdrawn

    var consoleLabel: String {
        switch self {
        case .proposed: "待审批"
        case .approved: "已审批（待摇号）"
        case .drawn: "已摇号"
        case .withdrawn: "已撤回"
        }
    }
}

/// A random-check task's status (`random_check_tasks.status`).
enum RandomCheckTaskStatus: String, ConsoleLabelled {
    case open, done

    var consoleLabel: String {
        switch self {
        case .open: "待检查"
        case .done: "已完成"
        }
    }
}
