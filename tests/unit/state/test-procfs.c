/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/procfs.h"
#include "test-helpers.h"

static char root[256];

static void put_file(const char *rel, const char *data, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	ASSERT_EQ(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void mk(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ASSERT_OK(mkdir(path, 0755) < 0 ? -1 : 0);
}

static void ln(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ASSERT_EQ(symlink(target, path), 0);
}

static void make_tree(void)
{
	static const char stat[] =
		"42 (a) b) S 1 42 42 34816 42 4194560 1 0 0 0 5 6 0 0 20 0 1 0 12345 1 2 3\n";
	static const char status[] = "Name:\ta) b\nTgid:\t42\nPid:\t42\nPPid:\t1\n"
				     "Uid:\t0\t1\t2\t3\nGid:\t4\t5\t6\t7\n"
				     "NStgid:\t42\t7\nNSpid:\t42\t7\nCapPrm:\t000001ffffffffff\n"
				     "CapEff:\t0000000000000001\n";
	static const char cmdline[] = "/bin/odd\0--flag\0x y\0";

	snprintf(root, sizeof(root), "/tmp/vg-procfs-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(root));
	mk("42");
	mk("42/fd");
	mk("42/ns");
	mk("42/task");
	mk("42/task/42");
	mk("42/net");
	put_file("42/stat", stat, sizeof(stat) - 1);
	put_file("42/status", status, sizeof(status) - 1);
	put_file("42/cmdline", cmdline, sizeof(cmdline) - 1);
	put_file("42/loginuid", "4294967295", 10);
	{
		static const char cg[] = "0::/system.slice/docker-0123456789abcdef0123456789abcdef"
					 "0123456789abcdef0123456789abcdef.scope\n";

		put_file("42/cgroup", cg, sizeof(cg) - 1);
	}
	ln("/usr/bin/odd (deleted)", "42/exe");
	ln("/srv", "42/cwd");
	ln("mnt:[4026531840]", "42/ns/mnt");
	ln("net:[4026531833]", "42/ns/net");
	ln("/etc/hosts", "42/fd/3");
	ln("socket:[999]", "42/fd/4");
	put_file(
		"42/net/tcp",
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0100007F:0050 0200007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0 20 4 30 10 -1\n",
		0);
}

static void fix_tcp(void)
{
	static const char tcp[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0100007F:0050 0200007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0 20 4 30 10 -1\n";

	put_file("42/net/tcp", tcp, sizeof(tcp) - 1);
}

TEST(fake_tree)
{
	struct vg_procfs_stat st;
	struct vg_procfs_status status;
	char buf[VG_PATH_MAX];
	size_t len;
	bool deleted;
	uint64_t ino;

	make_tree();
	fix_tcp();
	ASSERT_OK(vg_procfs_read_stat(root, 42, 0, &st));
	ASSERT_STREQ(st.comm, "a) b");
	ASSERT_EQ(st.ppid, 1u);
	ASSERT_EQ(st.sid, 42u);
	ASSERT_EQ(st.starttime_ticks, 12345u);
	ASSERT_EQ(st.tty, 136u << 20); /* pts/0 */
	ASSERT_OK(vg_procfs_read_status(root, 42, 0, &status));
	ASSERT_EQ(status.uid[1], 1u);
	ASSERT_EQ(status.gid[3], 7u);
	ASSERT_EQ(status.vpid, 7u);
	ASSERT_EQ(status.cap_prm, 0x1ffffffffffull);
	ASSERT_EQ(vg_procfs_read_cmdline(root, 42, buf, sizeof(buf), &len), 0);
	ASSERT_EQ(len, 20u);
	ASSERT_STREQ(buf + 16, "x y");
	ASSERT_EQ(vg_procfs_read_cmdline(root, 42, buf, 8, &len), 1);
	ASSERT_EQ(buf[7], '\0');
	ASSERT_GE(vg_procfs_read_link(root, 42, "exe", buf, sizeof(buf), &deleted), 0);
	ASSERT_STREQ(buf, "/usr/bin/odd");
	ASSERT_TRUE(deleted);
	ASSERT_OK(vg_procfs_read_ns(root, 42, "mnt", &ino));
	ASSERT_EQ(ino, 4026531840ull);
	ASSERT_EQ(vg_procfs_read_cgroup(root, 42, buf, sizeof(buf)), 1);
	/* vanished */
	ASSERT_ERR(vg_procfs_read_stat(root, 43, 0, &st), -ENOENT);
	ASSERT_ERR(vg_procfs_read_link(root, 43, "exe", buf, sizeof(buf), NULL), -ENOENT);
}

TEST(fake_tree_seed)
{
	struct vg_state_config cfg = {.live = true};
	struct vg_state *s = NULL;
	struct vg_proc *p;
	struct vg_fd *f;

	make_tree();
	fix_tcp();
	cfg.procfs_root = root;
	ASSERT_OK(vg_state_new(&cfg, &s));
	ASSERT_OK(vg_state_seed(s));
	p = vg_state_proc(s, 42);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->comm, "a) b");
	ASSERT_STREQ(p->exe, "/usr/bin/odd");
	ASSERT_TRUE(p->exe_flags & VG_PROC_EXE_DELETED);
	ASSERT_STREQ(p->cwd, "/srv");
	ASSERT_STREQ(p->container->short_id, "0123456789ab");
	ASSERT_STREQ(vg_fdtable_get(&p->fds, 3)->name, "/etc/hosts");
	f = vg_fdtable_get(&p->fds, 4);
	ASSERT_NOT_NULL(f);
	ASSERT_EQ(f->type, VG_FD_IPV4);
	ASSERT_STREQ(f->name, "127.0.0.1:80->127.0.0.2:40000");
	vg_state_free(s);
}

TEST(real_self)
{
	struct vg_procfs_stat st;
	struct vg_procfs_status status;
	char buf[VG_PATH_MAX];
	size_t len;
	uint64_t ino;

	if (access("/proc/self/stat", R_OK) < 0)
		TEST_SKIP("no /proc");
	ASSERT_OK(vg_procfs_read_stat(NULL, (uint32_t)getpid(), 0, &st));
	ASSERT_EQ(st.ppid, (uint32_t)getppid());
	ASSERT_OK(vg_procfs_read_status(NULL, (uint32_t)getpid(), 0, &status));
	ASSERT_EQ(status.uid[0], (uint32_t)getuid());
	ASSERT_GE(vg_procfs_read_cmdline(NULL, (uint32_t)getpid(), buf, sizeof(buf), &len), 0);
	ASSERT_GT(len, 0u);
	ASSERT_GE(vg_procfs_read_link(NULL, (uint32_t)getpid(), "exe", buf, sizeof(buf), NULL), 0);
	ASSERT_OK(vg_procfs_read_ns(NULL, (uint32_t)getpid(), "pid", &ino));
}
