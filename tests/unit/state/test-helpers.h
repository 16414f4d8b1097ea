/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers for the state tests: build and apply events. */
#ifndef VG_TESTS_STATE_HELPERS_H
#define VG_TESTS_STATE_HELPERS_H

#include <string.h>

#include "event-builder.h"
#include "sensor/event.h"
#include "state/state.h"
#include "tap.h"

static inline void evb_ids(struct vg_evb *b, uint32_t pid, uint32_t tid, uint32_t ppid,
			   const char *comm)
{
	struct vg_event_hdr *h = vg_evb_hdr(b);

	h->pid = pid;
	h->tid = tid;
	h->ppid = ppid;
	h->vpid = pid;
	h->vtid = tid;
	memset(h->comm, 0, sizeof(h->comm));
	strncpy(h->comm, comm, sizeof(h->comm) - 1);
}

static inline void evb_apply(struct vg_state *s, struct vg_evb *b, struct vg_event_ctx *ctx)
{
	struct vg_event e;
	const char *why = NULL;
	size_t n = vg_evb_finish(b);

	ASSERT_OK(vg_event_decode(b->buf, n, &e, &why));
	ASSERT_OK(vg_state_apply(s, &e, ctx));
}

#endif
