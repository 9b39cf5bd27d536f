#!/usr/bin/env python3
"""Generate the sample supervision catalog (监管事项目录清单) for 衡阳市.

Writes, relative to the repository root:
  Mappings/catalog/catalog.csv          catalog items (主项 / 子项)
  Mappings/catalog/implementation.csv   implementation items (实施清单) per agency

The data is a realistic *sample*, not the real 湖南省 catalog. Standard library
only, fully deterministic (no randomness). Re-running overwrites both files
byte-for-byte identically.

Code schemes
  catalog_code (14 digits) = "43" + dept(3) + type(1) + seq(8)
      type: 1 行政检查, 2 行政处罚, 3 行政强制, 9 其他
      seq : main item k of a department -> kkkk0000; its sub-item j -> kkkkjjjj
  agency_code (18 chars)   = 统一社会信用代码: "11" + region(6) + org code(9, GB 11714) + check(1)
  implementation_code (35) = agency_code(18) + level digit (3 city / 4 county) + catalog_code(14) + "01"
"""

import csv
import hashlib
import os
import sys
from collections import Counter, OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Mappings", "catalog")

# ---------------------------------------------------------------------------
# Check-digit algorithms
# ---------------------------------------------------------------------------

USCC_SYMBOLS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
GB11714_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check_char(first17):
    assert len(first17) == 17
    total = 0
    for ch, w in zip(first17, USCC_WEIGHTS):
        idx = USCC_SYMBOLS.find(ch)
        if idx < 0:
            raise ValueError("invalid USCC symbol %r" % ch)
        total += idx * w
    c = 31 - (total % 31)
    if c == 31:
        c = 0
    return USCC_SYMBOLS[c]


def gb11714_value(ch):
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - 55
    raise ValueError("invalid GB 11714 char %r" % ch)


def gb11714_check_char(first8):
    assert len(first8) == 8
    total = sum(gb11714_value(ch) * w for ch, w in zip(first8, GB11714_WEIGHTS))
    c = 11 - (total % 11)
    if c == 10:
        return "X"
    if c == 11:
        return "0"
    return str(c)


def uscc_valid(code):
    if len(code) != 18 or any(ch not in USCC_SYMBOLS for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def org_code_valid(code):
    """GB 11714 check on positions 9-17 of a USCC."""
    if len(code) != 18:
        return False
    org = code[8:17]
    try:
        return gb11714_check_char(org[:8]) == org[8]
    except ValueError:
        return False


# Self-test on two real codes (must pass both checks).
for _real in ("91330105MA2KER1H4N", "913303275586060950"):
    assert uscc_valid(_real), _real
    assert org_code_valid(_real), _real
# ...and a corrupted one must fail.
assert not uscc_valid("91330105MA2KER1H4P")
assert not org_code_valid("913303275586060940")


def make_agency_code(region, name, used):
    """Deterministic USCC for a government organ (机关: '1','1')."""
    salt = 0
    while True:
        h = hashlib.sha256(("%s|%s|%d" % (region, name, salt)).encode("utf-8")).hexdigest()
        body8 = "0" + "%07d" % (int(h, 16) % 10_000_000)
        org9 = body8 + gb11714_check_char(body8)
        first17 = "11" + region + org9
        code = first17 + uscc_check_char(first17)
        if code not in used:
            assert uscc_valid(code) and org_code_valid(code), code
            used.add(code)
            return code
        salt += 1


# ---------------------------------------------------------------------------
# Departments and agencies
# ---------------------------------------------------------------------------

TYPE_DIGIT = {"行政检查": "1", "行政处罚": "2", "行政强制": "3", "其他": "9"}
I, P, C, O = "行政检查", "行政处罚", "行政强制", "其他"

# short name -> (3-digit department number, city agency, county agency name pattern)
# pattern: {d} = 区/县 full prefix (衡阳市珠晖区 / 衡阳县 / 耒阳市), {s} = short county name (珠晖 / 衡阳县)
DEPARTMENTS = OrderedDict([
    ("市场监管", ("012", "衡阳市市场监督管理局", "{d}市场监督管理局")),
    ("卫健", ("008", "衡阳市卫生健康委员会", "{d}卫生健康局")),
    # County level has no separate drug administration: drug/device retail and use
    # supervision is carried out by the county 市场监督管理局 (same agency, same code).
    ("药监", ("013", "衡阳市药品监督管理局", "{d}市场监督管理局")),
    ("生态环境", ("010", "衡阳市生态环境局", "衡阳市生态环境局{s}分局")),
    ("交通运输", ("011", "衡阳市交通运输局", "{d}交通运输局")),
    ("应急管理", ("016", "衡阳市应急管理局", "{d}应急管理局")),
    ("城管", ("019", "衡阳市城市管理和综合执法局", "{d}城市管理和综合执法局")),
    ("文旅", ("014", "衡阳市文化旅游广电体育局", "{d}文化旅游广电体育局")),
    ("自然资源", ("009", "衡阳市自然资源和规划局", "衡阳市自然资源和规划局{s}分局")),
    ("住建", ("018", "衡阳市住房和城乡建设局", "{d}住房和城乡建设局")),
])

CITY_REGION = "430400"
# code -> (full prefix, short name used in 分局 names)
COUNTIES = OrderedDict([
    ("430405", ("衡阳市珠晖区", "珠晖")),
    ("430406", ("衡阳市雁峰区", "雁峰")),
    ("430407", ("衡阳市石鼓区", "石鼓")),
    ("430408", ("衡阳市蒸湘区", "蒸湘")),
    ("430412", ("衡阳市南岳区", "南岳")),
    ("430421", ("衡阳县", "衡阳县")),
    ("430422", ("衡南县", "衡南县")),
    ("430423", ("衡山县", "衡山县")),
    ("430424", ("衡东县", "衡东县")),
    ("430426", ("祁东县", "祁东县")),
    ("430481", ("耒阳市", "耒阳")),
    ("430482", ("常宁市", "常宁")),
])
ALWAYS_COUNTIES = ["430405", "430421"]  # 珠晖区, 衡阳县: present for every county-level item
ROTATING_COUNTIES = [c for c in COUNTIES if c not in ALWAYS_COUNTIES]


def county_agency_name(dept, region):
    full, short = COUNTIES[region]
    return DEPARTMENTS[dept][2].format(d=full, s=short)


# ---------------------------------------------------------------------------
# Catalog items
#   (key, name, item_type, legal_basis, level, parent_key, status)
#   key: local id within the department; parent_key: key of the 主项 (for 子项)
# ---------------------------------------------------------------------------

L34, L3 = "3|4", "3"

FSL = "《中华人民共和国食品安全法》"
PQL = "《中华人民共和国产品质量法》"
SEL = "《中华人民共和国特种设备安全法》"
DAL = "《中华人民共和国药品管理法》"
MDR = "《医疗器械监督管理条例》"
EPL = "《中华人民共和国环境保护法》"
APL = "《中华人民共和国大气污染防治法》"
WPL = "《中华人民共和国水污染防治法》"
SWL = "《中华人民共和国固体废物污染环境防治法》"
RTR = "《中华人民共和国道路运输条例》"
HWL = "《中华人民共和国公路法》"
WSL = "《中华人民共和国安全生产法》"
HCR = "《危险化学品安全管理条例》"
CAR = "《城市市容和环境卫生管理条例》"
URP = "《中华人民共和国城乡规划法》"
TRL = "《中华人民共和国旅游法》"
IBR = "《互联网上网服务营业场所管理条例》"
LAL = "《中华人民共和国土地管理法》"
CQR = "《建设工程质量管理条例》"
CSR = "《建设工程安全生产管理条例》"
HN_CITY = "《湖南省城市综合管理条例》"

CATALOG = OrderedDict()

CATALOG["市场监管"] = [
    ("food", "对食品生产经营者的监督检查", I, FSL + "第一百一十条", L34, None, "active"),
    ("food_p", "对食品生产者的监督检查", I,
     FSL + "第一百一十条；《食品生产经营监督检查管理办法》（国家市场监督管理总局令第49号）第五条", L34, "food", "active"),
    ("food_s", "对食品销售者的监督检查", I,
     FSL + "第一百一十条；《食品生产经营监督检查管理办法》（国家市场监督管理总局令第49号）第五条", L34, "food", "active"),
    ("food_c", "对餐饮服务提供者的监督检查", I,
     "《食品安全法》第一百一十条；《餐饮服务食品安全操作规范》", L34, "food", "active"),
    ("food_daily", "对食品生产经营者的日常监督检查", I,
     "《食品生产经营日常监督检查管理办法》（国家食品药品监督管理总局令第23号）第三条", L34, None, "retired"),
    ("food_sample", "对食品的抽样检验", I, FSL + "第八十七条", L34, None, "active"),
    ("food_small", "对食品生产加工小作坊、小餐饮和食品摊贩的监督检查", I,
     "《湖南省食品生产加工小作坊小餐饮和食品摊贩管理条例》第二十九条", L34, None, "active"),
    ("agri", "对食用农产品集中交易市场开办者和销售者的监督检查", I,
     FSL + "第一百一十条；《食用农产品市场销售质量安全监督管理办法》第四十条", L34, None, "active"),
    ("food_nolic", "对未取得食品生产经营许可从事食品生产经营活动的行政处罚", P, FSL + "第一百二十二条第一款", L34, None, "active"),
    ("food_std", "对生产经营不符合食品安全标准的食品的行政处罚", P, FSL + "第一百二十四条第一款", L34, None, "active"),
    ("food_nonfood", "对用非食品原料生产食品、在食品中添加食品添加剂以外的化学物质的行政处罚", P,
     FSL + "第一百二十三条第一款第（一）项", L34, None, "active"),
    ("food_record", "对食品生产经营者未按规定建立并遵守进货查验记录制度的行政处罚", P,
     FSL + "第一百二十六条第一款第（三）项", L34, None, "active"),
    ("food_seal", "查封、扣押不符合食品安全标准的食品", C, FSL + "第一百一十条", L34, None, "active"),
    ("food_talk", "对食品生产经营者的法定代表人或者主要负责人进行责任约谈", O, FSL + "第一百一十四条", L34, None, "active"),
    ("pq", "对产品质量的监督抽查", I, PQL + "第十五条", L34, None, "active"),
    ("pq_std", "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚", P,
     PQL + "第四十九条", L34, None, "active"),
    ("pq_fake", "对在产品中掺杂、掺假，以假充真，以次充好的行政处罚", P, PQL + "第五十条", L34, None, "active"),
    ("pq_seal", "查封、扣押不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品", C,
     PQL + "第十八条第一款第（四）项", L34, None, "active"),
    ("se", "对特种设备生产、经营、使用单位的监督检查", I, SEL + "第五十七条、第六十一条", L34, None, "active"),
    ("se_lift", "对电梯使用单位的监督检查", I,
     SEL + "第五十七条；《特种设备安全监察条例》第五十条", L34, "se", "active"),
    ("se_gas", "对气瓶充装单位的监督检查", I,
     SEL + "第五十七条；《气瓶安全监察规定》第四十二条", L34, "se", "active"),
    ("se_use", "对使用未取得许可生产、未经检验或者检验不合格的特种设备的行政处罚", P,
     SEL + "第八十四条第（一）项", L34, None, "active"),
    ("se_seal", "查封、扣押不符合安全技术规范要求的特种设备", C, SEL + "第六十一条第一款第（三）项", L34, None, "active"),
    ("ad", "对广告活动的监督检查", I, "《中华人民共和国广告法》第四十九条", L34, None, "active"),
    ("ad_false", "对发布虚假广告的行政处罚", P, "《中华人民共和国广告法》第五十五条第一款", L34, None, "active"),
    ("metro", "对计量器具的计量监督检查", I,
     "《中华人民共和国计量法》第十八条；《中华人民共和国计量法实施细则》第三十七条", L34, None, "active"),
    ("price", "对价格活动的监督检查", I, "《中华人民共和国价格法》第三十三条、第三十四条", L34, None, "active"),
    ("price_tag", "对经营者不明码标价或者不按规定内容和方式明码标价的行政处罚", P,
     "《中华人民共和国价格法》第四十二条；《价格违法行为行政处罚规定》第十三条", L34, None, "active"),
    ("unfair", "对不正当竞争行为的监督检查", I, "《中华人民共和国反不正当竞争法》第十三条", L34, None, "active"),
    ("unfair_mix", "对经营者实施混淆行为的行政处罚", P, "《中华人民共和国反不正当竞争法》第十八条第一款", L34, None, "active"),
    ("publicity", "对企业公示信息的抽查", I, "《企业信息公示暂行条例》第十四条", L34, None, "active"),
    ("online", "对网络交易经营者的监督检查", I,
     "《中华人民共和国电子商务法》第六条；《网络交易监督管理办法》（国家市场监督管理总局令第37号）第四十三条", L3, None, "active"),
]

CATALOG["卫健"] = [
    ("med", "对医疗机构的监督检查", I, "《医疗机构管理条例》第四十条", L34, None, "active"),
    ("med_cos", "对医疗美容机构的监督检查", I,
     "《医疗机构管理条例》第四十条；《医疗美容服务管理办法》第二十二条", L34, None, "active"),
    ("med_nolic", "对未取得《医疗机构执业许可证》擅自执业的行政处罚", P,
     "《中华人民共和国基本医疗卫生与健康促进法》第九十九条第一款；《医疗机构管理条例》第四十三条", L34, None, "active"),
    ("med_check", "对医疗机构执业许可证的校验", O, "《医疗机构管理条例》第二十二条", L34, None, "active"),
    ("doc", "对医师执业活动的监督检查", I, "《中华人民共和国医师法》第四条", L34, None, "active"),
    ("doc_viol", "对医师在执业活动中违反医师法规定行为的行政处罚", P,
     "《中华人民共和国医师法》第五十五条、第五十六条", L34, None, "active"),
    ("doc_old", "对医师在执业活动中违反卫生行政规章制度或者技术操作规范造成严重后果的行政处罚", P,
     "《中华人民共和国执业医师法》第三十七条第（一）项", L34, None, "retired"),
    ("doc_illegal", "对非医师行医的行政处罚", P, "《医师法》第五十九条", L34, None, "active"),
    ("pub", "对公共场所卫生的监督检查", I,
     "《公共场所卫生管理条例》第十条；《公共场所卫生管理条例实施细则》第三十一条", L34, None, "active"),
    ("pub_hotel", "对住宿场所卫生的监督检查", I,
     "《公共场所卫生管理条例》第十条；《公共场所卫生管理条例实施细则》第三十一条", L34, "pub", "active"),
    ("pub_beauty", "对沐浴、美容美发场所卫生的监督检查", I,
     "《公共场所卫生管理条例》第十条；《公共场所卫生管理条例实施细则》第三十一条", L34, "pub", "active"),
    ("pub_swim", "对游泳场所卫生的监督检查", I,
     "《公共场所卫生管理条例》第二条第一款第（五）项、第十条", L34, "pub", "active"),
    ("pub_nolic", "对公共场所经营者未依法取得公共场所卫生许可证擅自营业的行政处罚", P,
     "《公共场所卫生管理条例实施细则》第三十五条", L34, None, "active"),
    ("water", "对生活饮用水卫生的监督检查", I, "《生活饮用水卫生监督管理办法》第十六条", L34, None, "active"),
    ("water_bad", "对饮用水供水单位供应的饮用水不符合国家卫生标准和卫生规范的行政处罚", P,
     "《中华人民共和国传染病防治法》第七十三条第（一）项", L34, None, "active"),
    ("inf", "对传染病防治工作的监督检查", I, "《中华人民共和国传染病防治法》第五十三条", L34, None, "active"),
    ("inf_ctrl", "封闭被传染病病原体污染的公共饮用水水源、封存被污染的食品以及相关物品", C,
     "《中华人民共和国传染病防治法》第五十五条", L34, None, "active"),
    ("occ", "对职业病防治工作的监督检查", I, "《中华人民共和国职业病防治法》第六十二条、第六十三条", L34, None, "active"),
    ("occ_ctrl", "责令暂停导致职业病危害事故的作业，封存造成职业病危害事故的材料和设备", C,
     "《中华人民共和国职业病防治法》第六十四条第一款第（一）项、第（二）项", L34, None, "active"),
    ("rad", "对放射诊疗活动的监督检查", I, "《放射诊疗管理规定》（卫生部令第46号）第三十五条", L3, None, "active"),
    ("waste", "对医疗废物管理的监督检查", I, "《医疗废物管理条例》第三十三条、第三十四条", L34, None, "active"),
    ("waste_sort", "对医疗卫生机构未将医疗废物按照类别分置于专用包装物或者容器的行政处罚", P,
     "《医疗废物管理条例》第四十六条第（二）项", L34, None, "active"),
    ("disinf", "对消毒产品和消毒服务机构的监督检查", I, "《消毒管理办法》第三十五条", L34, None, "active"),
    ("mch", "对母婴保健技术服务的监督检查", I, "《中华人民共和国母婴保健法》第二十九条", L34, None, "active"),
    ("sex_sel", "对非医学需要的胎儿性别鉴定和选择性别人工终止妊娠的行政处罚", P,
     "《中华人民共和国人口与计划生育法》第四十条第一款第（三）项", L34, None, "active"),
    ("school", "对学校卫生工作的监督检查", I, "《学校卫生工作条例》第二十八条", L34, None, "active"),
]

CATALOG["药监"] = [
    ("retail", "对药品零售企业的监督检查", I, DAL + "第九十九条", L34, None, "active"),
    ("use", "对药品使用单位的监督检查", I, DAL + "第九十九条", L34, None, "active"),
    ("sample", "对药品质量的抽查检验", I, DAL + "第一百条第一款", L34, None, "active"),
    ("nolic", "对未取得药品经营许可证销售药品的行政处罚", P, DAL + "第一百一十五条", L34, None, "active"),
    ("fake", "对销售假药的行政处罚", P, DAL + "第一百一十六条", L34, None, "active"),
    ("inferior", "对销售劣药的行政处罚", P, DAL + "第一百一十七条第一款", L34, None, "active"),
    ("seal", "查封、扣押有证据证明可能危害人体健康的药品及其有关材料", C, DAL + "第一百条第二款", L34, None, "active"),
    ("md", "对医疗器械经营企业的监督检查", I, "《医疗器械监督管理条例》（国务院令第739号）第七十条", L34, None, "active"),
    ("md_2", "对第二类医疗器械经营备案企业的监督检查", I,
     MDR + "第七十条；《医疗器械经营监督管理办法》（国家市场监督管理总局令第54号）第四十九条", L34, "md", "active"),
    ("md_3", "对第三类医疗器械经营企业的监督检查", I,
     MDR + "第七十条；《医疗器械经营监督管理办法》（国家市场监督管理总局令第54号）第四十九条", L34, "md", "active"),
    ("md_use", "对医疗器械使用单位的监督检查", I,
     MDR + "第七十条；《医疗器械使用质量监督管理办法》第二十二条", L34, None, "active"),
    ("md_nolic", "对未经许可从事第三类医疗器械经营活动的行政处罚", P, MDR + "第八十一条第一款第（三）项", L34, None, "active"),
    ("md_bad", "对经营不符合强制性标准或者不符合经注册或者备案的产品技术要求的医疗器械的行政处罚", P,
     MDR + "第八十六条第（一）项", L34, None, "active"),
    ("md_seal", "查封、扣押不符合法律、法规规定的医疗器械", C, MDR + "第七十二条第一款第（三）项", L34, None, "active"),
    ("md_event", "对医疗器械不良事件的调查处理", O, MDR + "第六十一条、第六十二条", L34, None, "active"),
    ("cos", "对化妆品经营者的监督检查", I, "《化妆品监督管理条例》（国务院令第727号）第四十六条", L34, None, "active"),
    ("cos_label", "对经营标签不符合规定的化妆品的行政处罚", P,
     "《化妆品监督管理条例》第六十一条第一款第（五）项", L34, None, "active"),
    ("vaccine", "对疫苗储存、运输和预防接种单位的监督检查", I,
     "《中华人民共和国疫苗管理法》第七十条；" + DAL + "第九十九条", L34, None, "active"),
    ("online", "对药品网络销售的监督检查", I, "《药品网络销售监督管理办法》第二十七条", L3, None, "active"),
    ("narc", "对麻醉药品和精神药品经营、使用活动的监督检查", I, "《麻醉药品和精神药品管理条例》第五十九条", L3, None, "active"),
]

CATALOG["生态环境"] = [
    ("site", "对排放污染物的企业事业单位和其他生产经营者的现场检查", I, EPL + "第二十四条", L34, None, "active"),
    ("site_key", "对重点排污单位的现场检查", I,
     EPL + "第二十四条；《湖南省环境保护条例》第四十六条", L34, "site", "active"),
    ("site_rand", "对一般排污单位的“双随机、一公开”现场检查", I, EPL + "第二十四条", L34, "site", "active"),
    ("seal", "查封、扣押造成或者可能造成严重污染的设施、设备", C,
     EPL + "第二十五条；《环境保护主管部门实施查封、扣押办法》第四条", L34, None, "active"),
    ("daily", "对拒不改正违法排放污染物行为的按日连续处罚", P, EPL + "第五十九条第一款", L34, None, "active"),
    ("cems", "对重点排污单位自动监测数据的核查", O, EPL + "第四十二条第三款", L34, None, "active"),
    ("air", "对大气污染防治的监督检查", I, APL + "第二十九条", L34, None, "active"),
    ("air_over", "对超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的行政处罚", P,
     APL + "第九十九条第（二）项；《湖南省大气污染防治条例》第六十三条", L34, None, "active"),
    ("water", "对水污染防治的监督检查", I, WPL + "第三十条", L34, None, "active"),
    ("water_over", "对超过水污染物排放标准排放水污染物的行政处罚", P, WPL + "第八十三条第（二）项", L34, None, "active"),
    ("water_pipe", "对私设暗管或者利用渗井、渗坑等逃避监管的方式排放水污染物的行政处罚", P,
     WPL + "第八十三条第（三）项", L34, None, "active"),
    ("solid", "对固体废物污染环境防治的现场检查", I, SWL + "第二十六条", L34, None, "active"),
    ("solid_seal", "查封、扣押违法收集、贮存、运输、利用、处置的固体废物及设施、设备、场所、工具、物品", C,
     SWL + "第二十七条", L34, None, "active"),
    ("haz", "对危险废物规范化环境管理的监督检查", I,
     SWL + "第二十六条；《危险废物经营许可证管理办法》第十九条", L34, None, "active"),
    ("haz_plan", "对未按照国家有关规定制定危险废物管理计划或者申报危险废物有关资料的行政处罚", P,
     SWL + "第一百一十二条第一款第（二）项", L34, None, "active"),
    ("noise", "对噪声污染防治的监督检查", I, "《中华人民共和国噪声污染防治法》第三十条", L34, None, "active"),
    ("eia", "对建设项目未依法进行环境影响评价擅自开工建设的行政处罚", P,
     "《中华人民共和国环境影响评价法》第三十一条第一款", L34, None, "active"),
    ("tri", "对建设项目环境保护“三同时”制度执行情况的监督检查", I,
     "《建设项目环境保护管理条例》第十九条、第二十一条", L34, None, "active"),
    ("tri_p", "对需要配套建设的环境保护设施未建成、未经验收或者验收不合格，建设项目即投入生产或者使用的行政处罚", P,
     "《建设项目环境保护管理条例》第二十三条第一款", L34, None, "active"),
    ("permit", "对排污许可证执行情况的监督检查", I, "《排污许可管理条例》（国务院令第736号）第二十八条", L34, None, "active"),
    ("permit_no", "对未取得排污许可证排放污染物的行政处罚", P, "《排污许可管理条例》第三十三条第（一）项", L34, None, "active"),
    ("radi", "对放射性同位素与射线装置使用单位的监督检查", I,
     "《中华人民共和国放射性污染防治法》第八条；《放射性同位素与射线装置安全和防护条例》第四十六条", L3, None, "active"),
    ("ods", "对消耗臭氧层物质的生产、使用、销售单位的监督检查", I, "《消耗臭氧层物质管理条例》第二十九条", L3, None, "active"),
]

CATALOG["交通运输"] = [
    ("road", "对道路运输经营者的监督检查", I, RTR + "第五十八条", L34, None, "active"),
    ("road_pax", "对道路旅客运输经营者的监督检查", I,
     RTR + "第五十八条；《道路旅客运输及客运站管理规定》第七十八条", L34, "road", "active"),
    ("road_cargo", "对道路货物运输经营者的监督检查", I,
     RTR + "第五十八条；《道路货物运输及站场管理规定》第五十八条", L34, "road", "active"),
    ("road_nolic", "对未取得道路运输经营许可擅自从事道路客运经营的行政处罚", P, RTR + "第六十三条", L34, None, "active"),
    ("road_hold", "暂扣没有车辆营运证又无法当场提供其他有效证明的车辆", C, RTR + "第六十一条", L34, None, "active"),
    ("taxi", "对巡游出租汽车经营者和驾驶员的监督检查", I, "《巡游出租汽车经营服务管理规定》第四十二条", L34, None, "active"),
    ("ride", "对未取得网络预约出租汽车经营许可擅自从事网约车经营活动的行政处罚", P,
     "《网络预约出租汽车经营服务管理暂行办法》第三十四条第（一）项", L3, None, "active"),
    ("bus", "对城市公共汽车和电车客运的监督检查", I,
     "《城市公共汽车和电车客运管理规定》（交通运输部令2017年第5号）第六十一条", L3, None, "active"),
    ("hw", "对公路及公路附属设施的监督检查", I, HWL + "第六十九条、第七十一条", L34, None, "active"),
    ("hw_dig", "对擅自占用、挖掘公路的行政处罚", P, HWL + "第七十六条第（一）项", L34, None, "active"),
    ("over", "对车辆超限运输的行政处罚", P,
     "《公路安全保护条例》（国务院令第593号）第六十四条；" + HWL + "第七十六条第（五）项", L34, None, "active"),
    ("over_hold", "扣留造成公路、公路附属设施损坏拒不接受现场调查处理的车辆、工具", C,
     "《公路安全保护条例》第七十二条", L34, None, "active"),
    ("hw_admin", "对公路路政管理的监督检查", I, "《湖南省公路路政管理条例》第三十二条", L34, None, "active"),
    ("water", "对国内水路运输经营者的监督检查", I, "《国内水路运输管理条例》第二十九条", L34, None, "active"),
    ("water_nolic", "对未经许可擅自经营水路运输业务的行政处罚", P, "《国内水路运输管理条例》第三十三条", L34, None, "active"),
    ("port", "对港口经营人的监督检查", I, "《中华人民共和国港口法》第五十条", L3, None, "active"),
    ("repair", "对机动车维修经营者的监督检查", I, "《机动车维修管理规定》第四十七条", L34, None, "active"),
    ("quality", "对公路水运工程质量安全的监督检查", I,
     CQR + "第四十七条；《公路水运工程质量监督管理规定》第二十九条", L34, None, "active"),
    ("dg", "对道路危险货物运输的监督检查", I,
     HCR + "第六条第一款第（四）项；《道路危险货物运输管理规定》第五十五条", L34, None, "active"),
    ("school", "对机动车驾驶员培训机构的监督检查", I, "《机动车驾驶员培训管理规定》第四十二条", L3, None, "active"),
    ("credit", "对道路运输企业的质量信誉考核", O, "《道路运输企业质量信誉考核办法（试行）》第四条", L34, None, "active"),
]

CATALOG["应急管理"] = [
    ("ws", "对生产经营单位执行有关安全生产的法律、法规和国家标准或者行业标准情况的监督检查", I,
     WSL + "第六十五条", L34, None, "active"),
    ("ws_seal", "查封、扣押不符合保障安全生产的国家标准或者行业标准的设施、设备、器材以及违法生产、储存、使用、经营的危险物品", C,
     WSL + "第六十五条第一款第（四）项", L34, None, "active"),
    ("ws_power", "对拒不执行停产停业决定的生产经营单位采取停止供电、停止供应民用爆炸物品的措施", C,
     WSL + "第七十条第一款", L34, None, "active"),
    ("ws_train", "对生产经营单位未按照规定对从业人员进行安全生产教育和培训的行政处罚", P,
     WSL + "第九十七条第（三）项", L34, None, "active"),
    ("ws_hidden", "对生产经营单位未采取措施消除事故隐患的行政处罚", P, WSL + "第一百零二条", L34, None, "active"),
    ("ws_source", "对生产经营单位对重大危险源未登记建档或者未进行评估、监控的行政处罚", P,
     WSL + "第一百零一条第（二）项", L34, None, "active"),
    ("ws_acc", "对发生生产安全事故负有责任的生产经营单位的行政处罚", P,
     WSL + "第一百一十四条；《生产安全事故报告和调查处理条例》第三十七条", L34, None, "active"),
    ("acc", "生产安全事故的调查处理", O, "《生产安全事故报告和调查处理条例》第十九条", L34, None, "active"),
    ("hc", "对危险化学品安全的监督检查", I, HCR + "第七条", L34, None, "active"),
    ("hc_prod", "对危险化学品生产企业的监督检查", I, HCR + "第七条；" + WSL + "第六十五条", L3, "hc", "active"),
    ("hc_trade", "对危险化学品经营企业的监督检查", I,
     HCR + "第七条；《危险化学品经营许可证管理办法》第二十九条", L34, "hc", "active"),
    ("hc_nolic", "对未取得危险化学品经营许可证从事危险化学品经营的行政处罚", P, HCR + "第七十七条第三款", L34, None, "active"),
    ("fw", "对烟花爆竹经营单位的监督检查", I,
     "《烟花爆竹安全管理条例》第五条；《烟花爆竹经营许可实施办法》第二十八条", L34, None, "active"),
    ("fw_nolic", "对未经许可经营烟花爆竹制品的行政处罚", P, "《烟花爆竹安全管理条例》第三十六条第二款", L34, None, "active"),
    ("mine", "对非煤矿山企业的监督检查", I, "《中华人民共和国矿山安全法》第三十三条", L34, None, "active"),
    ("space", "对工贸企业有限空间作业安全的监督检查", I, "《工贸企业有限空间作业安全规定》第二十条", L34, None, "active"),
    ("dust", "对工贸企业粉尘防爆安全的监督检查", I, "《工贸企业粉尘防爆安全规定》第二十八条", L34, None, "active"),
    ("agency", "对安全评价检测检验机构的监督检查", I, "《安全评价检测检验机构管理办法》第二十条", L3, None, "active"),
    ("plan", "对生产经营单位应急预案的监督检查", I,
     "《生产安全事故应急预案管理办法》第三十三条；《湖南省安全生产条例》第四十六条", L34, None, "active"),
    ("tri", "对建设项目安全设施“三同时”的监督检查", I,
     WSL + "第三十一条；《建设项目安全设施“三同时”监督管理办法》第二十六条", L34, None, "active"),
]

CATALOG["城管"] = [
    ("city", "对城市市容和环境卫生的监督检查", I, CAR + "第四条", L34, None, "active"),
    ("city_ad", "对户外广告设施设置的监督检查", I, CAR + "第十一条；" + HN_CITY + "第三十二条", L34, "city", "active"),
    ("city_street", "对占道经营行为的巡查", I, HN_CITY + "第三十五条", L34, "city", "active"),
    ("spill", "对运输液体、散装货物不作密封、包扎、覆盖，造成泄漏、遗撒的行政处罚", P,
     CAR + "第三十四条第（五）项", L34, None, "active"),
    ("ad_p", "对未经同意擅自设置大型户外广告影响市容的行政处罚", P, CAR + "第三十六条第（一）项", L34, None, "active"),
    ("street_hold", "扣押违法占道经营的物品、工具", C, HN_CITY + "第六十二条", L34, None, "active"),
    ("garb", "对城市生活垃圾管理的监督检查", I, "《城市生活垃圾管理办法》第三十六条", L34, None, "active"),
    ("kitchen", "对餐厨垃圾收运处置的监督检查", I,
     "《城市生活垃圾管理办法》第三十六条；" + HN_CITY + "第四十一条", L3, None, "active"),
    ("cw", "对城市建筑垃圾处置的监督检查", I, "《城市建筑垃圾管理规定》第十九条", L34, None, "active"),
    ("cw_nolic", "对未经核准擅自处置建筑垃圾的行政处罚", P, "《城市建筑垃圾管理规定》第二十五条第（三）项", L34, None, "active"),
    ("cw_dump", "对随意倾倒、抛撒或者堆放建筑垃圾的行政处罚", P, "《城市建筑垃圾管理规定》第二十六条", L34, None, "active"),
    ("build", "对违法建设的监督检查", I, URP + "第五十三条", L34, None, "active"),
    ("build_p", "对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的行政处罚", P,
     URP + "第六十四条", L34, None, "active"),
    ("build_demo", "查封施工现场、强制拆除违法建设", C,
     URP + "第六十八条；《中华人民共和国行政强制法》第四十四条", L34, None, "active"),
    ("green", "对城市绿化的监督检查", I, "《城市绿化条例》第四条", L34, None, "active"),
    ("tree", "对擅自修剪或者砍伐城市树木的行政处罚", P, "《城市绿化条例》第二十六条第（二）项", L34, None, "active"),
    ("road", "对城市道路的监督检查", I, "《城市道路管理条例》第六条", L34, None, "active"),
    ("road_dig", "对未经批准擅自占用或者挖掘城市道路的行政处罚", P, "《城市道路管理条例》第四十二条", L34, None, "active"),
    ("drain", "对城镇排水与污水处理的监督检查", I, "《城镇排水与污水处理条例》第四十一条", L34, None, "active"),
    ("duty", "对门前责任区“门前三包”责任落实情况的考评", O, HN_CITY + "第二十五条", L34, None, "active"),
]

CATALOG["文旅"] = [
    ("ta", "对旅行社的监督检查", I, "《旅行社条例》第四十一条；" + TRL + "第八十三条、第八十五条", L34, None, "active"),
    ("ta_deposit", "对旅行社质量保证金的核查", O, "《旅行社条例》第十三条", L3, None, "retired"),
    ("ta_nolic", "对未经许可经营旅行社业务的行政处罚", P, TRL + "第九十五条第一款", L34, None, "active"),
    ("ta_low", "对旅行社以不合理的低价组织旅游活动诱骗旅游者的行政处罚", P, TRL + "第九十八条", L34, None, "active"),
    ("guide", "对导游执业活动的监督检查", I, TRL + "第八十五条；《导游管理办法》第三十条", L34, None, "active"),
    ("guide_p", "对导游、领队私自承揽业务的行政处罚", P, TRL + "第一百零二条第二款", L34, None, "active"),
    ("scenic", "对A级旅游景区的监督检查", I, "《旅游景区质量等级管理办法》第二十八条", L3, None, "active"),
    ("complaint", "旅游投诉的受理和处理", O, TRL + "第九十一条；《旅游投诉处理办法》第四条", L34, None, "active"),
    ("ent", "对娱乐场所的监督检查", I, "《娱乐场所管理条例》第三十一条、第三十三条", L34, None, "active"),
    ("net", "对互联网上网服务营业场所的监督检查", I, IBR + "第四条", L34, None, "active"),
    ("net_minor", "对互联网上网服务营业场所经营单位接纳未成年人进入营业场所的行政处罚", P,
     IBR + "第三十一条第（二）项", L34, None, "active"),
    ("net_nolic", "对擅自从事互联网上网服务经营活动的行政处罚", P, IBR + "第二十七条", L34, None, "active"),
    ("net_seal", "查封擅自从事互联网上网服务经营活动的场所，扣押专用工具、设备", C, IBR + "第二十七条", L34, None, "active"),
    ("show", "对营业性演出的监督检查", I, "《营业性演出管理条例》第三十四条", L34, None, "active"),
    ("show_p", "对未经批准举办营业性演出的行政处罚", P, "《营业性演出管理条例》第四十三条第一款第（二）项", L34, None, "active"),
    ("relic", "对文物保护单位的监督检查", I, "《中华人民共和国文物保护法》第八条", L34, None, "active"),
    ("relic_p", "对擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业的行政处罚", P,
     "《中华人民共和国文物保护法》第六十六条第一款第（一）项", L3, None, "active"),
    ("tv", "对广播电视设施和节目传输的监督检查", I, "《广播电视管理条例》第五条", L34, None, "active"),
    ("sat", "对擅自安装和使用卫星地面接收设施的行政处罚", P, "《卫星电视广播地面接收设施管理规定》第十条", L34, None, "active"),
    ("sport", "对高危险性体育项目经营活动的监督检查", I, "《全民健身条例》第三十三条", L34, None, "active"),
    ("art", "对艺术品经营活动的监督检查", I, "《艺术品经营管理办法》第十九条", L3, None, "active"),
]

CATALOG["自然资源"] = [
    ("land", "对违反土地管理法律、法规行为的监督检查", I, LAL + "第六十七条、第六十八条", L34, None, "active"),
    ("land_occ", "对未经批准或者采取欺骗手段骗取批准，非法占用土地的行政处罚", P, LAL + "第七十七条第一款", L34, None, "active"),
    ("land_sell", "对买卖或者以其他形式非法转让土地的行政处罚", P, LAL + "第七十四条", L34, None, "active"),
    ("land_rec", "对拒不履行土地复垦义务的行政处罚", P, LAL + "第七十六条；《土地复垦条例》第四十一条", L34, None, "active"),
    ("farm", "对永久基本农田保护的监督检查", I, "《基本农田保护条例》第二十九条", L34, None, "active"),
    ("mineral", "对矿产资源勘查开采活动的监督检查", I,
     "《中华人民共和国矿产资源法》第十一条；《湖南省矿产资源管理条例》第三十六条", L34, None, "active"),
    ("mine_nolic", "对未取得采矿许可证擅自采矿的行政处罚", P, "《中华人民共和国矿产资源法》第三十九条第一款", L34, None, "active"),
    ("mine_seal", "查封非法开采矿产资源的场所，扣押用于非法开采的工具、设备", C,
     "《湖南省矿产资源管理条例》第四十二条", L34, None, "active"),
    ("survey", "对测绘活动的监督检查", I, "《中华人民共和国测绘法》第四条", L3, None, "active"),
    ("survey_p", "对未取得测绘资质证书擅自从事测绘活动的行政处罚", P, "《中华人民共和国测绘法》第五十五条第一款", L3, None, "active"),
    ("geo", "对地质灾害防治工作的监督检查", I, "《地质灾害防治条例》第七条", L34, None, "active"),
    ("plan", "对国土空间规划实施情况的监督检查", I, URP + "第五十三条", L34, None, "active"),
    ("estate", "对不动产登记工作的监督检查", I, "《不动产登记暂行条例》第六条", L34, None, "active"),
]

CATALOG["住建"] = [
    ("quality", "对建设工程质量的监督检查", I, CQR + "第四十七条、第四十八条", L34, None, "active"),
    ("q_sub", "对建设单位将建设工程发包给不具有相应资质等级的勘察、设计、施工单位的行政处罚", P,
     CQR + "第五十四条", L34, None, "active"),
    ("q_cut", "对施工单位在施工中偷工减料、使用不合格建筑材料的行政处罚", P, CQR + "第六十四条", L34, None, "active"),
    ("safety", "对建设工程安全生产的监督检查", I, CSR + "第四十三条", L34, None, "active"),
    ("safety_stop", "责令从危险区域内撤出作业人员或者暂时停止施工", C, CSR + "第四十三条第（四）项", L34, None, "active"),
    ("permit_p", "对未取得施工许可证擅自施工的行政处罚", P,
     "《中华人民共和国建筑法》第六十四条；《建筑工程施工许可管理办法》第十二条", L34, None, "active"),
    ("fire", "对建设工程消防设计审查验收的监督检查", I,
     "《中华人民共和国消防法》第十一条、第十三条；《建设工程消防设计审查验收管理暂行规定》第五条", L34, None, "active"),
    ("estate", "对房地产开发经营活动的监督检查", I, "《城市房地产开发经营管理条例》第六条", L3, None, "active"),
    ("presale", "对商品房预售资金监管的监督检查", I, "《城市商品房预售管理办法》第十三条", L3, None, "active"),
    ("gas", "对燃气经营活动的监督检查", I, "《城镇燃气管理条例》第四十一条", L34, None, "active"),
    ("gas_nolic", "对未取得燃气经营许可证从事燃气经营活动的行政处罚", P, "《城镇燃气管理条例》第四十五条第一款", L34, None, "active"),
    ("prop", "对物业服务活动的监督检查", I, "《物业管理条例》第五条", L34, None, "active"),
    ("dust", "对房屋建筑和市政基础设施工程施工扬尘防治的监督检查", I, APL + "第六十九条", L34, None, "active"),
    ("dust_p", "对施工工地未采取有效防尘降尘措施的行政处罚", P,
     APL + "第一百一十五条第一款第（一）项；《湖南省大气污染防治条例》第六十七条", L34, None, "active"),
    ("qual", "对建筑业企业资质的动态核查", O, "《建筑业企业资质管理规定》第二十四条", L3, None, "active"),
]


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def build_catalog():
    rows = []
    for dept, items in CATALOG.items():
        assert dept in DEPARTMENTS, dept
        dept_no = DEPARTMENTS[dept][0]
        by_key = {}
        main_index = 0
        sub_counter = Counter()
        for key, name, itype, basis, level, parent, status in items:
            assert key not in by_key, (dept, key)
            assert itype in TYPE_DIGIT, itype
            assert level in (L34, L3), level
            assert status in ("active", "retired")
            if parent is None:
                main_index += 1
                seq = "%04d0000" % main_index
                parent_code = ""
            else:
                prow = by_key[parent]  # parent must be listed earlier
                assert prow["parent_code"] == "", "sub-item of a sub-item"
                assert prow["status"] == "active"
                sub_counter[parent] += 1
                seq = prow["_seq"][:4] + "%04d" % sub_counter[parent]
                parent_code = prow["catalog_code"]
            code = "43" + dept_no + TYPE_DIGIT[itype] + seq
            row = {
                "catalog_code": code,
                "name": name,
                "item_type": itype,
                "department": dept,
                "legal_basis": basis,
                "parent_code": parent_code,
                "level": level,
                "status": status,
                "_seq": seq,
            }
            by_key[key] = row
            rows.append(row)
    return rows


def build_implementation(catalog_rows):
    used_codes = set()
    agency_codes = {}  # (region, name) -> code

    def agency(region, name):
        k = (region, name)
        if k not in agency_codes:
            agency_codes[k] = make_agency_code(region, name, used_codes)
        return agency_codes[k]

    rows = []
    rot = Counter()  # per-department rotation pointer for the third county
    for item in catalog_rows:
        if item["status"] != "active":
            continue
        dept = item["department"]
        levels = item["level"].split("|")
        targets = []
        if "3" in levels:
            targets.append(("3", CITY_REGION, DEPARTMENTS[dept][1]))
        if "4" in levels:
            third = ROTATING_COUNTIES[rot[dept] % len(ROTATING_COUNTIES)]
            rot[dept] += 1
            for region in ALWAYS_COUNTIES + [third]:
                targets.append(("4", region, county_agency_name(dept, region)))
        for level_digit, region, name in targets:
            acode = agency(region, name)
            impl = acode + level_digit + item["catalog_code"] + "01"
            rows.append({
                "implementation_code": impl,
                "catalog_code": item["catalog_code"],
                "agency_code": acode,
                "agency_name": name,
                "region_code": region,
            })
    return rows, agency_codes


CATALOG_HEADER = ["catalog_code", "name", "item_type", "department", "legal_basis", "parent_code", "level", "status"]
IMPL_HEADER = ["implementation_code", "catalog_code", "agency_code", "agency_name", "region_code"]


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n", quoting=csv.QUOTE_MINIMAL,
                           extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def validate(catalog_rows, impl_rows, agency_codes):
    allowed = set(DEPARTMENTS)
    codes = [r["catalog_code"] for r in catalog_rows]
    assert len(codes) == len(set(codes)), "duplicate catalog_code"
    by_code = {r["catalog_code"]: r for r in catalog_rows}
    dept_counts = Counter(r["department"] for r in catalog_rows)
    assert len(catalog_rows) >= 160, len(catalog_rows)
    assert len(dept_counts) >= 8
    for d, n in dept_counts.items():
        assert d in allowed and n >= 12, (d, n)
    for r in catalog_rows:
        c = r["catalog_code"]
        assert len(c) == 14 and c.isascii() and c.isdigit(), c
        assert c[5] == TYPE_DIGIT[r["item_type"]]
        assert c[2:5] == DEPARTMENTS[r["department"]][0]
        if r["parent_code"]:
            p = by_code[r["parent_code"]]
            assert p["department"] == r["department"] and p["parent_code"] == ""
    assert sum(1 for r in catalog_rows if r["status"] == "retired") == 3
    n_sub = sum(1 for r in catalog_rows if r["parent_code"])
    assert 12 <= n_sub <= 18, n_sub

    # every agency code passes both checks; one code per agency
    for (region, name), code in agency_codes.items():
        assert uscc_valid(code), code
        assert org_code_valid(code), code
        assert code[:2] == "11" and code[2:8] == region, code
    assert len(set(agency_codes.values())) == len(agency_codes)
    name_to_code = {}
    impl_codes = set()
    for r in impl_rows:
        ic = r["implementation_code"]
        assert len(ic) == 35, ic
        assert ic[:18] == r["agency_code"]
        assert ic[18] == ("3" if r["region_code"] == CITY_REGION else "4")
        assert ic[19:33] == r["catalog_code"] and ic[33:] == "01"
        assert by_code[r["catalog_code"]]["status"] == "active"
        assert r["agency_code"][2:8] == r["region_code"]
        assert name_to_code.setdefault(r["agency_name"], r["agency_code"]) == r["agency_code"]
        assert ic not in impl_codes, ic
        impl_codes.add(ic)
    # 珠晖区 and 衡阳县 present for every department
    dept_regions = {}
    for r in impl_rows:
        dept_regions.setdefault(by_code[r["catalog_code"]]["department"], set()).add(r["region_code"])
    for d in dept_counts:
        assert set(ALWAYS_COUNTIES) <= dept_regions[d], d


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    catalog_rows = build_catalog()
    impl_rows, agency_codes = build_implementation(catalog_rows)
    validate(catalog_rows, impl_rows, agency_codes)
    cat_path = os.path.join(OUT_DIR, "catalog.csv")
    impl_path = os.path.join(OUT_DIR, "implementation.csv")
    write_csv(cat_path, CATALOG_HEADER, catalog_rows)
    write_csv(impl_path, IMPL_HEADER, impl_rows)

    # Re-read the written files and re-validate the agency codes from disk.
    with open(impl_path, encoding="utf-8", newline="") as f:
        disk = list(csv.DictReader(f))
    bad = [r["agency_code"] for r in disk if not (uscc_valid(r["agency_code"]) and org_code_valid(r["agency_code"]))]
    assert not bad, bad

    # Summary
    total = len(catalog_rows)
    print("catalog.csv: %d items (%d 子项, %d retired)" % (
        total, sum(1 for r in catalog_rows if r["parent_code"]),
        sum(1 for r in catalog_rows if r["status"] == "retired")))
    types = list(TYPE_DIGIT)
    print("%-8s %5s " % ("部门", "合计") + " ".join("%6s" % t for t in types))
    for d in DEPARTMENTS:
        rs = [r for r in catalog_rows if r["department"] == d]
        tc = Counter(r["item_type"] for r in rs)
        print("%-8s %5d " % (d, len(rs)) + " ".join("%8d" % tc[t] for t in types))
    tc = Counter(r["item_type"] for r in catalog_rows)
    print("type mix: " + ", ".join("%s %d (%.1f%%)" % (t, tc[t], 100.0 * tc[t] / total) for t in types))
    print("levels: %s" % dict(Counter(r["level"] for r in catalog_rows)))
    print("implementation.csv: %d rows, %d agencies, regions %s" % (
        len(impl_rows), len(agency_codes), dict(sorted(Counter(r["region_code"] for r in impl_rows).items()))))
    print("all %d agency codes pass USCC (GB 32100) and GB 11714 checks: %s" % (len(agency_codes), not bad))
    print("--- catalog.csv sample ---")
    with open(cat_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for ln in [lines[0], lines[1], lines[2], lines[60]]:
        print(ln)
    print("--- implementation.csv sample ---")
    with open(impl_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for ln in [lines[0], lines[1], lines[2], lines[300]]:
        print(ln)
    return 0


if __name__ == "__main__":
    sys.exit(main())
