/* SPDX-License-Identifier: Apache-2.0 */
/* vg_http_unix_get() against a scripted unix-socket server; vg_http_parse_response(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "basic/limits.h"
#include "fake-server.h"
#include "shared/http-unix.h"
#include "tap.h"

struct script {
	const char *reply; /* NULL: built by name */
	size_t len;
	int delay_ms;
	size_t split;
	bool hang;
	char last_path[256];
};

static void route(void *ud, const char *path, struct fake_reply *out)
{
	struct script *s = ud;

	(void)snprintf(s->last_path, sizeof(s->last_path), "%s", path);
	out->len = s->len ? s->len : strlen(s->reply);
	out->data = malloc(out->len + 1);
	memcpy(out->data, s->reply, out->len);
	out->delay_ms = s->delay_ms;
	out->split = s->split;
	out->hang = s->hang;
}

static int get(struct script *sc, int timeout_ms, size_t max_body, int *status, char **body,
	       size_t *len)
{
	char *dir = fake_tmpdir();
	struct fake_server *srv;
	int r;

	ASSERT_NOT_NULL(dir);
	srv = fake_server_start(dir, "s.sock", route, sc);
	ASSERT_NOT_NULL(srv);
	r = vg_http_unix_get(fake_server_path(srv), "/v1.41/containers/abc/json", timeout_ms,
			     max_body, status, body, len);
	fake_server_stop(srv);
	fake_rmrf(dir);
	free(dir);
	return r;
}

TEST(content_length)
{
	struct script sc = {.reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				     "content-length:   13  \r\n\r\n{\"Id\":\"abc\"}\n"};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_OK(get(&sc, 2000, 0, &status, &body, &len));
	ASSERT_EQ(status, 200);
	ASSERT_EQ(len, 13u);
	ASSERT_STREQ(body, "{\"Id\":\"abc\"}\n");
	ASSERT_STREQ(sc.last_path, "/v1.41/containers/abc/json");
	free(body);
}

TEST(content_length_hanging_server_completes)
{
	/* The reply is complete at Content-Length even if the server never closes. */
	struct script sc = {.reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
			    .hang = true};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_OK(get(&sc, 2000, 0, &status, &body, &len));
	ASSERT_EQ(status, 404);
	ASSERT_STREQ(body, "no");
	free(body);
}

TEST(chunked)
{
	struct script sc = {.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				     "5\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n",
			    .hang = true};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_OK(get(&sc, 2000, 0, &status, &body, &len));
	ASSERT_EQ(status, 200);
	ASSERT_STREQ(body, "hello 0123456789");
	free(body);
}

TEST(chunked_extensions_trailers_split_bytewise)
{
	struct script sc = {
		.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity, Chunked\r\n\r\n"
			 "3;name=\"va;l\"\r\nabc\r\n00002 ; x\r\nde\r\n0;last\r\n"
			 "X-Trailer: 1\r\n\r\n",
		.split = 1};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_OK(get(&sc, 5000, 0, &status, &body, &len));
	ASSERT_STREQ(body, "abcde");
	ASSERT_EQ(len, 5u);
	free(body);
}

TEST(close_delimited_body)
{
	struct script sc = {.reply = "HTTP/1.0 200 OK\r\n\r\nuntil eof"};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_OK(get(&sc, 2000, 0, &status, &body, &len));
	ASSERT_STREQ(body, "until eof");
	free(body);
}

TEST(oversize_body)
{
	struct script sc = {.reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"};
	struct script sc2 = {.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				      "8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n"};
	struct script sc3 = {.reply = "HTTP/1.1 200 OK\r\n\r\n0123456789abcdef"};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_ERR(get(&sc, 2000, 10, &status, &body, &len), -E2BIG);
	ASSERT_ERR(get(&sc2, 2000, 10, &status, &body, &len), -E2BIG);
	ASSERT_ERR(get(&sc3, 2000, 10, &status, &body, &len), -E2BIG);
	ASSERT_NULL(body);
}

TEST(truncated_reply)
{
	struct script sc = {.reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"};
	struct script sc2 = {.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				      "5\r\nhel"};
	struct script sc3 = {.reply = "HTTP/1.1 200 OK\r\nContent-Le"};
	struct script sc4 = {.reply = ""};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_ERR(get(&sc, 2000, 0, &status, &body, &len), -EBADMSG);
	ASSERT_ERR(get(&sc2, 2000, 0, &status, &body, &len), -EBADMSG);
	ASSERT_ERR(get(&sc3, 2000, 0, &status, &body, &len), -EBADMSG);
	ASSERT_ERR(get(&sc4, 2000, 0, &status, &body, &len), -EBADMSG);
}

TEST(slow_server_times_out)
{
	struct script sc = {.reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
			    .delay_ms = 3000};
	struct script sc2 = {.reply = "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\npartial",
			     .hang = true};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_ERR(get(&sc, 200, 0, &status, &body, &len), -ETIMEDOUT);
	ASSERT_ERR(get(&sc2, 200, 0, &status, &body, &len), -ETIMEDOUT);
}

TEST(garbage)
{
	struct script sc = {.reply = "SSH-2.0-OpenSSH_9.2\r\n\r\n"};
	struct script sc2 = {.reply = "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"};
	struct script sc3 = {.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				      "zz\r\n"};
	struct script sc4 = {.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nx"};
	char *body = NULL;
	size_t len = 0;
	int status = 0;

	ASSERT_ERR(get(&sc, 2000, 0, &status, &body, &len), -EBADMSG);
	ASSERT_ERR(get(&sc2, 2000, 0, &status, &body, &len), -EBADMSG);
	ASSERT_ERR(get(&sc3, 2000, 0, &status, &body, &len), -EBADMSG);
	ASSERT_ERR(get(&sc4, 2000, 0, &status, &body, &len), -EOPNOTSUPP);
}

TEST(connect_errors)
{
	char *dir = fake_tmpdir(), path[256];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char *body = NULL;
	int status = 0, fd;

	ASSERT_NOT_NULL(dir);
	(void)snprintf(path, sizeof(path), "%s/absent.sock", dir);
	ASSERT_ERR(vg_http_unix_get(path, "/x", 500, 0, &status, &body, NULL), -ENOENT);

	/* A socket file nobody listens on. */
	(void)snprintf(path, sizeof(path), "%s/dead.sock", dir);
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_GE(fd, 0);
	ASSERT_OK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	close(fd);
	ASSERT_ERR(vg_http_unix_get(path, "/x", 500, 0, &status, &body, NULL), -ECONNREFUSED);

	ASSERT_ERR(vg_http_unix_get(path, "no-slash", 500, 0, &status, &body, NULL), -EINVAL);
	ASSERT_ERR(vg_http_unix_get(path, "/a b", 500, 0, &status, &body, NULL), -EINVAL);
	ASSERT_ERR(vg_http_unix_get(path, "/a\r\nX: y", 500, 0, &status, &body, NULL), -EINVAL);
	memset(path, 'a', 200);
	path[0] = '/';
	path[200] = '\0';
	ASSERT_ERR(vg_http_unix_get(path, "/x", 500, 0, &status, &body, NULL), -ENAMETOOLONG);
	fake_rmrf(dir);
	free(dir);
}

static int parse(const char *s, size_t max, int *status, char **body)
{
	return vg_http_parse_response(s, strlen(s), max, status, body, NULL);
}

TEST(parse_response_edge_cases)
{
	char *body = NULL;
	int status = 0;

	ASSERT_OK(
		parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
		      0, &status, &body));
	ASSERT_EQ(status, 200);
	ASSERT_STREQ(body, "x");
	free(body);
	body = NULL;
	ASSERT_OK(parse("HTTP/1.1 204 No Content\r\n\r\n", 0, &status, &body));
	ASSERT_EQ(status, 204);
	ASSERT_STREQ(body, "");
	free(body);
	body = NULL;
	/* Bare LF line endings are tolerated. */
	ASSERT_OK(parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 0, &status, &body));
	ASSERT_STREQ(body, "ok");
	free(body);
	body = NULL;
	/* Bytes after a complete reply are ignored. */
	ASSERT_OK(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", 0, &status, &body));
	ASSERT_STREQ(body, "ok");
	free(body);
	body = NULL;
	ASSERT_OK(parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, &status, NULL));

	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", 0,
			 &status, &body),
		   -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", 0,
			 &status, &body),
		   -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\n folded\r\n\r\n", 0, &status, &body), -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", 0, &status, &body), -EBADMSG);
	ASSERT_ERR(parse("HTTP/2 200 OK\r\n\r\n", 0, &status, &body), -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 20 OK\r\n\r\n", 0, &status, &body), -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 099 OK\r\n\r\n", 0, &status, &body), -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 0, &status,
			 &body),
		   -EOPNOTSUPP);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			 "fffffffffffffffff\r\n",
			 0, &status, &body),
		   -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			 "ffffffffffffffff\r\n",
			 0, &status, &body),
		   -E2BIG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			 "2\r\nabX\r\n0\r\n\r\n",
			 0, &status, &body),
		   -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			 "2 junk\r\nab\r\n0\r\n\r\n",
			 0, &status, &body),
		   -EBADMSG);
	ASSERT_ERR(parse("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", 0, &status, &body), -EBADMSG);
	ASSERT_NULL(body);
}

TEST(parse_response_header_caps)
{
	size_t n = VG_HTTP_HEADER_MAX + 100;
	char *s = malloc(n + 64), *body = NULL;
	int status = 0;

	ASSERT_NOT_NULL(s);
	/* One enormous header line. */
	strcpy(s, "HTTP/1.1 200 OK\r\nX: ");
	memset(s + strlen(s), 'a', n - 40);
	strcpy(s + n - 20, "\r\n\r\n");
	ASSERT_ERR(parse(s, 0, &status, &body), -E2BIG);
	/* Many small headers. */
	s[0] = '\0';
	strcat(s, "HTTP/1.1 200 OK\r\n");
	for (size_t len = strlen(s); len + 8 < n; len += 6)
		strcat(s + len, "X: 1\r\n");
	strcat(s, "\r\n");
	ASSERT_ERR(parse(s, 0, &status, &body), -E2BIG);
	/* A chunk-size line with an endless extension. */
	strcpy(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;");
	{
		size_t l = strlen(s);

		memset(s + l, 'e', 4000);
		strcpy(s + l + 4000, "\r\nx\r\n0\r\n\r\n");
	}
	ASSERT_ERR(parse(s, 0, &status, &body), -EBADMSG);
	free(s);
}
