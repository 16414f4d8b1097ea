/* SPDX-License-Identifier: Apache-2.0 */
/* Names of kernel constants (see names.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "basic/macro.h"
#include "sensor/names.h"

static const struct vg_flag_name open_flags[] = {
	{020000000 | 0200000, "O_TMPFILE"},
	{04000000 | 010000, "O_SYNC"},
	{0100, "O_CREAT"},
	{0200, "O_EXCL"},
	{0400, "O_NOCTTY"},
	{01000, "O_TRUNC"},
	{02000, "O_APPEND"},
	{04000, "O_NONBLOCK"},
	{010000, "O_DSYNC"},
	{020000, "O_ASYNC"},
	{040000, "O_DIRECT"},
	{0100000, "O_LARGEFILE"},
	{0200000, "O_DIRECTORY"},
	{0400000, "O_NOFOLLOW"},
	{01000000, "O_NOATIME"},
	{02000000, "O_CLOEXEC"},
	{010000000, "O_PATH"},
};

static const struct vg_flag_name clone_flags[] = {
	{0x00000100, "CLONE_VM"},
	{0x00000200, "CLONE_FS"},
	{0x00000400, "CLONE_FILES"},
	{0x00000800, "CLONE_SIGHAND"},
	{0x00001000, "CLONE_PIDFD"},
	{0x00002000, "CLONE_PTRACE"},
	{0x00004000, "CLONE_VFORK"},
	{0x00008000, "CLONE_PARENT"},
	{0x00010000, "CLONE_THREAD"},
	{0x00020000, "CLONE_NEWNS"},
	{0x00040000, "CLONE_SYSVSEM"},
	{0x00080000, "CLONE_SETTLS"},
	{0x00100000, "CLONE_PARENT_SETTID"},
	{0x00200000, "CLONE_CHILD_CLEARTID"},
	{0x00400000, "CLONE_DETACHED"},
	{0x00800000, "CLONE_UNTRACED"},
	{0x01000000, "CLONE_CHILD_SETTID"},
	{0x02000000, "CLONE_NEWCGROUP"},
	{0x04000000, "CLONE_NEWUTS"},
	{0x08000000, "CLONE_NEWIPC"},
	{0x10000000, "CLONE_NEWUSER"},
	{0x20000000, "CLONE_NEWPID"},
	{0x40000000, "CLONE_NEWNET"},
	{0x80000000, "CLONE_IO"},
	{0x00000080, "CLONE_NEWTIME"},
};

static const struct vg_flag_name mount_flags[] = {
	{1, "MS_RDONLY"},	   {2, "MS_NOSUID"},	       {4, "MS_NODEV"},
	{8, "MS_NOEXEC"},	   {16, "MS_SYNCHRONOUS"},     {32, "MS_REMOUNT"},
	{64, "MS_MANDLOCK"},	   {128, "MS_DIRSYNC"},	       {256, "MS_NOSYMFOLLOW"},
	{1024, "MS_NOATIME"},	   {2048, "MS_NODIRATIME"},    {4096, "MS_BIND"},
	{8192, "MS_MOVE"},	   {16384, "MS_REC"},	       {32768, "MS_SILENT"},
	{1 << 16, "MS_POSIXACL"},  {1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"},
	{1 << 19, "MS_SLAVE"},	   {1 << 20, "MS_SHARED"},     {1 << 21, "MS_RELATIME"},
	{1 << 22, "MS_KERNMOUNT"}, {1 << 23, "MS_I_VERSION"},  {1 << 24, "MS_STRICTATIME"},
	{1 << 25, "MS_LAZYTIME"},
};

static const struct vg_flag_name umount_flags[] = {
	{1, "MNT_FORCE"},
	{2, "MNT_DETACH"},
	{4, "MNT_EXPIRE"},
	{8, "UMOUNT_NOFOLLOW"},
};

static const struct vg_flag_name memfd_flags[] = {
	{1, "MFD_CLOEXEC"},	{2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
	{8, "MFD_NOEXEC_SEAL"}, {16, "MFD_EXEC"},
};

static const struct vg_flag_name uffd_flags[] = {
	{1, "UFFD_USER_MODE_ONLY"},
	{04000, "O_NONBLOCK"},
	{02000000, "O_CLOEXEC"},
};

static const struct vg_flag_name sock_flags[] = {
	{04000, "SOCK_NONBLOCK"},
	{02000000, "SOCK_CLOEXEC"},
};

static const char *const errnos[] = {[1] = "EPERM",
				     [2] = "ENOENT",
				     [3] = "ESRCH",
				     [4] = "EINTR",
				     [5] = "EIO",
				     [6] = "ENXIO",
				     [7] = "E2BIG",
				     [8] = "ENOEXEC",
				     [9] = "EBADF",
				     [10] = "ECHILD",
				     [11] = "EAGAIN",
				     [12] = "ENOMEM",
				     [13] = "EACCES",
				     [14] = "EFAULT",
				     [15] = "ENOTBLK",
				     [16] = "EBUSY",
				     [17] = "EEXIST",
				     [18] = "EXDEV",
				     [19] = "ENODEV",
				     [20] = "ENOTDIR",
				     [21] = "EISDIR",
				     [22] = "EINVAL",
				     [23] = "ENFILE",
				     [24] = "EMFILE",
				     [25] = "ENOTTY",
				     [26] = "ETXTBSY",
				     [27] = "EFBIG",
				     [28] = "ENOSPC",
				     [29] = "ESPIPE",
				     [30] = "EROFS",
				     [31] = "EMLINK",
				     [32] = "EPIPE",
				     [33] = "EDOM",
				     [34] = "ERANGE",
				     [35] = "EDEADLOCK",
				     [36] = "ENAMETOOLONG",
				     [37] = "ENOLCK",
				     [38] = "ENOSYS",
				     [39] = "ENOTEMPTY",
				     [40] = "ELOOP",
				     [42] = "ENOMSG",
				     [43] = "EIDRM",
				     [44] = "ECHRNG",
				     [45] = "EL2NSYNC",
				     [46] = "EL3HLT",
				     [47] = "EL3RST",
				     [48] = "ELNRNG",
				     [49] = "EUNATCH",
				     [50] = "ENOCSI",
				     [51] = "EL2HLT",
				     [52] = "EBADE",
				     [53] = "EBADR",
				     [54] = "EXFULL",
				     [55] = "ENOANO",
				     [56] = "EBADRQC",
				     [57] = "EBADSLT",
				     [59] = "EBFONT",
				     [60] = "ENOSTR",
				     [61] = "ENODATA",
				     [62] = "ETIME",
				     [63] = "ENOSR",
				     [64] = "ENONET",
				     [65] = "ENOPKG",
				     [66] = "EREMOTE",
				     [67] = "ENOLINK",
				     [68] = "EADV",
				     [69] = "ESRMNT",
				     [70] = "ECOMM",
				     [71] = "EPROTO",
				     [72] = "EMULTIHOP",
				     [73] = "EDOTDOT",
				     [74] = "EBADMSG",
				     [75] = "EOVERFLOW",
				     [76] = "ENOTUNIQ",
				     [77] = "EBADFD",
				     [78] = "EREMCHG",
				     [79] = "ELIBACC",
				     [80] = "ELIBBAD",
				     [81] = "ELIBSCN",
				     [82] = "ELIBMAX",
				     [83] = "ELIBEXEC",
				     [84] = "EILSEQ",
				     [85] = "ERESTART",
				     [86] = "ESTRPIPE",
				     [87] = "EUSERS",
				     [88] = "ENOTSOCK",
				     [89] = "EDESTADDRREQ",
				     [90] = "EMSGSIZE",
				     [91] = "EPROTOTYPE",
				     [92] = "ENOPROTOOPT",
				     [93] = "EPROTONOSUPPORT",
				     [94] = "ESOCKTNOSUPPORT",
				     [95] = "ENOTSUP",
				     [96] = "EPFNOSUPPORT",
				     [97] = "EAFNOSUPPORT",
				     [98] = "EADDRINUSE",
				     [99] = "EADDRNOTAVAIL",
				     [100] = "ENETDOWN",
				     [101] = "ENETUNREACH",
				     [102] = "ENETRESET",
				     [103] = "ECONNABORTED",
				     [104] = "ECONNRESET",
				     [105] = "ENOBUFS",
				     [106] = "EISCONN",
				     [107] = "ENOTCONN",
				     [108] = "ESHUTDOWN",
				     [109] = "ETOOMANYREFS",
				     [110] = "ETIMEDOUT",
				     [111] = "ECONNREFUSED",
				     [112] = "EHOSTDOWN",
				     [113] = "EHOSTUNREACH",
				     [114] = "EALREADY",
				     [115] = "EINPROGRESS",
				     [116] = "ESTALE",
				     [117] = "EUCLEAN",
				     [118] = "ENOTNAM",
				     [119] = "ENAVAIL",
				     [120] = "EISNAM",
				     [121] = "EREMOTEIO",
				     [122] = "EDQUOT",
				     [123] = "ENOMEDIUM",
				     [124] = "EMEDIUMTYPE",
				     [125] = "ECANCELED",
				     [126] = "ENOKEY",
				     [127] = "EKEYEXPIRED",
				     [128] = "EKEYREVOKED",
				     [129] = "EKEYREJECTED",
				     [130] = "EOWNERDEAD",
				     [131] = "ENOTRECOVERABLE",
				     [132] = "ERFKILL"};

static const char *const signals[] = {
	[1] = "SIGHUP",	    [2] = "SIGINT",   [3] = "SIGQUIT",	 [4] = "SIGILL",   [5] = "SIGTRAP",
	[6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",	 [9] = "SIGKILL",  [10] = "SIGUSR1",
	[11] = "SIGSEGV",   [12] = "SIGUSR2", [13] = "SIGPIPE",	 [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",	 [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN",   [22] = "SIGTTOU", [23] = "SIGURG",	 [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
	[31] = "SIGSYS",
};

static const char *const families[] = {
	[0] = "AF_UNSPEC",   [1] = "AF_UNIX",	   [2] = "AF_INET", [3] = "AF_AX25",
	[4] = "AF_IPX",	     [5] = "AF_APPLETALK", [9] = "AF_X25",  [10] = "AF_INET6",
	[16] = "AF_NETLINK", [17] = "AF_PACKET",   [38] = "AF_ALG", [40] = "AF_VSOCK",
	[44] = "AF_XDP",
};

static const char *const sock_types[] = {
	[1] = "SOCK_STREAM",	[2] = "SOCK_DGRAM", [3] = "SOCK_RAW",	  [4] = "SOCK_RDM",
	[5] = "SOCK_SEQPACKET", [6] = "SOCK_DCCP",  [10] = "SOCK_PACKET",
};

static const char *const ptrace_reqs[] = {
	[0] = "PTRACE_TRACEME",
	[1] = "PTRACE_PEEKTEXT",
	[2] = "PTRACE_PEEKDATA",
	[3] = "PTRACE_PEEKUSR",
	[4] = "PTRACE_POKETEXT",
	[5] = "PTRACE_POKEDATA",
	[6] = "PTRACE_POKEUSR",
	[7] = "PTRACE_CONT",
	[8] = "PTRACE_KILL",
	[9] = "PTRACE_SINGLESTEP",
	[12] = "PTRACE_GETREGS",
	[13] = "PTRACE_SETREGS",
	[14] = "PTRACE_GETFPREGS",
	[15] = "PTRACE_SETFPREGS",
	[16] = "PTRACE_ATTACH",
	[17] = "PTRACE_DETACH",
	[24] = "PTRACE_SYSCALL",
	[0x4200] = "PTRACE_SETOPTIONS",
	[0x4201] = "PTRACE_GETEVENTMSG",
	[0x4202] = "PTRACE_GETSIGINFO",
	[0x4203] = "PTRACE_SETSIGINFO",
	[0x4204] = "PTRACE_GETREGSET",
	[0x4205] = "PTRACE_SETREGSET",
	[0x4206] = "PTRACE_SEIZE",
	[0x4207] = "PTRACE_INTERRUPT",
	[0x4208] = "PTRACE_LISTEN",
};

static const char *const prctl_opts[] = {
	[1] = "PR_SET_PDEATHSIG",
	[2] = "PR_GET_PDEATHSIG",
	[3] = "PR_GET_DUMPABLE",
	[4] = "PR_SET_DUMPABLE",
	[8] = "PR_SET_KEEPCAPS",
	[15] = "PR_SET_NAME",
	[16] = "PR_GET_NAME",
	[22] = "PR_SET_SECCOMP",
	[21] = "PR_GET_SECCOMP",
	[23] = "PR_CAPBSET_READ",
	[24] = "PR_CAPBSET_DROP",
	[35] = "PR_SET_MM",
	[36] = "PR_SET_CHILD_SUBREAPER",
	[38] = "PR_SET_NO_NEW_PRIVS",
	[39] = "PR_GET_NO_NEW_PRIVS",
	[47] = "PR_CAP_AMBIENT",
};

static const char *const bpf_cmds[] = {
	[0] = "BPF_MAP_CREATE",
	[1] = "BPF_MAP_LOOKUP_ELEM",
	[2] = "BPF_MAP_UPDATE_ELEM",
	[3] = "BPF_MAP_DELETE_ELEM",
	[4] = "BPF_MAP_GET_NEXT_KEY",
	[5] = "BPF_PROG_LOAD",
	[6] = "BPF_OBJ_PIN",
	[7] = "BPF_OBJ_GET",
	[8] = "BPF_PROG_ATTACH",
	[9] = "BPF_PROG_DETACH",
	[10] = "BPF_PROG_TEST_RUN",
	[11] = "BPF_PROG_GET_NEXT_ID",
	[12] = "BPF_MAP_GET_NEXT_ID",
	[13] = "BPF_PROG_GET_FD_BY_ID",
	[14] = "BPF_MAP_GET_FD_BY_ID",
	[15] = "BPF_OBJ_GET_INFO_BY_FD",
	[16] = "BPF_PROG_QUERY",
	[17] = "BPF_RAW_TRACEPOINT_OPEN",
	[18] = "BPF_BTF_LOAD",
	[19] = "BPF_BTF_GET_FD_BY_ID",
	[20] = "BPF_TASK_FD_QUERY",
	[21] = "BPF_MAP_LOOKUP_AND_DELETE_ELEM",
	[22] = "BPF_MAP_FREEZE",
	[23] = "BPF_BTF_GET_NEXT_ID",
	[24] = "BPF_MAP_LOOKUP_BATCH",
	[25] = "BPF_MAP_LOOKUP_AND_DELETE_BATCH",
	[26] = "BPF_MAP_UPDATE_BATCH",
	[27] = "BPF_MAP_DELETE_BATCH",
	[28] = "BPF_LINK_CREATE",
	[29] = "BPF_LINK_UPDATE",
	[30] = "BPF_LINK_GET_FD_BY_ID",
	[31] = "BPF_LINK_GET_NEXT_ID",
	[32] = "BPF_ENABLE_STATS",
	[33] = "BPF_ITER_CREATE",
	[34] = "BPF_LINK_DETACH",
	[35] = "BPF_PROG_BIND_MAP",
	[36] = "BPF_TOKEN_CREATE",
};

static const struct vg_flag_name mode_bits[] = {
	{01, "S_IXOTH"},   {02, "S_IWOTH"},    {04, "S_IROTH"},	   {010, "S_IXGRP"},
	{020, "S_IWGRP"},  {040, "S_IRGRP"},   {0100, "S_IXUSR"},  {0200, "S_IWUSR"},
	{0400, "S_IRUSR"}, {01000, "S_ISVTX"}, {02000, "S_ISGID"}, {04000, "S_ISUID"},
};

static const char *const caps[VG_CAP_LAST + 1] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

#define SET(tab)                          \
	{                                 \
		(tab), VG_ARRAY_SIZE(tab) \
	}
const struct vg_flag_set vg_open_flag_names = SET(open_flags);
const struct vg_flag_set vg_clone_flag_names = SET(clone_flags);
const struct vg_flag_set vg_mount_flag_names = SET(mount_flags);
const struct vg_flag_set vg_umount_flag_names = SET(umount_flags);
const struct vg_flag_set vg_memfd_flag_names = SET(memfd_flags);
const struct vg_flag_set vg_uffd_flag_names = SET(uffd_flags);
const struct vg_flag_set vg_sock_flag_names = SET(sock_flags);
const struct vg_flag_set vg_mode_names = SET(mode_bits);

#define NAME_IN(tab, v) ((uint64_t)(v) < VG_ARRAY_SIZE(tab) ? (tab)[(v)] : NULL)

const char *vg_errno_name(int err)
{
	return err > 0 ? NAME_IN(errnos, err) : NULL;
}

const char *vg_signal_name(int sig)
{
	return sig > 0 ? NAME_IN(signals, sig) : NULL;
}

const char *vg_family_name(uint64_t family)
{
	return NAME_IN(families, family);
}

const char *vg_sock_type_name(uint64_t type)
{
	return NAME_IN(sock_types, type & 0xf);
}

const char *vg_ptrace_request_name(uint64_t r)
{
	return NAME_IN(ptrace_reqs, r);
}

const char *vg_prctl_option_name(uint64_t o)
{
	return NAME_IN(prctl_opts, o);
}

const char *vg_bpf_cmd_name(uint64_t cmd)
{
	return NAME_IN(bpf_cmds, cmd);
}

const char *vg_cap_name(unsigned cap)
{
	return NAME_IN(caps, cap);
}

/* Appends s to buf at *len, bounded; the result stays NUL-terminated. */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (size == 0 || *len >= size - 1)
		return;
	n = VG_MIN(n, size - 1 - *len);
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

size_t vg_flags_format(const struct vg_flag_set *set, uint64_t v, char *buf, size_t size)
{
	size_t len = 0;
	char hex[32];

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < set->n; i++) {
		uint64_t bit = set->v[i].bit;

		if (bit && (v & bit) == bit) {
			if (len)
				append(buf, size, &len, "|");
			append(buf, size, &len, set->v[i].name);
			v &= ~bit;
		}
	}
	if (v) {
		(void)snprintf(hex, sizeof(hex), "%s0x%" PRIx64, len ? "|" : "", v);
		append(buf, size, &len, hex);
	} else if (len == 0) {
		append(buf, size, &len, "0");
	}
	return len;
}

size_t vg_open_flags_format(uint64_t v, char *buf, size_t size)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	uint64_t other = v & ~(uint64_t)3;
	size_t len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	append(buf, size, &len, acc[v & 3]);
	if (other && len + 1 < size) {
		append(buf, size, &len, "|");
		len += vg_flags_format(&vg_open_flag_names, other, buf + len, size - len);
	}
	return len;
}

size_t vg_signal_format(int64_t sig, char *buf, size_t size)
{
	const char *n = sig > 0 && sig < 32 ? vg_signal_name((int)sig) : NULL;
	int k;

	if (size == 0)
		return 0;
	if (n)
		k = snprintf(buf, size, "%s", n);
	else if (sig >= 32 && sig <= 64)
		k = snprintf(buf, size, "SIGRTMIN+%d", (int)(sig - 32));
	else
		k = snprintf(buf, size, "%" PRId64, sig);
	return k < 0 ? 0 : VG_MIN((size_t)k, size - 1);
}

size_t vg_caps_format(uint64_t c, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (unsigned i = 0; i <= VG_CAP_LAST; i++) {
		if (!(c & (1ull << i)))
			continue;
		if (len)
			append(buf, size, &len, " ");
		append(buf, size, &len, caps[i]);
	}
	return len;
}
