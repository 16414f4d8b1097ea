/* SPDX-License-Identifier: Apache-2.0 */
/* vigil watch: the live sensor -> state -> output pipeline. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "basic/parse-util.h"
#include "basic/time-util.h"
#include "state/dns.h"
#include "cli/commands.h"
#include "engine/parallel.h"
#include "engine/pipeline.h"
#include "engine/rules-setup.h"
#include "sensor/probe.h"
#include "state/fetcher.h"
#include "state/fields-syscall.h"

#define VG_POLL_MS  50 /* ring buffer poll; bounds alert latency */
#define VG_STATS_NS 1000000000ull /* how often drop counters are checked */

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = sig;
}

struct watch_args {
	bool events;
	int format;
	const char *output;
	const char *record;
	uint64_t duration_ns;
	bool env;
	const char *docker_socket;
	bool no_metadata;
	size_t ringbuf_bytes;
	struct vg_rules_setup rules;
	bool syslog;
	int meta_wait_ms;
	double alert_rate;
	double alert_burst;
	unsigned threads; /* 0: auto */
};

static void watch_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil watch [OPTIONS]\n\n"
		"Watch every process, file, network, privilege and namespace action on the host\n"
		"and in every container through the eBPF sensor. Needs root.\n\n"
		"Options:\n"
		"  --events               print every event (and trace every supported syscall)\n"
		"  --format text|json     event output format (default text)\n"
		"  -o, --output FILE      write events to FILE instead of stdout\n"
		"  -w, --record FILE      record a capture for 'vigil replay'\n"
		"  --duration SECS        stop after this long (also 500ms, 2m, 1h)\n"
		"  --env                  attach the environment to exec events\n"
		"  --docker-socket PATH   engine API socket (default /var/run/docker.sock)\n"
		"  --no-metadata          do not ask container engines for metadata\n"
		"  --metadata-wait MS     how long a new container's first event waits for its\n"
		"                         metadata, so rules see it (default 300, 0: never wait)\n"
		"  --ringbuf-mb N         kernel ring buffer size in MiB, a power of two (default 16)\n"
		"  -r, --rules PATH       rule file or directory, replaces the built-in rules (repeatable)\n"
		"  --rule-matching first|all  stop at the first matching rule (default) or not\n"
		"  --min-priority P       ignore rules below priority P (e.g. warning)\n"
		"  --no-rules             no rules at all (sensor and --events only)\n"
		"  --syslog               also send alerts to syslog\n"
		"  --alert-rate N         at most N alerts per second per rule (default 10, 0: no limit)\n"
		"  --alert-burst N        burst allowed above the rate (default 50)\n"
		"  --threads N|auto       evaluate on N threads, each process's events in order\n"
		"                         (default auto: one per CPU up to 4; 1 with --events or -w)\n"
		"  -h, --help             show this help\n"
		"\nAlerts go to stdout (or -o FILE) in the --format chosen, with Falco's JSON keys.\n");
}

static int parse_watch_args(int argc, char **argv, struct watch_args *a)
{
	enum {
		OPT_EVENTS = 256,
		OPT_FORMAT,
		OPT_DURATION,
		OPT_ENV,
		OPT_DOCKER,
		OPT_NOMETA,
		OPT_RB,
		OPT_MATCHING,
		OPT_MINPRIO,
		OPT_SYSLOG,
		OPT_RATE,
		OPT_BURST,
		OPT_NORULES,
		OPT_METAWAIT,
		OPT_THREADS
	};
	static const struct option opts[] = {
		{"events", no_argument, NULL, OPT_EVENTS},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"output", required_argument, NULL, 'o'},
		{"record", required_argument, NULL, 'w'},
		{"duration", required_argument, NULL, OPT_DURATION},
		{"env", no_argument, NULL, OPT_ENV},
		{"docker-socket", required_argument, NULL, OPT_DOCKER},
		{"no-metadata", no_argument, NULL, OPT_NOMETA},
		{"ringbuf-mb", required_argument, NULL, OPT_RB},
		{"rules", required_argument, NULL, 'r'},
		{"rule-matching", required_argument, NULL, OPT_MATCHING},
		{"min-priority", required_argument, NULL, OPT_MINPRIO},
		{"syslog", no_argument, NULL, OPT_SYSLOG},
		{"alert-rate", required_argument, NULL, OPT_RATE},
		{"alert-burst", required_argument, NULL, OPT_BURST},
		{"no-rules", no_argument, NULL, OPT_NORULES},
		{"metadata-wait", required_argument, NULL, OPT_METAWAIT},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"help", no_argument, NULL, 'h'},
		{}};
	uint32_t mb;
	int c, r;

	a->format = VG_EVENTS_TEXT;
	a->rules.opts.min_priority = VG_PRIO_DEBUG;
	a->alert_rate = 10;
	a->meta_wait_ms = 300;
	a->alert_burst = 50;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:w:r:", opts, NULL)) >= 0) {
		switch (c) {
		case OPT_EVENTS:
			a->events = true;
			break;
		case OPT_FORMAT:
			a->format = vg_cli_parse_event_format(optarg);
			if (a->format < 0)
				return log_error_errno(-EINVAL,
						       "Unknown --format '%s': use text or json.",
						       optarg);
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'w':
			a->record = optarg;
			break;
		case OPT_DURATION:
			r = vg_parse_duration(optarg, &a->duration_ns);
			if (r < 0 || a->duration_ns == 0)
				return log_error_errno(
					-EINVAL,
					"Invalid --duration '%s': use e.g. 10, 10s, 500ms, 2m.",
					optarg);
			break;
		case OPT_ENV:
			a->env = true;
			break;
		case OPT_DOCKER:
			a->docker_socket = optarg;
			break;
		case OPT_NOMETA:
			a->no_metadata = true;
			break;
		case OPT_RB:
			r = vg_safe_atou32(optarg, &mb);
			if (r < 0 || mb == 0 || mb > 1024 || (mb & (mb - 1)))
				return log_error_errno(
					-EINVAL,
					"Invalid --ringbuf-mb '%s': a power of two from 1 to 1024.",
					optarg);
			a->ringbuf_bytes = (size_t)mb << 20;
			break;
		case 'r':
			if (a->rules.n_paths >= VG_RULE_PATHS_MAX)
				return log_error_errno(-E2BIG, "Too many -r options (at most %d).",
						       VG_RULE_PATHS_MAX);
			a->rules.paths[a->rules.n_paths++] = optarg;
			break;
		case OPT_MATCHING:
			if (strcmp(optarg, "first") == 0)
				a->rules.opts.matching = VG_MATCH_FIRST;
			else if (strcmp(optarg, "all") == 0)
				a->rules.opts.matching = VG_MATCH_ALL;
			else
				return log_error_errno(
					-EINVAL, "Invalid --rule-matching '%s': use first or all.",
					optarg);
			break;
		case OPT_MINPRIO:
			r = vg_priority_parse(optarg);
			if (r < 0)
				return log_error_errno(-EINVAL, "Unknown priority '%s'.", optarg);
			a->rules.opts.min_priority = r;
			break;
		case OPT_SYSLOG:
			a->syslog = true;
			break;
		case OPT_NORULES:
			a->rules.none = true;
			break;
		case OPT_THREADS:
			if (strcmp(optarg, "auto") == 0) {
				a->threads = 0;
				break;
			}
			r = vg_safe_atou32(optarg, &mb);
			if (r < 0 || mb < 1 || mb > VG_PARALLEL_THREADS_MAX)
				return log_error_errno(-EINVAL,
						       "Invalid --threads '%s': auto or 1 to %d.",
						       optarg, VG_PARALLEL_THREADS_MAX);
			a->threads = mb;
			break;
		case OPT_METAWAIT:
			r = vg_safe_atou32(optarg, &mb);
			if (r < 0 || mb > 10000)
				return log_error_errno(
					-EINVAL,
					"Invalid --metadata-wait '%s': milliseconds, at most 10000.",
					optarg);
			a->meta_wait_ms = (int)mb;
			break;
		case OPT_RATE:
		case OPT_BURST:
			r = vg_safe_atou32(optarg, &mb);
			if (r < 0)
				return log_error_errno(-EINVAL, "Invalid number '%s'.", optarg);
			if (c == OPT_RATE)
				a->alert_rate = mb;
			else
				a->alert_burst = mb;
			break;
		case 'h':
			watch_usage(stdout);
			return 1;
		default:
			watch_usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc)
		return log_error_errno(-EINVAL, "Unexpected argument '%s'.", argv[optind]);
	if (a->threads > 1 && (a->events || a->record))
		return log_error_errno(-EINVAL, "--events and --record need one stream order: "
					       "use --threads 1 (or auto).");
	return 0;
}

/* Evaluation threads: one per CPU up to 4 by default; one when events are printed or
 * recorded (a single order) or when there is nothing to evaluate. */
static unsigned eval_threads(const struct watch_args *a, size_t nrules)
{
	long cpus;

	if (a->events || a->record || nrules == 0)
		return 1;
	if (a->threads)
		return a->threads;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 2 ? 1 : cpus > 4 ? 4 : (unsigned)cpus;
}

struct watch {
	struct vg_pipeline pipe;
	struct vg_parallel *par; /* several evaluation threads, else NULL */
	struct vg_probe *probe;
	struct vg_detect *detect; /* NULL when no rule is loaded */
	uint64_t drops_reported;
};

static int on_event(void *userdata, const void *data, size_t size)
{
	struct watch *w = userdata;

	if (w->par)
		return vg_parallel_event(w->par, data, size);
	return vg_pipeline_event(&w->pipe, data, size);
}

static int snapshot_record(void *ud, int rectype, const char *json, size_t n)
{
	return vg_pipeline_record_state(ud, rectype, json, n);
}

/* Reports new kernel-side drops (never silent) and records the counter in the capture. */
static int check_drops(struct watch *w, bool final)
{
	struct vg_probe_counters c;
	char percpu[512] = "";
	size_t len = 0;
	uint64_t malformed = w->pipe.stats.malformed;

	vg_probe_counters(w->probe, &c);
	if (c.drops == w->drops_reported && !final)
		return 0;
	for (unsigned i = 0; i < c.ncpus && len < sizeof(percpu) - 32; i++)
		len += snprintf(percpu + len, sizeof(percpu) - len, "%scpu%u=%llu", i ? " " : "", i,
				(unsigned long long)c.drops_per_cpu[i]);
	if (c.drops != w->drops_reported) {
		log_warning("drops: %llu events lost because the ring buffer was full (%s); "
			    "raise --ringbuf-mb or trace fewer syscalls",
			    (unsigned long long)c.drops, percpu);
	}
	if (w->pipe.rec && (c.drops != w->drops_reported || final)) {
		int r = vg_capture_write_drops(w->pipe.rec, c.drops);

		if (r < 0)
			return r;
	}
	/* After the DROPS record: replay raises the alert at the same point. */
	if (w->detect && c.drops != w->drops_reported) {
		int r = vg_parallel_drops(w->par, w->detect, c.drops);

		if (r < 0)
			return r;
	}
	w->drops_reported = c.drops;
	if (final)
		log_info("events: %llu, drops: %llu, truncated: %llu, malformed: %llu",
			 (unsigned long long)c.events, (unsigned long long)c.drops,
			 (unsigned long long)c.truncated,
			 (unsigned long long)malformed);
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal}; /* no SA_RESTART: poll returns */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int run_watch(const struct watch_args *a)
{
	struct vg_meta_fetcher_config fcfg = {.docker_socket = a->docker_socket};
	struct vg_detect_config dcfg = {.rate = a->alert_rate, .burst = a->alert_burst};
	struct vg_meta_fetcher *fetcher = NULL;
	struct vg_capture_writer *rec = NULL;
	struct vg_probe_config pcfg = {.ringbuf_bytes = a->ringbuf_bytes, .capture_env = a->env};
	struct vg_state_config scfg = {
		.live = true, .self_pid = getpid(), .meta_wait_ms = a->meta_wait_ms};
	struct vg_syscall_set set = {};
	struct vg_capture_info info;
	struct vg_rules_collection coll;
	struct vg_ruleset *rs = NULL;
	struct vg_sinks sinks = VG_SINKS_INIT;
	struct vg_detect detect;
	bool detect_ready = false;
	struct vg_state *state = NULL;
	struct watch w = {};
	char err[8192], hostname[256] = "";
	uint64_t start, next_stats;
	unsigned nsc = 0, nthreads;
	FILE *out = NULL;
	int r;

	vg_rules_collection_init(&coll);
	r = vg_probe_check(err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot start the sensor: %s", err);
		goto out;
	}
	/* Rules before anything is attached: a broken rule file fails fast, every problem
	 * reported. */
	r = vg_rules_setup_build(&a->rules, &coll, stderr, &rs, NULL, NULL);
	if (r < 0) {
		log_error_errno(r, "The rules cannot be loaded.");
		goto out;
	}
	/* Host names the rules compare fd.*ip.name with: resolved before the first event
	 * (bounded wait), refreshed in the background. */
	{
		int q = vg_dns_start(VG_DNS_REFRESH_SECONDS, VG_DNS_FIRST_WAIT_MS);

		if (q < 0)
			log_warning_errno(q, "Cannot start the DNS refresher: %m");
	}
	(void)gethostname(hostname, sizeof(hostname) - 1);

	out = vg_cli_open_output(a->output);
	if (!out) {
		r = -errno;
		goto out;
	}
	r = vg_sinks_add_stream(&sinks, out,
				a->format == VG_EVENTS_JSON ? VG_SINK_JSON : VG_SINK_TEXT);
	if (r >= 0 && a->syslog)
		r = vg_sinks_add_syslog(&sinks, VG_SINK_TEXT);
	if (r < 0)
		goto out;
	if (vg_ruleset_count(rs) > 0) {
		r = vg_detect_init(&detect, rs, &sinks, hostname, &dcfg);
		if (r < 0) {
			log_error_errno(r, "Cannot set up rule evaluation: %m");
			goto out;
		}
		detect_ready = true;
		w.detect = &detect;
	}

	/* One clock offset for the live output and the capture: a replay then prints the very
	 * same timestamps. */
	r = vg_capture_info_from_host(&info);
	if (r < 0) {
		log_error_errno(r, "Cannot read the clocks: %m");
		goto out;
	}
	if (a->record) {
		r = vg_capture_writer_open(a->record, &info, &rec);
		if (r < 0) {
			log_error_errno(r, "Cannot create capture '%s': %m", a->record);
			goto out;
		}
	}
	nthreads = eval_threads(a, vg_ruleset_count(rs));
	if (!a->no_metadata && nthreads == 1) {
		r = vg_meta_fetcher_new(&fcfg, &fetcher);
		if (r < 0) {
			log_warning_errno(
				r, "Container metadata disabled, cannot start the fetcher: %m");
			fetcher = NULL;
		}
	}
	scfg.fetcher = fetcher;
	scfg.record = rec ? vg_pipeline_record_state : NULL;
	scfg.record_userdata = &w.pipe;
	r = vg_state_new(&scfg, &state);
	if (r < 0) {
		log_error_errno(r, "Cannot set up the state engine: %m");
		goto out;
	}
	vg_pipeline_init(&w.pipe, state, a->events ? a->format : VG_EVENTS_NONE, out,
			 info.boot_offset_ns, rec);
	if (w.detect)
		vg_pipeline_set_detect(&w.pipe, w.detect, hostname);

	install_signals();
	/* Attach first, then read /proc: a process started in between is seen by both, never
	 * by neither. */
	r = vg_probe_open(&pcfg, on_event, &w, &w.probe, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot start the sensor: %s", err);
		goto out;
	}
	/* The kernel traces what the state needs plus what the rules can match. */
	if (a->events)
		vg_syscall_set_all(&set);
	else {
		vg_syscall_set_state(&set);
		vg_ruleset_syscalls(rs, &vg_syscall_source, set.bits, VG_ARRAY_SIZE(set.bits));
	}
	r = vg_probe_set_syscalls(w.probe, &set);
	if (r < 0) {
		log_error_errno(r, "Cannot hook syscalls: %m");
		goto out;
	}
	nsc = r;

	if (nthreads > 1) {
		/* Each worker seeds its own state (after the attach, as below). */
		struct vg_parallel_config pc = {
			.threads = nthreads,
			.state = scfg,
			.seed = true,
			.fetcher = a->no_metadata ? NULL : &fcfg,
			.hub = w.detect,
			.boot_offset_ns = info.boot_offset_ns,
			.hostname = hostname,
		};

		r = vg_detect_share(w.detect);
		if (r >= 0)
			r = vg_parallel_new(&pc, &w.par);
		if (r < 0) {
			log_error_errno(r, "Cannot start %u evaluation threads: %m", nthreads);
			goto out;
		}
	} else {
		r = vg_state_seed(state);
		if (r < 0) {
			log_error_errno(r, "Cannot read the running processes from /proc: %m");
			goto out;
		}
	}
	if (rec) {
		r = vg_state_snapshot(state, snapshot_record, &w.pipe);
		if (r < 0) {
			log_error_errno(r, "Cannot write the capture snapshot: %m");
			goto out;
		}
	}
	log_notice("ready: sensor attached, %zu rules loaded, %u syscalls traced, %zu processes "
		   "known, %u evaluation thread%s",
		   vg_ruleset_count(rs), nsc,
		   vg_hashmap_size(w.par ? &vg_parallel_state(w.par, 0)->procs.procs
					 : &state->procs.procs),
		   nthreads, nthreads > 1 ? "s" : "");

	start = vg_now_ns(CLOCK_MONOTONIC);
	next_stats = start + VG_STATS_NS;
	while (!stop_requested) {
		uint64_t now;

		r = vg_probe_poll(w.probe, VG_POLL_MS);
		if (r < 0 && r != -EINTR) {
			log_error_errno(r, "Event processing failed: %m");
			goto out;
		}
		vg_state_poll_meta(state);
		fflush(out);
		now = vg_now_ns(CLOCK_MONOTONIC);
		if (now >= next_stats) {
			next_stats = now + VG_STATS_NS;
			r = check_drops(&w, false);
			if (r < 0) {
				log_error_errno(r, "Cannot report drop counters: %m");
				goto out;
			}
		}
		if (a->duration_ns && now - start >= a->duration_ns)
			break;
	}
	/* Whatever the kernel already handed over is processed before exiting. */
	r = vg_probe_drain(w.probe);
	if (r < 0 && r != -EINTR) {
		log_error_errno(r, "Event processing failed: %m");
		goto out;
	}
	vg_state_poll_meta(state);
	if (w.par) {
		int q = vg_parallel_finish(w.par);

		vg_parallel_stats(w.par, &w.pipe.stats);
		if (q < 0) {
			log_error_errno(q, "Event processing failed: %m");
			if (r >= 0)
				r = q;
		}
	}
	{
		int q = check_drops(&w, true);

		if (q < 0) {
			log_error_errno(q, "Cannot report drop counters: %m");
			if (r >= 0)
				r = q;
		}
	}
	if (w.detect) {
		int q = vg_detect_summary(w.detect, 0, true);

		if (q < 0 && r >= 0)
			r = log_error_errno(q, "Cannot write alerts: %m");
		log_info("alerts: %llu sent, %llu suppressed by the rate limit",
			 (unsigned long long)w.detect->stats.alerts,
			 (unsigned long long)w.detect->stats.suppressed);
	}
out:
	w.probe = vg_probe_free(w.probe);
	w.par = vg_parallel_free(w.par);
	if (out && fflush(out) != 0 && r >= 0)
		r = log_error_errno(-errno, "Cannot write output: %m");
	if (rec) {
		int q = vg_capture_writer_close(rec);

		if (q < 0 && r >= 0)
			r = log_error_errno(q, "Cannot finish capture '%s': %m", a->record);
	}
	if (state)
		vg_pipeline_done(&w.pipe);
	if (detect_ready)
		vg_detect_done(&detect);
	vg_sinks_done(&sinks);
	vg_state_free(state);
	vg_meta_fetcher_free(fetcher);
	vg_dns_stop();
	vg_ruleset_free(rs);
	vg_rules_collection_done(&coll);
	if (out && out != stdout)
		fclose(out);
	return r;
}

int vg_cmd_watch(int argc, char **argv)
{
	struct watch_args a = {};
	int r;

	r = parse_watch_args(argc, argv, &a);
	if (r != 0)
		return r > 0 ? 0 : 2;
	return run_watch(&a) < 0 ? 1 : 0;
}
