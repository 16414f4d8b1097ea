/* SPDX-License-Identifier: Apache-2.0 */
/*
 * user.* and group.* fields of the `syscall` source.
 *
 * Where names come from: the host's /etc/passwd and /etc/group, parsed once on first use
 * in live mode (never in replay, so that replay does not depend on the machine it runs on),
 * or from files given to vg_syscall_users_load(). uid/gid 0 are "root" everywhere. Processes
 * in containers get names only for 0: their own /etc/passwd is not read (Falco reads it),
 * so other uids are <NA> there, as are unknown uids on the host.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "state/fields-internal.h"

#define USERS_MAX  8192
#define USERS_FILE (4 * 1024 * 1024)

struct pw {
	uint32_t id;
	const char *name, *home, *shell;
};

static struct {
	bool loaded, tried;
	char *pwbuf, *grbuf;
	struct pw *users, *groups;
	size_t n_users, n_groups;
} db;

/* The live lazy load may be reached by several evaluating threads at once (engine/parallel.c):
 * one loads under the lock, the others wait; db_done (atomic) says the attempt was made. */
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static bool db_done;

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(USERS_FILE + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, USERS_FILE, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Parses "name:x:id:gid:gecos:home:shell" lines in place; fields past @nf are ignored. */
static size_t parse(char *buf, bool passwd, struct pw *out, size_t max)
{
	size_t n = 0;

	for (char *line = buf, *next; line && *line && n < max; line = next) {
		char *f[7] = {0};
		unsigned nf = 0;
		char *end;
		unsigned long id;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (char *p = line; nf < 7;) {
			f[nf++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < 3)
			continue;
		errno = 0;
		id = strtoul(f[2], &end, 10);
		if (errno || *end || end == f[2] || id > UINT32_MAX)
			continue;
		out[n].id = (uint32_t)id;
		out[n].name = f[0];
		out[n].home = passwd && nf > 5 ? f[5] : NULL;
		out[n].shell = passwd && nf > 6 ? f[6] : NULL;
		n++;
	}
	return n;
}

static void db_free(void)
{
	free(db.pwbuf);
	free(db.grbuf);
	free(db.users);
	free(db.groups);
	memset(&db, 0, sizeof(db));
	__atomic_store_n(&db_done, false, __ATOMIC_RELEASE);
}

int vg_syscall_users_load(const char *passwd, const char *group)
{
	db_free();
	db.tried = true;
	db.users = calloc(USERS_MAX, sizeof(*db.users));
	db.groups = calloc(USERS_MAX, sizeof(*db.groups));
	if (!db.users || !db.groups) {
		db_free();
		return -ENOMEM;
	}
	db.pwbuf = passwd ? read_all(passwd) : NULL;
	db.grbuf = group ? read_all(group) : NULL;
	if (db.pwbuf)
		db.n_users = parse(db.pwbuf, true, db.users, USERS_MAX);
	if (db.grbuf)
		db.n_groups = parse(db.grbuf, false, db.groups, USERS_MAX);
	db.loaded = true;
	__atomic_store_n(&db_done, true, __ATOMIC_RELEASE);
	return db.pwbuf || db.grbuf ? 0 : -ENOENT;
}

void vg_syscall_users_reset(void)
{
	db_free();
}

static const struct pw *lookup(const struct vg_syscall_obj *o, bool user, uint32_t id)
{
	const struct vg_container *c = o->ctx ? o->ctx->container : NULL;
	const struct pw *tab;
	size_t n;

	if (c && !c->is_host)
		return NULL;
	if (!__atomic_load_n(&db_done, __ATOMIC_ACQUIRE) && o->state && o->state->cfg.live) {
		pthread_mutex_lock(&db_lock);
		if (!db.loaded && !db.tried)
			(void)vg_syscall_users_load("/etc/passwd", "/etc/group");
		__atomic_store_n(&db_done, true, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&db_lock);
	}
	if (!db.loaded)
		return NULL;
	tab = user ? db.users : db.groups;
	n = user ? db.n_users : db.n_groups;
	for (size_t i = 0; i < n; i++)
		if (tab[i].id == id)
			return &tab[i];
	return NULL;
}

const char *vg_sf_user_name(const struct vg_syscall_obj *o, uint32_t uid)
{
	const struct pw *pw = lookup(o, true, uid);

	if (pw)
		return pw->name;
	return uid == 0 ? "root" : NULL;
}

void vg_sf_user(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
		struct vg_extract *x)
{
	const struct vg_syscall_obj *o = obj;
	const struct vg_event_hdr *h = o->e->hdr;
	const struct pw *pw;

	switch (f->id) {
	case F_USER_UID:
		(void)vg_extract_uint(x, h->euid);
		break;
	case F_USER_NAME:
		(void)vg_extract_cstr(x, vg_sf_user_name(o, h->euid));
		break;
	case F_USER_HOMEDIR:
		pw = lookup(o, true, h->euid);
		if (pw && pw->home)
			(void)vg_extract_cstr(x, pw->home);
		else if (!pw && h->euid == 0)
			(void)vg_extract_str(x, "/root", 5);
		break;
	case F_USER_SHELL:
		pw = lookup(o, true, h->euid);
		if (pw && pw->shell)
			(void)vg_extract_cstr(x, pw->shell);
		break;
	case F_USER_PREV_UID:
		if (o->ctx && o->ctx->proc && o->ctx->proc->prev_euid != UINT32_MAX)
			(void)vg_extract_uint(x, o->ctx->proc->prev_euid);
		break;
	case F_USER_LOGINUID:
		(void)vg_extract_int(x, h->loginuid == UINT32_MAX ? -1 : (int64_t)h->loginuid);
		break;
	case F_USER_LOGINNAME:
		if (h->loginuid != UINT32_MAX)
			(void)vg_extract_cstr(x, vg_sf_user_name(o, h->loginuid));
		break;
	case F_GROUP_GID:
		(void)vg_extract_uint(x, h->egid);
		break;
	case F_GROUP_NAME:
		pw = lookup(o, false, h->egid);
		if (pw)
			(void)vg_extract_cstr(x, pw->name);
		else if (h->egid == 0)
			(void)vg_extract_str(x, "root", 4);
		break;
	default:
		break;
	}
}
