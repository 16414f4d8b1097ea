/* SPDX-License-Identifier: Apache-2.0 */
/* vigil: the dispatch table. Each subcommand lives in its own cmd-*.c file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "basic/log.h"
#include "basic/macro.h"
#include "cli/commands.h"
#include "engine/pipeline.h"
#include "vg-config.h"

int vg_cmd_scan(int argc, char **argv); /* cmd-scan.c */
int vg_cmd_db(int argc, char **argv); /* cmd-db.c */
int vg_cmd_audit(int argc, char **argv); /* cmd-audit.c */
int vg_cmd_inspect(int argc, char **argv); /* cmd-inspect.c */

struct vg_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct vg_command commands[] = {
	{"watch", vg_cmd_watch, "watch the host and every container through the eBPF sensor"},
	{"replay", vg_cmd_replay, "run a recorded capture through the same pipeline, offline"},
	{"rules", vg_cmd_rules, "validate, list rules and list the fields they can use"},
	{"sbom", vg_cmd_sbom, "list the packages of a container image (CycloneDX, SPDX, ...)"},
	{"db", vg_cmd_db, "import, update and show the vulnerability database"},
	{"scan", vg_cmd_scan, "find vulnerabilities and secrets in an image or a directory"},
	{"audit", vg_cmd_audit, "check Kubernetes manifests against the Pod Security Standards"},
	{"inspect", vg_cmd_inspect, "show the isolation in force for a container and its weaknesses"},
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil [--help] [--version] COMMAND [ARGS...]\n\n"
		"Container runtime security: watch what containers do and alert on attacks.\n\nCommands:\n");
	for (size_t i = 0; i < VG_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'vigil COMMAND --help' for a command's options.\n");
}

int vg_cli_parse_event_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return VG_EVENTS_TEXT;
	if (strcmp(s, "json") == 0)
		return VG_EVENTS_JSON;
	return -EINVAL;
}

FILE *vg_cli_open_output(const char *path)
{
	FILE *f;

	if (!path || strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "we");
	if (!f)
		log_error_errno(-errno, "Cannot open output file '%s': %m", path);
	return f;
}

int main(int argc, char **argv)
{
	vg_log_set_program("vigil");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("vigil %s\n", VG_VERSION);
		return 0;
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	log_error("Unknown command '%s'. Run 'vigil --help' for the list.", argv[1]);
	return 2;
}
