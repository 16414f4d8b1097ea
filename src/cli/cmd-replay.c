/* SPDX-License-Identifier: Apache-2.0 */
/* vigil replay: a recorded capture through the same pipeline as vigil watch. No root. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "basic/log.h"
#include "cli/commands.h"
#include "engine/pipeline.h"

static void replay_usage(FILE *f)
{
	fprintf(f, "Usage: vigil replay FILE [OPTIONS]\n\n"
		   "Run a capture recorded with 'vigil watch --record FILE' through the pipeline.\n\n"
		   "Options:\n"
		   "  --events               print every event\n"
		   "  --format text|json     event output format (default text)\n"
		   "  -o, --output FILE      write events to FILE instead of stdout\n"
		   "  -h, --help             show this help\n");
}

static int run_replay(const char *path, int format, const char *output)
{
	struct vg_state_config scfg = { .live = false };
	struct vg_capture_reader *reader = NULL;
	struct vg_capture_info info;
	struct vg_state *state = NULL;
	struct vg_pipeline pipe;
	bool pipe_ready = false;
	char err[512];
	FILE *out = NULL;
	int r;

	r = vg_capture_reader_open(path, &reader, err, sizeof(err));
	if (r < 0)
		return log_error_errno(r, "Cannot replay '%s': %s", path, err);
	(void)vg_capture_reader_info(reader, &info);
	out = vg_cli_open_output(output);
	if (!out) {
		r = -errno;
		goto out;
	}
	r = vg_state_new(&scfg, &state);
	if (r < 0) {
		log_error_errno(r, "Cannot set up the state engine: %m");
		goto out;
	}
	vg_pipeline_init(&pipe, state, format, out, info.boot_offset_ns, NULL);
	pipe_ready = true;

	for (;;) {
		const void *data;
		uint32_t type;
		size_t len;

		r = vg_capture_read(reader, &type, &data, &len);
		if (r <= 0)
			break;
		switch (type) {
		case VG_CAP_EVENT:
			r = vg_pipeline_event(&pipe, data, len);
			break;
		case VG_CAP_PROC:
		case VG_CAP_CONTAINER:
			r = vg_state_load_record(state,
						 type == VG_CAP_PROC ? VG_STATE_REC_PROC : VG_STATE_REC_CONTAINER,
						 data, len);
			if (r < 0) {
				log_error_errno(r, "Capture '%s': bad %s record %llu: %m", path,
						type == VG_CAP_PROC ? "process" : "container",
						(unsigned long long)vg_capture_reader_records(reader));
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
			  "(%llu records replayed).", path,
			  (unsigned long long)vg_capture_reader_records(reader));
		r = -EBADMSG;
	}
	if (vg_capture_reader_drops(reader))
		log_warning("drops: %llu events were lost while recording",
			    (unsigned long long)vg_capture_reader_drops(reader));
out:
	if (out && fflush(out) != 0 && r >= 0)
		r = log_error_errno(-errno, "Cannot write events: %m");
	if (pipe_ready)
		vg_pipeline_done(&pipe);
	vg_state_free(state);
	vg_capture_reader_free(reader);
	if (out && out != stdout)
		fclose(out);
	return r;
}

int vg_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events", no_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *output = NULL;
	int format = VG_EVENTS_TEXT, c;
	bool events = false;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) >= 0) {
		switch (c) {
		case 'e':
			events = true;
			break;
		case 'f':
			format = vg_cli_parse_event_format(optarg);
			if (format < 0) {
				log_error("Unknown --format '%s': use text or json.", optarg);
				return 2;
			}
			break;
		case 'o':
			output = optarg;
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
	return run_replay(argv[optind], events ? format : VG_EVENTS_NONE, output) < 0 ? 1 : 0;
}
