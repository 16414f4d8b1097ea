/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed values as the rules engine sees them: what a field extracts and what a literal in a
 * condition is parsed into. Strings are borrowed (pointer + length, not necessarily
 * NUL-terminated) from the object being evaluated, a per-event scratch buffer, or the
 * compiled rule set.
 */
#ifndef VG_RULES_VALUE_H
#define VG_RULES_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vg_ftype {
	VG_FT_STR = 1, /* text, paths, names */
	VG_FT_INT, /* signed 64-bit (evt.rawres, fd.num, user.loginuid) */
	VG_FT_UINT, /* unsigned 64-bit (pids, uids, ports, inodes, durations in ns) */
	VG_FT_BOOL, /* true/false */
	VG_FT_IP, /* IPv4 or IPv6 address */
	VG_FT_NET, /* CIDR network: only literals (fd.net = 10.0.0.0/8) */
	VG_FT_BYTES, /* raw bytes (evt.buffer): bcontains, bstartswith */
	VG_FT__MAX,
};

struct vg_value {
	enum vg_ftype type;
	union {
		int64_t i;
		uint64_t u;
		bool b;
		struct {
			uint8_t family; /* 4 or 6 */
			uint8_t prefix; /* NET only: prefix length */
			uint8_t addr[16];
		} ip;
		struct {
			const char *p; /* STR, BYTES: not NUL-terminated in general */
			size_t len;
		} s;
	};
};

const char *vg_ftype_name(enum vg_ftype t); /* "string", "int64", "uint64", "bool", "ipaddr", ... */

/*
 * Parses a literal written in a condition or list ("42", "0x1f", "10.0.0.0/8", "true",
 * "/etc/shadow") as type t. STR literals are not copied (ret->s points into text). Returns
 * 0, or -EINVAL when the text is not a valid literal of that type.
 */
int vg_value_parse(enum vg_ftype t, const char *text, size_t len, struct vg_value *ret);

/*
 * Like vg_value_parse(), and the only way to parse BYTES: hex text ("43484f", as Falco's
 * bcontains and bstartswith take it) is decoded into memory from a (vg_value_parse() returns
 * -EOPNOTSUPP for BYTES). Other types behave exactly as with vg_value_parse().
 */
struct vg_arena;
int vg_value_parse_arena(enum vg_ftype t, const char *text, size_t len, struct vg_arena *a,
			 struct vg_value *ret);

/* Writes a value as Falco prints it in outputs (strings as is, numbers in decimal, IPs
 * dotted or RFC 5952). Returns the length it needed (snprintf semantics). */
int vg_value_format(const struct vg_value *v, char *buf, size_t size);

#endif /* VG_RULES_VALUE_H */
