/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil inspect CONTAINER|PID: the isolation actually in force for a container's init process
 * (src/audit/isolation.c), as a report for people (text) or programs (JSON). CONTAINER is a
 * Docker container (id or name, through the engine API: State.Pid) or a runc/crun container
 * (its state directory: init_process_pid / pid); a number is a host PID.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/isolation.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/log.h"
#include "basic/parse-util.h"
#include "basic/string-util.h"
#include "cli/commands.h"
#include "image/docker.h"
#include "shared/http-unix.h"
#include "shared/json.h"
#include "state/docker.h"
#include "state/meta.h"
#include "state/runc.h"

int vg_cmd_inspect(int argc, char **argv);

#define INSPECT_TIMEOUT_MS     5000
#define INSPECT_RUNC_ROOTS_MAX 8

struct inspect_args {
	const char *format;
	const char *output;
	const char *docker_socket;
	const char *runc_roots[INSPECT_RUNC_ROOTS_MAX];
	size_t n_runc_roots;
	const char *proc_root;
	const char *cgroup_root;
	int exit_code;
	enum vg_iso_severity severity;
	const char *target;
};

/* What the target resolved to. */
struct inspect_target {
	const char *kind; /* "docker", "runc", "crun", "pid" */
	uint32_t pid;
	struct vg_container_meta *meta; /* NULL for a bare pid */
};

static void inspect_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil inspect [OPTIONS] CONTAINER|PID\n\n"
		"Show the isolation actually in force for a container's init process: namespaces\n"
		"shared with the host, capabilities, seccomp, AppArmor/SELinux, cgroup limits,\n"
		"mounts and the user mapping, with every weakness explained and its fix.\n\n"
		"CONTAINER: a Docker container id or name (engine API), a runc/crun container id\n"
		"(state directory), or docker:NAME, runc:ID, pid:N to say which; a number is a PID.\n\n"
		"Options:\n"
		"  -f, --format FMT        text (default) or json\n"
		"  -o, --output FILE       write to FILE instead of stdout\n"
		"  --severity LEVEL        weaknesses that count for --exit-code: critical, high,\n"
		"                          medium or low (default low); LEVEL+ is accepted too\n"
		"  --exit-code N           exit with N when such weaknesses exist (default 0)\n"
		"  --docker-socket PATH    Docker engine socket (default $DOCKER_HOST, else\n"
		"                          /var/run/docker.sock)\n"
		"  --runc-root DIR         runc/crun state directory (default /run/runc, /run/crun);\n"
		"                          may be given several times\n"
		"  --proc-root DIR         read DIR instead of /proc (a copy, or tests)\n"
		"  --cgroup-root DIR       read DIR instead of /sys/fs/cgroup\n"
		"  -h, --help              show this help\n\n"
		"Needs root to read another user's /proc entries.\n"
		"Exit status: 0 inspected (weaknesses or not, unless --exit-code), N weaknesses of\n"
		"at least --severity found, 1 error (no such container or process), 2 usage error.\n");
}

/* ------------------------------------------------------------------------------------------ */
/* Target resolution */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int docker_get(const char *sock, const char *id, char **ret_body, size_t *ret_len)
{
	cleanup_free char *body = NULL;
	char path[VG_PATH_MAX];
	size_t len = 0;
	int status = 0, r;

	(void)snprintf(path, sizeof(path), "/" VG_DOCKER_API_VERSION "/containers/%s/json", id);
	r = vg_http_unix_get(sock, path, INSPECT_TIMEOUT_MS, VG_HTTP_REPLY_MAX, &status, &body,
			     &len);
	if (r < 0)
		return r;
	if (status == 400) {
		/* an engine older than the pinned API version */
		free(body);
		body = NULL;
		(void)snprintf(path, sizeof(path), "/containers/%s/json", id);
		r = vg_http_unix_get(sock, path, INSPECT_TIMEOUT_MS, VG_HTTP_REPLY_MAX, &status,
				     &body, &len);
		if (r < 0)
			return r;
	}
	if (status == 404)
		return -ENOENT;
	if (status != 200)
		return -EPROTO;
	*ret_body = TAKE_PTR(body);
	*ret_len = len;
	return 0;
}

static int resolve_docker(const struct inspect_args *a, const char *id, struct inspect_target *t)
{
	cleanup_free char *body = NULL;
	cleanup_json json_t *root = NULL;
	const char *sock = a->docker_socket ? a->docker_socket : vg_docker_socket();
	json_t *state;
	int64_t pid = 0;
	size_t len = 0;
	bool running = false;
	char err[128];
	int r;

	if (strlen(id) > 256 || !id[0] || strchr(id, '/') || strchr(id, '?') || strchr(id, '%') ||
	    strchr(id, ' '))
		return -EINVAL;
	r = docker_get(sock, id, &body, &len);
	if (r < 0)
		return r;
	r = vg_json_parse(body, len, &root, err, sizeof(err));
	if (r < 0)
		return r;
	state = vg_json_get_obj(root, "State");
	if (!state || vg_json_get_int(state, "Pid", &pid) < 0 ||
	    vg_json_get_bool(state, "Running", &running) < 0)
		return -EBADMSG;
	if (!running || pid <= 0 || pid > UINT32_MAX)
		return -ESRCH;
	r = vg_docker_parse_inspect(body, len, &t->meta);
	if (r < 0)
		return r;
	t->kind = "docker";
	t->pid = (uint32_t)pid;
	return 0;
}

static int resolve_runc(const struct inspect_args *a, const char *id, struct inspect_target *t)
{
	static const char *const def_roots[] = {"/run/runc", "/run/crun"};
	const char *const *roots = a->n_runc_roots ? a->runc_roots : def_roots;
	size_t n = a->n_runc_roots ? a->n_runc_roots : VG_ARRAY_SIZE(def_roots);
	int last = -ENOENT;

	for (size_t i = 0; i < n; i++) {
		cleanup_free char *text = NULL;
		cleanup_json json_t *state = NULL;
		char path[VG_PATH_MAX + 300], err[128];
		int64_t pid = 0;
		bool crun = false;
		size_t len = 0;
		int r;

		if (strlen(id) > 256 || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, ".."))
			return -EINVAL;
		(void)snprintf(path, sizeof(path), "%s/%s/state.json", roots[i], id);
		r = vg_read_file(path, VG_RUNC_FILE_MAX, &text, &len);
		if (r == -ENOENT) {
			(void)snprintf(path, sizeof(path), "%s/%s/status", roots[i], id);
			r = vg_read_file(path, VG_RUNC_FILE_MAX, &text, &len);
			crun = true;
		}
		if (r < 0) {
			if (r != -ENOENT)
				last = r;
			continue;
		}
		r = vg_json_parse(text, len, &state, err, sizeof(err));
		if (r < 0)
			return r;
		r = vg_json_get_int(state, crun ? "pid" : "init_process_pid", &pid);
		if (r < 0)
			return r == -ENOENT ? -EBADMSG : r;
		if (pid <= 0 || pid > UINT32_MAX)
			return -ESRCH;
		r = vg_runc_state_read(roots[i], id, &t->meta);
		if (r < 0)
			return r;
		t->kind = t->meta->runtime[0] ? t->meta->runtime : "runc";
		t->pid = (uint32_t)pid;
		return 0;
	}
	return last;
}

static int resolve(const struct inspect_args *a, struct inspect_target *t)
{
	const char *s = a->target, *rest;
	uint32_t pid;
	int r, rd;

	if ((rest = vg_startswith(s, "pid:")) || all_digits(s)) {
		if (vg_safe_atou32(rest ? rest : s, &pid) < 0 || pid == 0) {
			log_error("Invalid PID '%s'.", rest ? rest : s);
			return -EINVAL;
		}
		t->kind = "pid";
		t->pid = pid;
		return 0;
	}
	if ((rest = vg_startswith(s, "docker:"))) {
		r = resolve_docker(a, rest, t);
		if (r == -ENOENT)
			return log_error_errno(r, "No such Docker container '%s'.", rest);
		if (r == -ESRCH)
			return log_error_errno(r, "Docker container '%s' is not running.", rest);
		if (r < 0)
			return log_error_errno(r, "Cannot inspect Docker container '%s': %m", rest);
		return 0;
	}
	if ((rest = vg_startswith(s, "runc:"))) {
		r = resolve_runc(a, rest, t);
		if (r == -ENOENT)
			return log_error_errno(r, "No such runc/crun container '%s'.", rest);
		if (r < 0)
			return log_error_errno(r, "Cannot read the state of container '%s': %m",
					       rest);
		return 0;
	}
	/* A bare name: the runtime state directories first (no daemon needed), then Docker. */
	r = resolve_runc(a, s, t);
	if (r >= 0)
		return 0;
	if (r != -ENOENT && r != -EINVAL)
		return log_error_errno(r, "Cannot read the state of container '%s': %m", s);
	rd = resolve_docker(a, s, t);
	if (rd >= 0)
		return 0;
	if (rd == -ESRCH)
		return log_error_errno(rd, "Container '%s' is not running.", s);
	if (rd == -ENOENT || rd == -ECONNREFUSED || rd == -EACCES || rd == -EINVAL)
		return log_error_errno(
			-ENOENT,
			"No such container '%s' (not a runc/crun container, and the "
			"Docker engine %s: %s).",
			s, rd == -ENOENT ? "does not know it or is not running" : "cannot be asked",
			strerror(-rd));
	return log_error_errno(rd, "Cannot inspect Docker container '%s': %m", s);
}

/* ------------------------------------------------------------------------------------------ */
/* Writers */

static int target_json(const struct inspect_target *t, struct vg_strbuf *sb)
{
	int r;

	if ((r = vg_strbuf_printf(sb, "{\"kind\":\"%s\"", t->kind)) < 0)
		return r;
	if (t->meta) {
		const char *keys[] = {"id", "name", "image", "runtime"};
		const char *vals[] = {t->meta->id, t->meta->name, t->meta->image, t->meta->runtime};

		for (size_t i = 0; i < VG_ARRAY_SIZE(keys); i++)
			if ((r = vg_strbuf_printf(sb, ",\"%s\":", keys[i])) < 0 ||
			    (r = vg_strbuf_put_json_string(sb, vals[i], strlen(vals[i]))) < 0)
				return r;
	}
	return vg_strbuf_putc(sb, '}');
}

static void print_limit(FILE *f, const char *name, const struct vg_iso_limit *l, const char *unit)
{
	if (!l->known)
		fprintf(f, "  %-8s unknown (controller not found)\n", name);
	else if (l->value == VG_ISO_UNLIMITED)
		fprintf(f, "  %-8s no limit\n", name);
	else
		fprintf(f, "  %-8s %llu%s (set at %s)\n", name, (unsigned long long)l->value, unit,
			l->where ? l->where : "?");
}

/* One capability set, wrapped at 100 columns under its label. */
static void print_caps(FILE *f, const char *name, uint64_t mask)
{
	int col;

	fprintf(f, "  %-12s", name);
	col = 14;
	if (!mask) {
		fprintf(f, " none\n");
		return;
	}
	for (unsigned bit = 0; bit < 64; bit++) {
		char buf[16];
		const char *s = vg_iso_cap_name(bit);
		int n;

		if (!(mask & (1ULL << bit)))
			continue;
		if (!s) {
			(void)snprintf(buf, sizeof(buf), "CAP_%u", bit);
			s = buf;
		}
		n = (int)strlen(s) + 1;
		if (col + n > 100 && col > 14) {
			fprintf(f, "\n%14s", "");
			col = 14;
		}
		fprintf(f, " %s", s);
		col += n;
	}
	fputc('\n', f);
}

/* "             why:  text..." wrapped at 100 columns, continuation lines under the text; a
 * word longer than the line (a path) is printed whole. */
static void print_wrapped(FILE *f, const char *label, const char *text)
{
	const int indent = 19, width = 100;
	int col = fprintf(f, "%13s%s", "", label);

	while (*text) {
		size_t n = strcspn(text, " ");

		if (col > indent && col + 1 + (int)n > width) {
			fprintf(f, "\n%*s", indent - 1, "");
			col = indent - 1;
		}
		col += fprintf(f, " %.*s", (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void print_findings(FILE *f, const struct vg_isolation *iso, enum vg_iso_area area)
{
	for (size_t i = 0; i < iso->n_findings; i++) {
		const struct vg_iso_finding *x = &iso->findings[i];
		char sev[16];

		if (x->check->area != area)
			continue;
		vg_strlcpy(sev, vg_iso_severity_to_string(x->severity), sizeof(sev));
		for (char *p = sev; *p; p++)
			*p = (char)(*p - 'a' + 'A');
		fprintf(f, "  ! %-8s %s: %s\n", sev, x->id, x->check->title);
		print_wrapped(f, "seen:", x->detail);
		print_wrapped(f, "why: ", x->why);
		print_wrapped(f, "fix: ", x->check->fix);
	}
}

static void write_text(FILE *f, const struct inspect_target *t, const struct vg_isolation *iso)
{
	static const char *const seccomp_modes[] = {"disabled", "strict", "filter"};
	size_t by_sev[VG_ISO_SEV__MAX] = {0};
	bool any = false;

	if (t->meta)
		fprintf(f, "%s container %s (%.12s)\n  image: %s\n  pid:   %u\n", t->kind,
			t->meta->name[0] ? t->meta->name : t->meta->id, t->meta->id,
			t->meta->image[0] ? t->meta->image : "(unknown)", iso->pid);
	else
		fprintf(f, "process %u\n", iso->pid);
	fprintf(f, "  host:  compared with pid %u%s\n\n", iso->ref_pid,
		iso->ref_is_self ? " (this process: pid 1's namespaces are not readable)" : "");

	fprintf(f, "Namespaces\n");
	for (int i = 0; i < VG_ISO_NS__MAX; i++)
		fprintf(f, "  %-8s %s\n", vg_iso_ns_name(i),
			iso->ns[i] == VG_ISO_NS_SHARED	  ? "HOST (shared)"
			: iso->ns[i] == VG_ISO_NS_PRIVATE ? "private"
							  : "unknown");
	print_findings(f, iso, VG_ISO_AREA_NAMESPACES);

	fprintf(f, "\nCapabilities\n");
	print_caps(f, "effective", iso->cap_eff);
	print_caps(f, "permitted", iso->cap_prm);
	print_caps(f, "bounding", iso->cap_bnd);
	print_caps(f, "ambient", iso->cap_amb);
	print_findings(f, iso, VG_ISO_AREA_CAPABILITIES);

	fprintf(f, "\nSeccomp\n  mode:        %s",
		iso->seccomp < 0 ? "unknown" : seccomp_modes[iso->seccomp]);
	if (iso->seccomp_filters >= 0)
		fprintf(f, " (%d filter%s)", iso->seccomp_filters,
			iso->seccomp_filters == 1 ? "" : "s");
	fprintf(f, "\n  NoNewPrivs:  %s\n",
		iso->no_new_privs < 0 ? "unknown"
		: iso->no_new_privs   ? "yes"
				      : "no");
	print_findings(f, iso, VG_ISO_AREA_SECCOMP);

	fprintf(f, "\nLSM\n");
	if (iso->lsm == VG_ISO_LSM_NONE)
		fprintf(f, "  none (the kernel applies neither AppArmor nor SELinux to it)\n");
	else
		fprintf(f, "  %s: %s\n", iso->lsm == VG_ISO_LSM_APPARMOR ? "AppArmor" : "SELinux",
			iso->lsm_label);
	print_findings(f, iso, VG_ISO_AREA_LSM);

	fprintf(f, "\nCgroups (%s, %s)\n", vg_iso_cgroup_mode_to_string(iso->cgroup_mode),
		iso->cgroup_path[0] ? iso->cgroup_path : "?");
	print_limit(f, "memory", &iso->mem, " bytes");
	print_limit(f, "pids", &iso->pids, "");
	if (iso->cpu_quota.known && iso->cpu_quota.value != VG_ISO_UNLIMITED &&
	    iso->cpu_period.known && iso->cpu_period.value)
		fprintf(f, "  %-8s %llu/%llu us (%.2f CPUs)\n", "cpu",
			(unsigned long long)iso->cpu_quota.value,
			(unsigned long long)iso->cpu_period.value,
			(double)iso->cpu_quota.value / (double)iso->cpu_period.value);
	else
		print_limit(f, "cpu", &iso->cpu_quota, " us");
	if (iso->devices_all >= 0)
		fprintf(f, "  %-8s %s\n", "devices",
			iso->devices_all ? "all allowed" : "restricted");
	print_findings(f, iso, VG_ISO_AREA_CGROUPS);

	fprintf(f, "\nMounts\n  rootfs:  %s\n",
		iso->rootfs_ro < 0 ? "unknown"
		: iso->rootfs_ro   ? "read-only"
				   : "read-write");
	for (size_t i = 0; i < iso->n_mounts; i++) {
		const struct vg_iso_mount *m = &iso->mounts[i];

		if (!m->host_path || strcmp(m->mount_point, "/") == 0)
			continue;
		fprintf(f, "  %s <- host %s (%s, %s%s)\n", m->mount_point, m->host_path, m->fstype,
			m->rw ? "rw" : "ro", m->shared ? ", shared" : "");
	}
	print_findings(f, iso, VG_ISO_AREA_MOUNTS);

	fprintf(f, "\nUser\n  uid %u (effective %u), gid %u\n  uid_map:", iso->uid[0], iso->uid[1],
		iso->gid[0]);
	for (size_t i = 0; i < iso->n_uid_map; i++)
		fprintf(f, " %u->%u (%u)", iso->uid_map[i].inside, iso->uid_map[i].outside,
			iso->uid_map[i].count);
	fprintf(f, "\n  root:    %s\n",
		iso->root_on_host ? "uid 0 is the host's root" : "not the host's root");
	print_findings(f, iso, VG_ISO_AREA_USER);

	for (size_t i = 0; i < iso->n_findings; i++)
		by_sev[iso->findings[i].severity]++;
	fprintf(f, "\n%zu weakness%s:", iso->n_findings, iso->n_findings == 1 ? "" : "es");
	for (int s = VG_ISO_SEV_CRITICAL; s >= VG_ISO_SEV_LOW; s--) {
		if (!by_sev[s])
			continue;
		fprintf(f, "%s %zu %s", any ? "," : "", by_sev[s], vg_iso_severity_to_string(s));
		any = true;
	}
	fprintf(f, "%s\n", any ? "" : " none");
}

/* ------------------------------------------------------------------------------------------ */

int vg_cmd_inspect(int argc, char **argv)
{
	enum { OPT_EXIT = 0x100, OPT_SEVERITY, OPT_SOCKET, OPT_RUNC_ROOT, OPT_PROC, OPT_CGROUP };
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"exit-code", required_argument, NULL, OPT_EXIT},
		{"severity", required_argument, NULL, OPT_SEVERITY},
		{"docker-socket", required_argument, NULL, OPT_SOCKET},
		{"runc-root", required_argument, NULL, OPT_RUNC_ROOT},
		{"proc-root", required_argument, NULL, OPT_PROC},
		{"cgroup-root", required_argument, NULL, OPT_CGROUP},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	struct inspect_args a = {.format = "text", .severity = VG_ISO_SEV_LOW};
	struct inspect_target t = {0};
	cleanup(vg_container_meta_freep) struct vg_container_meta *meta = NULL;
	cleanup(vg_isolation_freep) struct vg_isolation *iso = NULL;
	struct vg_iso_opts io = {0};
	FILE *out;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) >= 0) {
		switch (c) {
		case 'f':
			a.format = optarg;
			break;
		case 'o':
			a.output = optarg;
			break;
		case OPT_EXIT: {
			uint32_t code;

			if (vg_safe_atou32(optarg, &code) < 0 || code > 255) {
				log_error("Invalid --exit-code '%s': 0 to 255.", optarg);
				return 2;
			}
			a.exit_code = (int)code;
			break;
		}
		case OPT_SEVERITY: {
			char lvl[32];
			size_t n = strlen(optarg);

			vg_strlcpy(lvl, optarg, sizeof(lvl));
			if (n && n < sizeof(lvl) && lvl[n - 1] == '+')
				lvl[n - 1] = '\0';
			r = vg_iso_severity_from_string(lvl);
			if (r < 0 || r == VG_ISO_SEV_INFO) {
				log_error("Invalid --severity '%s': critical, high, medium or low.",
					  optarg);
				return 2;
			}
			a.severity = r;
			break;
		}
		case OPT_SOCKET:
			a.docker_socket = optarg;
			break;
		case OPT_RUNC_ROOT:
			if (a.n_runc_roots == INSPECT_RUNC_ROOTS_MAX) {
				log_error("--runc-root given more than %d times.",
					  INSPECT_RUNC_ROOTS_MAX);
				return 2;
			}
			a.runc_roots[a.n_runc_roots++] = optarg;
			break;
		case OPT_PROC:
			a.proc_root = optarg;
			break;
		case OPT_CGROUP:
			a.cgroup_root = optarg;
			break;
		case 'h':
			inspect_usage(stdout);
			return 0;
		default:
			inspect_usage(stderr);
			return 2;
		}
	}
	if (strcmp(a.format, "text") != 0 && strcmp(a.format, "json") != 0) {
		log_error("Invalid --format '%s': text or json.", a.format);
		return 2;
	}
	if (optind != argc - 1) {
		log_error(optind == argc ? "Missing CONTAINER or PID." : "Too many arguments.");
		inspect_usage(stderr);
		return 2;
	}
	a.target = argv[optind];

	r = resolve(&a, &t);
	meta = t.meta; /* freed on return; t borrows it */
	if (r < 0)
		return 1;

	io.proc_root = a.proc_root;
	io.cgroup_root = a.cgroup_root;
	r = vg_isolation_collect(&io, t.pid, &iso);
	if (r == -ESRCH) {
		log_error("Process %u does not exist or exited while it was inspected.", t.pid);
		return 1;
	}
	if (r < 0) {
		log_error_errno(r, "Cannot inspect process %u: %m%s", t.pid,
				(r == -EACCES || r == -EPERM) && geteuid() != 0 ? " (run as root)"
										: "");
		return 1;
	}

	out = vg_cli_open_output(a.output);
	if (!out)
		return 1;
	if (strcmp(a.format, "json") == 0) {
		struct vg_strbuf tj = VG_STRBUF_INIT(64 * 1024);
		struct vg_strbuf sb = VG_STRBUF_INIT(0);

		r = target_json(&t, &tj);
		if (r >= 0)
			r = vg_isolation_to_json(iso, vg_strbuf_str(&tj), &sb);
		if (r >= 0)
			fprintf(out, "%s\n", vg_strbuf_str(&sb));
		vg_strbuf_done(&tj);
		vg_strbuf_done(&sb);
		if (r < 0)
			log_error_errno(r, "Cannot write the report: %m");
	} else {
		write_text(out, &t, iso);
		r = 0;
	}
	if (fflush(out) != 0 || ferror(out)) {
		log_error("Cannot write the report: %m");
		r = -EIO;
	}
	if (out != stdout)
		fclose(out);
	if (r < 0)
		return 1;
	return vg_isolation_count(iso, a.severity) > 0 ? a.exit_code : 0;
}
