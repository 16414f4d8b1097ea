/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `container` rule source (docs/audit.md): one Docker container's effective runtime
 * configuration (struct vg_ctr), and for running ones the isolation read from /proc of its
 * init (container.iso.*). Capability names are normalised (upper case, no CAP_ prefix).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit/container.h"
#include "audit/host.h"
#include "basic/strbuf.h"
#include "rules/field.h"

enum {
	C_ID,
	C_NAME,
	C_IMAGE,
	C_ORIGIN,
	C_RUNNING,
	C_PID,
	C_PRIVILEGED,
	C_USER,
	C_RUNS_AS_ROOT,
	C_CAP_ADD,
	C_CAP_DROP,
	C_CAP_ADD_NONDEFAULT,
	C_CAPS_ALL,
	C_SECURITY_OPT,
	C_NETWORK_MODE,
	C_PID_MODE,
	C_IPC_MODE,
	C_UTS_MODE,
	C_USERNS_MODE,
	C_CGROUPNS_MODE,
	C_SECCOMP,
	C_APPARMOR,
	C_APPARMOR_PROFILE,
	C_SELINUX_DISABLED,
	C_NNP,
	C_SYSTEMPATHS,
	C_RO_ROOTFS,
	C_MEMORY,
	C_CPU_SHARES,
	C_NANO_CPUS,
	C_CPU_QUOTA,
	C_PIDS_LIMIT,
	C_RESTART_POLICY,
	C_RESTART_MAX,
	C_CGROUP_PARENT,
	C_DEVICES,
	C_DEVICE_RULES,
	C_SYSCTLS,
	C_SYSCTL_NAMES,
	C_HEALTHCHECK,
	C_HEALTH_STATUS,
	C_M_SOURCE,
	C_M_DEST,
	C_M_TYPE,
	C_M_RW_SOURCE,
	C_M_PROPAGATION,
	C_M_SOCKET,
	C_M_BIND_SOURCE,
	C_M_BIND_RW_SOURCE,
	C_P_HOST_IP,
	C_P_HOST_PORT,
	C_P_WILDCARD,
	C_P_BINDINGS,
	C_ISO_COLLECTED,
	C_ISO_ERROR,
	C_ISO_SECCOMP,
	C_ISO_NNP,
	C_ISO_CAP_EFF,
	C_ISO_CAP_BND,
	C_ISO_SHARED_NS,
	C_ISO_LSM_LABEL,
	C_ISO_ROOT_ON_HOST,
	C_ISO_FINDINGS,
};

/* writes the normalised capability name: upper case, without CAP_ */
static void cap_norm(const char *s, char *out, size_t size)
{
	size_t k = 0;

	if (!strncasecmp(s, "CAP_", 4))
		s += 4;
	for (; *s && k + 1 < size; s++)
		out[k++] = (char)toupper((unsigned char)*s);
	out[k] = '\0';
}

static void caps(struct vg_extract *x, const char **v, size_t n)
{
	char c[64];

	for (size_t i = 0; i < n; i++) {
		cap_norm(v[i], c, sizeof(c));
		vg_extract_strdup(x, c, strlen(c));
	}
}

static bool is_default_cap(const char *c)
{
	for (size_t i = 0; vg_ctr_default_caps[i]; i++)
		if (!strcmp(vg_ctr_default_caps[i], c))
			return true;
	return false;
}

static bool runs_as_root(const char *u)
{
	size_t l = strcspn(u, ":");

	return !*u || (l == 1 && u[0] == '0') || (l == 4 && !strncmp(u, "root", 4));
}

static void cap_set(struct vg_extract *x, uint64_t mask)
{
	for (unsigned b = 0; b < 64; b++) {
		const char *n;

		if (!(mask & (1ULL << b)))
			continue;
		n = vg_iso_cap_name(b);
		if (n && !strncmp(n, "CAP_", 4))
			vg_extract_cstr(x, n + 4);
		else
			vg_extract_printf(x, "%u", b);
	}
}

static void ctr_extract(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
			struct vg_extract *x)
{
	const struct vg_ctr *c = obj;
	const struct vg_isolation *iso = c->iso;
	char cn[64];
	bool b;

	switch (f->id) {
	case C_ID:
		vg_extract_cstr(x, c->id);
		break;
	case C_NAME:
		vg_extract_cstr(x, c->name);
		break;
	case C_IMAGE:
		vg_extract_cstr(x, c->image);
		break;
	case C_ORIGIN:
		vg_extract_cstr(x, c->origin);
		break;
	case C_RUNNING:
		vg_extract_bool(x, c->running);
		break;
	case C_PID:
		if (c->running && c->pid)
			vg_extract_uint(x, c->pid);
		break;
	case C_PRIVILEGED:
		vg_extract_bool(x, c->privileged);
		break;
	case C_USER:
		vg_extract_cstr(x, c->user);
		break;
	case C_RUNS_AS_ROOT:
		vg_extract_bool(x, runs_as_root(c->user));
		break;
	case C_CAP_ADD:
		caps(x, c->cap_add, c->n_cap_add);
		break;
	case C_CAP_DROP:
		caps(x, c->cap_drop, c->n_cap_drop);
		break;
	case C_CAP_ADD_NONDEFAULT:
		for (size_t i = 0; i < c->n_cap_add; i++) {
			cap_norm(c->cap_add[i], cn, sizeof(cn));
			if (!is_default_cap(cn))
				vg_extract_strdup(x, cn, strlen(cn));
		}
		break;
	case C_CAPS_ALL:
		b = c->privileged;
		for (size_t i = 0; i < c->n_cap_add; i++) {
			cap_norm(c->cap_add[i], cn, sizeof(cn));
			b |= !strcmp(cn, "ALL");
		}
		vg_extract_bool(x, b);
		break;
	case C_SECURITY_OPT:
		for (size_t i = 0; i < c->n_security_opt; i++)
			vg_extract_cstr(x, c->security_opt[i]);
		break;
	case C_NETWORK_MODE:
		vg_extract_cstr(x, c->network_mode ? c->network_mode : "default");
		break;
	case C_PID_MODE:
		vg_extract_cstr(x, c->pid_mode ? c->pid_mode : "");
		break;
	case C_IPC_MODE:
		vg_extract_cstr(x, c->ipc_mode ? c->ipc_mode : "");
		break;
	case C_UTS_MODE:
		vg_extract_cstr(x, c->uts_mode ? c->uts_mode : "");
		break;
	case C_USERNS_MODE:
		vg_extract_cstr(x, c->userns_mode ? c->userns_mode : "");
		break;
	case C_CGROUPNS_MODE:
		vg_extract_cstr(x, c->cgroupns_mode ? c->cgroupns_mode : "");
		break;
	case C_SECCOMP:
		vg_extract_cstr(x, c->seccomp);
		break;
	case C_APPARMOR:
		vg_extract_cstr(x, c->apparmor);
		break;
	case C_APPARMOR_PROFILE:
		vg_extract_cstr(x, c->apparmor_profile ? c->apparmor_profile : "");
		break;
	case C_SELINUX_DISABLED:
		vg_extract_bool(x, c->selinux_disabled);
		break;
	case C_NNP:
		vg_extract_bool(x, c->no_new_privileges);
		break;
	case C_SYSTEMPATHS:
		vg_extract_bool(x, c->systempaths_unconfined);
		break;
	case C_RO_ROOTFS:
		vg_extract_bool(x, c->read_only_rootfs);
		break;
	case C_MEMORY:
		vg_extract_int(x, c->memory);
		break;
	case C_CPU_SHARES:
		vg_extract_int(x, c->cpu_shares);
		break;
	case C_NANO_CPUS:
		vg_extract_int(x, c->nano_cpus);
		break;
	case C_CPU_QUOTA:
		vg_extract_int(x, c->cpu_quota);
		break;
	case C_PIDS_LIMIT:
		vg_extract_int(x, c->has_pids_limit ? c->pids_limit : 0);
		break;
	case C_RESTART_POLICY:
		vg_extract_cstr(x,
				c->restart_policy && *c->restart_policy ? c->restart_policy : "no");
		break;
	case C_RESTART_MAX:
		vg_extract_int(x, c->restart_max);
		break;
	case C_CGROUP_PARENT:
		vg_extract_cstr(x, c->cgroup_parent ? c->cgroup_parent : "");
		break;
	case C_DEVICES:
		for (size_t i = 0; i < c->n_devices; i++)
			vg_extract_cstr(x, c->devices[i]);
		break;
	case C_DEVICE_RULES:
		for (size_t i = 0; i < c->n_device_cgroup_rules; i++)
			vg_extract_cstr(x, c->device_cgroup_rules[i]);
		break;
	case C_SYSCTLS:
		for (size_t i = 0; i < c->n_sysctls; i++)
			vg_extract_cstr(x, c->sysctls[i]);
		break;
	case C_SYSCTL_NAMES:
		for (size_t i = 0; i < c->n_sysctls; i++)
			vg_extract_str(x, c->sysctls[i], strcspn(c->sysctls[i], "="));
		break;
	case C_HEALTHCHECK:
		vg_extract_bool(x, c->has_healthcheck);
		break;
	case C_HEALTH_STATUS:
		vg_extract_cstr(x, c->health_status);
		break;
	case C_M_SOURCE:
	case C_M_DEST:
	case C_M_TYPE:
	case C_M_RW_SOURCE:
	case C_M_PROPAGATION:
	case C_M_SOCKET:
	case C_M_BIND_SOURCE:
	case C_M_BIND_RW_SOURCE:
		for (size_t i = 0; i < c->n_mounts; i++) {
			const struct vg_ctr_mount *m = &c->mounts[i];

			if (f->id == C_M_SOURCE && m->source[0])
				vg_extract_cstr(x, m->source);
			else if (f->id == C_M_DEST)
				vg_extract_cstr(x, m->destination);
			else if (f->id == C_M_TYPE)
				vg_extract_cstr(x, m->type);
			else if (f->id == C_M_RW_SOURCE && m->rw && m->source[0])
				vg_extract_cstr(x, m->source);
			else if (f->id == C_M_PROPAGATION && m->propagation[0])
				vg_extract_cstr(x, m->propagation);
			else if (f->id == C_M_SOCKET && m->socket)
				vg_extract_cstr(x, m->source);
			else if (f->id == C_M_BIND_SOURCE && !strcmp(m->type, "bind") &&
				 m->source[0])
				vg_extract_cstr(x, m->source);
			else if (f->id == C_M_BIND_RW_SOURCE && !strcmp(m->type, "bind") && m->rw &&
				 m->source[0])
				vg_extract_cstr(x, m->source);
		}
		break;
	case C_P_HOST_IP:
		for (size_t i = 0; i < c->n_ports; i++)
			vg_extract_cstr(x, c->ports[i].host_ip);
		break;
	case C_P_HOST_PORT:
		for (size_t i = 0; i < c->n_ports; i++)
			if (c->ports[i].host_port)
				vg_extract_uint(x, c->ports[i].host_port);
		break;
	case C_P_WILDCARD:
		for (size_t i = 0; i < c->n_ports; i++) {
			const char *ip = c->ports[i].host_ip;

			if (!*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::") ||
			    !strcmp(ip, "[::]"))
				vg_extract_printf(x, "%s:%u->%s", *ip ? ip : "*",
						  c->ports[i].host_port,
						  c->ports[i].container_port);
		}
		break;
	case C_P_BINDINGS:
		for (size_t i = 0; i < c->n_ports; i++)
			vg_extract_printf(x, "%s:%u->%s",
					  *c->ports[i].host_ip ? c->ports[i].host_ip : "*",
					  c->ports[i].host_port, c->ports[i].container_port);
		break;
	case C_ISO_COLLECTED:
		vg_extract_bool(x, iso != NULL);
		break;
	case C_ISO_ERROR:
		vg_extract_cstr(x, c->iso_error);
		break;
	case C_ISO_SECCOMP:
		if (iso && iso->seccomp >= 0)
			vg_extract_int(x, iso->seccomp);
		break;
	case C_ISO_NNP:
		if (iso && iso->no_new_privs >= 0)
			vg_extract_bool(x, iso->no_new_privs == 1);
		break;
	case C_ISO_CAP_EFF:
		if (iso)
			cap_set(x, iso->cap_eff);
		break;
	case C_ISO_CAP_BND:
		if (iso)
			cap_set(x, iso->cap_bnd);
		break;
	case C_ISO_SHARED_NS:
		if (iso)
			for (int n = 0; n < VG_ISO_NS__MAX; n++)
				if (iso->ns[n] == VG_ISO_NS_SHARED)
					vg_extract_cstr(x, vg_iso_ns_name(n));
		break;
	case C_ISO_LSM_LABEL:
		if (iso)
			vg_extract_cstr(x, iso->lsm_label);
		break;
	case C_ISO_ROOT_ON_HOST:
		if (iso)
			vg_extract_bool(x, iso->root_on_host);
		break;
	case C_ISO_FINDINGS:
		if (iso)
			for (size_t i = 0; i < iso->n_findings; i++)
				vg_extract_cstr(x, iso->findings[i].id);
		break;
	}
	(void)arg;
}

#define L (VG_FF_MULTI | VG_FF_LIST)

static const struct vg_field base[] = {
	{"container.id", VG_FT_STR, 0, "container id", NULL, C_ID},
	{"container.name", VG_FT_STR, 0, "container name (without the leading /)", NULL, C_NAME},
	{"container.image", VG_FT_STR, 0, "image as given (Config.Image)", NULL, C_IMAGE},
	{"container.origin", VG_FT_STR, 0, "where it was read: api, or the config.v2.json path",
	 NULL, C_ORIGIN},
	{"container.running", VG_FT_BOOL, 0, "State.Running", NULL, C_RUNNING},
	{"container.pid", VG_FT_UINT, 0, "host pid of its init when running", NULL, C_PID},
	{"container.privileged", VG_FT_BOOL, 0, "HostConfig.Privileged", NULL, C_PRIVILEGED},
	{"container.user", VG_FT_STR, 0, "Config.User (\"\" when unset: the image's, else root)",
	 NULL, C_USER},
	{"container.runs_as_root", VG_FT_BOOL, 0,
	 "Config.User is empty, 0, root, 0:* or root:* (the image's USER is not consulted)", NULL,
	 C_RUNS_AS_ROOT},
	{"container.cap_add", VG_FT_STR, L, "HostConfig.CapAdd, normalised (SYS_ADMIN, ALL)", NULL,
	 C_CAP_ADD},
	{"container.cap_drop", VG_FT_STR, L, "HostConfig.CapDrop, normalised", NULL, C_CAP_DROP},
	{"container.cap_add_nondefault", VG_FT_STR, L,
	 "added capabilities that Docker does not grant by default", NULL, C_CAP_ADD_NONDEFAULT},
	{"container.caps_all", VG_FT_BOOL, 0, "every capability: privileged or --cap-add ALL", NULL,
	 C_CAPS_ALL},
	{"container.security_opt", VG_FT_STR, L, "HostConfig.SecurityOpt as written", NULL,
	 C_SECURITY_OPT},
	{"container.network_mode", VG_FT_STR, 0, "HostConfig.NetworkMode (host, none, ...)", NULL,
	 C_NETWORK_MODE},
	{"container.pid_mode", VG_FT_STR, 0, "HostConfig.PidMode (\"\" private, host)", NULL,
	 C_PID_MODE},
	{"container.ipc_mode", VG_FT_STR, 0, "HostConfig.IpcMode", NULL, C_IPC_MODE},
	{"container.uts_mode", VG_FT_STR, 0, "HostConfig.UTSMode", NULL, C_UTS_MODE},
	{"container.userns_mode", VG_FT_STR, 0, "HostConfig.UsernsMode", NULL, C_USERNS_MODE},
	{"container.cgroupns_mode", VG_FT_STR, 0, "HostConfig.CgroupnsMode", NULL, C_CGROUPNS_MODE},
	{"container.seccomp", VG_FT_STR, 0,
	 "effective seccomp: unconfined (asked, or privileged without an explicit profile), "
	 "default, custom (inline JSON) or the profile named",
	 NULL, C_SECCOMP},
	{"container.apparmor", VG_FT_STR, 0,
	 "effective AppArmor profile: unconfined for privileged, \"\" when the host has no "
	 "AppArmor",
	 NULL, C_APPARMOR},
	{"container.apparmor_profile", VG_FT_STR, 0, "AppArmorProfile as the engine recorded it",
	 NULL, C_APPARMOR_PROFILE},
	{"container.selinux_disabled", VG_FT_BOOL, 0, "label=disable", NULL, C_SELINUX_DISABLED},
	{"container.no_new_privileges", VG_FT_BOOL, 0,
	 "effective no-new-privileges (security option, else the daemon default)", NULL, C_NNP},
	{"container.systempaths_unconfined", VG_FT_BOOL, 0,
	 "masked and read-only /proc, /sys paths cleared (systempaths=unconfined, privileged)",
	 NULL, C_SYSTEMPATHS},
	{"container.read_only_rootfs", VG_FT_BOOL, 0, "HostConfig.ReadonlyRootfs", NULL,
	 C_RO_ROOTFS},
	{"container.memory", VG_FT_INT, 0, "memory limit in bytes (0: none)", NULL, C_MEMORY},
	{"container.cpu_shares", VG_FT_INT, 0, "HostConfig.CpuShares (0: default)", NULL,
	 C_CPU_SHARES},
	{"container.nano_cpus", VG_FT_INT, 0, "HostConfig.NanoCpus (0: none)", NULL, C_NANO_CPUS},
	{"container.cpu_quota", VG_FT_INT, 0, "HostConfig.CpuQuota (0: none)", NULL, C_CPU_QUOTA},
	{"container.pids_limit", VG_FT_INT, 0, "HostConfig.PidsLimit (0 when unset, -1 unlimited)",
	 NULL, C_PIDS_LIMIT},
	{"container.restart_policy", VG_FT_STR, 0, "RestartPolicy.Name (no when unset)", NULL,
	 C_RESTART_POLICY},
	{"container.restart_max_retries", VG_FT_INT, 0, "RestartPolicy.MaximumRetryCount", NULL,
	 C_RESTART_MAX},
	{"container.cgroup_parent", VG_FT_STR, 0, "HostConfig.CgroupParent", NULL, C_CGROUP_PARENT},
	{"container.devices", VG_FT_STR, L, "host devices passed (PathOnHost)", NULL, C_DEVICES},
	{"container.device_cgroup_rules", VG_FT_STR, L, "HostConfig.DeviceCgroupRules", NULL,
	 C_DEVICE_RULES},
	{"container.sysctls", VG_FT_STR, L, "HostConfig.Sysctls as NAME=VALUE", NULL, C_SYSCTLS},
	{"container.sysctl_names", VG_FT_STR, L, "names of HostConfig.Sysctls", NULL,
	 C_SYSCTL_NAMES},
	{"container.healthcheck", VG_FT_BOOL, 0, "a health check is configured (not NONE)", NULL,
	 C_HEALTHCHECK},
	{"container.health_status", VG_FT_STR, 0, "State.Health.Status", NULL, C_HEALTH_STATUS},
	{"container.mount.source", VG_FT_STR, L, "host path of each mount", NULL, C_M_SOURCE},
	{"container.mount.destination", VG_FT_STR, L, "path of each mount inside", NULL, C_M_DEST},
	{"container.mount.type", VG_FT_STR, L, "bind, volume, tmpfs", NULL, C_M_TYPE},
	{"container.mount.rw_source", VG_FT_STR, L, "host path of each read-write mount", NULL,
	 C_M_RW_SOURCE},
	{"container.mount.propagation", VG_FT_STR, L, "non-default propagation of the mounts", NULL,
	 C_M_PROPAGATION},
	{"container.mount.socket", VG_FT_STR, L,
	 "mount sources that are, or contain, a container runtime socket (docker, containerd, "
	 "podman, cri-o, plugins, the audited engine's own socket)",
	 NULL, C_M_SOCKET},
	{"container.mount.bind_source", VG_FT_STR, L,
	 "host path of each bind mount (volumes and tmpfs left out)", NULL, C_M_BIND_SOURCE},
	{"container.mount.bind_rw_source", VG_FT_STR, L, "host path of each read-write bind mount",
	 NULL, C_M_BIND_RW_SOURCE},
	{"container.port.host_ip", VG_FT_STR, L, "HostIp of each port binding (\"\": all)", NULL,
	 C_P_HOST_IP},
	{"container.port.host_port", VG_FT_UINT, L, "host port of each binding (fixed ones)", NULL,
	 C_P_HOST_PORT},
	{"container.port.wildcard", VG_FT_STR, L,
	 "bindings on every address (\"\", 0.0.0.0, ::) as IP:PORT->PORT/PROTO", NULL,
	 C_P_WILDCARD},
	{"container.port.bindings", VG_FT_STR, L, "every binding as IP:PORT->PORT/PROTO", NULL,
	 C_P_BINDINGS},
	{"container.iso.collected", VG_FT_BOOL, 0, "the isolation in force was read from /proc",
	 NULL, C_ISO_COLLECTED},
	{"container.iso.error", VG_FT_STR, 0, "why the isolation of a running one was not read",
	 NULL, C_ISO_ERROR},
	{"container.iso.seccomp_mode", VG_FT_INT, 0, "Seccomp: of its init (0 off, 2 filter)", NULL,
	 C_ISO_SECCOMP},
	{"container.iso.no_new_privs", VG_FT_BOOL, 0, "NoNewPrivs: of its init", NULL, C_ISO_NNP},
	{"container.iso.cap_eff", VG_FT_STR, L, "effective capabilities of its init", NULL,
	 C_ISO_CAP_EFF},
	{"container.iso.cap_bnd", VG_FT_STR, L, "bounding set of its init", NULL, C_ISO_CAP_BND},
	{"container.iso.shared_ns", VG_FT_STR, L, "namespaces shared with the host (pid, net, ...)",
	 NULL, C_ISO_SHARED_NS},
	{"container.iso.lsm_label", VG_FT_STR, 0, "AppArmor/SELinux label of its init", NULL,
	 C_ISO_LSM_LABEL},
	{"container.iso.root_on_host", VG_FT_BOOL, 0, "uid 0 inside is uid 0 on the host", NULL,
	 C_ISO_ROOT_ON_HOST},
	{"container.iso.findings", VG_FT_STR, L, "ids of the vigil inspect findings (ISO-...)",
	 NULL, C_ISO_FINDINGS},
};

static struct vg_field fields[VG_ARRAY_SIZE(base)];

static struct vg_source ctr_source = {
	.name = VG_CONTAINER_SOURCE,
	.fields = fields,
	.n_fields = VG_ARRAY_SIZE(base),
};

int vg_container_source_register(void)
{
	int r;

	if (vg_source_find(VG_CONTAINER_SOURCE))
		return 0;
	for (size_t i = 0; i < VG_ARRAY_SIZE(base); i++) {
		fields[i] = base[i];
		fields[i].extract = ctr_extract;
	}
	r = vg_source_register(&ctr_source);
	return r == -EEXIST ? 0 : r;
}
