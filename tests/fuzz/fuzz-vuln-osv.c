/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the OSV importer (a JSON record or array, or an all.zip when the input starts with
 * "PK") into an in-memory database, then the matcher over what was imported. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/db.h"
#include "vuln/match.h"
#include "vuln/vuln-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_vuln_db *db;

static void match_some(void)
{
	static const struct {
		enum vg_ecosystem e;
		const char *name, *version;
	} pk[] = {
		{VG_ECOSYSTEM_GOLANG, "stdlib", "v1.19.0"},
		{VG_ECOSYSTEM_GOLANG, "a", "v0.0.0-2020"},
		{VG_ECOSYSTEM_PYPI, "a", "1.0rc1"},
		{VG_ECOSYSTEM_NPM, "a", "1.2.3-beta.1"},
		{VG_ECOSYSTEM_MAVEN, "a", "1.0-SNAPSHOT"},
		{VG_ECOSYSTEM_GEM, "a", "1.0.a"},
		{VG_ECOSYSTEM_CARGO, "a", "0.1.0"},
		{VG_ECOSYSTEM_DEB, "a", "1:1.0-1"},
	};
	struct vg_os os = {.id = "debian", .version_id = "12"};
	struct vg_vuln_findings f;
	struct vg_vec list;
	char err[256];

	vg_vec_init(&list, sizeof(struct vg_package), 0);
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		struct vg_package p = {.ecosystem = pk[i].e,
				       .name = pk[i].name,
				       .version = pk[i].version,
				       .layer = -1};

		if (vg_vec_push(&list, &p) < 0)
			abort();
	}
	vg_vuln_findings_init(&f);
	if (vg_vuln_match(db, &os, &list, &(struct vg_vuln_match_options){.show_unimportant = true},
			  &f, err, sizeof(err)) < 0)
		abort(); /* the database is ours: a match only fails on resource limits */
	{
		for (size_t i = 0; i < f.items.len; i++) {
			const struct vg_vuln_finding *x = vg_vec_at(&f.items, i);

			if (!x->id || x->n_ids == 0 || strcmp(x->id, x->ids[0]) != 0)
				abort();
			if ((x->fix_state == VG_VULN_FIX_FIXED) != (x->fixed_version != NULL))
				abort();
		}
	}
	vg_vuln_findings_done(&f);
	vg_vec_done(&list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_vuln_import *imp;
	char err[512], eco[64];
	int r;

	if (size > 1024 * 1024)
		return 0;
	if (!db && vg_vuln_db_open(":memory:", true, &db, err, sizeof(err)) < 0)
		abort();
	if (vg_vuln_import_begin(db, "fuzz", "osv", NULL, &imp, err, sizeof(err)) < 0)
		abort();
	if (size >= 2 && memcmp(data, "PK", 2) == 0)
		r = vg_vuln_import_osv_zip(imp, data, size, "fuzz.zip", eco, sizeof(eco), err,
					   sizeof(err));
	else
		r = vg_vuln_import_osv_json(imp, (const char *)data, size, "fuzz.json", err,
					    sizeof(err));
	if (r < 0) {
		if (!err[0])
			abort(); /* every error says what went wrong */
		vg_vuln_import_abort(imp);
		return 0;
	}
	if (vg_vuln_import_commit(imp, err, sizeof(err)) < 0)
		abort();
	match_some();
	return 0;
}
