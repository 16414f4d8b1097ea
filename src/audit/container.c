/* SPDX-License-Identifier: Apache-2.0 */
/* Docker containers' effective configuration from the API or the data root (container.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/container.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "shared/http-unix.h"
#include "shared/json.h"

const char *const vg_ctr_default_caps[] = {
	"AUDIT_WRITE", "CHOWN",	  "DAC_OVERRIDE",     "FOWNER",	    "FSETID",
	"KILL",	       "MKNOD",	  "NET_BIND_SERVICE", "NET_RAW",    "SETFCAP",
	"SETGID",      "SETPCAP", "SETUID",	      "SYS_CHROOT", NULL,
};

/* Runtime sockets (and directories holding them) by their well-known paths. */
static const char *const runtime_sockets[] = {
	"/var/run/docker.sock",
	"/run/docker.sock",
	"/run/containerd/containerd.sock",
	"/var/run/containerd/containerd.sock",
	"/run/podman/podman.sock",
	"/var/run/podman/podman.sock",
	"/run/crio/crio.sock",
	"/var/run/crio/crio.sock",
	"/run/docker/plugins/x.sock", /* the plugin socket directory */
	NULL,
};

void vg_ctr_set_init(struct vg_ctr_set *s)
{
	memset(s, 0, sizeof(*s));
	vg_arena_init(&s->arena, VG_CTR_ARENA_MAX);
	vg_vec_init(&s->ctrs, sizeof(struct vg_ctr *), VG_CTR_AUDIT_MAX);
	s->root = "";
}

void vg_ctr_set_done(struct vg_ctr_set *s)
{
	for (size_t i = 0; i < s->ctrs.len; i++)
		vg_isolation_free(vg_ctr_at(s, i)->iso);
	vg_vec_done(&s->ctrs);
	vg_arena_done(&s->arena);
}

static const char *sdup(struct vg_ctr_set *s, const char *v)
{
	return v ? vg_arena_strdup(&s->arena, v) : NULL;
}

/* string array (or null) into *ret; -EBADMSG on a wrong type */
static int str_array(struct vg_ctr_set *s, json_t *obj, const char *key, const char ***ret,
		     size_t *ret_n)
{
	json_t *a = json_object_get(obj, key), *e;
	size_t i;

	*ret = NULL;
	*ret_n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return -EBADMSG;
	if (json_array_size(a) > VG_CTR_ITEMS_MAX)
		return -E2BIG;
	*ret = vg_arena_calloc(&s->arena, json_array_size(a) + 1, sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	json_array_foreach(a, i, e)
	{
		if (!json_is_string(e))
			return -EBADMSG;
		(*ret)[i] = sdup(s, json_string_value(e));
		if (!(*ret)[i])
			return -ENOMEM;
	}
	*ret_n = json_array_size(a);
	return 0;
}

static int get_str(struct vg_ctr_set *s, json_t *obj, const char *key, const char **ret)
{
	json_t *v = json_object_get(obj, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	*ret = sdup(s, json_string_value(v));
	return *ret ? 0 : -ENOMEM;
}

static int get_i64(json_t *obj, const char *key, int64_t *ret, bool *has)
{
	json_t *v = json_object_get(obj, key);

	if (has)
		*has = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return -EBADMSG;
	*ret = json_integer_value(v);
	if (has)
		*has = true;
	return 0;
}

static int get_bool(json_t *obj, const char *key, bool *ret)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return -EBADMSG;
	*ret = json_is_true(v);
	return 0;
}

static bool path_is_or_holds(const char *dir, const char *sock)
{
	size_t l = strlen(dir);

	while (l > 1 && dir[l - 1] == '/')
		l--;
	if (!strncmp(dir, sock, l) && (sock[l] == '\0' || sock[l] == '/'))
		return true;
	return false;
}

static bool is_runtime_socket(const struct vg_ctr_set *s, const char *src)
{
	char p[VG_PATH_MAX], real[PATH_MAX];
	struct stat st;
	const char *cand[2] = {src, NULL};

	if (!src || src[0] != '/')
		return false;
	snprintf(p, sizeof(p), "%s%s", s->root, src);
	if (stat(p, &st) == 0 && S_ISSOCK(st.st_mode))
		return true;
	if (!s->root[0] && realpath(p, real))
		cand[1] = real;
	for (size_t c = 0; c < 2 && cand[c]; c++) {
		if (!strcmp(cand[c], "/"))
			continue; /* the whole host: a sensitive-path finding, not this one */
		for (size_t i = 0; runtime_sockets[i]; i++)
			if (path_is_or_holds(cand[c], runtime_sockets[i]))
				return true;
		for (size_t i = 0; i < VG_ARRAY_SIZE(s->dd.extra_sockets); i++)
			if (s->dd.extra_sockets[i] &&
			    path_is_or_holds(cand[c], s->dd.extra_sockets[i]))
				return true;
	}
	return false;
}

static bool opt_is(const char *opt, const char *name, const char *value)
{
	size_t l = strlen(name);

	if (strncmp(opt, name, l) != 0)
		return false;
	if (!value)
		return opt[l] == '\0';
	return (opt[l] == '=' || opt[l] == ':') && !strcmp(opt + l + 1, value);
}

static const char *opt_value(const char *opt, const char *name)
{
	size_t l = strlen(name);

	if (strncmp(opt, name, l) != 0 || (opt[l] != '=' && opt[l] != ':'))
		return NULL;
	return opt + l + 1;
}

void vg_ctr_effective(const struct vg_ctr_set *s, struct vg_ctr *c)
{
	const char *seccomp = NULL, *apparmor = NULL;
	int nnp = -1;

	c->selinux_disabled = false;
	c->systempaths_unconfined = c->privileged;
	for (size_t i = 0; i < c->n_security_opt; i++) {
		const char *o = c->security_opt[i], *v;

		if ((v = opt_value(o, "seccomp")))
			seccomp = v[0] == '{' ? "custom" : v;
		else if ((v = opt_value(o, "apparmor")))
			apparmor = v;
		else if (opt_is(o, "label", "disable") || opt_is(o, "label", "disabled"))
			c->selinux_disabled = true;
		else if (opt_is(o, "no-new-privileges", NULL) ||
			 opt_is(o, "no-new-privileges", "true"))
			nnp = 1;
		else if (opt_is(o, "no-new-privileges", "false"))
			nnp = 0;
		else if (opt_is(o, "systempaths", "unconfined"))
			c->systempaths_unconfined = true;
	}
	/* moby: privileged gets a seccomp profile only when one is named explicitly */
	if (seccomp)
		c->seccomp = seccomp;
	else if (c->privileged)
		c->seccomp = "unconfined";
	else if (s->dd.seccomp_profile && *s->dd.seccomp_profile)
		c->seccomp = s->dd.seccomp_profile;
	else
		c->seccomp = "default";
	if (!s->dd.apparmor_enabled)
		c->apparmor = "";
	else if (c->privileged)
		c->apparmor = "unconfined";
	else if (apparmor)
		c->apparmor = apparmor;
	else if (c->apparmor_profile && *c->apparmor_profile)
		c->apparmor = c->apparmor_profile;
	else
		c->apparmor = "docker-default";
	c->no_new_privileges = nnp < 0 ? s->dd.no_new_privileges : nnp == 1;
	for (size_t i = 0; i < c->n_mounts; i++)
		c->mounts[i].socket = is_runtime_socket(s, c->mounts[i].source);
}

static int parse_mounts(struct vg_ctr_set *s, struct vg_ctr *c, json_t *root)
{
	json_t *list = json_object_get(root, "Mounts");
	json_t *points = json_object_get(root, "MountPoints");
	size_t n = 0, i;
	json_t *m;
	const char *k;
	int r;

	if (list && json_is_array(list))
		n = json_array_size(list);
	else if (points && json_is_object(points))
		n = json_object_size(points);
	else if ((list && !json_is_null(list)) || (points && !json_is_null(points)))
		return -EBADMSG;
	if (n > VG_CTR_ITEMS_MAX)
		return -E2BIG;
	c->mounts = vg_arena_calloc(&s->arena, n + 1, sizeof(*c->mounts));
	if (!c->mounts)
		return -ENOMEM;
	if (list && json_is_array(list)) {
		json_array_foreach(list, i, m)
		{
			struct vg_ctr_mount *cm = &c->mounts[c->n_mounts];
			bool rw = true;

			if (!json_is_object(m))
				return -EBADMSG;
			if ((r = get_str(s, m, "Type", &cm->type)) < 0 ||
			    (r = get_str(s, m, "Source", &cm->source)) < 0 ||
			    (r = get_str(s, m, "Destination", &cm->destination)) < 0 ||
			    (r = get_str(s, m, "Propagation", &cm->propagation)) < 0 ||
			    (r = get_bool(m, "RW", &rw)) < 0)
				return r;
			cm->rw = rw;
			c->n_mounts++;
		}
	} else if (points) {
		json_object_foreach(points, k, m)
		{
			struct vg_ctr_mount *cm = &c->mounts[c->n_mounts];
			bool rw = true;

			if (!json_is_object(m))
				return -EBADMSG;
			if ((r = get_str(s, m, "Type", &cm->type)) < 0 ||
			    (r = get_str(s, m, "Source", &cm->source)) < 0 ||
			    (r = get_str(s, m, "Destination", &cm->destination)) < 0 ||
			    (r = get_str(s, m, "Propagation", &cm->propagation)) < 0 ||
			    (r = get_bool(m, "RW", &rw)) < 0)
				return r;
			if (!cm->destination && !(cm->destination = sdup(s, k)))
				return -ENOMEM;
			cm->rw = rw;
			c->n_mounts++;
		}
	}
	for (i = 0; i < c->n_mounts; i++) {
		struct vg_ctr_mount *cm = &c->mounts[i];

		if ((!cm->type && !(cm->type = sdup(s, "bind"))) ||
		    (!cm->source && !(cm->source = sdup(s, ""))) ||
		    (!cm->destination && !(cm->destination = sdup(s, ""))) ||
		    (!cm->propagation && !(cm->propagation = sdup(s, ""))))
			return -ENOMEM;
	}
	return 0;
}

static int parse_ports(struct vg_ctr_set *s, struct vg_ctr *c, json_t *hc)
{
	json_t *pb = json_object_get(hc, "PortBindings"), *binds, *b;
	const char *k;
	size_t n = 0, i;
	int r;

	if (!pb || json_is_null(pb))
		return 0;
	if (!json_is_object(pb))
		return -EBADMSG;
	json_object_foreach(pb, k, binds)
	{
		if (json_is_null(binds))
			continue;
		if (!json_is_array(binds))
			return -EBADMSG;
		n += json_array_size(binds);
	}
	if (n > VG_CTR_ITEMS_MAX)
		return -E2BIG;
	c->ports = vg_arena_calloc(&s->arena, n + 1, sizeof(*c->ports));
	if (!c->ports)
		return -ENOMEM;
	json_object_foreach(pb, k, binds)
	{
		json_array_foreach(binds, i, b)
		{
			struct vg_ctr_port *p = &c->ports[c->n_ports];
			const char *hp = NULL;
			char *end;
			unsigned long v;

			if (!json_is_object(b))
				return -EBADMSG;
			if ((r = get_str(s, b, "HostIp", &p->host_ip)) < 0 ||
			    (r = get_str(s, b, "HostPort", &hp)) < 0)
				return r;
			p->container_port = sdup(s, k);
			if (!p->container_port || (!p->host_ip && !(p->host_ip = sdup(s, ""))))
				return -ENOMEM;
			if (hp && *hp) {
				v = strtoul(hp, &end, 10);
				/* a range "8000-8010": its first port */
				if (end == hp || v > 65535 || (*end && *end != '-'))
					return -EBADMSG;
				p->host_port = (uint32_t)v;
			}
			c->n_ports++;
		}
	}
	return 0;
}

static int kv_object(struct vg_ctr_set *s, json_t *obj, const char *key, const char ***ret,
		     size_t *ret_n)
{
	json_t *o = json_object_get(obj, key), *v;
	const char *k;
	size_t i = 0;

	*ret = NULL;
	*ret_n = 0;
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return -EBADMSG;
	if (json_object_size(o) > VG_CTR_ITEMS_MAX)
		return -E2BIG;
	*ret = vg_arena_calloc(&s->arena, json_object_size(o) + 1, sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	json_object_foreach(o, k, v)
	{
		char buf[VG_PATH_MAX];

		if (!json_is_string(v))
			return -EBADMSG;
		snprintf(buf, sizeof(buf), "%s=%s", k, json_string_value(v));
		(*ret)[i] = sdup(s, buf);
		if (!(*ret)[i++])
			return -ENOMEM;
	}
	*ret_n = i;
	return 0;
}

static int parse_devices(struct vg_ctr_set *s, struct vg_ctr *c, json_t *hc)
{
	json_t *a = json_object_get(hc, "Devices"), *d;
	size_t i;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return -EBADMSG;
	if (json_array_size(a) > VG_CTR_ITEMS_MAX)
		return -E2BIG;
	c->devices = vg_arena_calloc(&s->arena, json_array_size(a) + 1, sizeof(char *));
	if (!c->devices)
		return -ENOMEM;
	json_array_foreach(a, i, d)
	{
		const char *host = vg_json_get_str(d, "PathOnHost");

		if (!json_is_object(d) || !host)
			return -EBADMSG;
		c->devices[c->n_devices] = sdup(s, host);
		if (!c->devices[c->n_devices++])
			return -ENOMEM;
	}
	return 0;
}

static int parse_hostconfig(struct vg_ctr_set *s, struct vg_ctr *c, json_t *hc)
{
	json_t *rp;
	int r;

	if (!json_is_object(hc))
		return -EBADMSG;
	if ((r = get_bool(hc, "Privileged", &c->privileged)) < 0 ||
	    (r = str_array(s, hc, "CapAdd", &c->cap_add, &c->n_cap_add)) < 0 ||
	    (r = str_array(s, hc, "CapDrop", &c->cap_drop, &c->n_cap_drop)) < 0 ||
	    (r = str_array(s, hc, "SecurityOpt", &c->security_opt, &c->n_security_opt)) < 0 ||
	    (r = str_array(s, hc, "DeviceCgroupRules", &c->device_cgroup_rules,
			   &c->n_device_cgroup_rules)) < 0 ||
	    (r = str_array(s, hc, "MaskedPaths", &c->masked_paths, &c->n_masked_paths)) < 0 ||
	    (r = str_array(s, hc, "ReadonlyPaths", &c->readonly_paths, &c->n_readonly_paths)) < 0 ||
	    (r = kv_object(s, hc, "Sysctls", &c->sysctls, &c->n_sysctls)) < 0 ||
	    (r = get_str(s, hc, "NetworkMode", &c->network_mode)) < 0 ||
	    (r = get_str(s, hc, "PidMode", &c->pid_mode)) < 0 ||
	    (r = get_str(s, hc, "IpcMode", &c->ipc_mode)) < 0 ||
	    (r = get_str(s, hc, "UTSMode", &c->uts_mode)) < 0 ||
	    (r = get_str(s, hc, "UsernsMode", &c->userns_mode)) < 0 ||
	    (r = get_str(s, hc, "CgroupnsMode", &c->cgroupns_mode)) < 0 ||
	    (r = get_str(s, hc, "CgroupParent", &c->cgroup_parent)) < 0 ||
	    (r = get_bool(hc, "ReadonlyRootfs", &c->read_only_rootfs)) < 0 ||
	    (r = get_i64(hc, "Memory", &c->memory, NULL)) < 0 ||
	    (r = get_i64(hc, "CpuShares", &c->cpu_shares, NULL)) < 0 ||
	    (r = get_i64(hc, "NanoCpus", &c->nano_cpus, NULL)) < 0 ||
	    (r = get_i64(hc, "CpuQuota", &c->cpu_quota, NULL)) < 0 ||
	    (r = get_i64(hc, "PidsLimit", &c->pids_limit, &c->has_pids_limit)) < 0 ||
	    (r = parse_ports(s, c, hc)) < 0 || (r = parse_devices(s, c, hc)) < 0)
		return r;
	c->has_masked_paths = json_object_get(hc, "MaskedPaths") != NULL;
	/* an explicitly empty MaskedPaths is what systempaths=unconfined leaves */
	if (c->has_masked_paths && json_is_array(json_object_get(hc, "MaskedPaths")) &&
	    !c->n_masked_paths && !c->privileged)
		c->systempaths_unconfined = true;
	rp = json_object_get(hc, "RestartPolicy");
	if (rp && !json_is_null(rp)) {
		if (!json_is_object(rp))
			return -EBADMSG;
		if ((r = get_str(s, rp, "Name", &c->restart_policy)) < 0 ||
		    (r = get_i64(rp, "MaximumRetryCount", &c->restart_max, NULL)) < 0)
			return r;
	}
	return 0;
}

int vg_ctr_parse(struct vg_ctr_set *s, const char *inspect, size_t len, const char *hostconfig,
		 size_t hlen, const char *origin)
{
	cleanup_json json_t *root = NULL, *hroot = NULL;
	json_t *cfg, *state, *hc, *health;
	struct vg_ctr *c;
	int r;

	r = vg_json_parse(inspect, len, &root, NULL, 0);
	if (r < 0)
		return r;
	if (json_is_array(root) && json_array_size(root) == 1) {
		json_t *only = json_incref(json_array_get(root, 0));

		json_decref(root);
		root = only;
	}
	if (!json_is_object(root))
		return -EBADMSG;
	if (hostconfig) {
		r = vg_json_parse(hostconfig, hlen, &hroot, NULL, 0);
		if (r < 0)
			return r;
		hc = hroot;
	} else {
		hc = json_object_get(root, "HostConfig");
	}
	if (!hc)
		return -EBADMSG;
	c = vg_arena_calloc(&s->arena, 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if ((r = get_str(s, root, "Id", &c->id)) < 0)
		return r;
	if (!c->id && (r = get_str(s, root, "ID", &c->id)) < 0)
		return r;
	if (!c->id || !*c->id)
		return -EBADMSG;
	if ((r = get_str(s, root, "Name", &c->name)) < 0 ||
	    (r = get_str(s, root, "AppArmorProfile", &c->apparmor_profile)) < 0)
		return r;
	if (c->name && c->name[0] == '/')
		c->name++;
	cfg = json_object_get(root, "Config");
	if (cfg && !json_is_object(cfg))
		return -EBADMSG;
	if ((r = get_str(s, cfg, "Image", &c->image)) < 0 ||
	    (r = get_str(s, cfg, "User", &c->user)) < 0)
		return r;
	health = json_object_get(cfg, "Healthcheck");
	if (health && json_is_object(health)) {
		json_t *t = json_object_get(health, "Test");

		c->has_healthcheck = json_is_array(t) && json_array_size(t) > 0 &&
				     !(json_is_string(json_array_get(t, 0)) &&
				       !strcmp(json_string_value(json_array_get(t, 0)), "NONE"));
	}
	state = json_object_get(root, "State");
	if (state && json_is_object(state)) {
		int64_t pid = 0;

		if ((r = get_bool(state, "Running", &c->running)) < 0 ||
		    (r = get_i64(state, "Pid", &pid, NULL)) < 0)
			return r;
		if (pid > 0 && pid <= UINT32_MAX)
			c->pid = (uint32_t)pid;
		if ((r = get_str(s, vg_json_get_obj(state, "Health"), "Status",
				 &c->health_status)) < 0)
			return r;
	}
	r = parse_hostconfig(s, c, hc);
	if (r < 0)
		return r;
	r = parse_mounts(s, c, root);
	if (r < 0)
		return r;
	c->origin = sdup(s, origin ? origin : "api");
	if (!c->origin || (!c->user && !(c->user = sdup(s, ""))))
		return -ENOMEM;
	vg_ctr_effective(s, c);
	return vg_vec_push(&s->ctrs, &c);
}

/* ---- collection -------------------------------------------------------------------------- */

static int collect_api(struct vg_ctr_set *s, const struct vg_ctr_opts *o, const char *sock)
{
	cleanup_free char *body = NULL;
	cleanup_json json_t *list = NULL;
	size_t blen, i;
	json_t *e;
	int status, r;

	r = vg_http_unix_get(sock, "/containers/json?all=1", o->timeout_ms, VG_HTTP_REPLY_MAX,
			     &status, &body, &blen);
	if (r < 0)
		return r;
	if (status != 200)
		return -EPROTO;
	r = vg_json_parse(body, blen, &list, NULL, 0);
	if (r < 0)
		return r;
	if (!json_is_array(list))
		return -EBADMSG;
	if (json_array_size(list) > VG_CTR_AUDIT_MAX)
		return -E2BIG;
	s->source = "api";
	json_array_foreach(list, i, e)
	{
		const char *id = vg_json_get_str(e, "Id");
		cleanup_free char *b2 = NULL;
		char path[256];
		size_t l2;

		if (!id || strlen(id) > 128 || strspn(id, "0123456789abcdef") != strlen(id))
			return -EBADMSG;
		snprintf(path, sizeof(path), "/containers/%s/json", id);
		r = vg_http_unix_get(sock, path, o->timeout_ms, VG_HTTP_REPLY_MAX, &status, &b2,
				     &l2);
		if (r < 0)
			return r;
		if (status == 404)
			continue; /* removed meanwhile */
		if (status != 200)
			return -EPROTO;
		r = vg_ctr_parse(s, b2, l2, NULL, 0, "api");
		if (r < 0)
			return r;
	}
	return 0;
}

static int collect_data_root(struct vg_ctr_set *s, const struct vg_ctr_opts *o)
{
	char dir[VG_PATH_MAX];
	DIR *d;
	struct dirent *de;
	int r = 0;

	snprintf(dir, sizeof(dir), "%s%s/containers", s->root,
		 o->data_root ? o->data_root : "/var/lib/docker");
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? -ENOENT : -errno;
	s->source = "data-root";
	while ((de = readdir(d)) && r >= 0) {
		cleanup_free char *cfg = NULL, *hc = NULL;
		char p1[VG_PATH_MAX + 300], p2[VG_PATH_MAX + 300];
		size_t l1, l2;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p1, sizeof(p1), "%s/%s/config.v2.json", dir, de->d_name);
		snprintf(p2, sizeof(p2), "%s/%s/hostconfig.json", dir, de->d_name);
		if (vg_read_file(p1, VG_JSON_DOC_MAX, &cfg, &l1) < 0 ||
		    vg_read_file(p2, VG_JSON_DOC_MAX, &hc, &l2) < 0)
			continue;
		r = vg_ctr_parse(s, cfg, l1, hc, l2, p1 + strlen(s->root));
	}
	closedir(d);
	return r;
}

static int collect_oci(struct vg_ctr_set *s, size_t *found);

int vg_ctr_collect(struct vg_ctr_set *s, const struct vg_ctr_opts *o)
{
	const char *sock = o->socket ? o->socket : "/var/run/docker.sock";
	struct vg_ctr_opts oo = *o;
	int r = -ENOENT;

	if (oo.timeout_ms <= 0)
		oo.timeout_ms = 5000;
	s->root = o->root ? vg_arena_strdup(&s->arena, o->root) : "";
	if (!s->root)
		return -ENOMEM;
	if (o->socket && !s->dd.extra_sockets[0])
		s->dd.extra_sockets[0] = vg_arena_strdup(&s->arena, o->socket);
	if (o->use_api)
		r = collect_api(s, &oo, sock);
	if (r < 0 && r != -ENOMEM && r != -E2BIG && r != -EBADMSG) {
		/* the API is not there: read the data root */
		for (size_t i = 0; i < s->ctrs.len; i++)
			vg_isolation_free(vg_ctr_at(s, i)->iso);
		vg_vec_clear(&s->ctrs);
		r = collect_data_root(s, &oo);
	}
	if (r < 0 && r != -ENOENT)
		return r;
	{
		size_t found = 0;
		int q = o->skip_oci ? 0 : collect_oci(s, &found);

		if (q < 0)
			return q;
		if (r == -ENOENT && !found)
			return r;
		if (!s->source)
			s->source = "oci";
	}
	if (!o->isolation)
		return 0;
	for (size_t i = 0; i < s->ctrs.len; i++) {
		struct vg_ctr *c = vg_ctr_at(s, i);

		if (!c->running || !c->pid)
			continue;
		r = vg_isolation_collect(o->iso, c->pid, &c->iso);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			c->iso = NULL;
			c->iso_error = vg_arena_strdup(&s->arena, strerror(-r));
		}
	}
	return 0;
}

/* ---- OCI bundles ------------------------------------------------------------------------- */

static int add_str(struct vg_ctr_set *s, const char ***v, size_t *n, size_t *cap, const char *x)
{
	if (*n + 1 >= *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		const char **nv;

		if (nc > VG_CTR_ITEMS_MAX)
			return -E2BIG;
		nv = vg_arena_calloc(&s->arena, nc, sizeof(char *));
		if (!nv)
			return -ENOMEM;
		if (*n)
			memcpy(nv, *v, *n * sizeof(char *));
		*v = nv;
		*cap = nc;
	}
	(*v)[*n] = sdup(s, x);
	if (!(*v)[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static bool is_default_cap_name(const char *c)
{
	if (!strncmp(c, "CAP_", 4))
		c += 4;
	for (size_t i = 0; vg_ctr_default_caps[i]; i++)
		if (!strcmp(vg_ctr_default_caps[i], c))
			return true;
	return false;
}

int vg_ctr_parse_oci(struct vg_ctr_set *s, const char *config, size_t len, const char *id,
		     uint32_t pid, const char *origin)
{
	cleanup_json json_t *root = NULL;
	json_t *proc, *linux_, *e, *a;
	struct vg_ctr *c;
	size_t i, cap_sec = 0, cap_add = 0;
	bool ns_seen[6] = {0};
	static const char *const ns_names[] = {"pid", "network", "ipc", "uts", "user", "cgroup"};
	const char **modes[6];
	int64_t uid = 0, gid = 0;
	char buf[64];
	int r;

	r = vg_json_parse(config, len, &root, NULL, 0);
	if (r < 0)
		return r;
	if (!json_is_object(root) || !id || !*id)
		return -EBADMSG;
	c = vg_arena_calloc(&s->arena, 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->id = sdup(s, id);
	c->name = c->id;
	c->origin = sdup(s, origin ? origin : "oci");
	c->pid = pid;
	c->running = pid > 0;
	c->restart_policy = "no";
	proc = json_object_get(root, "process");
	linux_ = json_object_get(root, "linux");
	if ((proc && !json_is_object(proc)) || (linux_ && !json_is_object(linux_)))
		return -EBADMSG;
	a = json_object_get(proc, "user");
	if (a && json_is_object(a)) {
		if ((r = get_i64(a, "uid", &uid, NULL)) < 0 ||
		    (r = get_i64(a, "gid", &gid, NULL)) < 0)
			return r;
	}
	snprintf(buf, sizeof(buf), "%lld:%lld", (long long)uid, (long long)gid);
	c->user = sdup(s, buf);
	/* capabilities: the bounding set beyond Docker's default is what was added */
	a = json_object_get(json_object_get(proc, "capabilities"), "bounding");
	if (a && !json_is_array(a))
		return -EBADMSG;
	json_array_foreach(a, i, e)
	{
		if (!json_is_string(e))
			return -EBADMSG;
		if (!is_default_cap_name(json_string_value(e))) {
			r = add_str(s, &c->cap_add, &c->n_cap_add, &cap_add, json_string_value(e));
			if (r < 0)
				return r;
		}
	}
	/* security options as Docker would have recorded them */
	{
		bool nnp = false;
		const char *aa = NULL;

		if ((r = get_bool(proc, "noNewPrivileges", &nnp)) < 0 ||
		    (r = get_str(s, proc, "apparmorProfile", &aa)) < 0)
			return r;
		if (nnp && (r = add_str(s, &c->security_opt, &c->n_security_opt, &cap_sec,
					"no-new-privileges")) < 0)
			return r;
		if (!json_object_get(linux_, "seccomp") &&
		    (r = add_str(s, &c->security_opt, &c->n_security_opt, &cap_sec,
				 "seccomp=unconfined")) < 0)
			return r;
		snprintf(buf, sizeof(buf), "apparmor=%.50s", aa && *aa ? aa : "unconfined");
		if ((r = add_str(s, &c->security_opt, &c->n_security_opt, &cap_sec, buf)) < 0)
			return r;
		a = json_object_get(linux_, "maskedPaths");
		if ((!a || (json_is_array(a) && !json_array_size(a))) &&
		    (r = add_str(s, &c->security_opt, &c->n_security_opt, &cap_sec,
				 "systempaths=unconfined")) < 0)
			return r;
	}
	/* namespaces: one that is not listed is the host's */
	a = json_object_get(linux_, "namespaces");
	if (a && !json_is_array(a))
		return -EBADMSG;
	json_array_foreach(a, i, e)
	{
		const char *t = vg_json_get_str(e, "type");
		const char *path = vg_json_get_str(e, "path");

		if (!t)
			return -EBADMSG;
		for (size_t k = 0; k < VG_ARRAY_SIZE(ns_names); k++)
			if (!strcmp(t, ns_names[k]) && (!path || !*path))
				ns_seen[k] = true;
	}
	modes[0] = &c->pid_mode;
	modes[1] = &c->network_mode;
	modes[2] = &c->ipc_mode;
	modes[3] = &c->uts_mode;
	modes[4] = &c->userns_mode;
	modes[5] = &c->cgroupns_mode;
	for (size_t k = 0; k < 6; k++)
		/* no user namespace is the usual default, not a shared one */
		*modes[k] = ns_seen[k] ? "private" : k == 4 ? "" : "host";
	{
		bool ro = false;

		if ((r = get_bool(json_object_get(root, "root"), "readonly", &ro)) < 0)
			return r;
		c->read_only_rootfs = ro;
	}
	/* resources */
	e = json_object_get(linux_, "resources");
	if (e && json_is_object(e)) {
		if ((r = get_i64(json_object_get(e, "memory"), "limit", &c->memory, NULL)) < 0 ||
		    (r = get_i64(json_object_get(e, "cpu"), "shares", &c->cpu_shares, NULL)) < 0 ||
		    (r = get_i64(json_object_get(e, "cpu"), "quota", &c->cpu_quota, NULL)) < 0 ||
		    (r = get_i64(json_object_get(e, "pids"), "limit", &c->pids_limit,
				 &c->has_pids_limit)) < 0)
			return r;
	}
	/* devices beyond the defaults runc creates */
	a = json_object_get(linux_, "devices");
	if (a && json_is_array(a)) {
		size_t cap_dev = 0;

		json_array_foreach(a, i, e)
		{
			const char *path = vg_json_get_str(e, "path");

			if (!path)
				return -EBADMSG;
			r = add_str(s, &c->devices, &c->n_devices, &cap_dev, path);
			if (r < 0)
				return r;
		}
	}
	if ((r = kv_object(s, linux_, "sysctl", &c->sysctls, &c->n_sysctls)) < 0)
		return r;
	/* mounts */
	a = json_object_get(root, "mounts");
	if (a && !json_is_array(a))
		return -EBADMSG;
	if (json_array_size(a) > VG_CTR_ITEMS_MAX)
		return -E2BIG;
	c->mounts = vg_arena_calloc(&s->arena, json_array_size(a) + 1, sizeof(*c->mounts));
	if (!c->mounts)
		return -ENOMEM;
	json_array_foreach(a, i, e)
	{
		struct vg_ctr_mount *m = &c->mounts[c->n_mounts];
		const char *type = vg_json_get_str(e, "type");
		json_t *opts = json_object_get(e, "options"), *o;
		size_t k;
		bool bind = type && !strcmp(type, "bind");

		if (!json_is_object(e))
			return -EBADMSG;
		if ((r = get_str(s, e, "source", &m->source)) < 0 ||
		    (r = get_str(s, e, "destination", &m->destination)) < 0)
			return r;
		m->rw = true;
		m->propagation = "";
		json_array_foreach(opts, k, o)
		{
			const char *v = json_string_value(o);

			if (!v)
				return -EBADMSG;
			if (!strcmp(v, "bind") || !strcmp(v, "rbind"))
				bind = true;
			else if (!strcmp(v, "ro"))
				m->rw = false;
			else if (!strcmp(v, "shared") || !strcmp(v, "rshared") ||
				 !strcmp(v, "slave") || !strcmp(v, "rslave") ||
				 !strcmp(v, "private") || !strcmp(v, "rprivate"))
				m->propagation = sdup(s, v);
		}
		m->type = bind ? "bind" : type ? sdup(s, type) : "none";
		if (!m->source)
			m->source = "";
		if (!m->destination)
			m->destination = "";
		if (!m->type || !m->propagation)
			return -ENOMEM;
		c->n_mounts++;
	}
	if (!c->id || !c->origin || !c->user)
		return -ENOMEM;
	vg_ctr_effective(s, c);
	return vg_vec_push(&s->ctrs, &c);
}

static bool known_id(const struct vg_ctr_set *s, const char *id)
{
	for (size_t i = 0; i < s->ctrs.len; i++)
		if (!strcmp(vg_ctr_at(s, i)->id, id))
			return true;
	return false;
}

/* one runc state directory ROOT/dir/ID/state.json */
static int oci_state(struct vg_ctr_set *s, const char *dir, const char *id, size_t *found)
{
	cleanup_free char *st = NULL, *cfg = NULL;
	cleanup_json json_t *root = NULL;
	char p[VG_PATH_MAX * 2], proc[64];
	const char *bundle = NULL;
	json_t *labels, *l;
	int64_t pid = 0;
	size_t n, i;
	int r;

	snprintf(p, sizeof(p), "%s%s/%s/state.json", s->root, dir, id);
	if (vg_read_file(p, VG_JSON_DOC_MAX, &st, &n) < 0)
		return 0;
	if (vg_json_parse(st, n, &root, NULL, 0) < 0)
		return 0; /* a state being written; runc replaces it atomically */
	(void)get_i64(root, "init_process_pid", &pid, NULL);
	labels = json_object_get(json_object_get(root, "config"), "labels");
	json_array_foreach(labels, i, l)
	{
		const char *v = json_string_value(l);

		if (v && !strncmp(v, "bundle=", 7))
			bundle = v + 7;
	}
	if (!bundle || bundle[0] != '/')
		return 0;
	(*found)++;
	if (known_id(s, id))
		return 0;
	snprintf(p, sizeof(p), "%s%s/config.json", s->root, bundle);
	if (vg_read_file(p, VG_JSON_DOC_MAX, &cfg, &n) < 0)
		return 0;
	snprintf(proc, sizeof(proc), "%s/proc/%lld", s->root[0] ? s->root : "", (long long)pid);
	if (pid <= 0 || pid > UINT32_MAX || access(proc, F_OK) != 0)
		pid = 0;
	r = vg_ctr_parse_oci(s, cfg, n, id, (uint32_t)pid, p + strlen(s->root));
	return r == -EBADMSG ? 0 : r;
}

static int collect_oci(struct vg_ctr_set *s, size_t *found)
{
	static const char *const one[] = {"/run/runc", "/run/docker/runtime-runc/moby"};
	char dir[VG_PATH_MAX];
	int r = 0;

	for (size_t k = 0; k < VG_ARRAY_SIZE(one) + 1 && r >= 0; k++) {
		DIR *d, *d2;
		struct dirent *de, *e2;

		if (k < VG_ARRAY_SIZE(one)) {
			snprintf(dir, sizeof(dir), "%s%s", s->root, one[k]);
			d = opendir(dir);
			while (d && (de = readdir(d)) && r >= 0)
				if (de->d_name[0] != '.')
					r = oci_state(s, one[k], de->d_name, found);
			if (d)
				closedir(d);
			continue;
		}
		/* containerd: /run/containerd/runc/NAMESPACE/ID */
		snprintf(dir, sizeof(dir), "%s/run/containerd/runc", s->root);
		d = opendir(dir);
		while (d && (de = readdir(d)) && r >= 0) {
			char sub[VG_PATH_MAX + 300], rel[600];

			if (de->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
			snprintf(rel, sizeof(rel), "/run/containerd/runc/%s", de->d_name);
			d2 = opendir(sub);
			while (d2 && (e2 = readdir(d2)) && r >= 0)
				if (e2->d_name[0] != '.')
					r = oci_state(s, rel, e2->d_name, found);
			if (d2)
				closedir(d2);
		}
		if (d)
			closedir(d);
	}
	return r;
}
