/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "basic/macro.h"
#include "proc-workload.h"

static const char *const bins[] = {"bash", "sh", "cat", "curl", "python3", "vi", "wget", "dash"};
static const char *const files[] = {"/etc/shadow", "/etc/passwd", "/tmp/a", "/root/.ssh/id",
				    "/var/log/x", "/etc/sudoers"};

static unsigned pick_n(struct vg_workload *w, unsigned n)
{
	unsigned v = w->choose(w->userdata, n);

	return v < n ? v : 0;
}

static struct vg_event_hdr *begin(struct vg_workload *w, struct vg_wl_proc *p, unsigned kind,
				  unsigned sc)
{
	struct vg_event_hdr *h;

	vg_evb_init(&w->b, kind, sc);
	h = vg_evb_hdr(&w->b);
	h->pid = h->tid = h->vpid = h->vtid = p->pid;
	h->ppid = p->ppid;
	h->uid = h->euid = p->uid;
	h->ts = (w->ts += 1000);
	memset(h->comm, 0, sizeof(h->comm));
	memcpy(h->comm, p->comm, strnlen(p->comm, sizeof(p->comm) - 1));
	return h;
}

/* A living process (the first one never exits). */
static struct vg_wl_proc *pick(struct vg_workload *w)
{
	struct vg_wl_proc *p = &w->p[pick_n(w, w->n)];

	return p->alive ? p : &w->p[0];
}

static void exec_as(struct vg_workload *w, struct vg_wl_proc *p, const char *bin)
{
	char exe[64];
	const char *argv[] = {bin, "-x", NULL};

	snprintf(p->comm, sizeof(p->comm), "%s", bin);
	snprintf(exe, sizeof(exe), "/usr/bin/%s", bin);
	begin(w, p, VG_EV_EXEC, VG_SC_EXECVE);
	vg_evb_str(&w->b, VG_P_FILENAME, exe);
	vg_evb_str(&w->b, VG_P_EXE, exe);
	vg_evb_list(&w->b, VG_P_ARGV, argv);
	vg_evb_str(&w->b, VG_P_CWD, "/");
}

size_t vg_workload_init(struct vg_workload *w, vg_wl_choose_fn *choose, void *userdata)
{
	memset(w, 0, sizeof(*w));
	w->choose = choose;
	w->userdata = userdata;
	w->ts = 5000000000ull;
	w->next_pid = 101;
	w->p[0] = (struct vg_wl_proc){.pid = 100, .ppid = 1, .alive = true};
	w->n = 1;
	exec_as(w, &w->p[0], "bash");
	return vg_evb_finish(&w->b);
}

size_t vg_workload_next(struct vg_workload *w)
{
	struct vg_wl_proc *p = pick(w), *c;
	struct vg_event_hdr *h;
	unsigned what = pick_n(w, 100);

	if (what < 8 && w->n < VG_WL_PROCS_MAX) { /* fork: the child inherits the fds */
		c = &w->p[w->n++];
		*c = *p;
		c->pid = w->next_pid++;
		c->ppid = p->pid;
		h = begin(w, p, VG_EV_FORK, VG_SC_CLONE);
		h->args[0] = h->args[1] = h->args[3] = h->args[4] = c->pid;
	} else if (what < 16) {
		exec_as(w, p, bins[pick_n(w, VG_ARRAY_SIZE(bins))]);
	} else if (what < 19 && p != &w->p[0]) { /* exit: the children go to the first process */
		p->alive = false;
		for (unsigned i = 0; i < w->n; i++)
			if (w->p[i].alive && w->p[i].ppid == p->pid)
				w->p[i].ppid = w->p[0].pid;
		h = begin(w, p, VG_EV_EXIT, VG_SC_NONE);
		h->args[0] = 1;
	} else if (what < 21) { /* rename */
		snprintf(p->comm, sizeof(p->comm), "ren%u", pick_n(w, 3));
		h = begin(w, p, VG_EV_SYSCALL, VG_SC_PRCTL);
		h->args[0] = 15;
		vg_evb_str(&w->b, VG_P_NAME, p->comm);
	} else if (what < 23) { /* setuid */
		p->uid = pick_n(w, 2) ? 0 : 1000;
		h = begin(w, p, VG_EV_SYSCALL, VG_SC_SETUID);
		h->args[0] = p->uid;
	} else if (what < 30 && p->nfds) { /* close */
		unsigned k = pick_n(w, p->nfds);

		h = begin(w, p, VG_EV_SYSCALL, VG_SC_CLOSE);
		h->args[0] = (uint64_t)p->fds[k];
		p->fds[k] = p->fds[--p->nfds];
	} else { /* openat, sometimes failing */
		bool fail = pick_n(w, 4) == 0;
		int fd = 3 + (int)pick_n(w, 20);

		h = begin(w, p, VG_EV_SYSCALL, VG_SC_OPENAT);
		h->args[0] = (uint64_t)-100;
		h->args[2] = pick_n(w, 2) ? 01 | 0100 : 0; /* O_WRONLY|O_CREAT or O_RDONLY */
		h->ret = fail ? -2 : fd;
		vg_evb_str(&w->b, VG_P_PATH, files[pick_n(w, VG_ARRAY_SIZE(files))]);
		if (!fail && p->nfds < VG_ARRAY_SIZE(p->fds))
			p->fds[p->nfds++] = fd;
	}
	return vg_evb_finish(&w->b);
}
