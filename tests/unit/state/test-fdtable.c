/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "state/fdtable.h"
#include "test-helpers.h"

TEST(fdtable_basic)
{
	struct vg_fdtable t;
	struct vg_fd *f;

	vg_fdtable_init(&t, 4);
	ASSERT_OK(vg_fdtable_set(&t, 3, VG_FD_FILE, "/etc/passwd", NULL, 0, &f));
	ASSERT_OK(vg_fdtable_dup(&t, 3, 1, &f));
	ASSERT_STREQ(vg_fdtable_get(&t, 1)->name, "/etc/passwd");
	ASSERT_ERR(vg_fdtable_dup(&t, 9, 2, &f), -ENOENT);
	ASSERT_OK(vg_fdtable_set(&t, 4, VG_FD_FILE, "a", NULL, 0, NULL));
	ASSERT_OK(vg_fdtable_set(&t, 5, VG_FD_FILE, "b", NULL, 0, NULL));
	ASSERT_ERR(vg_fdtable_set(&t, 6, VG_FD_FILE, "c", NULL, 0, NULL), -E2BIG);
	ASSERT_TRUE(vg_fdtable_remove(&t, 4));
	ASSERT_NULL(vg_fdtable_get(&t, 4));
	ASSERT_EQ(vg_fdtable_size(&t), 3u);
	vg_fdtable_done(&t);
}

TEST(fd_classify_and_names)
{
	struct vg_tuple t = {.family = AF_INET, .sport = 40000, .dport = 443};
	uint64_t ino;
	char buf[128];

	ASSERT_EQ(vg_fd_classify_link("socket:[123]", &ino), VG_FD_SOCKET);
	ASSERT_EQ(ino, 123u);
	ASSERT_EQ(vg_fd_classify_link("pipe:[7]", &ino), VG_FD_PIPE);
	ASSERT_EQ(vg_fd_classify_link("anon_inode:[eventfd]", &ino), VG_FD_EVENTFD);
	ASSERT_EQ(vg_fd_classify_link("/memfd:x (deleted)", &ino), VG_FD_MEMFD);
	ASSERT_EQ(vg_fd_classify_link("/tmp/a", &ino), VG_FD_FILE);
	inet_pton(AF_INET, "10.0.0.2", t.saddr);
	inet_pton(AF_INET, "1.2.3.4", t.daddr);
	ASSERT_GE(vg_fd_tuple_name(&t, false, NULL, buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "10.0.0.2:40000->1.2.3.4:443");
	ASSERT_GE(vg_fd_tuple_name(&t, true, NULL, buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "1.2.3.4:443->10.0.0.2:40000");
	memset(t.daddr, 0, 16);
	t.dport = 0;
	ASSERT_GE(vg_fd_tuple_name(&t, false, NULL, buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "10.0.0.2:40000");
	ASSERT_STREQ(vg_fd_type_to_string(VG_FD_IPV6), "ipv6");
	ASSERT_EQ(vg_fd_type_from_string("directory"), VG_FD_DIRECTORY);
}

TEST(fd_events)
{
	struct vg_state_config cfg = {.live = false};
	struct vg_state *s = NULL;
	struct vg_event_ctx ctx;
	struct vg_tuple t = {.family = AF_INET, .type = SOCK_STREAM, .sport = 5555, .dport = 80};
	struct vg_evb b;

	ASSERT_OK(vg_state_new(&cfg, &s));
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	evb_ids(&b, 10, 10, 1, "cat");
	vg_evb_hdr(&b)->args[0] = (uint64_t)-100;
	vg_evb_hdr(&b)->args[2] = 02000000;
	vg_evb_hdr(&b)->ret = 3;
	vg_evb_str(&b, VG_P_PATH, "../etc/./shadow");
	vg_evb_str(&b, VG_P_BASE, "/root");
	evb_apply(s, &b, &ctx);
	ASSERT_NOT_NULL(ctx.fd);
	ASSERT_STREQ(ctx.fd->name, "/etc/shadow");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_SOCKET);
	evb_ids(&b, 10, 10, 1, "cat");
	vg_evb_hdr(&b)->args[0] = AF_INET;
	vg_evb_hdr(&b)->args[1] = SOCK_STREAM;
	vg_evb_hdr(&b)->ret = 4;
	evb_apply(s, &b, &ctx);
	ASSERT_EQ(ctx.fd->type, VG_FD_IPV4);

	inet_pton(AF_INET, "10.0.0.1", t.saddr);
	inet_pton(AF_INET, "93.184.216.34", t.daddr);
	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CONNECT);
	evb_ids(&b, 10, 10, 1, "cat");
	vg_evb_hdr(&b)->args[0] = 4;
	vg_evb_hdr(&b)->ret = -EINPROGRESS;
	vg_evb_tuple(&b, &t);
	evb_apply(s, &b, &ctx);
	ASSERT_STREQ(ctx.fd->name, "10.0.0.1:5555->93.184.216.34:80");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_DUP2);
	evb_ids(&b, 10, 10, 1, "cat");
	vg_evb_hdr(&b)->args[0] = 4;
	vg_evb_hdr(&b)->args[1] = 0;
	vg_evb_hdr(&b)->ret = 0;
	evb_apply(s, &b, &ctx);
	ASSERT_STREQ(vg_fdtable_get(&ctx.proc->fds, 0)->name, "10.0.0.1:5555->93.184.216.34:80");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CLOSE);
	evb_ids(&b, 10, 10, 1, "cat");
	vg_evb_hdr(&b)->args[0] = 3;
	vg_evb_hdr(&b)->ret = 0;
	evb_apply(s, &b, &ctx);
	ASSERT_NOT_NULL(ctx.fd);
	ASSERT_STREQ(ctx.fd->name, "/etc/shadow");
	ASSERT_NULL(vg_fdtable_get(&ctx.proc->fds, 3));

	/* exec drops O_CLOEXEC fds (none left) but keeps the socket */
	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	evb_ids(&b, 10, 10, 1, "sh");
	vg_evb_str(&b, VG_P_EXE, "/bin/sh");
	evb_apply(s, &b, &ctx);
	ASSERT_NOT_NULL(vg_fdtable_get(&ctx.proc->fds, 4));
	vg_state_free(s);
}
