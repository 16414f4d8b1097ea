/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The isolation collector over a fake /proc and cgroup tree written by the test: every field,
 * the effective judgement (findings), cgroup v1/v2/hybrid, and hostile content.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/isolation.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "shared/json.h"
#include "tap.h"

#define PID 42

static char base[256];

/* ------------------------------------------------------------------------------------------ */
/* Fake tree */

static void mkdirs(const char *rel)
{
	char path[1024], *p;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (p = path + strlen(base) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		(void)mkdir(path, 0755);
		*p = '/';
	}
	(void)mkdir(path, 0755);
}

static void put(const char *rel, const char *data)
{
	char path[1024], dir[1024], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	ASSERT_EQ(fwrite(data, 1, strlen(data), f), strlen(data));
	ASSERT_EQ(fclose(f), 0);
}

static void rm(const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	(void)unlink(path);
}

static void link_ns(int pid, const char *ns, unsigned long long ino)
{
	char rel[128], path[1024], target[64];

	snprintf(rel, sizeof(rel), "proc/%d/ns", pid);
	mkdirs(rel);
	snprintf(path, sizeof(path), "%s/proc/%d/ns/%s", base, pid, ns);
	snprintf(target, sizeof(target), "%s:[%llu]", ns, ino);
	(void)unlink(path);
	ASSERT_EQ(symlink(target, path), 0);
}

static const char *const ns_list[] = {"pid", "net", "mnt", "ipc", "uts", "user", "cgroup", "time"};

#define HOST_INO(i) (4026531830ULL + (i))

/* Host (pid 1): all caps up to 40, host mounts. */
static const char host_status[] = "Name:\tinit\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
				  "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
				  "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
				  "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n";
static const char host_mountinfo[] =
	"1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"2 1 0:24 / /run rw,nosuid shared:2 - tmpfs tmpfs rw,mode=755\n"
	"3 1 0:5 / /dev rw,nosuid shared:3 - devtmpfs udev rw\n"
	"4 1 0:22 / /proc rw - proc proc rw\n"
	"5 1 8:2 / /srv rw shared:5 - xfs /dev/sda2 rw\n"
	"6 1 0:4 net:[4026532181] /run/netns/x rw - nsfs nsfs rw\n"
	"7 1 0:30 / /var/lib/docker/overlay2/abc/merged rw - overlay overlay rw,lowerdir=/a:/b\n";

/* The "docker default" container: private namespaces but user/cgroup/time, default caps. */
static const char docker_status[] =
	"Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nPid:\t42\n"
	"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\n"
	"CapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n"
	"CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n"
	"Speculation_Store_Bypass:\tthread vulnerable\n";
static const char docker_mountinfo[] =
	"76 50 0:30 / / rw,relatime master:3 - overlay overlay rw,lowerdir=/a:/b\n"
	"77 76 0:43 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
	"78 76 0:44 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n"
	"80 76 0:46 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro\n"
	"81 80 0:47 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw,mode=755\n"
	"82 81 0:29 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n"
	"93 76 8:1 /var/lib/docker/containers/abc/hosts /etc/hosts rw,relatime - ext4 /dev/sda1 rw\n"
	"54 77 0:43 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
	"56 77 0:44 /null /proc/keys rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n"
	"57 77 0:44 /null /proc/kcore rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n";

static void make_base(void)
{
	snprintf(base, sizeof(base), "/tmp/vg-isolation-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(base));
	put("proc/sys/kernel/cap_last_cap", "40\n");
	put("proc/1/stat", "1 (init) S 0 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 7 1 1\n");
	put("proc/1/status", host_status);
	put("proc/1/mountinfo", host_mountinfo);
	for (size_t i = 0; i < 8; i++)
		link_ns(1, ns_list[i], HOST_INO(i));
}

/* A docker-like container on cgroup v2 (memory limited at its own level). */
static void make_docker(void)
{
	make_base();
	put("proc/42/stat", "42 (sleep) S 0 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 999 1 1\n");
	put("proc/42/status", docker_status);
	put("proc/42/mountinfo", docker_mountinfo);
	put("proc/42/cgroup", "0::/docker/abc\n");
	put("proc/42/uid_map", "         0          0 4294967295\n");
	put("proc/42/attr/apparmor/current", "docker-default (enforce)\n");
	for (size_t i = 0; i < 8; i++) {
		bool host = !strcmp(ns_list[i], "user") || !strcmp(ns_list[i], "cgroup") ||
			    !strcmp(ns_list[i], "time");

		link_ns(PID, ns_list[i], host ? HOST_INO(i) : 4026532100ULL + i);
	}
	put("cgroup/cgroup.controllers", "cpu memory pids\n");
	put("cgroup/docker/abc/memory.max", "536870912\n");
	put("cgroup/docker/abc/pids.max", "max\n");
	put("cgroup/docker/abc/cpu.max", "max 100000\n");
	put("cgroup/docker/memory.max", "max\n");
}

static struct vg_iso_opts opts(void)
{
	static char proc[300], cg[300];

	snprintf(proc, sizeof(proc), "%s/proc", base);
	snprintf(cg, sizeof(cg), "%s/cgroup", base);
	return (struct vg_iso_opts){.proc_root = proc, .cgroup_root = cg, .ref_pid = 1};
}

static int collect(struct vg_isolation **ret)
{
	struct vg_iso_opts o = opts();

	return vg_isolation_collect(&o, PID, ret);
}

static void cleanup_tree(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ASSERT_EQ(system(cmd), 0);
}

/* The finding ids, sorted and comma-joined, e.g. "ISO-CAP-NET_RAW,ISO-NS-USER". */
static const char *ids(const struct vg_isolation *iso)
{
	static char buf[8192];
	const char *v[512];
	size_t n = 0;

	for (size_t i = 0; i < iso->n_findings && n < 512; i++)
		v[n++] = iso->findings[i].id;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, v[i]);
	}
	return buf;
}

static const struct vg_iso_finding *find(const struct vg_isolation *iso, const char *id)
{
	for (size_t i = 0; i < iso->n_findings; i++)
		if (!strcmp(iso->findings[i].id, id))
			return &iso->findings[i];
	return NULL;
}

static const struct vg_iso_finding *find_detail(const struct vg_isolation *iso, const char *id,
						const char *detail)
{
	for (size_t i = 0; i < iso->n_findings; i++)
		if (!strcmp(iso->findings[i].id, id) && !strcmp(iso->findings[i].detail, detail))
			return &iso->findings[i];
	return NULL;
}

/* ------------------------------------------------------------------------------------------ */

TEST(docker_default_fields)
{
	struct vg_isolation *iso = NULL;

	make_docker();
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->pid, 42u);
	ASSERT_EQ(iso->ref_pid, 1u);
	ASSERT_FALSE(iso->ref_is_self);
	/* namespaces */
	ASSERT_EQ(iso->ns[VG_ISO_NS_PID], VG_ISO_NS_PRIVATE);
	ASSERT_EQ(iso->ns[VG_ISO_NS_NET], VG_ISO_NS_PRIVATE);
	ASSERT_EQ(iso->ns[VG_ISO_NS_MNT], VG_ISO_NS_PRIVATE);
	ASSERT_EQ(iso->ns[VG_ISO_NS_IPC], VG_ISO_NS_PRIVATE);
	ASSERT_EQ(iso->ns[VG_ISO_NS_UTS], VG_ISO_NS_PRIVATE);
	ASSERT_EQ(iso->ns[VG_ISO_NS_USER], VG_ISO_NS_SHARED);
	ASSERT_EQ(iso->ns[VG_ISO_NS_CGROUP], VG_ISO_NS_SHARED);
	ASSERT_EQ(iso->ns[VG_ISO_NS_TIME], VG_ISO_NS_SHARED);
	ASSERT_EQ(iso->ns_ino[VG_ISO_NS_PID], 4026532100ULL);
	/* capabilities, seccomp */
	ASSERT_EQ(iso->cap_eff, 0xa80425fbULL);
	ASSERT_EQ(iso->cap_prm, 0xa80425fbULL);
	ASSERT_EQ(iso->cap_bnd, 0xa80425fbULL);
	ASSERT_EQ(iso->cap_amb, 0ULL);
	ASSERT_EQ(iso->host_cap_bnd, 0x1ffffffffffULL);
	ASSERT_EQ(iso->cap_last, 40u);
	ASSERT_EQ(iso->seccomp, 2);
	ASSERT_EQ(iso->seccomp_filters, 1);
	ASSERT_EQ(iso->no_new_privs, 0);
	/* LSM */
	ASSERT_EQ(iso->lsm, VG_ISO_LSM_APPARMOR);
	ASSERT_STREQ(iso->lsm_label, "docker-default (enforce)");
	/* cgroups: v2, memory limited at the container's level, not above */
	ASSERT_EQ(iso->cgroup_mode, VG_ISO_CGROUP_V2);
	ASSERT_STREQ(iso->cgroup_path, "/docker/abc");
	ASSERT_TRUE(iso->mem.known);
	ASSERT_EQ(iso->mem.value, 536870912ULL);
	ASSERT_STREQ(iso->mem.where, "/docker/abc");
	ASSERT_EQ(iso->pids.value, VG_ISO_UNLIMITED);
	ASSERT_EQ(iso->cpu_quota.value, VG_ISO_UNLIMITED);
	ASSERT_EQ(iso->devices_all, -1);
	/* mounts */
	ASSERT_EQ(iso->n_mounts, 10u);
	ASSERT_EQ(iso->rootfs_ro, 0);
	ASSERT_STREQ(iso->mounts[0].fstype, "overlay");
	ASSERT_STREQ(iso->mounts[0].host_path, "/var/lib/docker/overlay2/abc/merged");
	ASSERT_STREQ(iso->mounts[6].mount_point, "/etc/hosts");
	ASSERT_STREQ(iso->mounts[6].host_path, "/var/lib/docker/containers/abc/hosts");
	ASSERT_NULL(iso->mounts[1].host_path); /* proc: pseudo */
	ASSERT_FALSE(iso->mounts[3].rw); /* sysfs ro */
	/* user */
	ASSERT_EQ(iso->uid[1], 0u);
	ASSERT_EQ(iso->n_uid_map, 1u);
	ASSERT_EQ(iso->uid_map[0].count, 4294967295u);
	ASSERT_TRUE(iso->root_on_host);
	/* findings: what Docker's defaults leave open */
	ASSERT_STREQ(ids(iso), "ISO-CAP-NET_RAW,ISO-CGROUP-NO-CPU,ISO-CGROUP-NO-PIDS,"
			       "ISO-NO-NEW-PRIVS,ISO-NS-CGROUP,ISO-NS-USER,ISO-ROOTFS-RW,"
			       "ISO-USER-ROOT");
	ASSERT_EQ(find(iso, "ISO-USER-ROOT")->severity, VG_ISO_SEV_HIGH);
	ASSERT_EQ(vg_isolation_count(iso, VG_ISO_SEV_HIGH), 1u);
	ASSERT_EQ(vg_isolation_count(iso, VG_ISO_SEV_LOW), 8u);
	/* sorted: highest severity first */
	ASSERT_EQ(iso->findings[0].severity, VG_ISO_SEV_HIGH);
	ASSERT_EQ(iso->findings[iso->n_findings - 1].severity, VG_ISO_SEV_LOW);
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(privileged_like_v1)
{
	struct vg_isolation *iso = NULL;
	const struct vg_iso_finding *f;

	make_docker();
	put("proc/42/status", "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\n"
			      "CapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
			      "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
			      "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	put("proc/42/attr/apparmor/current", "unconfined\n");
	put("proc/42/mountinfo",
	    "1 0 0:30 / / rw - overlay overlay rw\n"
	    "2 1 0:43 / /proc rw,nosuid - proc proc rw\n"
	    "3 1 0:46 / /sys rw,nosuid - sysfs sysfs rw\n"
	    "4 3 0:29 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n");
	/* cgroup v1 (no v2 line): memory limited one level up, cpu quota, all devices */
	put("proc/42/cgroup", "5:devices:/docker/abc\n4:memory:/docker/abc\n3:pids:/docker/abc\n"
			      "2:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
	rm("cgroup/cgroup.controllers");
	put("cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
	put("cgroup/memory/docker/memory.limit_in_bytes", "1073741824\n");
	put("cgroup/pids/docker/abc/pids.max", "100\n");
	put("cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "150000\n");
	put("cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
	put("cgroup/devices/docker/abc/devices.list", "a *:* rwm\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->cgroup_mode, VG_ISO_CGROUP_V1);
	ASSERT_EQ(iso->mem.value, 1073741824ULL);
	ASSERT_STREQ(iso->mem.where, "/docker");
	ASSERT_EQ(iso->pids.value, 100ULL);
	ASSERT_EQ(iso->cpu_quota.value, 150000ULL);
	ASSERT_EQ(iso->cpu_period.value, 100000ULL);
	ASSERT_EQ(iso->devices_all, 1);
	ASSERT_EQ(iso->seccomp, 0);
	ASSERT_STREQ(iso->lsm_label, "unconfined");
	ASSERT_NOT_NULL(find(iso, "ISO-CAP-ALL"));
	ASSERT_NOT_NULL(find(iso, "ISO-CAP-SYS_ADMIN"));
	ASSERT_NOT_NULL(find(iso, "ISO-CAP-SYS_MODULE"));
	ASSERT_NOT_NULL(find(iso, "ISO-CAP-CHECKPOINT_RESTORE"));
	ASSERT_NOT_NULL(find(iso, "ISO-SECCOMP-OFF"));
	ASSERT_NOT_NULL(find(iso, "ISO-LSM-UNCONFINED"));
	ASSERT_NOT_NULL(find(iso, "ISO-CGROUP-DEVICES-ALL"));
	ASSERT_NOT_NULL(find(iso, "ISO-MOUNT-PROC-RW"));
	ASSERT_NOT_NULL(find(iso, "ISO-MOUNT-PROC-UNMASKED"));
	ASSERT_NOT_NULL(find(iso, "ISO-MOUNT-SYSFS-RW"));
	ASSERT_NOT_NULL(find(iso, "ISO-MOUNT-CGROUPFS-RW"));
	ASSERT_NULL(find(iso, "ISO-CGROUP-NO-MEMORY"));
	ASSERT_NULL(find(iso, "ISO-CGROUP-NO-PIDS"));
	ASSERT_NULL(find(iso, "ISO-CGROUP-NO-CPU"));
	f = find(iso, "ISO-CAP-SYS_ADMIN");
	ASSERT_EQ(f->severity, VG_ISO_SEV_CRITICAL);
	ASSERT_NOT_NULL(strstr(f->detail, "held"));
	ASSERT_NOT_NULL(strstr(f->why, "mount"));
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(cgroup_hybrid_and_bounding_only_caps)
{
	struct vg_isolation *iso = NULL;

	make_docker();
	/* non-root user with SYS_ADMIN only in the bounding set: obtainable without NoNewPrivs */
	put("proc/42/status", "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
			      "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
			      "CapBnd:\t0000000000200000\nNoNewPrivs:\t0\nSeccomp:\t2\n");
	put("proc/42/cgroup", "2:memory:/ct\n1:pids:/ct\n0::/ct\n");
	rm("cgroup/cgroup.controllers");
	put("cgroup/memory/ct/memory.limit_in_bytes", "268435456\n");
	put("cgroup/pids/ct/pids.max", "max\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->cgroup_mode, VG_ISO_CGROUP_HYBRID);
	ASSERT_STREQ(iso->cgroup_path, "/ct");
	ASSERT_EQ(iso->mem.value, 268435456ULL);
	ASSERT_EQ(iso->pids.value, VG_ISO_UNLIMITED);
	ASSERT_FALSE(iso->cpu_quota.known); /* no cpu controller line */
	ASSERT_EQ(iso->seccomp_filters, -1);
	ASSERT_EQ(iso->cap_amb, 0ULL);
	ASSERT_NOT_NULL(find(iso, "ISO-CAP-SYS_ADMIN"));
	ASSERT_NOT_NULL(strstr(find(iso, "ISO-CAP-SYS_ADMIN")->detail, "bounding"));
	ASSERT_NULL(find(iso, "ISO-USER-ROOT"));
	ASSERT_NULL(find(iso, "ISO-CGROUP-NO-CPU"));
	vg_isolation_free(iso);

	/* the same with NoNewPrivs: the bounding set cannot be reached */
	put("proc/42/status", "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
			      "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
			      "CapBnd:\t0000000000200000\nNoNewPrivs:\t1\nSeccomp:\t2\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->no_new_privs, 1);
	ASSERT_NULL(find(iso, "ISO-CAP-SYS_ADMIN"));
	ASSERT_NULL(find(iso, "ISO-NO-NEW-PRIVS"));
	vg_isolation_free(iso);

	/* a full bounding set: every capability reachable without NoNewPrivs, none with it */
	put("proc/42/status", "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
			      "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
			      "CapBnd:\t000001ffffffffff\nNoNewPrivs:\t0\nSeccomp:\t2\n");
	ASSERT_OK(collect(&iso));
	ASSERT_NOT_NULL(find(iso, "ISO-CAP-ALL"));
	ASSERT_NOT_NULL(strstr(find(iso, "ISO-CAP-ALL")->detail, "reachable"));
	vg_isolation_free(iso);
	put("proc/42/status", "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
			      "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
			      "CapBnd:\t000001ffffffffff\nNoNewPrivs:\t1\nSeccomp:\t2\n");
	ASSERT_OK(collect(&iso));
	ASSERT_NULL(find(iso, "ISO-CAP-ALL"));
	ASSERT_EQ(vg_isolation_count(iso, VG_ISO_SEV_HIGH), 0u);
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(host_mounts)
{
	struct vg_isolation *iso = NULL;
	const struct vg_iso_finding *f;

	make_docker();
	put("proc/42/mountinfo", "1 0 0:30 / / ro - overlay overlay rw\n"
				 "2 1 8:1 / /host rw - ext4 /dev/sda1 rw\n"
				 "3 1 0:24 /docker.sock /var/run/docker.sock rw - tmpfs tmpfs rw\n"
				 "4 1 8:1 /etc /hostetc ro - ext4 /dev/sda1 rw\n"
				 "5 1 8:2 /data /data rw shared:9 - xfs /dev/sda2 rw\n"
				 "6 1 0:5 / /hostdev rw - devtmpfs udev rw\n"
				 "7 1 0:24 /containerd /run/c rw - tmpfs tmpfs rw\n"
				 "8 1 8:1 /var/lib/docker /vld rw - ext4 /dev/sda1 rw\n"
				 "9 1 8:1 /etc/ssh\\040keys /k rw - ext4 /dev/sda1 rw\n"
				 "10 1 8:1 /home/u/src /src rw - ext4 /dev/sda1 rw\n"
				 "11 1 8:2 /vol /var/run rw - xfs /dev/sda2 rw\n"
				 "12 1 8:2 /sock/podman.sock /p.sock rw - xfs /dev/sda2 rw\n"
				 "13 1 8:2 /x /run/crio/crio.sock rw - xfs /dev/sda2 rw\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->rootfs_ro, 1);
	ASSERT_STREQ(iso->mounts[1].host_path, "/");
	ASSERT_STREQ(iso->mounts[2].host_path, "/run/docker.sock");
	ASSERT_STREQ(iso->mounts[4].host_path, "/srv/data");
	ASSERT_TRUE(iso->mounts[4].shared);
	ASSERT_STREQ(iso->mounts[8].host_path, "/etc/ssh keys");
	f = find(iso, "ISO-MOUNT-HOST-ROOT");
	ASSERT_NOT_NULL(f);
	ASSERT_STREQ(f->detail, "host / mounted rw at /host");
	f = find_detail(iso, "ISO-MOUNT-SOCKET",
			"host /run/docker.sock mounted at /var/run/docker.sock");
	ASSERT_NOT_NULL(f);
	ASSERT_EQ(f->severity, VG_ISO_SEV_CRITICAL);
	ASSERT_NOT_NULL(find(iso, "ISO-MOUNT-DEVICES"));
	ASSERT_NOT_NULL(find(iso, "ISO-MOUNT-SHARED"));
	ASSERT_NULL(find(iso, "ISO-ROOTFS-RW"));
	/* sensitive: /etc ro (medium), /var/lib/docker rw (high), /etc/ssh keys (subtree) */
	{
		size_t n = 0, medium = 0;

		for (size_t i = 0; i < iso->n_findings; i++)
			if (!strcmp(iso->findings[i].id, "ISO-MOUNT-SENSITIVE")) {
				n++;
				medium += iso->findings[i].severity == VG_ISO_SEV_MEDIUM;
			}
		ASSERT_EQ(n, 3u);
		ASSERT_EQ(medium, 1u);
	}
	/* /run/containerd (a directory that holds containerd.sock) */
	{
		bool seen = false;

		for (size_t i = 0; i < iso->n_findings; i++)
			if (!strcmp(iso->findings[i].id, "ISO-MOUNT-SOCKET") &&
			    strstr(iso->findings[i].detail, "/run/containerd"))
				seen = true;
		ASSERT_TRUE(seen);
	}
	/* a volume mounted over /var/run inside is not a socket; a socket file anywhere is, and
	 * so is a file mounted where the container expects a socket */
	ASSERT_NULL(find_detail(iso, "ISO-MOUNT-SOCKET", "host /srv/vol mounted at /var/run"));
	ASSERT_NOT_NULL(find_detail(iso, "ISO-MOUNT-SOCKET",
				    "host /srv/sock/podman.sock mounted at /p.sock"));
	ASSERT_NOT_NULL(
		find_detail(iso, "ISO-MOUNT-SOCKET", "host /srv/x mounted at /run/crio/crio.sock"));
	/* /home/u/src is not sensitive: /home itself is, not every directory below it */
	for (size_t i = 0; i < iso->n_findings; i++)
		ASSERT_NULL(strstr(iso->findings[i].detail, "/home/u/src"));
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(host_mount_namespace_skips_mount_checks)
{
	struct vg_isolation *iso = NULL;

	make_docker();
	link_ns(PID, "mnt", HOST_INO(2));
	link_ns(PID, "pid", HOST_INO(0));
	link_ns(PID, "net", HOST_INO(1));
	put("proc/42/mountinfo", host_mountinfo);
	ASSERT_OK(collect(&iso));
	ASSERT_NOT_NULL(find(iso, "ISO-NS-MNT"));
	ASSERT_NOT_NULL(find(iso, "ISO-NS-PID"));
	ASSERT_NOT_NULL(find(iso, "ISO-NS-NET"));
	ASSERT_EQ(find(iso, "ISO-NS-MNT")->severity, VG_ISO_SEV_CRITICAL);
	ASSERT_NULL(find(iso, "ISO-MOUNT-HOST-ROOT"));
	ASSERT_NULL(find(iso, "ISO-MOUNT-DEVICES"));
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(user_namespaces)
{
	struct vg_isolation *iso = NULL;

	make_docker();
	link_ns(PID, "user", 4026532999ULL);
	put("proc/42/uid_map", "0 100000 65536\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->ns[VG_ISO_NS_USER], VG_ISO_NS_PRIVATE);
	ASSERT_FALSE(iso->root_on_host);
	ASSERT_EQ(iso->uid_map[0].outside, 100000u);
	ASSERT_NULL(find(iso, "ISO-USER-ROOT"));
	ASSERT_NULL(find(iso, "ISO-NS-USER"));
	ASSERT_NULL(find(iso, "ISO-USERNS-ROOT-MAPPED"));
	vg_isolation_free(iso);

	put("proc/42/uid_map", "1 100000 65536\n0 0 1\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->n_uid_map, 2u);
	ASSERT_TRUE(iso->root_on_host);
	ASSERT_NOT_NULL(find(iso, "ISO-USERNS-ROOT-MAPPED"));
	ASSERT_STREQ(find(iso, "ISO-USER-ROOT")->detail, "effective uid 0, mapped to host uid 0");
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(lsm_labels)
{
	struct vg_isolation *iso = NULL;

	make_docker();
	rm("proc/42/attr/apparmor/current");
	put("proc/42/attr/current", "system_u:system_r:spc_t:s0");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->lsm, VG_ISO_LSM_SELINUX);
	ASSERT_NOT_NULL(find(iso, "ISO-LSM-UNCONFINED"));
	vg_isolation_free(iso);

	put("proc/42/attr/current", "system_u:system_r:container_t:s0:c1,c2\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->lsm, VG_ISO_LSM_SELINUX);
	ASSERT_STREQ(iso->lsm_label, "system_u:system_r:container_t:s0:c1,c2");
	ASSERT_NULL(find(iso, "ISO-LSM-UNCONFINED"));
	vg_isolation_free(iso);

	/* AppArmor through the old attr/current, in complain mode */
	put("proc/42/attr/current", "my-profile (complain)\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->lsm, VG_ISO_LSM_APPARMOR);
	ASSERT_NOT_NULL(find(iso, "ISO-LSM-UNCONFINED"));
	vg_isolation_free(iso);

	/* no LSM: nothing to report */
	rm("proc/42/attr/current");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->lsm, VG_ISO_LSM_NONE);
	ASSERT_STREQ(iso->lsm_label, "");
	ASSERT_NULL(find(iso, "ISO-LSM-UNCONFINED"));
	vg_isolation_free(iso);

	/* a label with control characters is not a label */
	put("proc/42/attr/current", "evil\033[2Jlabel\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	cleanup_tree();
}

TEST(reference_falls_back_to_self)
{
	struct vg_isolation *iso = NULL;
	char rel[128], self_rel[64];

	make_docker();
	/* pid 1 has no readable namespaces: this process is the reference; give it a fake dir */
	rm("proc/1/ns/mnt");
	snprintf(self_rel, sizeof(self_rel), "proc/%d", (int)getpid());
	snprintf(rel, sizeof(rel), "%s/status", self_rel);
	put(rel, host_status);
	snprintf(rel, sizeof(rel), "%s/mountinfo", self_rel);
	put(rel, host_mountinfo);
	for (size_t i = 0; i < 8; i++)
		link_ns((int)getpid(), ns_list[i], HOST_INO(i));
	ASSERT_OK(collect(&iso));
	ASSERT_TRUE(iso->ref_is_self);
	ASSERT_EQ(iso->ref_pid, (uint32_t)getpid());
	ASSERT_EQ(iso->ns[VG_ISO_NS_USER], VG_ISO_NS_SHARED);
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(json_report)
{
	struct vg_isolation *iso = NULL;
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	json_t *root = NULL, *f;
	char err[128];

	make_docker();
	put("proc/42/mountinfo", "1 0 0:30 / / rw - overlay overlay rw\n"
				 "2 1 8:1 /a\"b\\134c /x rw - ext4 /dev/sda1 rw\n");
	ASSERT_OK(collect(&iso));
	ASSERT_OK(vg_isolation_to_json(iso, "{\"kind\":\"pid\"}", &sb));
	ASSERT_OK(vg_json_parse(vg_strbuf_str(&sb), sb.len, &root, err, sizeof(err)));
	ASSERT_STREQ(vg_json_get_str(vg_json_path(root, "target"), "kind"), "pid");
	ASSERT_STREQ(vg_json_get_str(vg_json_path(root, "namespaces.user"), "state"), "host");
	ASSERT_STREQ(vg_json_get_str(vg_json_path(root, "namespaces.pid"), "state"), "private");
	ASSERT_STREQ(vg_json_get_str(vg_json_path(root, "mounts.list.1"), "host_path"), "/a\"b\\c");
	ASSERT_STREQ(json_string_value(vg_json_path(root, "capabilities.effective.0")),
		     "CAP_CHOWN");
	ASSERT_EQ(json_integer_value(vg_json_path(root, "cgroups.memory_max")), 536870912);
	ASSERT_STREQ(json_string_value(vg_json_path(root, "cgroups.pids_max")), "max");
	f = vg_json_path(root, "findings");
	ASSERT_EQ(json_array_size(f), iso->n_findings);
	ASSERT_STREQ(vg_json_get_str(json_array_get(f, 0), "severity"), "high");
	ASSERT_NOT_NULL(vg_json_get_str(json_array_get(f, 0), "fix"));
	ASSERT_EQ(json_integer_value(vg_json_path(root, "summary.high")), 1);
	json_decref(root);
	vg_strbuf_done(&sb);
	vg_isolation_free(iso);
	cleanup_tree();
}

/* ------------------------------------------------------------------------------------------ */
/* Hostile and vanishing processes */

TEST(no_such_process)
{
	struct vg_isolation *iso = NULL;
	struct vg_iso_opts o;

	make_docker();
	o = opts();
	ASSERT_ERR(vg_isolation_collect(&o, 4242, &iso), -ESRCH);
	/* a zombie: its mountinfo cannot be opened (EINVAL/ENOENT), its stat says Z */
	put("proc/42/stat", "42 (sleep) Z 0 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 999 1 1\n");
	rm("proc/42/mountinfo");
	ASSERT_ERR(collect(&iso), -ESRCH);
	/* the process exits after its directory was opened: files vanish */
	rm("proc/42/mountinfo");
	rm("proc/42/stat");
	ASSERT_ERR(collect(&iso), -ESRCH);
	ASSERT_ERR(vg_isolation_collect(&o, 0, &iso), -EINVAL);
	cleanup_tree();
}

TEST(hostile_status)
{
	static const char *const bad[] = {
		/* truncated before CapBnd */
		"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\nCapEff:\t00000000",
		"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\tzzzzzzzzzzzzzzzz\nCapBnd:\t0000000000000000\n",
		"Uid:\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n",
		"Uid:\t0\t0\t0\t99999999999\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n",
		"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nSeccomp:\t7\n",
		"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t-1\n",
		"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nCapEff:\t0000000000000000\n",
		"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapPrm:\t0000000000000000\n"
		"CapEff:\t00000000000000000\nCapBnd:\t0000000000000000\n",
		"",
	};
	struct vg_isolation *iso = NULL;

	make_docker();
	for (size_t i = 0; i < VG_ARRAY_SIZE(bad); i++) {
		put("proc/42/status", bad[i]);
		tap_diag("case %zu\n", i);
		ASSERT_ERR(collect(&iso), -EBADMSG);
	}
	/* a status larger than a /proc file can be */
	{
		size_t n = VG_PROC_FILE_MAX + 10;
		char *big = malloc(n + 1);

		ASSERT_NOT_NULL(big);
		memset(big, 'x', n);
		big[n] = '\0';
		put("proc/42/status", big);
		free(big);
		ASSERT_ERR(collect(&iso), -E2BIG);
	}
	cleanup_tree();
}

TEST(hostile_mountinfo)
{
	struct vg_isolation *iso = NULL;
	char *big;
	size_t n;

	make_docker();
	put("proc/42/mountinfo", "1 0 0:30 / / rw overlay overlay rw\n"); /* no "-" */
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/mountinfo", "1 0 0:30 / / rw - overlay\n"); /* no source/options */
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/mountinfo", "1 0 zz:30 / / rw - overlay overlay rw\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/mountinfo", "1 0 0:30 / relative rw - overlay overlay rw\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/mountinfo", "1 0 0:30\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);

	/* more lines than VG_ISO_MOUNTS_MAX, within the byte limit */
	n = (size_t)(VG_ISO_MOUNTS_MAX + 1) * 40;
	big = malloc(n + 1);
	ASSERT_NOT_NULL(big);
	big[0] = '\0';
	{
		size_t len = 0;

		for (int i = 0; i <= VG_ISO_MOUNTS_MAX; i++)
			len += (size_t)snprintf(big + len, n + 1 - len,
						"%d 1 0:30 / /m%d rw - tmpfs t rw\n", i, i);
	}
	put("proc/42/mountinfo", big);
	ASSERT_ERR(collect(&iso), -E2BIG);
	free(big);

	/* larger than VG_ISO_MOUNTINFO_MAX */
	n = VG_ISO_MOUNTINFO_MAX + 100;
	big = malloc(n + 1);
	ASSERT_NOT_NULL(big);
	memset(big, 'a', n);
	big[n] = '\0';
	put("proc/42/mountinfo", big);
	ASSERT_ERR(collect(&iso), -E2BIG);
	free(big);

	/* octal escapes that are not escapes stay as they are */
	put("proc/42/mountinfo", "1 0 0:30 / / rw - overlay overlay rw\n"
				 "2 1 8:1 /a\\9x /b\\0 rw - ext4 /dev/sda1 rw\n");
	ASSERT_OK(collect(&iso));
	ASSERT_STREQ(iso->mounts[1].root, "/a\\9x");
	ASSERT_STREQ(iso->mounts[1].mount_point, "/b\\0");
	vg_isolation_free(iso);
	cleanup_tree();
}

TEST(hostile_other_files)
{
	struct vg_isolation *iso = NULL;

	make_docker();
	/* namespace links that are not namespace links */
	{
		char path[1024];

		snprintf(path, sizeof(path), "%s/proc/42/ns/net", base);
		ASSERT_EQ(unlink(path), 0);
		ASSERT_EQ(symlink("net:[abc]", path), 0);
		ASSERT_ERR(collect(&iso), -EBADMSG);
		ASSERT_EQ(unlink(path), 0);
		ASSERT_EQ(symlink("mnt:[4026532101]", path), 0);
		ASSERT_ERR(collect(&iso), -EBADMSG);
		ASSERT_EQ(unlink(path), 0);
		ASSERT_EQ(symlink("net:[4026532101]x", path), 0);
		ASSERT_ERR(collect(&iso), -EBADMSG);
		link_ns(PID, "net", 4026532101ULL);
	}
	/* cgroups outside our cgroup namespace ("/../x"): never followed, limits unknown */
	put("proc/42/cgroup", "0::/docker/../../etc\n");
	put("cgroup/etc/memory.max", "max\n");
	ASSERT_OK(collect(&iso));
	ASSERT_STREQ(iso->cgroup_path, "/docker/../../etc");
	ASSERT_FALSE(iso->mem.known);
	ASSERT_NULL(find(iso, "ISO-CGROUP-NO-MEMORY"));
	vg_isolation_free(iso);
	put("proc/42/cgroup", "2:memory:/../other\n1:pids:/ok\n");
	put("cgroup/pids/ok/pids.max", "64\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->cgroup_mode, VG_ISO_CGROUP_V1);
	ASSERT_FALSE(iso->mem.known);
	ASSERT_TRUE(iso->pids.known);
	ASSERT_EQ(iso->pids.value, 64ULL);
	vg_isolation_free(iso);
	put("proc/42/cgroup", "0::relative\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/cgroup", "0::/docker/abc\n");
	/* limits that are not numbers */
	put("cgroup/docker/abc/memory.max", "lots\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("cgroup/docker/abc/memory.max", "-5\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("cgroup/docker/abc/memory.max", "536870912\n");
	put("cgroup/docker/abc/cpu.max", "max\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("cgroup/docker/abc/cpu.max", "50000 100000\n");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->cpu_quota.value, 50000ULL);
	ASSERT_EQ(iso->cpu_period.value, 100000ULL);
	ASSERT_NULL(find(iso, "ISO-CGROUP-NO-CPU"));
	vg_isolation_free(iso);
	/* uid_map */
	put("proc/42/uid_map", "0 0\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/uid_map", "0 0 4294967296\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	put("proc/42/uid_map", "a b c\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	{
		char big[512 * 16];
		size_t len = 0;

		for (int i = 0; i <= VG_ISO_UID_MAP_MAX; i++)
			len += (size_t)snprintf(big + len, sizeof(big) - len, "%d %d 1\n", i,
						100000 + i);
		put("proc/42/uid_map", big);
		ASSERT_ERR(collect(&iso), -E2BIG);
	}
	put("proc/42/uid_map", "");
	ASSERT_OK(collect(&iso));
	ASSERT_EQ(iso->n_uid_map, 0u);
	ASSERT_FALSE(iso->root_on_host);
	vg_isolation_free(iso);
	/* stat without a closing parenthesis */
	put("proc/42/stat", "42 (sleep S 0\n");
	ASSERT_ERR(collect(&iso), -EBADMSG);
	cleanup_tree();
}

TEST(names)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	size_t n;
	const struct vg_iso_check *c = vg_isolation_checks(&n);

	ASSERT_STREQ(vg_iso_cap_name(21), "CAP_SYS_ADMIN");
	ASSERT_STREQ(vg_iso_cap_name(40), "CAP_CHECKPOINT_RESTORE");
	ASSERT_NULL(vg_iso_cap_name(41));
	ASSERT_OK(vg_iso_caps_format((1ULL << 21) | (1ULL << 0) | (1ULL << 45), &sb));
	ASSERT_STREQ(vg_strbuf_str(&sb), "CAP_CHOWN,CAP_SYS_ADMIN,CAP_45");
	vg_strbuf_done(&sb);
	ASSERT_EQ(vg_iso_severity_from_string("HIGH"), VG_ISO_SEV_HIGH);
	ASSERT_EQ(vg_iso_severity_from_string("nope"), -EINVAL);
	ASSERT_STREQ(vg_iso_severity_to_string(VG_ISO_SEV_CRITICAL), "critical");
	ASSERT_STREQ(vg_iso_ns_name(VG_ISO_NS_CGROUP), "cgroup");
	ASSERT_GE(n, 25u);
	for (size_t i = 0; i < n; i++) {
		ASSERT_NOT_NULL(c[i].id);
		ASSERT_NOT_NULL(c[i].why);
		ASSERT_NOT_NULL(c[i].fix);
		ASSERT_NOT_NULL(c[i].title);
	}
}
