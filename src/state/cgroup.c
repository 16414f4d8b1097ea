/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container attribution from cgroup paths (see cgroup.h). Every runtime leaves its own mark in
 * the path it creates; we walk the components and keep the innermost one that matches:
 *
 *   docker (cgroupfs)      /docker/<id>                 (also /<parent>/<id>)
 *   docker (systemd)       /system.slice/docker-<id>.scope
 *   containerd (systemd)   .../cri-containerd-<id>.scope, "<slice>:cri-containerd:<id>"
 *   cri-o                  .../crio-<id>.scope          (crio-conmon-<id>.scope is conmon)
 *   podman                 .../libpod-<id>.scope, /libpod_parent/libpod-<id>
 *                          (libpod-conmon-<id>.scope is conmon)
 *   kubepods (cgroupfs)    /kubepods/<qos>/pod<uid>/<id>
 *   kubepods (systemd)     /kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid>.slice/...
 *   runc / crun            runc-<name>.scope, crun-<name>.scope, /<name>  (needs confirmation)
 *
 * Anything after the container's component (init.scope of a systemd container, podman's
 * "container" sub-cgroup) belongs to the same container.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "state/cgroup.h"

struct match {
	enum vg_runtime runtime; /* NONE with conmon = true for a conmon cgroup */
	const char *id;
	size_t id_len;
	bool conmon;
	bool needs_confirmation;
	bool state_dir_only;
};

static bool is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

static bool has_prefix(const char *s, size_t n, const char *prefix, size_t *ret_plen)
{
	size_t pl = strlen(prefix);

	if (n < pl || memcmp(s, prefix, pl) != 0)
		return false;
	*ret_plen = pl;
	return true;
}

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);

	return n >= sl && memcmp(s + n - sl, suffix, sl) == 0;
}

static bool comp_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* runc accepts ids made of [A-Za-z0-9_+.-]; "." and ".." are not names. */
static bool is_runc_name(const char *s, size_t n)
{
	if (n == 0 || n > VG_CONTAINER_ID_MAX || comp_eq(s, n, ".") || comp_eq(s, n, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static bool is_systemd_unit(const char *s, size_t n)
{
	static const char *const suffixes[] = {".slice",  ".scope", ".service", ".mount",
					       ".socket", ".swap",  ".target"};

	for (size_t i = 0; i < VG_ARRAY_SIZE(suffixes); i++)
		if (has_suffix(s, n, suffixes[i]))
			return true;
	return false;
}

/* "<prefix><64 hex><suffix>" */
static bool match_wrapped(const char *s, size_t n, const char *prefix, const char *suffix,
			  const char **ret_id)
{
	size_t pl, sl = strlen(suffix);

	if (!has_prefix(s, n, prefix, &pl) || !has_suffix(s, n, suffix) || n < pl + sl)
		return false;
	if (!is_hex64(s + pl, n - pl - sl))
		return false;
	*ret_id = s + pl;
	return true;
}

/*
 * Pod uid from "pod<uid>" (cgroupfs, dashes) or "kubepods[-<qos>]-pod<uid>.slice" (systemd,
 * dashes written as underscores). Writes the canonical dashed form.
 */
static bool match_pod(const char *s, size_t n, char out[static VG_POD_UID_MAX + 1])
{
	const char *p = NULL;
	size_t len = 0, pl;

	if (has_prefix(s, n, "kubepods", &pl) && has_suffix(s, n, ".slice")) {
		const char *q = NULL;

		for (size_t i = pl; i + 4 <= n; i++)
			if (memcmp(s + i, "-pod", 4) == 0)
				q = s + i + 4;
		if (!q)
			return false;
		p = q;
		len = (size_t)(s + n - strlen(".slice") - q);
	} else if (has_prefix(s, n, "pod", &pl)) {
		p = s + pl;
		len = n - pl;
	} else {
		return false;
	}
	if (len != VG_POD_UID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (c == '_')
			c = '-';
		if ((i == 8 || i == 13 || i == 18 || i == 23)
			    ? c != '-'
			    : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		out[i] = c;
	}
	out[len] = '\0';
	return true;
}

static enum vg_runtime runtime_from_prefix(const char *s, size_t n)
{
	if (comp_eq(s, n, "cri-containerd") || comp_eq(s, n, "containerd"))
		return VG_RUNTIME_CONTAINERD;
	if (comp_eq(s, n, "crio") || comp_eq(s, n, "cri-o"))
		return VG_RUNTIME_CRIO;
	if (comp_eq(s, n, "docker"))
		return VG_RUNTIME_DOCKER;
	if (comp_eq(s, n, "libpod"))
		return VG_RUNTIME_PODMAN;
	return VG_RUNTIME_NONE;
}

/* Bare 64-hex component: the runtime comes from the parent component. */
static enum vg_runtime runtime_from_parent(const char *parent, size_t pn, bool kubepods)
{
	size_t pl;

	if (parent && comp_eq(parent, pn, "docker"))
		return VG_RUNTIME_DOCKER;
	if (parent && kubepods && has_prefix(parent, pn, "pod", &pl))
		return VG_RUNTIME_KUBEPODS;
	if (parent && comp_eq(parent, pn, "libpod_parent"))
		return VG_RUNTIME_PODMAN;
	/* containerd namespaces used as cgroup parents by ctr/nerdctl */
	if (parent && (comp_eq(parent, pn, "default") || comp_eq(parent, pn, "k8s.io") ||
		       comp_eq(parent, pn, "moby")))
		return parent[0] == 'm' ? VG_RUNTIME_DOCKER : VG_RUNTIME_CONTAINERD;
	/* docker --cgroup-parent=/anything */
	return VG_RUNTIME_DOCKER;
}

static bool match_component(const char *s, size_t n, const char *parent, size_t pn, bool kubepods,
			    struct match *m)
{
	const char *id;
	const char *colon1, *colon2;
	size_t pl;

	*m = (struct match){0};

	/* conmon first: its names start like the container's */
	if (match_wrapped(s, n, "crio-conmon-", ".scope", &id) ||
	    match_wrapped(s, n, "libpod-conmon-", ".scope", &id)) {
		m->conmon = true;
		return true;
	}
	if (match_wrapped(s, n, "docker-", ".scope", &id))
		m->runtime = VG_RUNTIME_DOCKER;
	else if (match_wrapped(s, n, "cri-containerd-", ".scope", &id))
		m->runtime = VG_RUNTIME_CONTAINERD;
	else if (match_wrapped(s, n, "crio-", ".scope", &id))
		m->runtime = VG_RUNTIME_CRIO;
	else if (match_wrapped(s, n, "libpod-", ".scope", &id) ||
		 match_wrapped(s, n, "libpod-", "", &id))
		m->runtime = VG_RUNTIME_PODMAN;
	else if (is_hex64(s, n)) {
		id = s;
		m->runtime = runtime_from_parent(parent, pn, kubepods);
	}
	if (m->runtime != VG_RUNTIME_NONE) {
		m->id = id;
		m->id_len = 64;
		return true;
	}

	/* "<slice>:<runtime prefix>:<id>" (containerd/cri-o systemd driver on cgroup v1) */
	colon1 = memchr(s, ':', n);
	colon2 = colon1 ? memchr(colon1 + 1, ':', (size_t)(s + n - colon1 - 1)) : NULL;
	if (colon2 && is_hex64(colon2 + 1, (size_t)(s + n - colon2 - 1))) {
		enum vg_runtime r = runtime_from_prefix(colon1 + 1, (size_t)(colon2 - colon1 - 1));

		if (r != VG_RUNTIME_NONE) {
			m->runtime = r;
			m->id = colon2 + 1;
			m->id_len = 64;
			return true;
		}
	}

	/* runc/crun with the systemd driver */
	if ((has_prefix(s, n, "runc-", &pl) || has_prefix(s, n, "crun-", &pl)) &&
	    has_suffix(s, n, ".scope") && is_runc_name(s + pl, n - pl - strlen(".scope"))) {
		m->runtime = s[0] == 'r' ? VG_RUNTIME_RUNC : VG_RUNTIME_CRUN;
		m->id = s + pl;
		m->id_len = n - pl - strlen(".scope");
		m->needs_confirmation = true;
		return true;
	}
	return false;
}

/* Top-level names that are never a runc bundle. */
static bool is_reserved_top(const char *s, size_t n)
{
	static const char *const names[] = {"docker",	   "lxc",  "kubepods",	 "libpod_parent",
					    "machine",	   "user", "system",	 "default",
					    "k8s.io",	   "moby", "podruntime", "runtime",
					    "actions_job", "init", "kubelet",	 "systemd"};
	size_t pl;

	if (is_systemd_unit(s, n) || has_prefix(s, n, "lxc.", &pl))
		return true;
	for (size_t i = 0; i < VG_ARRAY_SIZE(names); i++)
		if (comp_eq(s, n, names[i]))
			return true;
	return false;
}

static const char *skip_proc_prefix(const char *p)
{
	const char *c1, *c2;

	if (p[0] == '/')
		return p;
	/* "N:controllers:/path" */
	c1 = strchr(p, ':');
	if (!c1)
		return p;
	for (const char *q = p; q < c1; q++)
		if (*q < '0' || *q > '9')
			return p;
	c2 = strchr(c1 + 1, ':');
	return c2 ? c2 + 1 : p;
}

int vg_cgroup_parse_container(const char *cgroup_path, struct vg_cgroup_container *ret)
{
	struct match best = {0}, m;
	bool have = false, kubepods = false, have_pod = false;
	char pod[VG_POD_UID_MAX + 1] = "";
	const char *parent = NULL, *only = NULL, *first = NULL;
	size_t parent_len = 0, only_len = 0, first_len = 0, ncomp = 0;
	const char *p;

	if (!cgroup_path || !ret)
		return -EINVAL;
	*ret = (struct vg_cgroup_container){.runtime = VG_RUNTIME_NONE};
	p = skip_proc_prefix(cgroup_path);
	if (strnlen(p, VG_CGROUP_PATH_MAX + 1) > VG_CGROUP_PATH_MAX)
		return -E2BIG;

	while (*p) {
		const char *s;
		size_t n;
		char tmp[VG_POD_UID_MAX + 1];

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		ncomp++;
		only = s;
		only_len = n;
		if (ncomp == 1) {
			first = s;
			first_len = n;
		}

		{
			size_t pl;

			if (has_prefix(s, n, "kubepods", &pl))
				kubepods = true;
		}
		if ((kubepods || has_prefix(s, n, "kubepods", &(size_t){0})) &&
		    match_pod(s, n, tmp)) {
			memcpy(pod, tmp, sizeof(pod));
			have_pod = true;
		} else if (memchr(s, ':', n)) {
			/* "kubepods-<qos>-pod<uid>.slice:cri-containerd:<id>" */
			const char *c = memchr(s, ':', n);

			if (has_prefix(s, (size_t)(c - s), "kubepods", &(size_t){0})) {
				kubepods = true;
				if (match_pod(s, (size_t)(c - s), tmp)) {
					memcpy(pod, tmp, sizeof(pod));
					have_pod = true;
				}
			}
		}
		if (match_component(s, n, parent, parent_len, kubepods, &m)) {
			best = m;
			have = true;
		}
		parent = s;
		parent_len = n;
	}

	if (!have && ncomp == 1 && !is_reserved_top(only, only_len) && !is_hex64(only, only_len) &&
	    is_runc_name(only, only_len)) {
		best = (struct match){.runtime = VG_RUNTIME_RUNC,
				      .id = only,
				      .id_len = only_len,
				      .needs_confirmation = true};
		have = true;
	}
	/* A runc/crun bundle's cgroup can be anywhere (cgroupsPath is free-form, and without
	 * one runc nests it under its caller's cgroup). A deeper leaf is only a candidate: the
	 * runtime's state directory must confirm it, a child pid namespace is not enough. */
	if (!have && ncomp > 1 && parent && !is_reserved_top(first, first_len) &&
	    !is_reserved_top(parent, parent_len) && !is_hex64(parent, parent_len) &&
	    is_runc_name(parent, parent_len)) {
		best = (struct match){.runtime = VG_RUNTIME_RUNC,
				      .id = parent,
				      .id_len = parent_len,
				      .needs_confirmation = true,
				      .state_dir_only = true};
		have = true;
	}
	if (!have || best.conmon || best.runtime == VG_RUNTIME_NONE)
		return 0;

	ret->runtime = best.runtime;
	memcpy(ret->id, best.id, best.id_len);
	ret->id[best.id_len] = '\0';
	ret->needs_confirmation = best.needs_confirmation;
	ret->state_dir_only = best.state_dir_only;
	ret->kubepods = kubepods;
	if (kubepods && have_pod)
		memcpy(ret->pod_uid, pod, sizeof(pod));
	return 1;
}

static int controller_rank(const char *ctl, size_t n)
{
	static const char *const pref[] = {"pids", "memory", "cpu", "cpuset", "name=systemd"};
	int best = (int)VG_ARRAY_SIZE(pref) + 1;
	const char *end = ctl + n;

	while (ctl < end) {
		const char *c = memchr(ctl, ',', (size_t)(end - ctl));
		size_t len = c ? (size_t)(c - ctl) : (size_t)(end - ctl);

		for (size_t i = 0; i < VG_ARRAY_SIZE(pref); i++)
			if (comp_eq(ctl, len, pref[i]) && (int)i + 1 < best)
				best = (int)i + 1;
		ctl += len + 1;
	}
	return best;
}

int vg_proc_cgroup_select(const char *text, char *buf, size_t size)
{
	const char *best = NULL;
	size_t best_len = 0;
	int best_rank = 1000, best_is_container = 0;
	bool too_long = false;

	if (!text || !buf || size == 0)
		return -EINVAL;

	for (const char *line = text; *line;) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;

		if (c2 && c2 + 1 < end && c2[1] == '/') {
			const char *path = c2 + 1;
			size_t plen = (size_t)(end - path);
			bool v2 = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
			bool root = plen == 1;
			int rank, is_container = 0;

			if (plen > VG_CGROUP_PATH_MAX) {
				too_long = true;
				goto next;
			}
			{
				char tmp[VG_CGROUP_PATH_MAX + 1];
				struct vg_cgroup_container cc;

				memcpy(tmp, path, plen);
				tmp[plen] = '\0';
				if (vg_cgroup_parse_container(tmp, &cc) > 0)
					is_container = 1;
			}
			if (is_container)
				rank = v2 ? 0 : controller_rank(c1 + 1, (size_t)(c2 - c1 - 1));
			else if (v2 && !root)
				rank = 100;
			else
				rank = 200;
			if (rank < best_rank) {
				best_rank = rank;
				best = path;
				best_len = plen;
				best_is_container = is_container;
			}
		}
next:
		line = eol ? eol + 1 : end;
	}
	if (!best)
		return too_long ? -E2BIG : -ENOENT;
	if (best_len >= size)
		return -E2BIG;
	memcpy(buf, best, best_len);
	buf[best_len] = '\0';
	return best_is_container;
}
