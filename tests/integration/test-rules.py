#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Integration test of the built-in rules (rules/vigil_rules.yaml) against real containers.

Starts a private Docker engine (docker-env.sh) and `vigil watch --format json -o ALERTS
--alert-rate 0 --docker-socket SOCK` (built-in rules, default first-match), then:

  1. for EACH rule of rules/vigil_rules.yaml performs the attack inside a real Docker
     container and asserts that an alert of that rule arrives with output_fields
     container.id == the container's short id, the expected proc.name and the rule's key
     output fields (file, connection, syscall, request...). A rule of the file without a
     scenario here fails the test: a new rule needs a test.
  2. the other side: queries and builds with package managers (apk info, dpkg -l,
     dpkg --print-architecture) raise no 'Package manager run in container' alert.
  3. benign workloads raise NO alert at all:
     a) busybox httpd in a container serving 200 requests to a client started by the
        container's own entrypoint (no docker exec);
     b) a package build in a Debian bookworm (debootstrap minbase) container: dpkg-deb
        --build, dpkg-deb/dpkg queries, tar, gzip, sha256sum. The rootfs is made once with
        debootstrap from the host's apt mirror and cached in /var/cache/vigil-test.
  4. vigil exits 0 on SIGTERM.

Output is TAP. Without root (or Docker) everything SKIPs with a reason; with CI=true it FAILs.

Environment: VIGIL, VG_ACTIONS (static vg-actions), VG_SRCDIR (this directory), VG_BUILDDIR
(artifacts go to VG_BUILDDIR/rules-artifacts), VG_KEEP=1 keeps the work directory,
VG_DEBIAN_MIRROR overrides the mirror debootstrap uses (default: the host's apt source for
bookworm), VG_CACHE_DIR the rootfs cache (default /var/cache/vigil-test).
"""

import glob
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
RULES_FILE = os.path.join(ROOT, "rules", "vigil_rules.yaml")
READY_TIMEOUT = 60
ALERT_TIMEOUT = 30  # seconds to wait for the last expected alert
QUIET_GRACE = 3  # seconds to let late alerts of a benign workload arrive

# A private engine: the default socket of docker-env.sh may be shared with other tests
# (a vg_docker_down elsewhere would stop it under us).
DOCKER_ENV = {
    "VG_DOCKER_SOCK": "/run/vigil-rules-docker/docker.sock",
    "VG_DOCKER_EXEC_ROOT": "/run/vigil-rules-docker/exec",
    "VG_DOCKER_DATA_ROOT": "/var/lib/vigil-rules-docker",  # kept: caches the images
}
IMAGE = "vigil-test:latest"
# Bump BOOKWORM_VERSION to rebuild the cached rootfs (and the image made from it).
BOOKWORM_VERSION = "1"
BOOKWORM_IMAGE = "vigil-test/bookworm-minbase:v" + BOOKWORM_VERSION
CACHE_DIR = os.environ.get("VG_CACHE_DIR", "/var/cache/vigil-test")
BOOKWORM_TAR = os.path.join(CACHE_DIR, "bookworm-minbase-v%s.tar" % BOOKWORM_VERSION)


VIGIL = find_binary("VIGIL", ["build/src/cli/vigil", "build-it/src/cli/vigil"])
VG_ACTIONS = find_binary("VG_ACTIONS", ["build/tests/integration/vg-actions",
                                        "build-it/tests/integration/vg-actions"])


# ---------------------------------------------------------------------------------------------
# TAP


T = Tap()


# ---------------------------------------------------------------------------------------------
# vigil


class Vigil:
    """`vigil watch` in the background; stderr collected by a thread."""

    def __init__(self, args, workdir):
        self.stderr_path = os.path.join(workdir, "watch.stderr")
        self.lines = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        with open(self.stderr_path, "wb") as log:
            for raw in self.proc.stderr:
                log.write(raw)
                log.flush()
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                if "ready" in line:
                    self.ready.set()
        self.ready.set()

    def wait_ready(self, timeout=READY_TIMEOUT):
        self.ready.wait(timeout)
        return self.proc.poll() is None and any("ready" in l for l in self.lines)

    def stop(self, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "timeout"
        self.t.join(10)
        return rc


class Alerts:
    """The alert file, read incrementally (JSON lines)."""

    def __init__(self, path):
        self.path = path
        self.pos = 0
        self.items = []
        self.bad = []
        self.partial = b""

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except OSError:
            return
        self.pos += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        for raw in lines:
            if not raw.strip():
                continue
            try:
                a = json.loads(raw.decode("utf-8", "replace"))
                if not isinstance(a, dict):
                    raise ValueError("not an object")
                self.items.append(a)
            except ValueError as e:
                self.bad.append("%s: %.200r" % (e, raw))

    def of(self, short):
        return [a for a in self.items if fields(a).get("container.id") == short]


def fields(a):
    f = a.get("output_fields")
    return f if isinstance(f, dict) else {}


def brief(a):
    f = fields(a)
    keep = {k: f.get(k) for k in ("container.id", "proc.name", "proc.cmdline", "fd.name",
                                  "evt.type", "evt.res") if k in f}
    return "%s %s" % (a.get("rule"), json.dumps(keep)[:300])


# ---------------------------------------------------------------------------------------------
# Docker


class Docker:
    def __init__(self):
        self.env_sh = os.path.join(SRCDIR, "docker-env.sh")
        self.up = False
        self.why = ""

    def env(self):
        e = dict(os.environ)
        e.update(DOCKER_ENV)
        e["DOCKER_HOST"] = "unix://" + DOCKER_ENV["VG_DOCKER_SOCK"]
        return e

    def bash(self, script, timeout=180):
        return run(["bash", "-c", 'source "%s" && %s' % (self.env_sh, script)],
                   env=self.env(), timeout=timeout)

    def start(self):
        if not shutil.which("dockerd") or not shutil.which("docker"):
            self.why = "dockerd/docker not installed"
            return False
        r = self.bash('vg_docker_up >&2 && vg_docker_test_image "%s" >&2' % IMAGE, timeout=240)
        for line in r.stderr.splitlines():
            T.diag(line.lstrip("# "))
        if r.returncode != 0:
            self.why = "the Docker engine could not be started (rc %s)" % r.returncode
            return False
        self.up = True
        return True

    def sock(self):
        return DOCKER_ENV["VG_DOCKER_SOCK"]

    def __call__(self, *args, timeout=120):
        return run(["docker"] + list(args), env=self.env(), timeout=timeout)

    def stop(self):
        r = self.bash("vg_docker_down >&2", timeout=120)
        if r.returncode != 0:
            T.diag("vg_docker_down: rc %s: %s" % (r.returncode, r.stderr[-500:]))


def bounding_cap_args():
    """--cap-add for every capability of our bounding set that docker knows (--cap-add ALL
    fails when the bounding set is not full, as in sandboxes without CAP_SYS_RESOURCE)."""
    caps = run(["bash", os.path.join(SRCDIR, "runc-env.sh"), "caps"]).stdout.split()
    args = []
    for c in caps:
        if c not in ("CAP_BPF", "CAP_PERFMON", "CAP_CHECKPOINT_RESTORE"):
            args += ["--cap-add", c[4:]]
    return args


# ---------------------------------------------------------------------------------------------
# Debian bookworm image for the package-build workload


def debian_mirror():
    """The host's apt source for bookworm (deb822 .sources or one-line sources.list)."""
    if os.environ.get("VG_DEBIAN_MIRROR"):
        return os.environ["VG_DEBIAN_MIRROR"]
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        try:
            text = open(path).read()
        except OSError:
            continue
        for stanza in re.split(r"\n\s*\n", text):
            kv = {}
            for line in stanza.splitlines():
                m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
                if m:
                    kv[m.group(1).lower()] = m.group(2).split()
            if "bookworm" in kv.get("suites", []) and kv.get("uris"):
                return kv["uris"][0]
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        try:
            lines = open(path).read().splitlines()
        except OSError:
            continue
        for line in lines:
            w = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
            if len(w) >= 3 and w[0] == "deb" and w[2] == "bookworm":
                return w[1]
    return None


def bookworm_image(dk, tmp):
    """Make sure BOOKWORM_IMAGE exists: import the cached rootfs tarball, debootstrapping it
    first when the cache is missing. Returns None or the reason it is not available."""
    if dk("image", "inspect", BOOKWORM_IMAGE).returncode == 0:
        return None
    if not os.path.exists(BOOKWORM_TAR):
        if not shutil.which("debootstrap"):
            return "debootstrap not installed (scripts/install-deps.sh installs it)"
        mirror = debian_mirror()
        if not mirror:
            return "no apt source for bookworm on this host (set VG_DEBIAN_MIRROR)"
        rootfs = os.path.join(tmp, "bookworm")
        t0 = time.time()
        T.diag("debootstrap --variant=minbase bookworm from %s (cached in %s)"
               % (mirror, BOOKWORM_TAR))
        r = run(["debootstrap", "--variant=minbase", "bookworm", rootfs, mirror], timeout=600)
        if r.returncode != 0:
            T.diag((r.stdout + r.stderr)[-1500:])
            return "debootstrap failed (rc %s)" % r.returncode
        os.makedirs(CACHE_DIR, exist_ok=True)
        part = BOOKWORM_TAR + ".part"
        r = run(["tar", "--numeric-owner", "-C", rootfs, "-cf", part, "."], timeout=300)
        shutil.rmtree(rootfs, ignore_errors=True)
        if r.returncode != 0:
            return "tar of the rootfs failed: %s" % r.stderr[-300:]
        os.rename(part, BOOKWORM_TAR)
        T.diag("debootstrap + cache: %.0f s" % (time.time() - t0))
    r = dk("import", "--change", 'CMD ["/bin/bash"]', BOOKWORM_TAR, BOOKWORM_IMAGE,
           timeout=300)
    if r.returncode != 0:
        return "docker import of %s failed: %s" % (BOOKWORM_TAR, r.stderr[-300:])
    return None


# ---------------------------------------------------------------------------------------------
# expectations


def rule_names():
    names = []
    with open(RULES_FILE) as f:
        for line in f:
            m = re.match(r"^- rule:\s*(.+?)\s*$", line)
            if m:
                names.append(m.group(1).strip("'\""))
    return names


class Expect:
    """An alert of `rule` from container `ckey` with proc.name `pname` and output fields
    matching `checks` (field -> str for equality, or a callable)."""

    def __init__(self, rule, label, ckey, pname, checks=None, todo=None, todo_why=""):
        self.rule, self.label, self.ckey, self.pname = rule, label, ckey, pname
        self.checks = checks or {}
        # checks of a known vigil bug: reported as TAP TODO on the alert that was found
        self.todo, self.todo_why = todo or {}, todo_why
        self.found = None

    def match(self, a, short):
        f = fields(a)
        if a.get("rule") != self.rule or f.get("container.id") != short:
            return False
        if f.get("proc.name") != self.pname:
            return False
        return check_fields(f, self.checks)

    def describe(self):
        d = []
        for k, want in self.checks.items():
            d.append("%s %s" % (k, getattr(want, "desc", None) or "== %r" % (want,)))
        return "proc.name == %r, %s" % (self.pname, ", ".join(d))


def check_fields(f, checks):
    for k, want in checks.items():
        v = f.get(k)
        if callable(want):
            if v is None or not want(v):
                return False
        elif str(v) != str(want):
            return False
    return True


def P(desc, fn):
    fn.desc = desc
    return fn


def startswith(s):
    return P("startswith %r" % s, lambda v: str(v).startswith(s))


def contains(s):
    return P("contains %r" % s, lambda v: s in str(v))


def nonzero():
    return P("!= 0", lambda v: str(v) not in ("0", "", "None"))


def one_of(*xs):
    return P("in %r" % (xs,), lambda v: str(v) in [str(x) for x in xs])


# Attack scripts run with `docker exec ATTACK sh -c SCRIPT`. Each ends with `; true` so the
# shell forks its commands (a last command is exec'd in place, and its parent would then be
# the runtime: 'Exec into running container' would match it first). Commands are run by path
# (/bin/chmod, not chmod): busybox's shell runs applets named without a path in-process or
# through /proc/self/exe, where the kernel names the process "exe".
NC = 'NC=; for d in /bin /usr/bin /sbin /usr/sbin; do [ -e $d/nc ] && NC=$d/nc; done; '


def attack_steps():
    """(label, script, [Expect...]) run in the ATTACK container, in order."""
    A = "attack"
    steps = []

    def step(label, script, *exps):
        steps.append((label, script, list(exps)))

    step("docker exec -t (terminal)", None,
         Expect("Terminal shell in container", "shell with a tty from docker exec -t", A, "sh",
                {"proc.cmdline": contains("vg-tty-marker"), "proc.tty": nonzero(),
                 # runc exec's child: runc, or the shim once runc has exited
                 "proc.pname": one_of("runc", "containerd-shim", "containerd-shim-runc-v2")}))
    step("docker exec of a program", None,
         Expect("Exec into running container", "docker exec /t/vg-actions noop", A,
                "vg-actions", {"proc.cmdline": "vg-actions noop", "user.name": "root"}))
    step("read /etc/shadow",
         "echo 'root:*:19000:0:99999:7:::' > /etc/shadow; /bin/cat /etc/shadow >/dev/null",
         Expect("Sensitive credential file read", "cat /etc/shadow", A, "cat",
                {"fd.name": "/etc/shadow"}))
    step("read an ssh private key",
         "mkdir -p /root/.ssh; echo key > /root/.ssh/id_rsa; /bin/cat /root/.ssh/id_rsa",
         Expect("SSH private key read", "cat /root/.ssh/id_rsa", A, "cat",
                {"fd.name": "/root/.ssh/id_rsa"}))
    step("read cloud credentials",
         "mkdir -p /root/.aws; echo '[default]' > /root/.aws/credentials; "
         "/bin/cat /root/.aws/credentials",
         Expect("Cloud credentials read", "cat ~/.aws/credentials", A, "cat",
                {"fd.name": "/root/.aws/credentials"}))
    # Kubernetes' projected service account volume: token -> ..data/token,
    # ..data -> ..<timestamp>; and /var/run is a symlink to /run, as in most images.
    step("read the k8s service account token (projected volume, /var/run -> /run)",
         "[ -L /var/run ] || { rm -rf /var/run && ln -s /run /var/run; }; "
         "d=/var/run/secrets/kubernetes.io/serviceaccount; mkdir -p $d/..2024_01_01_00_00_00; "
         "echo tok > $d/..2024_01_01_00_00_00/token; ln -s ..2024_01_01_00_00_00 $d/..data; "
         "ln -s ..data/token $d/token; /bin/cat $d/token; "
         "/bin/cat /run/secrets/kubernetes.io/serviceaccount/token",
         # fd.name is the path as opened (lexical, as Falco's): both spellings must match
         Expect("Kubernetes service account token read", "cat /var/run/secrets/.../token", A,
                "cat", {"fd.name": "/var/run/secrets/kubernetes.io/serviceaccount/token"}),
         Expect("Kubernetes service account token read", "cat /run/secrets/.../token", A,
                "cat", {"fd.name": "/run/secrets/kubernetes.io/serviceaccount/token"}))
    step("writes below /etc /bin /usr /lib /root",
         "mkdir -p /usr /lib; for d in /etc /bin /usr /lib /root; do echo x > $d/vg-w; done",
         *[Expect("Write below system directory in container", "write %s/vg-w" % d, A, "sh",
                  {"fd.name": "%s/vg-w" % d}) for d in ("/etc", "/bin", "/usr", "/lib",
                                                         "/root")])
    step("package manager installs (apk add) and queries (apk info)",
         "ln -s /bin/busybox /sbin/apk; /sbin/apk info; /sbin/apk add curl",
         Expect("Package manager run in container", "apk add curl", A, "apk",
                {"proc.cmdline": "apk add curl"}))
    step("drift: a binary copied into the container's writable layer",
         "cp /t/vg-actions /vg-drift; /vg-drift noop",
         Expect("Drift - binary not in the image executed", "/vg-drift (upper layer)", A,
                "vg-drift", {"proc.exepath": "/vg-drift"}))
    step("fileless exec from a memfd", "/t/vg-actions memfd-exec",
         Expect("Fileless execution via memfd", "execveat(memfd)", A, "memfd:vg-memfd",
                {"proc.pname": "vg-actions", "proc.cmdline": "memfd:vg-memfd noop",
                 "proc.exepath": startswith("/memfd:vg-memfd")}))
    step("exec from /tmp and /dev/shm (tmpfs: not the overlay upper layer)",
         "cp /t/vg-actions /tmp/vg-tmp; /tmp/vg-tmp noop; "
         "cp /t/vg-actions /dev/shm/vg-shm; /dev/shm/vg-shm noop",
         Expect("Execution from /tmp or /dev/shm", "/tmp/vg-tmp", A, "vg-tmp",
                {"proc.exepath": "/tmp/vg-tmp"}),
         Expect("Execution from /tmp or /dev/shm", "/dev/shm/vg-shm", A, "vg-shm",
                {"proc.exepath": "/dev/shm/vg-shm"}))
    step("chmod u+s", "echo x > /tmp/vg-suid; /bin/chmod u+s /tmp/vg-suid",
         Expect("Setuid or setgid bit set", "chmod u+s /tmp/vg-suid", A, "chmod",
                {"evt.arg.path": "/tmp/vg-suid", "evt.arg.mode": contains("S_ISUID")}))
    step("network tool", NC + "$NC -w 1 127.0.0.1 9 </dev/null",
         Expect("Network tool run in container", "nc", A, "nc",
                {"proc.cmdline": "nc -w 1 127.0.0.1 9"}))
    step("reverse shell: stdin/stdout/stderr dup2'd to a TCP socket", "/t/vg-actions dup2-socket",
         *[Expect("Reverse shell - standard stream redirected to a socket", "dup2 -> fd %d" % fd,
                  A, "vg-actions", {"evt.rawres": str(fd), "fd.name": contains("127.0.0.1:")})
           for fd in (0, 1, 2)])
    # --network none: only loopback, which the rule ignores (a local proxy is not a pool).
    # Give lo a non-loopback address and listen there.
    step("bind shell listener and a connection to a mining pool port",
         NC + "ip addr add 10.99.0.1/32 dev lo; ($NC -l -p 3333 >/dev/null &); "
         "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.3; "
         "echo hello | $NC -w 2 10.99.0.1 3333 && break; done",
         Expect("New listening socket in container", "nc -l -p 3333", A, "nc",
                {"fd.name": contains(":3333"), "proc.cmdline": "nc -l -p 3333"}),
         Expect("Connection to a mining pool port", "nc 10.99.0.1 3333", A, "nc",
                {"fd.name": contains("->10.99.0.1:3333"),
                 "proc.cmdline": "nc -w 2 10.99.0.1 3333"}))
    # Built inside the container: "stratum+tcp" must not appear in the host's docker CLI
    # command line (the rule would rightly fire on the host too).
    step("stratum URL on a command line",
         "s=stratum; /bin/sh -c \"echo $s+tcp://pool.example:3333 >/dev/null\"",
         Expect("Stratum mining protocol on the command line", "sh -c echo stratum+tcp://", A,
                "sh", {"proc.cmdline": contains("stratum+tcp://pool.example:3333")}))
    step("AF_PACKET socket", "/t/vg-actions socket",
         Expect("Packet socket created in container", "socket(AF_PACKET)", A, "vg-actions",
                {"proc.cmdline": "vg-actions socket"}))
    # mounted on /run/docker.sock, reached through /var/run (a symlink to /run since the
    # service account step)
    step("connect to the engine socket bind-mounted in the container",
         "/t/vg-actions unix-connect /var/run/docker.sock 'GET /_ping HTTP/1.0\\r\\n\\r\\n'",
         Expect("Container engine socket used from a container", "connect /var/run/docker.sock",
                A, "vg-actions", {"fd.name": one_of("/var/run/docker.sock", "/run/docker.sock"),
                                  "evt.type": "connect"}))
    step("mount, umount, unshare, setns, chroot, pivot_root",
         "/t/vg-actions unshare; /t/vg-actions setns; /t/vg-actions mount; "
         "/t/vg-actions chroot; /t/vg-actions pivot-root",
         *[Expect("Namespace or mount change in container", t, A, "vg-actions",
                  {"evt.type": t})
           for t in ("unshare", "setns", "mount", "umount2", "chroot", "pivot_root")])
    step("release_agent written, core_pattern write attempted (EROFS)",
         "mkdir -p /tmp/cg; echo /x > /tmp/cg/release_agent; "
         "echo '|/x' > /proc/sys/kernel/core_pattern",
         Expect("Cgroup release_agent or core_pattern written", "write release_agent", A, "sh",
                {"fd.name": "/tmp/cg/release_agent", "evt.res": "SUCCESS"}),
         Expect("Cgroup release_agent or core_pattern written", "core_pattern attempt", A, "sh",
                {"fd.name": "/proc/sys/kernel/core_pattern",
                 "evt.res": one_of("EROFS", "EACCES", "EPERM")}))
    step("kernel module load attempts", "/t/vg-actions init-module; /t/vg-actions finit-module",
         Expect("Kernel module load attempted", "init_module", A, "vg-actions",
                {"evt.type": "init_module"}),
         Expect("Kernel module load attempted", "finit_module", A, "vg-actions",
                {"evt.type": "finit_module"}))
    step("ptrace attach", "/t/vg-actions ptrace-attach",
         Expect("Ptrace attach to another process", "PTRACE_ATTACH", A, "vg-actions",
                {"evt.arg.request": contains("PTRACE_ATTACH")}))
    step("uid 1000 (saved uid 0) becomes root", "/t/vg-actions setuid-root",
         Expect("Privilege escalation to root via setuid", "setuid(0) from euid 1000", A,
                "vg-actions", {"evt.type": "setuid", "proc.cmdline": "vg-actions setuid-root"}))
    step("bpf(BPF_MAP_CREATE)", "/t/vg-actions bpf",
         Expect("BPF program or map from container", "bpf map create", A, "vg-actions",
                {"evt.arg.cmd": contains("BPF_MAP_CREATE")}))
    step("log file truncated",
         "mkdir -p /var/log; echo line >> /var/log/vg.log; : > /var/log/vg.log",
         Expect("Log file cleared", "O_TRUNC /var/log/vg.log", A, "sh",
                {"fd.name": "/var/log/vg.log"}))
    step("another process's environment", "/bin/cat /proc/1/environ >/dev/null",
         Expect("Another process's memory or environment read", "cat /proc/1/environ", A, "cat",
                {"fd.name": "/proc/1/environ"}))
    return steps


# Package-manager negatives (must NOT raise 'Package manager run in container').
PKG_QUIET = [("attack", "apk info"), ("pkg", "dpkg -l dpkg"),
             ("pkg", "dpkg --print-architecture"), ("pkg", "apt-get -v")]

WEB_SCRIPT = r"""
mkdir -p /www && echo hello-vigil > /www/index.html
httpd -p 127.0.0.1:8080 -h /www
i=0; ok=0
while [ $i -lt 200 ]; do
  if wget -q -O - http://127.0.0.1:8080/index.html 2>/dev/null | grep -q hello-vigil; then
    ok=$((ok + 1))
  fi
  i=$((i + 1))
done
echo "vg-web requests=$i ok=$ok"
exec sleep 3600
"""

BUILD_SCRIPT = r"""
set -e
mkdir -p /build/src /build/out && cd /build
cat > src/vg-hello.in <<'EOF'
#!/bin/sh
echo "vg-hello @VERSION@"
EOF
cat > src/Makefile.sh <<'EOF'
# a make-like build step: configure the script, stage it, checksum the sources
set -e
ver=$1
mkdir -p pkg/DEBIAN pkg/usr/bin pkg/usr/share/doc/vg-hello
sed -e "s/@VERSION@/$ver/" src/vg-hello.in > pkg/usr/bin/vg-hello
chmod 0755 pkg/usr/bin/vg-hello
printf 'vg-hello %s\n' "$ver" | gzip -9n > pkg/usr/share/doc/vg-hello/changelog.gz
find src -type f | sort | xargs sha256sum > out/sources.sha256
EOF
sh src/Makefile.sh 1.0
arch=$(dpkg --print-architecture)
cat > pkg/DEBIAN/control <<EOF
Package: vg-hello
Version: 1.0
Architecture: $arch
Maintainer: vigil tests <tests@vigil.invalid>
Description: vigil test package
EOF
dpkg-deb --build --root-owner-group pkg out/vg-hello_1.0_$arch.deb
dpkg-deb --info out/vg-hello_1.0_$arch.deb >/dev/null
dpkg-deb --contents out/vg-hello_1.0_$arch.deb >/dev/null
dpkg -c out/vg-hello_1.0_$arch.deb >/dev/null
dpkg -I out/vg-hello_1.0_$arch.deb >/dev/null
dpkg-query -W dpkg >/dev/null
dpkg -l dpkg >/dev/null
tar -czf out/vg-hello_1.0.orig.tar.gz src
gzip -t out/vg-hello_1.0.orig.tar.gz
(cd out && sha256sum *.deb *.tar.gz > SHA256SUMS)
ls out > out/MANIFEST
echo "vg-build-done $(cat out/SHA256SUMS | wc -l)"
exec sleep 3600
"""

# The positive side of the package manager rule in the same Debian image.
PKG_SCRIPT = r"""
mkdir -p /p/DEBIAN
printf 'Package: vg-evil\nVersion: 1\nArchitecture: all\nMaintainer: t <t@vigil.invalid>\nDescription: t\n' > /p/DEBIAN/control
dpkg-deb --build /p /vg-evil.deb >/dev/null
dpkg -l dpkg >/dev/null; dpkg --print-architecture >/dev/null; apt-get -v >/dev/null
dpkg -i /vg-evil.deb
apt-get install -y --no-download vg-nonexistent
true
"""


def pkg_expects():
    return [Expect("Package manager run in container", "dpkg -i", "pkg", "dpkg",
                   {"proc.cmdline": "dpkg -i /vg-evil.deb"}),
            Expect("Package manager run in container", "apt-get install", "pkg", "apt-get",
                   {"proc.cmdline": "apt-get install -y --no-download vg-nonexistent"})]


def entry_expects():
    return [Expect("Shell spawned by a non-shell entrypoint", "entrypoint vg-actions spawns sh",
                   "entry", "sh", {"proc.pname": "vg-actions",
                                   "proc.cmdline": "sh -c echo injected"})]


# ---------------------------------------------------------------------------------------------
# main


def main():
    keep = os.environ.get("VG_KEEP") == "1"
    tmp = tempfile.mkdtemp(prefix="vg-rules-")
    os.chmod(tmp, 0o755)
    T.diag("vigil: %s" % VIGIL)
    T.diag("vg-actions: %s" % VG_ACTIONS)
    T.diag("work dir: %s" % tmp)
    t0 = time.time()
    try:
        return _main(tmp)
    finally:
        T.diag("test-rules: %.1f s" % (time.time() - t0))
        art = os.path.join(os.environ.get("VG_BUILDDIR", tmp), "rules-artifacts")
        if art != os.path.join(tmp, "rules-artifacts"):
            shutil.rmtree(art, ignore_errors=True)
            os.makedirs(art, exist_ok=True)
            for n in ("alerts.json", "watch.stderr"):
                if os.path.exists(os.path.join(tmp, n)):
                    shutil.copy2(os.path.join(tmp, n), art)
        if keep:
            T.diag("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _main(tmp):
    names = rule_names()
    T.diag("%d rules in %s" % (len(names), RULES_FILE))
    if os.geteuid() != 0:
        T.skip("built-in rules against real containers", "needs root")
        return T.done()
    for p in (VIGIL, VG_ACTIONS):
        if not os.access(p, os.X_OK):
            T.ok(False, "%s is built" % p)
            return T.done()
    dk = Docker()
    T.diag("starting the private Docker engine (docker-env.sh)")
    if not dk.start():
        T.skip("built-in rules against real containers", dk.why)
        return T.done()
    try:
        with_docker(tmp, dk, names)
    finally:
        dk.stop()
    return T.done()


def with_docker(tmp, dk, names):
    tdir = os.path.join(tmp, "t")
    os.makedirs(tdir)
    shutil.copy2(VG_ACTIONS, os.path.join(tdir, "vg-actions"))
    os.chmod(os.path.join(tdir, "vg-actions"), 0o755)
    t_img = time.time()
    bookworm_why = bookworm_image(dk, tmp)
    T.diag("images ready in %.1f s%s" % (time.time() - t_img,
                                         "" if not bookworm_why else ": " + bookworm_why))

    alerts_path = os.path.join(tmp, "alerts.json")
    v = Vigil([VIGIL, "watch", "--format", "json", "-o", alerts_path, "--alert-rate", "0",
               "--docker-socket", dk.sock()], tmp)
    if not T.ok(v.wait_ready(), "vigil watch prints ready",
                ["stderr: " + l for l in v.lines[-15:]]):
        v.stop()
        return
    al = Alerts(alerts_path)
    tag = "%06x" % random.getrandbits(24)
    cids = {}  # key -> full id
    try:
        scenarios(tmp, dk, al, tag, cids, bookworm_why, names)
    finally:
        stop_rc = v.stop()
        T.ok(stop_rc == 0, "vigil exits 0 on SIGTERM (rc %s)" % stop_rc,
             ["stderr: " + l for l in v.lines[-15:]])
        al.poll()
        T.ok(not al.bad, "every alert line is a JSON object", al.bad[:5])
        names_all = ["vg-rules-%s-%s" % (k, tag) for k in cids]
        if names_all:
            dk("rm", "-f", *names_all, timeout=120)


def start(dk, cids, key, tag, args, cmd, timeout=120):
    name = "vg-rules-%s-%s" % (key, tag)
    r = dk("run", "-d", "--name", name, "--network", "none", *args, *cmd, timeout=timeout)
    full = r.stdout.strip() if r.returncode == 0 else ""
    cids[key] = full
    T.diag("container %s: %s %s" % (key, full[:12] or "FAILED", r.stderr.strip()[-300:]))
    return full[:12] if full else None


def wait_for(cond, timeout, step=0.2):
    end = time.time() + timeout
    while True:
        if cond():
            return True
        if time.time() >= end:
            return False
        time.sleep(step)


def scenarios(tmp, dk, al, tag, cids, bookworm_why, names):
    tdir = os.path.join(tmp, "t")
    tmount = ["-v", "%s:/t:ro" % tdir]
    short = {}
    t_act = time.time()

    # -- the attack container: every capability we have, no seccomp, writable tmpfs with
    #    exec on /tmp and /dev/shm, the engine socket mounted where attackers look for it
    short["attack"] = start(dk, cids, "attack", tag,
                            bounding_cap_args() + [
                                "--security-opt", "seccomp=unconfined",
                                "--security-opt", "apparmor=unconfined",
                                "--tmpfs", "/tmp:rw,exec,mode=1777",
                                "--tmpfs", "/dev/shm:rw,exec,mode=1777",
                                "-v", "%s:/run/docker.sock" % dk.sock()] + tmount,
                            [IMAGE, "sleep", "3600"])
    # -- a server-like entrypoint (not a shell) that spawns a shell every second
    short["entry"] = start(dk, cids, "entry", tag, tmount,
                           [IMAGE, "/t/vg-actions", "spawn-loop", "1", "0", "/bin/sh", "-c",
                            "echo injected"])
    # -- benign a): a web server and its client, both started by the entrypoint
    short["web"] = start(dk, cids, "web", tag, [], [IMAGE, "sh", "-c", WEB_SCRIPT])
    # -- benign b): a package build in Debian bookworm; and the package manager's other side
    if not bookworm_why:
        short["build"] = start(dk, cids, "build", tag, ["-w", "/build"],
                               [BOOKWORM_IMAGE, "/bin/sh", "-c", BUILD_SCRIPT])
        short["pkg"] = start(dk, cids, "pkg", tag, [], [BOOKWORM_IMAGE, "sleep", "3600"])

    expects = entry_expects()
    att = short["attack"]
    if not T.ok(bool(att), "attack container started"):
        return
    for label, script, exps in attack_steps():
        expects += exps
        if label.startswith("docker exec -t"):
            r = dk("exec", "-t", cids["attack"], "sh", "-c", "echo vg-tty-marker; true")
        elif label.startswith("docker exec of"):
            r = dk("exec", cids["attack"], "/t/vg-actions", "noop")
        else:
            r = dk("exec", cids["attack"], "sh", "-c", script + "; true")
        if r.returncode != 0:
            T.diag("step '%s': rc %s: %s" % (label, r.returncode, r.stderr[-500:]))
    if short.get("pkg"):
        r = dk("exec", cids["pkg"], "sh", "-c", PKG_SCRIPT)
        T.diag("pkg container: rc %s %s" % (r.returncode, (r.stdout + r.stderr)[-400:]))
        expects += pkg_expects()
    T.diag("actions done in %.1f s" % (time.time() - t_act))

    # -- wait for every expected alert
    def satisfied():
        al.poll()
        for e in expects:
            if e.found is None:
                sid = short.get(e.ckey)
                for a in al.items:
                    if sid and e.match(a, sid):
                        e.found = a
                        break
        return all(e.found is not None for e in expects)

    t_wait = time.time()
    wait_for(satisfied, ALERT_TIMEOUT)
    T.diag("alerts complete after %.1f s more (%d alerts so far)"
           % (time.time() - t_wait, len(al.items)))

    # -- 1. every rule: its scenarios
    by_rule = {}
    for e in expects:
        by_rule.setdefault(e.rule, []).append(e)
    for name in names:
        if name not in by_rule:
            T.ok(False, "rule '%s' has a scenario in test-rules.py" % name)
            continue
        for e in by_rule[name]:
            sid = short.get(e.ckey)
            if sid is None:
                T.skip("%s: %s" % (name, e.label), "container '%s' not started" % e.ckey)
                continue
            same = [a for a in al.of(sid) if a.get("rule") == name]
            T.ok(e.found is not None,
                 "%s: %s (container %s)" % (name, e.label, e.ckey),
                 ["want: %s" % e.describe()] +
                 ["same rule and container: " + brief(a) for a in same[:6]] +
                 ([] if same else ["alerts of the container: " + brief(a)
                                   for a in al.of(sid)[-8:]]))
            if e.todo and e.found is not None:
                T.todo(check_fields(fields(e.found), e.todo),
                       "%s: %s: %s" % (name, e.label, ", ".join(
                           "%s %s" % (k, getattr(w, "desc", w)) for k, w in e.todo.items())),
                       e.todo_why, ["got: " + json.dumps({k: fields(e.found).get(k)
                                                          for k in e.todo})])
    for r in sorted(set(by_rule) - set(names)):
        T.ok(False, "scenario rule '%s' exists in %s" % (r, RULES_FILE))

    # -- 2. package manager queries are quiet
    for key, cmd in PKG_QUIET:
        sid = short.get(key)
        if not sid:
            T.skip("no Package manager alert for '%s'" % cmd, "container '%s' not started" % key)
            continue
        bad = [a for a in al.of(sid) if a.get("rule") == "Package manager run in container"
               and fields(a).get("proc.cmdline") == cmd]
        T.ok(not bad, "no 'Package manager run in container' for '%s' (%s)" % (cmd, key),
             [brief(a) for a in bad])
    # and nothing else than the installs themselves
    for key, allowed in (("attack", {"apk add curl"}),
                         ("pkg", {"dpkg -i /vg-evil.deb",
                                  "apt-get install -y --no-download vg-nonexistent"})):
        sid = short.get(key)
        if not sid:
            continue
        other = [a for a in al.of(sid) if a.get("rule") == "Package manager run in container"
                 and fields(a).get("proc.cmdline") not in allowed]
        T.ok(not other, "%s: 'Package manager run in container' only for %s"
             % (key, ", ".join(sorted(allowed))), [brief(a) for a in other[:8]])

    # -- 3. benign workloads: no alert at all
    def web_done():
        r = dk("logs", cids["web"], timeout=30)
        return "vg-web requests=" in r.stdout

    if short.get("web"):
        wait_for(web_done, 120, 0.5)
        out = dk("logs", cids["web"], timeout=30).stdout
        m = re.search(r"vg-web requests=(\d+) ok=(\d+)", out)
        T.ok(bool(m) and m.group(1) == "200" and m.group(2) == "200",
             "web: busybox httpd served 200 of 200 requests", ["log: " + out[-300:]])
    else:
        T.ok(False, "web container started")

    def build_done():
        r = dk("logs", cids["build"], timeout=30)
        return "vg-build-done" in r.stdout or dk(
            "inspect", "-f", "{{.State.Running}}", cids["build"]).stdout.strip() != "true"

    if short.get("build"):
        wait_for(build_done, 180, 0.5)
        r = dk("logs", cids["build"], timeout=30)
        T.ok("vg-build-done 2" in r.stdout,
             "build: dpkg-deb --build and the other build steps succeeded",
             ["log: " + (r.stdout + r.stderr)[-800:]])
    else:
        T.skip("build: package build in Debian bookworm", bookworm_why)
    time.sleep(QUIET_GRACE)
    al.poll()
    for key, what in (("web", "web server (httpd + 200 requests)"),
                      ("build", "package build (dpkg-deb --build, dpkg queries, tar, gzip)")):
        sid = short.get(key)
        if not sid:
            continue
        got = al.of(sid)
        T.ok(not got, "benign %s: no alert (%s)" % (what, sid), [brief(a) for a in got[:10]])


if __name__ == "__main__":
    sys.exit(main())
