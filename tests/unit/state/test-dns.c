/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/state/dns.c: names from rule literals, resolution, extraction. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "basic/limits.h"
#include "state/dns.h"
#include "tap.h"

static struct vg_extract x;

static bool extracted(const char *name)
{
	for (size_t i = 0; i < x.n; i++)
		if (x.values[i].type == VG_FT_STR && x.values[i].s.len == strlen(name) &&
		    !memcmp(x.values[i].s.p, name, x.values[i].s.len))
			return true;
	return false;
}

TEST(names)
{
	vg_dns_reset();
	ASSERT_OK(vg_dns_add_name("localhost"));
	ASSERT_OK(vg_dns_add_name("LOCALHOST")); /* case-insensitive duplicate */
	ASSERT_ERR(vg_dns_add_name("not a host"), -EINVAL);
	ASSERT_ERR(vg_dns_add_name(""), -EINVAL);
	ASSERT_ERR(vg_dns_add_name("/etc/passwd"), -EINVAL);
	vg_dns_field_literal(NULL, "nothing-here.invalid");
	vg_dns_field_literal(NULL, "%weird");
	ASSERT_EQ(vg_dns_n_names(), (size_t)2);
	for (int i = 0; i < 300; i++) {
		char n[32];

		snprintf(n, sizeof(n), "h%d.invalid", i);
		(void)vg_dns_add_name(n);
	}
	ASSERT_EQ(vg_dns_n_names(), (size_t)VG_DNS_NAMES_MAX);
	ASSERT_ERR(vg_dns_add_name("one-more.invalid"), -E2BIG);
	vg_dns_reset();
	ASSERT_EQ(vg_dns_n_names(), (size_t)0);
}

TEST(resolve_and_extract)
{
	unsigned char lo[4], other[4];

	vg_dns_reset();
	inet_pton(AF_INET, "127.0.0.1", lo);
	inet_pton(AF_INET, "192.0.2.1", other);
	/* nothing resolved yet: <NA> */
	ASSERT_OK(vg_dns_add_name("localhost"));
	vg_extract_reset(&x);
	vg_dns_extract(AF_INET, lo, &x);
	ASSERT_EQ(x.n, (size_t)0);
	/* localhost comes from /etc/hosts: no network needed */
	ASSERT_TRUE(vg_dns_resolve_now() >= 1);
	vg_extract_reset(&x);
	vg_dns_extract(AF_INET, lo, &x);
	ASSERT_TRUE(extracted("localhost"));
	vg_extract_reset(&x);
	vg_dns_extract(AF_INET, other, &x);
	ASSERT_EQ(x.n, (size_t)0);
	vg_extract_reset(&x);
	vg_dns_extract(AF_UNIX, lo, &x);
	ASSERT_EQ(x.n, (size_t)0);
	vg_dns_reset();
}

TEST(refresher_thread)
{
	unsigned char lo[4];

	vg_dns_reset();
	inet_pton(AF_INET, "127.0.0.1", lo);
	ASSERT_OK(vg_dns_start(1, 2000)); /* no names: nothing to start */
	ASSERT_OK(vg_dns_add_name("localhost"));
	ASSERT_OK(vg_dns_start(1, 5000)); /* waits for the first pass */
	vg_extract_reset(&x);
	vg_dns_extract(AF_INET, lo, &x);
	ASSERT_TRUE(extracted("localhost"));
	ASSERT_OK(vg_dns_start(1, 100)); /* already running: no-op */
	vg_dns_stop();
	vg_dns_stop(); /* idempotent */
	vg_dns_reset();
}
