/* SPDX-License-Identifier: Apache-2.0 */
/* vigil sbom: the packages of a container image as a table, JSON, CycloneDX or SPDX. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/log.h"
#include "basic/parse-util.h"
#include "cli/commands.h"
#include "report/sbom.h"

static void sbom_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigil sbom TARGET [OPTIONS]\n\n"
		"List the packages of a container image (OS packages and language packages).\n\n"
		"TARGET: archive:FILE[:TAG] (docker save), oci:DIR[:TAG], oci-archive:FILE[:TAG],\n"
		"        dir:PATH (a root filesystem), docker:NAME[:TAG] (local engine) or a bare path.\n\n"
		"Options:\n"
		"  -f, --format table|json|cyclonedx|spdx  output format (default table)\n"
		"  -o, --output FILE      write to FILE instead of stdout\n"
		"  --docker-socket PATH   Docker engine socket for docker: targets\n"
		"  -h, --help             show this help\n\n"
		"SOURCE_DATE_EPOCH, when set, replaces the current time in the documents.\n");
}

int vg_cmd_sbom(int argc, char **argv)
{
	enum { OPT_SOCKET = 256 };
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"output", required_argument, NULL, 'o'},
					     {"docker-socket", required_argument, NULL, OPT_SOCKET},
					     {"help", no_argument, NULL, 'h'},
					     {}};
	int format = VG_SBOM_TABLE;
	const char *output = NULL, *socket = NULL, *target, *epoch;
	struct vg_sbom s;
	char err[512] = "";
	FILE *out;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hf:o:", opts, NULL)) >= 0) {
		switch (c) {
		case 'f':
			format = vg_sbom_format_from_string(optarg);
			if (format < 0) {
				log_error(
					"Unknown --format '%s': use table, json, cyclonedx or spdx.",
					optarg);
				return 2;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_SOCKET:
			socket = optarg;
			break;
		case 'h':
			sbom_usage(stdout);
			return 0;
		default:
			sbom_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		sbom_usage(stderr);
		return 2;
	}
	target = argv[optind];

	vg_sbom_init(&s);
	r = vg_sbom_scan(&s, target, socket, err, sizeof(err));
	if (r < 0) {
		log_error_errno(r, "Cannot read the image '%s': %s", target,
				err[0] ? err : strerror(-r));
		vg_sbom_done(&s);
		return 1;
	}
	epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch) {
		uint64_t t;

		if (vg_safe_atou64(epoch, &t) < 0) {
			log_error("Invalid SOURCE_DATE_EPOCH '%s'.", epoch);
			vg_sbom_done(&s);
			return 2;
		}
		s.created = (int64_t)t;
	}
	out = vg_cli_open_output(output);
	if (!out) {
		vg_sbom_done(&s);
		return 1;
	}
	r = vg_sbom_write(&s, format, out);
	if (out != stdout) {
		if (fclose(out) != 0 && r == 0)
			r = -errno;
	} else if (fflush(out) != 0 && r == 0) {
		r = -errno;
	}
	if (r < 0)
		log_error_errno(r, "Cannot write the SBOM: %m");
	vg_sbom_done(&s);
	return r < 0 ? 1 : 0;
}
