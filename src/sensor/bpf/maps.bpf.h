/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/* Maps and run-time configuration shared by every program of the sensor. */
#ifndef VG_MAPS_BPF_H
#define VG_MAPS_BPF_H

#include "vg-event.h"

/* Set before load (rodata). */
const volatile __u32 vg_self_tgid = 0; /* vigil itself: never traced */
const volatile __s32 vg_cgroup_subsys = -1; /* v1 controller index, -1 = cgroup v2 */
const volatile __u8 vg_capture_env = 0; /* attach envp to exec events */

/* Set at run time by user space through the mmapped .bss (no reload needed). */
__u16 vg_sc_native[VG_NR_MAX]; /* native syscall nr -> enum vg_syscall, 0 = unknown */
__u16 vg_sc_ia32[VG_NR_MAX]; /* ia32 compat nr -> enum vg_syscall */
__u8 vg_sc_on[VG_SC__MAX]; /* enum vg_syscall -> 1 when switched on */
__u32 vg_execveat_nr = 0; /* native nr of execveat, to tell exec flavours apart */

/* Room for one record plus the largest single parameter, so that the verifier can prove
 * every write in bounds with one mask. */
#define VG_SCRATCH_EV	32768 /* = PCPU_MIN_UNIT_SIZE, the largest per-CPU value */
#define VG_PATHBUF	8192 /* the path walker writes backwards from the middle */
#define VG_PATHBUF_HALF 4096

struct vg_ev_buf {
	char data[VG_SCRATCH_EV];
};

struct vg_path_buf {
	char data[VG_PATHBUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024); /* resized by user space before load */
} vg_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vg_ev_buf);
} vg_ev_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct vg_path_buf);
} vg_path_scratch SEC(".maps");

/* Per-CPU counters read by user space: never silent about what was lost. The layout is
 * shared with probe.c (struct vg_cpu_counters). */
struct vg_cpu_counters {
	__u64 events; /* records submitted */
	__u64 drops; /* records lost because the ring buffer was full */
	__u64 truncated; /* records with a cut parameter */
	__u64 pending_bytes; /* submitted since this CPU last woke the reader */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vg_cpu_counters);
} vg_counters SEC(".maps");

#endif /* VG_MAPS_BPF_H */
