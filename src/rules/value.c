/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Literals of the rules language: parsing a condition's text into a typed value, and
 * printing values the way Falco prints them in outputs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "basic/arena.h"
#include "rules/value.h"

#define LITERAL_NUM_MAX 64 /* longer than any 64-bit number, with or without 0x */
#define LITERAL_IP_MAX	64 /* longer than any textual IPv6 address plus "/128" */

const char *vg_ftype_name(enum vg_ftype t)
{
	switch (t) {
	case VG_FT_STR:
		return "string";
	case VG_FT_INT:
		return "int64";
	case VG_FT_UINT:
		return "uint64";
	case VG_FT_BOOL:
		return "bool";
	case VG_FT_IP:
		return "ipaddr";
	case VG_FT_NET:
		return "ipnet";
	case VG_FT_BYTES:
		return "bytebuf";
	default:
		return "unknown";
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Magnitude of an unsigned decimal or 0x-prefixed hex number taking all of s[0..len). */
static int parse_magnitude(const char *s, size_t len, uint64_t *ret)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0 || len > LITERAL_NUM_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int d = base == 16 ? hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);

		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -EINVAL; /* does not fit */
		v = v * base + (uint64_t)d;
	}
	*ret = v;
	return 0;
}

static int parse_int(const char *s, size_t len, int64_t *ret)
{
	bool neg = false;
	uint64_t m;
	int r;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	r = parse_magnitude(s, len, &m);
	if (r < 0)
		return r;
	if (neg) {
		if (m > (uint64_t)INT64_MAX + 1)
			return -EINVAL;
		*ret = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	} else {
		if (m > (uint64_t)INT64_MAX)
			return -EINVAL;
		*ret = (int64_t)m;
	}
	return 0;
}

static int parse_ip(const char *s, size_t len, struct vg_value *ret)
{
	char buf[LITERAL_IP_MAX];

	if (len == 0 || len >= sizeof(buf) || memchr(s, '\0', len))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(ret->ip.addr, 0, sizeof(ret->ip.addr));
	if (inet_pton(AF_INET, buf, ret->ip.addr) == 1) {
		ret->ip.family = 4;
		ret->ip.prefix = 32;
		return 0;
	}
	if (memchr(buf, ':', len) && inet_pton(AF_INET6, buf, ret->ip.addr) == 1) {
		ret->ip.family = 6;
		ret->ip.prefix = 128;
		return 0;
	}
	return -EINVAL;
}

static int parse_net(const char *s, size_t len, struct vg_value *ret)
{
	const char *slash = memchr(s, '/', len);
	uint64_t prefix;
	int r;

	if (!slash)
		return parse_ip(s, len, ret); /* a bare address is a /32 or /128 */
	r = parse_ip(s, (size_t)(slash - s), ret);
	if (r < 0)
		return r;
	/* decimal only: "10.0.0.0/0x8" is not a prefix */
	len -= (size_t)(slash - s) + 1;
	s = slash + 1;
	if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	r = parse_magnitude(s, len, &prefix);
	if (r < 0)
		return r;
	if (prefix > (ret->ip.family == 4 ? 32u : 128u))
		return -EINVAL;
	ret->ip.prefix = (uint8_t)prefix;
	return 0;
}

/* Hex text ("43484f", whitespace not allowed) into out (len / 2 bytes), or only checked. */
static int parse_hex_bytes(const char *s, size_t len, uint8_t *out)
{
	if (len % 2)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (out)
			out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int value_parse(enum vg_ftype t, const char *text, size_t len, struct vg_arena *a,
		       struct vg_value *ret)
{
	struct vg_value v = {.type = t};
	int r;

	if (!text && len)
		return -EINVAL;
	switch (t) {
	case VG_FT_STR:
		v.s.p = text;
		v.s.len = len;
		break;
	case VG_FT_INT:
		r = parse_int(text, len, &v.i);
		if (r < 0)
			return r;
		break;
	case VG_FT_UINT:
		if (len > 0 && text[0] == '+') {
			text++;
			len--;
		}
		r = parse_magnitude(text, len, &v.u);
		if (r < 0)
			return r;
		break;
	case VG_FT_BOOL:
		if (len == 4 && memcmp(text, "true", 4) == 0)
			v.b = true;
		else if (len == 5 && memcmp(text, "false", 5) == 0)
			v.b = false;
		else
			return -EINVAL;
		break;
	case VG_FT_IP:
		r = parse_ip(text, len, &v);
		if (r < 0)
			return r;
		break;
	case VG_FT_NET:
		r = parse_net(text, len, &v);
		if (r < 0)
			return r;
		break;
	case VG_FT_BYTES: {
		uint8_t *out;

		if (!a)
			return -EOPNOTSUPP; /* vg_value_parse_arena() decodes bytes */
		r = parse_hex_bytes(text, len, NULL);
		if (r < 0)
			return r;
		out = vg_arena_alloc(a, len / 2 + 1);
		if (!out)
			return vg_arena_error(a) ?: -ENOMEM;
		(void)parse_hex_bytes(text, len, out);
		v.s.p = (const char *)out;
		v.s.len = len / 2;
		break;
	}
	default:
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

int vg_value_parse(enum vg_ftype t, const char *text, size_t len, struct vg_value *ret)
{
	return value_parse(t, text, len, NULL, ret);
}

int vg_value_parse_arena(enum vg_ftype t, const char *text, size_t len, struct vg_arena *a,
			 struct vg_value *ret)
{
	if (!a)
		return -EINVAL;
	return value_parse(t, text, len, a, ret);
}

/* snprintf-like append: keeps the total needed length in *n. */
static void put(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	if (*n < size) {
		size_t room = size - *n - 1;

		memcpy(buf + *n, s, VG_MIN(room, len));
	}
	*n += len;
}

int vg_value_format(const struct vg_value *v, char *buf, size_t size)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	size_t n = 0;
	int k;

	switch (v->type) {
	case VG_FT_STR:
		put(buf, size, &n, v->s.p, v->s.len);
		break;
	case VG_FT_INT:
		k = snprintf(tmp, sizeof(tmp), "%" PRId64, v->i);
		put(buf, size, &n, tmp, (size_t)k);
		break;
	case VG_FT_UINT:
		k = snprintf(tmp, sizeof(tmp), "%" PRIu64, v->u);
		put(buf, size, &n, tmp, (size_t)k);
		break;
	case VG_FT_BOOL:
		put(buf, size, &n, v->b ? "true" : "false", v->b ? 4 : 5);
		break;
	case VG_FT_IP:
	case VG_FT_NET:
		if (!inet_ntop(v->ip.family == 6 ? AF_INET6 : AF_INET, v->ip.addr, tmp,
			       sizeof(tmp)))
			return -EINVAL;
		put(buf, size, &n, tmp, strlen(tmp));
		if (v->type == VG_FT_NET) {
			k = snprintf(tmp, sizeof(tmp), "/%u", (unsigned)v->ip.prefix);
			put(buf, size, &n, tmp, (size_t)k);
		}
		break;
	case VG_FT_BYTES:
		/* as Falco prints buffers: printable ASCII as is, anything else as '.' */
		for (size_t i = 0; i < v->s.len; i++) {
			char c = v->s.p[i];

			if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
				c = '.';
			put(buf, size, &n, &c, 1);
		}
		break;
	default:
		return -EINVAL;
	}
	if (size > 0)
		buf[VG_MIN(n, size - 1)] = '\0';
	return n > INT32_MAX ? -E2BIG : (int)n;
}
