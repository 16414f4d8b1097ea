#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/scan.py - a full `vigil scan` of a Debian image against `vigil sbom` of the same image.

The image is the debootstrap bookworm rootfs cached by the integration tests
(/var/cache/vigil-test/bookworm-minbase-v1.tar) written as a docker archive; the database
holds the Debian DSA and DLA lists and Go-all.zip from ../shared/data. Rounds are
interleaved (sbom, scan --scanners vuln, scan with both scanners); medians are compared.
Goal (issue 5): the vulnerability scan takes at most 1.5x the sbom.

    bench/scan.py [--vigil PATH] [--rounds N]
"""
import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.environ.get("VG_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))
ROOTFS_TAR = "/var/cache/vigil-test/bookworm-minbase-v1.tar"


def docker_archive(layer, out):
    h = hashlib.sha256()
    with open(layer, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]}}
                        ).encode()
    cname = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": cname, "RepoTags": ["bench/debian:12"],
                            "Layers": ["0/layer.tar"]}]).encode()
    with tarfile.open(out, "w") as tf:
        tf.add(layer, arcname="0/layer.tar")
        for name, data in ((cname, config), ("manifest.json", manifest)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))


def timed(cmd):
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(cmd), r.stderr.decode()[-500:]))
    return time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", default=os.environ.get(
        "VIGIL", os.path.join(ROOT, "build", "src", "cli", "vigil")))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "5")))
    args = ap.parse_args()
    if not os.path.exists(ROOTFS_TAR):
        sys.exit("bench: %s missing (run the integration tests once)" % ROOTFS_TAR)
    with tempfile.TemporaryDirectory() as d:
        image = os.path.join(d, "debian.tar")
        docker_archive(ROOTFS_TAR, image)
        db = os.path.join(d, "vuln.db")
        subprocess.run([args.vigil, "db", "import", "--db", db,
                        os.path.join(DATA, "debian-security", "DSA-list"),
                        os.path.join(DATA, "debian-security", "DLA-list"),
                        os.path.join(DATA, "osv", "Go-all.zip")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        target = "archive:" + image
        runs = {"sbom": [], "scan vuln": [], "scan vuln,secret": []}
        for _ in range(args.rounds):
            runs["sbom"].append(timed([args.vigil, "sbom", target, "--format", "json"]))
            runs["scan vuln"].append(timed([args.vigil, "scan", "--db", db, "--scanners",
                                            "vuln", "--format", "json", target]))
            runs["scan vuln,secret"].append(timed([args.vigil, "scan", "--db", db,
                                                   "--format", "json", target]))
        base = statistics.median(runs["sbom"])
        print("# image: %s (%.0f MB), %d rounds" % (ROOTFS_TAR, os.path.getsize(ROOTFS_TAR) / 1e6,
                                                     args.rounds))
        fails = 0
        for name, v in runs.items():
            m = statistics.median(v)
            goal = name == "scan vuln"
            ok = m <= 1.5 * base
            fails += goal and not ok
            print("%-18s %6.3f s  ratio %.2f%s" % (name, m, m / base,
                                                  (" (goal <= 1.50) " + ("ok" if ok else "MISSED"))
                                                  if goal else ""))
        return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
