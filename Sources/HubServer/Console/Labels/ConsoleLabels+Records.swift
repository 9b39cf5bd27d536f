import HubModel
import HubStore
import Ingest
import Normalization

// Records, their normalization and their way to the province.

extension RecordResult.Status: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .accepted: "已入账"
        case .held: "待审核"
        case .duplicate: "重复（已有相同版本）"
        case .rejected: "已拒收"
        }
    }
}

extension RecordKind: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .inspection: "行政检查"
        case .penalty: "行政处罚"
        case .coercion: "行政强制"
        case .other: "其他行政行为"
        }
    }
}

/// How a record version reaches the province (`I` new, `U` changed, `D` deleted), as stored with each version.
enum WireOperation: String, ConsoleLabelled {
    case insert = "I"
    case update = "U"
    case delete = "D"

    var consoleLabel: String {
        switch self {
        case .insert: "新增"
        case .update: "更新"
        case .delete: "删除"
        }
    }
}

extension HoldReason: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .noProfile: "部门尚无配置，无法按依据匹配"
        case .ambiguous: "多个候选事项，需人工判断"
        case .unmatched: "目录中没有依据相同的事项"
        case .noImplementation: "已匹配事项，但实施主体尚无该事项的实施清单"
        case .earlierVersionHeld: "同一记录的较早版本仍在等待"
        case .catalogChanged: "目录事项已变更或废止，映射需复核"
        case .underReview: "该本地事项正在审核"
        case .awaitingProvincialCode: "待省级赋码（地方设立事项）"
        }
    }
}

extension ResolutionRule: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .recordCodes: "记录自带编码"
        case .confirmedMapping: "已确认的映射"
        case .legalBasis: "按法律依据自动匹配"
        }
    }
}

/// Who or what confirmed a mapping release (`item_mappings.rule`).
enum MappingRule: String, ConsoleLabelled {
    case human
    case profile
    case `import`
    case legalBasisAuto = "legal-basis-auto"
    case provincialCode = "provincial-code"

    var consoleLabel: String {
        switch self {
        case .human: "人工审核"
        case .profile: "部门配置"
        case .import: "批量导入"
        case .legalBasisAuto: "按法律依据自动匹配"
        case .provincialCode: "省级赋码"
        }
    }
}

/// How a department's local item relates to the catalog item a reviewer chose (`ReviewStore.relationships`).
enum MappingRelationship: String, ConsoleLabelled {
    case equivalent
    case localNarrower = "local-narrower"
    case localBroader = "local-broader"
    case noMatch = "no-match"

    var consoleLabel: String {
        switch self {
        case .equivalent: "等同"
        case .localNarrower: "本地事项更窄（是目录事项的一部分）"
        case .localBroader: "本地事项更宽（包含目录事项）"
        case .noMatch: "目录中无对应事项"
        }
    }
}

/// Where a record version stands on its way to the province (outbox states, plus the two cases without a row).
enum DeliveryState: String, ConsoleLabelled {
    case pending
    case delivered
    case rejected
    case dead
    case waitingForReview = "waiting_for_review"
    case none

    var consoleLabel: String {
        switch self {
        case .pending: "待上报"
        case .delivered: "已送达省平台"
        case .rejected: "省平台拒收"
        case .dead: "投递失败（多次重试未成功，需人工处理）"
        case .waitingForReview: "审核通过后上报"
        case .none: "不上报"
        }
    }
}

extension ReviewStatus: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .open: "待决定"
        case .pendingApproval: "待批准"
        case .closed: "已办结"
        }
    }
}

extension MatchResult.Decision: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .auto: "自动匹配"
        case .review: "需人工审核"
        case .unmatched: "无候选"
        }
    }
}

extension OutboundKind: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .record: "监管行为记录"
        case .checkItem: "抽查事项"
        case .subject: "检查对象"
        case .inspector: "执法检查人员"
        case .plan: "抽查计划"
        case .draw: "摇号结果"
        case .task: "抽查任务"
        case .bulletin: "监管动态/曝光"
        case .caseEvent: "执法案件环节"
        case .publication: "行政执法公示"
        case .clueFeedback: "线索反馈"
        case .riskReport: "风险预警报告"
        case .catalogClaim: "事项认领"
        case .localItem: "地方设立事项"
        }
    }
}
