/* SPDX-License-Identifier: Apache-2.0 */
/* vg_docker_parse_inspect(): hand-written Engine API ContainerInspect fixtures. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "state/docker.h"
#include "state/meta.h"
#include "tap.h"

static struct vg_container_meta *parse_fixture(const char *name)
{
	char path[512];
	char *buf = NULL;
	size_t len = 0;
	struct vg_container_meta *m = NULL;

	(void)snprintf(path, sizeof(path), "%s/%s", META_DATA_DIR, name);
	ASSERT_OK(vg_read_file(path, 1 << 20, &buf, &len));
	ASSERT_OK(vg_docker_parse_inspect(buf, len, &m));
	free(buf);
	return m;
}

static const struct vg_mount *find_mount(const struct vg_container_meta *m, const char *dest)
{
	for (size_t i = 0; i < m->n_mounts; i++)
		if (strcmp(m->mounts[i].dest, dest) == 0)
			return &m->mounts[i];
	return NULL;
}

TEST(privileged_host_namespaces_and_mounts)
{
	struct vg_container_meta *m = parse_fixture("inspect-privileged.json");
	const struct vg_mount *mt;

	ASSERT_STREQ(m->id, "4f66ad9a0b2e1f3c5d7e9a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d");
	ASSERT_STREQ(m->name, "evil_admin");
	ASSERT_STREQ(m->runtime, "docker");
	ASSERT_STREQ(m->image, "registry.example.com:5000/team/admin-tools:1.2.3");
	ASSERT_STREQ(m->image_repo, "registry.example.com:5000/team/admin-tools");
	ASSERT_STREQ(m->image_tag, "1.2.3");
	ASSERT_STREQ(m->image_id,
		     "sha256:9c7a54a9a43cca047013b82af109fe963fde787f63f9e016fdc3384500c2823d");
	ASSERT_TRUE(m->privileged);
	ASSERT_TRUE(m->host_pid);
	ASSERT_TRUE(m->host_network);
	ASSERT_TRUE(m->host_ipc);
	ASSERT_EQ(m->created_ns, 1709288430LL * 1000000000LL + 123456789LL);
	ASSERT_EQ(m->started_ns, 1709288431LL * 1000000000LL + 500000000LL);
	ASSERT_STREQ(m->user, "0:0");
	ASSERT_STREQ(m->ip, "");
	ASSERT_STREQ(m->pod_name, "");

	ASSERT_EQ(m->n_labels, 3u);
	ASSERT_STREQ(m->labels[0].key, "com.docker.compose.service");
	ASSERT_STREQ(m->labels[1].key, "com.example.team");
	ASSERT_STREQ(m->labels[2].key, "org.opencontainers.image.version");
	ASSERT_STREQ(vg_container_meta_label(m, "com.example.team"), "platform");
	ASSERT_NULL(vg_container_meta_label(m, "nope"));

	ASSERT_EQ(m->n_mounts, 3u);
	mt = find_mount(m, "/var/run/docker.sock");
	ASSERT_NOT_NULL(mt);
	ASSERT_STREQ(mt->source, "/var/run/docker.sock");
	ASSERT_TRUE(mt->rw);
	ASSERT_STREQ(mt->propagation, "rprivate");
	mt = find_mount(m, "/host");
	ASSERT_NOT_NULL(mt);
	ASSERT_STREQ(mt->source, "/");
	ASSERT_FALSE(mt->rw);
	ASSERT_STREQ(mt->mode, "ro,rslave");
	ASSERT_STREQ(mt->propagation, "rslave");
	mt = find_mount(m, "/data");
	ASSERT_NOT_NULL(mt);
	ASSERT_STREQ(mt->mode, "z");
	ASSERT_STREQ(mt->propagation, "");
	vg_container_meta_free(m);
}

TEST(kubernetes_cri_labels_digest_and_network_ip)
{
	struct vg_container_meta *m = parse_fixture("inspect-k8s.json");

	ASSERT_STREQ(
		m->name,
		"k8s_web_frontend-7d9f8b6c5-x2x4q_shop_2f7e5c1a-6b1d-4e2f-9a3c-8d7e6f5a4b3c_0");
	ASSERT_STREQ(m->image_repo, "nginx");
	ASSERT_STREQ(m->image_tag,
		     "sha256:0e901e68141fd02f237cf63eb842529f8a9500636a9419e3cf4fb986b8fe3d5d");
	ASSERT_FALSE(m->privileged);
	ASSERT_FALSE(m->host_pid);
	ASSERT_FALSE(m->host_network);
	ASSERT_FALSE(m->host_ipc);
	ASSERT_STREQ(m->pod_name, "frontend-7d9f8b6c5-x2x4q");
	ASSERT_STREQ(m->pod_namespace, "shop");
	ASSERT_STREQ(m->pod_uid, "2f7e5c1a-6b1d-4e2f-9a3c-8d7e6f5a4b3c");
	ASSERT_STREQ(m->ip, "10.244.1.17");
	ASSERT_STREQ(m->user, "101");
	/* +01:00 offset folded into UTC. */
	ASSERT_EQ(m->created_ns, 1699996400LL * 1000000000LL + 1);
	ASSERT_EQ(m->started_ns, 1699996401LL * 1000000000LL + 250000000LL);
	ASSERT_EQ(m->n_labels, 6u);
	for (size_t i = 1; i < m->n_labels; i++)
		ASSERT_LT(strcmp(m->labels[i - 1].key, m->labels[i].key), 0);
	ASSERT_EQ(m->n_mounts, 1u);
	ASSERT_FALSE(m->mounts[0].rw);
	ASSERT_STREQ(m->mounts[0].dest, "/var/run/secrets/kubernetes.io/serviceaccount");
	vg_container_meta_free(m);
}

TEST(minimal_defaults)
{
	struct vg_container_meta *m = parse_fixture("inspect-minimal.json");

	ASSERT_STREQ(m->name, "plain");
	ASSERT_STREQ(m->image_repo, "busybox");
	ASSERT_STREQ(m->image_tag, "latest");
	ASSERT_STREQ(m->image_id, "");
	ASSERT_STREQ(m->ip, "172.17.0.2");
	ASSERT_EQ(m->created_ns, 1704164645LL * 1000000000LL);
	ASSERT_EQ(m->started_ns, 0);
	ASSERT_EQ(m->n_labels, 0u);
	ASSERT_EQ(m->n_mounts, 0u);
	vg_container_meta_free(m);
}

static void check_split(const char *ref, const char *repo, const char *tag)
{
	char *r = NULL, *t = NULL;

	ASSERT_OK(vg_split_image_ref(ref, &r, &t));
	ASSERT_STREQ(r, repo);
	ASSERT_STREQ(t, tag);
	free(r);
	free(t);
}

TEST(image_reference_split)
{
	check_split("busybox", "busybox", "latest");
	check_split("busybox:1.36", "busybox", "1.36");
	check_split("library/busybox", "library/busybox", "latest");
	check_split("registry:5000/ns/img:tag", "registry:5000/ns/img", "tag");
	check_split("registry:5000/ns/img", "registry:5000/ns/img", "latest");
	check_split("localhost:5000/img@sha256:abcd", "localhost:5000/img", "sha256:abcd");
	check_split("img:1.0@sha256:abcd", "img", "1.0");
	check_split("[::1]:5000/img:v2", "[::1]:5000/img", "v2");
	check_split("", "", "");
	check_split("sha256:0e901e68141fd02f237cf63eb842529f8a9500636a9419e3cf4fb986b8fe3d5d",
		    "sha256:0e901e68141fd02f237cf63eb842529f8a9500636a9419e3cf4fb986b8fe3d5d", "");
}

TEST(rfc3339)
{
	int64_t t = -1;

	ASSERT_OK(vg_parse_rfc3339_ns("1970-01-01T00:00:00Z", &t));
	ASSERT_EQ(t, 0);
	ASSERT_OK(vg_parse_rfc3339_ns("2024-02-29T23:59:59.999999999Z", &t));
	ASSERT_EQ(t, 1709251199LL * 1000000000LL + 999999999LL);
	ASSERT_OK(vg_parse_rfc3339_ns("2024-02-29T23:59:59.9999999999999Z", &t));
	ASSERT_EQ(t, 1709251199LL * 1000000000LL + 999999999LL);
	ASSERT_OK(vg_parse_rfc3339_ns("0001-01-01T00:00:00Z", &t));
	ASSERT_EQ(t, 0);
	ASSERT_OK(vg_parse_rfc3339_ns("2024-01-01T01:00:00+01:00", &t));
	ASSERT_EQ(t, 1704067200LL * 1000000000LL);
	ASSERT_ERR(vg_parse_rfc3339_ns("2024-13-01T00:00:00Z", &t), -EBADMSG);
	ASSERT_ERR(vg_parse_rfc3339_ns("2024-01-01T00:00:00", &t), -EBADMSG);
	ASSERT_ERR(vg_parse_rfc3339_ns("2024-01-01T00:00:00.Z", &t), -EBADMSG);
	ASSERT_ERR(vg_parse_rfc3339_ns("2024-01-01T00:00:00Zjunk", &t), -EBADMSG);
	ASSERT_ERR(vg_parse_rfc3339_ns("", &t), -EBADMSG);
	ASSERT_ERR(vg_parse_rfc3339_ns("9999-01-01T00:00:00Z", &t), -ERANGE);
}

static int parse_str(const char *s)
{
	struct vg_container_meta *m = NULL;
	int r = vg_docker_parse_inspect(s, strlen(s), &m);

	vg_container_meta_free(m);
	return r;
}

TEST(hostile_and_wrong_types)
{
	ASSERT_ERR(parse_str(""), -EBADMSG);
	ASSERT_ERR(parse_str("[]"), -EBADMSG);
	ASSERT_ERR(parse_str("{}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"\"}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":42}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"Config\":[]}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"HostConfig\":{\"Privileged\":\"yes\"}}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"Config\":{\"Labels\":{\"k\":1}}}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"Mounts\":{}}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"Mounts\":[1]}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"Name\":[]}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\",\"Id\":\"b\"}"), -EBADMSG);
	ASSERT_ERR(parse_str("{\"Id\":\"a\""), -EBADMSG);
	/* null is "absent"; unknown keys are ignored. */
	ASSERT_OK(parse_str("{\"Id\":\"a\",\"Config\":null,\"Mounts\":null,\"X\":[1,2]}"));
	/* A bad timestamp is not fatal. */
	ASSERT_OK(parse_str("{\"Id\":\"a\",\"Created\":\"yesterday\"}"));
}

TEST(nesting_and_size_limits)
{
	size_t n = 100000;
	char *s = malloc(n * 2 + 16);
	struct vg_container_meta *m = NULL;

	ASSERT_NOT_NULL(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	ASSERT_ERR(vg_docker_parse_inspect(s, 2 * n, &m), -E2BIG);
	free(s);
	ASSERT_ERR(vg_docker_parse_inspect("{}", (size_t)VG_HTTP_REPLY_MAX + 1, &m), -E2BIG);
}

TEST(long_strings_and_many_labels)
{
	size_t big = VG_PATH_MAX + 10, cap = big + 200 + (VG_LABELS_MAX + 50) * 32;
	char *s = malloc(cap), *p;
	struct vg_container_meta *m = NULL;

	ASSERT_NOT_NULL(s);
	/* Oversized label dropped, extra labels cut at VG_LABELS_MAX keeping the smallest keys. */
	p = s + sprintf(s, "{\"Id\":\"a\",\"Config\":{\"Labels\":{\"huge\":\"");
	memset(p, 'x', big);
	p += big;
	p += sprintf(p, "\"");
	for (int i = VG_LABELS_MAX + 49; i >= 0; i--)
		p += sprintf(p, ",\"l%05d\":\"v\"", i);
	p += sprintf(p, "}}}");
	ASSERT_OK(vg_docker_parse_inspect(s, (size_t)(p - s), &m));
	ASSERT_EQ(m->n_labels, (size_t)VG_LABELS_MAX);
	ASSERT_STREQ(m->labels[0].key, "l00000");
	ASSERT_NULL(vg_container_meta_label(m, "huge"));
	vg_container_meta_free(m);
	m = NULL;

	/* An oversized scalar is an error. */
	p = s + sprintf(s, "{\"Id\":\"a\",\"Config\":{\"User\":\"");
	memset(p, 'u', big);
	p += big;
	p += sprintf(p, "\"}}");
	ASSERT_ERR(vg_docker_parse_inspect(s, (size_t)(p - s), &m), -E2BIG);
	free(s);
}
