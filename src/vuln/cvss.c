/* SPDX-License-Identifier: Apache-2.0 */
/* CVSS v3.x base score (FIRST CVSS v3.1 specification, section 7.1 and Appendix A). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "basic/limits.h"
#include "vuln/cvss.h"

/* Appendix A: Roundup without floating point error. */
static double roundup31(double x)
{
	int64_t i = (int64_t)llround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

/* CVSS v3.0: "the smallest number, specified to one decimal place, that is equal to or
 * higher than its input" (computed as the v3.0 reference calculator does). */
static double roundup30(double x)
{
	return ceil(x * 10.0) / 10.0;
}

struct metric {
	const char *name;
	const char *values; /* allowed letters */
	bool base;
};

static const struct metric metrics[] = {
	{"AV", "NALP", true},	{"AC", "LH", true},	{"PR", "NLH", true},
	{"UI", "NR", true},	{"S", "UC", true},	{"C", "HLN", true},
	{"I", "HLN", true},	{"A", "HLN", true},	{"E", "XUPFH", false},
	{"RL", "XOTWU", false}, {"RC", "XURC", false},	{"CR", "XLMH", false},
	{"IR", "XLMH", false},	{"AR", "XLMH", false},	{"MAV", "XNALP", false},
	{"MAC", "XLH", false},	{"MPR", "XNLH", false}, {"MUI", "XNR", false},
	{"MS", "XUC", false},	{"MC", "XNLH", false},	{"MI", "XNLH", false},
	{"MA", "XNLH", false},
};

int vg_cvss3_parse(const char *vector, struct vg_cvss3 *ret)
{
	bool seen[VG_ARRAY_SIZE(metrics)] = {};
	struct vg_cvss3 v = {};
	const char *p;
	size_t len;

	if (!vector)
		return -EINVAL;
	len = strnlen(vector, VG_VULN_CVSS_VECTOR_MAX + 1);
	if (len > VG_VULN_CVSS_VECTOR_MAX)
		return -E2BIG;
	if (strncmp(vector, "CVSS:3.1/", 9) == 0)
		v.minor = 1;
	else if (strncmp(vector, "CVSS:3.0/", 9) == 0)
		v.minor = 0;
	else if (strncmp(vector, "CVSS:", 5) == 0)
		return -EPROTONOSUPPORT;
	else
		return -EINVAL;

	p = vector + 9;
	for (;;) {
		const char *colon = strchr(p, ':'), *slash;
		size_t nl, k;

		if (!colon)
			return -EINVAL;
		nl = (size_t)(colon - p);
		slash = strchr(colon + 1, '/');
		if ((slash ? (size_t)(slash - colon - 1) : strlen(colon + 1)) != 1)
			return -EINVAL;
		for (k = 0; k < VG_ARRAY_SIZE(metrics); k++)
			if (strlen(metrics[k].name) == nl && memcmp(metrics[k].name, p, nl) == 0)
				break;
		if (k == VG_ARRAY_SIZE(metrics) || seen[k] || colon[1] == '\0' ||
		    !strchr(metrics[k].values, colon[1]))
			return -EINVAL;
		seen[k] = true;
		switch (k) {
		case 0:
			v.av = colon[1];
			break;
		case 1:
			v.ac = colon[1];
			break;
		case 2:
			v.pr = colon[1];
			break;
		case 3:
			v.ui = colon[1];
			break;
		case 4:
			v.s = colon[1];
			break;
		case 5:
			v.c = colon[1];
			break;
		case 6:
			v.i = colon[1];
			break;
		case 7:
			v.a = colon[1];
			break;
		default:
			break;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	for (size_t k = 0; k < VG_ARRAY_SIZE(metrics); k++)
		if (metrics[k].base && !seen[k])
			return -EINVAL;

	{
		bool changed = v.s == 'C';
		double av = v.av == 'N' ? 0.85 : v.av == 'A' ? 0.62 : v.av == 'L' ? 0.55 : 0.2;
		double ac = v.ac == 'L' ? 0.77 : 0.44;
		double pr = v.pr == 'N'	  ? 0.85
			    : v.pr == 'L' ? (changed ? 0.68 : 0.62)
					  : (changed ? 0.5 : 0.27);
		double ui = v.ui == 'N' ? 0.85 : 0.62;
		double c = v.c == 'H' ? 0.56 : v.c == 'L' ? 0.22 : 0;
		double i = v.i == 'H' ? 0.56 : v.i == 'L' ? 0.22 : 0;
		double a = v.a == 'H' ? 0.56 : v.a == 'L' ? 0.22 : 0;
		double iss = 1 - ((1 - c) * (1 - i) * (1 - a));
		double impact =
			changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
		double expl = 8.22 * av * ac * pr * ui;
		double (*roundup)(double) = v.minor == 1 ? roundup31 : roundup30;

		if (impact <= 0)
			v.base_score = 0;
		else if (changed)
			v.base_score = roundup(fmin(1.08 * (impact + expl), 10));
		else
			v.base_score = roundup(fmin(impact + expl, 10));
	}
	*ret = v;
	return 0;
}

enum vg_vuln_severity vg_cvss3_severity(double score)
{
	if (score < 0)
		return VG_VULN_SEVERITY_UNKNOWN;
	if (score < 0.05)
		return VG_VULN_SEVERITY_NEGLIGIBLE;
	if (score < 3.95)
		return VG_VULN_SEVERITY_LOW;
	if (score < 6.95)
		return VG_VULN_SEVERITY_MEDIUM;
	if (score < 8.95)
		return VG_VULN_SEVERITY_HIGH;
	return VG_VULN_SEVERITY_CRITICAL;
}

static const char *const severity_names[VG_VULN_SEVERITY__MAX] = {
	[VG_VULN_SEVERITY_UNKNOWN] = "unknown", [VG_VULN_SEVERITY_NEGLIGIBLE] = "negligible",
	[VG_VULN_SEVERITY_LOW] = "low",		[VG_VULN_SEVERITY_MEDIUM] = "medium",
	[VG_VULN_SEVERITY_HIGH] = "high",	[VG_VULN_SEVERITY_CRITICAL] = "critical",
};

const char *vg_vuln_severity_to_string(enum vg_vuln_severity s)
{
	if ((unsigned)s >= VG_VULN_SEVERITY__MAX)
		return NULL;
	return severity_names[s];
}

int vg_vuln_severity_from_string(const char *s)
{
	if (!s)
		return -EINVAL;
	for (int k = 0; k < VG_VULN_SEVERITY__MAX; k++)
		if (strcasecmp(s, severity_names[k]) == 0)
			return k;
	if (strcasecmp(s, "moderate") == 0)
		return VG_VULN_SEVERITY_MEDIUM;
	if (strcasecmp(s, "important") == 0)
		return VG_VULN_SEVERITY_HIGH;
	if (strcasecmp(s, "none") == 0)
		return VG_VULN_SEVERITY_NEGLIGIBLE;
	return -EINVAL;
}
