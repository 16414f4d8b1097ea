#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil inspect against real containers (TAP).

Starts runc containers (runc-env.sh, a busybox-static rootfs, a private runc root) and Docker
containers (docker-env.sh, a private dockerd without bridge or iptables), each with one risky
option and one hardened container. For every container the expected findings are computed here
twice over: from what the test asked for (the option's own finding must be there, the hardened
container's must not), and from /proc and /sys/fs/cgroup read by this script on its own
(namespaces, status, mountinfo resolved against the host's, cgroup files, uid_map) — `vigil
inspect --format json` must report exactly that multiset of finding ids.

Needs root, runc, jq, dockerd and busybox-static; SKIPs without them, FAILs under CI=true.
"""
import collections
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vgtest import CI, Tap, find_binary, run  # noqa: E402,F401

SRCDIR = os.environ.get("VG_SRCDIR", HERE)
VIGIL = find_binary("VIGIL", ["build/src/cli/vigil", "build-insp/src/cli/vigil"])
T = Tap()

DOCKER_ENV = {
    "VG_DOCKER_SOCK": "/run/vigil-inspect-docker/docker.sock",
    "VG_DOCKER_EXEC_ROOT": "/run/vigil-inspect-docker/exec",
    "VG_DOCKER_DATA_ROOT": "/var/lib/vigil-inspect-docker",
}
IMAGE = "vigil-test/busybox"
RUNC_ROOT = "/run/vigil-inspect-runc"

# ---------------------------------------------------------------------------------------------
# The independent model: what the kernel says, judged by the rules of docs/inspect.md

CAPS = ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
        "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
        "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO",
        "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
        "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
        "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"]
# capabilities with a finding: everything outside Docker's default set, plus NET_RAW
RISKY_CAPS = {"SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "DAC_READ_SEARCH", "SYS_RAWIO", "BPF",
              "PERFMON", "NET_ADMIN", "SYS_BOOT", "SYS_TIME", "MAC_ADMIN", "MAC_OVERRIDE",
              "SYSLOG", "AUDIT_CONTROL", "LINUX_IMMUTABLE", "SYS_RESOURCE",
              "CHECKPOINT_RESTORE", "SYS_TTY_CONFIG", "SYS_NICE", "SYS_PACCT", "IPC_LOCK",
              "IPC_OWNER", "NET_BROADCAST", "LEASE", "WAKE_ALARM", "BLOCK_SUSPEND",
              "AUDIT_READ", "NET_RAW"}
NS_FINDINGS = {"pid": "ISO-NS-PID", "net": "ISO-NS-NET", "mnt": "ISO-NS-MNT",
               "ipc": "ISO-NS-IPC", "uts": "ISO-NS-UTS", "user": "ISO-NS-USER",
               "cgroup": "ISO-NS-CGROUP"}
ENGINE_SOCKETS = {"docker.sock", "containerd.sock", "crio.sock", "podman.sock",
                  "dockershim.sock", "cri-dockerd.sock"}
ENGINE_SOCKET_PATHS = ["/var/run/docker.sock", "/run/docker.sock",
                       "/run/containerd/containerd.sock",
                       "/var/run/containerd/containerd.sock", "/run/podman/podman.sock",
                       "/var/run/crio/crio.sock", "/run/crio/crio.sock", "/run/docker/plugins"]
SENSITIVE = [("/boot", True), ("/dev", False), ("/etc", True), ("/lib", False),
             ("/proc", False), ("/sys", False), ("/usr", False), ("/var/lib/docker", False),
             ("/root", True), ("/home", False), ("/run", False), ("/var/run", False),
             ("/var/lib/kubelet", False), ("/var/lib/containerd", False)]
PSEUDO_FS = {"proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "securityfs",
             "debugfs", "tracefs", "bpf", "fusectl", "configfs", "pstore", "hugetlbfs",
             "autofs", "binfmt_misc", "nsfs", "devtmpfs"}
MASKED = ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/timer_stats",
          "/proc/sched_debug", "/proc/latency_stats", "/proc/acpi", "/proc/scsi",
          "/proc/asound"]


def reference():
    """The process standing for the host, as vigil chooses it: pid 1 when its namespaces can
    be read, else this process."""
    try:
        os.readlink("/proc/1/ns/mnt")
        return "1"
    except OSError:
        return "self"


REF = reference()


def covers(a, b):
    if a == "/":
        return b.startswith("/")
    return b == a or b.startswith(a + "/")


def status_of(pid):
    out = {}
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def unescape(s):
    out, i = "", 0
    while i < len(s):
        if s[i] == "\\" and i + 3 < len(s) and s[i + 1] in "0123" and \
                all(c in "01234567" for c in s[i + 2:i + 4]):
            out += chr(int(s[i + 1:i + 4], 8))
            i += 4
        else:
            out += s[i]
            i += 1
    return out


def mountinfo(pid):
    mounts = []
    with open("/proc/%s/mountinfo" % pid) as f:
        for line in f:
            a = line.split()
            dash = a.index("-")
            maj, mnr = a[2].split(":")
            mounts.append({
                "dev": (int(maj), int(mnr)), "root": unescape(a[3]), "mp": unescape(a[4]),
                "rw": "rw" in a[5].split(",") and "rw" in a[dash + 3].split(","),
                "shared": any(o.startswith("shared:") for o in a[6:dash]),
                "fstype": a[dash + 1]})
    return mounts


def host_path(m, host):
    best = None
    for h in host:
        if h["dev"] != m["dev"] or not covers(h["root"], m["root"]):
            continue
        if best is None or len(h["root"]) > len(best["root"]) or \
                (len(h["root"]) == len(best["root"]) and len(h["mp"]) < len(best["mp"])):
            best = h
    if best is None:
        return None
    rest = m["root"] if best["root"] == "/" else m["root"][len(best["root"]):]
    if best["mp"] == "/":
        return rest or "/"
    return best["mp"] + ("" if rest == "/" else rest)


def covering(mounts, path):
    best = None
    for m in mounts:
        if covers(m["mp"], path) and (best is None or len(m["mp"]) >= len(best["mp"])):
            best = m
    return best


def is_socket(p):
    if p is None:
        return False
    if os.path.basename(p) in ENGINE_SOCKETS:
        return True
    return p != "/" and any(covers(p, s) for s in ENGINE_SOCKET_PATHS)


def is_sensitive(p):
    return any(covers(p, s) or (sub and covers(s, p)) for s, sub in SENSITIVE)


def mount_findings(pid):
    out = []
    mounts = mountinfo(pid)
    host = mountinfo(REF)
    for m in mounts:
        mp, fs = m["mp"], m["fstype"]
        if fs == "proc":
            c = covering(mounts, ("" if mp == "/" else mp) + "/sys")
            if c and c["rw"] and c["fstype"] == "proc":
                out.append("ISO-MOUNT-PROC-RW")
            if mp == "/proc" and not any((covering(mounts, p) or {}).get("mp") == p
                                         for p in MASKED):
                out.append("ISO-MOUNT-PROC-UNMASKED")
            continue
        if fs == "sysfs":
            if m["rw"]:
                out.append("ISO-MOUNT-SYSFS-RW")
            continue
        if fs in ("cgroup", "cgroup2"):
            if m["rw"]:
                out.append("ISO-MOUNT-CGROUPFS-RW")
            continue
        if fs == "devtmpfs":
            out.append("ISO-MOUNT-DEVICES")
            continue
        hp = None if fs in PSEUDO_FS else host_path(m, host)
        if hp is None or mp == "/":
            continue
        if hp == "/":
            out.append("ISO-MOUNT-HOST-ROOT")
        if is_socket(hp) or os.path.basename(mp) in ENGINE_SOCKETS:
            out.append("ISO-MOUNT-SOCKET")
        elif hp != "/" and is_sensitive(hp):
            out.append("ISO-MOUNT-SENSITIVE")
        if m["shared"]:
            out.append("ISO-MOUNT-SHARED")
    roots = [m for m in mounts if m["mp"] == "/"]
    if roots and roots[-1]["rw"]:
        out.append("ISO-ROOTFS-RW")
    return out


def ns_ino(pid, ns):
    try:
        return os.readlink("/proc/%s/ns/%s" % (pid, ns))
    except OSError:
        return None


def cgroup_limit(pid, controller, files):
    """'max', a number, or None (controller not found), like vigil: smallest value on the path
    up to (not including) the root."""
    lines = open("/proc/%s/cgroup" % pid).read().splitlines()
    v1 = [l for l in lines if not l.startswith("0::")]
    if not v1:
        path = [l for l in lines if l.startswith("0::")][0][3:]
        base = "/sys/fs/cgroup"
        fname = files[1]
    else:
        hit = [l for l in v1 if controller in l.split(":")[1].split(",")]
        if not hit:
            return None
        ctl, path = hit[0].split(":", 2)[1:]
        base = "/sys/fs/cgroup/" + ctl
        if not os.path.exists(base):
            base = "/sys/fs/cgroup/" + controller
            if not os.path.exists(base):
                return None
        fname = files[0]
    best = None
    while path not in ("/", ""):
        p = base + path + "/" + fname
        if os.path.exists(p):
            v = open(p).read().split()[0]
            if v == "max" or v == "-1" or (v.isdigit() and int(v) >= 1 << 62):
                v = "max"
            else:
                v = int(v)
            if best is None or (v != "max" and (best == "max" or v < best)):
                best = v
        path = path.rsplit("/", 1)[0] or "/"
    return best if best is not None else "max"


def expected(pid):
    """The finding ids vigil must report for pid, computed from /proc on our own."""
    out = []
    for ns, fid in NS_FINDINGS.items():
        a, b = ns_ino(pid, ns), ns_ino(REF, ns)
        if a and b and a == b:
            out.append(fid)
    st, me = status_of(pid), status_of(REF)
    eff, prm, bnd = (int(st[k], 16) for k in ("CapEff", "CapPrm", "CapBnd"))
    amb = int(st.get("CapAmb", "0"), 16)
    nnp = st.get("NoNewPrivs") == "1"
    held = eff | prm | amb
    reach = held if nnp else held | bnd
    host_bnd = int(me["CapBnd"], 16)
    if reach & host_bnd == host_bnd:
        out.append("ISO-CAP-ALL")
    for bit, name in enumerate(CAPS):
        if name in RISKY_CAPS and reach >> bit & 1:
            out.append("ISO-CAP-" + name)
    if st.get("Seccomp") == "0":
        out.append("ISO-SECCOMP-OFF")
    if st.get("NoNewPrivs") == "0":
        out.append("ISO-NO-NEW-PRIVS")
    label = None
    for f in ("attr/apparmor/current", "attr/current"):
        try:
            label = open("/proc/%s/%s" % (pid, f)).read().strip("\n\0 ")
            break
        except OSError:
            continue
    if label and (label == "unconfined" or "(complain)" in label or
                  (label.count(":") >= 2 and label.split(":")[2] in
                   ("spc_t", "unconfined_t", "kernel_t", "unconfined_service_t", "initrc_t"))):
        out.append("ISO-LSM-UNCONFINED")
    if cgroup_limit(pid, "memory", ("memory.limit_in_bytes", "memory.max")) == "max":
        out.append("ISO-CGROUP-NO-MEMORY")
    if cgroup_limit(pid, "pids", ("pids.max", "pids.max")) == "max":
        out.append("ISO-CGROUP-NO-PIDS")
    if cgroup_limit(pid, "cpu", ("cpu.cfs_quota_us", "cpu.max")) == "max":
        out.append("ISO-CGROUP-NO-CPU")
    lines = open("/proc/%s/cgroup" % pid).read().splitlines()
    dev = [l for l in lines if "devices" in l.split(":")[1].split(",")]
    if dev:
        path = dev[0].split(":", 2)[2]
        p = "/sys/fs/cgroup/devices%s/devices.list" % ("" if path == "/" else path)
        if os.path.exists(p) and "a *:* rwm" in open(p).read():
            out.append("ISO-CGROUP-DEVICES-ALL")
    if ns_ino(pid, "mnt") != ns_ino(REF, "mnt"):
        out += mount_findings(pid)
    uid_map = [l.split() for l in open("/proc/%s/uid_map" % pid).read().splitlines() if l.strip()]
    root_on_host = any(u[0] == "0" and u[1] == "0" and int(u[2]) > 0 for u in uid_map)
    euid = st["Uid"].split()[1]
    if euid == "0" and root_on_host:
        out.append("ISO-USER-ROOT")
    if ns_ino(pid, "user") != ns_ino(REF, "user") and root_on_host:
        out.append("ISO-USERNS-ROOT-MAPPED")
    return sorted(out)


# ---------------------------------------------------------------------------------------------


def inspect(target, *extra, fmt="json"):
    r = run([VIGIL, "inspect", "--format", fmt] + list(extra) + [target], timeout=60)
    doc = None
    if fmt == "json" and r.returncode == 0:
        try:
            doc = json.loads(r.stdout)
        except ValueError:
            doc = None
    return r, doc


def check_container(label, target, pid, must, must_not, extra=()):
    """vigil inspect TARGET == expected(pid) (retried once: host mounts can change between the
    two reads), the asked-for findings present, the excluded ones absent."""
    for attempt in range(2):
        want = expected(pid)
        r, doc = inspect(target, *extra)
        got = sorted(f["id"] for f in doc["findings"]) if doc else None
        if got == want and expected(pid) == want:
            break
        time.sleep(1)
    if not T.ok(doc is not None, "%s: vigil inspect --format json succeeds" % label,
                ["rc %s: %s" % (r.returncode, r.stderr[-500:])]):
        return None
    T.ok(doc["pid"] == pid, "%s: resolved to the init pid %d" % (label, pid),
         ["got %s" % doc["pid"]])
    diff_missing = collections.Counter(want) - collections.Counter(got)
    diff_extra = collections.Counter(got) - collections.Counter(want)
    T.ok(got == want, "%s: findings are exactly the ones computed from /proc (%d)" %
         (label, len(want)),
         ["missing: %s" % sorted(diff_missing.elements()),
          "unexpected: %s" % sorted(diff_extra.elements())])
    for m in must:
        T.ok(m in got, "%s: reports %s (asked for)" % (label, m), ["got %s" % got])
    for m in must_not:
        T.ok(m not in got, "%s: does not report %s" % (label, m), ["got %s" % got])
    for f in doc["findings"]:
        if not (f.get("why") and f.get("fix") and f.get("severity") and f.get("detail")):
            T.ok(False, "%s: finding %s has why, fix, severity, detail" % (label, f.get("id")))
            break
    return doc


# ---------------------------------------------------------------------------------------------
# runc


def runc_env(*args, env=None, timeout=120):
    e = dict(os.environ)
    e["VG_RUNC_ROOT"] = RUNC_ROOT
    e.update(env or {})
    return run(["bash", os.path.join(SRCDIR, "runc-env.sh")] + list(args), env=e,
               timeout=timeout)


def runc_tests(tmp):
    r = runc_env("available")
    if r.returncode != 0:
        T.skip("runc containers", "runc-env: " + r.stderr.strip())
        return
    specs = [
        # id, caps, jq edit, must, must_not
        ("vg-insp-default", "", ".", ["ISO-SECCOMP-OFF", "ISO-USER-ROOT"],
         ["ISO-NS-PID", "ISO-CAP-SYS_ADMIN", "ISO-MOUNT-PROC-RW", "ISO-MOUNT-SYSFS-RW",
          "ISO-MOUNT-PROC-UNMASKED"]),
        ("vg-insp-hostpid", "CAP_SYS_ADMIN",
         '.linux.namespaces |= map(select(.type != "pid"))',
         ["ISO-NS-PID", "ISO-CAP-SYS_ADMIN"], ["ISO-NS-NET"]),
        ("vg-insp-hardened", "",
         '.process.noNewPrivileges = true | .root.readonly = true '
         '| .process.user = {"uid": 1000, "gid": 1000} '
         '| .process.capabilities = {"bounding": [], "effective": [], "permitted": [], '
         '"inheritable": [], "ambient": []}',
         [], ["ISO-USER-ROOT", "ISO-NO-NEW-PRIVS", "ISO-ROOTFS-RW", "ISO-CAP-NET_RAW"]),
    ]
    for cid, caps, edit, must, must_not in specs:
        bundle = os.path.join(tmp, cid)
        runc_env("cleanup", cid)
        r = runc_env("bundle", bundle, env={"VG_RUNC_CAPS": caps})
        if not T.ok(r.returncode == 0, "runc %s: bundle" % cid, [r.stderr[-500:]]):
            continue
        cfg = os.path.join(bundle, "config.json")
        r = run(["jq", edit, cfg])
        if not T.ok(r.returncode == 0, "runc %s: config edit" % cid, [r.stderr[-300:]]):
            continue
        with open(cfg, "w") as f:
            f.write(r.stdout)
        r = runc_env("run-detached", cid, bundle, os.path.join(tmp, cid + ".out"),
                     os.path.join(tmp, cid + ".err"), "/bin/sleep", "600")
        if not T.ok(r.returncode == 0, "runc %s: started" % cid,
                    [r.stderr[-500:], open(os.path.join(tmp, cid + ".err")).read()[-500:]]):
            continue
        pid = int(runc_env("pid", cid).stdout.strip() or 0)
        try:
            doc = check_container("runc " + cid, cid, pid, must, must_not,
                                  extra=("--runc-root", RUNC_ROOT))
            if doc:
                T.ok(doc["target"]["kind"] == "runc" and doc["target"]["id"] == cid,
                     "runc %s: target is the runc container" % cid, [str(doc["target"])])
            if cid == "vg-insp-default":
                r2, doc2 = inspect("runc:" + cid, "--runc-root", RUNC_ROOT)
                T.ok(doc2 is not None and doc2["pid"] == pid, "runc: runc:ID prefix works",
                     [r2.stderr[-300:]])
                r2, doc2 = inspect(str(pid))
                T.ok(doc2 is not None and doc2["target"]["kind"] == "pid" and
                     sorted(f["id"] for f in doc2["findings"]) == expected(pid),
                     "runc: the same process inspected by PID", [r2.stderr[-300:]])
        finally:
            runc_env("cleanup", cid)
            runc_env("bundle-rm", bundle)


# ---------------------------------------------------------------------------------------------
# Docker


def docker_env():
    e = dict(os.environ)
    e.update(DOCKER_ENV)
    e["DOCKER_HOST"] = "unix://" + DOCKER_ENV["VG_DOCKER_SOCK"]
    return e


def docker(*args, timeout=120):
    return run(["docker"] + list(args), env=docker_env(), timeout=timeout)


def docker_bash(script, timeout=240):
    return run(["bash", "-c", 'source "%s" && %s' % (os.path.join(SRCDIR, "docker-env.sh"),
                                                     script)],
               env=docker_env(), timeout=timeout)


def bounding_cap_args():
    """--cap-add for every capability of our bounding set that this docker knows."""
    known = docker("run", "--rm", "--network", "none", "--cap-add", "BPF", IMAGE, "true")
    skip = set() if known.returncode == 0 else {"CAP_BPF", "CAP_PERFMON",
                                                "CAP_CHECKPOINT_RESTORE"}
    caps = runc_env("caps").stdout.split()
    args = []
    for c in caps:
        if c not in skip:
            args += ["--cap-add", c[4:]]
    return args


def docker_tests():
    if not shutil.which("dockerd") or not shutil.which("docker"):
        T.skip("docker containers", "dockerd/docker not installed")
        return
    r = docker_bash('vg_docker_up >&2 && vg_docker_test_image "%s" >&2' % IMAGE)
    for line in r.stderr.splitlines():
        T.diag(line.lstrip("# "))
    if r.returncode != 0:
        T.skip("docker containers", "the Docker engine could not be started")
        return
    sock = DOCKER_ENV["VG_DOCKER_SOCK"]
    specs = [
        # name, docker run options, must, must_not
        ("vg-insp-d-default", [], ["ISO-USER-ROOT", "ISO-CAP-NET_RAW"],
         ["ISO-SECCOMP-OFF", "ISO-CAP-SYS_ADMIN", "ISO-NS-PID", "ISO-MOUNT-PROC-RW",
          "ISO-MOUNT-PROC-UNMASKED", "ISO-MOUNT-SYSFS-RW", "ISO-MOUNT-CGROUPFS-RW"]),
        ("vg-insp-d-sysadmin", ["--cap-add", "SYS_ADMIN"], ["ISO-CAP-SYS_ADMIN"],
         ["ISO-SECCOMP-OFF"]),
        ("vg-insp-d-pidhost", ["--pid=host"], ["ISO-NS-PID"], ["ISO-NS-NET"]),
        ("vg-insp-d-hostroot", ["-v", "/:/host"], ["ISO-MOUNT-HOST-ROOT"], []),
        ("vg-insp-d-sock", ["-v", "%s:/var/run/docker.sock" % sock], ["ISO-MOUNT-SOCKET"],
         ["ISO-MOUNT-HOST-ROOT"]),
        ("vg-insp-d-seccomp", ["--security-opt", "seccomp=unconfined"], ["ISO-SECCOMP-OFF"],
         ["ISO-CAP-SYS_ADMIN"]),
        ("vg-insp-d-privlike", bounding_cap_args() + ["--security-opt", "seccomp=unconfined"],
         ["ISO-SECCOMP-OFF", "ISO-CAP-SYS_ADMIN", "ISO-CAP-SYS_MODULE", "ISO-CAP-NET_ADMIN"],
         []),
        ("vg-insp-d-hardened", ["--cap-drop", "ALL", "--read-only", "--security-opt",
                                "no-new-privileges", "--user", "1000"], [],
         ["ISO-USER-ROOT", "ISO-NO-NEW-PRIVS", "ISO-ROOTFS-RW", "ISO-SECCOMP-OFF",
          "ISO-CAP-NET_RAW"]),
    ]
    started = []
    try:
        for name, opts, must, must_not in specs:
            docker("rm", "-f", name)
            r = docker("run", "-d", "--name", name, "--network", "none", *opts, IMAGE,
                       "sleep", "600")
            if not T.ok(r.returncode == 0, "docker %s: started" % name, [r.stderr[-500:]]):
                continue
            started.append(name)
            pid = int(docker("inspect", "-f", "{{.State.Pid}}", name).stdout.strip() or 0)
            doc = check_container("docker " + name, name, pid, must, must_not,
                                  extra=("--docker-socket", sock))
            if doc:
                t = doc["target"]
                T.ok(t["kind"] == "docker" and t["name"] == name and t["image"] == IMAGE,
                     "docker %s: target names the container and its image" % name, [str(t)])
            if name == "vg-insp-d-sock":
                r = run([VIGIL, "inspect", "--docker-socket", sock, "--severity", "critical",
                         "--exit-code", "3", name])
                T.ok(r.returncode == 3, "docker: --exit-code 3 --severity critical with a "
                     "mounted socket", ["rc %s: %s" % (r.returncode, r.stderr[-300:])])
                flat = " ".join(r.stdout.split())  # the text is wrapped at 100 columns
                T.ok("ISO-MOUNT-SOCKET" in r.stdout and "fix:" in r.stdout and
                     "do not mount the Docker/containerd/CRI-O/Podman socket" in flat and "Namespaces" in r.stdout and
                     "Capabilities" in r.stdout and "Cgroups" in r.stdout and
                     "Mounts" in r.stdout and "User" in r.stdout and "LSM" in r.stdout and
                     "Seccomp" in r.stdout and ("pid:   %d" % pid) in r.stdout,
                     "docker: text report has the header, every area and the fix",
                     [r.stdout[:800]])
                cid = docker("inspect", "-f", "{{.Id}}", name).stdout.strip()
                r, d2 = inspect("docker:" + cid[:12], "--docker-socket", sock)
                T.ok(d2 is not None and d2["pid"] == pid, "docker: docker:ID prefix works",
                     [r.stderr[-300:]])
            if name == "vg-insp-d-hardened":
                r = run([VIGIL, "inspect", "--docker-socket", sock, "--severity", "critical",
                         "--exit-code", "3", name])
                T.ok(r.returncode == 0, "docker: hardened container, no critical: exit 0",
                     ["rc %s: %s" % (r.returncode, r.stderr[-300:])])
        # a stopped container is an error
        docker("rm", "-f", "vg-insp-d-stopped")
        docker("create", "--name", "vg-insp-d-stopped", "--network", "none", IMAGE, "true")
        r = run([VIGIL, "inspect", "--docker-socket", sock, "vg-insp-d-stopped"])
        T.ok(r.returncode == 1 and "not running" in r.stderr,
             "docker: a stopped container is an error (exit 1)",
             ["rc %s: %s" % (r.returncode, r.stderr[-300:])])
        docker("rm", "-f", "vg-insp-d-stopped")
    finally:
        for name in started:
            docker("rm", "-f", name)
        docker_bash("vg_docker_down >&2", timeout=120)


def cli_tests():
    r = run([VIGIL, "inspect"])
    T.ok(r.returncode == 2, "usage: no target is exit 2", ["rc %s" % r.returncode])
    r = run([VIGIL, "inspect", "--format", "xml", "1"])
    T.ok(r.returncode == 2, "usage: unknown format is exit 2", ["rc %s" % r.returncode])
    r = run([VIGIL, "inspect", "--severity", "bad", "1"])
    T.ok(r.returncode == 2, "usage: bad severity is exit 2", ["rc %s" % r.returncode])
    r = run([VIGIL, "inspect", "--docker-socket", "/nonexistent.sock", "--runc-root",
             "/nonexistent", "no-such-container"])
    T.ok(r.returncode == 1 and "No such container" in r.stderr,
         "no such container: exit 1 with a clear message", [r.stderr[-300:]])
    r = run([VIGIL, "inspect", "4000000000"])
    T.ok(r.returncode == 1 and "does not exist" in r.stderr,
         "no such pid: exit 1 with a clear message", [r.stderr[-300:]])
    # processes that exit while they are inspected: a clean report or a clear error, never
    # anything else
    import subprocess
    bad = []
    for i in range(60):
        p = subprocess.Popen(["sleep", "0.0%d" % (i % 10)])
        r = run([VIGIL, "inspect", "--format", "json", str(p.pid)])
        p.wait()
        if r.returncode == 0:
            try:
                json.loads(r.stdout)
            except ValueError:
                bad.append("rc 0 with invalid JSON")
        elif r.returncode != 1 or ("exited while it was inspected" not in r.stderr and
                                   "does not exist" not in r.stderr):
            bad.append("rc %s: %s" % (r.returncode, r.stderr.strip()))
    T.ok(not bad, "short-lived processes: a report or 'exited while it was inspected'", bad[:5])
    # this very process: shares everything with the host
    r, doc = inspect(str(os.getpid()))
    T.ok(doc is not None and "ISO-NS-MNT" in [f["id"] for f in doc["findings"]] and
         sorted(f["id"] for f in doc["findings"]) == expected(os.getpid()),
         "a host process: all namespaces shared, findings as computed",
         [r.stderr[-300:]])


def main():
    if os.geteuid() != 0:
        T.skip("vigil inspect integration", "not root")
        return T.done()
    if not os.path.exists(VIGIL):
        T.ok(False, "vigil binary exists", [VIGIL])
        return T.done()
    cli_tests()
    with tempfile.TemporaryDirectory(prefix="vg-inspect-") as tmp:
        runc_tests(tmp)
    docker_tests()
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
