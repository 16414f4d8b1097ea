/* SPDX-License-Identifier: Apache-2.0 */
/* The engine host collector: daemon flags, daemon.json, units, files, listeners (host.h). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit/host.h"
#include "audit/isolation.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "shared/http-unix.h"
#include "shared/json.h"
#include "vuln/version.h"

extern char **environ;

/* ---- options ----------------------------------------------------------------------------- */

enum optkind { K_BOOL, K_STR, K_LIST };

struct flagdef {
	const char *flag; /* long name without "--" */
	char shortname;
	const char *key; /* daemon.json name */
	enum optkind kind;
};

static const struct flagdef flags[] = {
	{"host", 'H', "hosts", K_LIST},
	{"tls", 0, "tls", K_BOOL},
	{"tlsverify", 0, "tlsverify", K_BOOL},
	{"tlscacert", 0, "tlscacert", K_STR},
	{"tlscert", 0, "tlscert", K_STR},
	{"tlskey", 0, "tlskey", K_STR},
	{"icc", 0, "icc", K_BOOL},
	{"iptables", 0, "iptables", K_BOOL},
	{"ip6tables", 0, "ip6tables", K_BOOL},
	{"ip-forward", 0, "ip-forward", K_BOOL},
	{"ip-masq", 0, "ip-masq", K_BOOL},
	{"userland-proxy", 0, "userland-proxy", K_BOOL},
	{"userland-proxy-path", 0, "userland-proxy-path", K_STR},
	{"live-restore", 0, "live-restore", K_BOOL},
	{"no-new-privileges", 0, "no-new-privileges", K_BOOL},
	{"experimental", 0, "experimental", K_BOOL},
	{"debug", 'D', "debug", K_BOOL},
	{"selinux-enabled", 0, "selinux-enabled", K_BOOL},
	{"init", 0, "init", K_BOOL},
	{"raw-logs", 0, "raw-logs", K_BOOL},
	{"rootless", 0, "rootless", K_BOOL},
	{"validate", 0, "validate", K_BOOL},
	{"userns-remap", 0, "userns-remap", K_STR},
	{"log-driver", 0, "log-driver", K_STR},
	{"log-level", 'l', "log-level", K_STR},
	{"log-opt", 0, "log-opts", K_LIST},
	{"authorization-plugin", 0, "authorization-plugins", K_LIST},
	{"insecure-registry", 0, "insecure-registries", K_LIST},
	{"registry-mirror", 0, "registry-mirrors", K_LIST},
	{"default-ulimit", 0, "default-ulimits", K_LIST},
	{"storage-driver", 's', "storage-driver", K_STR},
	{"storage-opt", 0, "storage-opts", K_LIST},
	{"data-root", 0, "data-root", K_STR},
	{"graph", 'g', "data-root", K_STR},
	{"exec-root", 0, "exec-root", K_STR},
	{"cgroup-parent", 0, "cgroup-parent", K_STR},
	{"seccomp-profile", 0, "seccomp-profile", K_STR},
	{"config-file", 0, "config-file", K_STR},
	{"bridge", 'b', "bridge", K_STR},
	{"bip", 0, "bip", K_STR},
	{"ip", 0, "ip", K_STR},
	{"metrics-addr", 0, "metrics-addr", K_STR},
	{"default-cgroupns-mode", 0, "default-cgroupns-mode", K_STR},
	{"default-ipc-mode", 0, "default-ipc-mode", K_STR},
	{"default-runtime", 0, "default-runtime", K_STR},
	{"add-runtime", 0, "runtimes", K_LIST},
	{"containerd", 0, "containerd", K_STR},
	{"containerd-namespace", 0, "containerd-namespace", K_STR},
	{"containerd-plugins-namespace", 0, "containerd-plugins-namespace", K_STR},
	{"pidfile", 'p', "pidfile", K_STR},
	{"group", 'G', "group", K_STR},
	{"dns", 0, "dns", K_LIST},
	{"dns-opt", 0, "dns-opts", K_LIST},
	{"dns-search", 0, "dns-search", K_LIST},
	{"label", 0, "labels", K_LIST},
	{"mtu", 0, "mtu", K_STR},
	{"fixed-cidr", 0, "fixed-cidr", K_STR},
	{"fixed-cidr-v6", 0, "fixed-cidr-v6", K_STR},
	{"ipv6", 0, "ipv6", K_BOOL},
	{"default-address-pool", 0, "default-address-pools", K_LIST},
	{"max-concurrent-downloads", 0, "max-concurrent-downloads", K_STR},
	{"max-concurrent-uploads", 0, "max-concurrent-uploads", K_STR},
	{"shutdown-timeout", 0, "shutdown-timeout", K_STR},
	{"exec-opt", 0, "exec-opts", K_LIST},
	{"cpu-rt-period", 0, "cpu-rt-period", K_STR},
	{"cpu-rt-runtime", 0, "cpu-rt-runtime", K_STR},
	{"default-shm-size", 0, "default-shm-size", K_STR},
	{"host-gateway-ip", 0, "host-gateway-ip", K_STR},
	{"allow-nondistributable-artifacts", 0, "allow-nondistributable-artifacts", K_LIST},
	{"swarm-default-advertise-addr", 0, "swarm-default-advertise-addr", K_STR},
	{"network-control-plane-mtu", 0, "network-control-plane-mtu", K_STR},
	{"oom-score-adjust", 0, "oom-score-adjust", K_STR},
	{"cri-containerd", 0, "cri-containerd", K_BOOL},
	{"no-legacy-registry", 0, "no-legacy-registry", K_BOOL},
	{"disable-legacy-registry", 0, "disable-legacy-registry", K_BOOL},
};

static const struct flagdef *flag_by_key(const char *key)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(flags); i++)
		if (strcmp(flags[i].key, key) == 0)
			return &flags[i];
	return NULL;
}

void vg_host_init(struct vg_host *h)
{
	memset(h, 0, sizeof(*h));
	vg_arena_init(&h->arena, VG_HOST_ARENA_MAX);
	vg_vec_init(&h->opts, sizeof(struct vg_host_opt), VG_HOST_OPTS_MAX);
	vg_vec_init(&h->files, sizeof(struct vg_host_file), VG_HOST_FILES_MAX);
	vg_vec_init(&h->listeners, sizeof(struct vg_host_listener), VG_HOST_LISTENERS_MAX);
	vg_vec_init(&h->docker_group, sizeof(const char *), VG_HOST_OPTS_MAX);
	h->root = "";
	h->data_root_mounted = -1;
	h->apparmor_enabled = -1;
}

void vg_host_done(struct vg_host *h)
{
	vg_vec_done(&h->opts);
	vg_vec_done(&h->files);
	vg_vec_done(&h->listeners);
	vg_vec_done(&h->docker_group);
	vg_arena_done(&h->arena);
}

bool vg_host_applicable(const struct vg_host *h)
{
	return h->dockerd_pid || h->daemon_json || h->service_unit || h->socket_unit ||
	       h->api_socket;
}

static int add_opt_n(struct vg_host *h, const char *key, const char *value, size_t vlen,
		     enum vg_host_origin origin)
{
	struct vg_host_opt o = {.origin = origin};

	o.key = vg_arena_strdup(&h->arena, key);
	o.value = vg_arena_strndup(&h->arena, value, vlen);
	if (!o.key || !o.value)
		return -ENOMEM;
	return vg_vec_push(&h->opts, &o);
}

static int add_opt(struct vg_host *h, const char *key, const char *value,
		   enum vg_host_origin origin)
{
	return add_opt_n(h, key, value, strlen(value), origin);
}

size_t vg_host_opt_values(const struct vg_host *h, const char *key, const char **ret, size_t max)
{
	size_t n = 0;

	vg_vec_for_each(const struct vg_host_opt, o, &h->opts) {
		if (strcmp(o->key, key) != 0)
			continue;
		if (n < max)
			ret[n] = o->value;
		n++;
	}
	return n;
}

const char *vg_host_opt_last(const struct vg_host *h, const char *key)
{
	const char *v = NULL;

	vg_vec_for_each(const struct vg_host_opt, o, &h->opts)
		if (strcmp(o->key, key) == 0)
			v = o->value;
	return v;
}

static int parse_bool(const char *v)
{
	if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "t") || !strcmp(v, "T") ||
	    !strcmp(v, "TRUE") || !strcmp(v, "True"))
		return 1;
	if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "f") || !strcmp(v, "F") ||
	    !strcmp(v, "FALSE") || !strcmp(v, "False"))
		return 0;
	return -EINVAL;
}

bool vg_host_opt_bool(const struct vg_host *h, const char *key, bool dflt)
{
	const char *v = vg_host_opt_last(h, key);
	int b = v ? parse_bool(v) : -EINVAL;

	return b < 0 ? dflt : b == 1;
}

/* ---- dockerd command line ---------------------------------------------------------------- */

static const struct flagdef *flag_lookup(const char *name, size_t n, bool is_short)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(flags); i++) {
		if (is_short) {
			if (n == 1 && flags[i].shortname == name[0])
				return &flags[i];
		} else if (strlen(flags[i].flag) == n && memcmp(flags[i].flag, name, n) == 0) {
			return &flags[i];
		}
	}
	return NULL;
}

int vg_host_parse_cmdline(struct vg_host *h, const char *buf, size_t len,
			  enum vg_host_origin origin)
{
	const char *args[VG_HOST_ARGS_MAX];
	size_t n = 0, off = 0;
	int r;

	while (off < len) {
		const char *a = buf + off;
		size_t l = strnlen(a, len - off);

		if (n >= VG_HOST_ARGS_MAX)
			return -E2BIG;
		if (l == len - off) /* last word without NUL: copy to terminate it */
			a = vg_arena_strndup(&h->arena, a, l);
		if (!a)
			return -ENOMEM;
		args[n++] = a;
		off += l + 1;
	}
	/* args[0] is the program; "dockerd" or "docker daemon" */
	for (size_t i = 1; i < n; i++) {
		const char *a = args[i], *name, *eq, *value = NULL;
		bool is_short;
		size_t nl;
		const struct flagdef *fd;
		char key[128];

		if (a[0] != '-' || !a[1])
			continue; /* "daemon" of `docker daemon`; dockerd takes no positional */
		if (strcmp(a, "--") == 0)
			break;
		is_short = a[1] != '-';
		name = a + (is_short ? 1 : 2);
		eq = strchr(name, '=');
		nl = eq ? (size_t)(eq - name) : strlen(name);
		if (is_short && !eq && nl > 1) {
			/* -Hvalue */
			fd = flag_lookup(name, 1, true);
			if (fd && fd->kind != K_BOOL) {
				r = add_opt(h, fd->key, name + 1, origin);
				if (r < 0)
					return r;
				continue;
			}
		}
		fd = flag_lookup(name, nl, is_short);
		if (eq) {
			value = eq + 1;
		} else if (fd && fd->kind != K_BOOL) {
			if (i + 1 >= n)
				continue; /* dockerd would refuse: flag needs an argument */
			value = args[++i];
		} else {
			value = "true";
		}
		if (fd) {
			if (fd->kind == K_BOOL) {
				int b = parse_bool(value);

				value = b < 0 ? value : b ? "true" : "false";
			}
			r = add_opt(h, fd->key, value, origin);
		} else {
			/* unknown flag: kept under its own name */
			if (nl >= sizeof(key))
				continue;
			memcpy(key, name, nl);
			key[nl] = '\0';
			r = add_opt(h, key, value, origin);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- daemon.json ------------------------------------------------------------------------- */

VG_PRINTF(3, 4)
static int json_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (err && errsize) {
		va_start(ap, fmt);
		vsnprintf(err, errsize, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

static int add_scalar(struct vg_host *h, const char *key, json_t *v, bool *ok)
{
	char num[64];

	*ok = true;
	if (json_is_string(v))
		return add_opt_n(h, key, json_string_value(v), json_string_length(v),
				 VG_HOST_FROM_DAEMON_JSON);
	if (json_is_boolean(v))
		return add_opt(h, key, json_is_true(v) ? "true" : "false",
			       VG_HOST_FROM_DAEMON_JSON);
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return add_opt(h, key, num, VG_HOST_FROM_DAEMON_JSON);
	}
	if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		return add_opt(h, key, num, VG_HOST_FROM_DAEMON_JSON);
	}
	*ok = false;
	return 0;
}

int vg_host_parse_daemon_json(struct vg_host *h, const char *buf, size_t len, char *err,
			      size_t errsize)
{
	cleanup_json json_t *root = NULL;
	const char *key;
	json_t *v;
	int r;

	if (len > VG_HOST_CONFIG_MAX)
		return json_err(err, errsize, "file larger than %s bytes", "VG_HOST_CONFIG_MAX"),
		       -E2BIG;
	r = vg_json_parse(buf, len, &root, err, errsize);
	if (r < 0)
		return r;
	if (!json_is_object(root))
		return json_err(err, errsize, "%s", "daemon.json is not a JSON object");
	json_object_foreach(root, key, v)
	{
		const struct flagdef *fd = flag_by_key(key);
		bool ok;

		if (json_is_null(v))
			continue;
		if (fd && fd->kind == K_BOOL && !json_is_boolean(v))
			return json_err(err, errsize, "'%s' must be true or false", key);
		if (fd && fd->kind == K_STR && !json_is_string(v) && !json_is_number(v))
			return json_err(err, errsize, "'%s' must be a string", key);
		if (strcmp(key, "default-ulimits") == 0) {
			const char *name;
			json_t *u;
			char ul[256];

			if (!json_is_object(v))
				return json_err(err, errsize, "'%s' must be an object", key);
			json_object_foreach(v, name, u)
			{
				json_t *soft = json_object_get(u, "Soft");
				json_t *hard = json_object_get(u, "Hard");

				if (!json_is_object(u) || (soft && !json_is_integer(soft)) ||
				    (hard && !json_is_integer(hard)))
					return json_err(err, errsize,
							"'%s' entries need integer Soft and Hard",
							key);
				snprintf(ul, sizeof(ul), "%.100s=%lld:%lld", name,
					 (long long)json_integer_value(soft),
					 (long long)json_integer_value(hard));
				r = add_opt(h, key, ul, VG_HOST_FROM_DAEMON_JSON);
				if (r < 0)
					return r;
			}
			continue;
		}
		if (json_is_array(v)) {
			size_t i;
			json_t *e;

			json_array_foreach(v, i, e)
			{
				if (fd && fd->kind == K_LIST && !json_is_string(e))
					return json_err(err, errsize, "'%s' must list strings",
							key);
				r = add_scalar(h, key, e, &ok);
				if (r < 0)
					return r;
			}
			continue;
		}
		if (fd && fd->kind == K_LIST && !json_is_object(v))
			return json_err(err, errsize, "'%s' must be an array", key);
		if (json_is_object(v)) {
			const char *k2;
			json_t *e;
			char kv[VG_PATH_MAX];

			json_object_foreach(v, k2, e)
			{
				if (json_is_string(e))
					snprintf(kv, sizeof(kv), "%s=%s", k2, json_string_value(e));
				else if (json_is_boolean(e))
					snprintf(kv, sizeof(kv), "%s=%s", k2,
						 json_is_true(e) ? "true" : "false");
				else if (json_is_integer(e))
					snprintf(kv, sizeof(kv), "%s=%lld", k2,
						 (long long)json_integer_value(e));
				else
					snprintf(kv, sizeof(kv), "%s", k2);
				r = add_opt(h, key, kv, VG_HOST_FROM_DAEMON_JSON);
				if (r < 0)
					return r;
			}
			continue;
		}
		r = add_scalar(h, key, v, &ok);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- systemd units ----------------------------------------------------------------------- */

int vg_host_split_exec(struct vg_host *h, const char *cmd, char **ret, size_t *ret_len)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(VG_HOST_CONFIG_MAX);
	const char *p = cmd;
	bool first = true;
	int r = 0;

	while (*p == '-' || *p == '@' || *p == ':' || *p == '+' || *p == '!')
		p++;
	for (;;) {
		char q = 0;
		bool any = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (*p && r >= 0) {
			if (q) {
				if (*p == q) {
					q = 0;
					p++;
					continue;
				}
			} else if (*p == '"' || *p == '\'') {
				q = *p++;
				any = true;
				continue;
			} else if (*p == ' ' || *p == '\t') {
				break;
			}
			if (*p == '\\' && p[1]) {
				p++;
				switch (*p) {
				case 'n':
					r = vg_strbuf_putc(&sb, '\n');
					break;
				case 't':
					r = vg_strbuf_putc(&sb, '\t');
					break;
				default:
					r = vg_strbuf_putc(&sb, *p);
				}
				p++;
				any = true;
				continue;
			}
			r = vg_strbuf_putc(&sb, *p++);
			any = true;
		}
		if (r < 0)
			break;
		if (any || !first)
			r = vg_strbuf_putc(&sb, '\0');
		first = false;
		if (r < 0)
			break;
	}
	if (r >= 0) {
		*ret_len = sb.len;
		*ret = vg_arena_memdup(&h->arena, vg_strbuf_str(&sb), sb.len + 1);
		if (!*ret)
			r = -ENOMEM;
	}
	vg_strbuf_done(&sb);
	return r;
}

int vg_host_parse_unit(struct vg_host *h, const char *buf, size_t len, const char **exec)
{
	struct vg_strbuf line = VG_STRBUF_INIT(VG_HOST_CONFIG_MAX);
	char section[64] = "";
	size_t off = 0;
	int r = 0;

	if (len > VG_HOST_CONFIG_MAX)
		return -E2BIG;
	while (off < len && r >= 0) {
		const char *s = buf + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;
		bool cont;

		off += n + (nl ? 1 : 0);
		if (n && s[n - 1] == '\r')
			n--;
		/* comments only at the start of a logical line */
		if (line.len == 0) {
			while (n && (*s == ' ' || *s == '\t'))
				s++, n--;
			if (n && (*s == '#' || *s == ';'))
				continue;
		}
		cont = n && s[n - 1] == '\\';
		if (cont)
			n--;
		r = vg_strbuf_append(&line, s, n);
		if (r < 0)
			break;
		if (cont) {
			r = vg_strbuf_putc(&line, ' ');
			continue;
		}
		{
			const char *l = vg_strbuf_str(&line);
			const char *eq;
			size_t kl;

			if (l[0] == '[') {
				const char *e = strchr(l, ']');

				if (e && (size_t)(e - l - 1) < sizeof(section)) {
					memcpy(section, l + 1, (size_t)(e - l - 1));
					section[e - l - 1] = '\0';
				}
			} else if ((eq = strchr(l, '='))) {
				const char *v = eq + 1;

				kl = (size_t)(eq - l);
				while (kl && (l[kl - 1] == ' ' || l[kl - 1] == '\t'))
					kl--;
				while (*v == ' ' || *v == '\t')
					v++;
				if (!strcmp(section, "Service") && kl == 9 &&
				    !memcmp(l, "ExecStart", 9)) {
					*exec = *v ? vg_arena_strdup(&h->arena, v) : NULL;
					if (*v && !*exec)
						r = -ENOMEM;
				} else if (!strcmp(section, "Socket") && kl == 12 &&
					   !memcmp(l, "ListenStream", 12)) {
					if (*v)
						r = add_opt(h, "listen-stream", v,
							    VG_HOST_FROM_SOCKET_UNIT);
					else /* an empty assignment resets the list */
						for (size_t i = h->opts.len; i-- > 0;) {
							struct vg_host_opt *o =
								vg_vec_at(&h->opts, i);

							if (!strcmp(o->key, "listen-stream"))
								vg_vec_remove(&h->opts, i);
						}
				}
			}
		}
		vg_strbuf_reset(&line);
	}
	vg_strbuf_done(&line);
	return r;
}

/* ---- files ------------------------------------------------------------------------------- */

static char *rooted(struct vg_host *h, const char *path)
{
	size_t rl = strlen(h->root), pl = strlen(path);
	char *p = vg_arena_alloc(&h->arena, rl + pl + 1);

	if (!p)
		return NULL;
	memcpy(p, h->root, rl);
	memcpy(p + rl, path, pl + 1);
	return p;
}

static int read_rooted(struct vg_host *h, const char *path, size_t max, char **ret, size_t *len)
{
	char *p = rooted(h, path);

	if (!p)
		return -ENOMEM;
	return vg_read_file(p, max, ret, len);
}

/* name of id in ROOT/etc/passwd or group, else the number */
static const char *id_name(struct vg_host *h, const char *file, uint32_t id)
{
	cleanup_free char *buf = NULL;
	char num[16];
	size_t len;

	if (read_rooted(h, file, VG_HOST_CONFIG_MAX, &buf, &len) >= 0) {
		char *save = NULL;

		for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *f[4] = {0};
			char *s = l;
			int k;

			for (k = 0; k < 4 && s; k++) {
				f[k] = s;
				s = strchr(s, ':');
				if (s)
					*s++ = '\0';
			}
			if (k >= 3 && f[2] && strtoul(f[2], NULL, 10) == id && f[2][0])
				return vg_arena_strdup(&h->arena, f[0]);
		}
	}
	snprintf(num, sizeof(num), "%u", id);
	return vg_arena_strdup(&h->arena, num);
}

static int add_file(struct vg_host *h, const char *key, const char *path)
{
	struct vg_host_file f = {0};
	struct stat st;
	char *p;

	if (!path || !*path)
		return 0;
	vg_vec_for_each(const struct vg_host_file, e, &h->files)
		if (!strcmp(e->key, key) && !strcmp(e->path, path))
			return 0;
	p = rooted(h, path);
	if (!p)
		return -ENOMEM;
	f.key = vg_arena_strdup(&h->arena, key);
	f.path = vg_arena_strdup(&h->arena, path);
	if (!f.key || !f.path)
		return -ENOMEM;
	if (stat(p, &st) == 0) {
		f.exists = true;
		f.is_socket = S_ISSOCK(st.st_mode);
		f.is_dir = S_ISDIR(st.st_mode);
		f.mode = st.st_mode & 07777;
		f.uid = st.st_uid;
		f.gid = st.st_gid;
		f.owner = id_name(h, "/etc/passwd", st.st_uid);
		f.group = id_name(h, "/etc/group", st.st_gid);
		if (!f.owner || !f.group)
			return -ENOMEM;
	}
	return vg_vec_push(&h->files, &f);
}

const struct vg_host_file *vg_host_file(const struct vg_host *h, const char *key_or_path)
{
	vg_vec_for_each(const struct vg_host_file, f, &h->files)
		if (!strcmp(f->key, key_or_path) || !strcmp(f->path, key_or_path))
			return f;
	return NULL;
}

/* ---- versions ---------------------------------------------------------------------------- */

int vg_host_parse_version_json(struct vg_host *h, const char *buf, size_t len)
{
	cleanup_json json_t *root = NULL;
	json_t *comps, *c;
	const char *v;
	size_t i;
	int r;

	r = vg_json_parse(buf, len, &root, NULL, 0);
	if (r < 0)
		return r;
	v = vg_json_get_str(root, "Version");
	if (v) {
		h->engine_version = vg_arena_strdup(&h->arena, v);
		h->engine_version_from = "api";
	}
	comps = vg_json_get_array(root, "Components");
	json_array_foreach(comps, i, c)
	{
		const char *name = vg_json_get_str(c, "Name");
		const char *cv = vg_json_get_str(c, "Version");

		if (!name || !cv)
			continue;
		if (!strcmp(name, "runc"))
			h->runc_version = vg_arena_strdup(&h->arena, cv);
		else if (!strcmp(name, "containerd"))
			h->containerd_version = vg_arena_strdup(&h->arena, cv);
	}
	return vg_arena_error(&h->arena);
}

const char *vg_host_version_from_output(struct vg_host *h, const char *out)
{
	const char *p = out;

	while (*p) {
		const char *w = p;
		size_t n;

		while (*p && *p != ' ' && *p != '\n' && *p != '\t' && *p != ',')
			p++;
		n = (size_t)(p - w);
		if (n && w[0] == 'v' && n > 1 && w[1] >= '0' && w[1] <= '9')
			w++, n--;
		if (n >= 3 && w[0] >= '0' && w[0] <= '9' && memchr(w, '.', n) &&
		    n < VG_VERSION_LEN_MAX)
			return vg_arena_strndup(&h->arena, w, n);
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == ',')
			p++;
	}
	return NULL;
}

/* normalised copy for dpkg comparison: no "v", no "+build", "-rc1" -> "~rc1" */
static int norm_version(const char *v, size_t n, char *out, size_t size)
{
	size_t k = 0;

	if (n && (v[0] == 'v' || v[0] == 'V'))
		v++, n--;
	if (!n || v[0] < '0' || v[0] > '9')
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c == '+')
			break;
		if (k + 1 >= size)
			return -E2BIG;
		if (c == '-')
			c = '~';
		if (c == ' ' || c == '\t')
			return -EINVAL;
		out[k++] = c;
	}
	out[k] = '\0';
	return 0;
}

/* length of "major.minor" prefix */
static size_t branch_len(const char *v)
{
	const char *d = strchr(v, '.');

	if (!d)
		return strlen(v);
	d = strchr(d + 1, '.');
	return d ? (size_t)(d - v) : strlen(v);
}

int vg_host_version_before(const char *version, const char *fixes)
{
	char v[VG_VERSION_LEN_MAX], f[VG_VERSION_LEN_MAX], newest[VG_VERSION_LEN_MAX] = "";
	const char *p = fixes;
	int r, c;

	r = norm_version(version, strlen(version), v, sizeof(v));
	if (r < 0)
		return r;
	while (*p) {
		const char *e = p + strcspn(p, "|,");

		r = norm_version(p, (size_t)(e - p), f, sizeof(f));
		if (r < 0)
			return r;
		if (branch_len(f) == branch_len(v) && !strncmp(f, v, branch_len(v))) {
			r = vg_version_cmp(VG_VERSION_DPKG, v, f, &c);
			return r < 0 ? r : c < 0;
		}
		if (!newest[0]) {
			memcpy(newest, f, sizeof(f));
		} else {
			r = vg_version_cmp(VG_VERSION_DPKG, f, newest, &c);
			if (r < 0)
				return r;
			if (c > 0)
				memcpy(newest, f, sizeof(f));
		}
		p = *e ? e + 1 : e;
	}
	if (!newest[0])
		return -EINVAL;
	r = vg_version_cmp(VG_VERSION_DPKG, v, newest, &c);
	return r < 0 ? r : c < 0;
}

/* Runs argv[0] --version (PATH lookup below the real root only) and keeps its version. */
static const char *binary_version(struct vg_host *h, const char *prog, int timeout_ms)
{
	char *argv[] = {(char *)prog, (char *)"--version", NULL};
	posix_spawn_file_actions_t fa;
	char buf[4096];
	size_t n = 0;
	int pfd[2], status;
	pid_t pid;
	struct timespec start, now;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return NULL;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		close(pfd[0]);
		close(pfd[1]);
		return NULL;
	}
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (posix_spawnp(&pid, prog, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(pfd[0]);
		close(pfd[1]);
		return NULL;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		long el;
		ssize_t k;

		clock_gettime(CLOCK_MONOTONIC, &now);
		el = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (el >= timeout_ms || poll(&p, 1, (int)(timeout_ms - el)) <= 0)
			break;
		k = read(pfd[0], buf + n, sizeof(buf) - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		if (n >= sizeof(buf) - 1)
			break;
	}
	close(pfd[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	buf[n] = '\0';
	return vg_host_version_from_output(h, buf);
}

/* ---- TCP listeners ----------------------------------------------------------------------- */

int vg_host_parse_proc_net_tcp(struct vg_host *h, const char *text, bool v6, const uint64_t *inodes,
			       size_t n)
{
	const char *p = text;
	bool header = true;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char line[512], local[64];
		unsigned state, port;
		unsigned long long inode;
		int k;

		if (header) {
			header = false;
			goto next;
		}
		if (l >= sizeof(line))
			return -EBADMSG;
		memcpy(line, p, l);
		line[l] = '\0';
		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		k = sscanf(line, " %*s %63[0-9A-Fa-f]:%x %*s %x %*s %*s %*s %*s %*s %llu", local,
			   &port, &state, &inode);
		if (k != 4)
			return -EBADMSG;
		if (state != 0x0A || port > 65535)
			goto next;
		for (size_t i = 0; i < n; i++) {
			struct vg_host_listener li = {
				.v6 = v6, .port = (uint16_t)port, .inode = inode};
			uint8_t a[16];
			size_t al = v6 ? 16 : 4;
			int r;

			if (inodes[i] != inode)
				continue;
			if (strlen(local) != al * 2)
				return -EBADMSG;
			/* the kernel prints each 32-bit word in host byte order */
			for (size_t w = 0; w < al / 4; w++) {
				unsigned long word;
				char hx[9];
				uint32_t be;

				memcpy(hx, local + w * 8, 8);
				hx[8] = '\0';
				word = strtoul(hx, NULL, 16);
				be = (uint32_t)word;
				memcpy(a + w * 4, &be, 4);
			}
			inet_ntop(v6 ? AF_INET6 : AF_INET, a, li.addr, sizeof(li.addr));
			if (v6) {
				static const uint8_t lo6[16] = {[15] = 1};
				static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};

				li.loopback = !memcmp(a, lo6, 16) ||
					      (!memcmp(a, mapped, 12) && a[12] == 127);
			} else {
				li.loopback = a[0] == 127;
			}
			r = vg_vec_push(&h->listeners, &li);
			if (r < 0)
				return r;
			break;
		}
next:
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* one HTTP/1.0 GET over TCP; 0 with status and body, or negative errno */
static int tcp_get(const struct vg_host_listener *li, const char *path, int timeout_ms, int *status,
		   char **body, size_t *blen)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	char req[256];
	cleanup_free char *buf = NULL;
	size_t n = 0, cap = 64 * 1024;
	cleanup_close int fd = -1;
	struct pollfd p;
	int r, k;

	if (li->v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(li->port);
		inet_pton(AF_INET6, li->addr, &s6->sin6_addr);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(li->port);
		inet_pton(AF_INET, li->addr, &s4->sin_addr);
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		return -errno;
	p = (struct pollfd){.fd = fd, .events = POLLOUT};
	if (poll(&p, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	k = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: vigil-audit\r\n"
		     "Connection: close\r\n\r\n",
		     path);
	if (send(fd, req, (size_t)k, MSG_NOSIGNAL) != k)
		return -EIO;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t got;

		p = (struct pollfd){.fd = fd, .events = POLLIN};
		if (poll(&p, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		got = recv(fd, buf + n, cap - n, 0);
		if (got < 0)
			return -errno;
		if (got == 0)
			break;
		n += (size_t)got;
		if (n == cap)
			return -E2BIG;
	}
	r = vg_http_parse_response(buf, n, cap, status, body, blen);
	return r;
}

static void probe_listener(struct vg_host *h, struct vg_host_listener *li, int timeout_ms)
{
	cleanup_free char *body = NULL;
	size_t blen = 0;
	int status = 0, r;

	li->probed = true;
	r = tcp_get(li, "/_ping", timeout_ms, &status, &body, &blen);
	if (r < 0)
		return;
	li->probe_status = status;
	if (status != 200 || blen < 2 || memcmp(body, "OK", 2) != 0)
		return;
	li->unauthenticated = true;
	free(body);
	body = NULL;
	r = tcp_get(li, "/version", timeout_ms, &status, &body, &blen);
	if (r >= 0 && status == 200) {
		cleanup_json json_t *root = NULL;

		if (vg_json_parse(body, blen, &root, NULL, 0) >= 0 &&
		    vg_json_get_str(root, "Version"))
			li->probe_version =
				vg_arena_strdup(&h->arena, vg_json_get_str(root, "Version"));
	}
}

/* socket inodes held by pid */
static int socket_inodes(struct vg_host *h, uint32_t pid, uint64_t **ret, size_t *ret_n)
{
	char dir[64];
	char *p;
	DIR *d;
	struct dirent *de;
	uint64_t *v = NULL;
	size_t n = 0;

	snprintf(dir, sizeof(dir), "/proc/%u/fd", pid);
	p = rooted(h, dir);
	if (!p)
		return -ENOMEM;
	d = opendir(p);
	if (!d)
		return -errno;
	v = calloc(VG_HOST_FDS_MAX, sizeof(*v));
	if (!v) {
		closedir(d);
		return -ENOMEM;
	}
	while ((de = readdir(d)) && n < VG_HOST_FDS_MAX) {
		char link[128];
		ssize_t k;
		unsigned long long ino;

		if (de->d_name[0] == '.')
			continue;
		k = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		if (sscanf(link, "socket:[%llu]", &ino) == 1)
			v[n++] = ino;
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}

static int collect_listeners(struct vg_host *h, const struct vg_host_opts *o)
{
	cleanup_free uint64_t *inodes = NULL;
	size_t n = 0;
	int r;

	if (!h->dockerd_pid)
		return 0;
	r = socket_inodes(h, h->dockerd_pid, &inodes, &n);
	if (r == -ENOMEM)
		return r;
	if (r < 0 || !n)
		return 0;
	for (int v6 = 0; v6 < 2; v6++) {
		char path[64];
		cleanup_free char *text = NULL;

		snprintf(path, sizeof(path), "/proc/%u/net/tcp%s", h->dockerd_pid, v6 ? "6" : "");
		r = read_rooted(h, path, VG_HOST_PROC_NET_MAX, &text, NULL);
		if (r == -ENOMEM || r == -E2BIG)
			return r;
		if (r < 0)
			continue;
		r = vg_host_parse_proc_net_tcp(h, text, v6, inodes, n);
		if (r < 0 && r != -EBADMSG)
			return r;
	}
	if (o->probe)
		vg_vec_for_each(struct vg_host_listener, li, &h->listeners)
			if (li->loopback)
				probe_listener(h, li, o->timeout_ms);
	return 0;
}

/* ---- discovery --------------------------------------------------------------------------- */

static bool is_dockerd(struct vg_host *h, uint32_t pid, char **ret_cmd, size_t *ret_len)
{
	char path[64];
	cleanup_free char *buf = NULL;
	size_t len;
	const char *base;

	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	if (read_rooted(h, path, VG_HOST_CMDLINE_MAX, &buf, &len) < 0 || !len)
		return false;
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	if (strcmp(base, "dockerd") != 0)
		return false;
	*ret_cmd = TAKE_PTR(buf);
	*ret_len = len;
	return true;
}

static bool hosts_have_socket(const struct vg_host *h, const char *sock)
{
	const char *v[64];
	size_t n = vg_host_opt_values(h, "hosts", v, 64);

	for (size_t i = 0; i < n && i < 64; i++) {
		const char *s = v[i];

		if (!strncmp(s, "unix://", 7))
			s += 7;
		if (!strcmp(s, sock))
			return true;
	}
	return false;
}

static int find_dockerd(struct vg_host *h, const struct vg_host_opts *o)
{
	cleanup_free char *cmd = NULL;
	size_t len = 0;
	char *p;
	DIR *d;
	struct dirent *de;
	uint32_t pids[VG_HOST_DOCKERDS_MAX];
	size_t n = 0;
	int r;

	if (o->dockerd_pid) {
		if (!is_dockerd(h, o->dockerd_pid, &cmd, &len))
			return 0;
		h->dockerd_pid = o->dockerd_pid;
		return vg_host_parse_cmdline(h, cmd, len, VG_HOST_FROM_CMDLINE);
	}
	p = rooted(h, "/proc");
	if (!p)
		return -ENOMEM;
	d = opendir(p);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < VG_HOST_DOCKERDS_MAX) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		char *c = NULL;
		size_t l;

		if (*end || !pid || pid > UINT32_MAX)
			continue;
		if (is_dockerd(h, (uint32_t)pid, &c, &l)) {
			pids[n++] = (uint32_t)pid;
			free(c);
		}
	}
	closedir(d);
	/* the one serving the API socket asked for, else the lowest pid */
	for (size_t i = 0; o->api_socket && i < n && !h->dockerd_pid; i++) {
		struct vg_host probe;

		if (!is_dockerd(h, pids[i], &cmd, &len))
			continue;
		vg_host_init(&probe);
		r = vg_host_parse_cmdline(&probe, cmd, len, VG_HOST_FROM_CMDLINE);
		if (r >= 0 && hosts_have_socket(&probe, o->api_socket))
			h->dockerd_pid = pids[i];
		vg_host_done(&probe);
		free(cmd);
		cmd = NULL;
	}
	if (!h->dockerd_pid)
		for (size_t i = 0; i < n; i++)
			if (!h->dockerd_pid || pids[i] < h->dockerd_pid)
				h->dockerd_pid = pids[i];
	if (!h->dockerd_pid)
		return 0;
	if (!is_dockerd(h, h->dockerd_pid, &cmd, &len)) {
		h->dockerd_pid = 0;
		return 0;
	}
	{
		char sp[64];
		char *sl;
		cleanup_free char *st = NULL;

		snprintf(sp, sizeof(sp), "/proc/%u/status", h->dockerd_pid);
		if (read_rooted(h, sp, 65536, &st, NULL) >= 0 && (sl = strstr(st, "\nUid:")))
			h->dockerd_uid = (uint32_t)strtoul(sl + 5, NULL, 10);
	}
	return vg_host_parse_cmdline(h, cmd, len, VG_HOST_FROM_CMDLINE);
}

static const char *const unit_dirs[] = {
	"/etc/systemd/system",
	"/run/systemd/system",
	"/lib/systemd/system",
	"/usr/lib/systemd/system",
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the unit file and its drop-ins, in systemd's order; returns the last ExecStart */
static int read_unit(struct vg_host *h, const char *name, const char **ret_path,
		     const char **ret_exec)
{
	char path[VG_PATH_MAX];
	int r;

	for (size_t i = 0; i < VG_ARRAY_SIZE(unit_dirs); i++) {
		cleanup_free char *buf = NULL;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], name);
		r = read_rooted(h, path, VG_HOST_CONFIG_MAX, &buf, &len);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		*ret_path = vg_arena_strdup(&h->arena, path);
		if (!*ret_path)
			return -ENOMEM;
		r = vg_host_parse_unit(h, buf, len, ret_exec);
		if (r < 0)
			return r;
		break;
	}
	if (!*ret_path)
		return 0;
	/* drop-ins: NAME.d/ *.conf from every directory, sorted by file name */
	for (size_t i = VG_ARRAY_SIZE(unit_dirs); i-- > 0;) {
		char *dp;
		DIR *d;
		struct dirent *de;
		char *names[VG_HOST_DROPINS_MAX];
		size_t n = 0;

		snprintf(path, sizeof(path), "%s/%s.d", unit_dirs[i], name);
		dp = rooted(h, path);
		if (!dp)
			return -ENOMEM;
		d = opendir(dp);
		if (!d)
			continue;
		while ((de = readdir(d)) && n < VG_HOST_DROPINS_MAX) {
			size_t l = strlen(de->d_name);

			if (l > 5 && !strcmp(de->d_name + l - 5, ".conf"))
				names[n++] = vg_arena_strdup(&h->arena, de->d_name);
		}
		closedir(d);
		for (size_t k = 0; k < n; k++)
			if (!names[k])
				return -ENOMEM;
		qsort(names, n, sizeof(*names), name_cmp);
		for (size_t k = 0; k < n; k++) {
			cleanup_free char *buf = NULL;
			char fp[VG_PATH_MAX + 256];
			size_t len;

			snprintf(fp, sizeof(fp), "%s/%s", path, names[k]);
			r = read_rooted(h, fp, VG_HOST_CONFIG_MAX, &buf, &len);
			if (r == -ENOMEM)
				return r;
			if (r < 0)
				continue;
			r = vg_host_parse_unit(h, buf, len, ret_exec);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int read_docker_group(struct vg_host *h)
{
	cleanup_free char *buf = NULL;
	size_t len;
	char *save = NULL;

	if (read_rooted(h, "/etc/group", VG_HOST_CONFIG_MAX, &buf, &len) < 0)
		return 0;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *m, *s2 = NULL;

		if (strncmp(l, "docker:", 7) != 0)
			continue;
		m = strchr(l + 7, ':');
		m = m ? strchr(m + 1, ':') : NULL;
		if (!m)
			return 0;
		for (char *u = strtok_r(m + 1, ",", &s2); u; u = strtok_r(NULL, ",", &s2)) {
			const char *c = vg_arena_strdup(&h->arena, u);
			int r;

			if (!c)
				return -ENOMEM;
			if (!*c)
				continue;
			r = vg_vec_push(&h->docker_group, &c);
			if (r < 0)
				return r;
		}
		break;
	}
	return 0;
}

/* audit rules: -w PATH and -F path=PATH / dir=PATH */
static int audit_paths_from(struct vg_host *h, const char *text, struct vg_vec *paths)
{
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char line[VG_PATH_MAX + 64];
		char *tok, *save = NULL;
		bool next_is_path = false;

		if (l < sizeof(line)) {
			memcpy(line, p, l);
			line[l] = '\0';
			for (tok = strtok_r(line, " \t", &save); tok;
			     tok = strtok_r(NULL, " \t", &save)) {
				const char *path = NULL;

				if (next_is_path)
					path = tok;
				next_is_path = !strcmp(tok, "-w");
				if (!strncmp(tok, "path=", 5))
					path = tok + 5;
				else if (!strncmp(tok, "dir=", 4))
					path = tok + 4;
				if (path) {
					const char *c = vg_arena_strdup(&h->arena, path);
					int r;

					if (!c)
						return -ENOMEM;
					r = vg_vec_push(paths, &c);
					if (r < 0)
						return r;
				}
			}
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int read_audit_rules(struct vg_host *h, struct vg_vec *paths)
{
	cleanup_free char *buf = NULL;
	char *dp;
	DIR *d;
	struct dirent *de;
	int r;

	if (read_rooted(h, "/etc/audit/audit.rules", VG_HOST_CONFIG_MAX, &buf, NULL) >= 0) {
		r = audit_paths_from(h, buf, paths);
		if (r < 0)
			return r;
	}
	dp = rooted(h, "/etc/audit/rules.d");
	if (!dp)
		return -ENOMEM;
	d = opendir(dp);
	if (!d)
		return 0;
	r = 0;
	while ((de = readdir(d)) && r >= 0) {
		cleanup_free char *t = NULL;
		char fp[VG_PATH_MAX];
		size_t l = strlen(de->d_name);

		if (l < 7 || strcmp(de->d_name + l - 6, ".rules") != 0)
			continue;
		snprintf(fp, sizeof(fp), "/etc/audit/rules.d/%s", de->d_name);
		if (read_rooted(h, fp, VG_HOST_CONFIG_MAX, &t, NULL) >= 0)
			r = audit_paths_from(h, t, paths);
	}
	closedir(d);
	return r;
}

static int collect_files(struct vg_host *h)
{
	static const struct {
		const char *key, *path;
	} fixed[] = {
		{"etc-docker", "/etc/docker"},
		{"docker.sock", "/var/run/docker.sock"},
		{"containerd.sock", "/run/containerd/containerd.sock"},
		{"etc-default-docker", "/etc/default/docker"},
		{"etc-sysconfig-docker", "/etc/sysconfig/docker"},
		{"dockerd", "/usr/bin/dockerd"},
		{"run-containerd", "/run/containerd"},
		{"containerd-config", "/etc/containerd/config.toml"},
		{"containerd", "/usr/bin/containerd"},
		{"containerd-shim", "/usr/bin/containerd-shim"},
		{"containerd-shim-runc-v1", "/usr/bin/containerd-shim-runc-v1"},
		{"containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2"},
		{"runc", "/usr/bin/runc"},
	};
	const char *dr = vg_host_opt_last(h, "data-root");
	const char *v[VG_HOST_HOSTS_MAX];
	size_t n;
	int r;

	for (size_t i = 0; i < VG_ARRAY_SIZE(fixed); i++) {
		r = add_file(h, fixed[i].key, fixed[i].path);
		if (r < 0)
			return r;
	}
	r = add_file(h, "data-root", dr ? dr : "/var/lib/docker");
	if (r >= 0)
		r = add_file(h, "daemon.json",
			     h->daemon_json ? h->daemon_json : "/etc/docker/daemon.json");
	if (r >= 0 && h->service_unit)
		r = add_file(h, "docker.service", h->service_unit);
	if (r >= 0 && h->socket_unit)
		r = add_file(h, "docker.socket", h->socket_unit);
	if (r >= 0)
		r = add_file(h, "tlscacert", vg_host_opt_last(h, "tlscacert"));
	if (r >= 0)
		r = add_file(h, "tlscert", vg_host_opt_last(h, "tlscert"));
	if (r >= 0)
		r = add_file(h, "tlskey", vg_host_opt_last(h, "tlskey"));
	if (r < 0)
		return r;
	/* every unix socket the daemon serves */
	n = vg_host_opt_values(h, "hosts", v, VG_HOST_HOSTS_MAX);
	for (size_t i = 0; i < n && i < VG_HOST_HOSTS_MAX; i++)
		if (!strncmp(v[i], "unix://", 7) && v[i][7]) {
			r = add_file(h, "docker.sock", v[i] + 7);
			if (r < 0)
				return r;
		}
	/* certs.d/ * / *.crt */
	{
		char *dp = rooted(h, "/etc/docker/certs.d");
		DIR *d;
		struct dirent *de;

		if (!dp)
			return -ENOMEM;
		d = opendir(dp);
		while (d && (de = readdir(d)) && r >= 0) {
			char sub[VG_PATH_MAX];
			char *sp;
			DIR *d2;
			struct dirent *e2;

			if (de->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "/etc/docker/certs.d/%s", de->d_name);
			sp = rooted(h, sub);
			if (!sp) {
				r = -ENOMEM;
				break;
			}
			d2 = opendir(sp);
			while (d2 && (e2 = readdir(d2)) && r >= 0) {
				size_t l = strlen(e2->d_name);
				char fp[VG_PATH_MAX + 256];

				if (l < 5 || strcmp(e2->d_name + l - 4, ".crt") != 0)
					continue;
				snprintf(fp, sizeof(fp), "%s/%s", sub, e2->d_name);
				r = add_file(h, "certs.d", fp);
			}
			if (d2)
				closedir(d2);
		}
		if (d)
			closedir(d);
	}
	return r;
}

static int mark_audit_watched(struct vg_host *h)
{
	struct vg_vec paths;
	int r;

	vg_vec_init(&paths, sizeof(const char *), VG_HOST_OPTS_MAX);
	r = read_audit_rules(h, &paths);
	vg_vec_for_each(struct vg_host_file, f, &h->files) {
		vg_vec_for_each(const char *const, p, &paths) {
			size_t l = strlen(*p);

			/* a watch on a directory covers what is below it */
			if (!strcmp(*p, f->path) ||
			    (l > 1 && !strncmp(*p, f->path, l) && f->path[l] == '/'))
				f->audit_watched = true;
		}
	}
	vg_vec_done(&paths);
	return r;
}

static int data_root_mount(struct vg_host *h)
{
	cleanup_free char *text = NULL;
	struct vg_iso_mount *m = NULL;
	size_t n = 0;
	const char *dr = vg_host_opt_last(h, "data-root");
	int r;

	if (!dr)
		dr = "/var/lib/docker";
	r = read_rooted(h, "/proc/1/mountinfo", VG_ISO_MOUNTINFO_MAX, &text, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;
	if (vg_iso_parse_mountinfo(text, &h->arena, &m, &n) < 0)
		return 0;
	h->data_root_mounted = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(m[i].mount_point);

		if (l <= 1)
			continue;
		if (!strncmp(dr, m[i].mount_point, l) && (dr[l] == '\0' || dr[l] == '/'))
			h->data_root_mounted = 1;
	}
	return 0;
}

static void api_facts(struct vg_host *h, const struct vg_host_opts *o)
{
	cleanup_free char *body = NULL;
	size_t blen;
	int status;
	const char *sock = o->api_socket;
	const char *v[VG_HOST_HOSTS_MAX];
	size_t n = vg_host_opt_values(h, "hosts", v, VG_HOST_HOSTS_MAX);

	for (size_t i = 0; !sock && i < n && i < VG_HOST_HOSTS_MAX; i++)
		if (!strncmp(v[i], "unix://", 7) && v[i][7])
			sock = v[i] + 7;
	if (!sock)
		sock = "/var/run/docker.sock";
	if (vg_http_unix_get(sock, "/version", o->timeout_ms, VG_HOST_CONFIG_MAX, &status, &body,
			     &blen) < 0 ||
	    status != 200)
		return;
	h->api_socket = vg_arena_strdup(&h->arena, sock);
	if (vg_host_parse_version_json(h, body, blen) < 0)
		h->engine_version = NULL; /* a reply that is not JSON tells nothing */
	free(body);
	body = NULL;
	if (vg_http_unix_get(sock, "/info", o->timeout_ms, VG_HTTP_REPLY_MAX, &status, &body,
			     &blen) >= 0 &&
	    status == 200) {
		cleanup_json json_t *root = NULL;

		if (vg_json_parse(body, blen, &root, NULL, 0) >= 0) {
			const char *st =
				vg_json_get_str(vg_json_get_obj(root, "Swarm"), "LocalNodeState");

			h->swarm_active = st && !strcmp(st, "active");
		}
	}
}

/* NAME=VALUE of a shell-style environment file (/etc/default/docker), arena string. */
static const char *env_file_value(struct vg_host *h, const char *file, const char *name, size_t nl)
{
	cleanup_free char *buf = NULL;
	const char *v = NULL;
	char *save = NULL;

	if (read_rooted(h, file, VG_HOST_CONFIG_MAX, &buf, NULL) < 0)
		return NULL;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t n;

		while (*l == ' ' || *l == '\t')
			l++;
		if (!strncmp(l, "export ", 7))
			l += 7;
		if (strncmp(l, name, nl) != 0 || l[nl] != '=')
			continue;
		l += nl + 1;
		n = strlen(l);
		while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
			n--;
		if (n >= 2 && (l[0] == '"' || l[0] == '\'') && l[n - 1] == l[0])
			l++, n -= 2;
		v = vg_arena_strndup(&h->arena, l, n); /* the last assignment wins */
	}
	return v;
}

/*
 * $NAME and ${NAME} of an ExecStart line, from the environment files the Debian and Red Hat
 * packages point docker.service at (/etc/default/docker DOCKER_OPTS, /etc/sysconfig/docker
 * OPTIONS); unknown variables expand to nothing, as systemd does. Arena string.
 */
static const char *expand_exec(struct vg_host *h, const char *exec)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(VG_HOST_CONFIG_MAX);
	const char *p = exec, *ret = NULL;
	int r = 0;

	while (*p && r >= 0) {
		const char *name, *v;
		size_t nl;
		bool brace;

		if (*p != '$' || !(p[1] == '{' || p[1] == '_' || (p[1] >= 'A' && p[1] <= 'Z') ||
				   (p[1] >= 'a' && p[1] <= 'z'))) {
			r = vg_strbuf_putc(&sb, *p++);
			continue;
		}
		brace = p[1] == '{';
		name = p + 1 + brace;
		nl = strspn(name,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (brace && name[nl] != '}') {
			r = vg_strbuf_putc(&sb, *p++);
			continue;
		}
		v = env_file_value(h, "/etc/default/docker", name, nl);
		if (!v)
			v = env_file_value(h, "/etc/sysconfig/docker", name, nl);
		if (v)
			r = vg_strbuf_puts(&sb, v);
		p = name + nl + brace;
	}
	if (r >= 0)
		ret = vg_arena_strdup(&h->arena, vg_strbuf_str(&sb));
	vg_strbuf_done(&sb);
	return ret;
}

/* The value of NAME in dockerd's environment (arena string), NULL when unset. */
static const char *daemon_env(struct vg_host *h, const char *name)
{
	cleanup_free char *env = NULL;
	char path[64];
	size_t len, nl = strlen(name);

	snprintf(path, sizeof(path), "/proc/%u/environ", h->dockerd_pid);
	if (read_rooted(h, path, VG_HOST_CMDLINE_MAX, &env, &len) < 0)
		return NULL;
	for (size_t off = 0; off < len;) {
		const char *e = env + off;
		size_t l = strnlen(e, len - off);

		if (l > nl && !strncmp(e, name, nl) && e[nl] == '=')
			return vg_arena_strndup(&h->arena, e + nl + 1, l - nl - 1);
		off += l + 1;
	}
	return NULL;
}

/* daemon.json without --config-file: /etc/docker/daemon.json, or for a rootless daemon
 * $XDG_CONFIG_HOME/docker/daemon.json ($HOME/.config/docker/daemon.json) of its user. */
static const char *rootless_config(struct vg_host *h)
{
	const char *xdg, *home;
	char buf[VG_PATH_MAX];

	if (!h->dockerd_pid || (h->dockerd_uid == 0 && !vg_host_opt_bool(h, "rootless", false)))
		return "/etc/docker/daemon.json";
	xdg = daemon_env(h, "XDG_CONFIG_HOME");
	home = daemon_env(h, "HOME");
	if (xdg && xdg[0] == '/')
		snprintf(buf, sizeof(buf), "%s/docker/daemon.json", xdg);
	else if (home && home[0] == '/')
		snprintf(buf, sizeof(buf), "%s/.config/docker/daemon.json", home);
	else
		return "/etc/docker/daemon.json";
	return vg_arena_strdup(&h->arena, buf);
}

int vg_host_collect(struct vg_host *h, const struct vg_host_opts *o)
{
	struct vg_host_opts dflt = {0};
	const char *exec = NULL, *cfg;
	int r;

	if (!o)
		o = &dflt;
	h->root = o->root ? vg_arena_strdup(&h->arena, o->root) : "";
	if (!h->root)
		return -ENOMEM;
	r = find_dockerd(h, o);
	if (r < 0)
		return r;
	r = read_unit(h, "docker.service", &h->service_unit, &exec);
	if (r < 0)
		return r;
	if (!h->dockerd_pid && exec) {
		char *words;
		size_t wl;

		exec = expand_exec(h, exec);
		if (!exec)
			return -ENOMEM;

		r = vg_host_split_exec(h, exec, &words, &wl);
		if (r < 0)
			return r;
		r = vg_host_parse_cmdline(h, words, wl, VG_HOST_FROM_UNIT);
		if (r < 0)
			return r;
	}
	{
		const char *ignored = NULL;

		r = read_unit(h, "docker.socket", &h->socket_unit, &ignored);
		if (r < 0)
			return r;
	}
	/* socket activation: ListenStream addresses are served by the daemon too */
	{
		const char *v[VG_HOST_HOSTS_MAX];
		size_t n = vg_host_opt_values(h, "listen-stream", v, VG_HOST_HOSTS_MAX);

		for (size_t i = 0; i < n && i < VG_HOST_HOSTS_MAX; i++) {
			char buf[VG_PATH_MAX + 16];

			/* systemd.socket: a path or @abstract name is a unix socket, a bare port
			 * listens on every address */
			if (v[i][0] == '/' || v[i][0] == '@')
				snprintf(buf, sizeof(buf), "unix://%s", v[i]);
			else if (strspn(v[i], "0123456789") == strlen(v[i]))
				snprintf(buf, sizeof(buf), "tcp://[::]:%s", v[i]);
			else
				snprintf(buf, sizeof(buf), "tcp://%s", v[i]);
			r = add_opt(h, "hosts", buf, VG_HOST_FROM_SOCKET_UNIT);
			if (r < 0)
				return r;
		}
	}
	cfg = vg_host_opt_last(h, "config-file");
	if (!cfg)
		cfg = rootless_config(h);
	if (!cfg)
		return -ENOMEM;
	{
		cleanup_free char *buf = NULL;
		size_t len;
		char err[512] = "";

		r = read_rooted(h, cfg, VG_HOST_CONFIG_MAX, &buf, &len);
		if (r == -ENOMEM)
			return r;
		if (r >= 0 || r == -E2BIG) {
			h->daemon_json = vg_arena_strdup(&h->arena, cfg);
			if (!h->daemon_json)
				return -ENOMEM;
			if (r >= 0)
				r = vg_host_parse_daemon_json(h, buf, len, err, sizeof(err));
			if (r == -ENOMEM)
				return r;
			if (r < 0) {
				h->daemon_json_error =
					vg_arena_strdup(&h->arena, err[0] ? err : "file too large");
				if (!h->daemon_json_error)
					return -ENOMEM;
			}
		}
	}
	r = collect_files(h);
	if (r < 0)
		return r;
	r = mark_audit_watched(h);
	if (r < 0)
		return r;
	r = read_docker_group(h);
	if (r < 0)
		return r;
	r = data_root_mount(h);
	if (r < 0)
		return r;
	{
		cleanup_free char *aa = NULL;

		if (read_rooted(h, "/sys/module/apparmor/parameters/enabled", 64, &aa, NULL) >= 0)
			h->apparmor_enabled = aa[0] == 'Y';
	}
	{
		struct vg_host_opts oo = *o;

		if (oo.timeout_ms <= 0)
			oo.timeout_ms = 2000;
		r = collect_listeners(h, &oo);
		if (r < 0)
			return r;
		if (oo.use_api)
			api_facts(h, &oo);
		if (oo.run_binaries) {
			if (!h->engine_version) {
				h->engine_version = binary_version(h, "dockerd", oo.timeout_ms);
				if (h->engine_version)
					h->engine_version_from = "binary";
			}
			if (!h->runc_version)
				h->runc_version = binary_version(h, "runc", oo.timeout_ms);
			if (!h->containerd_version)
				h->containerd_version =
					binary_version(h, "containerd", oo.timeout_ms);
		}
	}
	return vg_arena_error(&h->arena);
}
