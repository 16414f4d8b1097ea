/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Formats one decoded event plus its state context as JSON (one object, no newline) or as
 * one text line, exactly as docs/events.md specifies. Output is a pure function of the
 * inputs (byte-identical for the same event, context and clock offset) so that replaying a
 * capture reproduces live output. Appends to @out (reuse one strbuf: no per-event malloc
 * once it has grown).
 */
#ifndef VG_OUTPUT_EVENT_FORMAT_H
#define VG_OUTPUT_EVENT_FORMAT_H

#include <stdint.h>

#include "basic/macro.h"
#include "basic/strbuf.h"
#include "sensor/event.h"
#include "state/state.h"

/* @ctx may be NULL (header data only). Returns 0 or a strbuf error (-E2BIG, -ENOMEM). */
VG_MUST_CHECK int vg_event_format_json(const struct vg_event *e, const struct vg_event_ctx *ctx,
				       int64_t boot_to_realtime_ns, struct vg_strbuf *out);
VG_MUST_CHECK int vg_event_format_text(const struct vg_event *e, const struct vg_event_ctx *ctx,
				       int64_t boot_to_realtime_ns, struct vg_strbuf *out);

/* The name tables (vg_errno_name(), vg_signal_name(), ...) live in sensor/names.h. */
#include "sensor/names.h"

#endif /* VG_OUTPUT_EVENT_FORMAT_H */
