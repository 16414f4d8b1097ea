/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thin adapter over jansson: bounded parsing (size cap, nesting pre-scan, duplicate keys
 * rejected) and typed getters that return "absent" instead of crashing on a wrong type.
 * Only json.c and this header include <jansson.h>.
 */
#ifndef VG_SHARED_JSON_H
#define VG_SHARED_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "basic/cleanup.h"
#include "basic/macro.h"

/**
 * vg_json_parse() - parses one JSON document (object or array) from @buf.
 * @len bytes, need not be NUL-terminated.
 * Rejects documents larger than VG_JSON_DOC_MAX or nested deeper than VG_JSON_DEPTH_MAX
 * (-E2BIG), malformed input and duplicate object keys (-EBADMSG), returns -ENOMEM on
 * allocation failure. On error, if @err is not NULL, writes "line L col C: message" to it
 * (1-based). On success *ret holds a new reference (json_decref() it, or use cleanup_json).
 */
VG_MUST_CHECK int vg_json_parse(const char *buf, size_t len, json_t **ret, char *err,
				size_t errsize);

/** vg_json_parse_file() - reads @path (bounded by VG_JSON_DOC_MAX) and parses it. */
VG_MUST_CHECK int vg_json_parse_file(const char *path, json_t **ret, char *err, size_t errsize);

/**
 * vg_json_depth_check() - returns 0 if the bracket nesting of @buf stays within @max_depth,
 * -E2BIG otherwise (with 1-based *ret_line / *ret_col of the offending bracket if not NULL).
 * Brackets inside strings are ignored. Does not validate JSON otherwise.
 */
VG_MUST_CHECK int vg_json_depth_check(const char *buf, size_t len, unsigned max_depth,
				      unsigned *ret_line, unsigned *ret_col);

/*
 * Typed getters. @obj may be NULL or any type: a non-object @obj behaves like an empty
 * object. JSON null counts as absent. Returned json_t/strings are borrowed from @obj.
 */

/** vg_json_get_str() - the string under @key, or NULL if absent or not a string. */
const char *vg_json_get_str(json_t *obj, const char *key);
/** vg_json_get_int() - integer under @key: 0, -ENOENT if absent/null, -EBADMSG if not an integer. */
VG_MUST_CHECK int vg_json_get_int(json_t *obj, const char *key, int64_t *ret);
/** vg_json_get_u64() - like vg_json_get_int() but also -ERANGE for negative values. */
VG_MUST_CHECK int vg_json_get_u64(json_t *obj, const char *key, uint64_t *ret);
/** vg_json_get_bool() - boolean under @key: 0, -ENOENT if absent/null, -EBADMSG otherwise. */
VG_MUST_CHECK int vg_json_get_bool(json_t *obj, const char *key, bool *ret);
/** vg_json_get_obj() - the object under @key, or NULL if absent or not an object. */
json_t *vg_json_get_obj(json_t *obj, const char *key);
/** vg_json_get_array() - the array under @key, or NULL if absent or not an array. */
json_t *vg_json_get_array(json_t *obj, const char *key);

/**
 * vg_json_path() - follows a dotted path of object keys ("Config.Labels"); a segment that
 * is a decimal number indexes an array ("Mounts.0.Source"). Returns the borrowed value or
 * NULL if any step is missing or of the wrong type (null is returned as NULL too). Keys
 * containing dots cannot be addressed this way: use json_object_get() for those.
 */
json_t *vg_json_path(json_t *root, const char *dotted);

static inline void vg_json_decrefp(json_t **p)
{
	if (*p)
		json_decref(*p);
}
#define cleanup_json cleanup(vg_json_decrefp)

#endif /* VG_SHARED_JSON_H */
