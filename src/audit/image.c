/* SPDX-License-Identifier: Apache-2.0 */
/* Image facts for the image rule source: config, history and one walk of the layers. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/image.h"
#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/vec.h"
#include "image/source.h"
#include "secrets/target.h"

void vg_image_facts_init(struct vg_image_facts *f)
{
	memset(f, 0, sizeof(*f));
	vg_arena_init(&f->arena, VG_IMAGE_AUDIT_ARENA_MAX);
	vg_hashmap_init(&f->once, VG_HASHMAP_STRING_COPY, 0, NULL);
}

void vg_image_facts_done(struct vg_image_facts *f)
{
	json_decref(f->config);
	vg_hashmap_done(&f->once);
	vg_arena_done(&f->arena);
}

/* Appends s (copied) to l, growing the array in the arena by doubling. */
static int list_add(struct vg_arena *a, struct vg_image_list *l, const char *s, size_t len)
{
	const char *d;

	if (l->n >= VG_IMAGE_AUDIT_ITEMS_MAX)
		return 0; /* the list is a report: past the bound the rest is left out */
	if ((l->n & (l->n - 1)) == 0) { /* 0, 1, 2, 4, ...: full */
		size_t cap = l->n ? l->n * 2 : 1;
		const char **v = vg_arena_alloc(a, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
	}
	d = vg_arena_strndup(a, s, len);
	if (!d)
		return -ENOMEM;
	l->v[l->n++] = d;
	return 0;
}

static int list_add_str(struct vg_arena *a, struct vg_image_list *l, const char *s)
{
	return list_add(a, l, s, strlen(s));
}

/* Marks key (len bytes, tagged with tag so one map serves several sets) as seen in m; returns
 * 1 when it was new, 0 when seen before, -ENOMEM. */
static int seen_add(struct vg_hashmap *m, const void *tag, const char *key, size_t len)
{
	char small[256], *k = small;
	size_t need = 2 * sizeof(void *) + 2 + len + 1;
	int r;

	if (need > sizeof(small)) {
		k = malloc(need);
		if (!k)
			return -ENOMEM;
	}
	snprintf(k, need, "%0*lx:%.*s", (int)(2 * sizeof(void *)), (unsigned long)(uintptr_t)tag,
		 (int)len, key);
	if (vg_hashmap_get_str(m, k)) {
		r = 0;
	} else {
		r = vg_hashmap_put_str(m, k, (void *)1);
		r = r < 0 ? r : 1;
	}
	if (k != small)
		free(k);
	return r;
}

/* Appends s to l unless it is there already (f->once remembers). */
static int list_add_once(struct vg_image_facts *f, struct vg_image_list *l, const char *s,
			 size_t len)
{
	int r = seen_add(&f->once, l, s, len);

	return r <= 0 ? r : list_add(&f->arena, l, s, len);
}

/* ---- config ---------------------------------------------------------------------------- */

static int str_array(struct vg_arena *a, json_t *arr, struct vg_image_list *l)
{
	size_t i;
	json_t *v;
	int r = 0;

	if (!json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v))
			r = list_add(a, l, json_string_value(v), json_string_length(v));
		if (r < 0)
			return r;
	}
	return 0;
}

static int obj_keys(struct vg_arena *a, json_t *obj, struct vg_image_list *l)
{
	const char *k;
	json_t *v;
	int r;

	if (!json_is_object(obj))
		return 0;
	json_object_foreach(obj, k, v)
	{
		r = list_add_str(a, l, k);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"ADD",	  "ARG",	 "CMD",	  "COPY",	"ENTRYPOINT", "ENV",
		"EXPOSE", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",    "RUN",
		"SHELL",  "STOPSIGNAL",	 "USER",  "VOLUME",	"WORKDIR",    NULL};

	for (const char *const *k = kw; *k; k++)
		if (strlen(*k) == n && memcmp(*k, s, n) == 0)
			return true;
	return false;
}

/* "|2 A=1 B=2 rest": the build-arg prefix of classic and BuildKit history lines. */
static const char *skip_args(const char *s)
{
	char *end;
	unsigned long n;

	s += strspn(s, " ");
	if (*s != '|')
		return s;
	n = strtoul(s + 1, &end, 10);
	s = end;
	for (unsigned long i = 0; i < n && *s; i++) {
		s += strspn(s, " ");
		s += strcspn(s, " ");
	}
	return s + strspn(s, " ");
}

/* Splits a created_by line into its instruction and, for RUN, its script. */
static int history_entry(struct vg_image_facts *f, struct vg_image_hist *h, const char *cb)
{
	const char *s = skip_args(cb), *script = NULL;
	size_t n;
	int r;

	if (strncmp(s, "/bin/sh -c ", 11) == 0) {
		s += 11;
		s += strspn(s, " ");
		if (strncmp(s, "#(nop)", 6) == 0) {
			s += 6;
			s += strspn(s, " ");
			n = strcspn(s, " ");
			h->instruction = keyword(s, n) ? vg_arena_strndup(&f->arena, s, n) : "NOP";
		} else {
			h->instruction = "RUN";
			script = s;
		}
	} else {
		n = strcspn(s, " ");
		if (keyword(s, n)) {
			h->instruction = vg_arena_strndup(&f->arena, s, n);
			if (n == 3 && memcmp(s, "RUN", 3) == 0) {
				s = skip_args(s + 3);
				if (strncmp(s, "/bin/sh -c ", 11) == 0)
					s += 11;
				script = s;
			}
		} else {
			h->instruction = "RUN";
			script = s;
		}
	}
	if (!h->instruction)
		return -ENOMEM;
	if (script) {
		n = strlen(script);
		if (n >= 11 && strcmp(script + n - 11, " # buildkit") == 0)
			n -= 11;
		h->script = vg_arena_strndup(&f->arena, script, n);
		if (!h->script)
			return -ENOMEM;
		r = vg_sh_analyze(&f->arena, h->script, n, &h->sh);
		if (r == -E2BIG)
			return 0; /* a history line too long to analyse counts as no script */
		return r;
	}
	return 0;
}

/* The secret scanner's built-in rules over Env, Labels and history (secrets/target.h). */
static int config_secrets(struct vg_image_facts *f, json_t *config)
{
	struct vg_secret_ruleset rs;
	struct vg_secret_report rep;
	struct vg_secret_scanner *sc = NULL;
	char err[512];
	int r;

	vg_secret_ruleset_init(&rs);
	vg_secret_report_init(&rep);
	r = vg_secret_ruleset_load_builtin(&rs, err, sizeof(err));
	if (r >= 0)
		r = vg_secret_ruleset_compile(&rs, err, sizeof(err));
	if (r >= 0)
		r = vg_secret_scanner_new(&rs, &sc);
	if (r >= 0)
		r = vg_secret_scan_config(&rep, sc, config);
	if (r >= 0)
		vg_secret_report_sort(&rep);
	vg_vec_for_each(const struct vg_secret_finding, sf, &rep.findings) {
		char line[1024];
		int k;

		if (r < 0)
			break;
		k = snprintf(line, sizeof(line), "%s: %s (%s)", sf->path, sf->rule->id, sf->masked);
		if (k > 0)
			r = list_add(&f->arena, &f->config_secrets, line,
				     VG_MIN((size_t)k, sizeof(line) - 1));
	}
	vg_secret_scanner_free(sc);
	vg_secret_report_done(&rep);
	vg_secret_ruleset_done(&rs);
	return r;
}

int vg_image_facts_config(struct vg_image_facts *f, json_t *config)
{
	json_t *c, *hist, *v, *hc;
	const char *k;
	size_t i;
	int r = 0;

	if (!config)
		return 0;
	f->has_config = true;
	f->os = vg_json_get_str(config, "os");
	f->arch = vg_json_get_str(config, "architecture");
	c = vg_json_get_obj(config, "config");
	if (c) {
		f->user = vg_json_get_str(c, "User");
		f->workdir = vg_json_get_str(c, "WorkingDir");
		r = str_array(&f->arena, vg_json_get_array(c, "Env"), &f->env);
		for (i = 0; i < f->env.n && r >= 0; i++)
			r = list_add(&f->arena, &f->env_keys, f->env.v[i],
				     strcspn(f->env.v[i], "="));
		if (r >= 0)
			r = obj_keys(&f->arena, vg_json_get_obj(c, "ExposedPorts"), &f->ports);
		if (r >= 0)
			r = obj_keys(&f->arena, vg_json_get_obj(c, "Volumes"), &f->volumes);
		if (r >= 0)
			r = str_array(&f->arena, vg_json_get_array(c, "Entrypoint"),
				      &f->entrypoint);
		if (r >= 0)
			r = str_array(&f->arena, vg_json_get_array(c, "Cmd"), &f->cmd);
		if (r >= 0)
			r = str_array(&f->arena, vg_json_get_array(c, "Shell"), &f->shell);
		if (r < 0)
			return r;
		hc = vg_json_get_obj(c, "Healthcheck");
		if (hc) {
			json_t *test = vg_json_get_array(hc, "Test");

			f->has_healthcheck =
				!(test && json_array_size(test) >= 1 &&
				  json_is_string(json_array_get(test, 0)) &&
				  strcmp(json_string_value(json_array_get(test, 0)), "NONE") == 0);
		}
		v = vg_json_get_obj(c, "Labels");
		if (v && json_object_size(v)) {
			size_t n = 0,
			       max = VG_MIN(json_object_size(v), (size_t)VG_IMAGE_AUDIT_ITEMS_MAX);

			f->labels = vg_arena_calloc(&f->arena, max, sizeof(*f->labels));
			if (!f->labels)
				return -ENOMEM;
			json_object_foreach(v, k, hc)
			{
				if (n >= max || !json_is_string(hc))
					continue;
				f->labels[n].key = k;
				f->labels[n].value = json_string_value(hc);
				n++;
			}
			f->n_labels = n;
		}
	}
	r = config_secrets(f, config);
	if (r < 0)
		return r;
	hist = vg_json_get_array(config, "history");
	if (hist && json_array_size(hist)) {
		size_t n = VG_MIN(json_array_size(hist), (size_t)VG_IMAGE_AUDIT_ITEMS_MAX);

		f->history = vg_arena_calloc(&f->arena, n, sizeof(*f->history));
		if (!f->history)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			struct vg_image_hist *h = &f->history[f->n_history];
			const char *cb;
			bool empty = false;

			v = json_array_get(hist, i);
			cb = vg_json_get_str(v, "created_by");
			if (!cb)
				cb = "";
			if (vg_json_get_bool(v, "empty_layer", &empty) < 0)
				empty = false;
			h->created_by = cb;
			h->empty_layer = empty;
			r = history_entry(f, h, cb);
			for (size_t pi = 0; r >= 0 && pi < h->sh.n_programs; pi++)
				r = list_add_once(f, &f->history_programs, h->sh.programs[pi],
						  strlen(h->sh.programs[pi]));
			if (r < 0)
				return r;
			f->n_history++;
		}
	}
	return 0;
}

/* ---- layer facts ----------------------------------------------------------------------- */

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* Dockle CIS-DI-0010 names and extensions, plus well-known credential stores. */
static bool credential_file(const char *path)
{
	static const char *const names[] = {
		"credentials.json", "credential.json",	"credentials",	   "credential",
		"password.txt",	    "id_rsa",		"id_dsa",	   "id_ecdsa",
		"id_ed25519",	    "secret_token.rb",	"carrierwave.rb",  "omniauth.rb",
		"settings.py",	    "database.yml",	"credentials.xml", ".env",
		".npmrc",	    ".git-credentials", ".pgpass",	   ".netrc",
		".pypirc",	    ".dockercfg",	".s3cfg",	   NULL};
	static const char *const exts[] = {
		".secret",	  ".ovpn",     ".private_key", ".cscfg",    ".rdp", ".mdf",
		".sdf",		  ".bek",      ".tpm",	       ".fve",	    ".jks", ".psafe3",
		".agilekeychain", ".keychain", ".pcap",	       ".gnucache", NULL};
	const char *b = base(path);

	for (const char *const *n = names; *n; n++)
		if (strcmp(b, *n) == 0)
			return true;
	for (const char *const *e = exts; *e; e++)
		if (ends_with(b, *e) && strlen(b) > strlen(*e))
			return true;
	return ends_with(path, "/.docker/config.json") || strcmp(path, ".docker/config.json") == 0;
}

/* DKL-LI-0003: the first directory component of path that should not ship, if any. */
static size_t unnecessary_dir(const char *path)
{
	static const char *const dirs[] = {".cache",  ".aws",  ".azure", ".gcp", ".git",
					   ".vscode", ".idea", ".npm",	 NULL};
	const char *p = path;

	while (*p) {
		size_t n = strcspn(p, "/");

		if ((n == 12 && memcmp(p, "node_modules", 12) == 0) ||
		    (n == 6 && memcmp(p, "vendor", 6) == 0))
			return 0;
		if (p[n] == '/')
			for (const char *const *d = dirs; *d; d++)
				if (strlen(*d) == n && memcmp(p, *d, n) == 0)
					return (size_t)(p - path) + n;
		if (!p[n])
			break;
		p += n + 1;
	}
	return 0;
}

static bool unnecessary_file(const char *path)
{
	const char *b = base(path);

	return strcmp(b, "Dockerfile") == 0 || strcmp(b, "docker-compose.yml") == 0 ||
	       strcmp(b, ".vimrc") == 0 || strcmp(b, ".DS_Store") == 0;
}

static const char *package_cache(const char *path)
{
	static const char *const caches[] = {"var/cache/apt/archives/",
					     "var/lib/apt/lists/",
					     "var/cache/apk/",
					     "root/.cache/pip/",
					     "var/cache/yum/",
					     "var/cache/dnf/",
					     NULL};

	for (const char *const *c = caches; *c; c++) {
		size_t n = strlen(*c);

		if (strncmp(path, *c, n) == 0 && path[n]) {
			const char *rest = path + n;

			if (strcmp(*c, "var/lib/apt/lists/") == 0 &&
			    (strcmp(rest, "lock") == 0 || strncmp(rest, "partial/", 8) == 0 ||
			     strcmp(rest, "partial") == 0))
				return NULL;
			if (strcmp(*c, "var/cache/apt/archives/") == 0 && !ends_with(rest, ".deb"))
				return NULL;
			return *c;
		}
	}
	return NULL;
}

int vg_image_facts_file(struct vg_image_facts *f, const char *path, uint32_t mode, bool dir,
			bool regular)
{
	struct vg_arena *a = &f->arena;
	const char *cache;
	size_t k;
	int r = 0;

	if (regular && (mode & 04000))
		r = list_add_str(a, &f->setuid, path);
	if (r >= 0 && regular && (mode & 02000))
		r = list_add_str(a, &f->setgid, path);
	if (r >= 0 && (regular || dir) && (mode & 0002) && !(dir && (mode & 01000)))
		r = list_add_str(a, &f->world_writable, path);
	if (r >= 0 && regular && credential_file(path))
		r = list_add_str(a, &f->credential_files, path);
	k = unnecessary_dir(path);
	if (r >= 0 && k)
		r = list_add_once(f, &f->unnecessary_files, path, k);
	if (r >= 0 && regular && unnecessary_file(path))
		r = list_add_str(a, &f->unnecessary_files, path);
	cache = regular ? package_cache(path) : NULL;
	if (r >= 0 && cache)
		r = list_add_once(f, &f->package_caches, cache, strlen(cache) - 1);
	if (regular && strcmp(path, "usr/sbin/sshd") == 0)
		f->has_sshd = true;
	return r;
}

/* ---- accounts -------------------------------------------------------------------------- */

/* Field i (0-based) of a colon-separated line [s, e). */
static bool field(const char *s, const char *e, unsigned i, const char **ret, size_t *ret_len)
{
	for (unsigned k = 0; k < i; k++) {
		const char *c = memchr(s, ':', (size_t)(e - s));

		if (!c)
			return false;
		s = c + 1;
	}
	const char *c = memchr(s, ':', (size_t)(e - s));

	*ret = s;
	*ret_len = c ? (size_t)(c - s) : (size_t)(e - s);
	return true;
}

/* Values of column col (and names in column 0) seen more than once go to dup_vals/dup_names;
 * with uid0, the names whose column col is "0" other than root. */
static int dup_scan(struct vg_image_facts *f, const char *text, unsigned col,
		    struct vg_image_list *dup_vals, struct vg_image_list *dup_names,
		    struct vg_image_list *uid0)
{
	struct vg_hashmap seen;
	const char *s = text;
	int r = 0, k;

	vg_hashmap_init(&seen, VG_HASHMAP_STRING_COPY, 0, NULL);
	while (*s && r >= 0) {
		const char *e = s + strcspn(s, "\n"), *name, *val;
		size_t nn, vn;

		if (*s != '#' && *s != '+' && *s != '-' && e > s && field(s, e, 0, &name, &nn) &&
		    field(s, e, col, &val, &vn) && nn) {
			k = seen_add(&seen, dup_names, name, nn);
			r = k == 0 ? list_add_once(f, dup_names, name, nn) : k;
			if (r >= 0 && vn) {
				k = seen_add(&seen, dup_vals, val, vn);
				r = k == 0 ? list_add_once(f, dup_vals, val, vn) : k;
			}
			if (r >= 0 && uid0 && vn == 1 && val[0] == '0' &&
			    !(nn == 4 && memcmp(name, "root", 4) == 0))
				r = list_add(&f->arena, uid0, name, nn);
		}
		s = *e ? e + 1 : e;
	}
	vg_hashmap_done(&seen);
	return r < 0 ? r : 0;
}

int vg_image_facts_accounts(struct vg_image_facts *f, const char *passwd, const char *group,
			    const char *shadow)
{
	int r = 0;

	f->has_passwd = passwd != NULL;
	f->has_group = group != NULL;
	f->has_shadow = shadow != NULL;
	if (passwd)
		r = dup_scan(f, passwd, 2, &f->dup_uids, &f->dup_users, &f->uid0_users);
	if (r >= 0 && group)
		r = dup_scan(f, group, 2, &f->dup_gids, &f->dup_groups, NULL);
	for (const char *s = shadow; r >= 0 && s && *s;) {
		const char *e = s + strcspn(s, "\n"), *name, *pw;
		size_t nn, pn;

		if (e > s && *s != '#' && field(s, e, 0, &name, &nn) && nn &&
		    field(s, e, 1, &pw, &pn) && pn == 0)
			r = list_add(&f->arena, &f->empty_password, name, nn);
		s = *e ? e + 1 : e;
	}
	return r;
}

/* ---- the walk -------------------------------------------------------------------------- */

enum { ACC_PASSWD, ACC_GROUP, ACC_SHADOW, ACC_MASTER, ACC__MAX };

static const char *const acc_paths[ACC__MAX] = {"etc/passwd", "etc/group", "etc/shadow",
						"etc/master.passwd"};

struct walk {
	char *content[ACC__MAX];
	unsigned layer[ACC__MAX];
};

static int on_file(void *userdata, const struct vg_file *file, struct vg_tar *t)
{
	struct walk *w = userdata;

	for (int i = 0; i < ACC__MAX; i++) {
		char *buf;
		size_t n = 0;

		if (strcmp(file->path, acc_paths[i]) != 0)
			continue;
		if (file->size > VG_IMAGE_AUDIT_FILE_MAX)
			return 0; /* left unread: judged absent */
		buf = malloc(file->size + 1);
		if (!buf)
			return -ENOMEM;
		while (n < file->size) {
			ssize_t k = vg_tar_read(t, buf + n, file->size - n);

			if (k < 0) {
				free(buf);
				return (int)k;
			}
			if (k == 0)
				break;
			n += (size_t)k;
		}
		buf[n] = '\0';
		free(w->content[i]);
		w->content[i] = buf;
		w->layer[i] = file->layer;
	}
	return 0;
}

/* The content read for the version of path that is visible at the end, or NULL. */
static const char *visible(const struct vg_image *img, const struct walk *w, int i)
{
	const struct vg_file *v = vg_fs_get(&img->fs, acc_paths[i]);

	if (!v || !w->content[i] || v->layer != w->layer[i] || v->type != VG_TAR_FILE)
		return NULL;
	return w->content[i];
}

static const char *ref_tag(const char *ref)
{
	const char *slash, *colon;

	if (!ref || strchr(ref, '@'))
		return NULL;
	slash = strrchr(ref, '/');
	colon = strrchr(slash ? slash : ref, ':');
	return colon ? colon + 1 : NULL;
}

int vg_image_facts_collect(struct vg_image_facts *f, const char *target, char *err, size_t errsize)
{
	struct walk w = {0};
	struct vg_image_opts opts = {.cb = on_file, .userdata = &w};
	cleanup(vg_image_freep) struct vg_image *img = NULL;
	const char *shadow;
	int r;

	r = vg_image_open(target, &opts, &img, err, errsize);
	if (r < 0)
		goto out;
	f->target = vg_arena_strdup(&f->arena, target);
	f->ref = vg_arena_strdup(&f->arena, img->ref ? img->ref : target);
	f->id = vg_arena_strdup(&f->arena, img->config_digest);
	if (!f->target || !f->ref || !f->id) {
		r = -ENOMEM;
		goto out;
	}
	if (img->ref)
		f->tag = ref_tag(f->ref);
	if (!f->tag && strncmp(target, "docker:", 7) == 0)
		f->tag = ref_tag(target + 7) ? ref_tag(f->target + 7) : "latest";
	f->n_layers = img->n_layers;
	f->content_trust =
		getenv("DOCKER_CONTENT_TRUST") && strcmp(getenv("DOCKER_CONTENT_TRUST"), "1") == 0;
	if (img->config) {
		/* the config JSON is freed with the image: keep it alive with the facts */
		f->config = json_incref(img->config);
		r = vg_image_facts_config(f, f->config);
		if (r < 0)
			goto out;
	}
	vg_vec_for_each(struct vg_file *const, pp, &img->fs.all) {
		const struct vg_file *file = *pp;

		if (file->deleted_by != -1)
			continue;
		r = vg_image_facts_file(f, file->path, file->mode, file->type == VG_TAR_DIR,
					file->type == VG_TAR_FILE);
		if (r < 0)
			goto out;
	}
	shadow = visible(img, &w, ACC_SHADOW);
	if (!shadow)
		shadow = visible(img, &w, ACC_MASTER);
	r = vg_image_facts_accounts(f, visible(img, &w, ACC_PASSWD), visible(img, &w, ACC_GROUP),
				    shadow);
out:
	for (int i = 0; i < ACC__MAX; i++)
		free(w.content[i]);
	if (r == -ENOMEM && err && errsize)
		snprintf(err, errsize, "%s: out of memory", target);
	return r;
}
