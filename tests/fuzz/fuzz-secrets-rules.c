/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the secret rule-file loader: arbitrary bytes as a rules/allowlist file, loaded on
 * top of nothing; a failure must come with a "file:line:col: message", a success must give
 * rules with every field set; a loaded set is compiled and run over its own text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/rules.h"
#include "secrets/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_match(void *userdata, const struct vg_secret_match *m)
{
	size_t len = *(size_t *)userdata;

	if (m->offset + m->length > len || m->length == 0 || m->line == 0 || m->column == 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_secret_ruleset rs;
	struct vg_secret_scanner *s = NULL;
	char err[512] = "";
	int r;

	if (size > 256 * 1024)
		return 0;
	vg_secret_ruleset_init(&rs);
	r = vg_secret_ruleset_load_buffer(&rs, "fuzz.yaml", (const char *)data, size, err,
					  sizeof(err));
	if (r < 0) {
		if (r != -ENOMEM && (strncmp(err, "fuzz.yaml", 9) != 0 || !strchr(err, ':')))
			abort();
		goto out;
	}
	vg_vec_for_each(struct vg_secret_rule *, rp, &rs.rules) {
		const struct vg_secret_rule *rule = *rp;

		if (!rule->id || !rule->title || !rule->regex || !rule->re || !rule->n_keywords ||
		    (unsigned)rule->severity >= VG_SECRET_SEVERITY__MAX ||
		    rule->index != (unsigned)(rp - (struct vg_secret_rule **)rs.rules.data) ||
		    vg_secret_ruleset_get(&rs, rule->id) != rule)
			abort();
	}
	r = vg_secret_ruleset_compile(&rs, err, sizeof(err));
	if (r < 0) {
		if (!err[0] && r != -ENOMEM)
			abort();
		goto out;
	}
	if (vg_secret_scanner_new(&rs, &s) == 0) {
		r = vg_secret_scan_buffer(s, "fuzz/input", (const char *)data, size, on_match,
					  &size);
		if (r < 0 && r != -ENOMEM)
			abort();
		vg_secret_scanner_free(s);
	}
out:
	vg_secret_ruleset_done(&rs);
	return 0;
}
