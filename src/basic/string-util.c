/* SPDX-License-Identifier: Apache-2.0 */
/* String helpers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "string-util.h"

char *vg_startswith(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return NULL;
	return (char *)s + n;
}

char *vg_endswith(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	if (lx > ls)
		return NULL;
	if (memcmp(s + ls - lx, suffix, lx) != 0)
		return NULL;
	return (char *)s + ls - lx;
}

size_t vg_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t k = n < size - 1 ? n : size - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

char **vg_strv_free(char **v)
{
	if (!v)
		return NULL;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
	return NULL;
}

size_t vg_strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/*
 * Appends the components of @s to buf[0..*len), resolving "." and "..". buf always holds a
 * normalised absolute path without trailing slash ("" stands for "/" while building).
 */
static int push_components(const char *s, char *buf, size_t size, size_t *len)
{
	while (*s) {
		const char *e;
		size_t n;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchrnul(s, '/');
		n = (size_t)(e - s);
		if (n == 1 && s[0] == '.') {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (*len > 0 && buf[*len - 1] != '/')
				(*len)--;
			if (*len > 0)
				(*len)--; /* drop the slash too */
		} else {
			if (*len + 1 + n + 1 > size)
				return -ENAMETOOLONG;
			buf[(*len)++] = '/';
			memcpy(buf + *len, s, n);
			*len += n;
		}
		s = e;
	}
	return 0;
}

int vg_path_join_normalize(const char *base, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int r;

	if (!path || !buf)
		return -EINVAL;
	if (size < 2)
		return -ENAMETOOLONG;
	if (path[0] != '/' && base) {
		r = push_components(base, buf, size, &len);
		if (r < 0)
			return r;
	}
	r = push_components(path, buf, size, &len);
	if (r < 0)
		return r;
	if (len == 0)
		buf[len++] = '/';
	buf[len] = '\0';
	return (int)len;
}

bool vg_is_hex(const char *s, size_t n)
{
	if (!s || n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}
