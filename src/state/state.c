/* SPDX-License-Identifier: Apache-2.0 */
/* State engine facade (see state.h): seeding from /proc and applying events. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/string-util.h"
#include "state/cgroup.h"
#include "state/fetcher.h"
#include "state/procfs.h"
#include "state/state.h"

#define K_O_DIRECTORY	 0200000
#define K_O_CLOEXEC	 02000000
#define K_AT_FDCWD	 (-100)
#define K_O_WRONLY	 01
#define K_O_CREAT	 0100
#define K_O_TRUNC	 01000
#define SEED_SOCKETS_MAX (256 * 1024)

static void container_changed(void *userdata, const struct vg_container *c);

int vg_state_new(const struct vg_state_config *cfg, struct vg_state **ret)
{
	struct vg_state *s;
	int r;

	if (!cfg || !ret)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = *cfg;
	if (vg_strlcpy(s->procfs_root, cfg->procfs_root ? cfg->procfs_root : VG_PROCFS_ROOT,
		       sizeof(s->procfs_root)) >= sizeof(s->procfs_root)) {
		free(s);
		return -ENAMETOOLONG;
	}
	s->cfg.procfs_root = s->procfs_root;
	r = vg_proc_table_init(&s->procs, cfg->max_procs, cfg->exited_keep);
	if (r < 0) {
		vg_proc_table_done(&s->procs);
		free(s);
		return r;
	}
	vg_container_registry_init(&s->containers, cfg->fetcher, cfg->max_containers);
	s->containers.wait_ms = cfg->meta_wait_ms;
	s->containers.on_change = container_changed;
	s->containers.userdata = s;
	*ret = s;
	return 0;
}

static void drop_closed_fd(struct vg_state *s)
{
	if (s->has_closed_fd) {
		free(s->closed_fd.name);
		s->closed_fd.name = NULL;
		s->has_closed_fd = false;
	}
}

struct vg_state *vg_state_free(struct vg_state *s)
{
	if (!s)
		return NULL;
	drop_closed_fd(s);
	/* processes hold container references: tear them down first */
	vg_proc_table_done(&s->procs);
	vg_container_registry_done(&s->containers);
	free(s);
	return NULL;
}

struct vg_thread *vg_state_thread(const struct vg_state *s, uint32_t tid)
{
	return vg_thread_get(&s->procs, tid);
}

struct vg_proc *vg_state_proc(const struct vg_state *s, uint32_t tgid)
{
	return vg_proc_get(&s->procs, tgid);
}

struct vg_proc *vg_state_ancestor(const struct vg_state *s, const struct vg_proc *p, unsigned n)
{
	return vg_proc_ancestor(&s->procs, p, n);
}

struct vg_container *vg_state_container(const struct vg_state *s, const char *id)
{
	return vg_container_get(&s->containers, id);
}

struct vg_container *vg_state_container_by_cgroup(const struct vg_state *s, uint64_t cgroup_id)
{
	return vg_container_by_cgroup(&s->containers, cgroup_id);
}

const struct vg_state_stats *vg_state_stats(const struct vg_state *s)
{
	return &s->stats;
}

static void emit_record(struct vg_state *s, int rectype, const char *json, size_t n)
{
	if (!s->cfg.record || s->seeding)
		return;
	if (s->cfg.record(s->cfg.record_userdata, rectype, json, n) < 0)
		s->stats.record_failed++;
}

static void container_changed(void *userdata, const struct vg_container *c)
{
	struct vg_state *s = userdata;
	cleanup_free char *json = NULL;
	size_t n;

	if (!s->cfg.record || s->seeding)
		return;
	if (vg_state_container_to_json(c, &json, &n) < 0) {
		s->stats.record_failed++;
		return;
	}
	emit_record(s, VG_STATE_REC_CONTAINER, json, n);
}

static void record_proc(struct vg_state *s, const struct vg_proc *p)
{
	cleanup_free char *json = NULL;
	size_t n;

	if (!s->cfg.record || s->seeding)
		return;
	if (vg_state_proc_to_json(s, p, &json, &n) < 0) {
		s->stats.record_failed++;
		return;
	}
	emit_record(s, VG_STATE_REC_PROC, json, n);
}

void vg_state_poll_meta(struct vg_state *s)
{
	(void)vg_container_poll(&s->containers);
}

int vg_state_meta_fd(struct vg_state *s)
{
	if (!s->cfg.fetcher)
		return -EBADF;
	return vg_meta_fetcher_fd(s->cfg.fetcher);
}

/* ---- container attribution ---- */

static bool runc_state_exists(const struct vg_state *s, const struct vg_cgroup_container *cc)
{
	static const char *const roots[] = {"/run/runc", "/run/crun"};
	char path[VG_PATH_MAX];
	struct stat st;

	(void)s;
	for (size_t i = 0; i < VG_ARRAY_SIZE(roots); i++) {
		if (snprintf(path, sizeof(path), "%s/%s", roots[i], cc->id) >= (int)sizeof(path))
			continue;
		if (stat(path, &st) == 0)
			return true;
	}
	return false;
}

/*
 * The container for a cgroup path. runc/crun leaf names need confirmation (a task in a child
 * pid namespace, or the runtime's state directory); until then the task counts as the host's
 * but the answer is not cached (*ret_final = false), because runc's own set-up processes
 * join the container's cgroup before the container's pid namespace and state exist.
 */
static struct vg_container *container_from_path(struct vg_state *s, const char *path,
						bool in_child_pidns, bool *ret_final)
{
	struct vg_cgroup_container cc;

	*ret_final = true;
	if (vg_cgroup_parse_container(path, &cc) <= 0)
		return &s->containers.host;
	if (cc.needs_confirmation && (!in_child_pidns || cc.state_dir_only) &&
	    !(s->cfg.live && runc_state_exists(s, &cc))) {
		*ret_final = false;
		return &s->containers.host;
	}
	return vg_container_ensure(&s->containers, &cc);
}

static void attribute(struct vg_state *s, struct vg_proc *p, const struct vg_event *e)
{
	const struct vg_event_hdr *h = e->hdr;
	const char *path = vg_event_str(e, VG_P_CGROUP);
	struct vg_container *c;
	bool child_ns = h->vpid != h->pid;
	bool final = true;

	if (p->container && p->cgroup_id == h->cgroup_id)
		return;
	c = vg_container_by_cgroup(&s->containers, h->cgroup_id);
	if (!c && path && path[0])
		c = container_from_path(s, path, child_ns, &final);
	if (!c && s->cfg.live) {
		char buf[VG_CGROUP_PATH_MAX + 1];

		if (vg_procfs_read_cgroup(s->cfg.procfs_root, h->pid, buf, sizeof(buf)) >= 0)
			c = container_from_path(s, buf, child_ns, &final);
	}
	if (!c) {
		/* replay without a path: keep what the process had (inherited at fork) */
		if (!p->container)
			vg_proc_set_container(p, &s->containers.host);
		return;
	}
	if (!final) {
		/* Asked again on this process's next event. */
		vg_proc_set_container(p, c);
		p->cgroup_id = 0;
		return;
	}
	if (vg_container_map_cgroup(&s->containers, h->cgroup_id, c) < 0)
		s->stats.container_refused++;
	vg_proc_set_container(p, c);
	p->cgroup_id = h->cgroup_id;
}

/* ---- building processes from /proc ---- */

struct sock_info {
	struct vg_tuple tuple;
	char path[108];
};

struct seed_ctx {
	struct vg_state *s;
	struct vg_hashmap *sockets; /* ino -> struct sock_info *, NULL when not wanted */
	struct vg_hashmap *netns_done;
	struct vg_proc *p;
};

static void sock_info_free(void *v)
{
	free(v);
}

static int sock_cb(void *userdata, uint64_t ino, const struct vg_tuple *t, const char *unix_path)
{
	struct vg_hashmap *m = userdata;
	struct sock_info *si;

	if (vg_hashmap_get_u64(m, ino))
		return 0;
	si = calloc(1, sizeof(*si));
	if (!si)
		return -ENOMEM;
	si->tuple = *t;
	if (unix_path)
		(void)vg_strlcpy(si->path, unix_path, sizeof(si->path));
	if (vg_hashmap_put_u64(m, ino, si) < 0)
		free(si); /* past the bound: this socket stays unnamed */
	return 0;
}

static enum vg_fd_type type_of_family(int family)
{
	switch (family) {
	case AF_INET:
		return VG_FD_IPV4;
	case AF_INET6:
		return VG_FD_IPV6;
	case AF_UNIX:
		return VG_FD_UNIX;
	case AF_NETLINK:
		return VG_FD_NETLINK;
	default:
		return VG_FD_SOCKET;
	}
}

static int fd_cb(void *userdata, int fd, const char *target, bool deleted)
{
	struct seed_ctx *c = userdata;
	uint64_t ino;
	enum vg_fd_type type = vg_fd_classify_link(target, &ino);
	const struct vg_tuple *tuple = NULL;
	char name[VG_PATH_MAX];
	struct vg_fd *f;
	int r;

	(void)deleted;
	(void)vg_strlcpy(name, target, sizeof(name));
	if (type == VG_FD_SOCKET && c->sockets) {
		struct sock_info *si = vg_hashmap_get_u64(c->sockets, ino);

		if (si) {
			tuple = &si->tuple;
			type = type_of_family(si->tuple.family);
			if (vg_fd_tuple_name(tuple, false, si->path, name, sizeof(name)) < 0)
				name[0] = '\0';
		}
	} else if (type == VG_FD_MEMFD) {
		/* "/memfd:name (deleted)" -> "memfd:name" */
		(void)vg_strlcpy(name, target + 1, sizeof(name));
	}
	r = vg_fdtable_set(&c->p->fds, fd, type, name, tuple, 0, &f);
	if (r == -E2BIG) {
		c->s->stats.fd_refused++;
		return 0;
	}
	if (r < 0)
		return r;
	f->ino = ino;
	return 0;
}

static int load_sockets(struct seed_ctx *c, uint32_t pid, uint64_t net_ns)
{
	if (!c->sockets || !c->netns_done || vg_hashmap_get_u64(c->netns_done, net_ns))
		return 0;
	if (vg_hashmap_put_u64(c->netns_done, net_ns, (void *)1) < 0)
		return 0;
	return vg_procfs_foreach_socket(c->s->cfg.procfs_root, pid, sock_cb, c->sockets);
}

/* Fills @p from /proc/<pid>; -ENOENT/-ESRCH when the process is gone. */
static int fill_from_procfs(struct vg_state *s, struct vg_proc *p, uint32_t pid,
			    struct seed_ctx *sc)
{
	const char *root = s->cfg.procfs_root;
	struct vg_procfs_stat st;
	struct vg_procfs_status status;
	char buf[VG_PATH_MAX];
	cleanup_free char *args = NULL;
	size_t args_len = 0;
	bool deleted = false, final;
	uint64_t ino;
	int r;

	r = vg_procfs_read_stat(root, pid, 0, &st);
	if (r < 0)
		return r;
	r = vg_procfs_read_status(root, pid, 0, &status);
	if (r < 0)
		return r;
	vg_proc_set_comm(p, st.comm);
	p->ptgid = st.ppid;
	p->sid = st.sid;
	p->pgid = st.pgid;
	p->tty = st.tty;
	p->start_ns = st.start_ns;
	p->uid = status.uid[0];
	p->creds_known = true;
	p->euid = status.uid[1];
	p->gid = status.gid[0];
	p->egid = status.gid[1];
	p->cap_eff = status.cap_eff;
	p->cap_prm = status.cap_prm;
	p->vpid = status.vpid ? status.vpid : pid;
	if (vg_procfs_read_loginuid(root, pid, &p->loginuid) < 0)
		p->loginuid = UINT32_MAX;

	args = malloc(VG_CMDLINE_MAX);
	if (!args)
		return -ENOMEM;
	if (vg_procfs_read_cmdline(root, pid, args, VG_CMDLINE_MAX, &args_len) >= 0) {
		r = vg_proc_set_args(p, args, args_len);
		if (r < 0)
			return r;
	}
	if (vg_procfs_read_link(root, pid, "exe", buf, sizeof(buf), &deleted) >= 0) {
		r = vg_proc_set_exe(p, buf);
		if (r < 0)
			return r;
		if (deleted)
			p->exe_flags |= VG_PROC_EXE_DELETED;
		if (strncmp(buf, "/memfd:", 7) == 0)
			p->exe_flags |= VG_PROC_EXE_MEMFD;
	}
	if (vg_procfs_read_link(root, pid, "cwd", buf, sizeof(buf), NULL) >= 0) {
		r = vg_proc_set_cwd(p, buf);
		if (r < 0)
			return r;
	}
	if (vg_procfs_read_ns(root, pid, "mnt", &ino) >= 0)
		p->mnt_ns = (uint32_t)ino;
	if (vg_procfs_read_ns(root, pid, "pid", &ino) >= 0)
		p->pid_ns = (uint32_t)ino;
	if (vg_procfs_read_ns(root, pid, "net", &ino) >= 0)
		p->net_ns = (uint32_t)ino;
	if (vg_procfs_read_ns(root, pid, "user", &ino) >= 0)
		p->user_ns = (uint32_t)ino;

	if (vg_procfs_read_cgroup(root, pid, buf,
				  sizeof(buf) < VG_CGROUP_PATH_MAX + 1
					  ? sizeof(buf)
					  : VG_CGROUP_PATH_MAX + 1) >= 0)
		vg_proc_set_container(p, container_from_path(s, buf, p->vpid != pid, &final));
	else
		vg_proc_set_container(p, &s->containers.host);

	if (sc) {
		sc->p = p;
		if (p->net_ns)
			(void)load_sockets(sc, pid, p->net_ns);
		r = vg_procfs_foreach_fd(root, pid, fd_cb, sc);
		if (r == -ENOMEM)
			return r;
	}
	p->partial = false;
	return 0;
}

static int task_cb(void *userdata, uint32_t tid)
{
	struct seed_ctx *c = userdata;
	struct vg_thread *th;
	struct vg_procfs_stat st;
	struct vg_procfs_status status;
	int r;

	if (tid == c->p->tgid)
		return 0;
	r = vg_thread_new(&c->s->procs, c->p, tid, &th);
	if (r == -E2BIG) {
		c->s->stats.proc_refused++;
		return 0;
	}
	if (r < 0)
		return r;
	if (vg_procfs_read_stat(c->s->cfg.procfs_root, c->p->tgid, tid, &st) >= 0)
		memcpy(th->comm, st.comm, sizeof(th->comm));
	if (vg_procfs_read_status(c->s->cfg.procfs_root, c->p->tgid, tid, &status) >= 0)
		th->vtid = status.vtid;
	return 0;
}

static int seed_pid(void *userdata, uint32_t pid)
{
	struct seed_ctx *c = userdata;
	struct vg_state *s = c->s;
	struct vg_proc *p;
	struct vg_thread *th;
	struct vg_procfs_status status;
	int r;

	if (pid == s->cfg.self_pid)
		return 0;
	r = vg_proc_new(&s->procs, pid, pid, &p, &th);
	if (r == -E2BIG) {
		s->stats.proc_refused++;
		return 0;
	}
	if (r < 0)
		return r;
	r = fill_from_procfs(s, p, pid, c);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		/* gone meanwhile: forget it */
		vg_proc_exit(&s->procs, p, 0, 0);
		return 0;
	}
	memcpy(th->comm, p->comm, sizeof(th->comm));
	if (vg_procfs_read_status(s->cfg.procfs_root, pid, 0, &status) >= 0)
		th->vtid = status.vtid;
	c->p = p;
	r = vg_procfs_foreach_task(s->cfg.procfs_root, pid, task_cb, c);
	if (r == -ENOMEM)
		return r;
	return 0;
}

int vg_state_seed(struct vg_state *s)
{
	struct vg_hashmap sockets, netns;
	struct seed_ctx c = {.s = s, .sockets = &sockets, .netns_done = &netns};
	int r;

	if (!s->cfg.live)
		return -EOPNOTSUPP;
	vg_hashmap_init(&sockets, VG_HASHMAP_U64, SEED_SOCKETS_MAX, sock_info_free);
	vg_hashmap_init(&netns, VG_HASHMAP_U64, 4096, NULL);
	s->seeding = true;
	r = vg_procfs_foreach_pid(s->cfg.procfs_root, seed_pid, &c);
	s->seeding = false;
	vg_hashmap_done(&sockets);
	vg_hashmap_done(&netns);
	vg_proc_table_collect(&s->procs);
	return r < 0 ? r : 0;
}

/* ---- applying events ---- */

static void header_to_proc(struct vg_proc *p, const struct vg_event_hdr *h)
{
	/* Applied more than once for one event (lazy creation): the "before" is what the
	 * first application saw. */
	if (p->creds_ts != h->ts || !p->creds_ts) {
		p->prev_euid = p->creds_known ? p->euid : UINT32_MAX;
		p->creds_ts = h->ts;
	}
	p->creds_known = true;
	if (h->ppid && h->ppid != p->tgid)
		p->ptgid = h->ppid;
	p->vpid = h->vpid;
	p->uid = h->uid;
	p->gid = h->gid;
	p->euid = h->euid;
	p->egid = h->egid;
	p->loginuid = h->loginuid;
	p->cap_eff = h->cap_eff;
	p->cap_prm = h->cap_prm;
	p->mnt_ns = h->mnt_ns;
	p->pid_ns = h->pid_ns;
	p->net_ns = h->net_ns;
	p->user_ns = h->user_ns;
}

static void set_comm16(char dst[VG_COMM_LEN], const char src[16])
{
	size_t n = strnlen(src, VG_COMM_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Unknown tid: a thread of a known process, or a new process from /proc or the header. */
static int lazy_thread(struct vg_state *s, const struct vg_event_hdr *h, struct vg_thread **ret)
{
	struct vg_proc *p = vg_proc_get(&s->procs, h->pid);
	struct vg_thread *th;
	int r;

	if (p && (!p->exited || h->kind != VG_EV_FORK)) {
		/* a thread we did not see created (or of a process wrongly believed gone) */
		r = vg_thread_new(&s->procs, p, h->tid, &th);
		if (r < 0)
			return r;
		th->vtid = h->vtid;
		set_comm16(th->comm, h->comm);
		*ret = th;
		return 0;
	}
	r = vg_proc_new(&s->procs, h->pid, h->pid, &p, &th);
	if (r < 0)
		return r;
	p->partial = true;
	set_comm16(p->comm, h->comm);
	header_to_proc(p, h);
	if (s->cfg.live) {
		struct seed_ctx c = {.s = s};

		r = fill_from_procfs(s, p, h->pid, &c);
		if (r == -ENOMEM)
			return r;
		if (r >= 0) {
			s->stats.lazy_proc++;
			header_to_proc(p, h); /* the event is newer than /proc */
		} else {
			s->stats.lazy_header++;
		}
	} else {
		s->stats.lazy_header++;
	}
	set_comm16(th->comm, h->comm);
	th->vtid = h->pid == h->tid ? h->vtid : h->vpid;
	if (h->tid != h->pid) {
		r = vg_thread_new(&s->procs, p, h->tid, &th);
		if (r < 0)
			return r;
		th->vtid = h->vtid;
		set_comm16(th->comm, h->comm);
	}
	*ret = th;
	return 1;
}

static void join_path(const char *base, const char *path, char *buf, size_t size)
{
	if (!path) {
		buf[0] = '\0';
		return;
	}
	if (vg_path_join_normalize(path[0] == '/' ? NULL : base, path, buf, size) < 0)
		(void)vg_strlcpy(buf, path, size);
}

static void fd_refused(struct vg_state *s, int r)
{
	if (r == -E2BIG)
		s->stats.fd_refused++;
}

static int apply_exec(struct vg_state *s, const struct vg_event *e, struct vg_thread *th)
{
	const struct vg_event_hdr *h = e->hdr;
	struct vg_proc *p = th->proc;
	const char *exe = vg_event_str(e, VG_P_EXE);
	const char *argv = vg_event_str(e, VG_P_ARGV);
	const char *cwd = vg_event_str(e, VG_P_CWD);
	struct vg_hashmap_entry *ent;
	int r;

	if (!exe)
		exe = vg_event_str(e, VG_P_FILENAME);
	r = vg_proc_set_exe(p, exe);
	if (r < 0)
		return r;
	r = vg_proc_set_args(p, argv ? argv : "", argv ? e->param_len[VG_P_ARGV] : 0);
	if (r < 0)
		return r;
	if (cwd) {
		r = vg_proc_set_cwd(p, cwd);
		if (r < 0)
			return r;
	}
	set_comm16(p->comm, h->comm);
	set_comm16(th->comm, h->comm);
	p->exe_ino = h->args[0];
	p->exe_mtime_ns = h->args[1];
	p->exe_ctime_ns = h->args[2];
	p->tty = (uint32_t)h->args[3];
	if (h->args[4])
		p->start_ns = h->args[4];
	p->sid = (uint32_t)(h->args[5] >> 32);
	p->pgid = (uint32_t)h->args[5];
	p->exe_flags = ((h->flags & VG_EVF_EXE_UPPER) ? VG_PROC_EXE_UPPER : 0) |
		       ((h->flags & VG_EVF_EXE_LOWER) ? VG_PROC_EXE_LOWER : 0) |
		       ((h->flags & VG_EVF_EXE_MEMFD) ? VG_PROC_EXE_MEMFD : 0);
	p->partial = false;

	/* exec kills the other threads */
	for (struct vg_thread *o = p->threads, *next; o; o = next) {
		next = o->next;
		if (o != th)
			vg_thread_exit(&s->procs, o, h->ts);
	}
	/* and closes O_CLOEXEC fds */
restart:
	for (size_t i = 0; vg_hashmap_next(&p->fds.map, &i, &ent);) {
		struct vg_fd *f = ent->value;

		if (f->flags & K_O_CLOEXEC) {
			(void)vg_fdtable_remove(&p->fds, f->fd);
			goto restart;
		}
	}
	return 0;
}

static int apply_fork(struct vg_state *s, const struct vg_event *e, struct vg_thread *th,
		      struct vg_event_ctx *ctx)
{
	const struct vg_event_hdr *h = e->hdr;
	struct vg_proc *p = th->proc, *child;
	struct vg_thread *cth;
	uint32_t ctgid = (uint32_t)h->args[0], ctid = (uint32_t)h->args[1];
	uint64_t flags = h->args[2];
	int r;

	if (ctgid == 0 || ctid == 0)
		return 0;
	if (h->flags & VG_EVF_THREAD) {
		r = vg_thread_new(&s->procs, p, ctid, &cth);
		if (r < 0)
			return r;
		cth->vtid = (uint32_t)h->args[4];
		memcpy(cth->comm, th->comm, sizeof(cth->comm));
		ctx->child_thread = cth;
		return 0;
	}
	r = vg_proc_new(&s->procs, ctgid, ctid, &child, &cth);
	if (r < 0)
		return r;
	r = vg_proc_copy_image(child, p, true);
	if (r < 0 && r != -E2BIG)
		return r;
	child->ptgid = (flags & 0x00008000 /* CLONE_PARENT */) && p->ptgid ? p->ptgid : p->tgid;
	child->vpid = (uint32_t)h->args[3];
	child->start_ns = h->ts;
	cth->vtid = (uint32_t)h->args[4];
	memcpy(cth->comm, th->comm, sizeof(cth->comm));
	ctx->child = child;
	ctx->child_thread = cth;
	return 0;
}

static struct vg_fd *fd_for_tuple(struct vg_state *s, struct vg_proc *p, int fd,
				  const struct vg_tuple *t, bool accepted, const char *unix_path)
{
	char name[VG_PATH_MAX];
	struct vg_fd *f = vg_fdtable_get(&p->fds, fd);
	int r;

	if (vg_fd_tuple_name(t, accepted, unix_path, name, sizeof(name)) < 0)
		name[0] = '\0';
	if (!f) {
		r = vg_fdtable_set(&p->fds, fd, type_of_family(t->family), name, t, 0, &f);
		if (r < 0) {
			fd_refused(s, r);
			return NULL;
		}
		return f;
	}
	if (t->family == AF_UNIX && !unix_path[0] && f->name[0])
		return f; /* keep the path we knew */
	f->type = type_of_family(t->family);
	if (vg_fdtable_set_tuple(&p->fds, f, t, name) < 0)
		return f;
	return f;
}

/* The path of a sockaddr_un from a raw ADDR param ("" when not unix). */
static void unix_path_of(const struct vg_event *e, char *buf, size_t size)
{
	const char *a = e->param[VG_P_ADDR];
	size_t n = e->param_len[VG_P_ADDR];

	buf[0] = '\0';
	if (!a || n <= 2)
		return;
	{
		uint16_t fam;

		memcpy(&fam, a, 2);
		if (fam != AF_UNIX)
			return;
	}
	n -= 2;
	a += 2;
	if (a[0] == '\0' && n > 1) {
		/* abstract: "@name" */
		size_t k = VG_MIN(n - 1, size - 2);

		buf[0] = '@';
		memcpy(buf + 1, a + 1, k);
		buf[k + 1] = '\0';
		for (size_t i = 1; i <= k; i++)
			if (buf[i] == '\0')
				buf[i] = '@';
		return;
	}
	n = strnlen(a, VG_MIN(n, size - 1));
	memcpy(buf, a, n);
	buf[n] = '\0';
}

static void apply_syscall(struct vg_state *s, const struct vg_event *e, struct vg_proc *p,
			  struct vg_event_ctx *ctx)
{
	const struct vg_event_hdr *h = e->hdr;
	const struct vg_tuple *t = vg_event_tuple(e);
	char name[VG_PATH_MAX];
	struct vg_fd *f = NULL;
	int64_t ret = h->ret;
	int r;

	switch (h->sc) {
	case VG_SC_OPEN:
	case VG_SC_OPENAT:
	case VG_SC_OPENAT2:
	case VG_SC_CREAT: {
		uint64_t flags;
		const char *res = vg_event_str(e, VG_P_RESOLVED);

		if (ret < 0)
			return;
		flags = h->sc == VG_SC_OPEN    ? h->args[1]
			: h->sc == VG_SC_CREAT ? (K_O_CREAT | K_O_WRONLY | K_O_TRUNC)
					       : h->args[2];
		/* Falco's fd.name: the path as passed, made absolute and normalised without
		 * following symlinks (/proc/self/fd/1 stays that, not pipe:[N]); the kernel's
		 * resolved path only when the path itself is missing. */
		if (vg_event_str(e, VG_P_PATH) || !res)
			join_path(vg_event_str(e, VG_P_BASE), vg_event_str(e, VG_P_PATH), name,
				  sizeof(name));
		else
			(void)vg_strlcpy(name, res, sizeof(name));
		r = vg_fdtable_set(&p->fds, (int)ret,
				   (flags & K_O_DIRECTORY) ? VG_FD_DIRECTORY : VG_FD_FILE, name,
				   NULL, (uint32_t)flags, &f);
		fd_refused(s, r);
		break;
	}
	case VG_SC_MEMFD_CREATE: {
		const char *n = vg_event_str(e, VG_P_NAME);

		if (ret < 0)
			return;
		(void)snprintf(name, sizeof(name), "memfd:%s", n ? n : "");
		r = vg_fdtable_set(&p->fds, (int)ret, VG_FD_MEMFD, name, NULL,
				   (h->args[1] & 1) ? K_O_CLOEXEC : 0, &f);
		fd_refused(s, r);
		break;
	}
	case VG_SC_SOCKET: {
		struct vg_tuple st = {.family = (uint16_t)h->args[0],
				      .type = (uint16_t)(h->args[1] & 0xf),
				      .proto = (uint16_t)h->args[2]};

		if (ret < 0)
			return;
		r = vg_fdtable_set(&p->fds, (int)ret, type_of_family(st.family), "", &st,
				   (h->args[1] & 02000000) ? K_O_CLOEXEC : 0, &f);
		fd_refused(s, r);
		break;
	}
	case VG_SC_CONNECT:
	case VG_SC_BIND:
	case VG_SC_LISTEN:
	case VG_SC_SENDTO:
	case VG_SC_SENDMSG:
	case VG_SC_RECVFROM:
	case VG_SC_RECVMSG: {
		char up[VG_PATH_MAX];

		if (ret < 0 && !(h->sc == VG_SC_CONNECT && ret == -EINPROGRESS)) {
			f = vg_fdtable_get(&p->fds, (int)h->args[0]);
			break;
		}
		unix_path_of(e, up, sizeof(up));
		if (t)
			f = fd_for_tuple(s, p, (int)h->args[0], t, false, up);
		else
			f = vg_fdtable_get(&p->fds, (int)h->args[0]);
		break;
	}
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
		if (ret < 0 || !t)
			return;
		{
			struct vg_fd *lf = vg_fdtable_get(&p->fds, (int)h->args[0]);

			f = fd_for_tuple(s, p, (int)ret, t, true,
					 lf && t->family == AF_UNIX ? lf->name : "");
		}
		break;
	case VG_SC_DUP:
	case VG_SC_DUP2:
	case VG_SC_DUP3: {
		int oldfd = (int)h->args[0];
		int newfd = h->sc == VG_SC_DUP ? (int)ret : (int)h->args[1];

		if (ret < 0)
			return;
		if (newfd != oldfd) {
			/* dup2 over an open fd closes it first */
			(void)vg_fdtable_remove(&p->fds, newfd);
		}
		r = vg_fdtable_dup(&p->fds, oldfd, newfd, &f);
		if (r == -ENOENT) {
			const char *fp = vg_event_str(e, VG_P_FDPATH);

			if (t)
				f = fd_for_tuple(s, p, newfd, t, false, "");
			else if (fp) {
				uint64_t ino;
				enum vg_fd_type ty = vg_fd_classify_link(fp, &ino);

				r = vg_fdtable_set(&p->fds, newfd, ty, fp, NULL, 0, &f);
				fd_refused(s, r);
			}
		} else {
			fd_refused(s, r);
		}
		if (f && h->sc == VG_SC_DUP3)
			f->flags = (h->args[2] & K_O_CLOEXEC) ? K_O_CLOEXEC : 0;
		else if (f)
			f->flags &= ~(uint32_t)K_O_CLOEXEC;
		break;
	}
	case VG_SC_CLOSE: {
		struct vg_fd *old;

		if (ret < 0)
			return;
		old = vg_fdtable_take(&p->fds, (int)h->args[0]);
		if (old) {
			s->closed_fd = *old;
			s->has_closed_fd = true;
			free(old); /* the name moved to closed_fd */
			f = &s->closed_fd;
		}
		break;
	}
	case VG_SC_FCHMOD:
	case VG_SC_FCHOWN:
	case VG_SC_FTRUNCATE:
	case VG_SC_FINIT_MODULE:
	case VG_SC_SETNS:
		f = vg_fdtable_get(&p->fds, (int)h->args[0]);
		break;
	case VG_SC_PRCTL: {
		const char *n = vg_event_str(e, VG_P_NAME);

		if (ret >= 0 && n && h->args[0] == 15 /* PR_SET_NAME */ && ctx->thread) {
			set_comm16(ctx->thread->comm, n);
			if (ctx->thread->tid == p->tgid)
				vg_proc_set_comm(p, n);
		}
		break;
	}
	default:
		break;
	}
	ctx->fd = f;
}

int vg_state_apply(struct vg_state *s, const struct vg_event *e, struct vg_event_ctx *ret_ctx)
{
	const struct vg_event_hdr *h = e->hdr;
	struct vg_event_ctx ctx = {0};
	struct vg_thread *th;
	struct vg_proc *p;
	int r = 0, lazy = 0;

	vg_proc_table_collect(&s->procs);
	drop_closed_fd(s);
	s->stats.events++;

	if (s->cfg.self_pid && h->pid == s->cfg.self_pid) {
		s->stats.ignored_self++;
		if (ret_ctx)
			*ret_ctx = ctx;
		return 0;
	}

	th = vg_thread_get(&s->procs, h->tid);
	if (th && th->proc && th->proc->tgid != h->pid) {
		/* tid reused by another process: start over */
		vg_thread_exit(&s->procs, th, h->ts);
		th = NULL;
	}
	if (!th) {
		p = vg_proc_get(&s->procs, h->pid);
		if (p && p->exited && h->ts <= p->exit_ns) {
			/* a late event of an exited process: resolve, change nothing */
			ctx.proc = p;
			ctx.parent = vg_proc_parent(&s->procs, p);
			ctx.container = p->container ? p->container : &s->containers.host;
			if (ret_ctx)
				*ret_ctx = ctx;
			return 0;
		}
		lazy = lazy_thread(s, h, &th);
		if (lazy < 0) {
			if (lazy == -E2BIG)
				s->stats.proc_refused++;
			else
				r = lazy;
			th = NULL;
		}
	}
	if (!th) {
		if (ret_ctx)
			*ret_ctx = ctx;
		return r == -ENOMEM ? r : 0;
	}
	p = th->proc;
	ctx.thread = th;
	ctx.proc = p;
	header_to_proc(p, h);
	th->vtid = h->vtid;
	if (h->kind != VG_EV_EXIT)
		set_comm16(th->comm, h->comm);
	if (h->tid == h->pid && h->kind != VG_EV_EXIT)
		set_comm16(p->comm, h->comm);
	attribute(s, p, e);

	switch (h->kind) {
	case VG_EV_EXEC:
		r = apply_exec(s, e, th);
		break;
	case VG_EV_FORK:
		r = apply_fork(s, e, th, &ctx);
		if (r == -E2BIG) {
			s->stats.proc_refused++;
			r = 0;
		}
		break;
	case VG_EV_EXIT:
		if (h->args[0] == 1)
			vg_proc_exit(&s->procs, p, h->ts, h->ret);
		else
			vg_thread_remove(&s->procs, th);
		break;
	case VG_EV_SYSCALL:
		apply_syscall(s, e, p, &ctx);
		break;
	default:
		break;
	}
	if (lazy > 0 && s->cfg.live && !p->partial)
		record_proc(s, p);

	ctx.parent = vg_proc_parent(&s->procs, p);
	ctx.container = p->container ? p->container : &s->containers.host;
	s->stats.proc_evicted = s->procs.n_evicted;
	s->stats.container_refused = s->containers.n_refused;
	s->stats.meta_requests = s->containers.n_requests;
	s->stats.meta_failed = s->containers.n_request_failed + s->containers.n_fetch_failed;
	if (ret_ctx)
		*ret_ctx = ctx;
	return r == -ENOMEM ? r : 0;
}

int vg_state_fds_copy_out(const struct vg_state *s, uint32_t tgid, struct vg_fdtable *out)
{
	const struct vg_proc *p = vg_proc_get(&s->procs, tgid);

	return p ? vg_fdtable_copy(out, &p->fds) : -ENOENT;
}

int vg_state_fds_copy_in(struct vg_state *s, uint32_t tgid, const struct vg_fdtable *in)
{
	struct vg_proc *p = vg_proc_get(&s->procs, tgid);

	return p ? vg_fdtable_copy(&p->fds, in) : -ENOENT;
}
