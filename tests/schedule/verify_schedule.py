#!/usr/bin/env python3
"""Checks `orchc schedule --format json` against an independent computation.

The reference here shares no code with orchc: Python's zoneinfo (the system's tzdata, read
through Python's own TZif reader) and a small AWS cron evaluator written below from the
EventBridge documentation. For each of a dozen schedules in several zones it computes every
firing in the two years after FROM, with EventBridge Scheduler's documented daylight-saving
behaviour (a nonexistent local time is skipped, a repeated one fires once: listed at the first
occurrence; rate() counts elapsed time), and requires orchc's list to be exactly the same,
notes included.

usage: verify_schedule.py ORCHC
"""
import calendar
import datetime as dt
import json
import subprocess
import sys
import tempfile
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
FROM = dt.datetime(2026, 12, 1, tzinfo=UTC)
UNTIL = dt.datetime(2028, 12, 1, tzinfo=UTC)

# (workflow, engine, timezone, expression)
CASES = [
    ("berlin-0230", "scheduler", "Europe/Berlin", "cron(30 2 * * ? *)"),
    ("berlin-sundays", "scheduler", "Europe/Berlin", "cron(0/15 1-3 ? * SUN *)"),
    ("berlin-at-gap", "scheduler", "Europe/Berlin", "at(2027-03-28T02:30:00)"),
    ("berlin-at-overlap", "scheduler", "Europe/Berlin", "at(2027-10-31T02:30:00)"),
    ("ny-second-sunday", "scheduler", "America/New_York", "cron(30 2 ? * SUN#2 *)"),
    ("ny-last-day", "scheduler", "America/New_York", "cron(30 1 L * ? *)"),
    ("ny-daily-rate", "scheduler", "America/New_York", "rate(1 day)"),
    ("lord-howe-gap", "scheduler", "Australia/Lord_Howe", "cron(15 2 * * ? *)"),
    ("lord-howe-overlap", "scheduler", "Australia/Lord_Howe", "cron(45 1 ? * 6L *)"),
    ("lord-howe-rate", "scheduler", "Australia/Lord_Howe", "rate(12 hours)"),
    ("tokyo-weekdays", "scheduler", "Asia/Tokyo", "cron(0 9 ? * MON-FRI *)"),
    ("tokyo-rate", "scheduler", "Asia/Tokyo", "rate(7 hours)"),
    ("sao-paulo-15w", "scheduler", "America/Sao_Paulo", "cron(0 0 15W * ? *)"),
    ("sao-paulo-years", "scheduler", "America/Sao_Paulo", "cron(0 12 1 1/2 ? 2027-2028)"),
    ("utc-rule", "rule", "UTC", "cron(0 0/6 * * ? *)"),
]

MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
DAYS = "SUN MON TUE WED THU FRI SAT".split()


def value(text, lo, names):
    text = text.upper()
    if names and text in names:
        return lo + names.index(text)
    return int(text)


def field_set(text, lo, hi, names=None):
    out = set()
    for item in text.split(","):
        step = 1
        stepped = "/" in item
        if stepped:
            item, s = item.split("/")
            step = int(s)
        if item == "*":
            a, b = lo, hi
        elif "-" in item:
            a, b = (value(x, lo, names) for x in item.split("-"))
        else:
            a = value(item, lo, names)
            b = hi if stepped else a
        out.update(range(a, b + 1, step))
    return out


def aws_weekday(d):  # 1 = SUN ... 7 = SAT
    return (d.weekday() + 1) % 7 + 1


def day_matches(dom, dow, d):
    last = calendar.monthrange(d.year, d.month)[1]
    if dom != "?":
        if dom == "L":
            return d.day == last
        if dom.endswith("W"):
            n = int(dom[:-1])
            if n > last:
                return False
            wd = dt.date(d.year, d.month, n).weekday()  # 5 Sat, 6 Sun
            target = n
            if wd == 5:
                target = 3 if n == 1 else n - 1
            elif wd == 6:
                target = n - 2 if n == last else n + 1
            return d.day == target
        return d.day in field_set(dom, 1, 31)
    w = aws_weekday(d)
    if dow == "L":
        return w == 7
    if "#" in dow:
        day, nth = dow.split("#")
        return w == value(day, 1, DAYS) and (d.day - 1) // 7 + 1 == int(nth)
    if dow.endswith("L"):
        return w == value(dow[:-1], 1, DAYS) and d.day + 7 > last
    return w in field_set(dow, 1, 7, DAYS)


def offset_text(off):
    total = int(off.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return "%s%02d:%02d" % (sign, total // 3600, total // 60 % 60)


def resolve(naive, zone):
    """The instant a wall-clock time names, Scheduler-style: (instant, note, skipped)."""
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    u0, u1 = early.astimezone(UTC), late.astimezone(UTC)
    if u0.astimezone(zone).replace(tzinfo=None) != naive:
        return u0, "dst-skipped", True  # fold=0 reads it with the offset before the gap
    if u0 != u1:
        return min(u0, u1), "dst-repeated", False
    return u0, None, False


def element(wf, engine, tz, expr, instant, naive, note, skipped):
    zone = ZoneInfo(tz)
    local = naive.isoformat() if skipped else naive.isoformat() + offset_text(
        instant.astimezone(zone).utcoffset())
    return {"workflow": wf, "schedule": "0", "engine": engine, "expression": expr,
            "timezone": tz, "utc": None if skipped else instant.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "local": local, "note": note, "window_end": None}


def reference(wf, engine, tz, expr):
    """Every firing in [FROM, UNTIL), plus its instants, in order."""
    zone = ZoneInfo(tz)
    out = []
    if expr.startswith("at("):
        naive = dt.datetime.fromisoformat(expr[3:-1])
        instant, note, skipped = resolve(naive, zone)
        if FROM <= instant < UNTIL:
            out.append((instant, element(wf, engine, tz, expr, instant, naive, note, skipped)))
        return out
    if expr.startswith("rate("):
        n, unit = expr[5:-1].split()
        step = dt.timedelta(seconds=int(n) * {"minute": 60, "hour": 3600, "day": 86400}[
            unit.rstrip("s")])
        t = FROM
        while t < UNTIL:
            off = t.astimezone(zone).utcoffset()
            note = "dst-shifted" if off != (t - step).astimezone(zone).utcoffset() else None
            naive = t.astimezone(zone).replace(tzinfo=None)
            out.append((t, element(wf, engine, tz, expr, t, naive, note, False)))
            t += step
        return out
    minutes, hours, dom, month, dow, year = expr[5:-1].split()
    mins, hrs = sorted(field_set(minutes, 0, 59)), sorted(field_set(hours, 0, 23))
    months, years = field_set(month, 1, 12, MONTHS), field_set(year, 1970, 2199)
    d = (FROM - dt.timedelta(days=2)).date()
    while d <= UNTIL.date() + dt.timedelta(days=2):
        if d.year in years and d.month in months and day_matches(dom, dow, d):
            for h in hrs:
                for m in mins:
                    naive = dt.datetime(d.year, d.month, d.day, h, m)
                    instant, note, skipped = resolve(naive, zone)
                    if FROM <= instant < UNTIL:
                        out.append((instant, element(wf, engine, tz, expr, instant, naive, note,
                                                     skipped)))
        d += dt.timedelta(days=1)
    return out


def spec_text():
    lines = ["version: 1", "env: dev", "imports:",
             "  taskDefinition: {ssm: /dev/ecs/task-definition-arn}", "workflows:"]
    for wf, engine, tz, expr in CASES:
        lines += ["  %s:" % wf, "    schedules:", "      - expression: %s" % expr]
        if engine == "scheduler":
            lines += ["        engine: scheduler", "        timezone: %s" % tz]
        lines += ["    task:", "      container: app", "      command: [run]"]
    return "\n".join(lines) + "\n"


def main():
    orchc = sys.argv[1]
    failures = 0
    checked = 0
    notes = {}
    with tempfile.TemporaryDirectory() as tmp:
        spec = tmp + "/verify.yaml"
        with open(spec, "w") as f:
            f.write(spec_text())
        for wf, engine, tz, expr in CASES:
            ref = reference(wf, engine, tz, expr)
            want = [e for _, e in ref]
            run = subprocess.run(
                [orchc, "schedule", spec, "--workflow", wf, "--format", "json", "--from",
                 FROM.strftime("%Y-%m-%dT%H:%M:%SZ"), "--count", str(len(want) + 1)],
                capture_output=True, text=True)
            if run.returncode != 0:
                print("FAIL %s: exit %d\n%s" % (wf, run.returncode, run.stderr))
                failures += 1
                continue
            got = json.loads(run.stdout)
            extra = got[len(want):]
            got = got[:len(want)]
            # The one firing past the window, if any, must really be at or after UNTIL.
            for e in extra:
                local = dt.datetime.fromisoformat(e["local"][:19]).replace(tzinfo=ZoneInfo(tz))
                when = dt.datetime.fromisoformat(e["utc"].replace("Z", "+00:00")) if e["utc"] \
                    else local.astimezone(UTC)
                if when < UNTIL:
                    print("FAIL %s: orchc lists %s inside the window; the reference does not"
                          % (wf, e))
                    failures += 1
            if got != want:
                failures += 1
                for i, (g, w) in enumerate(zip(got, want)):
                    if g != w:
                        print("FAIL %s: firing %d\n  orchc:     %s\n  reference: %s" % (wf, i, g, w))
                        break
                else:
                    print("FAIL %s: orchc gave %d firings, the reference %d" % (wf, len(got),
                                                                                len(want)))
            for e in want:
                notes[e["note"]] = notes.get(e["note"], 0) + 1
            checked += len(want)
            print("%-20s %-20s %-30s %5d firings %s" % (wf, tz, expr, len(want),
                                                     "ok" if got == want else "DIFFERENT"))
    print("notes seen: %s" % {str(k): v for k, v in sorted(notes.items(), key=str)})
    # The cases must exercise every note; otherwise this test could not fail on them.
    for needed in ("dst-skipped", "dst-repeated", "dst-shifted"):
        if notes.get(needed, 0) == 0:
            print("FAIL: no case produced %s" % needed)
            failures += 1
    print("%d firings compared" % checked)
    print("%d passed, %d failed" % (len(CASES) - min(failures, len(CASES)), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
