# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# runc-env.sh — sourced helpers that run commands in a real runc container built from Debian's
# busybox-static, so integration tests exercise vigil against a container without a Docker
# engine.
#
#   source tests/integration/runc-env.sh
#   VG_RUNC_CAPS=ALL vg_runc_bundle /tmp/b /path/to/vg-actions   # rootfs + config.json
#   vg_runc_run vgtest-1234 /tmp/b /t/vg-actions all             # foreground, returns its rc
#   vg_runc_run_detached vgtest-1234 /tmp/b OUT ERR /t/vg-actions sleep 30
#   vg_runc_cleanup vgtest-1234                                  # runc delete -f (idempotent)
#   vg_runc_bundle_rm /tmp/b
#
# Environment knobs:
#   VG_RUNC_CAPS     extra capabilities for the container process, space separated
#                    (e.g. "CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_NET_RAW"), or ALL (every
#                    capability in our own bounding set)
#   VG_RUNC_NETNS    1 (default): own network namespace (only loopback, brought up by the
#                    payload — vg-actions does it itself); 0: share the host's
#   VG_RUNC_ROOT     runc --root state directory (default: runc's /run/runc)
#   VG_BUSYBOX       busybox binary to install (default /bin/busybox, must be static)
#
# The bundle's rootfs holds: busybox + its applet symlinks, /t/<files passed to vg_runc_bundle>,
# /etc/{passwd,group,hostname}, /tmp (1777). Requires root, runc and jq.

vg_runc__log() { printf '# runc-env: %s\n' "$*" >&2; }

vg_runc__runc() {
	if [ -n "${VG_RUNC_ROOT:-}" ]; then
		runc --root "$VG_RUNC_ROOT" "$@"
	else
		runc "$@"
	fi
}

# Capabilities runc 1.1 knows (CAP_BPF/CAP_PERFMON/CAP_CHECKPOINT_RESTORE included).
VG_RUNC_ALL_CAPS="CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL
CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST
CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT
CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE
CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL
CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND
CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE"

# vg_runc_bounding_caps: the names in VG_RUNC_ALL_CAPS (listed in bit order) that our own
# bounding set holds — a container cannot get more (this sandbox lacks CAP_SYS_RESOURCE).
vg_runc_bounding_caps() {
	local bnd bit=0 c held=()
	bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	for c in $VG_RUNC_ALL_CAPS; do
		if (( (16#$bnd >> bit) & 1 )); then held+=("$c"); fi
		bit=$((bit + 1))
	done
	echo "${held[*]}"
}

# vg_runc_available: 0 when runc, jq and a static busybox are usable (prints why not on stderr)
vg_runc_available() {
	local bb="${VG_BUSYBOX:-/bin/busybox}"
	if [ "$(id -u)" != 0 ]; then vg_runc__log "not root"; return 1; fi
	if ! command -v runc >/dev/null; then vg_runc__log "runc not installed"; return 1; fi
	if ! command -v jq >/dev/null; then vg_runc__log "jq not installed"; return 1; fi
	if [ ! -x "$bb" ]; then vg_runc__log "$bb missing (apt-get install busybox-static)"; return 1; fi
	return 0
}

# vg_runc_bundle DIR [FILE...]: create DIR/rootfs and DIR/config.json; FILEs are copied to /t.
vg_runc_bundle() {
	local dir="$1"; shift
	local bb="${VG_BUSYBOX:-/bin/busybox}" root a f caps capsjson netns
	vg_runc_available || return 1
	root="$dir/rootfs"
	rm -rf "$dir" && mkdir -p "$root" || return 1
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,t,root,run,var/tmp} || return 1
	chmod 1777 "$root/tmp" "$root/var/tmp"
	cp "$bb" "$root/bin/busybox" || return 1
	# one symlink per applet, where busybox would install it (--install -s, without chroot)
	while read -r a; do
		[ -n "$a" ] || continue
		[ -e "$root/$a" ] || [ -L "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done < <("$bb" --list-full)
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
		>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	echo vgtest >"$root/etc/hostname"
	for f in "$@"; do
		cp "$f" "$root/t/" || return 1
	done

	(cd "$dir" && rm -f config.json && runc spec) || return 1

	caps="${VG_RUNC_CAPS:-}"
	[ "$caps" = ALL ] && caps=$(vg_runc_bounding_caps)
	# shellcheck disable=SC2086 # word splitting of the list is intended
	capsjson=$(printf '%s\n' $caps CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE |
		jq -R . | jq -s 'unique')
	netns="${VG_RUNC_NETNS:-1}"
	jq --argjson caps "$capsjson" --arg netns "$netns" '
		.process.terminal = false
		| .process.args = ["/bin/sh"]
		| .process.env = ["PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/root", "TMPDIR=/tmp"]
		| .process.noNewPrivileges = false
		| .process.capabilities.bounding = $caps
		| .process.capabilities.effective = $caps
		| .process.capabilities.permitted = $caps
		| .process.capabilities.inheritable = $caps
		| .root.readonly = false
		| .hostname = "vgtest"
		| if $netns == "1" then . else
		    .linux.namespaces |= map(select(.type != "network")) end
	' "$dir/config.json" >"$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# vg_runc_set_args DIR ARGS...: the container's command line
vg_runc_set_args() {
	local dir="$1"; shift
	local args
	args=$(printf '%s\n' "$@" | jq -R . | jq -s .) || return 1
	jq --argjson a "$args" '.process.args = $a' "$dir/config.json" >"$dir/config.json.new" &&
		mv "$dir/config.json.new" "$dir/config.json"
}

# vg_runc_run ID DIR ARGS...: run ARGS in a new container ID in the foreground (stdin from
# /dev/null, stdout/stderr inherited), delete it afterwards; returns the payload's exit code.
vg_runc_run() {
	local id="$1" dir="$2" rc; shift 2
	vg_runc_set_args "$dir" "$@" || return 125
	vg_runc__runc run --bundle "$dir" "$id" </dev/null
	rc=$?
	vg_runc__runc delete -f "$id" >/dev/null 2>&1
	return $rc
}

# vg_runc_run_detached ID DIR OUT ERR ARGS...: start ID in the background (runc run -d) with
# stdout/stderr to files; stop it with vg_runc_cleanup.
vg_runc_run_detached() {
	local id="$1" dir="$2" out="$3" err="$4"; shift 4
	vg_runc_set_args "$dir" "$@" || return 125
	vg_runc__runc run -d --bundle "$dir" "$id" </dev/null >"$out" 2>"$err"
}

# vg_runc_pid ID: host pid of the container's init
vg_runc_pid() {
	vg_runc__runc state "$1" 2>/dev/null | jq -r .pid
}

# vg_runc_cleanup ID...: kill and delete, quietly; fine when already gone
vg_runc_cleanup() {
	local id
	for id in "$@"; do
		vg_runc__runc kill "$id" KILL >/dev/null 2>&1
		vg_runc__runc delete -f "$id" >/dev/null 2>&1
	done
	return 0
}

# vg_runc_bundle_rm DIR
vg_runc_bundle_rm() {
	[ -n "$1" ] && [ -d "$1" ] && rm -rf "$1"
	return 0
}

# Invoked directly (not sourced): a tiny CLI used by test-sensor.py and by hand:
#   runc-env.sh bundle DIR FILE...     runc-env.sh run ID DIR ARGS...
#   runc-env.sh cleanup ID...          runc-env.sh bundle-rm DIR
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cmd="${1:-}"; shift || true
	case "$cmd" in
	available) vg_runc_available ;;
	caps) vg_runc_bounding_caps ;;
	bundle) vg_runc_bundle "$@" ;;
	run) vg_runc_run "$@" ;;
	run-detached) vg_runc_run_detached "$@" ;;
	pid) vg_runc_pid "$@" ;;
	cleanup) vg_runc_cleanup "$@" ;;
	bundle-rm) vg_runc_bundle_rm "$@" ;;
	*) echo "usage: $0 available|caps|bundle|run|run-detached|pid|cleanup|bundle-rm ..." >&2; exit 2 ;;
	esac
fi
