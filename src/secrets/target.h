/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secret scanning of a scan target (image/source.h): every regular file of every layer,
 * including versions that later layers delete or replace (each finding says whether its
 * file is still visible in the final image), and the image config: Env, Labels and
 * history[].created_by (where ENV and ARG values end up). Files larger than the size limit
 * are skipped without being read, binaries after the first VG_SECRET_SNIFF_BYTES. The walk
 * reads each file once; scanning threads (one per CPU by default) scan what it read.
 */
#ifndef VG_SECRETS_TARGET_H
#define VG_SECRETS_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/vec.h"
#include "image/source.h"
#include "secrets/rules.h"
#include "secrets/scan.h"

enum vg_secret_origin {
	VG_SECRET_IN_FILE,
	VG_SECRET_IN_ENV, /* config.Env[i] */
	VG_SECRET_IN_LABEL, /* config.Labels[key] */
	VG_SECRET_IN_HISTORY, /* history[i].created_by */
	VG_SECRET_ORIGIN__MAX,
};

struct vg_secret_finding {
	const struct vg_secret_rule *rule;
	enum vg_secret_origin origin;
	const char *path; /* file path, or "config.Env[2]", "history[5].created_by", ... */
	unsigned line, column; /* 1-based */
	int layer; /* layer index, -1 when not from a layer (config, or a root filesystem) */
	const char *diff_id; /* of the layer, NULL when unknown */
	int deleted_by; /* -1: still visible in the final image; else the layer that removed it */
	const char *secret; /* copy, secret_len bytes + NUL */
	size_t secret_len;
	char masked[VG_SECRET_MASK_MAX];
	const struct vg_file *file; /* internal: valid during the scan only */
};

struct vg_secret_report {
	struct vg_arena arena; /* strings of the findings */
	struct vg_vec findings; /* struct vg_secret_finding, sorted */
	const char *target; /* as given */
	const char *name; /* image reference or the target */
	const char *kind; /* vg_image_kind_name() */
	char image_id[VG_DIGEST_STR_MAX]; /* "" for a root filesystem */
	unsigned n_layers;
	size_t n_rules;
	struct vg_secret_stats stats;
	uint64_t files; /* regular files seen, all layers */
	uint64_t skipped_large; /* files over the size limit */
	uint64_t truncated; /* findings beyond VG_SECRET_FINDINGS_MAX, dropped */
};

struct vg_secret_scan_opts {
	uint64_t max_file_size; /* 0: VG_SECRET_FILE_SIZE_DEFAULT */
	bool scan_binaries;
	const char *docker_socket; /* docker: targets; NULL = default */
	unsigned threads; /* scanning threads; 0: one per online CPU, 1: scan in the walk */
};

void vg_secret_report_init(struct vg_secret_report *rep);
void vg_secret_report_done(struct vg_secret_report *rep);

/**
 * vg_secret_scan_target() - fills @rep (vg_secret_report_init() first) from @target with
 * the compiled rule set @rs. Returns 0, or the error of vg_image_open() / the walk with a
 * message in @err; -EINVAL for a max_file_size above VG_SECRET_FILE_SIZE_MAX.
 */
VG_MUST_CHECK int vg_secret_scan_target(struct vg_secret_report *rep,
					const struct vg_secret_ruleset *rs,
					const struct vg_secret_scan_opts *opts, const char *target,
					char *err, size_t errsize);

/**
 * vg_secret_scan_config() - the config part alone (used by vg_secret_scan_target()): Env,
 * Labels and history of the image config @config, findings appended to @rep.
 */
VG_MUST_CHECK int vg_secret_scan_config(struct vg_secret_report *rep, struct vg_secret_scanner *sc,
					json_t *config);

/** vg_secret_report_sort() - deterministic order: config first, then layer, path, line. */
void vg_secret_report_sort(struct vg_secret_report *rep);

const char *vg_secret_origin_name(enum vg_secret_origin o);

/*
 * The same walk in parts, for a caller that walks the image itself and shares the walk with
 * another analyzer (vigil scan: inventory + secrets in one pass): vg_secret_walk_new(), then
 * vg_secret_walk_file() as (or from) the image's file callback for the files
 * vg_secret_walk_wants(), then vg_secret_walk_finish() with the opened image (or NULL and
 * the walk's error), which stops the scanning threads, resolves deletions, scans the config
 * and fills the report; vg_secret_walk_free() at the end.
 */
struct vg_secret_walk;

VG_MUST_CHECK int vg_secret_walk_new(struct vg_secret_report *rep,
				     const struct vg_secret_ruleset *rs,
				     const struct vg_secret_scan_opts *opts,
				     struct vg_secret_walk **ret, char *err, size_t errsize);
int vg_secret_walk_file(void *walk, const struct vg_file *f, struct vg_tar *t);
bool vg_secret_walk_wants(const struct vg_secret_walk *w, const struct vg_file *f);
VG_MUST_CHECK int vg_secret_walk_finish(struct vg_secret_walk *w, const struct vg_image *img,
					const char *target, int walk_error, char *err,
					size_t errsize);
struct vg_secret_walk *vg_secret_walk_free(struct vg_secret_walk *w);
DEFINE_CLEANUP_FUNC(struct vg_secret_walk *, vg_secret_walk_free)

#endif /* VG_SECRETS_TARGET_H */
