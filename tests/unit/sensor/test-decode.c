/* SPDX-License-Identifier: Apache-2.0 */
/* vg_event_decode() and vg_event_type_name(): valid records, every rejection reason. */
#include <stdio.h>
#include <string.h>

#include "event-builder.h"
#include "sensor/event.h"
#include "tap.h"

static struct vg_evb b;

/* Decodes b and expects failure; returns the reason. */
static const char *expect_bad(size_t n)
{
	struct vg_event e;
	const char *why = NULL;

	memset(&e, 0xaa, sizeof(e));
	ASSERT_ERR(vg_event_decode(b.buf, n, &e, &why), -EBADMSG);
	ASSERT_NOT_NULL(why);
	ASSERT_NULL(e.hdr); /* cleared on failure */
	for (unsigned i = 0; i < VG_P__MAX; i++)
		ASSERT_NULL(e.param[i]);
	return why;
}

static void expect_bad_reason(size_t n, const char *reason)
{
	ASSERT_STREQ(expect_bad(n), reason);
}

TEST(openat_valid)
{
	struct vg_event e;
	const char *why = NULL;
	size_t n;

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_hdr(&b)->ret = 3;
	vg_evb_str(&b, VG_P_PATH, "shadow");
	vg_evb_str(&b, VG_P_BASE, "/etc");
	vg_evb_str(&b, VG_P_RESOLVED, "/etc/shadow");
	n = vg_evb_finish(&b);

	ASSERT_OK(vg_event_decode(b.buf, n, &e, &why));
	ASSERT_TRUE(e.hdr == (const void *)b.buf);
	ASSERT_STREQ(vg_event_str(&e, VG_P_PATH), "shadow");
	ASSERT_STREQ(vg_event_str(&e, VG_P_BASE), "/etc");
	ASSERT_STREQ(vg_event_str(&e, VG_P_RESOLVED), "/etc/shadow");
	ASSERT_EQ(e.param_len[VG_P_RESOLVED], 12);
	ASSERT_NULL(e.param[VG_P_PATH2]);
	ASSERT_NULL(vg_event_tuple(&e));
	ASSERT_FALSE(vg_event_tuple_copy(&e, &(struct vg_tuple){}));
	ASSERT_EQ(e.hdr->ret, 3);
	ASSERT_STREQ(vg_event_type_name(&e), "openat");
}

TEST(every_shape_valid)
{
	static const char *const argv[] = {"sh", "-c", "id", NULL};
	static const char *const empty[] = {NULL};
	struct vg_tuple t = {.family = 2, .type = 1, .proto = 6, .sport = 40000, .dport = 443};
	struct vg_tuple t2;
	unsigned char addr[128] = {2, 0};
	unsigned char data[16] = {0, 1, 0, 0, 0x70};
	struct vg_event e;
	const char *why;
	size_t n;

	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	vg_evb_str(&b, VG_P_FILENAME, "/bin/sh");
	vg_evb_str(&b, VG_P_EXE, "/usr/bin/dash");
	vg_evb_list(&b, VG_P_ARGV, argv);
	vg_evb_list(&b, VG_P_ENV, empty);
	vg_evb_str(&b, VG_P_CWD, "/");
	vg_evb_str(&b, VG_P_CGROUP, "/system.slice/docker-abc.scope");
	vg_evb_param(&b, VG_P_ADDR, addr, sizeof(addr));
	vg_evb_tuple(&b, &t);
	vg_evb_str(&b, VG_P_NAME, "x");
	vg_evb_str(&b, VG_P_FSTYPE, "overlay");
	vg_evb_param(&b, VG_P_DATA, data, sizeof(data));
	vg_evb_param(&b, VG_P_DATA + 0, NULL, 0); /* duplicate: replaced below */
	b.len -= sizeof(struct vg_param);
	b.nparams--;
	vg_evb_str(&b, VG_P_FDPATH, "socket:[1]");
	vg_evb_str(&b, VG_P_PATH, "a");
	vg_evb_str(&b, VG_P_PATH2, "b");
	vg_evb_str(&b, VG_P_BASE2, "/");
	vg_evb_str(&b, VG_P_RESOLVED, "/a");
	vg_evb_str(&b, VG_P_BASE, "/");
	n = vg_evb_finish(&b);
	ASSERT_OK(vg_event_decode(b.buf, n, &e, &why));
	for (unsigned id = 1; id < VG_P__MAX; id++)
		ASSERT_NOT_NULL(e.param[id]);
	ASSERT_EQ(e.param_len[VG_P_ARGV], 9);
	ASSERT_EQ(memcmp(e.param[VG_P_ARGV], "sh\0-c\0id", 9), 0);
	ASSERT_EQ(e.param_len[VG_P_ENV], 1);
	ASSERT_TRUE(vg_event_tuple_copy(&e, &t2));
	ASSERT_EQ(t2.dport, 443);
	ASSERT_EQ(memcmp(&t, &t2, sizeof(t)), 0);
	ASSERT_EQ(e.param_len[VG_P_DATA], 16);
	ASSERT_STREQ(vg_event_type_name(&e), "execve");
}

TEST(strings_with_inner_nul_and_binary_data)
{
	struct vg_event e;
	const char *why;
	size_t n;

	/* a unix socket path as the kernel side emits it: inner NUL is kept, not rejected */
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CONNECT);
	vg_evb_param(&b, VG_P_FDPATH, "@abs\0tract", 11);
	vg_evb_param(&b, VG_P_DATA, "", 0);
	vg_evb_param(&b, VG_P_ADDR, "\x01", 1);
	n = vg_evb_finish(&b);
	ASSERT_OK(vg_event_decode(b.buf, n, &e, &why));
	ASSERT_STREQ(e.param[VG_P_FDPATH], "@abs");
	ASSERT_EQ(e.param_len[VG_P_DATA], 0);
	ASSERT_NOT_NULL(e.param[VG_P_DATA]);
}

TEST(type_names)
{
	static const struct {
		unsigned kind, sc;
		const char *name;
	} cases[] = {
		{VG_EV_EXEC, VG_SC_EXECVE, "execve"},	 {VG_EV_EXEC, VG_SC_EXECVEAT, "execveat"},
		{VG_EV_EXEC, VG_SC_NONE, "execve"},	 {VG_EV_FORK, VG_SC_CLONE, "clone"},
		{VG_EV_FORK, VG_SC_CLONE3, "clone3"},	 {VG_EV_FORK, VG_SC_FORK, "fork"},
		{VG_EV_FORK, VG_SC_VFORK, "vfork"},	 {VG_EV_FORK, VG_SC_NONE, "clone"},
		{VG_EV_EXIT, VG_SC_NONE, "procexit"},	 {VG_EV_SYSCALL, VG_SC_CONNECT, "connect"},
		{VG_EV_SYSCALL, VG_SC_TGKILL, "tgkill"}, {VG_EV_SYSCALL, VG_SC_EXECVE, "execve"},
	};
	struct vg_event e;
	const char *why;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;

		vg_evb_init(&b, cases[i].kind, cases[i].sc);
		n = vg_evb_finish(&b);
		ASSERT_OK(vg_event_decode(b.buf, n, &e, &why));
		ASSERT_STREQ(vg_event_type_name(&e), cases[i].name);
	}
	ASSERT_STREQ(vg_event_type_name(NULL), "unknown");
}

TEST(header_rejections)
{
	size_t n;

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	n = vg_evb_finish(&b);
	expect_bad_reason(0, "record shorter than the event header");
	expect_bad_reason(n - 1, "record shorter than the event header");
	ASSERT_ERR(vg_event_decode(NULL, 0, &(struct vg_event){}, NULL), -EBADMSG);

	vg_evb_hdr(&b)->size = (__u16)(n + 1);
	expect_bad_reason(n, "header size does not match the record size");
	vg_evb_hdr(&b)->size = (__u16)n;

	vg_evb_hdr(&b)->kind = 0;
	expect_bad_reason(n, "unknown event kind");
	vg_evb_hdr(&b)->kind = VG_EV__MAX;
	expect_bad_reason(n, "unknown event kind");
	vg_evb_hdr(&b)->kind = VG_EV_SYSCALL;

	vg_evb_hdr(&b)->sc = VG_SC__MAX;
	expect_bad_reason(n, "syscall id out of range");
	vg_evb_hdr(&b)->sc = 0xffff;
	expect_bad_reason(n, "syscall id out of range");
	vg_evb_hdr(&b)->sc = VG_SC_NONE;
	expect_bad_reason(n, "syscall event without a syscall id");
	vg_evb_hdr(&b)->kind = VG_EV_EXIT; /* other kinds may carry sc 0 */
	ASSERT_OK(vg_event_decode(b.buf, n, &(struct vg_event){}, NULL));
}

TEST(too_big)
{
	static const char s[VG_STR_MAX] = {[0 ... VG_STR_MAX - 2] = 'x'};
	size_t n;

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_RENAME);
	vg_evb_param(&b, VG_P_PATH, s, sizeof(s));
	vg_evb_param(&b, VG_P_PATH2, s, sizeof(s));
	vg_evb_param(&b, VG_P_BASE, s, sizeof(s));
	vg_evb_param(&b, VG_P_BASE2, s, sizeof(s));
	n = vg_evb_finish(&b);
	ASSERT_GT(n, (size_t)VG_EVENT_SIZE_MAX);
	expect_bad_reason(n, "record larger than VG_EVENT_SIZE_MAX");
}

TEST(misaligned)
{
	static _Alignas(8) unsigned char shifted[sizeof(b.buf) + 8];
	size_t n;

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	n = vg_evb_finish(&b);
	memcpy(shifted + 4, b.buf, n);
	ASSERT_ERR(vg_event_decode(shifted + 4, n, &(struct vg_event){}, NULL), -EBADMSG);
	memcpy(shifted, b.buf, n);
	ASSERT_OK(vg_event_decode(shifted, n, &(struct vg_event){}, NULL));
}

TEST(param_rejections)
{
	struct vg_tuple t = {};
	char big[VG_STR_MAX + 1];
	size_t n;

	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';

	/* nparams says more than there is */
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_str(&b, VG_P_PATH, "/x");
	n = vg_evb_finish(&b);
	vg_evb_hdr(&b)->nparams = 2;
	expect_bad_reason(n, "parameter header past the end of the record");

	/* a partial param header */
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_raw(&b, "\x03\x00", 2);
	b.nparams = 1;
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "parameter header past the end of the record");

	/* length larger than the rest of the record */
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param_lie(&b, VG_P_PATH, 100, "/x", 3);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "parameter data past the end of the record");
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param_lie(&b, VG_P_PATH, 0xffff, "/x", 3);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "parameter data past the end of the record");

	/* length smaller: the rest is an unparsed tail */
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param_lie(&b, VG_P_PATH, 1, "\0xyz", 4);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "trailing bytes after the last parameter");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_raw(&b, "junk", 4);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "trailing bytes after the last parameter");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_str(&b, 0, "/x");
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "unknown parameter id");
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_str(&b, VG_P__MAX, "/x");
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "unknown parameter id");
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_str(&b, 255, "/x");
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "unknown parameter id");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_str(&b, VG_P_PATH, "/x");
	vg_evb_str(&b, VG_P_PATH, "/y");
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "duplicate parameter");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param(&b, VG_P_PATH, "/x", 2);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "string parameter not NUL-terminated");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param(&b, VG_P_CGROUP, NULL, 0);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "empty string parameter (no NUL)");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param(&b, VG_P_PATH, big, sizeof(big));
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "string parameter longer than VG_STR_MAX");
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	vg_evb_param(&b, VG_P_PATH, big + 1, sizeof(big) - 1); /* exactly VG_STR_MAX: fine */
	n = vg_evb_finish(&b);
	ASSERT_OK(vg_event_decode(b.buf, n, &(struct vg_event){}, NULL));

	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	vg_evb_param(&b, VG_P_ARGV, "sh\0-c", 5);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "list parameter not NUL-terminated");
	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	vg_evb_param(&b, VG_P_ENV, NULL, 0);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "empty list parameter (no NUL)");
	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	vg_evb_param(&b, VG_P_ARGV, big, VG_ARGV_BYTES_MAX + 1);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "list parameter too long");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CONNECT);
	vg_evb_param(&b, VG_P_TUPLE, &t, sizeof(t) - 1);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "tuple parameter has the wrong size");
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CONNECT);
	vg_evb_param(&b, VG_P_TUPLE, big, sizeof(t) + 1);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "tuple parameter has the wrong size");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CONNECT);
	vg_evb_param(&b, VG_P_ADDR, big, 129);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "address parameter longer than a sockaddr_storage");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_INIT_MODULE);
	vg_evb_param(&b, VG_P_DATA, big, VG_STR_MAX + 1);
	n = vg_evb_finish(&b);
	expect_bad_reason(n, "data parameter longer than VG_STR_MAX");
}

/* Random valid records decode; every prefix and every single-byte change is handled safely. */
TEST(random_and_mutated)
{
	uint64_t seed = 42;
	unsigned ok_mutants = 0, bad_mutants = 0;

	for (int i = 0; i < 10000; i++) {
		struct vg_event e;
		const char *why = NULL;
		size_t n = vg_evb_random(&b, &seed);

		if (vg_event_decode(b.buf, n, &e, &why) < 0) {
			tap_diag("random record %d rejected: %s\n", i, why);
			ASSERT_TRUE(false);
		}
		ASSERT_EQ(e.hdr->size, n);
		if (i % 100 == 0) {
			for (size_t k = 0; k < n; k++) {
				/* prefixes with a matching size field still fail cleanly */
				__u16 saved = vg_evb_hdr(&b)->size;

				if (k >= sizeof(struct vg_event_hdr)) {
					vg_evb_hdr(&b)->size = (__u16)k;
					if (vg_event_decode(b.buf, k, &e, &why) == 0)
						ASSERT_EQ(e.hdr->size, k);
				}
				vg_evb_hdr(&b)->size = saved;
			}
		}
		if (i % 10 == 0) {
			size_t pos = (size_t)(vg_evb_rand(&seed) % n);
			unsigned char old = b.buf[pos];

			b.buf[pos] ^= (unsigned char)(1 + vg_evb_rand(&seed) % 255);
			if (vg_event_decode(b.buf, n, &e, &why) == 0)
				ok_mutants++;
			else
				bad_mutants++;
			b.buf[pos] = old;
		}
	}
	tap_diag("mutants: %u still valid, %u rejected\n", ok_mutants, bad_mutants);
	ASSERT_GT(bad_mutants, 0u);
}
