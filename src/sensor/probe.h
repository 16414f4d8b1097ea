/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live kernel sensor: loads the BPF object, attaches it, fills the syscall tables and
 * hands raw event records to a callback. probe.c is the only file that includes the
 * generated skeleton or libbpf.
 */
#ifndef VG_SENSOR_PROBE_H
#define VG_SENSOR_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "basic/macro.h"
#include "sensor/syscalls.h"

struct vg_probe;

struct vg_probe_config {
	size_t ringbuf_bytes; /* power of two; 0 = 16 MiB */
	bool capture_env; /* attach envp to exec events */
	pid_t self_tgid; /* excluded from tracing; 0 = getpid() */
};

struct vg_probe_counters {
	uint64_t events; /* records the kernel submitted */
	uint64_t drops; /* records lost: ring buffer full */
	uint64_t truncated; /* records with a cut parameter */
	unsigned ncpus;
	uint64_t drops_per_cpu[256];
};

/* A record as it sits in the ring buffer; return < 0 to stop polling with that error. */
typedef int vg_probe_event_fn(void *userdata, const void *data, size_t size);

/*
 * Checks what the sensor needs (root or CAP_BPF+CAP_PERFMON, kernel BTF, BPF ring buffers)
 * and explains the first thing missing in err. Returns 0 or a negative errno.
 */
VG_MUST_CHECK int vg_probe_check(char *err, size_t errsize);

/* Opens, loads and attaches. On failure err says which step and why (verifier log tail,
 * missing tracepoint, ...). */
VG_MUST_CHECK int vg_probe_open(const struct vg_probe_config *cfg, vg_probe_event_fn *cb,
				void *userdata, struct vg_probe **ret, char *err, size_t errsize);

/* Switches syscalls on and off; takes effect immediately, no reload. The syscall hook is
 * detached while the set is empty. Returns the number switched on, or a negative errno
 * when the hook cannot be attached. */
VG_MUST_CHECK int vg_probe_set_syscalls(struct vg_probe *p, const struct vg_syscall_set *set);

/* Delivers waiting records to the callback; waits up to timeout_ms for a wakeup, then takes
 * whatever is in the ring buffer (the kernel does not wake us for every record). Returns the
 * number delivered, or a negative errno. */
VG_MUST_CHECK int vg_probe_poll(struct vg_probe *p, int timeout_ms);

/* Delivers everything already in the ring buffer without waiting. */
VG_MUST_CHECK int vg_probe_drain(struct vg_probe *p);

void vg_probe_counters(struct vg_probe *p, struct vg_probe_counters *ret);

/* Which cgroup hierarchy attributes tasks: -1 for cgroup v2, else the v1 subsystem index
 * (pids, then memory, then cpu: pids is the one resource managers nest least). Exposed for diagnostics and tests. */
int vg_probe_cgroup_subsys(void);

struct vg_probe *vg_probe_free(struct vg_probe *p);

#endif /* VG_SENSOR_PROBE_H */
