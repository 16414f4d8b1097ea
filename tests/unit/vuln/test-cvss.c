/* SPDX-License-Identifier: Apache-2.0 */
/* CVSS v3.x: base scores of the FIRST v3.1 specification's examples document (CVE ids noted),
 * metric parsing, rounding and severity bands. */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "tap.h"
#include "vuln/cvss.h"

static const struct {
	const char *vector;
	double score;
} examples[] = {
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8}, /* CVE-2014-6271 Shellshock */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5}, /* CVE-2014-0160 Heartbleed */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1}, /* CVE-2013-1937 phpMyAdmin XSS */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4}, /* CVE-2013-0375 MySQL */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1}, /* CVE-2014-3566 POODLE */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9}, /* CVE-2012-1516 VMware */
	{"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2}, /* CVE-2009-0783 Tomcat */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8}, /* CVE-2012-0384 Cisco IOS */
	{"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8}, /* CVE-2015-1098 iWork */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8}, /* CVE-2008-1447 DNS */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8}, /* CVE-2014-2005 Sophos */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8}, /* CVE-2010-0467 Joomla */
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3}, /* CVE-2013-6014 Juniper */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4}, /* CVE-2014-9253 DotNetNuke */
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8}, /* CVE-2011-1265 Bluetooth */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6}, /* CVE-2014-2019 iOS */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8}, /* CVE-2015-0970 CSRF */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
	{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
	/* v3.0 vectors score the same way; metrics in any order, temporal metrics ignored */
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
	{"CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8},
};

TEST(spec_examples)
{
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		struct vg_cvss3 c;

		ASSERT_OK(vg_cvss3_parse(examples[i].vector, &c));
		if (fabs(c.base_score - examples[i].score) > 1e-9) {
			tap_diag("%s: %.1f, want %.1f\n", examples[i].vector, c.base_score,
				 examples[i].score);
			ASSERT_TRUE(false);
		}
	}
}

TEST(fields)
{
	struct vg_cvss3 c;

	ASSERT_OK(vg_cvss3_parse("CVSS:3.0/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:H", &c));
	ASSERT_EQ(c.minor, 0);
	ASSERT_EQ(c.av, 'A');
	ASSERT_EQ(c.ac, 'H');
	ASSERT_EQ(c.pr, 'L');
	ASSERT_EQ(c.ui, 'R');
	ASSERT_EQ(c.s, 'C');
	ASSERT_EQ(c.c, 'L');
	ASSERT_EQ(c.i, 'N');
	ASSERT_EQ(c.a, 'H');
}

TEST(invalid)
{
	static const char *const bad[] = {
		"",
		"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", /* no prefix */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", /* A missing */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H", /* repeated */
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", /* X is not a base value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:N",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:",
		"CVSS:3.1//AV:N",
	};
	struct vg_cvss3 c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vg_cvss3_parse(bad[i], &c) != -EINVAL) {
			tap_diag("accepted: \"%s\"\n", bad[i]);
			ASSERT_TRUE(false);
		}
	ASSERT_ERR(vg_cvss3_parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
				  &c),
		   -EPROTONOSUPPORT);
	ASSERT_ERR(vg_cvss3_parse(NULL, &c), -EINVAL);
	{
		char big[600];

		memset(big, 'A', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "CVSS:3.1/", 9);
		ASSERT_ERR(vg_cvss3_parse(big, &c), -E2BIG);
	}
}

TEST(severity_bands)
{
	ASSERT_EQ(vg_cvss3_severity(0.0), VG_VULN_SEVERITY_NEGLIGIBLE);
	ASSERT_EQ(vg_cvss3_severity(0.1), VG_VULN_SEVERITY_LOW);
	ASSERT_EQ(vg_cvss3_severity(3.9), VG_VULN_SEVERITY_LOW);
	ASSERT_EQ(vg_cvss3_severity(4.0), VG_VULN_SEVERITY_MEDIUM);
	ASSERT_EQ(vg_cvss3_severity(6.9), VG_VULN_SEVERITY_MEDIUM);
	ASSERT_EQ(vg_cvss3_severity(7.0), VG_VULN_SEVERITY_HIGH);
	ASSERT_EQ(vg_cvss3_severity(8.9), VG_VULN_SEVERITY_HIGH);
	ASSERT_EQ(vg_cvss3_severity(9.0), VG_VULN_SEVERITY_CRITICAL);
	ASSERT_EQ(vg_cvss3_severity(10.0), VG_VULN_SEVERITY_CRITICAL);
	ASSERT_EQ(vg_cvss3_severity(-1), VG_VULN_SEVERITY_UNKNOWN);
	ASSERT_EQ(vg_vuln_severity_from_string("MODERATE"), VG_VULN_SEVERITY_MEDIUM);
	ASSERT_EQ(vg_vuln_severity_from_string("Critical"), VG_VULN_SEVERITY_CRITICAL);
	ASSERT_ERR(vg_vuln_severity_from_string("severe"), -EINVAL);
	ASSERT_STREQ(vg_vuln_severity_to_string(VG_VULN_SEVERITY_HIGH), "high");
}
