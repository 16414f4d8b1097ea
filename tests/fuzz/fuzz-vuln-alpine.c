/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the Alpine secdb importers (YAML, and JSON when the input starts with '{'), then the
 * matcher on an Alpine package of the imported branch. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/db.h"
#include "vuln/match.h"
#include "vuln/vuln-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_vuln_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_vuln_import *imp;
	struct vg_vuln_findings f;
	struct vg_vec list;
	char err[512], name[128];
	struct vg_package p = {.ecosystem = VG_ECOSYSTEM_APK,
			       .name = "musl",
			       .version = "1.1.22-r2",
			       .source_name = "musl",
			       .layer = -1};
	struct vg_os os = {.id = "alpine", .version_id = "3.10.4"};
	int r;

	if (size > 1024 * 1024)
		return 0;
	if (!db && vg_vuln_db_open(":memory:", true, &db, err, sizeof(err)) < 0)
		abort();
	if (vg_vuln_import_begin(db, "fuzz", "alpine-secdb", NULL, &imp, err, sizeof(err)) < 0)
		abort();
	err[0] = '\0';
	r = vg_vuln_import_alpine(imp, (const char *)data, size, !(size > 0 && data[0] == '{'),
				  "fuzz", name, sizeof(name), err, sizeof(err));
	if (r < 0) {
		if (!err[0] && r != -ENOMEM)
			abort();
		vg_vuln_import_abort(imp);
		return 0;
	}
	if (vg_vuln_import_commit(imp, err, sizeof(err)) < 0)
		abort();
	vg_vec_init(&list, sizeof(struct vg_package), 0);
	if (vg_vec_push(&list, &p) < 0)
		abort();
	vg_vuln_findings_init(&f);
	r = vg_vuln_match(db, &os, &list, NULL, &f, err, sizeof(err));
	if (r < 0 && r != -ENOMEM && r != -E2BIG)
		abort(); /* the database is ours: only resource limits can fail */
	vg_vuln_findings_done(&f);
	vg_vec_done(&list);
	return 0;
}
