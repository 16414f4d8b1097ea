/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container attribution from cgroup paths: which runtime created the cgroup, the full
 * container id and, for Kubernetes, the pod uid. Pure string parsing (no file access), so it
 * runs the same live and in replay and can be fuzzed.
 */
#ifndef VG_STATE_CGROUP_H
#define VG_STATE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "basic/limits.h"
#include "basic/macro.h"
#include "state/meta.h"

#define VG_CONTAINER_ID_MAX 128 /* longest id we keep (64 hex, or a runc/crun name) */
#define VG_POD_UID_MAX	    36 /* 8-4-4-4-12 */

struct vg_cgroup_container {
	enum vg_runtime runtime; /* VG_RUNTIME_NONE for host cgroups */
	char id[VG_CONTAINER_ID_MAX + 1];
	char pod_uid[VG_POD_UID_MAX + 1]; /* "" unless under kubepods */
	bool kubepods; /* under a kubepods hierarchy (CRI) */
	/*
	 * runc/crun bundle whose id is only a leaf name: the caller must confirm it (the
	 * process is in a non-host pid/mnt namespace, or /run/runc/<id> or /run/crun/<id>
	 * exists) before treating it as a container.
	 */
	bool needs_confirmation;
	/* ... and when the leaf is not at the top of the hierarchy, only the state directory
	 * confirms it (a process in a child pid namespace under some deep cgroup is more often
	 * a sandbox than a container). */
	bool state_dir_only;
};

/**
 * vg_cgroup_parse_container() - find the container a cgroup path belongs to.
 * @cgroup_path: a path such as "/docker/<id>" or "/kubepods.slice/.../cri-containerd-<id>.scope"
 *               (the third field of a /proc/<pid>/cgroup line; a leading "0::" or
 *               "N:controllers:" prefix is accepted and skipped).
 * The innermost container wins (docker in docker). conmon cgroups are not containers.
 * Returns 1 and fills *ret for a container, 0 (ret->runtime = NONE) for a host cgroup,
 * -EINVAL for NULL, -E2BIG past VG_CGROUP_PATH_MAX.
 */
VG_MUST_CHECK int vg_cgroup_parse_container(const char *cgroup_path,
					    struct vg_cgroup_container *ret);

/**
 * vg_proc_cgroup_select() - pick the cgroup path to attribute a process by, from the text of
 * /proc/<pid>/cgroup (v1, v2 or hybrid). Prefers the v2 "0::" line when it is not "/" and names
 * a container, else a v1 line (pids, memory, cpu, cpuset, name=systemd, any) naming a container,
 * else the non-root v2 path, else the first path. Copies the path (without the
 * "N:controllers:" prefix) into @buf.
 * Returns 1 when the chosen path names a container, 0 when not, -ENOENT when the text has no
 * cgroup line, -E2BIG when the path does not fit @size or VG_CGROUP_PATH_MAX.
 */
VG_MUST_CHECK int vg_proc_cgroup_select(const char *proc_pid_cgroup_text, char *buf, size_t size);

#endif /* VG_STATE_CGROUP_H */
