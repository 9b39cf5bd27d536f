#!/usr/bin/env python3
"""Checks every document of Schemas/ and prints one line per check; exits 1 when any fails.

    python3 Schemas/tools/validate.py

Needs: Python 3.11+, the pip packages jsonschema, referencing, PyYAML, openapi-spec-validator; xmllint (Debian
libxml2-utils: the hub's own XSD engine is libxml2). The pip package xmlschema is used as a second, independent XSD
validator when it is installed. Writes nothing except temporary files.

What it checks:
1. The generated files are current (generate.py --check): record-v1.schema.json, record-v1.xsd and the XML
   examples match RecordSchema.swift, Mappings/dictionaries/ and examples/batch-valid.json.
2. record-v1.schema.json is a valid draft 2020-12 schema; examples/batch-valid.json validates.
3. The example is valid beyond what a schema can say: USCC check characters, the catalog (implementation item of
   this agency and catalog item, active, of the record's kind) and the date orderings of RecordRules.swift.
4. examples/batch-valid.xml and batch-gb18030.xml validate against record-v1.xsd (xmllint, and xmlschema), are the
   same document (canonical XML), and read back to exactly examples/batch-valid.json.
5. Variants of the example, each in both forms where it applies, are accepted or rejected as expected: the
   boundary of what each schema language can state (e.g. cross-field rules: JSON Schema yes, XSD 1.0 no).
6. openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator, external $ref resolved); its inline
   request example equals examples/batch-valid.json; every example in it validates against its schema; the worked
   signature example is right.
7. examples/case-events-valid.json validates against case-events-v1.schema.json, examples/case-events-valid.xml
   against case-events-v1.xsd, and the two hold the same events.
8. examples/observations-valid.json validates against observations-v1.schema.json, its XML forms (UTF-8 and
   GB18030) against observations-v1.xsd, and they hold the same observations; openapi.yaml's example equals it.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import hmac
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent.parent
ROOT = SCHEMAS.parent
JSON_SCHEMA = SCHEMAS / "record-v1.schema.json"
XSD = SCHEMAS / "record-v1.xsd"
OPENAPI = SCHEMAS / "openapi.yaml"
EXAMPLE = SCHEMAS / "examples/batch-valid.json"
XML_UTF8 = SCHEMAS / "examples/batch-valid.xml"
XML_GB = SCHEMAS / "examples/batch-gb18030.xml"

sys.dont_write_bytecode = True  # nothing is written next to the scripts
spec = importlib.util.spec_from_file_location("generate", SCHEMAS / "tools/generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)

failures: list[str] = []
count = 0


def check(ok: bool, what: str, detail: str = "", why: str = "") -> None:
    """One check; `detail` is printed when it fails, `why` (the validator's reason for a refusal) always."""
    global count
    count += 1
    note = f" — {detail}" if detail and not ok else f"\n        ({why[:160]})" if why else ""
    print(f"{'PASS' if ok else 'FAIL'}  {what}{note}")
    if not ok:
        failures.append(what)


# ------------------------------------------------------------------------------------------------ 1. generated


r = subprocess.run([sys.executable, str(SCHEMAS / "tools/generate.py"), "--check"], capture_output=True, text=True)
check(r.returncode == 0, "generated files are up to date (generate.py --check)", r.stderr.strip())

# ------------------------------------------------------------------------------------------------ 2. JSON Schema

schema = json.loads(JSON_SCHEMA.read_text(encoding="utf-8"))
batch = json.loads(EXAMPLE.read_text(encoding="utf-8"))
try:
    Draft202012Validator.check_schema(schema)
    check(True, "record-v1.schema.json is a valid JSON Schema draft 2020-12 document")
except Exception as e:  # noqa: BLE001
    check(False, "record-v1.schema.json is a valid JSON Schema draft 2020-12 document", str(e)[:300])
validator = Draft202012Validator(schema)


def json_errors(instance) -> list[str]:
    """Every error, each reported by its most specific cause (anyOf of an optional member hides it otherwise)."""
    out = []
    for e in validator.iter_errors(instance):
        while e.context:  # into anyOf: skip the "or null" branch of an optional member, take the deepest cause
            causes = [c for c in e.context if not (c.validator == "type" and c.validator_value == "null")] or e.context
            e = max(causes, key=lambda c: len(c.absolute_path))
        out.append(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:120]}")
    return out


errs = json_errors(batch)
check(not errs, "examples/batch-valid.json validates against record-v1.schema.json", "; ".join(errs))

# ------------------------------------------------------------------------------------------------ 3. beyond schema

USCC_SYMBOLS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_valid(code: str) -> bool:
    """GB 32100 check character (position 18) and GB 11714 check of positions 9-17, as USCC.swift."""
    if len(code) != 18 or any(c not in USCC_SYMBOLS for c in code):
        return False
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    c = 31 - sum(USCC_SYMBOLS.index(ch) * w for ch, w in zip(code, weights)) % 31
    if USCC_SYMBOLS[0 if c == 31 else c] != code[17]:
        return False
    org = code[8:16]
    value = lambda ch: int(ch) if ch.isdigit() else ord(ch) - 55  # noqa: E731
    o = 11 - sum(value(ch) * w for ch, w in zip(org, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return {10: "X", 11: "0"}.get(o, str(o)) == code[16]


def resident_id_valid(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789Xx":
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(number, weights)) % 11] == number[17].upper()


check(uscc_valid("91330105MA2KER1H4N") and uscc_valid("913303275586060950") and not uscc_valid("91330105MA2KER1H4M"),
      "USCC check used below passes DOMAIN.md's real codes and refuses a wrong check character")

with (ROOT / "Mappings/catalog/catalog.csv").open(encoding="utf-8", newline="") as f:
    catalog = {row["catalog_code"]: row for row in csv.DictReader(f)}
with (ROOT / "Mappings/catalog/implementation.csv").open(encoding="utf-8", newline="") as f:
    implementations = {row["implementation_code"]: row for row in csv.DictReader(f)}
ITEM_KIND = {"行政检查": "inspection", "行政处罚": "penalty", "行政强制": "coercion", "其他": "other"}


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


for i, rec in enumerate(batch["records"]):
    where = f"records[{i}] ({rec['kind']})"
    check(uscc_valid(rec["agency"]["code"]), f"{where}: agency.code passes both USCC check characters")
    if rec["party"]["idType"] == "001":
        check(uscc_valid(rec["party"]["idNumber"]), f"{where}: party.idNumber passes both USCC check characters")
    item = rec["item"]
    impl = implementations.get(item.get("implementationCode"))
    cat = catalog.get(item.get("catalogCode"))
    check(impl is not None and cat is not None, f"{where}: catalog and implementation codes are in the sample catalog")
    if impl and cat:
        check(impl["catalog_code"] == item["catalogCode"], f"{where}: the implementation item belongs to the catalog item")
        check(impl["agency_code"] == rec["agency"]["code"] and impl["agency_name"] == rec["agency"]["name"],
              f"{where}: the implementation item's agency is the record's agency ({impl['agency_name']})")
        check(cat["status"] == "active" and ITEM_KIND[cat["item_type"]] == rec["kind"],
              f"{where}: the catalog item is active and of the record's kind ({cat['item_type']}, {cat['department']})")
        check(item["implementationCode"].startswith(rec["agency"]["code"]) and uscc_valid(item["implementationCode"][:18]),
              f"{where}: implementationCode starts with the agency's valid USCC")
    submitted = ts(rec["submittedAt"])
    if rec["kind"] == "inspection":
        ins = rec["inspection"]
        check(submitted > ts(ins["date"]), f"{where}: submittedAt is later than inspection.date")
        check(len(ins["inspectors"]) >= 2, f"{where}: at least 2 inspectors")
    if rec["kind"] == "penalty":
        pen = rec["penalty"]
        check(ts(pen["decidedAt"]) > ts(pen["filedAt"]), f"{where}: decidedAt is later than filedAt")
        if pen.get("execution", {}).get("closedAt"):
            check(ts(pen["execution"]["closedAt"]) > ts(pen["filedAt"]), f"{where}: execution.closedAt is later than filedAt")
        check(submitted > ts(pen["decidedAt"]), f"{where}: submittedAt is later than decidedAt")
        if "02" in pen["kinds"]:
            check(float(pen["fineAmount"]) > 0, f"{where}: kinds has 02 and fineAmount is above zero")
        check(cat is not None and cat["department"] == "市场监管" and impl["region_code"] == "430400",
              f"{where}: a 市场监管 penalty item of the city agency")

# ------------------------------------------------------------------------------------------------ 4. XML examples

xmllint = shutil.which("xmllint")
# xmlschema is the second, independent XSD engine. When it is missing (or hidden with
# SCHEMA_CHECKS_WITHOUT=xmlschema, which the test command uses to prove this path), its checks are reported
# as skipped: an absent checker never gives a verdict.
SKIPPED: list[str] = []
try:
    if "xmlschema" in os.environ.get("SCHEMA_CHECKS_WITHOUT", "").split(","):
        raise ImportError("hidden by SCHEMA_CHECKS_WITHOUT")
    import xmlschema  # type: ignore

    xsd_py = xmlschema.XMLSchema10(str(XSD))
except ImportError:
    xsd_py = None
    print("skip  python xmlschema is not installed (scripts/bootstrap.sh installs it): XSD checked with xmllint only")
check(xmllint is not None, "xmllint is installed (apt-get install libxml2-utils)")
if xmllint is None:
    sys.exit("xmllint is the hub's own XSD engine and is required: run scripts/bootstrap.sh")


def xmllint_valid(path: Path) -> tuple[bool, str]:
    r = subprocess.run([xmllint, "--noout", "--nonet", "--schema", str(XSD), str(path)], capture_output=True, text=True)
    return r.returncode == 0, r.stderr.strip().splitlines()[0] if r.returncode else ""


def xmlschema_valid(path: Path) -> tuple[bool | None, str]:
    """python xmlschema parses with expat, which reads no multi-byte encoding but UTF-8 and UTF-16: a GB18030
    document is decoded by Python's gb18030 codec first and given as text (its declaration dropped).
    None when xmlschema is not installed: no verdict."""
    if xsd_py is None:
        SKIPPED.append(path.name)
        return None, "xmlschema not installed"
    data = path.read_bytes()
    source = str(path)
    if data.startswith(b'<?xml version="1.0" encoding="GB18030"?>'):
        source = data.decode("gb18030").split("?>", 1)[1].lstrip()
    try:
        xsd_py.validate(source)
        return True, ""
    except Exception as e:  # noqa: BLE001
        return False, str(e).splitlines()[0]


r = subprocess.run([xmllint, "--noout", str(XSD)], capture_output=True, text=True)
check(r.returncode == 0, "record-v1.xsd is well-formed XML", r.stderr)
for path in (XML_UTF8, XML_GB):
    ok, msg = xmllint_valid(path)
    check(ok, f"{path.name} validates against record-v1.xsd (xmllint --schema)", msg)
    if xsd_py is not None:
        ok, msg = xmlschema_valid(path)
        decoded = " after decoding with Python's gb18030 codec" if path == XML_GB else ""
        check(ok, f"{path.name} validates against record-v1.xsd (python xmlschema, XSD 1.0{decoded})", msg)

check(XML_GB.read_bytes().startswith(b'<?xml version="1.0" encoding="GB18030"?>'),
      "batch-gb18030.xml declares encoding GB18030")
try:
    XML_GB.read_bytes().decode("utf-8")
    check(False, "batch-gb18030.xml is really GB18030 (not decodable as UTF-8)")
except UnicodeDecodeError:
    check(True, "batch-gb18030.xml is really GB18030 (not decodable as UTF-8)")
c14n = [subprocess.run([xmllint, "--c14n", str(p)], capture_output=True).stdout for p in (XML_UTF8, XML_GB)]
check(c14n[0] == c14n[1] and len(c14n[0]) > 0, "the UTF-8 and GB18030 examples are the same document (xmllint --c14n)")


def xml_to_json(elem: ET.Element, node: dict):
    """Reads the XML form back into JSON, led by the JSON Schema (arrays and booleans are typed there)."""
    node = resolve(node)
    types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    if "object" in types:
        return {child.tag: xml_to_json(child, node["properties"][child.tag]) for child in elem}
    if "array" in types:
        return [xml_to_json(child, node["items"]) for child in elem]
    if "boolean" in types:
        return {"true": True, "false": False}[elem.text]
    return elem.text


def resolve(node: dict) -> dict:
    while True:
        if "anyOf" in node and "$ref" not in node:
            node = node["anyOf"][0]
        elif "$ref" in node and node["$ref"].startswith("#/$defs/") and node["$ref"][8:] in ("text", "identifier"):
            return {"type": "string"}
        elif "$ref" in node:
            node = schema["$defs"][node["$ref"][8:]]
        else:
            return node


def read_xml_batch(text: str) -> dict:
    root = ET.fromstring(text.split("?>", 1)[1])
    out = {"batchId": root.get("batchId")} if root.get("batchId") is not None else {}
    out["records"] = [xml_to_json(r, {"$ref": "#/$defs/record"}) for r in root]
    return out


check(read_xml_batch(XML_UTF8.read_text(encoding="utf-8")) == batch, "batch-valid.xml reads back to exactly batch-valid.json")
check(read_xml_batch(XML_GB.read_bytes().decode("gb18030")) == batch, "batch-gb18030.xml reads back to exactly batch-valid.json")

# ------------------------------------------------------------------------------------------------ 5. variants

R0, R1 = 0, 1  # the inspection, the penalty


def variant(fn):
    b = copy.deepcopy(batch)
    fn(b)
    return b


def setp(path: str, value):
    """Sets records[i].a.b (the value DELETE removes the member)."""

    def apply(b):
        parts = path.split(".")
        target = b
        for p in parts[:-1]:
            target = target[int(p)] if p.isdigit() else target[p]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = copy.deepcopy(value)

    return apply


DELETE = object()
COERCION = {"measure": "查封涉案食品", "startAt": "2026-11-20T10:00:00+08:00", "endAt": "2026-12-19T10:00:00+08:00"}
I = "records.0."
P = "records.1."
inspector = {"name": "赵敏", "certificateNo": "43040020260003"}


def seq(*fns):
    def apply(b):
        for fn in fns:
            fn(b)
    return apply


# (what, mutation, JSON Schema accepts?, XSD accepts? — None: not expressible in that form)
VARIANTS = [
    ("unknown member in a record (extra)", setp(I + "extra", "x"), False, False),
    ("unknown member in party (party.phone)", setp(I + "party.phone", "13800000000"), False, False),
    ("unknown member of the batch (source)", setp("source", "x"), False, None),
    ("agency.code with I (not a USCC symbol)", setp(I + "agency.code", "11430400013248734I"), False, False),
    ("agency.code of 17 characters", setp(I + "agency.code", "11430400013248734"), False, False),
    ("agency.code in lower case", setp(I + "agency.code", "11430400013248734h"), False, False),
    ("party.idNumber with O for idType 001 (cross-field: XSD cannot)", setp(I + "party.idNumber", "91330105MA2KER1H4O"), False, True),
    ("one inspector", lambda b: b["records"][0]["inspection"]["inspectors"].pop(), False, False),
    ("no inspector", setp(I + "inspection.inspectors", []), False, False),
    ("three inspectors", lambda b: b["records"][0]["inspection"]["inspectors"].append(inspector), True, True),
    ("51 inspectors", setp(I + "inspection.inspectors", [inspector] * 51), False, False),
    ("fineAmount 5000.000 (3 decimals)", setp(P + "penalty.fineAmount", "5000.000"), False, False),
    ("fineAmount -5000.00 (negative)", setp(P + "penalty.fineAmount", "-5000.00"), False, False),
    ("fineAmount 5,000.00 (thousands separator)", setp(P + "penalty.fineAmount", "5,000.00"), False, False),
    ("fineAmount 05000.00 (leading zero)", setp(P + "penalty.fineAmount", "05000.00"), False, False),
    ("fineAmount 5000. (no decimals after the point)", setp(P + "penalty.fineAmount", "5000."), False, False),
    ("fineAmount as a JSON number 5000", setp(P + "penalty.fineAmount", 5000), False, None),
    ("fineAmount 5000 and paidAmount 5000.5", seq(setp(P + "penalty.fineAmount", "5000"),
                                                  setp(P + "penalty.execution.paidAmount", "5000.5")), True, True),
    ("kinds has 02 but no fineAmount (cross-field)", setp(P + "penalty.fineAmount", DELETE), False, True),
    ("kinds has 02 and fineAmount 0.00 (cross-field)", setp(P + "penalty.fineAmount", "0.00"), False, True),
    ("kinds 01 only and no fineAmount", seq(setp(P + "penalty.kinds", ["01"]), setp(P + "penalty.fineAmount", DELETE)), True, True),
    ("kinds empty", setp(P + "penalty.kinds", []), False, False),
    ("15 kinds", setp(P + "penalty.kinds", ["01"] * 15), False, False),
    ("kinds with an unknown code 15", setp(P + "penalty.kinds", ["01", "15"]), False, False),
    ("time without offset", setp(I + "submittedAt", "2026-11-20T16:45:00"), False, False),
    ("time 2026-02-30", setp(I + "inspection.date", "2026-02-30T09:30:00+08:00"), False, False),
    ("time with a space instead of T", setp(I + "inspection.date", "2026-11-20 09:30:00+08:00"), False, False),
    ("time in UTC with fraction (Z)", setp(I + "inspection.date", "2026-11-20T01:30:00.250Z"), True, True),
    ("catalogCode of 13 digits", setp(I + "item.catalogCode", "4301210001000"), False, False),
    ("implementationCode with level digit 6", setp(I + "item.implementationCode", "11430400013248734H64301210001000001"), False, False),
    ("implementationCode with a lower-case letter", setp(I + "item.implementationCode", "11430400013248734h34301210001000001"), False, False),
    ("implementationCode of 65 characters", setp(I + "item.implementationCode", "11430400013248734H3" + "0" * 46), False, False),
    ("regionCode 4304", setp(I + "regionCode", "4304"), False, False),
    ("regionCode 004304", setp(I + "regionCode", "004304"), False, False),
    ("regionCode with a leading space", setp(I + "regionCode", " 430405"), False, False),
    ("inspection.result 77 (not in the dictionary)", setp(I + "inspection.result", "77"), False, False),
    ("kind audit", setp(I + "kind", "audit"), False, False),
    ("kind penalty on the inspection record (cross-field)", setp(I + "kind", "penalty"), False, True),
    ("inspection record also carrying penalty (cross-field)",
     lambda b: b["records"][0].__setitem__("penalty", copy.deepcopy(b["records"][1]["penalty"])), False, True),
    ("kind other with a coercion section", seq(setp(I + "kind", "other"), setp(I + "inspection", DELETE),
                                               setp(I + "coercion", COERCION)), True, True),
    ("kind coercion with a coercion section", seq(setp(I + "kind", "coercion"), setp(I + "inspection", DELETE),
                                                  setp(I + "coercion", COERCION)), True, True),
    ("item with localName only (cross-field: item_unidentified)",
     setp(I + "item", {"localName": "食品经营者日常监督检查"}), False, True),
    ("item with localCode only", setp(I + "item", {"localCode": "JC-0042"}), True, True),
    ("implementationCode without catalogCode (cross-field)", setp(I + "item.catalogCode", DELETE), False, True),
    ("citizen (nature 1) with idType 001 (cross-field)", setp(I + "party.nature", "1"), False, True),
    ("citizen with a resident ID (idType 111)", seq(setp(I + "party.nature", "1"), setp(I + "party.idType", "111"),
                                                    setp(I + "party.idNumber", "11010519491231002X")), True, True),
    ("idType 111 with a USCC as number (cross-field)", seq(setp(I + "party.nature", "1"), setp(I + "party.idType", "111")), False, True),
    ("localId only spaces", setp(I + "localId", "   "), False, False),
    ("localId with a tab", setp(I + "localId", "SCJG\tJC-1"), False, False),
    ("subject.name only an ideographic space U+3000", setp(I + "subject.name", "\u3000"), False, False),
    ("actionName with control character U+0001", setp(I + "actionName", "日常\u0001检查"), False, None),
    ("penalty.facts with line breaks", setp(P + "penalty.facts", "第一行\n第二行"), True, True),
    ("actionName of 201 characters", setp(I + "actionName", "检" * 201), False, False),
    ("actionName of 200 characters", setp(I + "actionName", "检" * 200), True, True),
    ("penalty.facts of 4000 characters, with line breaks", setp(P + "penalty.facts", ("违" * 399 + "\n") * 10), True, True),
    ("penalty.facts of 4001 characters", setp(P + "penalty.facts", "实" * 4001), False, False),
    ("party.idNumber of 21 characters (idType 990)", seq(setp(I + "party.idType", "990"), setp(I + "party.idNumber", "X" * 21)), False, False),
    ("no records", setp("records", []), False, False),
    ("1001 records", lambda b: b.__setitem__("records", b["records"] * 500 + b["records"][:1]), False, False),
    ("1000 records", lambda b: b.__setitem__("records", b["records"] * 500), True, True),
    ("batchId of 51 characters", setp("batchId", "1" * 51), False, False),
    ("no batchId", setp("batchId", DELETE), True, True),
    ("hearing as the string \"false\"", setp(P + "penalty.hearing", "false"), False, None),
    ("legalReview done without date (cross-field)", setp(P + "penalty.legalReview.date", DELETE), False, True),
    ("optional members sent as null", seq(setp(P + "penalty.collectiveDiscussion.date", None),
                                          setp(P + "penalty.transferredAt", None), setp(I + "operation", None),
                                          setp(I + "inspection.mode", None), setp(I + "coercion", None)), True, None),
    ("required member sent as null (actionName)", setp(I + "actionName", None), False, False),
    ("submittedAt missing", setp(I + "submittedAt", DELETE), False, False),
    ("operation delete", setp(I + "operation", "delete"), True, True),
    ("delegatedAgency given", setp(I + "delegatedAgency", {"name": "衡阳市市场监督管理局", "code": "11430400013248734H"}), True, True),
]

VALID_XML = XML_UTF8.read_text(encoding="utf-8")
# XML-only variants: (what, text transformation, XSD accepts?)
XML_VARIANTS = [
    ("children of record and penalty in another order (xs:all)", "reorder", True),
    ("hearing written 0 (xs:boolean lexical, not taken)", lambda t: t.replace("<hearing>false</hearing>", "<hearing>0</hearing>"), False),
    ("regionCode twice in one record", lambda t: t.replace("<regionCode>430405</regionCode>", "<regionCode>430405</regionCode><regionCode>430405</regionCode>", 1), False),
    ("a namespace on the root", lambda t: t.replace("<records ", '<records xmlns="urn:example" ', 1), False),
    ("an unknown attribute on record", lambda t: t.replace("<record>", '<record id="1">', 1), False),
    ("an unknown attribute on records", lambda t: t.replace("<records ", '<records source="x" ', 1), False),
    ("an empty element for an optional text (<submittedBy/>)", lambda t: t.replace("<submittedBy>王芳</submittedBy>", "<submittedBy/>", 1), False),
    ("a single <record> as the document", lambda t: '<?xml version="1.0" encoding="UTF-8"?>\n' + t[t.index("<record>"):t.index("</record>") + 9], False),
    ("an inspector outside the <inspectors> wrapper", lambda t: t.replace("<inspectors>", "<inspector><name>赵敏</name><certificateNo>1</certificateNo></inspector><inspectors>", 1), False),
]


def reorder(text: str) -> str:
    root = ET.fromstring(text.split("?>", 1)[1])
    for rec in root:
        rec[:] = list(reversed(list(rec)))
        for child in rec:
            if child.tag in ("penalty", "party", "item"):
                child[:] = list(reversed(list(child)))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def xsd_verdict(text: str, encoding: str = "utf-8") -> tuple[bool, str]:
    with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as f:
        f.write(text.encode(encoding))
        name = Path(f.name)
    try:
        ok1, msg1 = xmllint_valid(name)
        ok2, msg2 = xmlschema_valid(name)
    finally:
        name.unlink()
    if ok2 is not None and ok1 != ok2:
        return ok1, f"xmllint and xmlschema disagree: xmllint {ok1} ({msg1}), xmlschema {ok2} ({msg2})"
    return ok1, msg1 or msg2


def verdict(accepted: bool) -> str:
    return "accepted" if accepted else "rejected"


for what, fn, want_json, want_xml in VARIANTS:
    b = variant(fn)
    errs = json_errors(b)
    check((not errs) == want_json, f"JSON {verdict(want_json)}: {what}", "; ".join(errs[:3]) or "no error",
          why=errs[0] if errs and not want_json else "")
    if want_xml is not None:
        ok, msg = xsd_verdict(generate.to_xml(b, "UTF-8"))
        note = "" if want_xml == want_json else " — XSD 1.0 cannot state this rule; the hub refuses it"
        check(ok == want_xml and "disagree" not in msg, f"XML  {verdict(want_xml)}: {what}{note}", msg or "no error",
              why=msg if not want_xml else "")

for what, fn, want in XML_VARIANTS:
    text = reorder(VALID_XML) if fn == "reorder" else fn(VALID_XML)
    check(text != VALID_XML, f"(variant changes the document: {what})")
    ok, msg = xsd_verdict(text)
    check(ok == want and "disagree" not in msg, f"XML  {verdict(want)}: {what}", msg or "no error", why=msg if not want else "")

ok, msg = xsd_verdict(generate.to_xml(variant(setp(I + "inspection.inspectors", [inspector])), "GB18030"), "gb18030")
check(not ok, "XML  rejected: one inspector, in GB18030", msg, why=msg)

# ------------------------------------------------------------------------------------------------ 6. OpenAPI

openapi_text = OPENAPI.read_text(encoding="utf-8")
openapi = yaml.safe_load(openapi_text)
try:
    validate_openapi(openapi, base_uri=OPENAPI.as_uri())
    check(True, "openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator, external $ref resolved)")
except Exception as e:  # noqa: BLE001
    check(False, "openapi.yaml is a valid OpenAPI 3.1 document", str(e)[:400])
check(openapi.get("openapi", "").startswith("3.1"), "openapi.yaml declares OpenAPI 3.1")

post = openapi["paths"]["/api/v1/records"]["post"]
inline = post["requestBody"]["content"]["application/json"]["examples"]["twoRecords"]["value"]
check(inline == batch, "openapi.yaml's request example equals examples/batch-valid.json")

# Case events (docs/ENFORCEMENT.md): the JSON and XML examples of one whole case are the same events, and each
# validates against its schema.
CASE_SCHEMA = SCHEMAS / "case-events-v1.schema.json"
CASE_XSD = SCHEMAS / "case-events-v1.xsd"
case_schema = json.loads(CASE_SCHEMA.read_text(encoding="utf-8"))
case_example = json.loads((SCHEMAS / "examples/case-events-valid.json").read_text(encoding="utf-8"))
case_errs = [e.message[:150] for e in Draft202012Validator(case_schema).iter_errors(case_example)]
check(not case_errs, "examples/case-events-valid.json validates against case-events-v1.schema.json", "; ".join(case_errs[:3]))
case_xml = SCHEMAS / "examples/case-events-valid.xml"
r = subprocess.run(["xmllint", "--noout", "--schema", str(CASE_XSD), str(case_xml)], capture_output=True, text=True)
check(r.returncode == 0, "examples/case-events-valid.xml validates against case-events-v1.xsd (xmllint)", r.stderr[:300])
CASE_LISTS = {"evidence", "rightsTold", "penaltyKinds", "payments", "measures"}
CASE_BOOLEANS = {"major", "hearingRequested", "hearingHeld"}
CASE_INTEGERS = {"size", "limitDays"}


def case_tree(elem: ET.Element, is_list: bool = False):
    if is_list:
        return [case_tree(c) if len(c) else c.text for c in elem]
    if len(elem) == 0:
        if elem.tag in CASE_BOOLEANS:
            return elem.text == "true"
        return int(elem.text) if elem.tag in CASE_INTEGERS else elem.text
    return {c.tag: case_tree(c, c.tag in CASE_LISTS) for c in elem}


case_from_xml = {"events": [case_tree(e) for e in ET.parse(case_xml).getroot()]}
check(case_from_xml == case_example, "examples/case-events-valid.xml holds the same events as examples/case-events-valid.json")

# Observations for the risk models (docs/RISK.md): the JSON example and its two XML forms hold the same
# observations, each validates against its schema, and openapi.yaml's request example is the JSON one.
OBS_SCHEMA = SCHEMAS / "observations-v1.schema.json"
OBS_XSD = SCHEMAS / "observations-v1.xsd"
obs_schema = json.loads(OBS_SCHEMA.read_text(encoding="utf-8"))
obs_example = json.loads((SCHEMAS / "examples/observations-valid.json").read_text(encoding="utf-8"))
obs_errs = [e.message[:150] for e in Draft202012Validator(obs_schema).iter_errors(obs_example)]
check(not obs_errs, "examples/observations-valid.json validates against observations-v1.schema.json", "; ".join(obs_errs[:3]))
OBS_BOOLEANS = {"prescription", "prescriptionChecked", "revoked"}
OBS_INTEGERS = {"deviceClass", "amountFen"}


def obs_tree(elem: ET.Element):
    if len(elem) == 0:
        if elem.tag in OBS_BOOLEANS:
            return elem.text == "true"
        return int(elem.text) if elem.tag in OBS_INTEGERS else elem.text
    return {c.tag: obs_tree(c) for c in elem}


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    return [without_nulls(v) for v in value] if isinstance(value, list) else value


for name in ("observations-valid.xml", "observations-gb18030.xml"):
    obs_xml = SCHEMAS / "examples" / name
    r = subprocess.run(["xmllint", "--noout", "--schema", str(OBS_XSD), str(obs_xml)], capture_output=True, text=True)
    check(r.returncode == 0, f"examples/{name} validates against observations-v1.xsd (xmllint)", r.stderr[:300])
    # ElementTree reads no multi-byte declared encoding: decode as declared, parse the text without the declaration.
    raw = obs_xml.read_bytes()
    text = raw.decode("gb18030" if b'encoding="GB18030"' in raw[:100] else "utf-8").split("?>", 1)[1]
    obs_from_xml = {"observations": [obs_tree(e) for e in ET.fromstring(text)]}
    check(obs_from_xml == without_nulls(obs_example), f"examples/{name} holds the same observations as examples/observations-valid.json")
obs_inline = openapi["paths"]["/api/v1/risk/observations"]["post"]["requestBody"]["content"]["application/json"]["examples"]["mixed"]["value"]
check(obs_inline == obs_example, "openapi.yaml's observations request example equals examples/observations-valid.json")

registry = Registry().with_resources([
    (OPENAPI.as_uri(), Resource.from_contents(openapi, default_specification=DRAFT202012)),
    (JSON_SCHEMA.as_uri(), Resource.from_contents(schema)),
    (CASE_SCHEMA.as_uri(), Resource.from_contents(case_schema)),
    (OBS_SCHEMA.as_uri(), Resource.from_contents(obs_schema)),
])


def pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def media_examples(media: dict):
    if "example" in media:
        yield "example", media["example"]
    for name, ex in media.get("examples", {}).items():
        yield name, ex["value"]


n_examples = 0
for path, item in openapi["paths"].items():
    for method, op in item.items():
        bodies = []
        if "requestBody" in op:
            bodies.append(("requestBody", op["requestBody"], ("paths", path, method, "requestBody")))
        for status, resp in op.get("responses", {}).items():
            where = ("paths", path, method, "responses", status)
            if "$ref" in resp:
                name = resp["$ref"].split("/")[-1]
                resp, where = openapi["components"]["responses"][name], ("components", "responses", name)
            bodies.append((status, resp, where))
        for label, body, where in bodies:
            for mtype, media in body.get("content", {}).items():
                if mtype != "application/json":
                    continue
                v = Draft202012Validator({"$ref": OPENAPI.as_uri() + pointer(*where, "content", mtype, "schema")},
                                         registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
                for name, value in media_examples(media):
                    n_examples += 1
                    errs = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:150]}" for e in v.iter_errors(value)]
                    check(not errs, f"openapi example {method.upper()} {path} {label} {name} validates against its schema", "; ".join(errs[:3]))
check(n_examples >= 20, f"openapi.yaml has examples for the operations ({n_examples} checked)")

# The worked signature example of the HubSignature scheme.
secret, target, stamp, nonce = "9f2c4e7a1b3d5f608192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8", "/api/v1/receipts?after=7&limit=100", "1795660200", "3f9a6c2e8b1d4f7a"
body_hash = hashlib.sha256(b"").hexdigest()
signature = hmac.new(secret.encode(), f"GET\n{target}\n{stamp}\n{nonce}\n{body_hash}".encode(), hashlib.sha256).hexdigest()
desc = openapi["components"]["securitySchemes"]["HubSignature"]["description"]
check(all(s in desc for s in (secret, target, stamp, nonce, body_hash, signature)),
      "the worked signature example in openapi.yaml is HMAC-SHA256 as RequestSigner computes it")
# The worked example of signature version 2 (host and content type signed too).
body_v2 = b'{"batchId":"B-1","records":[]}'
body_hash_v2 = hashlib.sha256(body_v2).hexdigest()
to_sign_v2 = "\n".join(["v2", "POST", "hub.example.gov.cn:8443", "/api/v1/records", "application/json; charset=utf-8",
                        stamp, nonce, body_hash_v2])
signature_v2 = hmac.new(secret.encode(), to_sign_v2.encode(), hashlib.sha256).hexdigest()
check(all(s in desc for s in (body_hash_v2, signature_v2, "hub.example.gov.cn:8443", "application/json; charset=utf-8")),
      "the worked version 2 signature example in openapi.yaml is HMAC-SHA256 over the v2 string as RequestSigner computes it")

skipped = f"; {len(SKIPPED)} python-xmlschema verdicts skipped (not installed)" if SKIPPED else ""
print(f"\n{count - len(failures)} of {count} checks passed{skipped}")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
