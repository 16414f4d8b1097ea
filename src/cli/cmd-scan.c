/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil scan: runs the selected scanners over one target and writes their findings:
 * "vuln" (inventory + vulnerability database + matcher, cli/scan-vuln.c) and "secret"
 * (src/secrets). Each scanner is one bit of the --scanners mask and one run_*() function;
 * the writers then combine their reports: the table has one section per scanner, JSON one
 * object per scanner, SARIF one run per scanner; CycloneDX carries vulnerabilities only.
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
#include "cli/scan-vuln.h"
#include "vuln/db.h"
#include "report/secret-report.h"
#include "secrets/rules.h"
#include "secrets/target.h"

int vg_cmd_scan(int argc, char **argv);

enum {
	SCANNER_VULN = 1u << 0,
	SCANNER_SECRET = 1u << 1,
};

static const struct {
	const char *name;
	unsigned bit;
} scanner_names[] = {
	{"vuln", SCANNER_VULN},
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
	struct scan_vuln_opts vuln;
	int exit_code; /* when something was found */
};

static void scan_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil scan [OPTIONS] TARGET\n\n"
		"Scan a container image or a directory. Scanners:\n"
		"  vuln    packages (OS and language) against the vulnerability database\n"
		"  secret  credentials in every layer (also files deleted by a later layer) and in\n"
		"          the image config\n\n"
		"TARGET: archive:FILE[:TAG] (docker save), oci:DIR[:TAG], oci-archive:FILE[:TAG],\n"
		"        dir:PATH (a root filesystem or any directory), docker:NAME[:TAG] or a bare path.\n\n"
		"Options:\n"
		"  --scanners LIST         comma-separated scanners to run (default: vuln,secret)\n"
		"  -f, --format FMT        table, json, sarif or cyclonedx (vuln only; with VEX)\n"
		"  -o, --output FILE       write to FILE instead of stdout\n"
		"  --exit-code N           exit with N when anything is found (default 0)\n"
		"vuln:\n"
		"  --db PATH               vulnerability database (default $XDG_DATA_HOME/vigil/vuln.db)\n"
		"  --severity LIST         keep these severities: critical,high,... or LEVEL+\n"
		"  --ignore-unfixed        drop findings that have no fixed version\n"
		"  --ignorefile FILE       suppressions (default ./.vigilignore when present)\n"
		"  --vex FILE              OpenVEX document: not_affected/fixed statements suppress\n"
		"  --show-unimportant      keep Debian \"unimportant\" findings\n"
		"  --db-max-age DAYS       warn when the data is older (default %d)\n"
		"secret:\n"
		"  --show-secrets          print secrets in full (default: first 4 characters + length)\n"
		"  --secret-rules FILE     add the rules of FILE (same id: replaces a built-in rule)\n"
		"  --secret-allowlist FILE add an allowlist (known test keys, paths, rules to skip)\n"
		"  --secret-max-size BYTES skip larger files (default 10M; K, M, G suffixes)\n"
		"  --secret-scan-binaries  scan files that look binary too (NUL byte in the first 8K)\n"
		"  --docker-socket PATH    Docker engine socket for docker: targets\n"
		"  -h, --help              show this help\n\n"
		"Exit status: 0 done (nothing found, or --exit-code not given), N found, 1 error,\n"
		"2 usage error.\n",
		VG_VULN_DB_MAX_AGE_DAYS);
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
			log_error("Unknown scanner '%.*s' in --scanners: available: vuln, secret.",
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

static void secret_opts(const struct scan_args *a, struct vg_secret_scan_opts *so)
{
	*so = (struct vg_secret_scan_opts){.max_file_size = a->secret_max_size,
					   .scan_binaries = a->secret_binaries,
					   .docker_socket = a->docker_socket};
}

/* The secret rules: built-in, then --secret-rules/--secret-allowlist files, compiled.
 * Returns 0 or -1 (logged). */
static int secret_rules(const struct scan_args *a, struct vg_secret_ruleset *rs)
{
	char err[512] = "";
	int r;

	r = vg_secret_ruleset_load_builtin(rs, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Built-in secret rules: %s", err);
		return -1;
	}
	for (size_t i = 0; i < a->n_secret_files; i++) {
		r = vg_secret_ruleset_load_file(rs, a->secret_files[i], err, sizeof(err));
		if (r < 0) {
			log_error_errno(r, "Cannot load secret rules: %s", err);
			return -1;
		}
	}
	r = vg_secret_ruleset_compile(rs, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot compile the secret rules: %s", err[0] ? err : "%m");
		return -1;
	}
	return 0;
}

/* The secret scanner alone: its own walk of the target. Returns 0 or -1 (logged). */
static int run_secret(const struct scan_args *a, struct vg_secret_ruleset *rs,
		      struct vg_secret_report *rep)
{
	struct vg_secret_scan_opts so;
	char err[512] = "";
	int r;

	if (secret_rules(a, rs) < 0)
		return -1;
	secret_opts(a, &so);
	r = vg_secret_scan_target(rep, rs, &so, a->target, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot scan '%s': %s", a->target, err[0] ? err : strerror(-r));
		return -1;
	}
	return 0;
}

/* Both scanners: the secret scanner rides on the inventory's walk of the image (one pass
 * instead of two), through the SBOM hook. */
struct shared_walk {
	struct vg_secret_walk *walk;
	const char *target;
	char err[512];
};

static bool shared_wants(void *userdata, const struct vg_file *f)
{
	struct shared_walk *s = userdata;

	return vg_secret_walk_wants(s->walk, f);
}

static int shared_file(void *userdata, const struct vg_file *f, struct vg_tar *t)
{
	struct shared_walk *s = userdata;

	return vg_secret_walk_file(s->walk, f, t);
}

static int shared_finish(void *userdata, const struct vg_image *img, int walk_error)
{
	struct shared_walk *s = userdata;
	int r = vg_secret_walk_finish(s->walk, img, s->target, walk_error, s->err, sizeof(s->err));

	if (r < 0 && walk_error >= 0)
		log_error_errno(r, "Secret scan of '%s': %s", s->target, s->err[0] ? s->err : "%m");
	return r;
}

static int run_both(const struct scan_args *a, struct scan_vuln *vuln, struct vg_secret_ruleset *rs,
		    struct vg_secret_report *rep)
{
	struct shared_walk sw = {.target = a->target};
	struct vg_sbom_hook hook = {.file = shared_file,
				    .wants = shared_wants,
				    .finish = shared_finish,
				    .userdata = &sw};
	struct vg_secret_scan_opts so;
	int r;

	if (secret_rules(a, rs) < 0)
		return -1;
	secret_opts(a, &so);
	r = vg_secret_walk_new(rep, rs, &so, &sw.walk, sw.err, sizeof(sw.err));
	if (r < 0) {
		log_error_errno(r, "Secret scanner: %s", sw.err[0] ? sw.err : "%m");
		return -1;
	}
	r = scan_vuln_run(vuln, a->target, &a->vuln, &hook);
	vg_secret_walk_free(sw.walk);
	return r < 0 ? -1 : 0;
}

static int dump_json(json_t *doc, FILE *out)
{
	int r;

	if (!doc)
		return -ENOMEM;
	r = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ? -EIO : 0;
	json_decref(doc);
	if (r == 0 && fputc('\n', out) == EOF)
		r = -EIO;
	return r;
}

/* Writes what the scanners found: one section / object / run per scanner. */
static int write_reports(const struct scan_args *a, int format, const struct scan_vuln *v,
			 const struct vg_secret_report *sec, FILE *out)
{
	bool both = v && sec;
	json_t *doc;

	switch (format) {
	case VG_VULN_FORMAT_TABLE:
		if (v && vg_vuln_report_table(&v->report, out) < 0)
			return -EIO;
		if (both)
			fputc('\n', out);
		return sec ? vg_secret_report_write(sec, VG_SECRET_FORMAT_TABLE, a->show_secrets,
						    out)
			   : 0;
	case VG_VULN_FORMAT_JSON:
		if (!both)
			return v ? dump_json(vg_vuln_report_json(&v->report), out)
				 : vg_secret_report_write(sec, VG_SECRET_FORMAT_JSON,
							  a->show_secrets, out);
		doc = json_pack("{s:s, s:o*, s:o*}", "target", a->target, "vulnerabilities",
				vg_vuln_report_json(&v->report), "secrets",
				vg_secret_report_json(sec, a->show_secrets));
		return dump_json(doc, out);
	case VG_VULN_FORMAT_SARIF: {
		json_t *runs = json_array();

		if (v && runs && json_array_append_new(runs, vg_vuln_report_sarif_run(&v->report)))
			json_decref(runs), runs = NULL;
		if (sec && runs &&
		    json_array_append_new(runs, vg_secret_report_sarif_run(sec, a->show_secrets)))
			json_decref(runs), runs = NULL;
		doc = runs ? json_pack("{s:s, s:s, s:o}", "$schema",
				       "https://json.schemastore.org/sarif-2.1.0.json", "version",
				       "2.1.0", "runs", runs)
			   : NULL;
		return dump_json(doc, out);
	}
	case VG_VULN_FORMAT_CYCLONEDX:
		return dump_json(vg_vuln_report_cyclonedx(&v->report), out);
	default:
		return -EINVAL;
	}
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
		OPT_DB,
		OPT_SEVERITY,
		OPT_UNFIXED,
		OPT_IGNOREFILE,
		OPT_VEX,
		OPT_UNIMPORTANT,
		OPT_MAXAGE,
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
		{"db", required_argument, NULL, OPT_DB},
		{"severity", required_argument, NULL, OPT_SEVERITY},
		{"ignore-unfixed", no_argument, NULL, OPT_UNFIXED},
		{"ignorefile", required_argument, NULL, OPT_IGNOREFILE},
		{"vex", required_argument, NULL, OPT_VEX},
		{"show-unimportant", no_argument, NULL, OPT_UNIMPORTANT},
		{"db-max-age", required_argument, NULL, OPT_MAXAGE},
		{"help", no_argument, NULL, 'h'},
		{}};
	struct scan_args a = {.scanners = SCANNER_VULN | SCANNER_SECRET,
			      .format = "table",
			      .vuln.max_age_days = VG_VULN_DB_MAX_AGE_DAYS};
	struct scan_vuln vuln;
	struct vg_secret_ruleset rs;
	struct vg_secret_report sec;
	int format, c, ret = 0;
	size_t found = 0;
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
		case OPT_DB:
			a.vuln.db_path = optarg;
			break;
		case OPT_SEVERITY:
			if (scan_parse_severities(optarg, &a.vuln.severities) < 0) {
				log_error(
					"Invalid --severity '%s': a list of critical, high, medium, "
					"low, negligible, unknown, or LEVEL+ for that and above.",
					optarg);
				return 2;
			}
			break;
		case OPT_UNFIXED:
			a.vuln.ignore_unfixed = true;
			break;
		case OPT_UNIMPORTANT:
			a.vuln.show_unimportant = true;
			break;
		case OPT_IGNOREFILE:
		case OPT_VEX:
			if ((c == OPT_VEX ? a.vuln.n_vex_files : a.vuln.n_ignore_files) ==
			    SCAN_VULN_FILES_MAX) {
				log_error("At most %d --ignorefile and %d --vex files.",
					  SCAN_VULN_FILES_MAX, SCAN_VULN_FILES_MAX);
				return 2;
			}
			if (c == OPT_VEX)
				a.vuln.vex_files[a.vuln.n_vex_files++] = optarg;
			else
				a.vuln.ignore_files[a.vuln.n_ignore_files++] = optarg;
			break;
		case OPT_MAXAGE:
			if (vg_safe_atou32(optarg, &code) < 0) {
				log_error("Invalid --db-max-age '%s': a number of days.", optarg);
				return 2;
			}
			a.vuln.max_age_days = code;
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
	a.vuln.docker_socket = a.docker_socket;
	format = vg_vuln_format_from_string(a.format);
	if (format < 0) {
		log_error("Unknown --format '%s': use table, json, sarif or cyclonedx.", a.format);
		return 2;
	}
	if (format == VG_VULN_FORMAT_CYCLONEDX && a.scanners != SCANNER_VULN) {
		log_error("--format cyclonedx carries vulnerabilities only: add --scanners vuln.");
		return 2;
	}

	scan_vuln_init(&vuln);
	vg_secret_ruleset_init(&rs);
	vg_secret_report_init(&sec);
	if (a.scanners == (SCANNER_VULN | SCANNER_SECRET))
		ret = run_both(&a, &vuln, &rs, &sec) < 0;
	else if (a.scanners == SCANNER_VULN)
		ret = scan_vuln_run(&vuln, a.target, &a.vuln, NULL) < 0;
	else
		ret = run_secret(&a, &rs, &sec) < 0;
	if (ret)
		goto out;
	out = vg_cli_open_output(a.output);
	if (!out) {
		ret = 1;
		goto out;
	}
	if (write_reports(&a, format, a.scanners & SCANNER_VULN ? &vuln : NULL,
			  a.scanners & SCANNER_SECRET ? &sec : NULL, out) < 0) {
		log_error("Cannot write the report: %s", a.output ? a.output : "stdout");
		ret = 1;
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
	if (a.scanners & SCANNER_VULN)
		found += vuln.report.shown.len;
	if (a.scanners & SCANNER_SECRET)
		found += sec.findings.len;
out:
	scan_vuln_done(&vuln);
	vg_secret_report_done(&sec);
	vg_secret_ruleset_done(&rs);
	if (ret)
		return ret;
	return found > 0 ? a.exit_code : 0;
}
