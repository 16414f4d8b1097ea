/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Syscall-heavy loops for measuring vigil's overhead. Each subcommand times N iterations with
 * CLOCK_MONOTONIC and prints one line:  <loop> <iterations> <ns/op>
 *
 *   loops open-close N     open(2)+close(2) of an existing file
 *   loops stat N           stat(2) of an existing file
 *   loops fork-exec N      fork, execve /bin/true, wait
 *   loops tcp-connect N    socket + connect to a loopback listener it owns + accept + close
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static const char *bench_file(void)
{
	static char path[256];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/vigil-bench-%d", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1) {
		perror(path);
		exit(1);
	}
	close(fd);
	return path;
}

static int loop_open_close(long n)
{
	const char *p = bench_file();
	for (long i = 0; i < n; i++) {
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror("open");
			return 1;
		}
		close(fd);
	}
	unlink(p);
	return 0;
}

static int loop_stat(long n)
{
	const char *p = bench_file();
	struct stat st;
	for (long i = 0; i < n; i++) {
		if (stat(p, &st) < 0) {
			perror("stat");
			return 1;
		}
	}
	unlink(p);
	return 0;
}

static int loop_fork_exec(long n)
{
	extern char **environ;
	char *argv[] = {"true", NULL};
	const char *bin = access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true";
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execve(bin, argv, environ);
			_exit(127);
		}
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "%s failed\n", bin);
			return 1;
		}
	}
	return 0;
}

static int loop_tcp_connect(long n)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int one = 1;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 128) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &alen) < 0) {
		perror("listener");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		/* RST on close: no TIME_WAIT pile-up exhausting ephemeral ports */
		struct linger lg = {1, 0};
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		setsockopt(c, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
			perror("connect");
			return 1;
		}
		int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (s < 0) {
			perror("accept");
			return 1;
		}
		close(c);
		close(s);
	}
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(long n);
	} loops[] = {
		{"open-close", loop_open_close},
		{"stat", loop_stat},
		{"fork-exec", loop_fork_exec},
		{"tcp-connect", loop_tcp_connect},
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s open-close|stat|fork-exec|tcp-connect ITERATIONS\n",
			argv[0]);
		return 2;
	}
	long n = atol(argv[2]);
	if (n <= 0)
		return 2;
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		if (strcmp(argv[1], loops[i].name))
			continue;
		double t0 = now_ns();
		int r = loops[i].fn(n);
		double t1 = now_ns();
		if (r)
			return r;
		printf("%s %ld %.0f\n", loops[i].name, n, (t1 - t0) / n);
		return 0;
	}
	fprintf(stderr, "unknown loop %s\n", argv[1]);
	return 2;
}
