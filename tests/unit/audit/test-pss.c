/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Pod Security Standards rules (rules/audit/pss.yaml, built into the binary) evaluated
 * over manifests. Every control has manifests that pass and manifests that fail; the expected
 * results are written from the PSS definitions (kubernetes/pod-security-admission,
 * policy/check_*.go), as the exact set of failed controls of the object.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/k8s.h"
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
	ASSERT_EQ(vg_k8s_sources_register(), 0);
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	r = vg_audit_load_builtin(&coll, &d);
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

/* A Pod that passes the restricted level, with knobs: NULL keeps the compliant value, ""
 * leaves the key out, anything else replaces it; the *_extra strings are added lines. */
struct m {
	const char *annotations; /* flow mapping body */
	const char *spec; /* lines at spec level (2 spaces) */
	const char *non_root; /* pod runAsNonRoot */
	const char *seccomp; /* pod seccompProfile.type */
	const char *pod_sc; /* lines in the pod securityContext (4 spaces) */
	const char *ctr; /* lines in the container (4 spaces) */
	const char *ape; /* allowPrivilegeEscalation */
	const char *caps; /* capabilities value */
	const char *ctr_sc; /* lines in the container securityContext (6 spaces) */
	const char *more; /* more containers, as list items at 2 spaces */
};

static char manifest[16384];

static const char *build(const struct m *m)
{
	int k = 0;

#define PUT(...) k += snprintf(manifest + k, sizeof(manifest) - (size_t)k, __VA_ARGS__)
	PUT("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
	if (m->annotations)
		PUT("  annotations: {%s}\n", m->annotations);
	PUT("spec:\n%s", m->spec ? m->spec : "");
	PUT("  securityContext:\n");
	if (!m->non_root || *m->non_root)
		PUT("    runAsNonRoot: %s\n", m->non_root ? m->non_root : "true");
	if (!m->seccomp || *m->seccomp)
		PUT("    seccompProfile: {type: %s}\n", m->seccomp ? m->seccomp : "RuntimeDefault");
	PUT("%s", m->pod_sc ? m->pod_sc : "");
	PUT("  containers:\n  - name: app\n    image: nginx\n%s", m->ctr ? m->ctr : "");
	PUT("    securityContext:\n");
	if (!m->ape || *m->ape)
		PUT("      allowPrivilegeEscalation: %s\n", m->ape ? m->ape : "false");
	if (!m->caps || *m->caps)
		PUT("      capabilities: %s\n", m->caps ? m->caps : "{drop: [ALL]}");
	PUT("%s", m->ctr_sc ? m->ctr_sc : "");
	PUT("%s", m->more ? m->more : "");
#undef PUT
	ASSERT_LT((size_t)k, sizeof(manifest));
	return manifest;
}

static char result[4096];

/*
 * The failed controls of the single object of yaml under benchmark, sorted, joined by ",";
 * with_containers adds "@container" (or "@pod") for each finding instead.
 */
static const char *audit_ex(const char *yaml, const char *bench, bool with_containers,
			    size_t *ret_controls)
{
	struct vg_k8s_set set;
	struct vg_audit_report rep;
	struct vg_audit_options o = {.benchmark = bench};
	char err[1024];
	char *items[256];
	size_t n = 0, k = 0;
	const struct vg_audit_object *obj;

	vg_k8s_set_init(&set);
	vg_audit_report_init(&rep, "k8s");
	if (vg_k8s_parse(&set, yaml, strlen(yaml), "t.yaml", err, sizeof(err)) < 0) {
		tap_diag("parse error: %s\n%s\n", err, yaml);
		ASSERT_TRUE(false);
	}
	ASSERT_EQ(vg_k8s_count(&set), 1u);
	ASSERT_EQ(vg_audit_k8s(ruleset(), &set, &o, &rep), 0);
	obj = vg_vec_at(&rep.objects, 0);
	if (ret_controls)
		*ret_controls = rep.controls.len;
	vg_vec_for_each(const struct vg_audit_finding, f, &rep.findings) {
		char buf[256];
		bool dup = false;

		if (f->suppressed_by)
			continue;
		if (with_containers)
			snprintf(buf, sizeof(buf), "%s@%s", f->control,
				 f->container ? f->container : "pod");
		else
			snprintf(buf, sizeof(buf), "%s", f->control);
		for (size_t i = 0; i < n; i++)
			dup |= strcmp(items[i], buf) == 0;
		if (!dup && n < 256)
			items[n++] = strdup(buf);
	}
	/* the score agrees with the findings */
	if (!with_containers)
		ASSERT_EQ(obj->n_failed, n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(items[i], items[j]) > 0) {
				char *t = items[i];

				items[i] = items[j];
				items[j] = t;
			}
	result[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		k += (size_t)snprintf(result + k, sizeof(result) - k, "%s%s", i ? "," : "",
				      items[i]);
		free(items[i]);
	}
	vg_audit_report_done(&rep);
	vg_k8s_set_done(&set);
	return result;
}

static const char *fails(const struct m *m, const char *bench)
{
	return audit_ex(build(m), bench, false, NULL);
}

#define BASE  "pss-baseline"
#define RESTR "pss-restricted"

TEST(compliant_pod_passes_every_control)
{
	struct m m = {0};
	size_t n;

	ASSERT_STREQ(audit_ex(build(&m), RESTR, false, &n), "");
	/* 19 controls, 4 baseline ones replaced by their restricted versions */
	ASSERT_EQ(n, 15u);
	ASSERT_STREQ(audit_ex(build(&m), BASE, false, &n), "");
	ASSERT_EQ(n, 12u);
	ASSERT_STREQ(audit_ex(build(&m), NULL, false, &n), "");
	ASSERT_EQ(n, 15u);
}

TEST(baseline_pod_without_any_setting)
{
	/* Baseline treats absent as safe; restricted requires explicit values. */
	const char *bare = "apiVersion: v1\nkind: Pod\nmetadata: {name: bare}\n"
			   "spec:\n  containers:\n  - name: app\n    image: nginx\n";

	ASSERT_STREQ(audit_ex(bare, BASE, false, NULL), "");
	ASSERT_STREQ(audit_ex(bare, RESTR, false, NULL),
		     "allowPrivilegeEscalation,capabilities_restricted,runAsNonRoot,"
		     "seccompProfile_restricted");
}

TEST(windowsHostProcess)
{
	ASSERT_STREQ(
		fails(&(struct m){.pod_sc = "    windowsOptions: {hostProcess: true}\n"}, BASE),
		"windowsHostProcess");
	ASSERT_STREQ(
		fails(&(struct m){.ctr_sc = "      windowsOptions: {hostProcess: true}\n"}, BASE),
		"windowsHostProcess");
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    windowsOptions: {hostProcess: false}\n",
				       .ctr_sc = "      windowsOptions: {hostProcess: false}\n"},
			   RESTR),
		     "");
	/* pod-level true fails even when the container sets false */
	ASSERT_STREQ(audit_ex(build(&(struct m){
				      .pod_sc = "    windowsOptions: {hostProcess: true}\n",
				      .ctr_sc = "      windowsOptions: {hostProcess: false}\n"}),
			      BASE, true, NULL),
		     "windowsHostProcess@pod");
}

TEST(hostNamespaces)
{
	ASSERT_STREQ(fails(&(struct m){.spec = "  hostNetwork: true\n"}, BASE), "hostNamespaces");
	ASSERT_STREQ(fails(&(struct m){.spec = "  hostPID: true\n"}, BASE), "hostNamespaces");
	ASSERT_STREQ(fails(&(struct m){.spec = "  hostIPC: true\n"}, BASE), "hostNamespaces");
	ASSERT_STREQ(fails(&(struct m){.spec = "  hostNetwork: false\n  hostPID: false\n"
					       "  hostIPC: false\n"},
			   RESTR),
		     "");
}

TEST(privileged)
{
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      privileged: true\n"}, BASE), "privileged");
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      privileged: false\n"}, RESTR), "");
	/* init and ephemeral containers are checked too, and named */
	ASSERT_STREQ(
		audit_ex(build(&(struct m){.more = "  initContainers:\n  - name: setup\n"
						   "    securityContext: {privileged: true}\n"}),
			 BASE, true, NULL),
		"privileged@setup");
	ASSERT_STREQ(
		audit_ex(build(&(struct m){.more = "  ephemeralContainers:\n  - name: debug\n"
						   "    securityContext: {privileged: true}\n"}),
			 BASE, true, NULL),
		"privileged@debug");
}

TEST(capabilities_baseline)
{
	ASSERT_STREQ(fails(&(struct m){.caps = "{add: [NET_RAW]}"}, BASE), "capabilities_baseline");
	ASSERT_STREQ(fails(&(struct m){.caps = "{add: [SYS_ADMIN, CHOWN]}"}, BASE),
		     "capabilities_baseline");
	ASSERT_STREQ(fails(&(struct m){.caps = "{add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, "
					       "FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, "
					       "SETGID, SETPCAP, SETUID, SYS_CHROOT]}"},
			   BASE),
		     "");
	ASSERT_STREQ(fails(&(struct m){.caps = "{add: []}"}, BASE), "");
	/* under restricted, capabilities_restricted replaces it */
	ASSERT_STREQ(fails(&(struct m){.caps = "{drop: [ALL], add: [NET_RAW]}"}, RESTR),
		     "capabilities_restricted");
}

TEST(hostPathVolumes)
{
	ASSERT_STREQ(fails(&(struct m){.spec = "  volumes:\n  - name: h\n"
					       "    hostPath: {path: /etc}\n"},
			   BASE),
		     "hostPathVolumes");
	ASSERT_STREQ(fails(&(struct m){.spec = "  volumes:\n  - {name: e, emptyDir: {}}\n"}, BASE),
		     "");
	/* under restricted, restrictedVolumes replaces it */
	ASSERT_STREQ(fails(&(struct m){.spec = "  volumes:\n  - name: h\n"
					       "    hostPath: {path: /etc}\n"},
			   RESTR),
		     "restrictedVolumes");
}

TEST(hostPorts)
{
	ASSERT_STREQ(fails(&(struct m){.ctr = "    ports: [{containerPort: 80, hostPort: 8080}]\n"},
			   BASE),
		     "hostPorts");
	ASSERT_STREQ(fails(&(struct m){.ctr = "    ports: [{containerPort: 80, hostPort: 0}, "
					      "{containerPort: 81}]\n"},
			   RESTR),
		     "");
}

TEST(appArmorProfile)
{
	const char *ann = "container.apparmor.security.beta.kubernetes.io/";
	char a[256];

	ASSERT_STREQ(
		fails(&(struct m){.pod_sc = "    appArmorProfile: {type: Unconfined}\n"}, BASE),
		"appArmorProfile");
	ASSERT_STREQ(
		fails(&(struct m){.ctr_sc = "      appArmorProfile: {type: Unconfined}\n"}, BASE),
		"appArmorProfile");
	snprintf(a, sizeof(a), "%sapp: unconfined", ann);
	ASSERT_STREQ(fails(&(struct m){.annotations = a}, BASE), "appArmorProfile");
	/* any container annotation counts, even for a container the pod does not have */
	snprintf(a, sizeof(a), "%sghost: unconfined", ann);
	ASSERT_STREQ(fails(&(struct m){.annotations = a}, BASE), "appArmorProfile");
	snprintf(a, sizeof(a), "%sapp: something/else", ann);
	ASSERT_STREQ(fails(&(struct m){.annotations = a}, BASE), "appArmorProfile");
	/* allowed */
	snprintf(a, sizeof(a), "%sapp: runtime/default, %sb: localhost/prof, %sc: ''", ann, ann,
		 ann);
	ASSERT_STREQ(fails(&(struct m){.annotations = a}, RESTR), "");
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    appArmorProfile: {type: RuntimeDefault}\n",
				       .ctr_sc = "      appArmorProfile: {type: Localhost, "
						 "localhostProfile: p}\n"},
			   RESTR),
		     "");
	/* named: the container's own field */
	ASSERT_STREQ(audit_ex(build(&(struct m){.ctr_sc = "      appArmorProfile: {type: "
							  "Unconfined}\n"}),
			      BASE, true, NULL),
		     "appArmorProfile@app");
}

TEST(seLinuxOptions)
{
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    seLinuxOptions: {type: spc_t}\n"}, BASE),
		     "seLinuxOptions");
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      seLinuxOptions: {user: system_u}\n"}, BASE),
		     "seLinuxOptions");
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      seLinuxOptions: {role: system_r}\n"}, BASE),
		     "seLinuxOptions");
	ASSERT_STREQ(
		fails(&(struct m){.pod_sc = "    seLinuxOptions: {type: container_t, "
					    "level: 's0:c123,c456'}\n",
				  .ctr_sc = "      seLinuxOptions: {type: container_init_t}\n"},
		      RESTR),
		"");
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    seLinuxOptions: {type: container_kvm_t, "
						 "user: '', role: ''}\n"},
			   RESTR),
		     "");
	ASSERT_STREQ(
		fails(&(struct m){.ctr_sc = "      seLinuxOptions: {type: container_engine_t}\n"},
		      RESTR),
		"");
}

TEST(procMount)
{
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      procMount: Unmasked\n"}, BASE),
		     "procMount");
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      procMount: Default\n"}, RESTR), "");
	/* baseline allows any procMount in a user namespace; restricted does not */
	ASSERT_STREQ(fails(&(struct m){.spec = "  hostUsers: false\n",
				       .ctr_sc = "      procMount: Unmasked\n"},
			   BASE),
		     "");
	ASSERT_STREQ(fails(&(struct m){.spec = "  hostUsers: false\n",
				       .ctr_sc = "      procMount: Unmasked\n"},
			   RESTR),
		     "procMount_restricted");
	ASSERT_STREQ(fails(&(struct m){.ctr_sc = "      procMount: Unmasked\n"}, RESTR),
		     "procMount_restricted");
}

TEST(seccompProfile_baseline)
{
	ASSERT_STREQ(fails(&(struct m){.seccomp = "Unconfined"}, BASE), "seccompProfile_baseline");
	ASSERT_STREQ(
		fails(&(struct m){.ctr_sc = "      seccompProfile: {type: Unconfined}\n"}, BASE),
		"seccompProfile_baseline");
	/* undefined is fine for baseline */
	ASSERT_STREQ(fails(&(struct m){.seccomp = ""}, BASE), "");
	ASSERT_STREQ(fails(&(struct m){.seccomp = "Localhost"}, BASE), "");
	/* pre-1.19 annotations */
	ASSERT_STREQ(fails(&(struct m){.seccomp = "",
				       .annotations = "seccomp.security.alpha.kubernetes.io/pod: "
						      "unconfined"},
			   BASE),
		     "seccompProfile_baseline");
	ASSERT_STREQ(fails(&(struct m){.seccomp = "",
				       .annotations = "container.seccomp.security.alpha.kubernetes."
						      "io/app: unconfined"},
			   BASE),
		     "seccompProfile_baseline");
	ASSERT_STREQ(fails(&(struct m){.annotations = "seccomp.security.alpha.kubernetes.io/pod: "
						      "docker/default, container.seccomp.security."
						      "alpha.kubernetes.io/app: localhost/x.json"},
			   RESTR),
		     "");
	/* one setting, one finding: a container inheriting the pod's Unconfined is not
	 * reported again */
	ASSERT_STREQ(audit_ex(build(&(struct m){.seccomp = "Unconfined"}), BASE, true, NULL),
		     "seccompProfile_baseline@pod");
}

TEST(sysctls)
{
	ASSERT_STREQ(
		fails(&(struct m){.pod_sc = "    sysctls: [{name: kernel.msgmax, value: '1'}]\n"},
		      BASE),
		"sysctls");
	ASSERT_STREQ(
		fails(&(struct m){.pod_sc = "    sysctls:\n"
					    "    - {name: net.ipv4.tcp_syncookies, value: '1'}\n"
					    "    - {name: net.core.somaxconn, value: '1024'}\n"},
		      BASE),
		"sysctls");
	ASSERT_STREQ(
		fails(&(struct m){.pod_sc =
					  "    sysctls:\n"
					  "    - {name: kernel.shm_rmid_forced, value: '0'}\n"
					  "    - {name: net.ipv4.ip_local_port_range, value: "
					  "'1024 65535'}\n"
					  "    - {name: net.ipv4.ip_unprivileged_port_start, "
					  "value: '0'}\n"
					  "    - {name: net.ipv4.tcp_keepalive_time, value: '7'}\n"
					  "    - {name: net.ipv4.tcp_rmem, value: '4096 87380 "
					  "6291456'}\n"},
		      RESTR),
		"");
}

TEST(hostProbesAndHostLifecycle)
{
	ASSERT_STREQ(
		fails(&(struct m){.ctr = "    livenessProbe: {httpGet: {host: 169.254.169.254, "
					 "port: 80}}\n"},
		      BASE),
		"hostProbesAndHostLifecycle");
	ASSERT_STREQ(fails(&(struct m){.ctr = "    lifecycle: {preStop: {tcpSocket: {host: node, "
					      "port: 22}}}\n"},
			   BASE),
		     "hostProbesAndHostLifecycle");
	ASSERT_STREQ(
		fails(&(struct m){.ctr = "    readinessProbe: {httpGet: {host: '', port: 80}}\n"
					 "    startupProbe: {tcpSocket: {port: 80}}\n"},
		      RESTR),
		"");
}

TEST(restrictedVolumes)
{
	ASSERT_STREQ(
		fails(&(struct m){.spec = "  volumes:\n  - {name: n, nfs: {server: s, path: /}}\n"},
		      RESTR),
		"restrictedVolumes");
	ASSERT_STREQ(
		fails(&(struct m){.spec = "  volumes:\n  - {name: g, gitRepo: {repository: r}}\n"},
		      RESTR),
		"restrictedVolumes");
	/* not a restricted control: baseline does not see it */
	ASSERT_STREQ(
		fails(&(struct m){.spec = "  volumes:\n  - {name: n, nfs: {server: s, path: /}}\n"},
		      BASE),
		"");
	ASSERT_STREQ(
		fails(&(struct m){.spec = "  volumes:\n"
					  "  - {name: a, configMap: {name: c}}\n"
					  "  - {name: b, secret: {secretName: s}}\n"
					  "  - {name: c, emptyDir: {}}\n"
					  "  - {name: d, projected: {sources: []}}\n"
					  "  - {name: e, downwardAPI: {items: []}}\n"
					  "  - {name: f, persistentVolumeClaim: {claimName: x}}\n"
					  "  - {name: g, csi: {driver: d}}\n"
					  "  - {name: h, ephemeral: {volumeClaimTemplate: {}}}\n"
					  "  - {name: i, image: {reference: r}}\n"
					  "  - {name: j}\n"},
		      RESTR),
		"");
}

TEST(allowPrivilegeEscalation)
{
	ASSERT_STREQ(fails(&(struct m){.ape = ""}, RESTR), "allowPrivilegeEscalation");
	ASSERT_STREQ(fails(&(struct m){.ape = "true"}, RESTR), "allowPrivilegeEscalation");
	ASSERT_STREQ(fails(&(struct m){.ape = "true"}, BASE), "");
	/* Windows pods are exempt (1.25), as from seccomp and capabilities */
	ASSERT_STREQ(fails(&(struct m){.spec = "  os: {name: windows}\n",
				       .ape = "",
				       .caps = "",
				       .seccomp = ""},
			   RESTR),
		     "");
	ASSERT_STREQ(fails(&(struct m){.spec = "  os: {name: linux}\n", .ape = ""}, RESTR),
		     "allowPrivilegeEscalation");
}

TEST(runAsNonRoot)
{
	/* neither pod nor container */
	ASSERT_STREQ(fails(&(struct m){.non_root = ""}, RESTR), "runAsNonRoot");
	/* the pod says false: fails even if every container says true */
	ASSERT_STREQ(audit_ex(build(&(struct m){.non_root = "false",
						.ctr_sc = "      runAsNonRoot: true\n"}),
			      RESTR, true, NULL),
		     "runAsNonRoot@pod");
	ASSERT_STREQ(audit_ex(build(&(struct m){.ctr_sc = "      runAsNonRoot: false\n"}), RESTR,
			      true, NULL),
		     "runAsNonRoot@app");
	/* container true without a pod setting */
	ASSERT_STREQ(
		fails(&(struct m){.non_root = "", .ctr_sc = "      runAsNonRoot: true\n"}, RESTR),
		"");
	/* a second container without a setting and no pod-level true */
	ASSERT_STREQ(audit_ex(build(&(struct m){.non_root = "",
						.ctr_sc = "      runAsNonRoot: true\n",
						.more = "  - name: side\n    securityContext:\n"
							"      allowPrivilegeEscalation: false\n"
							"      capabilities: {drop: [ALL]}\n"}),
			      RESTR, true, NULL),
		     "runAsNonRoot@side");
	/* user namespaces relax it */
	ASSERT_STREQ(fails(&(struct m){.non_root = "", .spec = "  hostUsers: false\n"}, RESTR), "");
	ASSERT_STREQ(fails(&(struct m){.non_root = ""}, BASE), "");
}

TEST(runAsUser)
{
	ASSERT_STREQ(
		audit_ex(build(&(struct m){.pod_sc = "    runAsUser: 0\n"}), RESTR, true, NULL),
		"runAsUser@pod");
	ASSERT_STREQ(
		audit_ex(build(&(struct m){.ctr_sc = "      runAsUser: 0\n"}), RESTR, true, NULL),
		"runAsUser@app");
	/* the pod sets 0, the container overrides: the pod still fails */
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    runAsUser: 0\n",
				       .ctr_sc = "      runAsUser: 1000\n"},
			   RESTR),
		     "runAsUser");
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    runAsUser: 1000\n",
				       .ctr_sc = "      runAsUser: 65534\n"},
			   RESTR),
		     "");
	ASSERT_STREQ(
		fails(&(struct m){.spec = "  hostUsers: false\n", .pod_sc = "    runAsUser: 0\n"},
		      RESTR),
		"");
	ASSERT_STREQ(fails(&(struct m){.pod_sc = "    runAsUser: 0\n"}, BASE), "");
}

TEST(seccompProfile_restricted)
{
	ASSERT_STREQ(fails(&(struct m){.seccomp = ""}, RESTR), "seccompProfile_restricted");
	ASSERT_STREQ(audit_ex(build(&(struct m){.ctr_sc = "      seccompProfile: {type: "
							  "Unconfined}\n"}),
			      RESTR, true, NULL),
		     "seccompProfile_restricted@app");
	ASSERT_STREQ(audit_ex(build(&(struct m){.seccomp = "Unconfined",
						.ctr_sc = "      seccompProfile: {type: "
							  "RuntimeDefault}\n"}),
			      RESTR, true, NULL),
		     "seccompProfile_restricted@pod");
	/* set on the container only */
	ASSERT_STREQ(fails(&(struct m){.seccomp = "",
				       .ctr_sc = "      seccompProfile: {type: Localhost, "
						 "localhostProfile: p.json}\n"},
			   RESTR),
		     "");
	/* annotations do not satisfy restricted */
	ASSERT_STREQ(fails(&(struct m){.seccomp = "",
				       .annotations = "seccomp.security.alpha.kubernetes.io/pod: "
						      "runtime/default"},
			   RESTR),
		     "seccompProfile_restricted");
}

TEST(capabilities_restricted)
{
	ASSERT_STREQ(fails(&(struct m){.caps = ""}, RESTR), "capabilities_restricted");
	ASSERT_STREQ(fails(&(struct m){.caps = "{drop: [NET_RAW]}"}, RESTR),
		     "capabilities_restricted");
	ASSERT_STREQ(fails(&(struct m){.caps = "{drop: [ALL], add: [CHOWN]}"}, RESTR),
		     "capabilities_restricted");
	ASSERT_STREQ(fails(&(struct m){.caps = "{drop: [ALL], add: [NET_BIND_SERVICE]}"}, RESTR),
		     "");
	ASSERT_STREQ(fails(&(struct m){.caps = "{drop: [NET_RAW, ALL]}"}, RESTR), "");
}

TEST(workloads_and_every_container_kind)
{
	const char *d = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
			"spec:\n  template:\n    metadata:\n      annotations:\n"
			"        container.apparmor.security.beta.kubernetes.io/w: unconfined\n"
			"    spec:\n      hostNetwork: true\n"
			"      initContainers: [{name: i, securityContext: {privileged: true}}]\n"
			"      containers:\n      - name: w\n        ports: [{hostPort: 80}]\n";

	ASSERT_STREQ(audit_ex(d, BASE, true, NULL),
		     "appArmorProfile@pod,hostNamespaces@pod,hostPorts@w,privileged@i");
}

TEST(user_rules_extend_the_sources)
{
	/* a rule over pod.containers.* list fields and container fields, like a user's -r file */
	const char *extra =
		"- rule: latest image\n  desc: d\n  condition: container.image endswith ':latest'\n"
		"  output: '%container.name %k8s.object'\n  priority: WARNING\n"
		"  source: k8s_container\n  tags: [custom]\n"
		"- rule: no read-only root\n  desc: d\n"
		"  condition: pod.containers.read_only_root_filesystem intersects (false)\n"
		"  output: '%pod.containers.name'\n  priority: NOTICE\n  source: k8s_pod\n"
		"- rule: sa token\n  desc: d\n  condition: pod.automount_service_account_token = true\n"
		"    and len(pod.containers.name) > 1 and pod.containers.count = 2\n"
		"  output: x\n  priority: NOTICE\n  source: k8s_pod\n";
	const char *pod = "kind: Pod\nmetadata: {name: u}\nspec:\n  containers:\n"
			  "  - {name: a, image: 'nginx:latest'}\n"
			  "  - {name: b, image: 'busybox:1', securityContext: "
			  "{readOnlyRootFilesystem: true}}\n";
	struct vg_rules_collection c;
	struct vg_ruleset *r2 = NULL;
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;
	struct vg_k8s_set set;
	struct vg_audit_report rep;
	struct vg_audit_options ao = {0};
	char err[256];
	const struct vg_audit_finding *f;

	ASSERT_EQ(vg_k8s_sources_register(), 0);
	vg_rules_collection_init(&c);
	vg_diags_init(&d);
	ASSERT_EQ(vg_rules_load_buffer(&c, "extra.yaml", extra, strlen(extra), &d), 0);
	if (vg_rules_compile(&c, &o, &r2, &d) < 0 || d.errors)
		vg_diags_print(&d, stdout);
	ASSERT_EQ(d.errors, 0u);
	vg_k8s_set_init(&set);
	vg_audit_report_init(&rep, "k8s");
	ASSERT_EQ(vg_k8s_parse(&set, pod, strlen(pod), "u.yaml", err, sizeof(err)), 0);
	ASSERT_EQ(vg_audit_k8s(r2, &set, &ao, &rep), 0);
	ASSERT_EQ(rep.findings.len, 3u);
	f = vg_vec_at(&rep.findings, 0);
	ASSERT_STREQ(f->rule->name, "no read-only root");
	ASSERT_STREQ(f->output, "(a,b)");
	f = vg_vec_at(&rep.findings, 1);
	ASSERT_STREQ(f->rule->name, "sa token");
	f = vg_vec_at(&rep.findings, 2);
	ASSERT_STREQ(f->rule->name, "latest image");
	ASSERT_STREQ(f->container, "a");
	ASSERT_STREQ(f->output, "a Pod/u");
	ASSERT_EQ(f->line, 5u);
	/* only rules tagged with the benchmark run under --benchmark */
	ao.benchmark = "pss-baseline";
	ASSERT_EQ(vg_audit_k8s(r2, &set, &ao, &rep), -ENOENT);
	vg_audit_report_done(&rep);
	vg_k8s_set_done(&set);
	vg_ruleset_free(r2);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
}

TEST(suppressions)
{
	struct vg_audit_ignores ig;
	struct vg_k8s_set set;
	struct vg_audit_report rep;
	struct vg_audit_options o = {.benchmark = RESTR,
				     .today = vg_audit_parse_date("2026-06-01", 10)};
	const char *text = "# comment\n"
			   "\"PSS privileged - privileged container\" file=*.yaml reason=\"lab\"\n"
			   "pss/hostNamespaces name=Pod/p exp=2026-06-01 reason=\"ends today\"\n"
			   "hostPorts exp=2026-05-31 reason=\"expired yesterday\"\n"
			   "K13 file=other.yaml reason=\"other file\"\n";
	char err[512];
	const char *yaml =
		build(&(struct m){.spec = "  hostNetwork: true\n",
				  .ctr = "    ports: [{hostPort: 1}]\n"
					 "    livenessProbe: {httpGet: {host: h, port: 1}}\n",
				  .ctr_sc = "      privileged: true\n"});

	ASSERT_TRUE(o.today > 0);
	vg_audit_ignores_init(&ig);
	ASSERT_EQ(vg_audit_ignores_parse(&ig, text, strlen(text), "ign", err, sizeof(err)), 0);
	ASSERT_EQ(ig.items.len, 4u);
	o.ignores = &ig;
	vg_k8s_set_init(&set);
	vg_audit_report_init(&rep, "k8s");
	ASSERT_EQ(vg_k8s_parse(&set, yaml, strlen(yaml), "t.yaml", err, sizeof(err)), 0);
	ASSERT_EQ(vg_audit_k8s(ruleset(), &set, &o, &rep), 0);
	ASSERT_EQ(rep.n_suppressed, 2u); /* privileged, hostNamespaces */
	ASSERT_EQ(rep.n_failed, 2u); /* hostPorts (expired), hostProbesAndHostLifecycle */
	ASSERT_EQ(((const struct vg_audit_object *)vg_vec_at(&rep.objects, 0))->n_failed, 2u);
	ASSERT_EQ(((const struct vg_audit_ignore *)vg_vec_at(&ig.items, 0))->used, 1u);
	ASSERT_EQ(((const struct vg_audit_ignore *)vg_vec_at(&ig.items, 2))->used, 0u);
	vg_audit_report_done(&rep);
	vg_k8s_set_done(&set);
	vg_audit_ignores_done(&ig);

	/* malformed ignore files */
	vg_audit_ignores_init(&ig);
	ASSERT_EQ(vg_audit_ignores_parse(&ig, "x reason=\"a\" exp=2026-13-01\n", 27, "ign", err,
					 sizeof(err)),
		  -EBADMSG);
	ASSERT_TRUE(strstr(err, "ign:1:") != NULL);
	ASSERT_EQ(vg_audit_ignores_parse(&ig, "\n\nx file=a\n", 10, "ign", err, sizeof(err)),
		  -EBADMSG);
	ASSERT_TRUE(strstr(err, "ign:3:1: a suppression needs reason") != NULL);
	ASSERT_EQ(
		vg_audit_ignores_parse(&ig, "x colour=red reason=r\n", 22, "ign", err, sizeof(err)),
		-EBADMSG);
	ASSERT_EQ(vg_audit_ignores_parse(&ig, "\"x reason=r\n", 12, "ign", err, sizeof(err)),
		  -EBADMSG);
	vg_audit_ignores_done(&ig);
}

TEST(dates)
{
	ASSERT_EQ(vg_audit_parse_date("1970-01-01", 10), 0);
	ASSERT_EQ(vg_audit_parse_date("2000-03-01", 10), 11017);
	ASSERT_EQ(vg_audit_parse_date("2024-02-29", 10), 19782);
	ASSERT_EQ(vg_audit_parse_date("2023-02-29", 10), -EINVAL);
	ASSERT_EQ(vg_audit_parse_date("2023-2-28", 9), -EINVAL);
}
