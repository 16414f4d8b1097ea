/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The kernel <-> user space event ABI, shared by the BPF programs and the decoder. It is also
 * the payload of capture files, so it is versioned: any layout change bumps VG_EVENT_ABI.
 *
 * A record is a fixed struct vg_event_hdr followed by hdr.nparams variable parameters, each a
 * struct vg_param followed by param.len bytes (strings include their NUL). Fixed-width types
 * only; user space never trusts a length without checking it against hdr.size.
 */
#ifndef VG_SENSOR_BPF_EVENT_H
#define VG_SENSOR_BPF_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define VG_EVENT_ABI	  1
#define VG_EVENT_SIZE_MAX 16384 /* whole record, header included */
#define VG_STR_MAX	  4096 /* one string parameter, NUL included */
#define VG_ARGV_BYTES_MAX 4096 /* argv (NUL-separated) of an exec */
#define VG_NR_MAX	  512 /* syscall numbers mapped by the dispatch tables */
#define VG_SNAPLEN	  80 /* bytes of sendto/recvfrom data kept (Falco's snaplen) */

enum vg_event_kind {
	VG_EV_SYSCALL = 1, /* a traced syscall returned */
	VG_EV_EXEC = 2, /* sched_process_exec: a new program image */
	VG_EV_FORK = 3, /* sched_process_fork: new process or thread */
	VG_EV_EXIT = 4, /* sched_process_exit */
	VG_EV__MAX,
};

/*
 * Stable syscall ids. The BPF side never sees architecture syscall numbers: user space fills
 * the nr -> id tables (native and ia32 compat) at start, and 0 means "not traced".
 */
enum vg_syscall {
	VG_SC_NONE = 0,
	/* process */
	VG_SC_EXECVE,
	VG_SC_EXECVEAT,
	VG_SC_CLONE,
	VG_SC_CLONE3,
	VG_SC_FORK,
	VG_SC_VFORK,
	/* files */
	VG_SC_OPEN,
	VG_SC_OPENAT,
	VG_SC_OPENAT2,
	VG_SC_CREAT,
	VG_SC_UNLINK,
	VG_SC_UNLINKAT,
	VG_SC_RENAME,
	VG_SC_RENAMEAT,
	VG_SC_RENAMEAT2,
	VG_SC_LINK,
	VG_SC_LINKAT,
	VG_SC_SYMLINK,
	VG_SC_SYMLINKAT,
	VG_SC_MKDIR,
	VG_SC_MKDIRAT,
	VG_SC_RMDIR,
	VG_SC_CHMOD,
	VG_SC_FCHMOD,
	VG_SC_FCHMODAT,
	VG_SC_CHOWN,
	VG_SC_LCHOWN,
	VG_SC_FCHOWN,
	VG_SC_FCHOWNAT,
	VG_SC_TRUNCATE,
	VG_SC_FTRUNCATE,
	VG_SC_CLOSE,
	/* network */
	VG_SC_SOCKET,
	VG_SC_CONNECT,
	VG_SC_ACCEPT,
	VG_SC_ACCEPT4,
	VG_SC_BIND,
	VG_SC_LISTEN,
	VG_SC_SENDTO,
	VG_SC_SENDMSG,
	VG_SC_DUP,
	VG_SC_DUP2,
	VG_SC_DUP3,
	/* privilege */
	VG_SC_SETUID,
	VG_SC_SETGID,
	VG_SC_SETREUID,
	VG_SC_SETREGID,
	VG_SC_SETRESUID,
	VG_SC_SETRESGID,
	VG_SC_CAPSET,
	VG_SC_PTRACE,
	VG_SC_PRCTL,
	/* namespaces and mounts */
	VG_SC_UNSHARE,
	VG_SC_SETNS,
	VG_SC_MOUNT,
	VG_SC_UMOUNT2,
	VG_SC_PIVOT_ROOT,
	VG_SC_CHROOT,
	/* kernel surface */
	VG_SC_INIT_MODULE,
	VG_SC_FINIT_MODULE,
	VG_SC_BPF,
	VG_SC_PERF_EVENT_OPEN,
	VG_SC_USERFAULTFD,
	VG_SC_MEMFD_CREATE,
	VG_SC_PROCESS_VM_WRITEV,
	VG_SC_KILL,
	VG_SC_TKILL,
	VG_SC_TGKILL,
	/* added later, kept at the end so earlier ids stay stable */
	VG_SC_RECVFROM,
	VG_SC_RECVMSG,
	VG_SC__MAX,
};

/* hdr.flags */
#define VG_EVF_COMPAT	    (1u << 0) /* made through the 32-bit (ia32) syscall entry */
#define VG_EVF_TRUNCATED    (1u << 1) /* a parameter did not fit and was cut */
#define VG_EVF_EXE_UPPER    (1u << 2) /* exec: the binary is on an overlayfs upper layer */
#define VG_EVF_EXE_MEMFD    (1u << 3) /* exec: the binary is a memfd (fileless) */
#define VG_EVF_EXE_LOWER    (1u << 4) /* exec: the binary is on an overlayfs lower layer */
#define VG_EVF_THREAD	    (1u << 5) /* fork: CLONE_THREAD; exit: not the last thread */
#define VG_EVF_PATH_ESCAPED (1u << 6) /* a resolved path leads outside the task's root */

struct vg_event_hdr {
	__u16 size; /* whole record in bytes */
	__u8 kind; /* enum vg_event_kind */
	__u8 nparams; /* vg_param entries after the header */
	__u16 sc; /* enum vg_syscall; for EXEC: EXECVE or EXECVEAT */
	__u16 flags; /* VG_EVF_* */
	__u64 ts; /* CLOCK_BOOTTIME nanoseconds */
	__u32 pid; /* host tgid */
	__u32 tid; /* host tid */
	__u32 ppid; /* host tgid of the real parent */
	__u32 vpid; /* tgid in the task's pid namespace */
	__u32 vtid; /* tid in the task's pid namespace */
	__u32 uid; /* real uid */
	__u32 gid; /* real gid */
	__u32 euid;
	__u32 egid;
	__u32 loginuid; /* audit loginuid, (u32)-1 when unset */
	__u64 cgroup_id; /* kernfs id of the cgroup used for container attribution */
	__u32 mnt_ns;
	__u32 pid_ns;
	__u32 net_ns;
	__u32 user_ns;
	__u64 cap_eff;
	__u64 cap_prm;
	__s64 ret; /* syscall return value; EXIT: raw exit_code (status << 8 | signal) */
	__u64 args[6]; /* raw syscall arguments; other kinds document their own use below */
	char comm[16];
};

/*
 * args[] by kind:
 *   EXEC: [0] exe inode, [1] exe mtime ns, [2] exe ctime ns, [3] tty (major << 20 | minor),
 *         [4] process start time (boot ns), [5] sid << 32 | pgid (namespace-local)
 *   FORK: [0] child tgid, [1] child tid, [2] clone flags, [3] child vpid, [4] child vtid
 *   EXIT: [0] 1 when the whole thread group is gone
 */

enum vg_param_id {
	VG_P_PATH = 1, /* first path argument as passed (raw, may be relative) */
	VG_P_PATH2, /* second path argument (rename/link target, symlink linkpath) */
	VG_P_RESOLVED, /* kernel-resolved absolute path of the object actually opened */
	VG_P_BASE, /* directory a relative VG_P_PATH is relative to (dirfd or cwd) */
	VG_P_BASE2, /* same for VG_P_PATH2 */
	VG_P_ARGV, /* exec argv, NUL-separated */
	VG_P_ENV, /* exec envp, NUL-separated (only when requested) */
	VG_P_CWD, /* exec: working directory */
	VG_P_EXE, /* exec: resolved executable path */
	VG_P_FILENAME, /* exec: filename as passed to execve */
	VG_P_CGROUP, /* exec/fork: cgroup path used for attribution */
	VG_P_ADDR, /* raw struct sockaddr from user space (connect/bind/sendto dest) */
	VG_P_TUPLE, /* struct vg_tuple read from the kernel socket */
	VG_P_NAME, /* memfd name, prctl PR_SET_NAME name */
	VG_P_FSTYPE, /* mount filesystem type */
	VG_P_DATA, /* module params; perf_event_attr head; sendto/recvfrom data (VG_SNAPLEN) */
	VG_P_FDPATH, /* path of the fd argument (fchmod, finit_module, setns, dup source) */
	VG_P__MAX,
};

struct vg_param {
	__u16 len; /* bytes following this header */
	__u8 id; /* enum vg_param_id */
	__u8 pad;
};

/* A socket as the kernel sees it; addresses in network byte order, ports in host order. */
struct vg_tuple {
	__u16 family; /* AF_INET, AF_INET6, AF_UNIX, ... */
	__u16 type; /* SOCK_STREAM, SOCK_DGRAM, ... */
	__u16 proto; /* IPPROTO_* */
	__u16 sport; /* local port */
	__u16 dport; /* remote port */
	__u16 pad;
	__u32 state; /* sk_state */
	__u8 saddr[16];
	__u8 daddr[16];
};

#endif /* VG_SENSOR_BPF_EVENT_H */
