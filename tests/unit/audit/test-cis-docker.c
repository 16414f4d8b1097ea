/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CIS Docker rules (rules/audit/cis-docker.yaml, built into the binary) over hosts and
 * containers built by the test. A compliant host and a compliant container pass every rule;
 * each case changes one setting and must fail exactly the expected rules (matched by the
 * name's prefix, "CIS 2.2 " ...), the expected set written from the benchmark's definitions
 * and the engine's effective semantics (a privileged container also has no seccomp, no
 * AppArmor, every capability and cleared masked paths).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit-docker.h"
#include "shared/json.h"
#include "tap.h"

static struct vg_rules_collection coll;
static struct vg_ruleset *rs;

static const struct vg_ruleset *ruleset(void)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;
	int r;

	if (rs)
		return rs;
	ASSERT_EQ(vg_host_source_register(), 0);
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	r = vg_audit_docker_load_builtin(&coll, &d);
	if (r >= 0)
		r = vg_rules_compile(&coll, &o, &rs, &d);
	if (r < 0 || d.errors || d.warnings)
		vg_diags_print(&d, stdout);
	ASSERT_EQ(r, 0);
	ASSERT_EQ(d.errors, 0u);
	ASSERT_EQ(d.warnings, 0u);
	vg_diags_done(&d);
	return rs;
}

/* Checks that the findings of rep are exactly the rules named by the prefixes in want
 * (NULL-terminated); every prefix must match at least one finding. */
static void expect(const struct vg_audit_report *rep, const char *what, const char *const *want)
{
	bool ok = true;

	vg_vec_for_each(const struct vg_audit_finding, f, &rep->findings) {
		bool found = false;

		for (size_t i = 0; want[i]; i++)
			found |= strncmp(f->rule->name, want[i], strlen(want[i])) == 0;
		if (!found) {
			tap_diag("%s: unexpected finding '%s': %s\n", what, f->rule->name,
				 f->output);
			ok = false;
		}
	}
	for (size_t i = 0; want[i]; i++) {
		bool found = false;

		vg_vec_for_each(const struct vg_audit_finding, f, &rep->findings)
			found |= strncmp(f->rule->name, want[i], strlen(want[i])) == 0;
		if (!found) {
			tap_diag("%s: expected '%s' missing\n", what, want[i]);
			ok = false;
		}
	}
	ASSERT_TRUE(ok);
}

/* ---- host -------------------------------------------------------------------------------- */

static const char compliant_json[] =
	"{\"icc\": false, \"log-level\": \"info\", \"userns-remap\": \"default\","
	" \"authorization-plugins\": [\"authz-broker\"], \"log-driver\": \"syslog\","
	" \"no-new-privileges\": true, \"live-restore\": true, \"userland-proxy\": false,"
	" \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 64000, \"Soft\": 64000}},"
	" \"storage-driver\": \"overlay2\", \"hosts\": [\"unix:///var/run/docker.sock\"]}";

struct hfile {
	const char *key, *path, *owner, *group;
	uint32_t mode;
};

static const struct hfile compliant_files[] = {
	{"docker.service", "/lib/systemd/system/docker.service", "root", "root", 0644},
	{"docker.socket", "/lib/systemd/system/docker.socket", "root", "root", 0644},
	{"etc-docker", "/etc/docker", "root", "root", 0755},
	{"daemon.json", "/etc/docker/daemon.json", "root", "root", 0644},
	{"docker.sock", "/var/run/docker.sock", "root", "docker", 0660},
	{"containerd.sock", "/run/containerd/containerd.sock", "root", "root", 0660},
	{"certs.d", "/etc/docker/certs.d/r/ca.crt", "root", "root", 0444},
	{"tlscacert", "/etc/docker/ca.pem", "root", "root", 0444},
	{"tlscert", "/etc/docker/cert.pem", "root", "root", 0444},
	{"tlskey", "/etc/docker/key.pem", "root", "root", 0400},
	{"etc-default-docker", "/etc/default/docker", "root", "root", 0644},
	{"etc-sysconfig-docker", "/etc/sysconfig/docker", "root", "root", 0644},
	{"dockerd", "/usr/bin/dockerd", "root", "root", 0755},
	{"run-containerd", "/run/containerd", "root", "root", 0711},
	{"data-root", "/var/lib/docker", "root", "root", 0710},
	{"containerd-config", "/etc/containerd/config.toml", "root", "root", 0644},
	{"containerd", "/usr/bin/containerd", "root", "root", 0755},
	{"containerd-shim", "/usr/bin/containerd-shim", "root", "root", 0755},
	{"containerd-shim-runc-v1", "/usr/bin/containerd-shim-runc-v1", "root", "root", 0755},
	{"containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2", "root", "root", 0755},
	{"runc", "/usr/bin/runc", "root", "root", 0755},
};

struct hcase {
	const char *name;
	const char *patch; /* JSON object merged into daemon.json (null removes a key) */
	const char *cmdline; /* extra dockerd flags, NUL-separated, after "dockerd" */
	size_t cmdline_len;
	const char *file_key; /* a file changed: */
	const char *owner, *group;
	int32_t mode; /* -1: unchanged; -2: the file does not exist */
	int audit_off; /* the file is not audit-watched */
	const char *engine, *runc, *containerd;
	int data_root_mounted; /* -2: unchanged */
	const char *group_member;
	bool unauth_listener;
	const char *want[8];
};

static void build_host(struct vg_host *h, const struct hcase *c)
{
	cleanup_json json_t *j = NULL, *p = NULL;
	char *text;
	char err[256];

	vg_host_init(h);
	h->dockerd_pid = 100;
	h->daemon_json = "/etc/docker/daemon.json";
	h->service_unit = "/lib/systemd/system/docker.service";
	ASSERT_OK(vg_json_parse(compliant_json, sizeof(compliant_json) - 1, &j, NULL, 0));
	if (c->patch) {
		ASSERT_OK(vg_json_parse(c->patch, strlen(c->patch), &p, NULL, 0));
		ASSERT_EQ(json_object_update(j, p), 0);
	}
	text = json_dumps(j, 0);
	ASSERT_NOT_NULL(text);
	ASSERT_OK(vg_host_parse_daemon_json(h, text, strlen(text), err, sizeof(err)));
	free(text);
	if (c->cmdline) {
		char buf[512] = "dockerd";

		ASSERT_LT(c->cmdline_len + 8, sizeof(buf));
		memcpy(buf + 8, c->cmdline, c->cmdline_len);
		ASSERT_OK(vg_host_parse_cmdline(h, buf, 8 + c->cmdline_len, VG_HOST_FROM_CMDLINE));
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(compliant_files); i++) {
		const struct hfile *hf = &compliant_files[i];
		struct vg_host_file f = {
			.key = hf->key,
			.path = hf->path,
			.exists = true,
			.mode = hf->mode,
			.owner = hf->owner,
			.group = hf->group,
			.audit_watched = true,
		};

		if (c->file_key && !strcmp(c->file_key, hf->key)) {
			if (c->owner)
				f.owner = c->owner;
			if (c->group)
				f.group = c->group;
			if (c->mode >= 0)
				f.mode = (uint32_t)c->mode;
			if (c->mode == -2)
				f.exists = false;
			if (c->audit_off)
				f.audit_watched = false;
		}
		ASSERT_OK(vg_vec_push(&h->files, &f));
	}
	h->engine_version = c->engine ? c->engine : "29.3.1";
	h->runc_version = c->runc ? c->runc : "1.4.0";
	h->containerd_version = c->containerd ? c->containerd : "1.7.20";
	h->data_root_mounted = c->data_root_mounted == -2 ? 1 : (int8_t)c->data_root_mounted;
	h->api_socket = "/var/run/docker.sock";
	if (c->group_member) {
		ASSERT_OK(vg_vec_push(&h->docker_group, &c->group_member));
	}
	if (c->unauth_listener) {
		struct vg_host_listener li = {.port = 2375,
					      .loopback = true,
					      .probed = true,
					      .probe_status = 200,
					      .unauthenticated = true};

		snprintf(li.addr, sizeof(li.addr), "127.0.0.1");
		ASSERT_OK(vg_vec_push(&h->listeners, &li));
	}
}

#define KEEP .mode = -1, .data_root_mounted = -2

static const struct hcase hcases[] = {
	{"compliant", KEEP, .want = {NULL}},
	{"1.1.1 data root", .mode = -1, .data_root_mounted = 0, .want = {"CIS 1.1.1 "}},
	{"1.1.2 docker group", KEEP, .group_member = "alice", .want = {"CIS 1.1.2 "}},
	{"1.1.2 trusted member", KEEP, .group_member = "root", .want = {NULL}},
	{"1.1.3 audit dockerd", .file_key = "dockerd", .audit_off = 1, .mode = -1,
	 .data_root_mounted = -2, .want = {"CIS 1.1.3 "}},
	{"1.1.4", .file_key = "run-containerd", .audit_off = 1, KEEP, .want = {"CIS 1.1.4 "}},
	{"1.1.5", .file_key = "data-root", .audit_off = 1, KEEP, .want = {"CIS 1.1.5 "}},
	{"1.1.6", .file_key = "etc-docker", .audit_off = 1, KEEP, .want = {"CIS 1.1.6 "}},
	{"1.1.7", .file_key = "docker.service", .audit_off = 1, KEEP, .want = {"CIS 1.1.7 "}},
	{"1.1.8", .file_key = "containerd.sock", .audit_off = 1, KEEP, .want = {"CIS 1.1.8 "}},
	{"1.1.9", .file_key = "docker.socket", .audit_off = 1, KEEP, .want = {"CIS 1.1.9 "}},
	{"1.1.10", .file_key = "etc-default-docker", .audit_off = 1, KEEP, .want = {"CIS 1.1.10 "}},
	{"1.1.11", .file_key = "daemon.json", .audit_off = 1, KEEP, .want = {"CIS 1.1.11 "}},
	{"1.1.12", .file_key = "containerd-config", .audit_off = 1, KEEP, .want = {"CIS 1.1.12 "}},
	{"1.1.13", .file_key = "etc-sysconfig-docker", .audit_off = 1, KEEP,
	 .want = {"CIS 1.1.13 "}},
	{"1.1.14", .file_key = "containerd", .audit_off = 1, KEEP, .want = {"CIS 1.1.14 "}},
	{"1.1.15", .file_key = "containerd-shim", .audit_off = 1, KEEP, .want = {"CIS 1.1.15 "}},
	{"1.1.16", .file_key = "containerd-shim-runc-v1", .audit_off = 1, KEEP,
	 .want = {"CIS 1.1.16 "}},
	{"1.1.17", .file_key = "containerd-shim-runc-v2", .audit_off = 1, KEEP,
	 .want = {"CIS 1.1.17 "}},
	{"1.1.18", .file_key = "runc", .audit_off = 1, KEEP, .want = {"CIS 1.1.18 "}},
	{"1.1.x not applicable", .file_key = "runc", .audit_off = 1, .mode = -2,
	 .data_root_mounted = -2, .want = {NULL}},
	{"2.2 icc", .patch = "{\"icc\": null}", KEEP, .want = {"CIS 2.2 "}},
	{"2.2 icc flag", .patch = "{\"icc\": null}", .cmdline = "--icc=false", .cmdline_len = 12,
	 KEEP, .want = {NULL}},
	{"2.3 log level", .patch = "{\"log-level\": \"debug\"}", KEEP, .want = {"CIS 2.3 "}},
	{"2.4 iptables", .patch = "{\"iptables\": false}", KEEP, .want = {"CIS 2.4 "}},
	{"2.5 insecure registry", .cmdline = "--insecure-registry\0r:5000", .cmdline_len = 27, KEEP,
	 .want = {"CIS 2.5 "}},
	{"2.6 aufs", .patch = "{\"storage-driver\": \"aufs\"}", KEEP, .want = {"CIS 2.6 "}},
	{"2.7 tcp without tls", .patch = "{\"hosts\": [\"tcp://0.0.0.0:2375\"]}", KEEP,
	 .want = {"CIS 2.7 "}},
	{"2.7 tcp with tls only", .patch = "{\"hosts\": [\"tcp://0.0.0.0:2376\"], \"tls\": true}",
	 KEEP, .want = {"CIS 2.7 "}},
	{"2.7 tcp with tlsverify",
	 .patch = "{\"hosts\": [\"tcp://0.0.0.0:2376\"], \"tlsverify\": true}", KEEP,
	 .want = {NULL}},
	{"2.7 -H host:port",
	 .cmdline = "-H\0"
		    "0.0.0.0:2375",
	 .cmdline_len = 16, KEEP, .want = {"CIS 2.7 "}},
	{"2.8 ulimits", .patch = "{\"default-ulimits\": null}", KEEP, .want = {"CIS 2.8 "}},
	{"2.9 userns", .patch = "{\"userns-remap\": null}", KEEP, .want = {"CIS 2.9 "}},
	{"2.9 rootless", .patch = "{\"userns-remap\": null}", .cmdline = "--rootless",
	 .cmdline_len = 11, KEEP, .want = {NULL}},
	{"2.10 cgroup parent", .patch = "{\"cgroup-parent\": \"/x\"}", KEEP, .want = {"CIS 2.10 "}},
	{"2.11 basesize", .patch = "{\"storage-opts\": [\"dm.basesize=20G\"]}", KEEP,
	 .want = {"CIS 2.11 "}},
	{"2.12 authz", .patch = "{\"authorization-plugins\": null}", KEEP, .want = {"CIS 2.12 "}},
	{"2.13 log driver", .patch = "{\"log-driver\": null}", KEEP, .want = {"CIS 2.13 "}},
	{"2.14 nnp", .patch = "{\"no-new-privileges\": false}", KEEP, .want = {"CIS 2.14 "}},
	{"2.15 live restore", .patch = "{\"live-restore\": null}", KEEP, .want = {"CIS 2.15 "}},
	{"2.16 userland proxy", .patch = "{\"userland-proxy\": true}", KEEP, .want = {"CIS 2.16 "}},
	{"2.17 seccomp", .patch = "{\"seccomp-profile\": \"unconfined\"}", KEEP,
	 .want = {"CIS 2.17 "}},
	{"2.18 experimental", .patch = "{\"experimental\": true}", KEEP, .want = {"CIS 2.18 "}},
	{"3.1", .file_key = "docker.service", .owner = "bin", KEEP, .want = {"CIS 3.1 "}},
	{"3.2", .file_key = "docker.service", .mode = 0664, .data_root_mounted = -2,
	 .want = {"CIS 3.2 "}},
	{"3.2 stricter passes", .file_key = "docker.service", .mode = 0600, .data_root_mounted = -2,
	 .want = {NULL}},
	/* the decimal comparison docker-bench makes would pass 606 */
	{"3.2 world-writable 606", .file_key = "docker.service", .mode = 0606,
	 .data_root_mounted = -2, .want = {"CIS 3.2 "}},
	{"3.3", .file_key = "docker.socket", .group = "docker", KEEP, .want = {"CIS 3.3 "}},
	{"3.4", .file_key = "docker.socket", .mode = 0646, .data_root_mounted = -2,
	 .want = {"CIS 3.4 "}},
	{"3.5", .file_key = "etc-docker", .owner = "alice", KEEP, .want = {"CIS 3.5 "}},
	{"3.6", .file_key = "etc-docker", .mode = 0775, .data_root_mounted = -2,
	 .want = {"CIS 3.6 "}},
	{"3.7", .file_key = "certs.d", .owner = "alice", KEEP, .want = {"CIS 3.7 "}},
	{"3.8", .file_key = "certs.d", .mode = 0644, .data_root_mounted = -2, .want = {"CIS 3.8 "}},
	{"3.9", .file_key = "tlscacert", .group = "staff", KEEP, .want = {"CIS 3.9 "}},
	{"3.10", .file_key = "tlscacert", .mode = 0644, .data_root_mounted = -2,
	 .want = {"CIS 3.10 "}},
	{"3.11", .file_key = "tlscert", .owner = "alice", KEEP, .want = {"CIS 3.11 "}},
	{"3.12", .file_key = "tlscert", .mode = 0640, .data_root_mounted = -2,
	 .want = {"CIS 3.12 "}},
	{"3.13", .file_key = "tlskey", .owner = "alice", KEEP, .want = {"CIS 3.13 "}},
	{"3.14", .file_key = "tlskey", .mode = 0440, .data_root_mounted = -2,
	 .want = {"CIS 3.14 "}},
	{"3.15", .file_key = "docker.sock", .group = "users", KEEP, .want = {"CIS 3.15 "}},
	{"3.15 root group", .file_key = "docker.sock", .group = "root", KEEP, .want = {NULL}},
	{"3.16", .file_key = "docker.sock", .mode = 0666, .data_root_mounted = -2,
	 .want = {"CIS 3.16 "}},
	{"3.17", .file_key = "daemon.json", .owner = "alice", KEEP, .want = {"CIS 3.17 "}},
	{"3.18", .file_key = "daemon.json", .mode = 0666, .data_root_mounted = -2,
	 .want = {"CIS 3.18 "}},
	{"3.18 not applicable", .file_key = "daemon.json", .mode = -2, .data_root_mounted = -2,
	 .want = {NULL}},
	{"3.19", .file_key = "etc-default-docker", .owner = "alice", KEEP, .want = {"CIS 3.19 "}},
	{"3.20", .file_key = "etc-default-docker", .mode = 0755, .data_root_mounted = -2,
	 .want = {"CIS 3.20 "}},
	{"3.21", .file_key = "etc-sysconfig-docker", .owner = "alice", KEEP, .want = {"CIS 3.21 "}},
	{"3.22", .file_key = "etc-sysconfig-docker", .mode = 0666, .data_root_mounted = -2,
	 .want = {"CIS 3.22 "}},
	{"3.23", .file_key = "containerd.sock", .group = "docker", KEEP, .want = {"CIS 3.23 "}},
	{"3.24", .file_key = "containerd.sock", .mode = 0666, .data_root_mounted = -2,
	 .want = {"CIS 3.24 "}},
	{"runc CVE-2024-21626", KEEP, .runc = "1.1.11",
	 .want = {"Runtime version with a known escape - runc CVE-2024-21626",
		  "Runtime version with a known escape - runc CVE-2025-31133"}},
	{"runc CVE-2025-31133", KEEP, .runc = "1.3.2",
	 .want = {"Runtime version with a known escape - runc CVE-2025-31133"}},
	{"runc fixed", KEEP, .runc = "1.2.8", .want = {NULL}},
	{"engine CVE-2019-5736", KEEP, .engine = "18.09.1",
	 .want = {"Runtime version with a known escape - engine CVE-2019-5736",
		  "Runtime version with a known escape - engine CVE-2019-13139",
		  "Authorization plugin on an engine with an AuthZ bypass - CVE-2024-41110",
		  "Authorization plugin on an engine with an AuthZ bypass - CVE-2026-34040"}},
	{"engine authz CVE-2026-34040", KEEP, .engine = "28.0.0",
	 .want = {"Authorization plugin on an engine with an AuthZ bypass - CVE-2026-34040"}},
	{"engine old without authz", .patch = "{\"authorization-plugins\": null}", KEEP,
	 .engine = "27.0.0", .want = {"CIS 2.12 "}},
	{"containerd CVE-2020-15257", KEEP, .containerd = "1.4.2",
	 .want = {"Runtime version with a known escape - containerd CVE-2020-15257",
		  "Runtime version with a known escape - containerd CVE-2022-23648"}},
	{"containerd CVE-2022-23648", KEEP, .containerd = "1.5.9",
	 .want = {"Runtime version with a known escape - containerd CVE-2022-23648"}},
	{"unauthenticated listener", .patch = "{\"hosts\": [\"tcp://127.0.0.1:2375\"]}", KEEP,
	 .unauth_listener = true,
	 .want = {"CIS 2.7 ", "Docker API answers unauthenticated on TCP"}},
	{"metrics addr", .patch = "{\"metrics-addr\": \"0.0.0.0:9323\"}", KEEP,
	 .want = {"Daemon metrics endpoint not on loopback"}},
	{"metrics addr loopback", .patch = "{\"metrics-addr\": \"127.0.0.1:9323\"}", KEEP,
	 .want = {NULL}},
};

TEST(host_rules)
{
	const struct vg_ruleset *r = ruleset();
	struct vg_audit_options o = {.today = 20000};

	for (size_t i = 0; i < VG_ARRAY_SIZE(hcases); i++) {
		const struct hcase *c = &hcases[i];
		struct vg_host h;
		struct vg_audit_report rep;

		build_host(&h, c);
		vg_audit_report_init(&rep, "host");
		ASSERT_OK(vg_audit_host(r, &h, &o, &rep));
		ASSERT_EQ(rep.objects.len, 1u);
		expect(&rep, c->name, c->want);
		vg_audit_report_done(&rep);
		vg_host_done(&h);
	}
}

TEST(host_invalid_config_and_not_applicable)
{
	const struct vg_ruleset *r = ruleset();
	struct vg_audit_options o = {.today = 20000, .benchmark = "cis-docker"};
	struct vg_host h;
	struct vg_audit_report rep;

	/* nothing of an engine: no object, only not-applicable inputs */
	vg_host_init(&h);
	vg_audit_report_init(&rep, "host");
	ASSERT_OK(vg_audit_host(r, &h, &o, &rep));
	ASSERT_EQ(rep.objects.len, 0u);
	ASSERT_EQ(rep.findings.len, 0u);
	ASSERT_EQ(rep.files.len, 3u);
	vg_vec_for_each(const struct vg_audit_file, f, &rep.files)
		ASSERT_EQ(f->status, VG_AUDIT_FILE_NOT_APPLICABLE);
	vg_audit_report_done(&rep);
	vg_host_done(&h);

	/* the benchmark selects the CIS rules only */
	build_host(&h, &hcases[0]);
	h.daemon_json_error = "'icc' must be true or false";
	vg_audit_report_init(&rep, "host");
	ASSERT_OK(vg_audit_host(r, &h, &o, &rep));
	ASSERT_EQ(rep.findings.len, 0u);
	vg_vec_for_each(const struct vg_audit_control, c, &rep.controls)
		ASSERT_TRUE(strncmp(c->id, "CIS ", 4) == 0 || strncmp(c->id, "Dangerous", 9) == 0);
	vg_audit_report_done(&rep);
	o.benchmark = NULL;
	vg_audit_report_init(&rep, "host");
	ASSERT_OK(vg_audit_host(r, &h, &o, &rep));
	expect(&rep, "invalid daemon.json",
	       (const char *const[]){"Daemon configuration invalid", NULL});
	vg_audit_report_done(&rep);
	vg_host_done(&h);
}

/* ---- containers -------------------------------------------------------------------------- */

static const char compliant_ctr[] =
	"{\"Id\": \"0123456789abcdef\", \"Name\": \"/web\", \"AppArmorProfile\": \"docker-default\","
	" \"Config\": {\"Image\": \"busybox\", \"User\": \"1000:1000\","
	"   \"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}},"
	" \"State\": {\"Running\": false, \"Pid\": 0},"
	" \"Mounts\": [{\"Type\": \"volume\", \"Source\": \"/var/lib/docker/volumes/v/_data\","
	"   \"Destination\": \"/data\", \"RW\": true, \"Propagation\": \"\"}],"
	" \"HostConfig\": {\"Privileged\": false, \"CapDrop\": [\"ALL\"],"
	"   \"CapAdd\": [\"NET_BIND_SERVICE\"],"
	"   \"SecurityOpt\": [\"no-new-privileges\"], \"ReadonlyRootfs\": true,"
	"   \"Memory\": 536870912, \"NanoCpus\": 1000000000, \"PidsLimit\": 100,"
	"   \"RestartPolicy\": {\"Name\": \"on-failure\", \"MaximumRetryCount\": 3},"
	"   \"PortBindings\": {\"80/tcp\": [{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8080\"}]},"
	"   \"NetworkMode\": \"bridge\", \"PidMode\": \"\", \"IpcMode\": \"private\","
	"   \"UTSMode\": \"\", \"UsernsMode\": \"\", \"CgroupnsMode\": \"private\","
	"   \"CgroupParent\": \"\", \"Devices\": [],"
	"   \"MaskedPaths\": [\"/proc/kcore\"], \"ReadonlyPaths\": [\"/proc/sys\"]}}";

struct ccase {
	const char *name;
	const char *hostconfig; /* merged into HostConfig */
	const char *top; /* merged into the object (Config, Mounts, ...) */
	const char *want[10];
};

static const char *const all_priv[] = {"CIS 5.5 ",
				       "CIS 5.2 ",
				       "CIS 5.22 ",
				       "Dangerous capabilities",
				       "Masked /proc and /sys paths cleared",
				       NULL};

static const struct ccase ccases[] = {
	{"compliant", .want = {NULL}},
	{"4.1 root",
	 .top = "{\"Config\": {\"Image\": \"b\", \"User\": \"\", \"Healthcheck\":"
		" {\"Test\": [\"CMD\", \"true\"]}}}",
	 .want = {"CIS 4.1 "}},
	{"4.1 0:0",
	 .top = "{\"Config\": {\"Image\": \"b\", \"User\": \"0:0\", \"Healthcheck\":"
		" {\"Test\": [\"CMD\", \"true\"]}}}",
	 .want = {"CIS 4.1 "}},
	{"5.2 apparmor",
	 .hostconfig = "{\"SecurityOpt\": [\"no-new-privileges\","
		       " \"apparmor=unconfined\"]}",
	 .want = {"CIS 5.2 "}},
	{"5.3 selinux",
	 .hostconfig = "{\"SecurityOpt\": [\"no-new-privileges\","
		       " \"label=disable\"]}",
	 .want = {"CIS 5.3 "}},
	{"5.4 caps", .hostconfig = "{\"CapAdd\": [\"NET_BIND_SERVICE\", \"cap_net_admin\"]}",
	 .want = {"CIS 5.4 ", "Dangerous capabilities"}},
	{"5.4 non-default cap", .hostconfig = "{\"CapAdd\": [\"SYSLOG\"]}", .want = {"CIS 5.4 "}},
	{"5.4 SYS_ADMIN", .hostconfig = "{\"CapAdd\": [\"SYS_ADMIN\"]}",
	 .want = {"CIS 5.4 ", "Dangerous capabilities"}},
	{"5.5 privileged", .hostconfig = "{\"Privileged\": true}",
	 .want = {"CIS 5.5 ", "CIS 5.2 ", "CIS 5.22 ", "Dangerous capabilities",
		  "Masked /proc and /sys paths cleared"}},
	{"5.5 privileged with explicit seccomp",
	 .hostconfig = "{\"Privileged\": true, \"SecurityOpt\": [\"no-new-privileges\","
		       " \"seccomp=/p.json\"]}",
	 .want = {"CIS 5.5 ", "CIS 5.2 ", "Dangerous capabilities",
		  "Masked /proc and /sys paths cleared"}},
	{"5.6 / rw",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/\", \"Destination\":"
		" \"/host\", \"RW\": true}]}",
	 .want = {"CIS 5.6 - sensitive host directory mounted read-write"}},
	{"5.6 /etc/shadow ro",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\":"
		" \"/etc/shadow\", \"Destination\": \"/s\", \"RW\": false}]}",
	 .want = {"CIS 5.6 - sensitive host directory mounted read-only"}},
	{"5.6 /etcx is not /etc",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/etcx\","
		" \"Destination\": \"/s\", \"RW\": true}]}",
	 .want = {NULL}},
	{"5.8 low port",
	 .hostconfig = "{\"PortBindings\": {\"80/tcp\": [{\"HostIp\":"
		       " \"127.0.0.1\", \"HostPort\": \"80\"}]}}",
	 .want = {"CIS 5.8 "}},
	{"5.10 host net", .hostconfig = "{\"NetworkMode\": \"host\"}", .want = {"CIS 5.10 "}},
	{"5.11 memory", .hostconfig = "{\"Memory\": 0}", .want = {"CIS 5.11 "}},
	{"5.12 cpu", .hostconfig = "{\"NanoCpus\": 0}", .want = {"CIS 5.12 "}},
	{"5.12 cpu shares suffice", .hostconfig = "{\"NanoCpus\": 0, \"CpuShares\": 512}",
	 .want = {NULL}},
	{"5.13 rw rootfs", .hostconfig = "{\"ReadonlyRootfs\": false}", .want = {"CIS 5.13 "}},
	{"5.14 0.0.0.0",
	 .hostconfig = "{\"PortBindings\": {\"80/tcp\": [{\"HostIp\":"
		       " \"0.0.0.0\", \"HostPort\": \"8080\"}]}}",
	 .want = {"CIS 5.14 "}},
	{"5.14 ::",
	 .hostconfig = "{\"PortBindings\": {\"80/tcp\": [{\"HostIp\": \"::\","
		       " \"HostPort\": \"8080\"}]}}",
	 .want = {"CIS 5.14 "}},
	{"5.14 empty",
	 .hostconfig = "{\"PortBindings\": {\"80/tcp\": [{\"HostIp\": \"\","
		       " \"HostPort\": \"\"}]}}",
	 .want = {"CIS 5.14 "}},
	{"5.15 restart",
	 .hostconfig = "{\"RestartPolicy\": {\"Name\": \"on-failure\","
		       " \"MaximumRetryCount\": 10}}",
	 .want = {"CIS 5.15 "}},
	{"5.16 pid host", .hostconfig = "{\"PidMode\": \"host\"}", .want = {"CIS 5.16 "}},
	{"5.17 ipc host", .hostconfig = "{\"IpcMode\": \"host\"}", .want = {"CIS 5.17 "}},
	{"5.18 devices",
	 .hostconfig = "{\"Devices\": [{\"PathOnHost\": \"/dev/kvm\","
		       " \"PathInContainer\": \"/dev/kvm\","
		       " \"CgroupPermissions\": \"rwm\"}]}",
	 .want = {"CIS 5.18 "}},
	{"5.18 cgroup rules", .hostconfig = "{\"DeviceCgroupRules\": [\"c 1:3 mr\"]}",
	 .want = {"CIS 5.18 "}},
	{"5.20 propagation",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/srv/x\","
		" \"Destination\": \"/x\", \"RW\": true,"
		" \"Propagation\": \"rshared\"}]}",
	 .want = {"CIS 5.20 "}},
	{"5.21 uts host", .hostconfig = "{\"UTSMode\": \"host\"}", .want = {"CIS 5.21 "}},
	{"5.22 seccomp",
	 .hostconfig = "{\"SecurityOpt\": [\"no-new-privileges\","
		       " \"seccomp=unconfined\"]}",
	 .want = {"CIS 5.22 "}},
	{"5.22 seccomp colon",
	 .hostconfig = "{\"SecurityOpt\": [\"no-new-privileges\","
		       " \"seccomp:unconfined\"]}",
	 .want = {"CIS 5.22 "}},
	{"5.25 cgroup parent", .hostconfig = "{\"CgroupParent\": \"/custom\"}",
	 .want = {"CIS 5.25 "}},
	{"5.26 nnp", .hostconfig = "{\"SecurityOpt\": []}", .want = {"CIS 5.26 "}},
	{"5.26 nnp=false", .hostconfig = "{\"SecurityOpt\": [\"no-new-privileges=false\"]}",
	 .want = {"CIS 5.26 "}},
	{"5.27 healthcheck", .top = "{\"Config\": {\"Image\": \"b\", \"User\": \"1000\"}}",
	 .want = {"CIS 5.27 "}},
	{"5.27 healthcheck NONE",
	 .top = "{\"Config\": {\"Image\": \"b\", \"User\": \"1000\","
		" \"Healthcheck\": {\"Test\": [\"NONE\"]}}}",
	 .want = {"CIS 5.27 "}},
	{"5.29 pids", .hostconfig = "{\"PidsLimit\": null}", .want = {"CIS 5.29 "}},
	{"5.29 pids -1", .hostconfig = "{\"PidsLimit\": -1}", .want = {"CIS 5.29 "}},
	{"5.31 userns host", .hostconfig = "{\"UsernsMode\": \"host\"}", .want = {"CIS 5.31 "}},
	{"5.32 docker.sock",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\":"
		" \"/var/run/docker.sock\", \"Destination\":"
		" \"/var/run/docker.sock\", \"RW\": false}]}",
	 .want = {"CIS 5.32 ", "CIS 5.6 - sensitive host directory mounted read-only"}},
	{"5.32 containerd dir",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\":"
		" \"/run/containerd\", \"Destination\": \"/c\","
		" \"RW\": true}]}",
	 .want = {"CIS 5.32 ", "CIS 5.6 - sensitive host directory mounted read-write"}},
	{"5.32 engine's own socket",
	 .top = "{\"Mounts\": [{\"Type\": \"bind\", \"Source\":"
		" \"/srv/engine/api.sock\", \"Destination\":"
		" \"/var/run/docker.sock\", \"RW\": true}]}",
	 .want = {"CIS 5.32 "}},
	{"cgroupns host", .hostconfig = "{\"CgroupnsMode\": \"host\"}",
	 .want = {"Host cgroup namespace"}},
	{"systempaths",
	 .hostconfig = "{\"SecurityOpt\": [\"no-new-privileges\","
		       " \"systempaths=unconfined\"]}",
	 .want = {"Masked /proc and /sys paths cleared"}},
	{"sysctls",
	 .hostconfig = "{\"Sysctls\": {\"kernel.shm_rmid_forced\": \"1\","
		       " \"net.ipv4.ip_forward\": \"1\"}}",
	 .want = {"Unsafe sysctls"}},
	{"safe sysctls", .hostconfig = "{\"Sysctls\": {\"kernel.shm_rmid_forced\": \"1\"}}",
	 .want = {NULL}},
	{"unhealthy",
	 .top = "{\"State\": {\"Running\": false, \"Health\": {\"Status\":"
		" \"unhealthy\"}}}",
	 .want = {"Unhealthy container"}},
};

static void build_ctr(struct vg_ctr_set *s, const struct ccase *c)
{
	cleanup_json json_t *j = NULL;
	char *text;

	ASSERT_OK(vg_json_parse(compliant_ctr, sizeof(compliant_ctr) - 1, &j, NULL, 0));
	if (c->hostconfig) {
		cleanup_json json_t *p = NULL;

		ASSERT_OK(vg_json_parse(c->hostconfig, strlen(c->hostconfig), &p, NULL, 0));
		ASSERT_EQ(json_object_update(json_object_get(j, "HostConfig"), p), 0);
	}
	if (c->top) {
		cleanup_json json_t *p = NULL;

		ASSERT_OK(vg_json_parse(c->top, strlen(c->top), &p, NULL, 0));
		ASSERT_EQ(json_object_update(j, p), 0);
	}
	text = json_dumps(j, 0);
	ASSERT_NOT_NULL(text);
	ASSERT_OK(vg_ctr_parse(s, text, strlen(text), NULL, 0, "api"));
	free(text);
}

TEST(container_rules)
{
	const struct vg_ruleset *r = ruleset();
	struct vg_audit_options o = {.today = 20000};

	for (size_t i = 0; i < VG_ARRAY_SIZE(ccases); i++) {
		const struct ccase *c = &ccases[i];
		struct vg_ctr_set s;
		struct vg_audit_report rep;

		vg_ctr_set_init(&s);
		s.dd.apparmor_enabled = true;
		s.dd.extra_sockets[0] = "/srv/engine/api.sock";
		build_ctr(&s, c);
		vg_audit_report_init(&rep, "containers");
		ASSERT_OK(vg_audit_containers(r, &s, &o, &rep));
		ASSERT_EQ(rep.objects.len, 1u);
		expect(&rep, c->name, c->want);
		vg_audit_report_done(&rep);
		vg_ctr_set_done(&s);
	}
}

TEST(container_daemon_defaults)
{
	const struct vg_ruleset *r = ruleset();
	struct vg_audit_options o = {.today = 20000};
	static const struct ccase no_nnp = {"no nnp", .hostconfig = "{\"SecurityOpt\": null}"};
	struct vg_ctr_set s;
	struct vg_audit_report rep;

	/* the daemon's no-new-privileges covers a container that sets nothing */
	vg_ctr_set_init(&s);
	s.dd.apparmor_enabled = true;
	s.dd.no_new_privileges = true;
	build_ctr(&s, &no_nnp);
	vg_audit_report_init(&rep, "containers");
	ASSERT_OK(vg_audit_containers(r, &s, &o, &rep));
	expect(&rep, "daemon nnp", (const char *const[]){NULL});
	vg_audit_report_done(&rep);
	vg_ctr_set_done(&s);

	/* the daemon's unconfined seccomp reaches containers that name none */
	vg_ctr_set_init(&s);
	s.dd.apparmor_enabled = true;
	s.dd.seccomp_profile = "unconfined";
	build_ctr(&s, &ccases[0]);
	vg_audit_report_init(&rep, "containers");
	ASSERT_OK(vg_audit_containers(r, &s, &o, &rep));
	expect(&rep, "daemon seccomp", (const char *const[]){"CIS 5.22 ", NULL});
	vg_audit_report_done(&rep);
	vg_ctr_set_done(&s);

	/* without AppArmor on the host, 5.2 does not apply even to a privileged container */
	vg_ctr_set_init(&s);
	build_ctr(&s, &ccases[8]);
	vg_audit_report_init(&rep, "containers");
	ASSERT_OK(vg_audit_containers(r, &s, &o, &rep));
	expect(&rep, "no apparmor",
	       (const char *const[]){"CIS 5.5 ", "CIS 5.22 ", "Dangerous capabilities",
				     "Masked /proc and /sys paths cleared", NULL});
	vg_audit_report_done(&rep);
	vg_ctr_set_done(&s);
	(void)all_priv;
}

TEST(container_parse)
{
	static const char cfg[] =
		"{\"ID\": \"abc123\", \"Name\": \"/old\", \"Config\": {\"Image\": \"alpine\","
		" \"User\": \"\"}, \"State\": {\"Running\": true, \"Pid\": 4321},"
		" \"MountPoints\": {\"/host\": {\"Source\": \"/\", \"Destination\": \"/host\","
		" \"RW\": true, \"Type\": \"bind\", \"Propagation\": \"rprivate\"}}}";
	static const char hc[] = "{\"Privileged\": false, \"CapAdd\": [\"SYS_ADMIN\"],"
				 " \"PortBindings\": {\"22/tcp\": [{\"HostIp\": \"\","
				 " \"HostPort\": \"2222\"}]}, \"PidsLimit\": null}";
	struct vg_ctr_set s;
	const struct vg_ctr *c;

	vg_ctr_set_init(&s);
	ASSERT_OK(vg_ctr_parse(&s, cfg, sizeof(cfg) - 1, hc, sizeof(hc) - 1, "/x/config.v2.json"));
	c = vg_ctr_at(&s, 0);
	ASSERT_STREQ(c->id, "abc123");
	ASSERT_STREQ(c->name, "old");
	ASSERT_TRUE(c->running);
	ASSERT_EQ(c->pid, 4321u);
	ASSERT_EQ(c->n_mounts, 1u);
	ASSERT_STREQ(c->mounts[0].source, "/");
	ASSERT_STREQ(c->mounts[0].destination, "/host");
	ASSERT_EQ(c->n_ports, 1u);
	ASSERT_EQ(c->ports[0].host_port, 2222u);
	ASSERT_FALSE(c->has_pids_limit);
	ASSERT_STREQ(c->seccomp, "default");
	/* hostile or wrong types */
	ASSERT_ERR(vg_ctr_parse(&s, "{\"Id\": \"x\", \"HostConfig\": {\"Privileged\": \"yes\"}}",
				48, NULL, 0, "api"),
		   -EBADMSG);
	ASSERT_ERR(vg_ctr_parse(&s, "{\"Id\": \"x\"}", 11, NULL, 0, "api"), -EBADMSG);
	ASSERT_ERR(vg_ctr_parse(&s, "{\"HostConfig\": {}}", 18, NULL, 0, "api"), -EBADMSG);
	ASSERT_ERR(vg_ctr_parse(&s,
				"{\"Id\": \"x\", \"HostConfig\": {\"PortBindings\": {\"1/tcp\":"
				" [{\"HostPort\": \"99999\"}]}}}",
				75, NULL, 0, "api"),
		   -EBADMSG);
	ASSERT_ERR(vg_ctr_parse(&s, "{\"Id\": \"x\", \"HostConfig\": {\"CapAdd\": [1]}}", 42, NULL,
				0, "api"),
		   -EBADMSG);
	ASSERT_EQ(vg_ctr_count(&s), 1u);
	vg_ctr_set_done(&s);
}

TEST(container_collect_data_root)
{
	char base[] = "/tmp/vigil-test-ctr-XXXXXX", path[512], cmd[600];
	struct vg_ctr_set s;
	struct vg_ctr_opts o = {
		.use_api = true, .socket = "/nonexistent/docker.sock", .timeout_ms = 500};
	FILE *f;

	ASSERT_NOT_NULL(mkdtemp(base));
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/abc", base);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	ASSERT_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/abc/config.v2.json", base);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	fputs("{\"ID\": \"abc\", \"Name\": \"/x\", \"Config\": {\"User\": \"\"}}", f);
	ASSERT_EQ(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/abc/hostconfig.json", base);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	fputs("{\"Privileged\": true}", f);
	ASSERT_EQ(fclose(f), 0);
	o.root = base;
	vg_ctr_set_init(&s);
	ASSERT_OK(vg_ctr_collect(&s, &o));
	ASSERT_STREQ(s.source, "data-root");
	ASSERT_EQ(vg_ctr_count(&s), 1u);
	ASSERT_TRUE(vg_ctr_at(&s, 0)->privileged);
	ASSERT_STREQ(vg_ctr_at(&s, 0)->seccomp, "unconfined");
	ASSERT_STREQ(vg_ctr_at(&s, 0)->origin, "/var/lib/docker/containers/abc/config.v2.json");
	vg_ctr_set_done(&s);
	/* neither an API nor a data root: nothing to audit */
	o.root = "/nonexistent-root";
	vg_ctr_set_init(&s);
	ASSERT_ERR(vg_ctr_collect(&s, &o), -ENOENT);
	vg_ctr_set_done(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ASSERT_EQ(system(cmd), 0);
}

/* An OCI bundle of a runc container (no Docker): state.json's bundle label, config.json. */
TEST(container_oci_bundle)
{
	static const char state[] = "{\"id\": \"plain1\", \"init_process_pid\": 0, \"config\":"
				    " {\"labels\": [\"bundle=/srv/bundles/plain1\"]}}";
	static const char config[] =
		"{\"ociVersion\": \"1.0.2\", \"process\": {\"user\": {\"uid\": 0, \"gid\": 0},"
		" \"noNewPrivileges\": false, \"capabilities\": {\"bounding\": [\"CAP_CHOWN\","
		" \"CAP_SYS_ADMIN\", \"CAP_NET_RAW\"]}}, \"root\": {\"path\": \"rootfs\","
		" \"readonly\": false},"
		" \"mounts\": [{\"destination\": \"/host\", \"type\": \"none\", \"source\": \"/\","
		" \"options\": [\"rbind\", \"rw\", \"rshared\"]}, {\"destination\": \"/proc\","
		" \"type\": \"proc\", \"source\": \"proc\"}],"
		" \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\"},"
		" {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"cgroup\"}],"
		" \"resources\": {\"memory\": {\"limit\": 1048576}, \"pids\": {\"limit\": 10},"
		" \"cpu\": {\"shares\": 100}},"
		" \"maskedPaths\": [\"/proc/kcore\"]}}";
	char base[] = "/tmp/vigil-test-oci-XXXXXX", path[512], cmd[600];
	const struct vg_ruleset *r = ruleset();
	struct vg_audit_options ao = {.today = 20000};
	struct vg_ctr_opts o = {.timeout_ms = 500};
	struct vg_audit_report rep;
	struct vg_ctr_set s;
	const struct vg_ctr *c;
	FILE *f;

	ASSERT_NOT_NULL(mkdtemp(base));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/run/runc/plain1' '%s/srv/bundles/plain1'", base,
		 base);
	ASSERT_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/run/runc/plain1/state.json", base);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	fputs(state, f);
	ASSERT_EQ(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/srv/bundles/plain1/config.json", base);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	fputs(config, f);
	ASSERT_EQ(fclose(f), 0);
	o.root = base;
	vg_ctr_set_init(&s);
	s.dd.apparmor_enabled = true;
	ASSERT_OK(vg_ctr_collect(&s, &o));
	ASSERT_EQ(vg_ctr_count(&s), 1u);
	c = vg_ctr_at(&s, 0);
	ASSERT_STREQ(c->id, "plain1");
	ASSERT_STREQ(c->origin, "/srv/bundles/plain1/config.json");
	ASSERT_STREQ(c->pid_mode, "host");
	ASSERT_STREQ(c->network_mode, "private");
	ASSERT_STREQ(c->seccomp, "unconfined");
	ASSERT_STREQ(c->apparmor, "unconfined");
	ASSERT_EQ(c->n_mounts, 2u);
	ASSERT_STREQ(c->mounts[0].type, "bind");
	vg_audit_report_init(&rep, "containers");
	ASSERT_OK(vg_audit_containers(r, &s, &ao, &rep));
	expect(&rep, "oci bundle",
	       (const char *const[]){"CIS 4.1 ", "CIS 5.2 ", "CIS 5.4 ", "Dangerous capabilities",
				     "CIS 5.6 - sensitive host directory mounted read-write",
				     "CIS 5.13 ", "CIS 5.16 ", "CIS 5.20 ", "CIS 5.22 ",
				     "CIS 5.26 ", "CIS 5.27 ", NULL});
	vg_audit_report_done(&rep);
	vg_ctr_set_done(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ASSERT_EQ(system(cmd), 0);
}
