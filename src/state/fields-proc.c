/* SPDX-License-Identifier: Apache-2.0 */
/* proc.* and thread.* fields of the `syscall` source. */
#include <inttypes.h>
#include <string.h>

#include "basic/macro.h"
#include "sensor/names.h"
#include "state/fields-internal.h"

const struct vg_proc *vg_sf_proc_of(const struct vg_syscall_obj *o)
{
	return o->ctx ? o->ctx->proc : NULL;
}

const char *vg_sf_comm(const struct vg_syscall_obj *o, char buf[16])
{
	size_t n = strnlen(o->e->hdr->comm, 15);

	memcpy(buf, o->e->hdr->comm, n);
	buf[n] = '\0';
	return buf;
}

static const struct vg_proc *parent_of(const struct vg_syscall_obj *o, const struct vg_proc *p)
{
	if (!p)
		return NULL;
	if (o->ctx && o->ctx->proc == p && o->ctx->parent)
		return o->ctx->parent;
	return o->state ? vg_state_ancestor(o->state, p, 1) : NULL;
}

static void extract_argv0(const struct vg_proc *p, struct vg_extract *x)
{
	const char *a0 = p ? vg_proc_argv(p, 0) : NULL;

	if (a0)
		(void)vg_extract_cstr(x, a0);
}

static void extract_exepath(const struct vg_proc *p, struct vg_extract *x)
{
	if (p && p->exe[0])
		(void)vg_extract_cstr(x, p->exe);
}

/* @head followed by argv[1..] joined by spaces (head NULL: arguments only). */
static void extract_cmdline(const struct vg_proc *p, const char *head, struct vg_extract *x)
{
	size_t room, len = 0, i = 0, idx = 0;
	char *buf = vg_extract_buf(x, &room);

	if (!buf || room < 2) {
		x->overflow = true;
		return;
	}
	if (head) {
		len = VG_MIN(strlen(head), room - 1);
		memcpy(buf, head, len);
	}
	while (p && i < p->args_len) {
		size_t n = strnlen(p->args + i, p->args_len - i);

		if (idx++ >= 1) {
			if (len && len + 1 < room)
				buf[len++] = ' ';
			n = VG_MIN(n, room - 1 - len);
			memcpy(buf + len, p->args + i, n);
			len += n;
		}
		i += strnlen(p->args + i, p->args_len - i) + 1;
	}
	(void)vg_extract_commit(x, len);
}

static void extract_proc_attr(const struct vg_proc *p, int what, struct vg_extract *x)
{
	if (!p)
		return;
	switch (what) {
	case F_PROC_ANAME:
		(void)vg_extract_cstr(x, p->comm);
		break;
	case F_PROC_APID:
		(void)vg_extract_uint(x, p->tgid);
		break;
	case F_PROC_AEXE:
		extract_argv0(p, x);
		break;
	case F_PROC_AEXEPATH:
		extract_exepath(p, x);
		break;
	case F_PROC_ACMDLINE:
		extract_cmdline(p, p->comm, x);
		break;
	default:
		break;
	}
}

static void extract_ancestors(const struct vg_syscall_obj *o, const struct vg_proc *p,
			      const struct vg_field_arg *arg, int what, struct vg_extract *x)
{
	if (!p)
		return;
	if (arg && arg->present) {
		if (!arg->is_index || arg->index < 0 || arg->index > VG_PROC_ANCESTORS_MAX)
			return;
		if (arg->index == 0) {
			extract_proc_attr(p, what, x);
			return;
		}
		if (arg->index == 1) {
			extract_proc_attr(parent_of(o, p), what, x);
			return;
		}
		if (o->state)
			extract_proc_attr(vg_state_ancestor(o->state, p, (unsigned)arg->index),
					  what, x);
		return;
	}
	/* no index: every known ancestor, parent first */
	const struct vg_proc *a = parent_of(o, p);

	for (unsigned n = 1; a && n <= VG_PROC_ANCESTORS_MAX; n++) {
		extract_proc_attr(a, what, x);
		if (!o->state || a->ptgid == a->tgid)
			break;
		a = vg_state_ancestor(o->state, a, 1);
	}
}

/*
 * The leader of p's session (by_sid) or process group: the ancestor whose namespace pid is
 * the id, or else the eldest consecutive ancestor sharing it.
 */
static const struct vg_proc *leader_of(const struct vg_syscall_obj *o, const struct vg_proc *p,
				       bool by_sid)
{
	uint32_t id = by_sid ? p->sid : p->pgid;
	const struct vg_proc *best = p, *a = p;

	if (!id)
		return NULL;
	for (unsigned n = 0; a && n <= VG_PROC_ANCESTORS_MAX; n++) {
		if (a->vpid == id)
			return a;
		if ((by_sid ? a->sid : a->pgid) != id || a->pid_ns != p->pid_ns)
			break;
		best = a;
		a = o->state ? vg_state_ancestor(o->state, a, 1) : NULL;
	}
	return best;
}

static bool is_shell(const char *comm)
{
	static const char *const shells[] = {"ash",  "bash", "csh",  "ksh", "sh",
					     "tcsh", "zsh",  "dash", "fish"};

	for (size_t i = 0; i < VG_ARRAY_SIZE(shells); i++)
		if (strcmp(comm, shells[i]) == 0)
			return true;
	return false;
}

static void extract_env(const struct vg_syscall_obj *o, const struct vg_field_arg *arg,
			struct vg_extract *x)
{
	const struct vg_event *e = o->e;
	const char *env = e->param[VG_P_ENV];
	size_t len = e->param_len[VG_P_ENV], i = 0, room, out = 0;
	char *buf;

	if (e->hdr->kind != VG_EV_EXEC || !env)
		return;
	if (arg && arg->present) {
		size_t kl = strlen(arg->key);

		while (i < len) {
			size_t n = strnlen(env + i, len - i);

			if (n > kl && env[i + kl] == '=' && memcmp(env + i, arg->key, kl) == 0) {
				(void)vg_extract_str(x, env + i + kl + 1, n - kl - 1);
				return;
			}
			i += n + 1;
		}
		return;
	}
	buf = vg_extract_buf(x, &room);
	if (!buf || room < 2) {
		x->overflow = true;
		return;
	}
	while (i < len) {
		size_t n = strnlen(env + i, len - i);

		if (n) {
			if (out && out + 1 < room)
				buf[out++] = ' ';
			n = VG_MIN(n, room - 1 - out);
			memcpy(buf + out, env + i, n);
			out += n;
		}
		i += strnlen(env + i, len - i) + 1;
	}
	(void)vg_extract_commit(x, out);
}

static void extract_stdio(const struct vg_proc *p, int fdnum, bool name, struct vg_extract *x)
{
	const struct vg_fd *f = p ? vg_fdtable_get(&p->fds, fdnum) : NULL;

	if (!f)
		return;
	if (name)
		(void)vg_extract_cstr(x, f->name);
	else
		(void)vg_extract_cstr(x, vg_fd_type_to_string(f->type));
}

static uint64_t start_abs(const struct vg_syscall_obj *o, const struct vg_proc *p)
{
	int64_t t = (int64_t)p->start_ns + o->boot_offset_ns;

	return t > 0 ? (uint64_t)t : 0;
}

static void extract_caps(uint64_t caps, struct vg_extract *x)
{
	size_t room;
	char *buf = vg_extract_buf(x, &room);

	if (!buf || room < 2) {
		x->overflow = true;
		return;
	}
	(void)vg_extract_commit(x, vg_caps_format(caps, buf, room));
}

/* proc.name: the event's own comm, which lives as long as the event */
static void extract_name(const struct vg_event_hdr *h, struct vg_extract *x)
{
	(void)vg_extract_str(x, h->comm, strnlen(h->comm, sizeof(h->comm) - 1));
}

void vg_sf_proc_name(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
		     struct vg_extract *x)
{
	const struct vg_syscall_obj *o = obj;

	(void)f;
	(void)arg;
	extract_name(o->e->hdr, x);
}

void vg_sf_proc(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
		struct vg_extract *x)
{
	const struct vg_syscall_obj *o = obj;
	const struct vg_event_hdr *h = o->e->hdr;
	const struct vg_proc *p = vg_sf_proc_of(o), *pp, *l;
	char comm[16];

	switch (f->id) {
	case F_PROC_PID:
		(void)vg_extract_uint(x, h->pid);
		break;
	case F_PROC_PPID:
		if (p && p->ptgid)
			(void)vg_extract_uint(x, p->ptgid);
		else if (h->ppid)
			(void)vg_extract_uint(x, h->ppid);
		break;
	case F_PROC_VPID:
		(void)vg_extract_uint(x, h->vpid);
		break;
	case F_PROC_PVPID:
		pp = parent_of(o, p);
		if (pp && pp->pid_ns == h->pid_ns)
			(void)vg_extract_uint(x, pp->vpid);
		else if (pp)
			(void)vg_extract_uint(x, 0); /* parent outside the pid namespace */
		break;
	case F_PROC_NAME:
		extract_name(h, x);
		break;
	case F_PROC_EXE:
		extract_argv0(p, x);
		break;
	case F_PROC_EXEPATH:
		extract_exepath(p, x);
		break;
	case F_PROC_EXELINE:
		if (p && vg_proc_argv(p, 0))
			extract_cmdline(p, vg_proc_argv(p, 0), x);
		break;
	case F_PROC_CMDLINE:
		extract_cmdline(p, vg_sf_comm(o, comm), x);
		break;
	case F_PROC_ARGS:
		if (p)
			extract_cmdline(p, NULL, x);
		break;
	case F_PROC_CMDNARGS:
		if (p)
			(void)vg_extract_uint(x, vg_proc_argc(p) ? vg_proc_argc(p) - 1 : 0);
		break;
	case F_PROC_CMDLENARGS:
		if (p) {
			uint64_t n = 0;

			for (size_t i = 1; vg_proc_argv(p, i); i++)
				n += strlen(vg_proc_argv(p, i));
			(void)vg_extract_uint(x, n);
		}
		break;
	case F_PROC_PNAME:
		pp = parent_of(o, p);
		if (pp)
			(void)vg_extract_cstr(x, pp->comm);
		break;
	case F_PROC_PEXE:
		extract_argv0(parent_of(o, p), x);
		break;
	case F_PROC_PEXEPATH:
		extract_exepath(parent_of(o, p), x);
		break;
	case F_PROC_PCMDLINE:
		pp = parent_of(o, p);
		if (pp)
			extract_cmdline(pp, pp->comm, x);
		break;
	case F_PROC_ANAME:
	case F_PROC_APID:
	case F_PROC_AEXE:
	case F_PROC_AEXEPATH:
	case F_PROC_ACMDLINE:
		extract_ancestors(o, p, arg, f->id, x);
		break;
	case F_PROC_TTY:
		if (p)
			(void)vg_extract_uint(x, p->tty);
		break;
	case F_PROC_CWD:
		if (p && p->cwd[0])
			(void)vg_extract_cstr(x, p->cwd);
		break;
	case F_PROC_SID:
		if (p)
			(void)vg_extract_uint(x, p->sid);
		break;
	case F_PROC_VPGID:
		if (p)
			(void)vg_extract_uint(x, p->pgid);
		break;
	case F_PROC_SNAME:
	case F_PROC_SID_EXE:
	case F_PROC_SID_EXEPATH:
	case F_PROC_VPGID_NAME:
	case F_PROC_VPGID_EXE:
	case F_PROC_VPGID_EXEPATH: {
		bool sid = f->id == F_PROC_SNAME || f->id == F_PROC_SID_EXE ||
			   f->id == F_PROC_SID_EXEPATH;

		l = p ? leader_of(o, p, sid) : NULL;
		if (!l)
			break;
		if (f->id == F_PROC_SNAME || f->id == F_PROC_VPGID_NAME)
			(void)vg_extract_cstr(x, l->comm);
		else if (f->id == F_PROC_SID_EXE || f->id == F_PROC_VPGID_EXE)
			extract_argv0(l, x);
		else
			extract_exepath(l, x);
		break;
	}
	case F_PROC_IS_VPGID_LEADER:
		if (p && p->pgid)
			(void)vg_extract_bool(x, p->vpid == p->pgid);
		break;
	case F_PROC_IS_SID_LEADER:
		if (p && p->sid)
			(void)vg_extract_bool(x, p->vpid == p->sid);
		break;
	case F_PROC_LOGINSHELLID: {
		const struct vg_proc *a = p, *shell = NULL;

		for (unsigned n = 0; a && n <= VG_PROC_ANCESTORS_MAX; n++) {
			if (is_shell(a->comm))
				shell = a;
			a = o->state ? vg_state_ancestor(o->state, a, 1) : NULL;
		}
		if (shell)
			(void)vg_extract_uint(x, shell->tgid);
		break;
	}
	case F_PROC_DURATION:
		if (p && p->start_ns && h->ts >= p->start_ns)
			(void)vg_extract_uint(x, h->ts - p->start_ns);
		break;
	case F_PROC_PPID_DURATION:
		pp = parent_of(o, p);
		if (pp && pp->start_ns && h->ts >= pp->start_ns)
			(void)vg_extract_uint(x, h->ts - pp->start_ns);
		break;
	case F_PROC_START_TS:
		if (p && p->start_ns)
			(void)vg_extract_uint(x, start_abs(o, p));
		break;
	case F_PROC_PPID_TS:
		pp = parent_of(o, p);
		if (pp && pp->start_ns)
			(void)vg_extract_uint(x, start_abs(o, pp));
		break;
	case F_PROC_ENV:
		extract_env(o, arg, x);
		break;
	case F_PROC_IS_EXE_UPPER_LAYER:
		if (p)
			(void)vg_extract_bool(x, p->exe_flags & VG_PROC_EXE_UPPER);
		break;
	case F_PROC_IS_EXE_LOWER_LAYER:
		if (p)
			(void)vg_extract_bool(x, p->exe_flags & VG_PROC_EXE_LOWER);
		break;
	case F_PROC_IS_EXE_FROM_MEMFD:
		if (p)
			(void)vg_extract_bool(x, p->exe_flags & VG_PROC_EXE_MEMFD);
		break;
	case F_PROC_IS_EXE_WRITABLE:
	case F_PROC_IS_CONTAINER_HEALTHCHECK:
	case F_PROC_IS_CONTAINER_LIVENESS_PROBE:
	case F_PROC_IS_CONTAINER_READINESS_PROBE:
		(void)vg_extract_bool(x, false);
		break;
	case F_PROC_EXE_INO:
		if (p && p->exe_ino)
			(void)vg_extract_uint(x, p->exe_ino);
		break;
	case F_PROC_EXE_INO_CTIME:
		if (p && p->exe_ctime_ns)
			(void)vg_extract_uint(x, p->exe_ctime_ns);
		break;
	case F_PROC_EXE_INO_MTIME:
		if (p && p->exe_mtime_ns)
			(void)vg_extract_uint(x, p->exe_mtime_ns);
		break;
	case F_PROC_EXE_INO_CTIME_DURATION_PROC_START:
		if (p && p->exe_ctime_ns && p->start_ns && start_abs(o, p) >= p->exe_ctime_ns)
			(void)vg_extract_uint(x, start_abs(o, p) - p->exe_ctime_ns);
		break;
	case F_PROC_STDIN_TYPE:
	case F_PROC_STDIN_NAME:
		extract_stdio(p, 0, f->id == F_PROC_STDIN_NAME, x);
		break;
	case F_PROC_STDOUT_TYPE:
	case F_PROC_STDOUT_NAME:
		extract_stdio(p, 1, f->id == F_PROC_STDOUT_NAME, x);
		break;
	case F_PROC_STDERR_TYPE:
	case F_PROC_STDERR_NAME:
		extract_stdio(p, 2, f->id == F_PROC_STDERR_NAME, x);
		break;
	case F_PROC_NTHREADS:
		if (p)
			(void)vg_extract_uint(x, p->nthreads);
		break;
	case F_PROC_FDOPENCOUNT:
		if (p)
			(void)vg_extract_uint(x, vg_fdtable_size(&p->fds));
		break;
	case F_THREAD_TID:
		(void)vg_extract_uint(x, h->tid);
		break;
	case F_THREAD_VTID:
		(void)vg_extract_uint(x, h->vtid);
		break;
	case F_THREAD_ISMAIN:
		(void)vg_extract_bool(x, h->tid == h->pid);
		break;
	case F_THREAD_CAP_EFFECTIVE:
		extract_caps(h->cap_eff, x);
		break;
	case F_THREAD_CAP_PERMITTED:
		extract_caps(h->cap_prm, x);
		break;
	case F_THREAD_CGROUPS:
		if (o->e->param[VG_P_CGROUP])
			(void)vg_extract_cstr(x, o->e->param[VG_P_CGROUP]);
		break;
	default: /* proc.vmsize, proc.vmrss, thread.cap_inheritable: <NA> */
		break;
	}
}
