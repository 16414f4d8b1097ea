/* SPDX-License-Identifier: Apache-2.0 */
/* Package model helpers and package URLs (purl). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/os-release.h"
#include "inventory/package.h"

static const char *const ecosystem_names[VG_ECOSYSTEM__MAX] = {
	[VG_ECOSYSTEM_DEB] = "deb",	[VG_ECOSYSTEM_APK] = "apk",
	[VG_ECOSYSTEM_RPM] = "rpm",	[VG_ECOSYSTEM_NPM] = "npm",
	[VG_ECOSYSTEM_PYPI] = "pypi",	[VG_ECOSYSTEM_GOLANG] = "golang",
	[VG_ECOSYSTEM_MAVEN] = "maven", [VG_ECOSYSTEM_GEM] = "gem",
	[VG_ECOSYSTEM_CARGO] = "cargo", [VG_ECOSYSTEM_COMPOSER] = "composer",
};

const char *vg_ecosystem_to_string(enum vg_ecosystem e)
{
	if ((int)e < 0 || e >= VG_ECOSYSTEM__MAX)
		return NULL;
	return ecosystem_names[e];
}

void vg_package_list_init(struct vg_vec *list)
{
	vg_vec_init(list, sizeof(struct vg_package), VG_INV_PACKAGES_MAX);
}

static bool purl_unreserved(unsigned char c, bool colon_ok)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return true;
	if (c == '.' || c == '-' || c == '_' || c == '~')
		return true;
	return colon_ok && c == ':';
}

static int escape(struct vg_strbuf *sb, const char *s, bool colon_ok)
{
	static const char hex[] = "0123456789ABCDEF";
	int r;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (purl_unreserved(*p, colon_ok)) {
			r = vg_strbuf_putc(sb, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

			r = vg_strbuf_append(sb, e, 3);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int vg_purl_escape(struct vg_strbuf *sb, const char *s)
{
	return escape(sb, s, true);
}

struct qualifier {
	const char *key;
	const char *value; /* NULL or "" = left out */
	const char *value2; /* appended after '@' when set (upstream=name@version) */
};

/* Appends ?k=v&k=v for the non-empty qualifiers, which the caller lists sorted by key. */
static int put_qualifiers(struct vg_strbuf *sb, const struct qualifier *q, size_t n)
{
	bool first = true;
	int r;

	for (size_t i = 0; i < n; i++) {
		if (vg_isempty(q[i].value))
			continue;
		r = vg_strbuf_putc(sb, first ? '?' : '&');
		if (r >= 0)
			r = vg_strbuf_puts(sb, q[i].key);
		if (r >= 0)
			r = vg_strbuf_putc(sb, '=');
		if (r >= 0)
			r = escape(sb, q[i].value, true);
		if (r >= 0 && !vg_isempty(q[i].value2)) {
			r = vg_strbuf_append(sb, "%40", 3);
			if (r >= 0)
				r = escape(sb, q[i].value2, true);
		}
		if (r < 0)
			return r;
		first = false;
	}
	return 0;
}

/* Lower-cased copy of s into buf (purl namespaces of deb/apk/rpm are lower case). */
static const char *lower(char *buf, size_t size, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	buf[i] = '\0';
	return buf;
}

/*
 * Language package names (purl types): namespace segments split on '/' and escaped one by
 * one (npm "@scope/name" -> "%40scope/name", golang module paths, composer "vendor/name");
 * maven "group:artifact" -> "group/artifact"; pypi names normalised per PEP 503 (lower
 * case, runs of "-_." -> "-").
 */
static int put_lang_name(struct vg_strbuf *sb, const struct vg_package *p)
{
	char seg[VG_INV_PURL_MAX];
	const char *s = p->name;
	int r = 0;

	if (p->ecosystem == VG_ECOSYSTEM_PYPI) {
		size_t n = 0;

		for (; *s && n + 1 < sizeof(seg); s++) {
			char c = *s;

			if (c == '-' || c == '_' || c == '.') {
				if (n == 0 || seg[n - 1] != '-')
					seg[n++] = '-';
				continue;
			}
			seg[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		}
		if (*s)
			return -E2BIG;
		seg[n] = '\0';
		return escape(sb, seg, false);
	}
	if (p->ecosystem == VG_ECOSYSTEM_MAVEN) {
		const char *c = strchr(s, ':');

		if (c && (size_t)(c - s) < sizeof(seg)) {
			memcpy(seg, s, (size_t)(c - s));
			seg[c - s] = '\0';
			r = escape(sb, seg, false);
			if (r >= 0)
				r = vg_strbuf_putc(sb, '/');
			if (r >= 0)
				r = escape(sb, c + 1, false);
			return r;
		}
		return escape(sb, s, false);
	}
	while (r >= 0) {
		size_t n = strcspn(s, "/");

		if (n >= sizeof(seg))
			return -E2BIG;
		memcpy(seg, s, n);
		seg[n] = '\0';
		r = escape(sb, seg, false);
		if (r < 0 || !s[n])
			break;
		r = vg_strbuf_putc(sb, '/');
		s += n + 1;
	}
	return r;
}

static int build(const struct vg_package *p, const struct vg_os *os, struct vg_strbuf *sb)
{
	char ns[VG_INV_OS_FIELD_MAX], distro[2 * VG_INV_OS_FIELD_MAX + 2];
	const char *type = vg_ecosystem_to_string(p->ecosystem);
	const char *version = p->version;
	const char *epoch = NULL;
	char epoch_buf[32];
	int r;

	if (!type || vg_isempty(p->name))
		return -EINVAL;
	ns[0] = distro[0] = '\0';
	if (os && os->id[0]) {
		lower(ns, sizeof(ns), os->id);
		if (os->version_id[0])
			(void)snprintf(distro, sizeof(distro), "%s-%s", ns, os->version_id);
	}

	r = vg_strbuf_printf(sb, "pkg:%s/", type);
	if (r < 0)
		return r;
	switch (p->ecosystem) {
	case VG_ECOSYSTEM_DEB:
		if (!ns[0])
			lower(ns, sizeof(ns), "debian");
		break;
	case VG_ECOSYSTEM_APK:
		if (!ns[0])
			lower(ns, sizeof(ns), "alpine");
		/* Trivy spells the apk distro qualifier as the bare release: distro=3.10.4 */
		if (os && os->version_id[0])
			(void)snprintf(distro, sizeof(distro), "%s", os->version_id);
		break;
	case VG_ECOSYSTEM_RPM:
		/* Epoch goes to a qualifier: pkg:rpm/fedora/curl@7.50.3-1.fc25?epoch=1 */
		if (version) {
			const char *c = strchr(version, ':');
			size_t n = c ? (size_t)(c - version) : 0;

			if (c && n > 0 && n < sizeof(epoch_buf) &&
			    strspn(version, "0123456789") == n) {
				memcpy(epoch_buf, version, n);
				epoch_buf[n] = '\0';
				epoch = epoch_buf;
				version = c + 1;
			}
		}
		break;
	default:
		ns[0] = distro[0] = '\0'; /* language packages carry no OS */
		break;
	}
	if (ns[0]) {
		r = escape(sb, ns, false);
		if (r >= 0)
			r = vg_strbuf_putc(sb, '/');
		if (r < 0)
			return r;
	}
	if (p->ecosystem == VG_ECOSYSTEM_DEB || p->ecosystem == VG_ECOSYSTEM_APK ||
	    p->ecosystem == VG_ECOSYSTEM_RPM)
		r = escape(sb, p->name, false);
	else
		r = put_lang_name(sb, p);
	if (r < 0)
		return r;
	if (!vg_isempty(version)) {
		r = vg_strbuf_putc(sb, '@');
		if (r >= 0)
			r = escape(sb, version, true);
		if (r < 0)
			return r;
	}

	switch (p->ecosystem) {
	case VG_ECOSYSTEM_DEB: {
		bool other_name = p->source_name && !vg_streq(p->source_name, p->name);
		bool other_version =
			p->source_version && p->version && !vg_streq(p->source_version, p->version);
		const struct qualifier q[] = {
			{"arch", p->arch, NULL},
			{"distro", distro, NULL},
			{"upstream", (other_name || other_version) ? p->source_name : NULL,
			 other_version ? p->source_version : NULL},
		};

		return put_qualifiers(sb, q, sizeof(q) / sizeof(q[0]));
	}
	case VG_ECOSYSTEM_APK: {
		const struct qualifier q[] = {
			{"arch", p->arch, NULL},
			{"distro", distro, NULL},
		};

		return put_qualifiers(sb, q, sizeof(q) / sizeof(q[0]));
	}
	case VG_ECOSYSTEM_RPM: {
		const struct qualifier q[] = {
			{"arch", p->arch, NULL},
			{"distro", distro, NULL},
			{"epoch", epoch, NULL},
		};

		return put_qualifiers(sb, q, sizeof(q) / sizeof(q[0]));
	}
	default:
		return 0;
	}
}

int vg_package_purl(const struct vg_package *p, const struct vg_os *os, struct vg_arena *a,
		    const char **ret)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(VG_INV_PURL_MAX);
	char *s;
	int r;

	r = build(p, os, &sb);
	if (r < 0) {
		vg_strbuf_done(&sb);
		return r;
	}
	s = vg_arena_strdup(a, vg_strbuf_str(&sb));
	vg_strbuf_done(&sb);
	if (!s)
		return vg_arena_error(a) ?: -ENOMEM;
	*ret = s;
	return 0;
}

int vg_package_set_purl(struct vg_package *p, const struct vg_os *os, struct vg_arena *a)
{
	const char *s;
	int r = vg_package_purl(p, os, a, &s);

	if (r < 0)
		return r;
	p->purl = s;
	return 0;
}

struct vg_package *vg_package_find(const struct vg_vec *list, const char *name, const char *arch)
{
	vg_vec_for_each(struct vg_package, p, list) {
		if (!vg_streq(p->name, name))
			continue;
		if (arch && p->arch && !vg_streq(p->arch, arch) && !vg_streq(p->arch, "all"))
			continue;
		return p;
	}
	return NULL;
}
