import HubStore
import Ingest

// 报送日志: how a batch went, which way it came, what it held, and the list's status filter.

extension MessageBatchStatus: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .accepted: "全部入账"
        case .held: "部分待审核"
        case .rejected: "部分拒收"
        case .refused: "整批拒收"
        }
    }
}

extension MessageDirection: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .push: "部门推送"
        case .pull: "平台拉取"
        }
    }
}

extension MessageKind: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .records: "监管行为记录"
        case .receipts: "回执"
        case .observations: "风险监测数据"
        case .libraries: "一单两库"
        case .taskResults: "抽查任务结果"
        case .caseEvents: "执法案件环节"
        case .other: "其他"
        }
    }
}

extension MessageLogFilter.Status: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .rejected: "有拒收（含整批拒收）"
        case .refused: "整批拒收"
        case .held: "有待审核"
        case .duplicate: "有重复"
        case .accepted: "全部入账"
        }
    }
}
