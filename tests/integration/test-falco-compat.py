#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Falco compatibility gate: each falcosecurity/event-generator action (re-implemented in
evgen-actions.c) makes `vigil watch -r <Falco's rule file>` fire the rule Falco fires, with the
same priority and every %field of the rule's output in output_fields.

Phases (each one `vigil watch --format json --alert-rate 0`):
  A  -r falco_rules.yaml, default first-match (Falco's default): the 23 enabled-by-default
     actions whose rule is stable, plus vigil's triggers for the 4 stable rules without an
     action (Terminal shell in container via `docker exec -it`, Redirect STDOUT/STDIN via dup2
     of a TCP socket, Linux Kernel Module Injection via init_module, Contact K8S API Server
     via a connect to 127.0.0.77:443, which /etc/hosts names kubernetes.default.svc.cluster.
     local for the test's duration: vigil resolves the names rules compare fd.sip.name with);
  B  -r falco_rules.yaml -r falco-incubating_rules.yaml -r falco-sandbox_rules.yaml
     -r <override enabling the sandbox rules that are `enabled: false`>, --rule-matching all
     (several actions also match a broader rule placed earlier, e.g. the httpd/lua/sha1sum
     personas, so Falco's first-match would hide the targeted rule), --env (proc.env rules);
  C  --format text: the alert line starts with the time and the capitalised priority.

Where actions run: the host; a Docker container (private engine, docker-env.sh, image
vigil-test/busybox, default capabilities, seccomp unconfined, --network none); a runc
container with every capability, the host network namespace and the annotation
io.podman.annotations.privileged=TRUE (what podman sets for --privileged; the private Docker
engine cannot start --privileged containers here, so container.privileged=true comes from
runc). Containers get a warm-up exec and 2 s before the actions: vigil evaluates rules while a
new container's metadata is still `pending` (container.name, container.privileged, ... <NA>),
see docs/rules.md "Falco compatibility".

Environment: VIGIL, EVGEN_ACTIONS, VG_SRCDIR, VG_BUILDDIR; FALCO_RULES_DIR (default
../shared/data/falco-rules next to the repository); VG_KEEP=1 keeps the work dir.
TAP output; without root (or the rule files) it SKIPs, with CI=true it FAILs instead.
"""

import atexit
import json
import os
import pty
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
VIGIL = os.environ.get("VIGIL") or os.path.join(ROOT, "build/src/cli/vigil")
EVGEN = os.environ.get("EVGEN_ACTIONS") or os.path.join(ROOT, "build/tests/integration/evgen-actions")
RULES_DIR = os.environ.get("FALCO_RULES_DIR") or os.path.join(ROOT, "..", "shared", "data",
                                                               "falco-rules")
STABLE = os.path.join(RULES_DIR, "falco_rules.yaml")
INCUBATING = os.path.join(RULES_DIR, "falco-incubating_rules.yaml")
SANDBOX = os.path.join(RULES_DIR, "falco-sandbox_rules.yaml")
IMAGE = "vigil-test/busybox"
PERSONAS = ["httpd", "mysqld", "vipw", "lua", "java", "sha1sum", "ssh", "nc", "ncat", "nmap",
            "debugfs", "mount", "login", "sudoedit", "pkexec", "crontab", "kubectl", "scp",
            "wget", "apk", "curl"]
PRIO = {"emergency": "Emergency", "alert": "Alert", "critical": "Critical", "error": "Error",
        "warning": "Warning", "notice": "Notice", "informational": "Informational",
        "info": "Informational", "debug": "Debug"}

# (action, rule, where, phase). where: host | docker | priv (runc, privileged). Phase A rules
# come from falco_rules.yaml; phase B from all three files.
STABLE_ACTIONS = [
    ("ClearLogActivities", "Clear Log Activities", "host"),
    ("CreateHardlinkOverSensitiveFiles", "Create Hardlink Over Sensitive Files", "host"),
    ("CreateSymlinkOverSensitiveFiles", "Create Symlink Over Sensitive Files", "host"),
    ("DebugfsLaunchedInPrivilegedContainer", "Debugfs Launched in Privileged Container", "priv"),
    ("DetectReleaseAgentFileContainerEscapes", "Detect release_agent File Container Escapes",
     "priv"),
    ("DirectoryTraversalMonitoredFileRead", "Directory traversal monitored file read", "host"),
    ("DisallowedSSHConnectionNonStandardPort", "Disallowed SSH Connection Non Standard Port",
     "host"),
    ("DropAndExecuteNewBinaryInContainer", "Drop and execute new binary in container", "docker"),
    ("ExecutionFromDevShm", "Execution from /dev/shm", "host"),
    ("FilelessExecutionViaMemfdCreate", "Fileless execution via memfd_create", "host"),
    ("FindAwsCredentials", "Find AWS Credentials", "host"),
    ("NetcatRemoteCodeExecutionInContainer", "Netcat Remote Code Execution in Container",
     "docker"),
    ("PacketSocketCreatedInContainer", "Packet socket created in container", "docker"),
    ("PtraceAntiDebugAttempt", "PTRACE anti-debug attempt", "host"),
    ("PtraceAttachedToProcess", "PTRACE attached to process", "host"),
    ("ReadSensitiveFileTrustedAfterStartup", "Read sensitive file trusted after startup", "host"),
    ("ReadSensitiveFileUntrusted", "Read sensitive file untrusted", "host"),
    ("RemoveBulkDataFromDisk", "Remove Bulk Data from Disk", "host"),
    ("RunShellUntrusted", "Run shell untrusted", "host"),
    ("SearchPrivateKeysOrPasswords", "Search Private Keys or Passwords", "host"),
    ("SystemUserInteractive", "System user interactive", "host"),
    # the stable rules without an event-generator action
    ("TerminalShellInContainer", "Terminal shell in container", "docker"),
    ("RedirectStdoutStdinToNetworkConnectionInContainer",
     "Redirect STDOUT/STDIN to Network Connection in Container", "docker"),
    ("LinuxKernelModuleInjectionDetected", "Linux Kernel Module Injection Detected", "priv"),
    ("ContactK8SAPIServerFromContainer", "Contact K8S API Server From Container", "docker"),
]

# Rules vigil cannot fire, with the reason (TAP TODO: reported, not failed)
KNOWN_GAPS = {}

# Contact K8S API Server From Container compares fd.sip.name with the API server's DNS name.
# vigil resolves the names rules mention (as Falco does); the test makes that name resolve
# to the address the action dials (127.0.0.77:443, a listener of its own in the container)
# through an /etc/hosts line it removes at the end.
K8S_HOSTS_LINE = "127.0.0.77 kubernetes.default.svc.cluster.local  # vigil test-falco-compat\n"


def hosts_add():
    with open("/etc/hosts", "a") as f:
        f.write(K8S_HOSTS_LINE)


def hosts_remove():
    try:
        with open("/etc/hosts") as f:
            lines = f.readlines()
        with open("/etc/hosts", "w") as f:
            f.writelines(x for x in lines if x != K8S_HOSTS_LINE)
    except OSError:
        pass

MORE_ACTIONS = [
    # enabled by default, incubating rules
    ("LaunchSuspiciousNetworkToolOnHost", "Launch Suspicious Network Tool on Host", "host"),
    ("MountLaunchedInPrivilegedContainer", "Mount Launched in Privileged Container", "priv"),
    # disabled by default (incubating I, sandbox S)
    ("AddingSshKeysToAuthorizedKeys", "Adding ssh keys to authorized_keys", "host"),
    ("ChangeNamespacePrivilegesViaUnshare", "Change namespace privileges via unshare", "docker"),
    ("ChangeThreadNamespace", "Change thread namespace", "host"),
    ("ContactEC2InstanceMetadataServiceFromContainer",
     "Contact EC2 Instance Metadata Service From Container", "priv"),
    ("ContainerDriftDetectedChmod", "Container Drift Detected (chmod)", "docker"),
    ("ContainerDriftDetectedOpenCreate", "Container Drift Detected (open+create)", "docker"),
    ("CreateFilesBelowDev", "Create files below dev", "host"),
    ("CreateHiddenFilesOrDirectories", "Create Hidden Files or Directories", "host"),
    ("DbProgramSpawnedProcess", "DB program spawned process", "host"),
    ("DecodingPayloadInContainer", "Decoding Payload in Container", "docker"),
    ("DeleteOrRenameShellHistory", "Delete or rename shell history", "host"),
    ("DetectCryptoMinersUsingTheStratumProtocol",
     "Detect crypto miners using the Stratum protocol", "host"),
    ("InterpretedProcsInboundNetworkActivity", "Interpreted procs inbound network activity",
     "host"),
    ("InterpretedProcsOutboundNetworkActivity", "Interpreted procs outbound network activity",
     "host"),
    ("JavaProcessClassFileDownload", "Java Process Class File Download", "host"),
    ("KubernetesClientToolLaunchedInContainer", "Kubernetes Client Tool Launched in Container",
     "docker"),
    ("LaunchIngressRemoteFileCopyToolsInContainer",
     "Launch Ingress Remote File Copy Tools in Container", "docker"),
    ("LaunchPackageManagementProcessInContainer",
     "Launch Package Management Process in Container", "docker"),
    ("LaunchRemoteFileCopyToolsInContainer", "Launch Remote File Copy Tools in Container",
     "docker"),
    ("LaunchSuspiciousNetworkToolInContainer", "Launch Suspicious Network Tool in Container",
     "docker"),
    ("MkdirBinaryDirs", "Mkdir binary dirs", "docker"),
    ("ModifyBinaryDirs", "Modify binary dirs", "docker"),
    ("ModifyContainerEntrypoint", "Modify Container Entrypoint", "docker"),
    ("ModifyShellConfigurationFile", "Modify Shell Configuration File", "host"),
    ("NonSudoSetuid", "Non sudo setuid", "host"),
    ("PolkitLocalPrivilegeEscalationVulnerabilityCVE20214034",
     "Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)", "host"),
    ("PotentialLocalPrivilegeEscalationViaEnvironmentVariablesMisuse",
     "Potential Local Privilege Escalation via Environment Variables Misuse", "host"),
    ("ProgramRunWithDisallowedHttpProxyEnv", "Program run with disallowed http proxy env", "host"),
    ("ReadEnvironmentVariableFromProcFiles", "Read environment variable from /proc files",
     "docker"),
    ("ReadShellConfigurationFile", "Read Shell Configuration File", "host"),
    ("ReadSshInformation", "Read ssh information", "host"),
    ("ScheduleCronJobs", "Schedule Cron Jobs", "host"),
    ("SetSetuidOrSetgidBit", "Set Setuid or Setgid bit", "host"),
    ("SudoPotentialPrivilegeEscalation", "Sudo Potential Privilege Escalation", "host"),
    ("SystemProcsNetworkActivity", "System procs network activity", "host"),
    ("UnexpectedUDPTraffic", "Unexpected UDP Traffic", "host"),
    ("UnprivilegedDelegationOfPageFaultsHandlingToAUserspaceProcess",
     "Unprivileged Delegation of Page Faults Handling to a Userspace Process", "host"),
    ("UserMgmtBinaries", "User mgmt binaries", "host"),
    ("WriteBelowBinaryDir", "Write below binary dir", "docker"),
    ("WriteBelowEtc", "Write below etc", "docker"),
    ("WriteBelowMonitoredDir", "Write below monitored dir", "docker"),
    ("WriteBelowRoot", "Write below root", "docker"),
    ("WriteBelowRpmDatabase", "Write below rpm database", "docker"),
]

# output fields that may be <NA> (null) in Falco too for the event the rule fires on
NULLABLE = {
    "container.image.repository",  # host, runc: no image
    "container.start_ts",  # host
    "user.loginname",  # loginuid -1 (no login session)
    "fd.name",  # rules on execve/rename/... print %fd.name: no fd
    "fd.lport", "fd.rport", "fd.l4proto",  # AF_PACKET socket: no ports/L4
    "evt.arg.flags",  # execve of a persona: no exe flags
    "evt.arg.fd",  # chmod: no fd argument
    "evt.arg.path", "evt.arg.oldpath", "evt.arg.name", "evt.arg.newpath",  # alternatives
    "container.mounts",
    "evt.arg.filename",  # Container Drift (open+create): open* events have no filename arg
}
NULLABLE_RE = re.compile(r"^proc\.a(name|exepath|exe|cmdline|pid)\[\d+\]$")
# fields that must have a value wherever they are printed (plus every other one not NULLABLE)
ALWAYS = ["evt.type", "proc.name", "proc.cmdline", "user.name", "user.uid", "container.id"]


# ---------------------------------------------------------------------------------------------
# TAP

T = Tap()


# ---------------------------------------------------------------------------------------------
# rule files: priority and output of each rule (PyYAML when present, else a small reader that
# knows the layout of Falco's files: `- rule:` items, `output:` plain or folded `>` scalar)

def rule_table(path):
    try:
        import yaml  # noqa: PLC0415
        with open(path) as f:
            doc = yaml.safe_load(f)
        return {it["rule"]: (it.get("priority"), " ".join(str(it.get("output", "")).split()),
                             it.get("enabled", True))
                for it in doc if isinstance(it, dict) and "rule" in it and "output" in it}
    except ImportError:
        pass
    rules, cur, key, buf = {}, None, None, []

    def flush():
        if cur is not None and key == "output":
            cur["output"] = " ".join(" ".join(buf).split())

    for line in open(path):
        line = line.rstrip("\n")
        m = re.match(r"^- rule:\s*(.*)$", line)
        if m or re.match(r"^- \w", line):
            flush()
            key = None
            cur = None
            if m:
                cur = {"name": m.group(1).strip().strip("\"'")}
                rules[cur["name"]] = cur
            continue
        if cur is None:
            continue
        m = re.match(r"^  (\w[\w-]*):\s*(.*)$", line)
        if m:
            flush()
            key, val = m.group(1), m.group(2)
            buf = [] if val in (">", "|", ">-", "|-") else [val]
            if key == "priority":
                cur["priority"] = val.strip()
            if key == "enabled":
                cur["enabled"] = val.strip().lower() != "false"
            continue
        if key == "output" and line.startswith("    "):
            buf.append(line.strip())
    flush()
    return {n: (r.get("priority"), r.get("output", ""), r.get("enabled", True))
            for n, r in rules.items() if "output" in r}


FIELD_RE = re.compile(r"%([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)+(?:\[[^\]]*\])?)")


def output_fields_of(output):
    return FIELD_RE.findall(output)


# ---------------------------------------------------------------------------------------------
# vigil

class Vigil:
    def __init__(self, args, workdir, name):
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.lines = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        with open(self.stderr_path, "wb") as log:
            for raw in self.proc.stderr:
                log.write(raw)
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                if "ready" in line:
                    self.ready.set()
        self.ready.set()

    def wait_ready(self, timeout=60):
        self.ready.wait(timeout)
        return self.proc.poll() is None and any("ready" in l for l in self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "timeout"
        self.t.join(10)
        return rc


def load_alerts(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        T.diag("bad JSON line: %.200s" % line)
    except OSError:
        pass
    return out


# ---------------------------------------------------------------------------------------------
# where actions run

class Env:
    """Persona directories and the three places actions run."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.tdir = os.path.join(tmp, "t")  # /t in containers
        os.makedirs(os.path.join(self.tdir, "bin"))
        shutil.copy2(EVGEN, os.path.join(self.tdir, "evgen-actions"))
        for p in PERSONAS:
            os.symlink("../evgen-actions", os.path.join(self.tdir, "bin", p))
        for d in (tmp, self.tdir, os.path.join(self.tdir, "bin")):
            os.chmod(d, 0o755)
        self.hosttmp = os.path.join(tmp, "hosttmp")
        os.makedirs(self.hosttmp)
        os.chmod(self.hosttmp, 0o1777)
        self.docker_host = None
        self.docker_why = None
        self.runc_why = None
        self.bundle = os.path.join(tmp, "bundle")

    def host_env(self):
        e = dict(os.environ)
        e["PATH"] = os.path.join(self.tdir, "bin") + ":" + e.get("PATH", "/usr/bin:/bin")
        e["TMPDIR"] = self.hosttmp
        return e

    # Docker ------------------------------------------------------------------------------
    def docker_bash(self, script, timeout=240):
        return run(["bash", "-c", 'source "%s"; %s' % (os.path.join(SRCDIR, "docker-env.sh"),
                                                         script)], timeout=timeout)

    def docker_up(self):
        if not shutil.which("dockerd") or not shutil.which("docker"):
            self.docker_why = "dockerd/docker not installed"
            return False
        r = self.docker_bash('vg_docker_up >&2 && vg_docker_test_image "%s" >&2 && '
                             'echo "DOCKER_HOST=$DOCKER_HOST"' % IMAGE)
        m = re.search(r"^DOCKER_HOST=(\S+)", r.stdout, re.M)
        if r.returncode != 0 or not m:
            self.docker_why = "engine did not start: %s" % (r.stderr.strip()[-300:])
            return False
        self.docker_host = m.group(1)
        return True

    def docker_down(self):
        self.docker_bash("vg_docker_down >&2", timeout=120)

    def docker(self, *args, timeout=120):
        return run(["docker"] + list(args), env=dict(os.environ, DOCKER_HOST=self.docker_host),
                   timeout=timeout)

    def docker_start(self, name):
        r = self.docker("run", "-d", "--name", name, "--network", "none",
                        "--security-opt", "seccomp=unconfined",
                        "--security-opt", "apparmor=unconfined",
                        "-e", "PATH=/t/bin:/bin:/sbin:/usr/bin:/usr/sbin",
                        "-v", "%s:/t:ro" % self.tdir, IMAGE, "sleep", "600")
        if r.returncode != 0:
            return None, r.stderr.strip()[-500:]
        return r.stdout.strip(), None

    # runc --------------------------------------------------------------------------------
    def runc_bundle(self):
        r = run(["bash", os.path.join(SRCDIR, "runc-env.sh"), "available"])
        if r.returncode != 0:
            self.runc_why = r.stderr.strip() or "runc not available"
            return False
        env = dict(os.environ, VG_RUNC_CAPS="ALL", VG_RUNC_NETNS="0")
        r = run(["bash", os.path.join(SRCDIR, "runc-env.sh"), "bundle", self.bundle,
                 os.path.join(self.tdir, "evgen-actions")], env=env)
        if r.returncode != 0:
            self.runc_why = "bundle: " + r.stderr.strip()[-300:]
            return False
        bindir = os.path.join(self.bundle, "rootfs", "t", "bin")
        os.makedirs(bindir, exist_ok=True)
        for p in PERSONAS:
            os.symlink("../evgen-actions", os.path.join(bindir, p))
        cfg = os.path.join(self.bundle, "config.json")
        with open(cfg) as f:
            c = json.load(f)
        # what podman sets for --privileged; vigil's runc reader maps it to container.privileged
        c.setdefault("annotations", {})["io.podman.annotations.privileged"] = "TRUE"
        c["process"]["env"] = [("PATH=/t/bin:/bin:/sbin:/usr/bin:/usr/sbin"
                                if e.startswith("PATH=") else e) for e in c["process"]["env"]]
        with open(cfg, "w") as f:
            json.dump(c, f)
        return True

    def runc_run(self, cid, actions):
        # warm-up exec (sh), 2 s for the metadata, then the actions
        script = "sleep 2; exec /t/evgen-actions run %s" % " ".join(actions)
        return run(["bash", os.path.join(SRCDIR, "runc-env.sh"), "run", cid, self.bundle,
                    "/bin/sh", "-c", script], timeout=120)


def terminal_shell(env, cid):
    """`docker exec -it CID sh -c 'exit 0'` on a pseudo-terminal (like kubectl exec -it)."""
    master, slave = pty.openpty()
    try:
        p = subprocess.Popen(["docker", "exec", "-it", cid, "sh", "-c", "exit 0"],
                             stdin=slave, stdout=slave, stderr=slave,
                             env=dict(os.environ, DOCKER_HOST=env.docker_host),
                             start_new_session=True)
        os.close(slave)
        slave = None
        deadline = time.time() + 30
        while p.poll() is None and time.time() < deadline:
            try:
                import select  # noqa: PLC0415
                r, _, _ = select.select([master], [], [], 0.2)
                if r:
                    os.read(master, 4096)
            except OSError:
                break
        if p.poll() is None:
            p.kill()
        return p.wait()
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)


# ---------------------------------------------------------------------------------------------
# one phase: start vigil, run the actions everywhere, stop, check

def run_actions(env, plan, tag):
    """plan: list of (action, rule, where). Returns {where: container id or "host"} and the
    stdout of evgen-actions (for diagnostics)."""
    ids = {"host": "host"}
    outputs = []
    host = [a for a, _, w in plan if w == "host"]
    docker = [a for a, _, w in plan if w == "docker" and a != "TerminalShellInContainer"]
    priv = [a for a, _, w in plan if w == "priv"]
    bg = None
    if "ReadSensitiveFileTrustedAfterStartup" in host:
        # 6 s of sleep as httpd: in the background while the rest runs
        host.remove("ReadSensitiveFileTrustedAfterStartup")
        bg = subprocess.Popen([EVGEN, "ReadSensitiveFileTrustedAfterStartup"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env.host_env(), text=True)
    if host:
        r = run([EVGEN, "run"] + host, env=env.host_env(), timeout=120)
        outputs.append(r.stdout + r.stderr)
        T.diag("%s host: rc=%s, %d actions" % (tag, r.returncode, len(host)))
    if docker or any(a == "TerminalShellInContainer" for a, _, w in plan):
        if env.docker_host:
            name = "evgen-%s-%06x" % (tag, random.getrandbits(24))
            full, err = env.docker_start(name)
            if not full and "Cannot connect" in (err or "") and env.docker_up():
                full, err = env.docker_start(name)  # an engine that went away: once more
            if full:
                ids["docker"] = full[:12]
                env.docker("exec", full, "/t/evgen-actions", "noop")  # warm-up: metadata
                time.sleep(2)
                if docker:
                    r = env.docker("exec", full, "/t/evgen-actions", "run", *docker)
                    outputs.append(r.stdout + r.stderr)
                    T.diag("%s docker %s: rc=%s, %d actions" % (tag, ids["docker"],
                                                                 r.returncode, len(docker)))
                if any(a == "TerminalShellInContainer" for a, _, w in plan):
                    rc = terminal_shell(env, full)
                    T.diag("%s docker exec -it: rc=%s" % (tag, rc))
                env.docker("rm", "-f", full)
            else:
                T.diag("%s docker run failed: %s" % (tag, err))
    if priv and not env.runc_why:
        cid = "evgen-%s-%08x" % (tag, random.getrandbits(32))
        r = env.runc_run(cid, priv)
        outputs.append(r.stdout + r.stderr)
        ids["priv"] = cid[:12]
        T.diag("%s runc %s: rc=%s, %d actions" % (tag, cid, r.returncode, len(priv)))
    if bg:
        try:
            o, _ = bg.communicate(timeout=60)
            outputs.append(o)
        except subprocess.TimeoutExpired:
            bg.kill()
    return ids, "\n".join(outputs)


def check_alerts(alerts, plan, rules, ids, tag, action_out):
    for action, rule, where in plan:
        label = "%s: %s -> %s (%s)" % (tag, action, rule, where)
        if where not in ids:
            why = env_why(where)
            T.skip(label, why)
            continue
        want_cid = ids[where]
        cands = [a for a in alerts if a.get("rule") == rule]
        mine = [a for a in cands if (a.get("output_fields") or {}).get("container.id") == want_cid]
        todo = KNOWN_GAPS.get(rule)
        if not T.ok(bool(mine), label + ": fires", [
                "%d alert(s) of this rule, container.id seen: %s" % (
                    len(cands), sorted(set(str((a.get("output_fields") or {})
                                               .get("container.id")) for a in cands))),
                "rules fired: %s" % sorted(set(a.get("rule") for a in alerts))[:60],
                "evgen-actions: %s" % " | ".join(l for l in action_out.splitlines()
                                                 if action in l)[:400]], todo=todo):
            continue
        a = mine[0]
        prio, output, _ = rules[rule]
        want_prio = PRIO.get(str(prio).lower(), prio)
        T.ok(a.get("priority") == want_prio, label + ": priority %s" % want_prio,
             ["got %r" % a.get("priority")])
        of = a.get("output_fields") or {}
        fields = output_fields_of(output)
        missing = [f for f in fields if f not in of]
        nulls = [f for f in fields + ALWAYS if f in of and of[f] is None
                 and f not in NULLABLE and not NULLABLE_RE.match(f)]
        absent = [f for f in ALWAYS if f not in of]
        T.ok(not missing and not nulls and not absent,
             label + ": output_fields has every %%field (%d) with a value" % len(fields),
             ["missing: %s" % missing, "null: %s" % nulls, "absent: %s" % absent,
              "output_fields: %s" % json.dumps(of)[:900]])
        text = a.get("output", "")
        m = re.match(r"^\d\d:\d\d:\d\d\.\d{9}: (\w+) ", text)
        T.ok(bool(m) and m.group(1) == want_prio and
             a.get("source") == "syscall" and isinstance(a.get("time"), str) and
             a.get("time", "").endswith("Z") and isinstance(a.get("tags"), list),
             label + ": JSON alert shape (output 'HH:MM:SS.ns: %s ...', time, source, tags)"
             % want_prio, ["alert: %s" % json.dumps(a)[:600]])


ENV = None


def env_why(where):
    if where == "docker":
        return ENV.docker_why or "Docker engine not available"
    if where == "priv":
        return ENV.runc_why or "runc not available"
    return "not run"


def phase(env, tag, files, plan, extra_args, rules):
    out = os.path.join(env.tmp, tag + ".json")
    args = [VIGIL, "watch", "--format", "json", "-o", out, "--alert-rate", "0"]
    for f in files:
        args += ["-r", f]
    args += extra_args
    if env.docker_host and env.docker_host.startswith("unix://"):
        args += ["--docker-socket", env.docker_host[len("unix://"):]]
    T.diag("%s: %s" % (tag, " ".join(args)))
    v = Vigil(args, env.tmp, tag)
    if not T.ok(v.wait_ready(), "%s: vigil watch ready" % tag, v.lines[-10:]):
        v.stop()
        return
    t0 = time.time()
    ids, action_out = run_actions(env, plan, tag)
    time.sleep(1.0)
    rc = v.stop()
    T.diag("%s: actions took %.1fs" % (tag, time.time() - t0))
    T.ok(rc == 0, "%s: vigil exits 0 on SIGTERM" % tag, ["rc=%s" % rc] + v.lines[-10:])
    alerts = load_alerts(out)
    T.diag("%s: %d alerts" % (tag, len(alerts)))
    check_alerts(alerts, plan, rules, ids, tag, action_out)


def text_phase(env, rules):
    """--format text: `HH:MM:SS.nnnnnnnnn: Warning Sensitive file opened ...`"""
    out = os.path.join(env.tmp, "text.out")
    args = [VIGIL, "watch", "-r", STABLE, "--format", "text", "-o", out, "--alert-rate", "0"]
    v = Vigil(args, env.tmp, "text")
    if not T.ok(v.wait_ready(), "text: vigil watch ready", v.lines[-10:]):
        v.stop()
        return
    run([EVGEN, "ReadSensitiveFileUntrusted"], env=env.host_env())
    time.sleep(1.0)
    v.stop()
    try:
        lines = [l for l in open(out).read().splitlines() if l.strip()]
    except OSError:
        lines = []
    prefix = rules["Read sensitive file untrusted"][1].split("|")[0].strip()
    pat = re.compile(r"^\d\d:\d\d:\d\d\.\d{9}: Warning " + re.escape(prefix) + r" \| file=/etc/shadow ")
    T.ok(any(pat.match(l) for l in lines),
         "text: alert line is 'HH:MM:SS.nnnnnnnnn: Warning %s | file=/etc/shadow ...'" % prefix,
         lines[:5] or ["no output"])


def override_file(tmp, rules_by_file):
    """Enable the sandbox rules that are `enabled: false` (what a user does to use them)."""
    path = os.path.join(tmp, "enable-disabled.yaml")
    names = []
    for _, table in rules_by_file:
        names += [n for n, (_, _, en) in table.items() if not en]
    with open(path, "w") as f:
        for n in names:
            f.write("- rule: %s\n  enabled: true\n  override:\n    enabled: replace\n\n"
                    % json.dumps(n))
    return path, names


def main():
    global ENV
    t_start = time.time()
    if os.geteuid() != 0:
        T.skip("Falco compatibility gate", "needs root")
        return T.done()
    for f in (STABLE, INCUBATING, SANDBOX, VIGIL, EVGEN):
        if not os.path.exists(f):
            T.skip("Falco compatibility gate", "%s missing" % f)
            return T.done()
    stable = rule_table(STABLE)
    incub = rule_table(INCUBATING)
    sandbox = rule_table(SANDBOX)
    allrules = dict(stable)
    allrules.update(incub)
    allrules.update(sandbox)
    for _, rule, _ in STABLE_ACTIONS:
        assert rule in stable, rule
    for _, rule, _ in MORE_ACTIONS:
        assert rule in allrules, rule
    keep = os.environ.get("VG_KEEP") == "1"
    tmp = tempfile.mkdtemp(prefix="vg-falco-")
    T.diag("work dir: %s" % tmp)
    env = ENV = Env(tmp)
    docker_started = False
    hosts_remove()
    hosts_add()
    atexit.register(hosts_remove)
    try:
        if env.docker_up():
            docker_started = True
            T.diag("docker: %s" % env.docker_host)
        else:
            T.diag("docker: %s" % env.docker_why)
        if not env.runc_bundle():
            T.diag("runc: %s" % env.runc_why)
        phase(env, "A", [STABLE], STABLE_ACTIONS, [], stable)
        over, enabled = override_file(tmp, [("sandbox", sandbox), ("incubating", incub)])
        T.diag("B: enabling %d disabled rules: %s" % (len(enabled), ", ".join(enabled)))
        phase(env, "B", [STABLE, INCUBATING, SANDBOX, over], MORE_ACTIONS,
              ["--rule-matching", "all", "--env"], allrules)
        text_phase(env, stable)
    except Exception:  # noqa: BLE001
        import traceback  # noqa: PLC0415
        T.ok(False, "test harness completed", traceback.format_exc().splitlines())
    finally:
        if docker_started:
            env.docker_down()
        art = os.environ.get("VG_BUILDDIR")
        if art:
            dst = os.path.join(art, "falco-compat-artifacts")
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(tmp, dst, symlinks=True,
                            ignore=shutil.ignore_patterns("bundle", "t", "hosttmp"))
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    T.diag("runtime: %.1fs" % (time.time() - t_start))
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
