/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/detect.h"
#include "engine/parallel.h"
#include "engine/pipeline.h"
#include "parallel-check.h"
#include "rules/load.h"
#include "state/fields-syscall.h"

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

const struct vg_ruleset *vg_pc_rules(void)
{
	static struct vg_ruleset *rs;
	struct vg_rules_collection c;
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;

	if (rs)
		return rs;
	(void)vg_syscall_source_register();
	vg_rules_collection_init(&c);
	vg_diags_init(&d);
	if (vg_rules_load_buffer(&c, "t.yaml", rules_yaml, sizeof(rules_yaml) - 1, &d) < 0 ||
	    vg_rules_compile(&c, &o, &rs, &d) < 0)
		vg_diags_print(&d, stderr);
	vg_diags_done(&d);
	vg_rules_collection_done(&c);
	return rs;
}

int vg_pc_run(const struct vg_ruleset *rs, unsigned threads, vg_pc_next_fn *next, void *userdata,
	      struct vg_pc_run *out)
{
	struct vg_state_config scfg = {.live = false};
	struct vg_detect_config dcfg = {.rate = 0};
	struct vg_sinks sinks = VG_SINKS_INIT;
	struct vg_detect hub;
	struct vg_state *state = NULL;
	struct vg_pipeline pipe;
	struct vg_parallel *par = NULL;
	FILE *f;
	int q = 0;

	memset(out, 0, sizeof(*out));
	f = open_memstream(&out->text, &out->len);
	if (!f)
		return -1;
	if (vg_sinks_add_stream(&sinks, f, VG_SINK_JSON) < 0 ||
	    vg_detect_init(&hub, rs, &sinks, "h", &dcfg) < 0 || vg_state_new(&scfg, &state) < 0)
		abort();
	vg_pipeline_init(&pipe, state, VG_EVENTS_NONE, NULL, 0, NULL);
	vg_pipeline_set_detect(&pipe, &hub, "h");
	if (threads) {
		struct vg_parallel_config pc = {
			.threads = threads, .state = scfg, .hub = &hub, .hostname = "h"};

		if (vg_detect_share(&hub) < 0 || vg_parallel_new(&pc, &par) < 0)
			abort();
	}
	for (;;) {
		const void *data;
		size_t len = next(userdata, &data);

		if (!len || q < 0)
			break;
		q = par ? vg_parallel_event(par, data, len) : vg_pipeline_event(&pipe, data, len);
	}
	if (par) {
		int e = vg_parallel_finish(par);

		q = q < 0 ? q : e;
	}
	out->alerts = hub.stats.alerts;
	vg_parallel_free(par);
	vg_pipeline_done(&pipe);
	vg_detect_done(&hub);
	vg_sinks_done(&sinks);
	vg_state_free(state);
	fclose(f);
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

	for (char *s = text, *nl; v && s && *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (n == cap) {
			char **w = realloc(v, (cap *= 2) * sizeof(*v));

			if (!w) {
				free(v);
				return NULL;
			}
			v = w;
		}
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

bool vg_pc_same(struct vg_pc_run *a, struct vg_pc_run *b, char *why, size_t whysize)
{
	size_t na = 0, nb = 0;
	char **la = lines_of(a->text, &na), **lb = lines_of(b->text, &nb);
	unsigned long *last = calloc(1 << 16, sizeof(*last));
	bool ok = la && lb && last;

	snprintf(why, whysize, "out of memory");
	if (ok && na != nb) {
		snprintf(why, whysize, "%zu alerts instead of %zu", nb, na);
		ok = false;
	}
	for (size_t i = 0; ok && i < nb; i++) {
		unsigned long pid, num;

		pid_num(lb[i], &pid, &num);
		if (!num || num < last[pid & 0xffff]) {
			snprintf(why, whysize, "pid %lu: alert of event %lu after event %lu", pid,
				 num, last[pid & 0xffff]);
			ok = false;
		}
		last[pid & 0xffff] = num;
	}
	if (ok) {
		qsort(la, na, sizeof(*la), cmp_str);
		qsort(lb, nb, sizeof(*lb), cmp_str);
		for (size_t i = 0; ok && i < na; i++)
			if (strcmp(la[i], lb[i]) != 0) {
				snprintf(why, whysize, "first difference:\n#  %.300s\n#  %.300s", la[i],
					 lb[i]);
				ok = false;
			}
	}
	free(last);
	free(la);
	free(lb);
	free(a->text);
	free(b->text);
	a->text = b->text = NULL;
	return ok;
}
