#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/sbom.py - `vigil sbom` of a large image against decompressing its layer blobs alone.

Builds (once, cached in $BENCH_IMAGE_DIR, default /var/tmp/vigil-bench-image) an OCI layout
of about 1 GB uncompressed from real files: the cached debootstrap bookworm rootfs of the
integration tests (or this host's /usr/lib/x86_64-linux-gnu when it is missing), this
host's /usr/bin and parts of /usr/share, one layer each, in a gzip and a zstd variant,
plus a gzip-compressed docker archive of the gzip variant's layers.

Each round times, interleaved: `gzip -dc` (resp. `zstd -dc`) of every layer blob to
/dev/null (the baseline), then `vigil sbom oci:DIR --format json -o /dev/null`; medians over
ROUNDS are compared. Peak RSS is the child's ru_maxrss. Goals (issue 4): time <= 1.3x the
baseline, peak RSS <= 150 MB.

    bench/sbom.py [--vigil PATH] [--rounds N]
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
IMAGE_DIR = os.environ.get("BENCH_IMAGE_DIR", "/var/tmp/vigil-bench-image")
ROOTFS_TAR = "/var/cache/vigil-test/bookworm-minbase-v1.tar"
LAYER_SOURCES = [
    ("/usr/bin", "usr/bin"),
    ("/usr/share", "usr/share/perl5"),
    ("/usr/share", "usr/share/locale"),
    ("/usr/share", "usr/share/doc"),
    ("/usr/share", "usr/share/man"),
]
VERSION = "v2"  # bump when the layout recipe changes


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def layer_tars(tmp):
    """Uncompressed layer tars (path list), about 1 GB in total."""
    tars = []
    if os.path.exists(ROOTFS_TAR):
        tars.append(ROOTFS_TAR)
    else:
        out = os.path.join(tmp, "layer-base.tar")
        sh(["tar", "-C", "/", "-cf", out, "usr/lib/x86_64-linux-gnu"])
        tars.append(out)
    for i, (base, rel) in enumerate(LAYER_SOURCES):
        if not os.path.exists(os.path.join("/", rel)):
            continue
        out = os.path.join(tmp, "layer-%d.tar" % i)
        sh(["tar", "-C", "/", "--ignore-failed-read", "-cf", out, rel],
           stderr=subprocess.DEVNULL)
        tars.append(out)
    return tars


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_blob(layout, data_path=None, data=None):
    blobs = os.path.join(layout, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest), "wb") as f:
            f.write(data)
        return digest, len(data)
    digest = sha256_file(data_path)
    shutil.move(data_path, os.path.join(blobs, digest))
    return digest, os.path.getsize(os.path.join(blobs, digest))


def build_layout(layout, tars, comp):
    """An OCI layout with one @comp ("gzip"/"zstd") layer per tar."""
    os.makedirs(layout)
    layers, diff_ids = [], []
    for i, t in enumerate(tars):
        diff_ids.append("sha256:" + sha256_file(t))
        out = os.path.join(layout, "tmp-%d" % i)
        with open(out, "wb") as f:
            if comp == "gzip":
                sh(["gzip", "-6", "-n", "-c", t], stdout=f)
            else:
                sh(["zstd", "-q", "-3", "-T0", "-c", t], stdout=f)
        digest, size = write_blob(layout, data_path=out)
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+" + comp,
                       "digest": "sha256:" + digest, "size": size})
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "config": {"Cmd": ["/bin/sh"]}}).encode()
    cdig, csize = write_blob(layout, data=config)
    manifest = json.dumps({"schemaVersion": 2,
                           "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": "sha256:" + cdig, "size": csize},
                           "layers": layers}).encode()
    mdig, msize = write_blob(layout, data=manifest)
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json",
             "digest": "sha256:" + mdig, "size": msize,
             "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}, f)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion": "1.0.0"}')
    return [os.path.join(layout, "blobs", "sha256", l["digest"][7:]) for l in layers]


def build_docker_gzip(out, tars):
    """`docker save | gzip` of the same layers (legacy layout: <n>/layer.tar)."""
    diff_ids = ["sha256:" + sha256_file(t) for t in tars]
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    cname = hashlib.sha256(config).hexdigest() + ".json"
    raw = out + ".tar"
    with tarfile.open(raw, "w") as tf:
        names = []
        for i, t in enumerate(tars):
            name = "%d/layer.tar" % i
            tf.add(t, arcname=name)
            names.append(name)
        for name, data in ((cname, config), ("manifest.json", json.dumps(
                [{"Config": cname, "RepoTags": ["bench:latest"], "Layers": names}]).encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    with open(out, "wb") as f:
        sh(["gzip", "-1", "-n", "-c", raw], stdout=f)
    os.unlink(raw)


def ensure_image():
    stamp = os.path.join(IMAGE_DIR, "stamp-" + VERSION)
    if os.path.exists(stamp):
        return
    shutil.rmtree(IMAGE_DIR, ignore_errors=True)
    os.makedirs(IMAGE_DIR)
    tmp = os.path.join(IMAGE_DIR, "tmp")
    os.makedirs(tmp)
    print("# building the bench image in %s (once)" % IMAGE_DIR, flush=True)
    tars = layer_tars(tmp)
    total = sum(os.path.getsize(t) for t in tars)
    build_layout(os.path.join(IMAGE_DIR, "oci-gzip"), tars, "gzip")
    build_layout(os.path.join(IMAGE_DIR, "oci-zstd"), tars, "zstd")
    build_docker_gzip(os.path.join(IMAGE_DIR, "docker.tar.gz"), tars)
    shutil.rmtree(tmp)
    with open(stamp, "w") as f:
        f.write("%d\n" % total)


def blobs_of(layout):
    with open(os.path.join(layout, "index.json")) as f:
        mdig = json.load(f)["manifests"][0]["digest"][7:]
    with open(os.path.join(layout, "blobs", "sha256", mdig)) as f:
        man = json.load(f)
    return [os.path.join(layout, "blobs", "sha256", l["digest"][7:]) for l in man["layers"]]


def timed(cmd):
    """(seconds, peak RSS in MB of this child)."""
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    dt = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s failed (%d)" % (" ".join(cmd), os.waitstatus_to_exitcode(status)))
    return dt, ru.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", default=os.environ.get("VIGIL", os.path.join(ROOT, "build", "src",
                                                                             "cli", "vigil")))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "3")))
    args = ap.parse_args()
    ensure_image()
    with open(os.path.join(IMAGE_DIR, "stamp-" + VERSION)) as f:
        total = int(f.read())
    print("# image: %.0f MB uncompressed, %d layers, %d CPUs" % (
        total / 1e6, len(blobs_of(os.path.join(IMAGE_DIR, "oci-gzip"))), os.cpu_count()))
    cases = [
        ("oci gzip", ["gzip", "-dc"], "oci-gzip"),
        ("oci zstd", ["zstd", "-dcq"], "oci-zstd"),
        ("docker-archive gzip", ["gzip", "-dc"], "docker.tar.gz"),
    ]
    fails = 0
    for name, dec, target in cases:
        path = os.path.join(IMAGE_DIR, target)
        inputs = blobs_of(path) if target.startswith("oci") else [path]
        kind = "oci:" if target.startswith("oci") else "archive:"
        base, run, rss = [], [], []
        for _ in range(args.rounds):
            base.append(sum(timed(dec + [b])[0] for b in inputs))
            dt, mb = timed([args.vigil, "sbom", kind + path, "--format", "json",
                            "-o", "/dev/null"])
            run.append(dt)
            rss.append(mb)
        b, v = statistics.median(base), statistics.median(run)
        ok_t, ok_m = v <= 1.3 * b, max(rss) <= 150
        fails += (not ok_t) + (not ok_m)
        print("%-20s  decompress %6.2f s  vigil sbom %6.2f s  ratio %.2f (goal <= 1.30) %s"
              "  peak RSS %5.0f MB (goal <= 150) %s" % (
                  name, b, v, v / b, "ok" if ok_t else "MISSED", max(rss),
                  "ok" if ok_m else "MISSED"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
