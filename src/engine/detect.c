/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "basic/log.h"
#include "engine/detect.h"

#define VG_OUTPUT_MAX (64 * 1024)

/* What every detect has of its own: an evaluator and the buffers an alert is rendered in. */
static int init_evaluating(struct vg_detect *d, const struct vg_ruleset *rs,
			   struct vg_sinks *sinks, const char *hostname)
{
	memset(d, 0, sizeof(*d));
	d->rs = rs;
	d->sinks = sinks;
	d->hostname = hostname;
	vg_strbuf_init(&d->output, VG_OUTPUT_MAX);
	return vg_evaluator_new(rs, &d->ev);
}

int vg_detect_init(struct vg_detect *d, const struct vg_ruleset *rs, struct vg_sinks *sinks,
		   const char *hostname, const struct vg_detect_config *cfg)
{
	int r = init_evaluating(d, rs, sinks, hostname);

	if (r < 0)
		return r;
	return vg_ratelimit_init(&d->rl, vg_ruleset_count(rs), cfg ? cfg->rate : 0,
				 cfg ? cfg->burst : 0);
}

void vg_detect_done(struct vg_detect *d)
{
	d->ev = vg_evaluator_free(d->ev);
	if (!d->hub)
		vg_ratelimit_done(&d->rl);
	vg_strbuf_done(&d->output);
	if (d->shared)
		pthread_mutex_destroy(&d->lock);
	d->shared = false;
}

int vg_detect_share(struct vg_detect *d)
{
	int r;

	if (d->shared)
		return 0;
	r = pthread_mutex_init(&d->lock, NULL);
	if (r)
		return -r;
	d->shared = true;
	return 0;
}

int vg_detect_init_worker(struct vg_detect *d, struct vg_detect *hub)
{
	int r;

	if (!hub->shared)
		return -EINVAL;
	r = init_evaluating(d, hub->rs, hub->sinks, hub->hostname);
	if (r < 0)
		vg_strbuf_done(&d->output);
	d->hub = hub;
	return r;
}

void vg_detect_lock(struct vg_detect *hub)
{
	if (hub->shared)
		pthread_mutex_lock(&hub->lock);
}

void vg_detect_unlock(struct vg_detect *hub)
{
	if (hub->shared)
		pthread_mutex_unlock(&hub->lock);
}

static uint64_t event_time(const struct vg_syscall_obj *obj)
{
	return obj->e->hdr->ts + (uint64_t)obj->boot_offset_ns;
}

/* Copies a value into the alert's value area; NULL when it is full (reported as <NA>). */
static const char *keep_value(struct vg_detect *d, const char *v)
{
	size_t n;
	char *dst;

	if (!v)
		return NULL;
	n = strlen(v) + 1;
	if (n > sizeof(d->values) - d->values_used)
		return NULL;
	dst = d->values + d->values_used;
	memcpy(dst, v, n);
	d->values_used += n;
	return dst;
}

static void collect_field(void *userdata, const char *name, const char *value, bool numeric)
{
	struct vg_detect *d = userdata;
	struct vg_alert_field *f;

	if (d->alert.n_fields >= VG_ALERT_FIELDS_MAX)
		return;
	/* Names live as long as the rule set (or are literals); values are reused buffers. */
	f = &d->alert.fields[d->alert.n_fields++];
	f->name = name;
	f->value = keep_value(d, value);
	f->numeric = numeric;
}

/* Sends d's alert through the hub's sinks (the hub's lock held when shared). */
static int emit(struct vg_detect *d)
{
	struct vg_detect *h = d->hub ? d->hub : d;
	int r = vg_sinks_emit(h->sinks, &d->alert);

	if (r < 0) {
		h->stats.sink_errors++;
		if (!h->error)
			__atomic_store_n(&h->error, r, __ATOMIC_RELAXED); /* workers peek at it */
		return r;
	}
	h->stats.alerts++;
	return 0;
}

/* The alert of rule for d's event: rendered with d's evaluator (the worker's own state), sent
 * to the hub's sinks; the hub's lock is held when shared, so alerts do not interleave. */
static void render_and_emit(struct vg_detect *d, const struct vg_rule *rule, uint64_t t)
{
	vg_strbuf_reset(&d->output);
	if (vg_rule_output(d->ev, rule, d->obj, &d->output) < 0) {
		/* Too long: keep what fits and say so rather than losing the alert (when even
		 * the note does not fit, the buffer is at its cap and stays as it is). */
		int q = vg_strbuf_puts(&d->output, " (truncated)");

		(void)q;
	}
	d->values_used = 0;
	d->alert = (struct vg_alert){
		.time_ns = t,
		.rule = rule->name,
		.priority = rule->priority,
		.source = rule->source,
		.hostname = d->hostname,
		.output = vg_strbuf_str(&d->output),
		.tags = rule->tags,
		.n_tags = rule->n_tags,
	};
	/* Falco's output_fields always carry the event time, as integer nanoseconds. */
	{
		char ts[24];

		snprintf(ts, sizeof(ts), "%llu", (unsigned long long)t);
		collect_field(d, "evt.time", ts, true);
	}
	vg_rule_output_fields(d->ev, rule, d->obj, collect_field, d);
	(void)emit(d);
}

static void on_match(void *userdata, const struct vg_rule *rule)
{
	struct vg_detect *d = userdata;
	struct vg_detect *h = d->hub ? d->hub : d;
	uint64_t t = event_time(d->obj);

	vg_detect_lock(h);
	h->stats.matched++;
	if (!vg_ratelimit_allow(&h->rl, rule->index, t))
		h->stats.suppressed++;
	else
		render_and_emit(d, rule, t);
	vg_detect_unlock(h);
}

int vg_detect_event(struct vg_detect *d, const struct vg_syscall_obj *obj)
{
	struct vg_detect *h = d->hub;
	uint64_t t = event_time(obj);
	int r;

	d->obj = obj;
	d->last_time_ns = t;
	d->stats.evaluated++;
	(void)vg_eval(d->ev, &vg_syscall_source, obj, on_match, d);
	d->obj = NULL;
	if (!h)
		return d->error ? d->error : vg_detect_summary(d, t, false);
	/* A worker: the summary is the hub's, in the time of the latest event any worker saw.
	 * Checked without the lock first: most events are nowhere near the next summary. */
	if (t < __atomic_load_n(&h->next_summary_ns, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&h->error, __ATOMIC_RELAXED))
		return 0;
	vg_detect_lock(h);
	if (t > h->last_time_ns)
		h->last_time_ns = t;
	r = h->error ? h->error : vg_detect_summary(h, t, false);
	vg_detect_unlock(h);
	return r;
}

int vg_detect_internal(struct vg_detect *d, uint64_t time_ns, enum vg_priority prio,
		       const char *rule, const char *output, const char *const *fields)
{
	if (!time_ns)
		time_ns = d->last_time_ns;
	d->values_used = 0;
	d->alert = (struct vg_alert){
		.time_ns = time_ns,
		.rule = rule,
		.priority = prio,
		.source = "internal",
		.hostname = d->hostname,
		.output = output,
	};
	for (size_t i = 0; fields && fields[i] && fields[i + 1]; i += 2)
		collect_field(d, fields[i], fields[i + 1], true);
	return emit(d);
}

int vg_detect_drops(struct vg_detect *d, uint64_t drops)
{
	char n[32], out[128];
	const char *fields[] = {"n_drops", n, NULL, NULL};

	snprintf(n, sizeof(n), "%llu", (unsigned long long)drops);
	snprintf(out, sizeof(out),
		 "Kernel events lost because the ring buffer was full: %llu in total",
		 (unsigned long long)drops);
	return vg_detect_internal(d, 0, VG_PRIO_CRITICAL, "vigil internal: events lost", out,
				  fields);
}

int vg_detect_summary(struct vg_detect *d, uint64_t time_ns, bool force)
{
	int r = 0;

	if (!time_ns)
		time_ns = d->last_time_ns;
	/* atomic stores: workers read next_summary_ns without the hub's lock */
	if (!d->next_summary_ns)
		__atomic_store_n(&d->next_summary_ns, time_ns + VG_RATELIMIT_SUMMARY_NS,
				 __ATOMIC_RELAXED);
	if (!force && time_ns < d->next_summary_ns)
		return 0;
	__atomic_store_n(&d->next_summary_ns, time_ns + VG_RATELIMIT_SUMMARY_NS, __ATOMIC_RELAXED);
	for (size_t i = 0; i < d->rl.n; i++) {
		struct vg_bucket *b = &d->rl.buckets[i];
		const struct vg_rule *rule = vg_ruleset_rule(d->rs, i);
		char out[512], n[32];
		const char *fields[] = {"n_suppressed", n, NULL, NULL};

		if (!b->suppressed)
			continue;
		snprintf(n, sizeof(n), "%llu", (unsigned long long)b->suppressed);
		snprintf(out, sizeof(out), "%llu alerts of rule '%s' suppressed by the rate limit",
			 (unsigned long long)b->suppressed, rule ? rule->name : "?");
		log_warning("%s", out);
		b->suppressed = 0;
		r = vg_detect_internal(d, time_ns, VG_PRIO_NOTICE,
				       "vigil internal: alerts suppressed", out, fields);
		if (r < 0)
			break;
	}
	return r;
}
