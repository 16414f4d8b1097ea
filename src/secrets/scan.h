/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The secret scanner over one buffer: binary sniffing, the keyword pass (Aho-Corasick over
 * the whole buffer), then each rule's regex over the regions around its keywords only
 * (rules.h), entropy gate, allow patterns and the allowlist. Overlapping findings of two
 * rules keep the earlier rule (specific rules come before generic ones in the files).
 * A scanner holds per-buffer scratch space: one per thread, reused across buffers; the rule
 * set is shared read-only. vg_secret_scanner_free() also frees the calling thread's regex
 * match data, so free a scanner in the thread that used it.
 */
#ifndef VG_SECRETS_SCAN_H
#define VG_SECRETS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/cleanup.h"
#include "basic/macro.h"
#include "secrets/rules.h"

struct vg_secret_match {
	const struct vg_secret_rule *rule;
	size_t offset; /* of the secret in the buffer */
	size_t length; /* of the secret */
	const char *secret; /* points into the buffer */
	unsigned line; /* 1-based line of the secret's first byte */
	unsigned column; /* 1-based byte column */
	size_t match_offset, match_length; /* the whole regex match */
};

/* Called once per finding, in buffer order. A negative return aborts the scan with it. */
typedef int vg_secret_match_fn(void *userdata, const struct vg_secret_match *m);

struct vg_secret_stats {
	uint64_t buffers; /* scanned (not skipped) */
	uint64_t bytes; /* scanned */
	uint64_t skipped_binary;
	uint64_t skipped_path; /* allowlisted paths */
	uint64_t keyword_hits;
	uint64_t regex_bytes; /* bytes handed to regexes (regions) */
	uint64_t findings;
	uint64_t allowed; /* matches dropped by entropy, allow patterns or the allowlist */
	uint64_t truncated; /* buffers that had more than VG_SECRET_FILE_FINDINGS_MAX findings */
};

struct vg_secret_scanner;

/** vg_secret_scanner_new() - for the compiled rule set @rs (which must outlive it). */
VG_MUST_CHECK int vg_secret_scanner_new(const struct vg_secret_ruleset *rs,
					struct vg_secret_scanner **ret);
struct vg_secret_scanner *vg_secret_scanner_free(struct vg_secret_scanner *s);
DEFINE_CLEANUP_FUNC(struct vg_secret_scanner *, vg_secret_scanner_free)

/* Scan binaries too (default: a NUL byte in the first VG_SECRET_SNIFF_BYTES skips it). */
void vg_secret_scanner_set_binaries(struct vg_secret_scanner *s, bool scan_binaries);
const struct vg_secret_stats *vg_secret_scanner_stats(const struct vg_secret_scanner *s);

/** vg_secret_is_binary() - the sniffing rule: a NUL byte in the first VG_SECRET_SNIFF_BYTES. */
bool vg_secret_is_binary(const char *buf, size_t len);

/**
 * vg_secret_path_allowed() - true if @path is excluded by the allowlist's paths (the file
 * is then not scanned at all).
 */
bool vg_secret_path_allowed(const struct vg_secret_scanner *s, const char *path);

/**
 * vg_secret_scan_buffer() - scans @buf (@len bytes) that came from @path (used for the
 * rules' path filters; may be NULL for text that is not a file) and calls @fn for every
 * finding. Returns the number of findings (at most VG_SECRET_FILE_FINDINGS_MAX), 0 for a
 * skipped binary or allowlisted path, -ENOMEM, or @fn's error.
 */
int vg_secret_scan_buffer(struct vg_secret_scanner *s, const char *path, const char *buf,
			  size_t len, vg_secret_match_fn *fn, void *userdata);

/** vg_secret_entropy() - Shannon entropy of @s in bits per byte (0 for an empty string). */
double vg_secret_entropy(const char *s, size_t len);

/**
 * vg_secret_mask() - writes the masked form of a secret to @buf: its first 4 bytes (fewer
 * for a short secret: a quarter of its length, so at most a quarter is ever shown), then
 * "****", then its length: "AKIA**** (20 chars)". Bytes that are not printable ASCII are
 * shown as '?'. Returns @buf.
 */
char *vg_secret_mask(const char *secret, size_t len, char *buf, size_t size);
#define VG_SECRET_MASK_MAX 48

#endif /* VG_SECRETS_SCAN_H */
