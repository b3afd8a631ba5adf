#!/usr/bin/env python3
"""orchc explain against the template: for every spec in specs/ and every golden case, the
statements `orchc explain --format json` lists per role are exactly those of the compiled
template (actions, resources, condition, and the principal of trust statements): none
missing, none extra, each once. Each has a reason and at least one `because` whose `where` is
a real file:line:col of the spec (or a file it extends).

    check_explain.py ORCHC ROOT

The check is run once on a deliberately damaged explanation first, so it is known to fail
when a statement is missing, duplicated or unexplained.
"""
import collections
import json
import os
import re
import subprocess
import sys

WHERE = re.compile(r"^(.+):(\d+):(\d+)$")


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def key(actions, resources, condition, principal):
    return json.dumps([sorted(actions), resources, condition, principal], sort_keys=True)


def template_statements(template):
    """{role logical ID: Counter of statement keys} from the template."""
    roles = {}
    for rid, res in template.get("Resources", {}).items():
        if res.get("Type") != "AWS::IAM::Role":
            continue
        props = res.get("Properties", {})
        stmts = list(props.get("AssumeRolePolicyDocument", {}).get("Statement", []))
        for policy in props.get("Policies", []):
            stmts += policy.get("PolicyDocument", {}).get("Statement", [])
        counter = collections.Counter()
        for s in stmts:
            assert s.get("Effect") == "Allow", s
            counter[key(as_list(s.get("Action")), as_list(s.get("Resource")), s.get("Condition"),
                        s.get("Principal"))] += 1
        roles[rid] = counter
    return roles


def check(explanation, template, base_dir, label):
    """The list of problems (empty when the explanation matches the template)."""
    problems = []
    expected = template_statements(template)
    got = {}
    for role in explanation["roles"]:
        rid = role["logicalId"]
        if rid in got:
            problems.append(f"{label}: role {rid} listed twice")
        counter = collections.Counter()
        for st in role["statements"]:
            for member in ("actions", "resources", "condition", "because", "reason"):
                if member not in st:
                    problems.append(f"{label}: {rid}: a statement has no '{member}': {st}")
            k = key(st["actions"], st["resources"], st["condition"], st.get("principal"))
            counter[k] += 1
            if not st.get("reason"):
                problems.append(f"{label}: {rid}: no reason for {st['actions']}")
            if not st.get("because"):
                problems.append(f"{label}: {rid}: no 'because' for {st['actions']}")
            for b in st.get("because", []):
                m = WHERE.match(b.get("where", ""))
                if not b.get("what") or not m:
                    problems.append(f"{label}: {rid}: bad because entry {b}")
                    continue
                path = os.path.join(base_dir, m.group(1))
                line, col = int(m.group(2)), int(m.group(3))
                try:
                    lines = open(path, encoding="utf-8").read().split("\n")
                except OSError:
                    problems.append(f"{label}: {rid}: {b['where']}: no such file")
                    continue
                if not (1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1].encode()) + 1):
                    problems.append(f"{label}: {rid}: {b['where']}: not a position of the file")
        got[rid] = counter
    for rid in sorted(set(expected) | set(got)):
        e, g = expected.get(rid, collections.Counter()), got.get(rid, collections.Counter())
        for k in sorted((e - g).keys()):
            problems.append(f"{label}: {rid}: statement missing from explain: {k}")
        for k in sorted((g - e).keys()):
            problems.append(f"{label}: {rid}: statement not in the template (or twice): {k}")
    return problems


def cases(root):
    """(label, directory, spec file name, extra compile flags) per spec and golden case."""
    specs = os.path.join(root, "specs")
    for name in sorted(os.listdir(specs)):
        if name.endswith(".yaml"):
            yield f"specs/{name}", specs, name, []
    golden = os.path.join(root, "tests", "golden")
    for case in sorted(os.listdir(golden)):
        d = os.path.join(golden, case)
        if os.path.isfile(os.path.join(d, "spec.yaml")):
            flags = ["--definition-string"] if os.path.exists(os.path.join(d, "definition-string")) else []
            yield f"golden/{case}", d, "spec.yaml", flags


def main():
    orchc, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    problems, checked, statements = [], 0, 0
    first = True
    for label, d, spec, flags in cases(root):
        explanation = json.loads(run([orchc, "explain", spec, "--format", "json"], cwd=d))
        template = json.loads(run([orchc, "compile", spec, "--stdout"] + flags, cwd=d))
        if first:
            # The check itself: a dropped, a duplicated and an unexplained statement are caught.
            damaged = json.loads(json.dumps(explanation))
            stmts = damaged["roles"][0]["statements"]
            stmts.append(json.loads(json.dumps(stmts[0])))
            damaged["roles"][-1]["statements"].pop()
            stmts[0]["because"] = []
            found = check(damaged, template, d, label)
            for what in ("not in the template (or twice)", "missing from explain", "no 'because'"):
                if not any(what in p for p in found):
                    problems.append(f"self-check: a damaged explanation's '{what}' went unnoticed")
            first = False
        problems += check(explanation, template, d, label)
        names = {u["name"] for u in explanation["limits"]}
        for needed in ("template bytes (inline deploy)", "template bytes", "resources", "outputs",
                       "parameters"):
            if needed not in names:
                problems.append(f"{label}: limit '{needed}' missing")
        checked += 1
        statements += sum(len(r["statements"]) for r in explanation["roles"])
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"orchc explain matches the template: {checked} specs, {statements} statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
