/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel record decoder: the one place that trusts nothing about an event record, whether
 * it comes from the ring buffer or from a capture file. It validates the whole record and
 * indexes its parameters in place (no copy, no allocation), so that everything downstream may
 * rely on the guarantees listed in event.h.
 *
 * Parameter shapes:
 *   - C strings (PATH PATH2 RESOLVED BASE BASE2 CWD EXE FILENAME CGROUP NAME FSTYPE FDPATH):
 *     1..VG_STR_MAX bytes, last byte NUL. An earlier NUL is allowed (a unix socket's path
 *     may carry one, abstract names are binary): rejecting it would let a process hide its
 *     events, so consumers read strings as C strings and may see less than len - 1 bytes;
 *   - lists (ARGV, ENV): NUL-separated, at least one byte, last byte NUL (an empty list is
 *     the single byte "\0"); ARGV is bounded by VG_ARGV_BYTES_MAX, ENV by VG_ENV_MAX;
 *   - TUPLE: exactly sizeof(struct vg_tuple);
 *   - ADDR: a raw sockaddr as given by user space, at most 128 (sockaddr_storage) bytes;
 *     it may be shorter than sa_family (a failed call with a bogus addrlen): check len;
 *   - DATA: raw bytes (init_module parameters are text, perf_event_open's are a binary
 *     struct prefix), at most VG_STR_MAX.
 * Params are packed without padding, so their headers are read with memcpy().
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "basic/limits.h"
#include "sensor/event.h"
#include "sensor/syscalls.h"

_Static_assert(sizeof(struct vg_event_hdr) == 168,
	       "event header layout changed: bump VG_EVENT_ABI");
_Static_assert(sizeof(struct vg_param) == 4, "param header layout changed: bump VG_EVENT_ABI");
_Static_assert(sizeof(struct vg_tuple) == 48, "tuple layout changed: bump VG_EVENT_ABI");
_Static_assert(VG_EVENT_SIZE_MAX <= VG_EVENT_MAX, "limits.h must cover the event ABI");

#define VG_ADDR_MAX 128 /* sizeof(struct sockaddr_storage) */

enum param_shape {
	SHAPE_STRING,
	SHAPE_LIST,
	SHAPE_TUPLE,
	SHAPE_ADDR,
	SHAPE_BYTES,
};

static const unsigned char param_shapes[VG_P__MAX] = {
	[VG_P_PATH] = SHAPE_STRING,	[VG_P_PATH2] = SHAPE_STRING,
	[VG_P_RESOLVED] = SHAPE_STRING, [VG_P_BASE] = SHAPE_STRING,
	[VG_P_BASE2] = SHAPE_STRING,	[VG_P_ARGV] = SHAPE_LIST,
	[VG_P_ENV] = SHAPE_LIST,	[VG_P_CWD] = SHAPE_STRING,
	[VG_P_EXE] = SHAPE_STRING,	[VG_P_FILENAME] = SHAPE_STRING,
	[VG_P_CGROUP] = SHAPE_STRING,	[VG_P_ADDR] = SHAPE_ADDR,
	[VG_P_TUPLE] = SHAPE_TUPLE,	[VG_P_NAME] = SHAPE_STRING,
	[VG_P_FSTYPE] = SHAPE_STRING,	[VG_P_DATA] = SHAPE_BYTES,
	[VG_P_FDPATH] = SHAPE_STRING,
};

static int fail(const char **reterr_reason, const char *reason)
{
	if (reterr_reason)
		*reterr_reason = reason;
	return -EBADMSG;
}

/* NULL when the param is well formed, else why not. */
static const char *check_param(unsigned id, const char *p, size_t len)
{
	switch (param_shapes[id]) {
	case SHAPE_STRING:
		if (len == 0)
			return "empty string parameter (no NUL)";
		if (len > VG_STR_MAX)
			return "string parameter longer than VG_STR_MAX";
		if (p[len - 1] != '\0')
			return "string parameter not NUL-terminated";
		return NULL;
	case SHAPE_LIST:
		if (len == 0)
			return "empty list parameter (no NUL)";
		if (len > (id == VG_P_ARGV ? VG_ARGV_BYTES_MAX : VG_ENV_MAX))
			return "list parameter too long";
		if (p[len - 1] != '\0')
			return "list parameter not NUL-terminated";
		return NULL;
	case SHAPE_TUPLE:
		if (len != sizeof(struct vg_tuple))
			return "tuple parameter has the wrong size";
		return NULL;
	case SHAPE_ADDR:
		if (len > VG_ADDR_MAX)
			return "address parameter longer than a sockaddr_storage";
		return NULL;
	case SHAPE_BYTES:
		if (len > VG_STR_MAX)
			return "data parameter longer than VG_STR_MAX";
		return NULL;
	default:
		return "unknown parameter id";
	}
}

static int decode(const void *data, size_t size, struct vg_event *ret, const char **reterr_reason)
{
	const struct vg_event_hdr *hdr = data;
	const char *base = data;
	size_t off;

	memset(ret, 0, sizeof(*ret));

	if (!data || size < sizeof(struct vg_event_hdr))
		return fail(reterr_reason, "record shorter than the event header");
	if ((uintptr_t)data % _Alignof(struct vg_event_hdr) != 0)
		return fail(reterr_reason, "record not aligned to 8 bytes");
	if (size > VG_EVENT_SIZE_MAX)
		return fail(reterr_reason, "record larger than VG_EVENT_SIZE_MAX");
	if (hdr->size != size)
		return fail(reterr_reason, "header size does not match the record size");
	if (hdr->kind < VG_EV_SYSCALL || hdr->kind >= VG_EV__MAX)
		return fail(reterr_reason, "unknown event kind");
	if (hdr->sc >= VG_SC__MAX)
		return fail(reterr_reason, "syscall id out of range");
	if (hdr->kind == VG_EV_SYSCALL && hdr->sc == VG_SC_NONE)
		return fail(reterr_reason, "syscall event without a syscall id");

	off = sizeof(struct vg_event_hdr);
	for (unsigned i = 0; i < hdr->nparams; i++) {
		struct vg_param param;
		const char *why;

		if (size - off < sizeof(param))
			return fail(reterr_reason, "parameter header past the end of the record");
		memcpy(&param, base + off, sizeof(param));
		off += sizeof(param);
		if (param.len > size - off)
			return fail(reterr_reason, "parameter data past the end of the record");
		if (param.id == 0 || param.id >= VG_P__MAX)
			return fail(reterr_reason, "unknown parameter id");
		if (ret->param[param.id])
			return fail(reterr_reason, "duplicate parameter");
		why = check_param(param.id, base + off, param.len);
		if (why)
			return fail(reterr_reason, why);
		ret->param[param.id] = base + off;
		ret->param_len[param.id] = param.len;
		off += param.len;
	}
	if (off != size)
		return fail(reterr_reason, "trailing bytes after the last parameter");

	ret->hdr = hdr;
	return 0;
}

int vg_event_decode(const void *data, size_t size, struct vg_event *ret, const char **reterr_reason)
{
	int r = decode(data, size, ret, reterr_reason);

	if (r < 0)
		memset(ret, 0, sizeof(*ret)); /* no half-indexed event escapes */
	return r;
}

const char *vg_event_type_name(const struct vg_event *e)
{
	const char *name;

	if (!e || !e->hdr)
		return "unknown";
	switch (e->hdr->kind) {
	case VG_EV_SYSCALL:
		name = vg_syscall_name(e->hdr->sc);
		return name ? name : "unknown";
	case VG_EV_EXEC:
		return e->hdr->sc == VG_SC_EXECVEAT ? "execveat" : "execve";
	case VG_EV_FORK:
		switch (e->hdr->sc) {
		case VG_SC_CLONE3:
			return "clone3";
		case VG_SC_FORK:
			return "fork";
		case VG_SC_VFORK:
			return "vfork";
		default:
			return "clone";
		}
	case VG_EV_EXIT:
		return "procexit";
	default:
		return "unknown";
	}
}
