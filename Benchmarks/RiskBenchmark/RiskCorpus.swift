import HubModel
import HubStore
import Supervision

/// The benchmark's observations: a deterministic city-sized mix, so that the models do the work they do in
/// production — ~35 % online listings (drugs, devices, other goods; prescription drugs with and without a
/// prescription check; device classes 1–3), ~30 % advertisements (medical services, drugs, devices, financial,
/// other), ~25 % complaints (a cluster on a few hundred subjects, so that the 90-day windows hold many), ~10 %
/// licence facts, over 100,000 subjects of which a share hold licences in `licences`. Texts are assembled from a
/// few dozen phrases: offences, their lawful near-misses and plain wording.
struct RiskCorpus {
    static let departments = [("SCJG", "市场监督管理局"), ("YJJ", "药品监督管理局"), ("WJW", "卫生健康委员会"), ("JRB", "地方金融管理局"), ("12315", "投诉举报中心")]
    static let subjectCount = 100_000
    static let hotSubjects = 500
    static let counties = ["430405", "430406", "430407", "430408", "430412", "430421", "430422", "430423", "430424", "430426", "430481", "430482"]

    let count: Int
    let usccs: [String]
    let firstDay = CalendarDate(year: 2026, month: 1, day: 1)!

    init(count: Int) {
        self.count = count
        // Both check characters hold (the organisation code's and the USCC's, `USCC.make` → `withCheckCharacter`):
        // the reader refuses a code that fails either.
        usccs = (0..<Self.subjectCount).map { USCC.make(kind: "91", region: "430400", organisation: String(format: "%08d", 30_000_000 + $0))! }
    }

    func name(_ s: Int) -> String { "\(["衡阳", "湘南", "雁城", "南岳", "蒸湘"][s % 5])\(s)号\(["大药房", "医疗器械有限公司", "商贸有限公司", "医院", "投资管理有限公司"][s / 5 % 5])" }

    /// The licences and filings subject `s` holds: kind, number, valid from, valid until, revoked.
    func licences(of s: Int) -> [(LicenceKind, String, CalendarDate, CalendarDate?, Bool)] {
        var out: [(LicenceKind, String, CalendarDate, CalendarDate?, Bool)] = []
        let from = CalendarDate(year: 2022, month: 1 + s % 12, day: 1 + s % 28)!
        if s % 3 == 0 {
            // Some expired before the year, some revoked: a licence on file is not a licence in force.
            let until = s % 30 == 3 ? CalendarDate(year: 2025, month: 12, day: 31)! : CalendarDate(year: 2027, month: 6, day: 30)!
            out.append((.drugTrading, "湘AA\(String(format: "%07d", s))", from, until, s % 30 == 6))
        }
        if s % 4 == 0 { out.append((.deviceTrading, "湘衡食药监械经营许\(s)号", from, CalendarDate(year: 2028, month: 12, day: 31)!, false)) }
        if s % 5 == 0 { out.append((.deviceFiling, "湘衡食药监械经营备\(s)号", from, nil, false)) }
        if s % 11 == 0 {
            out.append((.medicalInstitution, "PDY\(String(format: "%08d", s))", from, CalendarDate(year: 2029, month: 1, day: 1)!, false))
        }
        if s % 50 == 0 { out.append((.financial, "B\(String(format: "%010d", s))", from, nil, false)) }
        return out
    }

    func licenceRegister() -> [[CopyRows.Field]] {
        var rows: [[CopyRows.Field]] = []
        for s in 0..<Self.subjectCount {
            for (kind, number, from, until, revoked) in licences(of: s) {
                rows.append([
                    .text(usccs[s]), .text(kind.rawValue), .text(number), .text(name(s)), .text(from.description),
                    until.map { .text($0.description) } ?? .null, .text(revoked ? "t" : "f"), .text("YJJ"), .text("LIC-\(s)-\(kind.rawValue)"),
                    .text(from.description), .int(0),
                ])
            }
        }
        return rows
    }

    /// Observation `i` as a row of `observations`, its body the canonical JSON the store keeps.
    func row(_ i: Int) -> [CopyRows.Field] {
        var r = Mix(seed: UInt64(i))
        let observation = self.observation(i, &r)
        let body = String(decoding: CanonicalJSON.encode(observation.json), as: UTF8.self)
        return [
            .text(observation.department), .text(observation.observationId), .text(observation.kind.rawValue),
            .text(observation.observedOn.description), observation.subject.uscc.map(CopyRows.Field.text) ?? .null, .text(observation.subject.name),
            observation.regionCode.map(CopyRows.Field.text) ?? .null, .text(body), .int(0),
        ]
    }

    func observation(_ i: Int, _ r: inout Mix) -> Observation {
        // Dates follow the ids (observations arrive over the year), with a little jitter.
        let day = firstDay.adding(days: min(333, max(0, i * 334 / max(count, 1) + r.int(7) - 3)))
        let slot = r.int(100)
        var s = r.int(Self.subjectCount)
        let region = Self.counties[s % Self.counties.count]
        switch slot {
        case 0..<35:
            let detail = listing(&s, &r)
            let known = r.int(10) != 0
            let subject = ObservedSubject(uscc: known ? usccs[s] : nil, name: name(s))
            return Observation(
                observationId: "L\(i)",
                department: r.int(2) == 0 ? "SCJG" : "YJJ",
                observedOn: day,
                subject: subject,
                regionCode: region,
                detail: .listing(detail)
            )
        case 35..<65:
            let known = r.int(4) != 0
            return Observation(
                observationId: "A\(i)",
                department: "SCJG",
                observedOn: day,
                subject: ObservedSubject(uscc: known ? usccs[s] : nil, name: name(s)),
                regionCode: region,
                detail: .advertisement(advertisement(s, &r))
            )
        case 65..<90:
            // A third of the complaints fall on a few hundred subjects: their 90-day windows hold dozens.
            if r.int(3) == 0 { s = r.int(Self.hotSubjects) * 7 }
            let known = r.int(7) != 0
            let fundraising = s % 7 == 0 && s < Self.hotSubjects * 7 ? r.int(3) != 0 : r.int(10) == 0
            return Observation(
                observationId: "C\(i)",
                department: "12315",
                observedOn: day,
                subject: ObservedSubject(uscc: known ? usccs[s] : nil, name: name(s)),
                regionCode: region,
                detail: .complaint(
                    Complaint(
                        text: fundraising ? r.pick(Self.fundraisingComplaints) : r.pick(Self.otherComplaints),
                        amountFen: r.int(2) == 0 ? Int64(r.int(5_000_000) + 100) : nil,
                        channel: r.pick(["12315", "12345", "来信", "网络"])
                    )
                )
            )
        default:
            var held = licences(of: s)
            if held.isEmpty {
                s -= s % 3
                held = licences(of: s)
            }
            let (kind, number, from, until, revoked) = held[r.int(held.count)]
            return Observation(
                observationId: "F\(i)",
                department: kind == .financial ? "JRB" : kind == .medicalInstitution ? "WJW" : "YJJ",
                observedOn: day,
                subject: ObservedSubject(uscc: usccs[s], name: name(s)),
                regionCode: region,
                detail: .licence(LicenceFact(kind: kind, number: number, validFrom: from, validUntil: until, revoked: revoked))
            )
        }
    }

    /// Most online sellers of drugs and class II/III devices hold the licence (`s` moves to a holder); a fifth of
    /// drug licences are expired or revoked.
    func listing(_ s: inout Int, _ r: inout Mix) -> OnlineListing {
        let category = r.int(100)
        let deviceClass = [1, 1, 1, 1, 2, 2, 2, 3, 3, 3][r.int(10)]
        if r.int(10) < 8 {
            if category < 45 { s -= s % 3 } else if category < 80, deviceClass > 1 { s -= s % 20 }
        }
        let platform = r.pick(["淘宝", "京东", "拼多多", "美团买药", "抖音小店", "微信小程序"])
        let shop = "\(name(s))\(r.pick(["旗舰店", "专营店", "官方店", "小店"]))"
        switch category {
        case 0..<45:
            let prescription = r.int(10) < 4
            let checked: Bool? = prescription ? [true, true, false, nil][r.int(4)] : [nil, false, true][r.int(3)]
            return OnlineListing(
                platform: platform,
                shop: shop,
                productName: prescription ? r.pick(Self.prescriptionDrugs) : r.pick(Self.otcDrugs),
                category: .drug,
                prescription: prescription,
                prescriptionChecked: checked,
                deviceClass: nil,
                seller: name(s),
                text: r.phrases(Self.drugListingTexts, upTo: 2)
            )
        case 45..<80:
            return OnlineListing(
                platform: platform,
                shop: shop,
                productName: r.pick(Self.devices[deviceClass - 1]),
                category: .device,
                prescription: false,
                prescriptionChecked: nil,
                deviceClass: deviceClass,
                seller: name(s),
                text: r.phrases(Self.deviceListingTexts, upTo: 2)
            )
        default:
            return OnlineListing(
                platform: platform,
                shop: shop,
                productName: r.pick(["蛋白粉", "维生素C咀嚼片", "保温杯", "按摩靠垫", "燕窝礼盒"]),
                category: r.int(2) == 0 ? .healthFood : .other,
                prescription: false,
                prescriptionChecked: nil,
                deviceClass: nil,
                seller: name(s),
                text: r.phrases(Self.plainTexts, upTo: 2)
            )
        }
    }

    func advertisement(_ s: Int, _ r: inout Mix) -> Advertisement {
        let product: AdvertisedProduct = [.medicalService, .medicalService, .drug, .drug, .drug, .device, .device, .financial, .other, .other][
            r.int(10)
        ]
        let text: String =
            switch product {
            case .medicalService, .drug, .device: r.phrases(Self.medicalAdTexts, upTo: 3)
            case .financial: r.phrases(Self.financialAdTexts, upTo: 3)
            case .healthFood, .other: r.phrases(Self.plainTexts + Self.financialAdTexts.prefix(3), upTo: 2)
            }
        let approval: String? =
            switch r.int(10) {
            case 0..<7:
                product == .medicalService
                    ? "（湘）医广【2026】第43-\(String(format: "%04d", s % 10_000))号"
                    : "湘\(product == .device ? "械" : "药")广审（文）第2601\(String(format: "%02d", 1 + s % 28))-\(String(format: "%05d", s % 100_000))号"
            case 7: "广审\(s)"
            default: nil
            }
        return Advertisement(
            medium: r.pick(["电视", "广播", "报纸", "户外", "网站", "微信公众号", "短视频"]),
            location: "https://example.cn/ad/\(s)",
            text: text,
            advertiser: name(s),
            approvalNumber: approval,
            product: product
        )
    }

    static let medicalAdTexts = [
        "本院专治各类皮肤顽疾，保证治愈，无效退款", "治愈率高达98%，数万患者已康复", "专家推荐，国际领先技术", "比其他医院疗效更好，全省第一",
        "我妈吃了三个疗程，腰不疼了", "一次根治，永不复发", "无任何副作用，纯中药配方", "治好了5000多例顽固性失眠患者",
        "抖音百万粉丝博主亲测推荐", "请按药品说明书或者在药师指导下购买和使用", "本院不承诺治愈率，疗效因人而异", "请勿相信任何保证治愈的宣传",
        "禁忌内容或者注意事项详见说明书", "本广告仅供医学药学专业人士阅读", "医保定点医院，周末门诊正常", "三甲医院专家团队坐诊，预约挂号",
        "本品为非处方药，不良反应详见说明书", "医疗器械注册证号见产品标签", "请仔细阅读产品说明书或者在医务人员的指导下购买和使用",
        "冬季呼吸道疾病高发，注意防护", "服务热线 400-800-1234", "8成以上的患者明显改善", "一个疗程摆脱病痛",
    ]
    static let financialAdTexts = [
        "年化收益18%，保本保息", "千元起投，面向社会公开招募合伙人", "每月返3%分红，到期还本", "稳赚不赔，上市后翻十倍",
        "理财非存款，产品有风险，投资须谨慎", "本产品不保本，过往业绩不代表未来表现", "银行存款利率以营业网点公告为准", "月月拿分红，消费全返",
        "养老项目，老少皆宜，人人可投", "持牌金融机构，受国家金融监督管理总局监管",
    ]
    static let drugListingTexts = [
        "无需处方，直接下单", "免问诊，当天发货", "请上传处方，药师审核后发货", "凭医师处方购买，执业药师在线审方", "正品保障，次日达",
        "本品为处方药，请在医生指导下使用", "OTC 非处方药，按说明书使用", "可以不开方子直接拍", "药监局批准，国药准字", "满99包邮",
    ]
    static let deviceListingTexts = [
        "医疗器械注册证齐全", "家用款，操作简单", "厂家直销，假一赔十", "三类器械，医院同款", "备案凭证见详情页", "七天无理由退换", "送电池一对",
    ]
    static let plainTexts = ["新品上市，限时优惠", "买二送一", "全国包邮", "好评返现五元", "品质生活，从这里开始", "门店地址见地图"]
    static let fundraisingComplaints = [
        "投资后无法提现，本金拿不回", "承诺年化20%收益，现在老板跑路了", "拉人入会集资，现在兑付不了", "说好保本保息，到期不还本金",
        "养老项目吸收存款后爆雷", "平台显示余额但提现不了",
    ]
    static let otherComplaints = [
        "购买的药品包装破损，要求退货", "服务态度差，拒绝开发票", "商品与描述不符", "快递三天未发货", "会员卡余额无法退还", "医院收费不透明，多收检查费",
        "器械用了两次就坏了", "价格标示不清",
    ]
    static let prescriptionDrugs = ["阿莫西林胶囊", "头孢克肟片", "氯沙坦钾片", "阿托伐他汀钙片", "奥美拉唑肠溶胶囊", "甲硝唑片", "二甲双胍缓释片"]
    static let otcDrugs = ["布洛芬缓释胶囊", "板蓝根颗粒", "维生素C片", "复方感冒灵颗粒", "蒙脱石散", "创可贴"]
    static let devices = [["医用外科口罩", "医用棉签", "退热贴", "拔罐器"], ["电子血压计", "血糖仪", "医用雾化器", "制氧机"], ["一次性使用输液器", "隐形眼镜", "人工晶状体"]]
}

/// SplitMix64: a fixed, fast sequence per observation index, so a row is the same whatever the run.
struct Mix {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ list: [T]) -> T { list[int(list.count)] }

    /// One to `upTo` phrases of `list`, joined as a sentence.
    mutating func phrases(_ list: [String], upTo: Int) -> String {
        (0..<(1 + int(upTo))).map { _ in pick(list) }.joined(separator: "，") + "。"
    }
}
