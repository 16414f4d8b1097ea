/* SPDX-License-Identifier: Apache-2.0 */
/* Kubernetes manifests into PodSpec objects (see k8s.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/k8s.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "shared/yaml.h"

struct pctx {
	struct vg_k8s_set *s;
	const char *file; /* in s->arena */
	char *err;
	size_t errsize;
	int r; /* first error */
	unsigned doc;
	struct vg_vec pods; /* struct vg_k8s_pod *, this file's */
	size_t n_objects;
	size_t n_docs;
};

VG_PRINTF(4, 5)
static int fail(struct pctx *x, const struct vg_yaml_node *n, int r, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (x->r)
		return x->r;
	x->r = r;
	if (!x->err || !x->errsize)
		return r;
	k = snprintf(x->err, x->errsize, "%s:%u:%u: ", x->file, n ? n->line : 1, n ? n->column : 1);
	if (k < 0 || (size_t)k >= x->errsize)
		return r;
	va_start(ap, fmt);
	vsnprintf(x->err + k, x->errsize - (size_t)k, fmt, ap);
	va_end(ap);
	return r;
}

static int oom(struct pctx *x)
{
	int r = vg_arena_error(&x->s->arena);

	return fail(x, NULL, r ? r : -ENOMEM, "%s",
		    r == -E2BIG ? "manifests exceed the memory limit" : "out of memory");
}

static const char *dup_text(struct pctx *x, const struct vg_yaml_node *n)
{
	char *p = vg_arena_strndup(&x->s->arena, n->text, n->len);

	if (!p)
		oom(x);
	return p;
}

static bool key_is(const struct vg_yaml_node *k, const char *key)
{
	size_t n = strlen(key);

	return k && k->kind == VG_YAML_SCALAR && k->len == n && memcmp(k->text, key, n) == 0;
}

/* The value of key in map, NULL when absent or null; a duplicate key is an error (the API
 * server's decoders disagree on which one wins). */
static const struct vg_yaml_node *get(struct pctx *x, const struct vg_yaml_node *map,
				      const char *key)
{
	const struct vg_yaml_node *v = NULL;
	bool found = false;

	if (x->r || !map || map->kind != VG_YAML_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		if (!key_is(map->pairs[i].key, key))
			continue;
		if (found) {
			fail(x, map->pairs[i].key, -EBADMSG, "duplicate key '%s'", key);
			return NULL;
		}
		found = true;
		v = map->pairs[i].value;
	}
	if (vg_yaml_is_null(v))
		return NULL;
	return v;
}

static const struct vg_yaml_node *get_kind(struct pctx *x, const struct vg_yaml_node *map,
					   const char *key, enum vg_yaml_kind kind)
{
	const struct vg_yaml_node *v = get(x, map, key);

	if (!v || v->kind == kind)
		return v;
	fail(x, v, -EBADMSG, "'%s' must be a %s, found a %s", key, vg_yaml_kind_name(kind),
	     vg_yaml_kind_name(v->kind));
	return NULL;
}

static const struct vg_yaml_node *get_map(struct pctx *x, const struct vg_yaml_node *map,
					  const char *key)
{
	return get_kind(x, map, key, VG_YAML_MAP);
}

static const struct vg_yaml_node *get_seq(struct pctx *x, const struct vg_yaml_node *map,
					  const char *key)
{
	const struct vg_yaml_node *v = get_kind(x, map, key, VG_YAML_SEQ);

	if (v && v->n > VG_K8S_ITEMS_MAX) {
		fail(x, v, -E2BIG, "'%s' has %zu items, more than %d", key, v->n, VG_K8S_ITEMS_MAX);
		return NULL;
	}
	return v;
}

static const char *scalar_str(struct pctx *x, const struct vg_yaml_node *v, const char *what)
{
	if (!v)
		return NULL;
	if (v->kind != VG_YAML_SCALAR) {
		fail(x, v, -EBADMSG, "'%s' must be a string, found a %s", what,
		     vg_yaml_kind_name(v->kind));
		return NULL;
	}
	return dup_text(x, v);
}

static const char *get_str(struct pctx *x, const struct vg_yaml_node *map, const char *key)
{
	return scalar_str(x, get(x, map, key), key);
}

static bool text_in(const struct vg_yaml_node *v, const char *const *words)
{
	for (; *words; words++)
		if (v->len == strlen(*words) && memcmp(v->text, *words, v->len) == 0)
			return true;
	return false;
}

/* YAML 1.1 booleans, as the API server's YAML decoder resolves them. */
static void get_bool(struct pctx *x, const struct vg_yaml_node *map, const char *key, int8_t *ret)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
					  "on",	  "On",	  "ON",	  "y",	 "Y",	NULL};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO",
					 "off",	  "Off",   "OFF",   "n",  "N",	NULL};
	const struct vg_yaml_node *v = get(x, map, key);

	*ret = VG_K8S_UNSET;
	if (!v)
		return;
	if (v->kind == VG_YAML_SCALAR && v->style == VG_YAML_PLAIN) {
		if (text_in(v, yes)) {
			*ret = VG_K8S_TRUE;
			return;
		}
		if (text_in(v, no)) {
			*ret = VG_K8S_FALSE;
			return;
		}
	}
	fail(x, v, -EBADMSG, "'%s' must be a boolean, found '%.*s'", key,
	     v->kind == VG_YAML_SCALAR ? (int)VG_MIN(v->len, 64) : 0,
	     v->kind == VG_YAML_SCALAR ? v->text : "");
}

/* YAML 1.1 integers: decimal, 0x hex, 0o or leading-0 octal, '_' separators. */
static bool parse_int(const struct vg_yaml_node *v, int64_t *ret)
{
	char buf[72], *end;
	size_t k = 0;
	const char *p = v->text;
	int base = 10;
	bool neg = false;
	unsigned long long u;

	if (v->kind != VG_YAML_SCALAR || v->style != VG_YAML_PLAIN || !v->len || v->len > 64)
		return false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && p[1] == 'o')
		base = 8, p += 2;
	else if (p[0] == '0' && p[1])
		base = 8, p += 1;
	for (; *p; p++)
		if (*p != '_')
			buf[k++] = *p;
	buf[k] = '\0';
	if (!k || buf[0] == '-' || buf[0] == '+')
		return false;
	errno = 0;
	u = strtoull(buf, &end, base);
	if (errno || *end || u > (neg ? (unsigned long long)INT64_MAX + 1 : INT64_MAX))
		return false;
	*ret = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

static void get_int(struct pctx *x, const struct vg_yaml_node *map, const char *key, bool *has,
		    int64_t *ret)
{
	const struct vg_yaml_node *v = get(x, map, key);

	*has = false;
	if (!v)
		return;
	if (parse_int(v, ret)) {
		*has = true;
		return;
	}
	fail(x, v, -EBADMSG, "'%s' must be an integer, found '%.*s'", key,
	     v->kind == VG_YAML_SCALAR ? (int)VG_MIN(v->len, 64) : 0,
	     v->kind == VG_YAML_SCALAR ? v->text : "");
}

/* A sequence of strings (capabilities). */
static const char **get_strs(struct pctx *x, const struct vg_yaml_node *map, const char *key,
			     size_t *ret_n)
{
	const struct vg_yaml_node *seq = get_seq(x, map, key);
	const char **out;

	*ret_n = 0;
	if (!seq || !seq->n)
		return NULL;
	out = vg_arena_calloc(&x->s->arena, seq->n, sizeof(*out));
	if (!out) {
		oom(x);
		return NULL;
	}
	for (size_t i = 0; i < seq->n && !x->r; i++) {
		if (vg_yaml_is_null(seq->items[i]))
			continue;
		out[*ret_n] = scalar_str(x, seq->items[i], key);
		if (out[*ret_n])
			(*ret_n)++;
	}
	return out;
}

/* A mapping of strings (annotations, labels). */
static struct vg_k8s_kv *get_kvs(struct pctx *x, const struct vg_yaml_node *map, const char *key,
				 size_t *ret_n)
{
	const struct vg_yaml_node *m = get_map(x, map, key);
	struct vg_k8s_kv *out;

	*ret_n = 0;
	if (!m || !m->n)
		return NULL;
	if (m->n > VG_K8S_ITEMS_MAX) {
		fail(x, m, -E2BIG, "'%s' has %zu entries, more than %d", key, m->n,
		     VG_K8S_ITEMS_MAX);
		return NULL;
	}
	out = vg_arena_calloc(&x->s->arena, m->n, sizeof(*out));
	if (!out) {
		oom(x);
		return NULL;
	}
	for (size_t i = 0; i < m->n && !x->r; i++) {
		const struct vg_yaml_node *k = m->pairs[i].key, *v = m->pairs[i].value;

		if (!k || k->kind != VG_YAML_SCALAR) {
			fail(x, k ? k : m, -EBADMSG, "keys of '%s' must be strings", key);
			return NULL;
		}
		for (size_t j = 0; j < i; j++)
			if (m->pairs[j].key->len == k->len &&
			    memcmp(m->pairs[j].key->text, k->text, k->len) == 0) {
				fail(x, k, -EBADMSG, "duplicate key '%.*s' in '%s'",
				     (int)VG_MIN(k->len, 128), k->text, key);
				return NULL;
			}
		out[*ret_n].key = dup_text(x, k);
		out[*ret_n].value = vg_yaml_is_null(v) ? "" : scalar_str(x, v, key);
		if (out[*ret_n].key && out[*ret_n].value)
			(*ret_n)++;
	}
	return out;
}

static const char *kv_get(const struct vg_k8s_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

/* The securityContext fields a pod and a container share. */
static void parse_secctx(struct pctx *x, const struct vg_yaml_node *sc, struct vg_k8s_secctx *o)
{
	const struct vg_yaml_node *m;

	get_bool(x, sc, "runAsNonRoot", &o->run_as_non_root);
	get_int(x, sc, "runAsUser", &o->has_run_as_user, &o->run_as_user);
	get_int(x, sc, "runAsGroup", &o->has_run_as_group, &o->run_as_group);
	m = get_map(x, sc, "seccompProfile");
	if (m) {
		o->seccomp_type = get_str(x, m, "type");
		o->seccomp_localhost = get_str(x, m, "localhostProfile");
		if (!o->seccomp_type && !x->r)
			o->seccomp_type = ""; /* set, with an empty (invalid) type */
	}
	m = get_map(x, sc, "appArmorProfile");
	if (m) {
		o->apparmor_type = get_str(x, m, "type");
		o->apparmor_localhost = get_str(x, m, "localhostProfile");
		if (!o->apparmor_type && !x->r)
			o->apparmor_type = "";
	}
	m = get_map(x, sc, "seLinuxOptions");
	if (m) {
		o->has_selinux = true;
		o->selinux_user = get_str(x, m, "user");
		o->selinux_role = get_str(x, m, "role");
		o->selinux_type = get_str(x, m, "type");
		o->selinux_level = get_str(x, m, "level");
	}
	m = get_map(x, sc, "windowsOptions");
	get_bool(x, m, "hostProcess", &o->host_process);
}

/* The AppArmor beta annotation value as a profile type. */
static void apparmor_from_annotation(struct pctx *x, const char *v, struct vg_k8s_secctx *o)
{
	if (!v || !*v)
		return;
	if (strcmp(v, "runtime/default") == 0) {
		o->apparmor_type = "RuntimeDefault";
	} else if (strncmp(v, "localhost/", 10) == 0) {
		o->apparmor_type = "Localhost";
		o->apparmor_localhost = v + 10;
	} else if (strcmp(v, "unconfined") == 0) {
		o->apparmor_type = "Unconfined";
	} else {
		o->apparmor_type = v; /* not a valid value: kept as written, never allowed */
	}
	(void)x;
}

static void merge_secctx(const struct vg_k8s_secctx *pod, struct vg_k8s_container *c)
{
	struct vg_k8s_secctx *e = &c->eff;

	*e = c->own;
	if (e->run_as_non_root == VG_K8S_UNSET)
		e->run_as_non_root = pod->run_as_non_root;
	if (!e->has_run_as_user) {
		e->has_run_as_user = pod->has_run_as_user;
		e->run_as_user = pod->run_as_user;
	}
	if (!e->has_run_as_group) {
		e->has_run_as_group = pod->has_run_as_group;
		e->run_as_group = pod->run_as_group;
	}
	if (!e->seccomp_type) {
		e->seccomp_type = pod->seccomp_type;
		e->seccomp_localhost = pod->seccomp_localhost;
	}
	if (!e->apparmor_type) {
		e->apparmor_type = pod->apparmor_type;
		e->apparmor_localhost = pod->apparmor_localhost;
	}
	if (!e->has_selinux) {
		e->has_selinux = pod->has_selinux;
		e->selinux_user = pod->selinux_user;
		e->selinux_role = pod->selinux_role;
		e->selinux_type = pod->selinux_type;
		e->selinux_level = pod->selinux_level;
	}
	if (e->host_process == VG_K8S_UNSET)
		e->host_process = pod->host_process;
}

static void probe_hosts(struct pctx *x, const struct vg_yaml_node *handler, const char **out,
			size_t *n)
{
	static const char *const kinds[] = {"httpGet", "tcpSocket"};

	for (size_t i = 0; i < VG_ARRAY_SIZE(kinds) && !x->r; i++) {
		const char *h = get_str(x, get_map(x, handler, kinds[i]), "host");

		if (h && *h)
			out[(*n)++] = h;
	}
}

static int parse_container(struct pctx *x, const struct vg_yaml_node *cn, enum vg_k8s_ctr_kind kind,
			   struct vg_k8s_pod *pod, struct vg_k8s_container *c)
{
	static const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
	const struct vg_yaml_node *sc, *caps, *ports, *lc;
	char key[512];
	size_t nh = 0;

	if (cn->kind != VG_YAML_MAP)
		return fail(x, cn, -EBADMSG, "a container must be a mapping, found a %s",
			    vg_yaml_kind_name(cn->kind));
	c->pod = pod;
	c->kind = kind;
	c->line = cn->line;
	c->column = cn->column;
	c->name = get_str(x, cn, "name");
	if (!c->name)
		c->name = "";
	c->image = get_str(x, cn, "image");
	sc = get_map(x, cn, "securityContext");
	parse_secctx(x, sc, &c->own);
	get_bool(x, sc, "privileged", &c->privileged);
	get_bool(x, sc, "allowPrivilegeEscalation", &c->allow_privilege_escalation);
	get_bool(x, sc, "readOnlyRootFilesystem", &c->read_only_root_filesystem);
	c->proc_mount = get_str(x, sc, "procMount");
	caps = get_map(x, sc, "capabilities");
	c->has_capabilities = caps != NULL;
	c->cap_add = get_strs(x, caps, "add", &c->n_cap_add);
	c->cap_drop = get_strs(x, caps, "drop", &c->n_cap_drop);

	ports = get_seq(x, cn, "ports");
	if (ports && ports->n) {
		c->host_ports = vg_arena_calloc(&x->s->arena, ports->n, sizeof(*c->host_ports));
		if (!c->host_ports)
			return oom(x);
		for (size_t i = 0; i < ports->n && !x->r; i++) {
			bool has;
			int64_t v;

			if (ports->items[i]->kind != VG_YAML_MAP)
				return fail(x, ports->items[i], -EBADMSG,
					    "items of 'ports' must be mappings");
			get_int(x, ports->items[i], "hostPort", &has, &v);
			if (has)
				c->host_ports[c->n_host_ports++] = v;
		}
	}

	c->probe_hosts = vg_arena_calloc(&x->s->arena, 10, sizeof(*c->probe_hosts));
	if (!c->probe_hosts)
		return oom(x);
	for (size_t i = 0; i < VG_ARRAY_SIZE(probes); i++)
		probe_hosts(x, get_map(x, cn, probes[i]), c->probe_hosts, &nh);
	lc = get_map(x, cn, "lifecycle");
	probe_hosts(x, get_map(x, lc, "postStart"), c->probe_hosts, &nh);
	probe_hosts(x, get_map(x, lc, "preStop"), c->probe_hosts, &nh);
	c->n_probe_hosts = nh;
	if (x->r)
		return x->r;

	snprintf(key, sizeof(key), "container.seccomp.security.alpha.kubernetes.io/%s", c->name);
	c->seccomp_annotation = kv_get(pod->annotations, pod->n_annotations, key);
	snprintf(key, sizeof(key), "container.apparmor.security.beta.kubernetes.io/%s", c->name);
	c->apparmor_annotation = kv_get(pod->annotations, pod->n_annotations, key);
	if (!c->own.apparmor_type)
		apparmor_from_annotation(x, c->apparmor_annotation, &c->own);
	merge_secctx(&pod->sc, c);
	return x->r;
}

static int parse_volumes(struct pctx *x, const struct vg_yaml_node *spec, struct vg_k8s_pod *pod)
{
	const struct vg_yaml_node *vols = get_seq(x, spec, "volumes");

	if (!vols || !vols->n)
		return x->r;
	pod->volumes = vg_arena_calloc(&x->s->arena, vols->n, sizeof(*pod->volumes));
	if (!pod->volumes)
		return oom(x);
	for (size_t i = 0; i < vols->n && !x->r; i++) {
		const struct vg_yaml_node *v = vols->items[i];
		struct vg_k8s_volume *o = &pod->volumes[pod->n_volumes];

		if (vg_yaml_is_null(v))
			continue;
		if (v->kind != VG_YAML_MAP)
			return fail(x, v, -EBADMSG, "a volume must be a mapping, found a %s",
				    vg_yaml_kind_name(v->kind));
		o->name = get_str(x, v, "name");
		for (size_t k = 0; k < v->n && !o->type; k++) {
			const struct vg_yaml_node *key = v->pairs[k].key;

			if (!key || key->kind != VG_YAML_SCALAR || key_is(key, "name"))
				continue;
			if (vg_yaml_is_null(v->pairs[k].value))
				continue;
			o->type = dup_text(x, key);
		}
		/* The API server defaults a volume without a source to emptyDir. */
		if (!o->type)
			o->type = "emptyDir";
		if (strcmp(o->type, "hostPath") == 0) {
			o->host_path = get_str(x, get_map(x, v, "hostPath"), "path");
			if (!o->host_path)
				o->host_path = "";
		}
		pod->n_volumes++;
	}
	return x->r;
}

static int parse_sysctls(struct pctx *x, const struct vg_yaml_node *sc, struct vg_k8s_pod *pod)
{
	const struct vg_yaml_node *seq = get_seq(x, sc, "sysctls");

	if (!seq || !seq->n)
		return x->r;
	pod->sysctls = vg_arena_calloc(&x->s->arena, seq->n, sizeof(*pod->sysctls));
	if (!pod->sysctls)
		return oom(x);
	for (size_t i = 0; i < seq->n && !x->r; i++) {
		const char *n;

		if (seq->items[i]->kind != VG_YAML_MAP)
			return fail(x, seq->items[i], -EBADMSG,
				    "items of 'sysctls' must be mappings");
		n = get_str(x, seq->items[i], "name");
		if (n)
			pod->sysctls[pod->n_sysctls++] = n;
	}
	return x->r;
}

static int parse_pod(struct pctx *x, const struct vg_yaml_node *obj, const char *kind,
		     const struct vg_yaml_node *meta, const struct vg_yaml_node *podmeta,
		     const struct vg_yaml_node *spec, const char *path)
{
	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers"};
	static const enum vg_k8s_ctr_kind kinds[] = {VG_K8S_CTR_INIT, VG_K8S_CTR_REGULAR,
						     VG_K8S_CTR_EPHEMERAL};
	const struct vg_yaml_node *seqs[3], *sc, *os;
	struct vg_k8s_pod *pod;
	size_t total = 0;

	if (x->s->pods.len + x->pods.len >= VG_K8S_PODS_MAX)
		return fail(x, obj, -E2BIG, "more than %d pod specs", VG_K8S_PODS_MAX);
	pod = vg_arena_calloc(&x->s->arena, 1, sizeof(*pod));
	if (!pod)
		return oom(x);
	pod->file = x->file;
	pod->doc = x->doc;
	pod->line = obj->line;
	pod->column = obj->column;
	pod->kind = kind;
	pod->path = path;
	pod->api_version = get_str(x, obj, "apiVersion");
	pod->name = get_str(x, meta, "name");
	if (!pod->name)
		pod->name = get_str(x, meta, "generateName");
	pod->namespace = get_str(x, meta, "namespace");
	pod->annotations = get_kvs(x, podmeta, "annotations", &pod->n_annotations);
	pod->labels = get_kvs(x, podmeta, "labels", &pod->n_labels);

	get_bool(x, spec, "hostNetwork", &pod->host_network);
	get_bool(x, spec, "hostPID", &pod->host_pid);
	get_bool(x, spec, "hostIPC", &pod->host_ipc);
	get_bool(x, spec, "hostUsers", &pod->host_users);
	get_bool(x, spec, "automountServiceAccountToken", &pod->automount_sa_token);
	os = get_map(x, spec, "os");
	pod->os = get_str(x, os, "name");
	pod->service_account = get_str(x, spec, "serviceAccountName");
	if (!pod->service_account)
		pod->service_account = get_str(x, spec, "serviceAccount");
	sc = get_map(x, spec, "securityContext");
	parse_secctx(x, sc, &pod->sc);
	if (parse_sysctls(x, sc, pod) < 0 || parse_volumes(x, spec, pod) < 0)
		return x->r;

	for (size_t k = 0; k < 3; k++) {
		seqs[k] = get_seq(x, spec, lists[k]);
		total += seqs[k] ? seqs[k]->n : 0;
	}
	if (x->r)
		return x->r;
	if (total > VG_K8S_CONTAINERS_MAX)
		return fail(x, obj, -E2BIG, "%zu containers, more than %d", total,
			    VG_K8S_CONTAINERS_MAX);
	if (total) {
		pod->containers = vg_arena_calloc(&x->s->arena, total, sizeof(*pod->containers));
		if (!pod->containers)
			return oom(x);
	}
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; seqs[k] && i < seqs[k]->n && !x->r; i++) {
			if (vg_yaml_is_null(seqs[k]->items[i]))
				continue;
			if (parse_container(x, seqs[k]->items[i], kinds[k], pod,
					    &pod->containers[pod->n_containers]) < 0)
				return x->r;
			pod->n_containers++;
		}
	if (x->r)
		return x->r;
	return vg_vec_push(&x->pods, &pod) < 0 ? oom(x) : 0;
}

static bool is_list_kind(const char *kind)
{
	size_t n = strlen(kind);

	return n >= 4 && strcmp(kind + n - 4, "List") == 0;
}

static int parse_object(struct pctx *x, const struct vg_yaml_node *obj, unsigned depth)
{
	const struct vg_yaml_node *meta, *spec, *tmpl = NULL;
	const char *kind, *path;

	if (!obj || obj->kind != VG_YAML_MAP)
		return 0; /* not a Kubernetes object */
	kind = get_str(x, obj, "kind");
	if (x->r)
		return x->r;
	if (!kind)
		return 0;
	if (is_list_kind(kind)) {
		const struct vg_yaml_node *items = get_seq(x, obj, "items");

		if (depth >= VG_K8S_LIST_DEPTH_MAX)
			return fail(x, obj, -E2BIG, "lists nested more than %d deep",
				    VG_K8S_LIST_DEPTH_MAX);
		for (size_t i = 0; items && i < items->n && !x->r; i++)
			parse_object(x, items->items[i], depth + 1);
		return x->r;
	}
	x->n_objects++;
	meta = get_map(x, obj, "metadata");
	spec = get_map(x, obj, "spec");
	if (strcmp(kind, "Pod") == 0) {
		return parse_pod(x, obj, kind, meta, meta, spec, "spec");
	} else if (strcmp(kind, "PodTemplate") == 0) {
		tmpl = get_map(x, obj, "template");
		path = "template.spec";
	} else if (strcmp(kind, "Deployment") == 0 || strcmp(kind, "DaemonSet") == 0 ||
		   strcmp(kind, "StatefulSet") == 0 || strcmp(kind, "ReplicaSet") == 0 ||
		   strcmp(kind, "ReplicationController") == 0 || strcmp(kind, "Job") == 0) {
		tmpl = get_map(x, spec, "template");
		path = "spec.template.spec";
	} else if (strcmp(kind, "CronJob") == 0) {
		tmpl = get_map(x, get_map(x, get_map(x, spec, "jobTemplate"), "spec"), "template");
		path = "spec.jobTemplate.spec.template.spec";
	} else {
		return x->r;
	}
	if (x->r)
		return x->r;
	return parse_pod(x, obj, kind, meta, get_map(x, tmpl, "metadata"), get_map(x, tmpl, "spec"),
			 path);
}

/* JSON allows tabs between tokens, YAML does not: blank them (same length, same positions). */
static char *json_untab(const char *buf, size_t len)
{
	size_t i = 0;
	bool in_str = false;
	char *out;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i + 3 <= len && (unsigned char)buf[i] == 0xef && (unsigned char)buf[i + 1] == 0xbb &&
	    (unsigned char)buf[i + 2] == 0xbf)
		i += 3;
	if (i >= len || (buf[i] != '{' && buf[i] != '['))
		return NULL;
	if (!memchr(buf, '\t', len))
		return NULL;
	out = malloc(len + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (in_str) {
			if (c == '\\' && i + 1 < len)
				out[i++] = c, c = buf[i];
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '\t') {
			c = ' ';
		}
		out[i] = c;
	}
	out[len] = '\0';
	return out;
}

int vg_k8s_parse(struct vg_k8s_set *s, const char *buf, size_t len, const char *name, char *err,
		 size_t errsize)
{
	cleanup_yaml_stream struct vg_yaml_stream *ys = NULL;
	cleanup_free char *untabbed = NULL;
	struct pctx x = {
		.s = s,
		.err = err,
		.errsize = errsize,
		.pods = VG_VEC_INIT(struct vg_k8s_pod *, VG_K8S_PODS_MAX),
	};
	struct vg_k8s_file *f;
	int r;

	if (err && errsize)
		err[0] = '\0';
	if (!name)
		name = "<input>";
	x.file = vg_arena_strdup(&s->arena, name);
	if (!x.file)
		return -ENOMEM;
	if (s->files.len >= VG_K8S_FILES_MAX) {
		r = fail(&x, NULL, -E2BIG, "more than %d files", VG_K8S_FILES_MAX);
		goto out;
	}
	if (len > VG_K8S_FILE_MAX) {
		r = fail(&x, NULL, -E2BIG, "file larger than %d bytes", VG_K8S_FILE_MAX);
		goto out;
	}
	untabbed = json_untab(buf, len);
	r = vg_yaml_parse(untabbed ? untabbed : buf, len, name, &ys, err, errsize);
	if (r < 0) {
		x.r = r;
		goto out;
	}
	for (size_t d = 0; d < ys->n_docs && !x.r; d++) {
		x.doc = (unsigned)d + 1;
		if (!vg_yaml_is_null(ys->docs[d]))
			x.n_docs++;
		parse_object(&x, ys->docs[d], 0);
	}
	r = x.r;
	if (r < 0)
		goto out;
	r = vg_vec_push_zero(&s->files, (void **)&f);
	if (r < 0)
		goto out;
	f->path = x.file;
	f->n_docs = x.n_docs;
	f->n_objects = x.n_objects;
	f->first_pod = s->pods.len;
	f->n_pods = x.pods.len;
	r = vg_vec_reserve(&s->pods, x.pods.len);
	if (r < 0) {
		s->files.len--;
		goto out;
	}
	for (size_t i = 0; i < x.pods.len && r >= 0; i++)
		r = vg_vec_push(&s->pods, vg_vec_at(&x.pods, i)); /* reserved: cannot fail */
out:
	vg_vec_done(&x.pods);
	return r;
}

int vg_k8s_parse_file(struct vg_k8s_set *s, const char *path, char *err, size_t errsize)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int r;

	r = vg_read_file(path, VG_K8S_FILE_MAX, &buf, &len);
	if (r < 0) {
		if (err && errsize)
			snprintf(err, errsize, "%s: %s", path,
				 r == -E2BIG ? "file larger than the manifest limit"
					     : strerror(-r));
		return r;
	}
	return vg_k8s_parse(s, buf, len, path, err, errsize);
}

void vg_k8s_set_init(struct vg_k8s_set *s)
{
	vg_arena_init(&s->arena, VG_K8S_ARENA_MAX);
	vg_vec_init(&s->pods, sizeof(struct vg_k8s_pod *), VG_K8S_PODS_MAX);
	vg_vec_init(&s->files, sizeof(struct vg_k8s_file), VG_K8S_FILES_MAX);
}

void vg_k8s_set_done(struct vg_k8s_set *s)
{
	vg_vec_done(&s->pods);
	vg_vec_done(&s->files);
	vg_arena_done(&s->arena);
}

const char *vg_k8s_ctr_kind_name(enum vg_k8s_ctr_kind k)
{
	switch (k) {
	case VG_K8S_CTR_INIT:
		return "initContainer";
	case VG_K8S_CTR_EPHEMERAL:
		return "ephemeralContainer";
	default:
		return "container";
	}
}
