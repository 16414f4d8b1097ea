/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container runtime metadata: lifetime, image reference splitting, RFC 3339 timestamps and
 * the JSON form used by captures and outputs (fixed key order, bounded on the way back in).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "shared/json.h"
#include "state/meta-internal.h"
#include "state/meta.h"

static const char *const runtime_names[VG_RUNTIME__MAX] = {
	[VG_RUNTIME_NONE] = "none",
	[VG_RUNTIME_DOCKER] = "docker",
	[VG_RUNTIME_CONTAINERD] = "containerd",
	[VG_RUNTIME_CRIO] = "cri-o",
	[VG_RUNTIME_PODMAN] = "podman",
	[VG_RUNTIME_RUNC] = "runc",
	[VG_RUNTIME_CRUN] = "crun",
	[VG_RUNTIME_KUBEPODS] = "kubepods",
};

const char *vg_runtime_to_string(enum vg_runtime r)
{
	if ((unsigned)r >= VG_RUNTIME__MAX)
		return NULL;
	return runtime_names[r];
}

void vg_container_meta_free(struct vg_container_meta *m)
{
	if (!m)
		return;
	free(m->id);
	free(m->name);
	free(m->image);
	free(m->image_repo);
	free(m->image_tag);
	free(m->image_id);
	free(m->runtime);
	free(m->user);
	free(m->ip);
	free(m->pod_name);
	free(m->pod_namespace);
	free(m->pod_uid);
	for (size_t i = 0; i < m->n_labels; i++) {
		free(m->labels[i].key);
		free(m->labels[i].value);
	}
	free(m->labels);
	for (size_t i = 0; i < m->n_mounts; i++) {
		free(m->mounts[i].source);
		free(m->mounts[i].dest);
		free(m->mounts[i].mode);
		free(m->mounts[i].propagation);
	}
	free(m->mounts);
	free(m);
}

int vg_meta_set_str(char **field, const char *s)
{
	char *t = strdup(s ? s : "");

	if (!t)
		return -ENOMEM;
	free(*field);
	*field = t;
	return 0;
}

int vg_meta_set_strn(char **field, const char *s, size_t n)
{
	char *t = strndup(s, n);

	if (!t)
		return -ENOMEM;
	free(*field);
	*field = t;
	return 0;
}

static int fill_empty(char **field)
{
	if (*field)
		return 0;
	return vg_meta_set_str(field, "");
}

int vg_container_meta_new(struct vg_container_meta **ret)
{
	struct vg_container_meta *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	r = vg_container_meta_normalize(m);
	if (r < 0) {
		vg_container_meta_free(m);
		return r;
	}
	*ret = m;
	return 0;
}

static int kv_cmp(const void *a, const void *b)
{
	const struct vg_kv *x = a, *y = b;

	return strcmp(x->key, y->key);
}

int vg_container_meta_normalize(struct vg_container_meta *m)
{
	char **fields[] = {&m->id,	  &m->name,	&m->image,	   &m->image_repo,
			   &m->image_tag, &m->image_id, &m->runtime,	   &m->user,
			   &m->ip,	  &m->pod_name, &m->pod_namespace, &m->pod_uid};
	size_t j = 0;
	int r;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		r = fill_empty(fields[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < m->n_labels; i++) {
		r = fill_empty(&m->labels[i].key);
		if (r < 0)
			return r;
		r = fill_empty(&m->labels[i].value);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < m->n_mounts; i++) {
		struct vg_mount *mt = &m->mounts[i];

		if ((r = fill_empty(&mt->source)) < 0 || (r = fill_empty(&mt->dest)) < 0 ||
		    (r = fill_empty(&mt->mode)) < 0 || (r = fill_empty(&mt->propagation)) < 0)
			return r;
	}

	/* Stable sort by key, then drop later duplicates (first one wins). */
	if (m->n_labels > 1) {
		/* qsort is not stable: tag each entry with its index via a merge-free approach:
		 * insertion sort is fine for VG_LABELS_MAX-sized arrays. */
		for (size_t i = 1; i < m->n_labels; i++) {
			struct vg_kv t = m->labels[i];
			size_t k = i;

			while (k > 0 && kv_cmp(&m->labels[k - 1], &t) > 0) {
				m->labels[k] = m->labels[k - 1];
				k--;
			}
			m->labels[k] = t;
		}
		for (size_t i = 0; i < m->n_labels; i++) {
			if (j > 0 && strcmp(m->labels[j - 1].key, m->labels[i].key) == 0) {
				free(m->labels[i].key);
				free(m->labels[i].value);
				continue;
			}
			m->labels[j++] = m->labels[i];
		}
		m->n_labels = j;
	}

	if (!m->pod_name[0]) {
		const char *v = vg_container_meta_label(m, "io.kubernetes.pod.name");

		if (v && (r = vg_meta_set_str(&m->pod_name, v)) < 0)
			return r;
	}
	if (!m->pod_namespace[0]) {
		const char *v = vg_container_meta_label(m, "io.kubernetes.pod.namespace");

		if (v && (r = vg_meta_set_str(&m->pod_namespace, v)) < 0)
			return r;
	}
	if (!m->pod_uid[0]) {
		const char *v = vg_container_meta_label(m, "io.kubernetes.pod.uid");

		if (v && (r = vg_meta_set_str(&m->pod_uid, v)) < 0)
			return r;
	}
	return 0;
}

const char *vg_container_meta_label(const struct vg_container_meta *m, const char *key)
{
	size_t lo = 0, hi;

	if (!m || !key || !m->labels)
		return NULL;
	/* Labels are sorted once normalised; fall back to a scan if a caller built them by hand. */
	hi = m->n_labels;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->labels[mid].key ? m->labels[mid].key : "", key);

		if (c == 0)
			return m->labels[mid].value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < m->n_labels; i++)
		if (m->labels[i].key && strcmp(m->labels[i].key, key) == 0)
			return m->labels[i].value;
	return NULL;
}

int vg_meta_add_label(struct vg_container_meta *m, const char *key, const char *value)
{
	struct vg_kv *l;
	char *k, *v;

	if (m->n_labels >= VG_LABELS_MAX)
		return -E2BIG;
	l = reallocarray(m->labels, m->n_labels + 1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	m->labels = l;
	k = strdup(key);
	v = strdup(value);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	m->labels[m->n_labels++] = (struct vg_kv){.key = k, .value = v};
	return 0;
}

int vg_meta_add_mount(struct vg_container_meta *m, struct vg_mount **ret)
{
	struct vg_mount *mt;

	if (m->n_mounts >= VG_MOUNTS_MAX)
		return -E2BIG;
	mt = reallocarray(m->mounts, m->n_mounts + 1, sizeof(*mt));
	if (!mt)
		return -ENOMEM;
	m->mounts = mt;
	mt = &m->mounts[m->n_mounts++];
	*mt = (struct vg_mount){0};
	*ret = mt;
	return 0;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

int vg_split_image_ref(const char *ref, char **ret_repo, char **ret_tag)
{
	cleanup_free char *repo = NULL, *tag = NULL;
	const char *at, *slash, *colon;
	size_t name_len;

	if (!ref)
		ref = "";
	/* A bare image id ("sha256:<64 hex>") is not a repository reference. */
	if (strncmp(ref, "sha256:", 7) == 0 && strlen(ref) == 7 + 64 && is_hex(ref + 7, 64)) {
		repo = strdup(ref);
		tag = strdup("");
	} else if (!ref[0]) {
		repo = strdup("");
		tag = strdup("");
	} else {
		at = strchr(ref, '@');
		name_len = at ? (size_t)(at - ref) : strlen(ref);
		/* A ':' after the last '/' of the name part separates the tag; one before it is a
		 * registry port ("registry:5000/ns/img"). */
		slash = memrchr(ref, '/', name_len);
		colon = memchr(slash ? slash : ref, ':',
			       name_len - (size_t)((slash ? slash : ref) - ref));
		if (colon) {
			repo = strndup(ref, (size_t)(colon - ref));
			tag = strndup(colon + 1, name_len - (size_t)(colon + 1 - ref));
		} else {
			repo = strndup(ref, name_len);
			tag = strdup(at ? at + 1 : "latest");
		}
	}
	if (!repo || !tag)
		return -ENOMEM;
	*ret_repo = TAKE_PTR(repo);
	*ret_tag = TAKE_PTR(tag);
	return 0;
}

int vg_container_meta_set_image(struct vg_container_meta *m, const char *ref)
{
	char *repo, *tag;
	int r;

	r = vg_split_image_ref(ref, &repo, &tag);
	if (r < 0)
		return r;
	r = vg_meta_set_str(&m->image, ref);
	if (r < 0) {
		free(repo);
		free(tag);
		return r;
	}
	free(m->image_repo);
	free(m->image_tag);
	m->image_repo = repo;
	m->image_tag = tag;
	return 0;
}

static int parse_digits(const char **p, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -EBADMSG;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*ret = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int vg_parse_rfc3339_ns(const char *s, int64_t *ret)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int year, mon, day, hh, mm, ss, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, secs;
	const char *p = s;
	int digits = 0;

	if (!s)
		return -EBADMSG;
	if (parse_digits(&p, 4, &year) < 0 || *p++ != '-' || parse_digits(&p, 2, &mon) < 0 ||
	    *p++ != '-' || parse_digits(&p, 2, &day) < 0 || (*p != 'T' && *p != 't' && *p != ' '))
		return -EBADMSG;
	p++;
	if (parse_digits(&p, 2, &hh) < 0 || *p++ != ':' || parse_digits(&p, 2, &mm) < 0 ||
	    *p++ != ':' || parse_digits(&p, 2, &ss) < 0)
		return -EBADMSG;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (digits < 9) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
			p++;
		}
		if (digits == 0)
			return -EBADMSG;
		for (int i = digits; i < 9; i++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (parse_digits(&p, 2, &oh) < 0 || *p++ != ':' || parse_digits(&p, 2, &om) < 0)
			return -EBADMSG;
		if (oh > 23 || om > 59)
			return -EBADMSG;
	} else {
		return -EBADMSG;
	}
	if (*p)
		return -EBADMSG;
	if (mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1] || hh > 23 || mm > 59 || ss > 60)
		return -EBADMSG;
	/* Go's zero time.Time, which Docker prints for "never". */
	if (year < 1970) {
		*ret = 0;
		return 0;
	}
	/* int64 nanoseconds end in 2262. */
	if (year > 2261)
		return -ERANGE;
	secs = days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss;
	secs -= sign * (oh * 3600 + om * 60);
	if (secs < 0) {
		*ret = 0;
		return 0;
	}
	*ret = secs * 1000000000LL + frac;
	return 0;
}

/* ---- JSON ---- */

/* jansson refuses strings that are not valid UTF-8; replace bad bytes so output never fails. */
static json_t *jstr(const char *s)
{
	json_t *j;
	char *t;

	if (!s)
		s = "";
	j = json_string(s);
	if (j)
		return j;
	t = strdup(s);
	if (!t)
		return NULL;
	for (unsigned char *p = (unsigned char *)t; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(t);
	free(t);
	return j;
}

static int obj_set(json_t *o, const char *k, json_t *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_set_new(o, k, v) < 0 ? -ENOMEM : 0;
}

int vg_container_meta_to_json(const struct vg_container_meta *m, char **ret)
{
	cleanup_json json_t *o = json_object();
	json_t *labels, *mounts;
	char *s;
	int r = 0;

	if (!m)
		return -EINVAL;
	if (!o)
		return -ENOMEM;
#define S(k) ((r = obj_set(o, #k, jstr(m->k))) < 0)
#define B(k) ((r = obj_set(o, #k, json_boolean(m->k))) < 0)
#define I(k) ((r = obj_set(o, #k, json_integer(m->k))) < 0)
	if (S(id) || S(name) || S(image) || S(image_repo) || S(image_tag) || S(image_id) ||
	    S(runtime) || B(privileged) || B(host_pid) || B(host_network) || B(host_ipc) ||
	    I(created_ns) || I(started_ns) || S(user) || S(ip) || S(pod_name) || S(pod_namespace) ||
	    S(pod_uid))
		return r;
#undef S
#undef B
#undef I
	labels = json_object();
	if ((r = obj_set(o, "labels", labels)) < 0)
		return r;
	for (size_t i = 0; i < m->n_labels; i++) {
		/* jansson keys must be valid UTF-8 too. */
		json_t *k = jstr(m->labels[i].key);

		if (!k)
			return -ENOMEM;
		r = obj_set(labels, json_string_value(k), jstr(m->labels[i].value));
		json_decref(k);
		if (r < 0)
			return r;
	}
	mounts = json_array();
	if ((r = obj_set(o, "mounts", mounts)) < 0)
		return r;
	for (size_t i = 0; i < m->n_mounts; i++) {
		const struct vg_mount *mt = &m->mounts[i];
		json_t *jm = json_object();

		if (!jm || json_array_append_new(mounts, jm) < 0)
			return -ENOMEM;
		if ((r = obj_set(jm, "source", jstr(mt->source))) < 0 ||
		    (r = obj_set(jm, "dest", jstr(mt->dest))) < 0 ||
		    (r = obj_set(jm, "mode", jstr(mt->mode))) < 0 ||
		    (r = obj_set(jm, "propagation", jstr(mt->propagation))) < 0 ||
		    (r = obj_set(jm, "rw", json_boolean(mt->rw))) < 0)
			return r;
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

int vg_json_load_bounded(const char *s, size_t n, size_t max, void **ret)
{
	json_t *j = NULL;
	int r;

	if (!s && n > 0)
		return -EINVAL;
	if (n > max)
		return -E2BIG;
	r = vg_json_parse(s, n, &j, NULL, 0);
	if (r < 0)
		return r;
	*ret = j;
	return 0;
}

/* Copies an optional string member; absent or null keep the default. */
static int get_str(json_t *o, const char *k, char **field)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	if (json_string_length(v) > VG_PATH_MAX)
		return -E2BIG;
	return vg_meta_set_strn(field, json_string_value(v),
				strnlen(json_string_value(v), json_string_length(v)));
}

static int get_bool(json_t *o, const char *k, bool *field)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return -EBADMSG;
	*field = json_is_true(v);
	return 0;
}

static int get_int(json_t *o, const char *k, int64_t *field)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return -EBADMSG;
	*field = json_integer_value(v);
	return 0;
}

static int meta_from_obj(json_t *o, struct vg_container_meta *m)
{
	json_t *labels, *mounts, *v;
	const char *k;
	int r;

	if (!json_is_object(o))
		return -EBADMSG;
#define S(f) ((r = get_str(o, #f, &m->f)) < 0)
#define B(f) ((r = get_bool(o, #f, &m->f)) < 0)
#define I(f) ((r = get_int(o, #f, &m->f)) < 0)
	if (S(id) || S(name) || S(image) || S(image_repo) || S(image_tag) || S(image_id) ||
	    S(runtime) || B(privileged) || B(host_pid) || B(host_network) || B(host_ipc) ||
	    I(created_ns) || I(started_ns) || S(user) || S(ip) || S(pod_name) || S(pod_namespace) ||
	    S(pod_uid))
		return r;
#undef S
#undef B
#undef I
	labels = json_object_get(o, "labels");
	if (labels && !json_is_null(labels)) {
		if (!json_is_object(labels))
			return -EBADMSG;
		if (json_object_size(labels) > VG_LABELS_MAX)
			return -E2BIG;
		json_object_foreach(labels, k, v)
		{
			if (!json_is_string(v))
				return -EBADMSG;
			if (strlen(k) > VG_PATH_MAX || json_string_length(v) > VG_PATH_MAX)
				return -E2BIG;
			r = vg_meta_add_label(m, k, json_string_value(v));
			if (r < 0)
				return r;
		}
	}
	mounts = json_object_get(o, "mounts");
	if (mounts && !json_is_null(mounts)) {
		size_t i;

		if (!json_is_array(mounts))
			return -EBADMSG;
		if (json_array_size(mounts) > VG_MOUNTS_MAX)
			return -E2BIG;
		json_array_foreach(mounts, i, v)
		{
			struct vg_mount *mt;

			if (!json_is_object(v))
				return -EBADMSG;
			r = vg_meta_add_mount(m, &mt);
			if (r < 0)
				return r;
			if ((r = get_str(v, "source", &mt->source)) < 0 ||
			    (r = get_str(v, "dest", &mt->dest)) < 0 ||
			    (r = get_str(v, "mode", &mt->mode)) < 0 ||
			    (r = get_str(v, "propagation", &mt->propagation)) < 0 ||
			    (r = get_bool(v, "rw", &mt->rw)) < 0)
				return r;
		}
	}
	return vg_container_meta_normalize(m);
}

int vg_container_meta_from_json(const char *s, size_t n, struct vg_container_meta **ret)
{
	cleanup(vg_container_meta_freep) struct vg_container_meta *m = NULL;
	cleanup_json json_t *o = NULL;
	int r;

	r = vg_json_load_bounded(s, n, VG_JSON_DOC_MAX, (void **)&o);
	if (r < 0)
		return r;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = meta_from_obj(o, m);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}

bool vg_container_id_is_valid(const char *id)
{
	size_t n;

	if (!id || !id[0])
		return false;
	n = strnlen(id, 1025);
	if (n > 1024)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		bool alnum =
			(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

		if (!alnum && (i == 0 || !strchr("_.-", c)))
			return false;
	}
	return true;
}
