/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `syscall` rule source: Falco's evt.*, proc.*, thread.*, fd.*, user.*, group.*,
 * container.* and k8s.* fields over one kernel event and the state around it.
 */
#ifndef VG_STATE_FIELDS_SYSCALL_H
#define VG_STATE_FIELDS_SYSCALL_H

#include <stdint.h>

#include "rules/field.h"
#include "sensor/event.h"
#include "state/state.h"

/* What a `syscall` rule is evaluated against. */
struct vg_syscall_obj {
	const struct vg_event *e;
	const struct vg_event_ctx *ctx; /* after vg_state_apply() for this event */
	const struct vg_state *state; /* for ancestors, users, fds */
	int64_t boot_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME of the recording */
	const char *hostname; /* evt.hostname */
	uint64_t num; /* evt.num: 1-based event number in this run */
};

/* The source definition; registered once with vg_source_register(). */
extern const struct vg_source vg_syscall_source;

/* Registers vg_syscall_source (idempotent). */
int vg_syscall_source_register(void);

/*
 * User and group names for user.name, user.homedir, user.shell, user.loginname, group.name
 * and uids in evt.arg.*: loaded from these files (passwd and group formats; either may be
 * NULL). Without a call, live mode loads /etc/passwd and /etc/group at first use and replay
 * loads nothing (only uid/gid 0 have a name, "root"). Returns -ENOENT when neither file
 * could be read, -ENOMEM. Not thread-safe: call before evaluating.
 */
int vg_syscall_users_load(const char *passwd, const char *group);
/* Forgets what was loaded (the next live lookup loads the host files again). */
void vg_syscall_users_reset(void);

#endif /* VG_STATE_FIELDS_SYSCALL_H */
