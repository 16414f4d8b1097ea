/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where alerts go: stdout, a file, syslog. Each sink renders alerts as text or JSON lines.
 * A failed write is reported (sticky error), never silently dropped.
 */
#ifndef VG_OUTPUT_SINK_H
#define VG_OUTPUT_SINK_H

#include <stdbool.h>
#include <stdio.h>

#include "basic/macro.h"
#include "output/alert.h"

enum vg_sink_kind {
	VG_SINK_STDOUT,
	VG_SINK_FILE,
	VG_SINK_SYSLOG,
};

enum vg_sink_format {
	VG_SINK_TEXT,
	VG_SINK_JSON,
};

#define VG_SINKS_MAX 8

struct vg_sink {
	enum vg_sink_kind kind;
	enum vg_sink_format format;
	FILE *f; /* STDOUT, FILE */
	bool owns_f; /* FILE: closed with the sink */
	int error; /* first write error */
};

struct vg_sinks {
	struct vg_sink s[VG_SINKS_MAX];
	size_t n;
	uint64_t written;
	struct vg_strbuf text, json; /* reused renderings */
};

#define VG_SINKS_INIT  \
	{              \
		.n = 0 \
	}

/* Adds a sink writing to f (stdout or an open file, borrowed). */
VG_MUST_CHECK int vg_sinks_add_stream(struct vg_sinks *ss, FILE *f, enum vg_sink_format format);
/* Adds syslog (LOG_DAEMON, ident "vigil"); priorities map to syslog levels. */
VG_MUST_CHECK int vg_sinks_add_syslog(struct vg_sinks *ss, enum vg_sink_format format);
/* Writes one alert to every sink; returns the first error met (the other sinks still get
 * the alert). */
VG_MUST_CHECK int vg_sinks_emit(struct vg_sinks *ss, const struct vg_alert *a);
void vg_sinks_flush(struct vg_sinks *ss);
void vg_sinks_done(struct vg_sinks *ss);

#endif /* VG_OUTPUT_SINK_H */
