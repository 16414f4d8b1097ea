/* SPDX-License-Identifier: Apache-2.0 */
/* Scheme dispatch, ecosystem names and helpers shared by the version schemes. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "basic/macro.h"
#include "vuln/version-internal.h"
#include "vuln/version.h"

struct scheme {
	const char *name;
	int (*cmp)(const char *a, const char *b, int *ret);
	bool (*valid)(const char *v);
};

#define SCHEME(id, n) [VG_VERSION_##id] = {#n, vg_version_##n##_cmp, vg_version_##n##_valid}

static const struct scheme schemes[VG_VERSION__MAX] = {
	SCHEME(DPKG, dpkg),	SCHEME(APK, apk),	SCHEME(RPM, rpm),
	SCHEME(SEMVER, semver), SCHEME(PEP440, pep440), SCHEME(MAVEN, maven),
	SCHEME(GEM, gem),	SCHEME(GO, go),		SCHEME(NPM, npm),
};

int vg_version_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen > 0 && *a == '0')
		a++, alen--;
	while (blen > 0 && *b == '0')
		b++, blen--;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return vg_version_sign(memcmp(a, b, alen));
}

int vg_version_bytecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, VG_MIN(alen, blen));

	if (r != 0)
		return vg_version_sign(r);
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

static bool too_long(const char *s)
{
	return strnlen(s, VG_VERSION_LEN_MAX + 1) > VG_VERSION_LEN_MAX;
}

int vg_version_cmp(enum vg_version_scheme s, const char *a, const char *b, int *ret)
{
	int r, c = 0;

	if ((int)s < 0 || s >= VG_VERSION__MAX || !a || !b || !ret)
		return -EINVAL;
	if (too_long(a) || too_long(b))
		return -E2BIG;
	r = schemes[s].cmp(a, b, &c);
	if (r < 0)
		return r;
	*ret = vg_version_sign(c);
	return 0;
}

int vg_version_valid(enum vg_version_scheme s, const char *v)
{
	if ((int)s < 0 || s >= VG_VERSION__MAX || !v)
		return 0;
	if (too_long(v))
		return 0;
	return schemes[s].valid(v) ? 1 : 0;
}

const char *vg_version_scheme_to_string(enum vg_version_scheme s)
{
	if ((int)s < 0 || s >= VG_VERSION__MAX)
		return NULL;
	return schemes[s].name;
}

struct name_map {
	const char *name;
	enum vg_version_scheme scheme;
};

/* OSV ecosystem names (ossf/osv-schema ecosystems.txt) that have a scheme here. */
static const struct name_map ecosystems[] = {
	{"Debian", VG_VERSION_DPKG},	 {"Ubuntu", VG_VERSION_DPKG},
	{"Alpine", VG_VERSION_APK},	 {"Wolfi", VG_VERSION_APK},
	{"Chainguard", VG_VERSION_APK},	 {"Red Hat", VG_VERSION_RPM},
	{"Rocky Linux", VG_VERSION_RPM}, {"AlmaLinux", VG_VERSION_RPM},
	{"openSUSE", VG_VERSION_RPM},	 {"SUSE", VG_VERSION_RPM},
	{"Mageia", VG_VERSION_RPM},	 {"openEuler", VG_VERSION_RPM},
	{"Photon OS", VG_VERSION_RPM},	 {"Azure Linux", VG_VERSION_RPM},
	{"Go", VG_VERSION_GO},		 {"PyPI", VG_VERSION_PEP440},
	{"npm", VG_VERSION_NPM},	 {"Maven", VG_VERSION_MAVEN},
	{"RubyGems", VG_VERSION_GEM},	 {"crates.io", VG_VERSION_SEMVER},
};

static const struct name_map purl_types[] = {
	{"deb", VG_VERSION_DPKG},    {"apk", VG_VERSION_APK},	  {"rpm", VG_VERSION_RPM},
	{"golang", VG_VERSION_GO},   {"pypi", VG_VERSION_PEP440}, {"npm", VG_VERSION_NPM},
	{"maven", VG_VERSION_MAVEN}, {"gem", VG_VERSION_GEM},	  {"cargo", VG_VERSION_SEMVER},
};

int vg_version_scheme_from_ecosystem(const char *ecosystem, enum vg_version_scheme *ret)
{
	size_t n;

	if (!ecosystem || !ret)
		return -EINVAL;
	/* "Debian:12", "Ubuntu:22.04:LTS": the release after the first ':' does not matter */
	n = strcspn(ecosystem, ":");
	for (size_t i = 0; i < VG_ARRAY_SIZE(ecosystems); i++)
		if (strlen(ecosystems[i].name) == n &&
		    memcmp(ecosystems[i].name, ecosystem, n) == 0) {
			*ret = ecosystems[i].scheme;
			return 0;
		}
	return -ENOENT;
}

int vg_version_scheme_from_purl_type(const char *type, enum vg_version_scheme *ret)
{
	if (!type || !ret)
		return -EINVAL;
	/* purl types are case-insensitive and canonically lower case */
	for (size_t i = 0; i < VG_ARRAY_SIZE(purl_types); i++)
		if (strcasecmp(purl_types[i].name, type) == 0) {
			*ret = purl_types[i].scheme;
			return 0;
		}
	return -ENOENT;
}
