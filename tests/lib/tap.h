/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tiny TAP runner. A test file holds TEST(name) { ... } blocks, which register themselves
 * through a constructor; tap.c provides main(), which runs them in registration order and
 * prints "1..N", "ok N - name" / "not ok N - name". A failing ASSERT_* prints
 * "# file:line: expr (values)", ends the current test (longjmp, so cleanup attributes in
 * the test do not run) and the runner continues with the next test. No fork: tests run in
 * one process, debuggable in gdb, under ASan/UBSan/valgrind.
 *
 * TESTFUNCS="a,b" runs only the named tests. TEST_SKIP(reason) ends a test as
 * "ok N - name # SKIP reason", except when CI=true, where skipping is a failure.
 */
#ifndef VG_TESTS_TAP_H
#define VG_TESTS_TAP_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef void tap_test_fn(void);

void tap_register(const char *name, tap_test_fn *fn);
_Noreturn void tap_fail(void);
_Noreturn void tap_skip(const char *reason);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *tap_errname(long long e);

#define TEST(name)                                                         \
	static void test_##name(void);                                     \
	__attribute__((constructor)) static void tap_register_##name(void) \
	{                                                                  \
		tap_register(#name, test_##name);                          \
	}                                                                  \
	static void test_##name(void)

#define TAP_FAIL_AT(...)                                 \
	do {                                             \
		tap_diag("%s:%d: ", __FILE__, __LINE__); \
		tap_diag(__VA_ARGS__);                   \
		tap_diag("\n");                          \
		tap_fail();                              \
	} while (0)

#define ASSERT_TRUE(expr)                                             \
	do {                                                          \
		if (!(expr))                                          \
			TAP_FAIL_AT("ASSERT_TRUE(%s) failed", #expr); \
	} while (0)

#define ASSERT_FALSE(expr)                                             \
	do {                                                           \
		if (expr)                                              \
			TAP_FAIL_AT("ASSERT_FALSE(%s) failed", #expr); \
	} while (0)

#define TAP_CMP(a, b, op, name)                                                                \
	do {                                                                                   \
		__typeof__(a) tap_a_ = (a);                                                    \
		__typeof__(b) tap_b_ = (b);                                                    \
		if (!(tap_a_ op tap_b_))                                                       \
			TAP_FAIL_AT(name "(%s, %s) failed (%lld vs %lld)", #a, #b,             \
				    (long long)(intptr_t)tap_a_, (long long)(intptr_t)tap_b_); \
	} while (0)

#define ASSERT_EQ(a, b) TAP_CMP(a, b, ==, "ASSERT_EQ")
#define ASSERT_NE(a, b) TAP_CMP(a, b, !=, "ASSERT_NE")
#define ASSERT_GE(a, b) TAP_CMP(a, b, >=, "ASSERT_GE")
#define ASSERT_GT(a, b) TAP_CMP(a, b, >, "ASSERT_GT")
#define ASSERT_LE(a, b) TAP_CMP(a, b, <=, "ASSERT_LE")
#define ASSERT_LT(a, b) TAP_CMP(a, b, <, "ASSERT_LT")

#define ASSERT_STREQ(a, b)                                                                       \
	do {                                                                                     \
		const char *tap_sa_ = (a), *tap_sb_ = (b);                                       \
		if (!tap_sa_ || !tap_sb_ || strcmp(tap_sa_, tap_sb_) != 0)                       \
			TAP_FAIL_AT("ASSERT_STREQ(%s, %s) failed (\"%s\" vs \"%s\")", #a, #b,    \
				    tap_sa_ ? tap_sa_ : "(null)", tap_sb_ ? tap_sb_ : "(null)"); \
	} while (0)

#define ASSERT_OK(expr)                                                                   \
	do {                                                                              \
		long long tap_r_ = (long long)(expr);                                     \
		if (tap_r_ < 0)                                                           \
			TAP_FAIL_AT("ASSERT_OK(%s) failed: %lld (%s: %s)", #expr, tap_r_, \
				    tap_errname(-tap_r_), strerror((int)-tap_r_));        \
	} while (0)

#define ASSERT_ERR(expr, err)                                                                   \
	do {                                                                                    \
		long long tap_r_ = (long long)(expr), tap_e_ = (long long)(err);                \
		if (tap_r_ != tap_e_)                                                           \
			TAP_FAIL_AT("ASSERT_ERR(%s, %s) failed: got %lld (%s), want %lld (%s)", \
				    #expr, #err, tap_r_, tap_errname(-tap_r_), tap_e_,          \
				    tap_errname(-tap_e_));                                      \
	} while (0)

#define ASSERT_NULL(expr)                                                          \
	do {                                                                       \
		const void *tap_p_ = (expr);                                       \
		if (tap_p_)                                                        \
			TAP_FAIL_AT("ASSERT_NULL(%s) failed (%p)", #expr, tap_p_); \
	} while (0)

#define ASSERT_NOT_NULL(expr)                                             \
	do {                                                              \
		if (!(expr))                                              \
			TAP_FAIL_AT("ASSERT_NOT_NULL(%s) failed", #expr); \
	} while (0)

/* Ends the current test as skipped (a failure when CI=true). */
#define TEST_SKIP(reason) tap_skip(reason)

#endif /* VG_TESTS_TAP_H */
