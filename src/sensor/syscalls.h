/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The traced syscalls: their stable ids (enum vg_syscall), names, and the architecture
 * syscall numbers (native and, on x86_64, ia32 compat) user space loads into the BPF
 * dispatch tables so that the kernel side never depends on the architecture's numbering.
 */
#ifndef VG_SENSOR_SYSCALLS_H
#define VG_SENSOR_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "sensor/bpf/vg-event.h"

/* "openat"; NULL for VG_SC_NONE or out of range. */
const char *vg_syscall_name(unsigned sc);
/* enum vg_syscall for a name, or -ENOENT. */
int vg_syscall_from_name(const char *name);

/* Native syscall number for sc, or -1 when this architecture has no such syscall. */
int vg_syscall_nr_native(unsigned sc);
/* ia32 compat syscall number for sc, or -1 (always -1 off x86_64). */
int vg_syscall_nr_ia32(unsigned sc);
/*
 * The older ia32 number for the same call (16-bit uid setuid/chown families, 32-bit length
 * truncate, umount without flags), or -1. Map both: they reach the same kernel function.
 */
int vg_syscall_nr_ia32_legacy(unsigned sc);

/* The set of syscalls to switch on, as a bitmask over enum vg_syscall. */
struct vg_syscall_set {
	uint64_t bits[(VG_SC__MAX + 63) / 64];
};

static inline void vg_syscall_set_add(struct vg_syscall_set *s, unsigned sc)
{
	if (sc > VG_SC_NONE && sc < VG_SC__MAX)
		s->bits[sc / 64] |= 1ull << (sc % 64);
}

static inline bool vg_syscall_set_has(const struct vg_syscall_set *s, unsigned sc)
{
	return sc < VG_SC__MAX && (s->bits[sc / 64] >> (sc % 64)) & 1;
}

void vg_syscall_set_all(struct vg_syscall_set *s);
/*
 * The syscalls the state engine needs whatever the rules say: process lifecycle comes from
 * sched tracepoints, so this is the small set that keeps the fd table and credentials right.
 */
void vg_syscall_set_state(struct vg_syscall_set *s);

#endif /* VG_SENSOR_SYSCALLS_H */
