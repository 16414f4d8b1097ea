#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil scan --scanners vuln on real images and real feeds (issue 5, "Real-data tests").

Every expectation is computed here from the feed files and the images themselves, never
from vigil's own output:
  * Alpine: the secdb YAML of v3.10/v3.11 imported; the alpine-310/311 fixture images have
    no vulnerable package; the alpine-310 image with a second layer that rewrites
    lib/apk/db/installed to versions below every fix has exactly the (origin, id) pairs
    the secdb lists, attributed to layer 1.
  * Go: the Go binaries of Debian's docker.io, containerd and runc packages copied into a
    rootfs, Go-all.zip imported; the GO ids equal the records whose ranges contain each
    binary's Go version (build info parsed here, ranges evaluated here).
  * Debian: the cached debootstrap rootfs relabelled as bullseye with every package at
    version 0.1-1; the DSA and DLA lists imported; findings equal the (source, id) pairs of
    the bullseye rows, minus <not-affected> ones (dpkg --compare-versions).
Then the command's contract: formats (JSON, SARIF runs, CycloneDX 1.5 + VEX validated with
the CycloneDX library), --severity, --ignore-unfixed, .vigilignore, OpenVEX, --exit-code.
"""
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vgtest  # noqa: E402

VIGIL = vgtest.find_binary("VIGIL", ["build/src/cli/vigil"])
DATA = os.environ.get("VG_DATA_DIR", os.path.join(vgtest.ROOT, "..", "shared", "data"))
IMAGES = os.path.join(DATA, "images")

t = vgtest.Tap()
tmp = tempfile.mkdtemp(prefix="vg-scan-")


def load_helper(name):
    """test-sbom.py / test-vuln-db.py as modules, for their fixture builders and parsers."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    spec = importlib.util.spec_from_file_location(name.replace("-", "_")[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


sbomt = load_helper("test-sbom.py")


def scan(*args, timeout=600):
    return vgtest.run([VIGIL, "scan"] + list(args), timeout=timeout)


def scan_json(what, *args):
    r = scan("--format", "json", *args)
    if r.returncode != 0:
        t.diag("%s: exit %d: %s" % (what, r.returncode, r.stderr[-1500:]))
        return None
    try:
        return json.loads(r.stdout)
    except ValueError as e:
        t.diag("%s: not JSON: %s" % (what, e))
        return None


def import_db(db, *paths):
    r = vgtest.run([VIGIL, "db", "import", "--db", db] + list(paths), timeout=300)
    return t.ok(r.returncode == 0, "db import %s" % ", ".join(os.path.basename(p) for p in paths),
                [r.stderr[-1000:]])


# ------------------------------------------------------------------------------- Alpine

def secdb_rows(path):
    """[(origin, fixed_version, id)] read line by line (the YAML quirks of the README)."""
    rows, pkg, ver = [], None, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^\s+name:\s*(\S+)\s*$", line)
        if m:
            pkg, ver = m.group(1), None
            continue
        m = re.match(r"^\s{8}(['\"]?)([^\s'\"]+)\1:\s*$", line)
        if m and pkg:
            ver = m.group(2)
            continue
        m = re.match(r"^\s{8,}- (.*)$", line)
        if m and pkg and ver:
            s = m.group(1).strip().strip("'\"")
            cve = re.match(r"^CVE[ _-](\d{4}-\d+)", s)
            ident = "CVE-" + cve.group(1) if cve else (s.split()[0].rstrip(",;:)") if s else "")
            if re.match(r"^[A-Z][A-Z0-9]*-\S+$", ident):
                rows.append((pkg, ver, ident))
    return rows


def apk_installed(data):
    """[(name, version, origin)] of an installed database."""
    out, cur = [], {}
    for line in data.decode().split("\n") + [""]:
        if not line:
            if "P" in cur:
                out.append((cur["P"], cur.get("V"), cur.get("o", cur["P"])))
            cur = {}
        elif len(line) > 2 and line[1] == ":":
            cur.setdefault(line[0], line[2:])
    return out


def alpine_tests():
    db = os.path.join(tmp, "alpine.db")
    files = [os.path.join(DATA, "alpine-secdb", v, f) for v in ("v3.10", "v3.11")
             for f in ("main.yaml", "community.yaml")]
    if not import_db(db, *files):
        return
    for img in ("alpine-310.docker.tar.gz", "alpine-311.docker.tar.gz"):
        doc = scan_json(img, "--db", db, "--scanners", "vuln", "archive:" + os.path.join(IMAGES, img))
        t.ok(doc is not None and doc["vulnerabilities"] == [] and doc["summary"]["packages"] == 14,
             "%s: 14 packages, no vulnerability (every installed version >= its fixes)" % img,
             [json.dumps(doc)[:1500]])

    # alpine-310 plus a layer that puts every package below every fix
    with tarfile.open(os.path.join(IMAGES, "alpine-310.docker.tar.gz")) as tf:
        layer0 = tf.extractfile(
            [m for m in tf.getmembers() if m.name.endswith("layer.tar")][0]).read()
    with tarfile.open(fileobj=io.BytesIO(layer0)) as lt:
        installed = lt.extractfile("lib/apk/db/installed").read()
    pkgs = apk_installed(installed)
    old = re.sub(rb"(?m)^V:.*$", b"V:0.0.1-r0", installed)
    archive = os.path.join(tmp, "alpine-old.tar")
    sbomt.multi_layer_archive(archive, [layer0, sbomt.layer_tar({"lib/apk/db/installed": old})])
    rows = secdb_rows(files[0]) + secdb_rows(files[1])
    origins = {o for _, _, o in pkgs}
    never = {(p, i) for p, v, i in rows if v == "0"}
    want = {(p, i) for p, v, i in rows if p in origins and v != "0" and (p, i) not in never}
    doc = scan_json("alpine-old", "--db", db, "--scanners", "vuln", "archive:" + archive)
    got = {(x["matched_name"], x["id"]) for x in (doc or {}).get("vulnerabilities", [])}
    t.ok(doc is not None and got == want and want,
         "alpine-310 with every package at 0.0.1-r0: %d findings by origin, as the secdb lists"
         % len(want), ["missing: %s" % sorted(want - got)[:10], "extra: %s" % sorted(got - want)[:10]])
    vs = (doc or {}).get("vulnerabilities", [])
    t.ok(vs and all(x["package"]["layer"] == 1 and x["status"] == "fixed" and x["fixed_version"]
                    for x in vs),
         "findings name layer 1 (the layer of the rewritten database) and the fixed version")
    return db, archive


# ----------------------------------------------------------------------------------- Go

def uvarint(b, i):
    x = s = 0
    while True:
        c = b[i]
        i += 1
        x |= (c & 0x7f) << s
        if c < 0x80:
            return x, i
        s += 7


def go_buildinfo(path):
    """(go version, [(module path, version)]) of a Go >= 1.18 binary, or None."""
    data = open(path, "rb").read()
    at = data.find(b"\xff Go buildinf:")
    while at >= 0 and at % 16:
        at = data.find(b"\xff Go buildinf:", at + 1)
    if at < 0 or not data[at + 15] & 2:
        return None
    n, i = uvarint(data, at + 32)
    gover = data[i:i + n].decode()
    n, i = uvarint(data, i + n)
    mod = data[i:i + n].decode(errors="replace")
    if len(mod) >= 33 and mod[-17] == "\n":
        mod = mod[16:-16]
    deps = []
    for line in mod.split("\n"):
        f = line.split("\t")
        if f[0] in ("mod", "dep") and len(f) >= 3:
            deps.append([f[1], f[2]])
        elif f[0] == "=>" and len(f) >= 3 and deps:
            deps[-1] = [f[1], f[2]]
    return gover, [tuple(d) for d in deps]


def go_tests():
    z = os.path.join(DATA, "osv", "Go-all.zip")
    bins = []
    for pkg in ("docker.io", "containerd", "runc"):
        r = vgtest.run(["dpkg", "-L", pkg])
        for p in r.stdout.split():
            if os.path.isfile(p) and os.access(p, os.X_OK) and go_buildinfo(p):
                bins.append(p)
    if not t.ok(len(bins) >= 3, "Go binaries of docker.io, containerd and runc found (%d)"
                % len(bins), bins):
        return
    root = os.path.join(tmp, "gorootfs")
    os.makedirs(os.path.join(root, "usr", "bin"))
    for b in bins:
        shutil.copy(b, os.path.join(root, "usr", "bin", os.path.basename(b)))
    db = os.path.join(tmp, "go.db")
    if not import_db(db, z):
        return
    records = []
    with zipfile.ZipFile(z) as zf:
        for n in zf.namelist():
            if n.endswith(".json"):
                records.append(json.loads(zf.read(n)))
    want = set()
    for b in bins:
        gover, deps = go_buildinfo(b)
        mods = [("stdlib", "v" + gover[2:].split()[0])] + deps
        for name, ver in mods:
            for rec in records:
                if rec.get("withdrawn"):
                    continue
                for a in rec.get("affected", []):
                    if a["package"]["name"] == name and osv_affected(ver, a.get("ranges", [])):
                        want.add((name, ver, rec["id"]))
    doc = scan_json("go binaries", "--db", db, "--scanners", "vuln", "dir:" + root)
    got = set()
    for x in (doc or {}).get("vulnerabilities", []):
        for i in x["ids"]:
            if i.startswith("GO-"):
                got.add((x["package"]["name"], x["package"]["version"], i))
    t.ok(doc is not None and got == want and want,
         "Go binaries (%s): %d GO records whose ranges hold their versions (evaluated here)"
         % (", ".join(os.path.basename(b) for b in bins), len(want)),
         ["missing: %s" % sorted(want - got)[:10], "extra: %s" % sorted(got - want)[:10]])


def semver_key(v):
    v = v[1:] if v.startswith("v") else v
    v = v.split("+", 1)[0]
    core, _, pre = v.partition("-")
    nums = [int(x) for x in core.split(".")]
    while len(nums) < 3:
        nums.append(0)
    if not pre:
        return (nums, 1, [])
    return (nums, 0, [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")])


def osv_affected(version, ranges):
    for r in ranges:
        if r.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        evs = [next(iter(e.items())) for e in r["events"]]
        evs.sort(key=lambda kv: (0,) if kv[1] == "0" else (1, semver_key(kv[1])))
        aff = False
        for k, v in evs:
            if k == "introduced" and (v == "0" or semver_key(version) >= semver_key(v)):
                aff = True
            elif k == "fixed" and semver_key(version) >= semver_key(v):
                aff = False
            elif k == "last_affected" and semver_key(version) > semver_key(v):
                aff = False
        if aff:
            return True
    return False


# ------------------------------------------------------------------------------- Debian

def parse_list(path):
    advs = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip()
        if line.startswith("["):
            advs.append((line.split()[3], [], []))
            continue
        s = line.strip()
        if s.startswith("{"):
            advs[-1][1].extend(x for x in s.strip("{}").split() if x.startswith("CVE-"))
        elif s.startswith("["):
            m = re.match(r"^\[(\w+)\]\s+-\s+(\S+)\s+(\S+)", s)
            if m:
                advs[-1][2].append(m.groups())
    return advs


def dpkg_lt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0


def debian_tests():
    tar, why = sbomt.bookworm_tar(tmp)
    if not t.ok(tar is not None, "debootstrap bookworm rootfs available", [why or ""]):
        return
    root = os.path.join(tmp, "bullseye-old")
    os.makedirs(root)
    r = vgtest.run(["tar", "-C", root, "-xf", tar], timeout=300)
    if not t.ok(r.returncode == 0, "rootfs unpacked", [r.stderr[-500:]]):
        return
    # relabel as bullseye (the lists have no bookworm rows) with every package at 0.1-1
    with open(os.path.join(root, "etc", "os-release"), "w") as f:
        f.write('PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\n'
                'VERSION_ID="11"\nVERSION="11 (bullseye)"\nVERSION_CODENAME=bullseye\nID=debian\n')
    for p in ("usr/lib/os-release",):
        if os.path.exists(os.path.join(root, p)):
            os.unlink(os.path.join(root, p))
    with open(os.path.join(root, "etc", "debian_version"), "w") as f:
        f.write("11.6\n")
    status = os.path.join(root, "var", "lib", "dpkg", "status")
    text = open(status, encoding="utf-8").read()
    text = re.sub(r"(?m)^Version: .*$", "Version: 0.1-1", text)
    text = re.sub(r"(?m)^(Source: \S+) \(.*\)$", r"\1", text)
    with open(status, "w", encoding="utf-8") as f:
        f.write(text)
    sources = set()
    for stanza in text.split("\n\n"):
        m = re.search(r"(?m)^Package: (\S+)", stanza)
        if not m or not re.search(r"(?m)^Status: .* installed$", stanza):
            continue
        s = re.search(r"(?m)^Source: (\S+)", stanza)
        sources.add(s.group(1) if s else m.group(1))
    dsa = os.path.join(DATA, "debian-security", "DSA-list")
    dla = os.path.join(DATA, "debian-security", "DLA-list")
    db = os.path.join(tmp, "debian.db")
    if not import_db(db, dsa, dla):
        return
    want, not_aff = set(), set()
    for adv, cves, rels in parse_list(dsa) + parse_list(dla):
        for cn, pkg, ver in rels:
            if cn != "bullseye" or pkg not in sources:
                continue
            ids = cves or [adv]
            if ver == "<not-affected>":
                not_aff |= {(pkg, i) for i in ids}
            elif ver.startswith("<") or dpkg_lt("0.1-1", ver):
                want |= {(pkg, i) for i in ids}
    want -= not_aff
    doc = scan_json("debian", "--db", db, "--scanners", "vuln", "dir:" + root)
    got = {(x["matched_name"], x["id"]) for x in (doc or {}).get("vulnerabilities", [])}
    t.ok(doc is not None and got == want and want,
         "Debian rootfs as bullseye, %d source packages at 0.1-1: %d findings from the DSA/DLA "
         "rows (dpkg --compare-versions)" % (len(sources), len(want)),
         ["missing: %s" % sorted(want - got)[:10], "extra: %s" % sorted(got - want)[:10]])
    t.ok(doc is not None and doc.get("os", {}).get("id") == "debian" and
         doc["os"].get("version") == "11", "the report names the OS (debian 11)")


# ---------------------------------------------------------------------- command contract

def contract_tests(db, archive):
    target = "archive:" + archive
    base = scan_json("base", "--db", db, "--scanners", "vuln", target)
    if base is None or not base["vulnerabilities"]:
        t.ok(False, "contract tests need findings")
        return
    vs = base["vulnerabilities"]
    n = len(vs)

    # --exit-code: N when findings remain, 0 when none does
    r = scan("--db", db, "--scanners", "vuln", "--exit-code", "7", target)
    t.ok(r.returncode == 7, "--exit-code 7 with findings", [r.stderr[-300:]])
    r = scan("--db", db, "--scanners", "vuln", "--exit-code", "7",
             "archive:" + os.path.join(IMAGES, "alpine-310.docker.tar.gz"))
    t.ok(r.returncode == 0, "--exit-code 7 without findings: 0", [r.stderr[-300:]])

    # --severity: alpine secdb rates nothing: every finding is "unknown"
    sev = {x["severity"] for x in vs}
    doc = scan_json("severity", "--db", db, "--scanners", "vuln", "--severity", "high+", target)
    want_left = [x for x in vs if x["severity"] in ("high", "critical")]
    t.ok(doc is not None and len(doc["vulnerabilities"]) == len(want_left) and
         doc["summary"]["below_severity"] == n - len(want_left),
         "--severity high+ keeps %d of %d (severities %s)" % (len(want_left), n, sorted(sev)))
    r = scan("--db", db, "--severity", "bogus", target)
    t.ok(r.returncode == 2, "--severity bogus: usage error")

    # --ignore-unfixed: alpine rows are all fixed
    doc = scan_json("unfixed", "--db", db, "--scanners", "vuln", "--ignore-unfixed", target)
    fixed = [x for x in vs if x["status"] == "fixed"]
    t.ok(doc is not None and len(doc["vulnerabilities"]) == len(fixed),
         "--ignore-unfixed keeps the %d fixed findings" % len(fixed))

    # .vigilignore: an id narrowed to its package, an expired entry, a reason
    first, second = vs[0], vs[-1]
    ign = os.path.join(tmp, "ignore")
    with open(ign, "w") as f:
        f.write("# accepted\n%s pkg=%s reason=\"not reachable\"\n%s exp=2001-01-01\n"
                % (first["id"], first["package"]["name"], second["id"]))
    doc = scan_json("ignore", "--db", db, "--scanners", "vuln", "--ignorefile", ign, target)
    sup = (doc or {}).get("suppressed", [])
    # pkg= names a binary or a source package: every finding of that id on either
    pname = first["package"]["name"]
    hit = [x for x in vs if x["id"] == first["id"] and
           pname in (x["package"]["name"], x["package"].get("source_name"))]
    t.ok(doc is not None and len(doc["vulnerabilities"]) == n - len(hit) and
         len(sup) == len(hit) and all(x["id"] == first["id"] and
                                      x["suppressed"]["reason"] == "not reachable" and
                                      x["suppressed"]["line"] == 2 for x in sup),
         ".vigilignore: one entry applies (reason, line), the expired one does not",
         [json.dumps(sup)[:1500], "shown %s of %d" % (len((doc or {}).get("vulnerabilities", [])), n)])
    with open(ign, "w") as f:
        f.write("CVE-1 frobnicate=1\n")
    r = scan("--db", db, "--scanners", "vuln", "--ignorefile", ign, target)
    t.ok(r.returncode == 1 and ":1:" in r.stderr, "a bad ignore line is an error naming the line",
         [r.stderr[-300:]])

    # OpenVEX: not_affected for the first finding's package purl
    vex = os.path.join(tmp, "doc.openvex.json")
    with open(vex, "w") as f:
        json.dump({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.invalid/vex",
                   "author": "test", "timestamp": "2026-01-01T00:00:00Z", "version": 1,
                   "statements": [{"vulnerability": {"name": first["id"]},
                                   "products": [{"@id": first["package"]["purl"]}],
                                   "status": "not_affected",
                                   "justification": "vulnerable_code_not_in_execute_path"}]}, f)
    doc = scan_json("vex", "--db", db, "--scanners", "vuln", "--vex", vex, target)
    sup = (doc or {}).get("suppressed", [])
    t.ok(doc is not None and len(doc["vulnerabilities"]) == n - 1 and len(sup) == 1 and
         sup[0]["suppressed"]["status"] == "not_affected",
         "OpenVEX not_affected suppresses that finding only")

    # SARIF: a vuln run and a secret run
    r = scan("--db", db, "--format", "sarif", target)
    try:
        sarif = json.loads(r.stdout)
        runs = sarif["runs"]
        ok = (sarif["version"] == "2.1.0" and len(runs) == 2 and
              len(runs[0]["results"]) == n and
              all(res["ruleId"] and res["locations"][0]["physicalLocation"]["artifactLocation"]
                  ["uri"] == "lib/apk/db/installed" for res in runs[0]["results"]) and
              {rl["id"] for rl in runs[0]["tool"]["driver"]["rules"]} == {x["id"] for x in vs})
    except (ValueError, KeyError, IndexError):
        ok = False
    t.ok(r.returncode == 0 and ok, "SARIF 2.1.0: one run per scanner, a result per finding",
         [r.stderr[-300:], r.stdout[:500]])

    # CycloneDX 1.5 + VEX, validated by the CycloneDX library's strict validator
    out = os.path.join(tmp, "vex.cdx.json")
    r = scan("--db", db, "--scanners", "vuln", "--format", "cyclonedx", "--vex", vex, "-o", out,
             target)
    try:
        cdx = json.load(open(out))
        refs = {c["bom-ref"] for c in cdx["components"]}
        vul = cdx["vulnerabilities"]
        ok = (len(vul) == n and all(a["ref"] in refs for v in vul for a in v["affects"]) and
              sum(1 for v in vul if v.get("analysis", {}).get("state") == "not_affected") == 1)
    except (ValueError, KeyError, OSError):
        ok = False
    t.ok(r.returncode == 0 and ok, "CycloneDX: every finding affects a component; the VEX "
         "statement shows as analysis not_affected", [r.stderr[-300:]])
    script, why = sbomt.cyclonedx_validator()
    if not script:
        t.ok(False, "CycloneDX validator", [why])
    else:
        r = vgtest.run(["node", script, out], timeout=120, cwd=sbomt.VALIDATOR_DIR)
        t.ok(r.returncode == 0, "CycloneDX 1.5 (strict schema) validates the VEX document",
             [r.stdout[-1500:]])
    r = scan("--db", db, "--format", "cyclonedx", target)
    t.ok(r.returncode == 2, "cyclonedx with the secret scanner too: usage error")

    # both scanners share one walk: the same secret findings as the secret scanner alone,
    # and the same vulnerabilities as the vuln scanner alone (a key added in layer 1 and
    # deleted by a whiteout in layer 2, next to the downgraded apk database)
    key = "AKIA" + "QX7R2M4N6P8T0V3W"  # an AWS access key id shape, not a real key
    secret_file = ("aws_access_key_id = %s\naws_secret_access_key = %s\n" % (
        key, "Zq8vN2xL5kR7tY1uI3oP6aS9dF4gH0jK2lM5nB8v")).encode()
    with tarfile.open(archive) as tf:
        names = sorted(m.name for m in tf.getmembers() if m.name.endswith("layer.tar"))
        layers = [tf.extractfile(n).read() for n in names]
    both_img = os.path.join(tmp, "both.tar")
    sbomt.multi_layer_archive(both_img, layers + [
        sbomt.layer_tar({"root/.aws/credentials": secret_file}),
        sbomt.layer_tar({"root/.aws/.wh.credentials": b""})])
    both = scan_json("both", "--db", db, "archive:" + both_img)
    only_s = scan_json("secret only", "--scanners", "secret", "archive:" + both_img)
    only_v = scan_json("vuln only", "--db", db, "--scanners", "vuln", "archive:" + both_img)
    ok = both is not None and only_s is not None and only_v is not None
    t.ok(ok and both["secrets"]["findings"] == only_s["findings"] and
         any(f["path"] == "root/.aws/credentials" and f["layer"] == 2 and f["deleted_by"] == 3
             for f in only_s["findings"]),
         "one shared walk: the secret findings equal the secret scanner's own walk (a key "
         "deleted by a later layer included)",
         [json.dumps((both or {}).get("secrets", {}).get("findings"))[:800],
          json.dumps((only_s or {}).get("findings"))[:800]])
    t.ok(ok and both["vulnerabilities"]["vulnerabilities"] == only_v["vulnerabilities"] and
         only_v["vulnerabilities"],
         "one shared walk: the vulnerabilities equal the vuln scanner's own walk")

    # a missing database is a clear error
    r = scan("--db", os.path.join(tmp, "none.db"), "--scanners", "vuln", target)
    t.ok(r.returncode == 1 and "vigil db import" in r.stderr, "missing database: exit 1 with a hint",
         [r.stderr[-300:]])


def main():
    if not os.path.isdir(DATA):
        t.skip("scan real-data tests", "no shared data at " + DATA)
        return t.done()
    res = alpine_tests()
    go_tests()
    debian_tests()
    if res:
        contract_tests(*res)
    shutil.rmtree(tmp, ignore_errors=True)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
