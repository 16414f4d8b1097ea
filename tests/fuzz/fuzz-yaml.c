/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes vg_yaml_parse() and walks the tree it builds (aliases visited once). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "shared/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t walk(const struct vg_yaml_node *n, unsigned depth)
{
	uint64_t w = 1;

	if (!n || depth > VG_YAML_DEPTH_MAX)
		abort();
	if (n->line == 0 || n->column == 0)
		abort();
	switch (n->kind) {
	case VG_YAML_SCALAR:
		if (!n->text || n->text[n->len] != '\0' || n->n)
			abort();
		(void)vg_yaml_is_null(n);
		break;
	case VG_YAML_SEQ:
		for (size_t i = 0; i < n->n; i++)
			w += walk(n->items[i], depth + 1);
		break;
	case VG_YAML_MAP:
		for (size_t i = 0; i < n->n; i++) {
			w += walk(n->pairs[i].key, depth + 1);
			w += walk(n->pairs[i].value, depth + 1);
			if (n->pairs[i].key->kind == VG_YAML_SCALAR &&
			    strlen(n->pairs[i].key->text) == n->pairs[i].key->len &&
			    !vg_yaml_map_get(n, n->pairs[i].key->text))
				abort();
		}
		break;
	default:
		abort();
	}
	/* the recorded weight is the expanded size of the subtree */
	if (w != n->weight)
		abort();
	return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_yaml_stream *s = NULL;
	uint64_t total = 0;
	char err[256];
	int r;

	/* Full walks are exponential in alias depth for valid documents near the node cap:
	 * keep inputs small enough that the cap is what bounds the work. */
	r = vg_yaml_parse((const char *)data, size, "fuzz.yaml", &s, err, sizeof(err));
	if (r < 0) {
		if (strncmp(err, "fuzz.yaml:", 10) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < s->n_docs; i++)
		total += walk(s->docs[i], 1);
	if (total > s->n_nodes || s->n_nodes > VG_YAML_NODES_MAX)
		abort();
	vg_yaml_stream_free(s);
	return 0;
}
