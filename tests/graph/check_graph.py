#!/usr/bin/env python3
"""orchc graph against the ASL files orchc compiles, read independently.

For every spec of specs/, every golden spec and tests/graph/hostile.yaml:
  - `orchc compile` writes the ASL files; this script reads them with Python's json and derives
    the picture they must give (docs/cli.md, "graph"): one node per state (label: the exact
    state name, then the Task resource or the type, then one "retry ..." line per retrier), one
    edge per transition (Next; each Choice rule, labelled with its condition; Default; each
    Catch, labelled with its error names and dashed), a start marker per scope with an edge to
    StartAt, an end marker with an edge from every state that ends the scope, and a dotted edge
    from each Parallel/Map state to the start marker of each of its branches / item processor;
  - `orchc graph` (DOT) must render with `dot -Tsvg` without a warning, and Graphviz's own
    reading of it (`dot -Tjson`: clusters, node labels, edges) must equal that picture;
  - `orchc graph --format mermaid` must parse with Mermaid's parser (mermaid_read.mjs) and its
    reading (subgraphs, vertices, edges) must equal the same picture.
Error specs (tests/golden/error-*) must make `orchc graph` exit 1 with nothing on stdout.

  check_graph.py ORCHC ROOT NPM_DIR   (NPM_DIR: node_modules from package-lock.json, and a copy
                                       of mermaid_read.mjs; check_graph.sh makes it)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

PREFIX = "arn:aws:states:::"
START, END = "\x00start", "\x00end"  # marker names; state names have no control characters


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


# ---- what the ASL says ----

def number(v):
    return json.dumps(v)


def condition(rule):
    if "Condition" in rule:
        return rule["Condition"]
    for op, sep in (("And", " AND "), ("Or", " OR ")):
        if op in rule:
            return sep.join("(" + condition(p) + ")" for p in rule[op])
    if "Not" in rule:
        return "NOT (" + condition(rule["Not"]) + ")"
    s = rule.get("Variable", "")
    for k, v in rule.items():
        if k not in ("Variable", "Next", "Comment", "Assign", "Output"):
            s += " " + k + " " + json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return s


def retry_line(r):
    s = "retry %s: max %s, every %ss, backoff %s" % (
        ", ".join(r["ErrorEquals"]), number(r.get("MaxAttempts", 3)),
        number(r.get("IntervalSeconds", 1)), number(r.get("BackoffRate", 2.0)))
    if "MaxDelaySeconds" in r:
        s += ", max delay %ss" % number(r["MaxDelaySeconds"])
    if "JitterStrategy" in r:
        s += ", jitter " + r["JitterStrategy"]
    return s


def expect_scope(sm, path, nodes, edges):
    states = sm["States"]
    edges.append(((path, START), (path, sm["StartAt"]), "", "solid"))
    for name, st in states.items():
        t = st["Type"]
        detail = t
        if t == "Task" and st.get("Resource", "").removeprefix(PREFIX):
            detail = st["Resource"].removeprefix(PREFIX)
        lines = (name, detail) + tuple(retry_line(r) for r in st.get("Retry", []))
        nodes.append((path, lines))
        me = (path, name)
        if "Next" in st:
            edges.append((me, (path, st["Next"]), "", "solid"))
        for rule in st.get("Choices", []):
            edges.append((me, (path, rule["Next"]), condition(rule), "solid"))
        if "Default" in st:
            edges.append((me, (path, st["Default"]), "Default", "solid"))
        for c in st.get("Catch", []):
            edges.append((me, (path, c["Next"]), ", ".join(c["ErrorEquals"]), "catch"))
        if st.get("End") is True or t in ("Succeed", "Fail"):
            edges.append((me, (path, END), "", "solid"))
        inner = [(b, "%s: branch %d" % (name, i + 1)) for i, b in enumerate(st.get("Branches", []))]
        proc = st.get("ItemProcessor", st.get("Iterator"))
        if proc is not None:
            inner.append((proc, name + ": item processor"))
        for sub, label in inner:
            child = path + (label,)
            edges.append((me, (child, START), "", "enter"))
            expect_scope(sub, child, nodes, edges)


def expected(out_dir):
    templates = glob.glob(os.path.join(out_dir, "*.template.json"))
    if len(templates) != 1:
        fail("%s: expected one template, found %s" % (out_dir, templates))
    stack = os.path.basename(templates[0])[: -len(".template.json")]
    nodes, edges = [], []
    for f in sorted(glob.glob(os.path.join(out_dir, stack + ".*.asl.json"))):
        wf = os.path.basename(f)[len(stack) + 1: -len(".asl.json")]
        with open(f, encoding="utf-8") as fh:
            expect_scope(json.load(fh), (wf,), nodes, edges)
    return sorted(nodes), sorted(edges)


# ---- what Graphviz read ----

def dot_label(text):
    """A DOT label as Graphviz shows it: \\n ends a line, \\\\ is a backslash."""
    lines, cur, i = [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt == "n":
                lines.append(cur)
                cur = ""
            elif nxt == "\\":
                cur += "\\"
            else:
                fail("label %r has the escape \\%s, which Graphviz would interpret" % (text, nxt))
            i += 2
            continue
        cur += c
        i += 1
    return tuple(lines + [cur])


def scope_paths(clusters, parent_of_cluster, members):
    """The innermost cluster of each member and each cluster's path of labels."""
    def path(c):
        p = ()
        while c is not None:
            p = (clusters[c],) + p
            c = parent_of_cluster.get(c)
        return p
    innermost = {}
    for c in clusters:
        for m in members[c]:
            # the innermost cluster is the one with the longest path
            if m not in innermost or len(path(c)) > len(path(innermost[m])):
                innermost[m] = c
    return {m: path(c) for m, c in innermost.items()}


def from_dot(graph, where):
    objs = graph["objects"]
    clusters, parent, members = {}, {}, {}
    for o in objs:
        if "nodes" in o or o.get("name", "").startswith("cluster"):
            clusters[o["_gvid"]] = o.get("label", "")
            members[o["_gvid"]] = o.get("nodes", [])
            for s in o.get("subgraphs", []):
                parent[s] = o["_gvid"]
    scope_of = scope_paths(clusters, parent, members)
    ref, nodes = {}, []
    for o in objs:
        if o["_gvid"] in clusters:
            continue
        if o["_gvid"] not in scope_of:
            fail("%s: node %s is in no workflow cluster" % (where, o["name"]))
        path = scope_of[o["_gvid"]]
        shape = o.get("shape")
        if shape == "circle":
            ref[o["_gvid"]] = (path, START)
        elif shape == "doublecircle":
            ref[o["_gvid"]] = (path, END)
        else:
            lines = dot_label(o.get("label", ""))
            ref[o["_gvid"]] = (path, lines[0])
            nodes.append((path, lines))
    edges = []
    for e in graph.get("edges", []):
        style = {"dashed": "catch", "dotted": "enter"}.get(e.get("style"), "solid")
        label = "\n".join(dot_label(e.get("label", "")))
        edges.append((ref[e["tail"]], ref[e["head"]], label, style))
    return sorted(nodes), sorted(edges)


# ---- what Mermaid read ----

def from_mermaid(model, where):
    if "error" in model:
        fail("%s: Mermaid's parser rejects it: %s" % (where, model["error"]))
    if model["type"] not in ("flowchart-v2", "flowchart"):
        fail("%s: Mermaid read a %s, not a flowchart" % (where, model["type"]))
    ids = [s["id"] for s in model["subgraphs"]]
    clusters = {s["id"]: s["title"] for s in model["subgraphs"]}
    members = {s["id"]: s["nodes"] for s in model["subgraphs"]}
    parent = {m: s["id"] for s in model["subgraphs"] for m in s["nodes"] if m in clusters}
    scope_of = scope_paths({i: clusters[i] for i in ids}, parent, members)
    ref, nodes = {}, []
    for v in model["vertices"]:
        if v["id"] not in scope_of:
            fail("%s: vertex %s is in no workflow subgraph" % (where, v["id"]))
        path = scope_of[v["id"]]
        if v["type"] == "circle":
            ref[v["id"]] = (path, START)
        elif v["type"] == "doublecircle":
            ref[v["id"]] = (path, END)
        else:
            ref[v["id"]] = (path, v["lines"][0])
            nodes.append((path, tuple(v["lines"])))
    edges = []
    for e in model["edges"]:
        dotted = e["stroke"] == "dotted"
        to_marker = ref[e["end"]][1] == START
        style = ("enter" if to_marker else "catch") if dotted else "solid"
        edges.append((ref[e["start"]], ref[e["end"]], e["label"], style))
    return sorted(nodes), sorted(edges)


def compare(where, fmt, want, got):
    if want == got:
        return
    wn, we = want
    gn, ge = got
    for name, w, g in (("nodes", wn, gn), ("edges", we, ge)):
        missing = [x for x in w if x not in g]
        extra = [x for x in g if x not in w]
        if missing or extra or len(w) != len(g):
            print("%s (%s): %s differ from the ASL" % (where, fmt, name), file=sys.stderr)
            for x in missing:
                print("  missing: %r" % (x,), file=sys.stderr)
            for x in extra:
                print("  extra:   %r" % (x,), file=sys.stderr)
    fail("%s: %s picture differs from the ASL" % (where, fmt))


def main():
    orchc, root, npm_dir = sys.argv[1:4]
    specs = sorted(glob.glob(os.path.join(root, "specs", "*.yaml")))
    specs += sorted(p for p in glob.glob(os.path.join(root, "tests", "golden", "*", "spec.yaml"))
                    if not os.path.basename(os.path.dirname(p)).startswith("error-"))
    specs.append(os.path.join(root, "tests", "graph", "hostile.yaml"))
    errors = sorted(glob.glob(os.path.join(root, "tests", "golden", "error-*", "spec.yaml")))
    checked = {}
    with tempfile.TemporaryDirectory() as tmp:
        mermaid_files = {}
        for i, spec in enumerate(specs):
            where = os.path.relpath(spec, root)
            out_dir = os.path.join(tmp, "out%d" % i)
            r = run([orchc, "compile", spec, "-o", out_dir])
            if r.returncode != 0:
                fail("%s: compile failed: %s" % (where, r.stderr.decode()))
            want = expected(out_dir)
            if not want[0]:
                fail("%s: no states" % where)
            r = run([orchc, "graph", spec])
            if r.returncode != 0:
                fail("%s: orchc graph exited %d: %s" % (where, r.returncode, r.stderr.decode()))
            dot_text = r.stdout
            r = run(["dot", "-Tsvg"], input=dot_text)
            if r.returncode != 0 or r.stderr or b"<svg" not in r.stdout:
                fail("%s: dot -Tsvg rejects the graph: %s" % (where, r.stderr.decode()))
            r = run(["dot", "-Tjson"], input=dot_text)
            if r.returncode != 0 or r.stderr:
                fail("%s: dot -Tjson: %s" % (where, r.stderr.decode()))
            compare(where, "dot", want, from_dot(json.loads(r.stdout), where))
            r = run([orchc, "graph", spec, "--format", "mermaid"])
            if r.returncode != 0:
                fail("%s: orchc graph --format mermaid exited %d" % (where, r.returncode))
            mmd = os.path.join(tmp, "graph%d.mmd" % i)
            with open(mmd, "wb") as fh:
                fh.write(r.stdout)
            mermaid_files[mmd] = (where, want)
            checked[where] = (len(want[0]), len(want[1]))
        r = run(["node", os.path.join(npm_dir, "mermaid_read.mjs")] +
                list(mermaid_files), cwd=npm_dir)
        try:
            models = json.loads(r.stdout)
        except ValueError:
            fail("mermaid_read.mjs printed no JSON: %s" % r.stderr.decode())
        for mmd, (where, want) in mermaid_files.items():
            compare(where, "mermaid", want, from_mermaid(models[mmd], where))
        if r.returncode != 0:
            fail("mermaid_read.mjs exited %d: %s" % (r.returncode, r.stderr.decode()))
    for spec in errors:
        where = os.path.relpath(spec, root)
        r = run([orchc, "graph", spec])
        if r.returncode != 1 or r.stdout:
            fail("%s: orchc graph exited %d with %d bytes on stdout; want 1 and none" %
                 (where, r.returncode, len(r.stdout)))
    for where, (n, e) in checked.items():
        print("ok %s: %d states, %d edges, in DOT and Mermaid" % (where, n, e))
    print("%d specs drawn and checked, %d error specs refused" % (len(checked), len(errors)))


if __name__ == "__main__":
    main()
