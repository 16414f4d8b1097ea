/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Isolation inspection: reads what the kernel enforces for one process (see isolation.h) and
 * turns each weakness into a finding. The process directory is opened once and every file is
 * read relative to it, so a pid reused by another process cannot be mixed in: reads through
 * the stale directory fail with ESRCH.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/isolation.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/parse-util.h"
#include "basic/string-util.h"
#include "basic/vec.h"
#include "sensor/names.h"

/* ------------------------------------------------------------------------------------------ */
/* Names */

/* The sensor's capability table (src/sensor/names.c): one list of names for the project. */
const char *vg_iso_cap_name(unsigned bit)
{
	return vg_cap_name(bit);
}

int vg_iso_caps_format(uint64_t mask, struct vg_strbuf *sb)
{
	bool first = true;
	int r;

	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(mask & (1ULL << bit)))
			continue;
		if (!first && (r = vg_strbuf_putc(sb, ',')) < 0)
			return r;
		first = false;
		r = vg_iso_cap_name(bit) ? vg_strbuf_puts(sb, vg_iso_cap_name(bit))
					 : vg_strbuf_printf(sb, "CAP_%u", bit);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *const severity_names[VG_ISO_SEV__MAX] = {
	[VG_ISO_SEV_INFO] = "info",	    [VG_ISO_SEV_LOW] = "low",
	[VG_ISO_SEV_MEDIUM] = "medium",	    [VG_ISO_SEV_HIGH] = "high",
	[VG_ISO_SEV_CRITICAL] = "critical",
};

const char *vg_iso_severity_to_string(enum vg_iso_severity s)
{
	return (unsigned)s < VG_ISO_SEV__MAX ? severity_names[s] : "unknown";
}

int vg_iso_severity_from_string(const char *s)
{
	for (int i = 0; s && i < VG_ISO_SEV__MAX; i++)
		if (strcasecmp(s, severity_names[i]) == 0)
			return i;
	return -EINVAL;
}

static const char *const area_names[VG_ISO_AREA__MAX] = {
	"namespaces", "capabilities", "seccomp", "lsm", "cgroups", "mounts", "user",
};

const char *vg_iso_area_to_string(enum vg_iso_area a)
{
	return (unsigned)a < VG_ISO_AREA__MAX ? area_names[a] : "unknown";
}

static const char *const ns_names[VG_ISO_NS__MAX] = {
	"pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time",
};

const char *vg_iso_ns_name(enum vg_iso_ns ns)
{
	return (unsigned)ns < VG_ISO_NS__MAX ? ns_names[ns] : "unknown";
}

const char *vg_iso_cgroup_mode_to_string(enum vg_iso_cgroup_mode m)
{
	switch (m) {
	case VG_ISO_CGROUP_V1:
		return "v1";
	case VG_ISO_CGROUP_V2:
		return "v2";
	case VG_ISO_CGROUP_HYBRID:
		return "hybrid";
	default:
		return "unknown";
	}
}

/* ------------------------------------------------------------------------------------------ */
/* The check catalog */

enum {
	CK_NS_PID,
	CK_NS_NET,
	CK_NS_MNT,
	CK_NS_IPC,
	CK_NS_UTS,
	CK_NS_USER,
	CK_NS_CGROUP,
	CK_CAP_ALL,
	CK_CAP,
	CK_SECCOMP,
	CK_NNP,
	CK_LSM,
	CK_MEM,
	CK_PIDS,
	CK_CPU,
	CK_DEVICES,
	CK_MNT_ROOT,
	CK_MNT_SOCKET,
	CK_MNT_SENSITIVE,
	CK_MNT_PROC,
	CK_MNT_PROC_UNMASKED,
	CK_MNT_SYSFS,
	CK_MNT_CGROUPFS,
	CK_MNT_DEVTMPFS,
	CK_MNT_SHARED,
	CK_ROOTFS,
	CK_USER_ROOT,
	CK_USERNS_ROOT,
	CK__MAX,
};

static const struct vg_iso_check checks[CK__MAX] = {
	[CK_NS_PID] = {"ISO-NS-PID", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_HIGH,
		       "shares the host's PID namespace",
		       "every host process is visible; with CAP_SYS_PTRACE (or the same uid) the "
		       "container can attach to them, read their memory and environment, and "
		       "reach the host's files through /proc/PID/root",
		       "do not run with --pid=host (Kubernetes: hostPID: false)"},
	[CK_NS_NET] = {"ISO-NS-NET", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_HIGH,
		       "shares the host's network namespace",
		       "the container reaches services bound to the host's loopback (engine APIs, "
		       "kubelet, metadata proxies), can bind host ports and, with CAP_NET_ADMIN "
		       "or CAP_NET_RAW, sniff or reconfigure the host's network",
		       "do not run with --network=host (Kubernetes: hostNetwork: false)"},
	[CK_NS_MNT] = {"ISO-NS-MNT", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_CRITICAL,
		       "shares the host's mount namespace",
		       "the container sees and changes the host's own mount table and file "
		       "system: it is not isolated from the host's files at all",
		       "run the process in its own mount namespace (a normal container)"},
	[CK_NS_IPC] = {"ISO-NS-IPC", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_HIGH,
		       "shares the host's IPC namespace",
		       "System V shared memory, semaphores and POSIX message queues of host "
		       "processes can be read and written",
		       "do not run with --ipc=host (Kubernetes: hostIPC: false)"},
	[CK_NS_UTS] = {"ISO-NS-UTS", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_MEDIUM,
		       "shares the host's UTS namespace",
		       "with CAP_SYS_ADMIN the container can change the host's hostname and "
		       "domain name, which other services trust",
		       "do not run with --uts=host"},
	[CK_NS_USER] =
		{"ISO-NS-USER", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_MEDIUM,
		 "shares the host's user namespace",
		 "user ids are not remapped: uid 0 in the container is uid 0 on the host, so "
		 "any escape or writable host mount is a root escape",
		 "enable user namespaces: dockerd --userns-remap=default, rootless engines, "
		 "or Kubernetes hostUsers: false"},
	[CK_NS_CGROUP] = {"ISO-NS-CGROUP", VG_ISO_AREA_NAMESPACES, VG_ISO_SEV_MEDIUM,
			  "shares the host's cgroup namespace",
			  "the host's cgroup hierarchy (and with a writable cgroup v1 mount its "
			  "release_agent) is visible, which leaks host layout and helps escapes",
			  "use --cgroupns=private (the default on cgroup v2 hosts)"},
	[CK_CAP_ALL] =
		{"ISO-CAP-ALL", VG_ISO_AREA_CAPABILITIES, VG_ISO_SEV_CRITICAL,
		 "holds every capability of the host",
		 "nothing was dropped from the bounding set: together with the capabilities "
		 "below this is root on the host (mount, load modules, raw devices)",
		 "do not run --privileged or --cap-add ALL; start from --cap-drop ALL and add "
		 "back only what the program needs"},
	[CK_CAP] = {"ISO-CAP-<NAME>", VG_ISO_AREA_CAPABILITIES, VG_ISO_SEV_CRITICAL,
		    "holds a dangerous capability",
		    "each capability has its own reason (see the finding): together they are "
		    "the known ways out of a container",
		    "remove the capability: drop the --cap-add (or --cap-drop it; Kubernetes: "
		    "securityContext.capabilities.drop)"},
	[CK_SECCOMP] =
		{"ISO-SECCOMP-OFF", VG_ISO_AREA_SECCOMP, VG_ISO_SEV_HIGH, "no seccomp filter",
		 "every system call is reachable, including the ones behind most kernel "
		 "exploits (keyctl, userfaultfd, bpf, unshare, mount): a kernel bug is an "
		 "escape",
		 "remove --security-opt seccomp=unconfined (and --privileged) so the default "
		 "profile applies, or give --security-opt seccomp=PROFILE.json"},
	[CK_NNP] = {"ISO-NO-NEW-PRIVS", VG_ISO_AREA_SECCOMP, VG_ISO_SEV_MEDIUM,
		    "NoNewPrivs is not set",
		    "setuid-root and file-capability programs in the image raise privileges again "
		    "(up to the bounding set), undoing a non-root user",
		    "--security-opt no-new-privileges (daemon default: \"no-new-privileges\": "
		    "true; Kubernetes: allowPrivilegeEscalation: false)"},
	[CK_LSM] = {"ISO-LSM-UNCONFINED", VG_ISO_AREA_LSM, VG_ISO_SEV_MEDIUM,
		    "not confined by AppArmor or SELinux",
		    "the host runs a mandatory access control module but this process is "
		    "unconfined: the second wall that blocks writes to /proc, /sys and mounts "
		    "after a capability or namespace mistake is missing",
		    "remove --security-opt apparmor=unconfined / label=disable (and --privileged) "
		    "so the engine's default profile applies"},
	[CK_MEM] = {"ISO-CGROUP-NO-MEMORY", VG_ISO_AREA_CGROUPS, VG_ISO_SEV_MEDIUM,
		    "no memory limit",
		    "the container can take all the host's memory and get other workloads (or "
		    "the engine) killed by the OOM killer",
		    "set a limit: --memory 512m (Kubernetes: resources.limits.memory)"},
	[CK_PIDS] = {"ISO-CGROUP-NO-PIDS", VG_ISO_AREA_CGROUPS, VG_ISO_SEV_MEDIUM,
		     "no process limit",
		     "a fork bomb in the container exhausts the host's pid space and stops every "
		     "other service from starting processes",
		     "set --pids-limit 256 (daemon default: \"default-pids-limit\")"},
	[CK_CPU] = {"ISO-CGROUP-NO-CPU", VG_ISO_AREA_CGROUPS, VG_ISO_SEV_LOW, "no CPU quota",
		    "the container can use every CPU of the host and starve other workloads",
		    "set --cpus 1.5 (Kubernetes: resources.limits.cpu)"},
	[CK_DEVICES] = {"ISO-CGROUP-DEVICES-ALL", VG_ISO_AREA_CGROUPS, VG_ISO_SEV_HIGH,
			"device cgroup allows every device",
			"any device node the container creates (mknod) or finds can be opened: the "
			"host's disks can be read and written raw",
			"do not run --privileged or --device-cgroup-rule 'a *:* rwm'; pass single "
			"devices with --device"},
	[CK_MNT_ROOT] = {"ISO-MOUNT-HOST-ROOT", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_CRITICAL,
			 "the host's root file system is mounted",
			 "the whole host file system is reachable: /etc/shadow, the engine's data, "
			 "cron and systemd units; writable, it is a direct root escape",
			 "do not mount / (-v /:/host); mount only the directory the program needs, "
			 "read-only"},
	[CK_MNT_SOCKET] =
		{"ISO-MOUNT-SOCKET", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_CRITICAL,
		 "a container engine socket is mounted",
		 "whoever can talk to the engine API can start a privileged container "
		 "that mounts the host's / : it is root on the host (a read-only mount "
		 "does not make the API read-only)",
		 "do not mount the Docker/containerd/CRI-O/Podman socket; if a tool needs "
		 "the API, put a filtering proxy in front of it"},
	[CK_MNT_SENSITIVE] =
		{"ISO-MOUNT-SENSITIVE", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_HIGH,
		 "a sensitive host path is mounted",
		 "host configuration, credentials, boot files or the engine's data are "
		 "exposed; writable, they let the container change the host "
		 "(read-only: medium)",
		 "do not mount host system directories; mount a dedicated directory, "
		 "read-only (:ro)"},
	[CK_MNT_PROC] =
		{"ISO-MOUNT-PROC-RW", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_HIGH, "/proc/sys is writable",
		 "kernel settings of the host can be written, e.g. kernel.core_pattern runs "
		 "a program as root on the host at the next crash",
		 "keep the runtime's read-only paths: no --privileged, no --security-opt "
		 "systempaths=unconfined (Kubernetes: procMount: Default)"},
	[CK_MNT_PROC_UNMASKED] = {"ISO-MOUNT-PROC-UNMASKED", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_HIGH,
				  "/proc is not masked",
				  "/proc/kcore, /proc/keys, /proc/timer_list and friends expose "
				  "kernel memory and host information that the runtime normally "
				  "hides",
				  "keep the runtime's masked paths: no --privileged, no "
				  "--security-opt systempaths=unconfined"},
	[CK_MNT_SYSFS] = {"ISO-MOUNT-SYSFS-RW", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_HIGH,
			  "sysfs is writable",
			  "device, firmware and kernel settings (uevent_helper, module "
			  "parameters) can be written, several of which run programs on the host",
			  "mount /sys read-only (the default without --privileged)"},
	[CK_MNT_CGROUPFS] = {"ISO-MOUNT-CGROUPFS-RW", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_HIGH,
			     "a cgroup file system is writable",
			     "with cgroup v1 a writable hierarchy's release_agent runs a program "
			     "as root on the host (CVE-2022-0492 style escape); limits can be "
			     "lifted",
			     "mount /sys/fs/cgroup read-only (the default without --privileged)"},
	[CK_MNT_DEVTMPFS] = {"ISO-MOUNT-DEVICES", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_HIGH,
			     "the host's device nodes are mounted",
			     "the host's /dev (devtmpfs) holds its disks and memory devices: with "
			     "the device cgroup open they are read and written raw",
			     "do not mount /dev; pass single devices with --device"},
	[CK_MNT_SHARED] = {"ISO-MOUNT-SHARED", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_MEDIUM,
			   "a host mount has shared propagation",
			   "mounts made inside the container propagate to the host (and back), so "
			   "the container can place mounts in the host's tree",
			   "use private propagation (the default; no :shared / :rshared)"},
	[CK_ROOTFS] = {"ISO-ROOTFS-RW", VG_ISO_AREA_MOUNTS, VG_ISO_SEV_LOW,
		       "the root file system is writable",
		       "an attacker can change the container's programs and libraries and keep "
		       "tools there",
		       "--read-only (Kubernetes: readOnlyRootFilesystem: true) with tmpfs for "
		       "scratch space"},
	[CK_USER_ROOT] = {"ISO-USER-ROOT", VG_ISO_AREA_USER, VG_ISO_SEV_HIGH,
			  "runs as root (uid 0 of the host)",
			  "the process is root on the host as far as the kernel is concerned: "
			  "every file it can reach through a mount, and every escape, is root's",
			  "run as a non-root user: --user 1000 or USER in the image (Kubernetes: "
			  "runAsNonRoot: true)"},
	[CK_USERNS_ROOT] = {"ISO-USERNS-ROOT-MAPPED", VG_ISO_AREA_USER, VG_ISO_SEV_HIGH,
			    "the user namespace maps root to the host's root",
			    "the private user namespace gives no protection: uid 0 inside is uid 0 "
			    "outside",
			    "map the container's uid 0 to an unprivileged host range (subuid)"},
};

const struct vg_iso_check *vg_isolation_checks(size_t *ret_n)
{
	*ret_n = CK__MAX;
	return checks;
}

/* Capabilities that get a finding, and why. Docker's default set keeps NET_RAW. */
static const struct {
	unsigned bit;
	enum vg_iso_severity severity;
	const char *why;
} cap_risks[] = {
	{21, VG_ISO_SEV_CRITICAL,
	 "mount, unshare, bpf, ... : the classic escapes (cgroup "
	 "release_agent, mounting the host's disk)"},
	{16, VG_ISO_SEV_CRITICAL, "loads kernel modules: code in the host's kernel"},
	{19, VG_ISO_SEV_CRITICAL,
	 "traces other processes, and with a shared PID namespace "
	 "injects code into host processes"},
	{2, VG_ISO_SEV_CRITICAL, "open_by_handle_at reads any host file (the shocker exploit)"},
	{17, VG_ISO_SEV_CRITICAL, "raw I/O ports and /dev/mem: read and write host memory"},
	{39, VG_ISO_SEV_CRITICAL,
	 "loads BPF programs: reads kernel memory, widens kernel "
	 "attack surface"},
	{38, VG_ISO_SEV_CRITICAL, "perf events: observes the host and the kernel"},
	{12, VG_ISO_SEV_CRITICAL,
	 "reconfigures interfaces, routes and firewall (host's with "
	 "--network host)"},
	{22, VG_ISO_SEV_HIGH, "reboots the host or kexecs a new kernel"},
	{25, VG_ISO_SEV_HIGH, "sets the host's clock (certificates, logs, tokens)"},
	{33, VG_ISO_SEV_HIGH, "changes AppArmor/SELinux policy"},
	{32, VG_ISO_SEV_HIGH, "overrides AppArmor/SELinux decisions"},
	{34, VG_ISO_SEV_HIGH, "reads the kernel log and kernel addresses (KASLR bypass)"},
	{30, VG_ISO_SEV_HIGH, "changes the kernel audit rules (hides activity)"},
	{9, VG_ISO_SEV_HIGH, "changes immutable and append-only files"},
	{24, VG_ISO_SEV_HIGH, "ignores resource limits and quotas"},
	{40, VG_ISO_SEV_HIGH, "reads other processes' memory for checkpointing"},
	{26, VG_ISO_SEV_MEDIUM, "configures terminals (vhangup)"},
	{23, VG_ISO_SEV_MEDIUM, "raises priorities and sets NUMA policy of any process"},
	{20, VG_ISO_SEV_MEDIUM, "turns process accounting on"},
	{14, VG_ISO_SEV_MEDIUM, "locks memory"},
	{15, VG_ISO_SEV_MEDIUM, "bypasses IPC permission checks"},
	{11, VG_ISO_SEV_MEDIUM, "broadcasts and listens to multicast"},
	{28, VG_ISO_SEV_MEDIUM, "takes leases on files it does not own"},
	{35, VG_ISO_SEV_MEDIUM, "wakes the system"},
	{36, VG_ISO_SEV_MEDIUM, "blocks system suspend"},
	{37, VG_ISO_SEV_MEDIUM, "reads the audit log"},
	{13, VG_ISO_SEV_MEDIUM,
	 "raw sockets: spoofed packets and ARP/DNS spoofing of "
	 "neighbouring containers (kept by Docker's default set)"},
};

/* ------------------------------------------------------------------------------------------ */
/* Small helpers */

/* Splits @text into lines in place; returns the next line or NULL. */
static char *next_line(char **cursor)
{
	char *s = *cursor, *nl;

	if (!s || !*s)
		return NULL;
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = s + strlen(s);
	}
	return s;
}

/* true when @a is @b or an ancestor directory of it ("/" is everybody's ancestor). */
static bool path_covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (strcmp(a, "/") == 0)
		return b[0] == '/';
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static int read_at(int dirfd, const char *name, size_t max, char **ret)
{
	return vg_read_file_at(dirfd, name, max, ret, NULL);
}

static char *astrdup(struct vg_arena *a, const char *s)
{
	return vg_arena_strdup(a, s);
}

static char *aprintf(struct vg_arena *a, const char *fmt, ...) VG_PRINTF(2, 3);
static char *aprintf(struct vg_arena *a, const char *fmt, ...)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(VG_PATH_MAX * 4);
	char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vg_strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (r >= 0)
		s = vg_arena_strdup(a, vg_strbuf_str(&sb));
	vg_strbuf_done(&sb);
	return s;
}

/* ------------------------------------------------------------------------------------------ */
/* Parsers */

static int parse_hex_caps(const char *v, uint64_t *ret)
{
	if (strlen(v) != 16 || !vg_is_hex(v, 16))
		return -EBADMSG;
	return vg_safe_atou64_base(v, 16, ret) < 0 ? -EBADMSG : 0;
}

static int parse_ids(char *v, uint32_t ids[4])
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(v, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == 4 || vg_safe_atou32(tok, &ids[n]) < 0)
			return -EBADMSG;
		n++;
	}
	return n == 4 ? 0 : -EBADMSG;
}

static int parse_small(const char *v, int max, int *ret)
{
	int32_t x;

	if (vg_safe_atoi32(v, &x) < 0 || x < 0 || x > max)
		return -EBADMSG;
	*ret = x;
	return 0;
}

int vg_iso_parse_status(char *text, struct vg_isolation *iso)
{
	enum { S_UID = 1, S_GID = 2, S_PRM = 4, S_EFF = 8, S_BND = 16, S_REQUIRED = 31 };
	char *cursor = text, *line;
	unsigned seen = 0, dup = 0;

	iso->seccomp = -1;
	iso->seccomp_filters = -1;
	iso->no_new_privs = -1;
	iso->cap_amb = iso->cap_inh = 0;
	while ((line = next_line(&cursor))) {
		char *colon = strchr(line, ':'), *v;
		unsigned bit = 0;
		int r = 0;

		if (!colon)
			continue;
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strcmp(line, "Uid") == 0)
			bit = S_UID, r = parse_ids(v, iso->uid);
		else if (strcmp(line, "Gid") == 0)
			bit = S_GID, r = parse_ids(v, iso->gid);
		else if (strcmp(line, "CapInh") == 0)
			r = parse_hex_caps(v, &iso->cap_inh);
		else if (strcmp(line, "CapPrm") == 0)
			bit = S_PRM, r = parse_hex_caps(v, &iso->cap_prm);
		else if (strcmp(line, "CapEff") == 0)
			bit = S_EFF, r = parse_hex_caps(v, &iso->cap_eff);
		else if (strcmp(line, "CapBnd") == 0)
			bit = S_BND, r = parse_hex_caps(v, &iso->cap_bnd);
		else if (strcmp(line, "CapAmb") == 0)
			r = parse_hex_caps(v, &iso->cap_amb);
		else if (strcmp(line, "NoNewPrivs") == 0)
			r = parse_small(v, 1, &iso->no_new_privs);
		else if (strcmp(line, "Seccomp") == 0)
			r = parse_small(v, 2, &iso->seccomp);
		else if (strcmp(line, "Seccomp_filters") == 0)
			r = parse_small(v, 1 << 20, &iso->seccomp_filters);
		if (r < 0)
			return -EBADMSG;
		dup |= seen & bit;
		seen |= bit;
	}
	if ((seen & S_REQUIRED) != S_REQUIRED || dup)
		return -EBADMSG;
	return 0;
}

/* Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
static void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static bool opts_have(const char *opts, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = opts; p && *p;) {
		size_t k = strcspn(p, ",");

		if (k == n && strncmp(p, opt, n) == 0)
			return true;
		p += k;
		if (*p == ',')
			p++;
	}
	return false;
}

static int parse_mountinfo_line(char *line, struct vg_arena *a, struct vg_iso_mount *m)
{
	char *f[6], *save = NULL, *tok, *fstype, *source, *super;
	bool shared = false, dash = false;
	unsigned maj, min;
	int n = 0;

	for (tok = strtok_r(line, " ", &save); tok && n < 6; tok = strtok_r(NULL, " ", &save))
		f[n++] = tok;
	if (n < 6)
		return -EBADMSG;
	/* optional fields up to the "-" separator */
	for (; tok; tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "-") == 0) {
			dash = true;
			break;
		}
		if (vg_startswith(tok, "shared:"))
			shared = true;
	}
	if (!dash)
		return -EBADMSG;
	fstype = strtok_r(NULL, " ", &save);
	source = strtok_r(NULL, " ", &save);
	super = strtok_r(NULL, " ", &save);
	if (!fstype || !source || !super)
		return -EBADMSG;
	{
		char *colon = strchr(f[2], ':');
		uint32_t x, y;

		if (!colon)
			return -EBADMSG;
		*colon = '\0';
		if (vg_safe_atou32(f[2], &x) < 0 || vg_safe_atou32(colon + 1, &y) < 0)
			return -EBADMSG;
		maj = x;
		min = y;
	}
	/* the root is a path, except for nsfs ("net:[4026532181]") and similar */
	if (!f[3][0] || f[4][0] != '/')
		return -EBADMSG;
	unescape_octal(f[3]);
	unescape_octal(f[4]);
	unescape_octal(source);
	m->major = maj;
	m->minor = min;
	m->root = astrdup(a, f[3]);
	m->mount_point = astrdup(a, f[4]);
	m->fstype = astrdup(a, fstype);
	m->source = astrdup(a, source);
	m->rw = opts_have(f[5], "rw") && opts_have(super, "rw");
	m->shared = shared;
	if (!m->root || !m->mount_point || !m->fstype || !m->source)
		return vg_arena_error(a) ?: -ENOMEM;
	return 0;
}

int vg_iso_parse_mountinfo(char *text, struct vg_arena *arena, struct vg_iso_mount **ret,
			   size_t *ret_n)
{
	struct vg_iso_mount *v;
	char *cursor = text, *line;
	size_t lines = 0, n = 0;
	int r;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	lines++;
	if (lines > VG_ISO_MOUNTS_MAX + 1)
		return -E2BIG;
	v = vg_arena_calloc(arena, lines, sizeof(*v));
	if (!v)
		return vg_arena_error(arena) ?: -ENOMEM;
	while ((line = next_line(&cursor))) {
		if (!*line)
			continue;
		if (n == VG_ISO_MOUNTS_MAX)
			return -E2BIG;
		r = parse_mountinfo_line(line, arena, &v[n]);
		if (r < 0)
			return r;
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int vg_iso_parse_uid_map(char *text, struct vg_arena *arena, struct vg_iso_uid_range **ret,
			 size_t *ret_n)
{
	struct vg_iso_uid_range *v;
	char *cursor = text, *line;
	size_t n = 0;

	v = vg_arena_calloc(arena, VG_ISO_UID_MAP_MAX, sizeof(*v));
	if (!v)
		return vg_arena_error(arena) ?: -ENOMEM;
	while ((line = next_line(&cursor))) {
		char *save = NULL, *tok;
		uint32_t x[3];
		int k = 0;

		for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			if (k == 3 || vg_safe_atou32(tok, &x[k]) < 0)
				return -EBADMSG;
			k++;
		}
		if (k == 0)
			continue;
		if (k != 3)
			return -EBADMSG;
		if (n == VG_ISO_UID_MAP_MAX)
			return -E2BIG;
		v[n++] = (struct vg_iso_uid_range){x[0], x[1], x[2]};
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Collection */

/* true when the process behind @pfd is gone or a zombie (its files then fail with ENOENT,
 * EINVAL or EACCES rather than ESRCH). */
static bool proc_gone(int pfd)
{
	cleanup_free char *text = NULL;
	const char *p;

	if (vg_read_file_at(pfd, "stat", VG_PROC_FILE_MAX, &text, NULL) < 0)
		return true;
	p = strrchr(text, ')');
	if (!p || p[1] != ' ')
		return false;
	return p[2] == 'Z' || p[2] == 'X' || p[2] == 'x';
}

/* Maps a read error of a file of the inspected process: gone -> -ESRCH. */
static int proc_err(int pfd, int r)
{
	if (r == -ESRCH || r == -ENOMEM || r == -E2BIG || r == -EBADMSG)
		return r;
	return proc_gone(pfd) ? -ESRCH : r;
}

static int read_ns(int pfd, const char *name, uint64_t *ret)
{
	cleanup_free char *target = NULL;
	char want[32], *end;
	size_t n;
	char path[32];
	uint64_t ino;
	int r;

	(void)snprintf(path, sizeof(path), "ns/%s", name);
	r = vg_readlink_at(pfd, path, &target);
	if (r < 0)
		return r;
	n = (size_t)snprintf(want, sizeof(want), "%s:[", name);
	if (strncmp(target, want, n) != 0)
		return -EBADMSG;
	end = strchr(target + n, ']');
	if (!end || end[1])
		return -EBADMSG;
	*end = '\0';
	if (vg_safe_atou64(target + n, &ino) < 0 || ino == 0)
		return -EBADMSG;
	*ret = ino;
	return 0;
}

static int open_pid_dir(const char *proc_root, uint32_t pid, int *ret)
{
	char path[VG_PATH_MAX];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%u", proc_root, pid) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	*ret = fd;
	return 0;
}

/* Field 22 (starttime) of stat, to notice a pid reused during the read. */
static int read_starttime(int pfd, uint64_t *ret)
{
	cleanup_free char *text = NULL;
	char *p, *save = NULL, *tok;
	int r, field = 3;

	r = read_at(pfd, "stat", VG_PROC_FILE_MAX, &text);
	if (r < 0)
		return r;
	p = strrchr(text, ')');
	if (!p)
		return -EBADMSG;
	for (tok = strtok_r(p + 1, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save), field++)
		if (field == 22)
			return vg_safe_atou64(tok, ret) < 0 ? -EBADMSG : 0;
	return -EBADMSG;
}

static int collect_ns(struct vg_isolation *iso, int pfd, int rfd)
{
	for (int i = 0; i < VG_ISO_NS__MAX; i++) {
		int r = read_ns(pfd, ns_names[i], &iso->ns_ino[i]);

		if (r == -ENOENT && i >= VG_ISO_NS_CGROUP) {
			/* kernels without cgroup (< 4.6) or time (< 5.6) namespaces */
			r = proc_err(pfd, r);
			if (r != -ENOENT)
				return r;
			continue;
		}
		if (r < 0)
			return proc_err(pfd, r);
		r = read_ns(rfd, ns_names[i], &iso->host_ns_ino[i]);
		if (r < 0)
			continue; /* unknown */
		iso->ns[i] = iso->ns_ino[i] == iso->host_ns_ino[i] ? VG_ISO_NS_SHARED
								   : VG_ISO_NS_PRIVATE;
	}
	return 0;
}

static int collect_lsm(struct vg_isolation *iso, int pfd)
{
	cleanup_free char *label = NULL;
	size_t n;
	int r;

	r = read_at(pfd, "attr/apparmor/current", VG_ISO_LABEL_MAX, &label);
	if (r >= 0) {
		iso->lsm = VG_ISO_LSM_APPARMOR;
	} else {
		if (r == -E2BIG)
			return r;
		r = read_at(pfd, "attr/current", VG_ISO_LABEL_MAX, &label);
		if (r == -EINVAL || r == -ENOENT || r == -EOPNOTSUPP) {
			r = proc_err(pfd, r);
			if (r == -ESRCH)
				return r;
			iso->lsm = VG_ISO_LSM_NONE;
			iso->lsm_label = "";
			return 0;
		}
		if (r < 0)
			return proc_err(pfd, r);
		/* SELinux contexts are user:role:type:level; AppArmor labels are not. */
		iso->lsm = strchr(label, ':') ? VG_ISO_LSM_SELINUX : VG_ISO_LSM_APPARMOR;
	}
	n = strlen(label);
	while (n && (label[n - 1] == '\n' || label[n - 1] == ' ' || label[n - 1] == '\0'))
		label[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)label[i]))
			return -EBADMSG;
	if (n == 0) {
		iso->lsm = VG_ISO_LSM_NONE;
		iso->lsm_label = "";
		return 0;
	}
	iso->lsm_label = astrdup(&iso->arena, label);
	return iso->lsm_label ? 0 : -ENOMEM;
}

/* One line of /proc/PID/cgroup for @controller ("" for the v2 line). */
static const char *cgroup_line_path(char *text, const char *controller, char *buf, size_t size)
{
	const char *found = NULL;

	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *c1 = memchr(p, ':', len), *c2;

		if (c1 && (c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p)))) {
			size_t clen = (size_t)(c2 - c1 - 1);
			bool match;

			if (!controller[0]) {
				match = clen == 0 && c1 - p == 1 && p[0] == '0';
			} else {
				char ctl[256];

				match = false;
				if (clen < sizeof(ctl)) {
					memcpy(ctl, c1 + 1, clen);
					ctl[clen] = '\0';
					match = opts_have(ctl, controller);
				}
			}
			if (match) {
				size_t plen = len - (size_t)(c2 + 1 - p);

				if (plen + 1 > size)
					return NULL;
				memcpy(buf, c2 + 1, plen);
				buf[plen] = '\0';
				found = buf;
				break;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return found;
}

/* The controllers field of the line for @controller, i.e. the v1 mount directory name. */
static bool cgroup_line_controllers(const char *text, const char *controller, char *buf,
				    size_t size)
{
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *c1 = memchr(p, ':', len), *c2;

		if (c1 && (c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p)))) {
			size_t clen = (size_t)(c2 - c1 - 1);

			if (clen && clen < size) {
				memcpy(buf, c1 + 1, clen);
				buf[clen] = '\0';
				if (opts_have(buf, controller))
					return true;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

/*
 * 0: a path we can follow; 1: a path outside our cgroup namespace (the kernel shows cgroups
 * above the reader's namespace root as "/../x": their limits cannot be read from here);
 * -EBADMSG: not a cgroup path.
 */
static int cgroup_path_check(const char *path)
{
	if (path[0] != '/' || strlen(path) > VG_CGROUP_PATH_MAX)
		return -EBADMSG;
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return 1;
	return 0;
}

/* Reads @file in @dir and its ancestors (not the root): smallest value wins. */
typedef int limit_parse_fn(const char *text, uint64_t *ret);

static int limit_walk(struct vg_isolation *iso, const char *base, const char *cgpath,
		      const char *file, limit_parse_fn *parse, struct vg_iso_limit *ret)
{
	char path[VG_PATH_MAX + VG_CGROUP_PATH_MAX + 64];
	char cur[VG_CGROUP_PATH_MAX + 1];
	int depth = 0;

	vg_strlcpy(cur, cgpath, sizeof(cur));
	for (;;) {
		cleanup_free char *text = NULL;
		uint64_t v;
		char *slash;
		int r;

		if (strcmp(cur, "/") == 0 || ++depth > VG_ISO_CGROUP_DEPTH_MAX)
			break;
		if ((size_t)snprintf(path, sizeof(path), "%s%s/%s", base, cur, file) >=
		    sizeof(path))
			return -ENAMETOOLONG;
		r = vg_read_file(path, VG_PROC_FILE_MAX, &text, NULL);
		if (r == -ENOENT) {
			/* not delegated to this level; keep walking */
		} else if (r < 0) {
			return r;
		} else {
			r = parse(text, &v);
			if (r < 0)
				return r;
			if (!ret->known || v < ret->value) {
				ret->value = v;
				ret->where = astrdup(&iso->arena, cur);
				if (!ret->where)
					return -ENOMEM;
			}
			ret->known = true;
		}
		slash = strrchr(cur, '/');
		if (slash == cur)
			cur[1] = '\0';
		else
			*slash = '\0';
	}
	if (!ret->known) {
		/* no file anywhere: the controller is not enabled, nothing limits */
		ret->known = true;
		ret->value = VG_ISO_UNLIMITED;
		ret->where = NULL;
	}
	return 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int parse_max_value(const char *text, uint64_t *ret)
{
	char buf[64];

	vg_strlcpy(buf, text, sizeof(buf));
	chomp(buf);
	if (strcmp(buf, "max") == 0) {
		*ret = VG_ISO_UNLIMITED;
		return 0;
	}
	return vg_safe_atou64(buf, ret) < 0 ? -EBADMSG : 0;
}

/* v1 memory.limit_in_bytes: "unlimited" is PAGE_COUNTER_MAX * page size (~2^63). */
static int parse_v1_memory(const char *text, uint64_t *ret)
{
	int r = parse_max_value(text, ret);

	if (r >= 0 && *ret >= (1ULL << 62))
		*ret = VG_ISO_UNLIMITED;
	return r;
}

/* v1 cpu.cfs_quota_us: -1 unlimited. */
static int parse_v1_quota(const char *text, uint64_t *ret)
{
	char buf[64];
	int64_t v;

	vg_strlcpy(buf, text, sizeof(buf));
	chomp(buf);
	if (vg_safe_atoi64(buf, &v) < 0 || v < -1)
		return -EBADMSG;
	*ret = v < 0 ? VG_ISO_UNLIMITED : (uint64_t)v;
	return 0;
}

/* v2 cpu.max: "QUOTA PERIOD" with QUOTA "max". */
static int parse_v2_cpu_quota(const char *text, uint64_t *ret)
{
	char buf[64], *sp;
	uint64_t period;

	vg_strlcpy(buf, text, sizeof(buf));
	chomp(buf);
	sp = strchr(buf, ' ');
	if (!sp)
		return -EBADMSG;
	*sp = '\0';
	if (vg_safe_atou64(sp + 1, &period) < 0)
		return -EBADMSG;
	return parse_max_value(buf, ret);
}

static int parse_v2_cpu_period(const char *text, uint64_t *ret)
{
	char buf[64], *sp;

	vg_strlcpy(buf, text, sizeof(buf));
	chomp(buf);
	sp = strchr(buf, ' ');
	if (!sp)
		return -EBADMSG;
	return vg_safe_atou64(sp + 1, ret) < 0 ? -EBADMSG : 0;
}

static int collect_v1_controller(struct vg_isolation *iso, const char *croot, const char *text,
				 const char *controller, const char **ret_base,
				 const char **ret_path)
{
	char ctl[256], pbuf[VG_CGROUP_PATH_MAX + 2];
	char base[VG_PATH_MAX + 300];
	const char *p;
	struct stat st;
	char *path_copy;
	int r;

	*ret_base = *ret_path = NULL;
	if (!cgroup_line_controllers(text, controller, ctl, sizeof(ctl)))
		return 0;
	{
		char *copy = strdup(text);

		if (!copy)
			return -ENOMEM;
		p = cgroup_line_path(copy, controller, pbuf, sizeof(pbuf));
		free(copy);
	}
	if (!p)
		return -E2BIG;
	r = cgroup_path_check(p);
	if (r != 0)
		return r < 0 ? r : 0;
	/* The hierarchy directory is named after its controllers ("cpu,cpuacct"); hosts also
	 * link single names to it. */
	(void)snprintf(base, sizeof(base), "%s/%s", croot, ctl);
	if (stat(base, &st) < 0) {
		(void)snprintf(base, sizeof(base), "%s/%s", croot, controller);
		if (stat(base, &st) < 0)
			return 0;
	}
	*ret_base = astrdup(&iso->arena, base);
	path_copy = astrdup(&iso->arena, p);
	*ret_path = path_copy;
	return *ret_base && path_copy ? 0 : -ENOMEM;
}

static int parse_devices_list(const char *text, uint64_t *ret)
{
	/* "a *:* rwm" alone means every device is allowed (privileged). */
	*ret = strstr(text, "a *:* rwm") != NULL;
	return 0;
}

static int collect_cgroup(struct vg_isolation *iso, int pfd, const char *croot)
{
	cleanup_free char *text = NULL, *copy = NULL;
	char pbuf[VG_CGROUP_PATH_MAX + 2];
	const char *v2;
	bool has_v1 = false;
	int r;

	r = read_at(pfd, "cgroup", VG_PROC_FILE_MAX, &text);
	if (r < 0)
		return proc_err(pfd, r);
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	v2 = cgroup_line_path(copy, "", pbuf, sizeof(pbuf));
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');

		if (!vg_startswith(p, "0::") && strchr(p, ':'))
			has_v1 = true;
		if (!nl)
			break;
		p = nl + 1;
	}
	iso->devices_all = -1;
	if (!has_v1 && v2) {
		char base[VG_PATH_MAX];

		r = cgroup_path_check(v2);
		if (r < 0)
			return r;
		iso->cgroup_mode = VG_ISO_CGROUP_V2;
		iso->cgroup_path = astrdup(&iso->arena, v2);
		if (!iso->cgroup_path)
			return -ENOMEM;
		if (r > 0)
			return 0; /* limits unknown */
		vg_strlcpy(base, croot, sizeof(base));
		if ((r = limit_walk(iso, base, v2, "memory.max", parse_max_value, &iso->mem)) < 0 ||
		    (r = limit_walk(iso, base, v2, "pids.max", parse_max_value, &iso->pids)) < 0 ||
		    (r = limit_walk(iso, base, v2, "cpu.max", parse_v2_cpu_quota,
				    &iso->cpu_quota)) < 0)
			return r;
		/* the period that goes with the smallest quota */
		if (iso->cpu_quota.where && iso->cpu_quota.value != VG_ISO_UNLIMITED) {
			cleanup_free char *t = NULL;
			char path[VG_PATH_MAX + VG_CGROUP_PATH_MAX + 16];
			uint64_t per;

			(void)snprintf(path, sizeof(path), "%s%s/cpu.max", base,
				       iso->cpu_quota.where);
			if (vg_read_file(path, VG_PROC_FILE_MAX, &t, NULL) >= 0 &&
			    parse_v2_cpu_period(t, &per) >= 0) {
				iso->cpu_period.known = true;
				iso->cpu_period.value = per;
				iso->cpu_period.where = iso->cpu_quota.where;
			}
		}
		return 0;
	}
	if (!has_v1) {
		iso->cgroup_mode = VG_ISO_CGROUP_UNKNOWN;
		return 0;
	}
	iso->cgroup_mode = v2 ? VG_ISO_CGROUP_HYBRID : VG_ISO_CGROUP_V1;
	{
		const char *base, *path;
		uint64_t all = 0;

		r = collect_v1_controller(iso, croot, text, "memory", &base, &path);
		if (r < 0)
			return r;
		iso->cgroup_path = path;
		if (base && (r = limit_walk(iso, base, path, "memory.limit_in_bytes",
					    parse_v1_memory, &iso->mem)) < 0)
			return r;
		r = collect_v1_controller(iso, croot, text, "pids", &base, &path);
		if (r < 0)
			return r;
		if (!iso->cgroup_path)
			iso->cgroup_path = path;
		if (base &&
		    (r = limit_walk(iso, base, path, "pids.max", parse_max_value, &iso->pids)) < 0)
			return r;
		r = collect_v1_controller(iso, croot, text, "cpu", &base, &path);
		if (r < 0)
			return r;
		if (base) {
			if ((r = limit_walk(iso, base, path, "cpu.cfs_quota_us", parse_v1_quota,
					    &iso->cpu_quota)) < 0)
				return r;
			if (iso->cpu_quota.where && iso->cpu_quota.value != VG_ISO_UNLIMITED) {
				cleanup_free char *t = NULL;
				char p2[VG_PATH_MAX + VG_CGROUP_PATH_MAX + 32];
				uint64_t per;

				(void)snprintf(p2, sizeof(p2), "%s%s/cpu.cfs_period_us", base,
					       iso->cpu_quota.where);
				if (vg_read_file(p2, VG_PROC_FILE_MAX, &t, NULL) >= 0 &&
				    parse_max_value(t, &per) >= 0) {
					iso->cpu_period.known = true;
					iso->cpu_period.value = per;
					iso->cpu_period.where = iso->cpu_quota.where;
				}
			}
		}
		r = collect_v1_controller(iso, croot, text, "devices", &base, &path);
		if (r < 0)
			return r;
		if (base) {
			cleanup_free char *t = NULL;
			char p2[VG_PATH_MAX + VG_CGROUP_PATH_MAX + 32];

			(void)snprintf(p2, sizeof(p2), "%s%s/devices.list", base,
				       strcmp(path, "/") == 0 ? "" : path);
			r = vg_read_file(p2, VG_ISO_MOUNTINFO_MAX, &t, NULL);
			if (r >= 0 && parse_devices_list(t, &all) >= 0)
				iso->devices_all = (int)all;
			else if (r < 0 && r != -ENOENT && r != -EACCES)
				return r;
		}
	}
	if (!iso->cgroup_path)
		iso->cgroup_path = "";
	return 0;
}

/* Host path of a container mount, from the host's mounts of the same device. */
static const char *resolve_host_path(struct vg_arena *a, const struct vg_iso_mount *m,
				     const struct vg_iso_mount *host, size_t n_host)
{
	const struct vg_iso_mount *best = NULL;
	const char *rest;

	for (size_t i = 0; i < n_host; i++) {
		const struct vg_iso_mount *h = &host[i];

		if (h->major != m->major || h->minor != m->minor || !path_covers(h->root, m->root))
			continue;
		if (!best || strlen(h->root) > strlen(best->root) ||
		    (strlen(h->root) == strlen(best->root) &&
		     strlen(h->mount_point) < strlen(best->mount_point)))
			best = h;
	}
	if (!best)
		return NULL;
	rest = strcmp(best->root, "/") == 0 ? m->root : m->root + strlen(best->root);
	if (strcmp(best->mount_point, "/") == 0)
		return astrdup(a, rest[0] ? rest : "/");
	return aprintf(a, "%s%s", best->mount_point, strcmp(rest, "/") == 0 ? "" : rest);
}

static bool fs_is_pseudo(const char *fstype)
{
	static const char *const pseudo[] = {
		"proc",	      "sysfs",	   "cgroup",  "cgroup2",     "devpts",	"mqueue",
		"securityfs", "debugfs",   "tracefs", "bpf",	     "fusectl", "configfs",
		"pstore",     "hugetlbfs", "autofs",  "binfmt_misc", "nsfs",	"devtmpfs",
	};

	for (size_t i = 0; i < VG_ARRAY_SIZE(pseudo); i++)
		if (strcmp(fstype, pseudo[i]) == 0)
			return true;
	return false;
}

static int collect_mounts(struct vg_isolation *iso, int pfd, int rfd)
{
	cleanup_free char *text = NULL, *htext = NULL;
	struct vg_iso_mount *host = NULL;
	size_t n_host = 0;
	int r;

	r = read_at(pfd, "mountinfo", VG_ISO_MOUNTINFO_MAX, &text);
	if (r < 0)
		return proc_err(pfd, r);
	r = vg_iso_parse_mountinfo(text, &iso->arena, &iso->mounts, &iso->n_mounts);
	if (r < 0)
		return r;
	r = read_at(rfd, "mountinfo", VG_ISO_MOUNTINFO_MAX, &htext);
	if (r >= 0) {
		r = vg_iso_parse_mountinfo(htext, &iso->arena, &host, &n_host);
		if (r < 0)
			return r;
	} else if (r != -EACCES && r != -ENOENT && r != -ESRCH) {
		return r;
	}
	iso->rootfs_ro = -1;
	for (size_t i = 0; i < iso->n_mounts; i++) {
		struct vg_iso_mount *m = &iso->mounts[i];

		if (strcmp(m->mount_point, "/") == 0)
			iso->rootfs_ro = !m->rw; /* the last one is on top */
		if (fs_is_pseudo(m->fstype))
			continue;
		m->host_path = resolve_host_path(&iso->arena, m, host, n_host);
	}
	return 0;
}

static int collect_user(struct vg_isolation *iso, int pfd)
{
	cleanup_free char *text = NULL;
	int r;

	r = read_at(pfd, "uid_map", VG_PROC_FILE_MAX, &text);
	if (r < 0)
		return proc_err(pfd, r);
	r = vg_iso_parse_uid_map(text, &iso->arena, &iso->uid_map, &iso->n_uid_map);
	if (r < 0)
		return r;
	iso->root_on_host = false;
	for (size_t i = 0; i < iso->n_uid_map; i++) {
		const struct vg_iso_uid_range *u = &iso->uid_map[i];

		if (u->inside == 0 && u->count > 0 && u->outside == 0)
			iso->root_on_host = true;
	}
	return 0;
}

static int collect_host_caps(struct vg_isolation *iso, const char *proc_root, int rfd)
{
	cleanup_free char *text = NULL, *last = NULL;
	char path[VG_PATH_MAX];
	uint32_t cl;
	int r;

	(void)snprintf(path, sizeof(path), "%s/sys/kernel/cap_last_cap", proc_root);
	iso->cap_last = 40;
	if (vg_read_file(path, 64, &last, NULL) >= 0) {
		chomp(last);
		if (vg_safe_atou32(last, &cl) >= 0 && cl < 64)
			iso->cap_last = cl;
	}
	iso->host_cap_bnd = iso->cap_last >= 63 ? UINT64_MAX : (1ULL << (iso->cap_last + 1)) - 1;
	r = read_at(rfd, "status", VG_PROC_FILE_MAX, &text);
	if (r >= 0) {
		struct vg_isolation ref = {0};

		if (vg_iso_parse_status(text, &ref) >= 0)
			iso->host_cap_bnd = ref.cap_bnd;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Judgement */

struct judge {
	struct vg_isolation *iso;
	struct vg_vec findings;
	int error;
};

static void add_id(struct judge *j, int ck, const char *id, const char *why,
		   enum vg_iso_severity sev, const char *detail)
{
	struct vg_iso_finding f = {
		.check = &checks[ck], .id = id, .why = why, .severity = sev, .detail = detail};
	int r;

	if (j->error)
		return;
	if (!detail || !id) {
		j->error = vg_arena_error(&j->iso->arena) ?: -ENOMEM;
		return;
	}
	r = vg_vec_push(&j->findings, &f);
	if (r < 0)
		j->error = r;
}

static void add(struct judge *j, int ck, enum vg_iso_severity sev, const char *detail)
{
	add_id(j, ck, checks[ck].id, checks[ck].why, sev, detail);
}

static const char *const engine_sockets[] = {
	"docker.sock", "containerd.sock", "crio.sock",
	"podman.sock", "dockershim.sock", "cri-dockerd.sock",
};

/* Known places of engine sockets; a mounted directory that contains one counts too. */
static const char *const engine_socket_paths[] = {
	"/var/run/docker.sock",
	"/run/docker.sock",
	"/run/containerd/containerd.sock",
	"/var/run/containerd/containerd.sock",
	"/run/podman/podman.sock",
	"/var/run/crio/crio.sock",
	"/run/crio/crio.sock",
	"/run/docker/plugins",
};

/* A file named like an engine socket. */
static bool is_socket_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < VG_ARRAY_SIZE(engine_sockets); i++)
		if (strcmp(base, engine_sockets[i]) == 0)
			return true;
	return false;
}

/* A host path that is an engine socket or a directory holding one of the known sockets. */
static bool is_engine_socket(const char *path)
{
	if (is_socket_name(path))
		return true;
	for (size_t i = 0; i < VG_ARRAY_SIZE(engine_socket_paths); i++)
		if (strcmp(path, "/") != 0 && path_covers(path, engine_socket_paths[i]))
			return true;
	return false;
}

/* Sensitive host paths: a mount of one of these or of a parent; subtree=true also for any
 * path below (runtimes never mount their own files from there). */
static const struct {
	const char *path;
	bool subtree;
} sensitive_paths[] = {
	{"/boot", true},
	{"/dev", false},
	{"/etc", true},
	{"/lib", false},
	{"/proc", false},
	{"/sys", false},
	{"/usr", false},
	{"/var/lib/docker", false},
	{"/root", true},
	{"/home", false},
	{"/run", false},
	{"/var/run", false},
	{"/var/lib/kubelet", false},
	{"/var/lib/containerd", false},
};

static bool is_sensitive(const char *host_path)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(sensitive_paths); i++) {
		if (path_covers(host_path, sensitive_paths[i].path))
			return true;
		if (sensitive_paths[i].subtree && path_covers(sensitive_paths[i].path, host_path))
			return true;
	}
	return false;
}

/* The mount an access to @path goes through: longest mount point covering it, last wins. */
static const struct vg_iso_mount *covering_mount(const struct vg_isolation *iso, const char *path)
{
	const struct vg_iso_mount *best = NULL;

	for (size_t i = 0; i < iso->n_mounts; i++) {
		const struct vg_iso_mount *m = &iso->mounts[i];

		if (!path_covers(m->mount_point, path))
			continue;
		if (!best || strlen(m->mount_point) >= strlen(best->mount_point))
			best = m;
	}
	return best;
}

/* Runtimes mask the paths of this list that exist on the host (docker: MaskedPaths, runc's
 * default spec: maskedPaths) with a bind mount of /dev/null or an empty tmpfs. */
static bool proc_masked(const struct vg_isolation *iso)
{
	static const char *const masked[] = {
		"/proc/kcore",	     "/proc/keys",	  "/proc/timer_list",
		"/proc/timer_stats", "/proc/sched_debug", "/proc/latency_stats",
		"/proc/acpi",	     "/proc/scsi",	  "/proc/asound",
	};

	for (size_t i = 0; i < VG_ARRAY_SIZE(masked); i++) {
		const struct vg_iso_mount *c = covering_mount(iso, masked[i]);

		if (c && strcmp(c->mount_point, masked[i]) == 0)
			return true;
	}
	return false;
}

static void judge_mounts(struct judge *j)
{
	struct vg_isolation *iso = j->iso;
	struct vg_arena *a = &iso->arena;

	for (size_t i = 0; i < iso->n_mounts; i++) {
		const struct vg_iso_mount *m = &iso->mounts[i];
		const char *mp = m->mount_point, *hp = m->host_path;
		const char *mode = m->rw ? "rw" : "ro";

		if (strcmp(m->fstype, "proc") == 0) {
			char sub[VG_PATH_MAX + 16];
			const struct vg_iso_mount *c;

			(void)snprintf(sub, sizeof(sub), "%s/sys", strcmp(mp, "/") == 0 ? "" : mp);
			c = covering_mount(iso, sub);
			if (c && c->rw && strcmp(c->fstype, "proc") == 0)
				add(j, CK_MNT_PROC, VG_ISO_SEV_HIGH,
				    aprintf(a, "%s/sys is writable (proc mounted rw at %s)",
					    strcmp(mp, "/") == 0 ? "" : mp, mp));
			if (strcmp(mp, "/proc") == 0 && !proc_masked(iso))
				add(j, CK_MNT_PROC_UNMASKED, VG_ISO_SEV_HIGH,
				    astrdup(a, "none of /proc/kcore, /proc/keys, /proc/timer_list, "
					       "/proc/acpi, /proc/scsi ... is masked"));
			continue;
		}
		if (strcmp(m->fstype, "sysfs") == 0) {
			if (m->rw)
				add(j, CK_MNT_SYSFS, VG_ISO_SEV_HIGH,
				    aprintf(a, "sysfs mounted rw at %s", mp));
			continue;
		}
		if (strcmp(m->fstype, "cgroup") == 0 || strcmp(m->fstype, "cgroup2") == 0) {
			if (m->rw)
				add(j, CK_MNT_CGROUPFS, VG_ISO_SEV_HIGH,
				    aprintf(a, "%s mounted rw at %s", m->fstype, mp));
			continue;
		}
		if (strcmp(m->fstype, "devtmpfs") == 0) {
			add(j, CK_MNT_DEVTMPFS, VG_ISO_SEV_HIGH,
			    aprintf(a, "devtmpfs%s%s mounted %s at %s",
				    strcmp(m->root, "/") ? " " : "",
				    strcmp(m->root, "/") ? m->root : "", mode, mp));
			continue;
		}
		if (!hp || strcmp(mp, "/") == 0)
			continue; /* the container's own file systems, or its root */
		if (strcmp(hp, "/") == 0) {
			add(j, CK_MNT_ROOT, VG_ISO_SEV_CRITICAL,
			    aprintf(a, "host / mounted %s at %s", mode, mp));
		}
		if (is_engine_socket(hp) || is_socket_name(mp)) {
			add(j, CK_MNT_SOCKET, VG_ISO_SEV_CRITICAL,
			    aprintf(a, "host %s mounted at %s", hp, mp));
		} else if (strcmp(hp, "/") != 0 && is_sensitive(hp)) {
			add(j, CK_MNT_SENSITIVE, m->rw ? VG_ISO_SEV_HIGH : VG_ISO_SEV_MEDIUM,
			    aprintf(a, "host %s mounted %s at %s", hp, mode, mp));
		}
		if (m->shared)
			add(j, CK_MNT_SHARED, VG_ISO_SEV_MEDIUM,
			    aprintf(a, "host %s at %s propagates (shared)", hp, mp));
	}
	if (iso->rootfs_ro == 0)
		add(j, CK_ROOTFS, VG_ISO_SEV_LOW, astrdup(a, "/ is mounted read-write"));
}

static void judge_caps(struct judge *j)
{
	struct vg_isolation *iso = j->iso;
	struct vg_arena *a = &iso->arena;
	uint64_t held = iso->cap_eff | iso->cap_prm | iso->cap_amb;
	/* Without NoNewPrivs, a setuid-root or file-capability program raises the process up to
	 * its bounding set. */
	uint64_t reach = iso->no_new_privs == 1 ? held : held | iso->cap_bnd;

	if (iso->host_cap_bnd && (reach & iso->host_cap_bnd) == iso->host_cap_bnd)
		add(j, CK_CAP_ALL, VG_ISO_SEV_CRITICAL,
		    aprintf(a, "%s %016llx holds all of the host's bounding set %016llx",
			    (held & iso->host_cap_bnd) == iso->host_cap_bnd ? "held set"
									    : "reachable set",
			    (unsigned long long)reach, (unsigned long long)iso->host_cap_bnd));
	for (size_t i = 0; i < VG_ARRAY_SIZE(cap_risks); i++) {
		uint64_t bit = 1ULL << cap_risks[i].bit;

		if (!(reach & bit))
			continue;
		add_id(j, CK_CAP, aprintf(a, "ISO-CAP-%s", vg_iso_cap_name(cap_risks[i].bit) + 4),
		       cap_risks[i].why, cap_risks[i].severity,
		       aprintf(a, "%s %s", vg_iso_cap_name(cap_risks[i].bit),
			       held & bit ? "held (effective, permitted or ambient)"
					  : "in the bounding set: a setuid or file-capability "
					    "program gains it (NoNewPrivs is off)"));
	}
}

static bool selinux_unconfined(const char *label)
{
	static const char *const types[] = {"spc_t", "unconfined_t", "kernel_t",
					    "unconfined_service_t", "initrc_t"};
	char type[256];
	const char *p = label;

	/* user:role:type[:level] */
	for (int i = 0; i < 2 && p; i++) {
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (!p)
		return false;
	vg_strlcpy(type, p, sizeof(type));
	type[strcspn(type, ":")] = '\0';
	for (size_t i = 0; i < VG_ARRAY_SIZE(types); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

static int judge(struct vg_isolation *iso)
{
	static const int ns_checks[VG_ISO_NS__MAX] = {
		[VG_ISO_NS_PID] = CK_NS_PID,	   [VG_ISO_NS_NET] = CK_NS_NET,
		[VG_ISO_NS_MNT] = CK_NS_MNT,	   [VG_ISO_NS_IPC] = CK_NS_IPC,
		[VG_ISO_NS_UTS] = CK_NS_UTS,	   [VG_ISO_NS_USER] = CK_NS_USER,
		[VG_ISO_NS_CGROUP] = CK_NS_CGROUP, [VG_ISO_NS_TIME] = -1,
	};
	struct judge j = {.iso = iso};
	struct vg_arena *a = &iso->arena;
	bool host_mnt = iso->ns[VG_ISO_NS_MNT] == VG_ISO_NS_SHARED;
	uint32_t euid = iso->uid[1];

	vg_vec_init(&j.findings, sizeof(struct vg_iso_finding), VG_ISO_FINDINGS_MAX);

	for (int i = 0; i < VG_ISO_NS__MAX; i++)
		if (ns_checks[i] >= 0 && iso->ns[i] == VG_ISO_NS_SHARED)
			add(&j, ns_checks[i], checks[ns_checks[i]].severity,
			    aprintf(a, "%s:[%llu] is the host's", ns_names[i],
				    (unsigned long long)iso->ns_ino[i]));
	judge_caps(&j);
	if (iso->seccomp == 0)
		add(&j, CK_SECCOMP, VG_ISO_SEV_HIGH, astrdup(a, "Seccomp: 0 (disabled)"));
	if (iso->no_new_privs == 0)
		add(&j, CK_NNP, VG_ISO_SEV_MEDIUM, astrdup(a, "NoNewPrivs: 0"));
	if (iso->lsm == VG_ISO_LSM_APPARMOR &&
	    (strcmp(iso->lsm_label, "unconfined") == 0 || strstr(iso->lsm_label, "(complain)") ||
	     strstr(iso->lsm_label, "(unconfined)")))
		add(&j, CK_LSM, VG_ISO_SEV_MEDIUM, aprintf(a, "AppArmor: %s", iso->lsm_label));
	else if (iso->lsm == VG_ISO_LSM_SELINUX && selinux_unconfined(iso->lsm_label))
		add(&j, CK_LSM, VG_ISO_SEV_MEDIUM, aprintf(a, "SELinux: %s", iso->lsm_label));
	if (iso->mem.known && iso->mem.value == VG_ISO_UNLIMITED)
		add(&j, CK_MEM, VG_ISO_SEV_MEDIUM, astrdup(a, "memory: max"));
	if (iso->pids.known && iso->pids.value == VG_ISO_UNLIMITED)
		add(&j, CK_PIDS, VG_ISO_SEV_MEDIUM, astrdup(a, "pids: max"));
	if (iso->cpu_quota.known && iso->cpu_quota.value == VG_ISO_UNLIMITED)
		add(&j, CK_CPU, VG_ISO_SEV_LOW, astrdup(a, "cpu quota: max"));
	if (iso->devices_all == 1)
		add(&j, CK_DEVICES, VG_ISO_SEV_HIGH, astrdup(a, "devices.list: a *:* rwm"));
	if (!host_mnt)
		judge_mounts(&j);
	if (euid == 0 && iso->root_on_host)
		add(&j, CK_USER_ROOT, VG_ISO_SEV_HIGH,
		    astrdup(a, iso->ns[VG_ISO_NS_USER] == VG_ISO_NS_SHARED
				       ? "effective uid 0, no user namespace"
				       : "effective uid 0, mapped to host uid 0"));
	if (iso->ns[VG_ISO_NS_USER] == VG_ISO_NS_PRIVATE && iso->root_on_host)
		add(&j, CK_USERNS_ROOT, VG_ISO_SEV_HIGH, astrdup(a, "uid_map: 0 -> 0"));

	if (j.error) {
		vg_vec_done(&j.findings);
		return j.error;
	}
	iso->n_findings = j.findings.len;
	if (iso->n_findings) {
		iso->findings = vg_arena_memdup(a, j.findings.data,
						iso->n_findings * sizeof(struct vg_iso_finding));
		if (!iso->findings) {
			vg_vec_done(&j.findings);
			return vg_arena_error(a) ?: -ENOMEM;
		}
	}
	vg_vec_done(&j.findings);
	return 0;
}

static int finding_cmp(const void *x, const void *y)
{
	const struct vg_iso_finding *a = x, *b = y;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->check->area != b->check->area)
		return a->check->area < b->check->area ? -1 : 1;
	c = strcmp(a->id, b->id);
	return c ? c : strcmp(a->detail, b->detail);
}

/* ------------------------------------------------------------------------------------------ */

void vg_isolation_free(struct vg_isolation *iso)
{
	if (!iso)
		return;
	vg_arena_done(&iso->arena);
	free(iso);
}

static int collect(struct vg_isolation *iso, const struct vg_iso_opts *o, int pfd)
{
	cleanup_close int rfd = -EBADF;
	cleanup_free char *status = NULL;
	const char *proc_root = o && o->proc_root ? o->proc_root : "/proc";
	const char *croot = o && o->cgroup_root ? o->cgroup_root : "/sys/fs/cgroup";
	uint32_t ref = o && o->ref_pid ? o->ref_pid : 1;
	uint64_t start0, start1;
	int r;

	r = read_starttime(pfd, &start0);
	if (r < 0)
		return proc_err(pfd, r);

	/* The host reference: pid 1, or this process when pid 1's namespaces are not readable
	 * (a sandbox, or a non-root caller). */
	r = open_pid_dir(proc_root, ref, &rfd);
	if (r >= 0) {
		uint64_t ino;

		if (read_ns(rfd, "mnt", &ino) < 0) {
			vg_closep(&rfd);
			rfd = -EBADF;
			r = -EACCES;
		}
	}
	if (r < 0) {
		r = open_pid_dir(proc_root, (uint32_t)getpid(), &rfd);
		if (r < 0) {
			char path[VG_PATH_MAX];

			(void)snprintf(path, sizeof(path), "%s/self", proc_root);
			rfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (rfd < 0)
				return -errno;
		}
		iso->ref_is_self = true;
		iso->ref_pid = (uint32_t)getpid();
	} else {
		iso->ref_pid = ref;
	}

	r = read_at(pfd, "status", VG_PROC_FILE_MAX, &status);
	if (r < 0)
		return proc_err(pfd, r);
	r = vg_iso_parse_status(status, iso);
	if (r < 0)
		return r;
	if ((r = collect_host_caps(iso, proc_root, rfd)) < 0 ||
	    (r = collect_ns(iso, pfd, rfd)) < 0 || (r = collect_lsm(iso, pfd)) < 0 ||
	    (r = collect_cgroup(iso, pfd, croot)) < 0 || (r = collect_mounts(iso, pfd, rfd)) < 0 ||
	    (r = collect_user(iso, pfd)) < 0)
		return r;

	r = read_starttime(pfd, &start1);
	if (r < 0)
		return proc_err(pfd, r);
	if (start0 != start1)
		return -ESRCH;
	r = judge(iso);
	if (r < 0)
		return r;
	if (iso->n_findings)
		qsort(iso->findings, iso->n_findings, sizeof(*iso->findings), finding_cmp);
	return 0;
}

int vg_isolation_collect(const struct vg_iso_opts *opts, uint32_t pid, struct vg_isolation **ret)
{
	cleanup(vg_isolation_freep) struct vg_isolation *iso = NULL;
	cleanup_close int pfd = -EBADF;
	const char *proc_root = opts && opts->proc_root ? opts->proc_root : "/proc";
	int r;

	if (!ret || pid == 0)
		return -EINVAL;
	iso = calloc(1, sizeof(*iso));
	if (!iso)
		return -ENOMEM;
	vg_arena_init(&iso->arena, VG_ISO_ARENA_MAX);
	iso->pid = pid;
	iso->lsm_label = "";
	iso->cgroup_path = "";
	r = open_pid_dir(proc_root, pid, &pfd);
	if (r < 0)
		return r;
	r = collect(iso, opts, pfd);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(iso);
	return 0;
}

size_t vg_isolation_count(const struct vg_isolation *iso, enum vg_iso_severity min)
{
	size_t n = 0;

	for (size_t i = 0; i < iso->n_findings; i++)
		n += iso->findings[i].severity >= min;
	return n;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON */

static int put_key(struct vg_strbuf *sb, const char *key)
{
	int r = vg_strbuf_put_json_string(sb, key, strlen(key));

	return r < 0 ? r : vg_strbuf_putc(sb, ':');
}

static int put_str(struct vg_strbuf *sb, const char *key, const char *v)
{
	int r = put_key(sb, key);

	if (r < 0)
		return r;
	if (!v)
		return vg_strbuf_puts(sb, "null");
	return vg_strbuf_put_json_string(sb, v, strlen(v));
}

static int put_caps(struct vg_strbuf *sb, const char *key, uint64_t mask)
{
	bool first = true;
	int r = put_key(sb, key);

	if (r < 0 || (r = vg_strbuf_putc(sb, '[')) < 0)
		return r;
	for (unsigned bit = 0; bit < 64; bit++) {
		char name[16];
		const char *s = vg_iso_cap_name(bit);

		if (!(mask & (1ULL << bit)))
			continue;
		if (!s) {
			(void)snprintf(name, sizeof(name), "CAP_%u", bit);
			s = name;
		}
		if ((!first && (r = vg_strbuf_putc(sb, ',')) < 0) ||
		    (r = vg_strbuf_put_json_string(sb, s, strlen(s))) < 0)
			return r;
		first = false;
	}
	return vg_strbuf_putc(sb, ']');
}

static int put_limit(struct vg_strbuf *sb, const char *key, const struct vg_iso_limit *l)
{
	int r = put_key(sb, key);

	if (r < 0)
		return r;
	if (!l->known)
		return vg_strbuf_puts(sb, "null");
	if (l->value == VG_ISO_UNLIMITED)
		return vg_strbuf_puts(sb, "\"max\"");
	return vg_strbuf_printf(sb, "%llu", (unsigned long long)l->value);
}

static int put_int_or_null(struct vg_strbuf *sb, const char *key, int v)
{
	int r = put_key(sb, key);

	if (r < 0)
		return r;
	return v < 0 ? vg_strbuf_puts(sb, "null") : vg_strbuf_printf(sb, "%d", v);
}

int vg_isolation_to_json(const struct vg_isolation *iso, const char *target, struct vg_strbuf *sb)
{
	static const char *const lsm_names[] = {"none", "apparmor", "selinux"};
	size_t by_sev[VG_ISO_SEV__MAX] = {0};
	int r;

#define TRY(x)                     \
	do {                       \
		if ((r = (x)) < 0) \
			return r;  \
	} while (0)

	TRY(vg_strbuf_putc(sb, '{'));
	TRY(put_key(sb, "target"));
	TRY(vg_strbuf_puts(sb, target ? target : "null"));
	TRY(vg_strbuf_printf(sb, ",\"pid\":%u,\"host_reference\":{\"pid\":%u,\"self\":%s}",
			     iso->pid, iso->ref_pid, iso->ref_is_self ? "true" : "false"));

	TRY(vg_strbuf_puts(sb, ",\"namespaces\":{"));
	for (int i = 0; i < VG_ISO_NS__MAX; i++) {
		static const char *const st[] = {"unknown", "private", "host"};

		TRY(vg_strbuf_printf(sb, "%s\"%s\":{\"inode\":", i ? "," : "", ns_names[i]));
		TRY(iso->ns_ino[i]
			    ? vg_strbuf_printf(sb, "%llu", (unsigned long long)iso->ns_ino[i])
			    : vg_strbuf_puts(sb, "null"));
		TRY(vg_strbuf_printf(sb, ",\"state\":\"%s\"}", st[iso->ns[i]]));
	}
	TRY(vg_strbuf_puts(sb, "},\"capabilities\":{"));
	TRY(put_caps(sb, "effective", iso->cap_eff));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_caps(sb, "permitted", iso->cap_prm));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_caps(sb, "inheritable", iso->cap_inh));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_caps(sb, "bounding", iso->cap_bnd));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_caps(sb, "ambient", iso->cap_amb));
	TRY(vg_strbuf_puts(sb, "},\"seccomp\":{"));
	TRY(put_int_or_null(sb, "mode", iso->seccomp));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_int_or_null(sb, "filters", iso->seccomp_filters));
	TRY(vg_strbuf_puts(sb, ",\"no_new_privs\":"));
	TRY(vg_strbuf_puts(sb, iso->no_new_privs < 0 ? "null"
			       : iso->no_new_privs   ? "true"
						     : "false"));
	TRY(vg_strbuf_puts(sb, "},\"lsm\":{"));
	TRY(put_str(sb, "kind", lsm_names[iso->lsm]));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_str(sb, "label", iso->lsm_label));
	TRY(vg_strbuf_puts(sb, "},\"cgroups\":{"));
	TRY(put_str(sb, "mode", vg_iso_cgroup_mode_to_string(iso->cgroup_mode)));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_str(sb, "path", iso->cgroup_path));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_limit(sb, "memory_max", &iso->mem));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_limit(sb, "pids_max", &iso->pids));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_limit(sb, "cpu_quota_us", &iso->cpu_quota));
	TRY(vg_strbuf_putc(sb, ','));
	TRY(put_limit(sb, "cpu_period_us", &iso->cpu_period));
	TRY(vg_strbuf_puts(sb, ",\"devices_all\":"));
	TRY(vg_strbuf_puts(sb, iso->devices_all < 0 ? "null"
			       : iso->devices_all   ? "true"
						    : "false"));
	TRY(vg_strbuf_puts(sb, "},\"mounts\":{\"rootfs_read_only\":"));
	TRY(vg_strbuf_puts(sb, iso->rootfs_ro < 0 ? "null" : iso->rootfs_ro ? "true" : "false"));
	TRY(vg_strbuf_puts(sb, ",\"list\":["));
	for (size_t i = 0; i < iso->n_mounts; i++) {
		const struct vg_iso_mount *m = &iso->mounts[i];

		TRY(vg_strbuf_puts(sb, i ? ",{" : "{"));
		TRY(put_str(sb, "mount_point", m->mount_point));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "fstype", m->fstype));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "source", m->source));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "root", m->root));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "host_path", m->host_path));
		TRY(vg_strbuf_printf(sb, ",\"rw\":%s,\"shared\":%s}", m->rw ? "true" : "false",
				     m->shared ? "true" : "false"));
	}
	TRY(vg_strbuf_printf(sb, "]},\"user\":{\"uid\":%u,\"euid\":%u,\"gid\":%u,\"uid_map\":[",
			     iso->uid[0], iso->uid[1], iso->gid[0]));
	for (size_t i = 0; i < iso->n_uid_map; i++)
		TRY(vg_strbuf_printf(sb, "%s[%u,%u,%u]", i ? "," : "", iso->uid_map[i].inside,
				     iso->uid_map[i].outside, iso->uid_map[i].count));
	TRY(vg_strbuf_printf(sb, "],\"root_on_host\":%s},\"findings\":[",
			     iso->root_on_host ? "true" : "false"));
	for (size_t i = 0; i < iso->n_findings; i++) {
		const struct vg_iso_finding *f = &iso->findings[i];

		by_sev[f->severity]++;
		TRY(vg_strbuf_puts(sb, i ? ",{" : "{"));
		TRY(put_str(sb, "id", f->id));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "severity", vg_iso_severity_to_string(f->severity)));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "area", vg_iso_area_to_string(f->check->area)));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "title", f->check->title));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "detail", f->detail));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "why", f->why));
		TRY(vg_strbuf_putc(sb, ','));
		TRY(put_str(sb, "fix", f->check->fix));
		TRY(vg_strbuf_putc(sb, '}'));
	}
	TRY(vg_strbuf_puts(sb, "],\"summary\":{"));
	for (int s = VG_ISO_SEV_CRITICAL; s >= VG_ISO_SEV_INFO; s--)
		TRY(vg_strbuf_printf(sb, "%s\"%s\":%zu", s == VG_ISO_SEV_CRITICAL ? "" : ",",
				     severity_names[s], by_sev[s]));
	TRY(vg_strbuf_puts(sb, "}}"));
#undef TRY
	return 0;
}
