/* SPDX-License-Identifier: Apache-2.0 */
/* Kubernetes manifests into PodSpecs (src/audit/k8s.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/k8s.h"
#include "basic/limits.h"
#include "tap.h"

static char err[2048];

/* Parses text into a fresh set; returns the parse result. */
static int parse(struct vg_k8s_set *s, const char *text)
{
	vg_k8s_set_init(s);
	return vg_k8s_parse(s, text, strlen(text), "m.yaml", err, sizeof(err));
}

static const struct vg_k8s_container *ctr(const struct vg_k8s_pod *p, const char *name)
{
	for (size_t i = 0; i < p->n_containers; i++)
		if (strcmp(p->containers[i].name, name) == 0)
			return &p->containers[i];
	return NULL;
}

static const char *template_kinds[][3] = {
	{"Deployment", "apps/v1", "spec.template.spec"},
	{"DaemonSet", "apps/v1", "spec.template.spec"},
	{"StatefulSet", "apps/v1", "spec.template.spec"},
	{"ReplicaSet", "apps/v1", "spec.template.spec"},
	{"ReplicationController", "v1", "spec.template.spec"},
	{"Job", "batch/v1", "spec.template.spec"},
};

TEST(every_workload_kind)
{
	struct vg_k8s_set s;
	char buf[1024];

	for (size_t i = 0; i < sizeof(template_kinds) / sizeof(template_kinds[0]); i++) {
		snprintf(buf, sizeof(buf),
			 "apiVersion: %s\nkind: %s\nmetadata:\n  name: w%zu\n  namespace: ns\n"
			 "spec:\n  template:\n    metadata:\n      annotations:\n        a: b\n"
			 "    spec:\n      hostPID: true\n      containers:\n      - name: c\n"
			 "        image: img\n",
			 template_kinds[i][1], template_kinds[i][0], i);
		ASSERT_EQ(parse(&s, buf), 0);
		ASSERT_EQ(vg_k8s_count(&s), 1u);
		ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->kind, template_kinds[i][0]);
		ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->path, template_kinds[i][2]);
		ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->namespace, "ns");
		ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->api_version, template_kinds[i][1]);
		ASSERT_EQ(vg_k8s_pod_at(&s, 0)->host_pid, VG_K8S_TRUE);
		ASSERT_EQ(vg_k8s_pod_at(&s, 0)->n_annotations, 1u);
		ASSERT_EQ(vg_k8s_pod_at(&s, 0)->n_containers, 1u);
		ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->containers[0].image, "img");
		ASSERT_EQ(vg_k8s_pod_at(&s, 0)->containers[0].line, 14u);
		vg_k8s_set_done(&s);
	}
}

TEST(pod_cronjob_podtemplate)
{
	struct vg_k8s_set s;
	const struct vg_k8s_pod *p;

	ASSERT_EQ(parse(&s, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
			    "  annotations: {x: y}\nspec:\n  hostIPC: true\n"
			    "  containers: [{name: a, image: i}]\n"
			    "---\n"
			    "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\n"
			    "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n"
			    "      template:\n        spec:\n          hostNetwork: yes\n"
			    "          containers: [{name: b}]\n"
			    "---\n"
			    "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: pt}\n"
			    "template:\n  spec:\n    containers: [{name: t}]\n"),
		  0);
	ASSERT_EQ(vg_k8s_count(&s), 3u);
	p = vg_k8s_pod_at(&s, 0);
	ASSERT_STREQ(p->kind, "Pod");
	ASSERT_STREQ(p->path, "spec");
	ASSERT_EQ(p->doc, 1u);
	ASSERT_EQ(p->line, 1u);
	ASSERT_EQ(p->host_ipc, VG_K8S_TRUE);
	ASSERT_EQ(p->n_annotations, 1u);
	p = vg_k8s_pod_at(&s, 1);
	ASSERT_STREQ(p->kind, "CronJob");
	ASSERT_STREQ(p->name, "cj");
	ASSERT_STREQ(p->path, "spec.jobTemplate.spec.template.spec");
	ASSERT_EQ(p->doc, 2u);
	ASSERT_EQ(p->line, 10u);
	ASSERT_EQ(p->host_network, VG_K8S_TRUE); /* YAML 1.1 "yes" */
	ASSERT_STREQ(p->containers[0].name, "b");
	p = vg_k8s_pod_at(&s, 2);
	ASSERT_STREQ(p->kind, "PodTemplate");
	ASSERT_STREQ(p->path, "template.spec");
	ASSERT_EQ(p->doc, 3u);
	vg_k8s_set_done(&s);
}

TEST(multi_document_and_not_applicable)
{
	struct vg_k8s_set s;
	const struct vg_k8s_file *f;

	ASSERT_EQ(parse(&s, "---\n# empty\n---\napiVersion: v1\nkind: ConfigMap\n"
			    "metadata: {name: c}\ndata: {k: v}\n---\n"
			    "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n"
			    "just: a mapping without kind\n---\n- a\n- list\n"),
		  0);
	ASSERT_EQ(vg_k8s_count(&s), 0u);
	ASSERT_EQ(s.files.len, 1u);
	f = vg_vec_at(&s.files, 0);
	ASSERT_EQ(f->n_pods, 0u);
	ASSERT_EQ(f->n_objects, 2u);
	ASSERT_STREQ(f->path, "m.yaml");
	vg_k8s_set_done(&s);

	ASSERT_EQ(parse(&s, ""), 0);
	ASSERT_EQ(vg_k8s_count(&s), 0u);
	vg_k8s_set_done(&s);
}

TEST(kind_list)
{
	struct vg_k8s_set s;

	ASSERT_EQ(parse(&s, "apiVersion: v1\nkind: List\nitems:\n"
			    "- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n"
			    "  spec: {containers: [{name: x}]}\n"
			    "- apiVersion: apps/v1\n  kind: DeploymentList\n  items:\n"
			    "  - kind: Deployment\n    metadata: {name: b}\n"
			    "    spec: {template: {spec: {containers: [{name: y}]}}}\n"
			    "- kind: ConfigMap\n  metadata: {name: c}\n"),
		  0);
	ASSERT_EQ(vg_k8s_count(&s), 2u);
	ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->name, "a");
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->line, 4u);
	ASSERT_STREQ(vg_k8s_pod_at(&s, 1)->name, "b");
	ASSERT_EQ(vg_k8s_pod_at(&s, 1)->line, 11u);
	vg_k8s_set_done(&s);

	/* Lists nested deeper than VG_K8S_LIST_DEPTH_MAX */
	{
		char buf[4096] = "";

		for (int i = 0; i <= VG_K8S_LIST_DEPTH_MAX; i++)
			strcat(buf, "{kind: List, items: [");
		strcat(buf, "{kind: Pod}");
		for (int i = 0; i <= VG_K8S_LIST_DEPTH_MAX; i++)
			strcat(buf, "]}");
		ASSERT_EQ(parse(&s, buf), -E2BIG);
		ASSERT_TRUE(strstr(err, "m.yaml:1:") != NULL);
		ASSERT_EQ(s.files.len, 0u);
		vg_k8s_set_done(&s);
	}
}

TEST(json_with_tabs_and_list)
{
	struct vg_k8s_set s;

	ASSERT_EQ(parse(&s, "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"List\",\n\t\"items\": [\n"
			    "\t\t{\"kind\": \"Pod\", \"metadata\": {\"name\": \"j\\tk\"},\n"
			    "\t\t \"spec\": {\"hostNetwork\": true, \"securityContext\": "
			    "{\"runAsUser\": 0},\n"
			    "\t\t\t\"containers\": [{\"name\": \"c\", \"securityContext\": "
			    "{\"privileged\": false}}]}}\n\t]\n}\n"),
		  0);
	ASSERT_EQ(vg_k8s_count(&s), 1u);
	ASSERT_STREQ(vg_k8s_pod_at(&s, 0)->name, "j\tk"); /* tab inside a string kept */
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->line, 5u);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->host_network, VG_K8S_TRUE);
	ASSERT_TRUE(vg_k8s_pod_at(&s, 0)->sc.has_run_as_user);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->sc.run_as_user, 0);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->containers[0].privileged, VG_K8S_FALSE);
	vg_k8s_set_done(&s);
}

TEST(security_context_merge)
{
	struct vg_k8s_set s;
	const struct vg_k8s_pod *p;
	const struct vg_k8s_container *c;

	ASSERT_EQ(
		parse(&s,
		      "kind: Pod\nmetadata:\n  name: m\n  annotations:\n"
		      "    container.apparmor.security.beta.kubernetes.io/b: localhost/prof\n"
		      "    container.apparmor.security.beta.kubernetes.io/c: runtime/default\n"
		      "    container.seccomp.security.alpha.kubernetes.io/b: unconfined\n"
		      "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n"
		      "    runAsGroup: 0x10\n    seccompProfile: {type: RuntimeDefault}\n"
		      "    appArmorProfile: {type: Unconfined}\n"
		      "    seLinuxOptions: {type: container_t, level: 's0:c1,c2'}\n"
		      "    windowsOptions: {hostProcess: false}\n"
		      "  initContainers:\n  - name: i\n"
		      "  containers:\n  - name: a\n    securityContext:\n      runAsUser: 0\n"
		      "      runAsNonRoot: false\n"
		      "      seccompProfile: {type: Localhost, localhostProfile: p.json}\n"
		      "      seLinuxOptions: {user: sysadm_u}\n"
		      "      windowsOptions: {hostProcess: true}\n"
		      "  - name: b\n  - name: c\n    securityContext:\n"
		      "      appArmorProfile: {type: Localhost, localhostProfile: x}\n"
		      "  ephemeralContainers:\n  - name: e\n    securityContext: {privileged: on}\n"),
		0);
	p = vg_k8s_pod_at(&s, 0);
	ASSERT_EQ(p->n_containers, 5u);
	/* visiting order: init, regular, ephemeral */
	ASSERT_EQ(p->containers[0].kind, VG_K8S_CTR_INIT);
	ASSERT_STREQ(p->containers[0].name, "i");
	ASSERT_EQ(p->containers[4].kind, VG_K8S_CTR_EPHEMERAL);
	ASSERT_EQ(p->containers[4].privileged, VG_K8S_TRUE);
	ASSERT_EQ(p->sc.run_as_group, 16);

	c = ctr(p, "i"); /* inherits everything */
	ASSERT_EQ(c->eff.run_as_non_root, VG_K8S_TRUE);
	ASSERT_EQ(c->own.run_as_non_root, VG_K8S_UNSET);
	ASSERT_EQ(c->eff.run_as_user, 1000);
	ASSERT_STREQ(c->eff.seccomp_type, "RuntimeDefault");
	ASSERT_STREQ(c->eff.apparmor_type, "Unconfined");
	ASSERT_STREQ(c->eff.selinux_type, "container_t");
	ASSERT_EQ(c->eff.host_process, VG_K8S_FALSE);

	c = ctr(p, "a"); /* overrides; seLinuxOptions replaced as a whole */
	ASSERT_EQ(c->eff.run_as_non_root, VG_K8S_FALSE);
	ASSERT_EQ(c->eff.run_as_user, 0);
	ASSERT_EQ(c->eff.run_as_group, 16);
	ASSERT_STREQ(c->eff.seccomp_type, "Localhost");
	ASSERT_STREQ(c->eff.seccomp_localhost, "p.json");
	ASSERT_STREQ(c->eff.selinux_user, "sysadm_u");
	ASSERT_TRUE(c->eff.selinux_type == NULL);
	ASSERT_EQ(c->eff.host_process, VG_K8S_TRUE);

	c = ctr(p, "b"); /* AppArmor from its annotation, before the pod field */
	ASSERT_STREQ(c->eff.apparmor_type, "Localhost");
	ASSERT_STREQ(c->eff.apparmor_localhost, "prof");
	ASSERT_STREQ(c->apparmor_annotation, "localhost/prof");
	ASSERT_STREQ(c->seccomp_annotation, "unconfined");
	ASSERT_STREQ(c->eff.seccomp_type, "RuntimeDefault");

	c = ctr(p, "c"); /* the container field wins over its annotation */
	ASSERT_STREQ(c->eff.apparmor_type, "Localhost");
	ASSERT_STREQ(c->eff.apparmor_localhost, "x");
	vg_k8s_set_done(&s);
}

TEST(container_details)
{
	struct vg_k8s_set s;
	const struct vg_k8s_container *c;
	const struct vg_k8s_pod *p;

	ASSERT_EQ(
		parse(&s,
		      "kind: Pod\nspec:\n  hostUsers: false\n  os: {name: windows}\n"
		      "  securityContext:\n    sysctls:\n    - {name: kernel.msgmax, value: '1'}\n"
		      "  volumes:\n  - name: h\n    hostPath: {path: /var/run/docker.sock}\n"
		      "  - name: bare\n  - name: n\n    nfs: {server: s, path: /}\n"
		      "  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n"
		      "    - {containerPort: 81, hostPort: 0}\n    - {hostPort: 8080}\n"
		      "    livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n"
		      "    readinessProbe: {tcpSocket: {host: '', port: 80}}\n"
		      "    lifecycle: {preStop: {tcpSocket: {host: node, port: 1}}}\n"
		      "    securityContext:\n      procMount: Unmasked\n"
		      "      allowPrivilegeEscalation: False\n"
		      "      readOnlyRootFilesystem: true\n"
		      "      capabilities: {add: [NET_RAW, SYS_ADMIN], drop: [ALL]}\n"),
		0);
	p = vg_k8s_pod_at(&s, 0);
	ASSERT_EQ(p->host_users, VG_K8S_FALSE);
	ASSERT_STREQ(p->os, "windows");
	ASSERT_EQ(p->n_sysctls, 1u);
	ASSERT_STREQ(p->sysctls[0], "kernel.msgmax");
	ASSERT_EQ(p->n_volumes, 3u);
	ASSERT_STREQ(p->volumes[0].type, "hostPath");
	ASSERT_STREQ(p->volumes[0].host_path, "/var/run/docker.sock");
	ASSERT_STREQ(p->volumes[1].type, "emptyDir"); /* API server default */
	ASSERT_STREQ(p->volumes[2].type, "nfs");
	ASSERT_TRUE(p->volumes[2].host_path == NULL);
	c = &p->containers[0];
	ASSERT_EQ(c->n_host_ports, 2u);
	ASSERT_EQ(c->host_ports[0], 0);
	ASSERT_EQ(c->host_ports[1], 8080);
	ASSERT_EQ(c->n_probe_hosts, 2u);
	ASSERT_STREQ(c->probe_hosts[0], "10.0.0.1");
	ASSERT_STREQ(c->probe_hosts[1], "node");
	ASSERT_STREQ(c->proc_mount, "Unmasked");
	ASSERT_EQ(c->allow_privilege_escalation, VG_K8S_FALSE);
	ASSERT_EQ(c->read_only_root_filesystem, VG_K8S_TRUE);
	ASSERT_EQ(c->n_cap_add, 2u);
	ASSERT_STREQ(c->cap_add[1], "SYS_ADMIN");
	ASSERT_EQ(c->n_cap_drop, 1u);
	ASSERT_EQ(c->privileged, VG_K8S_UNSET);
	vg_k8s_set_done(&s);
}

static void expect_error(const char *text, int r, const char *where, const char *what)
{
	struct vg_k8s_set s;

	ASSERT_EQ(parse(&s, text), r);
	if (!strstr(err, where) || !strstr(err, what))
		tap_diag("error was: %s\n", err);
	ASSERT_TRUE(strstr(err, where) != NULL);
	ASSERT_TRUE(strstr(err, what) != NULL);
	ASSERT_EQ(vg_k8s_count(&s), 0u);
	ASSERT_EQ(s.files.len, 0u);
	vg_k8s_set_done(&s);
}

TEST(type_errors_and_duplicates)
{
	expect_error("kind: Pod\nspec:\n  hostNetwork: \"true\"\n", -EBADMSG,
		     "m.yaml:3:16:", "'hostNetwork' must be a boolean");
	expect_error("kind: Pod\nspec:\n  hostPID: maybe\n", -EBADMSG,
		     "m.yaml:3:12:", "found 'maybe'");
	expect_error("kind: Pod\nspec:\n  securityContext: {runAsUser: abc}\n", -EBADMSG,
		     "m.yaml:3:32:", "'runAsUser' must be an integer");
	expect_error("kind: Pod\nspec:\n  securityContext: {runAsUser: 1.5}\n", -EBADMSG,
		     "m.yaml:3:32:", "integer");
	expect_error("kind: Pod\nspec:\n  containers: {name: a}\n", -EBADMSG,
		     "m.yaml:3:15:", "'containers' must be a sequence");
	expect_error("kind: Pod\nspec:\n  hostPID: false\n  hostPID: true\n", -EBADMSG,
		     "m.yaml:4:3:", "duplicate key 'hostPID'");
	expect_error("kind: Pod\nmetadata:\n  annotations: {a: 1, a: 2}\n", -EBADMSG,
		     "m.yaml:3:", "duplicate key 'a'");
	expect_error("kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n"
		     "      capabilities: {add: [[NET_RAW]]}\n",
		     -EBADMSG, "m.yaml:6:", "'add' must be a string");
	/* a type error in a later document drops the whole file */
	expect_error("kind: Pod\nspec: {containers: [{name: a}]}\n---\nkind: Pod\nspec: 3\n",
		     -EBADMSG, "m.yaml:5:7:", "'spec' must be a mapping");
}

TEST(malformed_yaml)
{
	expect_error("kind: Pod\nspec:\n  containers:\n  - name: [a\n", -EBADMSG, "m.yaml:", "");
	expect_error("kind: Pod\n  bad: indent\n", -EBADMSG, "m.yaml:2:", "");
	expect_error("{\"kind\": \"Pod\",,}\n", -EBADMSG, "m.yaml:1:", "");
	expect_error("kind: *nope\n", -EBADMSG, "m.yaml:1:", "");
}

TEST(integers)
{
	struct vg_k8s_set s;

	ASSERT_EQ(parse(&s,
			"kind: Pod\nspec:\n  securityContext: {runAsUser: 0o17, runAsGroup: 010}\n"
			"  containers:\n  - name: a\n    securityContext: {runAsUser: -1_000}\n"),
		  0);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->sc.run_as_user, 15);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->sc.run_as_group, 8);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->containers[0].eff.run_as_user, -1000);
	vg_k8s_set_done(&s);
	expect_error("kind: Pod\nspec: {securityContext: {runAsUser: 99999999999999999999}}\n",
		     -EBADMSG, "m.yaml:2:37:", "integer");
}

TEST(hostile_alias_bomb)
{
	struct vg_k8s_set s;
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
			   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			   "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
			   "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
			   "kind: Pod\nspec: {volumes: *h}\n";

	ASSERT_EQ(parse(&s, bomb), -E2BIG);
	ASSERT_EQ(vg_k8s_count(&s), 0u);
	vg_k8s_set_done(&s);
}

TEST(aliases_within_limits)
{
	struct vg_k8s_set s;

	/* a shared securityContext through an anchor is read for every container */
	ASSERT_EQ(parse(&s, "kind: Pod\nspec:\n  containers:\n"
			    "  - name: a\n    securityContext: &sc {privileged: true}\n"
			    "  - name: b\n    securityContext: *sc\n"),
		  0);
	ASSERT_EQ(vg_k8s_pod_at(&s, 0)->containers[1].privileged, VG_K8S_TRUE);
	vg_k8s_set_done(&s);
}

TEST(hostile_deep_nesting)
{
	struct vg_k8s_set s;
	size_t n = 100000;
	char *buf = malloc(2 * n + 64);

	ASSERT_TRUE(buf != NULL);
	{
		size_t k = (size_t)sprintf(buf, "kind: Pod\nspec: ");

		memset(buf + k, '[', n);
		memset(buf + k + n, ']', n);
		buf[k + 2 * n] = '\0';
	}
	ASSERT_EQ(parse(&s, buf), -E2BIG);
	ASSERT_TRUE(strstr(err, "m.yaml:") != NULL);
	vg_k8s_set_done(&s);
	free(buf);
}

TEST(hostile_sizes)
{
	struct vg_k8s_set s;
	size_t n, k;
	char *buf;

	/* more containers than VG_K8S_CONTAINERS_MAX */
	n = VG_K8S_CONTAINERS_MAX + 1;
	buf = malloc(n * 32 + 64);
	ASSERT_TRUE(buf != NULL);
	k = (size_t)sprintf(buf, "kind: Pod\nspec:\n  containers:\n");
	for (size_t i = 0; i < n; i++)
		k += (size_t)sprintf(buf + k, "  - {name: c%zu}\n", i);
	ASSERT_EQ(parse(&s, buf), -E2BIG);
	ASSERT_TRUE(strstr(err, "containers, more than") != NULL);
	vg_k8s_set_done(&s);
	free(buf);

	/* more volumes than VG_K8S_ITEMS_MAX */
	n = VG_K8S_ITEMS_MAX + 1;
	buf = malloc(n * 32 + 64);
	ASSERT_TRUE(buf != NULL);
	k = (size_t)sprintf(buf, "kind: Pod\nspec:\n  volumes:\n");
	for (size_t i = 0; i < n; i++)
		k += (size_t)sprintf(buf + k, "  - {name: v%zu}\n", i);
	ASSERT_EQ(parse(&s, buf), -E2BIG);
	vg_k8s_set_done(&s);
	free(buf);

	/* a file larger than VG_K8S_FILE_MAX */
	n = (size_t)VG_K8S_FILE_MAX + 2;
	buf = malloc(n);
	ASSERT_TRUE(buf != NULL);
	memset(buf, '#', n - 1);
	buf[n - 1] = '\0';
	vg_k8s_set_init(&s);
	ASSERT_EQ(vg_k8s_parse(&s, buf, n - 1, "big.yaml", err, sizeof(err)), -E2BIG);
	vg_k8s_set_done(&s);
	free(buf);
}

TEST(many_documents_huge_but_valid)
{
	struct vg_k8s_set s;
	size_t n = 2000, k = 0;
	char *buf = malloc(n * 96);

	ASSERT_TRUE(buf != NULL);
	for (size_t i = 0; i < n; i++)
		k += (size_t)sprintf(buf + k,
				     "---\nkind: Pod\nmetadata: {name: p%zu}\n"
				     "spec: {containers: [{name: a}, {name: b}]}\n",
				     i);
	ASSERT_EQ(parse(&s, buf), 0);
	ASSERT_EQ(vg_k8s_count(&s), n);
	ASSERT_STREQ(vg_k8s_pod_at(&s, n - 1)->name, "p1999");
	ASSERT_EQ(vg_k8s_pod_at(&s, n - 1)->doc, (unsigned)n);
	vg_k8s_set_done(&s);
	free(buf);
}

TEST(read_file_errors)
{
	struct vg_k8s_set s;

	vg_k8s_set_init(&s);
	ASSERT_EQ(vg_k8s_parse_file(&s, "/nonexistent/vigil.yaml", err, sizeof(err)), -ENOENT);
	ASSERT_TRUE(strstr(err, "/nonexistent/vigil.yaml") != NULL);
	vg_k8s_set_done(&s);
}
