/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCRE2 for the secret rules. src/shared/regex.h records only the overall match; secret
 * extraction needs the "secret" group and matching from an offset inside a larger buffer
 * (so look-behind and \b see the bytes before a region), hence this second, small wrapper.
 * The limits are the shared ones (VG_REGEX_*). Compiled patterns are shared by the scanning
 * threads; each thread matches with its own match data (thread-local, large enough for
 * VG_SECRET_GROUPS_MAX groups, freed by vg_secret_pattern_thread_done()).
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "basic/limits.h"
#include "secrets/rules.h"
#include "shared/regex.h"

struct vg_secret_pattern {
	pcre2_code *code;
	pcre2_match_context *mctx;
	bool jit;
	uint64_t limit_hits;
};

int vg_secret_pattern_compile(const char *src, size_t len, struct vg_secret_pattern **ret,
			      char *err, size_t errsize)
{
	struct vg_secret_pattern *p;
	int errcode = 0;
	PCRE2_SIZE erroff = 0;
	uint32_t groups = 0;

	if (len > VG_REGEX_PATTERN_MAX) {
		snprintf(err, errsize, "regex longer than %d bytes", VG_REGEX_PATTERN_MAX);
		return -E2BIG;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	/* bytes, not UTF-8: files are arbitrary; (*UTF) in a pattern cannot switch it on */
	p->code = pcre2_compile((PCRE2_SPTR)src, len, PCRE2_NEVER_UTF | PCRE2_NEVER_BACKSLASH_C,
				&errcode, &erroff, NULL);
	if (!p->code) {
		PCRE2_UCHAR msg[VG_REGEX_ERR_MAX];

		free(p);
		if (errcode == PCRE2_ERROR_NOMEMORY)
			return -ENOMEM;
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", errcode);
		snprintf(err, errsize, "regex error at offset %zu: %s", (size_t)erroff,
			 (char *)msg);
		return -EBADMSG;
	}
	(void)pcre2_pattern_info(p->code, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (groups > VG_SECRET_GROUPS_MAX) {
		pcre2_code_free(p->code);
		free(p);
		snprintf(err, errsize, "regex has %u capture groups (at most %d)", groups,
			 VG_SECRET_GROUPS_MAX);
		return -E2BIG;
	}
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->mctx) {
		vg_secret_pattern_free(p);
		return -ENOMEM;
	}
	(void)pcre2_set_match_limit(p->mctx, VG_REGEX_MATCH_LIMIT);
	(void)pcre2_set_depth_limit(p->mctx, VG_REGEX_DEPTH_LIMIT);
	(void)pcre2_set_heap_limit(p->mctx, VG_REGEX_HEAP_LIMIT);
	if (pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0)
		p->jit = true;
	*ret = p;
	return 0;
}

struct vg_secret_pattern *vg_secret_pattern_free(struct vg_secret_pattern *p)
{
	if (!p)
		return NULL;
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->code);
	free(p);
	return NULL;
}

int vg_secret_pattern_group(const struct vg_secret_pattern *p, const char *name)
{
	int n = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)name);

	return n > 0 ? n : -ENOENT;
}

uint64_t vg_secret_pattern_limit_hits(const struct vg_secret_pattern *p)
{
	return __atomic_load_n(&p->limit_hits, __ATOMIC_RELAXED);
}

static __thread pcre2_match_data *tl_md;

void vg_secret_pattern_thread_done(void)
{
	pcre2_match_data_free(tl_md);
	tl_md = NULL;
}

static int match(struct vg_secret_pattern *p, const char *s, size_t len, size_t start)
{
	int r;

	if (!tl_md) {
		tl_md = pcre2_match_data_create(VG_SECRET_GROUPS_MAX + 1, NULL);
		if (!tl_md)
			return -ENOMEM;
	}
	if (p->jit)
		r = pcre2_jit_match(p->code, (PCRE2_SPTR)s, len, start, 0, tl_md, p->mctx);
	else
		r = pcre2_match(p->code, (PCRE2_SPTR)s, len, start, 0, tl_md, p->mctx);
	if (r >= 0)
		return 1;
	switch (r) {
	case PCRE2_ERROR_NOMATCH:
		return 0;
	case PCRE2_ERROR_NOMEMORY:
		return -ENOMEM;
	default: /* match/depth/heap/JIT stack limits: counted, no match */
		__atomic_fetch_add(&p->limit_hits, 1, __ATOMIC_RELAXED);
		return 0;
	}
}

int vg_secret_pattern_find(const struct vg_secret_pattern *cp, const char *subject, size_t len,
			   size_t start, int group, size_t *ret_so, size_t *ret_eo, size_t *ret_gso,
			   size_t *ret_geo)
{
	struct vg_secret_pattern *p = (struct vg_secret_pattern *)cp;
	PCRE2_SIZE *ov;
	int r;

	if (start > len)
		return 0;
	r = match(p, subject ? subject : "", len, start);
	if (r <= 0)
		return r;
	ov = pcre2_get_ovector_pointer(tl_md);
	*ret_so = ov[0];
	*ret_eo = ov[1];
	if (group > 0 && (uint32_t)group < pcre2_get_ovector_count(tl_md) &&
	    ov[2 * group] != PCRE2_UNSET) {
		*ret_gso = ov[2 * group];
		*ret_geo = ov[2 * group + 1];
	} else if (group > 0) {
		*ret_gso = *ret_geo = (size_t)-1;
	} else {
		*ret_gso = ov[0];
		*ret_geo = ov[1];
	}
	/* \K can put the start after the end: report an empty match at the end */
	if (*ret_so > *ret_eo)
		*ret_so = *ret_eo;
	return 1;
}

bool vg_secret_pattern_test(const struct vg_secret_pattern *p, const char *s, size_t len)
{
	return match((struct vg_secret_pattern *)p, s ? s : "", len, 0) > 0;
}

bool vg_secret_patterns_test(const struct vg_secret_patterns *ps, const char *s, size_t len)
{
	for (size_t i = 0; i < ps->n; i++)
		if (vg_secret_pattern_test(ps->v[i], s, len))
			return true;
	return false;
}
