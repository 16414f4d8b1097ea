#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil sbom ground truth on the Alpine fixture images (issue 4): the package list equals the
image's lib/apk/db/installed, read here independently with python's tarfile; the same list
from archive: and from dir: (the layer unpacked); CycloneDX 1.5 and SPDX 2.3 documents parse
and carry the required fields. No root needed. The images folder is VG_IMAGES_DIR (set by
meson); when it is missing the checks SKIP, or FAIL under CI=true."""
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vgtest  # noqa: E402

VIGIL = vgtest.find_binary("VIGIL", ["build/src/cli/vigil"])
IMAGES = os.environ.get("VG_IMAGES_DIR",
                        os.path.join(vgtest.ROOT, "..", "shared", "data", "images"))
UUID_RE = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SPDXID_RE = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")

t = vgtest.Tap()


def layers(path):
    """(index, tarfile) of each layer of a docker archive, bottom first."""
    outer = tarfile.open(path, "r:*")
    manifest = json.load(outer.extractfile("manifest.json"))
    for i, name in enumerate(manifest[0]["Layers"]):
        data = outer.extractfile(name).read()
        yield i, tarfile.open(fileobj=io.BytesIO(data), mode="r:*")


def apk_installed(path):
    """{(name, version)} of the last lib/apk/db/installed in the image, and its layer."""
    db, layer = None, None
    for i, tf in layers(path):
        for m in tf.getmembers():
            if m.isfile() and m.name.lstrip("./") == "lib/apk/db/installed":
                db, layer = tf.extractfile(m).read().decode("utf-8", "replace"), i
    pkgs = set()
    for rec in db.split("\n\n"):
        fields = {}
        for line in rec.splitlines():
            if len(line) > 2 and line[1] == ":" and line[0] not in fields:
                fields[line[0]] = line[2:]
        if "P" in fields:
            pkgs.add((fields["P"], fields.get("V")))
    return pkgs, layer


def unpack(path, dest):
    """Applies the layers to dest (regular files, directories and symlinks only)."""
    for _, tf in layers(path):
        safe = [m for m in tf.getmembers()
                if (m.isfile() or m.isdir() or m.issym()) and not m.name.startswith("/")
                and ".." not in m.name.split("/") and ".wh." not in m.name]
        tf.extractall(dest, members=safe)


VALIDATOR_DIR = os.environ.get("VG_SBOM_VALIDATOR_DIR", "/var/cache/vigil-test/sbom-validators")
# CycloneDX's own JavaScript library ships the 1.5 schemas and a strict ajv-based validator.
VALIDATOR_PKGS = ["@cyclonedx/cyclonedx-library@10.3.0", "ajv@8.20.0", "ajv-formats@3.0.1",
                  "ajv-formats-draft2019@1.6.1"]
VALIDATOR_JS = """import { Validation, Spec } from '@cyclonedx/cyclonedx-library'
import { readFileSync } from 'fs'
const v = new Validation.JsonStrictValidator(Spec.Version.v1dot5)
let bad = 0
for (const f of process.argv.slice(2)) {
  const err = await v.validate(readFileSync(f, 'utf8'))
  if (err) { bad++; console.log(f + ': ' + JSON.stringify(err).slice(0, 2000)) }
}
process.exit(bad ? 1 : 0)
"""


def cyclonedx_validator():
    """Path of the validator script (installing it with npm once), or (None, why)."""
    script = os.path.join(VALIDATOR_DIR, "validate-cdx.mjs")
    lib = os.path.join(VALIDATOR_DIR, "node_modules", "@cyclonedx", "cyclonedx-library")
    if not (shutil.which("node") and shutil.which("npm")):
        return None, "node/npm not installed"
    if not os.path.isdir(lib):
        os.makedirs(VALIDATOR_DIR, exist_ok=True)
        pj = os.path.join(VALIDATOR_DIR, "package.json")
        if not os.path.exists(pj):
            with open(pj, "w") as f:
                f.write('{"name": "vigil-sbom-validators", "private": true}\n')
        r = vgtest.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", VALIDATOR_DIR]
                       + VALIDATOR_PKGS, timeout=240)
        if r.returncode != 0 or not os.path.isdir(lib):
            return None, "npm install failed: " + (r.stderr or "")[-300:].replace("\n", " ")
    with open(script, "w") as f:
        f.write(VALIDATOR_JS)
    return script, None


# No npm package ships the SPDX 2.3 JSON schema, so the test validates against our own
# transcription of the SPDX 2.3 specification (tests/integration/schemas/, strict: unknown
# properties are errors) with ajv, and checks what a schema cannot: unique SPDXIDs and
# relationships that point at elements of the document.
SPDX_JS = """import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { readFileSync } from 'fs'
const ajv = new Ajv({ strict: true, allErrors: true })
addFormats(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(process.argv[2], 'utf8')))
let bad = 0
for (const f of process.argv.slice(3)) {
  if (!validate(JSON.parse(readFileSync(f, 'utf8')))) {
    bad++; console.log(f + ': ' + JSON.stringify(validate.errors).slice(0, 2000))
  }
}
process.exit(bad ? 1 : 0)
"""
SPDX_SCHEMA = os.path.join(vgtest.ROOT, "tests", "integration", "schemas",
                           "spdx-2.3-document.schema.json")


def spdx_references_ok(doc):
    """Problems a JSON schema cannot express, as a list of strings."""
    bad = []
    ids = [p.get("SPDXID") for p in doc.get("packages", [])]
    if len(ids) != len(set(ids)):
        bad.append("duplicate SPDXIDs")
    known = set(ids) | {"SPDXRef-DOCUMENT"}
    for rel in doc.get("relationships", []):
        for k in ("spdxElementId", "relatedSpdxElement"):
            if rel.get(k) not in known:
                bad.append("relationship %s %s is not an element" % (k, rel.get(k)))
    if not any(r.get("spdxElementId") == "SPDXRef-DOCUMENT" and r.get("relationshipType") ==
               "DESCRIBES" for r in doc.get("relationships", [])) and not doc.get(
                   "documentDescribes"):
        bad.append("the document describes nothing")
    return bad


def check_spdx_schema(script_dir):
    script = os.path.join(script_dir, "validate-spdx.mjs")
    with open(script, "w") as f:
        f.write(SPDX_JS)
    with tempfile.TemporaryDirectory() as d:
        files = []
        for img in ("alpine-310.docker.tar.gz", "alpine-311.docker.tar.gz"):
            out = os.path.join(d, img + ".spdx.json")
            sbom("archive:" + os.path.join(IMAGES, img), "spdx", "-o", out)
            files.append(out)
        files.append(os.path.join(vgtest.ROOT, "tests", "unit", "report", "golden",
                                  "sbom.spdx.json"))
        r = vgtest.run(["node", script, SPDX_SCHEMA] + files, timeout=120, cwd=script_dir)
        t.ok(r.returncode == 0, "SPDX 2.3 JSON: both images and the golden document validate",
             [r.stdout[-2000:], r.stderr[-2000:]])
        problems = []
        for fn in files:
            with open(fn) as f:
                problems += [fn + ": " + b for b in spdx_references_ok(json.load(f))]
        t.ok(not problems, "SPDX 2.3 JSON: SPDXIDs unique, relationships point at elements",
             problems)
        # The check can fail: a document without a package's downloadLocation, or with an
        # unknown property, is rejected.
        with open(files[0]) as f:
            doc = json.load(f)
        del doc["packages"][1]["downloadLocation"]
        doc["packages"][0]["vigilExtra"] = 1
        broken = os.path.join(d, "broken.spdx.json")
        with open(broken, "w") as f:
            json.dump(doc, f)
        r = vgtest.run(["node", script, SPDX_SCHEMA, broken], timeout=120, cwd=script_dir)
        t.ok(r.returncode == 1 and "downloadLocation" in r.stdout and "vigilExtra" in r.stdout,
             "SPDX 2.3 JSON: the validator rejects a broken document", [r.stdout[-1000:]])


def check_schemas():
    script, why = cyclonedx_validator()
    if not script:
        t.todo(False, "CycloneDX 1.5 schema validation", why)
        return
    with tempfile.TemporaryDirectory() as d:
        files = []
        for img in ("alpine-310.docker.tar.gz", "alpine-311.docker.tar.gz"):
            out = os.path.join(d, img + ".cdx.json")
            sbom("archive:" + os.path.join(IMAGES, img), "cyclonedx", "-o", out)
            files.append(out)
        files.append(os.path.join(vgtest.ROOT, "tests", "unit", "report", "golden",
                                  "sbom.cdx.json"))
        r = vgtest.run(["node", script] + files, timeout=120, cwd=VALIDATOR_DIR)
        t.ok(r.returncode == 0, "CycloneDX 1.5 JSON schema (strict) validates both images "
             "and the golden document", [r.stdout[-2000:], r.stderr[-2000:]])
    check_spdx_schema(VALIDATOR_DIR)


def sbom(target, fmt, *extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    return vgtest.run([VIGIL, "sbom", target, "--format", fmt] + list(extra), env=env)


def as_json(res, what):
    if res.returncode != 0:
        t.ok(False, what + ": exit 0", ["exit %s" % res.returncode, res.stderr[-2000:]])
        return None
    try:
        return json.loads(res.stdout)
    except ValueError as e:
        t.ok(False, what + ": parses as JSON", [str(e), res.stdout[:2000]])
        return None


def check_image(file, want_n):
    path = os.path.join(IMAGES, file)
    target = "archive:" + path
    want, want_layer = apk_installed(path)
    t.ok(len(want) == want_n, "%s: independent extraction finds %d packages" % (file, want_n),
         ["found %d" % len(want)])

    doc = as_json(sbom(target, "json"), file + " json")
    if doc is not None:
        got = {(p["name"], p["version"]) for p in doc["packages"]}
        t.ok(len(doc["packages"]) == len(want) and got == want,
             "%s: json packages == lib/apk/db/installed" % file,
             ["missing: %s" % sorted(want - got), "extra: %s" % sorted(got - want)])
        t.ok(all(p["type"] == "apk" and p["found_in"] == "lib/apk/db/installed"
                 and p["layer"] == want_layer
                 and p["purl"].startswith("pkg:apk/alpine/%s@" % p["name"].replace("+", "%2B"))
                 for p in doc["packages"]),
             "%s: every package has type apk, found_in, layer and purl" % file)
        t.ok(doc.get("os", {}).get("id") == "alpine", "%s: OS detected as alpine" % file)

        with tempfile.TemporaryDirectory() as d:
            unpack(path, d)
            ddoc = as_json(sbom("dir:" + d, "json"), file + " dir: json")
            if ddoc is not None:
                strip = [(p["name"], p["version"], p["purl"], p["found_in"])
                         for p in doc["packages"]]
                dstrip = [(p["name"], p["version"], p["purl"], p["found_in"])
                          for p in ddoc["packages"]]
                t.ok(strip == dstrip, "%s: dir: (unpacked) gives the same packages" % file,
                     ["archive: %s" % strip[:3], "dir: %s" % dstrip[:3]])

    cdx = as_json(sbom(target, "cyclonedx"), file + " cyclonedx")
    if cdx is not None:
        comps = cdx.get("components", [])
        t.ok(cdx.get("bomFormat") == "CycloneDX" and cdx.get("specVersion") == "1.5"
             and UUID_RE.match(cdx.get("serialNumber", "")) is not None
             and cdx.get("version") == 1
             and cdx.get("metadata", {}).get("component", {}).get("type") == "container"
             and cdx["metadata"].get("timestamp") == "2023-11-14T22:13:20Z",
             "%s: CycloneDX header fields" % file, [json.dumps(cdx)[:800]])
        props_ok = all({pp["name"] for pp in c.get("properties", [])}
                       >= {"vigil:layer", "vigil:found_in"} for c in comps)
        t.ok({(c["name"], c["version"]) for c in comps} == want and len(comps) == len(want)
             and all(c["type"] == "library" and c["purl"] for c in comps) and props_ok
             and len({c["bom-ref"] for c in comps}) == len(comps),
             "%s: CycloneDX components (library, purl, unique bom-ref, layer/path)" % file)

    spdx = as_json(sbom(target, "spdx"), file + " spdx")
    if spdx is not None:
        pk = spdx.get("packages", [])
        t.ok(spdx.get("spdxVersion") == "SPDX-2.3" and spdx.get("dataLicense") == "CC0-1.0"
             and spdx.get("SPDXID") == "SPDXRef-DOCUMENT" and spdx.get("name")
             and spdx.get("documentNamespace", "").startswith("https://")
             and spdx.get("creationInfo", {}).get("created") == "2023-11-14T22:13:20Z"
             and spdx["creationInfo"].get("creators"),
             "%s: SPDX document fields" % file, [json.dumps(spdx)[:800]])
        libs = [p for p in pk if p["SPDXID"] != "SPDXRef-Image"]
        t.ok({(p["name"], p["versionInfo"]) for p in libs} == want and len(libs) == len(want)
             and all(SPDXID_RE.match(p["SPDXID"]) and p["downloadLocation"] == "NOASSERTION"
                     and p["externalRefs"][0]["referenceType"] == "purl" for p in pk if p in libs)
             and len({p["SPDXID"] for p in pk}) == len(pk),
             "%s: SPDX packages (SPDXID, NOASSERTION, purl externalRef)" % file)
        rels = spdx.get("relationships", [])
        t.ok(any(r["spdxElementId"] == "SPDXRef-DOCUMENT" and r["relationshipType"] == "DESCRIBES"
                 for r in rels) and len(rels) == len(pk),
             "%s: SPDX DESCRIBES + CONTAINS relationships" % file)

    a, b = sbom(target, "cyclonedx"), sbom(target, "cyclonedx")
    t.ok(a.returncode == 0 and a.stdout == b.stdout, "%s: CycloneDX output is deterministic" % file)

    tab = sbom(target, "table")
    lines = tab.stdout.splitlines()
    t.ok(tab.returncode == 0 and len(lines) == len(want) + 1 and lines[0].split()[:3]
         == ["NAME", "VERSION", "TYPE"], "%s: table has a header and one row a package" % file)

    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "sbom.json")
        r = sbom(target, "json", "-o", out)
        t.ok(r.returncode == 0 and r.stdout == "" and os.path.exists(out)
             and open(out).read() == sbom(target, "json").stdout,
             "%s: -o FILE writes the document" % file)


CACHE_DIR = os.environ.get("VG_CACHE_DIR", "/var/cache/vigil-test")
# The same cached debootstrap rootfs as test-rules.py (built there, or here when missing).
BOOKWORM_TAR = os.path.join(CACHE_DIR, "bookworm-minbase-v1.tar")


def debian_mirror():
    if os.environ.get("VG_DEBIAN_MIRROR"):
        return os.environ["VG_DEBIAN_MIRROR"]
    for path in ["/etc/apt/sources.list"] + sorted(
            os.path.join("/etc/apt/sources.list.d", f)
            for f in (os.listdir("/etc/apt/sources.list.d")
                      if os.path.isdir("/etc/apt/sources.list.d") else [])):
        try:
            lines = open(path).read().splitlines()
        except OSError:
            continue
        for line in lines:
            w = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
            if len(w) >= 3 and w[0] == "deb" and w[2] == "bookworm":
                return w[1]
    return None


def bookworm_tar(tmp):
    """The cached rootfs tarball, debootstrapped when missing; (path, None) or (None, why)."""
    if os.path.exists(BOOKWORM_TAR):
        return BOOKWORM_TAR, None
    if not shutil.which("debootstrap"):
        return None, "debootstrap not installed"
    mirror = debian_mirror()
    if not mirror:
        return None, "no apt source for bookworm (set VG_DEBIAN_MIRROR)"
    rootfs = os.path.join(tmp, "bookworm")
    r = vgtest.run(["debootstrap", "--variant=minbase", "bookworm", rootfs, mirror], timeout=600)
    if r.returncode != 0:
        return None, "debootstrap failed: " + (r.stdout + r.stderr)[-300:]
    os.makedirs(CACHE_DIR, exist_ok=True)
    part = BOOKWORM_TAR + ".part.%d" % os.getpid()
    r = vgtest.run(["tar", "--numeric-owner", "-C", rootfs, "-cf", part, "."], timeout=300)
    shutil.rmtree(rootfs, ignore_errors=True)
    if r.returncode != 0:
        return None, "tar failed: " + r.stderr[-300:]
    os.rename(part, BOOKWORM_TAR)
    return BOOKWORM_TAR, None


def docker_archive(layer_tar, out, tag):
    """A `docker save` archive of one uncompressed layer (config digest names the config)."""
    h = hashlib.sha256()
    with open(layer_tar, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers",
                                    "diff_ids": ["sha256:" + h.hexdigest()]}}).encode()
    cfg_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": [tag],
                            "Layers": ["layer/layer.tar"]}]).encode()
    with tarfile.open(out, "w") as tf:
        for name, data in ((cfg_name, config), ("manifest.json", manifest)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
        tf.add(layer_tar, arcname="layer/layer.tar")


def pkg_keys(doc):
    return [(p["name"], p["version"], p["purl"], p["found_in"]) for p in doc["packages"]]


def check_debian():
    if os.geteuid() != 0:
        t.skip("debian ground truth", "needs root (chroot dpkg-query)")
        return
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        tar, why = bookworm_tar(tmp)
        if not tar:
            t.skip("debian ground truth", why)
            return
        root = os.path.join(tmp, "rootfs")
        os.makedirs(root)
        r = vgtest.run(["tar", "--numeric-owner", "-C", root, "-xf", tar], timeout=300)
        if not t.ok(r.returncode == 0, "debian: rootfs unpacked", [r.stderr[-500:]]):
            return
        q = vgtest.run(["chroot", root, "dpkg-query", "-W", "-f",
                        "${Package}\t${Version}\t${db:Status-Abbrev}\n"])
        want = {tuple(line.split("\t")[:2]) for line in q.stdout.splitlines()
                if line.split("\t")[2].startswith("ii")}
        t.ok(q.returncode == 0 and len(want) > 50, "debian: dpkg-query -W inside the rootfs",
             [q.stderr[-500:], "%d packages" % len(want)])

        ddoc = as_json(sbom("dir:" + root, "json"), "debian dir:")
        archive = os.path.join(tmp, "bookworm.docker.tar")
        docker_archive(tar, archive, "vigil-test/sbom-bookworm:1")
        adoc = as_json(sbom("archive:" + archive, "json"), "debian archive:")
        if ddoc is None or adoc is None:
            return
        got = {(p["name"], p["version"]) for p in ddoc["packages"]}
        t.ok(got == want and len(ddoc["packages"]) == len(want),
             "debian: dir: packages == dpkg-query -W (%d)" % len(want),
             ["missing: %s" % sorted(want - got)[:20], "extra: %s" % sorted(got - want)[:20]])
        t.ok(all(p["type"] == "deb" and p["purl"].startswith("pkg:deb/debian/")
                 and "distro=debian-12" in p["purl"] for p in ddoc["packages"])
             and (ddoc.get("os") or {}).get("id") == "debian",
             "debian: OS debian 12, deb purls with distro=debian-12")
        t.ok(pkg_keys(ddoc) == pkg_keys(adoc), "debian: archive: and dir: give identical lists",
             ["dir: %d, archive: %d" % (len(ddoc["packages"]), len(adoc["packages"]))])
        check_docker(tar, ddoc)


# A private engine (docker-env.sh), separate from the other tests' sockets and data roots.
DOCKER_ENV = {
    "VG_DOCKER_SOCK": "/run/vigil-sbom-docker/docker.sock",
    "VG_DOCKER_EXEC_ROOT": "/run/vigil-sbom-docker/exec",
    "VG_DOCKER_DATA_ROOT": "/var/lib/vigil-sbom-docker",  # kept: caches the imported image
}
DOCKER_TAG = "vigil-test/sbom-bookworm:v1"


def check_docker(tar, ddoc):
    """docker import of the rootfs into a private engine, scanned as docker:NAME."""
    if not shutil.which("dockerd") or not shutil.which("docker"):
        t.skip("debian: docker: gives the same list", "dockerd/docker not installed")
        return
    env = dict(os.environ, **DOCKER_ENV)
    env["DOCKER_HOST"] = "unix://" + DOCKER_ENV["VG_DOCKER_SOCK"]
    env_sh = os.path.join(os.path.dirname(os.path.abspath(__file__)), "docker-env.sh")

    def bash(script, timeout=240):
        return vgtest.run(["bash", "-c", 'source "%s" && %s' % (env_sh, script)], env=env,
                          timeout=timeout)

    r = bash("vg_docker_up >&2")
    if r.returncode != 0:
        t.skip("debian: docker: gives the same list",
               "the Docker engine could not be started: " + r.stderr[-300:])
        return
    try:
        if vgtest.run(["docker", "image", "inspect", DOCKER_TAG], env=env).returncode != 0:
            r = vgtest.run(["docker", "import", tar, DOCKER_TAG], env=env, timeout=300)
            if not t.ok(r.returncode == 0, "debian: docker import of the rootfs",
                        [r.stderr[-500:]]):
                return
        res = sbom("docker:" + DOCKER_TAG, "json", "--docker-socket",
                   DOCKER_ENV["VG_DOCKER_SOCK"])
        doc = as_json(res, "debian docker:")
        if doc is not None:
            t.ok(pkg_keys(doc) == pkg_keys(ddoc),
                 "debian: docker: gives the same list as dir: and archive:",
                 ["docker: %d, dir: %d" % (len(doc["packages"]), len(ddoc["packages"]))])
    finally:
        r = bash("vg_docker_down >&2", timeout=120)
        if r.returncode != 0:
            t.diag("vg_docker_down: rc %s: %s" % (r.returncode, r.stderr[-300:]))


RPM_SPEC = """Name: vg-hello
Version: 1.2.3
Release: 4
Epoch: 2
Summary: vigil sbom test package
License: MIT
BuildArch: noarch
%description
vigil sbom test package
%files
"""


def check_rpm():
    """An rpm database per backend Debian's rpm supports (4.18: sqlite only; ndb and bdb are
    not built in, bdb_ro cannot write), one package installed with --justdb, scanned as dir:."""
    if not (shutil.which("rpm") and shutil.which("rpmbuild")):
        t.skip("rpm ground truth", "rpm/rpmbuild not installed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "vg-hello.spec")
        with open(spec, "w") as f:
            f.write(RPM_SPEC)
        r = vgtest.run(["rpmbuild", "-bb", "--define", "_topdir " + os.path.join(tmp, "top"),
                        spec], timeout=120)
        rpmfile = os.path.join(tmp, "top", "RPMS", "noarch", "vg-hello-1.2.3-4.noarch.rpm")
        if not t.ok(r.returncode == 0 and os.path.exists(rpmfile), "rpm: test package built",
                    [r.stderr[-500:]]):
            return
        for backend in ("sqlite",):
            root = os.path.join(tmp, "root-" + backend)
            dbpath = os.path.join(root, "var", "lib", "rpm")
            os.makedirs(dbpath)
            base = ["rpm", "--define", "_db_backend " + backend, "--dbpath", dbpath]
            r1 = vgtest.run(base + ["--initdb"])
            r2 = vgtest.run(base + ["-i", "--justdb", "--nodeps", rpmfile])
            q = vgtest.run(base + ["-qa", "--qf", "%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}\\n"])
            t.ok(r1.returncode == 0 and r2.returncode == 0 and "vg-hello 2:1.2.3-4" in q.stdout,
                 "rpm %s: database written by rpm --initdb / -i --justdb" % backend,
                 [r1.stderr[-300:], r2.stderr[-300:], q.stdout])
            doc = as_json(sbom("dir:" + root, "json"), "rpm %s dir:" % backend)
            got = [(p["name"], p["version"]) for p in (doc or {}).get("packages", [])]
            t.ok(got == [("vg-hello", "2:1.2.3-4")],
                 "rpm %s: vigil sbom lists exactly vg-hello 2:1.2.3-4" % backend,
                 ["got %s" % got])


def layer_tar(files):
    """An uncompressed layer tar from {path: bytes}."""
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w") as tf:
        for name, data in files.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(data))
    return bio.getvalue()


def multi_layer_archive(out, layers_bytes):
    diff_ids = ["sha256:" + hashlib.sha256(b).hexdigest() for b in layers_bytes]
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    cfg_name = hashlib.sha256(config).hexdigest() + ".json"
    names = ["l%d/layer.tar" % i for i in range(len(layers_bytes))]
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["vigil-test/layers:1"],
                            "Layers": names}]).encode()
    with tarfile.open(out, "w") as tf:
        for name, data in [(cfg_name, config), ("manifest.json", manifest)] + \
                list(zip(names, layers_bytes)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))


def apk_db(*pkgs):
    return "".join("P:%s\nV:%s\nA:x86_64\no:%s\n\n" % (n, v, n) for n, v in pkgs).encode()


def check_layers():
    """Upper layers win: a replaced database gives its new packages (and layer), a whiteout
    removes a package.json, a package added by a middle layer keeps that layer."""
    l0 = layer_tar({"etc/os-release": b"ID=alpine\nVERSION_ID=3.18.4\n",
                    "lib/apk/db/installed": apk_db(("musl", "1.2.4-r1"), ("busybox", "1.36-r0")),
                    "app/node_modules/left/package.json": b'{"name":"left","version":"1.0.0"}'})
    l1 = layer_tar({"lib/apk/db/installed": apk_db(("musl", "1.2.4-r2"), ("zlib", "1.3-r0")),
                    "app/node_modules/gone/package.json": b'{"name":"gone","version":"2.0.0"}',
                    "app/node_modules/kept/package.json": b'{"name":"kept","version":"3.0.0"}'})
    l2 = layer_tar({"app/node_modules/gone/.wh.package.json": b""})
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "layers.tar")
        multi_layer_archive(out, [l0, l1, l2])
        doc = as_json(sbom("archive:" + out, "json"), "layered archive")
        if doc is None:
            return
        got = [(p["type"], p["name"], p["version"], p["layer"]) for p in doc["packages"]]
        want = [("apk", "musl", "1.2.4-r2", 1), ("apk", "zlib", "1.3-r0", 1),
                ("npm", "kept", "3.0.0", 1), ("npm", "left", "1.0.0", 0)]
        t.ok(got == want, "layers: replaced database, whiteout and per-layer attribution",
             ["got  %s" % got, "want %s" % want])


def main():
    t.diag("vigil: " + VIGIL)
    if not os.path.isdir(IMAGES):
        t.skip("alpine ground truth", "no images folder at " + IMAGES)
        return t.done()
    check_image("alpine-310.docker.tar.gz", 14)
    check_image("alpine-311.docker.tar.gz", 14)
    check_layers()
    check_debian()
    check_rpm()
    r = vgtest.run([VIGIL, "sbom", "archive:/nonexistent.tar", "--format", "json"])
    t.ok(r.returncode == 1 and "nonexistent" in r.stderr, "missing image: exit 1 with a message",
         [str(r.returncode), r.stderr])
    r = vgtest.run([VIGIL, "sbom", "x", "--format", "xml"])
    t.ok(r.returncode == 2, "unknown --format: exit 2")
    check_schemas()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
