/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The source registry and the extraction helpers (see field.h). The registry is a small
 * static array filled once at start-up; lookups by name are linear because they only
 * happen while compiling rules. The vg_extract_* helpers run for every event and every
 * field use: no allocation, every bound checked (a hit sets x->overflow and drops the
 * value instead of writing past the arrays).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "rules/field.h"

#define VG_SOURCES_MAX 16

static const struct vg_source *sources[VG_SOURCES_MAX];
static size_t n_sources;

int vg_source_register(const struct vg_source *src)
{
	if (!src || !src->name)
		return -EINVAL;
	for (size_t i = 0; i < n_sources; i++)
		if (sources[i] == src || strcmp(sources[i]->name, src->name) == 0)
			return -EEXIST;
	if (n_sources >= VG_SOURCES_MAX)
		return -E2BIG;
	sources[n_sources++] = src;
	return 0;
}

const struct vg_source *vg_source_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < n_sources; i++)
		if (strcmp(sources[i]->name, name) == 0)
			return sources[i];
	return NULL;
}

size_t vg_source_count(void)
{
	return n_sources;
}

const struct vg_source *vg_source_at(size_t i)
{
	return i < n_sources ? sources[i] : NULL;
}

const struct vg_field *vg_source_field(const struct vg_source *src, const char *name,
				       size_t *ret_arg_off)
{
	const struct vg_field *best = NULL;
	size_t best_len = 0, len;

	if (ret_arg_off)
		*ret_arg_off = 0;
	if (!src || !name)
		return NULL;
	len = strlen(name);
	for (size_t i = 0; i < src->n_fields; i++) {
		const struct vg_field *f = &src->fields[i];
		size_t fl = strlen(f->name);

		if (fl == len && memcmp(f->name, name, len) == 0)
			return f; /* an exact name always wins: proc.aname, fd.cip.name */
		/* "evt.arg.flags": field "evt.arg" followed by '.' and a non-empty argument */
		if ((f->flags & VG_FF_DOTTED_ARG) && fl + 1 < len && name[fl] == '.' &&
		    memcmp(f->name, name, fl) == 0 && fl > best_len) {
			best = f;
			best_len = fl;
		}
	}
	if (best && ret_arg_off)
		*ret_arg_off = best_len + 1;
	return best;
}

unsigned vg_source_evttype(const struct vg_source *src, const char *name)
{
	if (!src || !name || !src->evttypes)
		return 0;
	for (size_t i = 1; i < src->n_evttypes; i++)
		if (src->evttypes[i] && strcmp(src->evttypes[i], name) == 0)
			return (unsigned)i;
	return 0;
}

/* ---- extraction ---- */

static inline bool full(const struct vg_extract *x)
{
	return x->n >= (x->dst ? x->dst_max : VG_EXTRACT_VALUES_MAX);
}

bool vg_extract_cstr(struct vg_extract *x, const char *s)
{
	return s ? vg_extract_str(x, s, strlen(s)) : false;
}

/* family: 4 or AF_INET, 6 or AF_INET6; addr in network byte order. */
bool vg_extract_ip(struct vg_extract *x, int family, const void *addr)
{
	struct vg_value *v;
	uint8_t fam;

	if (family == 4 || family == AF_INET)
		fam = 4;
	else if (family == 6 || family == AF_INET6)
		fam = 6;
	else
		return false;
	if (!addr)
		return false;
	v = vg_extract_slot(x, VG_FT_IP);
	if (!v)
		return false;
	v->ip.family = fam;
	v->ip.prefix = fam == 4 ? 32 : 128;
	memcpy(v->ip.addr, addr, fam == 4 ? 4 : 16);
	return true;
}

bool vg_extract_bytes(struct vg_extract *x, const void *p, size_t len)
{
	struct vg_value *v;

	if (!p && len)
		return false;
	v = vg_extract_slot(x, VG_FT_BYTES);
	if (!v)
		return false;
	v->s.p = p;
	v->s.len = len;
	return true;
}

bool vg_extract_printf(struct vg_extract *x, const char *fmt, ...)
{
	size_t room = VG_EXTRACT_SCRATCH_MAX - x->scratch_used;
	char *dst = x->scratch + x->scratch_used;
	va_list ap;
	int k;

	if (full(x) || room == 0) {
		x->overflow = true;
		return false;
	}
	va_start(ap, fmt);
	k = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (k < 0)
		return false;
	if ((size_t)k >= room) {
		x->overflow = true;
		return false;
	}
	x->scratch_used += (size_t)k + 1;
	return vg_extract_str(x, dst, (size_t)k);
}

bool vg_extract_strdup(struct vg_extract *x, const char *s, size_t len)
{
	size_t room = VG_EXTRACT_SCRATCH_MAX - x->scratch_used;
	char *dst = x->scratch + x->scratch_used;

	if (!s && len)
		return false;
	if (full(x) || len + 1 > room) {
		x->overflow = true;
		return false;
	}
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
	x->scratch_used += len + 1;
	return vg_extract_str(x, dst, len);
}

/* ---- scratch building (for values assembled piece by piece) ---- */

char *vg_extract_buf(struct vg_extract *x, size_t *ret_room)
{
	size_t room = VG_EXTRACT_SCRATCH_MAX - x->scratch_used;

	*ret_room = room;
	return room ? x->scratch + x->scratch_used : NULL;
}

bool vg_extract_commit(struct vg_extract *x, size_t len)
{
	size_t room = VG_EXTRACT_SCRATCH_MAX - x->scratch_used;
	char *dst = x->scratch + x->scratch_used;

	if (len + 1 > room || full(x)) {
		x->overflow = true;
		return false;
	}
	dst[len] = '\0';
	x->scratch_used += len + 1;
	return vg_extract_str(x, dst, len);
}
