/* SPDX-License-Identifier: Apache-2.0 */
/* vg_container_meta_to_json() / _from_json(): round trip, fixed key order, hostile input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "state/meta-internal.h"
#include "state/meta.h"
#include "tap.h"

static struct vg_container_meta *sample(void)
{
	struct vg_container_meta *m = NULL;
	struct vg_mount *mt;

	ASSERT_OK(vg_container_meta_new(&m));
	ASSERT_OK(vg_meta_set_str(&m->id, "0123abcd"));
	ASSERT_OK(vg_meta_set_str(&m->name, "web \"1\"\n"));
	ASSERT_OK(vg_container_meta_set_image(m, "registry:5000/ns/img:tag"));
	ASSERT_OK(vg_meta_set_str(&m->image_id, "sha256:00"));
	ASSERT_OK(vg_meta_set_str(&m->runtime, "docker"));
	m->privileged = true;
	m->host_network = true;
	m->created_ns = 1709288430123456789LL;
	m->started_ns = -5;
	ASSERT_OK(vg_meta_set_str(&m->user, "1000:1000"));
	ASSERT_OK(vg_meta_set_str(&m->ip, "10.0.0.2"));
	ASSERT_OK(vg_meta_add_label(m, "z", "last"));
	ASSERT_OK(vg_meta_add_label(m, "io.kubernetes.pod.name", "p"));
	ASSERT_OK(vg_meta_add_label(m, "a", "\xc3\xa9t\xc3\xa9"));
	ASSERT_OK(vg_meta_add_mount(m, &mt));
	ASSERT_OK(vg_meta_set_str(&mt->source, "/var/run/docker.sock"));
	ASSERT_OK(vg_meta_set_str(&mt->dest, "/var/run/docker.sock"));
	mt->rw = true;
	ASSERT_OK(vg_container_meta_normalize(m));
	return m;
}

TEST(round_trip_and_key_order)
{
	struct vg_container_meta *m = sample(), *b = NULL;
	char *j1 = NULL, *j2 = NULL;

	ASSERT_STREQ(m->pod_name, "p"); /* derived from the CRI label */
	ASSERT_STREQ(m->labels[0].key, "a");
	ASSERT_OK(vg_container_meta_to_json(m, &j1));
	ASSERT_STREQ(
		j1,
		"{\"id\":\"0123abcd\",\"name\":\"web \\\"1\\\"\\n\",\"image\":\"registry:5000/ns/img:tag\","
		"\"image_repo\":\"registry:5000/ns/img\",\"image_tag\":\"tag\",\"image_id\":\"sha256:00\","
		"\"runtime\":\"docker\",\"privileged\":true,\"host_pid\":false,\"host_network\":true,"
		"\"host_ipc\":false,\"created_ns\":1709288430123456789,\"started_ns\":-5,"
		"\"user\":\"1000:1000\",\"ip\":\"10.0.0.2\",\"pod_name\":\"p\",\"pod_namespace\":\"\","
		"\"pod_uid\":\"\",\"labels\":{\"a\":\"\xc3\xa9t\xc3\xa9\",\"io.kubernetes.pod.name\":\"p\","
		"\"z\":\"last\"},\"mounts\":[{\"source\":\"/var/run/docker.sock\","
		"\"dest\":\"/var/run/docker.sock\",\"mode\":\"\",\"propagation\":\"\",\"rw\":true}]}");
	ASSERT_OK(vg_container_meta_from_json(j1, strlen(j1), &b));
	ASSERT_OK(vg_container_meta_to_json(b, &j2));
	ASSERT_STREQ(j1, j2);
	ASSERT_TRUE(b->privileged);
	ASSERT_EQ(b->created_ns, m->created_ns);
	ASSERT_STREQ(vg_container_meta_label(b, "z"), "last");
	ASSERT_EQ(b->n_mounts, 1u);
	free(j1);
	free(j2);
	vg_container_meta_free(m);
	vg_container_meta_free(b);
}

TEST(free_null_and_label_null)
{
	vg_container_meta_free(NULL);
	ASSERT_NULL(vg_container_meta_label(NULL, "x"));
}

TEST(invalid_utf8_is_sanitised)
{
	struct vg_container_meta *m = NULL, *b = NULL;
	char *j = NULL;

	ASSERT_OK(vg_container_meta_new(&m));
	ASSERT_OK(vg_meta_set_str(&m->name, "bad\xff\xfe"));
	ASSERT_OK(vg_meta_add_label(m, "k\xff", "v"));
	ASSERT_OK(vg_container_meta_to_json(m, &j));
	ASSERT_OK(vg_container_meta_from_json(j, strlen(j), &b));
	ASSERT_STREQ(b->name, "bad??");
	ASSERT_STREQ(vg_container_meta_label(b, "k?"), "v");
	free(j);
	vg_container_meta_free(m);
	vg_container_meta_free(b);
}

static int from(const char *s)
{
	struct vg_container_meta *m = NULL;
	int r = vg_container_meta_from_json(s, strlen(s), &m);

	if (r >= 0) {
		/* Every string is non-NULL after a successful parse. */
		if (!m->id || !m->name || !m->image || !m->pod_uid)
			r = -EFAULT;
	}
	vg_container_meta_free(m);
	return r;
}

TEST(hostile_inputs)
{
	ASSERT_OK(from("{}"));
	ASSERT_OK(from("{\"id\":null,\"unknown\":{\"x\":[1,2,3]}}"));
	ASSERT_ERR(from(""), -EBADMSG);
	ASSERT_ERR(from("[]"), -EBADMSG);
	ASSERT_ERR(from("\"str\""), -EBADMSG);
	ASSERT_ERR(from("{\"id\":1}"), -EBADMSG);
	ASSERT_ERR(from("{\"privileged\":\"true\"}"), -EBADMSG);
	ASSERT_ERR(from("{\"created_ns\":1.5}"), -EBADMSG);
	ASSERT_ERR(from("{\"created_ns\":\"1\"}"), -EBADMSG);
	ASSERT_ERR(from("{\"labels\":[]}"), -EBADMSG);
	ASSERT_ERR(from("{\"labels\":{\"a\":1}}"), -EBADMSG);
	ASSERT_ERR(from("{\"mounts\":{}}"), -EBADMSG);
	ASSERT_ERR(from("{\"mounts\":[\"x\"]}"), -EBADMSG);
	ASSERT_ERR(from("{\"mounts\":[{\"rw\":1}]}"), -EBADMSG);
	ASSERT_ERR(from("{\"id\":\"a\",\"id\":\"b\"}"), -EBADMSG);
	ASSERT_ERR(from("{\"id\":\"a\"} trailing"), -EBADMSG);
	/* Embedded NUL is refused by the parser. */
	ASSERT_ERR(from("{\"id\":\"a\\u0000b\"}"), -EBADMSG);
}

TEST(limits)
{
	size_t cap = (VG_LABELS_MAX + 2) * 24 + VG_PATH_MAX + 256;
	char *s = malloc(cap), *p;

	ASSERT_NOT_NULL(s);
	p = s + sprintf(s, "{\"labels\":{");
	for (int i = 0; i <= VG_LABELS_MAX; i++)
		p += sprintf(p, "%s\"k%d\":\"v\"", i ? "," : "", i);
	sprintf(p, "}}");
	ASSERT_ERR(from(s), -E2BIG);

	p = s + sprintf(s, "{\"mounts\":[");
	for (int i = 0; i <= VG_MOUNTS_MAX; i++)
		p += sprintf(p, "%s{}", i ? "," : "");
	sprintf(p, "]}");
	ASSERT_ERR(from(s), -E2BIG);

	p = s + sprintf(s, "{\"image\":\"");
	memset(p, 'a', VG_PATH_MAX + 1);
	p += VG_PATH_MAX + 1;
	sprintf(p, "\"}");
	ASSERT_ERR(from(s), -E2BIG);

	p = s + sprintf(s, "{\"image\":\"");
	memset(p, 'a', VG_PATH_MAX);
	p += VG_PATH_MAX;
	sprintf(p, "\"}");
	ASSERT_OK(from(s));
	free(s);

	s = malloc(20000);
	ASSERT_NOT_NULL(s);
	memset(s, '[', 10000);
	memset(s + 10000, ']', 10000);
	{
		struct vg_container_meta *m = NULL;

		ASSERT_ERR(vg_container_meta_from_json(s, 20000, &m), -E2BIG);
	}
	free(s);
}
