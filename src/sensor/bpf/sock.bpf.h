/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/* Socket tuples read from the kernel's struct sock, not from syscall arguments. */
#ifndef VG_SOCK_BPF_H
#define VG_SOCK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "params.bpf.h"
#include "path.bpf.h"

#define VG_S_IFMT   00170000
#define VG_S_IFSOCK 0140000
#define VG_AF_UNIX  1
#define VG_AF_INET  2
#define VG_AF_INET6 10

static __always_inline struct socket *vg_file_socket(struct file *f)
{
	umode_t mode;

	if (!f)
		return NULL;
	mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & VG_S_IFMT) != VG_S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(f, private_data);
}

/* The bound path of a unix socket, or of its peer. */
static __always_inline void vg_put_unix_path(struct vg_ctx *c, struct sock *sk)
{
	struct unix_sock *us = (struct unix_sock *)sk;
	struct unix_address *addr = BPF_CORE_READ(us, addr);
	long off;
	__u32 len;

	if (!addr) {
		struct sock *peer = BPF_CORE_READ(us, peer);

		if (!peer)
			return;
		addr = BPF_CORE_READ((struct unix_sock *)peer, addr);
		if (!addr)
			return;
	}
	len = BPF_CORE_READ(addr, len);
	if (len <= 2)
		return;
	len -= 2; /* minus sun_family */
	if (len > 108)
		len = 108;
	vg_barrier_var(len);
	len &= 127;
	off = vg_param_room(c);
	if (off < 0)
		return;
	/* Abstract sockets start with NUL; write '@' like ss(8) so the string survives. */
	if (bpf_probe_read_kernel(c->buf + off + sizeof(struct vg_param), len & 127,
				  (void *)addr + bpf_core_field_offset(struct unix_address, name) +
					  2) < 0)
		return;
	if (c->buf[(off + sizeof(struct vg_param)) & (VG_SCRATCH_EV - 1)] == '\0')
		c->buf[(off + sizeof(struct vg_param)) & (VG_SCRATCH_EV - 1)] = '@';
	c->buf[(off + sizeof(struct vg_param) + len) & (VG_SCRATCH_EV - 1)] = '\0';
	vg_param_commit(c, off, VG_P_FDPATH, (len + 1) & 127);
}

/* Appends VG_P_TUPLE for a socket file (and the unix path as VG_P_FDPATH). Returns true when
 * f is a socket. */
static __always_inline bool vg_put_tuple(struct vg_ctx *c, struct file *f)
{
	struct socket *sock = vg_file_socket(f);
	struct vg_tuple *tp;
	struct sock *sk;
	long off;

	if (!sock)
		return false;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return true;
	off = vg_param_room(c);
	if (off < 0)
		return true;
	if (off + sizeof(struct vg_param) + sizeof(struct vg_tuple) > VG_EVENT_SIZE_MAX) {
		vg_truncated(c);
		return true;
	}
	tp = (struct vg_tuple *)(c->buf + off + sizeof(struct vg_param));
	__builtin_memset(tp, 0, sizeof(*tp));
	tp->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	tp->type = BPF_CORE_READ(sock, type);
	tp->proto = BPF_CORE_READ(sk, sk_protocol);
	tp->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (tp->family == VG_AF_INET) {
		__u32 s = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 d = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(tp->saddr, &s, 4);
		__builtin_memcpy(tp->daddr, &d, 4);
	} else if (tp->family == VG_AF_INET6) {
		BPF_CORE_READ_INTO(&tp->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&tp->daddr, sk, __sk_common.skc_v6_daddr);
	}
	tp->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	tp->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	vg_param_commit(c, off, VG_P_TUPLE, sizeof(struct vg_tuple));
	if (tp->family == VG_AF_UNIX)
		vg_put_unix_path(c, sk);
	return true;
}

#endif /* VG_SOCK_BPF_H */
