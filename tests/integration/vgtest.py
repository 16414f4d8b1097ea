# SPDX-License-Identifier: Apache-2.0
"""What the integration tests share: TAP output, finding the built binaries, running
commands without ever raising on a timeout. python3 stdlib only."""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("VG_SRCDIR", HERE)
ROOT = os.path.abspath(os.path.join(SRCDIR, "..", ".."))
CI = os.environ.get("CI", "").lower() == "true"


def find_binary(env, candidates):
    """$env when set, else the first existing ROOT/candidate, else ROOT/candidates[0]."""
    if os.environ.get(env):
        return os.path.abspath(os.environ[env])
    for c in candidates:
        p = os.path.join(ROOT, c)
        if os.path.exists(p):
            return p
    return os.path.join(ROOT, candidates[0])


class Tap:
    """TAP producer: one `ok N - ...` per check, diagnostics as `# ...`, the plan at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.skipped = 0

    def diag(self, msg):
        for line in str(msg).splitlines() or [""]:
            print("# " + line, flush=True)

    def ok(self, cond, desc, diags=(), todo=None):
        """A check; with todo (the reason), a known gap: `not ok ... # TODO why` does not fail
        the run, and once fixed `ok ... # TODO` tells to remove the TODO."""
        self.n += 1
        line = ("ok" if cond else "not ok") + " %d - %s" % (self.n, desc.replace("#", "\\#"))
        if todo:
            line += " # TODO " + todo.replace("#", "")
        print(line, flush=True)
        if not cond:
            if not todo:
                self.failed += 1
            for d in diags:
                self.diag("  " + d)
        return cond

    def todo(self, cond, desc, why, diags=()):
        return self.ok(cond, desc, diags, todo=why)

    def skip(self, desc, reason):
        """SKIP, or FAIL when CI=true (tests must not silently skip in CI)."""
        if CI:
            return self.ok(False, desc, ["CI=true and cannot run: " + reason])
        self.n += 1
        self.skipped += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc.replace("#", "\\#"), reason), flush=True)
        return None

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0


def run(args, timeout=120, **kw):
    """subprocess.run with text output; never raises on timeout (returncode 'timeout')."""
    try:
        return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout, errors="replace", **kw)
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")
        return subprocess.CompletedProcess(args, "timeout", text(e.stdout), text(e.stderr))
