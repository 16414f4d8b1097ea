/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the container configuration parser: the input up to its first NUL is config.v2.json
 * (or an API inspect object), what follows hostconfig.json (none without a NUL). What parses
 * is evaluated by the built-in CIS Docker container rules. The whole input is also parsed as
 * an OCI runtime-spec config.json (runc/containerd bundles). Invariants: the strings the
 * extractors use are set and the effective seccomp/AppArmor of a privileged container is
 * unconfined unless a seccomp profile was named.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit-docker.h"
#include "basic/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_rules_collection coll;
static struct vg_ruleset *rs;

static void setup(void)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;

	if (rs)
		return;
	if (vg_host_source_register() < 0)
		abort();
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	if (vg_audit_docker_load_builtin(&coll, &d) < 0 || vg_rules_compile(&coll, &o, &rs, &d) < 0)
		abort();
	vg_diags_done(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nul = memchr(data, '\0', size);
	struct vg_audit_options o = {.today = 20000};
	struct vg_audit_report rep;
	struct vg_ctr_set s;
	int r;

	setup();
	vg_ctr_set_init(&s);
	s.root = "/nonexistent-fuzz-root";
	s.dd.apparmor_enabled = size & 1;
	if (nul)
		r = vg_ctr_parse(&s, p, (size_t)(nul - p), nul + 1, size - (size_t)(nul - p) - 1,
				 "fuzz");
	else
		r = vg_ctr_parse(&s, p, size, NULL, 0, "fuzz");
	if (r < 0 && r != -EBADMSG && r != -E2BIG && r != -ENOMEM)
		abort();
	r = vg_ctr_parse_oci(&s, p, size, "fuzz-oci", 0, "fuzz/config.json");
	if (r < 0 && r != -EBADMSG && r != -E2BIG && r != -ENOMEM)
		abort();
	for (size_t i = 0; i < vg_ctr_count(&s); i++) {
		const struct vg_ctr *c = vg_ctr_at(&s, i);

		if (!c->id || !c->origin || !c->user || !c->seccomp || !c->apparmor)
			abort();
		if (c->privileged && strcmp(c->apparmor, "unconfined") != 0 &&
		    s.dd.apparmor_enabled)
			abort();
		for (size_t k = 0; k < c->n_mounts; k++)
			if (!c->mounts[k].type || !c->mounts[k].source ||
			    !c->mounts[k].destination || !c->mounts[k].propagation)
				abort();
		for (size_t k = 0; k < c->n_ports; k++)
			if (!c->ports[k].host_ip || !c->ports[k].container_port ||
			    c->ports[k].host_port > 65535)
				abort();
	}
	vg_audit_report_init(&rep, "containers");
	if (vg_audit_containers(rs, &s, &o, &rep) < 0)
		abort();
	vg_audit_report_done(&rep);
	vg_ctr_set_done(&s);
	return 0;
}
