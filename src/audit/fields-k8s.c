/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The k8s_pod and k8s_container rule sources (docs/audit.md). k8s_pod evaluates one PodSpec:
 * k8s.* (where it comes from), pod.* (pod-level settings) and pod.containers.* (one value per
 * container, over init, regular and ephemeral containers). k8s_container evaluates one
 * container and has the same fields plus container.* (this container, with its effective
 * security context), so a check that is about containers names the container it fails for.
 *
 * Booleans the API server defaults (hostNetwork false, privileged false,
 * allowPrivilegeEscalation true, ...) extract their effective value when unset; settings
 * without a default (runAsNonRoot, seccompProfile, ...) extract nothing (<NA>) when unset.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit/k8s.h"
#include "rules/field.h"

enum {
	/* pod-level, both sources */
	F_FILE,
	F_LINE,
	F_DOC,
	F_KIND,
	F_API_VERSION,
	F_NAME,
	F_NAMESPACE,
	F_OBJECT,
	F_SPEC_PATH,
	F_ANNOTATIONS,
	F_LABELS,
	F_HOST_NETWORK,
	F_HOST_PID,
	F_HOST_IPC,
	F_HOST_USERS,
	F_OS,
	F_SERVICE_ACCOUNT,
	F_AUTOMOUNT_SA_TOKEN,
	F_SYSCTLS,
	F_VOL_NAMES,
	F_VOL_TYPES,
	F_VOL_HOST_PATH,
	F_P_RUN_AS_NON_ROOT,
	F_P_RUN_AS_USER,
	F_P_RUN_AS_GROUP,
	F_P_SECCOMP_TYPE,
	F_P_SECCOMP_LOCALHOST,
	F_P_APPARMOR_TYPE,
	F_P_SELINUX_TYPE,
	F_P_SELINUX_USER,
	F_P_SELINUX_ROLE,
	F_P_SELINUX_LEVEL,
	F_P_HOST_PROCESS,
	F_P_SECCOMP_ANNOTATION,
	F_P_APPARMOR_ANNOTATIONS,
	F_N_CONTAINERS,
	/* per container: container.X on k8s_container, pod.containers.X (C_LIST) on both */
	C_NAME,
	C_KIND,
	C_IMAGE,
	C_LINE,
	C_PRIVILEGED,
	C_ALLOW_PRIV_ESC,
	C_READ_ONLY_ROOT_FS,
	C_PROC_MOUNT,
	C_CAP_ADD,
	C_CAP_DROP,
	C_HOST_PORTS,
	C_PROBE_HOSTS,
	C_RUN_AS_NON_ROOT,
	C_RUN_AS_USER,
	C_RUN_AS_GROUP,
	C_SECCOMP_TYPE,
	C_SECCOMP_LOCALHOST,
	C_APPARMOR_TYPE,
	C_SELINUX_TYPE,
	C_SELINUX_USER,
	C_SELINUX_ROLE,
	C_SELINUX_LEVEL,
	C_HOST_PROCESS,
	C_SECCOMP_ANNOTATION,
	C_APPARMOR_ANNOTATION,
};

#define C_LIST 0x100 /* pod.containers.X: the container field over every container */

static void bool_default(struct vg_extract *x, int8_t v, bool dflt)
{
	vg_extract_bool(x, v == VG_K8S_UNSET ? dflt : v == VG_K8S_TRUE);
}

static void bool_or_na(struct vg_extract *x, int8_t v)
{
	if (v != VG_K8S_UNSET)
		vg_extract_bool(x, v == VG_K8S_TRUE);
}

static void nonempty(struct vg_extract *x, const char *s)
{
	if (s && *s)
		vg_extract_cstr(x, s);
}

static void kv_extract(struct vg_extract *x, const struct vg_k8s_kv *kv, size_t n,
		       const struct vg_field_arg *arg)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, arg->key) == 0)
			vg_extract_cstr(x, kv[i].value);
}

/* A beta AppArmor annotation value as a profile type (as k8s.c does for containers). */
static void apparmor_annotation_type(struct vg_extract *x, const char *v)
{
	if (!v || !*v)
		return;
	if (strcmp(v, "runtime/default") == 0)
		vg_extract_cstr(x, "RuntimeDefault");
	else if (strncmp(v, "localhost/", 10) == 0)
		vg_extract_cstr(x, "Localhost");
	else if (strcmp(v, "unconfined") == 0)
		vg_extract_cstr(x, "Unconfined");
	else
		vg_extract_cstr(x, v);
}

static void ctr_value(int id, const struct vg_k8s_container *c, struct vg_extract *x)
{
	const struct vg_k8s_secctx *e = &c->eff;

	switch (id) {
	case C_NAME:
		vg_extract_cstr(x, c->name);
		break;
	case C_KIND:
		vg_extract_cstr(x, vg_k8s_ctr_kind_name(c->kind));
		break;
	case C_IMAGE:
		vg_extract_cstr(x, c->image);
		break;
	case C_LINE:
		vg_extract_uint(x, c->line);
		break;
	case C_PRIVILEGED:
		bool_default(x, c->privileged, false);
		break;
	case C_ALLOW_PRIV_ESC:
		bool_default(x, c->allow_privilege_escalation, true);
		break;
	case C_READ_ONLY_ROOT_FS:
		bool_default(x, c->read_only_root_filesystem, false);
		break;
	case C_PROC_MOUNT:
		vg_extract_cstr(x, c->proc_mount ? c->proc_mount : "Default");
		break;
	case C_CAP_ADD:
		for (size_t i = 0; i < c->n_cap_add; i++)
			vg_extract_cstr(x, c->cap_add[i]);
		break;
	case C_CAP_DROP:
		for (size_t i = 0; i < c->n_cap_drop; i++)
			vg_extract_cstr(x, c->cap_drop[i]);
		break;
	case C_HOST_PORTS:
		for (size_t i = 0; i < c->n_host_ports; i++)
			vg_extract_int(x, c->host_ports[i]);
		break;
	case C_PROBE_HOSTS:
		for (size_t i = 0; i < c->n_probe_hosts; i++)
			vg_extract_cstr(x, c->probe_hosts[i]);
		break;
	case C_RUN_AS_NON_ROOT:
		bool_or_na(x, e->run_as_non_root);
		break;
	case C_RUN_AS_USER:
		if (e->has_run_as_user)
			vg_extract_int(x, e->run_as_user);
		break;
	case C_RUN_AS_GROUP:
		if (e->has_run_as_group)
			vg_extract_int(x, e->run_as_group);
		break;
	case C_SECCOMP_TYPE:
		vg_extract_cstr(x, e->seccomp_type);
		break;
	case C_SECCOMP_LOCALHOST:
		vg_extract_cstr(x, e->seccomp_localhost);
		break;
	case C_APPARMOR_TYPE:
		vg_extract_cstr(x, e->apparmor_type);
		break;
	case C_SELINUX_TYPE:
		nonempty(x, e->selinux_type);
		break;
	case C_SELINUX_USER:
		nonempty(x, e->selinux_user);
		break;
	case C_SELINUX_ROLE:
		nonempty(x, e->selinux_role);
		break;
	case C_SELINUX_LEVEL:
		nonempty(x, e->selinux_level);
		break;
	case C_HOST_PROCESS:
		bool_default(x, e->host_process, false);
		break;
	case C_SECCOMP_ANNOTATION:
		vg_extract_cstr(x, c->seccomp_annotation);
		break;
	case C_APPARMOR_ANNOTATION:
		vg_extract_cstr(x, c->apparmor_annotation);
		break;
	}
}

static void pod_value(int id, const struct vg_field_arg *arg, const struct vg_k8s_pod *p,
		      struct vg_extract *x)
{
	const struct vg_k8s_secctx *sc = &p->sc;

	if (id & C_LIST) {
		for (size_t i = 0; i < p->n_containers; i++)
			ctr_value(id & ~C_LIST, &p->containers[i], x);
		return;
	}
	switch (id) {
	case F_FILE:
		vg_extract_cstr(x, p->file);
		break;
	case F_LINE:
		vg_extract_uint(x, p->line);
		break;
	case F_DOC:
		vg_extract_uint(x, p->doc);
		break;
	case F_KIND:
		vg_extract_cstr(x, p->kind);
		break;
	case F_API_VERSION:
		vg_extract_cstr(x, p->api_version);
		break;
	case F_NAME:
		vg_extract_cstr(x, p->name);
		break;
	case F_NAMESPACE:
		vg_extract_cstr(x, p->namespace);
		break;
	case F_OBJECT:
		vg_extract_printf(x, "%s/%s", p->kind, p->name ? p->name : "<unnamed>");
		break;
	case F_SPEC_PATH:
		vg_extract_cstr(x, p->path);
		break;
	case F_ANNOTATIONS:
		kv_extract(x, p->annotations, p->n_annotations, arg);
		break;
	case F_LABELS:
		kv_extract(x, p->labels, p->n_labels, arg);
		break;
	case F_HOST_NETWORK:
		bool_default(x, p->host_network, false);
		break;
	case F_HOST_PID:
		bool_default(x, p->host_pid, false);
		break;
	case F_HOST_IPC:
		bool_default(x, p->host_ipc, false);
		break;
	case F_HOST_USERS:
		bool_default(x, p->host_users, true);
		break;
	case F_OS:
		vg_extract_cstr(x, p->os);
		break;
	case F_SERVICE_ACCOUNT:
		vg_extract_cstr(x, p->service_account);
		break;
	case F_AUTOMOUNT_SA_TOKEN:
		bool_default(x, p->automount_sa_token, true);
		break;
	case F_SYSCTLS:
		for (size_t i = 0; i < p->n_sysctls; i++)
			vg_extract_cstr(x, p->sysctls[i]);
		break;
	case F_VOL_NAMES:
		for (size_t i = 0; i < p->n_volumes; i++)
			vg_extract_cstr(x, p->volumes[i].name ? p->volumes[i].name : "");
		break;
	case F_VOL_TYPES:
		for (size_t i = 0; i < p->n_volumes; i++)
			vg_extract_cstr(x, p->volumes[i].type);
		break;
	case F_VOL_HOST_PATH:
		for (size_t i = 0; i < p->n_volumes; i++)
			vg_extract_cstr(x, p->volumes[i].host_path);
		break;
	case F_P_RUN_AS_NON_ROOT:
		bool_or_na(x, sc->run_as_non_root);
		break;
	case F_P_RUN_AS_USER:
		if (sc->has_run_as_user)
			vg_extract_int(x, sc->run_as_user);
		break;
	case F_P_RUN_AS_GROUP:
		if (sc->has_run_as_group)
			vg_extract_int(x, sc->run_as_group);
		break;
	case F_P_SECCOMP_TYPE:
		vg_extract_cstr(x, sc->seccomp_type);
		break;
	case F_P_SECCOMP_LOCALHOST:
		vg_extract_cstr(x, sc->seccomp_localhost);
		break;
	case F_P_APPARMOR_TYPE:
		vg_extract_cstr(x, sc->apparmor_type);
		break;
	case F_P_SELINUX_TYPE:
		nonempty(x, sc->selinux_type);
		break;
	case F_P_SELINUX_USER:
		nonempty(x, sc->selinux_user);
		break;
	case F_P_SELINUX_ROLE:
		nonempty(x, sc->selinux_role);
		break;
	case F_P_SELINUX_LEVEL:
		nonempty(x, sc->selinux_level);
		break;
	case F_P_HOST_PROCESS:
		bool_default(x, sc->host_process, false);
		break;
	case F_P_SECCOMP_ANNOTATION:
		for (size_t i = 0; i < p->n_annotations; i++)
			if (strcmp(p->annotations[i].key,
				   "seccomp.security.alpha.kubernetes.io/pod") == 0)
				vg_extract_cstr(x, p->annotations[i].value);
		break;
	case F_P_APPARMOR_ANNOTATIONS:
		for (size_t i = 0; i < p->n_annotations; i++)
			if (strncmp(p->annotations[i].key,
				    "container.apparmor.security.beta.kubernetes.io/", 47) == 0)
				apparmor_annotation_type(x, p->annotations[i].value);
		break;
	case F_N_CONTAINERS:
		vg_extract_uint(x, p->n_containers);
		break;
	}
}

static void pod_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			struct vg_extract *x)
{
	pod_value(f->id, arg, obj, x);
}

static void ctr_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			struct vg_extract *x)
{
	const struct vg_k8s_container *c = obj;

	if (f->id >= C_NAME && f->id < C_LIST)
		ctr_value(f->id, c, x);
	else
		pod_value(f->id, arg, c->pod, x);
}

#define L   (VG_FF_MULTI | VG_FF_LIST)
#define KEY (VG_FF_ARG_KEY | VG_FF_ARG_REQUIRED)

/* Pod-level fields, in both sources (extractor set at registration). */
static const struct vg_field pod_base[] = {
	{"k8s.file", VG_FT_STR, 0, "manifest file the object was read from", NULL, F_FILE},
	{"k8s.line", VG_FT_UINT, 0, "line of the object in the file", NULL, F_LINE},
	{"k8s.doc", VG_FT_UINT, 0, "YAML document of the file (1-based)", NULL, F_DOC},
	{"k8s.kind", VG_FT_STR, 0, "kind of the object (Pod, Deployment, CronJob, ...)", NULL,
	 F_KIND},
	{"k8s.api_version", VG_FT_STR, 0, "apiVersion of the object", NULL, F_API_VERSION},
	{"k8s.name", VG_FT_STR, 0, "metadata.name (or generateName) of the object", NULL, F_NAME},
	{"k8s.namespace", VG_FT_STR, 0, "metadata.namespace of the object", NULL, F_NAMESPACE},
	{"k8s.object", VG_FT_STR, 0, "KIND/NAME of the object", NULL, F_OBJECT},
	{"k8s.spec_path", VG_FT_STR, 0,
	 "where the PodSpec is in the object (spec.template.spec, ...)", NULL, F_SPEC_PATH},
	{"pod.annotations", VG_FT_STR, KEY,
	 "annotation of the pod (the template's for workloads): pod.annotations[KEY]", NULL,
	 F_ANNOTATIONS},
	{"pod.labels", VG_FT_STR, KEY, "label of the pod: pod.labels[KEY]", NULL, F_LABELS},
	{"pod.host_network", VG_FT_BOOL, 0, "spec.hostNetwork (false when unset)", NULL,
	 F_HOST_NETWORK},
	{"pod.host_pid", VG_FT_BOOL, 0, "spec.hostPID (false when unset)", NULL, F_HOST_PID},
	{"pod.host_ipc", VG_FT_BOOL, 0, "spec.hostIPC (false when unset)", NULL, F_HOST_IPC},
	{"pod.host_users", VG_FT_BOOL, 0, "spec.hostUsers (true when unset: no user namespace)",
	 NULL, F_HOST_USERS},
	{"pod.os", VG_FT_STR, 0, "spec.os.name (linux, windows)", NULL, F_OS},
	{"pod.service_account", VG_FT_STR, 0, "spec.serviceAccountName", NULL, F_SERVICE_ACCOUNT},
	{"pod.automount_service_account_token", VG_FT_BOOL, 0,
	 "spec.automountServiceAccountToken (true when unset)", NULL, F_AUTOMOUNT_SA_TOKEN},
	{"pod.sysctls", VG_FT_STR, L, "names of spec.securityContext.sysctls", NULL, F_SYSCTLS},
	{"pod.volumes.names", VG_FT_STR, L, "names of the volumes", NULL, F_VOL_NAMES},
	{"pod.volumes.types", VG_FT_STR, L,
	 "source of each volume (hostPath, emptyDir, nfs, ...; emptyDir when none)", NULL,
	 F_VOL_TYPES},
	{"pod.volumes.host_path", VG_FT_STR, L, "hostPath.path of the hostPath volumes", NULL,
	 F_VOL_HOST_PATH},
	{"pod.run_as_non_root", VG_FT_BOOL, 0, "spec.securityContext.runAsNonRoot", NULL,
	 F_P_RUN_AS_NON_ROOT},
	{"pod.run_as_user", VG_FT_INT, 0, "spec.securityContext.runAsUser", NULL, F_P_RUN_AS_USER},
	{"pod.run_as_group", VG_FT_INT, 0, "spec.securityContext.runAsGroup", NULL,
	 F_P_RUN_AS_GROUP},
	{"pod.seccomp_profile.type", VG_FT_STR, 0, "spec.securityContext.seccompProfile.type", NULL,
	 F_P_SECCOMP_TYPE},
	{"pod.seccomp_profile.localhost", VG_FT_STR, 0,
	 "spec.securityContext.seccompProfile.localhostProfile", NULL, F_P_SECCOMP_LOCALHOST},
	{"pod.apparmor_profile.type", VG_FT_STR, 0, "spec.securityContext.appArmorProfile.type",
	 NULL, F_P_APPARMOR_TYPE},
	{"pod.selinux.type", VG_FT_STR, 0,
	 "spec.securityContext.seLinuxOptions.type (when not empty)", NULL, F_P_SELINUX_TYPE},
	{"pod.selinux.user", VG_FT_STR, 0, "seLinuxOptions.user (when not empty)", NULL,
	 F_P_SELINUX_USER},
	{"pod.selinux.role", VG_FT_STR, 0, "seLinuxOptions.role (when not empty)", NULL,
	 F_P_SELINUX_ROLE},
	{"pod.selinux.level", VG_FT_STR, 0, "seLinuxOptions.level (when not empty)", NULL,
	 F_P_SELINUX_LEVEL},
	{"pod.windows.host_process", VG_FT_BOOL, 0,
	 "spec.securityContext.windowsOptions.hostProcess (false when unset)", NULL,
	 F_P_HOST_PROCESS},
	{"pod.seccomp_annotation", VG_FT_STR, 0,
	 "annotation seccomp.security.alpha.kubernetes.io/pod (before 1.19)", NULL,
	 F_P_SECCOMP_ANNOTATION},
	{"pod.apparmor_annotations", VG_FT_STR, L,
	 "profile types of the container.apparmor.security.beta.kubernetes.io/* annotations "
	 "(runtime/default: RuntimeDefault, localhost/*: Localhost, unconfined: Unconfined, "
	 "other values as written, empty ones left out)",
	 NULL, F_P_APPARMOR_ANNOTATIONS},
	{"pod.containers.count", VG_FT_UINT, 0,
	 "number of containers (init, regular and ephemeral)", NULL, F_N_CONTAINERS},
};

/* Container fields: container.X on k8s_container, pod.containers.X (a list) on both. */
static const struct vg_field ctr_base[] = {
	{"name", VG_FT_STR, 0, "container name", NULL, C_NAME},
	{"kind", VG_FT_STR, 0, "container, initContainer or ephemeralContainer", NULL, C_KIND},
	{"image", VG_FT_STR, 0, "image", NULL, C_IMAGE},
	{"line", VG_FT_UINT, 0, "line of the container in the file", NULL, C_LINE},
	{"privileged", VG_FT_BOOL, 0, "securityContext.privileged (false when unset)", NULL,
	 C_PRIVILEGED},
	{"allow_privilege_escalation", VG_FT_BOOL, 0,
	 "securityContext.allowPrivilegeEscalation (true when unset)", NULL, C_ALLOW_PRIV_ESC},
	{"read_only_root_filesystem", VG_FT_BOOL, 0,
	 "securityContext.readOnlyRootFilesystem (false when unset)", NULL, C_READ_ONLY_ROOT_FS},
	{"proc_mount", VG_FT_STR, 0, "securityContext.procMount (Default when unset)", NULL,
	 C_PROC_MOUNT},
	{"capabilities.add", VG_FT_STR, L, "securityContext.capabilities.add", NULL, C_CAP_ADD},
	{"capabilities.drop", VG_FT_STR, L, "securityContext.capabilities.drop", NULL, C_CAP_DROP},
	{"host_ports", VG_FT_INT, L, "ports[*].hostPort as written (0 included)", NULL,
	 C_HOST_PORTS},
	{"probe_hosts", VG_FT_STR, L,
	 "host of the httpGet/tcpSocket probes and lifecycle handlers (when not empty)", NULL,
	 C_PROBE_HOSTS},
	{"run_as_non_root", VG_FT_BOOL, 0, "effective runAsNonRoot (container, else pod)", NULL,
	 C_RUN_AS_NON_ROOT},
	{"run_as_user", VG_FT_INT, 0, "effective runAsUser", NULL, C_RUN_AS_USER},
	{"run_as_group", VG_FT_INT, 0, "effective runAsGroup", NULL, C_RUN_AS_GROUP},
	{"seccomp_profile.type", VG_FT_STR, 0, "effective seccompProfile.type", NULL,
	 C_SECCOMP_TYPE},
	{"seccomp_profile.localhost", VG_FT_STR, 0, "effective seccompProfile.localhostProfile",
	 NULL, C_SECCOMP_LOCALHOST},
	{"apparmor_profile.type", VG_FT_STR, 0,
	 "effective appArmorProfile.type (container field, else its beta annotation, else the "
	 "pod field)",
	 NULL, C_APPARMOR_TYPE},
	{"selinux.type", VG_FT_STR, 0, "effective seLinuxOptions.type (not empty)", NULL,
	 C_SELINUX_TYPE},
	{"selinux.user", VG_FT_STR, 0, "effective seLinuxOptions.user (not empty)", NULL,
	 C_SELINUX_USER},
	{"selinux.role", VG_FT_STR, 0, "effective seLinuxOptions.role (not empty)", NULL,
	 C_SELINUX_ROLE},
	{"selinux.level", VG_FT_STR, 0, "effective seLinuxOptions.level (not empty)", NULL,
	 C_SELINUX_LEVEL},
	{"windows.host_process", VG_FT_BOOL, 0,
	 "effective windowsOptions.hostProcess (false when unset)", NULL, C_HOST_PROCESS},
	{"seccomp_annotation", VG_FT_STR, 0,
	 "annotation container.seccomp.security.alpha.kubernetes.io/NAME", NULL,
	 C_SECCOMP_ANNOTATION},
	{"apparmor_annotation", VG_FT_STR, 0,
	 "annotation container.apparmor.security.beta.kubernetes.io/NAME", NULL,
	 C_APPARMOR_ANNOTATION},
};

#define N_POD	     VG_ARRAY_SIZE(pod_base)
#define N_CTR	     VG_ARRAY_SIZE(ctr_base)
#define NAME_MAX_K8S 64

static char names[2][N_CTR][NAME_MAX_K8S]; /* "pod.containers.X", "container.X" */
static struct vg_field pod_fields[N_POD + N_CTR];
static struct vg_field ctr_fields[N_POD + 2 * N_CTR];

static struct vg_source pod_source = {
	.name = VG_K8S_POD_SOURCE,
	.fields = pod_fields,
	.n_fields = N_POD + N_CTR,
};

static struct vg_source ctr_source = {
	.name = VG_K8S_CONTAINER_SOURCE,
	.fields = ctr_fields,
	.n_fields = N_POD + 2 * N_CTR,
};

/* The tables: pod fields, then pod.containers.* (both sources), then container.*. */
static void build_tables(void)
{
	for (size_t i = 0; i < N_POD; i++) {
		pod_fields[i] = pod_base[i];
		pod_fields[i].extract = pod_extract;
		ctr_fields[i] = pod_base[i];
		ctr_fields[i].extract = ctr_extract;
	}
	for (size_t i = 0; i < N_CTR; i++) {
		struct vg_field f = ctr_base[i];

		snprintf(names[0][i], NAME_MAX_K8S, "pod.containers.%s", ctr_base[i].name);
		snprintf(names[1][i], NAME_MAX_K8S, "container.%s", ctr_base[i].name);
		f.name = names[0][i];
		f.flags |= L;
		f.id |= C_LIST;
		f.extract = pod_extract;
		pod_fields[N_POD + i] = f;
		f.extract = ctr_extract;
		ctr_fields[N_POD + i] = f;
		f = ctr_base[i];
		f.name = names[1][i];
		f.extract = ctr_extract;
		ctr_fields[N_POD + N_CTR + i] = f;
	}
}

int vg_k8s_sources_register(void)
{
	int r;

	if (!vg_source_find(VG_K8S_POD_SOURCE))
		build_tables();
	r = vg_source_register(&pod_source);
	if (r < 0 && r != -EEXIST)
		return r;
	r = vg_source_register(&ctr_source);
	if (r < 0 && r != -EEXIST)
		return r;
	return 0;
}
