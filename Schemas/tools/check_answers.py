#!/usr/bin/env python3
"""Checks answers the live server gave against the response schemas of openapi.yaml.

    python3 Schemas/tools/check_answers.py DIR

DIR holds one JSON file per captured answer, written by the integration test `OpenAPIConformanceTests`:
{"method": "post", "path": "/api/v1/records", "status": 200, "body": {...}}. For each, the operation is found by
matching the path against the document's path templates, the response by status (following $ref), and the body is
validated against its application/json schema (JSON Schema 2020-12, $refs into openapi.yaml and
record-v1.schema.json resolved). Prints one line per answer; exits 1 when any does not conform or none was found.
Needs the pip packages jsonschema, referencing and PyYAML.
"""
import json
import re
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).resolve().parent.parent
OPENAPI = HERE / "openapi.yaml"
SCHEMA = HERE / "record-v1.schema.json"


def main(directory: str) -> int:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    registry = Registry().with_resources([
        (OPENAPI.as_uri(), Resource.from_contents(spec, default_specification=DRAFT202012)),
        (SCHEMA.as_uri(), Resource.from_contents(json.loads(SCHEMA.read_text(encoding="utf-8")), default_specification=DRAFT202012)),
    ])
    templates = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", p) + "$"), p) for p in spec["paths"]]
    files = sorted(Path(directory).glob("*.json"))
    failures = 0
    for f in files:
        sample = json.loads(f.read_text(encoding="utf-8"))
        path = sample["path"].split("?")[0]
        template = next((p for rx, p in templates if rx.match(path)), None)
        operation = spec["paths"].get(template, {}).get(sample["method"]) if template else None
        if operation is None:
            print(f"FAIL {f.name}: no operation {sample['method'].upper()} {path} in openapi.yaml"); failures += 1; continue
        response = operation.get("responses", {}).get(str(sample["status"]))
        if response is None:
            print(f"FAIL {f.name}: {sample['method'].upper()} {template} documents no {sample['status']} answer"); failures += 1; continue
        def esc(part):
            return str(part).replace("~", "~0").replace("/", "~1")
        pointer = "/paths/" + esc(template) + f"/{sample['method']}/responses/{sample['status']}"
        while "$ref" in response:
            pointer = response["$ref"].lstrip("#")
            response = spec
            for part in pointer.lstrip("/").split("/"):
                response = response[part.replace("~1", "/").replace("~0", "~")]
        if response.get("content", {}).get("application/json", {}).get("schema") is None:
            print(f"FAIL {f.name}: {sample['status']} answer has no application/json schema"); failures += 1; continue
        # The schema is reached inside openapi.yaml, so its own $refs resolve against the document.
        validator = Draft202012Validator({"$ref": OPENAPI.as_uri() + "#" + pointer + "/content/application~1json/schema"}, registry=registry)
        errors = sorted(validator.iter_errors(sample["body"]), key=lambda e: list(e.path))
        if errors:
            failures += 1
            e = errors[0]
            print(f"FAIL {f.name}: {sample['method'].upper()} {template} {sample['status']}: at {'/'.join(map(str, e.path)) or '(root)'}: {e.message[:200]}")
        else:
            print(f"ok   {f.name}: {sample['method'].upper()} {template} {sample['status']}")
    if not files:
        print("FAIL no captured answers in", directory)
        return 1
    print(f"openapi answers: {len(files) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".hub/api-samples"))
