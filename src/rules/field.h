/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fields and sources. The rules engine knows fields only through this registry: each
 * source (syscall, container, image, host, k8s_pod) registers a table from its own folder,
 * so src/rules never includes the sensor, the state or a collector.
 *
 * An extractor writes zero or more values for one object into a struct vg_extract:
 *   - zero values is Falco's <NA> (the field does not apply or is unknown);
 *   - more than one value for multi-valued fields (proc.aname without an index, list-typed
 *     fields such as container.mounts, evt.arg.flags as its set of flag names).
 * Strings may point into the object, or be formatted into the extraction scratch with
 * vg_extract_printf(), which lives until vg_extract_reset() (once per event).
 */
#ifndef VG_RULES_FIELD_H
#define VG_RULES_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"
#include "rules/value.h"

/* struct vg_field.flags */
#define VG_FF_ARG_INDEX	   (1u << 0) /* takes a numeric argument: proc.aname[2], evt.arg[0] */
#define VG_FF_ARG_KEY	   (1u << 1) /* takes a key argument: evt.arg[flags], proc.env[HOME] */
#define VG_FF_ARG_REQUIRED (1u << 2) /* the argument is mandatory */
#define VG_FF_MULTI	   (1u << 3) /* may extract several values (checks match if any does) */
#define VG_FF_DOTTED_ARG   (1u << 4) /* also accepts the argument after a dot: evt.arg.flags */
#define VG_FF_HIDDEN	   (1u << 5) /* accepted for compatibility, not listed */
#define VG_FF_LIST	   (1u << 6) /* list-valued (container.mounts): `in` is a subset test, as Falco */

#define VG_FIELD_ARG_MAX   256

/* The argument of one use of a field in a condition or output. */
struct vg_field_arg {
	bool present;
	bool is_index; /* numeric: index holds it */
	int64_t index;
	char key[VG_FIELD_ARG_MAX]; /* textual form, always set when present */
};

#define VG_EXTRACT_VALUES_MAX  256
#define VG_EXTRACT_SCRATCH_MAX (64 * 1024)

struct vg_extract {
	struct vg_value values[VG_EXTRACT_VALUES_MAX];
	size_t n;
	char scratch[VG_EXTRACT_SCRATCH_MAX];
	size_t scratch_used;
	bool overflow; /* a value or scratch bound was hit: result is partial */
	/* Where values go when not NULL (the evaluator points it into its per-event pool, so a
	 * value is written once), instead of values[]; at most dst_max of them. */
	struct vg_value *dst;
	size_t dst_max;
};

static inline void vg_extract_reset(struct vg_extract *x)
{
	x->n = 0;
	x->scratch_used = 0;
	x->overflow = false;
}

/* The next value's place (type t, the rest zero), or NULL (and overflow) when full. Inline:
 * extractors run for every event. */
static inline struct vg_value *vg_extract_slot(struct vg_extract *x, enum vg_ftype t)
{
	struct vg_value *v;

	if (x->n >= (x->dst ? x->dst_max : VG_EXTRACT_VALUES_MAX)) {
		x->overflow = true;
		return NULL;
	}
	v = x->dst ? &x->dst[x->n++] : &x->values[x->n++];
	*v = (struct vg_value){.type = t};
	return v;
}

/* Appending values; each returns false (and sets overflow) when a bound is hit. */
static inline bool vg_extract_str(struct vg_extract *x, const char *s, size_t len)
{
	struct vg_value *v;

	if (!s)
		return false;
	v = vg_extract_slot(x, VG_FT_STR);
	if (!v)
		return false;
	v->s.p = s;
	v->s.len = len;
	return true;
}

bool vg_extract_cstr(struct vg_extract *x, const char *s); /* NULL extracts nothing */

static inline bool vg_extract_int(struct vg_extract *x, int64_t i)
{
	struct vg_value *v = vg_extract_slot(x, VG_FT_INT);

	if (!v)
		return false;
	v->i = i;
	return true;
}

static inline bool vg_extract_uint(struct vg_extract *x, uint64_t u)
{
	struct vg_value *v = vg_extract_slot(x, VG_FT_UINT);

	if (!v)
		return false;
	v->u = u;
	return true;
}

static inline bool vg_extract_bool(struct vg_extract *x, bool b)
{
	struct vg_value *v = vg_extract_slot(x, VG_FT_BOOL);

	if (!v)
		return false;
	v->b = b;
	return true;
}
bool vg_extract_ip(struct vg_extract *x, int family, const void *addr);
bool vg_extract_bytes(struct vg_extract *x, const void *p, size_t len);
/* Formats a string into the scratch and extracts it. */
bool vg_extract_printf(struct vg_extract *x, const char *fmt, ...) VG_PRINTF(2, 3);
/* Copies s into the scratch (for strings that do not outlive the call) and extracts it. */
bool vg_extract_strdup(struct vg_extract *x, const char *s, size_t len);
/*
 * Building a string in place: vg_extract_buf() returns where the next scratch string goes
 * and the bytes left (NULL when full); write at most *ret_room - 1 bytes there, then
 * vg_extract_commit(len) NUL-terminates and extracts them (false + overflow when too long).
 */
char *vg_extract_buf(struct vg_extract *x, size_t *ret_room);
bool vg_extract_commit(struct vg_extract *x, size_t len);

struct vg_field;

/*
 * Extracts field f (with its argument, when it takes one) from obj, an object of the
 * field's source (for "syscall": const struct vg_syscall_obj *). Appends to x; never fails:
 * what cannot be known is simply not extracted.
 */
typedef void vg_field_extract_fn(const struct vg_field *f, const struct vg_field_arg *arg,
				 const void *obj, struct vg_extract *x);

struct vg_field {
	const char *name; /* "proc.aname" */
	enum vg_ftype type;
	unsigned flags; /* VG_FF_* */
	const char *desc; /* one line, for `vigil rules fields` and docs/fields.md */
	vg_field_extract_fn *extract;
	int id; /* for the extractor's own dispatch */
	/* Called by the compiler with every constant a condition compares this field with
	 * (fd.sip.name = "host": the source resolves "host"); NULL for most fields. */
	void (*on_literal)(const struct vg_field *f, const char *literal);
};

/* One source: its fields and, for indexing, the event types its objects can have. */
struct vg_source {
	const char *name; /* "syscall" */
	const struct vg_field *fields;
	size_t n_fields;
	/* Event type names, index = event type number used by evttype_of (0 is reserved:
	 * "unknown"). Sources without event types (container, image, ...) have one type. */
	const char *const *evttypes;
	size_t n_evttypes;
	/* Event type number of an object; NULL when the source has a single type. */
	unsigned (*evttype_of)(const void *obj);
	/* For `syscall`: the enum vg_syscall id behind an event type (0 = none), so the compiled
	 * rules can tell the sensor which syscalls to switch on. NULL for other sources. */
	unsigned (*evttype_syscall)(unsigned evttype);
};

/* Registration happens once at start-up, from each source's folder. -EEXIST for a
 * duplicate name, -E2BIG past the registry's capacity. */
int vg_source_register(const struct vg_source *src);
const struct vg_source *vg_source_find(const char *name);
size_t vg_source_count(void);
const struct vg_source *vg_source_at(size_t i);
/* The field called name (longest prefix match for dotted arguments: "evt.arg.flags" ->
 * field "evt.arg" with key "flags"); ret_arg_off is where the dotted argument starts
 * (0 when none). NULL when the source has no such field. */
const struct vg_field *vg_source_field(const struct vg_source *src, const char *name,
				       size_t *ret_arg_off);
/* Event type number for a name ("openat"), 0 when unknown. */
unsigned vg_source_evttype(const struct vg_source *src, const char *name);

#endif /* VG_RULES_FIELD_H */
