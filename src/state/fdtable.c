/* SPDX-License-Identifier: Apache-2.0 */
/* Per-process fd table (see fdtable.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "state/fdtable.h"
#include "state/procfs.h"

static const struct {
	const char *name;
	char c;
} fd_types[VG_FD__MAX] = {
	[VG_FD_UNKNOWN] = {"unknown", 'o'},
	[VG_FD_FILE] = {"file", 'f'},
	[VG_FD_DIRECTORY] = {"directory", 'd'},
	[VG_FD_IPV4] = {"ipv4", '4'},
	[VG_FD_IPV6] = {"ipv6", '6'},
	[VG_FD_UNIX] = {"unix", 'u'},
	[VG_FD_NETLINK] = {"netlink", 'n'},
	[VG_FD_SOCKET] = {"socket", 's'},
	[VG_FD_PIPE] = {"pipe", 'p'},
	[VG_FD_MEMFD] = {"memfd", 'm'},
	[VG_FD_EVENTFD] = {"event", 'e'},
	[VG_FD_SIGNALFD] = {"signalfd", 's'},
	[VG_FD_TIMERFD] = {"timerfd", 't'},
	[VG_FD_INOTIFY] = {"inotify", 'i'},
	[VG_FD_EVENTPOLL] = {"eventpoll", 'l'},
	[VG_FD_BPF] = {"bpf", 'b'},
	[VG_FD_USERFAULTFD] = {"userfaultfd", 'u'},
	[VG_FD_IO_URING] = {"io_uring", 'r'},
	[VG_FD_PIDFD] = {"pidfd", 'P'},
};

const char *vg_fd_type_to_string(enum vg_fd_type t)
{
	return (unsigned)t < VG_FD__MAX ? fd_types[t].name : "unknown";
}

char vg_fd_type_char(enum vg_fd_type t)
{
	return (unsigned)t < VG_FD__MAX ? fd_types[t].c : 'o';
}

int vg_fd_type_from_string(const char *s)
{
	for (int i = 0; i < VG_FD__MAX; i++)
		if (strcmp(s, fd_types[i].name) == 0)
			return i;
	return -EINVAL;
}

void vg_fd_free(struct vg_fd *f)
{
	if (!f)
		return;
	free(f->name);
	free(f);
}

static void fd_free_value(void *v)
{
	vg_fd_free(v);
}

void vg_fdtable_init(struct vg_fdtable *t, size_t max)
{
	vg_hashmap_init(&t->map, VG_HASHMAP_U64, max ? max : VG_FD_PER_PROC_MAX, fd_free_value);
	t->max = max ? max : VG_FD_PER_PROC_MAX;
}

void vg_fdtable_done(struct vg_fdtable *t)
{
	vg_hashmap_done(&t->map);
}

struct vg_fd *vg_fdtable_get(const struct vg_fdtable *t, int fd)
{
	if (fd < 0)
		return NULL;
	return vg_hashmap_get_u64(&t->map, (uint64_t)fd);
}

static char *bounded_strdup(const char *s)
{
	return strndup(s ? s : "", VG_PATH_MAX);
}

int vg_fdtable_set(struct vg_fdtable *t, int fd, enum vg_fd_type type, const char *name,
		   const struct vg_tuple *tuple, uint32_t flags, struct vg_fd **ret)
{
	struct vg_fd *f = vg_fdtable_get(t, fd);
	char *n;
	int r;

	if (fd < 0)
		return -EBADF;
	n = bounded_strdup(name);
	if (!n)
		return -ENOMEM;
	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f) {
			free(n);
			return -ENOMEM;
		}
		f->name = n;
		r = vg_hashmap_put_u64(&t->map, (uint64_t)fd, f);
		if (r < 0) {
			vg_fd_free(f);
			return r;
		}
	} else {
		free(f->name);
		f->name = n;
	}
	f->fd = fd;
	f->type = type;
	f->flags = flags;
	f->ino = 0;
	f->has_tuple = tuple != NULL;
	if (tuple)
		f->tuple = *tuple;
	else
		memset(&f->tuple, 0, sizeof(f->tuple));
	if (ret)
		*ret = f;
	return 0;
}

int vg_fdtable_set_tuple(struct vg_fdtable *t, struct vg_fd *f, const struct vg_tuple *tuple,
			 const char *name)
{
	if (name) {
		char *n = bounded_strdup(name);

		if (!n)
			return -ENOMEM;
		free(f->name);
		f->name = n;
	}
	if (tuple) {
		f->tuple = *tuple;
		f->has_tuple = true;
	}
	return 0;
}

int vg_fdtable_dup(struct vg_fdtable *t, int oldfd, int newfd, struct vg_fd **ret)
{
	struct vg_fd *o = vg_fdtable_get(t, oldfd), *n = NULL;
	int r;

	if (!o)
		return -ENOENT;
	if (oldfd == newfd) {
		if (ret)
			*ret = o;
		return 0;
	}
	r = vg_fdtable_set(t, newfd, o->type, o->name, o->has_tuple ? &o->tuple : NULL, o->flags,
			   &n);
	if (r < 0)
		return r;
	n->ino = o->ino;
	if (ret)
		*ret = n;
	return 0;
}

struct vg_fd *vg_fdtable_take(struct vg_fdtable *t, int fd)
{
	if (fd < 0)
		return NULL;
	return vg_hashmap_take_u64(&t->map, (uint64_t)fd);
}

bool vg_fdtable_remove(struct vg_fdtable *t, int fd)
{
	if (fd < 0)
		return false;
	return vg_hashmap_remove_u64(&t->map, (uint64_t)fd);
}

int vg_fdtable_copy(struct vg_fdtable *dst, const struct vg_fdtable *src)
{
	struct vg_hashmap_entry *e;
	int r;

	vg_fdtable_done(dst);
	vg_fdtable_init(dst, src->max);
	for (size_t i = 0; vg_hashmap_next(&src->map, &i, &e);) {
		const struct vg_fd *o = e->value;
		struct vg_fd *n;

		r = vg_fdtable_set(dst, o->fd, o->type, o->name, o->has_tuple ? &o->tuple : NULL,
				   o->flags, &n);
		if (r < 0)
			return r;
		n->ino = o->ino;
	}
	return 0;
}

static int cmp_fd(const void *a, const void *b)
{
	const struct vg_fd *x = *(struct vg_fd *const *)a, *y = *(struct vg_fd *const *)b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

int vg_fdtable_sorted(const struct vg_fdtable *t, struct vg_fd ***ret, size_t *ret_n)
{
	size_t n = vg_fdtable_size(t), k = 0;
	struct vg_hashmap_entry *e;
	struct vg_fd **v;

	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; vg_hashmap_next(&t->map, &i, &e) && k < n;)
		v[k++] = e->value;
	qsort(v, k, sizeof(*v), cmp_fd);
	*ret = v;
	*ret_n = k;
	return 0;
}

enum vg_fd_type vg_fd_classify_link(const char *target, uint64_t *ret_ino)
{
	static const struct {
		const char *name;
		enum vg_fd_type type;
	} anon[] = {
		{"anon_inode:[eventfd]", VG_FD_EVENTFD},
		{"anon_inode:[signalfd]", VG_FD_SIGNALFD},
		{"anon_inode:[timerfd]", VG_FD_TIMERFD},
		{"anon_inode:inotify", VG_FD_INOTIFY},
		{"anon_inode:[eventpoll]", VG_FD_EVENTPOLL},
		{"anon_inode:bpf-", VG_FD_BPF},
		{"anon_inode:[userfaultfd]", VG_FD_USERFAULTFD},
		{"anon_inode:[io_uring]", VG_FD_IO_URING},
		{"anon_inode:[pidfd]", VG_FD_PIDFD},
	};
	uint64_t ino = 0;

	*ret_ino = 0;
	if (vg_procfs_parse_inode_link(target, "socket", &ino) >= 0) {
		*ret_ino = ino;
		return VG_FD_SOCKET;
	}
	if (vg_procfs_parse_inode_link(target, "pipe", &ino) >= 0) {
		*ret_ino = ino;
		return VG_FD_PIPE;
	}
	if (strncmp(target, "/memfd:", 7) == 0)
		return VG_FD_MEMFD;
	if (target[0] == '/')
		return VG_FD_FILE;
	for (size_t i = 0; i < VG_ARRAY_SIZE(anon); i++)
		if (strncmp(target, anon[i].name, strlen(anon[i].name)) == 0)
			return anon[i].type;
	return VG_FD_UNKNOWN;
}

static int addr_str(int family, const uint8_t *a, char *buf, size_t size)
{
	if (!inet_ntop(family, a, buf, (socklen_t)size))
		return -ENOSPC;
	return 0;
}

int vg_fd_tuple_name(const struct vg_tuple *t, bool accepted, const char *unix_path, char *buf,
		     size_t size)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	bool zero_peer;
	int n;

	if (size == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (t->family == AF_UNIX) {
		n = snprintf(buf, size, "%s", unix_path ? unix_path : "");
		return n < 0 ? -EINVAL : (int)VG_MIN((size_t)n, size - 1);
	}
	if (t->family != AF_INET && t->family != AF_INET6)
		return 0;
	if (addr_str(t->family, t->saddr, s, sizeof(s)) < 0 ||
	    addr_str(t->family, t->daddr, d, sizeof(d)) < 0)
		return -EINVAL;
	zero_peer = t->dport == 0;
	for (size_t i = 0; zero_peer && i < 16; i++)
		if (t->daddr[i])
			zero_peer = false;
	if (zero_peer)
		n = snprintf(buf, size, "%s:%u", s, t->sport);
	else if (accepted)
		n = snprintf(buf, size, "%s:%u->%s:%u", d, t->dport, s, t->sport);
	else
		n = snprintf(buf, size, "%s:%u->%s:%u", s, t->sport, d, t->dport);
	return n < 0 ? -EINVAL : (int)VG_MIN((size_t)n, size - 1);
}
