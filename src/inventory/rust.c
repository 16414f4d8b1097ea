/* SPDX-License-Identifier: Apache-2.0 */
/* cargo-auditable dependency lists in Rust binaries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/string-util.h"
#include "inventory/elf.h"
#include "inventory/rust.h"
#include "shared/json.h"
#include "shared/zip.h"

int vg_rust_audit_parse(const void *buf, size_t len, const char *found_in, int layer,
			struct vg_arena *a, struct vg_vec *list)
{
	cleanup_free char *json = NULL;
	struct vg_elf e;
	struct vg_elf_section s;
	const uint8_t *data;
	const char *where = NULL;
	json_t *root = NULL, *pkgs, *it;
	size_t n, i;
	int r, added = 0;

	if (vg_elf_open(&e, buf, len) < 0)
		return -ENOENT;
	r = vg_elf_find_section(&e, ".dep-v0", &s);
	if (r <= 0)
		return r < 0 ? r : -ENOENT;
	r = vg_elf_section_data(&e, &s, &data);
	if (r < 0)
		return r;
	r = vg_zlib_inflate(data, (size_t)s.size, VG_INV_RUST_DEPS_MAX, &json, &n);
	if (r < 0)
		return r;
	r = vg_json_parse(json, n, &root, NULL, 0);
	if (r < 0)
		return r;
	pkgs = vg_json_get_array(root, "packages");
	if (!pkgs) {
		json_decref(root);
		return -EBADMSG;
	}
	if (found_in) {
		where = vg_arena_strdup(a, found_in);
		if (!where) {
			json_decref(root);
			return vg_arena_error(a) ?: -ENOMEM;
		}
	}
	json_array_foreach(pkgs, i, it)
	{
		const char *name = vg_json_get_str(it, "name");
		const char *version = vg_json_get_str(it, "version");
		struct vg_package p = {.ecosystem = VG_ECOSYSTEM_CARGO, .layer = layer};

		if (vg_isempty(name) || vg_isempty(version))
			continue;
		/* a package URL escapes each byte to at most 3: keep it within VG_INV_PURL_MAX */
		if (3 * (strlen(name) + strlen(version)) + 64 > VG_INV_PURL_MAX)
			continue;
		p.name = vg_arena_strdup(a, name);
		p.version = vg_arena_strdup(a, version);
		p.found_in = where;
		if (!p.name || !p.version) {
			r = vg_arena_error(a) ?: -ENOMEM;
			break;
		}
		r = vg_vec_push(list, &p);
		if (r < 0)
			break;
		added++;
	}
	json_decref(root);
	return r < 0 ? r : added;
}
