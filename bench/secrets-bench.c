/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/secrets-bench: secret scanning throughput (driven by bench/secrets.sh).
 *
 *   secrets-bench gen DIR MB        writes a text corpus of MB MiB into DIR (files of 16 KiB
 *                                   to 1 MiB: code, configuration, logs, prose, base64, JSON
 *                                   with the words secret rules look for, and one planted
 *                                   fake credential every 4 MiB or so); prints the plant count
 *   secrets-bench read DIR          baseline: opens and reads every file (one thread)
 *   secrets-bench scan DIR          in process: read + vg_secret_scan_buffer() with the
 *                                   built-in rules, and the scan time alone
 *   secrets-bench vigil VIGIL DIR   runs `vigil scan --scanners secret --format json dir:DIR`
 *
 * Every mode prints one "key=value ..." line that bench/secrets.sh turns into ratios.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "secrets/rules.h"
#include "secrets/scan.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const words[] = {
	"the",	      "of",	   "and",	  "to",	     "in",	"is",	    "for",
	"that",	      "with",	   "on",	  "as",	     "by",	"this",	    "from",
	"be",	      "are",	   "or",	  "an",	     "it",	"not",	    "if",
	"when",	      "then",	   "return",	  "value",   "request", "response", "user",
	"config",     "server",	   "client",	  "file",    "path",	"buffer",   "length",
	"error",      "status",	   "handler",	  "session", "token",	"key",	    "secret",
	"password",   "auth",	   "access",	  "api",     "cache",	"timeout",  "retry",
	"connection", "database",  "query",	  "result",  "index",	"count",    "update",
	"delete",     "create",	   "read",	  "write",   "open",	"close",    "stream",
	"event",      "message",   "queue",	  "worker",  "thread",	"process",  "module",
	"package",    "version",   "build",	  "test",    "debug",	"info",	    "warning",
	"service",    "container", "image",	  "layer",   "network", "address",  "port",
	"host",	      "domain",	   "certificate", "public",  "private", "sign",	    "verify",
	"hash",	      "digest",	   "encode",	  "decode",  "parse",	"format",
};

#define W() words[below(sizeof(words) / sizeof(words[0]))]

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_rand(FILE *f, const char *chars, size_t k, int n)
{
	for (int i = 0; i < n; i++)
		fputc(chars[below((unsigned)k)], f);
}

/* One line of a given flavour. */
static void line(FILE *f)
{
	switch (below(12)) {
	case 0: /* C */
		fprintf(f, "\tif (%s_%s->%s < %u && !%s(%s)) return -%s_%s;\n", W(), W(), W(),
			below(4096), W(), W(), W(), W());
		break;
	case 1: /* Python */
		fprintf(f, "    %s_%s = self.%s.get('%s', %u)  # %s %s %s\n", W(), W(), W(), W(),
			below(100), W(), W(), W());
		break;
	case 2: /* JS */
		fprintf(f, "const %s%s = await %s.%s({ %s: %s, %s: '%s' });\n", W(), W(), W(), W(),
			W(), W(), W(), W());
		break;
	case 3: /* YAML */
		fprintf(f, "  %s_%s: %s\n", W(), W(), below(2) ? W() : "${ENV_VALUE}");
		break;
	case 4: /* INI / env */
		fprintf(f, "%s.%s=%s-%u\n", W(), W(), W(), below(100000));
		break;
	case 5: /* log */
		fprintf(f,
			"2026-11-%02u 12:%02u:%02u INFO [%s] %s %s from 10.%u.%u.%u: GET /api/v1/%s/%u 200\n",
			1 + below(28), below(60), below(60), W(), W(), W(), below(256), below(256),
			below(256), W(), below(100000));
		break;
	case 6: /* URL */
		fprintf(f, "see https://docs.example.com/%s/%s?%s=%u for the %s %s\n", W(), W(),
			W(), below(1000), W(), W());
		break;
	case 7: /* base64 */
		put_rand(f, b64, 64, 76);
		fputc('\n', f);
		break;
	case 8: /* JSON */
		fprintf(f,
			"{\"%s\": \"%s\", \"%s\": %u, \"%s\": [\"%s\", \"%s\"], \"%s_%s\": null}\n",
			W(), W(), W(), below(1000), W(), W(), W(), W(), W());
		break;
	default: { /* prose */
		int n = 8 + (int)below(10);

		for (int i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? " " : "", W());
		fputs(".\n", f);
		break;
	}
	}
}

static const char b62[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static void plant(FILE *f)
{
	switch (below(4)) {
	case 0:
		fputs("GITHUB_TOKEN=ghp_", f);
		put_rand(f, b62, 62, 36);
		break;
	case 1:
		fputs("aws_access_key_id = AKIA", f);
		put_rand(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32, 16);
		break;
	case 2:
		fputs("STRIPE=sk_live_", f);
		put_rand(f, b62, 62, 30);
		break;
	default:
		fputs("NPM_TOKEN=npm_", f);
		put_rand(f, b62, 62, 36);
		break;
	}
	fputc('\n', f);
}

static int gen(const char *dir, unsigned mb)
{
	uint64_t total = (uint64_t)mb << 20, done = 0, next_plant = 0;
	unsigned n_files = 0, planted = 0;
	char path[4096];

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return perror(dir), 1;
	while (done < total) {
		uint64_t size = 16384 + below(1024 * 1024 - 16384);
		FILE *f;
		long pos;

		snprintf(path, sizeof(path), "%s/d%03u", dir, n_files / 256);
		(void)mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/d%03u/f%05u.txt", dir, n_files / 256, n_files);
		f = fopen(path, "w");
		if (!f)
			return perror(path), 1;
		while ((pos = ftell(f)) >= 0 && (uint64_t)pos < size &&
		       done + (uint64_t)pos < total) {
			if (done + (uint64_t)pos >= next_plant) {
				plant(f);
				planted++;
				next_plant += (3 + below(3)) << 20;
			}
			line(f);
		}
		done += (uint64_t)ftell(f);
		fclose(f);
		n_files++;
	}
	printf("files=%u bytes=%llu planted=%u\n", n_files, (unsigned long long)done, planted);
	return 0;
}

typedef int file_fn(void *userdata, const char *path, const char *buf, size_t len);

struct walk {
	char *buf;
	size_t cap;
	uint64_t bytes, files;
	file_fn *fn;
	void *userdata;
};

static int walk(struct walk *w, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	int r = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && r == 0) {
		struct stat st;
		int fd;
		size_t n = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			r = walk(w, path);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if ((size_t)st.st_size > w->cap) {
			free(w->buf);
			w->cap = (size_t)st.st_size;
			w->buf = malloc(w->cap);
			if (!w->buf)
				return -ENOMEM;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		while (n < (size_t)st.st_size) {
			ssize_t k = read(fd, w->buf + n, (size_t)st.st_size - n);

			if (k <= 0)
				break;
			n += (size_t)k;
		}
		close(fd);
		w->bytes += n;
		w->files++;
		if (w->fn)
			r = w->fn(w->userdata, path, w->buf, n);
	}
	closedir(d);
	return r;
}

struct scan_ctx {
	struct vg_secret_scanner *s;
	double scan_time;
	uint64_t findings;
};

static int count(void *userdata, const struct vg_secret_match *m)
{
	(*(uint64_t *)userdata)++;
	return 0;
}

static int scan_file(void *userdata, const char *path, const char *buf, size_t len)
{
	struct scan_ctx *c = userdata;
	double t0 = now();
	int r = vg_secret_scan_buffer(c->s, path, buf, len, count, &c->findings);

	c->scan_time += now() - t0;
	return r < 0 ? r : 0;
}

static int run_vigil(const char *vigil, const char *dir)
{
	char target[4200];
	struct rusage ru;
	double t0 = now(), wall;
	int status;
	pid_t pid;

	snprintf(target, sizeof(target), "dir:%s", dir);
	pid = fork();
	if (pid < 0)
		return perror("fork"), 1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execl(vigil, vigil, "scan", "--scanners", "secret", "--format", "json",
		      "--secret-max-size", "16M", target, (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return perror("wait4"), 1;
	wall = now() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "vigil exited with status %d\n", status);
		return 1;
	}
	printf("wall=%.3f user=%.3f sys=%.3f\n", wall,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(argv[2], (unsigned)strtoul(argv[3], NULL, 10));
	if (argc == 3 && !strcmp(argv[1], "read")) {
		struct walk w = {0};
		double t0 = now(), t;

		if (walk(&w, argv[2]) < 0)
			return 1;
		t = now() - t0;
		printf("files=%llu bytes=%llu wall=%.3f\n", (unsigned long long)w.files,
		       (unsigned long long)w.bytes, t);
		free(w.buf);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "scan")) {
		struct vg_secret_ruleset rs;
		struct scan_ctx c = {0};
		struct walk w = {.fn = scan_file, .userdata = &c};
		char err[512];
		double t0, t;

		vg_secret_ruleset_init(&rs);
		if (vg_secret_ruleset_load_builtin(&rs, err, sizeof(err)) < 0 ||
		    vg_secret_ruleset_compile(&rs, err, sizeof(err)) < 0 ||
		    vg_secret_scanner_new(&rs, &c.s) < 0) {
			fprintf(stderr, "rules: %s\n", err);
			return 1;
		}
		t0 = now();
		if (walk(&w, argv[2]) < 0)
			return 1;
		t = now() - t0;
		printf("files=%llu bytes=%llu wall=%.3f scan=%.3f findings=%llu keyword_hits=%llu "
		       "regex_bytes=%llu\n",
		       (unsigned long long)w.files, (unsigned long long)w.bytes, t, c.scan_time,
		       (unsigned long long)c.findings,
		       (unsigned long long)vg_secret_scanner_stats(c.s)->keyword_hits,
		       (unsigned long long)vg_secret_scanner_stats(c.s)->regex_bytes);
		vg_secret_scanner_free(c.s);
		vg_secret_ruleset_done(&rs);
		free(w.buf);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "vigil"))
		return run_vigil(argv[2], argv[3]);
	fprintf(stderr,
		"usage: secrets-bench gen DIR MB | read DIR | scan DIR | vigil VIGIL DIR\n");
	return 2;
}
