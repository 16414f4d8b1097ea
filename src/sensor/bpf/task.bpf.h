/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/* Filling the common event header from the current task. */
#ifndef VG_TASK_BPF_H
#define VG_TASK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "core-fixes.bpf.h"
#include "maps.bpf.h"

#define VG_PF_KTHREAD 0x00200000

/* The number of a struct pid as seen from its own (innermost) namespace, and that
 * namespace's inode. @pid may be a BTF pointer or a plain value. */
static __always_inline __u32 vg_pid_nr_local(struct pid *pid, __u32 *ret_ns_inum)
{
	struct upid up = {};
	unsigned int level;

	if (!pid)
		return 0;
	level = BPF_CORE_READ(pid, level);
	bpf_probe_read_kernel(&up, sizeof(up),
			      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
				      (level & 31) * bpf_core_type_size(struct upid));
	if (ret_ns_inum)
		*ret_ns_inum = BPF_CORE_READ(up.ns, ns.inum);
	return up.nr;
}

/* The same for a BTF pointer: direct loads when the pid lives in the initial namespace
 * (level 0, the common case on hosts), one probe read otherwise. */
static __always_inline __u32 vg_pid_nr_local_btf(struct pid *pid, __u32 *ret_ns_inum)
{
	if (pid->level == 0) {
		if (ret_ns_inum)
			*ret_ns_inum = pid->numbers[0].ns->ns.inum;
		return pid->numbers[0].nr;
	}
	return vg_pid_nr_local(pid, ret_ns_inum);
}

/* The number of a struct pid as seen from pid namespace level @level (its ancestors see it
 * under another number at their own level). */
static __always_inline __u32 vg_pid_nr_at(struct pid *pid, unsigned int level)
{
	struct upid up = {};

	if (!pid || level > BPF_CORE_READ(pid, level))
		return 0;
	bpf_probe_read_kernel(&up, sizeof(up),
			      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
				      (level & 31) * bpf_core_type_size(struct upid));
	return up.nr;
}

/* @t must be a trusted task pointer. The v1 subsystem index is a load-time constant. */
static __always_inline __u64 vg_task_cgroup_id(struct task_struct *t)
{
	int idx = vg_cgroup_subsys;

	if (idx < 0)
		return t->cgroups->dfl_cgrp->kn->id;
	return t->cgroups->subsys[idx & 15]->cgroup->kn->id;
}

static __always_inline struct kernfs_node *vg_task_cgroup_kn(struct task_struct *t)
{
	int idx = vg_cgroup_subsys;
	struct cgroup_subsys_state *css = NULL;

	if (idx < 0)
		return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
	bpf_probe_read_kernel(&css, sizeof(css),
			      (void *)BPF_CORE_READ(t, cgroups) +
				      bpf_core_field_offset(struct css_set, subsys) +
				      (idx & 15) * sizeof(void *));
	return BPF_CORE_READ(css, cgroup, kn);
}

/*
 * @t must be the trusted pointer from bpf_get_current_task_btf(): fields are read with direct
 * (fault-safe) loads, several times cheaper than a bpf_probe_read_kernel() call each.
 */
static __always_inline void vg_fill_hdr(struct vg_event_hdr *h, struct task_struct *t, __u8 kind,
					__u16 sc)
{
	const struct cred *cred = t->cred;
	struct nsproxy *nsp = t->nsproxy;
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	h->size = sizeof(*h);
	h->kind = kind;
	h->nparams = 0;
	h->sc = sc;
	h->flags = 0;
	h->ts = bpf_ktime_get_boot_ns();
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ppid = t->real_parent->tgid;
	h->vtid = vg_pid_nr_local_btf(t->thread_pid, &h->pid_ns);
	h->vpid = vg_pid_nr_local_btf(t->group_leader->thread_pid, NULL);
	h->uid = cred->uid.val;
	h->gid = cred->gid.val;
	h->euid = cred->euid.val;
	h->egid = cred->egid.val;
	if (bpf_core_field_exists(t->loginuid))
		h->loginuid = t->loginuid.val;
	else
		h->loginuid = (__u32)-1;
	h->cgroup_id = vg_task_cgroup_id(t);
	h->mnt_ns = nsp ? nsp->mnt_ns->ns.inum : 0;
	h->net_ns = nsp ? nsp->net_ns->ns.inum : 0;
	h->user_ns = cred->user_ns->ns.inum;
	vg_read_caps(cred, &h->cap_eff, &h->cap_prm);
	h->ret = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

#endif /* VG_TASK_BPF_H */
