/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Docker containers' effective runtime configuration, for the `container` rule source
 * (fields-container-audit.c, docs/audit.md).
 *
 * Read from the Engine API (GET /containers/json?all=1, then /containers/ID/json), or
 * without it from the engine's data root: containers/ID/config.v2.json + hostconfig.json.
 * The same parser takes both shapes: the API's inspect object (HostConfig inside, Mounts a
 * list) and config.v2.json (MountPoints an object) with hostconfig.json beside it.
 *
 * Effective semantics, as the engine applies them: a privileged container has no seccomp
 * filter, AppArmor unconfined, every capability and every device, whatever was asked; the
 * daemon's no-new-privileges and seccomp-profile defaults apply to containers that set
 * nothing. Running containers also carry the isolation read from /proc of their init
 * (isolation.h).
 */
#ifndef VG_AUDIT_CONTAINER_H
#define VG_AUDIT_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/isolation.h"
#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"

struct vg_ctr_mount {
	const char *type; /* bind, volume, tmpfs, npipe */
	const char *source; /* host path ("" for tmpfs) */
	const char *destination;
	const char *propagation; /* "" when default */
	bool rw;
	bool socket; /* the source is, or contains, a container runtime socket */
};

struct vg_ctr_port {
	const char *container_port; /* "80/tcp" */
	const char *host_ip; /* "" = every address */
	uint32_t host_port; /* 0 = picked by the engine */
};

struct vg_ctr {
	const char *id, *name, *image;
	const char *origin; /* "api" or the config.v2.json path */
	bool running;
	uint32_t pid;
	bool privileged;
	const char *user; /* Config.User */
	const char **cap_add, **cap_drop, **security_opt, **devices, **device_cgroup_rules,
		**sysctls, **masked_paths, **readonly_paths;
	size_t n_cap_add, n_cap_drop, n_security_opt, n_devices, n_device_cgroup_rules, n_sysctls,
		n_masked_paths, n_readonly_paths;
	bool has_masked_paths; /* MaskedPaths present in the document (API >= 1.40) */
	const char *network_mode, *pid_mode, *ipc_mode, *uts_mode, *userns_mode, *cgroupns_mode;
	const char *apparmor_profile; /* AppArmorProfile as the engine recorded it */
	const char *cgroup_parent;
	const char *restart_policy;
	int64_t restart_max;
	bool read_only_rootfs;
	int64_t memory, cpu_shares, nano_cpus, cpu_quota;
	bool has_pids_limit;
	int64_t pids_limit;
	bool has_healthcheck; /* Config.Healthcheck with a test other than NONE */
	const char *health_status; /* State.Health.Status, NULL when none */
	struct vg_ctr_mount *mounts;
	size_t n_mounts;
	struct vg_ctr_port *ports;
	size_t n_ports;
	/* effective, derived */
	const char *seccomp; /* "unconfined", "default" or the profile given */
	const char *apparmor; /* "unconfined", the profile, or "" without AppArmor */
	bool selinux_disabled; /* label=disable */
	bool no_new_privileges;
	bool systempaths_unconfined; /* MaskedPaths/ReadonlyPaths cleared */
	struct vg_isolation *iso; /* running containers, when /proc could be read */
	const char *iso_error; /* why iso is NULL for a running container */
};

struct vg_ctr_daemon_defaults {
	bool no_new_privileges; /* daemon no-new-privileges */
	const char *seccomp_profile; /* daemon seccomp-profile (NULL: the built-in default) */
	bool apparmor_enabled; /* the host has AppArmor */
	const char *extra_sockets[8]; /* engine sockets besides the well-known ones */
};

struct vg_ctr_set {
	struct vg_arena arena;
	struct vg_vec ctrs; /* struct vg_ctr * */
	struct vg_ctr_daemon_defaults dd;
	const char *root; /* root prefix of host paths ("" real host) */
	const char *source; /* "api", "data-root" */
};

void vg_ctr_set_init(struct vg_ctr_set *s);
void vg_ctr_set_done(struct vg_ctr_set *s);

/*
 * Parses one container: inspect (the API's /containers/ID/json object, or config.v2.json)
 * and, for config.v2.json, hostconfig (NULL when the first holds HostConfig). origin names
 * the input in findings. -EBADMSG for malformed JSON or wrong types of used fields, -E2BIG
 * past VG_CTR_ITEMS_MAX / VG_JSON_DOC_MAX, -ENOMEM.
 */
VG_MUST_CHECK int vg_ctr_parse(struct vg_ctr_set *s, const char *inspect, size_t len,
			       const char *hostconfig, size_t hlen, const char *origin);

/*
 * Parses an OCI runtime-spec config.json (a runc or containerd bundle) into a container: the
 * bounding capabilities beyond Docker's default set count as added, a namespace missing
 * from linux.namespaces is the host's, no linux.seccomp is seccomp unconfined, an empty
 * process.apparmorProfile is AppArmor unconfined, an empty linux.maskedPaths is
 * systempaths=unconfined. id names it, pid is its init (0: not running). Same errors as
 * vg_ctr_parse().
 */
VG_MUST_CHECK int vg_ctr_parse_oci(struct vg_ctr_set *s, const char *config, size_t len,
				   const char *id, uint32_t pid, const char *origin);

struct vg_ctr_opts {
	const char *socket; /* engine API socket; NULL: /var/run/docker.sock */
	const char *data_root; /* used when the API does not answer; NULL: /var/lib/docker */
	const char *root; /* root prefix for data_root and mount sources; NULL: "" */
	bool use_api;
	bool isolation; /* read /proc of running containers */
	bool skip_oci; /* do not look at runc state directories */
	const struct vg_iso_opts *iso; /* NULL: defaults */
	int timeout_ms;
};

/*
 * Collects every container (running or not): from the API when it answers, else from the
 * data root; then the OCI bundles of runc state directories (ROOT/run/runc/ID,
 * ROOT/run/containerd/runc/NS/ID: state.json's "bundle=" label, BUNDLE/config.json) that are
 * not already known by id. -ENOENT when none of them exists (nothing to audit),
 * connection/IO errors, and the parser's errors.
 */
VG_MUST_CHECK int vg_ctr_collect(struct vg_ctr_set *s, const struct vg_ctr_opts *o);

/* Applies privileged semantics and the daemon defaults (called by vg_ctr_parse()). */
void vg_ctr_effective(const struct vg_ctr_set *s, struct vg_ctr *c);

static inline size_t vg_ctr_count(const struct vg_ctr_set *s)
{
	return s->ctrs.len;
}

static inline struct vg_ctr *vg_ctr_at(const struct vg_ctr_set *s, size_t i)
{
	return *(struct vg_ctr **)vg_vec_at(&s->ctrs, i);
}

/* The capabilities docker grants by default (names without CAP_). */
extern const char *const vg_ctr_default_caps[];

int vg_container_source_register(void);

#endif /* VG_AUDIT_CONTAINER_H */
