/* SPDX-License-Identifier: Apache-2.0 */
/* TAP runner: registration table, assertion support and main(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strerrorname_np() */
#endif
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define TAP_TESTS_MAX 1024

enum tap_result {
	TAP_PASS,
	TAP_FAILED,
	TAP_SKIPPED,
};

static struct {
	const char *name;
	tap_test_fn *fn;
} tests[TAP_TESTS_MAX];
static size_t n_tests;
static bool too_many;

static jmp_buf tap_jmp;
static bool tap_running;
static char skip_reason[256];

void tap_register(const char *name, tap_test_fn *fn)
{
	if (n_tests >= TAP_TESTS_MAX) {
		too_many = true;
		return;
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void tap_diag(const char *fmt, ...)
{
	static bool at_line_start = true;
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Prefix every line with "# " so diagnostics stay valid TAP. */
	for (const char *p = buf; *p; p++) {
		if (at_line_start)
			fputs("# ", stdout);
		fputc(*p, stdout);
		at_line_start = *p == '\n';
	}
}

_Noreturn void tap_fail(void)
{
	if (!tap_running) {
		fflush(stdout);
		abort();
	}
	longjmp(tap_jmp, TAP_FAILED);
}

_Noreturn void tap_skip(const char *reason)
{
	(void)snprintf(skip_reason, sizeof(skip_reason), "%s", reason ? reason : "");
	if (!tap_running)
		abort();
	longjmp(tap_jmp, TAP_SKIPPED);
}

const char *tap_errname(long long e)
{
	static char buf[32];
	const char *name = NULL;

	if (e > 0 && e < 4096)
		name = strerrorname_np((int)e);
	if (name)
		return name;
	if (e == 0)
		return "0";
	(void)snprintf(buf, sizeof(buf), "%lld", e);
	return buf;
}

static bool selected(const char *name)
{
	const char *sel = getenv("TESTFUNCS");
	size_t n = strlen(name);

	if (!sel || !*sel)
		return true;
	for (const char *p = sel; *p;) {
		size_t k = strcspn(p, ", ");

		if (k == n && strncmp(p, name, n) == 0)
			return true;
		p += k;
		p += strspn(p, ", ");
	}
	return false;
}

static bool in_ci(void)
{
	const char *ci = getenv("CI");

	return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
}

/* Kept separate from main() so no local of main() lives across setjmp(). */
static int run_one(tap_test_fn *fn)
{
	int result;

	tap_running = true;
	result = setjmp(tap_jmp);
	if (result == 0) {
		fn();
		result = TAP_PASS;
	}
	tap_running = false;
	fflush(stderr);
	return result;
}

int main(int argc, char **argv)
{
	size_t n_sel = 0, n = 0, failed = 0;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (too_many) {
		printf("Bail out! more than %d tests registered\n", TAP_TESTS_MAX);
		return 1;
	}
	for (size_t i = 0; i < n_tests; i++)
		n_sel += selected(tests[i].name);
	printf("1..%zu\n", n_sel);

	for (size_t i = 0; i < n_tests; i++) {
		if (!selected(tests[i].name))
			continue;
		n++;
		switch (run_one(tests[i].fn)) {
		case TAP_PASS:
			printf("ok %zu - %s\n", n, tests[i].name);
			break;
		case TAP_SKIPPED:
			if (in_ci()) {
				printf("not ok %zu - %s # skipping is not allowed in CI: %s\n", n,
				       tests[i].name, skip_reason);
				failed++;
			} else {
				printf("ok %zu - %s # SKIP %s\n", n, tests[i].name, skip_reason);
			}
			break;
		default:
			printf("not ok %zu - %s\n", n, tests[i].name);
			failed++;
			break;
		}
	}
	return failed ? 1 : 0;
}
