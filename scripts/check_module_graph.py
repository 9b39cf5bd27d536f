#!/usr/bin/env python3
"""The module graph tells the truth: every target of Package.swift imports exactly what it declares.

For each Swift target (sources, executables, tests, benchmarks) this compares
  - the dependencies Package.swift declares (read from `swift package dump-package`), products mapped to
    the modules they carry, with
  - the modules its sources import (`import X`, `@testable import X`, `@_exported import X`,
    `import struct X.Y`, `package import X`, `public import X`, `internal import X`, …),
and fails with a list when a target imports a module it does not declare (it compiles today only because
SwiftPM happens to put every module of the build on the search path), declares a dependency it never
imports (it links code it does not use), or when the package depends on a package no target uses; and
when a target links one it must not (MUST_NOT_LINK: the production `hub` and HubServer never the simulator).

Toolchain modules (Foundation, Testing, Glibc, Synchronization …) need no declaration and are ignored.

Usage:
    scripts/check_module_graph.py            # check, exit 1 with the list on drift
    scripts/check_module_graph.py --json F   # read a saved `swift package dump-package` output instead
Python 3 standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Modules of the toolchain: importable without a declared dependency.
TOOLCHAIN_MODULES = {
    "Swift", "_Concurrency", "_StringProcessing", "Foundation", "FoundationEssentials", "FoundationInternationalization",
    "FoundationNetworking", "FoundationXML", "CoreFoundation", "Dispatch", "Synchronization", "Observation", "Distributed",
    "RegexBuilder", "Testing", "XCTest", "Glibc", "Musl", "Darwin", "WinSDK", "Android", "os", "SwiftShims",
}

# Products whose modules are not named like the product (product name -> module names). Every other product
# carries one module of its own name, which is true of every product this package uses today; an entry is
# needed only when a new dependency breaks that rule (a product bundling several modules, or an underscored one).
PRODUCT_MODULES: dict[str, list[str]] = {
    "_NIOFileSystem": ["_NIOFileSystem", "NIOFileSystem"],  # swift-nio bundles two modules in this product
}

# Targets that must not link a target, directly or through another (target -> {forbidden: reason}).
MUST_NOT_LINK: dict[str, dict[str, str]] = {
    "hub": {"ProvinceSimulator": "the production CLI does not carry the test double; the demo is hub-demo"},
    "HubServer": {"ProvinceSimulator": "the server library does not carry the test double; the demo is hub-demo"},
}

# Dependencies a target needs without importing them (target -> {module: reason}). Empty: keep it so.
LINK_ONLY: dict[str, dict[str, str]] = {}

IMPORT = re.compile(
    r"""^\s*
        (?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*                      # @testable, @_exported, @preconcurrency, @_spi(X) …
        (?:(?:public|package|internal|fileprivate|private|open)\s+)?
        import\s+
        (?:(?:struct|class|enum|protocol|func|var|let|typealias|actor)\s+)?
        ([A-Za-z_][A-Za-z0-9_]*)                               # the module (X of X.Y)
    """,
    re.VERBOSE,
)
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
MULTILINE_STRING = re.compile(r'#*"""(?:.|\n)*?"""#*')


@dataclass
class Target:
    name: str
    kind: str  # regular, executable, test, system, …
    path: Path
    exclude: list[str]
    declared: dict[str, str] = field(default_factory=dict)  # module -> how Package.swift names it
    products: list[tuple[str, str]] = field(default_factory=list)  # (product, package)
    local: list[str] = field(default_factory=list)  # local target names

    @property
    def module(self) -> str:
        return c99name(self.name)


def c99name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def dump_package(root: Path) -> dict:
    # A scratch folder of its own, so the check neither waits for nor disturbs a build running in .build.
    with tempfile.TemporaryDirectory(prefix="module-graph-") as scratch:
        out = subprocess.run(["swift", "package", "--scratch-path", scratch, "dump-package"], cwd=root,
                             capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"swift package dump-package failed:\n{out.stderr}")
    return json.loads(out.stdout)


def load_targets(manifest: dict, root: Path = ROOT) -> list[Target]:
    targets: list[Target] = []
    for t in manifest["targets"]:
        kind = t["type"]
        default = ("Tests/" if kind == "test" else "Sources/") + t["name"]
        target = Target(t["name"], kind, root / (t.get("path") or default), t.get("exclude") or [])
        for dep in t.get("dependencies", []):
            if "byName" in dep or "target" in dep:
                name = (dep.get("byName") or dep.get("target"))[0]
                target.local.append(name)
                target.declared[c99name(name)] = f'"{name}"'
            elif "product" in dep:
                product, package = dep["product"][0], dep["product"][1] or dep["product"][0]
                target.products.append((product, package))
                for module in PRODUCT_MODULES.get(product, [product]):
                    target.declared[module] = f'.product(name: "{product}", package: "{package}")'
        targets.append(target)
    return targets


def swift_files(target: Target) -> list[Path]:
    excluded = [target.path / e for e in target.exclude]
    files = []
    for path in sorted(target.path.rglob("*.swift")):
        if any(path == e or e in path.parents for e in excluded):
            continue
        files.append(path)
    return files


def imports(path: Path) -> list[tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    # Blank out comments and multi-line strings but keep the line count, so line numbers stay right.
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
    text = MULTILINE_STRING.sub(blank, BLOCK_COMMENT.sub(blank, text))
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("//", 1)[0]
        if m := IMPORT.match(line):
            found.append((m.group(1), number))
    return found


def package_identities(manifest: dict) -> list[str]:
    identities = []
    for dep in manifest.get("dependencies", []):
        for kind in ("sourceControl", "fileSystem", "registry"):
            for entry in dep.get(kind, []):
                identities.append(entry["identity"].lower())
    return identities


def unused_packages(manifest: dict, targets: list[Target]) -> list[str]:
    used = {package.lower() for t in targets for _, package in t.products}
    return [f"Package.swift depends on the package {identity} but no target uses a product of it"
            for identity in package_identities(manifest) if identity not in used]


def links(targets: list[Target], name: str) -> set[str]:
    """Every local target `name` links, directly or through another."""
    by_name = {t.name: t for t in targets}
    seen: set[str] = set()
    todo = list(by_name[name].local) if name in by_name else []
    while todo:
        d = todo.pop()
        if d not in seen:
            seen.add(d)
            todo += by_name[d].local if d in by_name else []
    return seen


def forbidden_links(targets: list[Target]) -> list[str]:
    return [f"{name}: links {forbidden} — {reason}"
            for name, rules in MUST_NOT_LINK.items() for forbidden, reason in rules.items() if forbidden in links(targets, name)]


def check(targets: list[Target], root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    for target in targets:
        if target.kind not in ("regular", "executable", "test"):
            continue
        imported: dict[str, list[str]] = {}
        for path in swift_files(target):
            for module, line in imports(path):
                imported.setdefault(module, []).append(f"{path.relative_to(root)}:{line}")
        undeclared = sorted(m for m in imported if m not in target.declared and m not in TOOLCHAIN_MODULES and m != target.module)
        allowed = LINK_ONLY.get(target.name, {})
        unused = sorted(m for m in target.declared if m not in imported and m not in allowed)
        for module in undeclared:
            where = imported[module]
            more = f" (+{len(where) - 3} more)" if len(where) > 3 else ""
            problems.append(f"{target.name}: imports {module} without declaring it — {', '.join(where[:3])}{more}")
        for module in unused:
            problems.append(f"{target.name}: declares {target.declared[module]} but no file imports {module}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="a saved `swift package dump-package` output")
    args = parser.parse_args()
    manifest = json.loads(args.json.read_text()) if args.json else dump_package(ROOT)
    targets = load_targets(manifest)
    problems = unused_packages(manifest, targets) + forbidden_links(targets) + check(targets)
    checked = [t for t in targets if t.kind in ("regular", "executable", "test")]
    if problems:
        print(f"module graph: {len(problems)} difference(s) between Package.swift and the imports:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        print("Declare what a target imports (and only that) in Package.swift, or stop importing it.", file=sys.stderr)
        return 1
    print(f"module graph: {len(checked)} targets import exactly what they declare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
