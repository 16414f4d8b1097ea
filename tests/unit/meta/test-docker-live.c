/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vg_docker_inspect() against a real Docker engine brought up by
 * tests/integration/docker-env.sh (dockerd without bridge/iptables, private data root).
 * SKIPs when not root or when the engine cannot start; under CI=true that is a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/docker.h"
#include "state/meta.h"
#include "tap.h"

#define IMAGE "vigil-test/busybox"

static char sock[512], run_id[512], cfg_id[512];
static bool run_started;

static const char *srcdir(void)
{
	const char *s = getenv("VG_TEST_SRCDIR");

	return s && *s ? s : ".";
}

static void cleanup_engine(void)
{
	char *cmd;

	if (asprintf(&cmd,
		     "bash -c '. \"%s/tests/integration/docker-env.sh\" && "
		     "export DOCKER_HOST=unix://%s && "
		     "docker rm -f vg-live-run vg-live-cfg >/dev/null 2>&1; vg_docker_down' >&2",
		     srcdir(), sock) < 0)
		return;
	(void)!system(cmd);
	free(cmd);
}

/* Brings the engine up, imports the image, creates (and starts) the containers. */
static int setup(void)
{
	char *cmd, line[512];
	FILE *p;
	int status;

	if (asprintf(
		    &cmd,
		    "bash -c 'set -e; . \"%s/tests/integration/docker-env.sh\"; "
		    "vg_docker_up >&2; vg_docker_test_image " IMAGE " >&2; "
		    "echo \"SOCK=$VG_DOCKER_SOCK\"; "
		    "docker rm -f vg-live-run vg-live-cfg >/dev/null 2>&1 || true; "
		    "id=$(docker create --network none --name vg-live-run --label vg.test=live " IMAGE
		    " sleep 1000); "
		    "if docker start \"$id\" >&2; then echo \"RUN=$id\"; else echo \"CREATED=$id\"; fi; "
		    "id=$(docker create --network none --privileged --pid host --ipc host "
		    "-v \"$VG_DOCKER_SOCK\":/var/run/docker.sock:ro "
		    "--label io.kubernetes.pod.name=live-pod --label io.kubernetes.pod.namespace=ns1 "
		    "--user 1000:1000 --name vg-live-cfg " IMAGE " sleep 1000); "
		    "echo \"CFG=$id\"'",
		    srcdir()) < 0)
		return -ENOMEM;
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return -errno;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "SOCK=", 5) == 0)
			(void)snprintf(sock, sizeof(sock), "%s", line + 5);
		else if (strncmp(line, "RUN=", 4) == 0) {
			(void)snprintf(run_id, sizeof(run_id), "%s", line + 4);
			run_started = true;
		} else if (strncmp(line, "CREATED=", 8) == 0)
			(void)snprintf(run_id, sizeof(run_id), "%s", line + 8);
		else if (strncmp(line, "CFG=", 4) == 0)
			(void)snprintf(cfg_id, sizeof(cfg_id), "%s", line + 4);
	}
	status = pclose(p);
	if (status != 0 || !sock[0] || !run_id[0] || !cfg_id[0])
		return -EIO;
	return 0;
}

static const struct vg_mount *find_mount(const struct vg_container_meta *m, const char *dest)
{
	for (size_t i = 0; i < m->n_mounts; i++)
		if (strcmp(m->mounts[i].dest, dest) == 0)
			return &m->mounts[i];
	return NULL;
}

TEST(docker_live_inspect)
{
	struct vg_container_meta *m = NULL;
	const struct vg_mount *mt;

	if (geteuid() != 0)
		TEST_SKIP("needs root to start dockerd");
	if (system("command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1") != 0)
		TEST_SKIP("dockerd/docker not installed");
	atexit(cleanup_engine);
	if (setup() < 0)
		TEST_SKIP("the Docker engine could not be started (see stderr)");

	/* A started container: state, timestamps and image reference. */
	ASSERT_OK(vg_docker_inspect(sock, run_id, 5000, &m));
	ASSERT_STREQ(m->id, run_id);
	ASSERT_STREQ(m->name, "vg-live-run");
	ASSERT_STREQ(m->runtime, "docker");
	ASSERT_STREQ(m->image, IMAGE);
	ASSERT_STREQ(m->image_repo, IMAGE);
	ASSERT_STREQ(m->image_tag, "latest");
	ASSERT_EQ(strncmp(m->image_id, "sha256:", 7), 0);
	ASSERT_STREQ(vg_container_meta_label(m, "vg.test"), "live");
	ASSERT_FALSE(m->privileged);
	ASSERT_FALSE(m->host_pid);
	ASSERT_FALSE(m->host_network);
	ASSERT_GT(m->created_ns, 1600000000LL * 1000000000LL);
	if (run_started)
		ASSERT_GE(m->started_ns, m->created_ns);
	else
		tap_diag("# container did not start; started_ns not checked\n");
	vg_container_meta_free(m);
	m = NULL;

	/* Short ids and names resolve too (the engine accepts both). */
	ASSERT_OK(vg_docker_inspect(sock, "vg-live-run", 5000, &m));
	ASSERT_STREQ(m->id, run_id);
	vg_container_meta_free(m);
	m = NULL;

	/* Created, never started: configuration only. */
	ASSERT_OK(vg_docker_inspect(sock, cfg_id, 5000, &m));
	ASSERT_STREQ(m->name, "vg-live-cfg");
	ASSERT_TRUE(m->privileged);
	ASSERT_TRUE(m->host_pid);
	ASSERT_TRUE(m->host_ipc);
	ASSERT_FALSE(m->host_network);
	ASSERT_EQ(m->started_ns, 0);
	ASSERT_STREQ(m->user, "1000:1000");
	ASSERT_STREQ(m->pod_name, "live-pod");
	ASSERT_STREQ(m->pod_namespace, "ns1");
	mt = find_mount(m, "/var/run/docker.sock");
	ASSERT_NOT_NULL(mt);
	ASSERT_STREQ(mt->source, sock);
	ASSERT_FALSE(mt->rw);
	vg_container_meta_free(m);
	m = NULL;

	ASSERT_ERR(vg_docker_inspect(sock, "vg-no-such-container", 5000, &m), -ENOENT);
	ASSERT_ERR(vg_docker_inspect(sock, "../../info", 5000, &m), -EINVAL);
	ASSERT_NULL(m);
}
