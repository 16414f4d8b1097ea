/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Appending variable parameters to the record being built in the per-CPU scratch buffer.
 * Every write offset is masked to VG_EVENT_SIZE_MAX - 1 and the scratch buffer has
 * VG_STR_MAX + slack bytes beyond that, so the verifier can prove all writes in bounds; the
 * logical bound (record <= VG_EVENT_SIZE_MAX) is then checked before a parameter is kept.
 */
#ifndef VG_PARAMS_BPF_H
#define VG_PARAMS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "maps.bpf.h"

#define VG_OFF_MASK (VG_EVENT_SIZE_MAX - 1)

/* Stops clang from proving a mask redundant and dropping it: the verifier needs to see it. */
#define vg_barrier_var(v) asm volatile("" : "+r"(v))

struct vg_ctx {
	char *buf; /* scratch record; starts with struct vg_event_hdr */
	__u32 off; /* bytes used */
};

static __always_inline struct vg_event_hdr *vg_hdr(struct vg_ctx *c)
{
	return (struct vg_event_hdr *)c->buf;
}

static __always_inline void vg_truncated(struct vg_ctx *c)
{
	vg_hdr(c)->flags |= VG_EVF_TRUNCATED;
}

/* Commits a parameter of n bytes whose payload was written at c->off + sizeof(param). */
static __always_inline void vg_param_commit(struct vg_ctx *c, __u32 off, __u8 id, long n)
{
	struct vg_param *p;

	if (n <= 0)
		return;
	if (off + sizeof(struct vg_param) + n > VG_EVENT_SIZE_MAX) {
		vg_truncated(c);
		return;
	}
	p = (struct vg_param *)(c->buf + (off & VG_OFF_MASK));
	p->len = n;
	p->id = id;
	p->pad = 0;
	c->off = off + sizeof(struct vg_param) + n;
	vg_hdr(c)->nparams++;
}

/* Returns the masked offset where the next parameter's header goes, or -1 when full. */
static __always_inline long vg_param_room(struct vg_ctx *c)
{
	__u32 off = c->off;

	if (off > VG_EVENT_SIZE_MAX - sizeof(struct vg_param) - 1) {
		vg_truncated(c);
		return -1;
	}
	return off & VG_OFF_MASK;
}

static __always_inline void vg_put_user_str(struct vg_ctx *c, __u8 id, const void *uptr)
{
	long off, n;

	if (!uptr)
		return;
	off = vg_param_room(c);
	if (off < 0)
		return;
	n = bpf_probe_read_user_str(c->buf + off + sizeof(struct vg_param), VG_STR_MAX, uptr);
	if (n == VG_STR_MAX)
		vg_truncated(c);
	vg_param_commit(c, off, id, n);
}

static __always_inline void vg_put_kernel_str(struct vg_ctx *c, __u8 id, const void *kptr)
{
	long off, n;

	if (!kptr)
		return;
	off = vg_param_room(c);
	if (off < 0)
		return;
	n = bpf_probe_read_kernel_str(c->buf + off + sizeof(struct vg_param), VG_STR_MAX, kptr);
	vg_param_commit(c, off, id, n);
}

static __always_inline void vg_put_user_bytes(struct vg_ctx *c, __u8 id, const void *uptr,
					      __u32 len, __u32 max)
{
	long off;

	if (!uptr || !len)
		return;
	if (len > max)
		len = max;
	if (len > 256)
		len = 256;
	vg_barrier_var(len);
	len &= 511;
	off = vg_param_room(c);
	if (off < 0)
		return;
	if (bpf_probe_read_user(c->buf + off + sizeof(struct vg_param), len, uptr) < 0)
		return;
	vg_param_commit(c, off, id, len & 511);
}

static __always_inline void vg_put_kernel_bytes(struct vg_ctx *c, __u8 id, const void *kptr,
						__u32 len)
{
	long off;

	if (!kptr || !len || len > 4096)
		return;
	vg_barrier_var(len);
	len &= 8191;
	off = vg_param_room(c);
	if (off < 0)
		return;
	if (bpf_probe_read_kernel(c->buf + off + sizeof(struct vg_param), len, kptr) < 0)
		return;
	vg_param_commit(c, off, id, len & 8191);
}

/* A NUL-separated user memory range (argv, envp), cut at VG_ARGV_BYTES_MAX. */
static __always_inline void vg_put_user_range(struct vg_ctx *c, __u8 id, unsigned long start,
					      unsigned long end)
{
	unsigned long len;
	long off;

	if (!start || end <= start)
		return;
	len = end - start;
	if (len > VG_ARGV_BYTES_MAX) {
		len = VG_ARGV_BYTES_MAX;
		vg_truncated(c);
	}
	vg_barrier_var(len);
	len &= 8191;
	off = vg_param_room(c);
	if (off < 0)
		return;
	if (bpf_probe_read_user(c->buf + off + sizeof(struct vg_param), len, (void *)start) < 0)
		return;
	/* A truncated list must still end in NUL for the decoder. */
	c->buf[(off + sizeof(struct vg_param) + len - 1) & (VG_SCRATCH_EV - 1)] = '\0';
	vg_param_commit(c, off, id, len & 8191);
}

#endif /* VG_PARAMS_BPF_H */
