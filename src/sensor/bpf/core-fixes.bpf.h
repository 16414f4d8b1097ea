/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Kernel structure renames, handled with CO-RE flavours so one object loads on 5.8 ... 6.x.
 * Each shim names the kernel version that changed the layout.
 */
#ifndef VG_CORE_FIXES_BPF_H
#define VG_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* 6.15 renamed kernfs_node.parent to __parent (RCU-protected). */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *vg_kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* 6.11 split inode timestamps into i_*_sec/i_*_nsec; 6.6 renamed i_ctime to __i_ctime. */
struct inode___v66 {
	struct timespec64 __i_ctime;
	struct timespec64 i_mtime;
} __attribute__((preserve_access_index));

struct inode___old {
	struct timespec64 i_ctime;
	struct timespec64 i_mtime;
} __attribute__((preserve_access_index));

static __always_inline __u64 vg_inode_mtime(struct inode *ino)
{
	if (bpf_core_field_exists(ino->i_mtime_sec))
		return BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull +
		       BPF_CORE_READ(ino, i_mtime_nsec);
	struct inode___old *o = (void *)ino;
	return BPF_CORE_READ(o, i_mtime.tv_sec) * 1000000000ull + BPF_CORE_READ(o, i_mtime.tv_nsec);
}

static __always_inline __u64 vg_inode_ctime(struct inode *ino)
{
	if (bpf_core_field_exists(ino->i_ctime_sec))
		return BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull +
		       BPF_CORE_READ(ino, i_ctime_nsec);
	struct inode___v66 *n = (void *)ino;
	if (bpf_core_field_exists(n->__i_ctime))
		return BPF_CORE_READ(n, __i_ctime.tv_sec) * 1000000000ull +
		       BPF_CORE_READ(n, __i_ctime.tv_nsec);
	struct inode___old *o = (void *)ino;
	return BPF_CORE_READ(o, i_ctime.tv_sec) * 1000000000ull + BPF_CORE_READ(o, i_ctime.tv_nsec);
}

/* kernel_cap_t was { __u32 cap[2]; } before 6.3 and { u64 val; } since. */
struct kernel_cap_struct___old {
	__u32 cap[2];
} __attribute__((preserve_access_index));

struct cred___old {
	struct kernel_cap_struct___old cap_effective;
	struct kernel_cap_struct___old cap_permitted;
} __attribute__((preserve_access_index));

/* @cred must be a BTF pointer (from a trusted task): direct loads. */
static __always_inline void vg_read_caps(const struct cred *cred, __u64 *eff, __u64 *prm)
{
	if (bpf_core_field_exists(cred->cap_effective.val)) {
		*eff = cred->cap_effective.val;
		*prm = cred->cap_permitted.val;
	} else {
		const struct cred___old *o = (const void *)cred;

		*eff = o->cap_effective.cap[0] | ((__u64)o->cap_effective.cap[1] << 32);
		*prm = o->cap_permitted.cap[0] | ((__u64)o->cap_permitted.cap[1] << 32);
	}
}

#endif /* VG_CORE_FIXES_BPF_H */
