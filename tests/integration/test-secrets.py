#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil scan --scanners secret, end to end (issue 6): an image written here as a docker
archive (no engine) adds credentials in one layer and deletes them with a whiteout in the
next: vigil reports them with their layer, diff_id and "deleted"; secrets in the config (Env,
Labels, history created_by: ENV and ARG values) are found; the secret is masked unless
--show-secrets; SARIF 2.1.0; exit codes; size limit, binary sniffing, allowlist and user
rule files; a clean debootstrap rootfs as dir: and as archive: gives no finding apart from
DOCUMENTED_EXCEPTIONS. Every credential is generated at random by this test."""
import hashlib
import io
import json
import os
import random
import re
import shutil
import string
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vgtest  # noqa: E402

VIGIL = vgtest.find_binary("VIGIL", ["build/src/cli/vigil"])
RNG = random.SystemRandom()
B62 = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"

# Findings a clean Debian bookworm minbase rootfs may legitimately give (rule, path): none
# today. Keep this list short and explain each entry in docs/secrets.md.
DOCUMENTED_EXCEPTIONS = set()

t = vgtest.Tap()


def rand(chars, n):
    return "".join(RNG.choice(chars) for _ in range(n))


def fake_keys():
    return {
        "aws_id": "AKIA" + rand(B32, 16),
        "aws_secret": rand(B62 + "+/", 40),
        "ghp": "ghp_" + rand(B62, 36),
        "glpat": "glpat-" + rand(B62, 20),
        "npm": "npm_" + rand(B62, 36),
        "stripe": "sk_live_" + rand(B62, 28),
        "rsa_body": "\n".join(rand(B62 + "+/", 64) for _ in range(20)),
    }


def layer_tar(files):
    """An uncompressed layer tar from {path: bytes} (b"" names a whiteout as given)."""
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in files.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(data))
    return bio.getvalue()


def docker_archive(out, layers, config_extra=None, tag="vigil-test/secrets:1"):
    diff_ids = ["sha256:" + hashlib.sha256(b).hexdigest() for b in layers]
    config = {"architecture": "amd64", "os": "linux", "config": {},
              "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    config.update(config_extra or {})
    config = json.dumps(config).encode()
    cfg_name = hashlib.sha256(config).hexdigest() + ".json"
    names = ["l%d/layer.tar" % i for i in range(len(layers))]
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": [tag], "Layers": names}]).encode()
    with tarfile.open(out, "w") as tf:
        for name, data in [(cfg_name, config), ("manifest.json", manifest)] + \
                list(zip(names, layers)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return diff_ids


def scan(target, *extra, timeout=300):
    """vigil scan with the secret scanner alone (the default set also has vuln)."""
    return vgtest.run([VIGIL, "scan", "--scanners", "secret"] + list(extra) + [target],
                      timeout=timeout)


def as_json(res, what, want_rc=0):
    if res.returncode != want_rc:
        t.ok(False, what + ": exit %s" % want_rc, ["exit %s" % res.returncode, res.stderr[-2000:]])
        return None
    try:
        return json.loads(res.stdout)
    except ValueError as e:
        t.ok(False, what + ": parses as JSON", [str(e), res.stdout[:2000]])
        return None


def by(doc, **kw):
    return [f for f in doc["findings"] if all(f.get(k) == v for k, v in kw.items())]


def masked(s):
    return s[:4] + "**** (%d chars)" % len(s)


def check_layers(d):
    k = fake_keys()
    env = ("AWS_ACCESS_KEY_ID=%s\naws_secret_access_key = %s\nGITHUB_TOKEN=%s\n"
           % (k["aws_id"], k["aws_secret"], k["ghp"])).encode()
    pem = ("-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----\n"
           % k["rsa_body"]).encode()
    l0 = layer_tar({"etc/os-release": b"ID=alpine\nVERSION_ID=3.18.4\n",
                    "etc/hostname": b"box\n"})
    l1 = layer_tar({"app/.env": env, "root/.ssh/id_rsa": pem,
                    "app/readme.txt": b"nothing to see here\n"})
    l2 = layer_tar({"app/.wh..env": b"", "app/config.yaml": b"log_level: debug\n"})
    config = {"config": {"Env": ["PATH=/usr/bin", "GITLAB_TOKEN=" + k["glpat"]],
                         "Labels": {"org.example.npm": k["npm"]}},
              "history": [{"created_by": "/bin/sh -c #(nop) ADD file:abc in /"},
                          {"created_by": "|1 STRIPE_KEY=%s /bin/sh -c make" % k["stripe"]},
                          {"created_by": "/bin/sh -c #(nop)  ENV A=b", "empty_layer": True},
                          {"created_by": "/bin/sh -c rm app/.env"}]}
    out = os.path.join(d, "layers.tar")
    diff_ids = docker_archive(out, [l0, l1, l2], config)
    target = "archive:" + out

    doc = as_json(scan(target, "--format", "json"), "layered image json")
    if doc is None:
        return
    t.diag("findings: %s" % [(f["rule_id"], f["path"], f["layer"]) for f in doc["findings"]])
    env_f = by(doc, path="app/.env")
    t.ok(sorted(f["rule_id"] for f in env_f)
         == ["aws-access-key-id", "aws-secret-access-key", "github-pat"],
         "deleted file: its three credentials are found", [json.dumps(env_f)[:1500]])
    t.ok(env_f and all(f["layer"] == 1 and f["visible"] is False and f["deleted_by"] == 2
                       and f["diff_id"] == diff_ids[1] and f["origin"] == "file"
                       for f in env_f),
         "deleted file: layer 1, diff_id of layer 1, not visible, deleted by layer 2")
    lines = {f["rule_id"]: f["line"] for f in env_f}
    t.ok(lines == {"aws-access-key-id": 1, "aws-secret-access-key": 2, "github-pat": 3},
         "deleted file: line numbers", [str(lines)])
    pem_f = by(doc, path="root/.ssh/id_rsa")
    t.ok(len(pem_f) == 1 and pem_f[0]["rule_id"] == "private-key-rsa" and pem_f[0]["visible"]
         and pem_f[0]["deleted_by"] is None and pem_f[0]["layer"] == 1
         and pem_f[0]["line"] == 2 and pem_f[0]["secret_length"] == len(k["rsa_body"]),
         "visible private key: layer 1, visible, line 2, whole body", [json.dumps(pem_f)])
    cfg = {(f["origin"], f["path"], f["rule_id"], f["layer"]) for f in doc["findings"]
           if f["origin"] != "file"}
    want = {("env", "config.Env[1]", "gitlab-pat", None),
            ("label", "config.Labels[org.example.npm]", "npm-access-token", None),
            ("history", "history[1].created_by", "stripe-live-secret-key", 1)}
    t.ok(cfg == want, "config: Env, Labels and history (ARG value, layer 1) secrets",
         ["got  %s" % sorted(cfg), "want %s" % sorted(want)])
    t.ok(len(doc["findings"]) == 7, "no other finding (7 in all)",
         [str(len(doc["findings"]))])
    t.ok(doc["layers"] == 3 and doc["kind"] == "docker-archive"
         and doc["image_id"].startswith("sha256:") and doc["rules"] >= 80,
         "report header: 3 layers, docker-archive, image id, rule count")

    # masking: no raw secret anywhere without --show-secrets
    secrets = [k["aws_id"], k["aws_secret"], k["ghp"], k["glpat"], k["npm"], k["stripe"],
               k["rsa_body"][:64]]
    outs = {fmt: scan(target, "--format", fmt) for fmt in ("table", "json", "sarif")}
    leaked = [(fmt, s[:8]) for fmt, r in outs.items() for s in secrets if s in r.stdout]
    t.ok(not leaked and all(r.returncode == 0 for r in outs.values()),
         "table, json and sarif never print a secret without --show-secrets", [str(leaked)])
    t.ok(all("secret" not in f and f["secret_masked"] == masked(
        {"aws-access-key-id": k["aws_id"], "github-pat": k["ghp"]}.get(f["rule_id"], "x"))
        for f in env_f if f["rule_id"] in ("aws-access-key-id", "github-pat")),
        "masked form: first 4 characters and the length",
        [json.dumps([(f["rule_id"], f["secret_masked"]) for f in env_f])])
    t.ok(masked(k["ghp"]) in outs["table"].stdout and "app/.env:3" in outs["table"].stdout
         and "deleted in 2" in outs["table"].stdout,
         "table: masked secret, path:line, deleted layer", [outs["table"].stdout[-1500:]])
    shown = as_json(scan(target, "--format", "json", "--show-secrets"), "--show-secrets")
    if shown is not None:
        got = {f["rule_id"]: f.get("secret") for f in shown["findings"]}
        t.ok(got.get("aws-access-key-id") == k["aws_id"] and got.get("github-pat") == k["ghp"]
             and got.get("aws-secret-access-key") == k["aws_secret"]
             and got.get("private-key-rsa") == k["rsa_body"]
             and got.get("stripe-live-secret-key") == k["stripe"],
             "--show-secrets: the full secrets in JSON")

    sarif = outs["sarif"]
    try:
        s = json.loads(sarif.stdout)
        run = s["runs"][0]
        rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
        res = run["results"]
        locs = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in res}
        t.ok(s["version"] == "2.1.0" and "sarif-2.1.0" in s["$schema"]
             and run["tool"]["driver"]["name"] == "vigil" and len(res) == 7
             and len(rule_ids) == len(set(rule_ids))
             and all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in res)
             and ("github-pat", "app/.env", 3) in locs
             and ("private-key-rsa", "root/.ssh/id_rsa", 2) in locs
             and all(r["level"] in ("error", "warning", "note") for r in res)
             and all(r["properties"]["secretMasked"] for r in res)
             and all("security-severity" in rd["properties"]
                     for rd in run["tool"]["driver"]["rules"]),
             "SARIF 2.1.0: rules, ruleIndex, locations (uri, startLine), levels, masked secret",
             [sarif.stdout[:1500]])
    except (ValueError, KeyError, IndexError, TypeError) as e:
        t.ok(False, "SARIF 2.1.0 document", [repr(e), sarif.stdout[:1500]])

    # exit codes
    r = scan(target, "--exit-code", "5")
    t.ok(r.returncode == 5, "--exit-code 5 with findings: exit 5", [str(r.returncode)])
    clean = os.path.join(d, "clean")
    os.makedirs(os.path.join(clean, "etc"))
    with open(os.path.join(clean, "etc", "motd"), "w") as f:
        f.write("welcome\npassword: see the wiki\n")
    r = scan("dir:" + clean, "--exit-code", "5")
    t.ok(r.returncode == 0 and "0 secrets" in r.stdout, "--exit-code 5, nothing found: exit 0",
         [str(r.returncode), r.stdout, r.stderr])
    r = scan(target)
    t.ok(r.returncode == 0, "findings without --exit-code: exit 0")
    r = scan("archive:" + os.path.join(d, "missing.tar"))
    t.ok(r.returncode == 1 and "missing.tar" in r.stderr, "missing image: exit 1 with a message",
         [str(r.returncode), r.stderr])
    r = scan(target, "--format", "xml")
    t.ok(r.returncode == 2, "unknown --format: exit 2")
    r = scan(target, "--scanners", "secret,nope")
    t.ok(r.returncode == 2 and "nope" in r.stderr, "unknown scanner: exit 2", [r.stderr])
    bad = os.path.join(d, "bad.yaml")
    with open(bad, "w") as f:
        f.write("rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n  regex: '(a'\n")
    r = scan(target, "--secret-rules", bad)
    t.ok(r.returncode == 1 and (bad + ":6:10:") in r.stderr and "regex" in r.stderr,
         "broken rule file: exit 1, file:line:col and the problem", [r.stderr])
    return k


def check_options(d):
    k = fake_keys()
    root = os.path.join(d, "opts")
    os.makedirs(os.path.join(root, "app"))
    big = b"x" * 3000 + ("\nGH=%s\n" % k["ghp"]).encode()
    with open(os.path.join(root, "app", "big.txt"), "wb") as f:
        f.write(big)
    with open(os.path.join(root, "app", "blob.bin"), "wb") as f:
        f.write(b"\x7fELF\x00\x00" + ("NPM=%s\n" % k["npm"]).encode())
    with open(os.path.join(root, "app", "custom.env"), "w") as f:
        f.write("ACME=acme_%s\nGL=%s\n" % (rand("0123456789abcdef", 16), k["glpat"]))
    target = "dir:" + root

    doc = as_json(scan(target, "--format", "json"), "options dir")
    if doc is None:
        return
    got = sorted((f["rule_id"], f["path"]) for f in doc["findings"])
    t.ok(got == [("github-pat", "app/big.txt"), ("gitlab-pat", "app/custom.env")]
         and doc["stats"]["skipped_binary"] == 1 and all(f["layer"] is None
                                                          for f in doc["findings"]),
         "dir: defaults: text found, binary skipped, no layer for a directory", [str(got)])
    doc = as_json(scan(target, "--format", "json", "--secret-max-size", "2K"), "max size")
    if doc is not None:
        t.ok([f["path"] for f in doc["findings"]] == ["app/custom.env"]
             and doc["stats"]["skipped_large"] == 1,
             "--secret-max-size 2K skips the 3 KB file", [json.dumps(doc["stats"])])
    doc = as_json(scan(target, "--format", "json", "--secret-scan-binaries"), "binaries")
    if doc is not None:
        t.ok(("npm-access-token", "app/blob.bin") in
             [(f["rule_id"], f["path"]) for f in doc["findings"]],
             "--secret-scan-binaries finds the key in the binary")
    allow = os.path.join(d, "allow.yaml")
    with open(allow, "w") as f:
        f.write("allowlist:\n  secrets: ['%s']\n  paths: ['^app/big\\.txt$']\n" % k["glpat"])
    doc = as_json(scan(target, "--format", "json", "--secret-allowlist", allow), "allowlist")
    if doc is not None:
        t.ok(doc["findings"] == [] and doc["stats"]["skipped_path"] == 1,
             "--secret-allowlist: a known key and a path are not reported",
             [json.dumps(doc["findings"])[:800]])
    rules = os.path.join(d, "rules.yaml")
    with open(rules, "w") as f:
        f.write("rules:\n- id: acme-token\n  title: ACME internal token\n  severity: HIGH\n"
                "  keywords: [acme_]\n  regex: '\\b(?P<secret>acme_[0-9a-f]{16})\\b'\n")
    doc = as_json(scan(target, "--format", "json", "--secret-rules", rules), "user rules")
    if doc is not None:
        t.ok(("acme-token", "app/custom.env", 1) in
             [(f["rule_id"], f["path"], f["line"]) for f in doc["findings"]],
             "--secret-rules adds a rule")
    out = os.path.join(d, "out.sarif")
    r = scan(target, "--format", "sarif", "-o", out)
    t.ok(r.returncode == 0 and r.stdout == "" and json.load(open(out))["version"] == "2.1.0",
         "-o FILE writes the report")


def check_large_files(d):
    """Files of 32 KiB and more of a directory are read by the scanning threads themselves
    (src/secrets/target.c): same findings, lines and skips as through the walk."""
    k = fake_keys()
    root = os.path.join(d, "large")
    os.makedirs(os.path.join(root, "app", "sub"))
    line = b"the quick brown fox reads a token and a secret from the config file\n"
    body = line * (300 * 1024 // len(line))
    with open(os.path.join(root, "app", "big.txt"), "wb") as f:
        f.write(body + ("GH=%s\n" % k["ghp"]).encode())
    with open(os.path.join(root, "app", "sub", "mid.env"), "wb") as f:
        f.write(line * 600 + ("GL=%s\n" % k["glpat"]).encode() + line * 400)
    with open(os.path.join(root, "app", "blob.bin"), "wb") as f:
        f.write(b"\x7fELF\x00\x00" + b"z" * 65536 + ("NPM=%s\n" % k["npm"]).encode())
    os.symlink("big.txt", os.path.join(root, "app", "link.txt"))
    os.mkfifo(os.path.join(root, "app", "pipe.txt"))
    want = [("github-pat", "app/big.txt", body.count(b"\n") + 1),
            ("gitlab-pat", "app/sub/mid.env", 601)]
    for target in ("dir:" + root, root):
        doc = as_json(scan(target, "--format", "json"), "large files " + target)
        if doc is None:
            continue
        got = sorted((f["rule_id"], f["path"], f["line"]) for f in doc["findings"])
        t.ok(got == want and doc["stats"]["skipped_binary"] == 1,
             "%s: large files scanned whole, symlink and FIFO not read, binary skipped" % target,
             [str(got), json.dumps(doc["stats"])])
    doc = as_json(scan("dir:" + root, "--format", "json", "--secret-scan-binaries"), "large bin")
    if doc is not None:
        t.ok(("npm-access-token", "app/blob.bin") in
             [(f["rule_id"], f["path"]) for f in doc["findings"]],
             "--secret-scan-binaries: the key after 64 KiB of a large binary")


CACHE_DIR = os.environ.get("VG_CACHE_DIR", "/var/cache/vigil-test")
# The same cached debootstrap rootfs as test-rules.py and test-sbom.py.
BOOKWORM_TAR = os.path.join(CACHE_DIR, "bookworm-minbase-v1.tar")


def debian_mirror():
    if os.environ.get("VG_DEBIAN_MIRROR"):
        return os.environ["VG_DEBIAN_MIRROR"]
    paths = ["/etc/apt/sources.list"]
    if os.path.isdir("/etc/apt/sources.list.d"):
        paths += sorted(os.path.join("/etc/apt/sources.list.d", f)
                        for f in os.listdir("/etc/apt/sources.list.d"))
    for path in paths:
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
    if os.geteuid() != 0:
        return None, "no cached rootfs and debootstrap needs root"
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


def unexpected(doc):
    return [(f["rule_id"], f["path"], f["line"]) for f in doc["findings"]
            if (f["rule_id"], f["path"]) not in DOCUMENTED_EXCEPTIONS]


def check_debian():
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        tar, why = bookworm_tar(tmp)
        if not tar:
            t.skip("clean debian rootfs: no finding", why)
            return
        root = os.path.join(tmp, "rootfs")
        os.makedirs(root)
        # regular files, directories and symlinks only: no root needed for device nodes
        with tarfile.open(tar) as tf:
            members = [m for m in tf.getmembers() if (m.isfile() or m.isdir() or m.issym())
                       and not m.name.startswith("/") and ".." not in m.name.split("/")]
            for m in members:
                m.mode |= 0o600 if m.isfile() else 0o700
            tf.extractall(root, members=members, numeric_owner=True)
        doc = as_json(scan("dir:" + root, "--format", "json"), "debian dir:")
        if doc is not None:
            t.ok(doc["stats"]["scanned"] > 1000 and not unexpected(doc),
                 "clean debian rootfs as dir: (%d text files): no finding"
                 % doc["stats"]["scanned"], ["unexpected: %s" % unexpected(doc)[:20]])
        with open(tar, "rb") as f:
            layer = f.read()
        archive = os.path.join(tmp, "bookworm.docker.tar")
        docker_archive(archive, [layer], tag="vigil-test/secrets-bookworm:1")
        doc = as_json(scan("archive:" + archive, "--format", "json"), "debian archive:")
        if doc is not None:
            t.ok(doc["stats"]["scanned"] > 1000 and not unexpected(doc),
                 "clean debian rootfs as archive: no finding",
                 ["unexpected: %s" % unexpected(doc)[:20]])


def main():
    t.diag("vigil: " + VIGIL)
    if not os.path.exists(VIGIL):
        t.ok(False, "vigil binary exists", [VIGIL])
        return t.done()
    with tempfile.TemporaryDirectory() as d:
        check_layers(d)
        check_options(d)
        check_large_files(d)
    check_debian()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
