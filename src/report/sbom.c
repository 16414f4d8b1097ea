/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBOM writers: table, vigil JSON, CycloneDX 1.5 JSON, SPDX 2.3 JSON. The JSON documents are
 * built with jansson (through shared/json.h), which does the string escaping, and dumped with
 * object keys in insertion order, so the output is deterministic.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "basic/limits.h"
#include "basic/macro.h"
#include "basic/strbuf.h"
#include "inventory/package.h"
#include "report/sbom.h"
#include "shared/json.h"
#include "vg-config.h"

static const char *const format_names[VG_SBOM__MAX] = {
	[VG_SBOM_TABLE] = "table",
	[VG_SBOM_JSON] = "json",
	[VG_SBOM_CYCLONEDX] = "cyclonedx",
	[VG_SBOM_SPDX] = "spdx",
};

int vg_sbom_format_from_string(const char *s)
{
	for (int i = 0; i < VG_SBOM__MAX; i++)
		if (s && strcmp(s, format_names[i]) == 0)
			return i;
	return -EINVAL;
}

const char *vg_sbom_format_to_string(enum vg_sbom_format f)
{
	return f < VG_SBOM__MAX ? format_names[f] : NULL;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* A name-based UUID (version 5 layout, SHA-256 instead of SHA-1) over the document's content. */
static int content_uuid(const struct vg_sbom *s, char out[37])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	ok = ok && EVP_DigestUpdate(ctx, s->image_id, strlen(s->image_id)) == 1;
	ok = ok && EVP_DigestUpdate(ctx, "\n", 1) == 1;
	ok = ok && EVP_DigestUpdate(ctx, str_or(s->name, ""), strlen(str_or(s->name, ""))) == 1;
	vg_vec_for_each(const struct vg_package, p, &s->packages) {
		const char *u = str_or(p->purl, "");

		ok = ok && EVP_DigestUpdate(ctx, "\n", 1) == 1;
		ok = ok && EVP_DigestUpdate(ctx, u, strlen(u)) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok || mdlen < 16)
		return -EIO;
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10],
		 md[11], md[12], md[13], md[14], md[15]);
	return 0;
}

static void format_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* jansson setters that track allocation failure in *@ok. */
static void set_str(json_t *o, const char *k, const char *v, bool *ok)
{
	if (!v)
		return;
	if (!o || json_object_set_new(o, k, json_string(v)) < 0)
		*ok = false;
}

static void set_new(json_t *o, const char *k, json_t *v, bool *ok)
{
	if (!o || !v || json_object_set_new(o, k, v) < 0)
		*ok = false;
}

static void push(json_t *arr, json_t *v, bool *ok)
{
	if (!arr || !v || json_array_append_new(arr, v) < 0)
		*ok = false;
}

static json_t *build_vigil(const struct vg_sbom *s, bool *ok)
{
	json_t *root = json_object(), *img = json_object(), *pkgs = json_array();

	set_str(img, "name", s->name, ok);
	set_str(img, "target", s->target, ok);
	set_str(img, "kind", s->kind, ok);
	if (s->image_id[0])
		set_str(img, "id", s->image_id, ok);
	set_new(img, "layers", json_integer(s->n_layers), ok);
	set_new(root, "image", img, ok);
	if (s->has_os) {
		json_t *os = json_object();

		set_str(os, "id", s->os.id, ok);
		set_str(os, "version_id", s->os.version_id, ok);
		set_str(os, "family", vg_os_family_to_string(s->os.family), ok);
		if (s->os.pretty_name[0])
			set_str(os, "pretty_name", s->os.pretty_name, ok);
		set_new(root, "os", os, ok);
	} else {
		set_new(root, "os", json_null(), ok);
	}
	vg_vec_for_each(const struct vg_package, p, &s->packages) {
		json_t *o = json_object();

		set_str(o, "name", p->name, ok);
		set_str(o, "version", p->version, ok);
		set_str(o, "type", vg_ecosystem_to_string(p->ecosystem), ok);
		set_str(o, "purl", p->purl, ok);
		set_str(o, "arch", p->arch, ok);
		set_str(o, "source_name", p->source_name, ok);
		set_str(o, "source_version", p->source_version, ok);
		set_str(o, "license", p->license, ok);
		set_str(o, "found_in", p->found_in, ok);
		set_new(o, "layer", json_integer(p->layer), ok);
		push(pkgs, o, ok);
	}
	set_new(root, "packages", pkgs, ok);
	return root;
}

void vg_sbom_bom_ref(const struct vg_sbom *s, size_t i, char *buf, size_t size)
{
	const struct vg_package *p = vg_vec_at(&s->packages, i);
	const struct vg_package *prev = i > 0 ? vg_vec_at(&s->packages, i - 1) : NULL;

	/* bom-ref must be unique: the purl, suffixed when a purl repeats. */
	if (prev && prev->purl && p->purl && strcmp(prev->purl, p->purl) == 0)
		snprintf(buf, size, "%s#%zu", p->purl, i);
	else
		snprintf(buf, size, "%s", str_or(p->purl, "package"));
}

static json_t *build_cyclonedx(const struct vg_sbom *s, const char *uuid, bool *ok)
{
	json_t *root = json_object(), *meta = json_object(), *tools = json_object(),
	       *tcomps = json_array(), *tool = json_object(), *comp = json_object(),
	       *comps = json_array();
	char ts[32], serial[64];
	size_t i = 0;

	format_time(s->created, ts);
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	set_str(root, "bomFormat", "CycloneDX", ok);
	set_str(root, "specVersion", "1.5", ok);
	set_str(root, "serialNumber", serial, ok);
	set_new(root, "version", json_integer(1), ok);

	set_str(meta, "timestamp", ts, ok);
	set_str(tool, "type", "application", ok);
	set_str(tool, "name", "vigil", ok);
	set_str(tool, "version", VG_VERSION, ok);
	push(tcomps, tool, ok);
	set_new(tools, "components", tcomps, ok);
	set_new(meta, "tools", tools, ok);
	set_str(comp, "bom-ref", "image", ok);
	set_str(comp, "type", "container", ok);
	set_str(comp, "name", str_or(s->name, "image"), ok);
	if (s->image_id[0])
		set_str(comp, "version", s->image_id, ok);
	set_new(meta, "component", comp, ok);
	set_new(root, "metadata", meta, ok);

	vg_vec_for_each(const struct vg_package, p, &s->packages) {
		json_t *o = json_object(), *props = json_array();
		char layer[24], ref[VG_INV_PURL_MAX + 32];

		vg_sbom_bom_ref(s, i, ref, sizeof(ref));
		set_str(o, "bom-ref", ref, ok);
		set_str(o, "type", "library", ok);
		set_str(o, "name", str_or(p->name, "unknown"), ok);
		set_str(o, "version", p->version, ok);
		if (p->license && *p->license) {
			json_t *lic = json_object(), *lics = json_array(), *l = json_object();

			set_str(l, "name", p->license, ok);
			set_new(lic, "license", l, ok);
			push(lics, lic, ok);
			set_new(o, "licenses", lics, ok);
		}
		set_str(o, "purl", p->purl, ok);
		snprintf(layer, sizeof(layer), "%d", p->layer);
		{
			json_t *a = json_object(), *b = json_object(), *t = json_object();

			set_str(t, "name", "vigil:package:type", ok);
			set_str(t, "value", vg_ecosystem_to_string(p->ecosystem), ok);
			push(props, t, ok);
			set_str(a, "name", "vigil:layer", ok);
			set_str(a, "value", layer, ok);
			push(props, a, ok);
			set_str(b, "name", "vigil:found_in", ok);
			set_str(b, "value", str_or(p->found_in, ""), ok);
			push(props, b, ok);
		}
		set_new(o, "properties", props, ok);
		push(comps, o, ok);
		i++;
	}
	set_new(root, "components", comps, ok);
	return root;
}

static json_t *build_spdx(const struct vg_sbom *s, const char *uuid, bool *ok)
{
	json_t *root = json_object(), *ci = json_object(), *creators = json_array(),
	       *pkgs = json_array(), *rels = json_array(), *img = json_object(), *d = json_object();
	char ts[32], ns[512];
	size_t i = 0;

	format_time(s->created, ts);
	set_str(root, "spdxVersion", "SPDX-2.3", ok);
	set_str(root, "dataLicense", "CC0-1.0", ok);
	set_str(root, "SPDXID", "SPDXRef-DOCUMENT", ok);
	set_str(root, "name", str_or(s->name, "image"), ok);
	snprintf(ns, sizeof(ns), "https://vigil.invalid/spdx/%s", uuid);
	set_str(root, "documentNamespace", ns, ok);
	set_str(ci, "created", ts, ok);
	push(creators, json_string("Tool: vigil-" VG_VERSION), ok);
	set_new(ci, "creators", creators, ok);
	set_new(root, "creationInfo", ci, ok);

	set_str(img, "SPDXID", "SPDXRef-Image", ok);
	set_str(img, "name", str_or(s->name, "image"), ok);
	if (s->image_id[0])
		set_str(img, "versionInfo", s->image_id, ok);
	set_str(img, "downloadLocation", "NOASSERTION", ok);
	set_new(img, "filesAnalyzed", json_false(), ok);
	set_str(img, "primaryPackagePurpose", "CONTAINER", ok);
	push(pkgs, img, ok);

	set_str(d, "spdxElementId", "SPDXRef-DOCUMENT", ok);
	set_str(d, "relationshipType", "DESCRIBES", ok);
	set_str(d, "relatedSpdxElement", "SPDXRef-Image", ok);
	push(rels, d, ok);

	vg_vec_for_each(const struct vg_package, p, &s->packages) {
		json_t *o = json_object(), *refs = json_array(), *r = json_object(),
		       *rel = json_object();
		char id[48], info[4200];

		i++;
		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i);
		set_str(o, "SPDXID", id, ok);
		set_str(o, "name", str_or(p->name, "unknown"), ok);
		set_str(o, "versionInfo", p->version, ok);
		set_str(o, "downloadLocation", "NOASSERTION", ok);
		set_new(o, "filesAnalyzed", json_false(), ok);
		snprintf(info, sizeof(info), "layer %d: %s", p->layer, str_or(p->found_in, "?"));
		set_str(o, "sourceInfo", info, ok);
		if (p->purl) {
			set_str(r, "referenceCategory", "PACKAGE-MANAGER", ok);
			set_str(r, "referenceType", "purl", ok);
			set_str(r, "referenceLocator", p->purl, ok);
			push(refs, r, ok);
		} else {
			json_decref(r);
		}
		set_new(o, "externalRefs", refs, ok);
		push(pkgs, o, ok);

		set_str(rel, "spdxElementId", "SPDXRef-Image", ok);
		set_str(rel, "relationshipType", "CONTAINS", ok);
		set_str(rel, "relatedSpdxElement", id, ok);
		push(rels, rel, ok);
	}
	set_new(root, "packages", pkgs, ok);
	set_new(root, "relationships", rels, ok);
	return root;
}

static int write_table(const struct vg_sbom *s, FILE *f)
{
	size_t wn = 4, wv = 7, wt = 4;

	vg_vec_for_each(const struct vg_package, p, &s->packages) {
		wn = VG_MAX(wn, strlen(str_or(p->name, "-")));
		wv = VG_MAX(wv, strlen(str_or(p->version, "-")));
		wt = VG_MAX(wt, strlen(vg_ecosystem_to_string(p->ecosystem)));
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-5s  %s\n", (int)wn, "NAME", (int)wv, "VERSION", (int)wt,
		"TYPE", "LAYER", "PURL");
	vg_vec_for_each(const struct vg_package, p, &s->packages)
		fprintf(f, "%-*s  %-*s  %-*s  %-5d  %s\n", (int)wn, str_or(p->name, "-"), (int)wv,
			str_or(p->version, "-"), (int)wt, vg_ecosystem_to_string(p->ecosystem),
			p->layer, str_or(p->purl, "-"));
	return 0;
}

json_t *vg_sbom_cyclonedx(const struct vg_sbom *s)
{
	json_t *doc;
	char uuid[37];
	bool ok = true;

	if (content_uuid(s, uuid) < 0)
		return NULL;
	doc = build_cyclonedx(s, uuid, &ok);
	if (!ok) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int vg_sbom_write(const struct vg_sbom *s, enum vg_sbom_format format, FILE *f)
{
	json_t *doc = NULL;
	char uuid[37];
	bool ok = true;
	int r;

	switch (format) {
	case VG_SBOM_TABLE:
		r = write_table(s, f);
		break;
	case VG_SBOM_JSON:
	case VG_SBOM_CYCLONEDX:
	case VG_SBOM_SPDX:
		r = content_uuid(s, uuid);
		if (r < 0)
			return r;
		doc = format == VG_SBOM_JSON	    ? build_vigil(s, &ok)
		      : format == VG_SBOM_CYCLONEDX ? build_cyclonedx(s, uuid, &ok)
						    : build_spdx(s, uuid, &ok);
		if (!ok || !doc) {
			json_decref(doc);
			return -ENOMEM;
		}
		r = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ? -EIO : 0;
		if (r == 0 && fputc('\n', f) == EOF)
			r = -EIO;
		json_decref(doc);
		break;
	default:
		return -EINVAL;
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	return r;
}
