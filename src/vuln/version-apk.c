/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alpine versions (apk-tools src/version.c, Gentoo-like):
 *   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
 * Compared token by token. Digits after a '.' with a leading zero compare as strings (a
 * fraction, "1.01" < "1.1"), other numbers numerically; suffixes order
 * _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p. When the token kinds
 * differ, a pre-release suffix sorts first, otherwise the kind that comes earlier in the
 * grammar wins (so "1.0" < "1.0a" < "1.0.1" and "1.0_rc1" < "1.0").
 *
 * apk stops at the first malformed token and calls two malformed versions equal, which is
 * not an order. Here a malformed token carries the rest of the string and compares by bytes
 * with another malformed token, and below every well-formed kind, so any two strings have a
 * place in one total order and well-formed versions compare exactly as apk does.
 */
#include <string.h>

#include "vuln/version-internal.h"

enum token {
	TOKEN_INITIAL_DIGIT,
	TOKEN_DIGIT,
	TOKEN_LETTER,
	TOKEN_SUFFIX,
	TOKEN_SUFFIX_NO,
	TOKEN_COMMIT_HASH,
	TOKEN_REVISION_NO,
	TOKEN_END,
	TOKEN_INVALID,
};

enum suffix {
	SUFFIX_ALPHA,
	SUFFIX_BETA,
	SUFFIX_PRE,
	SUFFIX_RC,
	SUFFIX_NONE, /* pre-release suffixes sort before this, the others after */
	SUFFIX_CVS,
	SUFFIX_SVN,
	SUFFIX_GIT,
	SUFFIX_HG,
	SUFFIX_P,
	SUFFIX_INVALID,
};

static const char *const suffixes[] = {
	[SUFFIX_ALPHA] = "alpha", [SUFFIX_BETA] = "beta", [SUFFIX_PRE] = "pre",
	[SUFFIX_RC] = "rc",	  [SUFFIX_CVS] = "cvs",	  [SUFFIX_SVN] = "svn",
	[SUFFIX_GIT] = "git",	  [SUFFIX_HG] = "hg",	  [SUFFIX_P] = "p",
};

struct tok {
	enum token token;
	enum suffix suffix;
	const char *value; /* digits, letter, suffix name, hash, or the rest when invalid */
	size_t len;
	const char *p, *end; /* scan position */
};

static enum suffix suffix_value(const char *s, size_t len)
{
	for (int i = 0; i < SUFFIX_INVALID; i++)
		if (suffixes[i] && strlen(suffixes[i]) == len && memcmp(suffixes[i], s, len) == 0)
			return (enum suffix)i;
	return SUFFIX_INVALID;
}

/* Ends the scan with a malformed token holding the rest of the string. */
static void set_invalid(struct tok *t, const char *start)
{
	t->token = TOKEN_INVALID;
	t->value = start;
	t->len = (size_t)(t->end - start);
	t->p = t->end;
}

static void parse_digits(struct tok *t, const char *start)
{
	t->value = t->p;
	while (t->p < t->end && vg_version_isdigit(*t->p))
		t->p++;
	t->len = (size_t)(t->p - t->value);
	if (t->len == 0)
		set_invalid(t, start);
}

static void token_first(struct tok *t, const char *s)
{
	t->p = s;
	t->end = s + strlen(s);
	t->token = TOKEN_INITIAL_DIGIT;
	parse_digits(t, s);
}

static void token_next(struct tok *t)
{
	const char *start = t->p;
	char c;

	if (t->p == t->end) {
		t->token = TOKEN_END;
		t->value = t->p;
		t->len = 0;
		return;
	}
	c = *t->p;
	if (c >= 'a' && c <= 'z') {
		if (t->token > TOKEN_DIGIT)
			goto invalid;
		t->token = TOKEN_LETTER;
		t->value = t->p++;
		t->len = 1;
	} else if (c == '.' || vg_version_isdigit(c)) {
		if (c == '.') {
			if (t->token > TOKEN_DIGIT)
				goto invalid;
			t->p++;
		}
		if (t->token == TOKEN_INITIAL_DIGIT || t->token == TOKEN_DIGIT)
			t->token = TOKEN_DIGIT;
		else if (t->token == TOKEN_SUFFIX)
			t->token = TOKEN_SUFFIX_NO;
		else
			goto invalid;
		parse_digits(t, start);
	} else if (c == '_') {
		if (t->token > TOKEN_SUFFIX_NO)
			goto invalid;
		t->value = ++t->p;
		while (t->p < t->end && *t->p >= 'a' && *t->p <= 'z')
			t->p++;
		t->len = (size_t)(t->p - t->value);
		t->suffix = suffix_value(t->value, t->len);
		if (t->suffix == SUFFIX_INVALID)
			goto invalid;
		t->token = TOKEN_SUFFIX;
	} else if (c == '~') {
		if (t->token >= TOKEN_COMMIT_HASH)
			goto invalid;
		t->value = ++t->p;
		while (t->p < t->end &&
		       (vg_version_isdigit(*t->p) || (*t->p >= 'a' && *t->p <= 'f')))
			t->p++;
		t->len = (size_t)(t->p - t->value);
		if (t->len == 0)
			goto invalid;
		t->token = TOKEN_COMMIT_HASH;
	} else if (c == '-') {
		if (t->token >= TOKEN_REVISION_NO || t->end - t->p < 2 || t->p[1] != 'r')
			goto invalid;
		t->p += 2;
		t->token = TOKEN_REVISION_NO;
		parse_digits(t, start);
	} else {
		goto invalid;
	}
	return;
invalid:
	set_invalid(t, start);
}

static int token_cmp(const struct tok *a, const struct tok *b)
{
	switch (a->token) {
	case TOKEN_DIGIT:
		/* a leading zero makes it a fraction: string order, as in Gentoo */
		if (a->value[0] == '0' || b->value[0] == '0')
			return vg_version_bytecmp(a->value, a->len, b->value, b->len);
		return vg_version_numcmp(a->value, a->len, b->value, b->len);
	case TOKEN_INITIAL_DIGIT:
	case TOKEN_SUFFIX_NO:
	case TOKEN_REVISION_NO:
		return vg_version_numcmp(a->value, a->len, b->value, b->len);
	case TOKEN_LETTER:
		return vg_version_sign((unsigned char)a->value[0] - (unsigned char)b->value[0]);
	case TOKEN_SUFFIX:
		return vg_version_sign((int)a->suffix - (int)b->suffix);
	default: /* commit hash, invalid rest */
		return vg_version_bytecmp(a->value, a->len, b->value, b->len);
	}
}

int vg_version_apk_cmp(const char *a, const char *b, int *ret)
{
	struct tok ta, tb;
	int r;

	for (token_first(&ta, a), token_first(&tb, b); ta.token == tb.token;
	     token_next(&ta), token_next(&tb)) {
		if (ta.token == TOKEN_END)
			return *ret = 0, 0;
		r = token_cmp(&ta, &tb);
		if (r != 0 || ta.token == TOKEN_INVALID)
			return *ret = r, 0;
	}
	/* Equal so far: the longer one wins unless it goes on with a pre-release suffix. */
	if (ta.token == TOKEN_SUFFIX && ta.suffix < SUFFIX_NONE)
		*ret = -1;
	else if (tb.token == TOKEN_SUFFIX && tb.suffix < SUFFIX_NONE)
		*ret = 1;
	else
		*ret = ta.token > tb.token ? -1 : 1;
	return 0;
}

bool vg_version_apk_valid(const char *v)
{
	struct tok t;

	for (token_first(&t, v); t.token < TOKEN_END; token_next(&t))
		;
	return t.token == TOKEN_END;
}
