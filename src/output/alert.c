/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "basic/time-util.h"
#include "output/alert.h"

/* Falco's %evt.time: time of day (UTC) with nanoseconds. */
static int put_time_of_day(struct vg_strbuf *out, uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!gmtime_r(&secs, &tm))
		return -EINVAL;
	return vg_strbuf_printf(out, "%02d:%02d:%02d.%09u", tm.tm_hour, tm.tm_min, tm.tm_sec,
				(unsigned)(ns % 1000000000u));
}

int vg_alert_format_text(const struct vg_alert *a, struct vg_strbuf *out)
{
	int r;

	r = put_time_of_day(out, a->time_ns);
	if (r < 0)
		return r;
	return vg_strbuf_printf(out, ": %s %s", vg_priority_name(a->priority),
				a->output ? a->output : "");
}

static int put_key(struct vg_strbuf *out, const char *key, bool first)
{
	int r;

	if (!first) {
		r = vg_strbuf_putc(out, ',');
		if (r < 0)
			return r;
	}
	r = vg_strbuf_put_json_string(out, key, strlen(key));
	if (r < 0)
		return r;
	return vg_strbuf_putc(out, ':');
}

static int put_str(struct vg_strbuf *out, const char *key, const char *value, bool first)
{
	int r = put_key(out, key, first);

	if (r < 0)
		return r;
	return vg_strbuf_put_json_string(out, value ? value : "", value ? strlen(value) : 0);
}

/* A numeric field is written as a number only if it really is one: never emit invalid JSON
 * because an extractor produced text. */
static bool is_json_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

int vg_alert_format_json(const struct vg_alert *a, struct vg_strbuf *out)
{
	char iso[64];
	struct vg_strbuf line = VG_STRBUF_INIT(64 * 1024);
	int r;

	r = vg_format_iso8601(a->time_ns, iso, sizeof(iso));
	if (r < 0)
		return r;
	/* "output" is the text rendering, as Falco's. */
	r = vg_alert_format_text(a, &line);
	if (r < 0)
		goto out;

	r = vg_strbuf_putc(out, '{');
	if (r >= 0)
		r = put_str(out, "hostname", a->hostname, true);
	if (r >= 0)
		r = put_str(out, "output", vg_strbuf_str(&line), false);
	if (r >= 0)
		r = put_key(out, "output_fields", false);
	if (r >= 0)
		r = vg_strbuf_putc(out, '{');
	for (size_t i = 0; r >= 0 && i < a->n_fields; i++) {
		const struct vg_alert_field *f = &a->fields[i];

		r = put_key(out, f->name, i == 0);
		if (r < 0)
			break;
		if (!f->value)
			r = vg_strbuf_puts(out, "null");
		else if (f->numeric && is_json_number(f->value))
			r = vg_strbuf_puts(out, f->value);
		else
			r = vg_strbuf_put_json_string(out, f->value, strlen(f->value));
	}
	if (r >= 0)
		r = vg_strbuf_putc(out, '}');
	if (r >= 0)
		r = put_str(out, "priority", vg_priority_name(a->priority), false);
	if (r >= 0)
		r = put_str(out, "rule", a->rule, false);
	if (r >= 0)
		r = put_str(out, "source", a->source, false);
	if (r >= 0)
		r = put_key(out, "tags", false);
	if (r >= 0)
		r = vg_strbuf_putc(out, '[');
	for (size_t i = 0; r >= 0 && i < a->n_tags; i++) {
		if (i)
			r = vg_strbuf_putc(out, ',');
		if (r >= 0)
			r = vg_strbuf_put_json_string(out, a->tags[i], strlen(a->tags[i]));
	}
	if (r >= 0)
		r = vg_strbuf_putc(out, ']');
	if (r >= 0)
		r = put_str(out, "time", iso, false);
	if (r >= 0)
		r = vg_strbuf_putc(out, '}');
out:
	vg_strbuf_done(&line);
	return r;
}
