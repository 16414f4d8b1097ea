/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes vg_json_parse() and the typed getters over whatever it returns. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "shared/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(json_t *j, unsigned depth)
{
	const char *key;
	json_t *v;
	size_t i;

	if (depth > VG_JSON_DEPTH_MAX)
		abort(); /* the pre-scan must have rejected this */
	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
		{
			int64_t n = 0;
			bool b = false;
			int r;

			(void)vg_json_get_str(j, key);
			r = vg_json_get_int(j, key, &n);
			if (r < 0 && r != -ENOENT && r != -EBADMSG)
				abort();
			r = vg_json_get_bool(j, key, &b);
			if (r == 0 && json_is_boolean(v) && b != json_is_true(v))
				abort();
			(void)vg_json_get_obj(j, key);
			(void)vg_json_get_array(j, key);
			if (vg_json_path(j, key) != v && !strchr(key, '.') && key[0] &&
			    !json_is_null(v))
				abort();
			walk(v, depth + 1);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) walk(v, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = NULL;
	char err[128];
	int r;

	r = vg_json_parse((const char *)data, size, &j, err, sizeof(err));
	if (r < 0) {
		if (strncmp(err, "line ", 5) != 0)
			abort();
		return 0;
	}
	walk(j, 1);
	(void)vg_json_path(j, "a.0.b");
	(void)vg_json_path(j, "Config.Labels");
	json_decref(j);
	return 0;
}
