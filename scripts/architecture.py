#!/usr/bin/env python3
"""Writes the module graph section of docs/ARCHITECTURE.md from Package.swift, so the document cannot drift.

The section between the markers
    <!-- BEGIN GENERATED: module graph -->
    <!-- END GENERATED: module graph -->
is replaced by: the targets with what each depends on (targets of this package, products of other packages),
the targets in layers (each layer depends only on the layers above it), a Mermaid graph of the targets, the
products this package builds and the packages it depends on. Everything outside the markers is prose and stays
as written; `--check` also fails when the prose table of what each target holds (the table right before the
markers) misses a target or names one that no longer exists.

Usage:
    scripts/architecture.py            # rewrite the section
    scripts/architecture.py --check    # exit 1 when the committed section is not what Package.swift gives
    scripts/architecture.py --json F   # read a saved `swift package dump-package` output
Python 3 standard library only (shares the manifest reading with check_module_graph.py).
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_module_graph import ROOT, Target, dump_package, load_targets  # noqa: E402

DOC = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN = "<!-- BEGIN GENERATED: module graph -->"
END = "<!-- END GENERATED: module graph -->"
KIND = {"regular": "library", "executable": "executable", "test": "tests", "system": "system library"}


def layers(targets: list[Target]) -> list[list[str]]:
    """Targets by depth: a target sits one layer below the deepest target it depends on."""
    by_name = {t.name: t for t in targets}
    depth: dict[str, int] = {}

    def visit(name: str, seen: tuple[str, ...] = ()) -> int:
        if name in depth:
            return depth[name]
        if name in seen:
            sys.exit(f"dependency cycle: {' -> '.join(seen + (name,))}")
        local = [d for d in by_name[name].local if d in by_name]
        depth[name] = 1 + max((visit(d, seen + (name,)) for d in local), default=-1)
        return depth[name]

    for t in targets:
        visit(t.name)
    out: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for t in targets:
        out[depth[t.name]].append(t.name)
    return out


def products_text(target: Target) -> str:
    grouped: dict[str, list[str]] = {}
    for product, package in target.products:
        grouped.setdefault(package, []).append(product)
    return "; ".join(f"{package}: {', '.join(names)}" for package, names in sorted(grouped.items(), key=lambda kv: kv[0].lower())) or "—"


def requirement_text(requirement: dict) -> str:
    if "range" in requirement:
        r = requirement["range"][0]
        return f"{r['lowerBound']} ..< {r['upperBound']}"
    if "exact" in requirement:
        return f"exactly {requirement['exact'][0]}"
    return json.dumps(requirement, sort_keys=True)


def render(manifest: dict) -> str:
    targets = load_targets(manifest)
    lines = [BEGIN, "<!-- Written by scripts/architecture.py from Package.swift: do not edit by hand; rerun it. -->", ""]
    lines += ["#### Targets and their dependencies", "",
              "| target | kind | path | depends on (this package) | products of other packages |", "| --- | --- | --- | --- | --- |"]
    for t in targets:
        path = t.path.relative_to(ROOT).as_posix()
        local = ", ".join(f"`{d}`" for d in t.local) or "—"
        lines.append(f"| `{t.name}` | {KIND.get(t.kind, t.kind)} | `{path}` | {local} | {products_text(t)} |")
    lines += ["", "#### Layers", "",
              "Each target depends only on targets of the layers before its own (tests and executables included).", ""]
    for i, names in enumerate(layers(targets)):
        lines.append(f"{i}. " + ", ".join(f"`{n}`" for n in names))
    shown = [t for t in targets if t.kind != "test"]
    lines += ["", "#### Graph of the targets", "", "Test targets left out (see the table); an arrow points at what a target depends on.", "",
              "```mermaid", "graph BT"]
    for t in shown:
        lines.append(f'    {t.module}["{t.name}"]')
    for t in shown:
        for d in t.local:
            lines.append(f"    {t.module} --> {re.sub(r'[^A-Za-z0-9_]', '_', d)}")
    lines += ["```", "", "#### Products", "", "| product | kind | targets |", "| --- | --- | --- |"]
    for p in manifest["products"]:
        kind = next(iter(p["type"]))
        lines.append(f"| `{p['name']}` | {kind} | {', '.join(f'`{x}`' for x in p['targets'])} |")
    lines += ["", "#### Packages depended on", "", "| package | versions | used by |", "| --- | --- | --- |"]
    for dep in manifest["dependencies"]:
        for kind, entries in dep.items():
            for entry in entries:
                identity = entry["identity"]
                url = entry.get("location", {}).get("remote", [{}])[0].get("urlString", "")
                users = sorted({t.name for t in targets for _, package in t.products if package.lower() == identity.lower()})
                lines.append(f"| [{identity}]({url.removesuffix('.git')}) | {requirement_text(entry.get('requirement', {}))} | "
                             f"{', '.join(f'`{u}`' for u in users) or '—'} |")
    lines += ["", END]
    return "\n".join(lines)


def split(doc: str) -> tuple[str, str, str]:
    if doc.count(BEGIN) != 1 or doc.count(END) != 1 or doc.index(BEGIN) > doc.index(END):
        sys.exit(f"{DOC.relative_to(ROOT)}: needs exactly one {BEGIN} … {END} pair")
    head, rest = doc.split(BEGIN, 1)
    section, tail = rest.split(END, 1)
    return head, BEGIN + section + END, tail


def prose_table_problems(head: str, targets: list[Target]) -> list[str]:
    """The hand-written table of what each target holds: the last table before the generated section."""
    tables = re.findall(r"((?:^\|.*\|[ \t]*\n)+)", head, re.M)
    if not tables:
        return ["no table of what each target holds before the generated section"]
    first_cells = re.findall(r"^\|([^|]*)\|", tables[-1], re.M)
    named = {name for cell in first_cells for name in re.findall(r"`([^`/]+)`", cell)}
    names = {t.name for t in targets}
    problems = [f"the table of what each target holds misses `{n}`" for n in sorted(names - named)]
    problems += [f"the table of what each target holds names `{n}`, which Package.swift does not have" for n in sorted(named - names)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when docs/ARCHITECTURE.md is stale")
    parser.add_argument("--json", type=Path, help="a saved `swift package dump-package` output")
    args = parser.parse_args()
    manifest = json.loads(args.json.read_text()) if args.json else dump_package(ROOT)
    doc = DOC.read_text(encoding="utf-8")
    head, section, tail = split(doc)
    fresh = render(manifest)
    problems = prose_table_problems(head, load_targets(manifest))
    if args.check:
        if section != fresh:
            diff = difflib.unified_diff(section.splitlines(), fresh.splitlines(), "docs/ARCHITECTURE.md (committed)",
                                        "from Package.swift", lineterm="", n=1)
            print("docs/ARCHITECTURE.md's module graph is stale: run scripts/architecture.py", file=sys.stderr)
            print("\n".join(list(diff)[:60]), file=sys.stderr)
            return 1
        for p in problems:
            print(f"docs/ARCHITECTURE.md: {p}", file=sys.stderr)
        if problems:
            return 1
        print("docs/ARCHITECTURE.md: the module graph is Package.swift's")
        return 0
    if section != fresh:
        DOC.write_text(head + fresh + tail, encoding="utf-8")
        print("docs/ARCHITECTURE.md: module graph rewritten")
    else:
        print("docs/ARCHITECTURE.md: module graph already current")
    for p in problems:
        print(f"note: {p}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
