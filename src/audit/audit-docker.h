/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil audit host / containers: the `host` object and the `container` objects evaluated by
 * the rules of their sources (rules/audit/cis-docker.yaml, built in), into the audit report
 * of audit.h (same suppressions, scores and writers as the k8s audit).
 *
 * A rule's control is the rule itself. Report objects: the host is one object (kind Host,
 * file = daemon.json or the unit or "host"), each container one (kind Container, name its
 * name, file its origin). Inputs that do not exist are recorded as not-applicable files:
 * without a daemon, daemon.json or docker unit the host has no object at all.
 */
#ifndef VG_AUDIT_AUDIT_DOCKER_H
#define VG_AUDIT_AUDIT_DOCKER_H

#include "audit/audit.h"
#include "audit/container.h"
#include "audit/host.h"

/* Loads the built-in CIS Docker rules (rules/audit/cis-docker.yaml) into c; the host and
 * container sources must be registered (vg_host_source_register()). */
VG_MUST_CHECK int vg_audit_docker_load_builtin(struct vg_rules_collection *c, struct vg_diags *d);

/* Evaluates the host. 0, -ENOENT when no rule of the source is selected, -ENOMEM. */
VG_MUST_CHECK int vg_audit_host(const struct vg_ruleset *rs, const struct vg_host *h,
				const struct vg_audit_options *o, struct vg_audit_report *rep);
/* Evaluates every container of s. Same returns. */
VG_MUST_CHECK int vg_audit_containers(const struct vg_ruleset *rs, const struct vg_ctr_set *s,
				      const struct vg_audit_options *o,
				      struct vg_audit_report *rep);

#endif /* VG_AUDIT_AUDIT_DOCKER_H */
