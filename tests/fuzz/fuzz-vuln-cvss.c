/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz the CVSS v3.x vector parser: a parsed vector scores within [0, 10] in 0.1 steps and
 * re-parses identically when written back in canonical order. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[512], canon[128];
	struct vg_cvss3 c, c2;

	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (vg_cvss3_parse(buf, &c) < 0)
		return 0;
	if (!(c.base_score >= 0 && c.base_score <= 10) ||
	    fabs(c.base_score * 10 - round(c.base_score * 10)) > 1e-6)
		abort();
	snprintf(canon, sizeof(canon), "CVSS:3.%d/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/C:%c/I:%c/A:%c",
		 c.minor, c.av, c.ac, c.pr, c.ui, c.s, c.c, c.i, c.a);
	if (vg_cvss3_parse(canon, &c2) < 0 || c2.base_score != c.base_score)
		abort();
	(void)vg_cvss3_severity(c.base_score);
	return 0;
}
