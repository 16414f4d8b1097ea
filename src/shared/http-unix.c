/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP/1.1 over a unix socket. The response decoder is a byte-at-a-time-capable state machine
 * fed with whatever read() returns, so the work is linear in the reply size however the
 * server splits it, and it is the same code the fuzzer drives through
 * vg_http_parse_response().
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "shared/http-unix.h"

enum pstate {
	P_HEADER, /* collecting status line and header lines */
	P_BODY_LEN, /* Content-Length body */
	P_BODY_CLOSE, /* body runs to EOF */
	P_CHUNK_LINE, /* chunk-size [; ext] CRLF */
	P_CHUNK_DATA,
	P_CHUNK_CRLF, /* CRLF after chunk data */
	P_TRAILER, /* trailer lines after the last chunk */
	P_DONE,
};

struct parser {
	enum pstate state;
	size_t max_body;
	char line[VG_HTTP_HEADER_MAX]; /* current line (header, chunk size or trailer) */
	size_t line_len;
	size_t header_total; /* header + trailer bytes seen, capped at VG_HTTP_HEADER_MAX */
	bool got_status;
	int status;
	bool have_length, chunked;
	uint64_t length; /* Content-Length */
	uint64_t remaining; /* of the body or current chunk */
	char *body;
	size_t body_len, body_cap;
};

static void parser_done(struct parser *p)
{
	free(p->body);
	p->body = NULL;
}

static int body_append(struct parser *p, const char *d, size_t n)
{
	if (n > p->max_body - p->body_len)
		return -E2BIG;
	if (p->body_len + n + 1 > p->body_cap) {
		size_t cap = p->body_cap ? p->body_cap : 4096;
		char *b;

		while (cap < p->body_len + n + 1)
			cap *= 2;
		if (cap > p->max_body + 1)
			cap = p->max_body + 1;
		b = realloc(p->body, cap);
		if (!b)
			return -ENOMEM;
		p->body = b;
		p->body_cap = cap;
	}
	memcpy(p->body + p->body_len, d, n);
	p->body_len += n;
	return 0;
}

static bool is_token_char(char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* Parses a decimal without sign or overflow. */
static int parse_u64(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EBADMSG;
		if (v > (UINT64_MAX - 9) / 10)
			return -EBADMSG;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret = v;
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int status_line(struct parser *p, const char *l, size_t n)
{
	/* "HTTP/1.x SSS[ reason]" */
	if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || (l[7] != '0' && l[7] != '1') || l[8] != ' ')
		return -EBADMSG;
	for (int i = 9; i < 12; i++)
		if (l[i] < '0' || l[i] > '9')
			return -EBADMSG;
	if (n > 12 && l[12] != ' ')
		return -EBADMSG;
	p->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (p->status < 100)
		return -EBADMSG;
	p->got_status = true;
	return 0;
}

static int header_line(struct parser *p, const char *l, size_t n)
{
	const char *colon = memchr(l, ':', n), *v;
	size_t kn, vn;
	uint64_t len;
	int r;

	if (!colon || colon == l)
		return -EBADMSG;
	kn = (size_t)(colon - l);
	for (size_t i = 0; i < kn; i++)
		if (!is_token_char(l[i]))
			return -EBADMSG;
	v = colon + 1;
	vn = n - kn - 1;
	trim(&v, &vn);
	if (kn == 14 && strncasecmp(l, "Content-Length", 14) == 0) {
		r = parse_u64(v, vn, &len);
		if (r < 0)
			return r;
		if (p->have_length && len != p->length)
			return -EBADMSG; /* conflicting lengths: smuggling shape, refuse */
		p->have_length = true;
		p->length = len;
	} else if (kn == 17 && strncasecmp(l, "Transfer-Encoding", 17) == 0) {
		/* Only "chunked", last, optionally with "identity" codings, is supported. */
		bool last_chunked = false;

		while (vn > 0) {
			const char *comma = memchr(v, ',', vn);
			size_t seg = comma ? (size_t)(comma - v) : vn, tn = seg;
			const char *t = v;

			trim(&t, &tn);
			last_chunked = false;
			if (tn == 7 && strncasecmp(t, "chunked", 7) == 0)
				last_chunked = p->chunked = true;
			else if (tn > 0 && !(tn == 8 && strncasecmp(t, "identity", 8) == 0))
				return -EOPNOTSUPP;
			if (!comma)
				break;
			vn -= seg + 1;
			v = comma + 1;
		}
		if (p->chunked && !last_chunked)
			return -EOPNOTSUPP;
	} else if (kn == 16 && strncasecmp(l, "Content-Encoding", 16) == 0) {
		if (vn > 0 && !(vn == 8 && strncasecmp(v, "identity", 8) == 0))
			return -EOPNOTSUPP;
	}
	return 0;
}

static int headers_end(struct parser *p)
{
	/* 1xx interim responses (100 Continue) are skipped; 101 is not expected for GET. */
	if (p->status >= 100 && p->status < 200 && p->status != 101) {
		p->got_status = false;
		p->have_length = p->chunked = false;
		p->state = P_HEADER;
		return 0;
	}
	if (p->status == 101 || p->status == 204 || p->status == 304) {
		p->state = P_DONE;
		return 0;
	}
	if (p->chunked) {
		p->state = P_CHUNK_LINE;
	} else if (p->have_length) {
		if (p->length > p->max_body)
			return -E2BIG;
		p->remaining = p->length;
		p->state = p->length == 0 ? P_DONE : P_BODY_LEN;
	} else {
		p->state = P_BODY_CLOSE;
	}
	return 0;
}

static int chunk_line(struct parser *p, const char *l, size_t n)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; i < n; i++) {
		char c = l[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX >> 4))
			return -EBADMSG;
		v = (v << 4) | d;
	}
	if (i == 0)
		return -EBADMSG;
	/* Optional whitespace, then nothing or ";extension". */
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < n && l[i] != ';')
		return -EBADMSG;
	if (v > p->max_body - p->body_len)
		return -E2BIG;
	p->remaining = v;
	p->state = v == 0 ? P_TRAILER : P_CHUNK_DATA;
	return 0;
}

/* Completes the line held in p->line (without its LF / CRLF). */
static int line_done(struct parser *p)
{
	const char *l = p->line;
	size_t n = p->line_len;

	p->line_len = 0;
	switch (p->state) {
	case P_HEADER:
		if (!p->got_status) {
			/* Tolerate stray empty lines before the status line (RFC 9112 2.2). */
			if (n == 0)
				return 0;
			return status_line(p, l, n);
		}
		if (n == 0)
			return headers_end(p);
		if (l[0] == ' ' || l[0] == '\t')
			return -EBADMSG; /* obsolete line folding */
		return header_line(p, l, n);
	case P_CHUNK_LINE:
		return chunk_line(p, l, n);
	case P_TRAILER:
		if (n == 0)
			p->state = P_DONE;
		return 0;
	default:
		return -EBADMSG;
	}
}

/* Feeds bytes; returns 1 when the response is complete, 0 when more is needed. */
static int parser_feed(struct parser *p, const char *d, size_t n)
{
	size_t i = 0;
	int r;

	while (i < n) {
		switch (p->state) {
		case P_HEADER:
		case P_CHUNK_LINE:
		case P_TRAILER: {
			const char *lf = memchr(d + i, '\n', n - i);
			size_t take = lf ? (size_t)(lf - (d + i)) : n - i;
			size_t cap =
				p->state == P_CHUNK_LINE ? VG_HTTP_CHUNK_LINE_MAX : sizeof(p->line);

			if (p->state != P_CHUNK_LINE) {
				if (take + 1 > VG_HTTP_HEADER_MAX - p->header_total)
					return -E2BIG;
				p->header_total += take + (lf ? 1 : 0);
			}
			if (take > cap - p->line_len)
				return p->state == P_CHUNK_LINE ? -EBADMSG : -E2BIG;
			memcpy(p->line + p->line_len, d + i, take);
			p->line_len += take;
			i += take;
			if (!lf)
				break;
			i++; /* the LF */
			if (p->line_len > 0 && p->line[p->line_len - 1] == '\r')
				p->line_len--;
			if (memchr(p->line, '\r', p->line_len) ||
			    memchr(p->line, '\0', p->line_len))
				return -EBADMSG;
			r = line_done(p);
			if (r < 0)
				return r;
			break;
		}
		case P_BODY_LEN:
		case P_CHUNK_DATA: {
			size_t take = n - i;

			if (take > p->remaining)
				take = (size_t)p->remaining;
			r = body_append(p, d + i, take);
			if (r < 0)
				return r;
			i += take;
			p->remaining -= take;
			if (p->remaining == 0)
				p->state = p->state == P_BODY_LEN ? P_DONE : P_CHUNK_CRLF;
			break;
		}
		case P_CHUNK_CRLF:
			/* Accept CRLF or a bare LF after the data. */
			if (d[i] == '\r' && p->line_len == 0) {
				p->line_len = 1;
				i++;
			} else if (d[i] == '\n') {
				p->line_len = 0;
				p->state = P_CHUNK_LINE;
				i++;
			} else {
				return -EBADMSG;
			}
			break;
		case P_BODY_CLOSE:
			r = body_append(p, d + i, n - i);
			if (r < 0)
				return r;
			i = n;
			break;
		case P_DONE:
			/* Bytes after a complete response: ignored (we asked for close). */
			return 1;
		}
	}
	return p->state == P_DONE ? 1 : 0;
}

/* The peer closed the connection. */
static int parser_eof(struct parser *p)
{
	if (p->state == P_BODY_CLOSE)
		p->state = P_DONE;
	return p->state == P_DONE ? 0 : -EBADMSG;
}

static int parser_take(struct parser *p, int *ret_status, char **ret_body, size_t *ret_len)
{
	if (!p->body) {
		p->body = malloc(1);
		if (!p->body)
			return -ENOMEM;
	}
	p->body[p->body_len] = '\0';
	if (ret_status)
		*ret_status = p->status;
	if (ret_len)
		*ret_len = p->body_len;
	if (ret_body) {
		*ret_body = p->body;
		p->body = NULL;
	}
	return 0;
}

static struct parser *parser_new(size_t max_body)
{
	struct parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->max_body = max_body ? max_body : VG_HTTP_REPLY_MAX;
	return p;
}

static void parser_freep(struct parser **p)
{
	if (*p) {
		parser_done(*p);
		free(*p);
	}
}

int vg_http_parse_response(const char *buf, size_t n, size_t max_body, int *ret_status,
			   char **ret_body, size_t *ret_len)
{
	cleanup(parser_freep) struct parser *p = parser_new(max_body);
	int r;

	if (!p)
		return -ENOMEM;
	if (!buf && n > 0)
		return -EINVAL;
	r = parser_feed(p, buf ? buf : "", n);
	if (r < 0)
		return r;
	if (r == 0) {
		r = parser_eof(p);
		if (r < 0)
			return r;
	}
	return parser_take(p, ret_status, ret_body, ret_len);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for @events on @fd until @deadline (CLOCK_MONOTONIC ms); EINTR restarts. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = events};
		int64_t left = deadline - now_ms();
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)(left > INT32_MAX ? INT32_MAX : left));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -ETIMEDOUT;
		return 0;
	}
}

static int connect_unix(const char *sock_path, int64_t deadline, int *ret_fd)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t n = strlen(sock_path);
	cleanup_close int fd = -EBADF;
	int err = 0;
	socklen_t el = sizeof(err);
	int r;

	if (n == 0)
		return -EINVAL;
	if (n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, sock_path, n);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			/* Listen backlog full: retry until the deadline. */
			struct timespec ts = {.tv_nsec = 10 * 1000000};

			if (now_ms() >= deadline)
				return -ETIMEDOUT;
			(void)nanosleep(&ts, NULL);
			continue;
		}
		if (errno != EINPROGRESS)
			return -errno;
		r = wait_fd(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			return -errno;
		if (err != 0)
			return -err;
		break;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static bool path_is_valid(const char *path)
{
	if (!path || path[0] != '/' || strlen(path) > VG_PATH_MAX)
		return false;
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		if (*c <= 0x20 || *c == 0x7f)
			return false;
	return true;
}

int vg_http_unix_get(const char *sock_path, const char *path, int timeout_ms, size_t max_body,
		     int *ret_status, char **ret_body, size_t *ret_len)
{
	cleanup(parser_freep) struct parser *p = NULL;
	cleanup_close int fd = -EBADF;
	char req[VG_PATH_MAX + 128];
	int64_t deadline;
	size_t off = 0;
	int len, r;

	if (!sock_path || !path_is_valid(path))
		return -EINVAL;
	deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 2000);
	len = snprintf(req, sizeof(req),
		       "GET %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: vigil\r\n"
		       "Accept: application/json\r\nConnection: close\r\n\r\n",
		       path);
	if (len < 0 || (size_t)len >= sizeof(req))
		return -EINVAL;
	p = parser_new(max_body);
	if (!p)
		return -ENOMEM;

	r = connect_unix(sock_path, deadline, &fd);
	if (r < 0)
		return r;

	while (off < (size_t)len) {
		ssize_t k = send(fd, req + off, (size_t)len - off, MSG_NOSIGNAL);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			r = wait_fd(fd, POLLOUT, deadline);
			if (r < 0)
				return r;
			continue;
		}
		off += (size_t)k;
	}

	for (;;) {
		char buf[16384];
		ssize_t k = read(fd, buf, sizeof(buf));

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECONNRESET)
				k = 0; /* treat like EOF: complete or truncated decides */
			else if (errno != EAGAIN)
				return -errno;
			else {
				r = wait_fd(fd, POLLIN, deadline);
				if (r < 0)
					return r;
				continue;
			}
		}
		if (k == 0) {
			r = parser_eof(p);
			if (r < 0)
				return r;
			break;
		}
		r = parser_feed(p, buf, (size_t)k);
		if (r < 0)
			return r;
		if (r > 0)
			break;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
	}
	return parser_take(p, ret_status, ret_body, ret_len);
}
