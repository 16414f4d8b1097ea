/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kubernetes manifests into PodSpec objects for the k8s_pod and k8s_container rule sources.
 *
 * A manifest file is YAML (any number of documents) or JSON (read by the same parser: JSON is
 * YAML flow syntax; tabs between JSON tokens are blanked first since YAML forbids them), each
 * document one object or a `kind: List` (or `*List`) whose items are objects. Objects that
 * carry a PodSpec become one struct vg_k8s_pod each:
 *
 *   Pod                                             spec
 *   PodTemplate                                     template.spec
 *   Deployment, DaemonSet, StatefulSet, ReplicaSet,
 *   ReplicationController, Job                      spec.template.spec
 *   CronJob                                         spec.jobTemplate.spec.template.spec
 *
 * The annotations read are those of the pod itself (metadata of the Pod or of the template).
 * Containers are visited as the Pod Security admission does: initContainers, containers,
 * ephemeralContainers. Each container keeps what it sets itself and its *effective* security
 * context: the container value, else the pod-level one, for runAsNonRoot, runAsUser,
 * runAsGroup, seccompProfile, appArmorProfile (the container field, else its beta
 * annotation, else the pod field), seLinuxOptions (the whole struct) and
 * windowsOptions.hostProcess, as the kubelet merges them.
 *
 * Scalars are resolved as the API server's YAML decoder (YAML 1.1) does: booleans are plain
 * true/false/yes/no/on/off/y/n in any of their spellings, integers are decimal, 0x hex or
 * 0o/0 octal; a quoted "true" is a string and a type error for a boolean field. Type errors,
 * duplicate keys and malformed YAML fail the file with "file:line:col: message".
 */
#ifndef VG_AUDIT_K8S_H
#define VG_AUDIT_K8S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"

/* Tri-state booleans as written: unset, false, true. */
enum vg_k8s_bool {
	VG_K8S_UNSET = -1,
	VG_K8S_FALSE = 0,
	VG_K8S_TRUE = 1,
};

enum vg_k8s_ctr_kind {
	VG_K8S_CTR_INIT,
	VG_K8S_CTR_REGULAR,
	VG_K8S_CTR_EPHEMERAL,
};

/* The merged (pod-level or container-level) parts of a securityContext. NULL strings and
 * has_* false mean "not set". */
struct vg_k8s_secctx {
	int8_t run_as_non_root; /* enum vg_k8s_bool */
	int8_t host_process; /* windowsOptions.hostProcess */
	bool has_run_as_user, has_run_as_group;
	int64_t run_as_user, run_as_group;
	const char *seccomp_type, *seccomp_localhost;
	const char *apparmor_type, *apparmor_localhost;
	bool has_selinux;
	const char *selinux_user, *selinux_role, *selinux_type, *selinux_level;
};

struct vg_k8s_container {
	const char *name;
	enum vg_k8s_ctr_kind kind;
	const char *image;
	unsigned line, column; /* of the container's mapping */
	/* container-only securityContext fields */
	int8_t privileged, allow_privilege_escalation, read_only_root_filesystem;
	const char *proc_mount;
	const char **cap_add, **cap_drop;
	size_t n_cap_add, n_cap_drop;
	bool has_capabilities;
	int64_t *host_ports; /* ports[*].hostPort as written (0 included) */
	size_t n_host_ports;
	const char **probe_hosts; /* non-empty host of probes and lifecycle handlers */
	size_t n_probe_hosts;
	const char *seccomp_annotation; /* container.seccomp.security.alpha.kubernetes.io/NAME */
	const char *apparmor_annotation; /* container.apparmor.security.beta.kubernetes.io/NAME */
	struct vg_k8s_secctx own; /* as set on the container */
	struct vg_k8s_secctx eff; /* effective: container, else pod */
	const struct vg_k8s_pod *pod;
};

struct vg_k8s_volume {
	const char *name;
	const char *type; /* the volume source key: hostPath, emptyDir, ... */
	const char *host_path; /* hostPath.path, or NULL */
};

struct vg_k8s_kv {
	const char *key, *value;
};

struct vg_k8s_pod {
	const char *file;
	unsigned doc; /* 1-based document of the file */
	unsigned line, column; /* of the object (a List item's own line) */
	const char *kind, *api_version, *name, *namespace;
	const char *path; /* where the PodSpec is: "spec", "spec.template.spec", ... */
	int8_t host_network, host_pid, host_ipc, host_users, automount_sa_token;
	const char *os; /* spec.os.name */
	const char *service_account;
	struct vg_k8s_secctx sc; /* spec.securityContext */
	const char **sysctls; /* spec.securityContext.sysctls[*].name */
	size_t n_sysctls;
	struct vg_k8s_volume *volumes;
	size_t n_volumes;
	struct vg_k8s_kv *annotations, *labels;
	size_t n_annotations, n_labels;
	struct vg_k8s_container *containers; /* init, regular, ephemeral, in that order */
	size_t n_containers;
};

/* What one file held. */
struct vg_k8s_file {
	const char *path;
	size_t n_docs; /* non-empty documents */
	size_t n_objects; /* objects (List items counted one by one) */
	size_t first_pod, n_pods; /* its pods in the set */
};

/* The PodSpecs of every file added, in file and document order. */
struct vg_k8s_set {
	struct vg_arena arena; /* pods, containers and their strings */
	struct vg_vec pods; /* struct vg_k8s_pod *, allocated in arena */
	struct vg_vec files; /* struct vg_k8s_file */
};

void vg_k8s_set_init(struct vg_k8s_set *s);
void vg_k8s_set_done(struct vg_k8s_set *s);

/*
 * Parses the manifest in buf (len bytes; name is used in messages and kept as the pods'
 * file) and adds its pods to s. On error nothing of the file is added and err receives
 * "file:line:col: message": -EBADMSG malformed YAML, a type error or a duplicate key, -E2BIG
 * a limit was exceeded, -ENOMEM.
 */
VG_MUST_CHECK int vg_k8s_parse(struct vg_k8s_set *s, const char *buf, size_t len, const char *name,
			       char *err, size_t errsize);
/* Reads path (bounded by VG_K8S_FILE_MAX) and parses it; read errors are negative errno. */
VG_MUST_CHECK int vg_k8s_parse_file(struct vg_k8s_set *s, const char *path, char *err,
				    size_t errsize);

static inline size_t vg_k8s_count(const struct vg_k8s_set *s)
{
	return s->pods.len;
}

static inline const struct vg_k8s_pod *vg_k8s_pod_at(const struct vg_k8s_set *s, size_t i)
{
	return *(struct vg_k8s_pod *const *)vg_vec_at(&s->pods, i);
}

const char *vg_k8s_ctr_kind_name(enum vg_k8s_ctr_kind k); /* "initContainer", ... */

/*
 * The rule sources: k8s_pod evaluates a const struct vg_k8s_pod *, k8s_container a const
 * struct vg_k8s_container * (which reaches its pod). Both are registered by
 * vg_k8s_sources_register() (fields-k8s.c); -EEXIST when they already are is not an error
 * for callers that register twice.
 */
#define VG_K8S_POD_SOURCE	"k8s_pod"
#define VG_K8S_CONTAINER_SOURCE "k8s_container"
int vg_k8s_sources_register(void);

#endif /* VG_AUDIT_K8S_H */
