/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A kernel event record, validated and indexed for user space. Decoding never copies: the
 * struct points into the record, which must outlive it. vg_event_decode() is the only place
 * that trusts nothing about a record; everything after it may rely on:
 *   - hdr->size == size of the record, hdr->kind and hdr->sc are in range,
 *   - every param lies inside the record, string params are NUL-terminated within their
 *     length, VG_P_TUPLE has exactly sizeof(struct vg_tuple) bytes.
 */
#ifndef VG_SENSOR_EVENT_H
#define VG_SENSOR_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/macro.h"
#include "sensor/bpf/vg-event.h"

struct vg_event {
	const struct vg_event_hdr *hdr;
	const char *param[VG_P__MAX]; /* NULL when absent */
	uint16_t param_len[VG_P__MAX]; /* bytes, NUL included for strings */
};

/* -EBADMSG with a reason in *reterr_reason (static string) when the record is malformed. */
VG_MUST_CHECK int vg_event_decode(const void *data, size_t size, struct vg_event *ret,
				  const char **reterr_reason);

static inline const char *vg_event_str(const struct vg_event *e, enum vg_param_id id)
{
	return e->param[id];
}

static inline const struct vg_tuple *vg_event_tuple(const struct vg_event *e)
{
	return (const struct vg_tuple *)e->param[VG_P_TUPLE];
}

/*
 * Parameters are packed without padding, so the VG_P_TUPLE bytes are usually not 4-byte
 * aligned: dereferencing vg_event_tuple() is undefined behaviour (UBSan reports it) on
 * strict-alignment reads. This copies the tuple out instead; false when there is none.
 */
static inline bool vg_event_tuple_copy(const struct vg_event *e, struct vg_tuple *ret)
{
	if (!e->param[VG_P_TUPLE])
		return false;
	__builtin_memcpy(ret, e->param[VG_P_TUPLE], sizeof(*ret));
	return true;
}

/* Falco's evt.type for this event: "openat", "execve", "clone", "procexit", ... */
const char *vg_event_type_name(const struct vg_event *e);

#endif /* VG_SENSOR_EVENT_H */
