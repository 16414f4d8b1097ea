#!/usr/bin/env python3
"""Sums meson testlog.json files into the closing line 'N passed, N failed'.

A TAP test program counts each of its subtests (its 'ok' / 'not ok' lines, from the stdout
meson keeps in the log); a test whose output has no TAP lines counts as one result. A test
program that failed as a whole (crash, timeout, bad exit) adds a failure even when all the
subtests it printed passed. TODO subtests (known gaps the tests report) count as skipped.
"""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b(.*)$")


def count(t):
    passed = failed = skipped = 0
    for line in (t.get("stdout") or "").splitlines():
        m = TAP.match(line)
        if not m:
            continue
        directive = m.group(2).upper()
        if "# TODO" in directive:
            # A known gap, reported by the test (TAP TODO): not a failure, not a pass.
            skipped += 1
        elif m.group(1) == "not ok":
            failed += 1
        elif "# SKIP" in directive:
            skipped += 1
        else:
            passed += 1
    whole = t["result"]
    bad = whole in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS")
    if passed + failed + skipped == 0:
        if whole == "SKIP":
            return 0, 0, 1
        return (0, 1, 0) if bad else (1, 0, 0)
    if bad and failed == 0:
        failed = 1
    return passed, failed, skipped


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        try:
            lines = open(path).read().splitlines()
        except OSError as e:
            print(f"# missing test log {path}: {e}")
            failed += 1
            continue
        for line in lines:
            t = json.loads(line)
            p, f, s = count(t)
            passed, failed, skipped = passed + p, failed + f, skipped + s
            if f:
                print(f"# failed: {path}: {t['name']} ({t['result']})")
    out = f"{passed} passed, {failed} failed"
    if skipped:
        out += f", {skipped} skipped"
    print(out)
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
