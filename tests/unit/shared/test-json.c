/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "basic/limits.h"
#include "shared/json.h"
#include "tap.h"

static int parse(const char *s, json_t **ret, char *err, size_t errsize)
{
	return vg_json_parse(s, strlen(s), ret, err, errsize);
}

TEST(parse_ok)
{
	cleanup_json json_t *j = NULL;
	char err[256];

	ASSERT_OK(parse("{\"a\": 1, \"b\": [true, null, \"x\"]}", &j, err, sizeof(err)));
	ASSERT_TRUE(json_is_object(j));
	ASSERT_STREQ(err, "");
}

TEST(parse_not_nul_terminated)
{
	cleanup_json json_t *j = NULL;
	const char buf[] = {'[', '1', ']', 'x', 'x'};

	ASSERT_OK(vg_json_parse(buf, 3, &j, NULL, 0));
	ASSERT_EQ(json_array_size(j), 1u);
}

TEST(parse_errors)
{
	json_t *j = NULL;
	char err[256];

	ASSERT_ERR(parse("{\"a\": }", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "line 1 col"));
	ASSERT_ERR(parse("{\n  \"a\": 1,\n  \"b\" 2\n}", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_TRUE(strncmp(err, "line 3 col ", 11) == 0);
	ASSERT_ERR(parse("", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_ERR(parse("[1] [2]", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_ERR(parse("42", &j, err, sizeof(err)), -EBADMSG); /* documents only */
	ASSERT_ERR(parse("[\"a\\u0000b\"]", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_ERR(vg_json_parse("[\"\xff\"]", 5, &j, err, sizeof(err)), -EBADMSG);
	ASSERT_ERR(vg_json_parse(NULL, 1, &j, err, sizeof(err)), -EINVAL);
	ASSERT_NULL(j);
	/* tiny error buffer is fine */
	ASSERT_ERR(parse("{", &j, err, 4), -EBADMSG);
	ASSERT_EQ(strlen(err), 3u);
}

TEST(duplicate_keys_rejected)
{
	json_t *j = NULL;
	char err[256];

	ASSERT_ERR(parse("{\"Image\": \"a\", \"Image\": \"b\"}", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err, "duplicate"));
	ASSERT_ERR(parse("{\"x\": {\"k\": 1, \"k\": 1}}", &j, err, sizeof(err)), -EBADMSG);
	ASSERT_NULL(j);
}

static char *nested(size_t depth, const char *open, const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc(depth * (lo + lc) + 1), *p = s;

	if (!s)
		return NULL;
	for (size_t i = 0; i < depth; i++, p += lo)
		memcpy(p, open, lo);
	for (size_t i = 0; i < depth; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

TEST(depth_limit)
{
	cleanup_free char *ok = nested(VG_JSON_DEPTH_MAX, "[", "]");
	cleanup_free char *deep = nested(VG_JSON_DEPTH_MAX + 1, "[", "]");
	cleanup_free char *deep_obj = nested(VG_JSON_DEPTH_MAX + 1, "{\"a\":", "}");
	cleanup_free char *very_deep = nested(100000, "[", "]");
	json_t *j = NULL;
	char err[256];

	ASSERT_OK(parse(ok, &j, err, sizeof(err)));
	json_decref(j);
	j = NULL;
	ASSERT_ERR(parse(deep, &j, err, sizeof(err)), -E2BIG);
	ASSERT_STREQ(err, "line 1 col 257: nesting deeper than 256 levels");
	ASSERT_ERR(parse(deep_obj, &j, err, sizeof(err)), -E2BIG);
	ASSERT_ERR(parse(very_deep, &j, err, sizeof(err)), -E2BIG);
	ASSERT_NULL(j);
	/* brackets inside strings do not count, escaped quotes do not end strings */
	{
		cleanup_free char *s = malloc(2000);

		strcpy(s, "[\"\\\"");
		memset(s + 4, '[', 1000);
		strcpy(s + 1004, "\"]");
		ASSERT_OK(parse(s, &j, err, sizeof(err)));
		json_decref(j);
	}
	{
		unsigned line = 0, col = 0;

		ASSERT_ERR(vg_json_depth_check("[\n [\n  [", 8, 2, &line, &col), -E2BIG);
		ASSERT_EQ(line, 3u);
		ASSERT_EQ(col, 3u);
		ASSERT_OK(vg_json_depth_check("[[]][[]]", 8, 2, NULL, NULL));
	}
}

TEST(size_limit)
{
	json_t *j = NULL;
	char err[128];

	/* the size check happens before the buffer is read */
	ASSERT_ERR(vg_json_parse("[]", (size_t)VG_JSON_DOC_MAX + 1, &j, err, sizeof(err)), -E2BIG);
	ASSERT_NOT_NULL(strstr(err, "larger than"));
}

static const char *doc =
	"{\"Id\": \"abc\", \"Pid\": 1234, \"Neg\": -5, \"Big\": 9007199254740993,"
	" \"Priv\": true, \"Null\": null, \"Flt\": 1.5,"
	" \"Config\": {\"Labels\": {\"com.docker.compose.project\": \"p\", \"a\": \"b\"},"
	"   \"Env\": [\"A=1\", \"B=2\"]},"
	" \"Mounts\": [{\"Source\": \"/src\"}, {\"Source\": \"/src2\"}]}";

TEST(getters)
{
	cleanup_json json_t *j = NULL;
	int64_t i = 0;
	uint64_t u = 0;
	bool b = false;

	ASSERT_OK(parse(doc, &j, NULL, 0));
	ASSERT_STREQ(vg_json_get_str(j, "Id"), "abc");
	ASSERT_NULL(vg_json_get_str(j, "Pid"));
	ASSERT_NULL(vg_json_get_str(j, "Missing"));
	ASSERT_NULL(vg_json_get_str(j, "Null"));
	ASSERT_NULL(vg_json_get_str(NULL, "Id"));
	ASSERT_NULL(vg_json_get_str(j, NULL));
	ASSERT_OK(vg_json_get_int(j, "Pid", &i));
	ASSERT_EQ(i, 1234);
	ASSERT_OK(vg_json_get_int(j, "Big", &i));
	ASSERT_EQ(i, 9007199254740993LL);
	ASSERT_ERR(vg_json_get_int(j, "Id", &i), -EBADMSG);
	ASSERT_ERR(vg_json_get_int(j, "Flt", &i), -EBADMSG);
	ASSERT_ERR(vg_json_get_int(j, "Null", &i), -ENOENT);
	ASSERT_ERR(vg_json_get_int(j, "Missing", &i), -ENOENT);
	ASSERT_OK(vg_json_get_u64(j, "Pid", &u));
	ASSERT_EQ(u, 1234u);
	ASSERT_ERR(vg_json_get_u64(j, "Neg", &u), -ERANGE);
	ASSERT_OK(vg_json_get_bool(j, "Priv", &b));
	ASSERT_TRUE(b);
	ASSERT_ERR(vg_json_get_bool(j, "Pid", &b), -EBADMSG);
	ASSERT_ERR(vg_json_get_bool(j, "Missing", &b), -ENOENT);
	ASSERT_NOT_NULL(vg_json_get_obj(j, "Config"));
	ASSERT_NULL(vg_json_get_obj(j, "Mounts"));
	ASSERT_NOT_NULL(vg_json_get_array(j, "Mounts"));
	ASSERT_NULL(vg_json_get_array(j, "Config"));
	/* getters on a non-object behave like an empty object */
	ASSERT_NULL(vg_json_get_str(vg_json_get_array(j, "Mounts"), "Source"));
	ASSERT_ERR(vg_json_get_int(vg_json_get_array(j, "Mounts"), "x", &i), -ENOENT);
}

TEST(path)
{
	cleanup_json json_t *j = NULL;
	json_t *labels;

	ASSERT_OK(parse(doc, &j, NULL, 0));
	labels = vg_json_path(j, "Config.Labels");
	ASSERT_TRUE(json_is_object(labels));
	ASSERT_STREQ(json_string_value(json_object_get(labels, "com.docker.compose.project")), "p");
	ASSERT_STREQ(json_string_value(vg_json_path(j, "Config.Labels.a")), "b");
	ASSERT_STREQ(json_string_value(vg_json_path(j, "Config.Env.1")), "B=2");
	ASSERT_STREQ(json_string_value(vg_json_path(j, "Mounts.1.Source")), "/src2");
	ASSERT_TRUE(vg_json_path(j, "Id") == json_object_get(j, "Id"));
	ASSERT_NULL(vg_json_path(j, "Mounts.2.Source"));
	ASSERT_NULL(vg_json_path(j, "Mounts.x"));
	ASSERT_NULL(vg_json_path(j, "Mounts.-1"));
	ASSERT_NULL(vg_json_path(j, "Config.Labels.missing"));
	ASSERT_NULL(vg_json_path(j, "Id.deeper"));
	ASSERT_NULL(vg_json_path(j, "Null"));
	ASSERT_NULL(vg_json_path(j, "Config..Labels"));
	ASSERT_NULL(vg_json_path(j, "Config."));
	ASSERT_NULL(vg_json_path(j, ".Config"));
	ASSERT_TRUE(vg_json_path(j, "") == j);
	ASSERT_NULL(vg_json_path(NULL, "a"));
	ASSERT_NULL(vg_json_path(j, NULL));
}

TEST(parse_file)
{
	json_t *j = NULL;
	char err[256];

	ASSERT_ERR(vg_json_parse_file("/nonexistent/x.json", &j, err, sizeof(err)), -ENOENT);
	ASSERT_ERR(vg_json_parse_file("/proc/self/status", &j, err, sizeof(err)), -EBADMSG);
}
