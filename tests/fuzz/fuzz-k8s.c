/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_k8s_parse() (YAML or JSON manifests) and, for what parses, the whole audit: the
 * built-in Pod Security Standards rules over every pod and container, and the four writers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/k8s.h"
#include "basic/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_rules_collection coll;
static struct vg_ruleset *rs;
static FILE *devnull;

static void setup(void)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;

	if (rs)
		return;
	if (vg_k8s_sources_register() < 0)
		abort();
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	if (vg_audit_load_builtin(&coll, &d) < 0 || vg_rules_compile(&coll, &o, &rs, &d) < 0)
		abort();
	vg_diags_done(&d);
	devnull = fopen("/dev/null", "we");
	if (!devnull)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_k8s_set set;
	struct vg_audit_report rep;
	struct vg_audit_options o = {.benchmark = NULL};
	char err[512];
	int r;

	setup();
	vg_k8s_set_init(&set);
	r = vg_k8s_parse(&set, (const char *)data, size, "fuzz.yaml", err, sizeof(err));
	if (r < 0) {
		/* every error says where */
		if (strncmp(err, "fuzz.yaml:", 10) != 0 || vg_k8s_count(&set) != 0)
			abort();
		vg_k8s_set_done(&set);
		return 0;
	}
	for (size_t i = 0; i < vg_k8s_count(&set); i++) {
		const struct vg_k8s_pod *p = vg_k8s_pod_at(&set, i);

		if (p->n_containers > VG_K8S_CONTAINERS_MAX || !p->kind || p->line == 0)
			abort();
		for (size_t k = 0; k < p->n_containers; k++)
			if (p->containers[k].pod != p || !p->containers[k].name)
				abort();
	}
	vg_audit_report_init(&rep, "k8s");
	r = vg_audit_k8s(rs, &set, &o, &rep);
	if (r < 0 && r != -E2BIG)
		abort();
	if (r >= 0)
		for (int f = VG_AUDIT_TABLE; f <= VG_AUDIT_JUNIT; f++)
			if (vg_audit_write(&rep, f, devnull) < 0)
				abort();
	vg_audit_report_done(&rep);
	vg_k8s_set_done(&set);
	return 0;
}
