/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An alert (a rule matched) and its two renderings, with Falco's conventions so existing
 * pipelines (Falcosidekick, SIEM parsers) take vigil's alerts unchanged:
 *   text: "HH:MM:SS.nnnnnnnnn: Priority <rule output>"
 *   JSON: {"hostname","output","output_fields":{...},"priority","rule","source","tags","time"}
 */
#ifndef VG_OUTPUT_ALERT_H
#define VG_OUTPUT_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"
#include "basic/strbuf.h"
#include "rules/load.h"

#define VG_ALERT_FIELDS_MAX 128

struct vg_alert_field {
	const char *name;
	const char *value; /* NULL: <NA> (JSON null) */
	bool numeric; /* written as a JSON number */
};

struct vg_alert {
	uint64_t time_ns; /* CLOCK_REALTIME of the event */
	const char *rule;
	enum vg_priority priority;
	const char *source; /* "syscall", "internal", ... */
	const char *hostname;
	const char *output; /* the rule's output, fields resolved */
	const char *const *tags;
	size_t n_tags;
	struct vg_alert_field fields[VG_ALERT_FIELDS_MAX];
	size_t n_fields;
};

/* Appends one rendering (no newline). */
VG_MUST_CHECK int vg_alert_format_text(const struct vg_alert *a, struct vg_strbuf *out);
VG_MUST_CHECK int vg_alert_format_json(const struct vg_alert *a, struct vg_strbuf *out);

#endif /* VG_OUTPUT_ALERT_H */
