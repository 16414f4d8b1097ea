/* SPDX-License-Identifier: Apache-2.0 */
/*
 * container.* and k8s.* fields of the `syscall` source, from the container registry and
 * the runtime metadata (meta.h). Host processes have container.id and container.name
 * "host" and container.privileged false; metadata not (yet) known is <NA>.
 */
#include <fnmatch.h>
#include <string.h>

#include "basic/macro.h"
#include "state/fields-internal.h"

static bool is_real_host(const struct vg_container *c)
{
	return c->is_host && strcmp(c->id, "host") == 0;
}

static bool nonempty(const char *s)
{
	return s && s[0];
}

static void str(struct vg_extract *x, const char *s)
{
	if (nonempty(s))
		(void)vg_extract_cstr(x, s);
}

static void extract_mount(const struct vg_mount *m, int id, struct vg_extract *x)
{
	switch (id) {
	case F_CT_MOUNT:
	case F_CT_MOUNTS:
		(void)vg_extract_printf(x, "%s:%s:%s:%s:%s", m->source, m->dest, m->mode,
					m->rw ? "true" : "false", m->propagation);
		break;
	case F_CT_MOUNT_SOURCE:
		str(x, m->source);
		break;
	case F_CT_MOUNT_DEST:
		str(x, m->dest);
		break;
	case F_CT_MOUNT_MODE:
		str(x, m->mode);
		break;
	case F_CT_MOUNT_RDWRITE:
		(void)vg_extract_cstr(x, m->rw ? "true" : "false");
		break;
	case F_CT_MOUNT_PROPAGATION:
		str(x, m->propagation);
		break;
	default:
		break;
	}
}

/*
 * One mount by index, or by glob on the other end: container.mount.dest[/var/run/docker.sock]
 * is the destination of the mount whose source matches; container.mount.source[/etc] the
 * source of the mount whose destination matches; the others match the source.
 */
static void extract_mount_arg(const struct vg_container_meta *m, int id,
			      const struct vg_field_arg *arg, struct vg_extract *x)
{
	if (!arg || !arg->present)
		return;
	if (arg->is_index) {
		if (arg->index >= 0 && (uint64_t)arg->index < m->n_mounts)
			extract_mount(&m->mounts[arg->index], id, x);
		return;
	}
	for (size_t i = 0; i < m->n_mounts; i++) {
		const char *other =
			id == F_CT_MOUNT_SOURCE ? m->mounts[i].dest : m->mounts[i].source;

		if (other && fnmatch(arg->key, other, 0) == 0) {
			extract_mount(&m->mounts[i], id, x);
			return;
		}
	}
}

static bool skip_label(const char *key)
{
	return strncmp(key, "io.kubernetes.", 14) == 0 || strncmp(key, "annotation.", 11) == 0;
}

static void extract_labels(const struct vg_container_meta *m, bool pod, struct vg_extract *x)
{
	size_t room, len = 0;
	char *buf = vg_extract_buf(x, &room);

	if (!buf || room < 2) {
		x->overflow = true;
		return;
	}
	for (size_t i = 0; i < m->n_labels; i++) {
		const struct vg_kv *kv = &m->labels[i];
		size_t kl = strlen(kv->key), vl = strlen(kv->value);

		if (pod && skip_label(kv->key))
			continue;
		if (len + kl + vl + 4 >= room) {
			x->overflow = true;
			break;
		}
		if (len) {
			memcpy(buf + len, ", ", 2);
			len += 2;
		}
		memcpy(buf + len, kv->key, kl);
		buf[len + kl] = ':';
		memcpy(buf + len + kl + 1, kv->value, vl);
		len += kl + 1 + vl;
	}
	if (len)
		(void)vg_extract_commit(x, len);
}

static const char *sandbox_id(const struct vg_container_meta *m)
{
	const char *v = vg_container_meta_label(m, "io.kubernetes.cri.sandbox-id");

	return v ? v : vg_container_meta_label(m, "io.kubernetes.sandbox.id");
}

static uint64_t realtime(const struct vg_syscall_obj *o)
{
	int64_t t = (int64_t)o->e->hdr->ts + o->boot_offset_ns;

	return t > 0 ? (uint64_t)t : 0;
}

/* container.id: "host" for the host, the full id of another host-like one, else 12 chars */
static void extract_id(const struct vg_container *c, bool host, struct vg_extract *x)
{
	(void)vg_extract_cstr(x, host ? "host" : c->is_host ? c->id : c->short_id);
}

void vg_sf_container_id(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			struct vg_extract *x)
{
	const struct vg_syscall_obj *o = obj;
	const struct vg_container *c = o->ctx ? o->ctx->container : NULL;

	(void)f;
	(void)arg;
	if (c)
		extract_id(c, is_real_host(c), x);
}

void vg_sf_container(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
		     struct vg_extract *x)
{
	const struct vg_syscall_obj *o = obj;
	const struct vg_container *c = o->ctx ? o->ctx->container : NULL;
	const struct vg_container_meta *m;
	bool host;

	if (!c)
		return;
	host = is_real_host(c);
	m = host ? NULL : c->meta;
	switch (f->id) {
	case F_CT_ID:
		extract_id(c, host, x);
		return;
	case F_CT_FULL_ID:
		(void)vg_extract_cstr(x, host ? "host" : c->id);
		return;
	case F_CT_NAME:
		if (host)
			(void)vg_extract_str(x, "host", 4);
		else if (m)
			str(x, m->name);
		return;
	case F_CT_PRIVILEGED:
		if (host)
			(void)vg_extract_bool(x, false);
		else if (m)
			(void)vg_extract_bool(x, m->privileged);
		return;
	case F_CT_TYPE:
		if (!host) {
			const char *rt = m && nonempty(m->runtime)
						 ? m->runtime
						 : vg_runtime_to_string(c->runtime);

			if (rt && strcmp(rt, "none") != 0)
				(void)vg_extract_cstr(x, rt);
		}
		return;
	case F_CT_STATE:
		if (!host)
			(void)vg_extract_cstr(x, vg_container_state_to_string(c->state));
		return;
	default:
		break;
	}
	if (!m)
		return;
	switch (f->id) {
	case F_CT_IMAGE:
		str(x, m->image);
		break;
	case F_CT_IMAGE_REPOSITORY:
		str(x, m->image_repo);
		break;
	case F_CT_IMAGE_TAG:
		str(x, m->image_tag);
		break;
	case F_CT_IMAGE_ID:
		str(x, m->image_id);
		break;
	case F_CT_MOUNTS:
		for (size_t i = 0; i < m->n_mounts; i++)
			extract_mount(&m->mounts[i], F_CT_MOUNTS, x);
		break;
	case F_CT_MOUNT:
	case F_CT_MOUNT_SOURCE:
	case F_CT_MOUNT_DEST:
	case F_CT_MOUNT_MODE:
	case F_CT_MOUNT_RDWRITE:
	case F_CT_MOUNT_PROPAGATION:
		extract_mount_arg(m, f->id, arg, x);
		break;
	case F_CT_LABELS:
		extract_labels(m, false, x);
		break;
	case F_CT_LABEL:
		if (arg && arg->present)
			(void)vg_extract_cstr(x, vg_container_meta_label(m, arg->key));
		break;
	case F_CT_IP:
		str(x, m->ip);
		break;
	case F_CT_USER:
		str(x, m->user);
		break;
	case F_CT_HOST_PID:
		(void)vg_extract_bool(x, m->host_pid);
		break;
	case F_CT_HOST_NETWORK:
		(void)vg_extract_bool(x, m->host_network);
		break;
	case F_CT_HOST_IPC:
		(void)vg_extract_bool(x, m->host_ipc);
		break;
	case F_CT_START_TS:
	case F_CT_DURATION: {
		int64_t st = m->started_ns ? m->started_ns : m->created_ns;

		if (st <= 0)
			break;
		if (f->id == F_CT_START_TS)
			(void)vg_extract_uint(x, (uint64_t)st);
		else if (realtime(o) >= (uint64_t)st)
			(void)vg_extract_uint(x, realtime(o) - (uint64_t)st);
		break;
	}
	default:
		break;
	}
	if (!nonempty(m->pod_name))
		return; /* k8s.*: only for pods */
	switch (f->id) {
	case F_K8S_NS_NAME:
		str(x, m->pod_namespace);
		break;
	case F_K8S_POD_NAME:
		str(x, m->pod_name);
		break;
	case F_K8S_POD_UID:
		str(x, nonempty(m->pod_uid) ? m->pod_uid : c->pod_uid);
		break;
	case F_K8S_POD_LABELS:
		extract_labels(m, true, x);
		break;
	case F_K8S_POD_LABEL:
		if (arg && arg->present && !skip_label(arg->key))
			(void)vg_extract_cstr(x, vg_container_meta_label(m, arg->key));
		break;
	case F_K8S_POD_IP:
		str(x, m->ip);
		break;
	case F_K8S_POD_SANDBOX_ID: {
		const char *s = sandbox_id(m);

		if (nonempty(s))
			(void)vg_extract_str(x, s, VG_MIN(strlen(s), (size_t)12));
		break;
	}
	case F_K8S_POD_FULL_SANDBOX_ID:
		str(x, sandbox_id(m));
		break;
	default:
		break;
	}
}
