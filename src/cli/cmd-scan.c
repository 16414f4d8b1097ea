/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil scan: runs the selected scanners over one target and writes their findings. Today
 * the only scanner is "secret" (src/secrets); each scanner is one bit of the --scanners mask
 * and one run_*() function below, so adding another (vuln) is one table entry and one
 * function.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "basic/log.h"
#include "basic/parse-util.h"
#include "cli/commands.h"
#include "report/secret-report.h"
#include "secrets/rules.h"
#include "secrets/target.h"

int vg_cmd_scan(int argc, char **argv);

enum {
	SCANNER_SECRET = 1u << 0,
};

static const struct {
	const char *name;
	unsigned bit;
} scanner_names[] = {
	{"secret", SCANNER_SECRET},
};

#define SCAN_FILES_MAX 32 /* --secret-rules / --secret-allowlist given at most this often */

struct scan_args {
	unsigned scanners;
	const char *format;
	const char *output;
	const char *docker_socket;
	const char *target;
	bool show_secrets;
	bool secret_binaries;
	uint64_t secret_max_size;
	const char *secret_files[SCAN_FILES_MAX]; /* rule and allowlist files, in order */
	size_t n_secret_files;
	int exit_code; /* when something was found */
};

static void scan_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil scan [OPTIONS] TARGET\n\n"
		"Scan a container image or a directory. Scanners: secret (the default): credentials\n"
		"in every layer (also files deleted by a later layer) and in the image config.\n\n"
		"TARGET: archive:FILE[:TAG] (docker save), oci:DIR[:TAG], oci-archive:FILE[:TAG],\n"
		"        dir:PATH (a root filesystem or any directory), docker:NAME[:TAG] or a bare path.\n\n"
		"Options:\n"
		"  --scanners LIST         comma-separated scanners to run (default: secret)\n"
		"  -f, --format FMT        table, json or sarif (default table)\n"
		"  -o, --output FILE       write to FILE instead of stdout\n"
		"  --exit-code N           exit with N when anything is found (default 0)\n"
		"  --show-secrets          print secrets in full (default: first 4 characters + length)\n"
		"  --secret-rules FILE     add the rules of FILE (same id: replaces a built-in rule)\n"
		"  --secret-allowlist FILE add an allowlist (known test keys, paths, rules to skip)\n"
		"  --secret-max-size BYTES skip larger files (default 10M; K, M, G suffixes)\n"
		"  --secret-scan-binaries  scan files that look binary too (NUL byte in the first 8K)\n"
		"  --docker-socket PATH    Docker engine socket for docker: targets\n"
		"  -h, --help              show this help\n\n"
		"Exit status: 0 done (nothing found, or --exit-code not given), N found, 1 error,\n"
		"2 usage error.\n");
}

static int parse_scanners(const char *s, unsigned *ret)
{
	unsigned mask = 0;
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, ",");
		bool ok = false;

		for (size_t i = 0; i < VG_ARRAY_SIZE(scanner_names); i++)
			if (strlen(scanner_names[i].name) == n &&
			    !strncmp(p, scanner_names[i].name, n)) {
				mask |= scanner_names[i].bit;
				ok = true;
			}
		if (!ok) {
			log_error("Unknown scanner '%.*s' in --scanners: available: secret.",
				  (int)n, p);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (!mask) {
		log_error("--scanners needs at least one scanner.");
		return -EINVAL;
	}
	*ret = mask;
	return 0;
}

/* "1048576", "512K", "10M", "1G" */
static int parse_size(const char *s, uint64_t *ret)
{
	char num[32];
	size_t n = strlen(s);
	uint64_t mult = 1, v;

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'K':
	case 'k':
		mult = 1024;
		break;
	case 'M':
	case 'm':
		mult = 1024 * 1024;
		break;
	case 'G':
	case 'g':
		mult = 1024 * 1024 * 1024;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[n - 1] = '\0';
	if (vg_safe_atou64(num, &v) < 0 || v == 0 || v > VG_SECRET_FILE_SIZE_MAX / mult)
		return -ERANGE;
	*ret = v * mult;
	return 0;
}

/* The secret scanner: rules, scan, report. Returns the number of findings or -1. */
static long run_secret(const struct scan_args *a, int format, FILE *out)
{
	struct vg_secret_ruleset rs;
	struct vg_secret_report rep;
	struct vg_secret_scan_opts so = {.max_file_size = a->secret_max_size,
					 .scan_binaries = a->secret_binaries,
					 .docker_socket = a->docker_socket};
	char err[512] = "";
	long n = -1;
	int r;

	vg_secret_ruleset_init(&rs);
	vg_secret_report_init(&rep);
	r = vg_secret_ruleset_load_builtin(&rs, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Built-in secret rules: %s", err);
		goto out;
	}
	for (size_t i = 0; i < a->n_secret_files; i++) {
		r = vg_secret_ruleset_load_file(&rs, a->secret_files[i], err, sizeof(err));
		if (r < 0) {
			log_error_errno(r, "Cannot load secret rules: %s", err);
			goto out;
		}
	}
	r = vg_secret_ruleset_compile(&rs, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot compile the secret rules: %s", err[0] ? err : "%m");
		goto out;
	}
	r = vg_secret_scan_target(&rep, &rs, &so, a->target, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot scan '%s': %s", a->target, err[0] ? err : strerror(-r));
		goto out;
	}
	r = vg_secret_report_write(&rep, (enum vg_secret_format)format, a->show_secrets, out);
	if (r < 0) {
		log_error_errno(r, "Cannot write the report: %m");
		goto out;
	}
	n = (long)rep.findings.len;
out:
	vg_secret_report_done(&rep);
	vg_secret_ruleset_done(&rs);
	return n;
}

int vg_cmd_scan(int argc, char **argv)
{
	enum {
		OPT_SCANNERS = 256,
		OPT_SHOW,
		OPT_RULES,
		OPT_ALLOW,
		OPT_MAXSIZE,
		OPT_BINARIES,
		OPT_EXIT,
		OPT_SOCKET,
	};
	static const struct option opts[] = {
		{"scanners", required_argument, NULL, OPT_SCANNERS},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"show-secrets", no_argument, NULL, OPT_SHOW},
		{"secret-rules", required_argument, NULL, OPT_RULES},
		{"secret-allowlist", required_argument, NULL, OPT_ALLOW},
		{"secret-max-size", required_argument, NULL, OPT_MAXSIZE},
		{"secret-scan-binaries", no_argument, NULL, OPT_BINARIES},
		{"exit-code", required_argument, NULL, OPT_EXIT},
		{"docker-socket", required_argument, NULL, OPT_SOCKET},
		{"help", no_argument, NULL, 'h'},
		{}};
	struct scan_args a = {.scanners = SCANNER_SECRET, .format = "table"};
	int secret_format = -1, c, ret = 0;
	long found = 0;
	uint32_t code;
	FILE *out;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hf:o:", opts, NULL)) >= 0) {
		switch (c) {
		case OPT_SCANNERS:
			if (parse_scanners(optarg, &a.scanners) < 0)
				return 2;
			break;
		case 'f':
			a.format = optarg;
			break;
		case 'o':
			a.output = optarg;
			break;
		case OPT_SHOW:
			a.show_secrets = true;
			break;
		case OPT_RULES:
		case OPT_ALLOW:
			/* both are the same format: a file may hold rules and an allowlist */
			if (a.n_secret_files == SCAN_FILES_MAX) {
				log_error("At most %d --secret-rules/--secret-allowlist files.",
					  SCAN_FILES_MAX);
				return 2;
			}
			a.secret_files[a.n_secret_files++] = optarg;
			break;
		case OPT_MAXSIZE:
			if (parse_size(optarg, &a.secret_max_size) < 0) {
				log_error(
					"Invalid --secret-max-size '%s': a size from 1 to %llu bytes "
					"(K, M, G suffixes).",
					optarg, (unsigned long long)VG_SECRET_FILE_SIZE_MAX);
				return 2;
			}
			break;
		case OPT_BINARIES:
			a.secret_binaries = true;
			break;
		case OPT_EXIT:
			if (vg_safe_atou32(optarg, &code) < 0 || code > 255) {
				log_error("Invalid --exit-code '%s': 0 to 255.", optarg);
				return 2;
			}
			a.exit_code = (int)code;
			break;
		case OPT_SOCKET:
			a.docker_socket = optarg;
			break;
		case 'h':
			scan_usage(stdout);
			return 0;
		default:
			scan_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		scan_usage(stderr);
		return 2;
	}
	a.target = argv[optind];
	if (a.scanners & SCANNER_SECRET) {
		secret_format = vg_secret_format_from_string(a.format);
		if (secret_format < 0) {
			log_error("Unknown --format '%s': use table, json or sarif.", a.format);
			return 2;
		}
	}

	out = vg_cli_open_output(a.output);
	if (!out)
		return 1;
	if (a.scanners & SCANNER_SECRET) {
		long n = run_secret(&a, secret_format, out);

		if (n < 0)
			ret = 1;
		else
			found += n;
	}
	if (out != stdout) {
		if (fclose(out) != 0 && ret == 0) {
			log_error_errno(-errno, "Cannot write '%s': %m", a.output);
			ret = 1;
		}
	} else if (fflush(out) != 0 && ret == 0) {
		log_error_errno(-errno, "Cannot write the report: %m");
		ret = 1;
	}
	if (ret)
		return ret;
	return found > 0 ? a.exit_code : 0;
}
