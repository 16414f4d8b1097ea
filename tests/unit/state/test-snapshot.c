/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "basic/strbuf.h"
#include "test-helpers.h"

struct recs {
	int type[64];
	char *json[64];
	size_t n;
};

static int collect(void *ud, int rectype, const char *json, size_t n)
{
	struct recs *r = ud;

	if (r->n >= 64)
		return -E2BIG;
	r->type[r->n] = rectype;
	r->json[r->n] = strndup(json, n);
	r->n++;
	return 0;
}

static void build(struct vg_state *s)
{
	struct vg_evb b;
	static const char *const argv[] = {"nginx", "-g", "daemon off;", "\xff\xfe", NULL};

	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	evb_ids(&b, 50, 50, 1, "nginx");
	vg_evb_str(&b, VG_P_EXE, "/usr/sbin/nginx");
	vg_evb_list(&b, VG_P_ARGV, argv);
	vg_evb_str(&b, VG_P_CWD, "/\xc3\xa9t\xe9");
	vg_evb_str(&b, VG_P_CGROUP,
		   "/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	vg_evb_hdr(&b)->cgroup_id = 777;
	evb_apply(s, &b, NULL);
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	evb_ids(&b, 50, 50, 1, "nginx");
	vg_evb_hdr(&b)->ret = 5;
	vg_evb_hdr(&b)->cgroup_id = 777;
	vg_evb_str(&b, VG_P_RESOLVED, "/var/log/nginx/access.log");
	evb_apply(s, &b, NULL);
	vg_evb_init(&b, VG_EV_FORK, VG_SC_CLONE);
	evb_ids(&b, 50, 50, 1, "nginx");
	vg_evb_hdr(&b)->cgroup_id = 777;
	vg_evb_hdr(&b)->args[0] = 50;
	vg_evb_hdr(&b)->args[1] = 51;
	vg_evb_hdr(&b)->flags |= VG_EVF_THREAD;
	evb_apply(s, &b, NULL);
}

TEST(snapshot_roundtrip)
{
	struct vg_state_config cfg = {.live = false};
	struct vg_state *a = NULL, *b = NULL;
	struct recs ra = {0}, rb = {0};
	struct vg_proc *p;

	ASSERT_OK(vg_state_new(&cfg, &a));
	ASSERT_OK(vg_state_new(&cfg, &b));
	build(a);
	ASSERT_OK(vg_state_snapshot(a, collect, &ra));
	ASSERT_EQ(ra.n, 2u);
	ASSERT_EQ(ra.type[0], VG_STATE_REC_CONTAINER);
	for (size_t i = 0; i < ra.n; i++)
		ASSERT_OK(vg_state_load_record(b, ra.type[i], ra.json[i], strlen(ra.json[i])));
	ASSERT_OK(vg_state_snapshot(b, collect, &rb));
	ASSERT_EQ(rb.n, ra.n);
	for (size_t i = 0; i < ra.n; i++)
		ASSERT_STREQ(ra.json[i], rb.json[i]);
	p = vg_state_proc(b, 50);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->cwd, "/\xc3\xa9t\xe9");
	ASSERT_STREQ(vg_proc_argv(p, 3), "\xff\xfe");
	ASSERT_STREQ(vg_fdtable_get(&p->fds, 5)->name, "/var/log/nginx/access.log");
	ASSERT_EQ(vg_state_thread(b, 51)->proc, p);
	ASSERT_EQ(vg_state_container_by_cgroup(b, 777), p->container);
	for (size_t i = 0; i < ra.n; i++)
		free(ra.json[i]);
	for (size_t i = 0; i < rb.n; i++)
		free(rb.json[i]);
	vg_state_free(a);
	vg_state_free(b);
}

TEST(load_rejects)
{
	struct vg_state_config cfg = {.live = false};
	struct vg_state *s = NULL;

	ASSERT_OK(vg_state_new(&cfg, &s));
	ASSERT_ERR(vg_state_load_record(s, 3, "{}", 2), -EINVAL);
	ASSERT_ERR(vg_state_load_record(s, 1, "{", 1), -EBADMSG);
	ASSERT_ERR(vg_state_load_record(s, 1, "[]", 2), -EBADMSG);
	ASSERT_ERR(vg_state_load_record(s, 1, "{\"tgid\":0}", 10), -EBADMSG);
	ASSERT_ERR(vg_state_load_record(s, 1, "{\"tgid\":\"x\"}", 12), -EBADMSG);
	ASSERT_ERR(vg_state_load_record(s, 2, "{\"id\":\"host\"}", 13), -EBADMSG);
	ASSERT_ERR(vg_state_load_record(s, 1, "{\"tgid\":5,\"args_hex\":\"zz\"}", 26), -EBADMSG);
	vg_state_free(s);
}
