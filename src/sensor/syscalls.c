/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Traced syscalls: stable id <-> name, and the native syscall numbers of the architecture we
 * were built for (from <sys/syscall.h>). Every __NR_* is guarded because architectures with
 * the generic syscall table (arm64, riscv64) lack the legacy calls (open, creat, rename, link,
 * symlink, mkdir, rmdir, chmod, chown, lchown, unlink, fork, vfork, dup2, ...): for those the
 * number is -1 and the *at variant carries the traffic.
 *
 * The ia32 compat numbers live in syscalls-ia32.c, which must not include <sys/syscall.h>.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "basic/macro.h"
#include "sensor/syscalls.h"

static const char *const syscall_names[VG_SC__MAX] = {
	[VG_SC_EXECVE] = "execve",
	[VG_SC_EXECVEAT] = "execveat",
	[VG_SC_CLONE] = "clone",
	[VG_SC_CLONE3] = "clone3",
	[VG_SC_FORK] = "fork",
	[VG_SC_VFORK] = "vfork",
	[VG_SC_OPEN] = "open",
	[VG_SC_OPENAT] = "openat",
	[VG_SC_OPENAT2] = "openat2",
	[VG_SC_CREAT] = "creat",
	[VG_SC_UNLINK] = "unlink",
	[VG_SC_UNLINKAT] = "unlinkat",
	[VG_SC_RENAME] = "rename",
	[VG_SC_RENAMEAT] = "renameat",
	[VG_SC_RENAMEAT2] = "renameat2",
	[VG_SC_LINK] = "link",
	[VG_SC_LINKAT] = "linkat",
	[VG_SC_SYMLINK] = "symlink",
	[VG_SC_SYMLINKAT] = "symlinkat",
	[VG_SC_MKDIR] = "mkdir",
	[VG_SC_MKDIRAT] = "mkdirat",
	[VG_SC_RMDIR] = "rmdir",
	[VG_SC_CHMOD] = "chmod",
	[VG_SC_FCHMOD] = "fchmod",
	[VG_SC_FCHMODAT] = "fchmodat",
	[VG_SC_CHOWN] = "chown",
	[VG_SC_LCHOWN] = "lchown",
	[VG_SC_FCHOWN] = "fchown",
	[VG_SC_FCHOWNAT] = "fchownat",
	[VG_SC_TRUNCATE] = "truncate",
	[VG_SC_FTRUNCATE] = "ftruncate",
	[VG_SC_CLOSE] = "close",
	[VG_SC_SOCKET] = "socket",
	[VG_SC_CONNECT] = "connect",
	[VG_SC_ACCEPT] = "accept",
	[VG_SC_ACCEPT4] = "accept4",
	[VG_SC_BIND] = "bind",
	[VG_SC_LISTEN] = "listen",
	[VG_SC_SENDTO] = "sendto",
	[VG_SC_SENDMSG] = "sendmsg",
	[VG_SC_DUP] = "dup",
	[VG_SC_DUP2] = "dup2",
	[VG_SC_DUP3] = "dup3",
	[VG_SC_SETUID] = "setuid",
	[VG_SC_SETGID] = "setgid",
	[VG_SC_SETREUID] = "setreuid",
	[VG_SC_SETREGID] = "setregid",
	[VG_SC_SETRESUID] = "setresuid",
	[VG_SC_SETRESGID] = "setresgid",
	[VG_SC_CAPSET] = "capset",
	[VG_SC_PTRACE] = "ptrace",
	[VG_SC_PRCTL] = "prctl",
	[VG_SC_UNSHARE] = "unshare",
	[VG_SC_SETNS] = "setns",
	[VG_SC_MOUNT] = "mount",
	[VG_SC_UMOUNT2] = "umount2",
	[VG_SC_PIVOT_ROOT] = "pivot_root",
	[VG_SC_CHROOT] = "chroot",
	[VG_SC_INIT_MODULE] = "init_module",
	[VG_SC_FINIT_MODULE] = "finit_module",
	[VG_SC_BPF] = "bpf",
	[VG_SC_PERF_EVENT_OPEN] = "perf_event_open",
	[VG_SC_USERFAULTFD] = "userfaultfd",
	[VG_SC_MEMFD_CREATE] = "memfd_create",
	[VG_SC_PROCESS_VM_WRITEV] = "process_vm_writev",
	[VG_SC_KILL] = "kill",
	[VG_SC_TKILL] = "tkill",
	[VG_SC_TGKILL] = "tgkill",
	[VG_SC_RECVFROM] = "recvfrom",
	[VG_SC_RECVMSG] = "recvmsg",
};

_Static_assert(VG_SC__MAX <= 64 * VG_ARRAY_SIZE(((struct vg_syscall_set *)0)->bits),
	       "vg_syscall_set too small");

const char *vg_syscall_name(unsigned sc)
{
	if (sc == VG_SC_NONE || sc >= VG_SC__MAX)
		return NULL;
	return syscall_names[sc];
}

int vg_syscall_from_name(const char *name)
{
	if (!name)
		return -ENOENT;
	for (unsigned sc = VG_SC_NONE + 1; sc < VG_SC__MAX; sc++)
		if (syscall_names[sc] && strcmp(syscall_names[sc], name) == 0)
			return (int)sc;
	return -ENOENT;
}

int vg_syscall_nr_native(unsigned sc)
{
	switch (sc) {
#ifdef __NR_execve
	case VG_SC_EXECVE:
		return __NR_execve;
#endif
#ifdef __NR_execveat
	case VG_SC_EXECVEAT:
		return __NR_execveat;
#endif
#ifdef __NR_clone
	case VG_SC_CLONE:
		return __NR_clone;
#endif
#ifdef __NR_clone3
	case VG_SC_CLONE3:
		return __NR_clone3;
#endif
#ifdef __NR_fork
	case VG_SC_FORK:
		return __NR_fork;
#endif
#ifdef __NR_vfork
	case VG_SC_VFORK:
		return __NR_vfork;
#endif
#ifdef __NR_open
	case VG_SC_OPEN:
		return __NR_open;
#endif
#ifdef __NR_openat
	case VG_SC_OPENAT:
		return __NR_openat;
#endif
#ifdef __NR_openat2
	case VG_SC_OPENAT2:
		return __NR_openat2;
#endif
#ifdef __NR_creat
	case VG_SC_CREAT:
		return __NR_creat;
#endif
#ifdef __NR_unlink
	case VG_SC_UNLINK:
		return __NR_unlink;
#endif
#ifdef __NR_unlinkat
	case VG_SC_UNLINKAT:
		return __NR_unlinkat;
#endif
#ifdef __NR_rename
	case VG_SC_RENAME:
		return __NR_rename;
#endif
#ifdef __NR_renameat
	case VG_SC_RENAMEAT:
		return __NR_renameat;
#endif
#ifdef __NR_renameat2
	case VG_SC_RENAMEAT2:
		return __NR_renameat2;
#endif
#ifdef __NR_link
	case VG_SC_LINK:
		return __NR_link;
#endif
#ifdef __NR_linkat
	case VG_SC_LINKAT:
		return __NR_linkat;
#endif
#ifdef __NR_symlink
	case VG_SC_SYMLINK:
		return __NR_symlink;
#endif
#ifdef __NR_symlinkat
	case VG_SC_SYMLINKAT:
		return __NR_symlinkat;
#endif
#ifdef __NR_mkdir
	case VG_SC_MKDIR:
		return __NR_mkdir;
#endif
#ifdef __NR_mkdirat
	case VG_SC_MKDIRAT:
		return __NR_mkdirat;
#endif
#ifdef __NR_rmdir
	case VG_SC_RMDIR:
		return __NR_rmdir;
#endif
#ifdef __NR_chmod
	case VG_SC_CHMOD:
		return __NR_chmod;
#endif
#ifdef __NR_fchmod
	case VG_SC_FCHMOD:
		return __NR_fchmod;
#endif
#ifdef __NR_fchmodat
	case VG_SC_FCHMODAT:
		return __NR_fchmodat;
#endif
#ifdef __NR_chown
	case VG_SC_CHOWN:
		return __NR_chown;
#endif
#ifdef __NR_lchown
	case VG_SC_LCHOWN:
		return __NR_lchown;
#endif
#ifdef __NR_fchown
	case VG_SC_FCHOWN:
		return __NR_fchown;
#endif
#ifdef __NR_fchownat
	case VG_SC_FCHOWNAT:
		return __NR_fchownat;
#endif
#ifdef __NR_truncate
	case VG_SC_TRUNCATE:
		return __NR_truncate;
#endif
#ifdef __NR_ftruncate
	case VG_SC_FTRUNCATE:
		return __NR_ftruncate;
#endif
#ifdef __NR_close
	case VG_SC_CLOSE:
		return __NR_close;
#endif
#ifdef __NR_socket
	case VG_SC_SOCKET:
		return __NR_socket;
#endif
#ifdef __NR_connect
	case VG_SC_CONNECT:
		return __NR_connect;
#endif
#ifdef __NR_accept
	case VG_SC_ACCEPT:
		return __NR_accept;
#endif
#ifdef __NR_accept4
	case VG_SC_ACCEPT4:
		return __NR_accept4;
#endif
#ifdef __NR_bind
	case VG_SC_BIND:
		return __NR_bind;
#endif
#ifdef __NR_listen
	case VG_SC_LISTEN:
		return __NR_listen;
#endif
#ifdef __NR_sendto
	case VG_SC_SENDTO:
		return __NR_sendto;
#endif
#ifdef __NR_sendmsg
	case VG_SC_SENDMSG:
		return __NR_sendmsg;
#endif
#ifdef __NR_recvfrom
	case VG_SC_RECVFROM:
		return __NR_recvfrom;
#endif
#ifdef __NR_recvmsg
	case VG_SC_RECVMSG:
		return __NR_recvmsg;
#endif
#ifdef __NR_dup
	case VG_SC_DUP:
		return __NR_dup;
#endif
#ifdef __NR_dup2
	case VG_SC_DUP2:
		return __NR_dup2;
#endif
#ifdef __NR_dup3
	case VG_SC_DUP3:
		return __NR_dup3;
#endif
#ifdef __NR_setuid
	case VG_SC_SETUID:
		return __NR_setuid;
#endif
#ifdef __NR_setgid
	case VG_SC_SETGID:
		return __NR_setgid;
#endif
#ifdef __NR_setreuid
	case VG_SC_SETREUID:
		return __NR_setreuid;
#endif
#ifdef __NR_setregid
	case VG_SC_SETREGID:
		return __NR_setregid;
#endif
#ifdef __NR_setresuid
	case VG_SC_SETRESUID:
		return __NR_setresuid;
#endif
#ifdef __NR_setresgid
	case VG_SC_SETRESGID:
		return __NR_setresgid;
#endif
#ifdef __NR_capset
	case VG_SC_CAPSET:
		return __NR_capset;
#endif
#ifdef __NR_ptrace
	case VG_SC_PTRACE:
		return __NR_ptrace;
#endif
#ifdef __NR_prctl
	case VG_SC_PRCTL:
		return __NR_prctl;
#endif
#ifdef __NR_unshare
	case VG_SC_UNSHARE:
		return __NR_unshare;
#endif
#ifdef __NR_setns
	case VG_SC_SETNS:
		return __NR_setns;
#endif
#ifdef __NR_mount
	case VG_SC_MOUNT:
		return __NR_mount;
#endif
#ifdef __NR_umount2
	case VG_SC_UMOUNT2:
		return __NR_umount2;
#endif
#ifdef __NR_pivot_root
	case VG_SC_PIVOT_ROOT:
		return __NR_pivot_root;
#endif
#ifdef __NR_chroot
	case VG_SC_CHROOT:
		return __NR_chroot;
#endif
#ifdef __NR_init_module
	case VG_SC_INIT_MODULE:
		return __NR_init_module;
#endif
#ifdef __NR_finit_module
	case VG_SC_FINIT_MODULE:
		return __NR_finit_module;
#endif
#ifdef __NR_bpf
	case VG_SC_BPF:
		return __NR_bpf;
#endif
#ifdef __NR_perf_event_open
	case VG_SC_PERF_EVENT_OPEN:
		return __NR_perf_event_open;
#endif
#ifdef __NR_userfaultfd
	case VG_SC_USERFAULTFD:
		return __NR_userfaultfd;
#endif
#ifdef __NR_memfd_create
	case VG_SC_MEMFD_CREATE:
		return __NR_memfd_create;
#endif
#ifdef __NR_process_vm_writev
	case VG_SC_PROCESS_VM_WRITEV:
		return __NR_process_vm_writev;
#endif
#ifdef __NR_kill
	case VG_SC_KILL:
		return __NR_kill;
#endif
#ifdef __NR_tkill
	case VG_SC_TKILL:
		return __NR_tkill;
#endif
#ifdef __NR_tgkill
	case VG_SC_TGKILL:
		return __NR_tgkill;
#endif
	default:
		return -1;
	}
}

void vg_syscall_set_all(struct vg_syscall_set *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned sc = VG_SC_NONE + 1; sc < VG_SC__MAX; sc++)
		vg_syscall_set_add(s, sc);
}

/*
 * The state engine's minimal set: what must be traced whatever the rules say.
 *  - execve/execveat/clone/clone3/fork/vfork/exit: process lifecycle comes from the
 *    sched_process_{exec,fork,exit} tracepoints, which are always attached.
 *  - setuid family, capset, prctl(PR_SET_NAME), unshare, setns: every record's header carries
 *    the task's credentials, capabilities, comm and namespace ids as they are after the call,
 *    so the process table refreshes them from whatever event the task produces next.
 *  - open*, socket, connect, accept*, bind, close: not needed for state. Every record that
 *    names an fd carries the kernel's own view of it (RESOLVED, FDPATH or TUPLE), so no
 *    event depends on having seen the fd created; the fd table is still kept from these
 *    syscalls whenever rules or --events switch them on. Tracing opens for state alone would
 *    cost every file-heavy workload an event per open.
 *  - dup, dup2, dup3: the records carry the duplicated fd's tuple or path, so they too are
 *    self-contained; rules that look for stdio redirected to a socket switch them on.
 * So the set is empty: with no rule needing a syscall, the sensor does not hook syscalls at
 * all (see vg_probe_set_syscalls()) and only the sched tracepoints run. Like
 * vg_syscall_set_all(), this assigns *s; merge a rule set in afterwards.
 */
void vg_syscall_set_state(struct vg_syscall_set *s)
{
	memset(s, 0, sizeof(*s));
}
