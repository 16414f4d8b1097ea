/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the engine host parsers on daemon.json and dockerd's command line: the input is
 * parsed as daemon.json and, separately, as a NUL-separated argv; what parses is evaluated by
 * the built-in CIS Docker host rules (every extractor, outputs formatted). Invariants: every
 * option has a key and a value, and errors are the documented ones.
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

static void evaluate(struct vg_host *h)
{
	struct vg_audit_options o = {.today = 20000};
	struct vg_audit_report rep;

	vg_vec_for_each(const struct vg_host_opt, opt, &h->opts)
		if (!opt->key || !opt->value)
			abort();
	h->daemon_json = "/etc/docker/daemon.json";
	vg_audit_report_init(&rep, "host");
	if (vg_audit_host(rs, h, &o, &rep) < 0)
		abort();
	vg_audit_report_done(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_host h;
	char err[256];
	int r;

	setup();
	vg_host_init(&h);
	r = vg_host_parse_daemon_json(&h, (const char *)data, size, err, sizeof(err));
	if (r < 0 && r != -EBADMSG && r != -E2BIG && r != -ENOMEM)
		abort();
	if (r >= 0)
		evaluate(&h);
	vg_host_done(&h);

	vg_host_init(&h);
	r = vg_host_parse_cmdline(&h, (const char *)data, size, VG_HOST_FROM_CMDLINE);
	if (r < 0 && r != -E2BIG && r != -ENOMEM)
		abort();
	if (r >= 0)
		evaluate(&h);
	vg_host_done(&h);
	return 0;
}
