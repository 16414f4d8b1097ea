/* SPDX-License-Identifier: Apache-2.0 */
/* vigil replay: a recorded capture through the same pipeline as vigil watch. No root. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "basic/log.h"
#include "basic/parse-util.h"
#include "basic/time-util.h"
#include "state/dns.h"
#include "cli/commands.h"
#include "engine/parallel.h"
#include "engine/pipeline.h"
#include "engine/rules-setup.h"

static void replay_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil replay FILE [OPTIONS]\n\n"
		"Run a capture recorded with 'vigil watch --record FILE' through the pipeline.\n\n"
		"Options:\n"
		"  --events               print every event\n"
		"  --format text|json     event output format (default text)\n"
		"  -o, --output FILE      write events and alerts to FILE instead of stdout\n"
		"  -r, --rules PATH       rule file or directory, replaces the built-in rules (repeatable)\n"
		"  --rule-matching first|all  stop at the first matching rule (default) or not\n"
		"  --min-priority P       ignore rules below priority P\n"
		"  --alert-rate N         at most N alerts per second per rule, in event time (default 10, 0: none)\n"
		"  --no-rules             no rules at all (not even the built-in ones)\n"
		"  --threads N            evaluate on N threads, each process's events in order\n"
		"                         (default 1; alerts of different processes may then come\n"
		"                         in another order; not with --events)\n"
		"  --stats                print throughput on stderr at the end\n"
		"  -h, --help             show this help\n");
}

struct replay_args {
	const char *path;
	bool events;
	int format;
	const char *output;
	struct vg_rules_setup rules;
	double alert_rate;
	bool stats;
	unsigned threads;
};

/* Where the CPU time of a threaded replay went: the reader (this thread: file, CRC, decode,
 * dispatch) and each worker (state and rules), per event, and the throughput they allow
 * when every thread has a CPU of its own. */
static void stats_threads(const struct vg_parallel *par, unsigned n, uint64_t events,
			  uint64_t cpu_start_ns)
{
	double reader = (double)(vg_now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start_ns), busiest = 0,
	       sum = 0;

	if (!events)
		return;
	for (unsigned i = 0; i < n; i++) {
		double w = (double)vg_parallel_worker_cpu_ns(par, i);

		sum += w;
		if (w > busiest)
			busiest = w;
	}
	log_info("CPU per event: reader %.0f ns, workers %.0f ns in all, "
		 "busiest worker %.0f ns: with a CPU per thread, at most %.0f events/s",
		 reader / (double)events, sum / (double)events, busiest / (double)events,
		 1e9 * (double)events / (reader > busiest ? reader : busiest));
}

static int run_replay(const struct replay_args *a)
{
	struct vg_state_config scfg = {.live = false};
	struct vg_detect_config dcfg = {.rate = a->alert_rate, .burst = 50};
	struct vg_capture_reader *reader = NULL;
	struct vg_capture_info info;
	struct vg_state *state = NULL;
	struct vg_rules_collection coll;
	struct vg_ruleset *rs = NULL;
	struct vg_sinks sinks = VG_SINKS_INIT;
	struct vg_detect detect;
	bool detect_ready = false;
	struct vg_pipeline pipe;
	bool pipe_ready = false;
	struct vg_parallel *par = NULL;
	const char *path = a->path;
	char err[512];
	FILE *out = NULL;
	uint64_t start_ns, cpu_start_ns, last_drops = 0;
	int r, q;

	vg_rules_collection_init(&coll);
	r = vg_rules_setup_build(&a->rules, &coll, stderr, &rs, NULL, NULL);
	if (r < 0) {
		log_error_errno(r, "The rules cannot be loaded.");
		goto out;
	}
	/* Host names the rules compare fd.*ip.name with: resolved before the first event
	 * (bounded wait), refreshed in the background. */
	q = vg_dns_start(VG_DNS_REFRESH_SECONDS, VG_DNS_FIRST_WAIT_MS);
	if (q < 0)
		log_warning_errno(q, "Cannot start the DNS refresher: %m");

	r = vg_capture_reader_open(path, &reader, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot replay '%s': %s", path, err);
		goto out;
	}
	(void)vg_capture_reader_info(reader, &info);
	out = vg_cli_open_output(a->output);
	if (!out) {
		r = -errno;
		goto out;
	}
	r = vg_state_new(&scfg, &state);
	if (r < 0) {
		log_error_errno(r, "Cannot set up the state engine: %m");
		goto out;
	}
	vg_pipeline_init(&pipe, state, a->events ? a->format : VG_EVENTS_NONE, out,
			 info.boot_offset_ns, NULL);
	pipe_ready = true;
	if (vg_ruleset_count(rs) > 0) {
		r = vg_sinks_add_stream(&sinks, out,
					a->format == VG_EVENTS_JSON ? VG_SINK_JSON : VG_SINK_TEXT);
		if (r >= 0)
			r = vg_detect_init(&detect, rs, &sinks, info.hostname, &dcfg);
		if (r < 0) {
			log_error_errno(r, "Cannot set up rule evaluation: %m");
			goto out;
		}
		detect_ready = true;
		vg_pipeline_set_detect(&pipe, &detect, info.hostname);
	}
	if (a->threads > 1) {
		struct vg_parallel_config pc = {
			.threads = a->threads,
			.state = scfg,
			.boot_offset_ns = info.boot_offset_ns,
			.hostname = info.hostname,
		};

		if (detect_ready) {
			r = vg_detect_share(&detect);
			pc.hub = &detect;
		}
		if (r >= 0)
			r = vg_parallel_new(&pc, &par);
		if (r < 0) {
			log_error_errno(r, "Cannot start %u evaluation threads: %m", a->threads);
			goto out;
		}
	}

	start_ns = vg_now_ns(CLOCK_MONOTONIC);
	cpu_start_ns = vg_now_ns(CLOCK_THREAD_CPUTIME_ID);
	for (;;) {
		const void *data;
		uint32_t type;
		size_t len;

		r = vg_capture_read(reader, &type, &data, &len);
		if (r <= 0)
			break;
		switch (type) {
		case VG_CAP_EVENT:
			r = par ? vg_parallel_event(par, data, len) : vg_pipeline_event(&pipe, data, len);
			break;
		case VG_CAP_PROC:
		case VG_CAP_CONTAINER: {
			int rt = type == VG_CAP_PROC ? VG_STATE_REC_PROC : VG_STATE_REC_CONTAINER;

			r = par ? vg_parallel_state_record(par, rt, data, len)
				: vg_state_load_record(state, rt, data, len);
			if (r < 0) {
				log_error_errno(
					r, "Capture '%s': bad %s record %llu: %m", path,
					type == VG_CAP_PROC ? "process" : "container",
					(unsigned long long)vg_capture_reader_records(reader));
			}
			break;
		}
		case VG_CAP_DROPS:
			/* The live run raised its "events lost" alert right after this record. */
			if (detect_ready) {
				/* the reader has checked and decoded the record */
				uint64_t drops = vg_capture_reader_drops(reader);

				if (drops > last_drops)
					r = vg_parallel_drops(par, &detect, drops);
				last_drops = drops;
			}
			break;
		default:
			break;
		}
		if (r < 0)
			break;
	}
	if (r < 0 && vg_capture_reader_error(reader)[0])
		log_error("Capture '%s': %s (%llu records replayed)", path,
			  vg_capture_reader_error(reader),
			  (unsigned long long)vg_capture_reader_records(reader));
	else if (r < 0)
		log_error_errno(r, "Replay of '%s' failed: %m", path);
	else if (vg_capture_reader_incomplete(reader)) {
		log_error("Capture '%s' has no end record: the recording was interrupted "
			  "(%llu records replayed).",
			  path, (unsigned long long)vg_capture_reader_records(reader));
		r = -EBADMSG;
	}
	if (par) {
		q = vg_parallel_finish(par);
		if (q < 0 && r >= 0)
			r = log_error_errno(q, "Evaluation failed: %m");
		vg_parallel_stats(par, &pipe.stats);
	}
	if (vg_capture_reader_drops(reader))
		log_warning("drops: %llu events were lost while recording",
			    (unsigned long long)vg_capture_reader_drops(reader));
	if (detect_ready) {
		q = vg_detect_summary(&detect, 0, true);
		if (q < 0 && r >= 0)
			r = log_error_errno(q, "Cannot write alerts: %m");
	}
	if (a->stats) {
		double secs = (double)(vg_now_ns(CLOCK_MONOTONIC) - start_ns) / 1e9;

		log_info("replayed %llu events in %.3f s: %.0f events/s, %zu rules, %llu alerts",
			 (unsigned long long)pipe.stats.records, secs,
			 secs > 0 ? (double)pipe.stats.records / secs : 0.0, vg_ruleset_count(rs),
			 detect_ready ? (unsigned long long)detect.stats.alerts : 0ull);
		if (par)
			stats_threads(par, a->threads, pipe.stats.records, cpu_start_ns);
	}
out:
	par = vg_parallel_free(par);
	if (out && fflush(out) != 0 && r >= 0)
		r = log_error_errno(-errno, "Cannot write events: %m");
	if (pipe_ready)
		vg_pipeline_done(&pipe);
	if (detect_ready)
		vg_detect_done(&detect);
	vg_sinks_done(&sinks);
	vg_state_free(state);
	vg_capture_reader_free(reader);
	vg_dns_stop();
	vg_ruleset_free(rs);
	vg_rules_collection_done(&coll);
	if (out && out != stdout)
		fclose(out);
	return r;
}

int vg_cmd_replay(int argc, char **argv)
{
	enum { OPT_MATCHING = 256, OPT_MINPRIO, OPT_RATE, OPT_NORULES, OPT_STATS, OPT_THREADS };
	static const struct option opts[] = {
		{"events", no_argument, NULL, 'e'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"rules", required_argument, NULL, 'r'},
		{"rule-matching", required_argument, NULL, OPT_MATCHING},
		{"min-priority", required_argument, NULL, OPT_MINPRIO},
		{"alert-rate", required_argument, NULL, OPT_RATE},
		{"no-rules", no_argument, NULL, OPT_NORULES},
		{"stats", no_argument, NULL, OPT_STATS},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"help", no_argument, NULL, 'h'},
		{}};
	struct replay_args a = {.format = VG_EVENTS_TEXT, .alert_rate = 10, .threads = 1};
	bool events = false;
	uint32_t n;
	int c;

	a.rules.opts.min_priority = VG_PRIO_DEBUG;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:r:", opts, NULL)) >= 0) {
		switch (c) {
		case 'e':
			events = true;
			break;
		case 'f':
			a.format = vg_cli_parse_event_format(optarg);
			if (a.format < 0) {
				log_error("Unknown --format '%s': use text or json.", optarg);
				return 2;
			}
			break;
		case 'o':
			a.output = optarg;
			break;
		case 'r':
			if (a.rules.n_paths >= VG_RULE_PATHS_MAX) {
				log_error("Too many -r options (at most %d).", VG_RULE_PATHS_MAX);
				return 2;
			}
			a.rules.paths[a.rules.n_paths++] = optarg;
			break;
		case OPT_MATCHING:
			if (strcmp(optarg, "first") && strcmp(optarg, "all")) {
				log_error("Invalid --rule-matching '%s': use first or all.",
					  optarg);
				return 2;
			}
			a.rules.opts.matching =
				strcmp(optarg, "all") == 0 ? VG_MATCH_ALL : VG_MATCH_FIRST;
			break;
		case OPT_MINPRIO:
			c = vg_priority_parse(optarg);
			if (c < 0) {
				log_error("Unknown priority '%s'.", optarg);
				return 2;
			}
			a.rules.opts.min_priority = c;
			break;
		case OPT_RATE:
			if (vg_safe_atou32(optarg, &n) < 0) {
				log_error("Invalid number '%s'.", optarg);
				return 2;
			}
			a.alert_rate = n;
			break;
		case OPT_NORULES:
			a.rules.none = true;
			break;
		case OPT_STATS:
			a.stats = true;
			break;
		case OPT_THREADS:
			if (vg_safe_atou32(optarg, &n) < 0 || n < 1 || n > VG_PARALLEL_THREADS_MAX) {
				log_error("Invalid --threads '%s': a number from 1 to %d.", optarg,
					  VG_PARALLEL_THREADS_MAX);
				return 2;
			}
			a.threads = n;
			break;
		case 'h':
			replay_usage(stdout);
			return 0;
		default:
			replay_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		replay_usage(stderr);
		return 2;
	}
	a.path = argv[optind];
	a.events = events; /* without --events only alerts are printed */
	if (events && a.threads > 1) {
		log_error("--events prints every event in stream order: use --threads 1.");
		return 2;
	}
	return run_replay(&a) < 0 ? 1 : 0;
}
