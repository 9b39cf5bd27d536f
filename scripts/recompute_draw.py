#!/usr/bin/env python3
"""Recompute a published 双随机 draw exactly as RandomDraw.run does. Python 3 standard library only.
Usage: recompute_draw.py HUB_URL PLAN_ID   (GET HUB_URL/api/v1/random-checks/plans/PLAN_ID)
   or: recompute_draw.py FILE.json         (the plan endpoint's answer, or the PublishedDraw itself)"""
import hashlib, hmac, json, sys, urllib.parse, urllib.request

def load(args):
    if args[0].startswith(("http://", "https://")):
        url = args[0].rstrip("/") + "/api/v1/random-checks/plans/" + urllib.parse.quote(args[1], safe="")
        doc = json.load(urllib.request.urlopen(url, timeout=30))
    else:
        doc = json.load(open(args[0], encoding="utf-8"))
    return doc.get("draw") or doc

def mac(seed, text):  # hex(HMAC-SHA256(key: seed, message: text))
    return hmac.new(seed, text.encode("utf-8"), hashlib.sha256).hexdigest()

def recompute(d):
    seed, plan, problems = bytes.fromhex(d["seed"]), d["planId"], []
    if hashlib.sha256(seed).hexdigest() != d["commitment"].lower():
        problems.append("SHA-256(seed) is not the published commitment")
    grade = {c["id"]: c["grade"] for c in d["candidates"]}
    ids = sorted(grade)  # code-point order = UTF-8 byte order
    if hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest() != d["candidatesHash"]:
        problems.append("the candidate list does not hash to candidatesHash")
    rank = {i: (mac(seed, "object|" + plan + "|" + i), i) for i in ids}
    skipped, taken = set(d["skipped"]), set()
    for g in "DCBAN":  # strata, highest risk first; quota = ceil(ratio x size) in basis points
        members, drawn = sorted((i for i in ids if grade[i] == g), key=rank.get), 0
        quota = (d["ratios"].get(g, 0) * len(members) + 9999) // 10000
        for i in members:
            if drawn >= quota or len(taken) >= d["maximumCount"]:
                break
            if i not in skipped:
                taken.add(i)
                drawn += 1
    for i in sorted(ids, key=rank.get):  # fill up to the minimum, all strata ranked together
        if len(taken) >= d["minimumCount"]:
            break
        if i not in taken and i not in skipped:
            taken.add(i)
    pools = {t["subjectId"]: t["pools"] for t in reversed(d["tasks"])}  # the first task of a subject wins
    tasks, short, n = {}, False, d["inspectorsPerTask"]
    for s in sorted(taken):  # one task per subject; each department draws n of its published pool
        tid, team = plan + "-" + s, {}
        for dept in d["departments"]:
            pool = sorted(set(pools.get(s, {}).get(dept, [])))
            short = short or len(pool) < n  # a short pool refuses the whole draw: no tasks
            team[dept] = sorted(pool, key=lambda c: (mac(seed, "inspector|" + tid + "|" + c), c))[:n]
        tasks[tid] = team
    tasks, published = ({} if short else tasks), {t["taskId"]: t["inspectors"] for t in d["tasks"]}
    for tid in sorted(set(published) | set(tasks)):
        if published.get(tid) != tasks.get(tid):
            problems.append("task %s: published %s, recomputed %s" % (tid, published.get(tid), tasks.get(tid)))
    return problems, len(tasks)

if __name__ == "__main__":
    problems, count = recompute(load(sys.argv[1:]))
    print("\n".join("FAILED: " + p for p in problems) if problems else "OK: the draw recomputes (%d tasks)" % count)
    sys.exit(1 if problems else 0)
