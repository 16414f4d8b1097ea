/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The secret rules' regexes, over src/shared/regex.h: byte patterns (never UTF-8: files are
 * arbitrary), the shared match limits, matching from an offset inside a larger buffer (so
 * look-behind and \b see the bytes before a region) and the "secret" group's span. Compiled
 * patterns are shared by the scanning threads; each thread matches with its own match data
 * (thread-local, freed by vg_secret_pattern_thread_done()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "basic/limits.h"
#include "secrets/rules.h"
#include "shared/regex.h"

_Static_assert(VG_SECRET_GROUPS_MAX <= VG_REGEX_GROUPS_MAX,
	       "the shared match data must hold every group a secret rule may have");

struct vg_secret_pattern {
	struct vg_regex *re;
};

int vg_secret_pattern_compile(const char *src, size_t len, struct vg_secret_pattern **ret,
			      char *err, size_t errsize)
{
	struct vg_secret_pattern *p;
	char msg[VG_REGEX_ERR_MAX] = "";
	unsigned groups;
	int r;

	if (len > VG_REGEX_PATTERN_MAX) {
		snprintf(err, errsize, "regex longer than %d bytes", VG_REGEX_PATTERN_MAX);
		return -E2BIG;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	r = vg_regex_compile(src, len, 0, &p->re, msg, sizeof(msg));
	if (r < 0) {
		free(p);
		if (r == -ENOMEM)
			return r;
		snprintf(err, errsize, "regex error at %s", msg);
		return r == -E2BIG ? r : -EBADMSG;
	}
	groups = vg_regex_capture_count(p->re);
	if (groups > VG_SECRET_GROUPS_MAX) {
		vg_secret_pattern_free(p);
		snprintf(err, errsize, "regex has %u capture groups (at most %d)", groups,
			 VG_SECRET_GROUPS_MAX);
		return -E2BIG;
	}
	*ret = p;
	return 0;
}

struct vg_secret_pattern *vg_secret_pattern_free(struct vg_secret_pattern *p)
{
	if (!p)
		return NULL;
	vg_regex_free(p->re);
	free(p);
	return NULL;
}

int vg_secret_pattern_group(const struct vg_secret_pattern *p, const char *name)
{
	return vg_regex_group(p->re, name);
}

uint64_t vg_secret_pattern_limit_hits(const struct vg_secret_pattern *p)
{
	return vg_regex_limit_hits(p->re);
}

static __thread struct vg_regex_md *tl_md;

void vg_secret_pattern_thread_done(void)
{
	tl_md = vg_regex_md_free(tl_md);
}

static struct vg_regex_md *thread_md(void)
{
	if (!tl_md)
		tl_md = vg_regex_md_new();
	return tl_md;
}

int vg_secret_pattern_find(const struct vg_secret_pattern *p, const char *subject, size_t len,
			   size_t start, int group, size_t *ret_so, size_t *ret_eo, size_t *ret_gso,
			   size_t *ret_geo)
{
	struct vg_regex_md *md = thread_md();
	struct vg_regex_span m, g;
	int r;

	if (!md)
		return -ENOMEM;
	r = vg_regex_find(p->re, md, subject ? subject : "", subject ? len : 0, start,
			  group > 0 ? group : 0, &m, &g);
	if (r <= 0)
		return r;
	*ret_so = m.so;
	*ret_eo = m.eo;
	*ret_gso = g.so;
	*ret_geo = g.eo;
	return 1;
}

bool vg_secret_pattern_test(const struct vg_secret_pattern *p, const char *s, size_t len)
{
	struct vg_regex_md *md = thread_md();
	struct vg_regex_span m;

	return md && vg_regex_find(p->re, md, s ? s : "", s ? len : 0, 0, 0, &m, NULL) > 0;
}

bool vg_secret_patterns_test(const struct vg_secret_patterns *ps, const char *s, size_t len)
{
	for (size_t i = 0; i < ps->n; i++)
		if (vg_secret_pattern_test(ps->v[i], s, len))
			return true;
	return false;
}
