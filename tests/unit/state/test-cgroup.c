/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "state/cgroup.h"
#include "tap.h"

#define ID   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define POD  "12345678-1234-1234-1234-123456789abc"
#define PODU "12345678_1234_1234_1234_123456789abc"

struct tc {
	const char *path;
	int ret;
	enum vg_runtime runtime;
	const char *id;
	const char *pod;
	bool confirm;
};

static const struct tc cases[] = {
	/* docker, cgroup v1 cgroupfs and systemd drivers, v2 */
	{"/docker/" ID, 1, VG_RUNTIME_DOCKER, ID, "", false},
	{"/system.slice/docker-" ID ".scope", 1, VG_RUNTIME_DOCKER, ID, "", false},
	{"0::/system.slice/docker-" ID ".scope", 1, VG_RUNTIME_DOCKER, ID, "", false},
	{"12:memory:/docker/" ID, 1, VG_RUNTIME_DOCKER, ID, "", false},
	{"/docker/" ID "/init.scope", 1, VG_RUNTIME_DOCKER, ID, "", false},
	{"/system.slice/docker-" ID ".scope/init.scope", 1, VG_RUNTIME_DOCKER, ID, "", false},
	/* docker in docker: innermost */
	{"/docker/" ID2 "/docker/" ID, 1, VG_RUNTIME_DOCKER, ID, "", false},
	{"/actions_job/" ID, 1, VG_RUNTIME_DOCKER, ID, "", false},
	/* containerd */
	{"/system.slice/containerd.service/kubepods-burstable-pod" PODU ".slice:cri-containerd:" ID,
	 1, VG_RUNTIME_CONTAINERD, ID, POD, false},
	{"/default/" ID, 1, VG_RUNTIME_CONTAINERD, ID, "", false},
	{"/k8s.io/" ID, 1, VG_RUNTIME_CONTAINERD, ID, "", false},
	/* kubepods */
	{"/kubepods/burstable/pod" POD "/" ID, 1, VG_RUNTIME_KUBEPODS, ID, POD, false},
	{"/kubepods/besteffort/pod" POD "/" ID, 1, VG_RUNTIME_KUBEPODS, ID, POD, false},
	{"/kubepods/pod" POD "/" ID, 1, VG_RUNTIME_KUBEPODS, ID, POD, false},
	{"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" PODU
	 ".slice/cri-containerd-" ID ".scope",
	 1, VG_RUNTIME_CONTAINERD, ID, POD, false},
	{"/kubepods.slice/kubepods-pod" PODU ".slice/cri-containerd-" ID ".scope", 1,
	 VG_RUNTIME_CONTAINERD, ID, POD, false},
	{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" PODU ".slice/crio-" ID
	 ".scope",
	 1, VG_RUNTIME_CRIO, ID, POD, false},
	{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" PODU ".slice/docker-" ID
	 ".scope",
	 1, VG_RUNTIME_DOCKER, ID, POD, false},
	/* cri-o conmon is not the container */
	{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" PODU
	 ".slice/crio-conmon-" ID ".scope",
	 0, VG_RUNTIME_NONE, "", "", false},
	{"/system.slice/crio-" ID ".scope", 1, VG_RUNTIME_CRIO, ID, "", false},
	/* podman */
	{"/machine.slice/libpod-" ID ".scope", 1, VG_RUNTIME_PODMAN, ID, "", false},
	{"0::/machine.slice/libpod-" ID ".scope/container", 1, VG_RUNTIME_PODMAN, ID, "", false},
	{"/machine.slice/libpod-conmon-" ID ".scope", 0, VG_RUNTIME_NONE, "", "", false},
	{"0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope", 1,
	 VG_RUNTIME_PODMAN, ID, "", false},
	{"/libpod_parent/libpod-" ID, 1, VG_RUNTIME_PODMAN, ID, "", false},
	/* runc / crun bundles need confirmation */
	{"/mycontainer", 1, VG_RUNTIME_RUNC, "mycontainer", "", true},
	{"0::/system.slice/runc-web1.scope", 1, VG_RUNTIME_RUNC, "web1", "", true},
	{"/system.slice/crun-web.2.scope", 1, VG_RUNTIME_CRUN, "web.2", "", true},
	/* host */
	{"/", 0, VG_RUNTIME_NONE, "", "", false},
	{"0::/", 0, VG_RUNTIME_NONE, "", "", false},
	{"0::/init.scope", 0, VG_RUNTIME_NONE, "", "", false},
	{"/user.slice/user-1000.slice/session-2.scope", 0, VG_RUNTIME_NONE, "", "", false},
	{"/system.slice/ssh.service", 0, VG_RUNTIME_NONE, "", "", false},
	{"/lxc/foo", 0, VG_RUNTIME_NONE, "", "", false},
	/* A deep leaf is a runc candidate that only runc's state dir confirms. */
	{"/process_api/78bc1470715035e53b6b2cf52e5bb7c4/vgtest-abd", 1, VG_RUNTIME_RUNC,
	 "vgtest-abd", "", true},
	{"/user.slice/user-1000.slice/session-2.scope", 0, VG_RUNTIME_NONE, "", "", false},
	{"/lxc.payload.foo", 0, VG_RUNTIME_NONE, "", "", false},
	{"/docker", 0, VG_RUNTIME_NONE, "", "", false},
	{"/docker/0123", 0, VG_RUNTIME_NONE, "", "", false},
	{"/docker/" ID "X", 0, VG_RUNTIME_NONE, "", "", false},
	{"/system.slice/docker-" ID ".scopeX", 0, VG_RUNTIME_NONE, "", "", false},
	{"", 0, VG_RUNTIME_NONE, "", "", false},
};

TEST(cgroup_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tc *c = &cases[i];
		struct vg_cgroup_container cc;
		int r = vg_cgroup_parse_container(c->path, &cc);

		if (r != c->ret || cc.runtime != c->runtime || strcmp(cc.id, c->id) != 0 ||
		    strcmp(cc.pod_uid, c->pod) != 0 || cc.needs_confirmation != c->confirm)
			tap_diag("case %zu: %s -> r=%d runtime=%d id=%s pod=%s confirm=%d\n", i,
				 c->path, r, cc.runtime, cc.id, cc.pod_uid, cc.needs_confirmation);
		ASSERT_EQ(r, c->ret);
		ASSERT_EQ(cc.runtime, c->runtime);
		ASSERT_STREQ(cc.id, c->id);
		ASSERT_STREQ(cc.pod_uid, c->pod);
		ASSERT_EQ(cc.needs_confirmation, c->confirm);
	}
	ASSERT_GE(sizeof(cases) / sizeof(cases[0]), 25u);
}

TEST(cgroup_bounds)
{
	char big[VG_CGROUP_PATH_MAX + 10];
	struct vg_cgroup_container cc;

	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	ASSERT_ERR(vg_cgroup_parse_container(big, &cc), -E2BIG);
	ASSERT_ERR(vg_cgroup_parse_container(NULL, &cc), -EINVAL);
}

TEST(select_hybrid)
{
	static const char hybrid[] = "13:pids:/docker/" ID "\n"
				     "12:memory:/docker/" ID "\n"
				     "1:name=systemd:/docker/" ID "\n"
				     "0::/system.slice/containerd.service\n";
	static const char v2[] = "0::/system.slice/docker-" ID ".scope\n";
	static const char host[] =
		"12:memory:/user.slice\n1:name=systemd:/init.scope\n0::/init.scope\n";
	static const char root[] = "0::/\n";
	char buf[VG_CGROUP_PATH_MAX + 1];

	ASSERT_EQ(vg_proc_cgroup_select(hybrid, buf, sizeof(buf)), 1);
	ASSERT_STREQ(buf, "/docker/" ID);
	ASSERT_EQ(vg_proc_cgroup_select(v2, buf, sizeof(buf)), 1);
	ASSERT_STREQ(buf, "/system.slice/docker-" ID ".scope");
	ASSERT_EQ(vg_proc_cgroup_select(host, buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "/init.scope");
	ASSERT_EQ(vg_proc_cgroup_select(root, buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "/");
	ASSERT_ERR(vg_proc_cgroup_select("garbage", buf, sizeof(buf)), -ENOENT);
	ASSERT_ERR(vg_proc_cgroup_select(v2, buf, 8), -E2BIG);
}
