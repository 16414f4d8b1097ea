/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secret rules and scanner: every built-in rule finds a freshly generated fake credential of
 * its format (samples.h), benign text and near misses give nothing, masking, entropy,
 * allowlists, rule-file errors, keyword gating, binary sniffing, the image config.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/strbuf.h"
#include "helpers.h"
#include "samples.h"
#include "secrets/rules.h"
#include "secrets/scan.h"
#include "secrets/target.h"
#include "shared/json.h"
#include "tap.h"

static struct vg_secret_ruleset builtin;
static struct vg_secret_scanner *scanner;

static void setup(void)
{
	char err[512] = "";

	if (scanner)
		return;
	vg_secret_ruleset_init(&builtin);
	if (vg_secret_ruleset_load_builtin(&builtin, err, sizeof(err)) < 0 ||
	    vg_secret_ruleset_compile(&builtin, err, sizeof(err)) < 0) {
		tap_diag("# %s\n", err);
		tap_fail();
	}
	ASSERT_OK(vg_secret_scanner_new(&builtin, &scanner));
}

static int scan(struct vg_secret_scanner *s, const char *path, const char *text, size_t len,
		struct collected *c)
{
	memset(c, 0, sizeof(*c));
	return vg_secret_scan_buffer(s, path, text, len, collect, c);
}

TEST(builtin_rules_load_and_each_has_a_sample)
{
	setup();
	ASSERT_GE(vg_secret_ruleset_count(&builtin), 80);
	vg_vec_for_each(struct vg_secret_rule *, r, &builtin.rules) {
		bool found = false;

		for (size_t i = 0; i < VG_ARRAY_SIZE(samples); i++)
			found |= !strcmp(samples[i].rule, (*r)->id);
		if (!found)
			TAP_FAIL_AT("rule %s has no sample in samples.h", (*r)->id);
		ASSERT_TRUE((*r)->n_keywords > 0);
		ASSERT_TRUE((*r)->secret_group > 0);
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(samples); i++)
		if (!vg_secret_ruleset_get(&builtin, samples[i].rule))
			TAP_FAIL_AT("sample for unknown rule %s", samples[i].rule);
}

TEST(true_positive_per_rule)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct collected c;

	setup();
	rng_seed_from_env();
	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < VG_ARRAY_SIZE(samples); i++) {
			const struct sample *s = &samples[i];
			size_t so, eo;
			int r;

			expand(s->text, &sb, &so, &eo);
			ASSERT_TRUE(so != (size_t)-1 && eo > so);
			r = scan(scanner, s->path, sb.buf, sb.len, &c);
			if (r != 1 || c.n != 1 || strcmp(c.f[0].rule, s->rule) ||
			    c.f[0].offset != so || c.f[0].length != eo - so) {
				tap_diag("# round %d, rule %s: %d findings\n# text: %s\n", round,
					 s->rule, r, sb.buf);
				for (size_t k = 0; k < c.n && k < 64; k++)
					tap_diag("#   %s at %zu+%zu (want %zu+%zu)\n", c.f[k].rule,
						 c.f[k].offset, c.f[k].length, so, eo - so);
				TAP_FAIL_AT("rule %s missed its sample", s->rule);
			}
		}
	vg_strbuf_done(&sb);
}

TEST(samples_inside_larger_files)
{
	/* every sample at once, separated by ordinary text: each found once, lines right */
	struct vg_strbuf sb = VG_STRBUF_INIT(0), one = VG_STRBUF_INIT(0);
	static struct collected c;
	size_t so, eo;
	unsigned line = 1;

	setup();
	rng_seed(7);
	for (size_t i = 0; i < VG_ARRAY_SIZE(samples); i++) {
		if (samples[i].path && strstr(samples[i].path, "serviceaccount/token"))
			continue;
		if (!strcmp(samples[i].rule, "kubeconfig-token") ||
		    !strcmp(samples[i].rule, "kubeconfig-password") ||
		    !strcmp(samples[i].rule, "netrc-password") ||
		    !strcmp(samples[i].rule, "htpasswd-password-hash"))
			continue; /* path-restricted rules */
		ASSERT_OK(
			vg_strbuf_puts(&sb, "plain text between the samples, nothing secret\n\n"));
		expand(samples[i].text, &one, &so, &eo);
		ASSERT_OK(vg_strbuf_append(&sb, one.buf, one.len));
		ASSERT_OK(vg_strbuf_putc(&sb, '\n'));
	}
	memset(&c, 0, sizeof(c));
	ASSERT_GE(vg_secret_scan_buffer(scanner, "app/all.txt", sb.buf, sb.len, collect, &c), 100);
	for (size_t k = 0; k < c.n && k < 64; k++) {
		/* line numbers: count them independently */
		line = 1;
		for (size_t j = 0; j < c.f[k].offset; j++)
			line += sb.buf[j] == '\n';
		ASSERT_EQ(c.f[k].line, line);
		if (k)
			ASSERT_GE(c.f[k].offset, c.f[k - 1].offset + c.f[k - 1].length);
	}
	vg_strbuf_done(&sb);
	vg_strbuf_done(&one);
}

TEST(true_negatives)
{
	static const char *const texts[] = {
		"#!/bin/sh\nset -e\nexec \"$@\"\n",
		"password = getpass.getpass('Password: ')\n",
		"password: ${DB_PASSWORD}\napi_key: {{ .Values.apiKey }}\n",
		"$newpwd = Win32::GetFullPathName($newdir);\n$pwd = Win32::GetCwd();\n",
		"secret_key = os.environ['SECRET_KEY']\n",
		"token = request.headers.get('Authorization')\n",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", /* documentation key, allowlisted */
		"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
		"ghp_shorttoken\ngithub_pat_\nglpat-short\n",
		"postgres://user:password@localhost/db\nredis://localhost:6379/0\n",
		"mysql://root:${MYSQL_ROOT_PASSWORD}@db/x\n",
		"https://example.com/path?query=1#frag\nhttp://user@host/\n",
		"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
		"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
		"The quick brown fox jumps over the lazy dog. Asia and Africa. Token ring.\n",
		"password=aaaaaaaaaaaaaaaa\n", /* low entropy */
		"passwd: files systemd\nshadow: files\n",
		"api_key = 'xxxxxxxxxxxxxxxxxxxxxxxx'\n",
		"client_secret: <your-client-secret>\n",
		"Authorization: Bearer $TOKEN\n",
		"eyJhbGciOiJIUzI1NiJ9 is just a header\n",
		"sk_live_ is the prefix of Stripe live keys\n",
	};
	struct collected c;

	setup();
	for (size_t i = 0; i < VG_ARRAY_SIZE(texts); i++) {
		int r = scan(scanner, "app/x.conf", texts[i], strlen(texts[i]), &c);

		if (r != 0)
			TAP_FAIL_AT("text %zu gave %d findings (first: %s): %s", i, r,
				    c.n ? c.f[0].rule : "-", texts[i]);
	}
}

TEST(near_misses_are_not_found)
{
	/* one character short or a wrong character class: each template must find nothing */
	static const char *const misses[] = {
		"GH=ghp_{b62:35}\n",
		"AWS=AKIA{b32:15}\n",
		"AWS=akia{b32:16}\n",
		"S=sk_live_{b62:23}\n",
		"GL=glptt-{hex:39}\n",
		"DO=dop_v1_{hex:63}\n",
		"NPM=npm_{b62:35}\n",
		"S=xoxb-{dig:12}-{dig:12}-{b62:20}\n",
		"-----BEGIN RSA PRIVATE KEY-----\n{pem:1600}\n",
		"AGE-SECRET-KEY-1{age:57}\n",
	};
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct collected c;
	size_t so, eo;

	setup();
	rng_seed(11);
	for (int round = 0; round < 10; round++)
		for (size_t i = 0; i < VG_ARRAY_SIZE(misses); i++) {
			int r;

			expand(misses[i], &sb, &so, &eo);
			r = scan(scanner, "app/env", sb.buf, sb.len, &c);
			if (r != 0)
				TAP_FAIL_AT("near miss found by %s: %s", c.f[0].rule, sb.buf);
		}
	vg_strbuf_done(&sb);
}

TEST(masking)
{
	char buf[VG_SECRET_MASK_MAX];

	ASSERT_STREQ(vg_secret_mask("AKIAZ3MSJV4WWQ3G7BXN", 20, buf, sizeof(buf)),
		     "AKIA**** (20 chars)");
	/* short secrets show a quarter at most */
	ASSERT_STREQ(vg_secret_mask("hunter2x", 8, buf, sizeof(buf)), "hu**** (8 chars)");
	ASSERT_STREQ(vg_secret_mask("abc", 3, buf, sizeof(buf)), "**** (3 chars)");
	ASSERT_STREQ(vg_secret_mask("\nMIIEvQIBADANBgkq", 17, buf, sizeof(buf)),
		     "?MII**** (17 chars)");
	/* never the rest of the secret */
	ASSERT_NULL(
		strstr(vg_secret_mask("ghp_SECRETPARTSECRETPART", 24, buf, sizeof(buf)), "SECRET"));
}

TEST(entropy)
{
	char all[256];

	ASSERT_TRUE(vg_secret_entropy("", 0) == 0);
	ASSERT_TRUE(vg_secret_entropy("aaaa", 4) == 0);
	ASSERT_TRUE(fabs(vg_secret_entropy("ab", 2) - 1.0) < 1e-9);
	ASSERT_TRUE(fabs(vg_secret_entropy("abcd", 4) - 2.0) < 1e-9);
	ASSERT_TRUE(fabs(vg_secret_entropy("aabb", 4) - 1.0) < 1e-9);
	/* p = 3/4, 1/4: 0.811278 */
	ASSERT_TRUE(fabs(vg_secret_entropy("aaab", 4) - 0.8112781244591328) < 1e-9);
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	ASSERT_TRUE(fabs(vg_secret_entropy(all, 256) - 8.0) < 1e-9);
}

static int load(struct vg_secret_ruleset *rs, const char *yaml, char *err, size_t errsize)
{
	return vg_secret_ruleset_load_buffer(rs, "test.yaml", yaml, strlen(yaml), err, errsize);
}

TEST(entropy_gate)
{
	struct vg_secret_ruleset rs;
	struct vg_secret_scanner *s = NULL;
	struct collected c;
	char err[512];

	vg_secret_ruleset_init(&rs);
	ASSERT_OK(load(&rs,
		       "rules:\n- id: t\n  title: T\n  severity: LOW\n  keywords: [key=]\n"
		       "  regex: 'key=(?P<secret>\\S+)'\n  entropy: 3\n",
		       err, sizeof(err)));
	ASSERT_OK(vg_secret_ruleset_compile(&rs, err, sizeof(err)));
	ASSERT_OK(vg_secret_scanner_new(&rs, &s));
	ASSERT_EQ(scan(s, NULL, "key=abababababab\n", 17, &c), 0); /* 1 bit */
	ASSERT_EQ(scan(s, NULL, "key=abcdefgh\n", 13, &c), 1); /* 3 bits */
	ASSERT_EQ(scan(s, NULL, "key=abcdefg\n", 12, &c), 0); /* 2.81 bits */
	ASSERT_EQ(vg_secret_scanner_stats(s)->allowed, 2);
	vg_secret_scanner_free(s);
	vg_secret_ruleset_done(&rs);
}

TEST(allowlist_file)
{
	struct vg_secret_ruleset rs;
	struct vg_secret_scanner *s = NULL;
	struct collected c;
	char err[512];
	const char *a = "GH=ghp_0123456789abcdefghijABCDEFGHIJklmnop\n";
	const char *b = "GH=ghp_Z123456789abcdefghijABCDEFGHIJklmnop\n";
	const char *npm = "NPM=npm_Z123456789abcdefghijABCDEFGHIJklmnop\n";
	const char *stripe = "S=sk_live_Z123456789abcdefghijABCDEF\n";

	vg_secret_ruleset_init(&rs);
	ASSERT_OK(vg_secret_ruleset_load_builtin(&rs, err, sizeof(err)));
	ASSERT_OK(load(&rs,
		       "allowlist:\n"
		       "  secrets: [ghp_0123456789abcdefghijABCDEFGHIJklmnop]\n"
		       "  regexes: ['^npm_Z']\n"
		       "  paths: ['^opt/fixtures/']\n"
		       "  rules: [stripe-live-secret-key]\n",
		       err, sizeof(err)));
	ASSERT_OK(vg_secret_ruleset_compile(&rs, err, sizeof(err)));
	ASSERT_EQ(vg_secret_ruleset_count(&rs), vg_secret_ruleset_count(&builtin) - 1);
	ASSERT_OK(vg_secret_scanner_new(&rs, &s));
	ASSERT_EQ(scan(s, "app/env", a, strlen(a), &c), 0); /* exact secret */
	ASSERT_EQ(scan(s, "app/env", b, strlen(b), &c), 1); /* one character differs */
	ASSERT_EQ(scan(s, "app/env", npm, strlen(npm), &c), 0); /* regex */
	ASSERT_EQ(scan(s, "opt/fixtures/env", b, strlen(b), &c), 0); /* path */
	ASSERT_TRUE(vg_secret_path_allowed(s, "opt/fixtures/x"));
	ASSERT_EQ(scan(s, "app/env", stripe, strlen(stripe), &c), 0); /* rule off */
	vg_secret_scanner_free(s);
	vg_secret_ruleset_done(&rs);

	/* the same text with the built-in rules alone */
	setup();
	ASSERT_EQ(scan(scanner, "app/env", a, strlen(a), &c), 1);
	ASSERT_EQ(scan(scanner, "app/env", npm, strlen(npm), &c), 1);
	ASSERT_EQ(scan(scanner, "app/env", stripe, strlen(stripe), &c), 1);

	/* an allowlist naming an unknown rule is an error at compile time */
	vg_secret_ruleset_init(&rs);
	ASSERT_OK(load(&rs, "allowlist:\n  rules: [no-such-rule]\n", err, sizeof(err)));
	ASSERT_ERR(vg_secret_ruleset_compile(&rs, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "no-such-rule"));
	vg_secret_ruleset_done(&rs);
}

TEST(rule_file_errors)
{
	static const struct {
		const char *yaml, *msg;
		int err;
	} bad[] = {
		{"rules: [", "test.yaml:", -EBADMSG},
		{"- a\n- b\n", "expected a mapping", -EBADMSG},
		{"rulez: []\n", "unknown key 'rulez'", -EBADMSG},
		{"rules: {a: b}\n", "rules must be a list", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  regex: 'a'\n",
		 "test.yaml:2:3: rule 'x' needs keywords", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n",
		 "has no regex", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: URGENT\n  keywords: [ab]\n  regex: a\n",
		 "unknown severity 'URGENT'", -EBADMSG},
		{"rules:\n- id: X Y\n", "invalid rule id", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n  regex: '(a'\n",
		 "test.yaml:6:10: rule 'x': regex error at offset 2", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [a]\n  regex: a\n",
		 "must be 2 to 64 bytes", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n  regex: a\n"
		 "  entropy: 9\n",
		 "entropy must be a number from 0 to 8", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n  regex: a\n"
		 "  context: 1.5\n",
		 "whole number", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n  regex: a\n"
		 "  colour: red\n",
		 "unknown rule key 'colour'", -EBADMSG},
		{"rules:\n- id: x\n  title: X\n  severity: HIGH\n  keywords: [ab]\n  regex: a\n"
		 "  paths: ['(']\n",
		 "paths: regex error", -EBADMSG},
		{"allowlist:\n  secrets: {a: b}\n", "must be a list of strings", -EBADMSG},
		{"allowlist:\n  stopwords: [a]\n", "unknown allowlist key", -EBADMSG},
		{"a: &a [*a]\n", "test.yaml", -EBADMSG},
		{"rules: []\n---\nrules: []\n", "one YAML document", -EBADMSG},
	};
	char err[512];

	for (size_t i = 0; i < VG_ARRAY_SIZE(bad); i++) {
		struct vg_secret_ruleset rs;
		int r;

		vg_secret_ruleset_init(&rs);
		err[0] = '\0';
		r = load(&rs, bad[i].yaml, err, sizeof(err));
		if (r != bad[i].err || !strstr(err, bad[i].msg))
			TAP_FAIL_AT("case %zu: got %d '%s', want %d '%s'", i, r, err, bad[i].err,
				    bad[i].msg);
		vg_secret_ruleset_done(&rs);
	}
}

TEST(user_rule_replaces_builtin_and_adds)
{
	struct vg_secret_ruleset rs;
	struct vg_secret_scanner *s = NULL;
	struct collected c;
	char err[512];
	const char *t =
		"GH=ghp_0123456789abcdefghijABCDEFGHIJklmnop\nINTERNAL=acme_0123456789abcdef\n";

	vg_secret_ruleset_init(&rs);
	ASSERT_OK(vg_secret_ruleset_load_builtin(&rs, err, sizeof(err)));
	ASSERT_OK(load(&rs,
		       "rules:\n"
		       "- id: github-pat\n  title: replaced\n  severity: LOW\n  keywords: [ghp_]\n"
		       "  regex: 'ghp_(?P<secret>[0-9]{10})'\n"
		       "- id: acme-token\n  title: ACME internal token\n  severity: HIGH\n"
		       "  keywords: [acme_]\n  regex: '\\b(?P<secret>acme_[0-9a-f]{16})\\b'\n",
		       err, sizeof(err)));
	ASSERT_OK(vg_secret_ruleset_compile(&rs, err, sizeof(err)));
	ASSERT_EQ(vg_secret_ruleset_count(&rs), vg_secret_ruleset_count(&builtin) + 1);
	ASSERT_STREQ(vg_secret_ruleset_get(&rs, "github-pat")->title, "replaced");
	ASSERT_OK(vg_secret_scanner_new(&rs, &s));
	ASSERT_EQ(scan(s, "app/env", t, strlen(t), &c), 2);
	ASSERT_STREQ(c.f[0].rule, "github-pat");
	ASSERT_EQ(c.f[0].length, 10);
	ASSERT_STREQ(c.f[1].rule, "acme-token");
	ASSERT_EQ(c.f[1].line, 2);
	ASSERT_EQ(c.f[1].column, 10);
	vg_secret_scanner_free(s);
	vg_secret_ruleset_done(&rs);
}

TEST(regex_runs_only_near_keywords)
{
	/* the keyword gates the regex: a match without its keyword on the line is not seen */
	struct vg_secret_ruleset rs;
	struct vg_secret_scanner *s = NULL;
	struct collected c;
	char err[512];
	const char *far = "marker\nvalue=0123456789\n";
	const char *near = "marker value=0123456789\n";
	const char *ctx = "begin\nline\nvalue=0123456789\n";

	vg_secret_ruleset_init(&rs);
	ASSERT_OK(load(&rs,
		       "rules:\n"
		       "- id: a\n  title: A\n  severity: LOW\n  keywords: [marker]\n"
		       "  regex: 'value=(?P<secret>[0-9]{10})'\n"
		       "- id: b\n  title: B\n  severity: LOW\n  keywords: [begin]\n  context: 64\n"
		       "  regex: 'begin\\s+line\\s+value=(?P<secret>[0-9]{10})'\n",
		       err, sizeof(err)));
	ASSERT_OK(vg_secret_ruleset_compile(&rs, err, sizeof(err)));
	ASSERT_OK(vg_secret_scanner_new(&rs, &s));
	ASSERT_EQ(scan(s, NULL, far, strlen(far), &c), 0);
	ASSERT_EQ(scan(s, NULL, near, strlen(near), &c), 1);
	ASSERT_EQ(scan(s, NULL, ctx, strlen(ctx), &c), 1); /* context reaches the next lines */
	ASSERT_STREQ(c.f[0].rule, "b");
	ASSERT_EQ(c.f[0].line, 3);
	/* only the keyword lines (and b's context) went to the regexes: "marker", the line of
	 * near without its newline, all of ctx (within the context) */
	ASSERT_EQ(vg_secret_scanner_stats(s)->regex_bytes, 6 + strlen(near) - 1 + strlen(ctx));
	vg_secret_scanner_free(s);
	vg_secret_ruleset_done(&rs);
}

TEST(path_filters)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct collected c;
	size_t so, eo;

	setup();
	rng_seed(3);
	/* kubeconfig-token applies to kubeconfigs only */
	expand("users:\n- name: a\n  user:\n    token: [[{b62:40}]]\n", &sb, &so, &eo);
	ASSERT_EQ(scan(scanner, "root/.kube/config", sb.buf, sb.len, &c), 1);
	ASSERT_EQ(scan(scanner, "app/values.yaml", sb.buf, sb.len, &c), 0);
	ASSERT_EQ(scan(scanner, NULL, sb.buf, sb.len, &c), 0);
	/* generic rules skip documentation */
	expand("DB_PASSWORD = \"[[{alpha:1}{dig:1}{b62:18}]]\"\n", &sb, &so, &eo);
	ASSERT_EQ(scan(scanner, "app/settings.py", sb.buf, sb.len, &c), 1);
	ASSERT_EQ(scan(scanner, "usr/share/doc/app/README.md", sb.buf, sb.len, &c), 0);
	vg_strbuf_done(&sb);
}

TEST(binary_files_are_skipped_unless_asked)
{
	char buf[256];
	struct vg_secret_scanner *s = NULL;
	struct collected c;
	const char *key = "GH=ghp_0123456789abcdefghijABCDEFGHIJklmnop\n";

	setup();
	memset(buf, 'x', sizeof(buf));
	buf[10] = '\0';
	memcpy(buf + 100, key, strlen(key));
	ASSERT_TRUE(vg_secret_is_binary(buf, sizeof(buf)));
	ASSERT_FALSE(vg_secret_is_binary(key, strlen(key)));
	ASSERT_EQ(scan(scanner, "bin/app", buf, sizeof(buf), &c), 0);
	ASSERT_OK(vg_secret_scanner_new(&builtin, &s));
	vg_secret_scanner_set_binaries(s, true);
	ASSERT_EQ(scan(s, "bin/app", buf, sizeof(buf), &c), 1);
	ASSERT_EQ(c.f[0].offset, 103);
	vg_secret_scanner_free(s);
}

TEST(image_config_env_labels_history)
{
	static const char cfg[] =
		"{\"config\": {\"Env\": [\"PATH=/usr/bin\", "
		"\"GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJklmnop\"],"
		" \"Labels\": {\"maintainer\": \"x\", \"deploy.token\": \"glpat-Ab3dE6gH9jK2mN5pQ8sT\"}},"
		" \"history\": [{\"created_by\": \"/bin/sh -c #(nop) ADD file:x in /\"},"
		" {\"created_by\": \"/bin/sh -c #(nop)  ENV NPM_TOKEN=npm_0123456789abcdefghijABCDEFGHIJklmnop\","
		"   \"empty_layer\": true},"
		" {\"created_by\": \"|1 STRIPE=sk_live_0123456789abcdefghijABCD /bin/sh -c make\"}]}";
	struct vg_secret_report rep;
	json_t *j = NULL;
	const struct vg_secret_finding *f;

	setup();
	ASSERT_OK(vg_json_parse(cfg, strlen(cfg), &j, NULL, 0));
	vg_secret_report_init(&rep);
	ASSERT_OK(vg_secret_scan_config(&rep, scanner, j));
	vg_secret_report_sort(&rep);
	ASSERT_EQ(rep.findings.len, 4);
	f = vg_vec_at(&rep.findings, 0);
	/* sorted: layer (-1 first), then path */
	ASSERT_STREQ(f->path, "config.Env[1]");
	ASSERT_EQ(f->origin, VG_SECRET_IN_ENV);
	ASSERT_STREQ(f->rule->id, "github-pat");
	f = vg_vec_at(&rep.findings, 1);
	ASSERT_STREQ(f->path, "config.Labels[deploy.token]");
	ASSERT_STREQ(f->rule->id, "gitlab-pat");
	f = vg_vec_at(&rep.findings, 2);
	ASSERT_STREQ(f->path, "history[1].created_by");
	ASSERT_EQ(f->layer, -1); /* ENV makes no layer */
	ASSERT_STREQ(f->rule->id, "npm-access-token");
	f = vg_vec_at(&rep.findings, 3);
	ASSERT_STREQ(f->path, "history[2].created_by");
	ASSERT_EQ(f->layer, 1); /* the second layer-making step */
	ASSERT_STREQ(f->rule->id, "stripe-live-secret-key");
	ASSERT_STREQ(f->masked, "sk_l**** (32 chars)");
	vg_secret_report_done(&rep);
	json_decref(j);
}

TEST(findings_per_buffer_are_bounded)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	size_t so, eo;
	int r;

	setup();
	rng_seed(5);
	for (int i = 0; i < VG_SECRET_FILE_FINDINGS_MAX + 50; i++) {
		struct vg_strbuf one = VG_STRBUF_INIT(0);

		expand("GH=ghp_{b62:36}\n", &one, &so, &eo);
		ASSERT_OK(vg_strbuf_append(&sb, one.buf, one.len));
		vg_strbuf_done(&one);
	}
	{
		struct collected c;

		r = scan(scanner, "app/env", sb.buf, sb.len, &c);
	}
	ASSERT_EQ(r, VG_SECRET_FILE_FINDINGS_MAX);
	ASSERT_GE(vg_secret_scanner_stats(scanner)->truncated, 1);
	vg_strbuf_done(&sb);
}

/* A directory of many files scanned in the walk and by scanning threads: same findings. */
TEST(threads_give_the_same_findings)
{
	char dir[] = "/tmp/vg-secrets-XXXXXX", path[256], target[300], err[512];
	struct vg_strbuf sb = VG_STRBUF_INIT(0), one = VG_STRBUF_INIT(0);
	struct vg_secret_report rep[3];
	unsigned threads[3] = {1, 4, 16};
	size_t planted = 0, so, eo;

	setup();
	rng_seed(17);
	ASSERT_NOT_NULL(mkdtemp(dir));
	for (int i = 0; i < 300; i++) {
		FILE *f;

		vg_strbuf_reset(&sb);
		if (i % 50 == 0) /* a binary: skipped, its secret (i = 0, 150) too */
			ASSERT_OK(vg_strbuf_append(&sb, "\0\1\2", 3));
		for (int k = 0; k < 1 + (i % 7) * 40; k++)
			ASSERT_OK(vg_strbuf_puts(
				&sb, "filler text with a token and a key, no secret\n"));
		if (i % 3 == 0) {
			expand(samples[(size_t)i % VG_ARRAY_SIZE(samples)].text, &one, &so, &eo);
			if (samples[(size_t)i % VG_ARRAY_SIZE(samples)].path &&
			    !strstr(samples[(size_t)i % VG_ARRAY_SIZE(samples)].path, "/app/") &&
			    strncmp(samples[(size_t)i % VG_ARRAY_SIZE(samples)].path, "app/", 4)) {
				/* path-restricted rules do not apply to fNNN.env */
				expand("GH=[[ghp_{b62:36}]]\n", &one, &so, &eo);
			}
			ASSERT_OK(vg_strbuf_append(&sb, one.buf, one.len));
			planted++;
		}
		snprintf(path, sizeof(path), "%s/f%03d.env", dir, i);
		f = fopen(path, "w");
		ASSERT_NOT_NULL(f);
		ASSERT_EQ(fwrite(sb.buf, 1, sb.len, f), sb.len);
		ASSERT_EQ(fclose(f), 0);
	}
	snprintf(target, sizeof(target), "dir:%s", dir);
	for (int k = 0; k < 3; k++) {
		struct vg_secret_scan_opts o = {.threads = threads[k]};

		vg_secret_report_init(&rep[k]);
		ASSERT_OK(vg_secret_scan_target(&rep[k], &builtin, &o, target, err, sizeof(err)));
	}
	ASSERT_EQ(rep[0].findings.len, planted - 2);
	ASSERT_EQ(rep[0].stats.skipped_binary, 6);
	for (int k = 1; k < 3; k++) {
		ASSERT_EQ(rep[k].findings.len, rep[0].findings.len);
		ASSERT_EQ(rep[k].stats.buffers, rep[0].stats.buffers);
		ASSERT_EQ(rep[k].stats.bytes, rep[0].stats.bytes);
		ASSERT_EQ(rep[k].stats.skipped_binary, rep[0].stats.skipped_binary);
		for (size_t i = 0; i < rep[0].findings.len; i++) {
			const struct vg_secret_finding *a = vg_vec_at(&rep[0].findings, i);
			const struct vg_secret_finding *b = vg_vec_at(&rep[k].findings, i);

			ASSERT_STREQ(a->path, b->path);
			ASSERT_STREQ(a->rule->id, b->rule->id);
			ASSERT_STREQ(a->secret, b->secret);
			ASSERT_EQ(a->line, b->line);
			ASSERT_EQ(a->column, b->column);
			ASSERT_EQ(a->layer, -1);
			ASSERT_EQ(b->deleted_by, -1);
		}
	}
	for (int k = 0; k < 3; k++)
		vg_secret_report_done(&rep[k]);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "%s/f%03d.env", dir, i);
		ASSERT_EQ(unlink(path), 0);
	}
	ASSERT_EQ(rmdir(dir), 0);
	vg_strbuf_done(&sb);
	vg_strbuf_done(&one);
}

TEST(teardown)
{
	scanner = vg_secret_scanner_free(scanner);
	vg_secret_ruleset_done(&builtin);
}
