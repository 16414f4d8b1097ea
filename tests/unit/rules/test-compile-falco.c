/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The upstream Falco rule files compile with the real `syscall` source without errors, and
 * the stable rules get the event types docs list (reference runtime.md section 6).
 * The files are found through VG_FALCO_RULES_DIR; missing files skip (fail under CI=true).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rules/diag.h"
#include "rules/load.h"
#include "rules/ruleset.h"
#include "state/fields-syscall.h"
#include "tap.h"

static const char *dir(void)
{
	const char *d = getenv("VG_FALCO_RULES_DIR");
	char p[4096];

	if (!d)
		TEST_SKIP("VG_FALCO_RULES_DIR not set");
	snprintf(p, sizeof(p), "%s/falco_rules.yaml", d);
	if (access(p, R_OK) < 0)
		TEST_SKIP("Falco rule files not found");
	return d;
}

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static struct vg_ruleset *load(const char *const *files, size_t n, struct vg_rules_collection *c,
			       struct vg_diags *d)
{
	struct vg_compile_options o = {.matching = VG_MATCH_FIRST, .min_priority = VG_PRIO_DEBUG};
	struct vg_ruleset *rs = NULL;
	char p[4096];
	long t0, t1, t2;

	ASSERT_OK(vg_syscall_source_register() == -EEXIST ? 0 : 0);
	vg_rules_collection_init(c);
	vg_diags_init(d);
	t0 = now_us();
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir(), files[i]);
		ASSERT_OK(vg_rules_load_path(c, p, d));
	}
	t1 = now_us();
	if (vg_rules_compile(c, &o, &rs, d) < 0 || d->errors) {
		vg_diags_print(d, stderr);
		TAP_FAIL_AT("compile failed with %zu errors", d->errors);
	}
	t2 = now_us();
	tap_diag("%zu file(s): load %ld us, compile %ld us, %zu rules, %zu warnings\n", n, t1 - t0,
		 t2 - t1, vg_ruleset_count(rs), d->warnings);
	return rs;
}

TEST(stable)
{
	static const char *const f[] = {"falco_rules.yaml"};
	struct vg_rules_collection c;
	struct vg_diags d;
	struct vg_ruleset *rs = load(f, 1, &c, &d);

	ASSERT_EQ(vg_ruleset_count(rs), 25u);
	vg_ruleset_free(rs);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
}

TEST(all_three)
{
	static const char *const f[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
					"falco-sandbox_rules.yaml"};
	struct vg_rules_collection c;
	struct vg_diags d;
	struct vg_ruleset *rs = load(f, 3, &c, &d);

	/* 25 + 31 + 37, minus the disabled sandbox rules */
	ASSERT_GE(vg_ruleset_count(rs), 80u);
	ASSERT_LE(vg_ruleset_count(rs), 93u);
	vg_ruleset_free(rs);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
}

/* Event types of the stable rules: reference runtime.md section 6. */
static const struct {
	const char *rule;
	const char *types;
} want[] = {
	{"Directory traversal monitored file read", "open,openat,openat2"},
	{"Read sensitive file trusted after startup", "open,openat,openat2"},
	{"Read sensitive file untrusted", "open,openat,openat2"},
	{"Run shell untrusted", "execve,execveat"},
	{"System user interactive", "execve,execveat"},
	{"Terminal shell in container", "execve,execveat"},
	{"Contact K8S API Server From Container", "connect"},
	{"Netcat Remote Code Execution in Container", "execve,execveat"},
	{"Search Private Keys or Passwords", "execve,execveat"},
	{"Clear Log Activities", "open,openat,openat2"},
	{"Remove Bulk Data from Disk", "execve,execveat"},
	{"Create Symlink Over Sensitive Files", "symlink,symlinkat"},
	{"Create Hardlink Over Sensitive Files", "link,linkat"},
	{"Packet socket created in container", "socket"},
	{"Redirect STDOUT/STDIN to Network Connection in Container", "dup,dup2,dup3"},
	{"Linux Kernel Module Injection Detected", "init_module,finit_module"},
	{"Debugfs Launched in Privileged Container", "execve,execveat"},
	{"Detect release_agent File Container Escapes", "open,openat,openat2"},
	{"PTRACE attached to process", "ptrace"},
	{"PTRACE anti-debug attempt", "ptrace"},
	{"Find AWS Credentials", "execve,execveat"},
	{"Execution from /dev/shm", "execve,execveat"},
	{"Drop and execute new binary in container", "execve,execveat"},
	{"Disallowed SSH Connection Non Standard Port", "connect,sendto,sendmsg"},
	{"Fileless execution via memfd_create", "execve,execveat"},
};

static bool same_set(const char *a, const char *b)
{
	char x[512], y[512];
	size_t na = 0, nb = 0;
	char *s, *save = NULL;

	snprintf(x, sizeof(x), "%s", a);
	for (s = strtok_r(x, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		char pat[64];

		na++;
		snprintf(pat, sizeof(pat), ",%s,", s);
		snprintf(y, sizeof(y), ",%s,", b);
		if (!strstr(y, pat))
			return false;
	}
	snprintf(y, sizeof(y), "%s", b);
	save = NULL;
	for (s = strtok_r(y, ",", &save); s; s = strtok_r(NULL, ",", &save))
		nb++;
	return na == nb;
}

TEST(stable_evttypes)
{
	static const char *const f[] = {"falco_rules.yaml"};
	const struct vg_source *src;
	struct vg_rules_collection c;
	struct vg_diags d;
	struct vg_ruleset *rs = load(f, 1, &c, &d);
	size_t found = 0;

	src = vg_source_find("syscall");
	ASSERT_NOT_NULL(src);
	for (size_t i = 0; i < vg_ruleset_count(rs); i++) {
		const struct vg_rule *r = vg_ruleset_rule(rs, i);
		uint64_t bits[64];
		char got[512] = "";
		size_t n = 0;

		ASSERT_FALSE(r->all_evttypes);
		vg_rule_evttypes(r, bits, 64);
		for (size_t t = 1; t < src->n_evttypes && t < 64 * 64; t++)
			if (bits[t / 64] & (1ULL << (t % 64)))
				n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s",
						      n ? "," : "", src->evttypes[t]);
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
			if (strcmp(want[k].rule, r->name) != 0)
				continue;
			found++;
			if (!same_set(want[k].types, got))
				TAP_FAIL_AT("rule '%s': event types %s, want %s", r->name, got,
					    want[k].types);
		}
	}
	ASSERT_EQ(found, sizeof(want) / sizeof(want[0]));
	vg_ruleset_free(rs);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
}
