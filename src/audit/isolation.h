/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Isolation actually in force for one process (a container's init), read from /proc and the
 * cgroup filesystem: namespaces shared with the host, capabilities, seccomp, NoNewPrivs, the
 * AppArmor/SELinux label, cgroup limits, mounts and the user namespace mapping. Each weakness
 * becomes a finding with a severity, the reason it matters and its fix (docs/inspect.md).
 *
 * The roots are parameters so tests point the collector at a fake tree. "The host" is the
 * reference process (pid 1 by default; this process when pid 1's namespaces cannot be read).
 * All sizes read are bounded (src/basic/limits.h, VG_ISO_*); a process that exits while it is
 * being read gives -ESRCH.
 */
#ifndef VG_AUDIT_ISOLATION_H
#define VG_AUDIT_ISOLATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"
#include "basic/strbuf.h"

enum vg_iso_severity {
	VG_ISO_SEV_INFO,
	VG_ISO_SEV_LOW,
	VG_ISO_SEV_MEDIUM,
	VG_ISO_SEV_HIGH,
	VG_ISO_SEV_CRITICAL,
	VG_ISO_SEV__MAX,
};

/* The report's areas, in report order. */
enum vg_iso_area {
	VG_ISO_AREA_NAMESPACES,
	VG_ISO_AREA_CAPABILITIES,
	VG_ISO_AREA_SECCOMP,
	VG_ISO_AREA_LSM,
	VG_ISO_AREA_CGROUPS,
	VG_ISO_AREA_MOUNTS,
	VG_ISO_AREA_USER,
	VG_ISO_AREA__MAX,
};

enum vg_iso_ns {
	VG_ISO_NS_PID,
	VG_ISO_NS_NET,
	VG_ISO_NS_MNT,
	VG_ISO_NS_IPC,
	VG_ISO_NS_UTS,
	VG_ISO_NS_USER,
	VG_ISO_NS_CGROUP,
	VG_ISO_NS_TIME,
	VG_ISO_NS__MAX,
};

enum vg_iso_ns_state {
	VG_ISO_NS_UNKNOWN, /* the kernel has no such namespace, or it could not be read */
	VG_ISO_NS_PRIVATE,
	VG_ISO_NS_SHARED, /* same inode as the host's */
};

enum vg_iso_lsm {
	VG_ISO_LSM_NONE, /* neither AppArmor nor SELinux labels this process */
	VG_ISO_LSM_APPARMOR,
	VG_ISO_LSM_SELINUX,
};

enum vg_iso_cgroup_mode {
	VG_ISO_CGROUP_UNKNOWN,
	VG_ISO_CGROUP_V1,
	VG_ISO_CGROUP_V2,
	VG_ISO_CGROUP_HYBRID, /* v1 controllers plus the v2 "0::" line */
};

#define VG_ISO_UNLIMITED UINT64_MAX

/* One cgroup limit: the smallest value on the path from the process's cgroup up to the root. */
struct vg_iso_limit {
	bool known; /* false: the controller or its file could not be found */
	uint64_t value; /* VG_ISO_UNLIMITED when not limited */
	const char *where; /* the cgroup (path) holding the smallest value; arena string */
};

struct vg_iso_mount {
	uint32_t major, minor;
	const char *root; /* path inside the mounted filesystem (field 4) */
	const char *mount_point; /* inside the container */
	const char *fstype, *source;
	const char *host_path; /* root resolved against the host's mounts; NULL when unknown */
	bool rw; /* per-mount and superblock both read-write */
	bool shared; /* propagation "shared:N" */
};

struct vg_iso_uid_range {
	uint32_t inside, outside, count;
};

/* A check of the catalog (static data; docs/inspect.md lists them all). */
struct vg_iso_check {
	const char *id;
	enum vg_iso_area area;
	enum vg_iso_severity severity; /* default; some findings raise or lower it per instance */
	const char *title;
	const char *why; /* how the weakness helps an escape */
	const char *fix;
};

struct vg_iso_finding {
	const struct vg_iso_check *check;
	const char *id; /* check->id, or per capability "ISO-CAP-SYS_ADMIN" */
	const char *why; /* check->why, or the capability's own reason */
	enum vg_iso_severity severity;
	const char *detail; /* what exactly was seen (arena string) */
};

struct vg_isolation {
	struct vg_arena arena; /* every string below */
	uint32_t pid;
	uint32_t ref_pid; /* the process standing for the host */
	bool ref_is_self; /* pid 1 could not be read: compared with this process instead */

	uint64_t ns_ino[VG_ISO_NS__MAX], host_ns_ino[VG_ISO_NS__MAX];
	enum vg_iso_ns_state ns[VG_ISO_NS__MAX];

	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	uint64_t host_cap_bnd; /* the reference's bounding set */
	unsigned cap_last; /* highest capability the kernel knows */
	int seccomp; /* 0 off, 1 strict, 2 filter, -1 unknown */
	int seccomp_filters; /* -1 unknown (kernel < 5.9) */
	int no_new_privs; /* 0, 1, -1 unknown */
	uint32_t uid[4], gid[4]; /* real, effective, saved, fs */

	enum vg_iso_lsm lsm;
	const char *lsm_label; /* "" with VG_ISO_LSM_NONE */

	enum vg_iso_cgroup_mode cgroup_mode;
	const char *cgroup_path; /* the v2 path, else the memory controller's */
	struct vg_iso_limit mem, pids, cpu_quota, cpu_period;
	int devices_all; /* v1 devices.list allows every device: 1, 0, -1 unknown (v2) */

	struct vg_iso_uid_range *uid_map;
	size_t n_uid_map;
	bool root_on_host; /* uid 0 in the container is uid 0 on the host */

	struct vg_iso_mount *mounts;
	size_t n_mounts;
	int rootfs_ro; /* 1, 0, -1 unknown (no "/" mount) */

	struct vg_iso_finding *findings; /* sorted: severity (highest first), area, id, detail */
	size_t n_findings;
};

struct vg_iso_opts {
	const char *proc_root; /* NULL: "/proc" */
	const char *cgroup_root; /* NULL: "/sys/fs/cgroup" */
	uint32_t ref_pid; /* 0: 1 */
};

/**
 * vg_isolation_collect() - read the isolation of @pid and judge it.
 * Returns 0 and a new object in *ret (free with vg_isolation_free()), -ESRCH when the process
 * does not exist or exits during the read, -EBADMSG for malformed /proc content (a truncated
 * status, numbers that are not numbers, a mountinfo line with missing fields), -E2BIG past a
 * VG_ISO_* limit, -EACCES when the files cannot be read (not root), -ENOMEM.
 */
VG_MUST_CHECK int vg_isolation_collect(const struct vg_iso_opts *opts, uint32_t pid,
				       struct vg_isolation **ret);
void vg_isolation_free(struct vg_isolation *iso);
DEFINE_CLEANUP_FUNC(struct vg_isolation *, vg_isolation_free)

/* Number of findings of severity >= @min. */
size_t vg_isolation_count(const struct vg_isolation *iso, enum vg_iso_severity min);

/**
 * vg_isolation_to_json() - append the whole report as one JSON object (format in
 * docs/inspect.md). @target is a JSON object text describing the container (may be NULL).
 */
VG_MUST_CHECK int vg_isolation_to_json(const struct vg_isolation *iso, const char *target,
				       struct vg_strbuf *sb);

/* The check catalog, in report order. */
const struct vg_iso_check *vg_isolation_checks(size_t *ret_n);

/* Capability name ("CAP_SYS_ADMIN"), or NULL past the known ones. */
const char *vg_iso_cap_name(unsigned bit);
/* Appends the names of the bits of @mask, comma-separated ("CAP_41" for unknown bits). */
VG_MUST_CHECK int vg_iso_caps_format(uint64_t mask, struct vg_strbuf *sb);

const char *vg_iso_severity_to_string(enum vg_iso_severity s); /* "critical" ... "info" */
int vg_iso_severity_from_string(const char *s); /* case-insensitive; -EINVAL */
const char *vg_iso_area_to_string(enum vg_iso_area a); /* "namespaces" ... */
const char *vg_iso_ns_name(enum vg_iso_ns ns); /* "pid", "net", ... as in /proc/PID/ns */
const char *vg_iso_cgroup_mode_to_string(enum vg_iso_cgroup_mode m);

/*
 * The parsers, for tests and fuzzing. All take NUL-terminated text owned by the caller and
 * may modify it; strings they return live in @arena.
 */
/* /proc/PID/status: Uid, Gid, Cap*, NoNewPrivs, Seccomp*. -EBADMSG when a required line
 * (Uid, Gid, CapPrm, CapEff, CapBnd) is missing or any used value is malformed. */
VG_MUST_CHECK int vg_iso_parse_status(char *text, struct vg_isolation *iso);
/* /proc/PID/mountinfo into *ret (arena array). -EBADMSG, -E2BIG past VG_ISO_MOUNTS_MAX. */
VG_MUST_CHECK int vg_iso_parse_mountinfo(char *text, struct vg_arena *arena,
					 struct vg_iso_mount **ret, size_t *ret_n);
/* /proc/PID/uid_map. -EBADMSG, -E2BIG past VG_ISO_UID_MAP_MAX lines. */
VG_MUST_CHECK int vg_iso_parse_uid_map(char *text, struct vg_arena *arena,
				       struct vg_iso_uid_range **ret, size_t *ret_n);

#endif /* VG_AUDIT_ISOLATION_H */
