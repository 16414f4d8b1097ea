/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `host` rule source (docs/audit.md): one object, the engine's host (struct vg_host).
 *
 * daemon.*   the daemon's effective configuration (flags, unit, daemon.json, socket unit);
 *            booleans extract their effective value (dockerd's default when unset)
 * file.*     file facts keyed by a logical name (docker.service, docker.socket, etc-docker,
 *            daemon.json, docker.sock, containerd.sock, tlscacert, tlscert, tlskey, certs.d,
 *            etc-default-docker, etc-sysconfig-docker, data-root, dockerd, runc, ...) or by
 *            the file's path; a file the collector did not look at extracts nothing (<NA>),
 *            so a rule over it does not apply. Modes are compared as bitmasks through
 *            file.mode_excess[KEY:LIMIT] = mode & ~LIMIT (LIMIT octal): 0 means "no bit
 *            beyond the limit", so "more permissive than 644" is file.mode_excess[K:644] != 0.
 * engine.*, runc.*, containerd.*   versions, and version_before[FIXES] (host.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/container.h"
#include "audit/host.h"
#include "rules/field.h"

enum {
	F_RUNNING,
	F_PID,
	F_UID,
	F_ROOTLESS,
	F_CONFIG_FILE,
	F_CONFIG_ERROR,
	F_SERVICE_UNIT,
	F_SOCKET_UNIT,
	F_OPTION,
	F_HOSTS,
	F_TCP_HOSTS,
	F_TLS,
	F_TLSVERIFY,
	F_BOOL, /* boolean options, by table */
	F_STR, /* string options with a default, by table */
	F_LIST, /* list options, by table */
	F_DATA_ROOT_MOUNT,
	F_TCP_LISTENERS,
	F_TCP_UNAUTH,
	F_TCP_UNAUTH_EP,
	F_ENGINE_VERSION,
	F_ENGINE_VERSION_FROM,
	F_RUNC_VERSION,
	F_CONTAINERD_VERSION,
	F_ENGINE_BEFORE,
	F_RUNC_BEFORE,
	F_CONTAINERD_BEFORE,
	F_GROUP_MEMBERS,
	F_SWARM,
	F_APPARMOR,
	F_API_SOCKET,
	F_FILE_EXISTS,
	F_FILE_PATH,
	F_FILE_MODE,
	F_FILE_MODE_OCTAL,
	F_FILE_EXCESS,
	F_FILE_OWNER,
	F_FILE_USER,
	F_FILE_GROUP,
	F_FILE_UID,
	F_FILE_GID,
	F_FILE_SOCKET,
	F_FILE_AUDIT,
};

/* daemon.X fields backed by one option: field suffix, option key, kind, default */
struct optfield {
	const char *field, *key;
	int kind; /* F_BOOL, F_STR, F_LIST */
	const char *dflt; /* "true"/"false" for booleans, NULL: none */
};

static const struct optfield optfields[] = {
	{"daemon.icc", "icc", F_BOOL, "true"},
	{"daemon.iptables", "iptables", F_BOOL, "true"},
	{"daemon.ip_forward", "ip-forward", F_BOOL, "true"},
	{"daemon.userland_proxy", "userland-proxy", F_BOOL, "true"},
	{"daemon.live_restore", "live-restore", F_BOOL, "false"},
	{"daemon.no_new_privileges", "no-new-privileges", F_BOOL, "false"},
	{"daemon.experimental", "experimental", F_BOOL, "false"},
	{"daemon.debug", "debug", F_BOOL, "false"},
	{"daemon.selinux_enabled", "selinux-enabled", F_BOOL, "false"},
	{"daemon.userns_remap", "userns-remap", F_STR, NULL},
	{"daemon.log_driver", "log-driver", F_STR, "json-file"},
	{"daemon.log_level", "log-level", F_STR, "info"},
	{"daemon.storage_driver", "storage-driver", F_STR, NULL},
	{"daemon.data_root", "data-root", F_STR, "/var/lib/docker"},
	{"daemon.cgroup_parent", "cgroup-parent", F_STR, NULL},
	{"daemon.seccomp_profile", "seccomp-profile", F_STR, NULL},
	{"daemon.metrics_addr", "metrics-addr", F_STR, NULL},
	{"daemon.tlscacert", "tlscacert", F_STR, NULL},
	{"daemon.tlscert", "tlscert", F_STR, NULL},
	{"daemon.tlskey", "tlskey", F_STR, NULL},
	{"daemon.default_cgroupns_mode", "default-cgroupns-mode", F_STR, NULL},
	{"daemon.default_ipc_mode", "default-ipc-mode", F_STR, NULL},
	{"daemon.authorization_plugins", "authorization-plugins", F_LIST, NULL},
	{"daemon.insecure_registries", "insecure-registries", F_LIST, NULL},
	{"daemon.default_ulimits", "default-ulimits", F_LIST, NULL},
	{"daemon.storage_opts", "storage-opts", F_LIST, NULL},
	{"daemon.log_opts", "log-opts", F_LIST, NULL},
	{"daemon.registry_mirrors", "registry-mirrors", F_LIST, NULL},
	{"daemon.socket_listen", "listen-stream", F_LIST, NULL},
};

#define OPT_BASE 0x1000

static void values(const struct vg_host *h, const char *key, struct vg_extract *x)
{
	vg_vec_for_each(const struct vg_host_opt, o, &h->opts)
		if (!strcmp(o->key, key))
			vg_extract_cstr(x, o->value);
}

static bool is_tcp_host(const char *v)
{
	if (!strncmp(v, "unix://", 7) || !strncmp(v, "fd://", 5) || !strncmp(v, "npipe://", 8) ||
	    !strncmp(v, "ssh://", 6))
		return false;
	/* tcp://..., or a bare host:port which dockerd reads as tcp */
	return !strncmp(v, "tcp://", 6) || (v[0] != '/' && strchr(v, ':'));
}

/* file facts for key "KEY" (logical name or path) */
static void file_facts(int id, const char *arg, const struct vg_host *h, struct vg_extract *x)
{
	char key[VG_FIELD_ARG_MAX];
	unsigned long limit = 0;

	snprintf(key, sizeof(key), "%s", arg);
	if (id == F_FILE_EXCESS) {
		char *c = strrchr(key, ':'), *end;

		if (!c)
			return;
		*c = '\0';
		limit = strtoul(c + 1, &end, 8);
		if (end == c + 1 || *end || limit > 07777)
			return;
	}
	vg_vec_for_each(const struct vg_host_file, f, &h->files) {
		if (strcmp(f->key, key) != 0 && strcmp(f->path, key) != 0)
			continue;
		if (id == F_FILE_EXISTS) {
			vg_extract_bool(x, f->exists);
			continue;
		}
		if (id == F_FILE_PATH) {
			vg_extract_cstr(x, f->path);
			continue;
		}
		if (!f->exists)
			continue;
		switch (id) {
		case F_FILE_MODE:
			vg_extract_uint(x, f->mode);
			break;
		case F_FILE_MODE_OCTAL:
			vg_extract_printf(x, "%04o", f->mode);
			break;
		case F_FILE_EXCESS:
			vg_extract_uint(x, f->mode & ~limit & 07777);
			break;
		case F_FILE_OWNER:
			vg_extract_printf(x, "%s:%s", f->owner, f->group);
			break;
		case F_FILE_USER:
			vg_extract_cstr(x, f->owner);
			break;
		case F_FILE_GROUP:
			vg_extract_cstr(x, f->group);
			break;
		case F_FILE_UID:
			vg_extract_uint(x, f->uid);
			break;
		case F_FILE_GID:
			vg_extract_uint(x, f->gid);
			break;
		case F_FILE_SOCKET:
			vg_extract_bool(x, f->is_socket);
			break;
		case F_FILE_AUDIT:
			vg_extract_bool(x, f->audit_watched);
			break;
		}
	}
}

static void version_before(const char *v, const struct vg_field_arg *arg, struct vg_extract *x)
{
	int r;

	if (!v)
		return;
	r = vg_host_version_before(v, arg->key);
	if (r >= 0)
		vg_extract_bool(x, r == 1);
}

static void host_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			 struct vg_extract *x)
{
	const struct vg_host *h = obj;
	bool any_probe = false, unauth = false;

	if (f->id >= OPT_BASE) {
		const struct optfield *of = &optfields[f->id - OPT_BASE];
		const char *v;

		if (of->kind == F_LIST) {
			values(h, of->key, x);
		} else if (of->kind == F_BOOL) {
			vg_extract_bool(x, vg_host_opt_bool(h, of->key, !strcmp(of->dflt, "true")));
		} else {
			v = vg_host_opt_last(h, of->key);
			vg_extract_cstr(x, v ? v : of->dflt);
		}
		return;
	}
	switch (f->id) {
	case F_RUNNING:
		vg_extract_bool(x, h->dockerd_pid != 0);
		break;
	case F_PID:
		if (h->dockerd_pid)
			vg_extract_uint(x, h->dockerd_pid);
		break;
	case F_UID:
		if (h->dockerd_pid)
			vg_extract_uint(x, h->dockerd_uid);
		break;
	case F_ROOTLESS:
		vg_extract_bool(x, (h->dockerd_pid && h->dockerd_uid != 0) ||
					   vg_host_opt_bool(h, "rootless", false));
		break;
	case F_CONFIG_FILE:
		vg_extract_cstr(x, h->daemon_json);
		break;
	case F_CONFIG_ERROR:
		vg_extract_cstr(x, h->daemon_json_error);
		break;
	case F_SERVICE_UNIT:
		vg_extract_cstr(x, h->service_unit);
		break;
	case F_SOCKET_UNIT:
		vg_extract_cstr(x, h->socket_unit);
		break;
	case F_OPTION:
		values(h, arg->key, x);
		break;
	case F_HOSTS:
		values(h, "hosts", x);
		break;
	case F_TCP_HOSTS:
		vg_vec_for_each(const struct vg_host_opt, o, &h->opts)
			if (!strcmp(o->key, "hosts") && is_tcp_host(o->value))
				vg_extract_cstr(x, o->value);
		break;
	case F_TLS:
		vg_extract_bool(x, vg_host_opt_bool(h, "tls", false) ||
					   vg_host_opt_bool(h, "tlsverify", false));
		break;
	case F_TLSVERIFY:
		vg_extract_bool(x, vg_host_opt_bool(h, "tlsverify", false));
		break;
	case F_DATA_ROOT_MOUNT:
		if (h->data_root_mounted >= 0)
			vg_extract_bool(x, h->data_root_mounted == 1);
		break;
	case F_TCP_LISTENERS:
		vg_vec_for_each(const struct vg_host_listener, li, &h->listeners)
			vg_extract_printf(x, li->v6 ? "[%s]:%u" : "%s:%u", li->addr, li->port);
		break;
	case F_TCP_UNAUTH:
		vg_vec_for_each(const struct vg_host_listener, li, &h->listeners) {
			any_probe |= li->probed;
			unauth |= li->unauthenticated;
		}
		if (any_probe)
			vg_extract_bool(x, unauth);
		break;
	case F_TCP_UNAUTH_EP:
		vg_vec_for_each(const struct vg_host_listener, li, &h->listeners)
			if (li->unauthenticated)
				vg_extract_printf(x, li->v6 ? "[%s]:%u" : "%s:%u", li->addr,
						  li->port);
		break;
	case F_ENGINE_VERSION:
		vg_extract_cstr(x, h->engine_version);
		break;
	case F_ENGINE_VERSION_FROM:
		vg_extract_cstr(x, h->engine_version_from);
		break;
	case F_RUNC_VERSION:
		vg_extract_cstr(x, h->runc_version);
		break;
	case F_CONTAINERD_VERSION:
		vg_extract_cstr(x, h->containerd_version);
		break;
	case F_ENGINE_BEFORE:
		version_before(h->engine_version, arg, x);
		break;
	case F_RUNC_BEFORE:
		version_before(h->runc_version, arg, x);
		break;
	case F_CONTAINERD_BEFORE:
		version_before(h->containerd_version, arg, x);
		break;
	case F_GROUP_MEMBERS:
		vg_vec_for_each(const char *const, m, &h->docker_group)
			vg_extract_cstr(x, *m);
		break;
	case F_SWARM:
		if (h->api_socket)
			vg_extract_bool(x, h->swarm_active);
		break;
	case F_APPARMOR:
		if (h->apparmor_enabled >= 0)
			vg_extract_bool(x, h->apparmor_enabled == 1);
		break;
	case F_API_SOCKET:
		vg_extract_cstr(x, h->api_socket);
		break;
	default:
		file_facts(f->id, arg->key, h, x);
	}
}

#define L   (VG_FF_MULTI | VG_FF_LIST)
#define KEY (VG_FF_ARG_KEY | VG_FF_ARG_REQUIRED)
#define FK  (KEY | VG_FF_MULTI)

static const struct vg_field base[] = {
	{"daemon.running", VG_FT_BOOL, 0, "a dockerd process runs", NULL, F_RUNNING},
	{"daemon.pid", VG_FT_UINT, 0, "pid of dockerd", NULL, F_PID},
	{"daemon.uid", VG_FT_UINT, 0, "real uid of dockerd", NULL, F_UID},
	{"daemon.rootless", VG_FT_BOOL, 0, "dockerd runs as a non-root user (or --rootless)", NULL,
	 F_ROOTLESS},
	{"daemon.config_file", VG_FT_STR, 0, "daemon.json read (when it exists)", NULL,
	 F_CONFIG_FILE},
	{"daemon.config_error", VG_FT_STR, 0,
	 "why daemon.json is invalid (dockerd would not start with it)", NULL, F_CONFIG_ERROR},
	{"daemon.service_unit", VG_FT_STR, 0, "docker.service unit file found", NULL,
	 F_SERVICE_UNIT},
	{"daemon.socket_unit", VG_FT_STR, 0, "docker.socket unit file found", NULL, F_SOCKET_UNIT},
	{"daemon.option", VG_FT_STR, FK | L,
	 "any daemon option by its daemon.json name: daemon.option[KEY] (all values)", NULL,
	 F_OPTION},
	{"daemon.hosts", VG_FT_STR, L,
	 "addresses served: -H, daemon.json hosts, docker.socket ListenStream (as unix:// or "
	 "tcp://)",
	 NULL, F_HOSTS},
	{"daemon.tcp_hosts", VG_FT_STR, L, "the TCP addresses among daemon.hosts", NULL,
	 F_TCP_HOSTS},
	{"daemon.tls", VG_FT_BOOL, 0, "TLS on TCP listeners (tls or tlsverify)", NULL, F_TLS},
	{"daemon.tlsverify", VG_FT_BOOL, 0, "clients must present a verified certificate", NULL,
	 F_TLSVERIFY},
	{"daemon.data_root_separate_mount", VG_FT_BOOL, 0,
	 "the data root, or a directory above it other than /, is a mount point", NULL,
	 F_DATA_ROOT_MOUNT},
	{"daemon.tcp_listeners", VG_FT_STR, L, "TCP sockets dockerd listens on (ADDR:PORT)", NULL,
	 F_TCP_LISTENERS},
	{"daemon.tcp_unauthenticated", VG_FT_BOOL, 0,
	 "a loopback listener answered GET /_ping without credentials (<NA> when none was "
	 "probed)",
	 NULL, F_TCP_UNAUTH},
	{"daemon.tcp_unauthenticated_endpoints", VG_FT_STR, L,
	 "listeners that answered unauthenticated", NULL, F_TCP_UNAUTH_EP},
	{"engine.version", VG_FT_STR, 0, "Docker Engine version", NULL, F_ENGINE_VERSION},
	{"engine.version_from", VG_FT_STR, 0, "where the version came from (api, binary)", NULL,
	 F_ENGINE_VERSION_FROM},
	{"runc.version", VG_FT_STR, 0, "runc version", NULL, F_RUNC_VERSION},
	{"containerd.version", VG_FT_STR, 0, "containerd version", NULL, F_CONTAINERD_VERSION},
	{"engine.version_before", VG_FT_BOOL, KEY,
	 "engine older than the fix of its branch: engine.version_before[27.1.1|26.1.5]", NULL,
	 F_ENGINE_BEFORE},
	{"runc.version_before", VG_FT_BOOL, KEY, "runc older than the fix of its branch", NULL,
	 F_RUNC_BEFORE},
	{"containerd.version_before", VG_FT_BOOL, KEY,
	 "containerd older than the fix of its branch", NULL, F_CONTAINERD_BEFORE},
	{"host.docker_group_members", VG_FT_STR, L, "members of the docker group (/etc/group)",
	 NULL, F_GROUP_MEMBERS},
	{"host.swarm_active", VG_FT_BOOL, 0, "the engine is a swarm node (API /info)", NULL,
	 F_SWARM},
	{"host.apparmor_enabled", VG_FT_BOOL, 0, "the kernel has AppArmor enabled", NULL,
	 F_APPARMOR},
	{"host.api_socket", VG_FT_STR, 0, "engine API socket that answered", NULL, F_API_SOCKET},
	{"file.exists", VG_FT_BOOL, FK, "file.exists[KEY]: the file exists", NULL, F_FILE_EXISTS},
	{"file.path", VG_FT_STR, FK, "file.path[KEY]: its path", NULL, F_FILE_PATH},
	{"file.mode", VG_FT_UINT, FK, "file.mode[KEY]: permission bits (st_mode & 07777)", NULL,
	 F_FILE_MODE},
	{"file.mode_octal", VG_FT_STR, FK, "file.mode_octal[KEY]: the mode as octal text (0644)",
	 NULL, F_FILE_MODE_OCTAL},
	{"file.mode_excess", VG_FT_UINT, FK,
	 "file.mode_excess[KEY:LIMIT]: mode bits beyond the octal LIMIT (0: within it)", NULL,
	 F_FILE_EXCESS},
	{"file.owner", VG_FT_STR, FK, "file.owner[KEY]: USER:GROUP", NULL, F_FILE_OWNER},
	{"file.user", VG_FT_STR, FK, "file.user[KEY]: owning user name (or uid)", NULL,
	 F_FILE_USER},
	{"file.group", VG_FT_STR, FK, "file.group[KEY]: owning group name (or gid)", NULL,
	 F_FILE_GROUP},
	{"file.uid", VG_FT_UINT, FK, "file.uid[KEY]", NULL, F_FILE_UID},
	{"file.gid", VG_FT_UINT, FK, "file.gid[KEY]", NULL, F_FILE_GID},
	{"file.is_socket", VG_FT_BOOL, FK, "file.is_socket[KEY]", NULL, F_FILE_SOCKET},
	{"file.audit_watched", VG_FT_BOOL, FK,
	 "file.audit_watched[KEY]: an audit rule watches it (<NA> when it does not exist)", NULL,
	 F_FILE_AUDIT},
};

#define N_BASE VG_ARRAY_SIZE(base)
#define N_OPT  VG_ARRAY_SIZE(optfields)

static struct vg_field fields[N_BASE + N_OPT];
static char optdesc[N_OPT][160];

static struct vg_source host_source = {
	.name = VG_HOST_SOURCE,
	.fields = fields,
	.n_fields = N_BASE + N_OPT,
};

int vg_host_source_register(void)
{
	int r;

	if (!vg_source_find(VG_HOST_SOURCE)) {
		for (size_t i = 0; i < N_BASE; i++) {
			fields[i] = base[i];
			fields[i].extract = host_extract;
		}
		for (size_t i = 0; i < N_OPT; i++) {
			const struct optfield *of = &optfields[i];
			struct vg_field *f = &fields[N_BASE + i];

			snprintf(optdesc[i], sizeof(optdesc[i]), "daemon option %s%s%s%s", of->key,
				 of->dflt ? " (default " : "", of->dflt ? of->dflt : "",
				 of->dflt ? ")" : "");
			f->name = of->field;
			f->type = of->kind == F_BOOL ? VG_FT_BOOL : VG_FT_STR;
			f->flags = of->kind == F_LIST ? L : 0;
			f->desc = optdesc[i];
			f->extract = host_extract;
			f->id = OPT_BASE + (int)i;
		}
		r = vg_source_register(&host_source);
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return vg_container_source_register();
}
