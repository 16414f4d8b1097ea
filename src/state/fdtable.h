/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-thread-group table of open file descriptors: fd -> {type, name, tuple}. Names are
 * Falco's fd.name: a path, "cip:cport->sip:sport" for connected inet sockets, the unix path.
 * Bounded by VG_FD_PER_PROC_MAX (or the limit given at init): past it, new fds are refused
 * with -E2BIG and the caller counts the miss.
 */
#ifndef VG_STATE_FDTABLE_H
#define VG_STATE_FDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/hashmap.h"
#include "basic/macro.h"
#include "sensor/bpf/vg-event.h"

enum vg_fd_type {
	VG_FD_UNKNOWN,
	VG_FD_FILE,
	VG_FD_DIRECTORY,
	VG_FD_IPV4,
	VG_FD_IPV6,
	VG_FD_UNIX,
	VG_FD_NETLINK,
	VG_FD_SOCKET, /* another address family */
	VG_FD_PIPE,
	VG_FD_MEMFD,
	VG_FD_EVENTFD,
	VG_FD_SIGNALFD,
	VG_FD_TIMERFD,
	VG_FD_INOTIFY,
	VG_FD_EVENTPOLL,
	VG_FD_BPF,
	VG_FD_USERFAULTFD,
	VG_FD_IO_URING,
	VG_FD_PIDFD,
	VG_FD__MAX,
};

struct vg_fd {
	int32_t fd;
	enum vg_fd_type type;
	uint32_t flags; /* open flags when known */
	bool has_tuple;
	struct vg_tuple tuple;
	uint64_t ino; /* socket/pipe inode when known (seeded from /proc) */
	char *name; /* never NULL ("" when unknown); owned */
};

struct vg_fdtable {
	struct vg_hashmap map; /* u64 fd -> struct vg_fd * */
	size_t max;
};

/* "file", "directory", "ipv4", ... (Falco's fd.type). */
const char *vg_fd_type_to_string(enum vg_fd_type t);
/* 'f', 'd', '4', '6', 'u', 'n', 's', 'p', 'm', 'e', ... (Falco's fd.typechar). */
char vg_fd_type_char(enum vg_fd_type t);
/* Inverse of vg_fd_type_to_string(); -EINVAL when unknown. */
int vg_fd_type_from_string(const char *s);

void vg_fdtable_init(struct vg_fdtable *t, size_t max);
void vg_fdtable_done(struct vg_fdtable *t);
static inline size_t vg_fdtable_size(const struct vg_fdtable *t)
{
	return vg_hashmap_size(&t->map);
}

struct vg_fd *vg_fdtable_get(const struct vg_fdtable *t, int fd);
/*
 * Creates or replaces the entry for @fd. @name (may be NULL) and @tuple (may be NULL) are
 * copied. *ret (may be NULL) borrows the entry until the next change of the table.
 */
VG_MUST_CHECK int vg_fdtable_set(struct vg_fdtable *t, int fd, enum vg_fd_type type,
				 const char *name, const struct vg_tuple *tuple, uint32_t flags,
				 struct vg_fd **ret);
/* Updates name/tuple of an existing entry (connect, bind, accept on a known fd). */
VG_MUST_CHECK int vg_fdtable_set_tuple(struct vg_fdtable *t, struct vg_fd *f,
				       const struct vg_tuple *tuple, const char *name);
/* newfd becomes a copy of oldfd; -ENOENT when oldfd is unknown. */
VG_MUST_CHECK int vg_fdtable_dup(struct vg_fdtable *t, int oldfd, int newfd, struct vg_fd **ret);
/* Removes @fd and hands its entry to the caller (free with vg_fd_free()); NULL if absent. */
struct vg_fd *vg_fdtable_take(struct vg_fdtable *t, int fd);
bool vg_fdtable_remove(struct vg_fdtable *t, int fd);
/* Replaces @dst's contents by a copy of @src (fork without CLONE_FILES sharing). */
VG_MUST_CHECK int vg_fdtable_copy(struct vg_fdtable *dst, const struct vg_fdtable *src);
/* Entries sorted by fd into @ret (caller frees the array, entries are borrowed). */
VG_MUST_CHECK int vg_fdtable_sorted(const struct vg_fdtable *t, struct vg_fd ***ret, size_t *ret_n);

void vg_fd_free(struct vg_fd *f);

/*
 * Classifies a /proc/<pid>/fd/N link target: "/path" -> FILE, "socket:[ino]" -> SOCKET
 * (family unknown until matched against /proc/net), "pipe:[ino]" -> PIPE,
 * "anon_inode:[eventfd]" -> EVENTFD, "/memfd:name (deleted)" -> MEMFD, ...
 */
enum vg_fd_type vg_fd_classify_link(const char *target, uint64_t *ret_ino);

/*
 * Falco fd.name of a socket tuple: "sip:sport->dip:dport" from the local side's view
 * (@accepted swaps it so the client comes first, as Falco prints server sockets),
 * "ip:port" for a socket with no peer, the path for unix (@unix_path, may be NULL).
 * IPv6 addresses are printed without brackets, like Falco. Returns the length.
 */
int vg_fd_tuple_name(const struct vg_tuple *t, bool accepted, const char *unix_path, char *buf,
		     size_t size);

#endif /* VG_STATE_FDTABLE_H */
