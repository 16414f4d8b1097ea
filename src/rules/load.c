/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules files (Falco's format) into a collection: required_engine_version,
 * required_plugin_versions, lists, macros and rules, with Falco's define / append / override
 * semantics (falcosecurity/falco userspace/engine/rule_loader_reader.cpp and
 * rule_loader_collector.cpp). A file stops at its first error, as in Falco; what it defined
 * before stays loaded. SPEC: docs/rules.md#rule-files
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/limits.h"
#include "rules/load-internal.h"
#include "rules/load.h"
#include "rules/parse.h"
#include "shared/yaml.h"

struct loader {
	struct vg_rules_collection *c;
	struct vg_diags *d;
	struct vg_src_map map;
	const char *file;
	char what[320]; /* "rule 'name'" of the item being read */
};

#define ITEM_WHAT(ld) ((ld)->what[0] ? (ld)->what : NULL)

static int diag(struct loader *ld, enum vg_diag_level level, const struct vg_yaml_node *n,
		const char *code, const char *fmt, ...) VG_PRINTF(5, 6);

static int diag(struct loader *ld, enum vg_diag_level level, const struct vg_yaml_node *n,
		const char *code, const char *fmt, ...)
{
	struct vg_srcpos pos = {.file = ld->file};
	char msg[1024];
	va_list ap;

	if (n) {
		pos.line = n->line;
		pos.col = n->column;
	}
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vg_diag_add(ld->d, level, &pos, ITEM_WHAT(ld), code, "%s", msg);
	return -EBADMSG;
}

#define ERR(ld, n, ...)	       diag(ld, VG_DIAG_ERROR, n, "LOAD_ERR_YAML_VALIDATE", __VA_ARGS__)
#define ERRV(ld, n, ...)       diag(ld, VG_DIAG_ERROR, n, "LOAD_ERR_VALIDATE", __VA_ARGS__)
#define WARN(ld, n, code, ...) (void)diag(ld, VG_DIAG_WARNING, n, code, __VA_ARGS__)

#define MSG_APPEND_DEPRECATED                                                                 \
	"'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under " \
	"'override' instead."
#define MSG_ENABLED_DEPRECATED                                                                  \
	"The standalone 'enabled' key usage is deprecated. The correct approach requires also " \
	"a 'replace' entry under the 'override' key (i.e. 'enabled: replace')."
#define MSG_OVERRIDE_APPEND                                                                  \
	"Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry " \
	"(e.g. 'condition: append') under 'override' instead."

/* Arena failures: one clear error, and the errno to return. */
static int oom(struct loader *ld, const struct vg_yaml_node *n)
{
	int r = vg_arena_error(&ld->c->arena) ?: -ENOMEM;

	if (r == -E2BIG)
		diag(ld, VG_DIAG_ERROR, n, "LOAD_ERR_LIMIT",
		     "rules take more than %u bytes of memory (too many appends or items?)",
		     VG_RULES_ARENA_MAX);
	else
		diag(ld, VG_DIAG_ERROR, n, "LOAD_ERR_LIMIT", "out of memory");
	return r;
}

static struct vg_srcpos pos_of(const struct loader *ld, const struct vg_yaml_node *n)
{
	return (struct vg_srcpos){.file = ld->file, .line = n->line, .col = n->column};
}

static char *dup_scalar(struct loader *ld, const struct vg_yaml_node *n)
{
	char *s = vg_arena_memdup(&ld->c->arena, n->text, n->len + 1);

	if (s)
		s[n->len] = '\0';
	return s;
}

/* ---- decoding keys -------------------------------------------------------------------- */

/* The value of key in map as a non-empty scalar (Falco's decode_val). *ret NULL when absent
 * and optional. */
static int get_scalar(struct loader *ld, const struct vg_yaml_node *map, const char *key,
		      bool optional, const struct vg_yaml_node **ret)
{
	const struct vg_yaml_node *v = vg_yaml_map_get(map, key);

	*ret = NULL;
	if (!v) {
		if (optional)
			return 0;
		return ERR(ld, map, "Item has no mapping for key '%s'", key);
	}
	if (vg_yaml_is_null(v))
		return ERR(ld, v, "Mapping for key '%s' is empty", key);
	if (v->kind != VG_YAML_SCALAR)
		return ERR(ld, v, "Value for key '%s' is not a scalar value (found a %s)", key,
			   vg_yaml_kind_name(v->kind));
	if (v->len == 0)
		return ERR(ld, v, "Value for key '%s' must be non-empty", key);
	*ret = v;
	return 0;
}

static int parse_bool(const struct vg_yaml_node *v, bool *ret)
{
	static const char *const yes[] = {"y", "yes", "true", "on"};
	static const char *const no[] = {"n", "no", "false", "off"};

	/* YAML 1.1 booleans as yaml-cpp reads them: lower, Capitalised or UPPER case */
	for (size_t i = 0; i < VG_ARRAY_SIZE(yes); i++)
		for (int k = 0; k < 2; k++) {
			const char *w = k ? no[i] : yes[i];
			size_t l = strlen(w);
			bool ok;

			if (v->len != l)
				continue;
			ok = strcmp(v->text, w) == 0 || strncasecmp(v->text, w, l) == 0;
			if (ok && l > 1) {
				/* Mixed case other than "Xxx" is not a boolean */
				bool upper = true, cap = v->text[0] >= 'A' && v->text[0] <= 'Z';

				for (size_t j = 0; j < l; j++)
					upper &= v->text[j] >= 'A' && v->text[j] <= 'Z';
				for (size_t j = 1; j < l; j++)
					cap &= v->text[j] >= 'a' && v->text[j] <= 'z';
				ok = strcmp(v->text, w) == 0 || upper || cap;
			}
			if (ok) {
				*ret = !k;
				return 0;
			}
		}
	return -EINVAL;
}

static int get_bool(struct loader *ld, const struct vg_yaml_node *map, const char *key,
		    bool optional, bool *ret, bool *ret_set)
{
	const struct vg_yaml_node *v;
	int r = get_scalar(ld, map, key, optional, &v);

	if (ret_set)
		*ret_set = false;
	if (r < 0 || !v)
		return r;
	if (parse_bool(v, ret) < 0)
		return ERR(ld, v, "Value for key '%s' is not a boolean: '%.64s'", key, v->text);
	if (ret_set)
		*ret_set = true;
	return 0;
}

static int get_uint(struct loader *ld, const struct vg_yaml_node *map, const char *key,
		    unsigned *ret, bool *ret_set)
{
	const struct vg_yaml_node *v;
	unsigned long long x = 0;
	int r = get_scalar(ld, map, key, true, &v);

	*ret_set = false;
	if (r < 0 || !v)
		return r;
	for (size_t i = 0; i < v->len; i++) {
		if (v->text[i] < '0' || v->text[i] > '9' || x > UINT32_MAX)
			return ERR(ld, v,
				   "Value for key '%s' is not a number of milliseconds: "
				   "'%.64s'",
				   key, v->text);
		x = x * 10 + (unsigned)(v->text[i] - '0');
	}
	if (x > UINT32_MAX)
		return ERR(ld, v, "Value for key '%s' is too large", key);
	*ret = (unsigned)x;
	*ret_set = true;
	return 0;
}

/* Keys a kind of item accepts; others are warned about (Falco 0.44). Duplicates too. */
static void check_keys(struct loader *ld, const struct vg_yaml_node *item,
		       const char *const *allowed, size_t n_allowed)
{
	uint32_t seen = 0; /* allowed keys met so far (linear in the item's keys) */

	for (size_t i = 0; i < item->n; i++) {
		const struct vg_yaml_node *k = item->pairs[i].key;
		size_t j;

		if (k->kind != VG_YAML_SCALAR) {
			WARN(ld, k, "LOAD_UNKNOWN_KEY", "Unexpected non-scalar key (ignored)");
			continue;
		}
		for (j = 0; j < n_allowed; j++)
			if (strlen(allowed[j]) == k->len && strcmp(allowed[j], k->text) == 0)
				break;
		if (j == n_allowed) {
			WARN(ld, k, "LOAD_UNKNOWN_KEY", "Unknown key '%.64s' (ignored)", k->text);
			continue;
		}
		if (seen & (1u << j))
			WARN(ld, k, "LOAD_DUPLICATE_KEY",
			     "Key '%.64s' is defined more than once; the first one is used",
			     k->text);
		seen |= 1u << j;
	}
}

/* ---- override ------------------------------------------------------------------------- */

enum {
	K_CONDITION,
	K_OUTPUT,
	K_DESC,
	K_TAGS,
	K_EXCEPTIONS,
	K_PRIORITY,
	K_ENABLED,
	K_WARN_EVTTYPES,
	K_SKIP_UNKNOWN,
	K_CAPTURE,
	K_CAPTURE_DURATION,
	K_ITEMS,
	K__MAX,
};

static const char *const key_names[K__MAX] = {
	[K_CONDITION] = "condition",
	[K_OUTPUT] = "output",
	[K_DESC] = "desc",
	[K_TAGS] = "tags",
	[K_EXCEPTIONS] = "exceptions",
	[K_PRIORITY] = "priority",
	[K_ENABLED] = "enabled",
	[K_WARN_EVTTYPES] = "warn_evttypes",
	[K_SKIP_UNKNOWN] = "skip-if-unknown-filter",
	[K_CAPTURE] = "capture",
	[K_CAPTURE_DURATION] = "capture_duration",
	[K_ITEMS] = "items",
};

#define KB(k) (1u << (k))
#define RULE_APPENDABLE \
	(KB(K_CONDITION) | KB(K_OUTPUT) | KB(K_DESC) | KB(K_TAGS) | KB(K_EXCEPTIONS))
#define RULE_REPLACEABLE                                                          \
	(RULE_APPENDABLE | KB(K_PRIORITY) | KB(K_ENABLED) | KB(K_WARN_EVTTYPES) | \
	 KB(K_SKIP_UNKNOWN) | KB(K_CAPTURE) | KB(K_CAPTURE_DURATION))

/* Reads override: into append/replace key sets (bits of K_*). */
static int read_override(struct loader *ld, const struct vg_yaml_node *item, unsigned can_append,
			 unsigned can_replace, unsigned *ret_append, unsigned *ret_replace)
{
	const struct vg_yaml_node *ov = vg_yaml_map_get(item, "override");

	*ret_append = *ret_replace = 0;
	if (!ov)
		return 0;
	if (ov->kind != VG_YAML_MAP)
		return ERR(ld, ov,
			   "Value for key 'override' must be a mapping of keys to "
			   "'append' or 'replace'");
	for (size_t i = 0; i < ov->n; i++) {
		const struct vg_yaml_node *k = ov->pairs[i].key, *op = ov->pairs[i].value;
		int key = -1;

		if (k->kind != VG_YAML_SCALAR)
			return ERR(ld, k, "Override keys must be scalars");
		for (int j = 0; j < K__MAX; j++)
			if (vg_yaml_scalar_is(k, key_names[j]))
				key = j;
		if (!op || op->kind != VG_YAML_SCALAR)
			return ERR(ld, op ? op : k,
				   "Invalid override operation for key '%.64s': "
				   "expected append or replace",
				   k->text);
		if (vg_yaml_scalar_is(op, "append")) {
			if (key < 0 || !(can_append & KB(key)))
				return ERR(ld, k, "Key '%.64s' cannot be appended to%s", k->text,
					   key >= 0 && (can_replace & KB(key))
						   ? ", use 'replace' instead"
						   : "");
			*ret_append |= KB(key);
		} else if (vg_yaml_scalar_is(op, "replace")) {
			if (key < 0 || !(can_replace & KB(key)))
				return ERR(ld, k, "Key '%.64s' cannot be replaced", k->text);
			*ret_replace |= KB(key);
		} else {
			return ERR(ld, op,
				   "Invalid override operation for key '%.64s': '%.64s'. "
				   "Allowed values are: %s%s",
				   k->text, op->text,
				   key >= 0 && (can_append & KB(key)) ? "append " : "",
				   key >= 0 && (can_replace & KB(key)) ? "replace" : "");
		}
		if (*ret_append & *ret_replace & KB(key))
			return ERR(ld, k, "Key '%.64s' cannot be both appended and replaced",
				   k->text);
	}
	return 0;
}

/* The deprecated append: true flag, with its warning. */
static int read_append_flag(struct loader *ld, const struct vg_yaml_node *item, bool *ret)
{
	const struct vg_yaml_node *v = vg_yaml_map_get(item, "append");
	int r;

	*ret = false;
	r = get_bool(ld, item, "append", true, ret, NULL);
	if (r < 0)
		return r;
	if (*ret)
		WARN(ld, v, "LOAD_DEPRECATED_ITEM", MSG_APPEND_DEPRECATED);
	return 0;
}

/* ---- collection ----------------------------------------------------------------------- */

void vg_rules_collection_init(struct vg_rules_collection *c)
{
	*c = (struct vg_rules_collection){0};
	vg_arena_init(&c->arena, VG_RULES_ARENA_MAX);
	vg_vec_init(&c->lists, sizeof(struct vg_rule_list *), VG_RULE_ITEMS_MAX);
	vg_vec_init(&c->macros, sizeof(struct vg_rule_macro *), VG_RULE_ITEMS_MAX);
	vg_vec_init(&c->rules, sizeof(struct vg_rule_def *), VG_RULE_ITEMS_MAX);
	vg_hashmap_init(&c->list_by_name, VG_HASHMAP_STRING, VG_RULE_ITEMS_MAX, NULL);
	vg_hashmap_init(&c->macro_by_name, VG_HASHMAP_STRING, VG_RULE_ITEMS_MAX, NULL);
	vg_hashmap_init(&c->rule_by_name, VG_HASHMAP_STRING, VG_RULE_ITEMS_MAX, NULL);
	vg_vec_init(&c->files, sizeof(const char *), VG_RULE_FILES_MAX);
}

void vg_rules_collection_done(struct vg_rules_collection *c)
{
	vg_hashmap_done(&c->list_by_name);
	vg_hashmap_done(&c->macro_by_name);
	vg_hashmap_done(&c->rule_by_name);
	vg_vec_done(&c->lists);
	vg_vec_done(&c->macros);
	vg_vec_done(&c->rules);
	vg_vec_done(&c->files);
	vg_arena_done(&c->arena);
}

static int count_check(struct loader *ld, const struct vg_yaml_node *n)
{
	const struct vg_rules_collection *c = ld->c;

	if (c->lists.len + c->macros.len + c->rules.len >= VG_RULE_ITEMS_MAX) {
		diag(ld, VG_DIAG_ERROR, n, "LOAD_ERR_LIMIT",
		     "more than %d lists, macros and rules in all", VG_RULE_ITEMS_MAX);
		return -E2BIG;
	}
	return 0;
}

/* Adds obj under name to vec + map (new definition). */
static int add_named(struct loader *ld, const struct vg_yaml_node *n, struct vg_vec *v,
		     struct vg_hashmap *m, const char *name, void *obj)
{
	int r = count_check(ld, n);

	if (r < 0)
		return r;
	r = vg_vec_push(v, &obj);
	if (r < 0)
		return r == -E2BIG ? count_check(ld, n) : r;
	r = vg_hashmap_put_str(m, name, obj);
	if (r < 0) {
		v->len--;
		return r;
	}
	return 0;
}

/* ---- engine and plugin versions ------------------------------------------------------- */

static bool parse_semver(const char *s, size_t len, unsigned long v[3])
{
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		size_t d = 0;

		v[k] = 0;
		if (k > 0) {
			if (i >= len || s[i] != '.')
				return false;
			i++;
		}
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, d++) {
			if (v[k] > 100000000)
				return false;
			v[k] = v[k] * 10 + (unsigned long)(s[i] - '0');
		}
		if (d == 0)
			return false;
	}
	return i == len;
}

static int semver_cmp(const unsigned long a[3], const unsigned long b[3])
{
	for (int k = 0; k < 3; k++)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return 0;
}

static int read_engine_version(struct loader *ld, const struct vg_yaml_node *item)
{
	static const char *const keys[] = {"required_engine_version"};
	const struct vg_yaml_node *v;
	unsigned long want[3], have[3], cur[3];
	char buf[64];
	bool digits = true;
	int r;

	check_keys(ld, item, keys, VG_ARRAY_SIZE(keys));
	r = get_scalar(ld, item, "required_engine_version", false, &v);
	if (r < 0)
		return r;
	for (size_t i = 0; i < v->len; i++)
		digits &= v->text[i] >= '0' && v->text[i] <= '9';
	if (digits && v->len <= 9) {
		/* the old integer form N means 0.N.0 */
		snprintf(buf, sizeof(buf), "0.%s.0", v->text);
	} else if (v->len < sizeof(buf)) {
		memcpy(buf, v->text, v->len + 1);
	} else {
		buf[0] = '\0';
	}
	if (!parse_semver(buf, strlen(buf), want))
		return ERR(ld, v,
			   "Unable to parse engine version '%.64s' as a semver string. "
			   "Expected \"x.y.z\" semver format.",
			   v->text);
	if (!parse_semver(VG_ENGINE_VERSION, strlen(VG_ENGINE_VERSION), have))
		return -EINVAL;
	if (semver_cmp(want, have) > 0)
		return ERRV(ld, v, "Rules require engine version %s, but engine version is %s", buf,
			    VG_ENGINE_VERSION);
	if (!ld->c->required_engine_version[0] ||
	    (parse_semver(ld->c->required_engine_version, strlen(ld->c->required_engine_version),
			  cur) &&
	     semver_cmp(want, cur) > 0))
		snprintf(ld->c->required_engine_version, sizeof(ld->c->required_engine_version),
			 "%lu.%lu.%lu", want[0], want[1], want[2]);
	return 0;
}

/* Plugins vigil stands in for: their fields are native. */
static bool plugin_provided(const char *name, const unsigned long v[3])
{
	/* the container plugin's fields up to 0.7.x */
	return strcmp(name, "container") == 0 && v[0] == 0 && v[1] <= 7;
}

static int read_plugin_versions(struct loader *ld, const struct vg_yaml_node *item)
{
	static const char *const keys[] = {"required_plugin_versions"};
	const struct vg_yaml_node *list = vg_yaml_map_get(item, "required_plugin_versions");

	check_keys(ld, item, keys, VG_ARRAY_SIZE(keys));
	if (!list || list->kind != VG_YAML_SEQ)
		return ERR(ld, list ? list : item,
			   "Value of required_plugin_versions must be a sequence");
	for (size_t i = 0; i < list->n; i++) {
		const struct vg_yaml_node *p = list->items[i], *alts, *name, *ver;
		const struct vg_yaml_node *names[64];
		size_t n_names = 0;
		bool satisfied = false;
		int r;

		if (p->kind != VG_YAML_MAP)
			return ERR(ld, p, "Plugin version must be a mapping");
		alts = vg_yaml_map_get(p, "alternatives");
		if (alts && alts->kind != VG_YAML_SEQ)
			return ERR(ld, alts,
				   "Value of plugin version alternatives must be a sequence");
		for (size_t j = 0; j <= (alts ? alts->n : 0); j++) {
			const struct vg_yaml_node *e = j == 0 ? p : alts->items[j - 1];
			unsigned long v[3];

			if (e->kind != VG_YAML_MAP)
				return ERR(ld, e, "Plugin version alternative must be a mapping");
			r = get_scalar(ld, e, "name", false, &name);
			if (r < 0)
				return r;
			r = get_scalar(ld, e, "version", false, &ver);
			if (r < 0)
				return r;
			if (!parse_semver(ver->text, ver->len, v))
				return ERRV(ld, ver,
					    "Invalid required version '%.64s' for plugin "
					    "'%.64s'",
					    ver->text, name->text);
			for (size_t k = 0; k < n_names; k++)
				if (strcmp(names[k]->text, name->text) == 0)
					return ERRV(ld, name,
						    "Defined multiple alternative version "
						    "requirements for plugin '%.64s'",
						    name->text);
			if (n_names < VG_ARRAY_SIZE(names))
				names[n_names++] = name;
			satisfied |= plugin_provided(name->text, v);
		}
		if (!satisfied) {
			name = vg_yaml_map_get(p, "name");
			WARN(ld, p, "LOAD_UNKNOWN_PLUGIN",
			     "Rules require plugin '%.64s' (or an alternative), which vigil does "
			     "not provide: rules using its fields will fail to compile",
			     name->text);
		}
	}
	return 0;
}

/* ---- lists ---------------------------------------------------------------------------- */

static bool valid_list_name(const char *s)
{
	/* Falco's BareStr: [^()"'[:space:]=,]+ */
	if (!*s)
		return false;
	for (; *s; s++)
		if (strchr("()\"'=, \t\n\r\v\f", *s))
			return false;
	return true;
}

static bool valid_macro_name(const char *s)
{
	/* Falco's Identifier: [a-zA-Z]+[a-zA-Z0-9_]* */
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool is_quoted(const struct vg_yaml_node *n)
{
	return n->style == VG_YAML_SINGLE_QUOTED || n->style == VG_YAML_DOUBLE_QUOTED;
}

static int read_list_items(struct loader *ld, const struct vg_yaml_node *item,
			   struct vg_list_item **ret, size_t *ret_n)
{
	const struct vg_yaml_node *v = vg_yaml_map_get(item, "items");
	struct vg_list_item *items;

	if (!v)
		return ERR(ld, item, "Item has no mapping for key 'items'");
	if (vg_yaml_is_null(v)) {
		/* items: (empty) is an empty list, as yaml-cpp iterates a null node */
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (v->kind != VG_YAML_SEQ)
		return ERR(ld, v, "Value for key 'items' is not a sequence");
	if (v->n > VG_LIST_ITEMS_MAX)
		return ERR(ld, v, "List has more than %d items", VG_LIST_ITEMS_MAX);
	items = vg_arena_calloc(&ld->c->arena, v->n ? v->n : 1, sizeof(*items));
	if (!items)
		return oom(ld, v);
	for (size_t i = 0; i < v->n; i++) {
		const struct vg_yaml_node *e = v->items[i];

		if (e->kind != VG_YAML_SCALAR || vg_yaml_is_null(e))
			return ERR(ld, e, "List items must be strings (found %s)",
				   e->kind == VG_YAML_SCALAR ? "an empty value"
							     : vg_yaml_kind_name(e->kind));
		items[i].text = dup_scalar(ld, e);
		if (!items[i].text)
			return oom(ld, e);
		items[i].quoted = is_quoted(e);
		items[i].pos = pos_of(ld, e);
	}
	*ret = items;
	*ret_n = v->n;
	return 0;
}

static int read_list(struct loader *ld, const struct vg_yaml_node *item)
{
	static const char *const keys[] = {"list", "items", "append", "override"};
	const struct vg_yaml_node *name_n;
	struct vg_rule_list *prev, *l;
	struct vg_list_item *items = NULL;
	unsigned ov_append, ov_replace;
	size_t n_items = 0;
	bool append;
	int r;

	r = get_scalar(ld, item, "list", false, &name_n);
	if (r < 0)
		return r;
	snprintf(ld->what, sizeof(ld->what), "list '%.256s'", name_n->text);
	check_keys(ld, item, keys, VG_ARRAY_SIZE(keys));
	if (!valid_list_name(name_n->text))
		WARN(ld, name_n, "LOAD_INVALID_LIST_NAME",
		     "List has an invalid name. List names should match a regular expression: "
		     "([^()\"'[:space:]=,]+)");
	r = read_list_items(ld, item, &items, &n_items);
	if (r < 0)
		return r;
	r = read_append_flag(ld, item, &append);
	if (r < 0)
		return r;
	r = read_override(ld, item, KB(K_ITEMS), KB(K_ITEMS), &ov_append, &ov_replace);
	if (r < 0)
		return r;
	if (append && (ov_append | ov_replace))
		return ERR(ld, item, MSG_OVERRIDE_APPEND);

	prev = vg_hashmap_get_str(&ld->c->list_by_name, name_n->text);
	if (append || ov_append) {
		struct vg_list_item *all;

		if (!prev)
			return ERRV(ld, name_n,
				    "List uses 'append' or 'override.items: append' but "
				    "no list by that name already exists");
		if (prev->n_items + n_items > VG_LIST_ITEMS_MAX)
			return ERR(ld, item, "List has more than %d items", VG_LIST_ITEMS_MAX);
		all = vg_arena_calloc(&ld->c->arena, prev->n_items + n_items + 1, sizeof(*all));
		if (!all)
			return oom(ld, item);
		if (prev->n_items)
			memcpy(all, prev->items, prev->n_items * sizeof(*all));
		if (n_items)
			memcpy(all + prev->n_items, items, n_items * sizeof(*all));
		prev->items = all;
		prev->n_items += n_items;
		return 0;
	}
	if (ov_replace && !prev)
		return ERRV(ld, name_n,
			    "An 'override.items: replace' to a list was requested but "
			    "no list by that name already exists");
	if (prev) {
		/* a redefinition replaces the list and keeps its position */
		prev->items = items;
		prev->n_items = n_items;
		prev->pos = pos_of(ld, item);
		return 0;
	}
	l = vg_arena_calloc(&ld->c->arena, 1, sizeof(*l));
	if (!l || !(l->name = dup_scalar(ld, name_n)))
		return oom(ld, item);
	l->items = items;
	l->n_items = n_items;
	l->pos = pos_of(ld, item);
	return add_named(ld, item, &ld->c->lists, &ld->c->list_by_name, l->name, l);
}

/* ---- conditions ----------------------------------------------------------------------- */

static int read_cond(struct loader *ld, const struct vg_yaml_node *v, struct vg_cond_src *ret)
{
	int r;

	if (v->len > VG_COND_LEN_MAX)
		return ERR(ld, v, "Condition longer than %u bytes", VG_COND_LEN_MAX);
	r = vg_cond_src_build(&ld->c->arena, &ld->map, v, 0, v->len, ret);
	if (r < 0)
		return oom(ld, v);
	return 0;
}

/* prev = prev + ' ' + add */
static int append_text(struct loader *ld, const struct vg_yaml_node *n, struct vg_cond_src *prev,
		       const struct vg_cond_src *add)
{
	struct vg_cond_src out;

	if (prev->len + 1 + add->len > VG_COND_LEN_MAX)
		return ERR(ld, n, "Text longer than %u bytes after append", VG_COND_LEN_MAX);
	if (vg_cond_src_concat(&ld->c->arena, prev, ' ', add, &out) < 0)
		return oom(ld, n);
	*prev = out;
	return 0;
}

static int read_macro(struct loader *ld, const struct vg_yaml_node *item)
{
	static const char *const keys[] = {"macro", "condition", "append", "override"};
	const struct vg_yaml_node *name_n, *cond_n;
	struct vg_rule_macro *prev, *m;
	struct vg_cond_src cond;
	unsigned ov_append, ov_replace;
	bool append;
	int r;

	r = get_scalar(ld, item, "macro", false, &name_n);
	if (r < 0)
		return r;
	snprintf(ld->what, sizeof(ld->what), "macro '%.256s'", name_n->text);
	check_keys(ld, item, keys, VG_ARRAY_SIZE(keys));
	if (!valid_macro_name(name_n->text))
		WARN(ld, name_n, "LOAD_INVALID_MACRO_NAME",
		     "Macro has an invalid name. Macro names should match a regular expression: "
		     "([a-zA-Z]+[a-zA-Z0-9_]*)");
	r = get_scalar(ld, item, "condition", false, &cond_n);
	if (r < 0)
		return r;
	r = read_append_flag(ld, item, &append);
	if (r < 0)
		return r;
	r = read_override(ld, item, KB(K_CONDITION), KB(K_CONDITION), &ov_append, &ov_replace);
	if (r < 0)
		return r;
	if (append && (ov_append | ov_replace))
		return ERR(ld, item, MSG_OVERRIDE_APPEND);
	r = read_cond(ld, cond_n, &cond);
	if (r < 0)
		return r;

	prev = vg_hashmap_get_str(&ld->c->macro_by_name, name_n->text);
	if (append || ov_append) {
		if (!prev)
			return ERRV(ld, name_n,
				    "Macro uses 'append' or 'override.condition: append' "
				    "but no macro by that name already exists");
		return append_text(ld, cond_n, &prev->cond, &cond);
	}
	if (ov_replace && !prev)
		return ERRV(ld, name_n,
			    "An 'override.condition: replace' to a macro was requested "
			    "but no macro by that name already exists");
	if (prev) {
		prev->cond = cond;
		prev->pos = pos_of(ld, item);
		return 0;
	}
	m = vg_arena_calloc(&ld->c->arena, 1, sizeof(*m));
	if (!m || !(m->name = dup_scalar(ld, name_n)))
		return oom(ld, item);
	m->cond = cond;
	m->pos = pos_of(ld, item);
	return add_named(ld, item, &ld->c->macros, &ld->c->macro_by_name, m->name, m);
}

/* ---- exceptions ----------------------------------------------------------------------- */

static const char *const tuple_comps[] = {
	"=",	       "==",	   "!=",	 "<",	     "<=",	  ">",	       ">=",
	"in",	       "pmatch",   "intersects", "contains", "icontains", "bcontains", "startswith",
	"bstartswith", "endswith", "glob",	 "iglob",    "regex",
};

static bool comp_supported(const char *s)
{
	for (size_t i = 0; i < VG_ARRAY_SIZE(tuple_comps); i++)
		if (strcmp(s, tuple_comps[i]) == 0)
			return true;
	return false;
}

/* A string or a list of strings (fields, comps). */
static int read_str_or_list(struct loader *ld, const struct vg_yaml_node *v, const char *key,
			    const char ***ret, size_t *ret_n, bool *ret_single)
{
	const char **out;
	size_t n = v->kind == VG_YAML_SEQ ? v->n : 1;

	if (v->kind == VG_YAML_MAP || vg_yaml_is_null(v) ||
	    (v->kind == VG_YAML_SCALAR && v->len == 0))
		return ERR(ld, v,
			   "Value for exception key '%s' must be a non-empty string or a "
			   "list of strings",
			   key);
	out = vg_arena_calloc(&ld->c->arena, n, sizeof(*out));
	if (!out)
		return oom(ld, v);
	for (size_t i = 0; i < n; i++) {
		const struct vg_yaml_node *e = v->kind == VG_YAML_SEQ ? v->items[i] : v;

		if (e->kind != VG_YAML_SCALAR || e->len == 0 || vg_yaml_is_null(e))
			return ERR(ld, e, "Items of exception key '%s' must be non-empty strings",
				   key);
		out[i] = dup_scalar(ld, e);
		if (!out[i])
			return oom(ld, e);
	}
	*ret = out;
	*ret_n = n;
	*ret_single = v->kind == VG_YAML_SCALAR;
	return 0;
}

static int read_value_item(struct loader *ld, const struct vg_yaml_node *e, bool allow_list,
			   struct vg_list_item *ret)
{
	ret->pos = pos_of(ld, e);
	if (e->kind == VG_YAML_SCALAR) {
		ret->text = dup_scalar(ld, e);
		ret->quoted = is_quoted(e);
		return ret->text ? 0 : oom(ld, e);
	}
	if (e->kind != VG_YAML_SEQ || !allow_list)
		return ERR(ld, e, "Exception values must be strings%s",
			   allow_list ? " or lists of strings" : "");
	{
		struct vg_list_item *sub = vg_arena_calloc(&ld->c->arena, e->n + 1, sizeof(*sub));

		if (!sub)
			return oom(ld, e);
		for (size_t i = 0; i < e->n; i++) {
			int r = read_value_item(ld, e->items[i], false, &sub[i]);

			if (r < 0)
				return r;
		}
		ret->text = "";
		ret->sub = sub;
		ret->n_sub = e->n;
	}
	return 0;
}

/* Reads values: rows. n_fields = 0 when the fields are not known (append to an existing
 * exception: checked later against it). */
static int read_values(struct loader *ld, const struct vg_yaml_node *vals, bool single,
		       struct vg_list_item ***ret, size_t *ret_n)
{
	struct vg_list_item **rows;

	if (vals->kind != VG_YAML_SEQ)
		return ERR(ld, vals, "Rule exception values must be a sequence");
	rows = vg_arena_calloc(&ld->c->arena, vals->n + 1, sizeof(*rows));
	if (!rows)
		return oom(ld, vals);
	for (size_t i = 0; i < vals->n; i++) {
		const struct vg_yaml_node *v = vals->items[i];
		size_t n = single ? 1 : v->n;
		int r;

		if (!single && v->kind != VG_YAML_SEQ)
			return ERR(ld, v,
				   "Expected values of a multi-field exception to be lists "
				   "(one item per field)");
		rows[i] = vg_arena_calloc(&ld->c->arena, n + 1, sizeof(**rows));
		if (!rows[i])
			return oom(ld, v);
		for (size_t j = 0; j < n; j++) {
			r = read_value_item(ld, single ? v : v->items[j], !single, &rows[i][j]);
			if (r < 0)
				return r;
		}
	}
	*ret = rows;
	*ret_n = vals->n;
	return 0;
}

static int check_rows(struct loader *ld, const struct vg_yaml_node *vals,
		      const struct vg_rule_exception *ex, size_t first)
{
	if (ex->single_field)
		return 0;
	for (size_t i = first; i < ex->n_values; i++) {
		const struct vg_yaml_node *v = vals->items[i - first];

		if (v->n != ex->n_fields)
			return ERR(ld, v,
				   "Exception '%.64s': fields and values lists must have "
				   "equal length (%zu fields, %zu values)",
				   ex->name, ex->n_fields, v->n);
	}
	return 0;
}

/* Defaults and consistency of fields and comps (Falco's validate_exception_info). */
static int finish_exception(struct loader *ld, const struct vg_yaml_node *exn,
			    struct vg_rule_exception *ex, bool comps_given, bool comps_single)
{
	if (!ex->single_field) {
		if (!comps_given) {
			ex->comps = vg_arena_calloc(&ld->c->arena, ex->n_fields, sizeof(char *));
			if (!ex->comps)
				return oom(ld, exn);
			for (size_t i = 0; i < ex->n_fields; i++)
				ex->comps[i] = "=";
			ex->n_comps = ex->n_fields;
		}
		if (comps_given && comps_single)
			return ERRV(ld, exn,
				    "Exception '%.64s': fields and comps must both be lists",
				    ex->name);
		if (ex->n_comps != ex->n_fields)
			return ERRV(ld, exn,
				    "Exception '%.64s': fields and comps lists must have "
				    "equal length",
				    ex->name);
		for (size_t i = 0; i < ex->n_comps; i++)
			if (!comp_supported(ex->comps[i]))
				return ERRV(ld, exn,
					    "Exception '%.64s': '%.32s' is not a supported "
					    "comparison operator",
					    ex->name, ex->comps[i]);
	} else {
		if (!comps_given) {
			ex->comps = vg_arena_calloc(&ld->c->arena, 1, sizeof(char *));
			if (!ex->comps)
				return oom(ld, exn);
			ex->comps[0] = "in";
			ex->n_comps = 1;
		}
		if (comps_given && !comps_single)
			return ERRV(ld, exn,
				    "Exception '%.64s': fields and comps must both be "
				    "strings",
				    ex->name);
		if (strcmp(ex->comps[0], "in") != 0 && strcmp(ex->comps[0], "pmatch") != 0 &&
		    strcmp(ex->comps[0], "intersects") != 0)
			return ERRV(ld, exn,
				    "Exception '%.64s': when fields is a single value, "
				    "comps must be one of (in, pmatch, intersects)",
				    ex->name);
	}
	return 0;
}

struct exc_read {
	struct vg_rule_exception ex;
	const struct vg_yaml_node *node, *name_n, *vals;
	bool has_fields, has_comps, comps_single;
};

static int read_one_exception(struct loader *ld, const struct vg_yaml_node *e, bool update,
			      struct vg_hashmap *names, struct exc_read *x)
{
	const struct vg_yaml_node *f, *cm;
	int r;

	if (e->kind != VG_YAML_MAP)
		return ERR(ld, e, "Rule exception must be a mapping");
	r = get_scalar(ld, e, "name", false, &x->name_n);
	if (r < 0)
		return r;
	if (vg_hashmap_get_str(names, x->name_n->text))
		return ERR(ld, x->name_n,
			   "Exceptions names in the same object must "
			   "be unique ('%.64s')",
			   x->name_n->text);
	{
		static const char *const keys[] = {"name", "fields", "comps", "values"};

		for (size_t j = 0; j < e->n; j++) {
			const struct vg_yaml_node *k = e->pairs[j].key;
			bool known = false;

			for (size_t q = 0; q < VG_ARRAY_SIZE(keys); q++)
				known |= vg_yaml_scalar_is(k, keys[q]);
			if (!known)
				WARN(ld, k, "LOAD_UNKNOWN_KEY",
				     "Unknown exception key '%.64s' (ignored)",
				     k->kind == VG_YAML_SCALAR ? k->text : "?");
		}
	}
	x->node = e;
	x->ex.name = dup_scalar(ld, x->name_n);
	if (!x->ex.name)
		return oom(ld, e);
	x->ex.pos = pos_of(ld, e);
	f = vg_yaml_map_get(e, "fields");
	if (f) {
		r = read_str_or_list(ld, f, "fields", &x->ex.fields, &x->ex.n_fields,
				     &x->ex.single_field);
		if (r < 0)
			return r;
		x->has_fields = true;
	} else if (!update) {
		return ERRV(ld, e,
			    "Rule exception item must have fields property with a "
			    "list of fields");
	}
	cm = vg_yaml_map_get(e, "comps");
	if (cm) {
		r = read_str_or_list(ld, cm, "comps", &x->ex.comps, &x->ex.n_comps,
				     &x->comps_single);
		if (r < 0)
			return r;
		x->has_comps = true;
	}
	x->vals = vg_yaml_map_get(e, "values");
	if (x->vals && vg_yaml_is_null(x->vals))
		x->vals = NULL;
	if (!x->vals && update)
		WARN(ld, e, "LOAD_APPEND_NO_VALUES",
		     "Overriding/appending exception with no values");
	r = vg_hashmap_put_str(names, x->ex.name, x);
	return r < 0 ? oom(ld, e) : 0;
}

static int read_exceptions_into(struct loader *ld, const struct vg_yaml_node *exs, bool update,
				struct exc_read *out, struct exc_read **ret, size_t *ret_n)
{
	struct vg_hashmap names;
	int r = 0;

	vg_hashmap_init(&names, VG_HASHMAP_STRING, 0, NULL);
	for (size_t i = 0; i < exs->n && r >= 0; i++) {
		r = read_one_exception(ld, exs->items[i], update, &names, &out[*ret_n]);
		if (r >= 0)
			(*ret_n)++;
	}
	vg_hashmap_done(&names);
	if (r < 0)
		return r;
	*ret = out;
	return 0;
}

/* Reads a rule's exceptions key into ret (arena). update: for append/override (fields and
 * values optional, checked against the existing rule). */
static int read_exceptions(struct loader *ld, const struct vg_yaml_node *item, bool update,
			   struct exc_read **ret, size_t *ret_n)
{
	const struct vg_yaml_node *exs = vg_yaml_map_get(item, "exceptions");
	struct exc_read *out;

	*ret = NULL;
	*ret_n = 0;
	if (!exs || vg_yaml_is_null(exs))
		return 0;
	if (exs->kind != VG_YAML_SEQ)
		return ERR(ld, exs, "Rule exceptions must be a sequence");
	out = vg_arena_calloc(&ld->c->arena, exs->n + 1, sizeof(*out));
	if (!out)
		return oom(ld, exs);
	return read_exceptions_into(ld, exs, update, out, ret, ret_n);
}
/* Values read once the exception's shape (single or tuple) is known. */
static int exc_values(struct loader *ld, struct exc_read *x, struct vg_rule_exception *into)
{
	struct vg_list_item **rows = NULL, **all;
	size_t n = 0, first = into->n_values;
	int r;

	if (!x->vals)
		return 0;
	r = read_values(ld, x->vals, into->single_field, &rows, &n);
	if (r < 0)
		return r;
	all = vg_arena_calloc(&ld->c->arena, first + n + 1, sizeof(*all));
	if (!all)
		return oom(ld, x->vals);
	if (first)
		memcpy(all, into->values, first * sizeof(*all));
	if (n)
		memcpy(all + first, rows, n * sizeof(*all));
	into->values = all;
	into->n_values = first + n;
	return check_rows(ld, x->vals, into, first);
}

static int define_exceptions(struct loader *ld, struct exc_read *xs, size_t n,
			     struct vg_rule_def *rule)
{
	struct vg_rule_exception *out = vg_arena_calloc(&ld->c->arena, n + 1, sizeof(*out));

	if (!out)
		return oom(ld, NULL);
	for (size_t i = 0; i < n; i++) {
		int r;

		if (!xs[i].has_fields)
			return ERRV(ld, xs[i].node,
				    "Rule exception must have fields property with "
				    "a list of fields");
		out[i] = xs[i].ex;
		out[i].values = NULL;
		out[i].n_values = 0;
		r = finish_exception(ld, xs[i].node, &out[i], xs[i].has_comps, xs[i].comps_single);
		if (r < 0)
			return r;
		r = exc_values(ld, &xs[i], &out[i]);
		if (r < 0)
			return r;
	}
	rule->exceptions = out;
	rule->n_exceptions = n;
	return 0;
}

/* override exceptions: append — values join an existing exception of the same name, new
 * names are added (Falco's collector::append). */
static int append_exceptions(struct loader *ld, struct exc_read *xs, size_t n,
			     struct vg_rule_def *rule)
{
	struct vg_rule_exception *all;
	struct vg_hashmap by_name;
	size_t k = rule->n_exceptions;
	int r = 0;

	all = vg_arena_calloc(&ld->c->arena, k + n + 1, sizeof(*all));
	if (!all)
		return oom(ld, NULL);
	if (k)
		memcpy(all, rule->exceptions, k * sizeof(*all));
	vg_hashmap_init(&by_name, VG_HASHMAP_STRING, 0, NULL);
	for (size_t j = 0; j < k && r >= 0; j++)
		if (vg_hashmap_put_str(&by_name, all[j].name, &all[j]) < 0)
			r = oom(ld, NULL);
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct vg_rule_exception *prev = vg_hashmap_get_str(&by_name, xs[i].ex.name);

		if (prev) {
			if (xs[i].has_fields)
				r = ERRV(ld, xs[i].node,
					 "Can not append exception fields to "
					 "existing exception, only values");
			else if (xs[i].has_comps)
				r = ERRV(ld, xs[i].node,
					 "Can not append exception comps to "
					 "existing exception, only values");
			else
				r = exc_values(ld, &xs[i], prev);
			continue;
		}
		if (!xs[i].has_fields) {
			r = ERRV(ld, xs[i].node,
				 "Rule exception must have fields property with a "
				 "list of fields");
			continue;
		}
		if (!xs[i].vals) {
			r = ERRV(ld, xs[i].node,
				 "Rule exception must have values property with a "
				 "list of values");
			continue;
		}
		all[k] = xs[i].ex;
		all[k].values = NULL;
		all[k].n_values = 0;
		r = finish_exception(ld, xs[i].node, &all[k], xs[i].has_comps, xs[i].comps_single);
		if (r >= 0)
			r = exc_values(ld, &xs[i], &all[k]);
		if (r >= 0 && vg_hashmap_put_str(&by_name, all[k].name, &all[k]) < 0)
			r = oom(ld, NULL);
		k++;
	}
	vg_hashmap_done(&by_name);
	if (r < 0)
		return r;
	rule->exceptions = all;
	rule->n_exceptions = k;
	return 0;
}

/* ---- rules ---------------------------------------------------------------------------- */

static int read_tags(struct loader *ld, const struct vg_yaml_node *item, const char ***ret,
		     size_t *ret_n)
{
	const struct vg_yaml_node *v = vg_yaml_map_get(item, "tags");
	const char **tags;

	*ret = NULL;
	*ret_n = 0;
	if (!v)
		return 0;
	if (vg_yaml_is_null(v))
		return 0;
	if (v->kind != VG_YAML_SEQ)
		return ERR(ld, v, "Value for key 'tags' is not a sequence");
	tags = vg_arena_calloc(&ld->c->arena, v->n + 1, sizeof(*tags));
	if (!tags)
		return oom(ld, v);
	for (size_t i = 0; i < v->n; i++) {
		const struct vg_yaml_node *e = v->items[i];

		if (e->kind != VG_YAML_SCALAR || vg_yaml_is_null(e))
			return ERR(ld, e, "Tags must be strings");
		tags[i] = dup_scalar(ld, e);
		if (!tags[i])
			return oom(ld, e);
	}
	*ret = tags;
	*ret_n = v->n;
	return 0;
}

/* a + b without duplicates, first occurrence kept (Falco keeps tags in a set). */
static int merge_tags(struct loader *ld, const char **a, size_t na, const char **b, size_t nb,
		      const char ***ret, size_t *ret_n)
{
	struct vg_hashmap seen;
	const char **out;
	size_t n = 0;
	int r = 0;

	out = vg_arena_calloc(&ld->c->arena, na + nb + 1, sizeof(*out));
	if (!out)
		return oom(ld, NULL);
	vg_hashmap_init(&seen, VG_HASHMAP_STRING, 0, NULL);
	for (size_t i = 0; i < na + nb; i++) {
		const char *t = i < na ? a[i] : b[i - na];

		if (vg_hashmap_get_str(&seen, t))
			continue;
		r = vg_hashmap_put_str(&seen, t, (void *)t);
		if (r < 0)
			break;
		out[n++] = t;
	}
	vg_hashmap_done(&seen);
	if (r < 0)
		return oom(ld, NULL);
	*ret = out;
	*ret_n = n;
	return 0;
}

static int read_output(struct loader *ld, const struct vg_yaml_node *v, struct vg_cond_src *ret)
{
	size_t a = 0, b = v->len;
	int r;

	/* Falco trims the output */
	while (a < b && strchr(" \t\r\n\v\f", v->text[a]))
		a++;
	while (b > a && strchr(" \t\r\n\v\f", v->text[b - 1]))
		b--;
	if (b - a > VG_COND_LEN_MAX)
		return ERR(ld, v, "Output longer than %u bytes", VG_COND_LEN_MAX);
	r = vg_cond_src_build(&ld->c->arena, &ld->map, v, a, b - a, ret);
	return r < 0 ? oom(ld, v) : 0;
}

static int read_priority(struct loader *ld, const struct vg_yaml_node *item, enum vg_priority *ret)
{
	const struct vg_yaml_node *v;
	int r = get_scalar(ld, item, "priority", false, &v), p;

	if (r < 0)
		return r;
	p = vg_priority_parse(v->text);
	if (p < 0)
		return ERR(ld, v, "Invalid priority '%.64s'", v->text);
	*ret = (enum vg_priority)p;
	return 0;
}

static const char *const rule_keys[] = {
	"rule",
	"desc",
	"condition",
	"output",
	"priority",
	"source",
	"tags",
	"enabled",
	"exceptions",
	"warn_evttypes",
	"skip-if-unknown-filter",
	"capture",
	"capture_duration",
	"append",
	"override",
};

/* The flags every form may set (define, override replace). */
static int read_rule_flags(struct loader *ld, const struct vg_yaml_node *item, unsigned only,
			   struct vg_rule_def *r)
{
	bool set;
	int e;

	if (only & KB(K_ENABLED)) {
		e = get_bool(ld, item, "enabled", true, &r->enabled, &set);
		if (e < 0)
			return e;
	}
	if (only & KB(K_WARN_EVTTYPES)) {
		e = get_bool(ld, item, "warn_evttypes", true, &r->warn_evttypes, &set);
		if (e < 0)
			return e;
	}
	if (only & KB(K_SKIP_UNKNOWN)) {
		e = get_bool(ld, item, "skip-if-unknown-filter", true, &r->skip_if_unknown_filter,
			     &set);
		if (e < 0)
			return e;
	}
	if (only & KB(K_CAPTURE)) {
		e = get_bool(ld, item, "capture", true, &r->capture, &set);
		if (e < 0)
			return e;
	}
	if (only & KB(K_CAPTURE_DURATION)) {
		e = get_uint(ld, item, "capture_duration", &r->capture_duration_ms, &set);
		if (e < 0)
			return e;
	}
	return 0;
}

static int check_source(struct loader *ld, const struct vg_yaml_node *item,
			const struct vg_rule_def *prev)
{
	const struct vg_yaml_node *s;
	int r = get_scalar(ld, item, "source", true, &s);

	if (r < 0)
		return r;
	if (s && strcmp(s->text, prev->source) != 0)
		return ERRV(ld, s,
			    "Rule has been re-defined with a different source ('%.64s', "
			    "was '%.64s')",
			    s->text, prev->source);
	return 0;
}

static int define_rule(struct loader *ld, const struct vg_yaml_node *item,
		       const struct vg_yaml_node *name_n)
{
	const struct vg_yaml_node *cond_n, *out_n, *desc_n, *src_n;
	struct vg_rule_def *prev, *r, tmp = {0};
	struct exc_read *xs;
	size_t n_xs;
	int e;

	e = get_scalar(ld, item, "condition", false, &cond_n);
	if (e < 0)
		return e;
	e = get_scalar(ld, item, "output", false, &out_n);
	if (e < 0)
		return e;
	e = get_scalar(ld, item, "desc", false, &desc_n);
	if (e < 0)
		return e;
	e = read_priority(ld, item, &tmp.priority);
	if (e < 0)
		return e;
	e = get_scalar(ld, item, "source", true, &src_n);
	if (e < 0)
		return e;
	tmp.enabled = true;
	tmp.warn_evttypes = true;
	e = read_rule_flags(ld, item, RULE_REPLACEABLE, &tmp);
	if (e < 0)
		return e;
	e = read_tags(ld, item, &tmp.tags, &tmp.n_tags);
	if (e < 0)
		return e;
	if (tmp.n_tags > 1) {
		e = merge_tags(ld, tmp.tags, tmp.n_tags, NULL, 0, &tmp.tags, &tmp.n_tags);
		if (e < 0)
			return e;
	}
	e = read_exceptions(ld, item, false, &xs, &n_xs);
	if (e < 0)
		return e;
	e = define_exceptions(ld, xs, n_xs, &tmp);
	if (e < 0)
		return e;
	e = read_cond(ld, cond_n, &tmp.cond);
	if (e < 0)
		return e;
	e = read_output(ld, out_n, &tmp.output_src);
	if (e < 0)
		return e;
	tmp.output = tmp.output_src.text;
	tmp.output_pos = tmp.output_src.pos;
	tmp.desc = dup_scalar(ld, desc_n);
	tmp.source = src_n ? dup_scalar(ld, src_n) : "syscall";
	tmp.pos = pos_of(ld, item);
	if (!tmp.desc || !tmp.source)
		return oom(ld, item);

	prev = vg_hashmap_get_str(&ld->c->rule_by_name, name_n->text);
	if (prev) {
		if (strcmp(prev->source, tmp.source) != 0)
			return ERRV(ld, src_n ? src_n : item,
				    "Rule has been re-defined with a different source ('%.64s', "
				    "was '%.64s')",
				    tmp.source, prev->source);
		/* a redefinition replaces the rule and keeps its position (Falco) */
		tmp.name = prev->name;
		tmp.index = prev->index;
		*prev = tmp;
		return 0;
	}
	r = vg_arena_calloc(&ld->c->arena, 1, sizeof(*r));
	if (!r)
		return oom(ld, item);
	*r = tmp;
	r->name = dup_scalar(ld, name_n);
	if (!r->name)
		return oom(ld, item);
	r->index = (unsigned)ld->c->rules.len;
	return add_named(ld, item, &ld->c->rules, &ld->c->rule_by_name, r->name, r);
}

/* append: true (deprecated): condition, output and exceptions are appended. */
static int append_rule(struct loader *ld, const struct vg_yaml_node *item,
		       const struct vg_yaml_node *name_n, struct vg_rule_def *prev)
{
	const struct vg_yaml_node *cond_n, *out_n;
	struct vg_rule_def upd;
	struct exc_read *xs;
	size_t n_xs;
	int e;

	if (!prev)
		return ERRV(ld, name_n,
			    "Rule uses 'append' or 'override.<key>: append' but no rule "
			    "by that name already exists");
	e = check_source(ld, item, prev);
	if (e < 0)
		return e;
	e = get_scalar(ld, item, "condition", true, &cond_n);
	if (e < 0)
		return e;
	e = get_scalar(ld, item, "output", true, &out_n);
	if (e < 0)
		return e;
	e = read_exceptions(ld, item, true, &xs, &n_xs);
	if (e < 0)
		return e;
	if (!cond_n && !out_n && !vg_yaml_map_get(item, "exceptions"))
		return ERRV(ld, item,
			    "Appended rule must have exceptions, condition or output "
			    "property");
	for (int k = K_DESC; k < K_ITEMS; k++)
		if (k != K_EXCEPTIONS && vg_yaml_map_get(item, key_names[k]))
			WARN(ld, vg_yaml_map_get(item, key_names[k]), "LOAD_IGNORED_KEY",
			     "Key '%s' is ignored when appending with 'append: true'; use "
			     "'override' to replace it",
			     key_names[k]);
	/* Work on a copy: the rule changes only when the whole item is valid. */
	upd = *prev;
	if (cond_n) {
		struct vg_cond_src c;

		e = read_cond(ld, cond_n, &c);
		if (e < 0)
			return e;
		e = append_text(ld, cond_n, &upd.cond, &c);
		if (e < 0)
			return e;
	}
	if (out_n) {
		struct vg_cond_src o;

		e = read_output(ld, out_n, &o);
		if (e < 0)
			return e;
		if (o.len) {
			e = append_text(ld, out_n, &upd.output_src, &o);
			if (e < 0)
				return e;
			upd.output = upd.output_src.text;
		}
	}
	e = append_exceptions(ld, xs, n_xs, &upd);
	if (e < 0)
		return e;
	*prev = upd;
	return 0;
}

static int override_rule(struct loader *ld, const struct vg_yaml_node *item,
			 const struct vg_yaml_node *name_n, struct vg_rule_def *prev,
			 unsigned ov_append, unsigned ov_replace)
{
	unsigned defined = 0;
	struct vg_rule_def upd;
	struct exc_read *xs = NULL;
	size_t n_xs = 0;
	int e;

	for (int k = 0; k < K_ITEMS; k++)
		if (vg_yaml_map_get(item, key_names[k]))
			defined |= KB(k);
	for (int k = 0; k < K_ITEMS; k++) {
		const char *mode = (ov_append & KB(k)) ? "append" : "replace";

		if (((ov_append | ov_replace) & KB(k)) && !(defined & KB(k)))
			return ERR(ld, item,
				   "An %s override for '%s' was specified but '%s' is not "
				   "defined",
				   mode, key_names[k], key_names[k]);
		if ((defined & KB(k)) && !((ov_append | ov_replace) & KB(k)))
			return ERR(
				ld, vg_yaml_map_get(item, key_names[k]),
				"Unexpected key '%s': no corresponding entry under 'override' is "
				"defined.",
				key_names[k]);
	}
	if (!prev)
		return ERRV(ld, name_n,
			    ov_append ? "Rule uses 'append' or 'override.<key>: append' but "
					"no rule by that name already exists"
				      : "An 'override.<key>: replace' to a rule was requested "
					"but no rule by that name already exists");
	e = check_source(ld, item, prev);
	if (e < 0)
		return e;
	if ((ov_append | ov_replace) & KB(K_EXCEPTIONS)) {
		e = read_exceptions(ld, item, true, &xs, &n_xs);
		if (e < 0)
			return e;
	}

	/* Work on a copy: the rule changes only when the whole item is valid. */
	upd = *prev;
	for (int k = K_CONDITION; k <= K_DESC; k++) {
		const struct vg_yaml_node *v;
		struct vg_cond_src *dst, src, tmp;

		if (!((ov_append | ov_replace) & KB(k)))
			continue;
		e = get_scalar(ld, item, key_names[k], false, &v);
		if (e < 0)
			return e;
		if (k == K_CONDITION) {
			e = read_cond(ld, v, &src);
			dst = &upd.cond;
		} else if (k == K_OUTPUT) {
			e = read_output(ld, v, &src);
			dst = &upd.output_src;
		} else {
			e = read_cond(ld, v, &src);
			tmp = (struct vg_cond_src){.text = upd.desc ? upd.desc : "",
						   .len = upd.desc ? strlen(upd.desc) : 0};
			dst = &tmp;
		}
		if (e < 0)
			return e;
		if (ov_append & KB(k)) {
			e = append_text(ld, v, dst, &src);
			if (e < 0)
				return e;
		} else {
			*dst = src;
		}
		if (k == K_DESC)
			upd.desc = dst->text;
		if (k == K_OUTPUT) {
			upd.output = upd.output_src.text;
			upd.output_pos = upd.output_src.pos;
		}
	}
	if ((ov_append | ov_replace) & KB(K_TAGS)) {
		const char **tags;
		size_t n;

		e = read_tags(ld, item, &tags, &n);
		if (e < 0)
			return e;
		if (ov_append & KB(K_TAGS))
			e = merge_tags(ld, upd.tags, upd.n_tags, tags, n, &upd.tags, &upd.n_tags);
		else
			e = merge_tags(ld, tags, n, NULL, 0, &upd.tags, &upd.n_tags);
		if (e < 0)
			return e;
	}
	if (ov_append & KB(K_EXCEPTIONS)) {
		e = append_exceptions(ld, xs, n_xs, &upd);
		if (e < 0)
			return e;
	} else if (ov_replace & KB(K_EXCEPTIONS)) {
		e = define_exceptions(ld, xs, n_xs, &upd);
		if (e < 0)
			return e;
	}
	if (ov_replace & KB(K_PRIORITY)) {
		e = read_priority(ld, item, &upd.priority);
		if (e < 0)
			return e;
	}
	e = read_rule_flags(ld, item, ov_replace, &upd);
	if (e < 0)
		return e;
	*prev = upd;
	return 0;
}

static int read_rule(struct loader *ld, const struct vg_yaml_node *item)
{
	const struct vg_yaml_node *name_n;
	struct vg_rule_def *prev;
	unsigned ov_append, ov_replace;
	bool append;
	int r;

	r = get_scalar(ld, item, "rule", false, &name_n);
	if (r < 0)
		return r;
	snprintf(ld->what, sizeof(ld->what), "rule '%.256s'", name_n->text);
	check_keys(ld, item, rule_keys, VG_ARRAY_SIZE(rule_keys));
	r = read_append_flag(ld, item, &append);
	if (r < 0)
		return r;
	r = read_override(ld, item, RULE_APPENDABLE, RULE_REPLACEABLE, &ov_append, &ov_replace);
	if (r < 0)
		return r;
	if (append && (ov_append | ov_replace))
		return ERR(ld, item, MSG_OVERRIDE_APPEND);
	prev = vg_hashmap_get_str(&ld->c->rule_by_name, name_n->text);
	if (ov_append | ov_replace)
		return override_rule(ld, item, name_n, prev, ov_append, ov_replace);
	if (append)
		return append_rule(ld, item, name_n, prev);
	if (!vg_yaml_map_get(item, "condition") && !vg_yaml_map_get(item, "output") &&
	    !vg_yaml_map_get(item, "desc") && !vg_yaml_map_get(item, "priority")) {
		bool enabled;

		/* the old standalone form: - rule: X / enabled: false */
		r = get_bool(ld, item, "enabled", false, &enabled, NULL);
		if (r < 0)
			return r;
		WARN(ld, vg_yaml_map_get(item, "enabled"), "LOAD_DEPRECATED_ITEM",
		     MSG_ENABLED_DEPRECATED);
		if (!prev)
			return ERRV(ld, name_n,
				    "Rule has 'enabled' key but no rule by that name "
				    "already exists");
		prev->enabled = enabled;
		return 0;
	}
	return define_rule(ld, item, name_n);
}

/* ---- files ---------------------------------------------------------------------------- */

static int read_item(struct loader *ld, const struct vg_yaml_node *item)
{
	ld->what[0] = '\0';
	if (item->kind != VG_YAML_MAP)
		return ERR(ld, item,
			   "Unexpected element type. Each element should be a yaml "
			   "associative array.");
	if (vg_yaml_map_get(item, "required_engine_version"))
		return read_engine_version(ld, item);
	if (vg_yaml_map_get(item, "required_plugin_versions"))
		return read_plugin_versions(ld, item);
	if (vg_yaml_map_get(item, "list"))
		return read_list(ld, item);
	if (vg_yaml_map_get(item, "macro"))
		return read_macro(ld, item);
	if (vg_yaml_map_get(item, "rule"))
		return read_rule(ld, item);
	WARN(ld, item, "LOAD_UNKNOWN_ITEM", "Unknown top level item");
	return 0;
}

/* "file:line:col: message" from the YAML adapter into a diagnostic. */
static void yaml_error(struct loader *ld, const char *err, int r)
{
	struct vg_srcpos pos = {.file = ld->file};
	size_t fl = strlen(ld->file);
	const char *p = err;

	if (strncmp(err, ld->file, fl) == 0 && err[fl] == ':') {
		char *end;
		unsigned long line = strtoul(err + fl + 1, &end, 10), col = 0;

		if (*end == ':') {
			col = strtoul(end + 1, &end, 10);
			if (*end == ':') {
				pos.line = (unsigned)line;
				pos.col = (unsigned)col;
				p = end + 1;
				while (*p == ' ')
					p++;
			}
		}
	}
	vg_diag_add(ld->d, VG_DIAG_ERROR, &pos, NULL,
		    r == -E2BIG ? "LOAD_ERR_LIMIT" : "LOAD_ERR_YAML_PARSE", "%s", p);
}

int vg_rules_load_buffer(struct vg_rules_collection *c, const char *name, const char *buf,
			 size_t len, struct vg_diags *d)
{
	cleanup_yaml_stream struct vg_yaml_stream *s = NULL;
	struct loader ld = {.c = c, .d = d};
	char err[512] = "";
	char *file;
	int r;

	file = vg_arena_strdup(&c->arena, name ? name : "<input>");
	if (!file)
		return vg_arena_error(&c->arena) ?: -ENOMEM;
	ld.file = file;
	r = vg_vec_push(&c->files, &file);
	if (r < 0) {
		diag(&ld, VG_DIAG_ERROR, NULL, "LOAD_ERR_LIMIT", "more than %d rules files",
		     VG_RULE_FILES_MAX);
		return r;
	}
	if (len > VG_RULE_FILE_MAX) {
		diag(&ld, VG_DIAG_ERROR, NULL, "LOAD_ERR_LIMIT", "file larger than %u bytes",
		     VG_RULE_FILE_MAX);
		return -E2BIG;
	}
	r = vg_yaml_parse(buf, len, file, &s, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOMEM && !err[0])
			return r;
		yaml_error(&ld, err[0] ? err : "invalid YAML", r);
		return r == -E2BIG || r == -ENOMEM ? r : -EBADMSG;
	}
	r = vg_src_map_init(&ld.map, file, buf, len);
	if (r < 0)
		return r;
	for (size_t i = 0; i < s->n_docs && r >= 0; i++) {
		const struct vg_yaml_node *doc = s->docs[i];

		if (!doc || vg_yaml_is_null(doc))
			continue;
		ld.what[0] = '\0';
		if (doc->kind != VG_YAML_SEQ) {
			r = ERR(&ld, doc,
				doc->kind == VG_YAML_MAP
					? "Rules content is not yaml array of objects"
					: "Rules content is not yaml");
			break;
		}
		for (size_t j = 0; j < doc->n && r >= 0; j++)
			if (!vg_yaml_is_null(doc->items[j]))
				r = read_item(&ld, doc->items[j]);
	}
	vg_src_map_done(&ld.map);
	return r < 0 ? r : 0;
}

static int load_file(struct vg_rules_collection *c, const char *path, struct vg_diags *d)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	int r;

	r = vg_read_file(path, VG_RULE_FILE_MAX, &buf, &len);
	if (r < 0) {
		struct vg_srcpos pos = {.file = NULL};
		const char *file = vg_arena_strdup(&c->arena, path);

		pos.file = file ? file : "<file>";
		if (r == -E2BIG)
			vg_diag_add(d, VG_DIAG_ERROR, &pos, NULL, "LOAD_ERR_FILE_READ",
				    "file larger than %u bytes", VG_RULE_FILE_MAX);
		else
			vg_diag_add(d, VG_DIAG_ERROR, &pos, NULL, "LOAD_ERR_FILE_READ",
				    "cannot read: %s", strerror(-r));
		return r;
	}
	return vg_rules_load_buffer(c, path, buf, len, d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_rules_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.')
		return false;
	return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) ||
	       (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

static void free_names(struct vg_vec *v)
{
	vg_vec_for_each(char *, p, v)
		free(*p);
	vg_vec_done(v);
}

int vg_rules_load_path(struct vg_rules_collection *c, const char *path, struct vg_diags *d)
{
	struct vg_vec names = VG_VEC_INIT(char *, VG_RULE_FILES_MAX);
	struct stat st;
	DIR *dir;
	struct dirent *de;
	int r = 0, ret = 0;

	if (stat(path, &st) < 0) {
		r = -errno;
		return load_file(c, path, d) ?: r; /* reports the error with the path */
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(c, path, d);

	dir = opendir(path);
	if (!dir) {
		r = -errno;
		return load_file(c, path, d) ?: r;
	}
	while ((de = readdir(dir))) {
		char *full;
		struct stat fst;

		if (!is_rules_name(de->d_name))
			continue;
		if (asprintf(&full, "%s/%s", path, de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		if (stat(full, &fst) < 0 || !S_ISREG(fst.st_mode)) {
			free(full);
			continue;
		}
		r = vg_vec_push(&names, &full);
		if (r < 0) {
			struct vg_srcpos pos = {.file = "<dir>"};

			free(full);
			vg_diag_add(d, VG_DIAG_ERROR, &pos, NULL, "LOAD_ERR_LIMIT",
				    "%s: more than %d rules files", path, VG_RULE_FILES_MAX);
			break;
		}
	}
	closedir(dir);
	if (r < 0) {
		free_names(&names);
		return r;
	}
	vg_vec_sort(&names, cmp_str);
	/* every file is loaded, so one run reports the errors of all of them */
	vg_vec_for_each(char *, p, &names) {
		r = load_file(c, *p, d);
		if (r == -ENOMEM) {
			ret = r;
			break;
		}
		if (r < 0 && ret == 0)
			ret = r;
	}
	free_names(&names);
	return ret;
}
