/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evt.* fields of the `syscall` source, with Falco's argument names for evt.arg.NAME,
 * evt.arg[N] and evt.args. Arguments are rendered as Falco renders them for rules (flag
 * names joined by '|', errno/signal/ptrace/... names, user names for uids when known).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "basic/macro.h"
#include "basic/string-util.h"
#include "basic/time-util.h"
#include "sensor/names.h"
#include "state/fields-internal.h"

#define K_O_ACCMODE 03
#define K_O_WRONLY  01
#define K_O_RDWR    02
#define K_O_CREAT   0100
#define K_O_TRUNC   01000

const char *vg_sf_abs_path(const struct vg_event *e, unsigned path_id, unsigned base_id, char *buf,
			   size_t size)
{
	const char *p = vg_event_str(e, path_id);

	if (!p)
		return NULL;
	if (vg_path_join_normalize(p[0] == '/' ? NULL : vg_event_str(e, base_id), p, buf, size) < 0)
		return p;
	return buf;
}

/* Argument names per event, in the order evt.arg[N] and evt.args use. */
static const char *const a_open[] = {"fd", "dirfd", "name", "flags", "mode", NULL};
static const char *const a_exec[] = {"filename", "exe",	    "args", "cwd", "tty",
				     "flags",	 "exe_ino", "env",  NULL};
static const char *const a_exec_fail[] = {"filename", "exe", NULL};
static const char *const a_fork[] = {"child_pid", "child_tid", "child_vpid", "flags", NULL};
static const char *const a_exit[] = {"status", "code", "signal", NULL};
static const char *const a_path[] = {"path", NULL};
static const char *const a_unlinkat[] = {"dirfd", "name", "flags", NULL};
static const char *const a_mkdir[] = {"path", "mode", NULL};
static const char *const a_mkdirat[] = {"dirfd", "path", "mode", NULL};
static const char *const a_rename[] = {"oldpath", "newpath", NULL};
static const char *const a_renameat[] = {"olddirfd", "oldpath", "newdirfd", "newpath", NULL};
static const char *const a_symlink[] = {"target", "linkpath", NULL};
static const char *const a_symlinkat[] = {"target", "linkdirfd", "linkpath", NULL};
static const char *const a_chmod[] = {"filename", "mode", NULL};
static const char *const a_fchmod[] = {"fd", "mode", NULL};
static const char *const a_fchmodat[] = {"dirfd", "filename", "mode", NULL};
static const char *const a_chown[] = {"path", "uid", "gid", NULL};
static const char *const a_fchown[] = {"fd", "uid", "gid", NULL};
static const char *const a_fchownat[] = {"dirfd", "pathname", "uid", "gid", "flags", NULL};
static const char *const a_truncate[] = {"path", "length", NULL};
static const char *const a_ftruncate[] = {"fd", "length", NULL};
static const char *const a_fd[] = {"fd", NULL};
static const char *const a_socket[] = {"domain", "type", "proto", "fd", NULL};
static const char *const a_connect[] = {"fd", "tuple", "addr", NULL};
static const char *const a_accept[] = {"fd", "tuple", NULL};
static const char *const a_listen[] = {"fd", "backlog", NULL};
static const char *const a_sendto[] = {"fd", "size", "tuple", "addr", NULL};
static const char *const a_dup[] = {"oldfd", "newfd", "flags", NULL};
static const char *const a_setuid[] = {"uid", NULL};
static const char *const a_setgid[] = {"gid", NULL};
static const char *const a_setreuid[] = {"ruid", "euid", NULL};
static const char *const a_setregid[] = {"rgid", "egid", NULL};
static const char *const a_setresuid[] = {"ruid", "euid", "suid", NULL};
static const char *const a_setresgid[] = {"rgid", "egid", "sgid", NULL};
static const char *const a_capset[] = {"cap_effective", "cap_permitted", NULL};
static const char *const a_ptrace[] = {"request", "pid", NULL};
static const char *const a_prctl[] = {"option", "arg2", "name", NULL};
static const char *const a_setns[] = {"fd", "nstype", "path", NULL};
static const char *const a_mount[] = {"dev", "dir", "type", "flags", NULL};
static const char *const a_umount[] = {"name", "flags", NULL};
static const char *const a_pivot[] = {"new_root", "put_old", NULL};
static const char *const a_init_module[] = {"len", "uargs", NULL};
static const char *const a_finit_module[] = {"fd", "path", "uargs", "flags", NULL};
static const char *const a_bpf[] = {"cmd", "res_or_fd", NULL};
static const char *const a_perf[] = {"type", "config", "pid", "cpu", NULL};
static const char *const a_flags[] = {"flags", NULL};
static const char *const a_memfd[] = {"name", "flags", NULL};
static const char *const a_pid[] = {"pid", NULL};
static const char *const a_kill[] = {"pid", "sig", NULL};
static const char *const a_none[] = {NULL};

static const char *const *arg_names(const struct vg_event_hdr *h)
{
	switch (h->kind) {
	case VG_EV_EXEC:
		return a_exec;
	case VG_EV_FORK:
		return a_fork;
	case VG_EV_EXIT:
		return a_exit;
	default:
		break;
	}
	switch (h->sc) {
	case VG_SC_OPEN:
	case VG_SC_OPENAT:
	case VG_SC_OPENAT2:
	case VG_SC_CREAT:
		return a_open;
	case VG_SC_EXECVE:
	case VG_SC_EXECVEAT:
		return a_exec_fail;
	case VG_SC_UNLINK:
	case VG_SC_RMDIR:
	case VG_SC_CHROOT:
		return a_path;
	case VG_SC_UNLINKAT:
		return a_unlinkat;
	case VG_SC_MKDIR:
		return a_mkdir;
	case VG_SC_MKDIRAT:
		return a_mkdirat;
	case VG_SC_RENAME:
	case VG_SC_LINK:
		return a_rename;
	case VG_SC_RENAMEAT:
	case VG_SC_RENAMEAT2:
	case VG_SC_LINKAT:
		return a_renameat;
	case VG_SC_SYMLINK:
		return a_symlink;
	case VG_SC_SYMLINKAT:
		return a_symlinkat;
	case VG_SC_CHMOD:
		return a_chmod;
	case VG_SC_FCHMOD:
		return a_fchmod;
	case VG_SC_FCHMODAT:
		return a_fchmodat;
	case VG_SC_CHOWN:
	case VG_SC_LCHOWN:
		return a_chown;
	case VG_SC_FCHOWN:
		return a_fchown;
	case VG_SC_FCHOWNAT:
		return a_fchownat;
	case VG_SC_TRUNCATE:
		return a_truncate;
	case VG_SC_FTRUNCATE:
		return a_ftruncate;
	case VG_SC_CLOSE:
		return a_fd;
	case VG_SC_SOCKET:
		return a_socket;
	case VG_SC_CONNECT:
	case VG_SC_BIND:
		return a_connect;
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
		return a_accept;
	case VG_SC_LISTEN:
		return a_listen;
	case VG_SC_SENDTO:
	case VG_SC_SENDMSG:
	case VG_SC_RECVFROM:
	case VG_SC_RECVMSG:
		return a_sendto;
	case VG_SC_DUP:
	case VG_SC_DUP2:
	case VG_SC_DUP3:
		return a_dup;
	case VG_SC_SETUID:
		return a_setuid;
	case VG_SC_SETGID:
		return a_setgid;
	case VG_SC_SETREUID:
		return a_setreuid;
	case VG_SC_SETREGID:
		return a_setregid;
	case VG_SC_SETRESUID:
		return a_setresuid;
	case VG_SC_SETRESGID:
		return a_setresgid;
	case VG_SC_CAPSET:
		return a_capset;
	case VG_SC_PTRACE:
		return a_ptrace;
	case VG_SC_PRCTL:
		return a_prctl;
	case VG_SC_UNSHARE:
	case VG_SC_USERFAULTFD:
		return a_flags;
	case VG_SC_SETNS:
		return a_setns;
	case VG_SC_MOUNT:
		return a_mount;
	case VG_SC_UMOUNT2:
		return a_umount;
	case VG_SC_PIVOT_ROOT:
		return a_pivot;
	case VG_SC_INIT_MODULE:
		return a_init_module;
	case VG_SC_FINIT_MODULE:
		return a_finit_module;
	case VG_SC_BPF:
		return a_bpf;
	case VG_SC_PERF_EVENT_OPEN:
		return a_perf;
	case VG_SC_MEMFD_CREATE:
		return a_memfd;
	case VG_SC_PROCESS_VM_WRITEV:
		return a_pid;
	case VG_SC_KILL:
	case VG_SC_TKILL:
	case VG_SC_TGKILL:
		return a_kill;
	default:
		return a_none;
	}
}

struct out {
	char *buf;
	size_t size, len;
};

static bool put(struct out *o, const char *s)
{
	if (!s)
		return false;
	o->len = vg_strlcpy(o->buf, s, o->size);
	if (o->len >= o->size)
		o->len = o->size ? o->size - 1 : 0;
	return true;
}

static bool VG_PRINTF(2, 3) putf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(o->buf, o->size, fmt, ap);
	va_end(ap);
	if (k < 0)
		return false;
	o->len = VG_MIN((size_t)k, o->size ? o->size - 1 : 0);
	return true;
}

static bool put_int(struct out *o, int64_t v)
{
	return putf(o, "%" PRId64, v);
}

static bool put_name(struct out *o, const char *name, int64_t v)
{
	return name ? put(o, name) : put_int(o, v);
}

static bool put_uid(struct out *o, const struct vg_syscall_obj *obj, uint64_t v)
{
	const char *n = (uint32_t)v == UINT32_MAX ? NULL : vg_sf_user_name(obj, (uint32_t)v);

	return n ? put(o, n) : put_int(o, (int32_t)v);
}

static bool put_path(struct out *o, const struct vg_event *e, unsigned id, unsigned base)
{
	char tmp[VG_PATH_MAX];

	return put(o, vg_sf_abs_path(e, id, base, tmp, sizeof(tmp)));
}

static bool put_mode(struct out *o, uint64_t mode)
{
	o->len = vg_flags_format(&vg_mode_names, mode & 07777, o->buf, o->size);
	return true;
}

static bool put_tuple(struct out *o, const struct vg_event *e, bool accepted)
{
	struct vg_tuple t;

	if (!vg_event_tuple_copy(e, &t))
		return false;
	if (vg_fd_tuple_name(&t, accepted, "", o->buf, o->size) < 0)
		return false;
	o->len = strnlen(o->buf, o->size);
	return true;
}

static bool put_addr(struct out *o, const struct vg_event *e)
{
	const unsigned char *a = (const unsigned char *)e->param[VG_P_ADDR];
	size_t n = e->param_len[VG_P_ADDR];
	char ip[INET6_ADDRSTRLEN];
	uint16_t fam, port;

	if (!a || n < 2)
		return false;
	memcpy(&fam, a, 2);
	if (fam == AF_INET && n >= 8) {
		memcpy(&port, a + 2, 2);
		inet_ntop(AF_INET, a + 4, ip, sizeof(ip));
		return putf(o, "%s:%u", ip, ntohs(port));
	}
	if (fam == AF_INET6 && n >= 24) {
		memcpy(&port, a + 2, 2);
		inet_ntop(AF_INET6, a + 8, ip, sizeof(ip));
		return putf(o, "%s:%u", ip, ntohs(port));
	}
	if (fam == AF_UNIX && n > 2) {
		size_t l = VG_MIN(n - 2, o->size - 1), k = 0;

		for (size_t i = 0; i < l; i++) {
			char c = (char)a[2 + i];

			if (c == '\0' && i > 0 && a[2] != '\0')
				break;
			o->buf[k++] = c ? c : '@';
		}
		o->buf[k] = '\0';
		o->len = k;
		return true;
	}
	return putf(o, "family:%u", fam);
}

/* NUL-separated list joined by spaces, skipping the first @skip entries. */
static bool put_strv(struct out *o, const char *v, size_t len, size_t skip)
{
	size_t i = 0, idx = 0, k = 0;

	if (!v)
		return false;
	while (i < len && k + 1 < o->size) {
		size_t n = strnlen(v + i, len - i);

		if (idx++ >= skip && n) {
			if (k && k + 1 < o->size)
				o->buf[k++] = ' ';
			n = VG_MIN(n, o->size - 1 - k);
			memcpy(o->buf + k, v + i, n);
			k += n;
		}
		i += n + 1;
	}
	o->buf[k] = '\0';
	o->len = k;
	return true;
}

/*
 * evt.arg.flags of opens, the most frequent event: rules such as Falco's "Create files below
 * dev" test it on every open. A process opens with few distinct flag sets, so the formatted
 * text is kept in a small direct-mapped cache instead of being rebuilt name by name.
 */
#define OPEN_FLAGS_CACHE 64
#define OPEN_FLAGS_TEXT	 192

/* n bytes from src (room src_size) to dst (room dst_size): 16 at a time when both have room
 * for the last chunk, so that a flag set is a few register moves, not a string instruction. */
static void copy_text(char *dst, size_t dst_size, const char *src, size_t src_size, size_t n)
{
	size_t whole = (n + 15) & ~(size_t)15;

	if (whole > dst_size || whole > src_size) {
		memcpy(dst, src, n);
		return;
	}
	for (size_t i = 0; i < n; i += 16)
		memcpy(dst + i, src + i, 16);
}

/* The cached text of flags (NUL-terminated, *len bytes), valid until flags of another value
 * take its entry (the next event at the earliest); NULL when it does not fit the cache. */
static const char *open_flags_text(uint64_t flags, size_t *len)
{
	static _Thread_local struct {
		uint64_t flags;
		bool valid;
		uint8_t len;
		char text[OPEN_FLAGS_TEXT];
	} cache[OPEN_FLAGS_CACHE];
	unsigned i = (unsigned)((flags * 0x9e3779b97f4a7c15ULL) >> 58);

	if (!cache[i].valid || cache[i].flags != flags) {
		size_t n = vg_open_flags_format(flags, cache[i].text, sizeof(cache[i].text));

		cache[i].valid = false;
		if (n >= sizeof(cache[i].text) - 1) /* cannot happen with the names we know */
			return NULL;
		cache[i].flags = flags;
		cache[i].len = (uint8_t)n;
		cache[i].valid = true;
	}
	*len = cache[i].len;
	return cache[i].text;
}

static bool put_open_flags(struct out *o, uint64_t flags)
{
	size_t n;
	const char *text = open_flags_text(flags, &n);

	if (!text) {
		o->len = vg_open_flags_format(flags, o->buf, o->size);
		return true;
	}
	o->len = VG_MIN(n, o->size - 1);
	copy_text(o->buf, o->size, text, OPEN_FLAGS_TEXT, o->len);
	o->buf[o->len] = '\0';
	return true;
}

static bool put_exe_flags(struct out *o, uint16_t fl)
{
	size_t k = 0;

	o->buf[0] = '\0';
	if (fl & VG_EVF_EXE_UPPER)
		k += (size_t)snprintf(o->buf + k, o->size - k, "%sEXE_UPPER_LAYER", k ? "|" : "");
	if ((fl & VG_EVF_EXE_LOWER) && k < o->size)
		k += (size_t)snprintf(o->buf + k, o->size - k, "%sEXE_LOWER_LAYER", k ? "|" : "");
	if ((fl & VG_EVF_EXE_MEMFD) && k < o->size)
		k += (size_t)snprintf(o->buf + k, o->size - k, "%sEXE_FROM_MEMFD", k ? "|" : "");
	if (k == 0)
		return put(o, "0");
	o->len = VG_MIN(k, o->size - 1);
	return true;
}

static uint64_t open_flags(const struct vg_event_hdr *h)
{
	switch (h->sc) {
	case VG_SC_OPEN:
		return h->args[1];
	case VG_SC_CREAT:
		return K_O_CREAT | K_O_WRONLY | K_O_TRUNC;
	default:
		return h->args[2];
	}
}

static uint64_t open_mode(const struct vg_event_hdr *h)
{
	switch (h->sc) {
	case VG_SC_OPEN:
		return h->args[2];
	case VG_SC_CREAT:
		return h->args[1];
	default:
		return h->args[3];
	}
}

static bool is_open(const struct vg_event_hdr *h)
{
	return h->kind == VG_EV_SYSCALL && (h->sc == VG_SC_OPEN || h->sc == VG_SC_OPENAT ||
					    h->sc == VG_SC_OPENAT2 || h->sc == VG_SC_CREAT);
}

/* Value of argument @name of the event as text; false when the event has no such argument. */
static bool arg_text(const struct vg_syscall_obj *obj, const char *name, struct out *o)
{
	const struct vg_event *e = obj->e;
	const struct vg_event_hdr *h = e->hdr;
	const __u64 *a = h->args;
	unsigned sc = h->sc;
	bool found = false;

	for (const char *const *n = arg_names(h); *n; n++)
		if (strcmp(*n, name) == 0)
			found = true;
	/* aliases accepted everywhere they make sense */
	if (!found && strcmp(name, "res") == 0)
		return h->kind == VG_EV_EXIT ? false : put_int(o, h->ret);
	if (!found && strcmp(name, "path") == 0 &&
	    (sc == VG_SC_UNLINKAT || sc == VG_SC_CHMOD || sc == VG_SC_FCHMODAT ||
	     sc == VG_SC_FCHOWNAT) &&
	    h->kind == VG_EV_SYSCALL)
		found = true;
	if (!found && strcmp(name, "path") == 0 && h->kind == VG_EV_SYSCALL &&
	    (sc == VG_SC_FCHMOD || sc == VG_SC_FCHOWN || sc == VG_SC_FTRUNCATE))
		return put(o, vg_event_str(e, VG_P_FDPATH));
	if (!found && strcmp(name, "nameraw") == 0 && is_open(h))
		return put(o, vg_event_str(e, VG_P_PATH));
	if (!found)
		return false;

	switch (h->kind) {
	case VG_EV_EXEC:
		if (!strcmp(name, "filename"))
			return put(o, vg_event_str(e, VG_P_FILENAME));
		if (!strcmp(name, "exe"))
			return put(o, vg_event_str(e, VG_P_EXE));
		if (!strcmp(name, "args"))
			return put_strv(o, e->param[VG_P_ARGV], e->param_len[VG_P_ARGV], 1);
		if (!strcmp(name, "cwd"))
			return put(o, vg_event_str(e, VG_P_CWD));
		if (!strcmp(name, "tty"))
			return put_int(o, (int64_t)a[3]);
		if (!strcmp(name, "flags"))
			return put_exe_flags(o, h->flags);
		if (!strcmp(name, "exe_ino"))
			return putf(o, "%" PRIu64, (uint64_t)a[0]);
		if (!strcmp(name, "env"))
			return put_strv(o, e->param[VG_P_ENV], e->param_len[VG_P_ENV], 0);
		return false;
	case VG_EV_FORK:
		if (!strcmp(name, "child_pid"))
			return put_int(o, (int64_t)a[0]);
		if (!strcmp(name, "child_tid"))
			return put_int(o, (int64_t)a[1]);
		if (!strcmp(name, "child_vpid"))
			return put_int(o, (int64_t)a[3]);
		if (!strcmp(name, "flags")) {
			o->len = vg_flags_format(&vg_clone_flag_names, a[2], o->buf, o->size);
			return true;
		}
		return false;
	case VG_EV_EXIT:
		if (!strcmp(name, "status"))
			return put_int(o, h->ret);
		if (!strcmp(name, "code"))
			return put_int(o, (h->ret >> 8) & 0xff);
		if (!strcmp(name, "signal")) {
			if (!(h->ret & 0x7f))
				return false;
			o->len = vg_signal_format(h->ret & 0x7f, o->buf, o->size);
			return true;
		}
		return false;
	default:
		break;
	}

	/* fd-like and generic numeric names */
	if (!strcmp(name, "fd")) {
		if (sc == VG_SC_OPEN || sc == VG_SC_OPENAT || sc == VG_SC_OPENAT2 ||
		    sc == VG_SC_CREAT || sc == VG_SC_SOCKET || sc == VG_SC_ACCEPT ||
		    sc == VG_SC_ACCEPT4)
			return put_int(o, h->ret);
		return put_int(o, (int32_t)a[0]);
	}
	if (!strcmp(name, "dirfd") || !strcmp(name, "olddirfd")) {
		if (sc == VG_SC_OPEN || sc == VG_SC_CREAT)
			return false;
		return (int32_t)a[0] == -100 ? put(o, "AT_FDCWD") : put_int(o, (int32_t)a[0]);
	}
	if (!strcmp(name, "newdirfd") || !strcmp(name, "linkdirfd")) {
		int32_t d = (int32_t)(sc == VG_SC_SYMLINKAT ? a[1] : a[2]);

		return d == -100 ? put(o, "AT_FDCWD") : put_int(o, d);
	}

	switch (sc) {
	case VG_SC_OPEN:
	case VG_SC_OPENAT:
	case VG_SC_OPENAT2:
	case VG_SC_CREAT:
		if (!strcmp(name, "name")) {
			/* lexical, as Falco: symlinks in the path are not followed */
			if (!vg_event_str(e, VG_P_PATH))
				return put(o, vg_event_str(e, VG_P_RESOLVED));
			return put_path(o, e, VG_P_PATH, VG_P_BASE);
		}
		if (!strcmp(name, "flags"))
			return put_open_flags(o, open_flags(h));
		if (!strcmp(name, "mode"))
			return put_mode(o, open_mode(h));
		return false;
	case VG_SC_EXECVE:
	case VG_SC_EXECVEAT:
		if (!strcmp(name, "filename"))
			return put(o, vg_event_str(e, VG_P_PATH));
		return put_path(o, e, VG_P_PATH, VG_P_BASE); /* exe */
	case VG_SC_UNLINK:
	case VG_SC_RMDIR:
	case VG_SC_CHROOT:
	case VG_SC_UNLINKAT:
	case VG_SC_MKDIR:
	case VG_SC_MKDIRAT:
	case VG_SC_CHMOD:
	case VG_SC_FCHMODAT:
	case VG_SC_CHOWN:
	case VG_SC_LCHOWN:
	case VG_SC_FCHOWNAT:
	case VG_SC_TRUNCATE:
		if (!strcmp(name, "mode"))
			return put_mode(o, sc == VG_SC_MKDIR || sc == VG_SC_CHMOD ? a[1] : a[2]);
		if (!strcmp(name, "flags"))
			return put_int(o, (int64_t)(sc == VG_SC_FCHOWNAT ? a[4] : a[2]));
		if (!strcmp(name, "uid"))
			return put_uid(o, obj, sc == VG_SC_FCHOWNAT ? a[2] : a[1]);
		if (!strcmp(name, "gid"))
			return put_int(o, (int32_t)(sc == VG_SC_FCHOWNAT ? a[3] : a[2]));
		if (!strcmp(name, "length"))
			return put_int(o, (int64_t)a[1]);
		return put_path(o, e, VG_P_PATH, VG_P_BASE); /* path, name, filename, pathname */
	case VG_SC_RENAME:
	case VG_SC_RENAMEAT:
	case VG_SC_RENAMEAT2:
	case VG_SC_LINK:
	case VG_SC_LINKAT:
		if (!strcmp(name, "oldpath"))
			return put_path(o, e, VG_P_PATH, VG_P_BASE);
		return put_path(o, e, VG_P_PATH2, VG_P_BASE2);
	case VG_SC_SYMLINK:
	case VG_SC_SYMLINKAT:
		if (!strcmp(name, "target"))
			return put(o, vg_event_str(e, VG_P_PATH));
		return put_path(o, e, VG_P_PATH2, VG_P_BASE2);
	case VG_SC_FCHMOD:
		return put_mode(o, a[1]);
	case VG_SC_FCHOWN:
		return !strcmp(name, "uid") ? put_uid(o, obj, a[1]) : put_int(o, (int32_t)a[2]);
	case VG_SC_FTRUNCATE:
		return put_int(o, (int64_t)a[1]);
	case VG_SC_SOCKET:
		if (!strcmp(name, "domain"))
			return put_name(o, vg_family_name(a[0]), (int64_t)a[0]);
		if (!strcmp(name, "type")) {
			const char *ty = vg_sock_type_name(a[1]);
			char fl[96];

			if (!(a[1] & ~(uint64_t)0xf))
				return put_name(o, ty, (int64_t)a[1]);
			(void)vg_flags_format(&vg_sock_flag_names, a[1] & ~(uint64_t)0xf, fl,
					      sizeof(fl));
			return putf(o, "%s|%s", ty ? ty : "0", fl);
		}
		return put_int(o, (int32_t)a[2]); /* proto */
	case VG_SC_CONNECT:
	case VG_SC_BIND:
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
	case VG_SC_LISTEN:
	case VG_SC_SENDTO:
	case VG_SC_SENDMSG:
	case VG_SC_RECVFROM:
	case VG_SC_RECVMSG:
		if (!strcmp(name, "tuple"))
			return put_tuple(o, e, sc == VG_SC_ACCEPT || sc == VG_SC_ACCEPT4);
		if (!strcmp(name, "addr"))
			return put_addr(o, e);
		if (!strcmp(name, "backlog"))
			return put_int(o, (int32_t)a[1]);
		return putf(o, "%" PRIu64, (uint64_t)a[2]); /* size */
	case VG_SC_DUP:
	case VG_SC_DUP2:
	case VG_SC_DUP3:
		if (!strcmp(name, "oldfd"))
			return put_int(o, (int32_t)a[0]);
		if (!strcmp(name, "newfd"))
			return put_int(o, sc == VG_SC_DUP ? h->ret : (int32_t)a[1]);
		if (sc != VG_SC_DUP3)
			return false;
		return put(o, (a[2] & 02000000) ? "O_CLOEXEC" : "0");
	case VG_SC_SETUID:
	case VG_SC_SETREUID:
	case VG_SC_SETRESUID: {
		unsigned i = !strcmp(name, "euid") ? 1 : !strcmp(name, "suid") ? 2 : 0;

		return put_uid(o, obj, a[i]);
	}
	case VG_SC_SETGID:
	case VG_SC_SETREGID:
	case VG_SC_SETRESGID: {
		unsigned i = !strcmp(name, "egid") ? 1 : !strcmp(name, "sgid") ? 2 : 0;

		return put_int(o, (int32_t)a[i]);
	}
	case VG_SC_CAPSET:
		o->len = vg_caps_format(!strcmp(name, "cap_effective") ? h->cap_eff : h->cap_prm,
					o->buf, o->size);
		return true;
	case VG_SC_PTRACE:
		if (!strcmp(name, "request"))
			return put_name(o, vg_ptrace_request_name(a[0]), (int64_t)a[0]);
		return put_int(o, (int32_t)a[1]);
	case VG_SC_PRCTL:
		if (!strcmp(name, "option"))
			return put_name(o, vg_prctl_option_name(a[0]), (int64_t)a[0]);
		if (!strcmp(name, "arg2"))
			return putf(o, "%" PRIu64, (uint64_t)a[1]);
		return put(o, vg_event_str(e, VG_P_NAME));
	case VG_SC_UNSHARE:
		o->len = vg_flags_format(&vg_clone_flag_names, a[0], o->buf, o->size);
		return true;
	case VG_SC_USERFAULTFD:
		o->len = vg_flags_format(&vg_uffd_flag_names, a[0], o->buf, o->size);
		return true;
	case VG_SC_SETNS: {
		const char *p = vg_event_str(e, VG_P_FDPATH);

		if (!strcmp(name, "nstype")) {
			o->len = vg_flags_format(&vg_clone_flag_names, a[1], o->buf, o->size);
			return true;
		}
		if (p && p[0] != '/')
			return putf(o, "%s:[%" PRIu64 "]", p, (uint64_t)a[2]);
		return put(o, p);
	}
	case VG_SC_MOUNT:
		if (!strcmp(name, "dev"))
			return put(o, vg_event_str(e, VG_P_PATH));
		if (!strcmp(name, "dir"))
			return put_path(o, e, VG_P_PATH2, VG_P_BASE2);
		if (!strcmp(name, "type"))
			return put(o, vg_event_str(e, VG_P_FSTYPE));
		o->len = vg_flags_format(&vg_mount_flag_names, a[3] & 0xffffffffu, o->buf, o->size);
		return true;
	case VG_SC_UMOUNT2:
		if (!strcmp(name, "name"))
			return put(o, vg_event_str(e, VG_P_PATH));
		o->len = vg_flags_format(&vg_umount_flag_names, a[1], o->buf, o->size);
		return true;
	case VG_SC_PIVOT_ROOT:
		return put(o, vg_event_str(e, !strcmp(name, "new_root") ? VG_P_PATH : VG_P_PATH2));
	case VG_SC_INIT_MODULE:
		if (!strcmp(name, "len"))
			return putf(o, "%" PRIu64, (uint64_t)a[1]);
		return put(o, vg_event_str(e, VG_P_DATA));
	case VG_SC_FINIT_MODULE:
		if (!strcmp(name, "path"))
			return put(o, vg_event_str(e, VG_P_FDPATH));
		if (!strcmp(name, "uargs"))
			return put(o, vg_event_str(e, VG_P_DATA));
		return putf(o, "%" PRIu64, (uint64_t)a[2]);
	case VG_SC_BPF:
		if (!strcmp(name, "cmd"))
			return put_name(o, vg_bpf_cmd_name(a[0]), (int64_t)a[0]);
		return put_int(o, h->ret);
	case VG_SC_PERF_EVENT_OPEN: {
		uint32_t type = 0;
		uint64_t config = 0;

		if (e->param[VG_P_DATA] && e->param_len[VG_P_DATA] >= 16) {
			memcpy(&type, e->param[VG_P_DATA], 4);
			memcpy(&config, e->param[VG_P_DATA] + 8, 8);
		}
		if (!strcmp(name, "type"))
			return putf(o, "%u", type);
		if (!strcmp(name, "config"))
			return putf(o, "%" PRIu64, config);
		return put_int(o, (int32_t)(!strcmp(name, "pid") ? a[1] : a[2]));
	}
	case VG_SC_MEMFD_CREATE:
		if (!strcmp(name, "name"))
			return put(o, vg_event_str(e, VG_P_NAME));
		o->len = vg_flags_format(&vg_memfd_flag_names, a[1], o->buf, o->size);
		return true;
	case VG_SC_PROCESS_VM_WRITEV:
		return put_int(o, (int32_t)a[0]);
	case VG_SC_KILL:
	case VG_SC_TKILL:
	case VG_SC_TGKILL:
		if (!strcmp(name, "pid"))
			return put_int(o, (int32_t)a[0]);
		o->len = vg_signal_format((int32_t)(sc == VG_SC_TGKILL ? a[2] : a[1]), o->buf,
					  o->size);
		return true;
	default:
		return false;
	}
}

/* Numeric value of an argument for evt.rawarg; false when not numeric or absent. */
static bool arg_raw(const struct vg_syscall_obj *obj, const char *name, int64_t *ret)
{
	const struct vg_event_hdr *h = obj->e->hdr;

	if (!strcmp(name, "res") && h->kind != VG_EV_EXIT) {
		*ret = h->ret;
		return true;
	}
	if (is_open(h) && !strcmp(name, "flags")) {
		*ret = (int64_t)open_flags(h);
		return true;
	}
	if (is_open(h) && !strcmp(name, "mode")) {
		*ret = (int64_t)open_mode(h);
		return true;
	}
	if (h->kind == VG_EV_EXEC || h->kind == VG_EV_FORK || h->kind == VG_EV_EXIT)
		return false;
	switch (h->sc) {
	case VG_SC_PTRACE:
		if (!strcmp(name, "request")) {
			*ret = (int64_t)h->args[0];
			return true;
		}
		break;
	case VG_SC_BPF:
		if (!strcmp(name, "cmd")) {
			*ret = (int64_t)h->args[0];
			return true;
		}
		break;
	case VG_SC_SOCKET:
		if (!strcmp(name, "domain") || !strcmp(name, "type") || !strcmp(name, "proto")) {
			*ret = (int64_t)h->args[name[0] == 'd' ? 0 : name[0] == 't' ? 1 : 2];
			return true;
		}
		break;
	case VG_SC_SETUID:
	case VG_SC_SETGID:
		*ret = (int32_t)h->args[0];
		return true;
	case VG_SC_UNSHARE:
		*ret = (int64_t)h->args[0];
		return true;
	default:
		break;
	}
	return false;
}

static bool extract_arg(const struct vg_syscall_obj *o, const char *name, struct vg_extract *x)
{
	struct out out;

	out.buf = vg_extract_buf(x, &out.size);
	out.len = 0;
	if (!out.buf || out.size < 2) {
		x->overflow = true;
		return false;
	}
	out.buf[0] = '\0';
	if (!arg_text(o, name, &out))
		return false;
	return vg_extract_commit(x, out.len);
}

/* All arguments as "name=value name=value". */
static void extract_args(const struct vg_syscall_obj *o, struct vg_extract *x)
{
	struct out out;
	size_t room, len = 0;
	char *buf = vg_extract_buf(x, &room);

	if (!buf || room < 2) {
		x->overflow = true;
		return;
	}
	buf[0] = '\0';
	for (const char *const *n = arg_names(o->e->hdr); *n; n++) {
		size_t nl = strlen(*n);

		if (len + nl + 3 >= room)
			break;
		out.buf = buf + len + (len ? 1 : 0) + nl + 1;
		out.size = room - (size_t)(out.buf - buf);
		out.len = 0;
		out.buf[0] = '\0';
		if (!arg_text(o, *n, &out))
			continue;
		if (len)
			buf[len++] = ' ';
		memcpy(buf + len, *n, nl);
		buf[len + nl] = '=';
		len += nl + 1 + out.len;
	}
	(void)vg_extract_commit(x, len);
}

static const char *category(const struct vg_event_hdr *h)
{
	if (h->kind != VG_EV_SYSCALL)
		return "process";
	switch (h->sc) {
	case VG_SC_SOCKET:
	case VG_SC_CONNECT:
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
	case VG_SC_BIND:
	case VG_SC_LISTEN:
	case VG_SC_SENDTO:
	case VG_SC_SENDMSG:
	case VG_SC_RECVFROM:
	case VG_SC_RECVMSG:
		return "net";
	case VG_SC_EXECVE:
	case VG_SC_EXECVEAT:
	case VG_SC_CLONE:
	case VG_SC_CLONE3:
	case VG_SC_FORK:
	case VG_SC_VFORK:
	case VG_SC_PRCTL:
	case VG_SC_PTRACE:
	case VG_SC_PROCESS_VM_WRITEV:
	case VG_SC_UNSHARE:
	case VG_SC_SETNS:
		return "process";
	case VG_SC_SETUID:
	case VG_SC_SETGID:
	case VG_SC_SETREUID:
	case VG_SC_SETREGID:
	case VG_SC_SETRESUID:
	case VG_SC_SETRESGID:
	case VG_SC_CAPSET:
	case VG_SC_BPF:
	case VG_SC_INIT_MODULE:
	case VG_SC_FINIT_MODULE:
	case VG_SC_PERF_EVENT_OPEN:
	case VG_SC_USERFAULTFD:
		return "security";
	case VG_SC_KILL:
	case VG_SC_TKILL:
	case VG_SC_TGKILL:
		return "signal";
	default:
		return "file";
	}
}

static uint64_t realtime(const struct vg_syscall_obj *o)
{
	int64_t t = (int64_t)o->e->hdr->ts + o->boot_offset_ns;

	return t > 0 ? (uint64_t)t : 0;
}

static void extract_time(const struct vg_syscall_obj *o, int id, struct vg_extract *x)
{
	uint64_t t = realtime(o);
	char iso[64];

	/* "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" */
	if (vg_format_iso8601(t, iso, sizeof(iso)) < 0 || strlen(iso) < 30)
		return;
	switch (id) {
	case F_EVT_TIME:
		(void)vg_extract_strdup(x, iso + 11, 18);
		break;
	case F_EVT_TIME_S:
		(void)vg_extract_strdup(x, iso + 11, 8);
		break;
	case F_EVT_TIME_ISO8601:
		(void)vg_extract_strdup(x, iso, strlen(iso));
		break;
	case F_EVT_DATETIME:
		(void)vg_extract_printf(x, "%.10s %.18s", iso, iso + 11);
		break;
	case F_EVT_DATETIME_S:
		(void)vg_extract_printf(x, "%.10s %.8s", iso, iso + 11);
		break;
	default:
		break;
	}
}

/* evt.abspath; apart (and not inlined) so that its path buffer is not in the frame of every
 * evt.* extraction. */
static __attribute__((noinline)) void extract_abspath(const struct vg_syscall_obj *o,
						       const struct vg_field_arg *arg,
						       struct vg_extract *x)
{
	const struct vg_event_hdr *h = o->e->hdr;
	char tmp[VG_PATH_MAX];
	const char *p = NULL;
	bool dst = arg && arg->present && (!strcmp(arg->key, "dst") || !strcmp(arg->key, "target"));

	if (h->kind != VG_EV_SYSCALL)
		return;
	p = vg_sf_abs_path(o->e, dst ? VG_P_PATH2 : VG_P_PATH, dst ? VG_P_BASE2 : VG_P_BASE, tmp,
			   sizeof(tmp));
	if (!p && is_open(h))
		p = vg_event_str(o->e, VG_P_RESOLVED);
	if (p)
		(void)vg_extract_strdup(x, p, strlen(p));
}

/* evt.* field id; inlined with a constant id in the fields' own extractors (below). */
static inline __attribute__((always_inline)) void extract_evt(int id,
							      const struct vg_field_arg *arg,
							      const struct vg_syscall_obj *o,
							      struct vg_extract *x)
{
	const struct vg_event_hdr *h = o->e->hdr;
	bool failed = h->kind == VG_EV_SYSCALL && h->ret < 0 && h->ret >= -4095;

	switch (id) {
	case F_EVT_NUM:
		(void)vg_extract_uint(x, o->num);
		break;
	case F_EVT_TIME:
	case F_EVT_TIME_S:
	case F_EVT_TIME_ISO8601:
	case F_EVT_DATETIME:
	case F_EVT_DATETIME_S:
		extract_time(o, id, x);
		break;
	case F_EVT_RAWTIME:
		(void)vg_extract_uint(x, realtime(o));
		break;
	case F_EVT_RAWTIME_S:
		(void)vg_extract_uint(x, realtime(o) / 1000000000ull);
		break;
	case F_EVT_RAWTIME_NS:
		(void)vg_extract_uint(x, realtime(o) % 1000000000ull);
		break;
	case F_EVT_HOSTNAME:
		(void)vg_extract_cstr(x, o->hostname);
		break;
	case F_EVT_SOURCE:
		(void)vg_extract_str(x, "syscall", 7);
		break;
	case F_EVT_TYPE:
		(void)vg_extract_cstr(x, vg_event_type_name(o->e));
		break;
	case F_EVT_DIR:
		(void)vg_extract_str(x, "<", 1);
		break;
	case F_EVT_RES:
		if (h->kind == VG_EV_EXIT)
			break;
		if (!failed) {
			(void)vg_extract_str(x, "SUCCESS", 7);
		} else {
			const char *n = vg_errno_name((int)-h->ret);

			if (n)
				(void)vg_extract_cstr(x, n);
			else
				(void)vg_extract_printf(x, "E%" PRId64, -(int64_t)h->ret);
		}
		break;
	case F_EVT_RAWRES:
		if (h->kind != VG_EV_EXIT)
			(void)vg_extract_int(x, h->ret);
		break;
	case F_EVT_FAILED:
		(void)vg_extract_bool(x, failed);
		break;
	case F_EVT_IS_OPEN_READ:
		(void)vg_extract_bool(x, is_open(h) && (open_flags(h) & K_O_ACCMODE) != K_O_WRONLY);
		break;
	case F_EVT_IS_OPEN_WRITE:
		(void)vg_extract_bool(x, is_open(h) && (open_flags(h) & (K_O_WRONLY | K_O_RDWR)));
		break;
	case F_EVT_IS_OPEN_EXEC:
		(void)vg_extract_bool(x, is_open(h) && (open_flags(h) & K_O_CREAT) &&
						 (open_mode(h) & 0111));
		break;
	case F_EVT_IS_OPEN_CREATE:
		(void)vg_extract_bool(x, is_open(h) && (open_flags(h) & K_O_CREAT));
		break;
	case F_EVT_ARGS:
	case F_EVT_INFO:
		extract_args(o, x);
		break;
	case F_EVT_ARG: {
		const char *name = arg && arg->present ? arg->key : NULL;

		if (!name)
			break;
		/* The one argument Falco's rules test on every open (O_CREAT, O_TRUNC...): no
		 * name lookup. */
		if (!arg->is_index && is_open(h) && memcmp(name, "flags", 6) == 0) {
			uint64_t flags = open_flags(h);
			size_t n, room;
			const char *text = open_flags_text(flags, &n);
			char *buf;

			if (text) { /* lives longer than this event's evaluation: no copy */
				(void)vg_extract_str(x, text, n);
				break;
			}
			buf = vg_extract_buf(x, &room);
			if (!buf || room < 2)
				x->overflow = true;
			else
				(void)vg_extract_commit(x, vg_open_flags_format(flags, buf, room));
			break;
		}
		if (arg->is_index) {
			const char *const *names = arg_names(h);
			int64_t i = 0;

			name = NULL;
			for (const char *const *n = names; *n; n++, i++)
				if (i == arg->index)
					name = *n;
			if (!name)
				break;
		}
		(void)extract_arg(o, name, x);
		break;
	}
	case F_EVT_RAWARG: {
		int64_t v;

		if (arg && arg->present && arg_raw(o, arg->key, &v))
			(void)vg_extract_int(x, v);
		break;
	}
	case F_EVT_CATEGORY:
		(void)vg_extract_cstr(x, category(h));
		break;
	case F_EVT_ABSPATH:
		extract_abspath(o, arg, x);
		break;
	case F_EVT_IS_IO:
	case F_EVT_IS_IO_READ:
	case F_EVT_IS_IO_WRITE:
	case F_EVT_IS_WAIT:
	case F_EVT_IS_SYSLOG:
		(void)vg_extract_bool(x, false);
		break;
	case F_EVT_BUFFER:
	case F_EVT_BUFLEN:
		/* The first VG_SNAPLEN bytes sent or received (sendto, recvfrom). */
		if ((h->sc == VG_SC_SENDTO || h->sc == VG_SC_RECVFROM) &&
		    h->kind == VG_EV_SYSCALL && o->e->param[VG_P_DATA]) {
			if (id == F_EVT_BUFFER)
				(void)vg_extract_bytes(x, o->e->param[VG_P_DATA],
						       o->e->param_len[VG_P_DATA]);
			else
				(void)vg_extract_uint(x, o->e->param_len[VG_P_DATA]);
		}
		break;
	default: /* evt.pluginname, evt.cpu, evt.latency: <NA> */
		break;
	}
}

void vg_sf_evt(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
	       struct vg_extract *x)
{
	extract_evt(f->id, arg, obj, x);
}

void vg_sf_evt_is_open_read(const struct vg_field *f, const struct vg_field_arg *arg,
			    const void *obj, struct vg_extract *x)
{
	(void)f;
	extract_evt(F_EVT_IS_OPEN_READ, arg, obj, x);
}

void vg_sf_evt_is_open_write(const struct vg_field *f, const struct vg_field_arg *arg,
			     const void *obj, struct vg_extract *x)
{
	(void)f;
	extract_evt(F_EVT_IS_OPEN_WRITE, arg, obj, x);
}

void vg_sf_evt_arg(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
		   struct vg_extract *x)
{
	(void)f;
	extract_evt(F_EVT_ARG, arg, obj, x);
}
