import HubModel
import HubStore

// The ledger, console jobs and the pulls.

extension LedgerKind: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .record: "监管行为记录"
        case .mapping: "事项映射"
        case .catalog: "目录变更"
        case .checkpoint: "签名检查点"
        case .reviewDecision: "审核决定"
        case .opsAction: "运维操作"
        case .provincialReceipt: "省平台回执"
        case .taskFeedback: "联合抽查任务反馈"
        case .randomCheckLibrary: "双随机名录库"
        case .randomCheckPlan: "抽查计划"
        case .randomCheckDraw: "摇号"
        case .randomCheckMerge: "联合检查合并"
        case .bulletin: "监管动态/曝光"
        case .caseEvent: "执法案件环节"
        case .publication: "行政执法公示"
        case .riskModel: "风险模型版本"
        case .observation: "风险监测数据"
        case .clueReceived: "线索接收"
        case .clueAssigned: "线索分派"
        case .clueVerified: "线索核查"
        case .clueDisposed: "线索处置"
        case .clueClosed: "线索办结"
        case .clueOverdue: "线索逾期"
        case .riskReport: "风险预警报告"
        case .catalogClaim: "事项认领"
        case .localItem: "地方设立事项"
        }
    }
}

extension OpsAction: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .consoleSignIn: "登录控制台"
        case .apiSignIn: "登录运维接口"
        case .cliSignIn: "命令行登录"
        case .consoleSignOut: "退出控制台"
        case .signInFailed: "登录失败"
        case .signInLocked: "登录被锁定"
        case .userDisabled: "停用账号"
        case .partyLookup: "按当事人查询"
        case .ledgerVerify: "校验台账"
        case .keyRotated: "更换部门密钥"
        case .keysRevoked: "吊销部门密钥"
        case .outboxRequeue: "重新投递"
        case .calendarLoaded: "载入工作日历"
        }
    }
}

/// What a ledger entry is about, by the prefix of its subject (`catalog:43…`, `case:…`): the noun shown before
/// the rest of the subject.
enum LedgerSubjectKind: String, ConsoleLabelled {
    case catalog, checkpoint, publication, `case`, clue, observation, mapping, review, calendar, subject, item
    case inspector, conflict, news, exposure
    case riskModel = "risk_model"
    case riskReport = "risk_report"
    case catalogClaim = "catalog_claim"
    case localItem = "local_item"

    var consoleLabel: String {
        switch self {
        case .catalog: "目录事项"
        case .checkpoint: "检查点，条目数"
        case .publication: "公示"
        case .case: "案件"
        case .clue: "线索"
        case .observation: "监测数据"
        case .mapping: "本地事项"
        case .review: "审核"
        case .calendar: "工作日历"
        case .subject: "检查对象"
        case .item: "抽查事项"
        case .inspector: "执法检查人员"
        case .conflict: "利害关系"
        case .news: "监管动态"
        case .exposure: "曝光台"
        case .riskModel: "风险模型"
        case .riskReport: "预警报告"
        case .catalogClaim: "认领"
        case .localItem: "地方设立事项"
        }
    }
}

extension ConsoleLabels {
    /// A ledger entry's subject in words: an ops action by name (`console_sign_in` → 登录控制台), a prefixed
    /// subject with its noun (`catalog:43008100010000` → 目录事项 43008100010000), a record's `localId#version` as
    /// 记录 … 第 n 版; anything else as stored.
    static func ledgerSubject(kind: String, subject: String) -> String {
        if let action = OpsAction(rawValue: subject) { return action.consoleLabel }
        if LedgerKind(stored: kind) == .record, let hash = subject.lastIndex(of: "#"), let version = Int(subject[subject.index(after: hash)...]) {
            return "记录 \(subject[..<hash]) 第 \(version) 版"
        }
        if let colon = subject.firstIndex(of: ":") {
            let prefix = String(subject[..<colon])
            let rest = subject[subject.index(after: colon)...]
            if prefix == OpsAction.calendarLoaded.rawValue { return "\(OpsAction.calendarLoaded.consoleLabel) \(rest) 年" }
            if let noun = LedgerSubjectKind(rawValue: prefix) { return "\(noun.consoleLabel) \(rest)" }
        }
        return subject
    }
}

extension ConsoleJobStore.Kind: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .verify: "台账校验"
        case .checkpoint: "生成检查点"
        case .proof: "包含证明"
        }
    }
}

extension ConsoleJobStore.State: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .running: "进行中"
        case .done: "已完成"
        case .failed: "失败"
        }
    }
}

/// The province's feeds the hub pulls (`sync_checkpoints.name`); departments' own systems are `pull:CODE:n`.
enum PullSource: String, ConsoleLabelled {
    case catalog = "province:catalog"
    case tasks = "province:tasks"
    case clues = "province:clues"
    case creditGrades = "province:credit-grades"
    case feedback = "province:feedback"

    var consoleLabel: String {
        switch self {
        case .catalog: "省平台 · 目录变更"
        case .tasks: "省平台 · 联合抽查任务"
        case .clues: "省平台 · 风险线索"
        case .creditGrades: "省平台 · 信用等级"
        case .feedback: "省平台 · 任务反馈转发"
        }
    }

    /// A pull's name in words, departments' systems included (`pull:HY-SCJG:1` → 部门系统 · HY-SCJG #1).
    static func name(_ stored: String) -> String {
        if let source = PullSource(rawValue: stored) { return source.consoleLabel }
        if stored.hasPrefix("pull:") { return "部门系统 · " + stored.dropFirst(5).replacingOccurrences(of: ":", with: " #") }
        return stored
    }
}

extension OpsUser.Role: ConsoleLabelled {
    var consoleLabel: String {
        switch self {
        case .reviewer: "审核人"
        case .approver: "审批人"
        case .admin: "管理员"
        case .auditor: "审计员"
        case .pii: "个人信息查看"
        }
    }
}
