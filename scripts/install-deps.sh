#!/usr/bin/env bash
# Installs every Debian 12 package vigil needs to build, run and test.
# Idempotent and non-interactive: safe to run again on a machine that has them.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

packages=(
	# toolchain
	build-essential gcc clang llvm lld libclang-rt-14-dev meson ninja-build pkg-config
	python3 clang-format
	# BPF sensor
	bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev
	# image layers: ISA-L's fast gzip inflate
	libisal-dev
	# libraries wrapped in src/shared
	libjansson-dev libyaml-dev libpcre2-dev libarchive-dev libsqlite3-dev
	libcurl4-openssl-dev libssl-dev
	# integration tests: real containers, a real engine, tools the tests drive
	docker.io runc busybox-static iproute2 procps util-linux curl ca-certificates
	strace jq
	# tests/integration/test-rules.py: a Debian rootfs for the package-build workload
	debootstrap
	# tests/unit/inventory: real rpm databases (rpmbuild, rpmdb.sqlite, Berkeley DB)
	rpm sqlite3 db5.3-util
	# tests/integration/test-sbom-lang.py: real Maven-built jars in /usr/share/java (no JRE)
	libguava-java libslf4j-java libcommons-lang3-java
)

# tests/integration/test-sbom.py validates CycloneDX with an npm package. Machines that already
# have Node.js and npm (e.g. from NodeSource) keep theirs: Debian's npm would replace them.
if ! command -v npm >/dev/null 2>&1; then
	packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all ${#packages[@]} packages already installed"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
