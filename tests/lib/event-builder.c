/* SPDX-License-Identifier: Apache-2.0 */
/* Event record builder for tests and fuzz seeds; see event-builder.h. */
#include <string.h>

#include "event-builder.h"

struct vg_event_hdr *vg_evb_hdr(struct vg_evb *b)
{
	return (struct vg_event_hdr *)b->buf;
}

void vg_evb_init(struct vg_evb *b, unsigned kind, unsigned sc)
{
	struct vg_event_hdr *h = vg_evb_hdr(b);

	memset(h, 0, sizeof(*h));
	b->len = sizeof(*h);
	b->nparams = 0;
	b->overflow = false;
	h->kind = (__u8)kind;
	h->sc = (__u16)sc;
	h->ts = 1000000000ull;
	h->pid = 1000;
	h->tid = 1001;
	h->ppid = 1;
	h->vpid = 1;
	h->vtid = 1;
	h->loginuid = (__u32)-1;
	h->cgroup_id = 4242;
	h->mnt_ns = 4026531840u;
	h->pid_ns = 4026531836u;
	h->net_ns = 4026531833u;
	h->user_ns = 4026531837u;
	h->cap_eff = 0x1ffffffffffull;
	h->cap_prm = 0x1ffffffffffull;
	memcpy(h->comm, "test", 5);
}

void vg_evb_raw(struct vg_evb *b, const void *p, size_t len)
{
	if (len > sizeof(b->buf) - b->len) {
		b->overflow = true;
		return;
	}
	if (len)
		memcpy(b->buf + b->len, p, len);
	b->len += len;
}

void vg_evb_param_lie(struct vg_evb *b, unsigned id, size_t claimed_len, const void *p, size_t len)
{
	struct vg_param ph = {.len = (__u16)claimed_len, .id = (__u8)id};

	if (sizeof(ph) + len > sizeof(b->buf) - b->len) {
		b->overflow = true;
		return;
	}
	vg_evb_raw(b, &ph, sizeof(ph));
	vg_evb_raw(b, p, len);
	b->nparams++;
}

void vg_evb_param(struct vg_evb *b, unsigned id, const void *p, size_t len)
{
	vg_evb_param_lie(b, id, len, p, len);
}

void vg_evb_str(struct vg_evb *b, unsigned id, const char *s)
{
	vg_evb_param(b, id, s, strlen(s) + 1);
}

void vg_evb_list(struct vg_evb *b, unsigned id, const char *const *items)
{
	char tmp[VG_EVENT_SIZE_MAX];
	size_t n = 0;

	for (; items && *items; items++) {
		size_t k = strlen(*items) + 1;

		if (k > sizeof(tmp) - n) {
			b->overflow = true;
			return;
		}
		memcpy(tmp + n, *items, k);
		n += k;
	}
	if (n == 0)
		tmp[n++] = '\0';
	vg_evb_param(b, id, tmp, n);
}

void vg_evb_tuple(struct vg_evb *b, const struct vg_tuple *t)
{
	vg_evb_param(b, VG_P_TUPLE, t, sizeof(*t));
}

size_t vg_evb_finish(struct vg_evb *b)
{
	struct vg_event_hdr *h = vg_evb_hdr(b);

	h->size = (__u16)b->len;
	h->nparams = (__u8)b->nparams;
	return b->len;
}

uint64_t vg_evb_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd(uint64_t *state, unsigned n)
{
	return n ? (unsigned)(vg_evb_rand(state) % n) : 0;
}

static void random_bytes(uint64_t *state, unsigned char *p, size_t n, bool text)
{
	for (size_t i = 0; i < n; i++)
		p[i] = text ? (unsigned char)(' ' + 1 + rnd(state, 94))
			    : (unsigned char)rnd(state, 256);
}

size_t vg_evb_random(struct vg_evb *b, uint64_t *state)
{
	static const unsigned fork_sc[] = {VG_SC_NONE, VG_SC_CLONE, VG_SC_CLONE3, VG_SC_FORK,
					   VG_SC_VFORK};
	unsigned char tmp[VG_STR_MAX];
	unsigned kind = 1 + rnd(state, VG_EV__MAX - 1), sc = 0;
	struct vg_event_hdr *h;

	switch (kind) {
	case VG_EV_SYSCALL:
		sc = 1 + rnd(state, VG_SC__MAX - 1);
		break;
	case VG_EV_EXEC:
		sc = rnd(state, 2) ? VG_SC_EXECVE : VG_SC_EXECVEAT;
		break;
	case VG_EV_FORK:
		sc = fork_sc[rnd(state, 5)];
		break;
	default:
		break;
	}
	vg_evb_init(b, kind, sc);
	h = vg_evb_hdr(b);
	h->ts = vg_evb_rand(state);
	h->pid = (__u32)vg_evb_rand(state);
	h->tid = (__u32)vg_evb_rand(state);
	h->ret = (__s64)vg_evb_rand(state);
	h->flags = (__u16)rnd(state, 128);
	for (int i = 0; i < 6; i++)
		h->args[i] = vg_evb_rand(state);
	random_bytes(state, (unsigned char *)h->comm, sizeof(h->comm) - 1, true);

	for (unsigned id = 1; id < VG_P__MAX; id++) {
		size_t room = VG_EVENT_SIZE_MAX - b->len, n;
		bool big = rnd(state, 50) == 0;

		if (rnd(state, 3) != 0 || room < sizeof(struct vg_param) + 1)
			continue;
		room -= sizeof(struct vg_param);
		switch (id) {
		case VG_P_TUPLE:
			if (room < sizeof(struct vg_tuple))
				continue;
			random_bytes(state, tmp, sizeof(struct vg_tuple), false);
			vg_evb_param(b, id, tmp, sizeof(struct vg_tuple));
			continue;
		case VG_P_ADDR:
			n = 1 + rnd(state, 128);
			random_bytes(state, tmp, n, false);
			break;
		case VG_P_DATA:
			n = rnd(state, big ? VG_STR_MAX + 1 : 64);
			random_bytes(state, tmp, n, false);
			break;
		case VG_P_ARGV:
		case VG_P_ENV:
			n = 1 + rnd(state, big ? VG_ARGV_BYTES_MAX : 128);
			random_bytes(state, tmp, n, true);
			for (size_t i = 0; i < n; i++)
				if (rnd(state, 8) == 0)
					tmp[i] = '\0';
			tmp[n - 1] = '\0';
			break;
		default:
			n = 1 + rnd(state, big ? VG_STR_MAX : 200);
			random_bytes(state, tmp, n, true);
			tmp[n - 1] = '\0';
			break;
		}
		if (n > room)
			continue;
		vg_evb_param(b, id, tmp, n);
	}
	return vg_evb_finish(b);
}
