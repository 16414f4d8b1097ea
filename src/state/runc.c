/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads OCI runtime state directories. runc keeps libcontainer's State in
 * <root>/<id>/state.json ("id", "init_process_pid", "init_process_start", "created",
 * "config": {"labels": ["bundle=<dir>", …], "namespaces", "mounts", "hostname"}); crun keeps
 * <root>/<id>/status ("pid", "bundle", "created", …). Both point at the OCI bundle whose
 * config.json (runtime-spec) carries annotations, process.user, mounts and
 * linux.namespaces.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "shared/json.h"
#include "state/meta-internal.h"
#include "state/runc.h"

static int load_json_file(const char *path, json_t **ret)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	int r;

	r = vg_read_file(path, VG_RUNC_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	return vg_json_load_bounded(buf, len, VG_RUNC_FILE_MAX, (void **)ret);
}

static json_t *member(json_t *o, const char *k)
{
	json_t *v;

	if (!o || !json_is_object(o))
		return NULL;
	v = json_object_get(o, k);
	return v && !json_is_null(v) ? v : NULL;
}

static const char *member_str(json_t *o, const char *k)
{
	json_t *v = member(o, k);

	return v && json_is_string(v) && json_string_length(v) <= VG_PATH_MAX ? json_string_value(v)
									      : NULL;
}

static int parse_annotations(json_t *ann, struct vg_container_meta *m)
{
	const char *k;
	json_t *v;
	int r;

	if (!ann)
		return 0;
	if (!json_is_object(ann))
		return -EBADMSG;
	json_object_foreach(ann, k, v)
	{
		if (!json_is_string(v))
			return -EBADMSG;
		if (strlen(k) > VG_PATH_MAX || json_string_length(v) > VG_PATH_MAX)
			continue; /* oversized: dropped, like docker labels */
		if (m->n_labels >= VG_LABELS_MAX)
			break;
		r = vg_meta_add_label(m, k, json_string_value(v));
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *propagation_of(const char *opt)
{
	static const char *const props[] = {"rprivate", "private", "rshared",	  "shared",
					    "rslave",	"slave",   "runbindable", "unbindable"};

	for (size_t i = 0; i < VG_ARRAY_SIZE(props); i++)
		if (strcmp(opt, props[i]) == 0)
			return props[i];
	return NULL;
}

/* runtime-spec mounts: {destination, type, source, options[]}. */
static int parse_oci_mounts(json_t *mounts, struct vg_container_meta *m)
{
	size_t i;
	json_t *v;
	int r;

	if (!mounts)
		return 0;
	if (!json_is_array(mounts))
		return -EBADMSG;
	json_array_foreach(mounts, i, v)
	{
		char mode[VG_PATH_MAX + 1] = "";
		json_t *opts, *o;
		struct vg_mount *mt;
		size_t j, ml = 0;
		bool rw = true;

		if (!json_is_object(v))
			return -EBADMSG;
		if (m->n_mounts >= VG_MOUNTS_MAX)
			break;
		r = vg_meta_add_mount(m, &mt);
		if (r < 0)
			return r;
		if ((r = vg_meta_set_str(&mt->source, member_str(v, "source"))) < 0 ||
		    (r = vg_meta_set_str(&mt->dest, member_str(v, "destination"))) < 0 ||
		    (r = vg_meta_set_str(&mt->propagation, "")) < 0)
			return r;
		opts = member(v, "options");
		if (opts && !json_is_array(opts))
			return -EBADMSG;
		json_array_foreach(opts, j, o)
		{
			const char *s, *p;
			size_t sl;

			if (!json_is_string(o))
				return -EBADMSG;
			s = json_string_value(o);
			if (strcmp(s, "ro") == 0)
				rw = false;
			else if (strcmp(s, "rw") == 0)
				rw = true;
			p = propagation_of(s);
			if (p && (r = vg_meta_set_str(&mt->propagation, p)) < 0)
				return r;
			/* mode = the options, comma-joined, cut at VG_PATH_MAX. */
			sl = strlen(s);
			if (ml + sl + 1 < sizeof(mode)) {
				if (ml)
					mode[ml++] = ',';
				memcpy(mode + ml, s, sl);
				ml += sl;
				mode[ml] = '\0';
			}
		}
		mt->rw = rw;
		if ((r = vg_meta_set_str(&mt->mode, mode)) < 0)
			return r;
	}
	return 0;
}

/* libcontainer mounts (state.json config.mounts): {source, destination, device, flags}. */
static int parse_libcontainer_mounts(json_t *mounts, struct vg_container_meta *m)
{
	size_t i;
	json_t *v;
	int r;

	if (!mounts || !json_is_array(mounts))
		return 0;
	json_array_foreach(mounts, i, v)
	{
		struct vg_mount *mt;
		json_t *flags;

		if (!json_is_object(v))
			continue;
		if (m->n_mounts >= VG_MOUNTS_MAX)
			break;
		r = vg_meta_add_mount(m, &mt);
		if (r < 0)
			return r;
		if ((r = vg_meta_set_str(&mt->source, member_str(v, "source"))) < 0 ||
		    (r = vg_meta_set_str(&mt->dest, member_str(v, "destination"))) < 0)
			return r;
		flags = member(v, "flags");
		/* MS_RDONLY is bit 0. */
		mt->rw = !(flags && json_is_integer(flags) && (json_integer_value(flags) & 1));
	}
	return 0;
}

/*
 * A namespace type absent from the spec means the container shares the host's. One present
 * with a path joins an existing namespace, which may or may not be the host's: not "host".
 */
static void parse_namespaces(json_t *nss, const char *pid, const char *net, const char *ipc,
			     struct vg_container_meta *m)
{
	bool has_pid = false, has_net = false, has_ipc = false;
	size_t i;
	json_t *v;

	if (!nss || !json_is_array(nss))
		return;
	json_array_foreach(nss, i, v)
	{
		const char *t = member_str(v, "type");

		if (!t)
			continue;
		has_pid |= strcmp(t, pid) == 0;
		has_net |= strcmp(t, net) == 0;
		has_ipc |= strcmp(t, ipc) == 0;
	}
	m->host_pid = !has_pid;
	m->host_network = !has_net;
	m->host_ipc = !has_ipc;
}

static int parse_user(json_t *user, struct vg_container_meta *m)
{
	json_t *uid, *gid;
	const char *name;
	char buf[64];

	if (!user || !json_is_object(user))
		return 0;
	name = member_str(user, "username");
	if (name && name[0])
		return vg_meta_set_str(&m->user, name);
	uid = member(user, "uid");
	gid = member(user, "gid");
	if (!uid || !json_is_integer(uid))
		return 0;
	if (gid && json_is_integer(gid))
		(void)snprintf(buf, sizeof(buf), "%lld:%lld", (long long)json_integer_value(uid),
			       (long long)json_integer_value(gid));
	else
		(void)snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(uid));
	return vg_meta_set_str(&m->user, buf);
}

static bool truthy(const char *s)
{
	return s && (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* Bundle directory from crun's "bundle" or runc's config.labels "bundle=<dir>". */
static const char *find_bundle(json_t *state)
{
	const char *b = member_str(state, "bundle");
	json_t *labels, *v;
	size_t i;

	if (b)
		return b;
	labels = member(member(state, "config"), "labels");
	if (!labels || !json_is_array(labels))
		return NULL;
	json_array_foreach(labels, i, v)
	{
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;

		if (s && strncmp(s, "bundle=", 7) == 0 && strlen(s + 7) <= VG_PATH_MAX)
			return s + 7;
	}
	return NULL;
}

static int set_image_from_annotations(struct vg_container_meta *m)
{
	static const char *const keys[] = {
		"io.kubernetes.cri.image-name",
		"io.kubernetes.cri-o.ImageName",
		"io.containerd.image.name",
		"org.opencontainers.image.ref.name",
	};

	for (size_t i = 0; i < VG_ARRAY_SIZE(keys); i++) {
		const char *v = vg_container_meta_label(m, keys[i]);

		if (v && v[0])
			return vg_container_meta_set_image(m, v);
	}
	return 0;
}

static int set_pod_from_annotations(struct vg_container_meta *m)
{
	static const char *const keys[][2] = {
		{"io.kubernetes.cri.sandbox-name", "io.kubernetes.cri.sandbox-namespace"},
	};
	const char *v;
	int r;

	/* containerd's CRI plugin; CRI-O uses io.kubernetes.pod.* which normalize() handles. */
	if (!m->pod_name[0] && (v = vg_container_meta_label(m, keys[0][0])) &&
	    (r = vg_meta_set_str(&m->pod_name, v)) < 0)
		return r;
	if (!m->pod_namespace[0] && (v = vg_container_meta_label(m, keys[0][1])) &&
	    (r = vg_meta_set_str(&m->pod_namespace, v)) < 0)
		return r;
	if (!m->pod_uid[0] && (v = vg_container_meta_label(m, "io.kubernetes.cri.sandbox-uid")) &&
	    (r = vg_meta_set_str(&m->pod_uid, v)) < 0)
		return r;
	return 0;
}

static int load_state(const char *root, const char *id, json_t **ret)
{
	char path[VG_PATH_MAX + 64];
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/state.json", root, id) >= sizeof(path))
		return -ENAMETOOLONG;
	r = load_json_file(path, ret);
	if (r != -ENOENT)
		return r;
	(void)snprintf(path, sizeof(path), "%s/%s/status", root, id);
	return load_json_file(path, ret);
}

int vg_runc_state_read(const char *root, const char *id, struct vg_container_meta **ret)
{
	cleanup(vg_container_meta_freep) struct vg_container_meta *m = NULL;
	cleanup_json json_t *state = NULL;
	cleanup_json json_t *spec = NULL;
	const char *bundle, *created, *base, *sid;
	json_t *lc;
	int r;

	if (!root || !vg_container_id_is_valid(id) || !ret)
		return -EINVAL;
	if (strlen(root) > VG_PATH_MAX)
		return -ENAMETOOLONG;
	r = load_state(root, id, &state);
	if (r < 0)
		return r;
	if (!json_is_object(state))
		return -EBADMSG;
	sid = member_str(state, "id");
	if (sid && strcmp(sid, id) != 0)
		return -EBADMSG;

	r = vg_container_meta_new(&m);
	if (r < 0)
		return r;
	base = strrchr(root, '/');
	base = base ? base + 1 : root;
	if ((r = vg_meta_set_str(&m->id, id)) < 0 || (r = vg_meta_set_str(&m->name, id)) < 0 ||
	    (r = vg_meta_set_str(&m->runtime, strstr(base, "crun") ? "crun" : "runc")) < 0)
		return r;
	created = member_str(state, "created");
	if (created && vg_parse_rfc3339_ns(created, &m->created_ns) < 0)
		m->created_ns = 0;
	m->started_ns = m->created_ns;

	bundle = find_bundle(state);
	if (bundle) {
		char path[VG_PATH_MAX + 64];

		(void)snprintf(path, sizeof(path), "%s/config.json", bundle);
		r = load_json_file(path, &spec);
		if (r < 0 && r != -ENOENT && r != -EACCES)
			return r;
		if (spec && !json_is_object(spec))
			return -EBADMSG;
	}

	lc = member(state, "config");
	if (spec) {
		json_t *linux_ = member(spec, "linux");

		if ((r = parse_annotations(member(spec, "annotations"), m)) < 0 ||
		    (r = parse_oci_mounts(member(spec, "mounts"), m)) < 0 ||
		    (r = parse_user(member(member(spec, "process"), "user"), m)) < 0)
			return r;
		if (linux_)
			parse_namespaces(member(linux_, "namespaces"), "pid", "network", "ipc", m);
	} else if (lc) {
		/* The runtime's own copy of the configuration. */
		if ((r = parse_libcontainer_mounts(member(lc, "mounts"), m)) < 0)
			return r;
		parse_namespaces(member(lc, "namespaces"), "NEWPID", "NEWNET", "NEWIPC", m);
	}

	r = vg_container_meta_normalize(m);
	if (r < 0)
		return r;
	m->privileged = truthy(vg_container_meta_label(m, "io.podman.annotations.privileged")) ||
			truthy(vg_container_meta_label(m, "io.kubernetes.cri-o.PrivilegedRuntime"));
	if ((r = set_image_from_annotations(m)) < 0 || (r = set_pod_from_annotations(m)) < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}
