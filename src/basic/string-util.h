/* SPDX-License-Identifier: Apache-2.0 */
/* String helpers: comparisons, bounded copies, lexical path normalisation. libc only. */
#ifndef VG_BASIC_STRING_UTIL_H
#define VG_BASIC_STRING_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cleanup.h"
#include "macro.h"

/** vg_streq() - true if both are NULL or both are equal strings. */
static inline bool vg_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/** vg_isempty() - true for NULL or "". */
static inline bool vg_isempty(const char *s)
{
	return !s || !s[0];
}

/**
 * vg_startswith() - prefix test.
 * Returns a pointer into @s just after @prefix, or NULL if @s does not start with it.
 */
char *vg_startswith(const char *s, const char *prefix);

/** vg_endswith() - returns a pointer to the suffix inside @s, or NULL. */
char *vg_endswith(const char *s, const char *suffix);

/**
 * vg_strlcpy() - BSD strlcpy: copies at most size-1 bytes and NUL-terminates (if size > 0).
 * Returns strlen(src); truncation happened if the result is >= size.
 */
size_t vg_strlcpy(char *dst, const char *src, size_t size);

/** vg_strv_free() - frees a NULL-terminated array of malloc'ed strings and the array; NULL ok. */
char **vg_strv_free(char **v);

/** vg_strv_length() - number of entries in a NULL-terminated array (0 for NULL). */
size_t vg_strv_length(char *const *v);

static inline void vg_strv_freep(char ***v)
{
	vg_strv_free(*v);
}
#define cleanup_strv cleanup(vg_strv_freep)

/**
 * vg_path_join_normalize() - lexical absolute path normalisation.
 * If @path is absolute @base is ignored, otherwise it is resolved against @base (NULL or ""
 * means "/"; a relative @base is treated as starting at "/"). Collapses repeated slashes,
 * "." and ".." (never above "/"); no trailing slash except for "/" itself. Symlinks are not
 * followed: this is for paths inside images and archives. Writes to @buf (NUL-terminated).
 * Returns the length written, -ENAMETOOLONG if it does not fit in @size, -EINVAL on NULL.
 */
VG_MUST_CHECK int vg_path_join_normalize(const char *base, const char *path, char *buf,
					 size_t size);

/** vg_is_hex() - true if the first @n bytes of @s are all hex digits (and n > 0). */
bool vg_is_hex(const char *s, size_t n);

#endif /* VG_BASIC_STRING_UTIL_H */
