/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The software bill of materials of one image: vg_sbom_scan() opens a target
 * (archive:, oci:, oci-archive:, dir:, docker: or a bare path, see image/source.h), walks its
 * layers once, hands every file vg_inv_classify() selects to its parser, detects the OS and
 * builds the package list (purl, found_in, layer), sorted. vg_sbom_write() renders it as a
 * table, vigil JSON, CycloneDX 1.5 JSON or SPDX 2.3 JSON (docs/sbom.md).
 */
#ifndef VG_REPORT_SBOM_H
#define VG_REPORT_SBOM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "basic/arena.h"
#include "basic/vec.h"
#include "image/source.h"
#include "inventory/os-release.h"

enum vg_sbom_format {
	VG_SBOM_TABLE,
	VG_SBOM_JSON,
	VG_SBOM_CYCLONEDX,
	VG_SBOM_SPDX,
	VG_SBOM__MAX,
};

struct vg_sbom {
	struct vg_arena arena; /* every string below and in the packages */
	struct vg_vec packages; /* struct vg_package, sorted (ecosystem, name, version, path) */
	struct vg_os os;
	bool has_os;
	const char *target; /* as given */
	const char *name; /* image reference (RepoTags[0] / ref.name) or the target */
	const char *kind; /* "docker-archive", ... (vg_image_kind_name()) */
	char image_id[VG_DIGEST_STR_MAX]; /* "" for a root filesystem */
	unsigned n_layers;
	int64_t created; /* seconds since the epoch, for the document timestamps */
	unsigned n_parse_errors; /* package databases that could not be parsed (logged) */
};

void vg_sbom_init(struct vg_sbom *s);
void vg_sbom_done(struct vg_sbom *s);

/**
 * vg_sbom_scan() - fills @s (vg_sbom_init() first) from the image at @target.
 * @docker_socket may be NULL. Returns 0, or the error of vg_image_open() / the walk with a
 * message in @err. A database that fails to parse is logged, counted and skipped.
 */
int vg_sbom_scan(struct vg_sbom *s, const char *target, const char *docker_socket, char *err,
		 size_t errsize);

/*
 * Another analyzer sharing the walk (vigil scan runs the secret scanner in the same pass):
 * @file gets every regular file @wants, with its content (read once when both want it);
 * @finish runs after the walk with the image (NULL when the walk failed) and the walk's
 * result, before the image is freed; its error fails the scan (message in its own report).
 */
struct vg_sbom_hook {
	vg_layer_file_fn *file;
	bool (*wants)(void *userdata, const struct vg_file *f);
	int (*finish)(void *userdata, const struct vg_image *img, int walk_error);
	void *userdata;
};

/** vg_sbom_scan_with() - vg_sbom_scan() with @hook (may be NULL) sharing the walk. */
int vg_sbom_scan_with(struct vg_sbom *s, const char *target, const char *docker_socket,
		      const struct vg_sbom_hook *hook, char *err, size_t errsize);

/** vg_sbom_sort() - sorts @s->packages deterministically (done by vg_sbom_scan()). */
void vg_sbom_sort(struct vg_sbom *s);

/**
 * vg_sbom_cyclonedx() - the CycloneDX 1.5 document of @s, for writers that extend it (the
 * vulnerability report adds VEX). A new reference, or NULL when out of memory.
 */
json_t *vg_sbom_cyclonedx(const struct vg_sbom *s);

/** vg_sbom_bom_ref() - the bom-ref of package @i of @s in that document. */
void vg_sbom_bom_ref(const struct vg_sbom *s, size_t i, char *buf, size_t size);

/** "table", "json", "cyclonedx", "spdx" <-> enum; -EINVAL for an unknown name. */
int vg_sbom_format_from_string(const char *s);
const char *vg_sbom_format_to_string(enum vg_sbom_format f);

/**
 * vg_sbom_write() - renders @s to @f in @format. Deterministic: the same @s (including
 * @s->created) gives the same bytes; the CycloneDX serial number and the SPDX namespace are
 * derived from the image ID, the name and the package URLs. Returns 0, -ENOMEM, -EIO.
 */
int vg_sbom_write(const struct vg_sbom *s, enum vg_sbom_format format, FILE *f);

#endif /* VG_REPORT_SBOM_H */
