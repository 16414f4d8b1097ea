/* SPDX-License-Identifier: Apache-2.0 */
/* Event formatter (see event-format.h and docs/events.md). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "basic/string-util.h"
#include "basic/time-util.h"
#include "output/event-format.h"
#include "sensor/names.h"

/* ---- the emitter: one code path for both formats ---- */

struct fmt {
	struct vg_strbuf *sb;
	bool json;
	unsigned n; /* args written */
	int r; /* sticky error */
};

static void put(struct fmt *f, const char *s)
{
	if (f->r >= 0)
		f->r = vg_strbuf_puts(f->sb, s);
}

static void putn(struct fmt *f, const char *s, size_t n)
{
	if (f->r >= 0)
		f->r = vg_strbuf_append(f->sb, s, n);
}

static void VG_PRINTF(2, 3) putf(struct fmt *f, const char *fmt, ...)
{
	va_list ap;

	if (f->r < 0)
		return;
	va_start(ap, fmt);
	f->r = vg_strbuf_vprintf(f->sb, fmt, ap);
	va_end(ap);
}

static void json_str(struct fmt *f, const char *s, size_t n)
{
	if (f->r >= 0)
		f->r = vg_strbuf_put_json_string(f->sb, s, n);
}

/* Text values: quoted when empty or containing space, quote, '=' or control bytes. */
static void text_str(struct fmt *f, const char *s, size_t n)
{
	bool quote = n == 0;

	for (size_t i = 0; i < n && !quote; i++) {
		unsigned char c = (unsigned char)s[i];

		quote = c <= ' ' || c == '"' || c == '\\' || c == 0x7f;
	}
	if (!quote) {
		putn(f, s, n);
		return;
	}
	put(f, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			putf(f, "\\%c", c);
		else if (c < ' ' || c == 0x7f)
			putf(f, "\\x%02x", c);
		else
			putn(f, (const char *)&c, 1);
	}
	put(f, "\"");
}

static void key(struct fmt *f, const char *k)
{
	if (f->json)
		putf(f, "%s\"%s\":", f->n ? "," : "", k);
	else
		putf(f, " %s=", k);
	f->n++;
}

static void arg_int(struct fmt *f, const char *k, int64_t v)
{
	key(f, k);
	putf(f, "%" PRId64, v);
}

static void arg_uint(struct fmt *f, const char *k, uint64_t v)
{
	key(f, k);
	putf(f, "%" PRIu64, v);
}

static void arg_str(struct fmt *f, const char *k, const char *s)
{
	if (!s)
		return;
	key(f, k);
	if (f->json)
		json_str(f, s, strlen(s));
	else
		text_str(f, s, strlen(s));
}

static void arg_mode(struct fmt *f, const char *k, uint64_t v)
{
	key(f, k);
	if (f->json)
		putf(f, "%" PRIu64, v & 07777777);
	else
		putf(f, "%#" PRIo64, v & 07777777);
}

static void arg_hex(struct fmt *f, const char *k, uint64_t v)
{
	key(f, k);
	putf(f, f->json ? "\"0x%" PRIx64 "\"" : "0x%" PRIx64, v);
}

static void arg_flags(struct fmt *f, const char *k, const struct vg_flag_set *set, uint64_t v)
{
	char buf[512];

	(void)vg_flags_format(set, v, buf, sizeof(buf));
	arg_str(f, k, buf);
}

static void arg_open_flags(struct fmt *f, const char *k, uint64_t v)
{
	char buf[512];

	(void)vg_open_flags_format(v, buf, sizeof(buf));
	arg_str(f, k, buf);
}

static void arg_name(struct fmt *f, const char *k, const char *name, int64_t v)
{
	if (name) {
		arg_str(f, k, name);
	} else {
		char buf[32];

		(void)snprintf(buf, sizeof(buf), "%" PRId64, v);
		arg_str(f, k, buf);
	}
}

static void arg_signal(struct fmt *f, const char *k, int64_t sig)
{
	char buf[32];

	(void)vg_signal_format(sig, buf, sizeof(buf));
	arg_str(f, k, buf);
}

/* NUL-separated list as a JSON array or space-joined text. */
static void arg_strv(struct fmt *f, const char *k, const char *v, size_t len, size_t skip)
{
	size_t i = 0, idx = 0, w = 0;

	key(f, k);
	if (f->json)
		put(f, "[");
	else if (f->r >= 0) {
		/* text: one value, joined by spaces, quoted as a whole */
		char buf[VG_ARGV_BYTES_MAX + 1];
		size_t bl = 0;

		while (v && i < len) {
			size_t n = strnlen(v + i, len - i);

			if (idx++ >= skip && bl + n + 1 < sizeof(buf)) {
				if (bl)
					buf[bl++] = ' ';
				memcpy(buf + bl, v + i, n);
				bl += n;
			}
			i += n + 1;
		}
		text_str(f, buf, bl);
		return;
	}
	while (v && i < len) {
		size_t n = strnlen(v + i, len - i);

		if (idx++ >= skip) {
			if (w++)
				put(f, ",");
			json_str(f, v + i, n);
		}
		i += n + 1;
	}
	put(f, "]");
}

/* Absolute path: RESOLVED when present (for open), else BASE joined with PATH. */
static const char *abs_path(const struct vg_event *e, enum vg_param_id path_id,
			    enum vg_param_id base_id, bool use_resolved, char *buf, size_t size)
{
	const char *p = vg_event_str(e, path_id);
	const char *res = use_resolved ? vg_event_str(e, VG_P_RESOLVED) : NULL;

	if (res)
		return res;
	if (!p)
		return NULL;
	if (vg_path_join_normalize(p[0] == '/' ? NULL : vg_event_str(e, base_id), p, buf, size) < 0)
		return p;
	return buf;
}

static void tuple_text(const struct vg_tuple *t, bool accepted, const char *unix_path, char *buf,
		       size_t size)
{
	if (vg_fd_tuple_name(t, accepted, unix_path, buf, size) < 0)
		buf[0] = '\0';
}

/* A raw sockaddr from ADDR as "ip:port" or a unix path. */
static const char *addr_text(const struct vg_event *e, char *buf, size_t size)
{
	const unsigned char *a = (const unsigned char *)e->param[VG_P_ADDR];
	size_t n = e->param_len[VG_P_ADDR];
	char ip[INET6_ADDRSTRLEN];
	uint16_t fam, port;

	if (!a || n < 2)
		return NULL;
	memcpy(&fam, a, 2);
	if (fam == AF_INET && n >= 8) {
		memcpy(&port, a + 2, 2);
		inet_ntop(AF_INET, a + 4, ip, sizeof(ip));
		(void)snprintf(buf, size, "%s:%u", ip, ntohs(port));
	} else if (fam == AF_INET6 && n >= 24) {
		memcpy(&port, a + 2, 2);
		inet_ntop(AF_INET6, a + 8, ip, sizeof(ip));
		(void)snprintf(buf, size, "%s:%u", ip, ntohs(port));
	} else if (fam == AF_UNIX) {
		size_t l = n - 2, k = 0;

		if (l > 0 && a[2] == '\0') {
			buf[k++] = '@';
			for (size_t i = 1; i < l && k + 1 < size; i++)
				buf[k++] = a[2 + i] ? (char)a[2 + i] : '@';
			buf[k] = '\0';
		} else {
			l = strnlen((const char *)a + 2, VG_MIN(l, size - 1));
			memcpy(buf, a + 2, l);
			buf[l] = '\0';
		}
	} else {
		(void)snprintf(buf, size, "family:%u", fam);
	}
	return buf;
}

static void args_open(struct fmt *f, const struct vg_event *e)
{
	const struct vg_event_hdr *h = e->hdr;
	char buf[VG_PATH_MAX];
	uint64_t flags, mode;
	int64_t dirfd = -100;

	switch (h->sc) {
	case VG_SC_OPEN:
		flags = h->args[1];
		mode = h->args[2];
		break;
	case VG_SC_CREAT:
		flags = 0100 | 01 | 01000;
		mode = h->args[1];
		break;
	default: /* openat, openat2 (args[2], args[3] = how.flags, how.mode) */
		dirfd = (int32_t)h->args[0];
		flags = h->args[2];
		mode = h->args[3];
		break;
	}
	arg_str(f, "name", abs_path(e, VG_P_PATH, VG_P_BASE, true, buf, sizeof(buf)));
	arg_str(f, "nameraw", vg_event_str(e, VG_P_PATH));
	arg_open_flags(f, "flags", flags);
	arg_mode(f, "mode", mode);
	arg_int(f, "dirfd", dirfd);
	if (h->ret >= 0)
		arg_int(f, "fd", h->ret);
}

static void args_exec(struct fmt *f, const struct vg_event *e)
{
	const struct vg_event_hdr *h = e->hdr;
	char buf[VG_PATH_MAX];

	if (h->kind != VG_EV_EXEC) {
		/* failed execve: a syscall record with the path as passed */
		arg_str(f, "filename", vg_event_str(e, VG_P_PATH));
		arg_str(f, "exe", abs_path(e, VG_P_PATH, VG_P_BASE, false, buf, sizeof(buf)));
		return;
	}
	arg_str(f, "filename", vg_event_str(e, VG_P_FILENAME));
	arg_str(f, "exe", vg_event_str(e, VG_P_EXE));
	arg_strv(f, "args", e->param[VG_P_ARGV], e->param_len[VG_P_ARGV], 1);
	arg_str(f, "cwd", vg_event_str(e, VG_P_CWD));
	arg_uint(f, "exe_ino", h->args[0]);
	{
		char fl[64] = "";
		size_t n = 0;

		if (h->flags & VG_EVF_EXE_UPPER)
			n += (size_t)snprintf(fl + n, sizeof(fl) - n, "EXE_UPPER_LAYER%c", 0);
		if (h->flags & VG_EVF_EXE_LOWER)
			n += (size_t)snprintf(fl + n, sizeof(fl) - n, "EXE_LOWER_LAYER%c", 0);
		if (h->flags & VG_EVF_EXE_MEMFD)
			n += (size_t)snprintf(fl + n, sizeof(fl) - n, "EXE_FROM_MEMFD%c", 0);
		arg_strv(f, "exe_flags", fl, n, 0);
	}
	arg_uint(f, "tty", h->args[3]);
	if (e->param[VG_P_ENV])
		arg_strv(f, "env", e->param[VG_P_ENV], e->param_len[VG_P_ENV], 0);
}

static void args_socket_family(struct fmt *f, const struct vg_event *e)
{
	const struct vg_event_hdr *h = e->hdr;
	const struct vg_tuple *t = vg_event_tuple(e);
	char buf[VG_PATH_MAX], up[VG_PATH_MAX];
	const char *addr = addr_text(e, up, sizeof(up));
	bool accepted = h->sc == VG_SC_ACCEPT || h->sc == VG_SC_ACCEPT4;

	arg_int(f, "fd", accepted && h->ret >= 0 ? h->ret : (int32_t)h->args[0]);
	if (t) {
		tuple_text(t, accepted, t->family == AF_UNIX ? (addr ? addr : "") : NULL, buf,
			   sizeof(buf));
		arg_str(f, "tuple", buf);
		arg_name(f, "family", vg_family_name(t->family), t->family);
	}
	arg_str(f, "addr", addr);
	if (h->sc == VG_SC_LISTEN)
		arg_int(f, "backlog", (int32_t)h->args[1]);
	if (h->sc == VG_SC_SENDTO || h->sc == VG_SC_RECVFROM)
		arg_uint(f, "size", h->args[2]);
}

static void args_syscall(struct fmt *f, const struct vg_event *e, const struct vg_event_ctx *ctx)
{
	const struct vg_event_hdr *h = e->hdr;
	const __u64 *a = h->args;
	char b1[VG_PATH_MAX], b2[VG_PATH_MAX];

	switch (h->sc) {
	case VG_SC_OPEN:
	case VG_SC_OPENAT:
	case VG_SC_OPENAT2:
	case VG_SC_CREAT:
		args_open(f, e);
		break;
	case VG_SC_EXECVE:
	case VG_SC_EXECVEAT:
		args_exec(f, e);
		break;
	case VG_SC_UNLINK:
	case VG_SC_UNLINKAT:
	case VG_SC_RMDIR:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		break;
	case VG_SC_MKDIR:
	case VG_SC_MKDIRAT:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_mode(f, "mode", h->sc == VG_SC_MKDIR ? a[1] : a[2]);
		break;
	case VG_SC_RENAME:
	case VG_SC_RENAMEAT:
	case VG_SC_RENAMEAT2:
	case VG_SC_LINK:
	case VG_SC_LINKAT:
		arg_str(f, "oldpath", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_str(f, "newpath", abs_path(e, VG_P_PATH2, VG_P_BASE2, false, b2, sizeof(b2)));
		break;
	case VG_SC_SYMLINK:
	case VG_SC_SYMLINKAT:
		arg_str(f, "target", vg_event_str(e, VG_P_PATH));
		arg_str(f, "linkpath", abs_path(e, VG_P_PATH2, VG_P_BASE2, false, b2, sizeof(b2)));
		break;
	case VG_SC_CHMOD:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_mode(f, "mode", a[1]);
		break;
	case VG_SC_FCHMOD:
		arg_str(f, "path", vg_event_str(e, VG_P_FDPATH));
		arg_mode(f, "mode", a[1]);
		break;
	case VG_SC_FCHMODAT:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_mode(f, "mode", a[2]);
		break;
	case VG_SC_CHOWN:
	case VG_SC_LCHOWN:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_int(f, "uid", (int32_t)a[1]);
		arg_int(f, "gid", (int32_t)a[2]);
		break;
	case VG_SC_FCHOWN:
		arg_str(f, "path", vg_event_str(e, VG_P_FDPATH));
		arg_int(f, "uid", (int32_t)a[1]);
		arg_int(f, "gid", (int32_t)a[2]);
		break;
	case VG_SC_FCHOWNAT:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_int(f, "uid", (int32_t)a[2]);
		arg_int(f, "gid", (int32_t)a[3]);
		break;
	case VG_SC_TRUNCATE:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		arg_int(f, "length", (int64_t)a[1]);
		break;
	case VG_SC_FTRUNCATE:
		arg_str(f, "path", vg_event_str(e, VG_P_FDPATH));
		arg_int(f, "length", (int64_t)a[1]);
		break;
	case VG_SC_CLOSE:
		arg_int(f, "fd", (int32_t)a[0]);
		break;
	case VG_SC_SOCKET: {
		char tb[128], fl[96];
		const char *ty = vg_sock_type_name(a[1] & 0xf);

		arg_name(f, "domain", vg_family_name(a[0]), (int64_t)a[0]);
		if (a[1] & ~(uint64_t)0xf) {
			(void)vg_flags_format(&vg_sock_flag_names, a[1] & ~(uint64_t)0xf, fl,
					      sizeof(fl));
			(void)snprintf(tb, sizeof(tb), "%s|%s", ty ? ty : "0", fl);
		} else
			(void)snprintf(tb, sizeof(tb), "%s", ty ? ty : "0");
		if (!ty && !(a[1] & ~(uint64_t)0xf))
			(void)snprintf(tb, sizeof(tb), "%" PRIu64, (uint64_t)a[1]);
		arg_str(f, "type", tb);
		arg_int(f, "proto", (int32_t)a[2]);
		if (h->ret >= 0)
			arg_int(f, "fd", h->ret);
		break;
	}
	case VG_SC_CONNECT:
	case VG_SC_BIND:
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
	case VG_SC_LISTEN:
	case VG_SC_SENDTO:
	case VG_SC_SENDMSG:
	case VG_SC_RECVFROM:
	case VG_SC_RECVMSG:
		args_socket_family(f, e);
		break;
	case VG_SC_DUP:
	case VG_SC_DUP2:
	case VG_SC_DUP3: {
		const struct vg_tuple *t = vg_event_tuple(e);
		const struct vg_fd *fd = ctx ? ctx->fd : NULL;

		arg_int(f, "oldfd", (int32_t)a[0]);
		arg_int(f, "newfd", h->sc == VG_SC_DUP ? h->ret : (int32_t)a[1]);
		if (fd) {
			arg_str(f, "fdtype", vg_fd_type_to_string(fd->type));
			arg_str(f, "fdname", fd->name);
		} else if (t) {
			tuple_text(t, false, "", b1, sizeof(b1));
			arg_str(f, "fdtype",
				t->family == AF_INET	? "ipv4"
				: t->family == AF_INET6 ? "ipv6"
				: t->family == AF_UNIX	? "unix"
							: "socket");
			arg_str(f, "fdname", b1);
		} else if (vg_event_str(e, VG_P_FDPATH)) {
			uint64_t ino;

			arg_str(f, "fdtype",
				vg_fd_type_to_string(
					vg_fd_classify_link(vg_event_str(e, VG_P_FDPATH), &ino)));
			arg_str(f, "fdname", vg_event_str(e, VG_P_FDPATH));
		}
		break;
	}
	case VG_SC_SETUID:
		arg_int(f, "uid", (int32_t)a[0]);
		break;
	case VG_SC_SETGID:
		arg_int(f, "gid", (int32_t)a[0]);
		break;
	case VG_SC_SETREUID:
		arg_int(f, "ruid", (int32_t)a[0]);
		arg_int(f, "euid", (int32_t)a[1]);
		break;
	case VG_SC_SETREGID:
		arg_int(f, "rgid", (int32_t)a[0]);
		arg_int(f, "egid", (int32_t)a[1]);
		break;
	case VG_SC_SETRESUID:
		arg_int(f, "ruid", (int32_t)a[0]);
		arg_int(f, "euid", (int32_t)a[1]);
		arg_int(f, "suid", (int32_t)a[2]);
		break;
	case VG_SC_SETRESGID:
		arg_int(f, "rgid", (int32_t)a[0]);
		arg_int(f, "egid", (int32_t)a[1]);
		arg_int(f, "sgid", (int32_t)a[2]);
		break;
	case VG_SC_CAPSET:
		arg_hex(f, "cap_effective", h->cap_eff);
		arg_hex(f, "cap_permitted", h->cap_prm);
		break;
	case VG_SC_PTRACE:
		arg_name(f, "request", vg_ptrace_request_name(a[0]), (int64_t)a[0]);
		arg_int(f, "pid", (int32_t)a[1]);
		break;
	case VG_SC_PRCTL:
		arg_name(f, "option", vg_prctl_option_name(a[0]), (int64_t)a[0]);
		arg_uint(f, "arg2", a[1]);
		arg_str(f, "name", vg_event_str(e, VG_P_NAME));
		break;
	case VG_SC_UNSHARE:
		arg_flags(f, "flags", &vg_clone_flag_names, a[0]);
		break;
	case VG_SC_SETNS:
		arg_int(f, "fd", (int32_t)a[0]);
		arg_flags(f, "nstype", &vg_clone_flag_names, a[1]);
		/* For a namespace file the kernel sends its type ("mnt") and puts the namespace
		 * inode in args[2]; paths of other files (pidfds) always start with '/'. */
		if (vg_event_str(e, VG_P_FDPATH) && vg_event_str(e, VG_P_FDPATH)[0] != '/') {
			snprintf(b1, sizeof(b1), "%s:[%llu]", vg_event_str(e, VG_P_FDPATH),
				 (unsigned long long)a[2]);
			arg_str(f, "path", b1);
		} else {
			arg_str(f, "path", vg_event_str(e, VG_P_FDPATH));
		}
		break;
	case VG_SC_MOUNT:
		arg_str(f, "dev", vg_event_str(e, VG_P_PATH));
		arg_str(f, "dir", abs_path(e, VG_P_PATH2, VG_P_BASE2, false, b2, sizeof(b2)));
		arg_str(f, "type", vg_event_str(e, VG_P_FSTYPE));
		arg_flags(f, "flags", &vg_mount_flag_names, a[3] & 0xffffffffu);
		break;
	case VG_SC_UMOUNT2:
		arg_str(f, "name", vg_event_str(e, VG_P_PATH));
		arg_flags(f, "flags", &vg_umount_flag_names, a[1]);
		break;
	case VG_SC_PIVOT_ROOT:
		arg_str(f, "new_root", vg_event_str(e, VG_P_PATH));
		arg_str(f, "put_old", vg_event_str(e, VG_P_PATH2));
		break;
	case VG_SC_CHROOT:
		arg_str(f, "path", abs_path(e, VG_P_PATH, VG_P_BASE, false, b1, sizeof(b1)));
		break;
	case VG_SC_INIT_MODULE:
		arg_uint(f, "len", a[1]);
		arg_str(f, "uargs", vg_event_str(e, VG_P_DATA));
		break;
	case VG_SC_FINIT_MODULE:
		arg_int(f, "fd", (int32_t)a[0]);
		arg_str(f, "path", vg_event_str(e, VG_P_FDPATH));
		arg_str(f, "uargs", vg_event_str(e, VG_P_DATA));
		arg_uint(f, "flags", a[2]);
		break;
	case VG_SC_BPF:
		arg_name(f, "cmd", vg_bpf_cmd_name(a[0]), (int64_t)a[0]);
		break;
	case VG_SC_PERF_EVENT_OPEN: {
		uint32_t type = 0;
		uint64_t config = 0;

		if (e->param[VG_P_DATA] && e->param_len[VG_P_DATA] >= 16) {
			memcpy(&type, e->param[VG_P_DATA], 4);
			memcpy(&config, e->param[VG_P_DATA] + 8, 8);
		}
		arg_uint(f, "type", type);
		arg_uint(f, "config", config);
		arg_int(f, "pid", (int32_t)a[1]);
		arg_int(f, "cpu", (int32_t)a[2]);
		break;
	}
	case VG_SC_USERFAULTFD:
		arg_flags(f, "flags", &vg_uffd_flag_names, a[0]);
		break;
	case VG_SC_MEMFD_CREATE:
		arg_str(f, "name", vg_event_str(e, VG_P_NAME));
		arg_flags(f, "flags", &vg_memfd_flag_names, a[1]);
		break;
	case VG_SC_PROCESS_VM_WRITEV:
		arg_int(f, "pid", (int32_t)a[0]);
		break;
	case VG_SC_KILL:
	case VG_SC_TKILL:
		arg_int(f, "pid", (int32_t)a[0]);
		arg_signal(f, "sig", (int32_t)a[1]);
		break;
	case VG_SC_TGKILL:
		arg_int(f, "pid", (int32_t)a[0]);
		arg_signal(f, "sig", (int32_t)a[2]);
		break;
	default:
		break;
	}
}

static void event_args(struct fmt *f, const struct vg_event *e, const struct vg_event_ctx *ctx)
{
	const struct vg_event_hdr *h = e->hdr;

	switch (h->kind) {
	case VG_EV_EXEC:
		args_exec(f, e);
		break;
	case VG_EV_FORK:
		arg_uint(f, "child_pid", h->args[0]);
		arg_uint(f, "child_tid", h->args[1]);
		arg_uint(f, "child_vpid", h->args[3]);
		arg_flags(f, "flags", &vg_clone_flag_names, h->args[2]);
		break;
	case VG_EV_EXIT: {
		int64_t st = h->ret;

		arg_int(f, "status", st);
		arg_int(f, "code", (st >> 8) & 0xff);
		if (st & 0x7f)
			arg_signal(f, "signal", st & 0x7f);
		break;
	}
	case VG_EV_SYSCALL:
		args_syscall(f, e, ctx);
		break;
	default:
		break;
	}
}

static const char *kind_name(unsigned k)
{
	switch (k) {
	case VG_EV_SYSCALL:
		return "syscall";
	case VG_EV_EXEC:
		return "exec";
	case VG_EV_FORK:
		return "fork";
	case VG_EV_EXIT:
		return "exit";
	default:
		return "unknown";
	}
}

/* "SUCCESS", or the errno name of a failed syscall ("E<n>" when unnamed). */
static const char *res_name(const struct vg_event_hdr *h, char *buf, size_t size)
{
	const char *n;

	if (h->kind != VG_EV_SYSCALL || h->ret >= 0 || h->ret < -4095)
		return "SUCCESS";
	n = vg_errno_name((int)-h->ret);
	if (n)
		return n;
	(void)snprintf(buf, size, "E%" PRId64, -(int64_t)h->ret);
	return buf;
}

static void time_str(const struct vg_event_hdr *h, int64_t off, char *buf, size_t size)
{
	int64_t rt = (int64_t)h->ts + off;

	if (rt < 0 || vg_format_iso8601((uint64_t)rt, buf, size) < 0)
		(void)snprintf(buf, size, "%" PRIu64, (uint64_t)h->ts);
}

static void comm_of(const struct vg_event_hdr *h, char out[VG_COMM_LEN])
{
	size_t n = strnlen(h->comm, sizeof(h->comm));

	n = VG_MIN(n, (size_t)VG_COMM_LEN - 1);
	memcpy(out, h->comm, n);
	out[n] = '\0';
}

/* Falco proc.cmdline: the process name, then argv[1..] joined by spaces. */
static void cmdline_json(struct fmt *f, const char *comm, const struct vg_proc *p)
{
	char buf[VG_CMDLINE_MAX + VG_COMM_LEN + 1];
	size_t bl = strlen(comm), i = 0, idx = 0;

	memcpy(buf, comm, bl);
	while (p && i < p->args_len) {
		size_t n = strnlen(p->args + i, p->args_len - i);

		if (idx++ >= 1 && bl + n + 1 < sizeof(buf)) {
			buf[bl++] = ' ';
			memcpy(buf + bl, p->args + i, n);
			bl += n;
		}
		i += n + 1;
	}
	json_str(f, buf, bl);
}

int vg_event_format_json(const struct vg_event *e, const struct vg_event_ctx *ctx,
			 int64_t boot_to_realtime_ns, struct vg_strbuf *out)
{
	const struct vg_event_hdr *h = e->hdr;
	const struct vg_proc *p = ctx ? ctx->proc : NULL;
	const struct vg_proc *pp = ctx ? ctx->parent : NULL;
	const struct vg_container *c = ctx ? ctx->container : NULL;
	struct fmt f = {.sb = out, .json = true};
	char tbuf[64], rbuf[32], comm[VG_COMM_LEN];
	const char *pname = pp ? pp->comm : "";

	time_str(h, boot_to_realtime_ns, tbuf, sizeof(tbuf));
	comm_of(h, comm);
	putf(&f, "{\"time\":\"%s\",\"ts\":%" PRIu64 ",\"type\":", tbuf, (uint64_t)h->ts);
	json_str(&f, vg_event_type_name(e), strlen(vg_event_type_name(e)));
	putf(&f, ",\"kind\":\"%s\",\"ret\":%" PRId64 ",\"res\":\"%s\"", kind_name(h->kind),
	     (int64_t)h->ret, res_name(h, rbuf, sizeof(rbuf)));

	putf(&f, ",\"proc\":{\"pid\":%u,\"tid\":%u,\"ppid\":%u,\"vpid\":%u,\"vtid\":%u,\"name\":",
	     h->pid, h->tid, h->ppid, h->vpid, h->vtid);
	json_str(&f, comm, strlen(comm));
	put(&f, ",\"exepath\":");
	json_str(&f, p ? p->exe : "", p ? strlen(p->exe) : 0);
	put(&f, ",\"cmdline\":");
	cmdline_json(&f, p ? p->comm : comm, p);
	put(&f, ",\"cwd\":");
	json_str(&f, p ? p->cwd : "", p ? strlen(p->cwd) : 0);
	putf(&f,
	     ",\"tty\":%u,\"uid\":%u,\"gid\":%u,\"euid\":%u,\"egid\":%u,\"loginuid\":%" PRId64
	     ",\"pname\":",
	     p ? p->tty : 0, h->uid, h->gid, h->euid, h->egid,
	     h->loginuid == UINT32_MAX ? (int64_t)-1 : (int64_t)h->loginuid);
	json_str(&f, pname, strlen(pname));
	put(&f, "}");

	if (!c || (c->is_host && strcmp(c->id, "host") == 0)) {
		put(&f, ",\"container\":{\"id\":\"host\"}");
	} else {
		put(&f, ",\"container\":{\"id\":");
		json_str(&f, c->short_id, strlen(c->short_id));
		put(&f, ",\"full_id\":");
		json_str(&f, c->id, strlen(c->id));
		if (c->meta && !vg_isempty(c->meta->name)) {
			put(&f, ",\"name\":");
			json_str(&f, c->meta->name, strlen(c->meta->name));
		}
		if (c->meta && !vg_isempty(c->meta->image)) {
			put(&f, ",\"image\":");
			json_str(&f, c->meta->image, strlen(c->meta->image));
		}
		putf(&f, ",\"runtime\":\"%s\",\"state\":\"%s\"}",
		     vg_runtime_to_string(c->runtime) ? vg_runtime_to_string(c->runtime) : "none",
		     vg_container_state_to_string(c->state));
	}
	putf(&f,
	     ",\"ns\":{\"mnt\":%u,\"pid\":%u,\"net\":%u,\"user\":%u},\"cgroup_id\":%" PRIu64
	     ",\"caps\":{\"eff\":\"0x%" PRIx64 "\",\"prm\":\"0x%" PRIx64 "\"},\"args\":{",
	     h->mnt_ns, h->pid_ns, h->net_ns, h->user_ns, (uint64_t)h->cgroup_id,
	     (uint64_t)h->cap_eff, (uint64_t)h->cap_prm);
	event_args(&f, e, ctx);
	put(&f, "}");
	if (h->flags & VG_EVF_COMPAT)
		put(&f, ",\"compat\":true");
	if (h->flags & VG_EVF_TRUNCATED)
		put(&f, ",\"truncated\":true");
	put(&f, "}");
	return f.r < 0 ? f.r : 0;
}

int vg_event_format_text(const struct vg_event *e, const struct vg_event_ctx *ctx,
			 int64_t boot_to_realtime_ns, struct vg_strbuf *out)
{
	const struct vg_event_hdr *h = e->hdr;
	const struct vg_container *c = ctx ? ctx->container : NULL;
	struct fmt f = {.sb = out, .json = false};
	char tbuf[64], rbuf[32], comm[VG_COMM_LEN];

	time_str(h, boot_to_realtime_ns, tbuf, sizeof(tbuf));
	comm_of(h, comm);
	putf(&f, "%s %s ", tbuf,
	     c && !(c->is_host && strcmp(c->id, "host") == 0) ? c->short_id : "host");
	text_str(&f, comm, strlen(comm));
	putf(&f, "(%u) %s", h->pid, vg_event_type_name(e));
	event_args(&f, e, ctx);
	putf(&f, " = %s", res_name(h, rbuf, sizeof(rbuf)));
	return f.r < 0 ? f.r : 0;
}
