#!/usr/bin/env python3
"""Generates the record documents of Schemas/ from the code that enforces them.

    python3 Schemas/tools/generate.py           # write record-v1.schema.json, record-v1.xsd and the XML examples
    python3 Schemas/tools/generate.py --check   # exit 1 when a written file differs from what would be generated

Sources (nothing else is read):
- Sources/HubModel/Records/RecordSchema.swift: every field, its type, required or optional, its length limit and
  its value check. The `FieldSpec` expressions of `RecordSchema` are parsed here, so a field added, removed or
  changed in Swift shows up in the documents (and `--check` fails until they are regenerated).
- Mappings/dictionaries/NAME.csv: the codes of each national dictionary (enumerations).
- Sources/HubModel/Records/RecordRules.swift (by hand, below): the one rule with a schema form everywhere
  (an inspection names at least 2 inspectors: minItems / minOccurs 2); the others, in JSON Schema where they can
  be said there, and in descriptions in both documents.
- Schemas/examples/batch-valid.json: the example batch; its XML forms (UTF-8 and GB18030) are derived from it.

Python 3 standard library only. The output is deterministic (sorted nothing, written in declaration order).
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SCHEMAS = Path(__file__).resolve().parent.parent
ROOT = SCHEMAS.parent
SWIFT = ROOT / "Sources/HubModel/Records/RecordSchema.swift"
DICTIONARIES = ROOT / "Mappings/dictionaries"

# --------------------------------------------------------------------------------------------------------------
# 1. RecordSchema.swift → a model
# --------------------------------------------------------------------------------------------------------------

TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>\d+)|(?P<id>\.?[A-Za-z_]\w*)|(?P<p>[()\[\],:\\]))')


def tokenize(text: str, start: int) -> list[str]:
    out, i = [], start
    while i < len(text):
        m = TOKEN.match(text, i)
        if not m or m.end() == i:
            break
        out.append(m.group(m.lastgroup))
        i = m.end()
    return out


class Parser:
    """Recursive descent over the `FieldSpec` DSL: .text(max:check:), .flag, .object([req/opt…]), .list(of:min:max:)."""

    def __init__(self, tokens: list[str], named: dict, enums: dict):
        self.t, self.i, self.named, self.enums = tokens, 0, named, enums

    def next(self) -> str:
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, *want: str) -> None:
        for w in want:
            got = self.next()
            if got != w:
                raise SyntaxError(f"RecordSchema.swift: expected {w!r}, found {got!r} (token {self.i})")

    def spec(self) -> dict:
        tok = self.next()
        if tok == ".flag":
            return {"t": "flag"}
        if tok == ".text":
            self.expect("(", "max", ":")
            n = int(self.next())
            check: object = "none"
            if self.t[self.i] == ",":
                self.expect(",", "check", ":")
                check = self.check()
            self.expect(")")
            return {"t": "text", "max": n, "check": check}
        if tok == ".object":
            self.expect("(", "[")
            members = []
            while self.t[self.i] != "]":
                kind = self.next()
                if kind not in ("req", "opt"):
                    raise SyntaxError(f"RecordSchema.swift: expected req/opt, found {kind!r}")
                self.expect("(")
                name = json.loads(self.next())
                self.expect(",")
                members.append((name, self.spec(), kind == "req"))
                self.expect(")")
                if self.t[self.i] == ",":
                    self.next()
            self.expect("]", ")")
            return {"t": "object", "members": members}
        if tok == ".list":
            self.expect("(", "of", ":")
            of = self.spec()
            self.expect(",", "min", ":")
            lo = int(self.next())
            self.expect(",", "max", ":")
            hi = int(self.next())
            self.expect(")")
            return {"t": "list", "of": of, "min": lo, "max": hi}
        if tok in self.named:  # `agency`, `time`: a static let of RecordSchema
            spec = dict(self.named[tok])
            spec["named"] = tok
            return spec
        raise SyntaxError(f"RecordSchema.swift: unexpected {tok!r}")

    def check(self):
        tok = self.next()
        if tok == ".dictionary":
            self.expect("(")
            name = json.loads(self.next())
            self.expect(")")
            return ("dictionary", name)
        if tok == ".oneOf":
            self.expect("(")
            enum = self.next()
            self.expect(".allCases", ".map", "(", "\\", ".rawValue", ")", ")")
            return ("oneOf", enum, self.enums[enum])
        name = tok.lstrip(".")
        return {"region": "regionCode"}.get(name, name)


def load_model() -> dict:
    text = SWIFT.read_text(encoding="utf-8")
    enums = {m.group(1): [c.strip() for c in m.group(2).split(",")]
             for m in re.finditer(r"enum (\w+): String[^{]*\{\s*case ([\w, ]+)\n", text)}
    named: dict = {}
    for name in ("agency", "time"):
        m = re.search(rf"static let {name}: FieldSpec = ", text)
        named[name] = Parser(tokenize(text, m.end()), named, enums).spec()
    m = re.search(r"public static let record: FieldSpec = ", text)
    return Parser(tokenize(text, m.end()), named, enums).spec()


def load_dictionaries() -> dict[str, list[tuple[str, str]]]:
    out = {}
    for path in sorted(DICTIONARIES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        out[path.stem] = [(r["code"], r["name"]) for r in rows]
    return out


# Cross-field rules of RecordRules.swift that change a schema limit. Path → (min items, why).
LIST_MIN_OVERRIDES = {
    "inspection.inspectors": (2, "RecordRules: 检查人员至少2名 (too_few_inspectors)"),
}
# XML: one child element per array value (DESIGN.md "Contracts").
XML_ITEM = {"inspectors": "inspector", "kinds": "kind", "persons": "person", "personalData": "personalDataItem"}
# $defs / complexType names for objects that are not named after their member.
DEF_NAME = {"inspection.inspectors[]": "inspector", "delegatedAgency": "agency"}

# --------------------------------------------------------------------------------------------------------------
# 2. Descriptions: DEF.member → (Chinese term of DOMAIN.md §4, English description)
# --------------------------------------------------------------------------------------------------------------

DEFS_DOC = {
    "record": ("监管行为信息", "One supervision behaviour record of the canonical record v1 (DOMAIN.md §4): an inspection "
               "(行政检查), a penalty (行政处罚), a coercive measure (行政强制) or another act (其他)."),
    "item": ("监管事项", "The supervision item the act carries out, as the department names it (local code, name, legal "
             "basis) and, when the department knows them, by the provincial catalog codes."),
    "agency": ("实施机构", "An agency: its name and its 统一社会信用代码."),
    "subject": ("监管对象", "What was supervised (an enterprise, a product, a place …)."),
    "party": ("行政相对人", "The party the act is directed at."),
    "inspection": ("行政检查", "The fields of an inspection; present exactly when kind is inspection."),
    "inspector": ("检查人员", "One inspector and the number of the law-enforcement certificate."),
    "penalty": ("行政处罚", "The fields of a penalty case; present exactly when kind is penalty."),
    "legalReview": ("法制审核", "The legal review of the decision (重大执法决定法制审核)."),
    "collectiveDiscussion": ("集体讨论", "The collective discussion of the decision by the agency's leadership."),
    "execution": ("结案执行", "How the decision was executed and the case closed."),
    "coercion": ("行政强制 / 其他", "The fields of a coercive measure, also used for kind other; present exactly when "
                 "kind is coercion or other."),
    "disclosure": ("公示信息", "What the hub must know to publish the act (行政执法公示, DOMAIN.md §7): whether nothing may "
                   "be published, and the personal data to hide from its texts (docs/DISCLOSURE.md)."),
}

DOC = {
    "record.localId": ("检查行为编号 / 处罚行为编号", "The record's number in the department's own system, unique there "
                       "(the idempotency key: the same localId with other content is a new version)."),
    "record.kind": ("监管行为类型", "The kind of act; it names the one section the record carries."),
    "record.operation": ("操作类型", "upsert (default when absent) or delete; a delete reaches the province as cd_operation D."),
    "record.item": ("监管事项", "The supervision item."),
    "record.planId": ("双随机一公开计划ID", "The random-inspection plan the act belongs to, if any."),
    "record.taskId": (
        "双随机抽查任务ID（planId-主体标识）",
        "The random-check task the act reports (planId-subjectId); with planId. The task must be of that plan and of the "
        "signing department, and every inspector drawn for it or a recorded substitute.",
    ),
    "record.actionName": ("检查行为名称 / 处罚行为名称", "The name of the act, e.g. 对某药房的日常检查."),
    "record.agency": ("实施机构", "The implementing agency (实施机构 and 实施机构编码)."),
    "record.delegatedAgency": ("受委托部门", "The agency that acted on the implementing agency's behalf, if any."),
    "record.subject": ("监管对象", "The supervised subject."),
    "record.party": ("行政相对人", "The party."),
    "record.regionCode": ("行政区划代码", "Where the act took place (GB/T 2260), e.g. 430405 珠晖区."),
    "record.inspection": ("行政检查", "Required when kind is inspection, absent (or null) otherwise."),
    "record.penalty": ("行政处罚", "Required when kind is penalty, absent (or null) otherwise."),
    "record.coercion": ("行政强制 / 其他", "Required when kind is coercion or other, absent (or null) otherwise."),
    "record.submittedAt": ("报送时间", "When the department submitted the record; later than the act "
                           "(inspection.date, penalty.decidedAt or coercion.startAt)."),
    "record.submittedBy": ("报送人员", "Who submitted the record."),
    "record.disclosure": ("公示信息", "Flags and personal data for the publication; absent means publish after the "
                          "standard redaction."),
    "disclosure.minor": ("当事人为未成年人", "The party is a minor: nothing is published."),
    "disclosure.stateSecret": ("涉及国家秘密", "The act involves state secrets: nothing is published."),
    "disclosure.tradeSecret": ("涉及商业秘密", "The act involves trade secrets: nothing is published."),
    "disclosure.persons": ("涉及的其他自然人姓名", "Names of natural persons other than the party that the texts mention "
                           "(witnesses, legal representative): masked wherever they appear."),
    "disclosure.personalData": ("个人信息", "Other personal data the texts may contain (a home address, health data, "
                                "a bank account): removed wherever it appears."),
    "item.localCode": ("本地事项编码", "The item's code in the department's own item list. Either localCode, or both "
                       "catalogCode and implementationCode, must be given."),
    "item.localName": ("本地事项名称", "The item's name in the department's own item list."),
    "item.legalBasis": ("设定依据 / 法定依据", "The legal basis as the department cites it, e.g. "
                        "《中华人民共和国药品管理法》第九十九条; used to match a local item to the catalog."),
    "item.catalogCode": ("监管事项目录编码", "The provincial catalog item code, 14 digits. Required when "
                         "implementationCode is given."),
    "item.implementationCode": ("检查实施清单编码", "The implementation item code: the implementing agency's USCC "
                                "(characters 1-18), a level digit 1-5 (19), then the provincial remainder; 20-64 "
                                "characters of 0-9 and A-Z. The hub checks it against the catalog: it must belong to "
                                "catalogCode, to agency.code and to an item of the record's kind."),
    "agency.name": ("机构名称", "The agency's name, e.g. 衡阳市市场监督管理局."),
    "agency.code": ("机构编码（统一社会信用代码）", "The agency's 统一社会信用代码 (GB 32100-2015)."),
    "subject.type": ("监管对象类型", "Dictionary subject_type."),
    "subject.name": ("监管对象", "The supervised subject's name."),
    "party.name": ("行政相对人名称", "The party's name."),
    "party.nature": ("行政相对人性质", "Dictionary party_nature. A citizen (1) is never identified by a USCC (idType 001)."),
    "party.idType": ("行政相对人证件类型", "Dictionary id_type."),
    "party.idNumber": ("行政相对人编码 / 证件号码", "Checked by its id type: idType 001 → a 统一社会信用代码 with both check "
                       "characters; 111 and 112 → an 18-character 居民身份证号码 (GB 11643-1999) with a valid birth "
                       "date and check digit; other types → text."),
    "party.registeredAddress": ("注册地址", "The party's registered address."),
    "party.businessAddress": ("经营地址", "The party's business address."),
    "inspection.form": ("检查形式", "Dictionary inspection_form."),
    "inspection.category": ("检查类别", "Dictionary inspection_category."),
    "inspection.mode": ("检查方式", "Dictionary inspection_mode."),
    "inspection.result": ("检查结果", "Dictionary inspection_result (the result codes of 双随机一公开)."),
    "inspection.date": ("检查时间", "When the inspection took place; submittedAt must be later."),
    "inspection.inspectors": ("检查人员", "At least 2 inspectors (RecordRules, code too_few_inspectors), at most 50."),
    "inspector.name": ("检查人员姓名", "The inspector's name."),
    "inspector.certificateNo": ("执法证号", "The inspector's law-enforcement certificate number."),
    "penalty.caseSource": ("案件来源", "Dictionary case_source."),
    "penalty.relatedCheckNo": ("关联检查行为编号", "The localId of the inspection that led to the case, if any."),
    "penalty.facts": ("违法事实", "The facts of the violation."),
    "penalty.basis": ("处罚依据", "The legal basis of the penalty."),
    "penalty.procedure": ("处罚程序", "Dictionary penalty_procedure."),
    "penalty.hearing": ("是否听证", "Whether a hearing was held."),
    "penalty.filedAt": ("立案时间", "When the case was filed; decidedAt and execution.closedAt must be later."),
    "penalty.criminal": ("是否涉刑", "Whether the case involves a crime (移送司法)."),
    "penalty.major": ("是否重大案件", "Whether the case is a major enforcement decision (重大执法决定)."),
    "penalty.legalReview": ("法制审核", "The legal review: whether it was done, its date and opinion."),
    "penalty.collectiveDiscussion": ("集体讨论", "The collective discussion: whether it took place, its date and conclusion."),
    "penalty.decisionNo": ("处罚决定书文号", "The decision document number, e.g. 衡市监罚〔2026〕12号."),
    "penalty.decidedAt": ("处罚决定日期", "When the decision was made; later than filedAt, and submittedAt must be later."),
    "penalty.kinds": ("处罚种类", "One or more codes of dictionary penalty_kind. With 02 (罚款) fineAmount is required "
                      "and above zero."),
    "penalty.fineAmount": ("罚款金额", "The fine in yuan, an exact decimal string (not a JSON number), e.g. \"5000.00\"."),
    "penalty.result": ("处罚结果", "The outcome of the penalty."),
    "penalty.reconsideration": ("行政复议", "Administrative reconsideration, if any."),
    "penalty.litigation": ("行政诉讼", "Administrative litigation, if any."),
    "penalty.execution": ("结案执行", "Execution and closing of the case."),
    "penalty.transferredAt": ("移送时间", "When the case was transferred (e.g. to the judiciary), if it was."),
    "legalReview.done": ("是否法制审核", "Whether the legal review was done; when true, date is required."),
    "legalReview.date": ("法制审核日期", "When the legal review was done."),
    "legalReview.opinion": ("法制审核意见", "The legal review's opinion."),
    "collectiveDiscussion.done": ("是否集体讨论", "Whether the case was discussed collectively."),
    "collectiveDiscussion.date": ("集体讨论日期", "When the discussion took place."),
    "collectiveDiscussion.conclusion": ("集体讨论结论", "The discussion's conclusion."),
    "execution.method": ("结案执行方式", "How the decision was executed."),
    "execution.result": ("执行结果", "The result of the execution."),
    "execution.paidAmount": ("实缴罚款金额", "The fine actually paid in yuan, an exact decimal string, e.g. \"5000.00\"."),
    "execution.closedAt": ("结案日期", "When the case was closed; later than penalty.filedAt."),
    "coercion.measure": ("监管措施", "The coercive (or other) measure taken."),
    "coercion.startAt": ("开始时间", "When the measure started; submittedAt must be later."),
    "coercion.endAt": ("结束时间", "When the measure ended; later than startAt."),
    "coercion.closingStatus": ("结案情况", "How the matter was closed."),
    "coercion.source": ("事项来源", "Where the matter came from."),
}

ENUM_DOC = {
    "RecordKind": {"inspection": "行政检查", "penalty": "行政处罚", "coercion": "行政强制", "other": "其他"},
    "RecordOperation": {"upsert": "新增或更新 (default)", "delete": "删除"},
}

# --------------------------------------------------------------------------------------------------------------
# 3. Value checks: one pattern per check, the same text in JSON Schema (ECMA-262, anchored by ^…$) and in XSD
#    (implicitly anchored). They restate the Swift checks named in the comments.
# --------------------------------------------------------------------------------------------------------------

USCC_CLASS = "[0-9A-HJ-NP-RTUWXY]"  # CodeSymbols.uscc: 0-9 A-Y without I, O, S, V, Z
DATE = (r"(19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
        r"|02-(0[1-9]|1[0-9]|2[0-9]))")
PATTERNS = {
    # USCC.init: 18 characters of the 31 USCC symbols; both check characters are checked by the hub.
    "uscc": USCC_CLASS + "{18}",
    # RegionCode.init: 6 digits, not starting with 00.
    "regionCode": "(0[1-9]|[1-9][0-9])[0-9]{4}",
    # CatalogCode.init: 14 digits.
    "catalogCode": "[0-9]{14}",
    # ImplementationCode.init: agency USCC, level digit 1-5, remainder; 20-64 characters of 0-9 A-Z.
    "implementationCode": USCC_CLASS + "{18}[1-5][0-9A-Z]{1,45}",
    # Timestamp.init: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM), year 1900-2999, offset hours ≤ 14.
    "timestamp": DATE + r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])",
    # Money.isValid: 1-13 integer digits without a leading zero, at most 2 decimals, never negative.
    "money": r"(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?",
    # ResidentID.init (party.idNumber with idType 111/112): 17 digits (birth date at 7-14) and a digit or X.
    "residentId": r"[0-9]{6}(19[0-9]{2}|20[0-9]{2}|2100)(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]",
}

FORMAT_DOC = {
    "uscc": ("统一社会信用代码", "A 统一社会信用代码 (GB 32100-2015): 18 characters of 0-9 and A-Y without I, O, S, V, Z. "
             "The hub also checks both check characters (position 18 over 1-17 mod 31, position 17 GB 11714 over 9-16; "
             "codes invalid_length, invalid_character, invalid_check_digit), which a pattern cannot express."),
    "regionCode": ("行政区划代码", "A GB/T 2260 region code: 6 digits (code invalid_region_code)."),
    "catalogCode": ("监管事项目录编码", "A provincial catalog item code: 14 digits (code invalid_catalog_code)."),
    "implementationCode": ("检查实施清单编码", "An implementation item code: the implementing agency's USCC (1-18, check "
                           "characters verified), a level digit 1-5 (19), then the provincial remainder; 20-64 characters "
                           "of 0-9 and A-Z (codes invalid_length, invalid_character, invalid_agency_prefix, invalid_level_digit)."),
    "timestamp": ("时间", "An ISO 8601 date-time with its UTC offset: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM), e.g. "
                  "2026-11-20T09:30:00+08:00; a time without offset is refused (code invalid_timestamp). The pattern admits "
                  "29 February of any year; the hub refuses it outside leap years."),
    "money": ("金额（元）", "Yuan as an exact decimal string, not a JSON number: at most 13 integer digits without a leading "
              "zero and at most 2 decimals, never negative, e.g. \"5000.00\", \"5000\", \"0.5\" (code invalid_money)."),
    "text": ("文本", "Text: not empty and not only whitespace (code empty), no control characters except tab and line "
             "feed (code control_character). Lengths count Unicode code points (code too_long)."),
    "identifier": ("编号", "An identifier: text without any control character (no tab or line feed either), in Unicode "
                   "NFC (code invalid_identifier; NFC is checked by the hub, not by this pattern)."),
}

RULES = [
    ("section_kind_mismatch / required", "Exactly one of inspection, penalty, coercion is present: the one kind names "
     "(inspection → inspection, penalty → penalty, coercion and other → coercion)."),
    ("item_unidentified", "item has localCode, or both catalogCode and implementationCode."),
    ("required (item.catalogCode)", "item.implementationCode needs item.catalogCode."),
    ("invalid_* (party.idNumber)", "party.idNumber is a valid USCC when idType is 001 and a valid 居民身份证号码 when "
     "idType is 111 or 112 (check characters included)."),
    ("nature_id_type_mismatch", "A citizen (party.nature 1) is not identified by a USCC (idType 001)."),
    ("too_few_inspectors", "An inspection names at least 2 inspectors."),
    ("submitted_before_act", "submittedAt is later than inspection.date, penalty.decidedAt or coercion.startAt."),
    ("decided_before_filed", "penalty.decidedAt is later than penalty.filedAt."),
    ("closed_before_filed", "penalty.execution.closedAt is later than penalty.filedAt."),
    ("ended_before_started", "coercion.endAt is later than coercion.startAt."),
    ("required / fine_not_positive (penalty.fineAmount)", "When penalty.kinds contains 02 (罚款), fineAmount is given "
     "and above zero."),
    ("required (penalty.legalReview.date)", "When penalty.legalReview.done is true, its date is given."),
]
RULES_NOT_IN_JSON_SCHEMA = {"submitted_before_act", "decided_before_filed", "closed_before_filed", "ended_before_started"}

# --------------------------------------------------------------------------------------------------------------
# 4. Walk the model once: definitions in order of first appearance, with their paths
# --------------------------------------------------------------------------------------------------------------


def collect_defs(model: dict) -> dict[str, dict]:
    defs: dict[str, dict] = {}

    def visit(spec: dict, name: str) -> None:
        if spec["t"] == "object":
            if name in defs:
                return
            defs[name] = spec
            for member, sub, _ in spec["members"]:
                visit(sub, def_name(name, member, sub))
        elif spec["t"] == "list" and spec["of"]["t"] == "object":
            visit(spec["of"], def_name_list(name))

    visit(model, "record")
    return defs


def def_name(owner: str, member: str, spec: dict) -> str:
    if spec["t"] == "list":
        return f"{owner}.{member}"
    if spec.get("named"):
        return spec["named"]
    return DEF_NAME.get(member, member)


def def_name_list(list_path: str) -> str:
    return DEF_NAME[list_path + "[]"]


def doc(key: str) -> tuple[str, str]:
    if key not in DOC:
        raise SystemExit(f"generate.py: no description for {key}: add it to DOC (a field was added to RecordSchema.swift?)")
    return DOC[key]


def doc_text(zh: str, en: str) -> str:
    return f"{zh} — {en}"


# --------------------------------------------------------------------------------------------------------------
# 5. JSON Schema (draft 2020-12)
# --------------------------------------------------------------------------------------------------------------

TEXT_CLASS = r"^[^\u0000-\u0008\u000B-\u001F\u007F]*$"
IDENT_CLASS = r"^[^\u0000-\u001F\u007F]*$"
NOT_BLANK = {"pattern": r"\S", "description": "not empty and not only whitespace"}


def json_leaf(spec: dict, path: str, dictionaries: dict) -> dict:
    t = spec["t"]
    if t == "flag":
        return {"type": "boolean"}
    if t == "object":
        return {"$ref": f"#/$defs/{path}"}
    if t == "list":
        lo = LIST_MIN_OVERRIDES.get(path, (spec["min"], None))[0]
        return {"type": "array", "minItems": lo, "maxItems": spec["max"],
                "items": json_leaf(spec["of"], def_name_list(path) if spec["of"]["t"] == "object" else path + "[]", dictionaries)}
    check = spec["check"]
    if check == "none":
        return {"type": "string", "$ref": "#/$defs/text", "maxLength": spec["max"]}
    if check == "identifier":
        return {"type": "string", "$ref": "#/$defs/identifier", "maxLength": spec["max"]}
    if isinstance(check, tuple) and check[0] == "oneOf":
        return {"type": "string", "enum": list(check[2])}
    if isinstance(check, tuple) and check[0] == "dictionary":
        return {"type": "string", "enum": [c for c, _ in dictionaries[check[1]]]}
    if check in PATTERNS:
        return {"$ref": f"#/$defs/{check}"}
    raise SystemExit(f"generate.py: unknown check {check!r} at {path}")


def enum_doc(spec: dict, dictionaries: dict) -> str:
    check = spec.get("check") if spec["t"] == "text" else spec["of"].get("check") if spec["t"] == "list" else None
    if isinstance(check, tuple) and check[0] == "dictionary":
        values = "; ".join(f"{c} {n}" for c, n in dictionaries[check[1]])
        return f" Codes (Mappings/dictionaries/{check[1]}.csv): {values}."
    if isinstance(check, tuple) and check[0] == "oneOf":
        names = ENUM_DOC.get(check[1], {})
        return " Values: " + "; ".join(f"{v} {names.get(v, '')}".strip() for v in check[2]) + "."
    return ""


def nullable(schema: dict) -> dict:
    """An optional member may be sent as null: the hub drops null members (they count as absent)."""
    if "enum" in schema:
        return {**schema, "type": [schema["type"], "null"], "enum": schema["enum"] + [None]}
    if schema.get("type") in ("boolean",) and len(schema) == 1:
        return {"type": ["boolean", "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def json_object(name: str, spec: dict, dictionaries: dict) -> dict:
    zh, en = DEFS_DOC[name]
    props, required = {}, []
    for member, sub, req in spec["members"]:
        key = f"{name}.{member}"
        mzh, men = doc(key)
        target = def_name(name, member, sub) if sub["t"] == "object" else key
        schema = json_leaf(sub, target, dictionaries)
        if not req:
            schema = nullable(schema)
            if "null" not in men:
                men += " Optional (null is taken as absent)."
        else:
            required.append(member)
        props[member] = {"description": doc_text(mzh, men + enum_doc(sub, dictionaries)), **schema}
    out = {"title": f"{name} ({zh})", "description": en, "type": "object", "additionalProperties": False,
           "required": required, "properties": props}
    extra = JSON_RULES.get(name)
    if extra:
        out["allOf"] = extra
    return out


def present(member: str) -> dict:
    """`member` is there and not null (what the hub's rules see after dropping nulls)."""
    return {"required": [member], "properties": {member: {"not": {"type": "null"}}}}


def absent(*members: str) -> dict:
    return {"properties": {m: {"type": "null"} for m in members}}


def section_rule(kinds: list[str], section: str, others: list[str]) -> dict:
    cond = {"properties": {"kind": {"const": kinds[0]} if len(kinds) == 1 else {"enum": kinds}}, "required": ["kind"]}
    then = {"allOf": [present(section), absent(*others)]}
    return {"description": f"kind {' or '.join(kinds)} carries {section} and neither {' nor '.join(others)} "
                           "(section_kind_mismatch / required).", "if": cond, "then": then}


JSON_RULES = {
    "record": [
        section_rule(["inspection"], "inspection", ["penalty", "coercion"]),
        section_rule(["penalty"], "penalty", ["inspection", "coercion"]),
        section_rule(["coercion", "other"], "coercion", ["inspection", "penalty"]),
    ],
    "item": [
        {"description": "The item is identified: localCode, or both catalogCode and implementationCode (item_unidentified).",
         "anyOf": [present("localCode"), {"allOf": [present("catalogCode"), present("implementationCode")]}]},
        {"description": "implementationCode needs catalogCode (required).",
         "if": present("implementationCode"), "then": present("catalogCode")},
    ],
    "party": [
        {"description": "idType 001: idNumber is a 统一社会信用代码 (check characters are verified by the hub).",
         "if": {"properties": {"idType": {"const": "001"}}, "required": ["idType"]},
         "then": {"properties": {"idNumber": {"pattern": "^" + PATTERNS["uscc"] + "$"}}}},
        {"description": "idType 111 or 112: idNumber is a 居民身份证号码 (GB 11643-1999; the check digit and the exact "
                        "birth date are verified by the hub).",
         "if": {"properties": {"idType": {"enum": ["111", "112"]}}, "required": ["idType"]},
         "then": {"properties": {"idNumber": {"pattern": "^" + PATTERNS["residentId"] + "$"}}}},
        {"description": "A citizen (nature 1) is not identified by a USCC (nature_id_type_mismatch).",
         "not": {"properties": {"nature": {"const": "1"}, "idType": {"const": "001"}}, "required": ["nature", "idType"]}},
    ],
    "penalty": [
        {"description": "kinds containing 02 (罚款) needs fineAmount above zero (required / fine_not_positive).",
         "if": {"properties": {"kinds": {"contains": {"const": "02"}}}, "required": ["kinds"]},
         "then": {"allOf": [present("fineAmount"),
                            {"properties": {"fineAmount": {"not": {"pattern": r"^0(\.0{1,2})?$"}}}}]}},
    ],
    "legalReview": [
        {"description": "done true needs date (required).",
         "if": {"properties": {"done": {"const": True}}, "required": ["done"]}, "then": present("date")},
    ],
}


def json_schema(model: dict, dictionaries: dict) -> dict:
    defs_out: dict = {}
    for name, spec in collect_defs(model).items():
        defs_out[name] = json_object(name, spec, dictionaries)
    formats = {}
    for key in ("text", "identifier"):
        zh, en = FORMAT_DOC[key]
        formats[key] = {"description": doc_text(zh, en), "type": "string",
                        "pattern": TEXT_CLASS if key == "text" else IDENT_CLASS, "allOf": [NOT_BLANK]}
    for key in ("uscc", "regionCode", "catalogCode", "implementationCode", "timestamp", "money"):
        zh, en = FORMAT_DOC[key]
        formats[key] = {"description": doc_text(zh, en), "type": "string", "pattern": "^" + PATTERNS[key] + "$"}
    formats["implementationCode"]["minLength"], formats["implementationCode"]["maxLength"] = 20, 64
    formats["timestamp"]["maxLength"] = 40
    rules = "\n".join(f"- {text} ({code}){'' if code.split()[0] not in RULES_NOT_IN_JSON_SCHEMA else ' — not expressible here: checked by the hub only'}"
                      for code, text in RULES)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Canonical record v1: a batch (监管行为信息批次)",
        "description": (
            "The body of POST /api/v1/records (application/json, UTF-8): a department's batch of supervision "
            "behaviour records in the canonical record v1 (DESIGN.md \"Contracts\", DOMAIN.md §4). Generated from "
            "Sources/HubModel/Records/RecordSchema.swift and Mappings/dictionaries/ by Schemas/tools/generate.py; the hub "
            "enforces the same rules in RecordReader and RecordRules and answers each violation with a field path and a "
            "stable error code.\n\n"
            "Unknown members are refused everywhere (unknown_field). An optional member may be null, which counts as "
            "absent. Lengths count Unicode code points. Dictionary enumerations are the codes of Mappings/dictionaries/ "
            "when this file was generated; operators may add codes there.\n\n"
            "Cross-field rules (RecordRules.swift), with the error code the hub gives; all but the date orderings are "
            "also stated in this schema:\n" + rules + "\n\n"
            "Check characters of USCC and resident ID numbers, Unicode NFC of identifiers and the catalog lookups of "
            "item codes (unknown_implementation_code, implementation_catalog_mismatch, catalog_item_retired, "
            "item_type_mismatch, implementation_agency_mismatch) are checked by the hub only. A department with a "
            "profile (Mappings/departments/CODE.yaml) may push its own field names and values instead: this schema "
            "describes the canonical form."),
        "type": "object",
        "additionalProperties": False,
        "required": ["records"],
        "properties": {
            "batchId": {
                "description": "批次号 — The department's own batch number, echoed in the answer: at most 50 characters, "
                               "no control characters. Optional (null is taken as absent).",
                "type": ["string", "null"], "maxLength": 50, "pattern": IDENT_CLASS},
            "records": {
                "description": "记录 — 1 to 1000 records (HUB_MAX_BATCH, default 1000); each gets its own result, in order.",
                "type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/$defs/record"}},
        },
        "$defs": {**defs_out, **formats},
    }


# --------------------------------------------------------------------------------------------------------------
# 6. XML Schema 1.0 (no target namespace)
# --------------------------------------------------------------------------------------------------------------

XSD_PATTERNS = {
    **PATTERNS,
    # Text: no CR (other control characters cannot occur in XML 1.0 at all) and one character that is not whitespace.
    "text": r"[^\r]*[^\s\p{Z}&#x85;][^\r]*",
    "identifier": r"[^\t\n\r]*[^\s\p{Z}&#x85;][^\t\n\r]*",
}
CAMEL = {"uscc": "USCC", "regionCode": "RegionCode", "catalogCode": "CatalogCode", "implementationCode": "ImplementationCode",
         "timestamp": "Timestamp", "money": "Money"}


def type_name(name: str) -> str:
    return name[0].upper() + name[1:]


def dictionary_type(name: str) -> str:
    return "".join(p.capitalize() for p in name.split("_")) + "Code"


def simple_order(name: str) -> tuple:
    """Simple types in reading order: text, identifiers, flag, code formats, enumerations, dictionaries."""
    m = re.fullmatch(r"(Text|Identifier)(\d*)", name)
    if m:
        return (0 if m.group(1) == "Text" else 1, int(m.group(2) or 0), name)
    fixed = ["Flag", *CAMEL.values(), "RecordKind", "RecordOperation"]
    if name in fixed:
        return (2, fixed.index(name), name)
    return (3, 0, name)


class XSD:
    def __init__(self, model: dict, dictionaries: dict):
        self.model, self.dicts = model, dictionaries
        self.simple: dict[str, str] = {}  # name → definition, in order of first use
        self.lines: list[str] = []

    def doc(self, text: str, indent: str) -> str:
        return f"{indent}<xs:annotation><xs:documentation>{escape(text)}</xs:documentation></xs:annotation>\n"

    def simple_type(self, spec: dict, path: str) -> str:
        t = spec["t"]
        if t == "flag":
            self.add_simple("Flag", '  <xs:simpleType name="Flag">\n' + self.doc(
                "是/否 — xs:boolean written as true or false (the JSON booleans); 1 and 0 are not taken.", "    ")
                + '    <xs:restriction base="xs:boolean"><xs:pattern value="true|false"/></xs:restriction>\n  </xs:simpleType>\n')
            return "Flag"
        check = spec["check"]
        if check in ("none", "identifier"):
            base = "Text" if check == "none" else "Identifier"
            self.base_text(check)
            name = f"{base}{spec['max']}"
            self.add_simple(name, f'  <xs:simpleType name="{name}">\n    <xs:restriction base="{base}"><xs:maxLength value="{spec["max"]}"/>'
                                  f'</xs:restriction>\n  </xs:simpleType>\n')
            return name
        if isinstance(check, tuple):
            if check[0] == "dictionary":
                name = dictionary_type(check[1])
                values = [(c, n) for c, n in self.dicts[check[1]]]
                what = f"国家字典 {check[1]} (Mappings/dictionaries/{check[1]}.csv)"
            else:
                name = check[1]
                values = [(v, ENUM_DOC.get(name, {}).get(v, "")) for v in check[2]]
                what = f"{doc('record.' + path.split('.')[-1])[0]} — {name} (Sources/HubModel/Records/RecordSchema.swift)"
            body = "".join(f'      <xs:enumeration value="{escape(c)}">{self.doc(n, "")[:-1]}</xs:enumeration>\n' for c, n in values)
            self.add_simple(name, f'  <xs:simpleType name="{name}">\n' + self.doc(what, "    ")
                            + f'    <xs:restriction base="xs:string">\n{body}    </xs:restriction>\n  </xs:simpleType>\n')
            return name
        if check in CAMEL:
            name = CAMEL[check]
            zh, en = FORMAT_DOC[check]
            facets = f'<xs:pattern value="{XSD_PATTERNS[check]}"/>'
            if check == "implementationCode":
                facets = f'<xs:minLength value="20"/><xs:maxLength value="64"/>' + facets
            self.add_simple(name, f'  <xs:simpleType name="{name}">\n' + self.doc(doc_text(zh, en), "    ")
                            + f'    <xs:restriction base="xs:string">{facets}</xs:restriction>\n  </xs:simpleType>\n')
            return name
        raise SystemExit(f"generate.py: unknown check {check!r} at {path}")

    def base_text(self, check: str) -> None:
        name = "Text" if check == "none" else "Identifier"
        zh, en = FORMAT_DOC["text" if check == "none" else "identifier"]
        self.add_simple(name, f'  <xs:simpleType name="{name}">\n' + self.doc(doc_text(zh, en), "    ")
                        + f'    <xs:restriction base="xs:string"><xs:pattern value="{XSD_PATTERNS["text" if check == "none" else "identifier"]}"/>'
                          f'</xs:restriction>\n  </xs:simpleType>\n')

    def add_simple(self, name: str, text: str) -> None:
        if name not in self.simple:
            self.simple[name] = text

    def element(self, owner: str, member: str, sub: dict, req: bool, out: list[str]) -> None:
        key = f"{owner}.{member}"
        zh, en = doc(key)
        occurs = "" if req else ' minOccurs="0"'
        extra = enum_doc(sub, {}) if sub["t"] == "text" and isinstance(sub["check"], tuple) and sub["check"][0] == "oneOf" else ""
        en = en.replace(" absent (or null) otherwise", " absent otherwise")
        optional = "" if req or "Required when" in en else " Optional."
        documentation = self.doc(doc_text(zh, en + extra + optional), "        ")
        if sub["t"] == "object":
            typ = type_name(def_name(owner, member, sub))
        elif sub["t"] == "list":
            typ = type_name(member)
            self.wrapper(key, member, sub)
        else:
            typ = self.simple_type(sub, key)
        out.append(f'      <xs:element name="{member}" type="{typ}"{occurs}>\n{documentation}      </xs:element>\n')

    def wrapper(self, key: str, member: str, spec: dict) -> None:
        child = XML_ITEM[member]
        lo = LIST_MIN_OVERRIDES.get(key, (spec["min"], None))[0]
        of = spec["of"]
        typ = type_name(def_name_list(key)) if of["t"] == "object" else self.simple_type(of, key + "[]")
        zh, en = doc(key)
        self.complex.append(
            f'  <xs:complexType name="{type_name(member)}">\n' + self.doc(f"{zh} — {en} One <{child}> element per value, in order.", "    ")
            + f'    <xs:sequence>\n      <xs:element name="{child}" type="{typ}" minOccurs="{lo}" maxOccurs="{spec["max"]}"/>\n'
              f'    </xs:sequence>\n  </xs:complexType>\n')

    def render(self) -> str:
        self.complex: list[str] = []
        objects = []
        for name, spec in collect_defs(self.model).items():
            zh, en = DEFS_DOC[name]
            members: list[str] = []
            for member, sub, req in spec["members"]:
                self.element(name, member, sub, req, members)
            note = en + " Children in any order (xs:all), each at most once."
            if name == "record":
                note += " Cross-field rules the hub checks after this schema (XSD 1.0 cannot state them; error code in brackets): " + " ".join(
                    f"({i}) {text} [{code}]" for i, (code, text) in enumerate(RULES, 1))
            objects.append(f'  <xs:complexType name="{type_name(name)}">\n' + self.doc(doc_text(zh, note), "    ")
                           + "    <xs:all>\n" + "".join(members) + "    </xs:all>\n  </xs:complexType>\n")
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<!-- Generated by Schemas/tools/generate.py from Sources/HubModel/Records/RecordSchema.swift and\n"
            "     Mappings/dictionaries/. Do not edit by hand: change the Swift schema or the dictionaries and regenerate. -->\n"
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" version="1.0">\n'
            + self.doc(
                "监管行为信息批次 (XML form) — Canonical record v1, XML form of a batch pushed to POST /api/v1/records "
                "(application/xml; UTF-8, GBK or GB18030 as the XML declaration says). No target namespace: plain, "
                "unqualified elements. The same names, enumerations, patterns and lengths as record-v1.schema.json: each "
                "JSON member is an element of the same name, each array a wrapper element with one child per value "
                "(<inspectors><inspector>…</inspector></inspectors>, <kinds><kind>01</kind></kinds>), booleans are "
                "true/false, and the batch is <records batchId=\"…\"><record>…</record></records>. An optional field is "
                "left out (there is no null). Values are compared exactly: whitespace around a code or time is not "
                "trimmed.", "  ")
            + '  <xs:element name="records" type="Batch">\n'
            + self.doc("批次 — The batch: 1 to 1000 records (HUB_MAX_BATCH).", "    ")
            + "  </xs:element>\n"
            + '  <xs:complexType name="Batch">\n    <xs:sequence>\n'
              '      <xs:element name="record" type="Record" minOccurs="1" maxOccurs="1000"/>\n    </xs:sequence>\n'
              '    <xs:attribute name="batchId" use="optional">\n'
            + self.doc("批次号 — The department's own batch number: at most 50 characters.", "      ")
            + '      <xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="50"/>'
              '<xs:pattern value="[^\\t\\n\\r]*"/></xs:restriction></xs:simpleType>\n'
              "    </xs:attribute>\n  </xs:complexType>\n")
        return head + "".join(objects) + "".join(self.complex) + "".join(
            self.simple[k] for k in sorted(self.simple, key=simple_order)) + "</xs:schema>\n"


# --------------------------------------------------------------------------------------------------------------
# 7. XML examples from the JSON example
# --------------------------------------------------------------------------------------------------------------


def to_xml(batch: dict, encoding: str) -> str:
    lines = [f'<?xml version="1.0" encoding="{encoding}"?>']
    attr = f" batchId={quoteattr(batch['batchId'])}" if batch.get("batchId") is not None else ""
    lines.append(f"<records{attr}>")

    def emit(name: str, value, depth: int) -> None:
        pad = "  " * depth
        if value is None:
            return
        if isinstance(value, dict):
            lines.append(f"{pad}<{name}>")
            for k, v in value.items():
                emit(k, v, depth + 1)
            lines.append(f"{pad}</{name}>")
        elif isinstance(value, list):
            lines.append(f"{pad}<{name}>")
            for v in value:
                emit(XML_ITEM[name], v, depth + 1)
            lines.append(f"{pad}</{name}>")
        elif isinstance(value, bool):
            lines.append(f"{pad}<{name}>{'true' if value else 'false'}</{name}>")
        else:
            lines.append(f"{pad}<{name}>{escape(str(value))}</{name}>")

    for record in batch["records"]:
        emit("record", record, 1)
    lines.append("</records>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------------------


def outputs() -> dict[str, bytes]:
    model = load_model()
    dictionaries = load_dictionaries()
    schema = json.dumps(json_schema(model, dictionaries), ensure_ascii=False, indent=2) + "\n"
    xsd = XSD(model, dictionaries).render()
    batch = json.loads((SCHEMAS / "examples/batch-valid.json").read_text(encoding="utf-8"))
    return {
        "record-v1.schema.json": schema.encode("utf-8"),
        "record-v1.xsd": xsd.encode("utf-8"),
        "examples/batch-valid.xml": to_xml(batch, "UTF-8").encode("utf-8"),
        "examples/batch-gb18030.xml": to_xml(batch, "GB18030").encode("gb18030"),
    }


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for rel, data in outputs().items():
        path = SCHEMAS / rel
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote Schemas/{rel} ({len(data)} bytes)")
    if stale:
        print("stale (run python3 Schemas/tools/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    if check:
        print("Schemas/: generated files are up to date with RecordSchema.swift, the dictionaries and the JSON example")
    return 0


if __name__ == "__main__":
    sys.exit(main())
