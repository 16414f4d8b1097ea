// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * vigil's kernel sensor. One BTF raw tracepoint on syscall exit sees every syscall once, with
 * its arguments (still in the saved user registers) and its result, so nothing is kept
 * between entry and exit. Process lifecycle comes from the sched tracepoints. Which syscalls
 * are traced is decided by two tables user space fills at run time: architecture number ->
 * stable id, and id -> on/off.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "vg-event.h"
#include "maps.bpf.h"
#include "params.bpf.h"
#include "path.bpf.h"
#include "sock.bpf.h"
#include "task.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define VG_AT_FDCWD	  -100
#define VG_PR_SET_NAME	  15
#define VG_TS_COMPAT	  0x0002
#define VG_NSFS_MAGIC	  0x6e736673
#define VG_OVERLAY_MAGIC  0x794c7630
#define VG_SIGCHLD	  17
#define VG_CLONE_VM	  0x00000100
#define VG_CLONE_VFORK	  0x00004000
#define VG_CLONE_THREAD	  0x00010000
#define VG_PIDTYPE_PGID	  2
#define VG_PIDTYPE_SID	  3
#define VG_RB_WAKEUP_DATA (256 * 1024) /* wake the reader once this much is waiting */

static __always_inline bool vg_task_is_compat(struct task_struct *t)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(t, thread_info.status) & VG_TS_COMPAT;
#else
	return false;
#endif
}

/* @regs must be a BTF pointer (tp_btf argument or bpf_task_pt_regs()): direct loads. */
static __always_inline void vg_read_args(struct pt_regs *regs, bool compat, __u64 *a)
{
#if defined(__TARGET_ARCH_x86)
	if (compat) {
		a[0] = (__u32)regs->bx;
		a[1] = (__u32)regs->cx;
		a[2] = (__u32)regs->dx;
		a[3] = (__u32)regs->si;
		a[4] = (__u32)regs->di;
		a[5] = (__u32)regs->bp;
		return;
	}
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
#elif defined(__TARGET_ARCH_arm64)
	a[0] = regs->orig_x0;
	a[1] = regs->regs[1];
	a[2] = regs->regs[2];
	a[3] = regs->regs[3];
	a[4] = regs->regs[4];
	a[5] = regs->regs[5];
#endif
}

/* Direct loads: only valid on the trusted pointers a tp_btf program receives. */
static __always_inline long vg_syscall_nr_fast(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return regs->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
	return regs->syscallno;
#else
	return -1;
#endif
}

static __always_inline bool vg_task_is_compat_fast(struct task_struct *t)
{
#if defined(__TARGET_ARCH_x86)
	return t->thread_info.status & VG_TS_COMPAT;
#else
	return false;
#endif
}

static __always_inline long vg_syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(regs, orig_ax);
#elif defined(__TARGET_ARCH_arm64)
	return BPF_CORE_READ(regs, syscallno);
#else
	return -1;
#endif
}

static __always_inline int vg_begin(struct vg_ctx *c)
{
	__u32 zero = 0;
	struct vg_ev_buf *b = bpf_map_lookup_elem(&vg_ev_scratch, &zero);

	if (!b)
		return -1;
	c->buf = b->data;
	c->off = sizeof(struct vg_event_hdr);
	return 0;
}

static __always_inline void vg_submit(struct vg_ctx *c)
{
	struct vg_cpu_counters *cnt;
	__u32 size = c->off, zero = 0;
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (size > VG_EVENT_SIZE_MAX || size < sizeof(struct vg_event_hdr))
		return;
	vg_hdr(c)->size = size;
	cnt = bpf_map_lookup_elem(&vg_counters, &zero);
	if (!cnt)
		return;
	if (vg_hdr(c)->flags & VG_EVF_TRUNCATED)
		cnt->truncated++;
	/* Waking the reader per event costs more than the event itself under load, and asking
	 * the ring buffer how full it is touches cache lines the reader writes: each CPU wakes
	 * the reader once it alone has submitted enough. The reader also polls on a short
	 * timeout, which bounds latency when traffic is light. */
	cnt->pending_bytes += size;
	if (cnt->pending_bytes >= VG_RB_WAKEUP_DATA) {
		flags = BPF_RB_FORCE_WAKEUP;
		cnt->pending_bytes = 0;
	}
	if (bpf_ringbuf_output(&vg_events, c->buf, size & (VG_SCRATCH_EV - 1), flags))
		cnt->drops++;
	else
		cnt->events++;
}

static __always_inline bool vg_skip_task(struct task_struct *t)
{
	if ((bpf_get_current_pid_tgid() >> 32) == vg_self_tgid)
		return true;
	return BPF_CORE_READ(t, flags) & VG_PF_KTHREAD;
}

/* The id of the syscall the current task is in (not gated by vg_sc_on). */
static __always_inline __u16 vg_current_sc(struct task_struct *t)
{
	struct pt_regs *regs;
	long nr;

	if (!bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	nr = vg_syscall_nr(regs);
	if (nr < 0 || nr >= VG_NR_MAX)
		return 0;
	return vg_task_is_compat(t) ? vg_sc_ia32[nr & (VG_NR_MAX - 1)]
				    : vg_sc_native[nr & (VG_NR_MAX - 1)];
}

/* Kernel-side filters that drop an event before any work is done. */
static __always_inline bool vg_wanted(__u16 sc, long ret, const __u64 *a)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	switch (sc) {
	case VG_SC_EXECVE:
	case VG_SC_EXECVEAT:
		return ret != 0; /* successful execs come from sched_process_exec */
	case VG_SC_CLONE:
	case VG_SC_CLONE3:
	case VG_SC_FORK:
	case VG_SC_VFORK:
		return ret < 0; /* successful ones come from sched_process_fork */
	case VG_SC_DUP:
	case VG_SC_DUP2:
	case VG_SC_DUP3:
		return ret >= 0 && ret <= 2; /* only redirections of stdin/out/err */
	case VG_SC_KILL:
	case VG_SC_TGKILL:
		return (__s32)a[0] != (__s32)tgid && (__s32)a[0] != 0;
	case VG_SC_TKILL:
		return (__s32)a[0] != (__s32)tid;
	default:
		return true;
	}
}

static __always_inline void vg_syscall_params(struct vg_ctx *c, __u16 sc, long ret, __u64 *a,
					      bool compat)
{
	switch (sc) {
	case VG_SC_OPEN:
	case VG_SC_CREAT:
		vg_put_path_arg(c, VG_P_PATH, VG_P_BASE, VG_AT_FDCWD, (const char *)a[0]);
		if (ret >= 0)
			vg_put_file_path(c, VG_P_RESOLVED, vg_fd_file(ret));
		break;
	case VG_SC_OPENAT2: {
		__u64 how[2] = {};

		bpf_probe_read_user(how, sizeof(how), (void *)a[2]);
		a[2] = how[0];
		a[3] = how[1];
	}
		/* fallthrough */
	case VG_SC_OPENAT:
		vg_put_path_arg(c, VG_P_PATH, VG_P_BASE, a[0], (const char *)a[1]);
		if (ret >= 0)
			vg_put_file_path(c, VG_P_RESOLVED, vg_fd_file(ret));
		break;
	case VG_SC_UNLINK:
	case VG_SC_RMDIR:
	case VG_SC_MKDIR:
	case VG_SC_CHMOD:
	case VG_SC_CHOWN:
	case VG_SC_LCHOWN:
	case VG_SC_TRUNCATE:
	case VG_SC_CHROOT:
	case VG_SC_EXECVE:
	case VG_SC_UMOUNT2:
		vg_put_path_arg(c, VG_P_PATH, VG_P_BASE, VG_AT_FDCWD, (const char *)a[0]);
		break;
	case VG_SC_UNLINKAT:
	case VG_SC_MKDIRAT:
	case VG_SC_FCHMODAT:
	case VG_SC_FCHOWNAT:
	case VG_SC_EXECVEAT:
		vg_put_path_arg(c, VG_P_PATH, VG_P_BASE, a[0], (const char *)a[1]);
		break;
	case VG_SC_RENAME:
	case VG_SC_LINK:
		vg_put_path_arg(c, VG_P_PATH, VG_P_BASE, VG_AT_FDCWD, (const char *)a[0]);
		vg_put_path_arg(c, VG_P_PATH2, VG_P_BASE2, VG_AT_FDCWD, (const char *)a[1]);
		break;
	case VG_SC_RENAMEAT:
	case VG_SC_RENAMEAT2:
	case VG_SC_LINKAT:
		vg_put_path_arg(c, VG_P_PATH, VG_P_BASE, a[0], (const char *)a[1]);
		vg_put_path_arg(c, VG_P_PATH2, VG_P_BASE2, a[2], (const char *)a[3]);
		break;
	case VG_SC_SYMLINK:
		vg_put_user_str(c, VG_P_PATH, (const char *)a[0]);
		vg_put_path_arg(c, VG_P_PATH2, VG_P_BASE2, VG_AT_FDCWD, (const char *)a[1]);
		break;
	case VG_SC_SYMLINKAT:
		vg_put_user_str(c, VG_P_PATH, (const char *)a[0]);
		vg_put_path_arg(c, VG_P_PATH2, VG_P_BASE2, a[1], (const char *)a[2]);
		break;
	case VG_SC_FCHMOD:
	case VG_SC_FCHOWN:
	case VG_SC_FTRUNCATE:
		vg_put_file_path(c, VG_P_FDPATH, vg_fd_file(a[0]));
		break;
	case VG_SC_CONNECT:
	case VG_SC_BIND:
		vg_put_user_bytes(c, VG_P_ADDR, (void *)a[1], a[2], 128);
		vg_put_tuple(c, vg_fd_file(a[0]));
		break;
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
		if (ret >= 0)
			vg_put_tuple(c, vg_fd_file(ret));
		break;
	case VG_SC_LISTEN:
		vg_put_tuple(c, vg_fd_file(a[0]));
		break;
	case VG_SC_SENDTO:
		vg_put_user_bytes(c, VG_P_ADDR, (void *)a[4], a[5], 128);
		vg_put_tuple(c, vg_fd_file(a[0]));
		if (ret > 0)
			vg_put_user_bytes(c, VG_P_DATA, (void *)a[1], ret, VG_SNAPLEN);
		break;
	case VG_SC_SENDMSG:
		if (!compat && a[1]) {
			struct user_msghdr m = {};

			bpf_probe_read_user(&m, sizeof(m), (void *)a[1]);
			vg_put_user_bytes(c, VG_P_ADDR, m.msg_name, m.msg_namelen, 128);
		}
		vg_put_tuple(c, vg_fd_file(a[0]));
		break;
	case VG_SC_RECVFROM:
		/* The sender's address as the kernel wrote it back (*addrlen is in/out). */
		if (ret >= 0 && a[4] && a[5]) {
			__u32 alen = 0;

			bpf_probe_read_user(&alen, sizeof(alen), (void *)a[5]);
			vg_put_user_bytes(c, VG_P_ADDR, (void *)a[4], alen, 128);
		}
		vg_put_tuple(c, vg_fd_file(a[0]));
		if (ret > 0)
			vg_put_user_bytes(c, VG_P_DATA, (void *)a[1], ret, VG_SNAPLEN);
		break;
	case VG_SC_RECVMSG:
		if (!compat && a[1] && ret >= 0) {
			struct user_msghdr m = {};

			bpf_probe_read_user(&m, sizeof(m), (void *)a[1]);
			vg_put_user_bytes(c, VG_P_ADDR, m.msg_name, m.msg_namelen, 128);
		}
		vg_put_tuple(c, vg_fd_file(a[0]));
		break;
	case VG_SC_DUP:
	case VG_SC_DUP2:
	case VG_SC_DUP3: {
		struct file *f = vg_fd_file(a[0]);

		if (!vg_put_tuple(c, f))
			vg_put_file_path(c, VG_P_FDPATH, f);
		break;
	}
	case VG_SC_SETNS: {
		struct file *f = vg_fd_file(a[0]);
		struct inode *ino = BPF_CORE_READ(f, f_inode);

		if (ino && BPF_CORE_READ(ino, i_sb, s_magic) == VG_NSFS_MAGIC) {
			struct ns_common *ns = BPF_CORE_READ(ino, i_private);

			vg_put_kernel_str(c, VG_P_FDPATH, BPF_CORE_READ(ns, ops, name));
			a[2] = BPF_CORE_READ(ns, inum);
		} else {
			vg_put_file_path(c, VG_P_FDPATH, f);
		}
		break;
	}
	case VG_SC_MOUNT:
		vg_put_user_str(c, VG_P_PATH, (const char *)a[0]);
		vg_put_path_arg(c, VG_P_PATH2, VG_P_BASE2, VG_AT_FDCWD, (const char *)a[1]);
		vg_put_user_str(c, VG_P_FSTYPE, (const char *)a[2]);
		break;
	case VG_SC_PIVOT_ROOT:
		vg_put_user_str(c, VG_P_PATH, (const char *)a[0]);
		vg_put_user_str(c, VG_P_PATH2, (const char *)a[1]);
		break;
	case VG_SC_INIT_MODULE:
		vg_put_user_str(c, VG_P_DATA, (const char *)a[2]);
		break;
	case VG_SC_FINIT_MODULE:
		vg_put_file_path(c, VG_P_FDPATH, vg_fd_file(a[0]));
		vg_put_user_str(c, VG_P_DATA, (const char *)a[1]);
		break;
	case VG_SC_MEMFD_CREATE:
		vg_put_user_str(c, VG_P_NAME, (const char *)a[0]);
		break;
	case VG_SC_PRCTL:
		if (a[0] == VG_PR_SET_NAME)
			vg_put_user_str(c, VG_P_NAME, (const char *)a[1]);
		break;
	case VG_SC_PERF_EVENT_OPEN:
		vg_put_user_bytes(c, VG_P_DATA, (void *)a[0], 16, 16);
		break;
	default:
		break;
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vg_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t;
	struct vg_ctx c;
	__u64 a[6] = {};
	bool compat;
	long nr;
	__u16 sc;

	/* The fast path runs for every syscall on the host: direct loads through the trusted
	 * BTF pointers (no probe_read helper calls) and two table lookups, nothing else. */
	nr = vg_syscall_nr_fast(regs);
	if (nr < 0 || nr >= VG_NR_MAX)
		return 0;
	t = bpf_get_current_task_btf();
	compat = vg_task_is_compat_fast(t);
	sc = compat ? vg_sc_ia32[nr & (VG_NR_MAX - 1)] : vg_sc_native[nr & (VG_NR_MAX - 1)];
	if (sc == VG_SC_NONE || sc >= VG_SC__MAX || !vg_sc_on[sc & 127])
		return 0;
	if ((bpf_get_current_pid_tgid() >> 32) == vg_self_tgid)
		return 0;
	vg_read_args(regs, compat, a);
	if (!vg_wanted(sc, ret, a))
		return 0;
	if (vg_begin(&c))
		return 0;
	vg_fill_hdr(vg_hdr(&c), t, VG_EV_SYSCALL, sc);
	if (compat)
		vg_hdr(&c)->flags |= VG_EVF_COMPAT;
	vg_hdr(&c)->ret = ret;
	vg_syscall_params(&c, sc, ret, a, compat);
	__builtin_memcpy(vg_hdr(&c)->args, a, sizeof(a));
	vg_submit(&c);
	return 0;
}

/* The cgroup path used for attribution, written backwards like a file path. */
static __always_inline void vg_put_cgroup(struct vg_ctx *c, struct task_struct *t)
{
	struct kernfs_node *kn = vg_task_cgroup_kn(t);
	char *pb = vg_path_buf(1);
	__u32 pos = VG_PATHBUF_HALF, len;
	long off;
	int i;

	if (!pb || !kn)
		return;
	pb[VG_PATHBUF_HALF] = '\0';
	for (i = 0; i < 16; i++) {
		struct kernfs_node *parent = vg_kn_parent(kn);
		const char *name;
		char tmp[128];
		long n;

		if (!parent)
			break; /* the hierarchy's root has no name in the path */
		name = BPF_CORE_READ(kn, name);
		n = bpf_probe_read_kernel_str(tmp, sizeof(tmp), name);
		if (n <= 1)
			break;
		len = n - 1;
		if (len + 1 > pos)
			break;
		pos -= len;
		bpf_probe_read_kernel(pb + (pos & (VG_PATHBUF_HALF - 1)), len & 127, tmp);
		pos -= 1;
		pb[pos & (VG_PATHBUF_HALF - 1)] = '/';
		kn = parent;
	}
	if (pos == VG_PATHBUF_HALF) {
		pos--;
		pb[pos & (VG_PATHBUF_HALF - 1)] = '/';
	}
	len = VG_PATHBUF_HALF + 1 - pos;
	vg_barrier_var(len);
	len &= VG_STR_MAX - 1;
	off = vg_param_room(c);
	if (off < 0)
		return;
	if (bpf_probe_read_kernel(c->buf + off + sizeof(struct vg_param), len,
				  pb + (pos & (VG_PATHBUF_HALF - 1))) < 0)
		return;
	vg_param_commit(c, off, VG_P_CGROUP, len);
}

static __always_inline __u16 vg_exe_flags(struct file *f)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	char name[8] = {};
	__u16 flags = 0;

	if (BPF_CORE_READ(ino, i_sb, s_magic) == VG_OVERLAY_MAGIC) {
		struct ovl_inode *oi = container_of(ino, struct ovl_inode, vfs_inode);

		if (BPF_CORE_READ(oi, __upperdentry))
			flags |= VG_EVF_EXE_UPPER;
		else
			flags |= VG_EVF_EXE_LOWER;
	}
	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(d, d_name.name));
	if (name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' &&
	    name[4] == 'd' && name[5] == ':' && BPF_CORE_READ(ino, __i_nlink) == 0)
		flags |= VG_EVF_EXE_MEMFD;
	return flags;
}

static __always_inline __u64 vg_tty(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	__u64 major, minor;

	if (!tty)
		return 0;
	major = BPF_CORE_READ(tty, driver, major);
	minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return (major << 20) | (minor & 0xfffff);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vg_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file *f = BPF_CORE_READ(bprm, file);
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct mm_struct *mm;
	struct pid *pids[4] = {};
	struct vg_ctx c;
	__u64 *a;
	__u16 sc;

	if (vg_skip_task(t))
		return 0;
	if (vg_begin(&c))
		return 0;
	/* execveat() relative to a dirfd or with AT_EMPTY_PATH leaves bprm->fdpath set; an
	 * execveat(AT_FDCWD, "/abs") is execve() in all but name and may be reported as such
	 * when the syscall number is not readable. */
	if (bpf_core_field_exists(bprm->fdpath) && BPF_CORE_READ(bprm, fdpath))
		sc = VG_SC_EXECVEAT;
	else
		sc = vg_current_sc(t) == VG_SC_EXECVEAT ? VG_SC_EXECVEAT : VG_SC_EXECVE;
	vg_fill_hdr(vg_hdr(&c), t, VG_EV_EXEC, sc);
	vg_hdr(&c)->flags |= vg_exe_flags(f);
	a = vg_hdr(&c)->args;
	a[0] = BPF_CORE_READ(ino, i_ino);
	a[1] = vg_inode_mtime(ino);
	a[2] = vg_inode_ctime(ino);
	a[3] = vg_tty(t);
	a[4] = BPF_CORE_READ(t, start_boottime);
	bpf_probe_read_kernel(pids, sizeof(pids), BPF_CORE_READ(t, signal, pids));
	a[5] = ((__u64)vg_pid_nr_local(pids[VG_PIDTYPE_SID], NULL) << 32) |
	       vg_pid_nr_local(pids[VG_PIDTYPE_PGID], NULL);

	vg_put_kernel_str(&c, VG_P_FILENAME, BPF_CORE_READ(bprm, filename));
	vg_put_file_path(&c, VG_P_EXE, f);
	mm = BPF_CORE_READ(t, mm);
	vg_put_user_range(&c, VG_P_ARGV, BPF_CORE_READ(mm, arg_start), BPF_CORE_READ(mm, arg_end));
	vg_put_path(&c, VG_P_CWD, BPF_CORE_READ(t, fs, pwd.dentry), BPF_CORE_READ(t, fs, pwd.mnt));
	vg_put_cgroup(&c, t);
	if (vg_capture_env)
		vg_put_user_range(&c, VG_P_ENV, BPF_CORE_READ(mm, env_start),
				  BPF_CORE_READ(mm, env_end));
	vg_submit(&c);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(vg_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct vg_ctx c;
	__u64 *a, flags = 0;
	__u16 sc;

	if (vg_skip_task(t))
		return 0;
	if (vg_begin(&c))
		return 0;
	sc = vg_current_sc(t);
	if (sc != VG_SC_CLONE3 && sc != VG_SC_FORK && sc != VG_SC_VFORK)
		sc = VG_SC_CLONE;
	vg_fill_hdr(vg_hdr(&c), t, VG_EV_FORK, sc);
	a = vg_hdr(&c)->args;
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs)) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
		__u64 ra[6] = {};

		vg_read_args(regs, vg_task_is_compat(t), ra);
		if (sc == VG_SC_CLONE)
			flags = ra[0];
		else if (sc == VG_SC_CLONE3)
			bpf_probe_read_user(&flags, sizeof(flags), (void *)ra[0]);
		else if (sc == VG_SC_FORK)
			flags = VG_SIGCHLD;
		else
			flags = VG_CLONE_VFORK | VG_CLONE_VM | VG_SIGCHLD;
	}
	a[0] = BPF_CORE_READ(child, tgid);
	a[1] = BPF_CORE_READ(child, pid);
	a[2] = flags;
	a[3] = vg_pid_nr_local(BPF_CORE_READ(child, group_leader, thread_pid), NULL);
	a[4] = vg_pid_nr_local(BPF_CORE_READ(child, thread_pid), NULL);
	if (a[0] == vg_hdr(&c)->pid)
		vg_hdr(&c)->flags |= VG_EVF_THREAD;
	/* What clone() returns to the caller: the child's tid in the caller's namespace. */
	vg_hdr(&c)->ret =
		vg_pid_nr_at(BPF_CORE_READ(child, thread_pid), BPF_CORE_READ(t, thread_pid, level));
	vg_put_cgroup(&c, t);
	vg_submit(&c);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(vg_exit, struct task_struct *p)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct vg_ctx c;
	int live;

	if (vg_skip_task(t))
		return 0;
	if (vg_begin(&c))
		return 0;
	vg_fill_hdr(vg_hdr(&c), t, VG_EV_EXIT, VG_SC_NONE);
	vg_hdr(&c)->ret = BPF_CORE_READ(t, exit_code);
	live = BPF_CORE_READ(t, signal, live.counter);
	vg_hdr(&c)->args[0] = live == 0;
	if (live != 0)
		vg_hdr(&c)->flags |= VG_EVF_THREAD;
	vg_submit(&c);
	return 0;
}
