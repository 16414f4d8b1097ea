/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "engine/pipeline.h"
#include "output/event-format.h"

#define VG_LINE_MAX (1024 * 1024) /* one formatted event */

void vg_pipeline_init(struct vg_pipeline *p, struct vg_state *state, enum vg_event_output events,
		      FILE *out, int64_t boot_offset_ns, struct vg_capture_writer *rec)
{
	memset(p, 0, sizeof(*p));
	p->state = state;
	p->events = events;
	p->out = out;
	p->boot_offset_ns = boot_offset_ns;
	p->rec = rec;
	vg_strbuf_init(&p->line, VG_LINE_MAX);
}

void vg_pipeline_done(struct vg_pipeline *p)
{
	vg_strbuf_done(&p->line);
}

void vg_pipeline_set_detect(struct vg_pipeline *p, struct vg_detect *detect, const char *hostname)
{
	p->detect = detect;
	p->hostname = hostname;
}

int vg_pipeline_record_state(void *userdata, int rectype, const char *json, size_t n)
{
	struct vg_pipeline *p = userdata;
	uint32_t type = rectype == VG_STATE_REC_PROC ? VG_CAP_PROC : VG_CAP_CONTAINER;
	int r;

	if (!p->rec || p->rec_error)
		return p->rec_error;
	r = vg_capture_write(p->rec, type, json, n);
	if (r < 0)
		p->rec_error = r;
	return r;
}

static int print_event(struct vg_pipeline *p, const struct vg_event *e,
		       const struct vg_event_ctx *ctx)
{
	int r;

	vg_strbuf_reset(&p->line);
	if (p->events == VG_EVENTS_JSON)
		r = vg_event_format_json(e, ctx, p->boot_offset_ns, &p->line);
	else
		r = vg_event_format_text(e, ctx, p->boot_offset_ns, &p->line);
	if (r < 0)
		return r;
	r = vg_strbuf_putc(&p->line, '\n');
	if (r < 0)
		return r;
	if (fwrite(vg_strbuf_str(&p->line), 1, p->line.len, p->out) != p->line.len)
		return errno > 0 ? -errno : -EIO;
	p->stats.printed++;
	return 0;
}

static int handle(struct vg_pipeline *p, const void *data, size_t size, uint64_t num,
		  bool evaluate)
{
	struct vg_event_ctx ctx;
	struct vg_event e;
	const char *why = NULL;
	int r;

	if (vg_event_decode(data, size, &e, &why) < 0) {
		p->stats.malformed++;
		return 0;
	}
	/* State first: records it learns on the way must precede the event in a capture. */
	r = vg_state_apply(p->state, &e, &ctx);
	if (r < 0 || !evaluate)
		return r;
	if (p->rec) {
		if (p->rec_error)
			return p->rec_error;
		r = vg_capture_write(p->rec, VG_CAP_EVENT, data, size);
		if (r < 0)
			return (p->rec_error = r);
	}
	if (p->events != VG_EVENTS_NONE) {
		r = print_event(p, &e, &ctx);
		if (r < 0)
			return (p->out_error = r);
	}
	if (p->detect) {
		struct vg_syscall_obj obj = {
			.e = &e,
			.ctx = &ctx,
			.state = p->state,
			.boot_offset_ns = p->boot_offset_ns,
			.hostname = p->hostname,
			.num = num,
		};

		r = vg_detect_event(p->detect, &obj);
		if (r < 0)
			return r;
	}
	return 0;
}

int vg_pipeline_event(struct vg_pipeline *p, const void *data, size_t size)
{
	p->stats.records++;
	return handle(p, data, size, p->stats.records, true);
}

int vg_pipeline_event_num(struct vg_pipeline *p, const void *data, size_t size, uint64_t num,
			  bool evaluate)
{
	p->stats.records++;
	return handle(p, data, size, num, evaluate);
}
