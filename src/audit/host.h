/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container engine's host, as one object for the `host` rule source (fields-host.c,
 * docs/audit.md), and the Docker containers, as objects of the `container` source
 * (container.c, fields-container-audit.c).
 *
 * The daemon's effective configuration is the union of:
 *   - the flags of the running dockerd (/proc/PID/cmdline), else the ExecStart of
 *     docker.service (and its drop-ins: the last ExecStart after an empty reset wins);
 *   - daemon.json (--config-file, else /etc/docker/daemon.json);
 *   - docker.socket's ListenStream= addresses (socket activation with -H fd://).
 * Options are kept under their daemon.json names ("hosts", "icc", "insecure-registries"):
 * a flag is stored under the key its daemon.json spelling has, every value of a repeatable
 * flag or a JSON array is one value, booleans are "true"/"false".
 *
 * Everything is read below a root prefix (tests use a fake tree); sizes are bounded
 * (VG_HOST_* in src/basic/limits.h).
 */
#ifndef VG_AUDIT_HOST_H
#define VG_AUDIT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"

enum vg_host_origin {
	VG_HOST_FROM_CMDLINE, /* /proc/PID/cmdline of the running dockerd */
	VG_HOST_FROM_UNIT, /* ExecStart of docker.service */
	VG_HOST_FROM_DAEMON_JSON,
	VG_HOST_FROM_SOCKET_UNIT, /* docker.socket ListenStream */
};

struct vg_host_opt {
	const char *key; /* daemon.json name */
	const char *value;
	enum vg_host_origin origin;
};

/* One file fact. key is the logical name (docker.service, daemon.json, ...) or, for files
 * without one, the path itself. */
struct vg_host_file {
	const char *key;
	const char *path; /* on the host (without the root prefix) */
	bool exists;
	bool is_socket, is_dir;
	uint32_t mode; /* st_mode & 07777 */
	uint32_t uid, gid;
	const char *owner, *group; /* names from the root's /etc/passwd, /etc/group, else numbers */
	bool audit_watched; /* an audit rule (-w PATH or -F path=PATH) covers it */
};

struct vg_host_listener {
	bool v6;
	char addr[48]; /* numeric */
	uint16_t port;
	uint64_t inode;
	bool loopback;
	bool probed; /* a live GET /_ping was tried */
	int probe_status; /* HTTP status of /_ping, 0: no HTTP answer */
	bool unauthenticated; /* /_ping answered 200 by a Docker engine without credentials */
	const char *probe_version; /* Version of GET /version on it, when it answered */
};

struct vg_host {
	struct vg_arena arena;
	const char *root; /* "" for the real host */
	uint32_t dockerd_pid; /* 0: no dockerd running */
	bool dockerd_rootless;
	uint32_t dockerd_uid;
	const char *daemon_json; /* path read, NULL when none exists */
	const char *daemon_json_error; /* parse error, NULL when fine */
	const char *service_unit, *socket_unit; /* unit paths found, NULL when none */
	struct vg_vec opts; /* struct vg_host_opt, in the order read */
	struct vg_vec files; /* struct vg_host_file */
	struct vg_vec listeners; /* struct vg_host_listener: dockerd's TCP listening sockets */
	struct vg_vec docker_group; /* const char *: members of the docker group */
	const char *engine_version, *runc_version, *containerd_version; /* NULL: unknown */
	const char *engine_version_from; /* "api", "binary" */
	int8_t data_root_mounted; /* data root (or a parent other than /) is a mount point; -1 */
	int8_t apparmor_enabled; /* 1, 0, -1 unknown */
	bool swarm_active; /* from the API's /info, false when unknown */
	const char *api_socket; /* the engine socket used for the API, NULL when none answered */
};

struct vg_host_opts {
	const char *root; /* NULL or "": the real host; else a directory standing for "/" */
	uint32_t dockerd_pid; /* 0: find it in ROOT/proc */
	const char *api_socket; /* NULL: from -H unix:// hosts, else /var/run/docker.sock */
	bool probe; /* live-probe dockerd's loopback TCP listeners */
	bool use_api; /* ask the engine API for versions and swarm state */
	bool run_binaries; /* `runc --version` ... when the API does not tell */
	int timeout_ms; /* per network exchange; <= 0: 2000 */
};

void vg_host_init(struct vg_host *h);
void vg_host_done(struct vg_host *h);

/**
 * vg_host_collect() - read the daemon's configuration, the file facts, the listeners and
 * the versions into h (initialised with vg_host_init()). Missing inputs are not errors:
 * they leave their fields empty (vg_host_applicable() tells whether anything was found).
 * Returns 0, -ENOMEM, -E2BIG past a VG_HOST_* limit.
 */
VG_MUST_CHECK int vg_host_collect(struct vg_host *h, const struct vg_host_opts *o);

/* True when a dockerd runs, or daemon.json or a docker unit exists. */
bool vg_host_applicable(const struct vg_host *h);

/* The parsers, for tests and fuzzing. */
/* dockerd argv (NUL-separated, as /proc/PID/cmdline) into options of the given origin. */
VG_MUST_CHECK int vg_host_parse_cmdline(struct vg_host *h, const char *buf, size_t len,
					enum vg_host_origin origin);
/* daemon.json. -EBADMSG (with "line L col C: ..." in err) for malformed JSON or a value of
 * a type dockerd would reject for a key used here; -E2BIG past the limits. */
VG_MUST_CHECK int vg_host_parse_daemon_json(struct vg_host *h, const char *buf, size_t len,
					    char *err, size_t errsize);
/* A systemd unit file (service or socket): the [Service] ExecStart lines (an empty one
 * resets) into *exec (arena string, the last command) and ListenStream= values into options
 * "listen-stream". Continuation lines and comments as systemd reads them. */
VG_MUST_CHECK int vg_host_parse_unit(struct vg_host *h, const char *buf, size_t len,
				     const char **exec);
/* Splits a command line as systemd does (quotes, backslash escapes) into NUL-separated
 * words in *ret (arena), their total length in *ret_len. A leading "-@:+!" prefix of the
 * executable is dropped. */
VG_MUST_CHECK int vg_host_split_exec(struct vg_host *h, const char *cmd, char **ret,
				     size_t *ret_len);
/* /proc/net/tcp or tcp6 text: the LISTEN sockets whose inode is in inodes[0..n). */
VG_MUST_CHECK int vg_host_parse_proc_net_tcp(struct vg_host *h, const char *text, bool v6,
					     const uint64_t *inodes, size_t n);
/* `GET /version` JSON of the engine: Version, Components[] runc and containerd. */
VG_MUST_CHECK int vg_host_parse_version_json(struct vg_host *h, const char *buf, size_t len);
/* First version-looking word of `runc --version` / `containerd --version` /
 * `dockerd --version` output ("runc version 1.1.12", "Docker version 24.0.7, build ...");
 * arena string, NULL when none. */
const char *vg_host_version_from_output(struct vg_host *h, const char *out);

/* The values of option key (any origin), in order; *ret_n of them. */
size_t vg_host_opt_values(const struct vg_host *h, const char *key, const char **ret, size_t max);
/* The last value of key, NULL when unset. */
const char *vg_host_opt_last(const struct vg_host *h, const char *key);
/* A boolean option: 1, 0, or dflt when unset or not a boolean. */
bool vg_host_opt_bool(const struct vg_host *h, const char *key, bool dflt);
const struct vg_host_file *vg_host_file(const struct vg_host *h, const char *key_or_path);

/*
 * Compares a runtime version with the fixed versions of a vulnerability: fixes is a list of
 * versions separated by '|' or ',', one per release branch ("27.1.1|26.1.5|25.0.6"). The
 * version is vulnerable when it is older than the fix of its own major.minor branch, or,
 * when no fix names its branch, older than the newest fix. Versions compare as dpkg does
 * after "v" prefixes and "+build" suffixes are dropped and "-rc" style pre-releases sort
 * before their release. Returns 1 vulnerable, 0 not, -EINVAL malformed.
 */
int vg_host_version_before(const char *version, const char *fixes);

/* The source names and their registration (fields-host.c, fields-container-audit.c). */
#define VG_HOST_SOURCE	    "host"
#define VG_CONTAINER_SOURCE "container"
int vg_host_source_register(void);

#endif /* VG_AUDIT_HOST_H */
