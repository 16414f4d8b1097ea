/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil audit TARGET: posture checks written as rules (rules/audit/ *.yaml, docs/audit.md).
 * Each target is one function below (collect its objects, evaluate, report); the options,
 * rule loading, suppressions, output and exit codes are shared.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/audit-docker.h"
#include "audit/dockerfile.h"
#include "audit/image.h"
#include "audit/k8s.h"
#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/log.h"
#include "cli/commands.h"
#include "rules/load.h"
#include "rules/ruleset.h"

int vg_cmd_audit(int argc, char **argv);

struct audit_args {
	enum vg_audit_format format;
	const char *output;
	const char *benchmark;
	const char *rule_paths[VG_AUDIT_RULE_FILES_MAX];
	size_t n_rule_paths;
	const char *ignorefile;
	int exit_code; /* on failed controls; 0: exit 0 */
	char **inputs;
	int n_inputs;
};

static void audit_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil audit TARGET [OPTIONS] [ARGS...]\n\n"
		"Posture checks, written as rules (rules/audit/*.yaml).\n\n"
		"Targets:\n"
		"  host [ROOT]       the engine's host against the CIS Docker Benchmark:\n"
		"                    dockerd flags, daemon.json, units, files, listeners\n"
		"                    (live probe of loopback ones), versions;\n"
		"                    ROOT: a mounted root, audited offline\n"
		"  containers [DATA_ROOT]\n"
		"                    every Docker container (API at $DOCKER_HOST or\n"
		"                    /var/run/docker.sock, else the data root; runc\n"
		"                    bundles) against CIS Docker 4-5; DATA_ROOT: read\n"
		"                    DATA_ROOT/containers offline\n"
		"  k8s FILE|DIR...   Kubernetes manifests (YAML or JSON; directories are walked for\n"
		"                    *.yaml, *.yml, *.json) against the Pod Security Standards\n"
		"  image TARGET      an image (archive:, oci:, oci-archive:, docker:, dir: or a path)\n"
		"                    against Dockle's checkpoints: config, history and layer files\n"
		"  dockerfile FILE   a Dockerfile against hadolint's rules\n\n"
		"Options:\n"
		"  -f, --format FMT      table (default), json, sarif, junit\n"
		"  -o, --output FILE     write the report to FILE (default: stdout)\n"
		"  -b, --benchmark ID    pss-baseline or pss-restricted (includes baseline),\n"
		"                        dockle (image), hadolint (dockerfile),\n"
		"                        cis-docker (host, containers);\n"
		"                        default: every rule of the target\n"
		"  -r, --rules PATH      load a rule file or directory after the built-in rules\n"
		"                        (adds rules, or replaces those of the same name); repeatable\n"
		"      --ignorefile FILE suppressions: RULE_OR_TAG [file=GLOB] [name=NAME]\n"
		"                        [exp=YYYY-MM-DD] reason=\"...\"\n"
		"      --exit-code N     exit with N when a control fails (default 0)\n"
		"  -h, --help            this help\n\n"
		"Exit status: 0 done (no failure, or failures without --exit-code), N failures with\n"
		"--exit-code N, 1 error (unreadable or malformed input, bad rules), 2 usage.\n");
}

enum {
	OPT_IGNOREFILE = 0x100,
	OPT_EXIT_CODE,
};

static int parse_args(struct audit_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"benchmark", required_argument, NULL, 'b'},
		{"rules", required_argument, NULL, 'r'},
		{"ignorefile", required_argument, NULL, OPT_IGNOREFILE},
		{"exit-code", required_argument, NULL, OPT_EXIT_CODE},
		{"help", no_argument, NULL, 'h'},
		{}};
	char *end;
	long v;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hf:o:b:r:", opts, NULL)) >= 0) {
		switch (c) {
		case 'f':
			r = vg_audit_format_parse(optarg);
			if (r < 0) {
				log_error("Unknown format '%s' (table, json, sarif, junit).",
					  optarg);
				return -EINVAL;
			}
			a->format = r;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'b':
			if (strcmp(optarg, "pss-baseline") != 0 &&
			    strcmp(optarg, "cis-docker") != 0 &&
			    strcmp(optarg, "pss-restricted") != 0 &&
			    strcmp(optarg, "dockle") != 0 && strcmp(optarg, "hadolint") != 0) {
				log_error("Unknown benchmark '%s' (pss-baseline, pss-restricted, "
					  "cis-docker, dockle, hadolint).",
					  optarg);
				return -EINVAL;
			}
			a->benchmark = optarg;
			break;
		case 'r':
			if (a->n_rule_paths >= VG_AUDIT_RULE_FILES_MAX) {
				log_error("Too many -r options (at most %d).",
					  VG_AUDIT_RULE_FILES_MAX);
				return -EINVAL;
			}
			a->rule_paths[a->n_rule_paths++] = optarg;
			break;
		case OPT_IGNOREFILE:
			a->ignorefile = optarg;
			break;
		case OPT_EXIT_CODE:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > 255) {
				log_error("--exit-code takes a number from 0 to 255, not '%s'.",
					  optarg);
				return -EINVAL;
			}
			a->exit_code = (int)v;
			break;
		case 'h':
			audit_usage(stdout);
			return 1;
		default:
			audit_usage(stderr);
			return -EINVAL;
		}
	}
	a->inputs = argv + optind;
	a->n_inputs = argc - optind;
	return 0;
}

/* The built-in audit rules, then the -r paths; compiled with every match reported. */
static int load_rules(const struct audit_args *a, struct vg_rules_collection *c,
		      struct vg_ruleset **ret)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;
	int r = 0, q;

	r = vg_k8s_sources_register();
	if (r < 0)
		return log_error_errno(r, "Cannot register the k8s rule sources: %m");
	r = vg_audit_image_sources_register();
	if (r < 0)
		return log_error_errno(r, "Cannot register the image rule sources: %m");
	r = vg_host_source_register();
	if (r < 0)
		return log_error_errno(r, "Cannot register the host and container sources: %m");
	vg_diags_init(&d);
	r = vg_audit_load_builtin(c, &d);
	q = vg_audit_docker_load_builtin(c, &d);
	if (q < 0 && !r)
		r = q;
	q = vg_audit_image_load_builtin(c, &d);
	if (q < 0 && !r)
		r = q;
	for (size_t i = 0; i < a->n_rule_paths; i++) {
		q = vg_rules_load_path(c, a->rule_paths[i], &d);
		if (q < 0 && !r)
			r = q;
	}
	q = vg_rules_compile(c, &o, ret, &d);
	if (q < 0 && !r)
		r = q;
	if (d.errors || d.warnings)
		vg_diags_print(&d, stderr);
	if (r >= 0 && d.errors)
		r = -EBADMSG;
	vg_diags_done(&d);
	if (r < 0)
		log_error("Cannot load the audit rules.");
	return r;
}

/* ---- target: k8s ----------------------------------------------------------------------- */

static bool manifest_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct k8s_run {
	struct vg_k8s_set set;
	struct vg_audit_report rep;
	size_t n_errors;
};

static int k8s_add_file(struct k8s_run *k, const char *path)
{
	char err[1024];
	size_t before = vg_k8s_count(&k->set);
	const struct vg_k8s_file *f;
	int r;

	r = vg_k8s_parse_file(&k->set, path, err, sizeof(err));
	if (r < 0) {
		log_error("%s", err[0] ? err : path);
		k->n_errors++;
		return vg_audit_report_file(&k->rep, path, VG_AUDIT_FILE_ERROR, 0, err);
	}
	f = vg_vec_at(&k->set.files, k->set.files.len - 1);
	return vg_audit_report_file(&k->rep, path,
				    vg_k8s_count(&k->set) > before ? VG_AUDIT_FILE_OK
								   : VG_AUDIT_FILE_NOT_APPLICABLE,
				    f->n_pods, NULL);
}

static int k8s_add_path(struct k8s_run *k, const char *path, unsigned depth, bool explicit)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		if (!explicit && !manifest_name(path))
			return 0;
		return k8s_add_file(k, path);
	}
	if (depth >= VG_K8S_DIR_DEPTH_MAX) {
		log_error("%s: directories nested more than %d deep.", path, VG_K8S_DIR_DEPTH_MAX);
		k->n_errors++;
		return vg_audit_report_file(&k->rep, path, VG_AUDIT_FILE_ERROR, 0,
					    "directory nesting too deep");
	}
	d = opendir(path);
	if (!d) {
		r = -errno;
		log_error_errno(r, "Cannot open directory '%s': %m", path);
		k->n_errors++;
		return vg_audit_report_file(&k->rep, path, VG_AUDIT_FILE_ERROR, 0,
					    "cannot open directory");
	}
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn;

			if (cap >= VG_K8S_FILES_MAX) {
				r = -E2BIG;
				break;
			}
			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				r = -ENOMEM;
				break;
			}
			names = nn;
		}
		if (asprintf(&p, "%s/%s", path, de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		names[n++] = p;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && r >= 0; i++)
		r = k8s_add_path(k, names[i], depth + 1, false);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (r == -E2BIG)
		log_error("%s: too many files.", path);
	return r;
}

static int audit_k8s(const struct audit_args *a, const struct vg_ruleset *rs,
		     struct vg_audit_ignores *ig, FILE *out, bool *ret_failed)
{
	struct k8s_run k = {0};
	struct vg_audit_options o = {
		.benchmark = a->benchmark,
		.ignores = ig,
		.today = (int64_t)(time(NULL) / 86400),
	};
	int r = 0;

	if (a->n_inputs < 2) {
		log_error("vigil audit k8s needs at least one FILE or directory.");
		return -EINVAL;
	}
	vg_k8s_set_init(&k.set);
	vg_audit_report_init(&k.rep, "k8s");
	for (int i = 1; i < a->n_inputs && r >= 0; i++)
		r = k8s_add_path(&k, a->inputs[i], 0, true);
	if (r < 0) {
		log_error_errno(r, "Cannot read the manifests: %m");
		goto out;
	}
	r = vg_audit_k8s(rs, &k.set, &o, &k.rep);
	if (r == -ENOENT) {
		log_error("No rule of the k8s_pod or k8s_container sources%s%s.",
			  a->benchmark ? " in benchmark " : "", a->benchmark ? a->benchmark : "");
		goto out;
	}
	if (r < 0) {
		log_error_errno(r, "Audit failed: %m");
		goto out;
	}
	r = vg_audit_write(&k.rep, a->format, out);
	if (r < 0) {
		log_error_errno(r, "Cannot write the report: %m");
		goto out;
	}
	*ret_failed = k.rep.n_failed > 0;
	if (k.n_errors)
		r = -EBADMSG;
out:
	vg_audit_report_done(&k.rep);
	vg_k8s_set_done(&k.set);
	return r;
}

/* ---- targets: image, dockerfile -------------------------------------------------------- */

static int audit_image(const struct audit_args *a, const struct vg_ruleset *rs,
		       struct vg_audit_ignores *ig, FILE *out, bool *ret_failed)
{
	struct vg_image_facts f;
	struct vg_audit_report rep;
	struct vg_audit_options o = {
		.benchmark = a->benchmark,
		.ignores = ig,
		.today = (int64_t)(time(NULL) / 86400),
	};
	char err[1024] = "";
	bool missing = false;
	int r;

	if (a->n_inputs != 2) {
		log_error("vigil audit image needs one TARGET.");
		return -EINVAL;
	}
	vg_image_facts_init(&f);
	vg_audit_report_init(&rep, "image");
	r = vg_image_facts_collect(&f, a->inputs[1], err, sizeof(err));
	if (r == -ENOENT) {
		/* nothing to audit: reported as not applicable */
		missing = true;
		r = vg_audit_report_file(&rep, a->inputs[1], VG_AUDIT_FILE_NOT_APPLICABLE, 0,
					 "no such image");
	} else if (r < 0) {
		log_error("%s", err[0] ? err : a->inputs[1]);
		goto out;
	}
	if (r >= 0 && !missing)
		r = vg_audit_report_file(&rep, a->inputs[1], VG_AUDIT_FILE_OK, 1, NULL);
	if (r >= 0 && !missing)
		r = vg_audit_image(rs, &f, &o, &rep);
	if (r == -ENOENT) {
		log_error("No rule of the image source%s%s.", a->benchmark ? " in benchmark " : "",
			  a->benchmark ? a->benchmark : "");
		goto out;
	}
	if (r < 0) {
		log_error_errno(r, "Audit failed: %m");
		goto out;
	}
	r = vg_audit_write(&rep, a->format, out);
	if (r < 0)
		log_error_errno(r, "Cannot write the report: %m");
	*ret_failed = rep.n_failed > 0;
out:
	vg_audit_report_done(&rep);
	vg_image_facts_done(&f);
	return r;
}

static int audit_dockerfile(const struct audit_args *a, const struct vg_ruleset *rs,
			    struct vg_audit_ignores *ig, FILE *out, bool *ret_failed)
{
	struct vg_dockerfile df;
	struct vg_audit_report rep;
	struct vg_audit_options o = {
		.benchmark = a->benchmark,
		.ignores = ig,
		.today = (int64_t)(time(NULL) / 86400),
	};
	char err[1024] = "";
	bool bad = false;
	int r;

	if (a->n_inputs != 2) {
		log_error("vigil audit dockerfile needs one FILE.");
		return -EINVAL;
	}
	vg_dockerfile_init(&df);
	vg_audit_report_init(&rep, "dockerfile");
	r = vg_dockerfile_parse_file(&df, a->inputs[1], err, sizeof(err));
	if (r == -ENOENT) {
		r = vg_audit_report_file(&rep, a->inputs[1], VG_AUDIT_FILE_NOT_APPLICABLE, 0,
					 "no such file");
		if (r >= 0)
			r = vg_audit_write(&rep, a->format, out);
		goto out;
	}
	if (r < 0) {
		log_error("%s", err[0] ? err : a->inputs[1]);
		bad = true;
		r = vg_audit_report_file(&rep, a->inputs[1], VG_AUDIT_FILE_ERROR, 0, err);
		if (r >= 0)
			r = vg_audit_write(&rep, a->format, out);
		if (r >= 0)
			r = -EBADMSG;
		goto out;
	}
	r = vg_audit_report_file(&rep, a->inputs[1], VG_AUDIT_FILE_OK, 1, NULL);
	if (r >= 0)
		r = vg_audit_dockerfile(rs, &df, &o, &rep);
	if (r == -ENOENT) {
		log_error("No rule of the dockerfile sources%s%s.",
			  a->benchmark ? " in benchmark " : "", a->benchmark ? a->benchmark : "");
		goto out;
	}
	if (r >= 0)
		r = vg_audit_write(&rep, a->format, out);
	if (r < 0 && !bad)
		log_error_errno(r, "Audit failed: %m");
	*ret_failed = rep.n_failed > 0;
out:
	vg_audit_report_done(&rep);
	vg_dockerfile_done(&df);
	return r;
}

/* ---- targets: host, containers --------------------------------------------------------- */

/* The engine socket the docker CLI would use: $DOCKER_HOST when it is unix://, else NULL. */
static const char *docker_socket(void)
{
	const char *h = getenv("DOCKER_HOST");

	return h && strncmp(h, "unix://", 7) == 0 && h[7] ? h + 7 : NULL;
}

static int docker_report(const struct audit_args *a, struct vg_audit_report *rep, FILE *out,
			 bool *ret_failed)
{
	int r = vg_audit_write(rep, a->format, out);

	if (r < 0)
		return log_error_errno(r, "Cannot write the report: %m");
	*ret_failed = rep->n_failed > 0;
	return 0;
}

static int audit_host(const struct audit_args *a, const struct vg_ruleset *rs,
		      struct vg_audit_ignores *ig, FILE *out, bool *ret_failed)
{
	struct vg_host h;
	struct vg_audit_report rep;
	struct vg_audit_options o = {
		.benchmark = a->benchmark,
		.ignores = ig,
		.today = (int64_t)(time(NULL) / 86400),
	};
	/* a ROOT argument is a mounted root audited offline: no probe, no API, no binaries */
	const char *root = a->n_inputs > 1 ? a->inputs[1] : NULL;
	struct vg_host_opts ho = {
		.root = root,
		.api_socket = docker_socket(),
		.probe = !root,
		.use_api = !root,
		.run_binaries = !root,
	};
	int r;

	if (a->n_inputs > 2) {
		log_error("vigil audit host takes at most one ROOT directory.");
		return -EINVAL;
	}
	vg_host_init(&h);
	vg_audit_report_init(&rep, "host");
	r = vg_host_collect(&h, &ho);
	if (r < 0) {
		log_error_errno(r, "Cannot read the engine's configuration: %m");
		goto out;
	}
	r = vg_audit_host(rs, &h, &o, &rep);
	if (r == -ENOENT) {
		log_error("No rule of the host source%s%s.", a->benchmark ? " in benchmark " : "",
			  a->benchmark ? a->benchmark : "");
		goto out;
	}
	if (r < 0) {
		log_error_errno(r, "Audit failed: %m");
		goto out;
	}
	if (!vg_host_applicable(&h))
		log_notice("No container engine here (no dockerd, daemon.json or docker unit): "
			   "not applicable.");
	r = docker_report(a, &rep, out, ret_failed);
out:
	vg_audit_report_done(&rep);
	vg_host_done(&h);
	return r;
}

static int audit_containers(const struct audit_args *a, const struct vg_ruleset *rs,
			    struct vg_audit_ignores *ig, FILE *out, bool *ret_failed)
{
	struct vg_host h;
	struct vg_ctr_set set;
	struct vg_audit_report rep;
	struct vg_audit_options o = {
		.benchmark = a->benchmark,
		.ignores = ig,
		.today = (int64_t)(time(NULL) / 86400),
	};
	struct vg_host_opts ho = {.api_socket = docker_socket()};
	struct vg_ctr_opts co = {
		.socket = docker_socket(),
		.use_api = true,
		.isolation = true,
	};
	int r;

	/* DATA_ROOT: read its containers/ offline (no API, no /proc, no runc state) */
	const char *data_root = a->n_inputs > 1 ? a->inputs[1] : NULL;

	if (a->n_inputs > 2) {
		log_error("vigil audit containers takes at most one DATA_ROOT directory.");
		return -EINVAL;
	}
	if (data_root) {
		co.use_api = false;
		co.isolation = false;
		co.skip_oci = true;
	}
	vg_host_init(&h);
	vg_ctr_set_init(&set);
	vg_audit_report_init(&rep, "containers");
	/* the daemon's defaults that containers inherit */
	r = vg_host_collect(&h, &ho);
	if (r < 0) {
		log_error_errno(r, "Cannot read the engine's configuration: %m");
		goto out;
	}
	set.dd.no_new_privileges = vg_host_opt_bool(&h, "no-new-privileges", false);
	set.dd.seccomp_profile = vg_host_opt_last(&h, "seccomp-profile");
	set.dd.apparmor_enabled = h.apparmor_enabled == 1;
	co.data_root = data_root ? data_root : vg_host_opt_last(&h, "data-root");
	r = vg_ctr_collect(&set, &co);
	if (r == -ENOENT) {
		log_notice("No container engine answers and no data root exists: not applicable.");
		r = vg_audit_report_file(&rep, co.socket ? co.socket : "/var/run/docker.sock",
					 VG_AUDIT_FILE_NOT_APPLICABLE, 0, NULL);
	}
	if (r < 0) {
		log_error_errno(r, "Cannot read the containers: %m");
		goto out;
	}
	r = vg_audit_containers(rs, &set, &o, &rep);
	if (r == -ENOENT) {
		log_error("No rule of the container source%s%s.",
			  a->benchmark ? " in benchmark " : "", a->benchmark ? a->benchmark : "");
		goto out;
	}
	if (r < 0) {
		log_error_errno(r, "Audit failed: %m");
		goto out;
	}
	r = docker_report(a, &rep, out, ret_failed);
out:
	vg_audit_report_done(&rep);
	vg_ctr_set_done(&set);
	vg_host_done(&h);
	return r;
}

static const struct audit_target {
	const char *name;
	int (*run)(const struct audit_args *a, const struct vg_ruleset *rs,
		   struct vg_audit_ignores *ig, FILE *out, bool *ret_failed);
} targets[] = {
	{"k8s", audit_k8s},
	{"host", audit_host},
	{"containers", audit_containers},
	{"image", audit_image},
	{"dockerfile", audit_dockerfile},
};

int vg_cmd_audit(int argc, char **argv)
{
	struct audit_args a = {.format = VG_AUDIT_TABLE};
	struct vg_rules_collection c;
	struct vg_ruleset *rs = NULL;
	struct vg_audit_ignores ig;
	const struct audit_target *t = NULL;
	bool failed = false, have_ig = false;
	FILE *out = NULL;
	int r, rc = 1;

	r = parse_args(&a, argc, argv);
	if (r != 0)
		return r > 0 ? 0 : 2;
	if (a.n_inputs < 1) {
		audit_usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(targets); i++)
		if (strcmp(a.inputs[0], targets[i].name) == 0)
			t = &targets[i];
	if (!t) {
		log_error("Unknown audit target '%s' (k8s).", a.inputs[0]);
		return 2;
	}
	if (t->run == audit_k8s && a.n_inputs < 2) {
		log_error("vigil audit k8s needs at least one FILE or directory.");
		return 2;
	}

	vg_rules_collection_init(&c);
	vg_audit_ignores_init(&ig);
	if (a.ignorefile) {
		char err[1024];

		have_ig = true;
		r = vg_audit_ignores_load(&ig, a.ignorefile, err, sizeof(err));
		if (r < 0) {
			log_error("%s", err);
			goto out;
		}
	}
	r = load_rules(&a, &c, &rs);
	if (r < 0)
		goto out;
	out = vg_cli_open_output(a.output);
	if (!out)
		goto out;
	r = t->run(&a, rs, have_ig ? &ig : NULL, out, &failed);
	if (have_ig) {
		int64_t today = (int64_t)(time(NULL) / 86400);

		vg_vec_for_each(const struct vg_audit_ignore, e, &ig.items) {
			if (e->expires >= 0 && today > e->expires)
				log_warning(
					"%s:%u: suppression of '%s' expired; its findings count "
					"again.",
					ig.file, e->line, e->what);
		}
	}
	if (r == -EINVAL)
		rc = 2;
	else if (r >= 0)
		rc = failed ? a.exit_code : 0;
out:
	if (out && out != stdout && fclose(out) != 0 && rc == 0)
		rc = 1;
	vg_ruleset_free(rs);
	vg_audit_ignores_done(&ig);
	vg_rules_collection_done(&c);
	return rc;
}
