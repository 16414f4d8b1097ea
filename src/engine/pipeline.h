/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The watch pipeline, shared by live watching and replay: decode a raw record, apply it to
 * the state, print it (with --events), and record it. Live and replay differ only in where
 * records come from, which is what makes a replay reproduce the live output exactly.
 */
#ifndef VG_ENGINE_PIPELINE_H
#define VG_ENGINE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "basic/macro.h"
#include "basic/strbuf.h"
#include "engine/detect.h"
#include "sensor/capture.h"
#include "state/state.h"

enum vg_event_output {
	VG_EVENTS_NONE, /* events are not printed */
	VG_EVENTS_TEXT,
	VG_EVENTS_JSON,
};

struct vg_pipeline_stats {
	uint64_t records; /* raw records received */
	uint64_t malformed; /* records the decoder rejected */
	uint64_t printed;
};

struct vg_pipeline {
	struct vg_state *state; /* borrowed */
	enum vg_event_output events;
	FILE *out; /* borrowed */
	int64_t boot_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME of the recording */
	struct vg_capture_writer *rec; /* borrowed, may be NULL */
	int rec_error; /* sticky first recording error */
	int out_error; /* sticky first output error */
	struct vg_strbuf line; /* reused for every event */
	struct vg_detect *detect; /* borrowed, NULL: no rules */
	const char *hostname;
	struct vg_pipeline_stats stats;
};

void vg_pipeline_init(struct vg_pipeline *p, struct vg_state *state, enum vg_event_output events,
		      FILE *out, int64_t boot_offset_ns, struct vg_capture_writer *rec);
void vg_pipeline_done(struct vg_pipeline *p);
/* Evaluates rules on every event from now on (detect is borrowed). */
void vg_pipeline_set_detect(struct vg_pipeline *p, struct vg_detect *detect, const char *hostname);

/* The state's recording hook: writes PROC/CONTAINER records to p->rec. Pass as
 * vg_state_config.record with the pipeline as userdata. */
int vg_pipeline_record_state(void *userdata, int rectype, const char *json, size_t n);

/*
 * Handles one raw kernel record. Malformed records are counted and skipped (a kernel or
 * capture problem must not stop the watch); returns a negative errno only when output or
 * recording failed, which must stop the watch so that no data is silently lost.
 */
VG_MUST_CHECK int vg_pipeline_event(struct vg_pipeline *p, const void *data, size_t size);

/* For a worker of engine/parallel.c: num is the event's number in the whole stream (evt.num);
 * evaluate false applies the event to the state only (another worker evaluates it). */
VG_MUST_CHECK int vg_pipeline_event_num(struct vg_pipeline *p, const void *data, size_t size,
					uint64_t num, bool evaluate);

#endif /* VG_ENGINE_PIPELINE_H */
