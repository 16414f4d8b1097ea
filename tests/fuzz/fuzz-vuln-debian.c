/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the Debian importers: DSA/DLA lists (input starting with '[' or whitespace) and the
 * security tracker JSON (input starting with '{'), then the matcher on a Debian package. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
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
	char err[512], kind[4];
	int r;

	if (size > 1024 * 1024)
		return 0;
	if (!db && vg_vuln_db_open(":memory:", true, &db, err, sizeof(err)) < 0)
		abort();
	if (vg_vuln_import_begin(db, "fuzz", "debian", NULL, &imp, err, sizeof(err)) < 0)
		abort();
	err[0] = '\0';
	if (size > 0 && data[0] == '{')
		r = vg_vuln_import_debian_tracker(imp, (const char *)data, size, "fuzz", err,
						  sizeof(err));
	else
		r = vg_vuln_import_debian_list(imp, (const char *)data, size, "fuzz", kind, err,
					       sizeof(err));
	if (r < 0) {
		if (!err[0] && r != -ENOMEM)
			abort();
		vg_vuln_import_abort(imp);
		return 0;
	}
	if (vg_vuln_import_commit(imp, err, sizeof(err)) < 0)
		abort();
	vg_vec_init(&list, sizeof(struct vg_package), 0);
	for (int rel = 0; rel < 2; rel++) {
		struct vg_package p = {.ecosystem = VG_ECOSYSTEM_DEB,
				       .name = "a-bin",
				       .version = "1.0-1",
				       .source_name = rel ? "openssl" : "a",
				       .layer = -1};
		struct vg_os os = {.id = "debian"};

		snprintf(os.version_id, sizeof(os.version_id), "%s", rel ? "11" : "3.0");
		vg_vec_clear(&list);
		if (vg_vec_push(&list, &p) < 0)
			abort();
		vg_vuln_findings_init(&f);
		r = vg_vuln_match(db, &os, &list, NULL, &f, err, sizeof(err));
		if (r < 0 && r != -ENOMEM && r != -E2BIG)
			abort(); /* the database is ours: only resource limits can fail */
		vg_vuln_findings_done(&f);
	}
	vg_vec_done(&list);
	return 0;
}
