/* SPDX-License-Identifier: Apache-2.0 */
/* Syscall names, native and ia32 numbers, syscall sets. */
#include <string.h>
#include <sys/syscall.h>

#include "sensor/syscalls.h"
#include "tap.h"

TEST(names_round_trip)
{
	for (unsigned sc = 1; sc < VG_SC__MAX; sc++) {
		const char *name = vg_syscall_name(sc);

		ASSERT_NOT_NULL(name);
		ASSERT_EQ(vg_syscall_from_name(name), (int)sc);
		for (unsigned other = 1; other < sc; other++)
			ASSERT_TRUE(strcmp(vg_syscall_name(other), name) != 0);
	}
	ASSERT_NULL(vg_syscall_name(VG_SC_NONE));
	ASSERT_NULL(vg_syscall_name(VG_SC__MAX));
	ASSERT_NULL(vg_syscall_name(~0u));
	ASSERT_STREQ(vg_syscall_name(VG_SC_OPENAT), "openat");
	ASSERT_STREQ(vg_syscall_name(VG_SC_PERF_EVENT_OPEN), "perf_event_open");
	ASSERT_STREQ(vg_syscall_name(VG_SC_TGKILL), "tgkill");
	ASSERT_ERR(vg_syscall_from_name("nosuchcall"), -ENOENT);
	ASSERT_ERR(vg_syscall_from_name(""), -ENOENT);
	ASSERT_ERR(vg_syscall_from_name(NULL), -ENOENT);
	ASSERT_ERR(vg_syscall_from_name("OPENAT"), -ENOENT);
}

TEST(native_numbers)
{
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_OPENAT), __NR_openat);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_EXECVE), __NR_execve);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_CONNECT), __NR_connect);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_CLONE3), __NR_clone3);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_NONE), -1);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC__MAX), -1);
#if defined(__x86_64__)
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_OPEN), 2);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_EXECVE), 59);
	ASSERT_EQ(vg_syscall_nr_native(VG_SC_VFORK), 58);
#endif
	/* no two ids share a number, and numbers fit the BPF dispatch table */
	for (unsigned a = 1; a < VG_SC__MAX; a++) {
		int na = vg_syscall_nr_native(a);

		ASSERT_LT(na, VG_NR_MAX);
		for (unsigned c = 1; c < a && na >= 0; c++)
			ASSERT_NE(vg_syscall_nr_native(c), na);
	}
}

TEST(ia32_numbers)
{
#if defined(__x86_64__)
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_OPEN), 5);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_EXECVE), 11);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_SOCKET), 359);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_CONNECT), 362);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_ACCEPT4), 364);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_ACCEPT), -1); /* only via socketcall */
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_SETUID), 213);
	ASSERT_EQ(vg_syscall_nr_ia32_legacy(VG_SC_SETUID), 23);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_UMOUNT2), 52);
	ASSERT_EQ(vg_syscall_nr_ia32_legacy(VG_SC_UMOUNT2), 22);
	ASSERT_EQ(vg_syscall_nr_ia32_legacy(VG_SC_OPENAT), -1);
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_CLONE3), 435);
	for (unsigned a = 1; a < VG_SC__MAX; a++) {
		int na = vg_syscall_nr_ia32(a), la = vg_syscall_nr_ia32_legacy(a);

		ASSERT_LT(na, VG_NR_MAX);
		ASSERT_LT(la, VG_NR_MAX);
		for (unsigned c = 1; c < VG_SC__MAX; c++) {
			if (c != a && na >= 0)
				ASSERT_NE(vg_syscall_nr_ia32(c), na);
			if (la >= 0)
				ASSERT_NE(vg_syscall_nr_ia32(c), la);
		}
	}
#else
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_OPEN), -1);
#endif
	ASSERT_EQ(vg_syscall_nr_ia32(VG_SC_NONE), -1);
}

TEST(sets)
{
	struct vg_syscall_set s;

	memset(&s, 0xff, sizeof(s));
	vg_syscall_set_all(&s);
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_NONE));
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC__MAX));
	for (unsigned sc = 1; sc < VG_SC__MAX; sc++)
		ASSERT_TRUE(vg_syscall_set_has(&s, sc));

	memset(&s, 0xff, sizeof(s));
	vg_syscall_set_state(&s);
	/* Records carry their own fd view: opens, connects and dups are for rules, not state. */
	for (unsigned sc = 1; sc < VG_SC__MAX; sc++)
		ASSERT_FALSE(vg_syscall_set_has(&s, sc));
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_OPENAT));
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_CONNECT));
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_CLOSE));
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_KILL));
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_NONE));
	vg_syscall_set_add(&s, VG_SC__MAX); /* ignored */
	vg_syscall_set_add(&s, VG_SC_NONE);
	ASSERT_FALSE(vg_syscall_set_has(&s, VG_SC_NONE));
}
