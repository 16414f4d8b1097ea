# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# docker-env.sh — sourced helpers that give integration tests a real Docker engine without
# touching the host's: a private dockerd (no bridge, no iptables, own data/exec roots and
# socket) started only when nothing answers on the chosen socket, plus a local busybox image
# imported from Debian's busybox-static (no registry access).
#
#   source tests/integration/docker-env.sh
#   vg_docker_up || exit 77                 # exports DOCKER_HOST, VG_DOCKER_SOCK
#   vg_docker_test_image vigil-test/busybox # idempotent
#   id=$(docker create --network none vigil-test/busybox sleep 1000)
#   docker start "$id"
#   ...
#   docker rm -f "$id"; vg_docker_down      # stops dockerd only if vg_docker_up started it
#
# There is no bridge network: run containers with --network none (or host).
#
# Environment knobs:
#   VG_DOCKER_SOCK        socket to use/create   (default /run/vigil-test-docker/docker.sock)
#   VG_DOCKER_DATA_ROOT   dockerd --data-root    (default /var/lib/vigil-test-docker; kept
#                         between runs so the imported image is cached)
#   VG_DOCKER_EXEC_ROOT   dockerd --exec-root    (default /run/vigil-test-docker/exec)
#   VG_DOCKER_STORAGE     dockerd --storage-driver (default: dockerd's choice)
#   VG_DOCKER_TIMEOUT     seconds to wait for the engine (default 60)
#   VG_BUSYBOX            static busybox to install (default /bin/busybox)
#
# Requires root and docker.io (dockerd + docker CLI; the deps script installs it).

: "${VG_DOCKER_SOCK:=/run/vigil-test-docker/docker.sock}"
: "${VG_DOCKER_DATA_ROOT:=/var/lib/vigil-test-docker}"
: "${VG_DOCKER_EXEC_ROOT:=/run/vigil-test-docker/exec}"
: "${VG_DOCKER_TIMEOUT:=60}"

vg_docker__log() { printf '# docker-env: %s\n' "$*" >&2; }

vg_docker__rundir() { dirname "$VG_DOCKER_SOCK"; }

# vg_docker_alive: 0 when an engine answers on $VG_DOCKER_SOCK
vg_docker_alive() {
	[ -S "$VG_DOCKER_SOCK" ] &&
		timeout 10 docker -H "unix://$VG_DOCKER_SOCK" info >/dev/null 2>&1
}

# vg_docker_up: make sure an engine answers on $VG_DOCKER_SOCK; export DOCKER_HOST.
# Returns 1 (with the dockerd log tail on stderr) when the engine cannot be started.
vg_docker_up() {
	local run pidfile log i pid
	run=$(vg_docker__rundir)
	pidfile="$run/dockerd.pid"
	log="$run/dockerd.log"
	export VG_DOCKER_SOCK
	if vg_docker_alive; then
		export DOCKER_HOST="unix://$VG_DOCKER_SOCK"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then vg_docker__log "not root"; return 1; fi
	if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
		vg_docker__log "dockerd/docker not installed (apt-get install docker.io)"
		return 1
	fi
	mkdir -p "$run" "$VG_DOCKER_DATA_ROOT" "$VG_DOCKER_EXEC_ROOT" || return 1
	# A stale daemon of ours that no longer answers: stop it first.
	if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		vg_docker__log "stale dockerd $(cat "$pidfile") does not answer; stopping it"
		vg_docker__stop_pid "$(cat "$pidfile")"
	fi
	vg_docker__stop_containerd
	rm -f "$VG_DOCKER_SOCK" "$pidfile"
	local args=(--iptables=false --ip6tables=false --bridge=none --ip-masq=false
		--data-root "$VG_DOCKER_DATA_ROOT" --exec-root "$VG_DOCKER_EXEC_ROOT"
		--host "unix://$VG_DOCKER_SOCK" --pidfile "$pidfile"
		--containerd-namespace vigil-test --containerd-plugins-namespace vigil-test-plugins)
	[ -n "${VG_DOCKER_STORAGE:-}" ] && args+=(--storage-driver "$VG_DOCKER_STORAGE")
	vg_docker__log "starting dockerd on $VG_DOCKER_SOCK (log: $log)"
	setsid dockerd "${args[@]}" </dev/null >"$log" 2>&1 &
	pid=$!
	echo "$pid" >"$run/started-by-vigil"
	for ((i = 0; i < VG_DOCKER_TIMEOUT * 2; i++)); do
		if vg_docker_alive; then
			export DOCKER_HOST="unix://$VG_DOCKER_SOCK"
			vg_docker__log "engine up after $((i / 2)) s"
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			vg_docker__log "dockerd exited:"
			tail -n 20 "$log" | sed 's/^/#   /' >&2
			rm -f "$run/started-by-vigil"
			return 1
		fi
		sleep 0.5
	done
	vg_docker__log "dockerd did not answer within ${VG_DOCKER_TIMEOUT} s:"
	tail -n 20 "$log" | sed 's/^/#   /' >&2
	vg_docker__stop_pid "$pid"
	rm -f "$run/started-by-vigil"
	return 1
}

vg_docker__stop_pid() {
	local pid="$1" i
	if kill -TERM "$pid" 2>/dev/null; then
		for ((i = 0; i < 60; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	vg_docker__stop_containerd
	return 0
}

# The containerd that our dockerd spawned outlives a killed dockerd; a new dockerd would
# then find it half-alive ("containerd is still running") and time out.
vg_docker__stop_containerd() {
	local cpid_file="$VG_DOCKER_EXEC_ROOT/containerd/containerd.pid" cpid i
	[ -s "$cpid_file" ] || return 0
	cpid=$(cat "$cpid_file")
	case "$(cat "/proc/$cpid/cmdline" 2>/dev/null | tr '\0' ' ')" in
	containerd*"$VG_DOCKER_EXEC_ROOT"*) ;;
	*) rm -f "$cpid_file"; return 0 ;;
	esac
	kill -TERM "$cpid" 2>/dev/null
	for ((i = 0; i < 20; i++)); do
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL "$cpid" 2>/dev/null
	rm -f "$cpid_file"
	return 0
}

# vg_docker_down: stop the dockerd that vg_docker_up started (a pre-existing engine is left
# alone). Containers are stopped by dockerd; the data root (image cache) is kept.
vg_docker_down() {
	local run marker pid
	run=$(vg_docker__rundir)
	marker="$run/started-by-vigil"
	[ -s "$marker" ] || return 0
	pid=$(cat "$marker")
	vg_docker__log "stopping dockerd $pid"
	vg_docker__stop_pid "$pid"
	rm -f "$marker" "$VG_DOCKER_SOCK"
	return 0
}

# vg_docker_test_image NAME: import a busybox-static rootfs as image NAME (CMD /bin/sh),
# unless it already exists. Needs vg_docker_up first.
vg_docker_test_image() {
	local name="${1:?image name}" bb="${VG_BUSYBOX:-/bin/busybox}" tmp root rc
	if docker image inspect "$name" >/dev/null 2>&1; then return 0; fi
	if [ ! -x "$bb" ]; then vg_docker__log "$bb missing (apt-get install busybox-static)"; return 1; fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/vg-docker-image.XXXXXX") || return 1
	root="$tmp/rootfs"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,var/tmp} || return 1
	chmod 1777 "$root/tmp" "$root/var/tmp"
	cp "$bb" "$root/bin/busybox" || { rm -rf "$tmp"; return 1; }
	# Applet symlinks: busybox --install -s inside the rootfs (links point at /bin/busybox).
	if ! chroot "$root" /bin/busybox --install -s 2>/dev/null; then
		local a
		for a in $("$bb" --list); do
			[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
		done
	fi
	cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
	cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
	tar --numeric-owner -C "$root" -cf - . |
		docker import --change 'CMD ["/bin/sh"]' - "$name" >/dev/null
	rc=$?
	rm -rf "$tmp"
	if [ "$rc" != 0 ]; then vg_docker__log "docker import of $name failed"; return 1; fi
	vg_docker__log "imported $name"
	return 0
}
