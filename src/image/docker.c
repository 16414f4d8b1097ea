/* SPDX-License-Identifier: Apache-2.0 */
/* Docker engine image export over the API socket (see docker.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "image/docker.h"
#include "shared/json.h"

#define IO_TIMEOUT_S 120 /* per read/write: an export of a big image streams for a while */

static int fail(char *err, size_t errsize, int r, const char *fmt, ...) VG_PRINTF(4, 5);

static int fail(char *err, size_t errsize, int r, const char *fmt, ...)
{
	va_list ap;

	if (err && errsize) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errsize, fmt, ap);
		va_end(ap);
	}
	return r;
}

const char *vg_docker_socket(void)
{
	const char *h = getenv("DOCKER_HOST");

	if (h && strncmp(h, "unix://", 7) == 0 && h[7])
		return h + 7;
	return "/var/run/docker.sock";
}

/* Body reader: bytes left over from the header read, then the socket; Content-Length,
 * chunked or close-delimited framing. */
struct body {
	int fd;
	char buf[VG_DOCKER_HEADER_MAX];
	size_t pos, len;
	bool chunked, has_length, eof;
	uint64_t left; /* Content-Length or current chunk */
	bool chunk_trailer; /* chunked: expect CRLF before the next size line */
};

static ssize_t raw_read(struct body *b, void *out, size_t n)
{
	if (b->pos < b->len) {
		size_t k = VG_MIN(n, b->len - b->pos);

		memcpy(out, b->buf + b->pos, k);
		b->pos += k;
		return (ssize_t)k;
	}
	for (;;) {
		ssize_t k = read(b->fd, out, n);

		if (k >= 0)
			return k;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
	}
}

static int raw_byte(struct body *b, char *c)
{
	ssize_t k = raw_read(b, c, 1);

	return k < 0 ? (int)k : k == 0 ? -EBADMSG : 0;
}

static int chunk_size(struct body *b)
{
	char line[VG_DOCKER_CHUNK_LINE_MAX];
	size_t n = 0;
	uint64_t v = 0;
	int r;

	if (b->chunk_trailer) {
		char cr, lf;

		if ((r = raw_byte(b, &cr)) < 0 || (r = raw_byte(b, &lf)) < 0)
			return r;
		if (cr != '\r' || lf != '\n')
			return -EBADMSG;
	}
	for (;;) {
		char c;

		if ((r = raw_byte(b, &c)) < 0)
			return r;
		if (c == '\n')
			break;
		if (n + 1 >= sizeof(line))
			return -E2BIG;
		line[n++] = c;
	}
	if (n < 2 || line[n - 1] != '\r' || line[0] == ';')
		return -EBADMSG;
	for (size_t i = 0; i < n - 1 && line[i] != ';'; i++) {
		char c = line[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;

		if (d < 0 || v >> 56)
			return -EBADMSG;
		v = v * 16 + (uint64_t)d;
	}
	b->left = v;
	b->chunk_trailer = true;
	if (v == 0)
		b->eof = true; /* trailers are not read: the connection is closed anyway */
	return 0;
}

static ssize_t body_read(struct body *b, void *out, size_t n)
{
	ssize_t k;
	int r;

	if (b->eof)
		return 0;
	if (b->chunked) {
		if (b->left == 0) {
			r = chunk_size(b);
			if (r < 0)
				return r;
			if (b->eof)
				return 0;
		}
	} else if (!b->has_length) {
		k = raw_read(b, out, n);
		if (k == 0)
			b->eof = true;
		return k;
	} else if (b->left == 0) {
		b->eof = true;
		return 0;
	}
	k = raw_read(b, out, (size_t)VG_MIN((uint64_t)n, b->left));
	if (k == 0)
		return -EBADMSG; /* closed before the announced length */
	if (k > 0)
		b->left -= (uint64_t)k;
	return k;
}

static int open_spool(void)
{
	const char *dirs[] = {getenv("TMPDIR"), "/var/tmp", "/tmp"};

	for (size_t i = 0; i < VG_ARRAY_SIZE(dirs); i++) {
		int fd;

		if (!dirs[i] || !dirs[i][0])
			continue;
		fd = open(dirs[i], O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
	}
	return -errno;
}

static void url_escape(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/:@", c))
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, size - n, "%%%02X", c);
	}
	out[n] = '\0';
}

int vg_docker_export(const char *sock, const char *ref, uint64_t max, int *ret_fd, char *err,
		     size_t errsize)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
	cleanup_free struct body *b = calloc(1, sizeof(*b));
	cleanup_close int fd = -EBADF, spool = -EBADF;
	char req[VG_PATH_MAX + 256], esc[VG_PATH_MAX];
	char *hdr_end, *line;
	unsigned status = 0;
	uint64_t total = 0;
	int r;

	if (!b)
		return -ENOMEM;
	if (!sock)
		sock = vg_docker_socket();
	if (!max)
		max = VG_DOCKER_EXPORT_MAX;
	if (!ref[0] || strlen(ref) > VG_PATH_MAX / 4)
		return fail(err, errsize, -EINVAL, "bad image reference");
	if (strlen(sock) >= sizeof(sa.sun_path))
		return fail(err, errsize, -ENAMETOOLONG, "socket path too long");
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail(err, errsize, -errno, "cannot connect to the Docker engine at %s: %m",
			    sock);
	url_escape(ref, esc, sizeof(esc));
	snprintf(req, sizeof(req),
		 "GET /images/%s/get HTTP/1.1\r\nHost: docker\r\n"
		 "User-Agent: vigil\r\nConnection: close\r\n\r\n",
		 esc);
	r = vg_write_all(fd, req, strlen(req));
	if (r < 0)
		return fail(err, errsize, r, "cannot send the request to %s", sock);

	/* Header: read until CRLF CRLF, bounded; what follows is the start of the body. */
	b->fd = fd;
	for (;;) {
		ssize_t k;

		if (b->len == sizeof(b->buf) - 1)
			return fail(err, errsize, -E2BIG, "engine reply header too large");
		k = raw_read(b, b->buf + b->len, sizeof(b->buf) - 1 - b->len);
		if (k < 0)
			return fail(err, errsize, (int)k, "reading the engine reply failed");
		if (k == 0)
			return fail(err, errsize, -EBADMSG, "engine closed the connection early");
		b->len += (size_t)k;
		b->pos = b->len; /* raw_read served nothing from buf yet */
		b->buf[b->len] = '\0';
		hdr_end = strstr(b->buf, "\r\n\r\n");
		if (hdr_end)
			break;
	}
	if (sscanf(b->buf, "HTTP/1.%*1[01] %3u", &status) != 1 || status < 100)
		return fail(err, errsize, -EBADMSG, "malformed engine reply");
	*hdr_end = '\0';
	for (line = strstr(b->buf, "\r\n"); line; line = strstr(line, "\r\n")) {
		line += 2;
		if (!strncasecmp(line, "Content-Length:", 15)) {
			char *e;
			unsigned long long v = strtoull(line + 15, &e, 10);

			if (e == line + 15 || (*e && *e != '\r'))
				return fail(err, errsize, -EBADMSG, "bad Content-Length");
			b->has_length = true;
			b->left = v;
		} else if (!strncasecmp(line, "Transfer-Encoding:", 18)) {
			if (!strstr(line, "chunked"))
				return fail(err, errsize, -EOPNOTSUPP,
					    "unsupported transfer coding");
			b->chunked = true;
		}
	}
	b->pos = (size_t)(hdr_end + 4 - b->buf);
	if (b->chunked)
		b->has_length = false, b->left = 0;

	if (status != 200) {
		char msg[4096];
		size_t n = 0;
		ssize_t k;
		cleanup_json json_t *j = NULL;
		const char *m = NULL;

		while (n < sizeof(msg) - 1 && (k = body_read(b, msg + n, sizeof(msg) - 1 - n)) > 0)
			n += (size_t)k;
		msg[n] = '\0';
		if (vg_json_parse(msg, n, &j, NULL, 0) >= 0)
			m = vg_json_get_str(j, "message");
		return fail(err, errsize, status == 404 ? -ENOENT : -EIO, "engine: HTTP %u: %s",
			    status, m ?: "no message");
	}

	spool = open_spool();
	if (spool < 0)
		return fail(err, errsize, spool, "cannot create a temporary file: %s",
			    strerror(-spool));
	for (;;) {
		char chunk[65536];
		ssize_t k = body_read(b, chunk, sizeof(chunk));

		if (k < 0)
			return fail(err, errsize, (int)k, "reading the image export failed: %s",
				    strerror((int)-k));
		if (k == 0)
			break;
		total += (uint64_t)k;
		if (total > max)
			return fail(err, errsize, -E2BIG, "image export larger than %llu bytes",
				    (unsigned long long)max);
		r = vg_write_all(spool, chunk, (size_t)k);
		if (r < 0)
			return fail(err, errsize, r, "writing the temporary file failed: %s",
				    strerror(-r));
	}
	if (lseek(spool, 0, SEEK_SET) < 0)
		return -errno;
	*ret_fd = TAKE_FD(spool);
	return 0;
}
