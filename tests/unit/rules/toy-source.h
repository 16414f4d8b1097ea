/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A toy rule source for the compiler and evaluator tests (and the compile fuzzer): a small
 * struct with one field of each type and shape (index and key arguments, dotted arguments,
 * multi-valued and list-valued fields), and a handful of event types.
 */
#ifndef VG_TESTS_TOY_SOURCE_H
#define VG_TESTS_TOY_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rules/field.h"

enum {
	TOY_OPEN = 1,
	TOY_OPENAT,
	TOY_OPENAT2,
	TOY_EXECVE,
	TOY_EXECVEAT,
	TOY_CONNECT,
	TOY_DUP,
	TOY_DUP2,
	TOY_PTRACE,
	TOY__N,
};

struct toy {
	unsigned type;
	const char *name, *fdname, *exepath, *user, *cid, *flags;
	uint64_t pid;
	bool has_pid;
	int64_t fdnum;
	bool has_fdnum;
	const char *anc[8];
	unsigned n_anc;
	const char *env_k[4], *env_v[4];
	unsigned n_env;
	uint8_t ip[16];
	int ipfam; /* 0: none */
	const char *buf;
	size_t buflen;
	const char *mounts[8];
	unsigned n_mounts;
	int is_read; /* -1: none */
};

static unsigned toy_extract_calls;

enum {
	TF_TYPE,
	TF_NAME,
	TF_PID,
	TF_FDNUM,
	TF_FDNAME,
	TF_ANAME,
	TF_ENV,
	TF_ARG,
	TF_IP,
	TF_BUF,
	TF_MOUNTS,
	TF_READ,
	TF_EXEPATH,
	TF_USER,
	TF_CID,
};

static const char *const toy_evttypes[] = {
	NULL, "open", "openat", "openat2", "execve", "execveat", "connect", "dup", "dup2", "ptrace",
};

static void toy_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			struct vg_extract *x)
{
	const struct toy *t = obj;

	toy_extract_calls++;
	switch (f->id) {
	case TF_TYPE:
		if (t->type && t->type < TOY__N)
			vg_extract_cstr(x, toy_evttypes[t->type]);
		break;
	case TF_NAME:
		vg_extract_cstr(x, t->name);
		break;
	case TF_PID:
		if (t->has_pid)
			vg_extract_uint(x, t->pid);
		break;
	case TF_FDNUM:
		if (t->has_fdnum)
			vg_extract_int(x, t->fdnum);
		break;
	case TF_FDNAME:
		vg_extract_cstr(x, t->fdname);
		break;
	case TF_ANAME:
		if (arg->present) {
			if (arg->index == 0)
				vg_extract_cstr(x, t->name);
			else if (arg->index > 0 && (unsigned)arg->index <= t->n_anc)
				vg_extract_cstr(x, t->anc[arg->index - 1]);
		} else {
			for (unsigned i = 0; i < t->n_anc; i++)
				vg_extract_cstr(x, t->anc[i]);
		}
		break;
	case TF_ENV:
		for (unsigned i = 0; i < t->n_env; i++)
			if (strcmp(t->env_k[i], arg->key) == 0)
				vg_extract_cstr(x, t->env_v[i]);
		break;
	case TF_ARG:
		if (strcmp(arg->key, "flags") == 0)
			vg_extract_cstr(x, t->flags);
		break;
	case TF_IP:
		if (t->ipfam)
			vg_extract_ip(x, t->ipfam, t->ip);
		break;
	case TF_BUF:
		if (t->buf)
			vg_extract_bytes(x, t->buf, t->buflen);
		break;
	case TF_MOUNTS:
		for (unsigned i = 0; i < t->n_mounts; i++)
			vg_extract_cstr(x, t->mounts[i]);
		break;
	case TF_READ:
		if (t->is_read >= 0)
			vg_extract_bool(x, t->is_read);
		break;
	case TF_EXEPATH:
		vg_extract_cstr(x, t->exepath);
		break;
	case TF_USER:
		vg_extract_cstr(x, t->user);
		break;
	case TF_CID:
		vg_extract_cstr(x, t->cid);
		break;
	}
}

static const struct vg_field toy_fields[] = {
	{"evt.type", VG_FT_STR, 0, "event type", toy_extract, TF_TYPE},
	{"proc.name", VG_FT_STR, 0, "name", toy_extract, TF_NAME},
	{"proc.pid", VG_FT_UINT, 0, "pid", toy_extract, TF_PID},
	{"fd.num", VG_FT_INT, 0, "fd", toy_extract, TF_FDNUM},
	{"fd.name", VG_FT_STR, 0, "fd name", toy_extract, TF_FDNAME},
	{"proc.aname", VG_FT_STR, VG_FF_ARG_INDEX | VG_FF_MULTI, "ancestors", toy_extract,
	 TF_ANAME},
	{"proc.env", VG_FT_STR, VG_FF_ARG_KEY | VG_FF_ARG_REQUIRED, "env", toy_extract, TF_ENV},
	{"evt.arg", VG_FT_STR,
	 VG_FF_ARG_KEY | VG_FF_ARG_INDEX | VG_FF_ARG_REQUIRED | VG_FF_DOTTED_ARG, "arg",
	 toy_extract, TF_ARG},
	{"fd.ip", VG_FT_IP, 0, "ip", toy_extract, TF_IP},
	{"evt.buffer", VG_FT_BYTES, 0, "buffer", toy_extract, TF_BUF},
	{"container.mounts", VG_FT_STR, VG_FF_MULTI | VG_FF_LIST, "mounts", toy_extract, TF_MOUNTS},
	{"evt.is_open_read", VG_FT_BOOL, 0, "read", toy_extract, TF_READ},
	{"proc.exepath", VG_FT_STR, 0, "exe", toy_extract, TF_EXEPATH},
	{"user.name", VG_FT_STR, 0, "user", toy_extract, TF_USER},
	{"container.id", VG_FT_STR, 0, "container", toy_extract, TF_CID},
};

static unsigned toy_evttype_of(const void *obj)
{
	return ((const struct toy *)obj)->type;
}

static unsigned toy_evttype_syscall(unsigned t)
{
	return t ? 100 + t : 0;
}

static const struct vg_source toy_source = {
	.name = "toy",
	.fields = toy_fields,
	.n_fields = sizeof(toy_fields) / sizeof(toy_fields[0]),
	.evttypes = toy_evttypes,
	.n_evttypes = TOY__N,
	.evttype_of = toy_evttype_of,
	.evttype_syscall = toy_evttype_syscall,
};

/* A second source with a single event type (like container, image). */
static const struct vg_source toy_cfg_source = {
	.name = "toycfg",
	.fields = toy_fields + 1,
	.n_fields = 4,
};

static inline void toy_register(void)
{
	(void)vg_source_register(&toy_source);
	(void)vg_source_register(&toy_cfg_source);
}

#endif /* VG_TESTS_TOY_SOURCE_H */
