#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Integration test of `vigil watch --events` against real processes and containers.

Starts `vigil watch --events --format json -o OUT --record CAP` (root), waits for `ready` on its
stderr, then runs vg-actions (one security-relevant syscall per action, each reported on
vg-actions' stdout) on the host, in a runc container and in a Docker container, stops vigil with
SIGTERM and checks OUT against docs/events.md:

  a) host: every action's event (type, args, proc, res, container.id == "host")
  b) runc: container.id/full_id/runtime/name, vpid != pid, ns.pid != the host's
  c) Docker: container.id (short id), name, image, state ready (never failed)
  d) overlayfs: exec of a file copied into the container's upper layer -> EXE_UPPER_LAYER
  e) vigil's own pid never appears
  f) SIGTERM -> exit 0; replay of the capture == OUT byte for byte; truncated / garbage
     captures -> clear error, non-zero exit, no crash
  g) --duration exits by itself; SIGINT exits 0; non-root -> clear error

Output is TAP (meson `protocol : 'tap'`). Without root (or runc, or Docker) the affected groups
SKIP with a reason; with CI=true they FAIL instead.

Environment: VIGIL (binary), VG_ACTIONS (static vg-actions), VG_SRCDIR (this directory),
VG_BUILDDIR (artifacts go to VG_BUILDDIR/sensor-artifacts), VG_KEEP=1 keeps the temp dir,
VG_ONLY=host,runc,docker,replay,cli limits the scenarios.
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vgtest import CI, Tap, find_binary, run  # noqa: E402,F401  (shared helpers)
SRCDIR = os.environ.get("VG_SRCDIR", HERE)
ROOT = os.path.abspath(os.path.join(SRCDIR, "..", ".."))
READY_TIMEOUT = 60
ONLY = set(filter(None, os.environ.get("VG_ONLY", "").split(",")))


VIGIL = find_binary("VIGIL", ["build/src/cli/vigil", "build-it/src/cli/vigil"])
VG_ACTIONS = find_binary("VG_ACTIONS", ["build/tests/integration/vg-actions",
                                        "build-it/tests/integration/vg-actions"])


# ---------------------------------------------------------------------------------------------
# TAP


T = Tap()


# ---------------------------------------------------------------------------------------------
# vg-actions output


def parse_actions(text):
    """`action=NAME k=v ...` lines -> list of dicts (numbers stay strings)."""
    out = []
    for line in text.splitlines():
        if not line.startswith("action="):
            continue
        d = {}
        for tok in line.split(" "):
            if "=" in tok:
                k, v = tok.split("=", 1)
                d[k] = v
        out.append(d)
    return out


def unpct(s):
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), s)


# ---------------------------------------------------------------------------------------------
# vigil process


class Vigil:
    """`vigil watch` in the background; stderr collected by a thread."""

    def __init__(self, args, workdir, name="watch"):
        self.args = args
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.stdout_path = os.path.join(workdir, name + ".stdout")
        self.lines = []
        self.ready = threading.Event()
        self.cond = threading.Condition()
        self.stdout_f = open(self.stdout_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.stdout_f,
                                     stderr=subprocess.PIPE)
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        with open(self.stderr_path, "wb") as log:
            for raw in self.proc.stderr:
                log.write(raw)
                log.flush()
                line = raw.decode("utf-8", "replace").rstrip("\n")
                with self.cond:
                    self.lines.append(line)
                if "ready" in line:
                    self.ready.set()
        self.ready.set()  # EOF: wake waiters (the process died)

    def wait_ready(self, timeout=READY_TIMEOUT):
        self.ready.wait(timeout)
        return self.proc.poll() is None and any("ready" in l for l in self.lines)

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            T.diag("vigil did not exit %ds after %s: killed" % (timeout, sig.name))
            rc = "timeout"
        self.t.join(10)
        self.stdout_f.close()
        return rc

    def stderr_tail(self, n=15):
        return self.lines[-n:]

    def drops(self):
        """Last `drops: N` reported on stderr, or None."""
        v = None
        for l in self.lines:
            m = re.search(r"drops:\s*(\d+)", l)
            if m:
                v = int(m.group(1))
        return v


def load_events(path):
    """JSON lines -> (events, bad lines)."""
    events, bad = [], []
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                try:
                    ev = json.loads(line)
                    if not isinstance(ev, dict):
                        raise ValueError("not an object")
                    events.append(ev)
                except ValueError as e:
                    bad.append("line %d: %s: %.200s" % (i, e, line))
    except OSError as e:
        bad.append(str(e))
    return events, bad


# ---------------------------------------------------------------------------------------------
# event matching


def get(ev, path):
    """Value at dotted `path`, or KeyError when absent. "a.b|a.c": the first present one."""
    if "|" in path:
        for alt in path.split("|"):
            v = get(ev, alt)
            if v is not KeyError:
                return v
        return KeyError
    cur = ev
    for p in path.split("."):
        if not isinstance(cur, dict) or p not in cur:
            return KeyError
        cur = cur[p]
    return cur


def jd(v):
    """json.dumps that shows absent fields (get() -> KeyError) as <missing>."""
    return "<missing>" if v is KeyError else json.dumps(v)


def as_int(v):
    """JSON number or numeric string ("0640", "0x1f", "12") -> int, else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        s = v.strip()
        try:
            if s.lower().startswith("0x"):
                return int(s, 16)
            if s.lower().startswith("0o"):
                return int(s[2:], 8)
            if len(s) > 1 and s.startswith("0") and s.isdigit():
                return int(s, 8)
            return int(s)
        except ValueError:
            return None
    return None


def flagset(v):
    """"A|B" or ["A","B"] -> {"A","B"}."""
    if isinstance(v, list):
        return set(str(x) for x in v)
    if isinstance(v, str):
        return set(x.strip() for x in v.split("|") if x.strip())
    if isinstance(v, int):
        return {str(v)}
    return set()


class Check:
    """Predicates over one field, with a readable description."""

    def __init__(self, desc, fn):
        self.desc, self.fn = desc, fn

    def __call__(self, v):
        try:
            return bool(self.fn(v))
        except Exception:  # noqa: BLE001 - a predicate crashing means "no match"
            return False


def eq(x):
    return Check("== %r" % (x,), lambda v: v == x)


def num(x):
    return Check("== %r (number)" % (x,), lambda v: as_int(v) == int(x))


def has_flags(*names):
    return Check("has %s" % "|".join(names), lambda v: set(names) <= flagset(v))


def lacks_flags(*names):
    return Check("lacks %s" % "|".join(names), lambda v: v is KeyError or not (set(names) & flagset(v)))


def contains(sub):
    return Check("contains %r" % sub, lambda v: isinstance(v, str) and sub in v)


def one_of(*xs):
    return Check("in %r" % (xs,), lambda v: v in xs)


def present():
    return Check("present", lambda v: v is not KeyError and v is not None)


def res_of(errno):
    return "SUCCESS" if errno in ("0", 0, None) else errno


class Scenario:
    """Where vg-actions ran: how to pick its events and what every one of them must carry.

    Host events are selected by container.id == "host" (checked on every match). Container
    events are selected by their pid namespace (found from the `vg-actions all` exec), not by
    container.id: attribution is asserted once per container (check_container_identity), so a
    wrong container.id is one failure, not one per action, and the per-action checks still run.
    """

    def __init__(self, name, pid_field, container_check, container_id=None, pidns=None):
        self.name = name
        self.pid_field = pid_field  # "pid" on the host, "vpid" in a container
        self.container_check = container_check  # dict path -> expected value
        self.container_id = container_id
        self.pidns = pidns

    def select(self, events):
        if self.container_id is None:
            return [e for e in events if get(e, "container.id") == "host"]
        if self.pidns is None:
            return []
        lo, hi = self.pidns[1], self.pidns[2]
        return [e for e in events if get(e, "ns.pid") == self.pidns[0]
                and isinstance(e.get("ts"), int) and lo <= e["ts"] <= hi]

    def match_checks(self):
        return self.container_check if self.container_id is None else {}


def find_pidns(events, acts, cmdline):
    """(pid ns inode, first ts, last ts) of the container where `vg-actions all` ran as
    acts[0]["pid"]: from its exec to its exit. The time window matters: pid namespace inode
    numbers are recycled, a later container may get the same one."""
    hostns = host_pidns()
    allpid = int(acts[0]["pid"])
    ns = t0 = None
    for e in events:
        ts = e.get("ts")
        if not isinstance(ts, int):
            continue
        if ns is None:
            if (get(e, "proc.vpid") == allpid and get(e, "ns.pid") != hostns
                    and e.get("type") in ("execve", "execveat")
                    and get(e, "proc.cmdline") == cmdline):
                ns, t0 = get(e, "ns.pid"), ts
        elif (get(e, "ns.pid") == ns and get(e, "proc.vpid") == allpid
              and e.get("type") == "procexit"):
            return (ns, t0, ts)
    return (ns, t0, 1 << 63) if ns is not None else None


class Matcher:
    def __init__(self, events, scenario):
        self.sc = scenario
        self.by_pid = {}
        for e in scenario.select(events):
            p = get(e, "proc." + scenario.pid_field)
            self.by_pid.setdefault(p, []).append(e)

    def events_of(self, pid):
        return self.by_pid.get(int(pid), [])

    def find(self, pid, types, checks):
        """First event of `pid` whose type is in `types` and that passes every check.
        Returns (event, None) or (None, diagnostics)."""
        if isinstance(types, str):
            types = (types,)
        cands = [e for e in self.events_of(pid) if e.get("type") in types]
        full = dict(self.sc.match_checks())
        full.update(checks)
        best, best_bad = None, None
        for e in cands:
            bad = []
            for path, chk in full.items():
                if not isinstance(chk, Check):
                    chk = eq(chk)
                # "a|b": passes when any of the alternatives passes
                alts = [get(e, p) for p in path.split("|")]
                v = next((x for x in alts if chk(x)), alts[0])
                if not chk(v):
                    bad.append("%s: got %s, want %s" % (
                        path, jd(v)[:160], chk.desc))
            if not bad:
                return e, None
            if best_bad is None or len(bad) < len(best_bad):
                best, best_bad = e, bad
        if not cands:
            seen = sorted(set(e.get("type") for e in self.events_of(pid)))
            return None, ["no %s event from %s %s (its events: %s)" % (
                "/".join(types), self.sc.pid_field, pid, ", ".join(map(str, seen)) or "none")]
        return None, ["closest of %d %s event(s) from %s %s:" % (
            len(cands), "/".join(types), self.sc.pid_field, pid)] + ["  " + b for b in best_bad] \
            + ["  event: " + json.dumps(best)[:600]]


def expectations(a, sc, workdir_in_target):
    """For one vg-actions line: list of (label, pid, types, checks)."""
    name = a["action"]
    pid = a["pid"]
    exp = []
    res = res_of(a.get("errno"))

    def add(label, p, types, checks):
        exp.append((label, p, types, checks))

    if name in ("open-read", "open-legacy", "openat-dirfd", "openat2", "open-write", "creat"):
        t = a["syscall"]
        c = {"res": res, "args.name": a["abs"], "args.nameraw": a["path"]}
        if res == "SUCCESS":
            c["args.fd"] = num(a["ret"])
            c["ret"] = num(a["ret"])
        if name == "open-write":
            c["args.flags"] = has_flags("O_WRONLY", "O_CREAT", "O_TRUNC")
            c["args.mode"] = num(0o640)
        elif name == "creat":
            c["args.mode"] = num(0o600)
        elif name in ("open-read", "openat-dirfd", "openat2"):
            c["args.flags"] = has_flags("O_RDONLY")
        if name == "openat-dirfd":
            c["args.dirfd"] = num(a["dirfd"])
        elif t == "openat":
            c["args.dirfd"] = num(-100)
        add("%s %s" % (t, a["abs"]), pid, t, c)
    elif name in ("mkdir", "rmdir", "unlink"):
        c = {"res": res, "args.path": a["abs"]}
        if name == "mkdir":
            c["args.mode"] = num(0o750)
        add("%s %s" % (name, a["abs"]), pid, name, c)
    elif name in ("rename", "link"):
        add("%s %s -> %s" % (name, a["oldabs"], a["newabs"]), pid, name,
            {"res": res, "args.oldpath": a["oldabs"], "args.newpath": a["newabs"]})
    elif name == "symlink":
        add("symlink target=%s linkpath=%s" % (a["target"], a["linkabs"]), pid, "symlink",
            {"res": res, "args.target": a["target"], "args.linkpath": a["linkabs"]})
    elif name == "chmod":
        add("chmod %s %s" % (a["abs"], a["mode"]), pid, "chmod",
            {"res": res, "args.path": a["abs"], "args.mode": num(int(a["mode"], 8))})
    elif name == "chown":
        add("chown %s" % a["abs"], pid, "chown",
            {"res": res, "args.path": a["abs"], "args.uid": num(a["uid"]),
             "args.gid": num(a["gid"])})
    elif name == "truncate":
        add("truncate %s" % a["abs"], pid, "truncate",
            {"res": res, "args.path": a["abs"], "args.length": num(a["length"])})
    elif name == "socket":
        add("socket AF_INET SOCK_STREAM", pid, "socket",
            {"res": res_of(a["inet_errno"]), "args.domain": "AF_INET",
             "args.type": contains("SOCK_STREAM"), "ret": num(a["inet_ret"])})
        add("socket AF_PACKET (%s)" % a["packet_errno"], pid, "socket",
            {"res": res_of(a["packet_errno"]), "args.domain": "AF_PACKET"})
    elif name == "tcp-connect":
        port, cport = a["port"], a["client_port"]
        tup = "127.0.0.1:%s->127.0.0.1:%s" % (cport, port)
        add("connect tuple %s" % tup, pid, "connect",
            {"res": res, "args.fd": num(a["client_fd"]), "args.tuple": tup})
        add("bind 127.0.0.1:%s" % port, pid, "bind",
            {"res": "SUCCESS", "args.fd": num(a["listen_fd"]),
             "args.tuple": contains("127.0.0.1:%s" % port)})
        add("listen fd %s" % a["listen_fd"], pid, "listen",
            {"res": "SUCCESS", "args.fd": num(a["listen_fd"])})
        add("accept tuple %s" % tup, pid, ("accept", "accept4"),
            {"res": "SUCCESS", "ret": num(a["accept_fd"]), "args.tuple": tup})
    elif name == "udp-sendto":
        add("sendto 127.0.0.1:%s" % a["port"], pid, "sendto",
            {"res": res, "args.fd": num(a["fd"]), "args.size": num(a["size"]),
             # unconnected UDP: the destination is in addr, maybe not in the tuple
             "args.tuple|args.addr": contains(":%s" % a["port"])})
    elif name == "dup2-socket":
        for fd in (0, 1, 2):
            add("dup2 socket -> fd %d (fdtype ipv4)" % fd, a["child"], "dup2",
                {"res": "SUCCESS", "args.newfd": num(fd), "args.oldfd": num(a["sock_fd"]),
                 "args.fdtype": "ipv4", "args.fdname": contains(":%s" % a["port"])})
    elif name == "setuid":
        add("setuid 65534 (euid after)", pid, "setuid",
            {"res": res, "args.uid": num(65534), "proc.euid": num(65534)})
    elif name == "setgid":
        add("setgid 65534 (egid after)", pid, "setgid",
            {"res": res, "args.gid": num(65534), "proc.egid": num(65534)})
    elif name == "setresuid":
        add("setresuid 65534", pid, "setresuid",
            {"res": res, "args.ruid": num(65534), "args.euid": num(65534),
             "args.suid": num(65534), "proc.uid": num(65534)})
    elif name == "capset":
        add("capset drops CAP_NET_RAW", pid, "capset",
            {"res": res, "args.cap_effective": num(int(a["cap_effective"], 16)),
             "args.cap_permitted": num(int(a["cap_permitted"], 16)),
             "caps.eff": num(int(a["cap_effective"], 16))})
    elif name == "ptrace-attach":
        add("ptrace PTRACE_ATTACH target", pid, "ptrace",
            {"res": res, "args.request": "PTRACE_ATTACH", "args.pid": num(a["target"])})
    elif name == "ptrace-traceme":
        add("ptrace PTRACE_TRACEME", pid, "ptrace",
            {"res": res, "args.request": "PTRACE_TRACEME"})
    elif name == "prctl-setname":
        add("prctl PR_SET_NAME %s" % a["name"], pid, "prctl",
            {"res": res, "args.option": "PR_SET_NAME", "args.name": a["name"]})
    elif name == "unshare":
        add("unshare CLONE_NEWUTS", pid, "unshare",
            {"res": res, "args.flags": has_flags("CLONE_NEWUTS")})
    elif name == "setns":
        add("setns uts", pid, "setns",
            {"res": res, "args.fd": num(a["fd"]), "args.path": contains("uts:[")})
    elif name == "mount":
        add("mount tmpfs on %s" % a["dir"], pid, "mount",
            {"res": res, "args.dir": a["dir"], "args.type": "tmpfs", "args.dev": a["dev"]})
        add("umount2 %s" % a["dir"], pid, "umount2",
            {"res": res_of(a["umount_errno"]), "args.name": a["dir"]})
    elif name == "chroot":
        add("chroot %s" % a["path"], pid, "chroot", {"res": res, "args.path": a["path"]})
    elif name == "pivot-root":
        add("pivot_root %s (%s)" % (a["new_root"], res), pid, "pivot_root",
            {"res": res, "args.new_root": a["new_root"], "args.put_old": a["put_old"]})
    elif name == "init-module":
        add("init_module attempt (%s)" % res, pid, "init_module",
            {"res": res, "args.uargs": a["uargs"], "args.len": num(a["len"])})
    elif name == "finit-module":
        if "fd" in a:
            add("finit_module %s (%s)" % (a["path"], res), pid, "finit_module",
                {"res": res, "args.fd": num(a["fd"]), "args.path": a["path"],
                 "args.uargs": a["uargs"]})
    elif name == "bpf":
        add("bpf BPF_MAP_CREATE", pid, "bpf", {"res": res, "args.cmd": "BPF_MAP_CREATE"})
    elif name == "perf-event-open":
        add("perf_event_open cpu-clock on self", pid, "perf_event_open",
            {"res": res, "args.type": one_of(1, "1", "PERF_TYPE_SOFTWARE"),
             "args.config": num(0), "args.pid": num(0), "args.cpu": num(-1)})
    elif name == "userfaultfd":
        add("userfaultfd", pid, "userfaultfd", {"res": res, "args.flags": present()})
    elif name == "memfd-exec":
        add("memfd_create %s" % a["memfd_name"], pid, "memfd_create",
            {"res": "SUCCESS", "args.name": contains(a["memfd_name"])})
        if a.get("exec_errno") == "0":
            add("execveat of memfd: EXE_FROM_MEMFD", a["child"], "execveat",
                {"res": "SUCCESS", "args.exe_flags": has_flags("EXE_FROM_MEMFD"),
                 "args.args": ["noop"]})
    elif name == "execveat":
        if a.get("exec_errno") == "0":
            add("execveat(dirfd, %s)" % a["name"], a["child"], "execveat",
                {"res": "SUCCESS", "args.exe": a["exe"], "args.args": ["noop"],
                 "args.exe_flags": lacks_flags("EXE_FROM_MEMFD")})
    elif name == "process-vm-writev":
        add("process_vm_writev target", pid, "process_vm_writev",
            {"res": res, "args.pid": num(a["target"])})
    elif name == "kill":
        add("kill SIGTERM target", pid, "kill",
            {"res": res, "args.pid": num(a["target"]), "args.sig": "SIGTERM"})
        add("procexit of the killed target: signal SIGTERM", a["target"], "procexit",
            {"args.signal": "SIGTERM"})
    elif name == "fork":
        child_key = "args.child_pid" if sc.pid_field == "pid" else "args.child_vpid"
        add("clone -> child", pid, ("clone", "clone3", "fork", "vfork"),
            {"ret": num(a["child"]), child_key: num(a["child"])})
        add("procexit of the child: code 7", a["child"], "procexit", {"args.code": num(7)})
    elif name in ("exec", "exec-lower", "copy-exec"):
        if a.get("exec_errno") != "0":
            return exp
        path = a["path"]
        if name == "copy-exec":
            argv = [a["argv0"], "noop"]
        else:
            argv = [unpct(x) for x in a["argv"].split(",")]
        # exe is resolved (on this host /bin -> usr/bin); inside containers we cannot resolve
        # from here, and their rootfs have no such symlinks
        exe = os.path.realpath(path) if sc.container_id is None else path
        # args, like Falco's proc.args, leave out argv[0]; cmdline is proc.name + args
        pname = os.path.basename(path)[:15]
        c = {"res": "SUCCESS", "args.exe": exe, "args.filename": path, "args.args": argv[1:],
             "args.cwd": workdir_in_target, "proc.name": pname, "proc.exepath": exe,
             "proc.cmdline": " ".join([pname] + argv[1:])}
        flags = sc_flags(sc, name)
        if flags is not None:
            c["args.exe_flags"] = flags
        label = "execve %s %s" % (path, " ".join(argv[1:]))
        if flags is not None and sc.name == "docker":
            label += " (exe_flags %s)" % flags.desc
        add(label, a["child"], "execve", c)
        add("procexit of %s: code 0" % os.path.basename(path), a["child"], "procexit",
            {"args.code": num(0)})
    return exp


def sc_flags(sc, action):
    """exe_flags expectation per scenario: Docker's root is overlayfs."""
    if sc.name == "docker":
        if action == "copy-exec":
            return has_flags("EXE_UPPER_LAYER")
        if action == "exec-lower":
            return Check("has EXE_LOWER_LAYER, lacks EXE_UPPER_LAYER",
                         lambda v: "EXE_LOWER_LAYER" in flagset(v)
                         and "EXE_UPPER_LAYER" not in flagset(v))
        return None  # /t is a bind mount: no layer flag expected, none asserted
    return lacks_flags("EXE_UPPER_LAYER", "EXE_LOWER_LAYER", "EXE_FROM_MEMFD")


def check_actions(events, sc, actions, prefix):
    """One TAP line per expected event."""
    m = Matcher(events, sc)
    workdir = next((a["workdir"] for a in actions if a["action"] == "all"), None)
    nexp = 0
    for a in actions:
        for label, pid, types, checks in expectations(a, sc, workdir):
            nexp += 1
            ev, bad = m.find(pid, types, checks)
            T.ok(ev is not None, "%s: %s: %s" % (prefix, a["action"], label), bad or ())
    return m, nexp


# ---------------------------------------------------------------------------------------------
# scenarios


def have_root():
    return os.geteuid() == 0


def host_pidns():
    return os.stat("/proc/self/ns/pid").st_ino


def host_actions(tmp):
    d = os.path.join(tmp, "host-work")
    os.makedirs(d, exist_ok=True)
    env = dict(os.environ, VG_DIR=d)
    r = run([VG_ACTIONS, "all"], env=env, cwd=tmp)
    T.diag("host vg-actions: rc=%s, %d lines" % (r.returncode, len(r.stdout.splitlines())))
    if r.returncode != 0:
        T.diag(r.stderr[-2000:])
    return parse_actions(r.stdout), r


def runc_actions(tmp, cid):
    bundle = os.path.join(tmp, "runc-bundle")
    env = dict(os.environ, VG_RUNC_CAPS="ALL")
    helper = os.path.join(SRCDIR, "runc-env.sh")
    r = run(["bash", helper, "bundle", bundle, VG_ACTIONS], env=env)
    if r.returncode != 0:
        return None, "bundle: " + (r.stderr.strip() or "rc %s" % r.returncode)
    # --delay: runc containers are confirmed through runc's state directory, which must still
    # exist when vigil looks; a container gone within milliseconds may stay unattributed
    r = run(["bash", helper, "run", cid, bundle, "/t/vg-actions"] + RUNC_ALL, env=env,
            timeout=180)
    run(["bash", helper, "cleanup", cid])
    T.diag("runc vg-actions: rc=%s, %d lines" % (r.returncode, len(r.stdout.splitlines())))
    if r.returncode != 0:
        T.diag(r.stderr[-2000:])
    return parse_actions(r.stdout), r


# vg-actions command lines in the containers: unique per container and per run (the tag), so
# their events are told apart from any other container's, even another run of this test's
RUN_TAG = "%d-%06x" % (os.getpid(), random.getrandbits(24))
RUNC_ALL = ["all", "--delay", "2", "--linger", "1", "--tag", "runc-" + RUN_TAG]
DOCKER_ALL = ["all", "--delay", "3", "--linger", "1", "--tag", "docker-" + RUN_TAG]


class Docker:
    """Docker engine through tests/integration/docker-env.sh (sourced by bash)."""

    IMAGE = "vigil-test:latest"

    def __init__(self, tmp):
        self.tmp = tmp
        self.env_sh = os.path.join(SRCDIR, "docker-env.sh")
        self.host = None
        self.up = False
        self.why = None
        # An engine of this run's own (socket, exec root, data root): docker-env.sh's default
        # engine may be shared with other tests running at the same time, which would stop it
        # under us or mix their containers in. The image import costs a second or two.
        run_dir = "/run/vigil-it-%d" % os.getpid()
        self.private = {
            "VG_DOCKER_SOCK": run_dir + "/docker.sock",
            "VG_DOCKER_EXEC_ROOT": run_dir + "/exec",
            "VG_DOCKER_DATA_ROOT": os.path.join(tmp, "docker-data"),
        }
        self.run_dir = run_dir

    def env(self):
        e = dict(os.environ, VG_DOCKER_ENV=self.env_sh)
        for k, v in self.private.items():
            e.setdefault(k, v)
        if self.host:
            e["DOCKER_HOST"] = self.host
        return e

    def bash(self, script, timeout=180):
        return run(["bash", "-c", 'set -o pipefail; source "$VG_DOCKER_ENV"; ' + script],
                   env=self.env(), timeout=timeout)

    def start(self):
        if not os.path.exists(self.env_sh):
            self.why = "tests/integration/docker-env.sh not present"
            return False
        if not shutil.which("dockerd") or not shutil.which("docker"):
            self.why = "dockerd/docker not installed"
            return False
        r = self.bash('vg_docker_up >&2 && vg_docker_test_image "%s" >&2 && '
                      'echo "DOCKER_HOST=$DOCKER_HOST"' % self.IMAGE, timeout=240)
        m = re.search(r"^DOCKER_HOST=(\S+)", r.stdout, re.M)
        if r.returncode != 0 or not m:
            self.why = "engine did not start: rc %s: %s" % (
                r.returncode, (r.stderr.strip().splitlines() or ["?"])[-1])
            T.diag(r.stderr[-3000:])
            self.stop()
            return False
        self.host = m.group(1)
        self.up = True
        return True

    def socket_path(self):
        if self.host and self.host.startswith("unix://"):
            return self.host[len("unix://"):]
        return None

    def docker(self, *args, timeout=180):
        return run(["docker"] + list(args), env=self.env(), timeout=timeout)

    def stop(self):
        r = self.bash("vg_docker_down >&2", timeout=120)
        if r.returncode != 0:
            T.diag("vg_docker_down: rc %s: %s" % (r.returncode, r.stderr[-500:]))
        self.up = False
        if self.env().get("VG_DOCKER_SOCK") == self.private["VG_DOCKER_SOCK"]:
            shutil.rmtree(self.run_dir, ignore_errors=True)


def docker_actions(dk, tmp, name):
    tdir = os.path.join(tmp, "docker-t")
    os.makedirs(tdir, exist_ok=True)
    shutil.copy2(VG_ACTIONS, os.path.join(tdir, "vg-actions"))
    caps = run(["bash", os.path.join(SRCDIR, "runc-env.sh"), "caps"]).stdout.split()
    capargs = []
    # --cap-add ALL fails when our own bounding set is not full (no CAP_SYS_RESOURCE here);
    # docker 20.10 does not know the capabilities added after 5.8 (CAP_SYS_ADMIN covers them)
    for c in caps:
        if c not in ("CAP_BPF", "CAP_PERFMON", "CAP_CHECKPOINT_RESTORE"):
            capargs += ["--cap-add", c[4:] if c.startswith("CAP_") else c]
    cidfile = os.path.join(tmp, "docker.cid")
    r = dk.docker("run", "--name", name, "--cidfile", cidfile, "--network", "none",
                  *capargs, "--security-opt", "seccomp=unconfined",
                  "--security-opt", "apparmor=unconfined",
                  "-v", "%s:/t:ro" % tdir, dk.IMAGE,
                  "/t/vg-actions", *DOCKER_ALL, timeout=240)
    T.diag("docker vg-actions: rc=%s, %d lines" % (r.returncode, len(r.stdout.splitlines())))
    if r.returncode != 0:
        T.diag(r.stderr[-2000:])
    full = ""
    try:
        with open(cidfile) as f:
            full = f.read().strip()
    except OSError:
        pass
    return parse_actions(r.stdout), r, full


# ---------------------------------------------------------------------------------------------
# main


def main():
    keep = os.environ.get("VG_KEEP") == "1"
    tmp = tempfile.mkdtemp(prefix="vg-it-")
    os.chmod(tmp, 0o755)
    T.diag("vigil: %s" % VIGIL)
    T.diag("vg-actions: %s" % VG_ACTIONS)
    T.diag("work dir: %s" % tmp)
    try:
        return _main(tmp)
    except Exception:  # noqa: BLE001 - a harness bug must show up as a failure, with a trace
        import traceback
        T.ok(False, "test harness completed", traceback.format_exc().splitlines())
        return T.done()
    finally:
        art = os.environ.get("VG_BUILDDIR")
        if art:
            dst = os.path.join(art, "sensor-artifacts")
            shutil.rmtree(dst, ignore_errors=True)
            try:
                shutil.copytree(tmp, dst, symlinks=True,
                                ignore=shutil.ignore_patterns("runc-bundle", "docker-t",
                                                              "host-work", "docker-data"))
                T.diag("artifacts: %s" % dst)
            except (OSError, shutil.Error) as e:
                T.diag("artifacts not copied: %s" % e)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def want(s):
    return not ONLY or s in ONLY


def _main(tmp):
    for p, what in ((VIGIL, "vigil binary"), (VG_ACTIONS, "vg-actions")):
        if not os.access(p, os.X_OK):
            T.ok(False, "%s exists" % what, ["not executable: %s" % p])
            return T.done()

    # Without root: only the checks that need none.
    if not have_root():
        reason = "needs root (BPF)"
        for g in ("host events", "runc container events", "docker container events",
                  "overlayfs upper-layer exec", "vigil's own pid excluded",
                  "SIGTERM exit and record/replay identity", "truncated capture",
                  "--duration", "SIGINT"):
            T.skip(g, reason)
        cli_nonroot(tmp, as_self=True)
        replay_garbage(tmp)
        return T.done()

    # Docker comes up before vigil so the metadata client finds the socket from the start.
    dk = None
    if want("docker"):
        dk = Docker(tmp)
        T.diag("starting the Docker engine (docker-env.sh)")
        t0 = time.time()
        if dk.start():
            T.diag("engine up in %.1fs, DOCKER_HOST=%s" % (time.time() - t0, dk.host))
    try:
        return run_watch(tmp, dk)
    finally:
        if dk and dk.up:
            dk.stop()


def run_watch(tmp, dk):
    out = os.path.join(tmp, "events.json")
    cap = os.path.join(tmp, "capture.vgcap")
    args = [VIGIL, "watch", "--events", "--format", "json", "-o", out, "--record", cap]
    if dk and dk.up and dk.socket_path():
        args += ["--docker-socket", dk.socket_path()]
    T.diag("running: " + " ".join(args))
    t0 = time.time()
    v = Vigil(args, tmp)
    ready = v.wait_ready()
    T.ok(ready, "vigil watch prints 'ready' on stderr within %ds" % READY_TIMEOUT,
         ["rc=%s" % v.proc.poll()] + v.stderr_tail())
    if not ready:
        v.stop(signal.SIGKILL)
        cli_nonroot(tmp)
        replay_garbage(tmp)
        return T.done()
    T.diag("ready after %.1fs" % (time.time() - t0))

    results = {}
    # a) host
    if want("host"):
        results["host"] = host_actions(tmp)
    # b) runc
    runc_id = "vgtest-%08x" % random.getrandbits(32)
    if want("runc"):
        r = run(["bash", os.path.join(SRCDIR, "runc-env.sh"), "available"])
        if r.returncode == 0:
            results["runc"] = runc_actions(tmp, runc_id)
        else:
            results["runc"] = (None, r.stderr.strip())
    # c, d) Docker
    dname = "vgtest-d-%06x" % random.getrandbits(24)
    if dk is not None:
        if dk.up:
            results["docker"] = docker_actions(dk, tmp, dname)
        else:
            results["docker"] = (None, dk.why)

    time.sleep(1)  # let the last events reach the ring buffer before stopping
    vpid = v.proc.pid
    rc = v.stop(signal.SIGTERM)
    T.ok(rc == 0, "vigil watch exits 0 on SIGTERM", ["rc=%s" % rc] + v.stderr_tail())
    drops = v.drops()
    T.ok(drops is not None, "watch reports `drops: N` on stderr at exit", v.stderr_tail(5))
    T.diag("vigil: %s drops reported" % ("no" if drops is None else drops))
    if drops:
        T.diag("WARNING: events were dropped; missing events below may be drops")

    records, bad = load_events(out)
    # the stream holds events and, from the built-in rules, alerts (Falco's JSON form)
    events = [e for e in records if "rule" not in e]
    alerts = [e for e in records if "rule" in e]
    T.ok(len(events) > 0 and not bad, "-o output is JSON lines (%d events, %d alerts)"
         % (len(events), len(alerts)), bad[:5] or ["no events in %s" % out])
    check_common(events)
    check_alerts(alerts)
    withenv = [e for e in events if get(e, "args.env") is not KeyError]
    T.ok(not withenv, "without --env no event carries args.env",
         ["%d do, first: %.300s" % (len(withenv), json.dumps(withenv[0]))] if withenv else ())

    # e) vigil's own pid
    own = [e for e in events if get(e, "proc.pid") == vpid]
    T.ok(not own, "vigil's own pid %d never appears" % vpid,
         ["%d events, first: %s" % (len(own), json.dumps(own[0])[:400])] if own else ())

    # a)
    if "host" in results:
        acts, r = results["host"]
        if T.ok(r.returncode == 0 and acts, "host: vg-actions all ran", [r.stderr[-500:]]):
            sc = Scenario("host", "pid", {"container.id": "host"})
            m, n = check_actions(events, sc, acts, "host")
            pids = set()
            for a in acts:
                pids.update(int(a[k]) for k in ("pid", "child") if k in a)
            mine = [x for x in alerts if ofield(x, "container.id") in ("host", KeyError)
                    and (ofield(x, "proc.pid") in pids
                         or "vg-actions all" in str(x.get("output")))]
            T.ok(mine, "host: the built-in rules raise alerts on vg-actions' actions",
                 ["rules seen: %s" % sorted(set(x["rule"] for x in alerts))])
            T.diag("host alerts on vg-actions: %s" % ", ".join(sorted(set(x["rule"] for x in mine))))
            allpid = acts[0]["pid"]
            mine = m.events_of(allpid)
            T.ok(all(get(e, "proc.vpid") == get(e, "proc.pid") for e in mine) and mine,
                 "host: proc.vpid == proc.pid", ["no events" if not mine else
                                                 json.dumps(mine[0])[:300]])
    # b)
    if "runc" in results:
        acts, r = results["runc"]
        if acts is None:
            T.skip("runc container events", r)
        elif T.ok(r.returncode == 0 and acts, "runc: vg-actions all ran in %s" % runc_id,
                  [r.stderr[-500:]]):
            cid = runc_id[:12]
            sc = Scenario("runc", "vpid", {
                "container.id": cid, "container.full_id": runc_id,
                "container.runtime": "runc"}, cid,
                find_pidns(events, acts, "vg-actions " + " ".join(RUNC_ALL)))
            if check_container_identity(events, sc, acts, "runc"):
                check_metadata(events, sc, "runc", runc_id, None, acts)
                check_container_alerts(alerts, "runc", cid)
                check_actions(events, sc, acts, "runc")
    # c, d)
    if "docker" in results:
        res = results["docker"]
        if res[0] is None:
            T.skip("docker container events", res[1])
            T.skip("overlayfs upper-layer exec (EXE_UPPER_LAYER)", res[1])
        else:
            acts, r, full = res
            if T.ok(r.returncode == 0 and acts and full, "docker: vg-actions all ran in %s"
                    % dname, [r.stderr[-500:], "cid=%r" % full]):
                short = full[:12]
                sc = Scenario("docker", "vpid", {
                    "container.id": short, "container.full_id": full,
                    "container.runtime": "docker"}, short,
                    find_pidns(events, acts, "vg-actions " + " ".join(DOCKER_ALL)))
                if check_container_identity(events, sc, acts, "docker"):
                    check_metadata(events, sc, "docker", dname, dk.IMAGE, acts)
                    check_container_alerts(alerts, "docker", short)
                    check_actions(events, sc, acts, "docker")
        if dk and dk.up:
            dk.docker("rm", "-f", dname)

    # f) replay
    replay_checks(tmp, out, cap)
    # g)
    cli_duration(tmp)
    cli_sigint(tmp)
    cli_nonroot(tmp)
    return T.done()


def check_common(events):
    """Fields every event must carry (docs/events.md)."""
    need = ("time", "ts", "type", "kind", "ret", "res", "proc", "container")
    bad = [e for e in events if any(k not in e for k in need)
           or not isinstance(get(e, "proc.pid"), int) or "id" not in e["container"]]
    T.ok(not bad, "every event has time/ts/type/kind/ret/res/proc.pid/container.id",
         ["%d bad, first: %s" % (len(bad), json.dumps(bad[0])[:400])] if bad else ())
    badres = [e for e in events if e.get("res") != "SUCCESS"
              and not re.fullmatch(r"E[A-Z0-9]+", str(e.get("res")))]
    T.ok(not badres, "res is SUCCESS or an errno name",
         ["first: %s" % json.dumps(badres[0])[:300]] if badres else ())
    # ts is monotonic per CPU only, but per-thread order must hold
    last, unordered = {}, []
    for e in events:
        k = get(e, "proc.tid")
        if isinstance(e.get("ts"), int) and k in last and e["ts"] < last[k]:
            unordered.append(e)
        last[k] = e.get("ts")
    T.ok(not unordered, "events of one thread are in ts order",
         ["%d out of order, first: %s" % (len(unordered), json.dumps(unordered[0])[:300])]
         if unordered else ())


def ofield(alert, key):
    """An alert's output_fields entry (keys contain dots: no get())."""
    f = alert.get("output_fields")
    return f.get(key, KeyError) if isinstance(f, dict) else KeyError


def check_alerts(alerts):
    """Alerts mixed into the stream have Falco's JSON alert form."""
    prios = {"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational",
             "Debug"}
    bad = [a for a in alerts
           if not isinstance(a.get("output"), str) or a.get("priority") not in prios
           or not isinstance(a.get("rule"), str) or not isinstance(a.get("output_fields"), dict)
           or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", str(a.get("time")))]
    T.ok(not bad, "alerts have Falco's JSON form (output, priority, rule, time, output_fields)",
         ["%d bad, first: %.400s" % (len(bad), json.dumps(bad[0]))] if bad else ())


def check_container_alerts(alerts, prefix, cid):
    mine = [x for x in alerts if ofield(x, "container.id") == cid]
    T.ok(mine, "%s: the built-in rules raise alerts in the container" % prefix,
         ["container ids in alerts: %s" % sorted(set(
             str(ofield(x, "container.id")) for x in alerts))])
    T.diag("%s alerts: %s" % (prefix, ", ".join(sorted(set(x["rule"] for x in mine)))))


def check_container_identity(events, sc, acts, prefix):
    """The container's events exist, carry its identity and namespaces. False: none found."""
    allpid = acts[0]["pid"]
    if not T.ok(sc.pidns is not None, "%s: events of `vg-actions all` (vpid %s) in a pid "
                "namespace of its own" % (prefix, allpid),
                ["no exec event of vg-actions all with vpid %s outside the host pid ns"
                 % allpid]):
        return False
    mine = sc.select(events)  # every event of the container's pid namespace
    ids = sorted(set(str(get(e, "container.id")) for e in mine))
    T.ok(ids == [sc.container_id], "%s: all %d events of the container have container.id %s"
         % (prefix, len(mine), sc.container_id), ["container.id values seen: %s" % ids])
    T.ok(all(get(e, "proc.vpid") != get(e, "proc.pid") for e in mine),
         "%s: proc.vpid (%s) differs from the host pid" % (prefix, allpid),
         [json.dumps(mine[0])[:300]])
    hostns = host_pidns()
    hostmnt = os.stat("/proc/self/ns/mnt").st_ino
    T.ok(all(isinstance(get(e, "ns.pid"), int) and get(e, "ns.pid") != hostns
             and isinstance(get(e, "ns.mnt"), int) and get(e, "ns.mnt") != hostmnt
             for e in mine if str(get(e, "proc.vpid")) == allpid),
         "%s: ns.pid and ns.mnt of vg-actions differ from the host's (%d, %d)"
         % (prefix, hostns, hostmnt), [json.dumps(get(mine[0], "ns"))])
    bad = {}
    for path, want_v in sc.container_check.items():
        vals = set(jd(get(e, path)) for e in mine)
        if vals != {jd(want_v)}:
            bad[path] = vals
    T.ok(not bad, "%s: every event of the container carries %s" % (
        prefix, ", ".join("%s=%s" % kv for kv in sc.container_check.items())),
        ["%s: %s" % kv for kv in bad.items()])
    return True


def check_metadata(events, sc, prefix, name, image, acts):
    """Runtime metadata: never `failed`; `ready` (with name, and image when given) for the
    actions' events — vg-actions waits (--delay) before acting, by then it must be there.
    Events from before (runc init, the first exec) may be `pending`, without name/image."""
    mine = sc.select(events)
    states = [get(e, "container.state") for e in mine]
    failed = [e for e in mine if get(e, "container.state") == "failed"]
    T.ok(not failed, "%s: no event has container.state failed" % prefix,
         ["%d failed, first: %s" % (len(failed), json.dumps(failed[0])[:400])] if failed else ())
    allpid = acts[0]["pid"]
    act_events = [e for e in mine if str(get(e, "proc.vpid")) == allpid
                  and str(get(e, "proc.cmdline")).startswith("vg-actions all")]
    late = act_events[len(act_events) // 2:]
    notready = [e for e in late if get(e, "container.state") != "ready"]
    T.ok(late and not notready, "%s: container.state is ready for the actions' events" % prefix,
         ["states seen: %s" % sorted(set(map(str, states)))]
         + (["first not ready: %s" % json.dumps(notready[0])[:400]] if notready else []))
    bad_state = [e for e in mine if get(e, "container.state") not in ("ready", "pending")]
    T.ok(not bad_state, "%s: container.state is ready or pending on every event" % prefix,
         ["first: %s" % json.dumps(bad_state[0])[:400]] if bad_state else ())
    ready = [e for e in mine if get(e, "container.state") == "ready"]
    T.ok(ready and all(get(e, "container.name") == name for e in ready),
         "%s: container.name == %s when ready" % (prefix, name),
         ["names: %s" % sorted(set(str(get(e, "container.name")) for e in ready))])
    if image is not None:
        T.ok(ready and all(get(e, "container.image") == image for e in ready),
             "%s: container.image == %s when ready" % (prefix, image),
             ["images: %s" % sorted(set(str(get(e, "container.image")) for e in ready))])


def threads_checks(tmp, cap):
    """Several evaluation threads decide exactly as one on the recorded capture: the same alerts,
    and each process's alerts in the same order (engine/parallel.c)."""
    fdir = os.environ.get("FALCO_RULES_DIR") or os.path.join(ROOT, "..", "shared", "data",
                                                             "falco-rules")
    files = [os.path.join(fdir, f) for f in ("falco_rules.yaml", "falco-incubating_rules.yaml",
                                             "falco-sandbox_rules.yaml")]
    sets = [("built-in rules", []),
            ("Falco's three files", [x for f in files for x in ("-r", f)])]
    total = 0
    for name, rules in sets:
        got = {}
        for n in (1, 3):
            o = os.path.join(tmp, "threads-%d.json" % n)
            r = run([VIGIL, "replay", cap, "--format", "json", "--alert-rate", "0",
                     "--rule-matching", "all", "--threads", str(n), "-o", o] + rules,
                    timeout=300)
            lines = open(o).read().splitlines() if os.path.exists(o) else []
            got[n] = (r.returncode, [json.loads(x) for x in lines if x.strip()], r.stderr)
        (rc1, one, err1), (rc3, three, err3) = got[1], got[3]

        def key(al):
            return json.dumps(al, sort_keys=True)

        def by_pid(als):
            seq = {}
            for al in als:
                seq.setdefault(al["output_fields"].get("proc.pid"), []).append(key(al))
            return seq

        same = sorted(map(key, one)) == sorted(map(key, three))
        ordered = by_pid(one) == by_pid(three)
        total += len(one)
        T.ok(rc1 == 0 and rc3 == 0 and same and ordered,
             "replay --threads 3 == --threads 1 with %s: %d alerts, per-process order kept"
             % (name, len(one)),
             ["rc %s / %s" % (rc1, rc3), "alerts %d / %d" % (len(one), len(three)),
              "same set: %s, same order per process: %s" % (same, ordered),
              err1[-300:], err3[-300:]])
    T.ok(total > 0, "the capture raises alerts to compare (%d)" % total)


def replay_checks(tmp, out, cap):
    if not os.path.exists(cap) or os.path.getsize(cap) == 0:
        T.ok(False, "--record wrote a capture", ["missing or empty: %s" % cap])
        return
    rep = os.path.join(tmp, "replay.json")
    r = run([VIGIL, "replay", cap, "--events", "--format", "json", "-o", rep], timeout=300)
    T.ok(r.returncode == 0, "replay of the capture exits 0", ["rc=%s" % r.returncode,
                                                              r.stderr[-1000:]])
    a = open(out, "rb").read() if os.path.exists(out) else b""
    b = open(rep, "rb").read() if os.path.exists(rep) else b""
    diag = []
    if a != b:
        al, bl = a.splitlines(), b.splitlines()
        diag.append("watch: %d lines, replay: %d lines" % (len(al), len(bl)))
        for i, (x, y) in enumerate(zip(al, bl)):
            if x != y:
                diag += ["first difference at line %d:" % (i + 1),
                         "watch:  %.400s" % x.decode("utf-8", "replace"),
                         "replay: %.400s" % y.decode("utf-8", "replace")]
                break
    T.ok(a == b and len(a) > 0, "replay output == watch output byte for byte (%d bytes)" % len(a),
         diag)
    threads_checks(tmp, cap)

    # replay as non-root works (no BPF)
    if shutil.which("setpriv"):
        os.chmod(cap, 0o644)
        r = run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                 VIGIL, "replay", cap, "--events", "--format", "json"], timeout=300)
        T.ok(r.returncode == 0 and r.stdout.encode() == b and b,
             "replay works without root and prints the same stream on stdout",
             ["rc=%s" % r.returncode, r.stderr[-500:]])

    # text format: one line per event
    r = run([VIGIL, "replay", cap, "--events"], timeout=300)
    nj = len(a.splitlines())
    nt = len(r.stdout.splitlines())
    T.ok(r.returncode == 0 and nt == nj, "replay --format text (default): one line per event",
         ["rc=%s, %d text lines vs %d json lines" % (r.returncode, nt, nj), r.stderr[-300:]])
    # `<time> <container id> <proc name>(<pid>) <type> <key>=<value> ... = <res>`
    text_re = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \S+ .+\(\d+\) [a-z0-9_]+"
                         r"( .*)? = (SUCCESS|E[A-Z0-9]+)$")
    # alerts: `HH:MM:SS.ns: Priority message`
    alert_re = re.compile(r"^\d\d:\d\d:\d\d\.\d+: (Emergency|Alert|Critical|Error|Warning|"
                          r"Notice|Informational|Info|Debug) \S")
    badt = [l for l in r.stdout.splitlines() if not text_re.match(l) and not alert_re.match(l)]
    T.ok(r.returncode == 0 and nt > 0 and not badt,
         "text lines look like `<time> <container> <name>(<pid>) <type> k=v ... = <res>`",
         ["%d bad, first: %.300s" % (len(badt), badt[0])] if badt else ["no output"])

    # truncated capture
    data = open(cap, "rb").read()
    trunc = os.path.join(tmp, "truncated.vgcap")
    with open(trunc, "wb") as f:
        f.write(data[:len(data) // 2 + 7])
    r = run([VIGIL, "replay", trunc, "--events", "--format", "json"], timeout=300)
    clear_error(r, "replay of a truncated capture (%d of %d bytes)" % (len(data) // 2 + 7,
                                                                         len(data)))
    replay_garbage(tmp)


def clear_error(r, what, words=("truncat", "corrupt", "invalid", "capture", "not a", "format",
                                "unexpected", "short", "eof", "error", "bad")):
    """non-zero exit, not killed by a signal, an explanatory line on stderr."""
    rc = r.returncode
    crashed = isinstance(rc, int) and (rc < 0 or rc >= 128)
    msg = r.stderr.strip()
    clear = bool(msg) and any(w in msg.lower() for w in words) and "Traceback" not in msg
    T.ok(isinstance(rc, int) and rc != 0 and not crashed and clear,
         "%s: clear error, non-zero exit, no crash" % what,
         ["rc=%s%s" % (rc, " (crash/signal)" if crashed else ""),
          "stderr: %.500s" % (msg or "<empty>")])


def replay_garbage(tmp):
    g = os.path.join(tmp, "garbage.vgcap")
    with open(g, "wb") as f:
        f.write(b"\x00VGCAPnot-really" + bytes(random.getrandbits(8) for _ in range(4096)))
    r = run([VIGIL, "replay", g, "--events", "--format", "json"], timeout=120)
    clear_error(r, "replay of a garbage file")
    e = os.path.join(tmp, "empty.vgcap")
    open(e, "wb").close()
    r = run([VIGIL, "replay", e, "--events"], timeout=120)
    clear_error(r, "replay of an empty file", words=("empty", "truncat", "capture", "short",
                                                      "eof", "invalid", "error", "not a"))
    r = run([VIGIL, "replay", os.path.join(tmp, "does-not-exist.vgcap"), "--events"],
            timeout=120)
    clear_error(r, "replay of a missing file", words=("no such", "not found", "exist",
                                                       "cannot open", "error"))


def cli_duration(tmp):
    t0 = time.time()
    r = run([VIGIL, "watch", "--events", "--duration", "3", "-o", os.devnull], timeout=90)
    dt = time.time() - t0
    T.ok(r.returncode == 0 and dt < 20,
         "watch --duration 3 exits 0 by itself (%.1fs)" % dt,
         ["rc=%s" % r.returncode, r.stderr[-800:]])


def cli_sigint(tmp):
    """SIGINT exits 0; --env attaches the environment to exec events (and only then)."""
    out = os.path.join(tmp, "env.json")
    v = Vigil([VIGIL, "watch", "--events", "--env", "--format", "json", "-o", out], tmp,
              name="sigint")
    ready = v.wait_ready()
    mark = "VG_ENV_MARK=%08x" % random.getrandbits(32)
    r = None
    if ready:
        env = dict(os.environ)
        env[mark.split("=")[0]] = mark.split("=")[1]
        r = run([VG_ACTIONS, "noop"], env=env)
        time.sleep(0.5)
    rc = v.stop(signal.SIGINT)
    T.ok(ready and rc == 0, "watch exits 0 on SIGINT after ready",
         ["ready=%s rc=%s" % (ready, rc)] + v.stderr_tail())
    if not ready or r is None:
        return
    acts = parse_actions(r.stdout)
    pid = int(acts[0]["pid"]) if acts else -1
    events, _ = load_events(out)
    events = [e for e in events if "rule" not in e]
    execs = [e for e in events if get(e, "proc.pid") == pid and e.get("type") == "execve"]
    T.ok(execs and isinstance(get(execs[0], "args.env"), list) and mark in get(execs[0], "args.env"),
         "watch --env: the exec event's args.env holds the process environment",
         ["exec events of pid %d: %s" % (pid, [jd(get(e, "args.env"))[:200] for e in execs])])


def cli_nonroot(tmp, as_self=False):
    if as_self:
        cmd = [VIGIL, "watch", "--events", "--duration", "2"]
    elif shutil.which("setpriv"):
        cmd = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
               VIGIL, "watch", "--events", "--duration", "2"]
    else:
        T.skip("watch without root: clear error", "setpriv not installed")
        return
    r = run(cmd, timeout=60)
    clear_error(r, "watch without root", words=("root", "permission", "privilege", "cap_",
                                                 "capabilit", "operation not permitted"))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Bail out! interrupted", flush=True)
        sys.exit(1)
