/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compatibility gate: every field named in the conditions and outputs of the upstream Falco
 * rule files (VG_FALCO_RULES_DIR) resolves in the `syscall` source, with an argument when
 * the rule gives one. The scan is a simple one over the YAML text: values of condition: and
 * output: keys (with their indented continuation lines), comments and quoted strings skipped.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/fileio.h"
#include "state/fields-syscall.h"
#include "tap.h"

static const char *const classes[] = {"evt", "proc", "thread", "fd",	    "fdlist",
				      "fs",  "user", "group",  "container", "k8s"};

static unsigned n_checked, n_missing;
static char seen[4096][128];
static size_t n_seen;

static bool is_class(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i]) == n && memcmp(classes[i], s, n) == 0)
			return true;
	return false;
}

static void check(const char *file, unsigned line, const char *name, const char *argp)
{
	const struct vg_field *f;
	size_t off = 0;

	for (size_t i = 0; i < n_seen; i++)
		if (strcmp(seen[i], name) == 0 && !argp)
			return;
	if (!argp && n_seen < 4096)
		snprintf(seen[n_seen++], sizeof(seen[0]), "%s", name);
	n_checked++;
	f = vg_source_field(&vg_syscall_source, name, &off);
	if (!f) {
		tap_diag("%s:%u: unknown field %s\n", file, line, name);
		n_missing++;
		return;
	}
	if (argp && !(f->flags & (VG_FF_ARG_INDEX | VG_FF_ARG_KEY))) {
		tap_diag("%s:%u: field %s takes no argument\n", file, line, name);
		n_missing++;
	}
	if (!argp && !off && (f->flags & VG_FF_ARG_REQUIRED)) {
		tap_diag("%s:%u: field %s needs an argument\n", file, line, name);
		n_missing++;
	}
}

static void scan_text(const char *file, unsigned line, const char *s)
{
	char quote = 0;

	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		size_t j, first;
		char name[128];

		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (!isalpha((unsigned char)c) ||
		    (i > 0 && (isalnum((unsigned char)s[i - 1]) || strchr("_./-", s[i - 1]))))
			continue;
		j = i;
		while (isalnum((unsigned char)s[j]) || s[j] == '_')
			j++;
		first = j - i;
		while (s[j] == '.' && isalpha((unsigned char)s[j + 1])) {
			j++;
			while (isalnum((unsigned char)s[j]) || s[j] == '_')
				j++;
		}
		if (j - i > first && is_class(s + i, first) && j - i < sizeof(name)) {
			memcpy(name, s + i, j - i);
			name[j - i] = '\0';
			check(file, line, name, s[j] == '[' ? s + j : NULL);
		}
		i = j - 1;
	}
}

static void scan_file(const char *dir, const char *file)
{
	char path[4096];
	char *text = NULL, *next;
	size_t len;
	int key_indent = -1;
	unsigned line = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ASSERT_OK(vg_read_file(path, 64 * 1024 * 1024, &text, &len));
	for (char *l = text; l && *l; l = next) {
		int indent = 0;
		const char *p;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (!*l)
			continue;
		while (l[indent] == ' ')
			indent++;
		p = l + indent;
		if (*p == '#')
			continue;
		if (*p == '-' && p[1] == ' ') {
			p += 2;
			indent += 2;
		}
		if (key_indent >= 0 && indent > key_indent) {
			scan_text(file, line, p);
			continue;
		}
		key_indent = -1;
		if (strncmp(p, "condition:", 10) == 0 || strncmp(p, "output:", 7) == 0) {
			key_indent = indent;
			scan_text(file, line, strchr(p, ':') + 1);
		}
	}
	free(text);
}

TEST(upstream_fields_resolve)
{
	static const char *const files[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
					    "falco-sandbox_rules.yaml"};
	const char *dir = getenv("VG_FALCO_RULES_DIR");
	char path[4096];
	FILE *f;

	if (!dir)
		TEST_SKIP("VG_FALCO_RULES_DIR not set");
	snprintf(path, sizeof(path), "%s/%s", dir, files[0]);
	f = fopen(path, "re");
	if (!f)
		TEST_SKIP("upstream Falco rules not found");
	fclose(f);
	for (size_t i = 0; i < 3; i++)
		scan_file(dir, files[i]);
	tap_diag("%u field uses checked, %zu distinct names\n", n_checked, n_seen);
	ASSERT_GE(n_seen, 80u); /* 87 in the files of 2024 */
	ASSERT_EQ(n_missing, 0u);
}
