/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fake-server.h"

struct fake_server {
	char path[108];
	int lfd;
	int stop_pipe[2];
	pthread_t thread;
	fake_route_fn *route;
	void *ud;
	atomic_uint requests;
};

static bool stopping(struct fake_server *s, int wait_ms)
{
	struct pollfd p = {.fd = s->stop_pipe[0], .events = POLLIN};

	return poll(&p, 1, wait_ms) > 0;
}

static void serve(struct fake_server *s, int fd)
{
	char req[8192], path[4096] = "";
	size_t len = 0;
	struct fake_reply rep = {0};

	/* Read the request head. */
	while (len < sizeof(req) - 1) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t k;

		if (poll(&p, 1, 2000) <= 0)
			return;
		k = read(fd, req + len, sizeof(req) - 1 - len);
		if (k <= 0)
			return;
		len += (size_t)k;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	if (sscanf(req, "GET %4095s HTTP/1.1", path) != 1)
		return;
	atomic_fetch_add(&s->requests, 1);
	s->route(s->ud, path, &rep);
	if (rep.delay_ms > 0 && stopping(s, rep.delay_ms)) {
		free(rep.data);
		return;
	}
	for (size_t off = 0; off < rep.len;) {
		size_t n = rep.split ? rep.split : rep.len - off;
		ssize_t k;

		if (n > rep.len - off)
			n = rep.len - off;
		k = send(fd, rep.data + off, n, MSG_NOSIGNAL);
		if (k <= 0)
			break;
		off += (size_t)k;
		if (rep.split && stopping(s, 1))
			break;
	}
	free(rep.data);
	if (rep.hang) {
		for (;;) {
			struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
					      {.fd = s->stop_pipe[0], .events = POLLIN}};
			char b[256];

			if (poll(p, 2, 5000) <= 0 || p[1].revents || read(fd, b, sizeof(b)) <= 0)
				break;
		}
	}
}

static void *server_main(void *arg)
{
	struct fake_server *s = arg;

	for (;;) {
		struct pollfd p[2] = {{.fd = s->lfd, .events = POLLIN},
				      {.fd = s->stop_pipe[0], .events = POLLIN}};
		int fd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve(s, fd);
		close(fd);
	}
	return NULL;
}

struct fake_server *fake_server_start(const char *dir, const char *name, fake_route_fn *route,
				      void *ud)
{
	struct fake_server *s = calloc(1, sizeof(*s));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	if (!s)
		return NULL;
	s->route = route;
	s->ud = ud;
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s/%s", dir, name) >= sizeof(s->path))
		goto fail;
	memcpy(sa.sun_path, s->path, strlen(s->path));
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		goto fail;
	if (bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s->lfd, 16) < 0)
		goto fail_fd;
	if (pipe2(s->stop_pipe, O_CLOEXEC) < 0)
		goto fail_fd;
	if (pthread_create(&s->thread, NULL, server_main, s) != 0)
		goto fail_pipe;
	return s;
fail_pipe:
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
fail_fd:
	close(s->lfd);
fail:
	free(s);
	return NULL;
}

const char *fake_server_path(struct fake_server *s)
{
	return s->path;
}

unsigned fake_server_requests(struct fake_server *s)
{
	return atomic_load(&s->requests);
}

void fake_server_stop(struct fake_server *s)
{
	if (!s)
		return;
	(void)!write(s->stop_pipe[1], "x", 1);
	pthread_join(s->thread, NULL);
	close(s->lfd);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	unlink(s->path);
	free(s);
}

char *fake_strdup(const char *s, size_t *ret_len)
{
	*ret_len = strlen(s);
	return strdup(s);
}

char *fake_reply_json(int status, const char *body, size_t *ret_len)
{
	size_t n = strlen(body) + 256;
	char *r = malloc(n);
	int k;

	if (!r)
		return NULL;
	k = snprintf(r, n,
		     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n"
		     "Content-Length: %zu\r\n\r\n%s",
		     status, strlen(body), body);
	*ret_len = (size_t)k;
	return r;
}

char *fake_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *d;

	if (!t || !*t)
		t = "/tmp";
	if (asprintf(&d, "%s/vg-meta-XXXXXX", t) < 0)
		return NULL;
	if (!mkdtemp(d)) {
		free(d);
		return NULL;
	}
	return d;
}

void fake_rmrf(const char *dir)
{
	char *cmd;

	if (!dir || strncmp(dir, "/", 1) != 0 || !strstr(dir, "vg-meta-"))
		return;
	if (asprintf(&cmd, "rm -rf -- '%s'", dir) >= 0) {
		(void)!system(cmd);
		free(cmd);
	}
}
