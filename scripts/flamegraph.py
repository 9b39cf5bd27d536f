#!/usr/bin/env python3
"""Folded stacks and a flame graph (SVG) from `perf script` output, without flamegraph.pl (not packaged here).

    perf record -F 499 -g -p PID -o perf.data -- sleep 20
    perf script -i perf.data | scripts/flamegraph.py --folded out.folded --svg out.svg --title "…" [--top 30]

The folded form is Brendan Gregg's (`frame;frame;frame count`, root first), so flamegraph.pl or speedscope read it
too. `--top N` prints the N functions with the most inclusive and self samples. Swift symbols are shortened with
`swift demangle --simplified` when it is on PATH.
"""
import argparse
import collections
import html
import re
import shutil
import subprocess
import sys


def read_stacks(lines):
    stacks = collections.Counter()
    frames = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                stacks[";".join(reversed(frames))] += 1
            frames = []
            continue
        if line[0] not in " \t":
            frames = []  # the sample's header line (comm pid time event)
            continue
        parts = line.strip().split(" ", 1)
        sym = parts[1] if len(parts) > 1 else parts[0]
        sym = re.sub(r"\s+\(.*\)$", "", sym)  # the DSO
        sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
        frames.append(sym or "[unknown]")
    if frames:
        stacks[";".join(reversed(frames))] += 1
    return stacks


def demangle(stacks):
    tool = shutil.which("swift-demangle") or shutil.which("swift")
    if not tool:
        return stacks
    names = sorted({f for s in stacks for f in s.split(";") if f.startswith("$s")})
    if not names:
        return stacks
    args = [tool, "--simplified"] if tool.endswith("swift-demangle") else [tool, "demangle", "--simplified"]
    out = subprocess.run(args, input="\n".join(names), capture_output=True, text=True).stdout.split("\n")
    table = {n: (out[i] if i < len(out) and out[i] else n) for i, n in enumerate(names)}
    result = collections.Counter()
    for s, c in stacks.items():
        result[";".join(table.get(f, f).replace(";", ",") for f in s.split(";"))] += c
    return result


def svg(stacks, title, width=1600, row=16):
    root = {"name": "all", "count": 0, "children": {}}
    for s, c in stacks.items():
        node = root
        node["count"] += c
        for f in s.split(";"):
            node = node["children"].setdefault(f, {"name": f, "count": 0, "children": {}})
            node["count"] += c
    total = max(1, root["count"])
    rects = []
    depth_max = [0]

    def walk(node, x, depth):
        w = node["count"] / total * (width - 20)
        if w < 0.3:
            return
        depth_max[0] = max(depth_max[0], depth)
        rects.append((x, depth, w, node["name"], node["count"]))
        cx = x
        for child in sorted(node["children"].values(), key=lambda n: n["name"]):
            walk(child, cx, depth + 1)
            cx += child["count"] / total * (width - 20)

    walk(root, 10, 0)
    height = (depth_max[0] + 3) * row + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
        f'<text x="10" y="18" font-size="14">{html.escape(title)} — {total} samples (hover for names)</text>',
    ]
    for x, depth, w, name, count in rects:
        y = height - (depth + 1) * row - 4
        hue = 20 + (hash(name) % 40)
        label = html.escape(name)
        pct = 100.0 * count / total
        out.append(
            f'<g><title>{label} ({count} samples, {pct:.1f}%)</title>'
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" fill="hsl({hue},85%,60%)"/>'
        )
        chars = int(w / 7)
        if chars > 3:
            text = name if len(name) <= chars else name[: chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + row - 5}">{html.escape(text)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folded")
    ap.add_argument("--svg")
    ap.add_argument("--title", default="flame graph")
    ap.add_argument("--top", type=int, default=0)
    a = ap.parse_args()
    stacks = demangle(read_stacks(sys.stdin))
    if a.folded:
        with open(a.folded, "w") as f:
            for s, c in sorted(stacks.items()):
                f.write(f"{s} {c}\n")
    if a.svg:
        with open(a.svg, "w") as f:
            f.write(svg(stacks, a.title))
    if a.top:
        total = sum(stacks.values())
        inclusive = collections.Counter()
        own = collections.Counter()
        for s, c in stacks.items():
            frames = s.split(";")
            for f in set(frames):
                inclusive[f] += c
            own[frames[-1]] += c
        print(f"{total} samples")
        print("inclusive:")
        for f, c in inclusive.most_common(a.top):
            print(f"  {100.0 * c / total:5.1f}%  {f[:160]}")
        print("self:")
        for f, c in own.most_common(a.top):
            print(f"  {100.0 * c / total:5.1f}%  {f[:160]}")


if __name__ == "__main__":
    main()
