#!/usr/bin/env python3
"""Prints the stage x size table of docs/performance.md from orchc_bench's JSON output.

    bench/stages_table.py build-bench/stages.json

Cells are the median CPU time per spec (and, for generated specs, per workflow); rows are the
benchmarks, columns the sizes (prod = specs/prod.yaml).
"""
import json
import sys


def fmt(us):
    if us >= 1e6:
        return "%.2f s" % (us / 1e6)
    if us >= 1e3:
        return "%.1f ms" % (us / 1e3)
    return "%.1f µs" % us


def main():
    data = json.load(open(sys.argv[1]))
    cells, sizes, stages = {}, [], []
    for b in data["benchmarks"]:
        if b.get("aggregate_name", "median") != "median" or "/" not in b["run_name"]:
            continue
        stage, arg = b["run_name"].split("/", 1)
        size = int(arg.split(":")[1])
        unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b["time_unit"]]
        cells[(stage, size)] = (b["cpu_time"] * unit, b.get("per_wf", 0) * 1e6)
        if stage not in stages:
            stages.append(stage)
        if size not in sizes:
            sizes.append(size)
    sizes.sort()
    head = ["prod" if s == 0 else "%d wf" % s for s in sizes]
    print("| stage | " + " | ".join(head) + " |")
    print("|---|" + "---|" * len(sizes))
    for stage in stages:
        row = []
        for s in sizes:
            if (stage, s) not in cells:
                row.append("-")
                continue
            total, per = cells[(stage, s)]
            row.append(fmt(total) if s <= 1 else "%s (%s/wf)" % (fmt(total), fmt(per)))
        print("| %s | %s |" % (stage.replace("BM_", ""), " | ".join(row)))


if __name__ == "__main__":
    main()
