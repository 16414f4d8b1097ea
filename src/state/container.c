/* SPDX-License-Identifier: Apache-2.0 */
/* Container registry (see container.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/string-util.h"
#include "basic/time-util.h"
#include "state/container.h"
#include "state/fetcher.h"

static const char *const state_names[VG_CONTAINER_STATE__MAX] = {
	[VG_CONTAINER_PENDING] = "pending",
	[VG_CONTAINER_READY] = "ready",
	[VG_CONTAINER_FAILED] = "failed",
};

const char *vg_container_state_to_string(enum vg_container_state s)
{
	return (unsigned)s < VG_CONTAINER_STATE__MAX ? state_names[s] : "failed";
}

int vg_container_state_from_string(const char *s)
{
	for (int i = 0; i < VG_CONTAINER_STATE__MAX; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -EINVAL;
}

int vg_runtime_from_string(const char *s)
{
	for (int i = 0; i < VG_RUNTIME__MAX; i++)
		if (strcmp(s, vg_runtime_to_string((enum vg_runtime)i)) == 0)
			return i;
	return -EINVAL;
}

static void container_free(void *v)
{
	struct vg_container *c = v;

	if (!c)
		return;
	vg_container_meta_free(c->meta);
	free(c);
}

static void set_ids(struct vg_container *c, const char *id)
{
	size_t n = strnlen(id, VG_CONTAINER_ID_MAX);

	memcpy(c->id, id, n);
	c->id[n] = '\0';
	n = VG_MIN(n, (size_t)VG_CONTAINER_SHORT_ID_LEN);
	memcpy(c->short_id, id, n);
	c->short_id[n] = '\0';
}

void vg_container_registry_init(struct vg_container_registry *r, struct vg_meta_fetcher *fetcher,
				size_t max)
{
	*r = (struct vg_container_registry){.fetcher = fetcher,
					    .max = max ? max : VG_CONTAINER_MAX};
	vg_hashmap_init(&r->by_id, VG_HASHMAP_STRING, r->max, container_free);
	vg_hashmap_init(&r->by_cgroup, VG_HASHMAP_U64, r->max * VG_CONTAINER_CGROUPS_MAX, NULL);
	set_ids(&r->host, "host");
	r->host.is_host = true;
	r->host.state = VG_CONTAINER_READY;
	r->host.runtime = VG_RUNTIME_NONE;
	set_ids(&r->unknown, "unknown");
	r->unknown.is_host = true;
	r->unknown.state = VG_CONTAINER_FAILED;
	r->unknown.error = -E2BIG;
}

void vg_container_registry_done(struct vg_container_registry *r)
{
	vg_hashmap_done(&r->by_cgroup);
	vg_hashmap_done(&r->by_id);
}

struct vg_container *vg_container_get(const struct vg_container_registry *r, const char *id)
{
	if (!id)
		return NULL;
	if (strcmp(id, "host") == 0)
		return (struct vg_container *)&r->host;
	if (strcmp(id, "unknown") == 0)
		return (struct vg_container *)&r->unknown;
	return vg_hashmap_get_str(&r->by_id, id);
}

struct vg_container *vg_container_by_cgroup(const struct vg_container_registry *r,
					    uint64_t cgroup_id)
{
	if (cgroup_id == 0)
		return NULL;
	return vg_hashmap_get_u64(&r->by_cgroup, cgroup_id);
}

static void changed(struct vg_container_registry *r, const struct vg_container *c)
{
	if (r->on_change && !c->is_host)
		r->on_change(r->userdata, c);
}

static void unmap_cgroups(struct vg_container_registry *r, struct vg_container *c)
{
	struct vg_hashmap_entry *e;

restart:
	for (size_t i = 0; vg_hashmap_next(&r->by_cgroup, &i, &e);)
		if (e->value == c) {
			/* eviction is rare: restart instead of relying on cursor repair */
			(void)vg_hashmap_remove_u64(&r->by_cgroup, e->key.u64);
			goto restart;
		}
}

/* Frees one unreferenced container; false when all are in use. */
static bool evict_one(struct vg_container_registry *r)
{
	struct vg_hashmap_entry *e;

	for (size_t i = 0; vg_hashmap_next(&r->by_id, &i, &e);) {
		struct vg_container *c = e->value;

		if (c->nprocs == 0) {
			unmap_cgroups(r, c);
			(void)vg_hashmap_take_str(&r->by_id, c->id);
			container_free(c);
			r->n_evicted++;
			return true;
		}
	}
	return false;
}

int vg_container_put(struct vg_container_registry *r, const char *id, enum vg_runtime runtime,
		     struct vg_container **ret)
{
	struct vg_container *c;
	int r2;

	if (vg_isempty(id) || strlen(id) > VG_CONTAINER_ID_MAX)
		return -EINVAL;
	c = vg_container_get(r, id);
	if (c) {
		if (!c->is_host)
			c->runtime = runtime;
		*ret = c;
		return 0;
	}
	if (vg_hashmap_size(&r->by_id) >= r->max && !evict_one(r)) {
		r->n_refused++;
		return -E2BIG;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	set_ids(c, id);
	c->runtime = runtime;
	c->state = VG_CONTAINER_PENDING;
	r2 = vg_hashmap_put_str(&r->by_id, c->id, c);
	if (r2 < 0) {
		container_free(c);
		return r2;
	}
	*ret = c;
	return 1;
}

struct vg_container *vg_container_ensure(struct vg_container_registry *r,
					 const struct vg_cgroup_container *cc)
{
	struct vg_container *c;
	int k;

	if (!cc || cc->runtime == VG_RUNTIME_NONE)
		return &r->host;
	k = vg_container_put(r, cc->id, cc->runtime, &c);
	if (k < 0)
		return &r->unknown;
	if (k == 0)
		return c;
	(void)vg_strlcpy(c->pod_uid, cc->pod_uid, sizeof(c->pod_uid));
	if (r->fetcher) {
		int q = vg_meta_fetcher_request(r->fetcher, c->id, (int)cc->runtime);

		c->fetch_tries = 1;
		r->n_requests++;
		if (q < 0) {
			c->state = VG_CONTAINER_FAILED;
			c->error = q;
			r->n_request_failed++;
		} else if (r->wait_ms > 0 &&
			   vg_meta_fetcher_wait(r->fetcher, c->id, r->wait_ms) == 0) {
			/* Rules on a container's first process (a shell in a privileged
			 * container) need its metadata now, not a moment later: a short,
			 * bounded wait once per container. */
			(void)vg_container_poll(r);
		}
	}
	changed(r, c);
	return c;
}

int vg_container_map_cgroup(struct vg_container_registry *r, uint64_t cgroup_id,
			    struct vg_container *c)
{
	struct vg_container *old;
	int k;

	if (cgroup_id == 0 || !c)
		return 0;
	old = vg_hashmap_get_u64(&r->by_cgroup, cgroup_id);
	if (old == c)
		return 0;
	k = vg_hashmap_put_u64(&r->by_cgroup, cgroup_id, c);
	if (k < 0)
		return k;
	if (!c->is_host) {
		bool have = false;

		for (uint32_t i = 0; i < c->n_cgroup_ids; i++)
			have |= c->cgroup_ids[i] == cgroup_id;
		if (!have && c->n_cgroup_ids < VG_CONTAINER_CGROUPS_MAX)
			c->cgroup_ids[c->n_cgroup_ids++] = cgroup_id;
		changed(r, c);
	}
	return 1;
}

void vg_container_set_meta(struct vg_container_registry *r, const char *id, int error,
			   struct vg_container_meta *meta)
{
	struct vg_container *c = vg_container_get(r, id);

	if (!c || c->is_host) {
		vg_container_meta_free(meta);
		return;
	}
	if (error == -ENOENT && c->fetch_tries < VG_CONTAINER_FETCH_TRIES) {
		/* Not known yet: ask again shortly, stay PENDING. */
		vg_container_meta_free(meta);
		if (!c->retry_at_ms)
			r->n_retrying++;
		c->retry_at_ms = vg_now_ns(CLOCK_MONOTONIC) / 1000000 +
				 (uint64_t)VG_CONTAINER_RETRY_MS * c->fetch_tries;
		return;
	}
	if (c->retry_at_ms) {
		c->retry_at_ms = 0;
		r->n_retrying--;
	}
	if (error < 0 || !meta) {
		vg_container_meta_free(meta);
		c->state = VG_CONTAINER_FAILED;
		c->error = error < 0 ? error : -EBADMSG;
		r->n_fetch_failed++;
	} else {
		vg_container_meta_free(c->meta);
		c->meta = meta;
		c->state = VG_CONTAINER_READY;
		c->error = 0;
	}
	changed(r, c);
}

static void poll_cb(void *userdata, const char *id, int error, struct vg_container_meta *meta)
{
	vg_container_set_meta(userdata, id, error, meta);
}

static void retry_due(struct vg_container_registry *r)
{
	uint64_t now = vg_now_ns(CLOCK_MONOTONIC) / 1000000;
	struct vg_hashmap_entry *e;

	for (size_t i = 0; r->n_retrying && vg_hashmap_next(&r->by_id, &i, &e);) {
		struct vg_container *c = e->value;

		if (!c->retry_at_ms || now < c->retry_at_ms)
			continue;
		c->retry_at_ms = 0;
		r->n_retrying--;
		c->fetch_tries++;
		r->n_requests++;
		if (vg_meta_fetcher_request(r->fetcher, c->id, (int)c->runtime) < 0) {
			c->state = VG_CONTAINER_FAILED;
			c->error = -EAGAIN;
			r->n_request_failed++;
			changed(r, c);
		}
	}
}

int vg_container_poll(struct vg_container_registry *r)
{
	int n;

	if (!r->fetcher)
		return 0;
	n = vg_meta_fetcher_poll(r->fetcher, poll_cb, r);
	if (r->n_retrying)
		retry_due(r);
	return n;
}
