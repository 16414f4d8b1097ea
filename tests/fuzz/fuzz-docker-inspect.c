/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_docker_parse_inspect() and checks the invariants of what it returns: all strings
 * set, labels sorted and unique, limits respected, and vg_container_meta_to_json() ->
 * vg_container_meta_from_json() -> to_json() is a fixed point. The same round trip runs
 * over the input read as a meta JSON document.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "state/docker.h"
#include "state/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct vg_container_meta *m)
{
	const char *const s[] = {m->id,	       m->name,	    m->image,	      m->image_repo,
				 m->image_tag, m->image_id, m->runtime,	      m->user,
				 m->ip,	       m->pod_name, m->pod_namespace, m->pod_uid};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (!s[i])
			abort();
	if (m->n_labels > VG_LABELS_MAX || m->n_mounts > VG_MOUNTS_MAX)
		abort();
	for (size_t i = 0; i < m->n_labels; i++) {
		if (!m->labels[i].key || !m->labels[i].value)
			abort();
		if (i > 0 && strcmp(m->labels[i - 1].key, m->labels[i].key) >= 0)
			abort();
		if (vg_container_meta_label(m, m->labels[i].key) != m->labels[i].value)
			abort();
	}
	for (size_t i = 0; i < m->n_mounts; i++)
		if (!m->mounts[i].source || !m->mounts[i].dest || !m->mounts[i].mode ||
		    !m->mounts[i].propagation)
			abort();
}

static void round_trip(const struct vg_container_meta *m)
{
	struct vg_container_meta *b = NULL;
	char *j1 = NULL, *j2 = NULL;

	check(m);
	if (vg_container_meta_to_json(m, &j1) < 0)
		return; /* only -ENOMEM */
	if (vg_container_meta_from_json(j1, strlen(j1), &b) < 0)
		abort(); /* our own output must always load back */
	check(b);
	if (vg_container_meta_to_json(b, &j2) < 0)
		abort();
	/* Sanitised (invalid UTF-8) strings may change once, then stay: compare b's forms. */
	{
		struct vg_container_meta *c = NULL;
		char *j3 = NULL;

		if (vg_container_meta_from_json(j2, strlen(j2), &c) < 0 ||
		    vg_container_meta_to_json(c, &j3) < 0 || strcmp(j2, j3) != 0)
			abort();
		free(j3);
		vg_container_meta_free(c);
	}
	free(j1);
	free(j2);
	vg_container_meta_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_container_meta *m = NULL;

	if (size > 1024 * 1024)
		return 0;
	if (vg_docker_parse_inspect((const char *)data, size, &m) == 0) {
		round_trip(m);
		vg_container_meta_free(m);
	} else if (m) {
		abort(); /* no output on failure */
	}
	m = NULL;
	if (vg_container_meta_from_json((const char *)data, size, &m) == 0) {
		round_trip(m);
		vg_container_meta_free(m);
	}
	return 0;
}
