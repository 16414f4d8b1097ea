/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vg-actions: performs one security-relevant action per subcommand, so the integration tests
 * know exactly which kernel events vigil must report.
 *
 * Linked statically (it runs inside busybox containers with no libc). Each action prints one
 * line to stdout:
 *
 *   action=<name> pid=<getpid()> tid=<gettid()> <key>=<value> ...
 *
 * pid/tid are as seen from the caller's pid namespace (inside a container they are the
 * container's vpid/vtid). Keys that name a process other than the printing one are `child=`
 * (a forked helper that made the syscall) or `target=` (the victim of kill/ptrace/...).
 * `syscall=` names the event type the test must find, `ret=`/`errno=` the syscall result
 * (errno=0 on success). Paths are printed both as passed (`path=`) and absolute (`abs=`).
 * Values never contain spaces. The syscall itself may fail: the attempt is what is traced.
 *
 * Every syscall under test is made through syscall(2) with an explicit number, so the event
 * type does not depend on which wrapper glibc happens to use.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/openat2.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static char workdir[PATH_MAX]; /* absolute; created by ensure_workdir() */
static char self_exe[PATH_MAX]; /* absolute path of this program (argv[0] resolved) */
static int failures; /* actions that could not even set up (not syscall failures) */

/* One output line, written with a single write(2) so forks never duplicate buffered text. */
__attribute__((format(printf, 1, 2))) static void out(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(STDOUT_FILENO, buf, n);
}

__attribute__((format(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, n);
}

static long my_gettid(void)
{
	return syscall(SYS_gettid);
}

/* "action=NAME pid=P tid=T" */
#define HDR	      "action=%s pid=%d tid=%ld ppid=%d"
#define HDRARGS(name) (name), (int)getpid(), my_gettid(), (int)getppid()

/* result of the last raw syscall: ret and errno (0 on success) */
struct res {
	long ret;
	int err;
};

static struct res R(long ret) {
	struct res r = {ret, ret < 0 ? errno : 0};
	return r;
}

static const char *
errname(int e)
{
	static char buf[32];

	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case ESRCH:
		return "ESRCH";
	case EINTR:
		return "EINTR";
	case EIO:
		return "EIO";
	case ENOEXEC:
		return "ENOEXEC";
	case EBADF:
		return "EBADF";
	case ECHILD:
		return "ECHILD";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case EACCES:
		return "EACCES";
	case EFAULT:
		return "EFAULT";
	case EBUSY:
		return "EBUSY";
	case EEXIST:
		return "EEXIST";
	case EXDEV:
		return "EXDEV";
	case ENODEV:
		return "ENODEV";
	case ENOTDIR:
		return "ENOTDIR";
	case EISDIR:
		return "EISDIR";
	case EINVAL:
		return "EINVAL";
	case ENOSPC:
		return "ENOSPC";
	case EROFS:
		return "EROFS";
	case ENOSYS:
		return "ENOSYS";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	case ELOOP:
		return "ELOOP";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case EPROTONOSUPPORT:
		return "EPROTONOSUPPORT";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EKEYREJECTED:
		return "EKEYREJECTED";
	case EBADMSG:
		return "EBADMSG";
	case E2BIG:
		return "E2BIG";
	default:
		snprintf(buf, sizeof(buf), "%d", e);
		return buf;
	}
}

#define RES_FMT	    "ret=%ld errno=%s"
#define RES_ARGS(r) (r).ret, errname((r).err)

/* ---- helpers ----------------------------------------------------------------------------- */

static int mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Work directory: $VG_DIR (created) or a fresh mkdtemp under $TMPDIR, /tmp or /. */
static int ensure_workdir(void)
{
	const char *env = getenv("VG_DIR");
	char tmpl[PATH_MAX];

	if (workdir[0])
		return 0;
	if (env && *env) {
		if (mkdir_p(env, 0755) < 0 || !realpath(env, workdir)) {
			diag("vg-actions: VG_DIR %s: %s", env, strerror(errno));
			return -1;
		}
		return 0;
	}
	const char *bases[] = {getenv("TMPDIR"), "/tmp", "/"};
	for (size_t i = 0; i < ELEMENTSOF(bases); i++) {
		if (!bases[i] || !*bases[i])
			continue;
		if (strcmp(bases[i], "/tmp") == 0)
			(void)mkdir("/tmp", 01777);
		snprintf(tmpl, sizeof(tmpl), "%s/vga.XXXXXX",
			 strcmp(bases[i], "/") ? bases[i] : "");
		if (mkdtemp(tmpl) && realpath(tmpl, workdir))
			return 0;
	}
	diag("vg-actions: cannot create a work directory: %s", strerror(errno));
	return -1;
}

/* Absolute form of PATH (relative to the cwd) without resolving symlinks of the last part. */
static void absof(const char *path, char *buf, size_t size)
{
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		snprintf(buf, size, "%s", path);
		return;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "?");
	snprintf(buf, size, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", path);
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	if (len && write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int copy_fd(int in, int outfd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0) {
		char *p = buf;
		while (n > 0) {
			ssize_t w = write(outfd, p, n);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			p += w;
			n -= w;
		}
	}
	return n < 0 ? -1 : 0;
}

/* Wait for a child; returns a printable "exit=N" / "signal=N" into buf. */
static int wait_child(pid_t pid, char *buf, size_t size)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(buf, size, "wait=%s", errname(errno));
			return -1;
		}
	}
	if (WIFEXITED(status))
		snprintf(buf, size, "exit=%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "signal=%d", WTERMSIG(status));
	else
		snprintf(buf, size, "status=%d", status);
	return status;
}

/* A child that just waits to be killed (used as a target). */
static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void reap_kill(pid_t pid)
{
	int st;
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* Child helper: run fn(arg) in a fork, the child reports with its own pid. */
typedef void (*child_fn)(const char *name, void *arg);

static int in_child(const char *name, child_fn fn, void *arg)
{
	char st[64];
	pid_t pid = fork();

	if (pid < 0) {
		diag("vg-actions: %s: fork: %s", name, strerror(errno));
		failures++;
		return -1;
	}
	if (pid == 0) {
		fn(name, arg);
		_exit(0);
	}
	wait_child(pid, st, sizeof(st));
	return 0;
}

/* A loopback TCP listener on an ephemeral port. */
static int tcp_listener(int *ret_port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		close(fd);
		return -1;
	}
	*ret_port = ntohs(a.sin_port);
	return fd;
}

/* A fresh network namespace (runc with its own netns) has "lo" down: bring it up, quietly
 * (ioctl is not a traced syscall). Needs CAP_NET_ADMIN; harmless when already up. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			diag("vg-actions: cannot bring lo up: %s", strerror(errno));
	}
	close(fd);
}

/* ---- file actions ------------------------------------------------------------------------ */

static int act_open_read(int argc, char **argv)
{
	char abs[PATH_MAX];
	const char *path = argc > 1 ? argv[1] : "/etc/hostname";
	absof(path, abs, sizeof(abs));
	struct res r = R(syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
	out(HDR " syscall=openat path=%s abs=%s flags=O_RDONLY|O_CLOEXEC dirfd=-100 " RES_FMT,
	    HDRARGS("open-read"), path, abs, RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

static int act_open_write(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	absof(argv[1], abs, sizeof(abs));
	struct res r =
		R(syscall(SYS_openat, AT_FDCWD, argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0640));
	out(HDR
	    " syscall=openat path=%s abs=%s flags=O_WRONLY|O_CREAT|O_TRUNC mode=0640 dirfd=-100 " RES_FMT,
	    HDRARGS("open-write"), argv[1], abs, RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

/* Legacy open(2) (x86_64 still has it). */
static int act_open_legacy(int argc, char **argv)
{
	char abs[PATH_MAX];
	const char *path = argc > 1 ? argv[1] : "/etc/hostname";
	absof(path, abs, sizeof(abs));
#ifdef SYS_open
	struct res r = R(syscall(SYS_open, path, O_RDONLY));
#else
	struct res r = {-1, ENOSYS};
#endif
	out(HDR " syscall=open path=%s abs=%s flags=O_RDONLY " RES_FMT, HDRARGS("open-legacy"),
	    path, abs, RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

/* openat(dirfd, relative): the sensor must resolve the name against the dirfd. */
static int act_openat_dirfd(int argc, char **argv)
{
	char dir[PATH_MAX];
	if (argc < 3)
		return -EINVAL;
	absof(argv[1], dir, sizeof(dir));
	int dfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		diag("vg-actions: openat-dirfd: %s: %s", argv[1], strerror(errno));
		failures++;
		return 0;
	}
	struct res r = R(syscall(SYS_openat, dfd, argv[2], O_RDONLY | O_CLOEXEC));
	out(HDR " syscall=openat path=%s abs=%s/%s dirfd=%d " RES_FMT, HDRARGS("openat-dirfd"),
	    argv[2], dir, argv[2], dfd, RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	close(dfd);
	return 0;
}

static int act_openat2(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	absof(argv[1], abs, sizeof(abs));
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC, .mode = 0, .resolve = RESOLVE_NO_MAGICLINKS};
	struct res r = R(syscall(SYS_openat2, AT_FDCWD, argv[1], &how, sizeof(how)));
	out(HDR " syscall=openat2 path=%s abs=%s flags=O_RDONLY|O_CLOEXEC " RES_FMT,
	    HDRARGS("openat2"), argv[1], abs, RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

static int act_creat(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_creat, argv[1], 0600));
	out(HDR " syscall=creat path=%s abs=%s mode=0600 " RES_FMT, HDRARGS("creat"), argv[1], abs,
	    RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

static int act_unlink(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_unlink, argv[1]));
	out(HDR " syscall=unlink path=%s abs=%s " RES_FMT, HDRARGS("unlink"), argv[1], abs,
	    RES_ARGS(r));
	return 0;
}

static int act_mkdir(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_mkdir, argv[1], 0750));
	out(HDR " syscall=mkdir path=%s abs=%s mode=0750 " RES_FMT, HDRARGS("mkdir"), argv[1], abs,
	    RES_ARGS(r));
	return 0;
}

static int act_rmdir(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_rmdir, argv[1]));
	out(HDR " syscall=rmdir path=%s abs=%s " RES_FMT, HDRARGS("rmdir"), argv[1], abs,
	    RES_ARGS(r));
	return 0;
}

static int act_rename(int argc, char **argv)
{
	char a[PATH_MAX], b[PATH_MAX];
	if (argc < 3)
		return -EINVAL;
	absof(argv[1], a, sizeof(a));
	absof(argv[2], b, sizeof(b));
	struct res r = R(syscall(SYS_rename, argv[1], argv[2]));
	out(HDR " syscall=rename old=%s new=%s oldabs=%s newabs=%s " RES_FMT, HDRARGS("rename"),
	    argv[1], argv[2], a, b, RES_ARGS(r));
	return 0;
}

static int act_link(int argc, char **argv)
{
	char a[PATH_MAX], b[PATH_MAX];
	if (argc < 3)
		return -EINVAL;
	absof(argv[1], a, sizeof(a));
	absof(argv[2], b, sizeof(b));
	struct res r = R(syscall(SYS_link, argv[1], argv[2]));
	out(HDR " syscall=link old=%s new=%s oldabs=%s newabs=%s " RES_FMT, HDRARGS("link"),
	    argv[1], argv[2], a, b, RES_ARGS(r));
	return 0;
}

static int act_symlink(int argc, char **argv)
{
	char b[PATH_MAX];
	if (argc < 3)
		return -EINVAL;
	absof(argv[2], b, sizeof(b));
	struct res r = R(syscall(SYS_symlink, argv[1], argv[2]));
	out(HDR " syscall=symlink target=%s link=%s linkabs=%s " RES_FMT, HDRARGS("symlink"),
	    argv[1], argv[2], b, RES_ARGS(r));
	return 0;
}

static int act_chmod(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	unsigned long mode = argc > 2 ? strtoul(argv[2], NULL, 8) : 04755;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_chmod, argv[1], (mode_t)mode));
	out(HDR " syscall=chmod path=%s abs=%s mode=0%lo " RES_FMT, HDRARGS("chmod"), argv[1], abs,
	    mode, RES_ARGS(r));
	return 0;
}

static int act_chown(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	long uid = argc > 2 ? atol(argv[2]) : 65534, gid = argc > 3 ? atol(argv[3]) : 65534;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_chown, argv[1], (uid_t)uid, (gid_t)gid));
	out(HDR " syscall=chown path=%s abs=%s uid=%ld gid=%ld " RES_FMT, HDRARGS("chown"), argv[1],
	    abs, uid, gid, RES_ARGS(r));
	return 0;
}

static int act_truncate(int argc, char **argv)
{
	char abs[PATH_MAX];
	if (argc < 2)
		return -EINVAL;
	long len = argc > 2 ? atol(argv[2]) : 0;
	absof(argv[1], abs, sizeof(abs));
	struct res r = R(syscall(SYS_truncate, argv[1], (off_t)len));
	out(HDR " syscall=truncate path=%s abs=%s length=%ld " RES_FMT, HDRARGS("truncate"),
	    argv[1], abs, len, RES_ARGS(r));
	return 0;
}

/* ---- network ----------------------------------------------------------------------------- */

static int act_socket(int argc, char **argv)
{
	struct res a = R(syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
	struct res p = R(syscall(SYS_socket, AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
	out(HDR " syscall=socket inet_ret=%ld inet_errno=%s packet_ret=%ld packet_errno=%s",
	    HDRARGS("socket"), a.ret, errname(a.err), p.ret, errname(p.err));
	if (a.ret >= 0)
		close(a.ret);
	if (p.ret >= 0)
		close(p.ret);
	return 0;
}

static int act_tcp_connect(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	long lfd, cfd;
	struct res bi, li, co, ac = {-1, 0};
	int cport = 0;

	lfd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		out(HDR " syscall=connect error=socket errno=%s", HDRARGS("tcp-connect"),
		    errname(errno));
		return 0;
	}
	bi = R(syscall(SYS_bind, lfd, &a, sizeof(a)));
	li = R(syscall(SYS_listen, lfd, 8));
	getsockname(lfd, (struct sockaddr *)&a, &alen);
	int port = ntohs(a.sin_port);

	cfd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	co = R(syscall(SYS_connect, cfd, &a, sizeof(a)));
	if (co.ret == 0) {
		struct sockaddr_in c;
		socklen_t clen = sizeof(c);
		getsockname(cfd, (struct sockaddr *)&c, &clen);
		cport = ntohs(c.sin_port);
		ac = R(syscall(SYS_accept4, lfd, NULL, NULL, SOCK_CLOEXEC));
	}
	out(HDR " syscall=connect port=%d client_port=%d listen_fd=%ld client_fd=%ld accept_fd=%ld "
		"bind_ret=%ld listen_ret=%ld accept_errno=%s " RES_FMT,
	    HDRARGS("tcp-connect"), port, cport, lfd, cfd, ac.ret, bi.ret, li.ret, errname(ac.err),
	    RES_ARGS(co));
	if (ac.ret >= 0)
		close(ac.ret);
	close(cfd);
	close(lfd);
	return 0;
}

static int act_udp_sendto(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	static const char msg[] = "vigil-udp";
	int rfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (rfd < 0 || bind(rfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(rfd, (struct sockaddr *)&a, &alen) < 0) {
		out(HDR " syscall=sendto error=setup errno=%s", HDRARGS("udp-sendto"),
		    errname(errno));
		if (rfd >= 0)
			close(rfd);
		return 0;
	}
	long sfd = syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0);
	struct res r = R(syscall(SYS_sendto, sfd, msg, sizeof(msg) - 1, 0, &a, sizeof(a)));
	out(HDR " syscall=sendto port=%d fd=%ld size=%zu " RES_FMT, HDRARGS("udp-sendto"),
	    ntohs(a.sin_port), sfd, sizeof(msg) - 1, RES_ARGS(r));
	close(sfd);
	close(rfd);
	return 0;
}

/* Reverse-shell pattern: a forked child dup2()s a connected TCP socket onto 0, 1 and 2. */
static int act_dup2_socket(int argc, char **argv)
{
	int port = 0, lfd = tcp_listener(&port);
	char st[64];

	if (lfd < 0) {
		out(HDR " syscall=dup2 error=listener errno=%s", HDRARGS("dup2-socket"),
		    errname(errno));
		return 0;
	}
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		close(lfd);
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		struct sockaddr_in a = {.sin_family = AF_INET,
					.sin_port = htons(port),
					.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		int s = socket(AF_INET, SOCK_STREAM, 0);
		int ok = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
		long r0, r1, r2;
		int e = 0;
		r0 = syscall(SYS_dup2, s, 0);
		r1 = syscall(SYS_dup2, s, 1);
		r2 = syscall(SYS_dup2, s, 2);
		if (r0 < 0 || r1 < 0 || r2 < 0)
			e = errno;
		char line[256];
		int n = snprintf(line, sizeof(line),
				 "sock_fd=%d connected=%d ret=%ld,%ld,%ld errno=%s", s, ok, r0, r1,
				 r2, errname(e));
		(void)!write(pfd[1], line, n);
		_exit(0);
	}
	close(pfd[1]);
	char line[256] = "";
	ssize_t n = read(pfd[0], line, sizeof(line) - 1);
	if (n > 0)
		line[n] = 0;
	close(pfd[0]);
	wait_child(pid, st, sizeof(st));
	close(lfd);
	out(HDR " syscall=dup2 child=%d port=%d newfds=0,1,2 %s", HDRARGS("dup2-socket"), (int)pid,
	    port, line);
	return 0;
}

/* ---- privilege ---------------------------------------------------------------------------- */

static void child_setuid(const char *name, void *arg)
{
	struct res r = R(syscall(SYS_setuid, 65534));
	out(HDR " syscall=setuid uid=65534 " RES_FMT, HDRARGS(name), RES_ARGS(r));
}

static void child_setgid(const char *name, void *arg)
{
	struct res r = R(syscall(SYS_setgid, 65534));
	out(HDR " syscall=setgid gid=65534 " RES_FMT, HDRARGS(name), RES_ARGS(r));
}

static void child_setresuid(const char *name, void *arg)
{
	struct res r = R(syscall(SYS_setresuid, 65534, 65534, 65534));
	out(HDR " syscall=setresuid ruid=65534 euid=65534 suid=65534 " RES_FMT, HDRARGS(name),
	    RES_ARGS(r));
}

static int act_setuid(int argc, char **argv)
{
	return in_child("setuid", child_setuid, NULL);
}

static int act_setgid(int argc, char **argv)
{
	return in_child("setgid", child_setgid, NULL);
}

static int act_setresuid(int argc, char **argv)
{
	return in_child("setresuid", child_setresuid, NULL);
}

/* Drop CAP_NET_RAW from the effective and permitted sets (in a child). */
static void child_capset(const char *name, void *arg)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0) {
		out(HDR " syscall=capset error=capget errno=%s", HDRARGS(name), errname(errno));
		return;
	}
	d[0].effective &= ~(1u << CAP_NET_RAW);
	d[0].permitted &= ~(1u << CAP_NET_RAW);
	d[0].inheritable &= ~(1u << CAP_NET_RAW);
	struct res r = R(syscall(SYS_capset, &h, d));
	unsigned long long eff = ((unsigned long long)d[1].effective << 32) | d[0].effective;
	unsigned long long prm = ((unsigned long long)d[1].permitted << 32) | d[0].permitted;
	out(HDR
	    " syscall=capset dropped=CAP_NET_RAW cap_effective=0x%llx cap_permitted=0x%llx " RES_FMT,
	    HDRARGS(name), eff, prm, RES_ARGS(r));
}

static int act_capset(int argc, char **argv)
{
	return in_child("capset", child_capset, NULL);
}

static int act_ptrace_attach(int argc, char **argv)
{
	pid_t t = spawn_sleeper();
	struct res r, d = {-1, 0};
	int st;

	if (t < 0) {
		failures++;
		return 0;
	}
	r = R(syscall(SYS_ptrace, PTRACE_ATTACH, t, 0, 0));
	if (r.ret == 0) {
		while (waitpid(t, &st, 0) < 0 && errno == EINTR)
			;
		d = R(syscall(SYS_ptrace, PTRACE_DETACH, t, 0, 0));
	}
	out(HDR " syscall=ptrace request=PTRACE_ATTACH target=%d detach_ret=%ld " RES_FMT,
	    HDRARGS("ptrace-attach"), (int)t, d.ret, RES_ARGS(r));
	reap_kill(t);
	return 0;
}

static void child_traceme(const char *name, void *arg)
{
	struct res r = R(syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
	out(HDR " syscall=ptrace request=PTRACE_TRACEME " RES_FMT, HDRARGS(name), RES_ARGS(r));
}

static int act_ptrace_traceme(int argc, char **argv)
{
	return in_child("ptrace-traceme", child_traceme, NULL);
}

static void child_setname(const char *name, void *arg)
{
	const char *n = arg;
	struct res r = R(syscall(SYS_prctl, PR_SET_NAME, n, 0, 0, 0));
	out(HDR " syscall=prctl option=PR_SET_NAME name=%s " RES_FMT, HDRARGS(name), n,
	    RES_ARGS(r));
}

static int act_prctl_setname(int argc, char **argv)
{
	return in_child("prctl-setname", child_setname, argc > 1 ? argv[1] : "vg-renamed");
}

/* ---- namespaces and mounts ---------------------------------------------------------------- */

static void child_unshare(const char *name, void *arg)
{
	struct res r = R(syscall(SYS_unshare, CLONE_NEWUTS));
	out(HDR " syscall=unshare flags=CLONE_NEWUTS " RES_FMT, HDRARGS(name), RES_ARGS(r));
}

static int act_unshare(int argc, char **argv)
{
	return in_child("unshare", child_unshare, NULL);
}

static int act_setns(int argc, char **argv)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		out(HDR " syscall=setns error=open errno=%s", HDRARGS("setns"), errname(errno));
		return 0;
	}
	struct res r = R(syscall(SYS_setns, fd, CLONE_NEWUTS));
	out(HDR " syscall=setns fd=%d nstype=CLONE_NEWUTS nspath=/proc/self/ns/uts " RES_FMT,
	    HDRARGS("setns"), fd, RES_ARGS(r));
	close(fd);
	return 0;
}

static int act_mount(int argc, char **argv)
{
	char dir[PATH_MAX];

	if (argc > 1)
		absof(argv[1], dir, sizeof(dir));
	else {
		if (ensure_workdir() < 0)
			return 0;
		snprintf(dir, sizeof(dir), "%s/mnt", workdir);
	}
	mkdir_p(dir, 0755);
	struct res m =
		R(syscall(SYS_mount, "vgtmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k"));
	struct res u = R(syscall(SYS_umount2, dir, MNT_DETACH));
	out(HDR " syscall=mount dev=vgtmpfs dir=%s type=tmpfs flags=MS_NOSUID|MS_NODEV " RES_FMT
		" umount_ret=%ld umount_errno=%s umount_flags=MNT_DETACH",
	    HDRARGS("mount"), dir, RES_ARGS(m), u.ret, errname(u.err));
	return 0;
}

static void child_chroot(const char *name, void *arg)
{
	const char *dir = arg;
	struct res r = R(syscall(SYS_chroot, dir));
	out(HDR " syscall=chroot path=%s " RES_FMT, HDRARGS(name), dir, RES_ARGS(r));
}

static int act_chroot(int argc, char **argv)
{
	char dir[PATH_MAX];
	if (argc > 1)
		absof(argv[1], dir, sizeof(dir));
	else {
		if (ensure_workdir() < 0)
			return 0;
		snprintf(dir, sizeof(dir), "%s", workdir);
	}
	return in_child("chroot", child_chroot, dir);
}

static void child_pivot_root(const char *name, void *arg)
{
	const char *dir = arg;
	char old[PATH_MAX];
	struct res u = R(syscall(SYS_unshare, CLONE_NEWNS));
	if (u.ret == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	snprintf(old, sizeof(old), "%s/old", dir);
	mkdir_p(old, 0755);
	struct res r = R(syscall(SYS_pivot_root, dir, old));
	out(HDR " syscall=pivot_root new_root=%s put_old=%s unshare_ret=%ld " RES_FMT,
	    HDRARGS(name), dir, old, u.ret, RES_ARGS(r));
}

static int act_pivot_root(int argc, char **argv)
{
	char dir[PATH_MAX];
	if (argc > 1)
		absof(argv[1], dir, sizeof(dir));
	else {
		if (ensure_workdir() < 0)
			return 0;
		snprintf(dir, sizeof(dir), "%s/newroot", workdir);
	}
	mkdir_p(dir, 0755);
	return in_child("pivot-root", child_pivot_root, dir);
}

/* ---- kernel surface ------------------------------------------------------------------------ */

static int act_init_module(int argc, char **argv)
{
	static const char junk[64] = "\x7f"
				     "ELF-not-really-a-module";
	static const char params[] = "vg_test=1";
	struct res r = R(syscall(SYS_init_module, junk, sizeof(junk), params));
	out(HDR " syscall=init_module len=%zu uargs=%s " RES_FMT, HDRARGS("init-module"),
	    sizeof(junk), params, RES_ARGS(r));
	return 0;
}

static int act_finit_module(int argc, char **argv)
{
	char path[PATH_MAX];
	static const char params[] = "vg_test=1";
	if (argc > 1)
		absof(argv[1], path, sizeof(path));
	else {
		if (ensure_workdir() < 0)
			return 0;
		snprintf(path, sizeof(path), "%s/vg-bogus.ko", workdir);
		write_file(path,
			   "\x7f"
			   "ELFjunkjunkjunkjunk",
			   20, 0644);
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		out(HDR " syscall=finit_module error=open path=%s errno=%s",
		    HDRARGS("finit-module"), path, errname(errno));
		return 0;
	}
	struct res r = R(syscall(SYS_finit_module, fd, params, 0));
	out(HDR " syscall=finit_module fd=%d path=%s uargs=%s flags=0 " RES_FMT,
	    HDRARGS("finit-module"), fd, path, params, RES_ARGS(r));
	close(fd);
	return 0;
}

static int act_bpf(int argc, char **argv)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	struct res r = R(syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));
	out(HDR " syscall=bpf cmd=BPF_MAP_CREATE " RES_FMT, HDRARGS("bpf"), RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

static int act_perf_event_open(int argc, char **argv)
{
	struct perf_event_attr pa;
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_SOFTWARE;
	pa.size = sizeof(pa);
	pa.config = PERF_COUNT_SW_CPU_CLOCK;
	pa.disabled = 1;
	pa.exclude_kernel = 1;
	pa.exclude_hv = 1;
	struct res r = R(syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0));
	out(HDR " syscall=perf_event_open type=%u config=%llu target_pid=0 cpu=-1 " RES_FMT,
	    HDRARGS("perf-event-open"), pa.type, (unsigned long long)pa.config, RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

static int act_userfaultfd(int argc, char **argv)
{
	struct res r = R(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
	out(HDR " syscall=userfaultfd flags=O_CLOEXEC|O_NONBLOCK " RES_FMT, HDRARGS("userfaultfd"),
	    RES_ARGS(r));
	if (r.ret >= 0)
		close(r.ret);
	return 0;
}

/* memfd_create + copy of ourselves + execveat(fd, "", AT_EMPTY_PATH) running `noop`. */
static int act_memfd_exec(int argc, char **argv)
{
	static const char mname[] = "vg-memfd";
	char st[64];
	struct res m = R(syscall(SYS_memfd_create, mname, MFD_CLOEXEC));

	if (m.ret < 0) {
		out(HDR " syscall=memfd_create name=%s " RES_FMT, HDRARGS("memfd-exec"), mname,
		    RES_ARGS(m));
		return 0;
	}
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0 || copy_fd(in, m.ret) < 0) {
		diag("vg-actions: memfd-exec: copy: %s", strerror(errno));
		failures++;
	}
	if (in >= 0)
		close(in);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		close(m.ret);
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char *cargv[] = {"vg-memfd-noop", "noop", NULL};
		extern char **environ;
		long r = syscall(SYS_execveat, m.ret, "", cargv, environ, AT_EMPTY_PATH);
		int e = errno;
		(void)!write(pfd[1], &e, sizeof(e));
		_exit(r < 0 ? 127 : 0);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e)); /* EOF on successful exec (CLOEXEC) */
	close(pfd[0]);
	wait_child(pid, st, sizeof(st));
	out(HDR
	    " syscall=execveat memfd_name=%s memfd_fd=%ld child=%d exec_ret=%d exec_errno=%s %s",
	    HDRARGS("memfd-exec"), mname, m.ret, (int)pid, n > 0 ? -1 : 0, errname(n > 0 ? e : 0),
	    st);
	close(m.ret);
	return 0;
}

/* execveat(dirfd of our own directory, our basename) running `noop`. */
static int act_execveat(int argc, char **argv)
{
	char dir[PATH_MAX], st[64];
	const char *exe = argc > 1 ? argv[1] : self_exe;
	const char *slash = strrchr(exe, '/');
	const char *base = slash ? slash + 1 : exe;

	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		size_t l = slash - exe;
		snprintf(dir, sizeof(dir), "%.*s", (int)(l ? l : 1), exe);
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		out(HDR " syscall=execveat error=open dir=%s errno=%s", HDRARGS("execveat"), dir,
		    errname(errno));
		return 0;
	}
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return 0;
	pid_t pid = fork();
	if (pid == 0) {
		char *cargv[] = {(char *)base, "noop", NULL};
		extern char **environ;
		long r = syscall(SYS_execveat, dfd, base, cargv, environ, 0);
		int e = errno;
		(void)!write(pfd[1], &e, sizeof(e));
		_exit(r < 0 ? 127 : 0);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	wait_child(pid, st, sizeof(st));
	out(HDR " syscall=execveat dir=%s name=%s exe=%s child=%d exec_ret=%d exec_errno=%s %s",
	    HDRARGS("execveat"), dir, base, exe, (int)pid, n > 0 ? -1 : 0, errname(n > 0 ? e : 0),
	    st);
	close(dfd);
	return 0;
}

static volatile char pvm_target[32] = "untouched";

static int act_process_vm_writev(int argc, char **argv)
{
	static const char msg[] = "vigil-was-here";
	pid_t t = spawn_sleeper();

	if (t < 0) {
		failures++;
		return 0;
	}
	struct iovec local = {.iov_base = (void *)msg, .iov_len = sizeof(msg)};
	struct iovec remote = {.iov_base = (void *)pvm_target, .iov_len = sizeof(msg)};
	struct res r = R(syscall(SYS_process_vm_writev, t, &local, 1, &remote, 1, 0));
	out(HDR " syscall=process_vm_writev target=%d " RES_FMT, HDRARGS("process-vm-writev"),
	    (int)t, RES_ARGS(r));
	reap_kill(t);
	return 0;
}

static int act_kill(int argc, char **argv)
{
	char st[64];
	pid_t t = spawn_sleeper();

	if (t < 0) {
		failures++;
		return 0;
	}
	struct res r = R(syscall(SYS_kill, t, SIGTERM));
	wait_child(t, st, sizeof(st));
	out(HDR " syscall=kill target=%d sig=SIGTERM %s " RES_FMT, HDRARGS("kill"), (int)t, st,
	    RES_ARGS(r));
	return 0;
}

/* fork() (glibc: the clone syscall); the child exits with code 7. */
static int act_fork(int argc, char **argv)
{
	char st[64];
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	if (pid < 0) {
		out(HDR " syscall=clone error=fork errno=%s", HDRARGS("fork"), errname(errno));
		return 0;
	}
	wait_child(pid, st, sizeof(st));
	out(HDR " syscall=clone child=%d child_exit=7 %s", HDRARGS("fork"), (int)pid, st);
	return 0;
}

/* exec PATH [ARGS...]: fork, execve(PATH, [PATH, ARGS...]) in the child, wait. */
static int do_exec(const char *name, int argc, char **argv)
{
	char st[64], joined[1024] = "";
	size_t off = 0;

	if (argc < 2)
		return -EINVAL;
	/* argv joined with ',', each word percent-encoded (space, '%', ',' and controls) */
	for (int i = 1; i < argc && off < sizeof(joined) - 8; i++) {
		if (i > 1)
			joined[off++] = ',';
		for (const unsigned char *c = (const unsigned char *)argv[i];
		     *c && off < sizeof(joined) - 8; c++) {
			if (*c <= ' ' || *c == '%' || *c == ',' || *c >= 0x7f)
				off += snprintf(joined + off, sizeof(joined) - off, "%%%02X", *c);
			else
				joined[off++] = *c;
		}
	}
	joined[off] = 0;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return 0;
	pid_t pid = fork();
	if (pid == 0) {
		extern char **environ;
		long r = syscall(SYS_execve, argv[1], argv + 1, environ);
		int e = errno;
		(void)!write(pfd[1], &e, sizeof(e));
		_exit(r < 0 ? 127 : 0);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	wait_child(pid, st, sizeof(st));
	out(HDR " syscall=execve child=%d path=%s argv=%s exec_ret=%d exec_errno=%s %s",
	    HDRARGS(name), (int)pid, argv[1], joined, n > 0 ? -1 : 0, errname(n > 0 ? e : 0), st);
	return 0;
}

static int act_exec(int argc, char **argv)
{
	return do_exec("exec", argc, argv);
}

/* exec-lower PATH [ARGS...]: same as exec, reported under its own name (`all` uses it for a
 * binary of the image itself: on an overlayfs root it lives in a lower layer). */
static int act_exec_lower(int argc, char **argv)
{
	return do_exec("exec-lower", argc, argv);
}

/* copy-exec SRC DST [ARGV...]: copy SRC to DST (0755), then exec DST with ARGV (argv[0] is
 * ARGV's first word, default the basename of DST). On an overlayfs root DST lives in the
 * upper layer. */
static int act_copy_exec(int argc, char **argv)
{
	char st[64];
	if (argc < 3)
		return -EINVAL;
	int in = open(argv[1], O_RDONLY | O_CLOEXEC);
	int o = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (in < 0 || o < 0 || copy_fd(in, o) < 0) {
		out(HDR " syscall=execve error=copy src=%s dst=%s errno=%s", HDRARGS("copy-exec"),
		    argv[1], argv[2], errname(errno));
		if (in >= 0)
			close(in);
		if (o >= 0)
			close(o);
		return 0;
	}
	close(in);
	close(o);
	char *defargv[] = {argv[2], NULL};
	char **cargv = argc > 3 ? argv + 3 : defargv;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return 0;
	pid_t pid = fork();
	if (pid == 0) {
		extern char **environ;
		long r = syscall(SYS_execve, argv[2], cargv, environ);
		int e = errno;
		(void)!write(pfd[1], &e, sizeof(e));
		_exit(r < 0 ? 127 : 0);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t n = read(pfd[0], &e, sizeof(e));
	close(pfd[0]);
	wait_child(pid, st, sizeof(st));
	out(HDR " syscall=execve child=%d src=%s path=%s argv0=%s exec_ret=%d exec_errno=%s %s",
	    HDRARGS("copy-exec"), (int)pid, argv[1], argv[2], cargv[0], n > 0 ? -1 : 0,
	    errname(n > 0 ? e : 0), st);
	return 0;
}

static void sleep_s(double s);

static int act_noop(int argc, char **argv)
{
	out(HDR, HDRARGS("noop"));
	return 0;
}

static int act_sleep(int argc, char **argv)
{
	double s = argc > 1 ? atof(argv[1]) : 1.0;
	out(HDR " seconds=%g", HDRARGS("sleep"), s);
	sleep_s(s);
	return 0;
}

/* ---- actions for test-rules.py (one per built-in rule that no action above covers) ---- */

/* setuid-root [UID]: a root process drops to UID (default 1000) keeping 0 as its saved uid
 * (setresuid(UID, UID, 0)), then becomes root again with setuid(0): a non-root process
 * turning into root. Done in a child so the caller keeps its credentials. */
static void child_setuid_root(const char *name, void *arg)
{
	long uid = *(const long *)arg;
	struct res d = R(syscall(SYS_setresuid, uid, uid, 0));
	struct res r = R(syscall(SYS_setuid, 0));
	out(HDR " syscall=setuid drop_uid=%ld drop_ret=%ld drop_errno=%s euid=%d " RES_FMT,
	    HDRARGS(name), uid, d.ret, errname(d.err), (int)geteuid(), RES_ARGS(r));
}

static int act_setuid_root(int argc, char **argv)
{
	long uid = argc > 1 ? atol(argv[1]) : 1000;
	return in_child("setuid-root", child_setuid_root, &uid);
}

/* unix-connect PATH [REQUEST]: connect a stream socket to the unix socket PATH, send REQUEST
 * (C escapes \r \n) and report the first bytes of the reply (spaces as '_'). */
static int act_unix_connect(int argc, char **argv)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char req[512], reply[64] = "";
	size_t n = 0;

	if (argc < 2 || strlen(argv[1]) >= sizeof(a.sun_path))
		return -EINVAL;
	memcpy(a.sun_path, argv[1], strlen(argv[1]) + 1);
	for (const char *c = argc > 2 ? argv[2] : ""; *c && n < sizeof(req) - 1; c++) {
		if (c[0] == '\\' && (c[1] == 'r' || c[1] == 'n')) {
			req[n++] = c[1] == 'r' ? '\r' : '\n';
			c++;
		} else {
			req[n++] = *c;
		}
	}
	long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct res r = R(syscall(SYS_connect, fd, &a, sizeof(a)));
	if (r.ret == 0 && n > 0 && write(fd, req, n) == (ssize_t)n) {
		ssize_t got = read(fd, reply, sizeof(reply) - 1);
		if (got > 0) {
			reply[got] = 0;
			for (char *c = reply; *c; c++)
				if (*c <= ' ' || *c >= 0x7f)
					*c = '_';
		}
	}
	out(HDR " syscall=connect path=%s fd=%ld reply=%s " RES_FMT, HDRARGS("unix-connect"),
	    argv[1], fd, reply[0] ? reply : "-", RES_ARGS(r));
	if (fd >= 0)
		close(fd);
	return 0;
}

/* spawn-loop SECONDS COUNT PATH [ARGS...]: every SECONDS, fork and execve PATH ARGS (argv[0]
 * = PATH) and wait for it; COUNT times, 0 = forever. A server-like entrypoint that spawns. */
static int act_spawn_loop(int argc, char **argv)
{
	if (argc < 4)
		return -EINVAL;
	double every = atof(argv[1]);
	long count = atol(argv[2]);
	for (long i = 0; count == 0 || i < count; i++) {
		char **v = calloc(argc - 1, sizeof(char *)); /* "spawn-loop" PATH ARGS... NULL */
		if (!v)
			return 1;
		v[0] = argv[0];
		for (int k = 3; k < argc; k++)
			v[k - 2] = argv[k];
		do_exec("spawn-loop", argc - 2, v);
		free(v);
		sleep_s(every);
	}
	return 0;
}

/* ---- dispatch ----------------------------------------------------------------------------- */

struct action {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static int act_all(int argc, char **argv);

static const struct action actions[] = {
	{"open-read", act_open_read, "[PATH]"},
	{"open-write", act_open_write, "PATH"},
	{"open-legacy", act_open_legacy, "[PATH]"},
	{"openat-dirfd", act_openat_dirfd, "DIR NAME"},
	{"openat2", act_openat2, "PATH"},
	{"creat", act_creat, "PATH"},
	{"unlink", act_unlink, "PATH"},
	{"mkdir", act_mkdir, "PATH"},
	{"rmdir", act_rmdir, "PATH"},
	{"rename", act_rename, "OLD NEW"},
	{"link", act_link, "OLD NEW"},
	{"symlink", act_symlink, "TARGET LINK"},
	{"chmod", act_chmod, "PATH [OCTAL-MODE]"},
	{"chown", act_chown, "PATH [UID [GID]]"},
	{"truncate", act_truncate, "PATH [LENGTH]"},
	{"socket", act_socket, ""},
	{"tcp-connect", act_tcp_connect, ""},
	{"udp-sendto", act_udp_sendto, ""},
	{"dup2-socket", act_dup2_socket, ""},
	{"setuid", act_setuid, ""},
	{"setgid", act_setgid, ""},
	{"setresuid", act_setresuid, ""},
	{"capset", act_capset, ""},
	{"ptrace-attach", act_ptrace_attach, ""},
	{"ptrace-traceme", act_ptrace_traceme, ""},
	{"prctl-setname", act_prctl_setname, "[NAME]"},
	{"unshare", act_unshare, ""},
	{"setns", act_setns, ""},
	{"mount", act_mount, "[DIR]"},
	{"chroot", act_chroot, "[DIR]"},
	{"pivot-root", act_pivot_root, "[DIR]"},
	{"init-module", act_init_module, ""},
	{"finit-module", act_finit_module, "[FILE]"},
	{"bpf", act_bpf, ""},
	{"perf-event-open", act_perf_event_open, ""},
	{"userfaultfd", act_userfaultfd, ""},
	{"memfd-exec", act_memfd_exec, ""},
	{"execveat", act_execveat, "[EXE]"},
	{"process-vm-writev", act_process_vm_writev, ""},
	{"kill", act_kill, ""},
	{"fork", act_fork, ""},
	{"exec", act_exec, "PATH [ARGS...]"},
	{"exec-lower", act_exec_lower, "PATH [ARGS...]"},
	{"copy-exec", act_copy_exec, "SRC DST [ARGV...]"},
	{"noop", act_noop, ""},
	{"sleep", act_sleep, "SECONDS"},
	{"all", act_all, "[--delay SECONDS] [--linger SECONDS] [--tag WORD]"},
	{"setuid-root", act_setuid_root, "[UID]"},
	{"unix-connect", act_unix_connect, "PATH [REQUEST]"},
	{"spawn-loop", act_spawn_loop, "SECONDS COUNT PATH [ARGS...]"},
};

static int run(int argc, char **argv);

#define RUN(...)                                  \
	do {                                      \
		char *_v[] = {__VA_ARGS__, NULL}; \
		run((int)ELEMENTSOF(_v) - 1, _v); \
	} while (0)

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
	while (s > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Every action once, on files inside a fresh work directory. --delay waits before the first
 * action (so a container runtime's metadata can be fetched first), --linger after the last. */
static int act_all(int argc, char **argv)
{
	char p[16][PATH_MAX];
	double delay = 0, linger = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--delay") && i + 1 < argc)
			delay = atof(argv[++i]);
		else if (!strcmp(argv[i], "--linger") && i + 1 < argc)
			linger = atof(argv[++i]);
		else if (!strcmp(argv[i], "--tag") && i + 1 < argc)
			i++; /* only makes this command line unique (tests find it by cmdline) */
		else
			return -EINVAL;
	}
	if (ensure_workdir() < 0)
		return 1;
	sleep_s(delay);
	out(HDR " workdir=%s exe=%s", HDRARGS("all"), workdir, self_exe);
	loopback_up();
	if (chdir(workdir) < 0) {
		diag("vg-actions: chdir %s: %s", workdir, strerror(errno));
		return 1;
	}
	snprintf(p[0], PATH_MAX, "%s/read-me", workdir);
	write_file(p[0], "hello\n", 6, 0644);
	snprintf(p[1], PATH_MAX, "%s/openat2-me", workdir);
	write_file(p[1], "x", 1, 0644);
	snprintf(p[2], PATH_MAX, "%s/dir", workdir);

	RUN("open-read", p[0]);
	RUN("open-write", "written"); /* relative: name must be made absolute */
	RUN("open-legacy", p[0]);
	RUN("openat-dirfd", workdir, "read-me"); /* dirfd-relative */
	RUN("openat2", p[1]);
	RUN("creat", "created");
	RUN("mkdir", p[2]);
	RUN("rmdir", p[2]);
	RUN("rename", "created", "renamed");
	RUN("link", "renamed", "hardlink");
	RUN("symlink", "/etc/shadow", "symlink");
	RUN("chmod", "renamed", "4755");
	RUN("chown", "renamed", "65534", "65534");
	RUN("truncate", "written", "3");
	RUN("unlink", "hardlink");
	RUN("socket");
	RUN("tcp-connect");
	RUN("udp-sendto");
	RUN("dup2-socket");
	RUN("setuid");
	RUN("setgid");
	RUN("setresuid");
	RUN("capset");
	RUN("ptrace-attach");
	RUN("ptrace-traceme");
	RUN("prctl-setname", "vg-renamed");
	RUN("unshare");
	RUN("setns");
	RUN("mount");
	RUN("chroot");
	RUN("pivot-root");
	RUN("init-module");
	RUN("finit-module");
	RUN("bpf");
	RUN("perf-event-open");
	RUN("userfaultfd");
	RUN("memfd-exec");
	RUN("execveat");
	RUN("process-vm-writev");
	RUN("kill");
	RUN("fork");
	RUN("exec", self_exe, "noop", "arg-1", "arg two");
	snprintf(p[3], PATH_MAX, "%s/vg-copy", workdir);
	RUN("copy-exec", self_exe, p[3], "vg-copy", "noop");
	if (access("/bin/busybox", X_OK) == 0)
		RUN("exec-lower", "/bin/busybox", "true");
	out(HDR " done=1 failures=%d", HDRARGS("all-done"), failures);
	sleep_s(linger);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vg-actions ACTION [ARGS...]\n\nactions:\n");
	for (size_t i = 0; i < ELEMENTSOF(actions); i++)
		fprintf(f, "  %-18s %s\n", actions[i].name, actions[i].usage);
	fprintf(f, "\nenvironment: VG_DIR (work directory for `all` and defaults)\n");
}

static int run(int argc, char **argv)
{
	for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
		if (strcmp(argv[0], actions[i].name) != 0)
			continue;
		int r = actions[i].fn(argc, argv);
		if (r == -EINVAL) {
			fprintf(stderr, "vg-actions: usage: %s %s\n", actions[i].name,
				actions[i].usage);
			return 2;
		}
		return r ? 1 : 0;
	}
	fprintf(stderr, "vg-actions: unknown action '%s'\n", argv[0]);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	ssize_t n;

	/* Our own path, for re-exec. /proc may be missing in odd containers: fall back to argv[0]. */
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n > 0)
		self_exe[n] = 0;
	else if (!realpath(argv[0], self_exe))
		snprintf(self_exe, sizeof(self_exe), "%s", argv[0]);

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	return run(argc - 1, argv + 1);
}
