/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basic/limits.h"
#include "basic/macro.h"
#include "vuln/vuln-util.h"

static const struct {
	const char *codename, *release;
} debian_releases[] = {
	{"buzz", "1.1"},    {"rex", "1.2"},    {"bo", "1.3"},	 {"hamm", "2.0"},
	{"slink", "2.1"},   {"potato", "2.2"}, {"woody", "3.0"}, {"sarge", "3.1"},
	{"etch", "4"},	    {"lenny", "5"},    {"squeeze", "6"}, {"wheezy", "7"},
	{"jessie", "8"},    {"stretch", "9"},  {"buster", "10"}, {"bullseye", "11"},
	{"bookworm", "12"}, {"trixie", "13"},  {"forky", "14"},	 {"duke", "15"},
	{"sid", "sid"},
};

const char *vg_vuln_debian_release(const char *codename)
{
	if (!codename)
		return NULL;
	for (size_t i = 0; i < VG_ARRAY_SIZE(debian_releases); i++)
		if (strcmp(codename, debian_releases[i].codename) == 0)
			return debian_releases[i].release;
	return NULL;
}

static int put(char *buf, size_t size, const char *a, size_t an, const char *b, size_t bn,
	       bool lower)
{
	size_t n = 0;

	if (an + (bn ? bn + 1 : 0) + 1 > size)
		return -E2BIG;
	for (size_t i = 0; i < an; i++)
		buf[n++] = lower ? (char)tolower((unsigned char)a[i]) : a[i];
	if (bn) {
		buf[n++] = ':';
		memcpy(buf + n, b, bn);
		n += bn;
	}
	buf[n] = '\0';
	return 0;
}

int vg_vuln_namespace_from_osv(const char *eco, char *buf, size_t size)
{
	const char *colon, *rel, *end;
	size_t dn;

	if (!eco || !eco[0])
		return -EINVAL;
	colon = strchr(eco, ':');
	if (!colon)
		return put(buf, size, eco, strlen(eco), NULL, 0, false);
	dn = (size_t)(colon - eco);
	rel = colon + 1;
	if (dn == 6 && strncasecmp(eco, "Ubuntu", 6) == 0) {
		if (strncasecmp(rel, "Pro:", 4) == 0) {
			rel += 4;
			end = strchr(rel, ':');
			return put(buf, size, "ubuntu-pro", 10, rel,
				   end ? (size_t)(end - rel) : strlen(rel), true);
		}
		end = strchr(rel, ':'); /* drop ":LTS" */
		return put(buf, size, eco, dn, rel, end ? (size_t)(end - rel) : strlen(rel), true);
	}
	if (dn == 6 && strncasecmp(eco, "Alpine", 6) == 0 && rel[0] == 'v')
		rel++;
	return put(buf, size, eco, dn, rel, strlen(rel), true);
}

int vg_vuln_namespace_scheme(const char *ns, enum vg_version_scheme *ret)
{
	if (strncmp(ns, "debian:", 7) == 0 || strncmp(ns, "ubuntu:", 7) == 0 ||
	    strncmp(ns, "ubuntu-pro:", 11) == 0) {
		*ret = VG_VERSION_DPKG;
		return 0;
	}
	if (strncmp(ns, "alpine:", 7) == 0) {
		*ret = VG_VERSION_APK;
		return 0;
	}
	return vg_version_scheme_from_ecosystem(ns, ret) < 0 ? -ENOENT : 0;
}

static int id_class(const char *s, unsigned long *year, unsigned long *num)
{
	char *end;

	if (strncmp(s, "CVE-", 4) == 0 && isdigit((unsigned char)s[4])) {
		*year = strtoul(s + 4, &end, 10);
		if (*end == '-' && isdigit((unsigned char)end[1])) {
			*num = strtoul(end + 1, &end, 10);
			if (*end == '\0')
				return 0;
		}
		return 1;
	}
	if (strncmp(s, "GHSA-", 5) == 0)
		return 2;
	return 3;
}

int vg_vuln_id_cmp(const char *a, const char *b)
{
	unsigned long ya = 0, na = 0, yb = 0, nb = 0;
	int ca = id_class(a, &ya, &na), cb = id_class(b, &yb, &nb);

	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == 0) {
		if (ya != yb)
			return ya < yb ? -1 : 1;
		if (na != nb)
			return na < nb ? -1 : 1;
	}
	return strcmp(a, b);
}

bool vg_vuln_version_ok(const char *v)
{
	size_t n = 0;

	if (!v)
		return false;
	for (; v[n]; n++) {
		if (n >= VG_VERSION_LEN_MAX)
			return false;
		if ((unsigned char)v[n] <= ' ' || v[n] == 0x7f)
			return false;
	}
	return n > 0;
}

void vg_vuln_pypi_normalize(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	for (; *s && o + 1 < size; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			if (o == 0 || buf[o - 1] != '-')
				buf[o++] = '-';
		} else
			buf[o++] = (char)tolower((unsigned char)*s);
	}
	buf[o] = '\0';
}
