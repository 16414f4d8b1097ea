/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded readers for /proc/<pid>/... and /proc/<pid>/net/..., used to seed the state at
 * start and to fill in processes first seen mid-flight (live mode only). The root is
 * configurable ("/proc" by default) so tests can point at a fake tree.
 *
 * A process vanishing mid-read is normal: readers return -ENOENT or -ESRCH and never log.
 * Every read is bounded by VG_PROC_FILE_MAX (or the caller's buffer) and never allocates.
 */
#ifndef VG_STATE_PROCFS_H
#define VG_STATE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/limits.h"
#include "basic/macro.h"
#include "sensor/bpf/vg-event.h"

#define VG_PROCFS_ROOT "/proc"

struct vg_procfs_stat {
	char comm[VG_COMM_LEN]; /* may contain spaces and ')' */
	char state;
	uint32_t ppid, pgid, sid;
	uint32_t tty_nr; /* as printed in stat (old_encode_dev style) */
	uint32_t tty; /* major << 20 | minor, the event header encoding */
	uint64_t starttime_ticks;
	uint64_t start_ns; /* starttime in boot ns */
};

struct vg_procfs_status {
	char name[VG_COMM_LEN];
	uint32_t tgid, pid, ppid;
	uint32_t uid[4], gid[4]; /* real, effective, saved, fs */
	uint64_t cap_eff, cap_prm;
	uint32_t vpid, vtid; /* last NStgid / NSpid entry (innermost namespace) */
};

/* Parses the text of a stat file (@n bytes). -EBADMSG when malformed. */
VG_MUST_CHECK int vg_procfs_parse_stat(const char *text, size_t n, struct vg_procfs_stat *ret);
/* Parses the text of a status file (NUL-terminated). -EBADMSG when Uid/Gid are missing. */
VG_MUST_CHECK int vg_procfs_parse_status(const char *text, struct vg_procfs_status *ret);

/*
 * @tid == 0 or @tid == @pid reads /proc/<pid>/<file>, otherwise /proc/<pid>/task/<tid>/<file>.
 * @root NULL means "/proc".
 */
VG_MUST_CHECK int vg_procfs_read_stat(const char *root, uint32_t pid, uint32_t tid,
				      struct vg_procfs_stat *ret);
VG_MUST_CHECK int vg_procfs_read_status(const char *root, uint32_t pid, uint32_t tid,
					struct vg_procfs_status *ret);
/* argv, NUL-separated, at most @size bytes (VG_CMDLINE_MAX is the intended size); *ret_len
 * is the byte count kept. Returns 1 when truncated, 0 when complete. */
VG_MUST_CHECK int vg_procfs_read_cmdline(const char *root, uint32_t pid, char *buf, size_t size,
					 size_t *ret_len);
/*
 * readlink of /proc/<pid>/<name> ("exe", "cwd", "root", "fd/3", "ns/mnt"). A trailing
 * " (deleted)" is stripped and reported through *ret_deleted (may be NULL).
 * Returns the length, -ENAMETOOLONG when it does not fit.
 */
VG_MUST_CHECK int vg_procfs_read_link(const char *root, uint32_t pid, const char *name, char *buf,
				      size_t size, bool *ret_deleted);
/* /proc/<pid>/loginuid; (uint32_t)-1 when unset. */
VG_MUST_CHECK int vg_procfs_read_loginuid(const char *root, uint32_t pid, uint32_t *ret);
/* /proc/<pid>/cgroup passed through vg_proc_cgroup_select(). */
VG_MUST_CHECK int vg_procfs_read_cgroup(const char *root, uint32_t pid, char *buf, size_t size);
/* Inode of /proc/<pid>/ns/<ns> ("mnt", "pid", "net", "user", ...), from "mnt:[4026531840]". */
VG_MUST_CHECK int vg_procfs_read_ns(const char *root, uint32_t pid, const char *ns,
				    uint64_t *ret_ino);
/* Parses "socket:[123]", "pipe:[123]", "mnt:[4026531840]" style link targets. */
VG_MUST_CHECK int vg_procfs_parse_inode_link(const char *target, const char *kind,
					     uint64_t *ret_ino);

/* Calls @cb for every numeric entry of /proc (tid == 0) or /proc/<pid>/task (tid set).
 * A negative return from @cb stops the walk and is returned. */
typedef int vg_procfs_pid_fn(void *userdata, uint32_t pid);
VG_MUST_CHECK int vg_procfs_foreach_pid(const char *root, vg_procfs_pid_fn *cb, void *userdata);
VG_MUST_CHECK int vg_procfs_foreach_task(const char *root, uint32_t pid, vg_procfs_pid_fn *cb,
					 void *userdata);

/* Calls @cb for every fd of /proc/<pid>/fd with its link target ("socket:[ino]", a path, ...). */
typedef int vg_procfs_fd_fn(void *userdata, int fd, const char *target, bool deleted);
VG_MUST_CHECK int vg_procfs_foreach_fd(const char *root, uint32_t pid, vg_procfs_fd_fn *cb,
				       void *userdata);

/*
 * Sockets of the network namespace of @pid: /proc/<pid>/net/{tcp,tcp6,udp,udp6} give a
 * struct vg_tuple per inode, /proc/<pid>/net/unix a path (may be "").
 */
typedef int vg_procfs_sock_fn(void *userdata, uint64_t ino, const struct vg_tuple *t,
			      const char *unix_path);
VG_MUST_CHECK int vg_procfs_foreach_socket(const char *root, uint32_t pid, vg_procfs_sock_fn *cb,
					   void *userdata);
/* One line of /proc/net/tcp[6]/udp[6] (not the header). -EBADMSG when malformed. */
VG_MUST_CHECK int vg_procfs_parse_inet_line(const char *line, int family, int sock_type,
					    struct vg_tuple *ret, uint64_t *ret_ino);

/* Clock ticks per second (sysconf(_SC_CLK_TCK), 100 if unknown). */
unsigned long vg_procfs_clk_tck(void);

#endif /* VG_STATE_PROCFS_H */
