/* SPDX-License-Identifier: Apache-2.0 */
/* OS detection: os-release(5) parsing and the fallbacks for images without it. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "basic/string-util.h"
#include "inventory/os-release.h"

static const char *const family_names[VG_OS_FAMILY__MAX] = {
	[VG_OS_FAMILY_UNKNOWN] = "unknown", [VG_OS_FAMILY_DEBIAN] = "debian",
	[VG_OS_FAMILY_ALPINE] = "alpine",   [VG_OS_FAMILY_REDHAT] = "redhat",
	[VG_OS_FAMILY_SUSE] = "suse",
};

const char *vg_os_family_to_string(enum vg_os_family f)
{
	if ((int)f < 0 || f >= VG_OS_FAMILY__MAX)
		return NULL;
	return family_names[f];
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

/*
 * Shell-like value: concatenated segments of "double quoted" (backslash escapes \" \\ \$ \`
 * and line joins), 'single quoted' (literal) and unquoted text (backslash escapes any
 * character) up to the first unquoted blank or the end of the line.
 */
static void parse_value(const char *p, const char *end, char *dst, size_t size)
{
	struct out o = {dst, size, 0};

	while (p < end && !is_blank(*p)) {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end && strchr("\"\\$`", p[1]))
					p++;
				put(&o, *p);
			}
			if (p < end)
				p++; /* closing quote; an unterminated one runs to the end */
		} else if (*p == '\'') {
			for (p++; p < end && *p != '\''; p++)
				put(&o, *p);
			if (p < end)
				p++;
		} else if (*p == '\\' && p + 1 < end) {
			put(&o, p[1]);
			p += 2;
		} else {
			put(&o, *p++);
		}
	}
	dst[o.len] = '\0';
}

int vg_os_release_parse(const char *buf, size_t len, struct vg_os *ret)
{
	const char *end = buf + len, *line, *eol;
	bool any = false;

	memset(ret, 0, sizeof(*ret));
	if (len > VG_INV_OS_FILE_MAX)
		return -E2BIG;
	for (line = buf; line < end; line = eol + 1) {
		const char *p = line, *key, *key_end;
		char *dst = NULL;

		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		while (p < eol && is_blank(*p))
			p++;
		if (p == eol || *p == '#')
			continue;
		key = p;
		while (p < eol && is_key_char(*p))
			p++;
		key_end = p;
		if (key_end == key || p == eol || *p != '=')
			continue; /* not KEY=value: ignored, like systemd's parser */
		p++;
#define KEY_IS(k) ((size_t)(key_end - key) == strlen(k) && memcmp(key, k, strlen(k)) == 0)
		if (KEY_IS("ID"))
			dst = ret->id;
		else if (KEY_IS("VERSION_ID"))
			dst = ret->version_id;
		else if (KEY_IS("VERSION_CODENAME"))
			dst = ret->codename;
		else if (KEY_IS("PRETTY_NAME"))
			dst = ret->pretty_name;
		else if (KEY_IS("ID_LIKE"))
			dst = ret->id_like;
		else if (KEY_IS("NAME"))
			any = true;
#undef KEY_IS
		if (!dst)
			continue;
		/* ID_LIKE and PRETTY_NAME hold blanks inside quotes; parse_value stops only at
		 * unquoted ones, which os-release(5) does not allow anyway. */
		parse_value(p, eol, dst, VG_INV_OS_FIELD_MAX);
		any = true;
	}
	if (!any)
		return -EBADMSG;
	return 0;
}

static const struct {
	const char *id;
	enum vg_os_family family;
} id_families[] = {
	{"debian", VG_OS_FAMILY_DEBIAN},      {"ubuntu", VG_OS_FAMILY_DEBIAN},
	{"alpine", VG_OS_FAMILY_ALPINE},      {"wolfi", VG_OS_FAMILY_ALPINE},
	{"rhel", VG_OS_FAMILY_REDHAT},	      {"centos", VG_OS_FAMILY_REDHAT},
	{"fedora", VG_OS_FAMILY_REDHAT},      {"rocky", VG_OS_FAMILY_REDHAT},
	{"almalinux", VG_OS_FAMILY_REDHAT},   {"ol", VG_OS_FAMILY_REDHAT},
	{"amzn", VG_OS_FAMILY_REDHAT},	      {"sles", VG_OS_FAMILY_SUSE},
	{"opensuse-leap", VG_OS_FAMILY_SUSE}, {"suse", VG_OS_FAMILY_SUSE},
};

static enum vg_os_family family_of(const char *id)
{
	for (size_t i = 0; i < sizeof(id_families) / sizeof(id_families[0]); i++)
		if (vg_streq(id, id_families[i].id))
			return id_families[i].family;
	return VG_OS_FAMILY_UNKNOWN;
}

static enum vg_os_family family_from(const struct vg_os *os)
{
	enum vg_os_family f = family_of(os->id);
	char word[VG_INV_OS_FIELD_MAX];
	const char *p = os->id_like;

	/* ID_LIKE="rhel centos fedora": the first known word wins */
	while (f == VG_OS_FAMILY_UNKNOWN && *p) {
		size_t n = strcspn(p, " \t");

		if (n > 0 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			f = family_of(word);
		}
		p += n;
		p += strspn(p, " \t");
	}
	return f;
}

/* First line of a small file, blanks trimmed, into dst. */
static void first_line(const char *buf, size_t len, char *dst, size_t size)
{
	size_t i = 0, n;

	while (i < len && (is_blank(buf[i]) || buf[i] == '\n'))
		i++;
	for (n = 0; i + n < len && buf[i + n] != '\n' && buf[i + n] != '\0'; n++)
		;
	while (n > 0 && is_blank(buf[i + n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, buf + i, n);
	dst[n] = '\0';
}

/* "CentOS Linux release 7.9.2009 (Core)" -> id "centos", version "7.9.2009" */
static bool parse_redhat_release(const char *buf, size_t len, struct vg_os *os)
{
	static const struct {
		const char *prefix, *id;
	} names[] = {
		{"CentOS Stream", "centos"},
		{"CentOS", "centos"},
		{"Red Hat Enterprise Linux", "rhel"},
		{"Rocky Linux", "rocky"},
		{"AlmaLinux", "almalinux"},
		{"Fedora", "fedora"},
		{"Oracle Linux", "ol"},
		{"Amazon Linux", "amzn"},
	};
	char line[VG_INV_OS_FIELD_MAX];
	const char *rel;

	first_line(buf, len, line, sizeof(line));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!vg_startswith(line, names[i].prefix))
			continue;
		(void)snprintf(os->id, sizeof(os->id), "%s", names[i].id);
		(void)snprintf(os->pretty_name, sizeof(os->pretty_name), "%s", line);
		rel = strstr(line, " release ");
		if (rel) {
			rel += strlen(" release ");
			size_t n = strcspn(rel, " \t(");

			if (n >= sizeof(os->version_id))
				n = sizeof(os->version_id) - 1;
			memcpy(os->version_id, rel, n);
			os->version_id[n] = '\0';
		}
		return true;
	}
	return false;
}

/* DISTRIB_ID=Ubuntu, DISTRIB_RELEASE=22.04, DISTRIB_CODENAME=jammy, DISTRIB_DESCRIPTION */
static bool parse_lsb_release(const char *buf, size_t len, struct vg_os *os)
{
	const char *end = buf + len, *line, *eol;
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{"DISTRIB_ID=", offsetof(struct vg_os, id)},
		{"DISTRIB_RELEASE=", offsetof(struct vg_os, version_id)},
		{"DISTRIB_CODENAME=", offsetof(struct vg_os, codename)},
		{"DISTRIB_DESCRIPTION=", offsetof(struct vg_os, pretty_name)},
	};

	for (line = buf; line < end; line = eol + 1) {
		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t kn = strlen(keys[i].key);

			if ((size_t)(eol - line) >= kn && memcmp(line, keys[i].key, kn) == 0)
				parse_value(line + kn, eol, (char *)os + keys[i].off,
					    VG_INV_OS_FIELD_MAX);
		}
	}
	if (!os->id[0])
		return false;
	for (char *c = os->id; *c; c++) /* "Ubuntu" -> "ubuntu", as os-release spells it */
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return true;
}

/* ".../alpine/v3.10/main" -> "3.10"; ".../edge/main" -> "edge"; first repository wins. */
static void parse_apk_repositories(const char *buf, size_t len, char *dst, size_t size)
{
	const char *end = buf + len, *line, *eol;

	for (line = buf; line < end; line = eol + 1) {
		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		while (line < eol && is_blank(*line))
			line++;
		if (line == eol || *line == '#')
			continue;
		for (const char *p = line; p + 3 < eol; p++) {
			if (p[0] != '/')
				continue;
			if (p[1] == 'v' && p[2] >= '0' && p[2] <= '9') {
				const char *q = p + 2;
				size_t n;

				while (q < eol && ((*q >= '0' && *q <= '9') || *q == '.'))
					q++;
				if (q == eol || *q != '/')
					continue;
				n = (size_t)(q - (p + 2));
				if (n >= size)
					n = size - 1;
				memcpy(dst, p + 2, n);
				dst[n] = '\0';
				return;
			}
			if ((size_t)(eol - p) >= 6 && memcmp(p, "/edge/", 6) == 0) {
				(void)snprintf(dst, size, "edge");
				return;
			}
		}
	}
}

int vg_os_detect(const struct vg_os_files *f, struct vg_os *ret)
{
	struct vg_os os;
	bool found = false;

	memset(ret, 0, sizeof(*ret));
	if (f->etc_os_release_len > VG_INV_OS_FILE_MAX ||
	    f->usr_lib_os_release_len > VG_INV_OS_FILE_MAX ||
	    f->alpine_release_len > VG_INV_OS_FILE_MAX ||
	    f->debian_version_len > VG_INV_OS_FILE_MAX ||
	    f->redhat_release_len > VG_INV_OS_FILE_MAX ||
	    f->system_release_len > VG_INV_OS_FILE_MAX || f->lsb_release_len > VG_INV_OS_FILE_MAX ||
	    f->apk_repositories_len > VG_INV_OS_FILE_MAX)
		return -E2BIG;

	memset(&os, 0, sizeof(os));
	if (f->etc_os_release &&
	    vg_os_release_parse(f->etc_os_release, f->etc_os_release_len, &os) >= 0 && os.id[0]) {
		os.source = "etc/os-release";
		found = true;
	} else if (f->usr_lib_os_release &&
		   vg_os_release_parse(f->usr_lib_os_release, f->usr_lib_os_release_len, &os) >=
			   0 &&
		   os.id[0]) {
		os.source = "usr/lib/os-release";
		found = true;
	}

	if (!found) {
		memset(&os, 0, sizeof(os));
		if (f->alpine_release) {
			(void)snprintf(os.id, sizeof(os.id), "alpine");
			os.source = "etc/alpine-release";
			found = true;
		} else if (f->redhat_release &&
			   parse_redhat_release(f->redhat_release, f->redhat_release_len, &os)) {
			os.source = "etc/redhat-release";
			found = true;
		} else if (f->system_release &&
			   parse_redhat_release(f->system_release, f->system_release_len, &os)) {
			os.source = "etc/system-release";
			found = true;
		} else if (f->lsb_release &&
			   parse_lsb_release(f->lsb_release, f->lsb_release_len, &os)) {
			os.source = "etc/lsb-release";
			found = true;
		} else if (f->debian_version || f->has_dpkg_status_d) {
			(void)snprintf(os.id, sizeof(os.id), "debian");
			os.source =
				f->debian_version ? "etc/debian_version" : "var/lib/dpkg/status.d";
			found = true;
		}
	}
	if (!found)
		return 0;

	/* alpine-release has the full x.y.z; os-release of old images only x.y */
	if (vg_streq(os.id, "alpine") && f->alpine_release) {
		char v[VG_INV_OS_FIELD_MAX];

		first_line(f->alpine_release, f->alpine_release_len, v, sizeof(v));
		if (v[0] && (!os.version_id[0] || vg_startswith(v, os.version_id)))
			memcpy(os.version_id, v, sizeof(v));
	}
	if (vg_streq(os.id, "alpine") && f->apk_repositories)
		parse_apk_repositories(f->apk_repositories, f->apk_repositories_len,
				       os.repo_release, sizeof(os.repo_release));
	/* debian_version: "12.4" -> VERSION_ID "12"; "bookworm/sid" kept whole */
	if (vg_streq(os.id, "debian") && !os.version_id[0] && f->debian_version) {
		char v[VG_INV_OS_FIELD_MAX];
		size_t n;

		first_line(f->debian_version, f->debian_version_len, v, sizeof(v));
		n = strspn(v, "0123456789");
		if (n > 0 && (v[n] == '.' || v[n] == '\0'))
			v[n] = '\0';
		memcpy(os.version_id, v, sizeof(v));
	}
	if (!os.pretty_name[0] && os.id[0]) {
		/* "alpine 3.10.4", truncated to the field size */
		size_t n = strlen(os.id), m = strlen(os.version_id);

		memcpy(os.pretty_name, os.id, n);
		if (m && n + 1 + m < sizeof(os.pretty_name)) {
			os.pretty_name[n] = ' ';
			memcpy(os.pretty_name + n + 1, os.version_id, m);
			n += 1 + m;
		}
		os.pretty_name[n] = '\0';
	}
	os.family = family_from(&os);
	os.distroless = f->has_dpkg_status_d && !f->has_dpkg_status;
	*ret = os;
	return 1;
}
