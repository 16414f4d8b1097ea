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

struct flag {
	uint64_t bit;
	const char *name;
};

/* Kernel (asm-generic, x86) values, independent of the libc headers. */
static const struct flag open_flags[] = {
	{ 020000000 | 0200000, "O_TMPFILE" }, { 04000000 | 010000, "O_SYNC" },
	{ 0100, "O_CREAT" },		      { 0200, "O_EXCL" },
	{ 0400, "O_NOCTTY" },		      { 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },		      { 04000, "O_NONBLOCK" },
	{ 010000, "O_DSYNC" },		      { 020000, "O_ASYNC" },
	{ 040000, "O_DIRECT" },		      { 0100000, "O_LARGEFILE" },
	{ 0200000, "O_DIRECTORY" },	      { 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" },	      { 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" },
};

static const struct flag clone_flags[] = {
	{ 0x00000100, "CLONE_VM" },	    { 0x00000200, "CLONE_FS" },
	{ 0x00000400, "CLONE_FILES" },	    { 0x00000800, "CLONE_SIGHAND" },
	{ 0x00001000, "CLONE_PIDFD" },	    { 0x00002000, "CLONE_PTRACE" },
	{ 0x00004000, "CLONE_VFORK" },	    { 0x00008000, "CLONE_PARENT" },
	{ 0x00010000, "CLONE_THREAD" },	    { 0x00020000, "CLONE_NEWNS" },
	{ 0x00040000, "CLONE_SYSVSEM" },    { 0x00080000, "CLONE_SETTLS" },
	{ 0x00100000, "CLONE_PARENT_SETTID" }, { 0x00200000, "CLONE_CHILD_CLEARTID" },
	{ 0x00400000, "CLONE_DETACHED" },   { 0x00800000, "CLONE_UNTRACED" },
	{ 0x01000000, "CLONE_CHILD_SETTID" }, { 0x02000000, "CLONE_NEWCGROUP" },
	{ 0x04000000, "CLONE_NEWUTS" },	    { 0x08000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" },    { 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },	    { 0x80000000, "CLONE_IO" },
	{ 0x00000080, "CLONE_NEWTIME" },
};

static const struct flag mount_flags[] = {
	{ 1, "MS_RDONLY" },	    { 2, "MS_NOSUID" },	      { 4, "MS_NODEV" },
	{ 8, "MS_NOEXEC" },	    { 16, "MS_SYNCHRONOUS" }, { 32, "MS_REMOUNT" },
	{ 64, "MS_MANDLOCK" },	    { 128, "MS_DIRSYNC" },    { 256, "MS_NOSYMFOLLOW" },
	{ 1024, "MS_NOATIME" },	    { 2048, "MS_NODIRATIME" }, { 4096, "MS_BIND" },
	{ 8192, "MS_MOVE" },	    { 16384, "MS_REC" },      { 32768, "MS_SILENT" },
	{ 1 << 16, "MS_POSIXACL" }, { 1 << 17, "MS_UNBINDABLE" }, { 1 << 18, "MS_PRIVATE" },
	{ 1 << 19, "MS_SLAVE" },    { 1 << 20, "MS_SHARED" }, { 1 << 21, "MS_RELATIME" },
	{ 1 << 22, "MS_KERNMOUNT" }, { 1 << 23, "MS_I_VERSION" }, { 1 << 24, "MS_STRICTATIME" },
	{ 1 << 25, "MS_LAZYTIME" },
};

static const struct flag umount_flags[] = {
	{ 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" },
};

static const struct flag memfd_flags[] = {
	{ 1, "MFD_CLOEXEC" }, { 2, "MFD_ALLOW_SEALING" }, { 4, "MFD_HUGETLB" },
	{ 8, "MFD_NOEXEC_SEAL" }, { 16, "MFD_EXEC" },
};

static const struct flag uffd_flags[] = {
	{ 1, "UFFD_USER_MODE_ONLY" }, { 04000, "O_NONBLOCK" }, { 02000000, "O_CLOEXEC" },
};

static const struct flag sock_flags[] = {
	{ 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" },
};

static const char *const errnos[] = { [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO", [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [15] = "ENOTBLK", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE", [33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLOCK", [36] = "ENAMETOOLONG", [37] = "ENOLCK", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [42] = "ENOMSG", [43] = "EIDRM", [44] = "ECHRNG", [45] = "EL2NSYNC", [46] = "EL3HLT", [47] = "EL3RST", [48] = "ELNRNG", [49] = "EUNATCH", [50] = "ENOCSI", [51] = "EL2HLT", [52] = "EBADE", [53] = "EBADR", [54] = "EXFULL", [55] = "ENOANO", [56] = "EBADRQC", [57] = "EBADSLT", [59] = "EBFONT", [60] = "ENOSTR", [61] = "ENODATA", [62] = "ETIME", [63] = "ENOSR", [64] = "ENONET", [65] = "ENOPKG", [66] = "EREMOTE", [67] = "ENOLINK", [68] = "EADV", [69] = "ESRMNT", [70] = "ECOMM", [71] = "EPROTO", [72] = "EMULTIHOP", [73] = "EDOTDOT", [74] = "EBADMSG", [75] = "EOVERFLOW", [76] = "ENOTUNIQ", [77] = "EBADFD", [78] = "EREMCHG", [79] = "ELIBACC", [80] = "ELIBBAD", [81] = "ELIBSCN", [82] = "ELIBMAX", [83] = "ELIBEXEC", [84] = "EILSEQ", [85] = "ERESTART", [86] = "ESTRPIPE", [87] = "EUSERS", [88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE", [91] = "EPROTOTYPE", [92] = "ENOPROTOOPT", [93] = "EPROTONOSUPPORT", [94] = "ESOCKTNOSUPPORT", [95] = "ENOTSUP", [96] = "EPFNOSUPPORT", [97] = "EAFNOSUPPORT", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [100] = "ENETDOWN", [101] = "ENETUNREACH", [102] = "ENETRESET", [103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS", [106] = "EISCONN", [107] = "ENOTCONN", [108] = "ESHUTDOWN", [109] = "ETOOMANYREFS", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED", [112] = "EHOSTDOWN", [113] = "EHOSTUNREACH", [114] = "EALREADY", [115] = "EINPROGRESS", [116] = "ESTALE", [117] = "EUCLEAN", [118] = "ENOTNAM", [119] = "ENAVAIL", [120] = "EISNAM", [121] = "EREMOTEIO", [122] = "EDQUOT", [123] = "ENOMEDIUM", [124] = "EMEDIUMTYPE", [125] = "ECANCELED", [126] = "ENOKEY", [127] = "EKEYEXPIRED", [128] = "EKEYREVOKED", [129] = "EKEYREJECTED", [130] = "EOWNERDEAD", [131] = "ENOTRECOVERABLE", [132] = "ERFKILL" };

static const char *const signals[] = {
	[1] = "SIGHUP",	  [2] = "SIGINT",     [3] = "SIGQUIT", [4] = "SIGILL",	  [5] = "SIGTRAP",
	[6] = "SIGABRT",  [7] = "SIGBUS",     [8] = "SIGFPE",  [9] = "SIGKILL",	  [10] = "SIGUSR1",
	[11] = "SIGSEGV", [12] = "SIGUSR2",   [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU",   [23] = "SIGURG", [24] = "SIGXCPU",  [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",  [30] = "SIGPWR",
	[31] = "SIGSYS",
};

static const char *const families[] = {
	[0] = "AF_UNSPEC",   [1] = "AF_UNIX",	  [2] = "AF_INET",   [3] = "AF_AX25",
	[4] = "AF_IPX",	     [5] = "AF_APPLETALK", [9] = "AF_X25",   [10] = "AF_INET6",
	[16] = "AF_NETLINK", [17] = "AF_PACKET",  [38] = "AF_ALG",   [40] = "AF_VSOCK",
	[44] = "AF_XDP",
};

static const char *const sock_types[] = {
	[1] = "SOCK_STREAM", [2] = "SOCK_DGRAM", [3] = "SOCK_RAW", [4] = "SOCK_RDM",
	[5] = "SOCK_SEQPACKET", [6] = "SOCK_DCCP", [10] = "SOCK_PACKET",
};

static const char *const ptrace_reqs[] = {
	[0] = "PTRACE_TRACEME",	  [1] = "PTRACE_PEEKTEXT", [2] = "PTRACE_PEEKDATA",
	[3] = "PTRACE_PEEKUSR",	  [4] = "PTRACE_POKETEXT", [5] = "PTRACE_POKEDATA",
	[6] = "PTRACE_POKEUSR",	  [7] = "PTRACE_CONT",	   [8] = "PTRACE_KILL",
	[9] = "PTRACE_SINGLESTEP", [12] = "PTRACE_GETREGS", [13] = "PTRACE_SETREGS",
	[14] = "PTRACE_GETFPREGS", [15] = "PTRACE_SETFPREGS", [16] = "PTRACE_ATTACH",
	[17] = "PTRACE_DETACH",	  [24] = "PTRACE_SYSCALL", [0x4200] = "PTRACE_SETOPTIONS",
	[0x4201] = "PTRACE_GETEVENTMSG", [0x4202] = "PTRACE_GETSIGINFO",
	[0x4203] = "PTRACE_SETSIGINFO", [0x4204] = "PTRACE_GETREGSET",
	[0x4205] = "PTRACE_SETREGSET", [0x4206] = "PTRACE_SEIZE", [0x4207] = "PTRACE_INTERRUPT",
	[0x4208] = "PTRACE_LISTEN",
};

static const char *const prctl_opts[] = {
	[1] = "PR_SET_PDEATHSIG", [2] = "PR_GET_PDEATHSIG", [3] = "PR_GET_DUMPABLE",
	[4] = "PR_SET_DUMPABLE", [8] = "PR_SET_KEEPCAPS", [15] = "PR_SET_NAME",
	[16] = "PR_GET_NAME", [22] = "PR_SET_SECCOMP", [21] = "PR_GET_SECCOMP",
	[23] = "PR_CAPBSET_READ", [24] = "PR_CAPBSET_DROP", [35] = "PR_SET_MM",
	[36] = "PR_SET_CHILD_SUBREAPER", [38] = "PR_SET_NO_NEW_PRIVS",
	[39] = "PR_GET_NO_NEW_PRIVS", [47] = "PR_CAP_AMBIENT",
};

static const char *const bpf_cmds[] = {
	[0] = "BPF_MAP_CREATE", [1] = "BPF_MAP_LOOKUP_ELEM", [2] = "BPF_MAP_UPDATE_ELEM",
	[3] = "BPF_MAP_DELETE_ELEM", [4] = "BPF_MAP_GET_NEXT_KEY", [5] = "BPF_PROG_LOAD",
	[6] = "BPF_OBJ_PIN", [7] = "BPF_OBJ_GET", [8] = "BPF_PROG_ATTACH",
	[9] = "BPF_PROG_DETACH", [10] = "BPF_PROG_TEST_RUN", [11] = "BPF_PROG_GET_NEXT_ID",
	[12] = "BPF_MAP_GET_NEXT_ID", [13] = "BPF_PROG_GET_FD_BY_ID", [14] = "BPF_MAP_GET_FD_BY_ID",
	[15] = "BPF_OBJ_GET_INFO_BY_FD", [16] = "BPF_PROG_QUERY", [17] = "BPF_RAW_TRACEPOINT_OPEN",
	[18] = "BPF_BTF_LOAD", [19] = "BPF_BTF_GET_FD_BY_ID", [20] = "BPF_TASK_FD_QUERY",
	[21] = "BPF_MAP_LOOKUP_AND_DELETE_ELEM", [22] = "BPF_MAP_FREEZE",
	[23] = "BPF_BTF_GET_NEXT_ID", [24] = "BPF_MAP_LOOKUP_BATCH",
	[25] = "BPF_MAP_LOOKUP_AND_DELETE_BATCH", [26] = "BPF_MAP_UPDATE_BATCH",
	[27] = "BPF_MAP_DELETE_BATCH", [28] = "BPF_LINK_CREATE", [29] = "BPF_LINK_UPDATE",
	[30] = "BPF_LINK_GET_FD_BY_ID", [31] = "BPF_LINK_GET_NEXT_ID", [32] = "BPF_ENABLE_STATS",
	[33] = "BPF_ITER_CREATE", [34] = "BPF_LINK_DETACH", [35] = "BPF_PROG_BIND_MAP",
	[36] = "BPF_TOKEN_CREATE",
};

#define NAME_IN(tab, v) ((uint64_t)(v) < VG_ARRAY_SIZE(tab) ? (tab)[(v)] : NULL)

const char *vg_errno_name(int err)
{
	return err > 0 ? NAME_IN(errnos, err) : NULL;
}

const char *vg_signal_name(int sig)
{
	return sig > 0 ? NAME_IN(signals, sig) : NULL;
}

/* ---- the emitter: one code path for both formats ---- */

struct fmt {
	struct vg_strbuf *sb;
	bool json;
	unsigned n; /* args written */
	int r;      /* sticky error */
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

/* Builds "A|B|0x40" into buf ("0" when v == 0). */
static const char *flags_str(const struct flag *tab, size_t n, uint64_t v, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if ((v & tab[i].bit) == tab[i].bit && tab[i].bit) {
			int k = snprintf(buf + len, size - len, "%s%s", len ? "|" : "", tab[i].name);

			if (k < 0 || (size_t)k >= size - len)
				break;
			len += (size_t)k;
			v &= ~tab[i].bit;
		}
	}
	if (v || len == 0)
		(void)snprintf(buf + len, size - len, "%s%s", len ? "|" : "",
			       v ? "" : "0");
	if (v) {
		size_t l = strlen(buf);

		(void)snprintf(buf + l, size - l, "0x%" PRIx64, v);
	}
	return buf;
}

static void arg_flags(struct fmt *f, const char *k, const struct flag *tab, size_t n, uint64_t v)
{
	char buf[512];

	arg_str(f, k, flags_str(tab, n, v, buf, sizeof(buf)));
}

static void arg_open_flags(struct fmt *f, const char *k, uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	char buf[512], rest[480];
	uint64_t other = v & ~(uint64_t)3;

	if (other)
		(void)snprintf(buf, sizeof(buf), "%s|%s", acc[v & 3],
			       flags_str(open_flags, VG_ARRAY_SIZE(open_flags), other, rest,
					 sizeof(rest)));
	else
		(void)snprintf(buf, sizeof(buf), "%s", acc[v & 3]);
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
	const char *n = vg_signal_name((int)sig);

	if (!n && sig >= 32 && sig <= 64) {
		(void)snprintf(buf, sizeof(buf), "SIGRTMIN+%d", (int)(sig - 32));
		n = buf;
	}
	arg_name(f, k, n, sig);
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
		arg_name(f, "family", NAME_IN(families, t->family), t->family);
	}
	arg_str(f, "addr", addr);
	if (h->sc == VG_SC_LISTEN)
		arg_int(f, "backlog", (int32_t)h->args[1]);
	if (h->sc == VG_SC_SENDTO)
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
		const char *ty = NAME_IN(sock_types, a[1] & 0xf);

		arg_name(f, "domain", NAME_IN(families, a[0]), (int64_t)a[0]);
		if (a[1] & ~(uint64_t)0xf)
			(void)snprintf(tb, sizeof(tb), "%s|%s", ty ? ty : "0",
				       flags_str(sock_flags, VG_ARRAY_SIZE(sock_flags),
						 a[1] & ~(uint64_t)0xf, fl, sizeof(fl)));
		else
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
			arg_str(f, "fdtype", t->family == AF_INET ? "ipv4" :
					     t->family == AF_INET6 ? "ipv6" :
					     t->family == AF_UNIX ? "unix" : "socket");
			arg_str(f, "fdname", b1);
		} else if (vg_event_str(e, VG_P_FDPATH)) {
			uint64_t ino;

			arg_str(f, "fdtype",
				vg_fd_type_to_string(vg_fd_classify_link(vg_event_str(e, VG_P_FDPATH), &ino)));
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
		arg_name(f, "request", NAME_IN(ptrace_reqs, a[0]), (int64_t)a[0]);
		arg_int(f, "pid", (int32_t)a[1]);
		break;
	case VG_SC_PRCTL:
		arg_name(f, "option", NAME_IN(prctl_opts, a[0]), (int64_t)a[0]);
		arg_uint(f, "arg2", a[1]);
		arg_str(f, "name", vg_event_str(e, VG_P_NAME));
		break;
	case VG_SC_UNSHARE:
		arg_flags(f, "flags", clone_flags, VG_ARRAY_SIZE(clone_flags), a[0]);
		break;
	case VG_SC_SETNS:
		arg_int(f, "fd", (int32_t)a[0]);
		arg_flags(f, "nstype", clone_flags, VG_ARRAY_SIZE(clone_flags), a[1]);
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
		arg_flags(f, "flags", mount_flags, VG_ARRAY_SIZE(mount_flags), a[3] & 0xffffffffu);
		break;
	case VG_SC_UMOUNT2:
		arg_str(f, "name", vg_event_str(e, VG_P_PATH));
		arg_flags(f, "flags", umount_flags, VG_ARRAY_SIZE(umount_flags), a[1]);
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
		arg_name(f, "cmd", NAME_IN(bpf_cmds, a[0]), (int64_t)a[0]);
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
		arg_flags(f, "flags", uffd_flags, VG_ARRAY_SIZE(uffd_flags), a[0]);
		break;
	case VG_SC_MEMFD_CREATE:
		arg_str(f, "name", vg_event_str(e, VG_P_NAME));
		arg_flags(f, "flags", memfd_flags, VG_ARRAY_SIZE(memfd_flags), a[1]);
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
		arg_flags(f, "flags", clone_flags, VG_ARRAY_SIZE(clone_flags), h->args[2]);
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
	struct fmt f = { .sb = out, .json = true };
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
	struct fmt f = { .sb = out, .json = false };
	char tbuf[64], rbuf[32], comm[VG_COMM_LEN];

	time_str(h, boot_to_realtime_ns, tbuf, sizeof(tbuf));
	comm_of(h, comm);
	putf(&f, "%s %s ", tbuf, c && !(c->is_host && strcmp(c->id, "host") == 0) ? c->short_id : "host");
	text_str(&f, comm, strlen(comm));
	putf(&f, "(%u) %s", h->pid, vg_event_type_name(e));
	event_args(&f, e, ctx);
	putf(&f, " = %s", res_name(h, rbuf, sizeof(rbuf)));
	return f.r < 0 ? f.r : 0;
}
