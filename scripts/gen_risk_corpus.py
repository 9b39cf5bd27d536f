#!/usr/bin/env python3
"""Writes the labelled corpus the five risk models are measured on: Tests/SupervisionTests/Fixtures/risk-corpus.json.

Each case is one observation in the push document's JSON shape (docs/RISK.md, "Observations in"), the facts the
store would gather for it (licences on file for the subject's USCC, complaints against the subject in the window)
and the set of models that should warn (possibly empty), with the scenario it was drawn from.

How the text is written: from public descriptions of each offence — 广告法 第十六条 (what medical, drug and device
ads may not contain), 药品管理法 and 药品网络销售监督管理办法 (licence, prescription check), 医疗器械监督管理条例
(class II filing, class III licence, class I neither), 防范和处置非法集资条例 (promised returns, the public, no
licence) — as an advertiser, a shop or a complainant would phrase it: sentence fragments put together in varied
order, with synonyms, spaces inside words, full-width digits and emoji. The fragments were written as ad and
complaint language, not copied from the models' term lists; some offences are phrased in ways the models'
terms do not cover (a cure rate in Chinese numerals, an endorsement without a keyword) so that the measure is not
trivially perfect. The near-misses are the legal twins of each offence: approved ads with the required statements,
licensed sellers, OTC drugs, class I devices, deposit ads of licensed banks, complaints about service quality.

The label of a case follows from the scenario (what the observation is, in law), not from running the models.

`--holdout` writes risk-corpus-holdout.json instead: the same scenarios with other offence and near-miss wording
(HOLDOUT below), written after the models were tuned on the main corpus and not used to tune them.

Usage: scripts/gen_risk_corpus.py [--holdout] [--seed N] [--out PATH]. Python 3 standard library only; deterministic.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/SupervisionTests/Fixtures/risk-corpus.json"
HOLDOUT_OUT = ROOT / "Tests/SupervisionTests/Fixtures/risk-corpus-holdout.json"

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
REGIONS = ["430405", "430406", "430407", "430408", "430412", "430421", "430422", "430423", "430424", "430426", "430481", "430482"]
OBSERVED = "2026-11-02"


class Corpus:
    def __init__(self, seed: int, holdout: bool = False) -> None:
        self.r = random.Random(seed)
        self.holdout = holdout
        self.cases: list[dict] = []
        self.serial = 0

    # --- identifiers -------------------------------------------------------------------------------------------

    def uscc(self, kind: str = "91") -> str:
        r = self.r
        region = r.choice(REGIONS)
        body = "".join(r.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        digits = [int(c, 36) if c.isdigit() else 10 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(c) for c in body]
        s = sum(w * d for w, d in zip(ORG_WEIGHTS, digits))
        c = 11 - s % 11
        org_check = "X" if c == 10 else "0" if c == 11 else str(c)
        first17 = kind + region + body + org_check
        total = sum(USCC_WEIGHTS[i] * USCC_CHARS.index(ch) for i, ch in enumerate(first17))
        check = (31 - total % 31) % 31
        return first17 + USCC_CHARS[check]

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-2026-{self.serial:05d}"

    # --- text helpers ------------------------------------------------------------------------------------------

    def fw(self, text: str) -> str:
        """Sometimes full-width digits and letters, as some ads write them."""
        if self.r.random() < 0.25:
            return "".join(chr(ord(c) + 0xFEE0) if ("0" <= c <= "9" or "A" <= c <= "Z" or c == "%") else c for c in text)
        return text

    def spaced(self, phrase: str) -> str:
        """Sometimes spaces inside a phrase (a common way to slip past keyword filters)."""
        if self.r.random() < 0.15 and len(phrase) > 1:
            return " ".join(phrase)
        return phrase

    def emoji(self) -> str:
        return self.r.choice(["", "", "", "🔥", "✅", "👍", "💊", "❗", "👨‍⚕️", "🏥", "📞", "💰", "🎉"])

    def join(self, parts: list[str]) -> str:
        parts = [p for p in parts if p]
        seps = ["，", "。", "！", " ", "；", ", "]
        out = parts[0]
        for p in parts[1:]:
            out += self.r.choice(seps) + p
        return out + self.r.choice(["", "。", "！", self.emoji()])

    def pick(self, xs: list[str]) -> str:
        return self.r.choice(xs)

    # --- facts -------------------------------------------------------------------------------------------------

    def licence(self, kind: str, state: str = "valid") -> dict:
        r = self.r
        prefix = {"drug_trading": "湘AA", "medical_institution": "PDY", "device_trading": "湘衡食药监械经营许", "device_filing": "湘衡食药监械经营备",
                  "financial": "B"}[kind]
        number = prefix + "".join(r.choice("0123456789") for _ in range(8))
        if state == "valid":
            return {"kind": kind, "number": number, "validFrom": "2023-03-01", "validUntil": "2028-02-29", "revoked": False}
        if state == "open":  # a filing without expiry
            return {"kind": kind, "number": number, "validFrom": "2022-06-15", "validUntil": None, "revoked": False}
        if state == "expired":
            return {"kind": kind, "number": number, "validFrom": "2020-09-01", "validUntil": r.choice(["2025-08-31", "2026-10-31", "2026-06-30"]),
                    "revoked": False}
        if state == "revoked":
            return {"kind": kind, "number": number, "validFrom": "2022-01-01", "validUntil": "2027-01-01", "revoked": True}
        if state == "future":
            return {"kind": kind, "number": number, "validFrom": "2026-12-01", "validUntil": "2031-11-30", "revoked": False}
        raise ValueError(state)

    def facts(self, licences: list[dict] | None = None, complaints: int = 0) -> dict:
        return {"licences": licences or [], "recentComplaints": complaints,
                "recentComplaintIds": [f"C-PRIOR-{self.serial}-{i}" for i in range(complaints)], "complaintWindowDays": 90}

    def add(self, scenario: str, observation: dict, facts: dict, expected: list[str]) -> None:
        self.cases.append({"scenario": scenario, "observation": observation, "facts": facts, "expected": sorted(expected)})

    # --- observations ------------------------------------------------------------------------------------------

    def ad(self, product: str, text: str, approval: str | None, subject: dict, medium: str | None = None) -> dict:
        return {
            "observationId": self.next_id("AD"), "kind": "advertisement", "observedOn": OBSERVED, "subject": subject,
            "regionCode": self.r.choice(REGIONS),
            "advertisement": {"medium": medium or self.pick(["web", "tv", "radio", "outdoor", "print", "social"]),
                              "location": self.pick(["https://m.example-news.cn/a/", "https://video.example.com/v/", "衡阳火车站出站口灯箱",
                                                     "衡阳日报第7版", "衡阳交通广播FM"]) + str(self.r.randint(1000, 9999)),
                              "text": text, "advertiser": subject["name"], "approvalNumber": approval, "product": product},
        }

    def listing(self, category: str, name: str, text: str, subject: dict, prescription: bool = False, checked: bool | None = None,
                device_class: int | None = None) -> dict:
        shop = subject["name"]
        return {
            "observationId": self.next_id("L"), "kind": "listing", "observedOn": OBSERVED, "subject": subject,
            "listing": {"platform": self.pick(["某电商平台", "某外卖平台", "某社交电商", "某直播平台", "某医药电商平台"]), "shop": shop,
                        "productName": name, "category": category, "prescription": prescription, "prescriptionChecked": checked,
                        "deviceClass": device_class, "seller": shop, "text": text},
        }

    def complaint(self, text: str, subject: dict, amount: int | None = None) -> dict:
        return {"observationId": self.next_id("C"), "kind": "complaint", "observedOn": OBSERVED, "subject": subject,
                "complaint": {"text": text, "amountFen": amount, "channel": self.pick(["12315", "12345", "来信", "网上举报"])}}

    def subject(self, name: str, with_uscc: float = 0.85) -> dict:
        s = {"name": name}
        if self.r.random() < with_uscc:
            s["uscc"] = self.uscc(self.pick(["91", "91", "92"]))
        return s


# --- fragments -----------------------------------------------------------------------------------------------------

HOSPITALS = ["衡阳仁和", "衡阳康华", "雁城博爱", "衡州协和", "湘南佳美", "石鼓同济", "蒸湘长安", "珠晖德济", "南岳华夏", "耒阳光明"]
SPECIALTIES = ["男科", "妇科", "皮肤科", "肛肠科", "眼科", "耳鼻喉科", "不孕不育", "癫痫专科", "银屑病专科", "白癜风专科", "口腔科", "骨科"]
DISEASES = ["前列腺炎", "银屑病", "白癜风", "痔疮", "鼻炎", "颈椎病", "腰椎间盘突出", "湿疹", "失眠", "胃病", "痛风", "风湿骨痛", "糖尿病", "高血压"]
DRUGS_OTC = ["布洛芬缓释胶囊", "板蓝根颗粒", "复方氨酚烷胺片", "维生素C泡腾片", "感冒灵颗粒", "健胃消食片", "藿香正气水", "氯雷他定片", "开塞露", "云南白药气雾剂"]
DRUGS_RX = ["阿莫西林胶囊", "头孢克肟分散片", "阿托伐他汀钙片", "二甲双胍缓释片", "左氧氟沙星片", "氨氯地平片", "奥美拉唑肠溶胶囊", "西地那非片",
            "甲硝唑片", "泼尼松片", "艾司唑仑片", "利伐沙班片"]
DEVICES_1 = ["医用冷敷贴", "压舌板", "医用棉签", "创可贴", "医用退热贴", "检查手套", "医用口罩（非无菌）", "拔罐器"]
DEVICES_2 = ["电子血压计", "血糖仪", "医用雾化器", "电子体温计", "制氧机", "助听器", "避孕套", "医用外科口罩", "理疗仪", "血氧仪"]
DEVICES_3 = ["隐形眼镜", "胰岛素泵", "注射用透明质酸钠凝胶", "心脏起搏器", "一次性使用无菌注射器", "人工晶体", "骨科植入螺钉", "医用缝合线"]
CITY = ["衡阳", "雁城", "湘南"]

APPROVED_DRUG = ["湘药广审（文）第{d}-{n}号", "湘药广审(视)第{d}-{n}号", "粤药广审（声）第{d}-{n}号", "湘药广审（文）第 {d}-{n} 号"]
APPROVED_DEVICE = ["湘械广审（文）第{d}-{n}号", "湘械广审(视)第{d}-{n}号", "京械广审（文）第{d}-{n}号"]
APPROVED_MEDICAL = ["湘医广【{y}】第{a}-{b}-{c}号", "湘医广[{y}]第{a}{b}{c}号", "（湘）医广【{y}】第{a}-{c}号"]
NOT_APPROVAL = ["国药准字H{n8}", "国药准字Z{n8}", "湘械注准{n11}", "已审核", "广审号见官网", "药广审第{n3}号", "医广{n3}号", "湘卫医广第号"]



# The held-out phrasing (`--holdout`): written after the models were tuned on the main corpus, and never used to
# tune them, so that its numbers estimate how the models do on wording they were not fitted to.
HOLDOUT: dict[str, list[str]] = {
    "guarantees": ["祖传秘方，专治{d}，三副药见好", "{d}患者福音：一个疗程摆脱病痛，不再反复", "服用七天症状全消，停药不反弹",
                   "告别{d}，只需一次微创，疗效终身有效", "{d}克星，用一盒见效一盒", "本疗法安全可靠，对身体零伤害", "无效可退，放心购买",
                   "{d}再顽固也能拿下"],
    "rates": ["{n}成以上的{d}患者三个月内明显改善", "近三年接诊{d}患者逾{n}万人次，绝大多数已康复", "{d}临床缓解比例达到{p}%",
              "好转的人占到了{p}%", "十人用九人说好"],
    "comparisons": ["同样的{d}，别处要花三万，这里一次解决，效果还更好", "疗效是传统药物的三倍", "湘南地区技术最强的{d}中心",
                    "国内罕见，省内独有的{d}疗法", "胜过进口药"],
    "endorsements": ["央视健康栏目特邀嘉宾张医生为您讲解并推荐", "来自长沙的刘阿姨说：吃了以后腿脚利索多了", "某知名歌手也在用",
                     "千名患者联名推荐", "十年老病号亲口讲述康复经历"],
    "disclaimers": ["治疗效果与个人体质有关，请以医嘱为准", "本院严格执行诊疗规范，不做疗效承诺", "请勿相信任何保证治愈的宣传",
                    "药品使用请咨询执业药师", "本品为处方药，本广告仅供医学药学专业人士阅读"],
    "promises": ["加盟{k}万，月月拿分红，三年回本后纯赚", "资金托管，承诺一年期收益不低于{p}%", "签订借款合同，月付利息{s}%，到期一次性还本",
                 "购买养老公寓床位，每年租金回报{p}%，到期原价回购", "数字资产项目，静态收益日结，动态收益无上限", "矿机托管，一台矿机半年回本",
                 "消费全返：消费多少返多少"],
    "publics": ["欢迎亲朋好友一起加入", "街道社区宣讲会，现场签约有礼", "转发朋友圈可领体验金", "最低五千即可参与", ""],
    "grievances": ["{n}的人承诺每月给2分利息，我借给他们{k}万，现在人找不到了", "{n}让我们买理财，说比存银行划算，现在钱取不出来",
                   "家里老人被{n}忽悠买了养老项目，说好的回购不兑现", "{n}以投资农业基地为名向村民借钱，到期不还"],
    "quality": ["{n}的空调安装收费不透明", "{n}预付的课时费没上完课就停课了，要求退费", "{n}销售的奶粉临期", "{n}的物业服务差，电梯经常坏"],
    "waivers": ["可以不开方子直接拍", "没有医生开的单子也卖", "拍下备注症状即可，无需提供处方", "处方由平台合作医生代为开具", "线上问诊走个流程，秒过"],
}

def approval(c: Corpus, product: str) -> str:
    r = c.r
    d = f"{r.choice([24, 25, 26])}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    n = f"{r.randint(1, 99999):05d}"
    if product == "drug":
        t = c.pick(APPROVED_DRUG)
    elif product == "device":
        t = c.pick(APPROVED_DEVICE)
    else:
        t = c.pick(APPROVED_MEDICAL)
    return t.format(d=d, n=n, y=r.choice([2025, 2026]), a=f"{r.randint(1, 12):02d}", b=f"{r.randint(1, 30):02d}", c=f"{r.randint(1, 999):03d}")


def not_approval(c: Corpus) -> str:
    r = c.r
    return c.pick(NOT_APPROVAL).format(n8=f"{r.randint(10000000, 99999999)}", n11=f"{r.randint(20150000000, 20269999999)}", n3=r.randint(100, 999))


def medical_subject(c: Corpus, product: str) -> tuple[dict, str]:
    if product == "medical_service":
        name = f"{c.pick(HOSPITALS)}{c.pick(['医院', '门诊部', '专科医院', '中医诊所'])}"
        return c.subject(name, 0.95), c.pick(SPECIALTIES)
    if product == "drug":
        return c.subject(f"{c.pick(['湖南', '衡阳', '湘南'])}{c.pick(['康源', '仁济', '本草', '华润', '百草'])}制药有限公司", 0.9), c.pick(DRUGS_OTC + DRUGS_RX)
    return c.subject(f"{c.pick(['衡阳', '湖南', '深圳'])}{c.pick(['安康', '健维', '瑞宁', '佳护'])}医疗器械有限公司", 0.9), c.pick(DEVICES_2 + DEVICES_3)


def neutral_medical(c: Corpus, product: str, what: str) -> list[str]:
    """What a lawful ad says: who, what, where, how to book, the required statements."""
    parts = []
    if product == "medical_service":
        parts += [c.pick([f"{what}门诊时间周一至周日8:00-17:30", f"开设{what}，医保定点", f"{what}，预约挂号请拨打0734-8{c.r.randint(100000, 999999)}",
                          f"地址：{c.pick(['蒸湘区', '雁峰区', '石鼓区'])}{c.pick(['解放路', '船山大道', '立新大道', '蒸湘北路'])}{c.r.randint(1, 300)}号",
                          "提供门诊、住院、体检服务", "公交1路、18路可达", "医疗机构执业许可证号详见院内公示"])]
        parts += [c.pick(["医疗机构名称以执业许可证为准", "具体诊疗方案以医生面诊为准", "请到正规医疗机构就诊", ""])]
    elif product == "drug":
        parts += [c.fw(what), c.pick(["用于缓解轻至中度疼痛", "用于感冒引起的发热、头痛", "用于消化不良", "适应症详见说明书", "按说明书使用"])]
        parts += [c.pick(["请按药品说明书或者在药师指导下购买和使用", "禁忌内容或者注意事项详见说明书", "请仔细阅读说明书并按说明使用或在药师指导下购买和使用"])]
        if c.r.random() < 0.3:
            parts.append(c.pick(["本品为甲类非处方药", "OTC 乙类非处方药", "本品为处方药，请凭医师处方购买", "本广告仅供医学药学专业人士阅读"]))
    else:
        parts += [c.fw(what), c.pick(["家用医用两相宜", "操作简便，读数清晰", "出厂前逐台检验", "适用范围详见说明书"])]
        parts += [c.pick(["请仔细阅读产品说明书或者在医务人员的指导下购买和使用", "禁忌内容或者注意事项详见说明书"])]
    return parts


def gen_medical_ads(c: Corpus) -> None:
    # Forbidden claims, each offence phrased several ways (广告法 第十六条).
    guarantees = [
        "保证{d}彻底治愈，不复发", "包您{d}好转，无效全额退款", "治不好{d}不收钱", "{d}一次治疗终身不犯", "签订协议，{d}不愈退款",
        "纯中药配方，绝对安全没有任何毒副作用", "三个疗程{d}彻底断根", "用药当天见效，{d}药到病除", "我们承诺：{d}治愈为止",
        "{d}从此告别复发烦恼，永 不 复 发", "无痛无创，当天手术当天出院，效果百分百", "{d}不好全额退款", "一贴止痛，用过都说好",
    ]
    rates = [
        "{d}治愈率高达{p}%", "临床总有效率{p}%", "{d}康复率{p}%以上", "有效率达{p}%", "{n}万{d}患者在这里康复", "治疗{d}，十个患者九个好",
        "{p}%的{d}患者一个疗程见效", "治好了{n}000多例{d}", "{d}患者痊愈率超过{p}%", "经{n}000例临床验证，显效率{p}%",
    ]
    comparisons = [
        "疗效远超普通西药", "比手术更安全、比吃药更有效", "{c}治疗{d}最好的医院", "全市第一家引进此技术", "国际领先的{d}疗法，效果比同类产品好三倍",
        "别家治不好的{d}，我们能治", "同类药物中疗效最好", "比其他医院费用低一半、效果好一倍", "唯一通过认证的{d}特效疗法",
    ]
    endorsements = [
        "患者李女士：“我的{d}十年了，在这里治了一个月就好了”", "国家级专家亲自推荐", "知名演员倾情代言", "老病号现身说法：吃了两盒就不疼了",
        "真实病例分享：王先生{d}治疗前后对比", "三甲医院退休主任力荐", "我妈吃了三个月，{d}指标全正常了", "听听康复的病友怎么说",
        "XX大学教授联合推荐", "抖音百万粉丝博主亲测",
    ]
    if c.holdout:
        guarantees, rates, comparisons, endorsements = (HOLDOUT[k] for k in ("guarantees", "rates", "comparisons", "endorsements"))
    kinds = [("guarantee", guarantees), ("rate", rates), ("comparison", comparisons), ("endorsement", endorsements)]
    for i in range(140):
        product = c.pick(["medical_service", "medical_service", "drug", "device"])
        subject, what = medical_subject(c, product)
        d = c.pick(DISEASES)
        n_claims = 1 if c.r.random() < 0.7 else 2
        claims = []
        for kind, pool in c.r.sample(kinds, n_claims):
            claims.append(c.fw(c.pick(pool).format(d=d, p=c.r.choice([85, 90, 92, 95, 96.8, 98, 99, 100]), n=c.r.randint(1, 9), c=c.pick(CITY))))
        parts = neutral_medical(c, product, what)[:-1] + claims
        c.r.shuffle(parts)
        has_approval = c.r.random() < 0.6
        text = c.join([c.emoji()] + parts)
        c.add("medical_ad_forbidden_claim", c.ad(product, text, approval(c, product) if has_approval else None, subject), c.facts(),
              ["false_medical_ad"])
    # No approval number, or a number that is not an ad approval (a drug's 国药准字, a device's 注册证号), else lawful text.
    for i in range(50):
        product = c.pick(["medical_service", "drug", "device"])
        subject, what = medical_subject(c, product)
        number = None if c.r.random() < 0.55 else not_approval(c)
        c.add("medical_ad_no_approval", c.ad(product, c.join(neutral_medical(c, product, what)), number, subject), c.facts(), ["false_medical_ad"])
    # Lawful ads: approved, with the required statements; some with disclaimers that mention the forbidden words.
    disclaimers = ["疗效因人而异，本院不承诺治愈率", "不保证治疗效果，请遵医嘱", "本品不能根治，需长期规范用药", "具体效果请咨询医生，不作任何保证",
                   "请在医生指导下使用", "效果因个体差异而不同", "请勿轻信“包治”“根治”等宣传"]
    if c.holdout:
        disclaimers = HOLDOUT["disclaimers"]
    for i in range(100):
        product = c.pick(["medical_service", "drug", "device"])
        subject, what = medical_subject(c, product)
        parts = neutral_medical(c, product, what)
        if c.r.random() < 0.35:
            parts.append(c.pick(disclaimers))
        c.r.shuffle(parts)
        c.add("medical_ad_lawful", c.ad(product, c.join(parts), approval(c, product), subject), c.facts(), [])
    # Health food and everyday products: outside the medical-ad model (no approval number needed for these texts).
    others = ["{w}，每日两粒，营养均衡", "{w}，蓝帽子标志，国食健注G2020{n}", "{w}，新品上市，买二送一", "{w}，适宜人群：免疫力低下者",
              "{w}，本品不能代替药物", "{w}限时特惠，到店有礼"]
    for i in range(30):
        product = c.pick(["health_food", "other", "health_food"])
        w = c.pick(["蛋白粉", "钙片", "鱼油软胶囊", "益生菌固体饮料", "按摩椅", "护眼台灯", "净水器"])
        text = c.pick(others).format(w=w, n=c.r.randint(1000, 9999))
        c.add("non_medical_ad", c.ad(product, c.fw(text), None, c.subject(f"{c.pick(['衡阳', '湖南'])}{c.pick(['健源', '优品', '美家'])}商贸有限公司")),
              c.facts(), [])


def gen_fundraising(c: Corpus) -> None:
    promises = [
        "年化收益{p}%，保本保息", "投资{k}万元，每月返还{m}元", "月息{s}分，到期还本", "稳赚不赔，本金100%安全", "固定回报，一年回本",
        "投一万每月分红{m}元", "年回报率高达{p}%", "本金有保障，收益按月到账", "存一万，一年多赚{m}0元，比银行高五倍", "入股即享每年{p}%分红",
        "零风险高收益，随时可取", "日息千分之{s}，利滚利", "养老项目：交{k}万，每年返{p}%，十年后本金全退",
        "认购原始股，上市后翻十倍", "认养一头牛，每月领{m}元收益",
    ]
    publics = [
        "面向社会公开招募投资人", "人人都能参与，千元起投", "推荐朋友加入再拿{p}%佣金", "欢迎广大市民咨询认购", "带人进来有奖励，层层分红",
        "不限年龄、不看征信", "诚招城市合伙人", "老年朋友专场说明会，免费领鸡蛋", "",
    ]
    if c.holdout:
        promises, publics = HOLDOUT["promises"], HOLDOUT["publics"]
    names = ["惠民投资咨询", "鑫盛财富管理", "聚财农业发展", "福康养老服务", "金牛生态养殖", "汇通商贸", "众信科技", "银桥供应链管理"]

    def sub() -> dict:
        return c.subject(f"{c.pick(CITY)}{c.pick(names)}有限公司", 0.9)

    def promise() -> str:
        return c.fw(c.pick(promises).format(p=c.r.choice([8, 10, 12, 15, 18, 20, 24, 36]), k=c.r.choice([1, 2, 5, 10]), m=c.r.choice([300, 500, 800, 1200]),
                                            s=c.r.choice([2, 3, 5])))

    # Unlicensed subjects promising returns to the public (ads).
    for i in range(60):
        parts = [promise(), c.pick(publics).format(p=c.r.choice([5, 10, 20])), c.pick(["项目由政府扶持", "实体企业担保", "已运营五年，口碑保证", "名额有限，先到先得", ""])]
        c.r.shuffle(parts)
        text = c.join([c.emoji()] + parts)
        lic = [] if c.r.random() < 0.8 else [c.licence("financial", c.pick(["expired", "revoked"]))]
        c.add("fundraising_ad_unlicensed", c.ad(c.pick(["financial", "other"]), text, None, sub()), c.facts(lic), ["illegal_fundraising"])
    # Licensed banks and insurers: deposits and wealth products, lawful wording.
    bank_texts = [
        "{b}三年期定期存款，利率以网点挂牌利率为准", "{b}大额存单，20万元起存，受存款保险保护", "{b}理财产品不保本，理财有风险，投资需谨慎",
        "{b}个人养老金账户开户有礼", "{b}储蓄国债（凭证式）今日发售，3年期票面利率{p}%", "{b}结构性存款，过往业绩不代表未来收益",
        "{b}代销基金，基金有风险，投资需谨慎", "{b}保本保息的定期存款，受《存款保险条例》保护",
    ]
    for i in range(45):
        b = c.pick(["衡阳农商银行", "某国有银行衡阳分行", "华融湘江银行衡阳分行", "邮储银行衡阳市分行", "某城商银行衡阳分行"])
        text = c.fw(c.pick(bank_texts).format(b=b, p=c.r.choice(["1.70", "1.80", "2.00"])))
        subject = {"name": b, "uscc": c.uscc("91")}
        c.add("bank_ad_licensed", c.ad("financial", text, None, subject), c.facts([c.licence("financial")]), [])
    # Unlicensed ordinary businesses advertising without any promise of returns.
    for i in range(20):
        text = c.pick(["开业大酬宾，全场八折", "办会员卡送洗车三次", "本店招聘店员，底薪加提成", "装修公司免费量房设计", "二手车收购，价格公道",
                       "周末亲子农场一日游，门票五十元"])
        c.add("business_ad_plain", c.ad("other", c.fw(text), None, c.subject(f"{c.pick(CITY)}{c.pick(['百味', '顺达', '乐家'])}商行")), c.facts(), [])
    # Complaints about fundraising: one subject, many complainants.
    grievances = [
        "去年在{n}投了{k}万，说好年息{p}%，现在本金都拿不回来", "{n}的业务员上门推销理财，承诺保本保息，到期后公司关门了",
        "在{n}认购了所谓的养老床位，每月返利上个月停了，门店人去楼空", "{n}拉我们老年人开会送鸡蛋，让投钱说年底分红，现在联系不上",
        "我母亲在{n}存了{k}万，合同写月息{s}分，三个月没给利息了，要求退本金也不退", "{n}在小区发传单集资，说是政府项目，现在无法提现",
        "朋友拉我进{n}的群，投资一万每月返八百，前两个月有钱后来平台关了",
    ]
    if c.holdout:
        grievances = HOLDOUT["grievances"]
    for i in range(50):
        s = sub()
        t = c.fw(c.pick(grievances).format(n=s["name"], k=c.r.choice([2, 5, 8, 10, 20]), p=c.r.choice([12, 15, 18, 24]), s=c.r.choice([2, 3])))
        many = c.r.random() < 0.7
        c.add("fundraising_complaint", c.complaint(t, s, c.r.choice([2000000, 5000000, 10000000, None])),
              c.facts(complaints=c.r.randint(3, 40) if many else 1), ["illegal_fundraising"])
    # Complaints about service quality (many of them, against the same business): no fundraising.
    quality = [
        "在{n}办的健身卡，店家搬走了，要求退卡费", "{n}的外卖送餐超时一个小时，饭菜是凉的", "{n}卖的电视机三天就坏了，不给换",
        "{n}装修延期两个月，工人态度差", "在{n}买的衣服起球，要求退货被拒", "{n}的快递丢件，客服不理人", "{n}的理发店办卡后服务缩水，要求退回余额",
        "{n}的培训班退费难，押金一直不退",
    ]
    if c.holdout:
        quality = HOLDOUT["quality"]
    for i in range(45):
        s = c.subject(f"{c.pick(CITY)}{c.pick(['优选', '星辰', '万家', '悦享'])}{c.pick(['健身', '家电', '装饰', '教育', '服饰'])}有限公司")
        t = c.pick(quality).format(n=s["name"])
        c.add("service_complaint", c.complaint(t, s, c.r.choice([None, 50000, 300000])), c.facts(complaints=c.r.randint(1, 25)), [])


def shop_subject(c: Corpus, kind: str) -> dict:
    base = {"drug": ["大药房", "药店", "医药连锁", "健康药房", "好药师"], "device": ["医疗器械", "康复器材", "健康科技", "医疗用品"]}[kind]
    return c.subject(f"{c.pick(CITY)}{c.pick(['仁心', '康宁', '益寿', '百姓', '千金', '安心', '德仁'])}{c.pick(base)}{c.pick(['旗舰店', '专营店', '', '官方店'])}", 0.8)


def drug_text(c: Corpus, name: str, rx: bool) -> str:
    parts = [c.fw(f"{name} {c.pick(['0.25g*24粒', '10mg*7片', '0.5g*20片', '10袋/盒', '100ml'])}"),
             c.pick(["正品保障", "当天发货", "满99包邮", "药师在线", "厂家直供", "整盒出售"])]
    if rx:
        parts.append(c.pick(["处方药，请凭处方购买", "Rx 处方药", "本品为处方药，须经执业药师审核处方", "处方药：需上传处方，药师审核后发货", "按医嘱服用"]))
    else:
        parts.append(c.pick(["OTC 甲类非处方药", "乙类非处方药", "非处方药，请按说明书使用", "OTC", "请按药品说明书或者在药师指导下购买和使用"]))
    c.r.shuffle(parts)
    return c.join(parts)


def gen_drug_listings(c: Corpus) -> None:
    # Unlicensed sellers of OTC drugs (drug sales only) — none, expired, revoked, not yet in force, or the wrong kind.
    for i in range(60):
        name = c.pick(DRUGS_OTC)
        state = c.pick(["none", "none", "none", "expired", "revoked", "future", "wrong_kind"])
        lic = {"none": [], "expired": [c.licence("drug_trading", "expired")], "revoked": [c.licence("drug_trading", "revoked")],
               "future": [c.licence("drug_trading", "future")], "wrong_kind": [c.licence(c.pick(["device_trading", "device_filing"]), "valid")]}[state]
        c.add(f"drug_listing_unlicensed_{state}", c.listing("drug", name, drug_text(c, name, False), shop_subject(c, "drug")), c.facts(lic),
              ["illegal_drug_sales"])
    # Licensed pharmacies selling OTC drugs.
    for i in range(60):
        name = c.pick(DRUGS_OTC)
        c.add("drug_listing_licensed_otc", c.listing("drug", name, drug_text(c, name, False), shop_subject(c, "drug")),
              c.facts([c.licence("drug_trading")]), [])
    # Licensed pharmacies selling prescription drugs with a prescription check (lawful).
    for i in range(50):
        name = c.pick(DRUGS_RX)
        c.add("rx_listing_checked", c.listing("drug", name, drug_text(c, name, True), shop_subject(c, "drug"), True, True),
              c.facts([c.licence("drug_trading")]), [])
    # Prescription drugs without a prescription check: licensed pharmacy (rx only) or unlicensed (both).
    waivers = ["无需处方，下单即发", "不用处方直接买", "免问诊秒发货", "没有处方也能买，私信客服", "无需上传处方", "在线医生帮您开方，不用去医院",
               "不需要处方，隐私发货"]
    if c.holdout:
        waivers = HOLDOUT["waivers"]
    for i in range(70):
        name = c.pick(DRUGS_RX)
        licensed = c.r.random() < 0.6
        how = c.pick(["unchecked", "unchecked", "waiver"])
        text = drug_text(c, name, True) if how == "unchecked" else c.join([c.fw(name), c.pick(waivers), c.pick(["正品保障", "隐私包装", "当天发货"])])
        checked = False if how == "unchecked" else c.pick([None, True, False])
        expected = ["illegal_prescription_sales"] + ([] if licensed else ["illegal_drug_sales"])
        c.add(f"rx_listing_{how}_{'licensed' if licensed else 'unlicensed'}",
              c.listing("drug", name, text, shop_subject(c, "drug"), True, checked), c.facts([c.licence("drug_trading")] if licensed else []), expected)
    # Prescription drugs listed as if they were not, sold without a check (the listing's own text says 处方药).
    for i in range(20):
        name = c.pick(DRUGS_RX)
        text = c.join([c.fw(name), c.pick(["处方药品，量大从优", "Rx 正品", "本品属处方药，直接拍下即可", "处方药 包邮"])])
        c.add("rx_listing_mislabelled", c.listing("drug", name, text, shop_subject(c, "drug"), False, c.pick([False, None])),
              c.facts([c.licence("drug_trading")]), ["illegal_prescription_sales"])
    # Prescription drugs whose check is not reported (no evidence either way): not a warning.
    for i in range(15):
        name = c.pick(DRUGS_RX)
        c.add("rx_listing_check_unknown", c.listing("drug", name, drug_text(c, name, True), shop_subject(c, "drug"), True, None),
              c.facts([c.licence("drug_trading")]), [])


def gen_device_listings(c: Corpus) -> None:
    def text(name: str, cls: int) -> str:
        parts = [c.fw(name), c.pick(["家用款", "医院同款", "正品保障", "顺丰包邮", "一年质保", "支持七天无理由退货"]),
                 c.pick([f"第{'一二三'[cls - 1]}类医疗器械", "注册证号见详情页", "请仔细阅读说明书", ""])]
        c.r.shuffle(parts)
        return c.join(parts)

    for i in range(40):  # class III without a licence (a filing is not enough)
        name = c.pick(DEVICES_3)
        lic = c.pick([[], [], [c.licence("device_filing", "open")], [c.licence("device_trading", "expired")], [c.licence("drug_trading")]])
        c.add("device3_unlicensed", c.listing("device", name, text(name, 3), shop_subject(c, "device"), device_class=3), c.facts(lic),
              ["illegal_device_sales"])
    for i in range(35):  # class III with a licence
        name = c.pick(DEVICES_3)
        c.add("device3_licensed", c.listing("device", name, text(name, 3), shop_subject(c, "device"), device_class=3),
              c.facts([c.licence("device_trading")]), [])
    for i in range(40):  # class II without a filing or a licence
        name = c.pick(DEVICES_2)
        lic = c.pick([[], [], [c.licence("device_filing", "revoked")], [c.licence("device_trading", "expired")], [c.licence("drug_trading")]])
        c.add("device2_unfiled", c.listing("device", name, text(name, 2), shop_subject(c, "device"), device_class=2), c.facts(lic),
              ["illegal_device_sales"])
    for i in range(35):  # class II with a filing (or a class III licence)
        name = c.pick(DEVICES_2)
        lic = [c.licence("device_filing", "open")] if c.r.random() < 0.75 else [c.licence("device_trading")]
        c.add("device2_filed", c.listing("device", name, text(name, 2), shop_subject(c, "device"), device_class=2), c.facts(lic), [])
    for i in range(35):  # class I: neither licence nor filing needed
        name = c.pick(DEVICES_1)
        c.add("device1_any_seller", c.listing("device", name, text(name, 1), shop_subject(c, "device"), device_class=1), c.facts(), [])
    for i in range(15):  # other goods on the same platforms
        name = c.pick(["保温杯", "瑜伽垫", "蛋白粉", "按摩枕", "足浴盆"])
        c.add("other_listing", c.listing(c.pick(["other", "health_food"]), name, c.fw(f"{name}，包邮，七天无理由退货"), c.subject(f"{c.pick(CITY)}优品小店", 0.5)),
              c.facts(), [])


def gen_licences(c: Corpus) -> None:
    for i in range(20):
        kind = c.pick(["drug_trading", "medical_institution", "device_trading", "device_filing", "financial"])
        lic = c.licence(kind)
        s = c.subject(f"{c.pick(CITY)}{c.pick(['仁心', '康宁', '惠民'])}{c.pick(['大药房', '医院', '医疗器械有限公司', '农商银行'])}", 1.0)
        obs = {"observationId": c.next_id("LIC"), "kind": "licence", "observedOn": OBSERVED, "subject": s,
               "licence": {k: lic[k] for k in ("kind", "number", "validFrom", "validUntil", "revoked")}}
        c.add("licence_fact", obs, c.facts([lic]), [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--holdout", action="store_true", help="the held-out phrasing (default seed 20261208, risk-corpus-holdout.json)")
    args = ap.parse_args()
    if args.holdout and args.seed == 20261207:
        args.seed = 20261208
    args.out = args.out or (HOLDOUT_OUT if args.holdout else OUT)
    c = Corpus(args.seed, holdout=args.holdout)
    gen_medical_ads(c)
    gen_fundraising(c)
    gen_drug_listings(c)
    gen_device_listings(c)
    gen_licences(c)
    lines = ",\n".join(json.dumps(case, ensure_ascii=False, sort_keys=True) for case in c.cases)
    args.out.write_text('{"seed": %d, "cases": [\n%s\n]}\n' % (args.seed, lines), encoding="utf-8")
    counts: dict[str, int] = {}
    for case in c.cases:
        for m in case["expected"] or ["(none)"]:
            counts[m] = counts.get(m, 0) + 1
    print(f"{len(c.cases)} cases -> {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    for m, n in sorted(counts.items()):
        print(f"  {m}: {n}")


if __name__ == "__main__":
    main()
