#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil audit k8s over a directory of generated manifests (TAP).

The test writes one compliant pod and, for every Pod Security Standards control, a workload
(cycling through Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob, as YAML
or JSON) that breaks exactly that control; the expected failed controls of each object come
from the PSS definitions written below, not from vigil. It then checks the JSON report, the
SARIF 2.1.0 structure, the JUnit XML (xml.etree), the table, benchmark selection, scores,
suppressions with expiry, -r rules and exit codes. No root needed.
"""
import copy
import datetime
import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vgtest import Tap, find_binary, run  # noqa: E402

VIGIL = find_binary("VIGIL", ["build/src/cli/vigil"])

BASELINE = ["windowsHostProcess", "hostNamespaces", "privileged", "capabilities_baseline",
            "hostPathVolumes", "hostPorts", "appArmorProfile", "seLinuxOptions", "procMount",
            "seccompProfile_baseline", "sysctls", "hostProbesAndHostLifecycle"]
RESTRICTED_ONLY = ["restrictedVolumes", "allowPrivilegeEscalation", "runAsNonRoot",
                   "runAsUser", "seccompProfile_restricted", "capabilities_restricted",
                   "procMount_restricted"]
# a restricted check replaces its baseline counterpart at the restricted level
OVERRIDES = {"restrictedVolumes": "hostPathVolumes",
             "seccompProfile_restricted": "seccompProfile_baseline",
             "capabilities_restricted": "capabilities_baseline",
             "procMount_restricted": "procMount"}
RESTRICTED = [c for c in BASELINE if c not in OVERRIDES.values()] + RESTRICTED_ONLY


def compliant_spec():
    """A PodSpec that passes the restricted level."""
    return {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{
            "name": "app", "image": "nginx:1.27",
            "securityContext": {"allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"]}},
        }],
    }


def c0(spec):
    return spec["containers"][0]


def csc(spec):
    return c0(spec)["securityContext"]


# One violation per case: (name, mutate(spec, annotations), failed under baseline, failed under
# restricted), from the PSS definitions (policy/check_*.go).
def m_host_process(s, a):
    s["securityContext"]["windowsOptions"] = {"hostProcess": True}


def m_host_pid(s, a):
    s["hostPID"] = True


def m_privileged(s, a):
    csc(s)["privileged"] = True


def m_net_raw(s, a):
    csc(s)["capabilities"] = {"add": ["NET_RAW"]}


def m_net_raw_drop_all(s, a):
    csc(s)["capabilities"] = {"drop": ["ALL"], "add": ["NET_RAW"]}


def m_host_path(s, a):
    s["volumes"] = [{"name": "root", "hostPath": {"path": "/"}}]


def m_host_port(s, a):
    c0(s)["ports"] = [{"containerPort": 80, "hostPort": 80}]


def m_apparmor_annotation(s, a):
    a["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined"


def m_selinux(s, a):
    s["securityContext"]["seLinuxOptions"] = {"type": "spc_t"}


def m_proc_mount(s, a):
    csc(s)["procMount"] = "Unmasked"


def m_seccomp_unconfined(s, a):
    csc(s)["seccompProfile"] = {"type": "Unconfined"}


def m_sysctl(s, a):
    s["securityContext"]["sysctls"] = [{"name": "kernel.msgmax", "value": "65536"}]


def m_probe_host(s, a):
    c0(s)["livenessProbe"] = {"httpGet": {"host": "169.254.169.254", "port": 80}}


def m_nfs(s, a):
    s["volumes"] = [{"name": "n", "nfs": {"server": "nfs", "path": "/"}}]


def m_ape(s, a):
    del csc(s)["allowPrivilegeEscalation"]


def m_non_root(s, a):
    del s["securityContext"]["runAsNonRoot"]


def m_uid0(s, a):
    csc(s)["runAsUser"] = 0


def m_no_seccomp(s, a):
    del s["securityContext"]["seccompProfile"]


def m_no_drop(s, a):
    del csc(s)["capabilities"]


def m_userns_unmasked(s, a):
    s["hostUsers"] = False
    csc(s)["procMount"] = "Unmasked"


CASES = [
    ("host-process", m_host_process, ["windowsHostProcess"], ["windowsHostProcess"]),
    ("host-pid", m_host_pid, ["hostNamespaces"], ["hostNamespaces"]),
    ("privileged", m_privileged, ["privileged"], ["privileged"]),
    ("net-raw", m_net_raw, ["capabilities_baseline"], ["capabilities_restricted"]),
    ("net-raw-drop-all", m_net_raw_drop_all, ["capabilities_baseline"],
     ["capabilities_restricted"]),
    ("host-path", m_host_path, ["hostPathVolumes"], ["restrictedVolumes"]),
    ("host-port", m_host_port, ["hostPorts"], ["hostPorts"]),
    ("apparmor", m_apparmor_annotation, ["appArmorProfile"], ["appArmorProfile"]),
    ("selinux", m_selinux, ["seLinuxOptions"], ["seLinuxOptions"]),
    ("proc-mount", m_proc_mount, ["procMount"], ["procMount_restricted"]),
    ("seccomp-unconfined", m_seccomp_unconfined, ["seccompProfile_baseline"],
     ["seccompProfile_restricted"]),
    ("sysctl", m_sysctl, ["sysctls"], ["sysctls"]),
    ("probe-host", m_probe_host, ["hostProbesAndHostLifecycle"],
     ["hostProbesAndHostLifecycle"]),
    ("nfs", m_nfs, [], ["restrictedVolumes"]),
    ("ape-unset", m_ape, [], ["allowPrivilegeEscalation"]),
    ("non-root-unset", m_non_root, [], ["runAsNonRoot"]),
    ("uid0", m_uid0, [], ["runAsUser"]),
    ("seccomp-unset", m_no_seccomp, [], ["seccompProfile_restricted"]),
    ("no-drop", m_no_drop, [], ["capabilities_restricted"]),
    ("userns-unmasked", m_userns_unmasked, [], ["procMount_restricted"]),
]

KINDS = ["Pod", "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob"]
API = {"Pod": "v1", "Job": "batch/v1", "CronJob": "batch/v1"}


def workload(kind, name, spec, annotations):
    meta = {"name": name, "namespace": "audit"}
    if kind == "Pod":
        if annotations:
            meta["annotations"] = annotations
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
    tmpl = {"metadata": {"annotations": annotations} if annotations else {}, "spec": spec}
    if kind == "CronJob":
        body = {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": tmpl}}}
    else:
        body = {"template": tmpl}
    return {"apiVersion": API.get(kind, "apps/v1"), "kind": kind, "metadata": meta, "spec": body}


def to_yaml(v, indent=0):
    """A small YAML emitter (block mappings/sequences, JSON-quoted scalars)."""
    pad = " " * indent
    if isinstance(v, dict):
        if not v:
            return "{}"
        out = []
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append("%s%s:\n%s" % (pad, k, to_yaml(x, indent + 2)))
            else:
                out.append("%s%s: %s" % (pad, k, to_yaml(x, 0)))
        return "\n".join(out)
    if isinstance(v, list):
        if not v:
            return "[]"
        out = []
        for x in v:
            if isinstance(x, (dict, list)) and x:
                inner = to_yaml(x, indent + 2).lstrip()
                out.append("%s- %s" % (pad, inner))
            else:
                out.append("%s- %s" % (pad, to_yaml(x, 0)))
        return "\n".join(out)
    return json.dumps(v)


def write_tree(d):
    """Writes the manifests; returns {(file, name): (baseline set, restricted set)}."""
    expect = {}
    os.makedirs(os.path.join(d, "nested", "deeper"))
    spec = compliant_spec()
    p = os.path.join(d, "compliant.yaml")
    with open(p, "w") as f:
        f.write(to_yaml(workload("Pod", "compliant", spec, {})) + "\n")
    expect[(p, "compliant")] = (set(), set())
    LINES[(p, "compliant")] = 1
    for i, (name, mutate, base, restr) in enumerate(CASES):
        kind = KINDS[i % len(KINDS)]
        spec, ann = compliant_spec(), {}
        mutate(spec, ann)
        obj = workload(kind, name, spec, ann)
        sub = ["", "nested", os.path.join("nested", "deeper")][i % 3]
        if i % 2:
            p = os.path.join(d, sub, name + ".json")
            with open(p, "w") as f:
                json.dump(obj, f, indent="\t")
        else:
            p = os.path.join(d, sub, name + ".yaml")
            with open(p, "w") as f:
                f.write("# generated: breaks %s\n" % ",".join(restr))
                f.write(to_yaml(obj) + "\n")
        expect[(p, name)] = (set(base), set(restr))
        LINES[(p, name)] = 1 if p.endswith(".json") else 2  # after the comment line
    # two documents in one file, the second a kind: List
    p = os.path.join(d, "multi.yaml")
    s1, s2 = compliant_spec(), compliant_spec()
    s2["hostIPC"] = True
    lst = {"apiVersion": "v1", "kind": "List",
           "items": [workload("Deployment", "in-list", s2, {})]}
    with open(p, "w") as f:
        f.write("---\n" + to_yaml(workload("Pod", "first", s1, {})) + "\n---\n")
        f.write(to_yaml(lst) + "\n")
    expect[(p, "first")] = (set(), set())
    LINES[(p, "first")] = 2
    with open(p) as f:
        LINES[(p, "in-list")] = 1 + f.read().splitlines().index('  - apiVersion: "apps/v1"')
    expect[(p, "in-list")] = ({"hostNamespaces"}, {"hostNamespaces"})
    with open(os.path.join(d, "configmap.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    with open(os.path.join(d, "README.txt"), "w") as f:
        f.write("kind: Pod\nspec: {hostPID: true}\n")  # not a manifest name: not read
    return expect


def vigil(*args, timeout=120):
    return run([VIGIL, "audit"] + list(args), timeout=timeout)


def failed_by_object(report):
    return {(o["file"], o["name"]): set(o["failed_controls"]) for o in report["objects"]}


def check_sarif(t, s, n_findings):
    """SARIF 2.1.0: the properties the specification requires, and consistency."""
    problems = []
    if s.get("version") != "2.1.0" or "sarif-2.1.0" not in s.get("$schema", ""):
        problems.append("version/$schema")
    runs = s.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        return t.ok(False, "SARIF: one run", [json.dumps(s)[:500]])
    r = runs[0]
    drv = r.get("tool", {}).get("driver", {})
    if not drv.get("name"):
        problems.append("tool.driver.name empty")
    rules = drv.get("rules", [])
    ids = [x.get("id") for x in rules]
    if len(set(ids)) != len(ids) or not all(ids):
        problems.append("rule ids missing or duplicated")
    for x in rules:
        sev = x.get("properties", {}).get("security-severity")
        try:
            if not 0 <= float(sev) <= 10:
                problems.append("security-severity out of range")
        except (TypeError, ValueError):
            problems.append("security-severity %r" % sev)
        if not x.get("shortDescription", {}).get("text"):
            problems.append("rule without shortDescription.text")
        if x.get("defaultConfiguration", {}).get("level") not in ("error", "warning", "note"):
            problems.append("defaultConfiguration.level")
    results = r.get("results", [])
    if len(results) != n_findings:
        problems.append("%d results for %d findings" % (len(results), n_findings))
    for res in results:
        if not res.get("message", {}).get("text"):
            problems.append("result without message.text")
        i = res.get("ruleIndex")
        if not isinstance(i, int) or i >= len(rules) or rules[i]["id"] != res.get("ruleId"):
            problems.append("ruleIndex/ruleId mismatch")
        if res.get("level") not in ("error", "warning", "note"):
            problems.append("level")
        loc = res.get("locations", [{}])[0].get("physicalLocation", {})
        uri = loc.get("artifactLocation", {}).get("uri", "")
        line = loc.get("region", {}).get("startLine")
        if not uri or " " in uri or not isinstance(line, int) or line < 1:
            problems.append("physicalLocation %r %r" % (uri, line))
        for sup in res.get("suppressions", []):
            if sup.get("kind") not in ("inSource", "external") or not sup.get("justification"):
                problems.append("suppression")
    inv = r.get("invocations", [{}])[0]
    if inv.get("executionSuccessful") is not True:
        problems.append("invocations[0].executionSuccessful")
    return t.ok(not problems, "SARIF 2.1.0 structure (%d results, %d rules)"
                % (len(results), len(rules)), sorted(set(problems))[:20])


LINES = {}  # (file, name) -> line the object starts at, known from how it was written


def main():
    t = Tap()
    if not os.path.exists(VIGIL):
        t.ok(False, "vigil binary exists", [VIGIL])
        return t.done()
    with tempfile.TemporaryDirectory(prefix="vg-audit-k8s-") as d:
        tree = os.path.join(d, "manifests")
        os.makedirs(tree)
        expect = write_tree(tree)

        # ---- JSON, restricted (the default level) ---------------------------------------
        r = vigil("k8s", tree, "--format", "json")
        try:
            rep = json.loads(r.stdout)
        except ValueError:
            t.ok(False, "JSON report parses", [r.stdout[:500], r.stderr[:500]])
            return t.done()
        t.ok(r.returncode == 0, "findings without --exit-code exit 0", [str(r.returncode),
                                                                         r.stderr[:500]])
        got = failed_by_object(rep)
        want = {k: v[1] for k, v in expect.items()}
        t.ok(got == want, "restricted: every object fails exactly its expected controls (%d "
             "objects)" % len(want),
             ["%s: got %s want %s" % (k, sorted(got.get(k, [])), sorted(want.get(k, [])))
              for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)])
        t.ok(sorted(c["id"] for c in rep["controls"]) == sorted(RESTRICTED),
             "restricted: %d controls, overridden baseline checks left out" % len(RESTRICTED),
             [str(sorted(c["id"] for c in rep["controls"]))])
        files = {f["path"]: f for f in rep["files"]}
        t.ok(files.get(os.path.join(tree, "configmap.yaml"), {}).get("status")
             == "not-applicable", "a file without pod-bearing objects is not applicable",
             [json.dumps(rep["files"])[:800]])
        t.ok(os.path.join(tree, "README.txt") not in files
             and len(files) == len(CASES) + 3,
             "directories are walked for *.yaml/*.yml/*.json only", [str(sorted(files))])
        n_obj = len(expect)
        failed_total = sum(len(v[1]) for v in expect.values())
        s = rep["summary"]
        t.ok(s["objects"] == n_obj and s["checks"] == n_obj * len(RESTRICTED)
             and s["failed"] == failed_total and s["passed"] == s["checks"] - failed_total,
             "summary score: %d objects, %d checks, %d failed" % (n_obj, n_obj *
                                                                  len(RESTRICTED),
                                                                  failed_total),
             [json.dumps(s)])
        bad_scores = [o for o in rep["objects"]
                      if o["controls"]["failed"] != len(o["failed_controls"])
                      or o["controls"]["passed"] + o["controls"]["failed"] != len(RESTRICTED)]
        t.ok(not bad_scores, "per-object scores add up", [json.dumps(bad_scores)[:800]])
        # findings name the container for container checks and the pod for pod checks
        fi = rep["findings"]
        priv = [f for f in fi if f["control"] == "privileged"]
        hostns = [f for f in fi if f["control"] == "hostNamespaces"]
        t.ok(priv and all(f["container"] == "app" for f in priv)
             and hostns and all(f["container"] is None for f in hostns),
             "container checks name the container, pod checks do not",
             [json.dumps(priv + hostns)[:800]])
        kinds = {f["kind"] for f in fi}
        t.ok(set(KINDS) <= kinds, "findings from every workload kind", [str(sorted(kinds))])
        wrong_lines = []
        for f in fi:
            if f["container"] is None:
                want_line = LINES[(f["file"], f["name"])]
                if f["line"] != want_line:
                    wrong_lines.append("%s %s: line %d, expected %d" % (
                        f["file"], f["name"], f["line"], want_line))
        t.ok(not wrong_lines, "pod findings point at the object's first line", wrong_lines)
        t.ok(all(f["file"] in dict(files) and f["output"] and "pss-restricted" in f["tags"]
                 or "pss-baseline" in f["tags"] for f in fi),
             "findings carry file, output and benchmark tags")

        # ---- baseline --------------------------------------------------------------------
        r = vigil("k8s", tree, "--format", "json", "--benchmark", "pss-baseline")
        rep_b = json.loads(r.stdout) if r.stdout.startswith("{") else {"objects": [],
                                                                       "controls": []}
        got = failed_by_object(rep_b)
        want = {k: v[0] for k, v in expect.items()}
        t.ok(got == want, "baseline: every object fails exactly its expected controls",
             ["%s: got %s want %s" % (k, sorted(got.get(k, [])), sorted(want.get(k, [])))
              for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)])
        t.ok(sorted(c["id"] for c in rep_b["controls"]) == sorted(BASELINE),
             "baseline: the 12 baseline controls", [str(rep_b["controls"])[:500]])
        r2 = vigil("k8s", tree, "--format", "json", "--benchmark", "pss-restricted")
        t.ok(r2.returncode == 0 and json.loads(r2.stdout)["objects"] == rep["objects"],
             "--benchmark pss-restricted equals the default selection")

        # ---- SARIF -----------------------------------------------------------------------
        r = vigil("k8s", tree, "--format", "sarif")
        try:
            check_sarif(t, json.loads(r.stdout), len(rep["findings"]))
        except ValueError as e:
            t.ok(False, "SARIF parses", [repr(e), r.stdout[:500]])

        # ---- JUnit -----------------------------------------------------------------------
        r = vigil("k8s", tree, "--format", "junit")
        try:
            root = ET.fromstring(r.stdout)
            suites = root.findall("testsuite")
            cases = root.findall("testsuite/testcase")
            failures = root.findall("testsuite/testcase/failure")
            skipped = root.findall("testsuite/testcase/skipped")
            t.ok(root.tag == "testsuites" and len(suites) == n_obj + 1
                 and len(cases) == n_obj * len(RESTRICTED) + 1
                 and len(failures) == failed_total and len(skipped) == 1
                 and int(root.get("failures")) == failed_total,
                 "JUnit XML: one suite per object (+1 not applicable), one case per control, "
                 "one failure per failed control",
                 ["suites %d cases %d failures %d skipped %d" % (len(suites), len(cases),
                                                                 len(failures), len(skipped))])
            names = {c.get("name") for c in cases}
            t.ok(set(RESTRICTED) <= names, "JUnit test cases are the controls")
        except ET.ParseError as e:
            t.ok(False, "JUnit XML parses", [repr(e), r.stdout[:500]])

        # ---- table -----------------------------------------------------------------------
        r = vigil("k8s", tree)
        t.ok(r.returncode == 0 and "not applicable" in r.stdout
             and "Summary: %d objects" % n_obj in r.stdout
             and "%d failed" % failed_total in r.stdout,
             "table: per-object scores, not applicable, summary", [r.stdout[-600:]])

        # ---- exit codes ------------------------------------------------------------------
        r = vigil("k8s", tree, "--exit-code", "3", "-o", os.path.join(d, "out.json"),
                  "--format", "json")
        t.ok(r.returncode == 3 and json.load(open(os.path.join(d, "out.json")))["summary"]
             ["failed"] == failed_total, "--exit-code 3 on failures, -o writes the report",
             [str(r.returncode), r.stderr[:300]])
        comp = os.path.join(tree, "compliant.yaml")
        r = vigil("k8s", comp, "--exit-code", "3")
        t.ok(r.returncode == 0, "a compliant manifest exits 0 with --exit-code",
             [str(r.returncode), r.stdout[-300:]])
        bad = os.path.join(d, "bad.yaml")
        with open(bad, "w") as f:
            f.write("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
                    "      privileged: \"yes\"\n")
        r = vigil("k8s", bad, comp)
        t.ok(r.returncode == 1 and bad + ":6:19:" in r.stderr and "boolean" in r.stderr,
             "a type error exits 1 with file:line:col", [str(r.returncode), r.stderr[:300]])
        with open(bad, "w") as f:
            f.write("kind: Pod\nspec: [unclosed\n")
        r = vigil("k8s", bad)
        t.ok(r.returncode == 1 and bad + ":" in r.stderr, "malformed YAML exits 1 with its "
             "position", [str(r.returncode), r.stderr[:300]])
        r = vigil("k8s", os.path.join(d, "missing.yaml"))
        t.ok(r.returncode == 1 and "missing.yaml" in r.stderr, "a missing file exits 1",
             [str(r.returncode), r.stderr[:300]])
        for args, what in ((["k8s"], "no FILE"), (["k8s", comp, "--format", "xml"],
                                                    "unknown format"),
                           (["k8s", comp, "--benchmark", "cis"], "unknown benchmark"),
                           (["k8s", comp, "--exit-code", "x"], "bad --exit-code"),
                           (["nope", comp], "unknown target"), ([], "no target"),
                           (["k8s", comp, "--bogus"], "unknown option")):
            r = vigil(*args)
            t.ok(r.returncode == 2, "usage error exits 2: %s" % what, [str(r.returncode),
                                                                      r.stderr[:200]])

        # ---- suppressions ----------------------------------------------------------------
        today = datetime.date.today()
        future = (today + datetime.timedelta(days=30)).isoformat()
        past = (today - datetime.timedelta(days=1)).isoformat()
        ign = os.path.join(d, "vigilignore")
        with open(ign, "w") as f:
            f.write("# suppressions\n")
            f.write('pss/privileged file=*privileged* exp=%s reason="lab cluster"\n' % future)
            f.write('"PSS hostPorts - host port" name=Pod/host-port exp=%s '
                    'reason="expired"\n' % past)
            f.write('hostNamespaces name=*/nothing-by-that-name reason="never matches"\n')
        r = vigil("k8s", tree, "--format", "json", "--ignorefile", ign)
        rs = json.loads(r.stdout)
        sup = [f for f in rs["findings"] if f["suppressed"]]
        t.ok(len(sup) == 1 and sup[0]["control"] == "privileged"
             and sup[0]["suppression"]["reason"] == "lab cluster"
             and sup[0]["suppression"]["expires"] == future,
             "a suppression with a future expiry suppresses its finding",
             [json.dumps(sup)[:500]])
        t.ok(rs["summary"]["failed"] == failed_total - 1 and rs["summary"]["suppressed"] == 1,
             "a suppressed finding does not fail its control", [json.dumps(rs["summary"])])
        t.ok("expired" in r.stderr and "hostPorts" in r.stderr
             and any(f["control"] == "hostPorts" and not f["suppressed"]
                     for f in rs["findings"]),
             "an expired suppression counts again and is reported", [r.stderr[:400]])
        r = vigil("k8s", tree, "--format", "sarif", "--ignorefile", ign)
        res = json.loads(r.stdout)["runs"][0]["results"]
        t.ok(sum(1 for x in res if x.get("suppressions")) == 1,
             "SARIF marks the suppressed result")
        only = next(k[0] for k in expect if k[1] == "privileged")
        r = vigil("k8s", only, "--exit-code", "4", "--ignorefile", ign)
        t.ok(r.returncode == 0, "all findings suppressed: exit 0 despite --exit-code",
             [str(r.returncode), r.stdout[-400:]])
        with open(ign, "w") as f:
            f.write("privileged exp=2026-02-30 reason=x\n")
        r = vigil("k8s", only, "--ignorefile", ign)
        t.ok(r.returncode == 1 and ign + ":1:" in r.stderr, "a bad ignore file exits 1 with "
             "its position", [str(r.returncode), r.stderr[:300]])

        # ---- -r: extend and replace rules ------------------------------------------------
        extra = os.path.join(d, "extra.yaml")
        with open(extra, "w") as f:
            f.write("""- rule: Image without digest
  desc: images should be pinned by digest
  condition: not container.image contains "@sha256:"
  output: Image not pinned (%k8s.file:%container.line %k8s.object container=%container.name image=%container.image)
  priority: NOTICE
  source: k8s_container
  tags: [k8s, custom/pinning]
- rule: PSS privileged - privileged container
  desc: replaced by the user
  condition: container.privileged = true and not k8s.namespace = audit
  output: replaced (%container.name)
  priority: CRITICAL
  source: k8s_container
  tags: [k8s, pss-baseline, pss/privileged, K01]
""")
        r = vigil("k8s", tree, "--format", "json", "-r", extra)
        rr = json.loads(r.stdout) if r.stdout.startswith("{") else {"findings": []}
        pinned = [f for f in rr["findings"] if f["rule"] == "Image without digest"]
        t.ok(len(pinned) >= len(expect) and all(f["container"] for f in pinned),
             "-r adds a rule of the k8s_container source", [r.stderr[:400]])
        t.ok(not any(f["control"] == "privileged" for f in rr["findings"]),
             "-r replaces a built-in rule of the same name", [r.stderr[:400]])
        r = vigil("k8s", tree, "--format", "json", "-r", extra, "--benchmark", "pss-baseline")
        rb = json.loads(r.stdout) if r.stdout.startswith("{") else {"findings": []}
        t.ok(not any(f["rule"] == "Image without digest" for f in rb["findings"]),
             "--benchmark leaves out rules without its tag")
        with open(extra, "w") as f:
            f.write("- rule: broken\n  desc: d\n  condition: container.nope = 1\n  output: x\n"
                    "  priority: NOTICE\n  source: k8s_container\n")
        r = vigil("k8s", comp, "-r", extra)
        t.ok(r.returncode == 1 and "extra.yaml:3:" in r.stderr and "container.nope" in r.stderr,
             "a rule error exits 1 with file:line:col", [str(r.returncode), r.stderr[:300]])
        # `vigil rules` knows the audit sources: it checks audit rule files too
        pss = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "rules",
                           "audit", "pss.yaml")
        r = run([VIGIL, "rules", "validate", pss])
        t.ok(r.returncode == 0 and "0 errors" in r.stderr,
             "vigil rules validate rules/audit/pss.yaml: 0 errors", [r.stderr[-300:]])
        r = run([VIGIL, "rules", "validate", extra])
        t.ok(r.returncode != 0 and "extra.yaml:3:" in r.stderr,
             "vigil rules validate reports an audit rule's error at file:line:col",
             [r.stderr[-300:]])
        r = run([VIGIL, "rules", "fields", "--source", "k8s_container"])
        t.ok(r.returncode == 0 and "container.privileged" in r.stdout,
             "vigil rules fields lists the k8s_container fields", [r.stdout[:300]])
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
