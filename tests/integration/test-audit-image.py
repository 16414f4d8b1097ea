#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vigil audit image|dockerfile (TAP). No root needed.

Dockerfiles: one clean file and, for each hadolint rule, a file with that weakness; the
expected (rule, line) pairs are written from the rule definitions. Images: docker archives
built here with tarfile (config, history, layers), one clean and one per weakness, plus the
real Alpine fixtures in ../shared/data/images; the expected Dockle checkpoints of every image
are computed below from the config and the tar contents (an independent reading of the
definitions in rules/audit/dockle.yaml), never from vigil. Checks the JSON findings, the
SARIF results (rule, line), the JUnit failures, --benchmark, suppressions, exit codes, parse
errors with file:line:col and "not applicable" for a missing input.
"""
import gzip
import hashlib
import io
import json
import os
import re
import shlex
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vgtest import ROOT, Tap, find_binary, run  # noqa: E402

VIGIL = find_binary("VIGIL", ["build/src/cli/vigil"])
IMAGES = os.path.join(ROOT, "..", "shared", "data", "images")
ENV = dict(os.environ, DOCKER_CONTENT_TRUST="1", NO_COLOR="1")

t = Tap()


def audit(*args, env=ENV):
    return run([VIGIL, "audit"] + list(args), env=env)


def code(rule):
    return rule.split(" ", 1)[0]


def findings_of(res):
    try:
        doc = json.loads(res.stdout)
    except ValueError:
        return None, None
    return doc, sorted((code(f["rule"]), f["line"]) for f in doc["findings"]
                       if not f["suppressed"])


# ---- Dockerfiles ------------------------------------------------------------------------

CLEAN_DF = """# syntax=docker/dockerfile:1
FROM alpine:3.19 AS build
RUN apk add --no-cache gcc=13.2.1-r0 \\
    make=4.4.1-r2
WORKDIR /src
COPY . .
FROM alpine:3.19
COPY --from=build /src/app /app
HEALTHCHECK CMD ["/app", "--health"]
USER app
ENTRYPOINT ["/app"]
"""

# (name, Dockerfile, expected [(code, line)]) from the rule definitions
DF_CASES = [
    ("clean", CLEAN_DF, []),
    ("DL3000 relative WORKDIR", "FROM a:1\nWORKDIR app\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3000", 2)]),
    ("DL3001 pointless command", "FROM a:1\nRUN service nginx start\nHEALTHCHECK NONE\n"
     "USER x\n", [("DL3001", 2)]),
    ("DL3002 last USER root", "FROM a:1\nHEALTHCHECK NONE\nUSER x\nUSER 0:0\n",
     [("DL3002", 4)]),
    ("DL3003 cd", "FROM a:1\nRUN cd /x && make\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3003", 2)]),
    ("DL3004 sudo", "FROM a:1\nRUN sudo make install\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3004", 2)]),
    ("DL3006 untagged FROM", "FROM ubuntu\nHEALTHCHECK NONE\nUSER x\n", [("DL3006", 1)]),
    ("DL3007 latest", "FROM ubuntu:latest\nHEALTHCHECK NONE\nUSER x\n", [("DL3007", 1)]),
    ("DL3008 DL3009 DL3015 apt", "FROM debian:12\nRUN apt-get update && apt-get install -y \\\n"
     "    curl\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3008", 2), ("DL3009", 2), ("DL3015", 2)]),
    ("DL3013 DL3042 pip", "FROM python:3\nRUN pip install flask\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3013", 2), ("DL3042", 2)]),
    ("DL3018 DL3019 apk", "FROM a:1\nRUN apk add curl\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3018", 2), ("DL3019", 2)]),
    ("DL3020 ADD", "FROM a:1\nADD app.py /app/\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3020", 2)]),
    ("DL3025 shell form CMD", "FROM a:1\nHEALTHCHECK NONE\nUSER x\nCMD python app.py\n",
     [("DL3025", 4)]),
    ("DL3027 apt", "FROM a:1\nRUN apt install -y x=1 --no-install-recommends && "
     "rm -rf /var/lib/apt/lists/*\nHEALTHCHECK NONE\nUSER x\n", [("DL3027", 2)]),
    ("DL3045 relative COPY", "FROM a:1\nCOPY a conf/\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3045", 2)]),
    ("DL3057 no HEALTHCHECK", "FROM a:1\nUSER x\n", [("DL3057", 1)]),
    ("DL3059 consecutive RUN", "FROM a:1\nRUN a\nRUN b\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3059", 3)]),
    ("DL3061 order", "LABEL a=b\nFROM a:1\nHEALTHCHECK NONE\nUSER x\n", [("DL3061", 1)]),
    ("DL3064 secret ENV", "FROM a:1\nARG NPM_TOKEN\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3064", 2)]),
    ("DL3067 whole stage", "FROM a:1 AS b\nFROM a:1\nCOPY --from=b / /\nHEALTHCHECK NONE\n"
     "USER x\n", [("DL3067", 3)]),
    ("DL4000 MAINTAINER", "FROM a:1\nMAINTAINER me\nHEALTHCHECK NONE\nUSER x\n",
     [("DL4000", 2)]),
    ("DL4001 wget and curl", "FROM a:1\nRUN curl -o a x\nHEALTHCHECK NONE\nRUN wget y\n"
     "USER x\n", [("DL4001", 1)]),
    ("DL4006 VG-DF-0001 curl|sh", "FROM a:1\nRUN curl -s https://x/i.sh | sh\n"
     "HEALTHCHECK NONE\nUSER x\n", [("DL4006", 2), ("VG-DF-0001", 2)]),
    ("SC2086 unquoted", "FROM a:1\nRUN echo $HOME\nHEALTHCHECK NONE\nUSER x\n",
     [("SC2086", 2)]),
    ("heredoc and escape directive", "# escape=`\nFROM a:1\nRUN <<EOF\nsudo ls\nEOF\n"
     "RUN echo `\n  a\nHEALTHCHECK NONE\nUSER x\n",
     [("DL3004", 3), ("DL3059", 6)]),
]


def check_dockerfiles(tmp):
    for name, text, want in DF_CASES:
        path = os.path.join(tmp, "Dockerfile." + re.sub(r"\W+", "-", name))
        with open(path, "w") as f:
            f.write(text)
        res = audit("dockerfile", path, "--format", "json")
        doc, got = findings_of(res)
        t.ok(res.returncode == 0 and got == sorted(want), "dockerfile %s: %s" % (name, want),
             ["rc=%s got=%s" % (res.returncode, got), res.stderr[-400:]])
        if name == "clean":
            continue
        # SARIF: the same rules at the same lines
        res = audit("dockerfile", path, "--format", "sarif")
        try:
            s = json.loads(res.stdout)
            run0 = s["runs"][0]
            sres = sorted((code(r["ruleId"]),
                           r["locations"][0]["physicalLocation"]["region"]["startLine"])
                          for r in run0["results"])
            ok = s["version"] == "2.1.0" and run0["tool"]["driver"]["name"] == "vigil" and \
                sres == sorted(want) and all(
                    r["ruleIndex"] < len(run0["tool"]["driver"]["rules"])
                    for r in run0["results"])
        except (ValueError, KeyError, IndexError) as e:
            ok, sres = False, str(e)
        t.ok(ok, "dockerfile %s: SARIF results" % name, ["got=%s" % (sres,)])
        # JUnit: one failed testcase per failed rule
        res = audit("dockerfile", path, "--format", "junit")
        try:
            root = ET.fromstring(res.stdout)
            failed = sorted(code(tc.get("name")) for tc in root.iter("testcase")
                            if tc.find("failure") is not None)
            ok = failed == sorted({c for c, _ in want}) and \
                int(root.get("failures")) == len(failed)
        except ET.ParseError as e:
            ok, failed = False, str(e)
        t.ok(ok, "dockerfile %s: JUnit failures" % name, ["got=%s" % (failed,)])


def check_dockerfile_cli(tmp):
    bad = os.path.join(tmp, "Dockerfile.bad")
    with open(bad, "w") as f:
        f.write("FROM a:1\nRUN x\n  FROB y\n")
    res = audit("dockerfile", bad, "--format", "json")
    t.ok(res.returncode == 1 and "%s:3:3: unknown instruction 'FROB'" % bad in res.stderr,
         "dockerfile parse error: exit 1 with file:line:col", [res.stderr[-300:]])
    with open(bad, "w") as f:
        f.write("FROM a:1\nRUN <<EOF\necho\n")
    res = audit("dockerfile", bad)
    t.ok(res.returncode == 1 and "%s:2:1: unterminated heredoc <<EOF" % bad in res.stderr,
         "dockerfile unterminated heredoc: exit 1", [res.stderr[-300:]])
    missing = os.path.join(tmp, "no-such-Dockerfile")
    res = audit("dockerfile", missing, "--format", "json")
    doc, got = findings_of(res)
    t.ok(res.returncode == 0 and doc and doc["files"][0]["status"] == "not-applicable" and
         got == [], "dockerfile missing: not applicable, exit 0", [res.stdout[-300:]])

    weak = os.path.join(tmp, "Dockerfile.weak")
    with open(weak, "w") as f:
        f.write("FROM ubuntu:latest\nMAINTAINER me\nRUN curl -s https://x | sh\n")
    # --benchmark hadolint leaves out vigil's own VG-DF rules
    res = audit("dockerfile", weak, "--format", "json", "--benchmark", "hadolint")
    doc, got = findings_of(res)
    want = [("DL3007", 1), ("DL3057", 1), ("DL4000", 2), ("DL4006", 3)]
    t.ok(got == want and doc["benchmark"] == "hadolint", "dockerfile --benchmark hadolint",
         ["got=%s" % (got,)])
    # suppressions: one active, one expired
    ign = os.path.join(tmp, "ignore")
    with open(ign, "w") as f:
        f.write('DL4000 file=*weak reason="legacy"\nDL3007 exp=2001-01-01 reason="old"\n')
    res = audit("dockerfile", weak, "--format", "json", "--ignorefile", ign,
                "--exit-code", "3")
    doc, got = findings_of(res)
    sup = [code(f["rule"]) for f in (doc or {}).get("findings", []) if f["suppressed"]]
    t.ok(res.returncode == 3 and sup == ["DL4000"] and ("DL3007", 1) in got,
         "dockerfile suppression and --exit-code", ["rc=%s sup=%s" % (res.returncode, sup)])
    res = audit("dockerfile", os.path.join(tmp, "Dockerfile.clean"), "--exit-code", "3")
    t.ok(res.returncode == 0 and "0 failed" in res.stdout, "dockerfile clean: exit 0 table",
         [res.stdout[-300:]])
    res = run([VIGIL, "rules", "fields", "--source", "dockerfile_instr"])
    t.ok(res.returncode == 0 and "df.run.apt.unpinned" in res.stdout and
         "df.has_healthcheck" in res.stdout, "vigil rules fields --source dockerfile_instr")


# ---- images ---------------------------------------------------------------------------

def layer_tar(files):
    """An uncompressed layer from [(path, bytes or None for a directory, mode)]."""
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w") as tf:
        for name, data, mode in files:
            ti = tarfile.TarInfo(name)
            ti.mode = mode
            if data is None:
                ti.type = tarfile.DIRTYPE
                tf.addfile(ti)
            else:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
    return bio.getvalue()


def docker_archive(out, layers, config, tag):
    diff_ids = ["sha256:" + hashlib.sha256(b).hexdigest() for b in layers]
    config = dict(config, rootfs={"type": "layers", "diff_ids": diff_ids})
    cfg = json.dumps(config).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    names = ["l%d/layer.tar" % i for i in range(len(layers))]
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": [tag], "Layers": names}]).encode()
    with tarfile.open(out, "w") as tf:
        for name, data in [(cfg_name, cfg), ("manifest.json", manifest)] + \
                list(zip(names, layers)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))


BASE_FILES = [
    ("bin", None, 0o755), ("bin/sh", b"\x7fELF", 0o755), ("etc", None, 0o755),
    ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n",
     0o644),
    ("etc/group", b"root:x:0:\napp:x:1000:\n", 0o644),
    ("etc/shadow", b"root:!::0:::::\napp:!::0:::::\n", 0o640),
    ("tmp", None, 0o1777),
]


def clean_config():
    return {"architecture": "amd64", "os": "linux",
            "config": {"User": "app", "Env": ["PATH=/usr/bin", "GPG_KEY=AB"],
                       "Healthcheck": {"Test": ["CMD", "/bin/true"]}, "Cmd": ["/app"]},
            "history": [{"created_by": "/bin/sh -c #(nop) ADD file:0ab in / "},
                        {"created_by": "/bin/sh -c #(nop)  CMD [\"/app\"]",
                         "empty_layer": True},
                        {"created_by": "COPY app /app # buildkit"}]}


def hist(cfg, created_by):
    cfg["history"].append({"created_by": created_by})


# One weakness each: (name, mutate(config, files) -> tag or None)
def set_user(v):
    return lambda c, f: c["config"].__setitem__("User", v)


IMAGE_CASES = [
    ("clean", lambda c, f: None),
    ("root user", set_user("")),
    ("uid 0 user", set_user("0:0")),
    ("no healthcheck", lambda c, f: c["config"].pop("Healthcheck")),
    ("apt-get update alone", lambda c, f: hist(c, "/bin/sh -c apt-get update")),
    ("setuid file", lambda c, f: f.append(("bin/su", b"x", 0o4755))),
    ("setgid file", lambda c, f: f.append(("usr/bin/wall", b"x", 0o2755))),
    ("ADD after base", lambda c, f: hist(c, "ADD app.tar.gz /app # buildkit")),
    ("secret env", lambda c, f: c["config"]["Env"].append("API_TOKEN=x")),
    ("credential file", lambda c, f: f.append(("root/.ssh/id_rsa", b"k", 0o600))),
    ("npmrc", lambda c, f: f.append(("app/.npmrc", b"k", 0o644))),
    ("sudo", lambda c, f: hist(c, "RUN /bin/sh -c sudo make install # buildkit")),
    ("proc volume", lambda c, f: c["config"].__setitem__("Volumes", {"/proc": {}})),
    ("dist-upgrade", lambda c, f: hist(c, "/bin/sh -c apt-get update && apt-get dist-upgrade "
                                       "-y && rm -rf /var/lib/apt/lists/*")),
    ("apk cache", lambda c, f: hist(c, "/bin/sh -c apk add curl")),
    ("apt lists kept", lambda c, f: hist(c, "|1 V=1 /bin/sh -c apt-get update && apt-get "
                                         "install -y curl")),
    ("latest tag", lambda c, f: "vigil-test/img:latest"),
    ("empty password", lambda c, f: f.__setitem__(5, ("etc/shadow", b"root:::0:::::\n",
                                                        0o640))),
    ("duplicate uid", lambda c, f: f.__setitem__(3, (
        "etc/passwd", b"root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n", 0o644))),
    ("duplicate gid", lambda c, f: f.__setitem__(4, (
        "etc/group", b"root:x:0:\nwheel:x:0:\n", 0o644))),
    ("git directory", lambda c, f: f.append(("src/.git/config", b"x", 0o644))),
    ("sshd", lambda c, f: f.append(("usr/sbin/sshd", b"x", 0o755))),
    ("port 22", lambda c, f: c["config"].__setitem__("ExposedPorts", {"22/tcp": {}})),
    ("world-writable", lambda c, f: f.append(("app/data", b"x", 0o666))),
    ("apk cache files", lambda c, f: f.append(("var/cache/apk/APKINDEX.1.tar.gz", b"x",
                                               0o644))),
    ("curl|sh", lambda c, f: hist(c, "/bin/sh -c curl -fsSL https://x/i.sh | sh")),
    ("token in env", lambda c, f: c["config"]["Env"].append("CFG=" + TOKEN)),
    ("token in history", lambda c, f: hist(c, "|1 GH=%s /bin/sh -c make" % TOKEN)),
    ("deleted secret is gone", None),  # built separately: a later layer deletes id_rsa
]


# -- the independent reading of the Dockle definitions --

# rules/secrets.yaml github-pat: the one secret rule these images can trigger
TOKEN = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
GITHUB_PAT = re.compile(r"(?<![A-Za-z0-9_])ghp_[A-Za-z0-9]{36}(?![A-Za-z0-9])")

CRED_NAMES = {"credentials.json", "credential.json", "credentials", "credential",
              "password.txt", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "secret_token.rb",
              "carrierwave.rb", "omniauth.rb", "settings.py", "database.yml",
              "credentials.xml", ".env", ".npmrc", ".git-credentials", ".pgpass", ".netrc",
              ".pypirc", ".dockercfg", ".s3cfg"}
CRED_EXTS = (".secret", ".ovpn", ".private_key", ".cscfg", ".rdp", ".mdf", ".sdf", ".bek",
             ".tpm", ".fve", ".jks", ".psafe3", ".agilekeychain", ".keychain", ".pcap",
             ".gnucache")
JUNK_DIRS = {".cache", ".aws", ".azure", ".gcp", ".git", ".vscode", ".idea", ".npm"}
JUNK_FILES = {"Dockerfile", "docker-compose.yml", ".vimrc", ".DS_Store"}


def final_view(layers):
    """{path: (mode, is_dir, data)} after applying the layers (whiteouts honoured)."""
    view = {}
    for layer in layers:
        with tarfile.open(fileobj=io.BytesIO(layer)) as tf:
            for m in tf.getmembers():
                p = m.name.lstrip("./").rstrip("/")
                base = os.path.basename(p)
                d = os.path.dirname(p)
                if base == ".wh..wh..opq":
                    for k in [k for k in view if k.startswith(d + "/")]:
                        del view[k]
                    continue
                if base.startswith(".wh."):
                    gone = os.path.join(d, base[4:])
                    for k in [k for k in view if k == gone or k.startswith(gone + "/")]:
                        del view[k]
                    continue
                if m.isfile():
                    view[p] = (m.mode, False, tf.extractfile(m).read())
                elif m.isdir():
                    view[p] = (m.mode, True, None)
                elif m.issym() or m.islnk():
                    view[p] = (m.mode, None, None)
    return view


def words_of(script):
    cmds = re.split(r"&&|\|\||;|\|", script)
    out = []
    for c in cmds:
        try:
            w = shlex.split(c)
        except ValueError:
            w = c.split()
        while w and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w[0]):
            w = w[1:]
        out.append(w)
    return out


def run_script(created_by):
    s = re.sub(r"^\|\d+( \S+)*? (?=/bin/sh)", "", created_by)
    if s.startswith("RUN "):
        s = re.sub(r"^RUN (\|\d+ (\S+ )*?)?", "", s)
    if not s.startswith("/bin/sh -c ") or s.startswith("/bin/sh -c #(nop)"):
        return None
    s = s[len("/bin/sh -c "):]
    return s[:-len(" # buildkit")] if s.endswith(" # buildkit") else s


def expected_image(config, layers, tag, trust=True):
    exp = set()
    cfg = config.get("config", {})
    user = cfg.get("User") or ""
    if user in ("", "root", "0") or user.startswith("root:") or user.startswith("0:"):
        exp.add("CIS-DI-0001")
    if not trust:
        exp.add("CIS-DI-0005")
    hc = cfg.get("Healthcheck")
    if not hc or hc.get("Test", [""])[:1] == ["NONE"]:
        exp.add("CIS-DI-0006")
    for k in [e.split("=", 1)[0] for e in cfg.get("Env") or []]:
        if k.upper() not in ("GPG_KEY", "GPG_KEYS") and \
                re.search("PASS|SECRET|KEY|ACCESS|TOKEN", k.upper()):
            exp.add("CIS-DI-0010")
    if set(cfg.get("Volumes") or {}) & {"/proc", "/sys", "/dev"}:
        exp.add("DKL-DI-0002")
    if tag.rsplit(":", 1)[-1] == "latest":
        exp.add("DKL-DI-0006")
    texts = list(cfg.get("Env") or []) + list((cfg.get("Labels") or {}).values()) + \
        [h.get("created_by", "") for h in config.get("history", [])]
    if any(GITHUB_PAT.search(x) for x in texts):
        exp.add("VG-IMG-0005")
    if "22/tcp" in (cfg.get("ExposedPorts") or {}):
        exp.add("VG-IMG-0001")
    first_layer = True
    for h in config.get("history", []):
        cb = h.get("created_by", "")
        if re.match(r"^(/bin/sh -c #\(nop\) +)?ADD ", cb) and not first_layer:
            exp.add("CIS-DI-0009")
        if not h.get("empty_layer"):
            first_layer = False
        script = run_script(cb)
        if script is None:
            continue
        cmds = words_of(script)
        progs = [w[0] for w in cmds if w]
        apt = [w[1:] for w in cmds if w and w[0] == "apt-get"]
        update = any(a[:1] == ["update"] for a in apt)
        install = any("install" in a[:1] for a in apt)
        upgrade = any(a[:1] in (["upgrade"], ["dist-upgrade"]) for a in apt)
        if update and not install and not upgrade:
            exp.add("CIS-DI-0007")
        if "sudo" in progs:
            exp.add("DKL-DI-0001")
        if any(a[:1] == ["dist-upgrade"] for a in apt):
            exp.add("DKL-DI-0003")
        if any(w[:2] == ["apk", "add"] and "--no-cache" not in w for w in cmds):
            exp.add("DKL-DI-0004")
        if install and "/var/lib/apt/lists" not in script:
            exp.add("DKL-DI-0005")
        if re.search(r"\b(curl|wget)\b[^|]*\|\s*(sh|bash)\b", script):
            exp.add("VG-IMG-0004")
    view = final_view(layers)
    for p, (mode, is_dir, data) in view.items():
        base = os.path.basename(p)
        if is_dir is False and mode & 0o6000:
            exp.add("CIS-DI-0008")
        if is_dir is not None and mode & 0o002 and not (is_dir and mode & 0o1000):
            exp.add("VG-IMG-0002")
        if is_dir is False and (base in CRED_NAMES or (base.endswith(CRED_EXTS) and
                                                       base not in CRED_EXTS) or
                                p.endswith(".docker/config.json")):
            exp.add("CIS-DI-0010")
        parts = p.split("/")
        for i, part in enumerate(parts[:-1]):
            if part in ("node_modules", "vendor"):
                break
            if part in JUNK_DIRS:
                exp.add("DKL-LI-0003")
        if is_dir is False and base in JUNK_FILES:
            exp.add("DKL-LI-0003")
        if is_dir is False and p == "usr/sbin/sshd":
            exp.add("VG-IMG-0001")
        for c in ("var/cache/apk/", "var/cache/yum/", "var/cache/dnf/", "root/.cache/pip/"):
            if is_dir is False and p.startswith(c):
                exp.add("VG-IMG-0003")
        if is_dir is False and p.startswith("var/lib/apt/lists/") and \
                p not in ("var/lib/apt/lists/lock",) and "/partial" not in p:
            exp.add("VG-IMG-0003")
        if is_dir is False and p.startswith("var/cache/apt/archives/") and p.endswith(".deb"):
            exp.add("VG-IMG-0003")

    def lines(path):
        v = view.get(path)
        if not v or v[1] is not False:
            return []
        return [ln.split(":") for ln in v[2].decode("utf-8", "replace").splitlines()
                if ln and ln[0] not in "#+-"]
    shadow = lines("etc/shadow") or lines("etc/master.passwd")
    if any(len(e) > 1 and e[0] and e[1] == "" for e in shadow):
        exp.add("DKL-LI-0001")
    for path in ("etc/passwd", "etc/group"):
        ents = [e for e in lines(path) if len(e) > 2 and e[0]]
        names = [e[0] for e in ents]
        ids = [e[2] for e in ents if e[2]]
        if len(set(names)) != len(names) or len(set(ids)) != len(ids):
            exp.add("DKL-LI-0002")
    return exp


def image_codes(res):
    try:
        doc = json.loads(res.stdout)
    except ValueError:
        return None
    return {code(f["rule"]) for f in doc["findings"] if not f["suppressed"]}


def check_images(tmp):
    for name, mutate in IMAGE_CASES:
        cfg = clean_config()
        files = list(BASE_FILES)
        tag = "vigil-test/img:1"
        if mutate is None:
            layers = [layer_tar(files + [("root/.ssh/id_rsa", b"k", 0o600)]),
                      layer_tar([("root/.ssh/.wh.id_rsa", b"", 0o644)])]
        else:
            ret = mutate(cfg, files)
            tag = ret if isinstance(ret, str) else tag
            layers = [layer_tar(files)]
        path = os.path.join(tmp, "img-%s.tar" % re.sub(r"\W+", "-", name))
        docker_archive(path, layers, cfg, tag)
        want = expected_image(cfg, layers, tag)
        if name in ("clean", "deleted secret is gone"):
            t.ok(not want, "image %s: the case has no weakness" % name)
        else:
            t.ok(want, "image %s: the case has a weakness" % name)
        res = audit("image", "archive:" + path, "--format", "json")
        got = image_codes(res)
        t.ok(res.returncode == 0 and got == want, "image %s: %s" % (name, sorted(want)),
             ["rc=%s got=%s" % (res.returncode, sorted(got or [])), res.stderr[-300:]])
    # SARIF and JUnit of one weak image
    cfg = clean_config()
    cfg["config"]["User"] = "root"
    files = list(BASE_FILES) + [("bin/su", b"x", 0o4755)]
    path = os.path.join(tmp, "img-weak.tar")
    layers = [layer_tar(files)]
    docker_archive(path, layers, cfg, "vigil-test/weak:2")
    want = expected_image(cfg, layers, "vigil-test/weak:2")
    res = audit("image", path, "--format", "sarif")
    try:
        s = json.loads(res.stdout)
        got = {code(r["ruleId"]) for r in s["runs"][0]["results"]}
        ok = got == want and s["runs"][0]["tool"]["driver"]["name"] == "vigil"
    except (ValueError, KeyError, IndexError) as e:
        ok, got = False, str(e)
    t.ok(ok, "image SARIF results", ["got=%s want=%s" % (got, want)])
    res = audit("image", path, "--format", "junit")
    try:
        root = ET.fromstring(res.stdout)
        failed = {code(tc.get("name")) for tc in root.iter("testcase")
                  if tc.find("failure") is not None}
        ok = failed == want
    except ET.ParseError as e:
        ok, failed = False, str(e)
    t.ok(ok, "image JUnit failures", ["got=%s" % (failed,)])
    res = audit("image", path, "--format", "json", "--benchmark", "dockle", "--exit-code", "4",
                env=dict(ENV, DOCKER_CONTENT_TRUST="0"))
    got = image_codes(res)
    want_b = {c for c in expected_image(cfg, layers, "vigil-test/weak:2", trust=False)
              if not c.startswith("VG-")}
    t.ok(res.returncode == 4 and got == want_b, "image --benchmark dockle, --exit-code",
         ["rc=%s got=%s want=%s" % (res.returncode, got, want_b)])
    res = audit("image", os.path.join(tmp, "no-such-image.tar"), "--format", "json")
    try:
        doc = json.loads(res.stdout)
        ok = res.returncode == 0 and doc["files"][0]["status"] == "not-applicable" and \
            not doc["findings"]
    except (ValueError, KeyError, IndexError):
        ok = False
    t.ok(ok, "image missing: not applicable, exit 0", [res.stdout[-300:], res.stderr[-300:]])
    bad = os.path.join(tmp, "not-an-image.tar")
    with open(bad, "wb") as f:
        f.write(b"garbage" * 100)
    res = audit("image", "archive:" + bad)
    t.ok(res.returncode == 1, "image unreadable: exit 1", [res.stderr[-300:]])


def check_fixtures():
    for name in ("alpine-310.docker.tar.gz", "alpine-311.docker.tar.gz"):
        path = os.path.join(IMAGES, name)
        if not os.path.exists(path):
            t.skip("fixture %s" % name, "missing " + path)
            continue
        with gzip.open(path) as g, tarfile.open(fileobj=io.BytesIO(g.read())) as tf:
            manifest = json.load(tf.extractfile("manifest.json"))[0]
            config = json.load(tf.extractfile(manifest["Config"]))
            layers = []
            for ln in manifest["Layers"]:
                data = tf.extractfile(ln).read()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                layers.append(data)
            tag = (manifest.get("RepoTags") or ["none"])[0]
        want = expected_image(config, layers, tag)
        res = audit("image", "archive:" + path, "--format", "json")
        got = image_codes(res)
        t.ok(res.returncode == 0 and got == want, "fixture %s: %s" % (name, sorted(want)),
             ["rc=%s got=%s" % (res.returncode, sorted(got or [])), res.stderr[-300:]])
        res = audit("image", "archive:" + path, "--format", "json",
                    env=dict(ENV, DOCKER_CONTENT_TRUST=""))
        got = image_codes(res)
        t.ok(got == want | {"CIS-DI-0005"}, "fixture %s without content trust" % name,
             ["got=%s" % (sorted(got or []),)])
    oci = os.path.join(IMAGES, "test.oci")
    if os.path.isdir(oci):
        res = audit("image", "oci:" + oci, "--format", "json")
        got = image_codes(res)
        t.ok(res.returncode == 0 and got is not None and "CIS-DI-0001" in got and
             "CIS-DI-0006" in got, "fixture test.oci: root user, no healthcheck",
             ["rc=%s got=%s" % (res.returncode, got), res.stderr[-300:]])
    else:
        t.skip("fixture test.oci", "missing " + oci)


def main():
    if not os.access(VIGIL, os.X_OK):
        t.skip("vigil audit image|dockerfile", "no binary at " + VIGIL)
        return t.done()
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "Dockerfile.clean"), "w") as f:
            f.write(CLEAN_DF)
        check_dockerfiles(tmp)
        check_dockerfile_cli(tmp)
        check_images(tmp)
        check_fixtures()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
