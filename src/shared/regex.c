/* SPDX-License-Identifier: Apache-2.0 */
/* PCRE2 (8-bit) behind vg_regex_*: compile once, JIT if possible, always bounded matches. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "shared/regex.h"

struct vg_regex {
	pcre2_code *code;
	pcre2_match_context *mctx;
	bool jit;
	bool utf;
	uint64_t limit_hits;
};

struct vg_regex_md {
	pcre2_match_data *md;
};

int vg_regex_compile(const char *pattern, size_t len, unsigned flags, struct vg_regex **ret,
		     char *errbuf, size_t errsize)
{
	uint32_t opts = 0;
	int errcode = 0;
	PCRE2_SIZE erroff = 0;
	struct vg_regex *re;

	if (!pattern || !ret)
		return -EINVAL;
	if (len > VG_REGEX_PATTERN_MAX) {
		if (errbuf && errsize)
			snprintf(errbuf, errsize, "pattern longer than %d bytes",
				 VG_REGEX_PATTERN_MAX);
		return -E2BIG;
	}
	if (flags & VG_REGEX_FULL)
		opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
	if (flags & VG_REGEX_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & VG_REGEX_UTF)
		opts |= PCRE2_UTF;
	else
		opts |= PCRE2_NEVER_UTF; /* (*UTF) in a hostile pattern cannot switch it on */
	opts |= PCRE2_NEVER_BACKSLASH_C;

	re = calloc(1, sizeof(*re));
	if (!re)
		return -ENOMEM;
	re->utf = flags & VG_REGEX_UTF;
	re->code = pcre2_compile((PCRE2_SPTR)pattern, len, opts, &errcode, &erroff, NULL);
	if (!re->code) {
		if (errcode == PCRE2_ERROR_NOMEMORY) {
			free(re);
			return -ENOMEM;
		}
		if (errbuf && errsize) {
			PCRE2_UCHAR msg[VG_REGEX_ERR_MAX];

			if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
				snprintf((char *)msg, sizeof(msg), "error %d", errcode);
			snprintf(errbuf, errsize, "offset %zu: %s", (size_t)erroff, (char *)msg);
		}
		free(re);
		return -EINVAL;
	}
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->mctx) {
		pcre2_code_free(re->code);
		free(re);
		return -ENOMEM;
	}
	(void)pcre2_set_match_limit(re->mctx, VG_REGEX_MATCH_LIMIT);
	(void)pcre2_set_depth_limit(re->mctx, VG_REGEX_DEPTH_LIMIT);
	(void)pcre2_set_heap_limit(re->mctx, VG_REGEX_HEAP_LIMIT);
	/* The JIT honours the match limit too (depth/heap do not apply to it). A JIT failure
	 * (no JIT support, out of executable memory) falls back to the interpreter. */
	if (!(flags & VG_REGEX_NOJIT) && pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0)
		re->jit = true;
	*ret = re;
	return 0;
}

struct vg_regex *vg_regex_free(struct vg_regex *re)
{
	if (!re)
		return NULL;
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
	return NULL;
}

bool vg_regex_is_jit(const struct vg_regex *re)
{
	return re && re->jit;
}

uint64_t vg_regex_limit_hits(const struct vg_regex *re)
{
	return re ? __atomic_load_n(&re->limit_hits, __ATOMIC_RELAXED) : 0;
}

struct vg_regex_md *vg_regex_md_new(void)
{
	struct vg_regex_md *md = calloc(1, sizeof(*md));

	if (!md)
		return NULL;
	md->md = pcre2_match_data_create(VG_REGEX_GROUPS_MAX + 1, NULL);
	if (!md->md) {
		free(md);
		return NULL;
	}
	return md;
}

struct vg_regex_md *vg_regex_md_free(struct vg_regex_md *md)
{
	if (!md)
		return NULL;
	pcre2_match_data_free(md->md);
	free(md);
	return NULL;
}

/* > 0 on a match: the number of ovector pairs set (groups above it took no part). */
static int match_at(struct vg_regex *re, struct vg_regex_md *md, const char *subject, size_t len,
		    size_t start)
{
	int r;

	/* pcre2_jit_match skips the UTF check: only use it when the subject need not be
	 * checked. */
	if (re->jit && !re->utf)
		r = pcre2_jit_match(re->code, (PCRE2_SPTR)subject, len, start, 0, md->md, re->mctx);
	else
		r = pcre2_match(re->code, (PCRE2_SPTR)subject, len, start, 0, md->md, re->mctx);
	if (r > 0)
		return r;
	if (r == 0) /* more groups than the match data holds: those beyond are not reported */
		return VG_REGEX_GROUPS_MAX + 1;
	switch (r) {
	case PCRE2_ERROR_NOMATCH:
		return 0;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
	case PCRE2_ERROR_NOMEMORY:
		__atomic_fetch_add(&re->limit_hits, 1, __ATOMIC_RELAXED); /* rulesets are shared */
		return 0;
	default:
		/* Bad UTF-8 in the subject and the like: not a match. */
		return 0;
	}
}

int vg_regex_match(struct vg_regex *re, struct vg_regex_md *md, const char *subject, size_t len)
{
	if (!re || !md || (!subject && len))
		return -EINVAL;
	return match_at(re, md, subject ? subject : "", len, 0) > 0;
}

unsigned vg_regex_capture_count(const struct vg_regex *re)
{
	uint32_t n = 0;

	(void)pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
	return n;
}

int vg_regex_group(const struct vg_regex *re, const char *name)
{
	int n = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);

	return n > 0 ? n : -ENOENT;
}

int vg_regex_find(struct vg_regex *re, struct vg_regex_md *md, const char *subject, size_t len,
		  size_t start, int group, struct vg_regex_span *ret_match,
		  struct vg_regex_span *ret_group)
{
	const struct vg_regex_span none = {SIZE_MAX, SIZE_MAX};
	PCRE2_SIZE *ov;
	int r;

	if (!re || !md || (!subject && len) || group < 0)
		return -EINVAL;
	if (start > len)
		return 0;
	r = match_at(re, md, subject ? subject : "", len, start); /* r: pairs set */
	if (r <= 0)
		return r;
	ov = pcre2_get_ovector_pointer(md->md);
	*ret_match = (struct vg_regex_span){ov[0], ov[1]};
	if (ret_match->so > ret_match->eo) /* \K past the end */
		ret_match->so = ret_match->eo;
	if (ret_group) {
		if (group == 0)
			*ret_group = *ret_match;
		else if (group < r && ov[2 * group] != PCRE2_UNSET)
			*ret_group = (struct vg_regex_span){ov[2 * group], ov[2 * group + 1]};
		else
			*ret_group = none;
	}
	return 1;
}
