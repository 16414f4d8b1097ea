/* SPDX-License-Identifier: Apache-2.0 */
/* The subcommands: each takes argc/argv starting at its own name and returns an exit code. */
#ifndef VG_CLI_COMMANDS_H
#define VG_CLI_COMMANDS_H

#include <stdio.h>

int vg_cmd_watch(int argc, char **argv);
int vg_cmd_replay(int argc, char **argv);
int vg_cmd_rules(int argc, char **argv);
int vg_cmd_sbom(int argc, char **argv);

/* Shared by commands that print events: "text" or "json" -> enum vg_event_output. */
int vg_cli_parse_event_format(const char *s);
/* Opens -o FILE for writing (or returns stdout for NULL / "-"); errors are logged. */
FILE *vg_cli_open_output(const char *path);

#endif /* VG_CLI_COMMANDS_H */
