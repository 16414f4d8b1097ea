/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation on several threads (src/engine/parallel.c) against the single-threaded pipeline:
 * the same alerts, and each process's alerts in the order of its events, for 2, 3 and 8
 * workers, on a generated workload where processes fork, exec, rename themselves, change
 * credentials, open and close files, exit (their children are reparented) and interleave,
 * with rules that read the parent and the ancestors (which other workers own) and fds a
 * child inherited (which only the parent's worker saw opened), and on random records. Also: the queues wrap many times (small records, many of them), drain, errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/detect.h"
#include "engine/parallel.h"
#include "engine/pipeline.h"
#include "event-builder.h"
#include "rules/load.h"
#include "rules/ruleset.h"
#include "state/fields-syscall.h"
#include "tap.h"

static const char rules_yaml[] =
	"- list: shells\n  items: [bash, sh, dash]\n"
	"- rule: etc_by_child_of_shell\n  desc: d\n"
	"  condition: evt.type in (open, openat) and fd.name startswith /etc and proc.pname in (shells)\n"
	"  output: f=%fd.name p=%proc.name pp=%proc.pname a2=%proc.aname[2] u=%user.uid n=%evt.num\n"
	"  priority: WARNING\n"
	"- rule: under_curl\n  desc: d\n"
	"  condition: evt.type = execve and proc.aname in (curl, wget)\n"
	"  output: p=%proc.name a=%proc.aname[1] %proc.aname[2] %proc.aname[3] n=%evt.num\n"
	"  priority: NOTICE\n"
	"- rule: root_write_from_shell_child\n  desc: d\n"
	"  condition: evt.type = openat and evt.is_open_write = true and user.uid = 0 and "
	"proc.pexe endswith sh\n"
	"  output: f=%fd.name p=%proc.name pexe=%proc.pexe n=%evt.num\n"
	"  priority: ERROR\n"
	"- rule: renamed_closes\n  desc: d\n"
	"  condition: evt.type = close and proc.pname startswith ren and fd.num >= 0\n"
	"  output: p=%proc.name pp=%proc.pname fd=%fd.num n=%evt.num\n"
	"  priority: INFO\n"
	"- rule: etc_fd_closed\n  desc: d\n"
	"  condition: evt.type = close and fd.name startswith /etc\n"
	"  output: f=%fd.name p=%proc.name fd=%fd.num n=%evt.num\n"
	"  priority: INFO\n"
	"- rule: any_exit\n  desc: d\n"
	"  condition: evt.type = procexit and proc.aname[3] exists\n"
	"  output: p=%proc.name a3=%proc.aname[3] n=%evt.num\n"
	"  priority: DEBUG\n";

__attribute__((constructor)) static void setup(void)
{
	(void)vg_syscall_source_register();
}

/* ---- a generated workload ---- */

#define PROCS_MAX 400

struct gproc {
	uint32_t pid, ppid, uid;
	char comm[16];
	bool alive;
	int fds[8];
	unsigned nfds;
};

struct gen {
	struct gproc p[PROCS_MAX];
	unsigned n;
	uint32_t next_pid;
	uint64_t ts, rnd;
	struct vg_evb b;
};

static const char *const bins[] = {"bash", "sh", "cat", "curl", "python3", "vi", "wget", "dash"};
static const char *const files[] = {"/etc/shadow", "/etc/passwd", "/tmp/a", "/root/.ssh/id",
				    "/var/log/x", "/etc/sudoers"};

static unsigned rnd(struct gen *g, unsigned n)
{
	return (unsigned)(vg_evb_rand(&g->rnd) % n);
}

static struct vg_event_hdr *begin(struct gen *g, struct gproc *p, unsigned kind, unsigned sc)
{
	struct vg_event_hdr *h;

	vg_evb_init(&g->b, kind, sc);
	h = vg_evb_hdr(&g->b);
	h->pid = h->tid = h->vpid = h->vtid = p->pid;
	h->ppid = p->ppid;
	h->uid = h->euid = p->uid;
	h->ts = (g->ts += 1000);
	memset(h->comm, 0, sizeof(h->comm));
	memcpy(h->comm, p->comm, strnlen(p->comm, sizeof(p->comm) - 1));
	return h;
}

static struct gproc *pick(struct gen *g)
{
	for (;;) {
		struct gproc *p = &g->p[rnd(g, g->n)];

		if (p->alive)
			return p;
	}
}

static void exec_as(struct gen *g, struct gproc *p, const char *bin)
{
	char exe[64];
	const char *argv[] = {bin, "-x", NULL};

	snprintf(p->comm, sizeof(p->comm), "%s", bin);
	snprintf(exe, sizeof(exe), "/usr/bin/%s", bin);
	begin(g, p, VG_EV_EXEC, VG_SC_EXECVE);
	vg_evb_str(&g->b, VG_P_FILENAME, exe);
	vg_evb_str(&g->b, VG_P_EXE, exe);
	vg_evb_list(&g->b, VG_P_ARGV, argv);
	vg_evb_str(&g->b, VG_P_CWD, "/");
}

/* One event of the workload into g->b; returns its size. */
static size_t next_event(struct gen *g)
{
	struct gproc *p = pick(g), *c;
	struct vg_event_hdr *h;
	unsigned what = rnd(g, 100);

	if (what < 8 && g->n < PROCS_MAX) { /* fork */
		c = &g->p[g->n++];
		*c = (struct gproc){.pid = g->next_pid++, .ppid = p->pid, .uid = p->uid, .alive = true};
		memcpy(c->comm, p->comm, sizeof(c->comm));
		memcpy(c->fds, p->fds, sizeof(c->fds)); /* inherited: known to the parent only */
		c->nfds = p->nfds;
		h = begin(g, p, VG_EV_FORK, VG_SC_CLONE);
		h->args[0] = h->args[1] = h->args[3] = h->args[4] = c->pid;
	} else if (what < 16) {
		exec_as(g, p, bins[rnd(g, VG_ARRAY_SIZE(bins))]);
	} else if (what < 19 && p->pid != 100) { /* exit: children go to 100 */
		p->alive = false;
		for (unsigned i = 0; i < g->n; i++)
			if (g->p[i].alive && g->p[i].ppid == p->pid)
				g->p[i].ppid = 100;
		h = begin(g, p, VG_EV_EXIT, VG_SC_NONE);
		h->args[0] = 1;
	} else if (what < 21) { /* rename */
		snprintf(p->comm, sizeof(p->comm), "ren%u", rnd(g, 3));
		h = begin(g, p, VG_EV_SYSCALL, VG_SC_PRCTL);
		h->args[0] = 15;
		vg_evb_str(&g->b, VG_P_NAME, p->comm);
	} else if (what < 23) { /* setuid */
		p->uid = rnd(g, 2) ? 0 : 1000;
		h = begin(g, p, VG_EV_SYSCALL, VG_SC_SETUID);
		h->args[0] = p->uid;
	} else if (what < 30 && p->nfds) { /* close */
		unsigned k = rnd(g, p->nfds);

		h = begin(g, p, VG_EV_SYSCALL, VG_SC_CLOSE);
		h->args[0] = (uint64_t)p->fds[k];
		p->fds[k] = p->fds[--p->nfds];
	} else { /* openat, sometimes failing */
		bool fail = rnd(g, 4) == 0;
		int fd = 3 + (int)rnd(g, 20);

		h = begin(g, p, VG_EV_SYSCALL, VG_SC_OPENAT);
		h->args[0] = (uint64_t)-100;
		h->args[2] = rnd(g, 2) ? 01 | 0100 : 0; /* O_WRONLY|O_CREAT or O_RDONLY */
		h->ret = fail ? -2 : fd;
		vg_evb_str(&g->b, VG_P_PATH, files[rnd(g, VG_ARRAY_SIZE(files))]);
		if (!fail && p->nfds < VG_ARRAY_SIZE(p->fds))
			p->fds[p->nfds++] = fd;
	}
	return vg_evb_finish(&g->b);
}

static void gen_init(struct gen *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->rnd = seed;
	g->ts = 5000000000ull;
	g->next_pid = 101;
	g->p[0] = (struct gproc){.pid = 100, .ppid = 1, .alive = true};
	g->n = 1;
	snprintf(g->p[0].comm, sizeof(g->p[0].comm), "bash");
}

/* ---- running it ---- */

struct run {
	char *text;
	size_t len;
	unsigned long long alerts;
};

static struct vg_ruleset *compile(void)
{
	struct vg_rules_collection c;
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_ruleset *rs = NULL;
	struct vg_diags d;

	vg_rules_collection_init(&c);
	vg_diags_init(&d);
	if (vg_rules_load_buffer(&c, "t.yaml", rules_yaml, sizeof(rules_yaml) - 1, &d) < 0 ||
	    vg_rules_compile(&c, &o, &rs, &d) < 0)
		vg_diags_print(&d, stderr);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
	return rs;
}

/* The workload (seed, n events, plus n_random random records) through threads workers
 * (0: the plain single-threaded pipeline); alerts as JSON lines in r. */
static int run(const struct vg_ruleset *rs, unsigned threads, uint64_t seed, unsigned n,
	       unsigned n_random, struct run *r)
{
	struct vg_state_config scfg = {.live = false};
	struct vg_detect_config dcfg = {.rate = 0};
	struct vg_sinks sinks = VG_SINKS_INIT;
	struct vg_detect hub;
	struct vg_state *state = NULL;
	struct vg_pipeline pipe;
	struct vg_parallel *par = NULL;
	struct gen *g = malloc(sizeof(*g));
	uint64_t rs_state = seed ^ 0x5555;
	FILE *f = open_memstream(&r->text, &r->len);
	int q = 0;

	if (!g || !f || vg_sinks_add_stream(&sinks, f, VG_SINK_JSON) < 0 ||
	    vg_detect_init(&hub, rs, &sinks, "h", &dcfg) < 0 || vg_state_new(&scfg, &state) < 0)
		return -1;
	vg_pipeline_init(&pipe, state, VG_EVENTS_NONE, NULL, 0, NULL);
	vg_pipeline_set_detect(&pipe, &hub, "h");
	if (threads) {
		struct vg_parallel_config pc = {
			.threads = threads, .state = scfg, .hub = &hub, .hostname = "h"};

		if (vg_detect_share(&hub) < 0 || vg_parallel_new(&pc, &par) < 0)
			return -1;
	}
	gen_init(g, seed);
	exec_as(g, &g->p[0], "bash");
	for (unsigned i = 0; i <= n + n_random && q >= 0; i++) {
		size_t len = i == 0 ? vg_evb_finish(&g->b)
			     : i <= n ? next_event(g)
				      : vg_evb_random(&g->b, &rs_state);

		q = par ? vg_parallel_event(par, g->b.buf, len)
			: vg_pipeline_event(&pipe, g->b.buf, len);
	}
	if (par) {
		int e = vg_parallel_finish(par);

		q = q < 0 ? q : e;
	}
	r->alerts = hub.stats.alerts;
	par = vg_parallel_free(par);
	vg_pipeline_done(&pipe);
	vg_detect_done(&hub);
	vg_sinks_done(&sinks);
	vg_state_free(state);
	fclose(f);
	free(g);
	return q;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits text into its lines (in place). */
static char **lines_of(char *text, size_t *ret_n)
{
	size_t n = 0, cap = 1024;
	char **v = malloc(cap * sizeof(*v));

	for (char *s = text, *nl; v && *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
			break;
		v[n++] = s;
	}
	*ret_n = n;
	return v;
}

/* The "proc.pid" and "evt.num" of an alert line, 0 when absent. */
static void pid_num(const char *line, unsigned long *pid, unsigned long *num)
{
	const char *p = strstr(line, "\"proc.pid\":"), *q = strstr(line, "\"evt.num\":");

	*pid = p ? strtoul(p + 11, NULL, 10) : 0;
	*num = q ? strtoul(q + 10, NULL, 10) : 0;
}

/* Same alerts (as a multiset), and per process in increasing event order. */
static bool same_alerts(struct run *a, struct run *b, unsigned threads)
{
	size_t na, nb;
	char **la = lines_of(a->text, &na), **lb = lines_of(b->text, &nb);
	bool ok = la && lb && na == nb && na > 0;
	unsigned long *last = calloc(1 << 16, sizeof(*last));

	ok = ok && last;
	for (size_t i = 0; ok && i < nb; i++) {
		unsigned long pid, num;

		pid_num(lb[i], &pid, &num);
		if (!num || num < last[pid & 0xffff]) {
			tap_diag("threads %u: pid %lu alert n=%lu after n=%lu\n", threads, pid, num,
				 last[pid & 0xffff]);
			ok = false;
		}
		last[pid & 0xffff] = num;
	}
	if (ok) {
		qsort(la, na, sizeof(*la), cmp_str);
		qsort(lb, nb, sizeof(*lb), cmp_str);
		for (size_t i = 0; ok && i < na; i++)
			if (strcmp(la[i], lb[i]) != 0) {
				tap_diag("threads %u: first difference:\n#  %.300s\n#  %.300s\n",
					 threads, la[i], lb[i]);
				ok = false;
			}
	} else if (na != nb) {
		tap_diag("threads %u: %zu alerts, single thread %zu\n", threads, nb, na);
	}
	free(last);
	free(la);
	free(lb);
	return ok;
}

TEST(same_alerts_as_one_thread)
{
	struct vg_ruleset *rs = compile();
	static const unsigned threads[] = {1, 2, 3, 8};

	ASSERT_NOT_NULL(rs);
	for (uint64_t seed = 1; seed <= 3; seed++)
		for (size_t t = 0; t < VG_ARRAY_SIZE(threads); t++) {
			struct run many = {0}, one = {0};

			ASSERT_OK(run(rs, 0, seed, 40000, 0, &one));
			ASSERT_OK(run(rs, threads[t], seed, 40000, 0, &many));
			if (t == 0)
				tap_diag("seed %llu: %llu alerts on one thread\n",
					 (unsigned long long)seed, one.alerts);
			ASSERT_GT(one.alerts, 100ull);
			ASSERT_EQ(one.alerts, many.alerts);
			if (!same_alerts(&one, &many, threads[t]))
				TAP_FAIL_AT("seed %llu, %u threads: alerts differ",
					    (unsigned long long)seed, threads[t]);
			free(many.text);
			free(one.text);
		}
	vg_ruleset_free(rs);
}

/* Random records (any kind, random processes and parameters) after the workload. */
TEST(random_records)
{
	struct vg_ruleset *rs = compile();
	struct run one = {0}, many = {0};

	ASSERT_NOT_NULL(rs);
	ASSERT_OK(run(rs, 0, 7, 5000, 20000, &one));
	ASSERT_OK(run(rs, 4, 7, 5000, 20000, &many));
	ASSERT_EQ(one.alerts, many.alerts);
	if (!same_alerts(&one, &many, 4))
		TAP_FAIL_AT("random records: alerts differ");
	free(one.text);
	free(many.text);
	vg_ruleset_free(rs);
}

TEST(ownership_and_broadcast)
{
	unsigned count[3] = {0};
	struct vg_event_hdr h = {.kind = VG_EV_SYSCALL, .sc = VG_SC_OPENAT};

	for (uint32_t pid = 1; pid <= 30000; pid++) {
		unsigned o = vg_parallel_owner(pid, 3);

		ASSERT_LT(o, 3u);
		ASSERT_EQ(o, vg_parallel_owner(pid, 3));
		count[o]++;
	}
	for (unsigned i = 0; i < 3; i++)
		ASSERT_GT(count[i], 9000u); /* spread evenly */
	ASSERT_FALSE(vg_parallel_is_broadcast(&h));
	h.sc = VG_SC_SETUID;
	ASSERT_TRUE(vg_parallel_is_broadcast(&h));
	h.kind = VG_EV_FORK;
	h.sc = VG_SC_CLONE;
	ASSERT_TRUE(vg_parallel_is_broadcast(&h));
}

