/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A scripted HTTP server on a unix socket for the meta tests: one thread, one connection at
 * a time; for each request the route callback chooses the raw reply bytes and how to send
 * them (delay, split into small writes, keep the connection open).
 */
#ifndef VG_TESTS_META_FAKE_SERVER_H
#define VG_TESTS_META_FAKE_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct fake_reply {
	char *data; /* malloc'ed by the route; freed by the server */
	size_t len;
	int delay_ms; /* before the first byte */
	size_t split; /* write in pieces of this many bytes (0: one write) */
	bool hang; /* keep the connection open after the reply until the client closes */
};

typedef void fake_route_fn(void *ud, const char *path, struct fake_reply *out);

struct fake_server;

/* Listens on <dir>/<name>; returns NULL on failure. */
struct fake_server *fake_server_start(const char *dir, const char *name, fake_route_fn *route,
				      void *ud);
const char *fake_server_path(struct fake_server *s);
unsigned fake_server_requests(struct fake_server *s);
void fake_server_stop(struct fake_server *s);

/* Helpers for routes: a malloc'ed copy / a formatted complete reply with Content-Length. */
char *fake_strdup(const char *s, size_t *ret_len);
char *fake_reply_json(int status, const char *body, size_t *ret_len);

/* A new temporary directory (mkdtemp under $TMPDIR or /tmp); rm -rf with fake_rmrf(). */
char *fake_tmpdir(void);
void fake_rmrf(const char *dir);

#endif
