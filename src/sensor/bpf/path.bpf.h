/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Absolute paths from kernel objects (struct path, struct file, fds), built by walking
 * dentries and mounts like d_path(), because bpf_d_path() is refused from tracepoints.
 * Paths are relative to the task's root, as the task itself sees them (a container's
 * /etc/shadow, not the overlay directory on the host). Paths derived from kernel objects
 * cannot be forged by user space the way syscall arguments can.
 */
#ifndef VG_PATH_BPF_H
#define VG_PATH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "maps.bpf.h"
#include "params.bpf.h"

#define VG_PATH_DEPTH 64 /* components; deeper paths are cut at the top and flagged */
#define VG_NAME_MAX   255

struct vg_walk {
	struct dentry *d;
	struct vfsmount *vmnt;
	struct mount *mnt;
	struct dentry *root_d;
	struct vfsmount *root_m;
	char *pb;
	__u32 pos;
	__u16 flags;
	__u16 done;
};

/* One step up the tree: a path component, or a hop from a mount's root to its mountpoint.
 * Runs under bpf_loop() so the verifier checks the body once, not once per iteration. */
static long vg_walk_step(__u32 i, void *arg)
{
	struct vg_walk *w = arg;
	/* Locals, not w->x, inside BPF_CORE_READ: struct vg_walk is ours, not the kernel's. */
	struct dentry *d = w->d, *mnt_root, *parent;
	struct vfsmount *vmnt = w->vmnt;
	struct mount *mnt = w->mnt;
	struct qstr q;
	__u32 len, pos = w->pos;

	if (d == w->root_d && vmnt == w->root_m)
		goto done;
	mnt_root = BPF_CORE_READ(vmnt, mnt_root);
	parent = BPF_CORE_READ(d, d_parent);
	/* A pseudo dentry (memfd, anonymous file: its own parent, not a mount root) is
	 * named by itself, as d_path() names it: "/memfd:NAME". */
	if (d == parent && d != mnt_root && pos == VG_PATHBUF_HALF) {
		q = BPF_CORE_READ(d, d_name);
		len = q.len;
		if (len > VG_NAME_MAX)
			len = VG_NAME_MAX;
		if (len > 0) {
			pos -= len;
			bpf_probe_read_kernel(w->pb + (pos & (VG_PATHBUF_HALF - 1)),
					      len & VG_NAME_MAX, q.name);
			pos -= 1;
			w->pb[pos & (VG_PATHBUF_HALF - 1)] = '/';
			w->pos = pos;
		}
		goto done;
	}
	if (d == mnt_root || d == parent) {
		struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);

		if (mp == mnt || !mp) {
			/* The top of this mount tree without passing the task's root: the
			 * object lies outside the task's root (or on a pseudo filesystem). */
			w->flags |= VG_EVF_PATH_ESCAPED;
			goto done;
		}
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mp;
		w->vmnt = &mp->mnt;
		return 0;
	}
	q = BPF_CORE_READ(d, d_name);
	len = q.len;
	if (len > VG_NAME_MAX)
		len = VG_NAME_MAX;
	if (len + 1 > pos || pos > VG_PATHBUF_HALF) {
		w->flags |= VG_EVF_TRUNCATED;
		goto done;
	}
	pos -= len;
	bpf_probe_read_kernel(w->pb + (pos & (VG_PATHBUF_HALF - 1)), len & VG_NAME_MAX, q.name);
	pos -= 1;
	w->pb[pos & (VG_PATHBUF_HALF - 1)] = '/';
	w->pos = pos;
	w->d = parent;
	return 0;
done:
	w->done = 1;
	return 1;
}

/* Writes the path of (dentry, vfsmount) into pb backwards, ending at pb[VG_PATHBUF_HALF]
 * (the NUL). Returns the start offset, or VG_PATHBUF_HALF + 1 on error. */
static __noinline __u32 vg_walk_path(struct dentry *d, struct vfsmount *vmnt, char *pb,
				     __u16 *flags)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct vg_walk w = {
		.d = d,
		.vmnt = vmnt,
		.mnt = container_of(vmnt, struct mount, mnt),
		.root_d = BPF_CORE_READ(task, fs, root.dentry),
		.root_m = BPF_CORE_READ(task, fs, root.mnt),
		.pb = pb,
		.pos = VG_PATHBUF_HALF,
	};
	__u32 pos;

	pb[VG_PATHBUF_HALF] = '\0';
	bpf_loop(VG_PATH_DEPTH, vg_walk_step, &w, 0);
	if (!w.done)
		w.flags |= VG_EVF_TRUNCATED;
	*flags |= w.flags;
	pos = w.pos;
	if (pos > VG_PATHBUF_HALF)
		return VG_PATHBUF_HALF + 1;
	if (pos == VG_PATHBUF_HALF) {
		pos--;
		pb[pos & (VG_PATHBUF_HALF - 1)] = '/';
	}
	return pos;
}

static __always_inline char *vg_path_buf(__u32 slot)
{
	struct vg_path_buf *b = bpf_map_lookup_elem(&vg_path_scratch, &slot);

	return b ? b->data : NULL;
}

/* Appends the absolute path of (dentry, mnt) as parameter id. */
static __always_inline void vg_put_path(struct vg_ctx *c, __u8 id, struct dentry *d,
					struct vfsmount *mnt)
{
	char *pb = vg_path_buf(0);
	__u32 start, len;
	long off;

	if (!pb || !d || !mnt)
		return;
	start = vg_walk_path(d, mnt, pb, &vg_hdr(c)->flags);
	if (start >= VG_PATHBUF_HALF)
		return;
	len = VG_PATHBUF_HALF + 1 - start; /* NUL included */
	vg_barrier_var(len);
	len &= VG_STR_MAX - 1;
	off = vg_param_room(c);
	if (off < 0)
		return;
	if (bpf_probe_read_kernel(c->buf + off + sizeof(struct vg_param), len,
				  pb + (start & (VG_PATHBUF_HALF - 1))) < 0)
		return;
	vg_param_commit(c, off, id, len);
}

static __always_inline void vg_put_file_path(struct vg_ctx *c, __u8 id, struct file *f)
{
	if (!f)
		return;
	vg_put_path(c, id, BPF_CORE_READ(f, f_path.dentry), BPF_CORE_READ(f, f_path.mnt));
}

/* The struct file behind fd in the current task, or NULL. */
static __always_inline struct file *vg_fd_file(long fd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file *f = NULL;

	if (fd < 0 || fd >= max)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* The directory a relative path argument is resolved against: dirfd's, or the cwd for
 * AT_FDCWD. Only called when the path argument does not start with '/'. */
static __always_inline void vg_put_base(struct vg_ctx *c, __u8 id, long dirfd)
{
	struct task_struct *t;

	if ((int)dirfd == -100 /* AT_FDCWD */) {
		t = bpf_get_current_task_btf();
		vg_put_path(c, id, BPF_CORE_READ(t, fs, pwd.dentry), BPF_CORE_READ(t, fs, pwd.mnt));
		return;
	}
	vg_put_file_path(c, id, vg_fd_file(dirfd));
}

/* PATH (as passed) and, when it is relative, BASE. */
static __always_inline void vg_put_path_arg(struct vg_ctx *c, __u8 id, __u8 base_id, long dirfd,
					    const char *uptr)
{
	char first = 0;

	if (!uptr)
		return;
	bpf_probe_read_user(&first, 1, uptr);
	vg_put_user_str(c, id, uptr);
	if (first != '/')
		vg_put_base(c, base_id, dirfd);
}

#endif /* VG_PATH_BPF_H */
