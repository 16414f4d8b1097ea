/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names of kernel constants as Falco prints them: errno and signal names, open/clone/mount
 * flags, socket families and types, ptrace requests, prctl options, bpf commands, file mode
 * bits, capabilities. Kernel (asm-generic, x86) values, independent of the libc headers.
 * Shared by the event formatter (src/output) and the rule fields (src/state).
 */
#ifndef VG_SENSOR_NAMES_H
#define VG_SENSOR_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct vg_flag_name {
	uint64_t bit; /* may have several bits: matches when all are set */
	const char *name;
};

struct vg_flag_set {
	const struct vg_flag_name *v;
	size_t n;
};

/* O_* without the access mode (see vg_open_flags_format()). */
extern const struct vg_flag_set vg_open_flag_names;
extern const struct vg_flag_set vg_clone_flag_names; /* CLONE_* (clone, unshare, setns) */
extern const struct vg_flag_set vg_mount_flag_names; /* MS_* */
extern const struct vg_flag_set vg_umount_flag_names; /* MNT_*, UMOUNT_NOFOLLOW */
extern const struct vg_flag_set vg_memfd_flag_names; /* MFD_* */
extern const struct vg_flag_set vg_uffd_flag_names; /* userfaultfd flags */
extern const struct vg_flag_set vg_sock_flag_names; /* SOCK_NONBLOCK, SOCK_CLOEXEC */
extern const struct vg_flag_set vg_mode_names; /* S_IXOTH ... S_ISUID */

/* Each returns NULL when the value has no name. */
const char *vg_errno_name(int err); /* "ENOENT" */
const char *vg_signal_name(int sig); /* "SIGKILL" (1..31) */
const char *vg_family_name(uint64_t family); /* "AF_INET" */
const char *vg_sock_type_name(uint64_t type); /* "SOCK_STREAM" (type & 0xf) */
const char *vg_ptrace_request_name(uint64_t r); /* "PTRACE_ATTACH" */
const char *vg_prctl_option_name(uint64_t o); /* "PR_SET_NAME" */
const char *vg_bpf_cmd_name(uint64_t cmd); /* "BPF_PROG_LOAD" */
const char *vg_cap_name(unsigned cap); /* "CAP_SYS_ADMIN" (0..40) */

#define VG_CAP_LAST 40 /* CAP_CHECKPOINT_RESTORE */

/*
 * Formatting into @buf (always NUL-terminated when size > 0); each returns the length
 * written, truncated to size - 1.
 */
/* "A|B|0x40"; "0" when v == 0. */
size_t vg_flags_format(const struct vg_flag_set *set, uint64_t v, char *buf, size_t size);
/* "O_WRONLY|O_CREAT|O_TRUNC": the access mode first, always. */
size_t vg_open_flags_format(uint64_t v, char *buf, size_t size);
/* "SIGKILL", "SIGRTMIN+3", else the number. */
size_t vg_signal_format(int64_t sig, char *buf, size_t size);
/* "CAP_CHOWN CAP_DAC_OVERRIDE ..." (Falco's thread.cap_* format); "" for 0. */
size_t vg_caps_format(uint64_t caps, char *buf, size_t size);

#endif /* VG_SENSOR_NAMES_H */
