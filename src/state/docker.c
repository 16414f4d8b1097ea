/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Docker engine API client. Field mapping from the ContainerInspect response (Engine API
 * v1.41, docs.docker.com/engine/api/v1.41/#operation/ContainerInspect):
 *   Id -> id, Name (leading '/' stripped) -> name, Config.Image -> image/image_repo/image_tag,
 *   Image -> image_id, HostConfig.{Privileged,PidMode,NetworkMode,IpcMode},
 *   Created / State.StartedAt -> *_ns, Config.User, NetworkSettings.IPAddress (or the first
 *   network's), Config.Labels, Mounts[].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "shared/json.h"
#include "shared/http-unix.h"
#include "state/docker.h"
#include "state/meta-internal.h"

/* Member @k of object @o if present and not null; -EBADMSG if @o is not an object. */
static json_t *member(json_t *o, const char *k)
{
	json_t *v;

	if (!o || !json_is_object(o))
		return NULL;
	v = json_object_get(o, k);
	return v && !json_is_null(v) ? v : NULL;
}

static int want_object(json_t *v)
{
	return !v || json_is_object(v) ? 0 : -EBADMSG;
}

static int copy_str(json_t *o, const char *k, char **field)
{
	json_t *v = member(o, k);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	if (json_string_length(v) > VG_PATH_MAX)
		return -E2BIG;
	return vg_meta_set_str(field, json_string_value(v));
}

static int get_bool(json_t *o, const char *k, bool *field)
{
	json_t *v = member(o, k);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return -EBADMSG;
	*field = json_is_true(v);
	return 0;
}

static int is_host_mode(json_t *o, const char *k, bool *field)
{
	json_t *v = member(o, k);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	*field = strcmp(json_string_value(v), "host") == 0;
	return 0;
}

static int get_time(json_t *o, const char *k, int64_t *field)
{
	json_t *v = member(o, k);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	/* An unparsable timestamp is not worth dropping the whole container: leave 0. */
	if (vg_parse_rfc3339_ns(json_string_value(v), field) < 0)
		*field = 0;
	return 0;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int parse_labels(json_t *labels, struct vg_container_meta *m)
{
	cleanup_free const char **keys = NULL;
	size_t n = 0, total;
	const char *k;
	json_t *v;
	int r;

	if (!labels)
		return 0;
	if (!json_is_object(labels))
		return -EBADMSG;
	total = json_object_size(labels);
	if (total == 0)
		return 0;
	keys = calloc(total, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	json_object_foreach(labels, k, v)
	{
		if (!json_is_string(v))
			return -EBADMSG;
		/* Oversized labels (e.g. kubectl last-applied-configuration) are dropped. */
		if (strlen(k) > VG_PATH_MAX || json_string_length(v) > VG_PATH_MAX)
			continue;
		keys[n++] = k;
	}
	/* Sorted by key; beyond VG_LABELS_MAX the greatest keys are dropped. */
	qsort(keys, n, sizeof(*keys), str_ptr_cmp);
	for (size_t i = 0; i < n && i < VG_LABELS_MAX; i++) {
		r = vg_meta_add_label(m, keys[i],
				      json_string_value(json_object_get(labels, keys[i])));
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_mounts(json_t *mounts, struct vg_container_meta *m)
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
		struct vg_mount *mt;

		if (!json_is_object(v))
			return -EBADMSG;
		if (i >= VG_MOUNTS_MAX)
			break; /* documented truncation */
		r = vg_meta_add_mount(m, &mt);
		if (r < 0)
			return r;
		if ((r = copy_str(v, "Source", &mt->source)) < 0 ||
		    (r = copy_str(v, "Destination", &mt->dest)) < 0 ||
		    (r = copy_str(v, "Mode", &mt->mode)) < 0 ||
		    (r = copy_str(v, "Propagation", &mt->propagation)) < 0 ||
		    (r = get_bool(v, "RW", &mt->rw)) < 0)
			return r;
	}
	return 0;
}

static int parse_ip(json_t *ns, struct vg_container_meta *m)
{
	json_t *ip, *nets, *v;
	const char *k;
	int r;

	if (!ns)
		return 0;
	ip = member(ns, "IPAddress");
	if (ip && !json_is_string(ip))
		return -EBADMSG;
	if (ip && json_string_length(ip) > 0)
		return copy_str(ns, "IPAddress", &m->ip);
	nets = member(ns, "Networks");
	if ((r = want_object(nets)) < 0)
		return r;
	/* The engine prints Networks sorted by name, so "first" is deterministic. */
	json_object_foreach(nets, k, v)
	{
		json_t *a;

		if (!json_is_object(v))
			return -EBADMSG;
		a = member(v, "IPAddress");
		if (a && !json_is_string(a))
			return -EBADMSG;
		if (a && json_string_length(a) > 0)
			return copy_str(v, "IPAddress", &m->ip);
	}
	return 0;
}

static int parse_obj(json_t *o, struct vg_container_meta *m)
{
	json_t *config, *host, *state, *ns, *id, *name, *image;
	int r;

	if (json_is_array(o) && json_array_size(o) == 1)
		o = json_array_get(o, 0);
	if (!json_is_object(o))
		return -EBADMSG;
	id = member(o, "Id");
	if (!id || !json_is_string(id) || json_string_length(id) == 0)
		return -EBADMSG;
	config = member(o, "Config");
	host = member(o, "HostConfig");
	state = member(o, "State");
	ns = member(o, "NetworkSettings");
	if ((r = want_object(config)) < 0 || (r = want_object(host)) < 0 ||
	    (r = want_object(state)) < 0 || (r = want_object(ns)) < 0)
		return r;

	if ((r = copy_str(o, "Id", &m->id)) < 0)
		return r;
	name = member(o, "Name");
	if (name) {
		const char *s;

		if (!json_is_string(name))
			return -EBADMSG;
		if (json_string_length(name) > VG_PATH_MAX)
			return -E2BIG;
		s = json_string_value(name);
		r = vg_meta_set_str(&m->name, s[0] == '/' ? s + 1 : s);
		if (r < 0)
			return r;
	}
	image = member(config, "Image");
	if (image) {
		if (!json_is_string(image))
			return -EBADMSG;
		if (json_string_length(image) > VG_PATH_MAX)
			return -E2BIG;
		r = vg_container_meta_set_image(m, json_string_value(image));
		if (r < 0)
			return r;
	}
	if ((r = copy_str(o, "Image", &m->image_id)) < 0 ||
	    (r = vg_meta_set_str(&m->runtime, "docker")) < 0 ||
	    (r = get_bool(host, "Privileged", &m->privileged)) < 0 ||
	    (r = is_host_mode(host, "PidMode", &m->host_pid)) < 0 ||
	    (r = is_host_mode(host, "NetworkMode", &m->host_network)) < 0 ||
	    (r = is_host_mode(host, "IpcMode", &m->host_ipc)) < 0 ||
	    (r = get_time(o, "Created", &m->created_ns)) < 0 ||
	    (r = get_time(state, "StartedAt", &m->started_ns)) < 0 ||
	    (r = copy_str(config, "User", &m->user)) < 0 || (r = parse_ip(ns, m)) < 0 ||
	    (r = parse_labels(member(config, "Labels"), m)) < 0 ||
	    (r = parse_mounts(member(o, "Mounts"), m)) < 0)
		return r;
	return vg_container_meta_normalize(m);
}

int vg_docker_parse_inspect(const char *json, size_t n, struct vg_container_meta **ret)
{
	cleanup(vg_container_meta_freep) struct vg_container_meta *m = NULL;
	cleanup_json json_t *o = NULL;
	int r;

	r = vg_json_load_bounded(json, n, VG_HTTP_REPLY_MAX, (void **)&o);
	if (r < 0)
		return r;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = parse_obj(o, m);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}

static int inspect_once(const char *sock, const char *path, int timeout_ms, int *ret_status,
			char **ret_body, size_t *ret_len)
{
	return vg_http_unix_get(sock, path, timeout_ms, VG_HTTP_REPLY_MAX, ret_status, ret_body,
				ret_len);
}

int vg_docker_inspect(const char *sock, const char *id, int timeout_ms,
		      struct vg_container_meta **ret)
{
	cleanup_free char *body = NULL;
	char path[1200];
	size_t len = 0;
	int status = 0, r;

	if (!vg_container_id_is_valid(id) || !ret)
		return -EINVAL;
	if (!sock)
		sock = VG_DOCKER_SOCKET_DEFAULT;

	(void)snprintf(path, sizeof(path), "/" VG_DOCKER_API_VERSION "/containers/%s/json", id);
	r = inspect_once(sock, path, timeout_ms, &status, &body, &len);
	if (r < 0)
		return r;
	/*
	 * An engine older than the pinned API version answers 400 ("client version is too
	 * new"); some proxies answer 404 for unknown prefixes. A 404 that names the container
	 * is final.
	 */
	if (status != 200 && !(status == 404 && strstr(body, "No such container"))) {
		free(body);
		body = NULL;
		(void)snprintf(path, sizeof(path), "/containers/%s/json", id);
		r = inspect_once(sock, path, timeout_ms, &status, &body, &len);
		if (r < 0)
			return r;
	}
	if (status == 404)
		return -ENOENT;
	if (status != 200)
		return -EPROTO;
	return vg_docker_parse_inspect(body, len, ret);
}
