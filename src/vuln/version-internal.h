/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-scheme comparators behind vg_version_cmp(). The dispatcher has already checked that
 * the strings are non-NULL and no longer than VG_VERSION_LEN_MAX, so schemes may copy a
 * string into a stack buffer of VG_VERSION_LEN_MAX + 1 bytes.
 *
 * cmp: stores <0/0/>0 in *ret and returns 0, or -EINVAL (strict schemes only).
 * valid: true if the string follows the scheme's reference grammar.
 */
#ifndef VG_VULN_VERSION_INTERNAL_H
#define VG_VULN_VERSION_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#define VG_VERSION_SCHEME_FUNCS(name)                                        \
	int vg_version_##name##_cmp(const char *a, const char *b, int *ret); \
	bool vg_version_##name##_valid(const char *v);

VG_VERSION_SCHEME_FUNCS(dpkg)
VG_VERSION_SCHEME_FUNCS(apk)
VG_VERSION_SCHEME_FUNCS(rpm)
VG_VERSION_SCHEME_FUNCS(semver)
VG_VERSION_SCHEME_FUNCS(pep440)
VG_VERSION_SCHEME_FUNCS(maven)
VG_VERSION_SCHEME_FUNCS(gem)
VG_VERSION_SCHEME_FUNCS(go)
VG_VERSION_SCHEME_FUNCS(npm)

static inline bool vg_version_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool vg_version_isalpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool vg_version_isalnum(char c)
{
	return vg_version_isdigit(c) || vg_version_isalpha(c);
}

static inline int vg_version_sign(long long v)
{
	return (v > 0) - (v < 0);
}

/* Compares two runs of ASCII digits as unbounded non-negative integers (leading zeros ignored). */
int vg_version_numcmp(const char *a, size_t alen, const char *b, size_t blen);

/* memcmp over the common length, then the shorter string first. */
int vg_version_bytecmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * A parsed semantic version, pointing into the input string. Shared by semver, go and npm.
 * Numbers are digit runs; pre/build exclude the '-'/'+' and are 0-length when absent.
 */
struct vg_semver {
	const char *num[3];
	size_t num_len[3];
	const char *pre;
	size_t pre_len;
	const char *build;
	size_t build_len;
	bool has_pre;
};

enum {
	VG_SEMVER_ALLOW_V = 1 << 0, /* optional leading 'v' */
	VG_SEMVER_REQUIRE_V = 1 << 1, /* leading 'v' required */
	VG_SEMVER_ALLOW_SHORT = 1 << 2, /* "1" and "1.2" (Go), only without prerelease/build */
};

/* Parses v[0..len) per semver.org 2.0.0 with the flags above; -EINVAL if malformed. */
int vg_semver_parse(const char *v, size_t len, unsigned flags, struct vg_semver *ret);

/* Dot-separated identifiers, non-empty, [0-9A-Za-z-], numeric ones without leading zeros. */
bool vg_semver_prerelease_valid(const char *s, size_t len);

/* Dot-separated prerelease identifiers a and b (without the '-') by semver.org §11. */
int vg_semver_prerelease_cmp(const char *a, size_t an, const char *b, size_t bn);

/* semver.org precedence: numbers, then prerelease identifiers; build metadata ignored. */
int vg_semver_compare(const struct vg_semver *a, const struct vg_semver *b);

#endif /* VG_VULN_VERSION_INTERNAL_H */
