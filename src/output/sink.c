/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "output/sink.h"

#define VG_ALERT_LINE_MAX (1024 * 1024)

int vg_sinks_add_stream(struct vg_sinks *ss, FILE *f, enum vg_sink_format format)
{
	if (ss->n >= VG_SINKS_MAX)
		return -E2BIG;
	ss->s[ss->n++] = (struct vg_sink){
		.kind = f == stdout ? VG_SINK_STDOUT : VG_SINK_FILE,
		.format = format,
		.f = f,
	};
	return 0;
}

int vg_sinks_add_syslog(struct vg_sinks *ss, enum vg_sink_format format)
{
	if (ss->n >= VG_SINKS_MAX)
		return -E2BIG;
	openlog("vigil", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	ss->s[ss->n++] = (struct vg_sink){.kind = VG_SINK_SYSLOG, .format = format};
	return 0;
}

static int syslog_level(enum vg_priority p)
{
	/* Falco's priorities are syslog's levels, in the same order. */
	static const int levels[VG_PRIO__MAX] = {
		[VG_PRIO_EMERGENCY] = LOG_EMERG,    [VG_PRIO_ALERT] = LOG_ALERT,
		[VG_PRIO_CRITICAL] = LOG_CRIT,	    [VG_PRIO_ERROR] = LOG_ERR,
		[VG_PRIO_WARNING] = LOG_WARNING,    [VG_PRIO_NOTICE] = LOG_NOTICE,
		[VG_PRIO_INFORMATIONAL] = LOG_INFO, [VG_PRIO_DEBUG] = LOG_DEBUG,
	};

	return (unsigned)p < VG_PRIO__MAX ? levels[p] : LOG_WARNING;
}

int vg_sinks_emit(struct vg_sinks *ss, const struct vg_alert *a)
{
	struct vg_strbuf *text = &ss->text, *json = &ss->json;
	int first_error = 0;

	if (!text->max_size)
		vg_strbuf_init(text, VG_ALERT_LINE_MAX);
	if (!json->max_size)
		vg_strbuf_init(json, VG_ALERT_LINE_MAX);
	vg_strbuf_reset(text);
	vg_strbuf_reset(json);

	for (size_t i = 0; i < ss->n; i++) {
		struct vg_sink *s = &ss->s[i];
		struct vg_strbuf *line = s->format == VG_SINK_JSON ? json : text;
		int r = 0;

		if (line->len == 0)
			r = s->format == VG_SINK_JSON ? vg_alert_format_json(a, line)
						      : vg_alert_format_text(a, line);
		if (r < 0) {
			first_error = first_error ? first_error : r;
			continue;
		}
		if (s->kind == VG_SINK_SYSLOG) {
			syslog(syslog_level(a->priority), "%s", vg_strbuf_str(line));
			continue;
		}
		if (fwrite(vg_strbuf_str(line), 1, line->len, s->f) != line->len ||
		    fputc('\n', s->f) == EOF) {
			r = errno > 0 ? -errno : -EIO;
			if (!s->error)
				s->error = r;
			first_error = first_error ? first_error : r;
		}
	}
	ss->written++;
	return first_error;
}

void vg_sinks_flush(struct vg_sinks *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		if (ss->s[i].f)
			fflush(ss->s[i].f);
}

void vg_sinks_done(struct vg_sinks *ss)
{
	vg_sinks_flush(ss);
	for (size_t i = 0; i < ss->n; i++)
		if (ss->s[i].kind == VG_SINK_SYSLOG)
			closelog();
	ss->n = 0;
	vg_strbuf_done(&ss->text);
	vg_strbuf_done(&ss->json);
}
