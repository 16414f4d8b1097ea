/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libyaml adapter: builds an arena-backed node tree for a whole YAML stream (all documents).
 * Aliases are resolved by reference (an alias node is the anchored node itself, shared), but
 * every reference counts the anchored subtree's full size against VG_YAML_NODES_MAX, so
 * "billion laughs" documents are rejected. Nesting is capped at VG_YAML_DEPTH_MAX and input
 * size at VG_YAML_DOC_MAX. Duplicate mapping keys are kept, in order: the caller decides.
 * Only yaml.c includes <yaml.h>.
 */
#ifndef VG_SHARED_YAML_H
#define VG_SHARED_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/arena.h"
#include "basic/cleanup.h"
#include "basic/macro.h"

enum vg_yaml_kind {
	VG_YAML_SCALAR,
	VG_YAML_SEQ,
	VG_YAML_MAP,
};

enum vg_yaml_style {
	VG_YAML_PLAIN,
	VG_YAML_SINGLE_QUOTED,
	VG_YAML_DOUBLE_QUOTED,
	VG_YAML_LITERAL, /* | block */
	VG_YAML_FOLDED, /* > block */
	VG_YAML_BLOCK, /* block collection */
	VG_YAML_FLOW, /* flow collection: [ ] or { } */
};

struct vg_yaml_pair {
	struct vg_yaml_node *key;
	struct vg_yaml_node *value;
};

struct vg_yaml_node {
	enum vg_yaml_kind kind;
	enum vg_yaml_style style;
	unsigned line; /* 1-based start mark */
	unsigned column; /* 1-based start mark */
	const char
		*tag; /* explicit tag as resolved by libyaml ("tag:yaml.org,2002:str"), or NULL */
	const char *anchor; /* "&name" without '&', or NULL */
	/* VG_YAML_SCALAR: NUL-terminated text of len bytes; it may contain NUL bytes itself
	 * (from "\0" escapes), so compare with len. NULL for collections. */
	const char *text;
	size_t len;
	/* VG_YAML_SEQ: items[0..n); VG_YAML_MAP: pairs[0..n) in document order. */
	size_t n;
	struct vg_yaml_node **items;
	struct vg_yaml_pair *pairs;
	uint64_t weight; /* nodes in this subtree with aliases expanded (saturating) */
};

struct vg_yaml_stream {
	struct vg_arena arena; /* owns every node and string */
	const char *filename; /* as passed to vg_yaml_parse(), copied */
	size_t n_docs;
	struct vg_yaml_node **docs; /* root node of each document */
	uint64_t n_nodes; /* nodes with aliases expanded, across all documents */
};

/**
 * vg_yaml_parse() - parses every document of the YAML stream in @buf (@len bytes).
 * @filename is only used in messages (NULL means "<input>"). On success *ret is a new
 * stream (free with vg_yaml_stream_free()). Errors: -EBADMSG malformed YAML or unknown
 * alias, -E2BIG a limit was exceeded, -ENOMEM. On error @err (if not NULL) receives
 * "file:line:col: message" (1-based).
 */
VG_MUST_CHECK int vg_yaml_parse(const char *buf, size_t len, const char *filename,
				struct vg_yaml_stream **ret, char *err, size_t errsize);

/** vg_yaml_parse_file() - reads @path (bounded by VG_YAML_DOC_MAX) and parses it. */
VG_MUST_CHECK int vg_yaml_parse_file(const char *path, struct vg_yaml_stream **ret, char *err,
				     size_t errsize);

/** vg_yaml_stream_free() - frees the stream and all its nodes; accepts NULL; returns NULL. */
struct vg_yaml_stream *vg_yaml_stream_free(struct vg_yaml_stream *s);
DEFINE_CLEANUP_FUNC(struct vg_yaml_stream *, vg_yaml_stream_free)
#define cleanup_yaml_stream cleanup(vg_yaml_stream_freep)

/**
 * vg_yaml_map_get() - value of the first pair of mapping @map whose key is a scalar equal
 * to @key; NULL if @map is NULL, not a mapping, or has no such key. Borrowed.
 */
struct vg_yaml_node *vg_yaml_map_get(const struct vg_yaml_node *map, const char *key);

/** vg_yaml_scalar_is() - true if @node is a scalar whose text equals @s exactly. */
bool vg_yaml_scalar_is(const struct vg_yaml_node *node, const char *s);

/** vg_yaml_is_null() - true for NULL, or a plain untagged scalar "", "~", "null", "Null", "NULL". */
bool vg_yaml_is_null(const struct vg_yaml_node *node);

/** vg_yaml_kind_name() - "scalar", "sequence" or "mapping". */
const char *vg_yaml_kind_name(enum vg_yaml_kind kind);

#endif /* VG_SHARED_YAML_H */
