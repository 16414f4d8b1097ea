#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil db on real feeds (issue 5). Every expectation is computed here, independently of
vigil: the Alpine secdb YAML is read with a small line parser, Go-all.zip with zipfile+json
and a SemVer comparison written here, the DSA/DLA lists with a parser written here and
versions compared by `dpkg --compare-versions`. Then `vigil db update` against a loopback
HTTP server (Range support) started by this test: download, resume, verification failure,
a feed that does not parse (the previous data stays). No root needed. The data folder is
VG_DATA_DIR; when missing the checks SKIP, or FAIL under CI=true."""
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vgtest  # noqa: E402

VIGIL = vgtest.find_binary("VIGIL", ["build/src/cli/vigil"])
DATA = os.environ.get("VG_DATA_DIR", os.path.join(vgtest.ROOT, "..", "shared", "data"))

t = vgtest.Tap()
tmp = tempfile.mkdtemp(prefix="vg-vuln-db-")


def vigil(*args, timeout=300):
    return vgtest.run([VIGIL] + list(args), timeout=timeout)


def db_info(db):
    r = vigil("db", "info", "--db", db, "--format", "json")
    if r.returncode != 0:
        t.diag(r.stderr)
        return None
    return json.loads(r.stdout)


def match(db, *args):
    r = vigil("db", "match", "--db", db, "--format", "json", *args)
    if r.returncode != 0:
        t.diag(r.stderr)
        return None
    return json.loads(r.stdout)


# ---------------------------------------------------------------- Alpine secdb (YAML)

ID_RE = re.compile(r"^[A-Z][A-Z0-9]*-\S+$")


def secdb_ids(entry):
    """Primary id of one secfixes entry ("CVE 2018-16859" and "CVE_..." typos repaired)."""
    s = entry.strip()
    m = re.match(r"^CVE[ _](\d{4}-\d+)", s)
    if m:
        return "CVE-" + m.group(1)
    for tok in s.split():
        if tok.startswith("("):
            return None
        tok = tok.rstrip(",;:)")
        if ID_RE.match(tok):
            return tok
    return None


def parse_secdb(path):
    """(distroversion, reponame, [(package, fixed_version, id)]) by reading lines."""
    dv = repo = None
    rows = []
    pkg = ver = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^distroversion:\s*(\S+)", line)
        if m:
            dv = m.group(1)
        m = re.match(r"^reponame:\s*(\S+)", line)
        if m:
            repo = m.group(1)
        m = re.match(r"^\s+name:\s*(\S+)\s*$", line)
        if m:
            pkg, ver = m.group(1), None
            continue
        m = re.match(r"^\s{8}(['\"]?)([^\s'\"]+)\1:\s*$", line)
        if m and pkg:
            ver = m.group(2)
            continue
        m = re.match(r"^\s{8,}- (.*)$", line)  # YAML allows "- x" at the key's indent
        if m and pkg and ver:
            i = secdb_ids(m.group(1).strip("'\""))
            if i:
                rows.append((pkg, ver, i))
    return dv, repo, rows


def alpine_tests():
    base = os.path.join(DATA, "alpine-secdb")
    if not os.path.isdir(base):
        t.skip("alpine secdb import", "no %s" % base)
        return
    db = os.path.join(tmp, "alpine.db")
    r = vigil("db", "import", "--db", db, base)
    t.ok(r.returncode == 0, "vigil db import alpine-secdb/", [r.stderr])
    info = db_info(db) or {"sources": []}
    sources = {s["name"]: s for s in info["sources"]}
    expected = {}
    for rel in sorted(os.listdir(base)):
        for repo_file in ("main.yaml", "community.yaml"):
            path = os.path.join(base, rel, repo_file)
            if not os.path.exists(path):
                continue
            dv, repo, rows = parse_secdb(path)
            name = "alpine-secdb:%s/%s" % (dv, repo)
            expected[name] = rows
            s = sources.get(name, {})
            t.ok(s.get("affected") == len(rows),
                 "%s: %d affected entries (parsed here)" % (name, len(rows)),
                 ["vigil: %s" % s.get("affected")])
            ids = {i for _, _, i in rows}
            t.ok(s.get("vulnerabilities") == len(ids),
                 "%s: %d distinct ids (parsed here)" % (name, len(ids)),
                 ["vigil: %s" % s.get("vulnerabilities")])
    t.ok(len(sources) == len(expected), "one source per secdb file (%d)" % len(expected))

    # the fixture images: every installed version is >= the fixes (reference/image.md §7)
    images = os.path.join(DATA, "images")
    for img in ("alpine-310.docker.tar.gz", "alpine-311.docker.tar.gz"):
        p = os.path.join(images, img)
        if not os.path.exists(p):
            t.skip("%s: zero findings" % img, "no %s" % p)
            continue
        f = match(db, "archive:" + p)
        t.ok(f == [], "%s: zero findings (all installed versions >= secdb fixes)" % img,
             [json.dumps(f)[:2000]])

    # every v3.10 package at a version below every fix: one finding per (package, id)
    rows = expected.get("alpine-secdb:v3.10/main", []) + \
        expected.get("alpine-secdb:v3.10/community", [])
    pkgs = sorted({p for p, v, _ in rows if v != "0"})
    never = {(p, i) for p, v, i in rows if v == "0"}
    want = {(p, i) for p, v, i in rows if v != "0" and (p, i) not in never}
    lst = os.path.join(tmp, "apk-packages.txt")
    with open(lst, "w") as fh:
        for p in pkgs:
            fh.write("apk %s-bin 0.0.1-r0 %s\n" % (p, p))
    f = match(db, "--os", "alpine:3.10.4", "--packages", lst) or []
    got = {(x["matched_name"], x["id"]) for x in f}
    t.ok(got == want, "alpine:3.10 packages below every fix: %d findings by origin, as the "
         "secdb lists them" % len(want),
         ["missing: %s" % sorted(want - got)[:20], "extra: %s" % sorted(got - want)[:20]])
    t.ok(all(x["fix_state"] == "fixed" and x["fixed_version"] for x in f),
         "alpine findings carry the fixed version")
    # equal to the fix: not vulnerable (the boundary)
    with open(lst, "w") as fh:
        for p, v, _ in rows:
            if v != "0":
                fh.write("apk %s %s %s\n" % (p, v, p))
                break
    f = match(db, "--os", "alpine:3.10", "--packages", lst)
    first = next((r for r in rows if r[1] != "0"), None)
    t.ok(f is not None and not any(x["id"] == first[2] for x in f),
         "installed == fixed version (%s %s) is not vulnerable to %s" % first)


# ---------------------------------------------------------------- Go-all.zip (OSV)

def semver_key(v):
    """SemVer 2.0 precedence key (with the "v" Go prefix dropped)."""
    v = v[1:] if v.startswith("v") else v
    v = v.split("+", 1)[0]
    core, _, pre = v.partition("-")
    nums = [int(x) for x in core.split(".")]
    while len(nums) < 3:
        nums.append(0)
    if not pre:
        return (nums, 1, [])
    ids = []
    for p in pre.split("."):
        ids.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return (nums, 0, ids)


def osv_affected(version, ranges):
    for r in ranges:
        if r.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        evs = []
        for e in r["events"]:
            (k, v), = e.items()
            evs.append((k, v))
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


def go_tests():
    z = os.path.join(DATA, "osv", "Go-all.zip")
    if not os.path.exists(z):
        t.skip("Go-all.zip import", "no %s" % z)
        return
    records = []
    with zipfile.ZipFile(z) as zf:
        for n in zf.namelist():
            if n.endswith(".json"):
                records.append(json.loads(zf.read(n)))
    db = os.path.join(tmp, "go.db")
    r = vigil("db", "import", "--db", db, z)
    t.ok(r.returncode == 0, "vigil db import Go-all.zip", [r.stderr])
    info = db_info(db) or {"sources": []}
    s = info["sources"][0] if info["sources"] else {}
    t.ok(s.get("name") == "osv:Go", "source osv:Go")
    t.ok(s.get("vulnerabilities") == len(records) == 4291,
         "4,291 records (zipfile count %d)" % len(records), ["vigil: %s" % s.get("vulnerabilities")])
    wd = sum(1 for x in records if x.get("withdrawn"))
    t.ok(s.get("withdrawn") == wd == 17, "17 withdrawn (counted: %d)" % wd)
    aff = sum(len(x.get("affected", [])) for x in records)
    t.ok(s.get("affected") == aff, "%d affected entries" % aff, ["vigil: %s" % s.get("affected")])
    ids = sum(len(set(x.get("aliases", []) + x.get("related", []) + x.get("upstream", [])) -
                  {x["id"]}) for x in records)
    t.ok(s.get("ids") == ids, "%d alias/related ids" % ids, ["vigil: %s" % s.get("ids")])

    # stdlib and a module at a few versions: the GO ids vigil reports equal the records whose
    # ranges (evaluated here) contain the version
    cases = [("stdlib", "v1.19.0"), ("stdlib", "v1.21.5"), ("stdlib", "v1.12.0"),
             ("golang.org/x/net", "v0.0.0-20220101000000-abcdefabcdef"),
             ("golang.org/x/crypto", "v0.14.0"), ("github.com/docker/docker", "v20.10.0+incompatible")]
    lst = os.path.join(tmp, "go-packages.txt")
    with open(lst, "w") as fh:
        for name, v in cases:
            fh.write("golang %s %s\n" % (name, v))
    f = match(db, "--packages", lst) or []
    for name, v in cases:
        want = set()
        for rec in records:
            if rec.get("withdrawn"):
                continue
            for a in rec.get("affected", []):
                if a["package"]["name"] == name and osv_affected(v, a.get("ranges", [])):
                    want.add(rec["id"])
        got = set()
        for x in f:
            if x["package"] == name and x["version"] == v:
                got |= {i for i in x["ids"] if i.startswith("GO-")}
        t.ok(got == want and (want or name != "stdlib"),
             "Go %s %s: %d GO records (ranges evaluated here)" % (name, v, len(want)),
             ["missing: %s" % sorted(want - got)[:10], "extra: %s" % sorted(got - want)[:10]])
    known = [x for x in f if "GO-2022-0969" in x["ids"] and x["version"] == "v1.19.0"]
    t.ok(len(known) == 1 and known[0]["id"] == "CVE-2022-27664" and
         known[0]["fixed_version"] == "1.19.1" and "GHSA-69cg-p879-7622" in known[0]["ids"],
         "GO-2022-0969 on stdlib v1.19.0: primary CVE-2022-27664, fixed in 1.19.1, GHSA alias",
         [json.dumps(known)])


# ---------------------------------------------------------------- Debian DSA / DLA lists

CODENAMES = {"woody": "3.0", "sarge": "3.1", "etch": "4", "lenny": "5", "squeeze": "6",
             "wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11"}


def parse_list(path):
    """[(advisory, [cves], [(codename, pkg, version_or_tag)])]"""
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
            advs[-1][2].append(m.groups())
    return advs


def dpkg_lt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0


def debian_tests():
    dsa = os.path.join(DATA, "debian-security", "DSA-list")
    dla = os.path.join(DATA, "debian-security", "DLA-list")
    if not (os.path.exists(dsa) and os.path.exists(dla)):
        t.skip("DSA/DLA import", "no debian-security lists")
        return
    if not shutil.which("dpkg"):
        t.skip("DSA/DLA matching", "no dpkg for --compare-versions")
        return
    db = os.path.join(tmp, "debian.db")
    r = vigil("db", "import", "--db", db, dsa, dla)
    t.ok(r.returncode == 0, "vigil db import DSA-list DLA-list", [r.stderr])
    advs = parse_list(dsa) + parse_list(dla)
    info = db_info(db) or {"sources": []}
    t.ok(sorted(s["name"] for s in info["sources"]) == ["debian-dla", "debian-dsa"],
         "sources debian-dsa and debian-dla")

    for codename in ("bullseye", "buster"):
        rows = {}  # pkg -> [(ids, version_or_tag)]
        for adv, cves, rels in advs:
            for cn, pkg, ver in rels:
                if cn == codename:
                    rows.setdefault(pkg, []).append((cves or [adv], ver))
        # the rewritten dpkg status: each source package at the middle one of its fixes
        installed = {}
        for pkg, lst in rows.items():
            fixes = [v for _, v in lst if not v.startswith("<")]
            if not fixes:
                installed[pkg] = "0.1-1"
                continue
            import functools
            fixes.sort(key=functools.cmp_to_key(
                lambda a, b: -1 if dpkg_lt(a, b) else (1 if dpkg_lt(b, a) else 0)))
            installed[pkg] = fixes[len(fixes) // 2]
        want = set()
        not_aff = set()
        for pkg, lst in rows.items():
            for ids, ver in lst:
                if ver == "<not-affected>":
                    not_aff |= {(pkg, i) for i in ids}
                elif ver.startswith("<") or dpkg_lt(installed[pkg], ver):
                    want |= {(pkg, i) for i in ids}
        want -= not_aff
        lst = os.path.join(tmp, "deb-%s.txt" % codename)
        with open(lst, "w") as fh:
            for pkg, v in sorted(installed.items()):
                fh.write("deb %s-bin %s %s %s\n" % (pkg, v, pkg, v))
        f = match(db, "--os", "debian:" + CODENAMES[codename], "--packages", lst) or []
        got = {(x["matched_name"], x["id"]) for x in f}
        t.ok(got == want and want,
             "%s: %d source packages at older versions, %d findings (dpkg "
             "--compare-versions)" % (codename, len(installed), len(want)),
             ["missing: %s" % sorted(want - got)[:20], "extra: %s" % sorted(got - want)[:20]])


# ---------------------------------------------------------------- db update over HTTP

class RangeHandler(http.server.SimpleHTTPRequestHandler):
    ranges_seen = []
    truncate = set()

    def log_message(self, *a):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return
        data = open(path, "rb").read()
        rng = self.headers.get("Range")
        start = 0
        if rng:
            RangeHandler.ranges_seen.append((os.path.basename(path), rng))
            m = re.match(r"bytes=(\d+)-$", rng)
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Tue, 21 Mar 2023 10:00:00 GMT")
        self.end_headers()
        if os.path.basename(path) in RangeHandler.truncate:
            body = body[:len(body) // 2]  # the connection closes early
        self.wfile.write(body)


def update_tests():
    z = os.path.join(DATA, "osv", "Go-all.zip")
    secdb = os.path.join(DATA, "alpine-secdb", "v3.10", "main.yaml")
    if not (os.path.exists(z) and os.path.exists(secdb)):
        t.skip("db update", "feeds missing")
        return
    root = os.path.join(tmp, "www")
    os.makedirs(os.path.join(root, "Go"))
    shutil.copy(z, os.path.join(root, "Go", "all.zip"))
    shutil.copy(secdb, os.path.join(root, "main.yaml"))
    with open(os.path.join(root, "broken.json"), "w") as fh:
        fh.write('{"id": "X-1", "affected": [')
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: RangeHandler(*a, directory=root, **k))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    db = os.path.join(tmp, "update.db")
    cache = os.path.join(tmp, "cache")

    r = vigil("db", "update", "--db", db, "--cache", cache, "--url", base + "/Go/all.zip",
              "--url", base + "/main.yaml")
    info = db_info(db) or {"sources": []}
    names = {s["name"]: s for s in info["sources"]}
    t.ok(r.returncode == 0 and "osv:Go" in names and "alpine-secdb:v3.10/main" in names,
         "db update downloads and imports both feeds", [r.stderr])
    t.ok(names.get("alpine-secdb:v3.10/main", {}).get("data_date") == "2023-03-21T10:00:00Z",
         "a feed without dates takes the server's Last-Modified as its date")
    t.ok(names.get("osv:Go", {}).get("origin") == base + "/Go/all.zip", "origin is the URL")

    # resume: a partial download in the cache is continued with a Range request
    cached = os.path.join(cache, "Go-all.zip")
    data = open(z, "rb").read()
    os.unlink(cached)
    with open(cached + ".part", "wb") as fh:
        fh.write(data[:1000000])
    RangeHandler.ranges_seen.clear()
    r = vigil("db", "update", "--db", db, "--cache", cache, "--url", base + "/Go/all.zip")
    t.ok(r.returncode == 0 and ("all.zip", "bytes=1000000-") in RangeHandler.ranges_seen and
         "(resumed)" in r.stdout and open(cached, "rb").read() == data,
         "an interrupted download resumes with Range: bytes=1000000- and completes",
         [r.stdout, r.stderr, str(RangeHandler.ranges_seen)])

    # a truncated transfer fails; the database keeps its records
    RangeHandler.truncate.add("main.yaml")
    os.unlink(os.path.join(cache, "main.yaml"))
    r = vigil("db", "update", "--db", db, "--cache", cache, "--url", base + "/main.yaml",
              timeout=120)
    RangeHandler.truncate.clear()
    info2 = db_info(db) or {"sources": []}
    names2 = {s["name"]: s for s in info2["sources"]}
    t.ok(r.returncode != 0 and names2.get("alpine-secdb:v3.10/main", {}).get("affected") ==
         names.get("alpine-secdb:v3.10/main", {}).get("affected"),
         "a truncated download fails and leaves the previous records", [r.stderr])

    # a feed that does not parse: error naming the file, nothing of it imported
    r = vigil("db", "update", "--db", db, "--cache", cache, "--url", base + "/broken.json")
    info3 = db_info(db) or {"sources": []}
    t.ok(r.returncode != 0 and "broken.json" in r.stderr and
         len(info3["sources"]) == len(info["sources"]),
         "a feed that does not parse is reported and not imported", [r.stderr])

    # wrong size announced in a feed list: verification failure
    feeds = os.path.join(tmp, "feeds")
    with open(feeds, "w") as fh:
        fh.write("%s/main.yaml size=12345\n" % base)
    os.unlink(os.path.join(cache, "main.yaml.part")) if os.path.exists(
        os.path.join(cache, "main.yaml.part")) else None
    r = vigil("db", "update", "--db", db, "--cache", cache, "--feeds", feeds)
    t.ok(r.returncode != 0 and "verification failed" in r.stderr,
         "a size mismatch against the feed list fails verification", [r.stderr])
    r = vigil("db", "update", "--db", db, "--cache", cache, "--url", "http://example.com/x")
    t.ok(r.returncode == 2 and "https" in r.stderr, "plain http:// off loopback is refused")
    srv.shutdown()


def misc_tests():
    db = os.path.join(tmp, "alpine.db")
    if not os.path.exists(db):
        return
    copy = os.path.join(tmp, "old-schema.db")
    shutil.copy(db, copy)
    c = sqlite3.connect(copy)
    c.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    c.commit()
    c.close()
    r = vigil("db", "info", "--db", copy)
    t.ok(r.returncode != 0 and "re-import" in r.stderr,
         "another schema version: a clear error telling to re-import", [r.stderr])
    r = vigil("db", "info", "--db", os.path.join(tmp, "missing.db"))
    t.ok(r.returncode != 0 and "vigil db update" in r.stderr, "a missing database says how to "
         "create it", [r.stderr])
    # the whole data folder: every feed found, everything else (images, rules, JSON that is
    # not OSV) left alone
    r = vigil("db", "import", "--db", os.path.join(tmp, "everything.db"), DATA)
    info = db_info(os.path.join(tmp, "everything.db")) or {"sources": []}
    want = {"osv:Go", "debian-dsa", "debian-dla"} | {
        "alpine-secdb:%s/%s" % (v, r_) for v in os.listdir(os.path.join(DATA, "alpine-secdb"))
        for r_ in ("main", "community")}
    t.ok(r.returncode == 0 and {s["name"] for s in info["sources"]} == want,
         "importing the whole data folder finds exactly the %d feeds" % len(want), [r.stderr])
    r = vigil("db", "import", "--db", os.path.join(tmp, "x.db"), os.path.join(DATA, "README.md"))
    t.ok(r.returncode != 0 and "unknown format" in r.stderr, "an unknown file is refused",
         [r.stderr])


if not os.path.isdir(DATA):
    t.skip("vulnerability feeds", "no data folder %s" % DATA)
else:
    alpine_tests()
    go_tests()
    debian_tests()
    update_tests()
    misc_tests()
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(t.done())
