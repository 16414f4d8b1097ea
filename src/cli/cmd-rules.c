/* SPDX-License-Identifier: Apache-2.0 */
/* vigil rules validate|list|fields: rule authoring. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "basic/log.h"
#include "basic/strbuf.h"
#include "audit/image.h"
#include "audit/host.h"
#include "audit/k8s.h"
#include "cli/commands.h"
#include "engine/rules-setup.h"
#include "rules/field.h"

static void rules_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil rules validate [-r PATH]... [PATH...]\n"
		"       vigil rules list [-r PATH]... [--json]\n"
		"       vigil rules fields [--source NAME] [--markdown]\n\n"
		"Rule files are Falco's format. Without -r or PATH, the built-in ruleset is used.\n"
		"Options:\n"
		"  -r, --rules PATH     a rule file or directory (repeatable, loaded in order)\n"
		"  --json               JSON output (list)\n"
		"  --source NAME        only the fields of this source (fields)\n"
		"  --markdown           a markdown table (fields)\n");
}

struct rules_args {
	struct vg_rules_setup setup;
	bool json;
	bool markdown;
	const char *source;
};

static int parse_rules_args(int argc, char **argv, struct rules_args *a)
{
	enum { OPT_JSON = 256, OPT_SOURCE, OPT_MD };
	static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
					     {"json", no_argument, NULL, OPT_JSON},
					     {"source", required_argument, NULL, OPT_SOURCE},
					     {"markdown", no_argument, NULL, OPT_MD},
					     {"help", no_argument, NULL, 'h'},
					     {}};
	int c;

	a->setup.opts.min_priority = VG_PRIO_DEBUG;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:", opts, NULL)) >= 0) {
		switch (c) {
		case 'r':
			if (a->setup.n_paths >= VG_RULE_PATHS_MAX)
				return log_error_errno(-E2BIG, "Too many -r options (at most %d).",
						       VG_RULE_PATHS_MAX);
			a->setup.paths[a->setup.n_paths++] = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_SOURCE:
			a->source = optarg;
			break;
		case OPT_MD:
			a->markdown = true;
			break;
		case 'h':
			rules_usage(stdout);
			return 1;
		default:
			rules_usage(stderr);
			return -EINVAL;
		}
	}
	/* Positional paths: `vigil rules validate falco_rules.yaml` like `falco --validate`. */
	for (int i = optind; i < argc; i++) {
		if (a->setup.n_paths >= VG_RULE_PATHS_MAX)
			return log_error_errno(-E2BIG, "Too many rule paths (at most %d).",
					       VG_RULE_PATHS_MAX);
		a->setup.paths[a->setup.n_paths++] = argv[i];
	}
	return 0;
}

/* Every source this binary knows: syscall (watch) and the audit sources (k8s_pod,
 * k8s_container), so `vigil rules` checks and lists audit rule files too. */
static int register_all_sources(void)
{
	int r = vg_rules_register_sources();

	if (r < 0 && r != -EEXIST)
		return r;
	r = vg_host_source_register();
	if (r < 0 && r != -EEXIST)
		return r;
	r = vg_k8s_sources_register();
	if (r < 0 && r != -EEXIST)
		return r;
	r = vg_audit_image_sources_register();
	return r == -EEXIST ? 0 : r;
}

/* Loads and compiles, printing every diagnostic and a summary line. */
static int load_and_compile(struct rules_args *a, struct vg_rules_collection *c,
			    struct vg_ruleset **ret)
{
	size_t errors = 0, warnings = 0;
	int r;

	r = register_all_sources();
	if (r < 0)
		return log_error_errno(r, "Cannot register the rule sources: %m");
	r = vg_rules_setup_build(&a->setup, c, stderr, ret, &errors, &warnings);
	log_info("%zu rules, %zu macros, %zu lists: %zu errors, %zu warnings", c->rules.len,
		 c->macros.len, c->lists.len, errors, warnings);
	return r;
}

static int cmd_validate(struct rules_args *a)
{
	struct vg_rules_collection c;
	struct vg_ruleset *rs = NULL;
	int r;

	vg_rules_collection_init(&c);
	r = load_and_compile(a, &c, &rs);
	if (r >= 0)
		printf("valid: %zu rules compiled\n", vg_ruleset_count(rs));
	vg_ruleset_free(rs);
	vg_rules_collection_done(&c);
	return r;
}

static int cmd_list(struct rules_args *a)
{
	struct vg_rules_collection c;
	struct vg_ruleset *rs = NULL;
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	int r;

	vg_rules_collection_init(&c);
	r = load_and_compile(a, &c, &rs);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < vg_ruleset_count(rs); i++) {
		const struct vg_rule *rule = vg_ruleset_rule(rs, i);

		vg_strbuf_reset(&sb);
		if (a->json) {
			r = vg_strbuf_puts(&sb, "{\"rule\":");
			if (r >= 0)
				r = vg_strbuf_put_json_string(&sb, rule->name, strlen(rule->name));
			if (r >= 0)
				r = vg_strbuf_printf(&sb, ",\"priority\":\"%s\",\"source\":",
						     vg_priority_name(rule->priority));
			if (r >= 0)
				r = vg_strbuf_put_json_string(&sb, rule->source,
							      strlen(rule->source));
			if (r >= 0)
				r = vg_strbuf_puts(&sb, ",\"tags\":[");
			for (size_t t = 0; r >= 0 && t < rule->n_tags; t++) {
				if (t)
					r = vg_strbuf_putc(&sb, ',');
				if (r >= 0)
					r = vg_strbuf_put_json_string(&sb, rule->tags[t],
								      strlen(rule->tags[t]));
			}
			if (r >= 0)
				r = vg_strbuf_puts(&sb, "]}");
		} else {
			r = vg_strbuf_printf(&sb, "%-13s %-8s %s", vg_priority_name(rule->priority),
					     rule->source, rule->name);
			for (size_t t = 0; r >= 0 && t < rule->n_tags; t++)
				r = vg_strbuf_printf(&sb, "%s%s", t ? "," : "  [", rule->tags[t]);
			if (r >= 0 && rule->n_tags)
				r = vg_strbuf_putc(&sb, ']');
		}
		if (r < 0)
			break;
		puts(vg_strbuf_str(&sb));
	}
out:
	vg_strbuf_done(&sb);
	vg_ruleset_free(rs);
	vg_rules_collection_done(&c);
	return r;
}

static int cmd_fields(struct rules_args *a)
{
	int r = register_all_sources();
	size_t shown = 0;

	if (r < 0)
		return log_error_errno(r, "Cannot register the rule sources: %m");
	for (size_t i = 0; i < vg_source_count(); i++) {
		const struct vg_source *src = vg_source_at(i);

		if (a->source && strcmp(a->source, src->name) != 0)
			continue;
		if (a->markdown)
			printf("## Source `%s`\n\n| field | type | description |\n|---|---|---|\n",
			       src->name);
		else
			printf("Source %s:\n", src->name);
		for (size_t f = 0; f < src->n_fields; f++) {
			const struct vg_field *fd = &src->fields[f];

			if (fd->flags & VG_FF_HIDDEN)
				continue;
			if (a->markdown)
				printf("| `%s%s` | %s | %s |\n", fd->name,
				       fd->flags & (VG_FF_ARG_INDEX | VG_FF_ARG_KEY) ? "[...]" : "",
				       vg_ftype_name(fd->type), fd->desc ? fd->desc : "");
			else
				printf("  %-32s %-8s %s\n", fd->name, vg_ftype_name(fd->type),
				       fd->desc ? fd->desc : "");
			shown++;
		}
		printf("\n");
	}
	if (a->source && !shown)
		return log_error_errno(-ENOENT, "No source '%s'.", a->source);
	return 0;
}

int vg_cmd_rules(int argc, char **argv)
{
	struct rules_args a = {};
	const char *verb;
	int r;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		rules_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	verb = argv[1];
	r = parse_rules_args(argc - 1, argv + 1, &a);
	if (r != 0)
		return r > 0 ? 0 : 2;
	if (strcmp(verb, "validate") == 0)
		r = cmd_validate(&a);
	else if (strcmp(verb, "list") == 0)
		r = cmd_list(&a);
	else if (strcmp(verb, "fields") == 0)
		r = cmd_fields(&a);
	else {
		log_error("Unknown 'rules' command '%s': use validate, list or fields.", verb);
		return 2;
	}
	return r < 0 ? 1 : 0;
}
