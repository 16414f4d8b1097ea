/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vg_meta_fetcher_*() against the scripted engine of fake-server.c and runc/crun state dir
 * fixtures in a temporary directory; vg_runc_state_read() directly.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fake-server.h"
#include "state/fetcher.h"
#include "state/meta.h"
#include "state/runc.h"
#include "tap.h"

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define ID_R "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

struct engine {
	int delay_ms;
	bool old_api; /* 400 on /v1.41/... like an engine older than 1.41 */
};

static void engine_route(void *ud, const char *path, struct fake_reply *out)
{
	struct engine *e = ud;
	char id[128] = "", body[512];
	const char *p = path;

	out->delay_ms = e->delay_ms;
	if (strncmp(p, "/v1.41", 6) == 0) {
		if (e->old_api) {
			out->data = fake_reply_json(400,
						    "{\"message\":\"client version 1.41 is too "
						    "new. Maximum supported API version is 1.40\"}",
						    &out->len);
			return;
		}
		p += 6;
	}
	if (sscanf(p, "/containers/%127[^/]/json", id) != 1 ||
	    (strcmp(id, ID_A) != 0 && strcmp(id, ID_B) != 0)) {
		(void)snprintf(body, sizeof(body), "{\"message\":\"No such container: %s\"}", id);
		out->data = fake_reply_json(404, body, &out->len);
		return;
	}
	(void)snprintf(
		body, sizeof(body),
		"{\"Id\":\"%s\",\"Name\":\"/name-%c\",\"Config\":{\"Image\":\"busybox:1.36\","
		"\"Labels\":{\"io.kubernetes.pod.name\":\"pod-%c\"}},"
		"\"HostConfig\":{\"Privileged\":true,\"PidMode\":\"host\"}}",
		id, id[0], id[0]);
	/* Chunked like the real engine. */
	{
		size_t n = strlen(body);

		out->data = malloc(n + 128);
		out->len = (size_t)sprintf(out->data,
					   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					   "%zx\r\n%s\r\n0\r\n\r\n",
					   n, body);
	}
}

struct result {
	int n;
	char id[128];
	int error;
	struct vg_container_meta *meta;
};

static void collect(void *ud, const char *id, int error, struct vg_container_meta *meta)
{
	struct result *r = ud;

	r->n++;
	(void)snprintf(r->id, sizeof(r->id), "%s", id);
	r->error = error;
	vg_container_meta_free(r->meta);
	r->meta = meta;
}

/* Waits on the eventfd, then polls; returns the number delivered. */
static int wait_and_poll(struct vg_meta_fetcher *f, struct result *res, int timeout_ms)
{
	struct pollfd p = {.fd = vg_meta_fetcher_fd(f), .events = POLLIN};
	int r;

	ASSERT_GE(p.fd, 0);
	r = poll(&p, 1, timeout_ms);
	ASSERT_EQ(r, 1);
	return vg_meta_fetcher_poll(f, collect, res);
}

static bool fd_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) == 1;
}

static struct vg_meta_fetcher *fetcher(const char *sock, const char *root)
{
	struct vg_meta_fetcher_config cfg = {.docker_socket = sock, .runc_roots = {root, NULL}};
	struct vg_meta_fetcher *f = NULL;

	ASSERT_OK(vg_meta_fetcher_new(&cfg, &f));
	return f;
}

TEST(request_poll_eventfd)
{
	struct engine e = {0};
	char *dir = fake_tmpdir();
	struct fake_server *srv = fake_server_start(dir, "docker.sock", engine_route, &e);
	struct vg_meta_fetcher *f;
	struct result res = {0};

	ASSERT_NOT_NULL(srv);
	f = fetcher(fake_server_path(srv), dir);
	ASSERT_FALSE(fd_readable(vg_meta_fetcher_fd(f)));
	ASSERT_EQ(vg_meta_fetcher_poll(f, collect, &res), 0);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_STREQ(res.id, ID_A);
	ASSERT_OK(res.error);
	ASSERT_NOT_NULL(res.meta);
	ASSERT_STREQ(res.meta->name, "name-a");
	ASSERT_STREQ(res.meta->image_tag, "1.36");
	ASSERT_STREQ(res.meta->pod_name, "pod-a");
	ASSERT_TRUE(res.meta->privileged);
	ASSERT_TRUE(res.meta->host_pid);
	ASSERT_FALSE(fd_readable(vg_meta_fetcher_fd(f)));

	/* Unknown to the engine and to the (empty) state dir. */
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_R, VG_RUNTIME_NONE), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_ERR(res.error, -ENOENT);
	ASSERT_NULL(res.meta);

	ASSERT_ERR(vg_meta_fetcher_request(f, "../etc", VG_RUNTIME_NONE), -EINVAL);
	ASSERT_ERR(vg_meta_fetcher_request(f, "a/b", VG_RUNTIME_NONE), -EINVAL);
	ASSERT_ERR(vg_meta_fetcher_request(f, "", VG_RUNTIME_NONE), -EINVAL);
	vg_meta_fetcher_free(f);
	fake_server_stop(srv);
	fake_rmrf(dir);
	free(dir);
}

TEST(coalescing)
{
	struct engine e = {.delay_ms = 300};
	char *dir = fake_tmpdir();
	struct fake_server *srv = fake_server_start(dir, "docker.sock", engine_route, &e);
	struct vg_meta_fetcher *f;
	struct result res = {0};
	int got = 0;

	ASSERT_NOT_NULL(srv);
	f = fetcher(fake_server_path(srv), dir);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_B, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), 0);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_B, VG_RUNTIME_DOCKER), 0);
	while (got < 2)
		got += wait_and_poll(f, &res, 5000);
	ASSERT_EQ(got, 2);
	ASSERT_EQ(fake_server_requests(srv), 2u);
	/* Completed and delivered: a new request is a new lookup. */
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_EQ(fake_server_requests(srv), 3u);
	vg_container_meta_free(res.meta);
	vg_meta_fetcher_free(f);
	fake_server_stop(srv);
	fake_rmrf(dir);
	free(dir);
}

TEST(versionless_fallback)
{
	struct engine e = {.old_api = true};
	char *dir = fake_tmpdir();
	struct fake_server *srv = fake_server_start(dir, "docker.sock", engine_route, &e);
	struct vg_meta_fetcher *f;
	struct result res = {0};

	ASSERT_NOT_NULL(srv);
	f = fetcher(fake_server_path(srv), dir);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_B, VG_RUNTIME_NONE), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_OK(res.error);
	ASSERT_STREQ(res.meta->name, "name-b");
	ASSERT_EQ(fake_server_requests(srv), 2u);
	vg_container_meta_free(res.meta);
	vg_meta_fetcher_free(f);
	fake_server_stop(srv);
	fake_rmrf(dir);
	free(dir);
}

TEST(engine_down_and_backoff)
{
	char *dir = fake_tmpdir(), path[256];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct vg_meta_fetcher *f;
	struct result res = {0};
	int fd;

	ASSERT_NOT_NULL(dir);
	(void)snprintf(path, sizeof(path), "%s/docker.sock", dir);
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_OK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	close(fd);

	f = fetcher(path, dir);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_ERR(res.error, -ECONNREFUSED);
	/* Within the back-off the engine is not asked again, the error is remembered. */
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_B, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_ERR(res.error, -ECONNREFUSED);
	vg_meta_fetcher_free(f);

	/* No socket at all: plain "not found". */
	unlink(path);
	f = fetcher(path, dir);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_ERR(res.error, -ENOENT);
	vg_meta_fetcher_free(f);
	fake_rmrf(dir);
	free(dir);
}

static void write_file(const char *dir, const char *name, const char *content)
{
	char path[512];
	FILE *fp;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "we");
	ASSERT_NOT_NULL(fp);
	ASSERT_GE(fputs(content, fp), 0);
	ASSERT_OK(fclose(fp));
}

/* <tmp>/runc/<ID_R>/state.json -> <tmp>/bundle/config.json */
static char *make_runc_fixture(const char *dir, const char *rootname, bool crun)
{
	char *root, sub[512], state[2048], bundle[512];

	ASSERT_GE(asprintf(&root, "%s/%s", dir, rootname), 0);
	(void)snprintf(sub, sizeof(sub), "%s/" ID_R, root);
	(void)snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	ASSERT_OK(mkdir(root, 0700));
	ASSERT_OK(mkdir(sub, 0700));
	(void)mkdir(bundle, 0700);
	if (crun)
		(void)snprintf(state, sizeof(state),
			       "{\"pid\":1234,\"process-start-time\":99,\"cgroup-path\":\"/x\","
			       "\"rootfs\":\"%s/rootfs\",\"bundle\":\"%s\","
			       "\"created\":\"2024-03-01T10:20:30.5Z\",\"owner\":\"root\"}",
			       bundle, bundle);
	else
		(void)snprintf(
			state, sizeof(state),
			"{\"id\":\"" ID_R "\",\"init_process_pid\":1234,"
			"\"init_process_start\":5678,\"created\":\"2024-03-01T10:20:30.5Z\","
			"\"config\":{\"rootfs\":\"%s/rootfs\",\"labels\":[\"x=y\","
			"\"bundle=%s\"],\"namespaces\":[{\"type\":\"NEWPID\",\"path\":\"\"}]},"
			"\"rootless\":false,\"cgroup_paths\":{}}",
			bundle, bundle);
	write_file(sub, crun ? "status" : "state.json", state);
	write_file(
		bundle, "config.json",
		"{\"ociVersion\":\"1.0.2\",\"hostname\":\"web-0\","
		"\"process\":{\"user\":{\"uid\":1000,\"gid\":100},\"args\":[\"sh\"]},"
		"\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
		"{\"destination\":\"/var/run/docker.sock\",\"type\":\"bind\","
		"\"source\":\"/var/run/docker.sock\",\"options\":[\"rbind\",\"rslave\",\"ro\"]}],"
		"\"annotations\":{\"io.kubernetes.cri.image-name\":\"docker.io/library/nginx:1.25\","
		"\"io.kubernetes.cri.sandbox-name\":\"web-0\","
		"\"io.kubernetes.cri.sandbox-namespace\":\"prod\","
		"\"io.kubernetes.cri.sandbox-uid\":\"u-1\","
		"\"io.podman.annotations.privileged\":\"TRUE\"},"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},"
		"{\"type\":\"ipc\"},{\"type\":\"uts\"}]}}");
	return root;
}

static void check_runc_meta(const struct vg_container_meta *m, const char *runtime)
{
	ASSERT_STREQ(m->id, ID_R);
	ASSERT_STREQ(m->name, ID_R);
	ASSERT_STREQ(m->runtime, runtime);
	ASSERT_STREQ(m->image, "docker.io/library/nginx:1.25");
	ASSERT_STREQ(m->image_repo, "docker.io/library/nginx");
	ASSERT_STREQ(m->image_tag, "1.25");
	ASSERT_STREQ(m->user, "1000:100");
	ASSERT_STREQ(m->pod_name, "web-0");
	ASSERT_STREQ(m->pod_namespace, "prod");
	ASSERT_STREQ(m->pod_uid, "u-1");
	ASSERT_TRUE(m->privileged);
	ASSERT_FALSE(m->host_pid);
	ASSERT_TRUE(m->host_network);
	ASSERT_FALSE(m->host_ipc);
	ASSERT_EQ(m->created_ns, 1709288430LL * 1000000000LL + 500000000LL);
	ASSERT_EQ(m->n_labels, 5u);
	ASSERT_EQ(m->n_mounts, 2u);
	ASSERT_STREQ(m->mounts[1].source, "/var/run/docker.sock");
	ASSERT_FALSE(m->mounts[1].rw);
	ASSERT_STREQ(m->mounts[1].propagation, "rslave");
	ASSERT_STREQ(m->mounts[1].mode, "rbind,rslave,ro");
	ASSERT_TRUE(m->mounts[0].rw);
}

TEST(runc_and_crun_state_dirs)
{
	char *dir = fake_tmpdir(), *root, *croot;
	struct vg_container_meta *m = NULL;

	ASSERT_NOT_NULL(dir);
	root = make_runc_fixture(dir, "runc", false);
	ASSERT_OK(vg_runc_state_read(root, ID_R, &m));
	check_runc_meta(m, "runc");
	vg_container_meta_free(m);
	m = NULL;
	croot = make_runc_fixture(dir, "crun", true);
	ASSERT_OK(vg_runc_state_read(croot, ID_R, &m));
	check_runc_meta(m, "crun");
	vg_container_meta_free(m);
	m = NULL;

	ASSERT_ERR(vg_runc_state_read(root, ID_A, &m), -ENOENT);
	ASSERT_ERR(vg_runc_state_read(root, "..", &m), -EINVAL);
	ASSERT_ERR(vg_runc_state_read("/nonexistent", ID_R, &m), -ENOENT);
	ASSERT_NULL(m);
	free(root);
	free(croot);
	fake_rmrf(dir);
	free(dir);
}

TEST(runc_hostile_state)
{
	char *dir = fake_tmpdir(), sub[512];
	struct vg_container_meta *m = NULL;

	ASSERT_NOT_NULL(dir);
	(void)snprintf(sub, sizeof(sub), "%s/" ID_A, dir);
	ASSERT_OK(mkdir(sub, 0700));
	write_file(sub, "state.json", "{\"id\":");
	ASSERT_ERR(vg_runc_state_read(dir, ID_A, &m), -EBADMSG);
	write_file(sub, "state.json", "[1]");
	ASSERT_ERR(vg_runc_state_read(dir, ID_A, &m), -EBADMSG);
	write_file(sub, "state.json", "{\"id\":\"other\"}");
	ASSERT_ERR(vg_runc_state_read(dir, ID_A, &m), -EBADMSG);
	/* Missing bundle: still a (thin) meta. */
	write_file(sub, "state.json", "{\"id\":\"" ID_A "\",\"bundle\":\"/nonexistent\"}");
	ASSERT_OK(vg_runc_state_read(dir, ID_A, &m));
	ASSERT_STREQ(m->image, "");
	ASSERT_FALSE(m->host_pid);
	vg_container_meta_free(m);
	ASSERT_NULL(NULL);
	fake_rmrf(dir);
	free(dir);
}

TEST(fetcher_runc_fallback_and_hint)
{
	char *dir = fake_tmpdir(), *root, sock[512];
	struct vg_meta_fetcher *f;
	struct result res = {0};

	ASSERT_NOT_NULL(dir);
	root = make_runc_fixture(dir, "runc", false);
	(void)snprintf(sock, sizeof(sock), "%s/absent.sock", dir);
	f = fetcher(sock, root);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_R, VG_RUNTIME_DOCKER), 1);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_CONTAINERD), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000) >= 1, true);
	if (res.n < 2)
		ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_EQ(res.n, 2);
	vg_container_meta_free(res.meta);
	res.meta = NULL;
	vg_meta_fetcher_free(f);

	/* The runc hint finds it without an engine. */
	f = fetcher(sock, root);
	ASSERT_EQ(vg_meta_fetcher_request(f, ID_R, VG_RUNTIME_RUNC), 1);
	ASSERT_EQ(wait_and_poll(f, &res, 5000), 1);
	ASSERT_OK(res.error);
	check_runc_meta(res.meta, "runc");
	vg_container_meta_free(res.meta);
	vg_meta_fetcher_free(f);
	free(root);
	fake_rmrf(dir);
	free(dir);
}

TEST(queue_bound_and_free_with_pending)
{
	struct engine e = {.delay_ms = 400};
	char *dir = fake_tmpdir();
	struct fake_server *srv = fake_server_start(dir, "docker.sock", engine_route, &e);
	struct vg_meta_fetcher *f;
	char id[32];
	int r = 0, i;

	ASSERT_NOT_NULL(srv);
	f = fetcher(fake_server_path(srv), dir);
	for (i = 0; i < VG_META_FETCH_QUEUE_MAX + 1; i++) {
		(void)snprintf(id, sizeof(id), "id%d", i);
		r = vg_meta_fetcher_request(f, id, VG_RUNTIME_DOCKER);
		if (r < 0)
			break;
	}
	ASSERT_ERR(r, -EAGAIN);
	ASSERT_EQ(i, VG_META_FETCH_QUEUE_MAX);
	/* Joins the worker mid-queue; pending requests are dropped (ASan checks leaks). */
	vg_meta_fetcher_free(f);
	fake_server_stop(srv);
	fake_rmrf(dir);
	free(dir);
}

TEST(disabled)
{
	struct vg_meta_fetcher_config cfg = {.disabled = true};
	struct vg_meta_fetcher *f = NULL;
	struct result res = {0};

	ASSERT_OK(vg_meta_fetcher_new(&cfg, &f));
	ASSERT_GE(vg_meta_fetcher_fd(f), 0);
	ASSERT_ERR(vg_meta_fetcher_request(f, ID_A, VG_RUNTIME_DOCKER), -EOPNOTSUPP);
	ASSERT_EQ(vg_meta_fetcher_poll(f, collect, &res), 0);
	ASSERT_NULL(vg_meta_fetcher_free(f));
	ASSERT_NULL(vg_meta_fetcher_free(NULL));
	/* Defaults. */
	ASSERT_OK(vg_meta_fetcher_new(NULL, &f));
	vg_meta_fetcher_free(f);
}
