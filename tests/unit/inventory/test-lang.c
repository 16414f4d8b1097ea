/* SPDX-License-Identifier: Apache-2.0 */
/*
 * npm package.json, Python core metadata and Composer installed.json, on fixtures and on
 * what is installed on this machine (Python dist-info directories, npm's own node_modules),
 * where the directory names / `npm ls` give the independent answer.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/fileio.h"
#include "basic/limits.h"
#include "inventory/lang.h"
#include "inv-helper.h"
#include "tap.h"

#define S(x) x, sizeof(x) - 1

TEST(npm_package_json)
{
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_npm_package_json_parse(
			  S("{\"name\": \"@babel/core\", \"version\": \"7.23.2\", \"license\": "
			    "\"MIT\", \"dependencies\": {\"x\": \"^1\"}}"),
			  "usr/lib/node_modules/@babel/core/package.json", 1, &a, &list),
		  1);
	ASSERT_EQ(vg_npm_package_json_parse(S("{\"name\": \"lodash\", \"version\": \"4.17.21\", "
					      "\"license\": {\"type\": \"MIT\"}}"),
					    NULL, 1, &a, &list),
		  1);
	ASSERT_EQ(vg_npm_package_json_parse(S("{\"name\": \"old\", \"version\": \"1.0.0\", "
					      "\"licenses\": [{\"type\": \"BSD\"}]}"),
					    NULL, 1, &a, &list),
		  1);
	/* no version (workspace root): not a package */
	ASSERT_EQ(vg_npm_package_json_parse(S("{\"name\": \"root\", \"private\": true}"), NULL, 1,
					    &a, &list),
		  0);
	ASSERT_ERR(vg_npm_package_json_parse(S("{\"name\": "), NULL, 1, &a, &list), -EBADMSG);
	ASSERT_EQ(list.len, (size_t)3);

	p = vg_package_find(&list, "@babel/core", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->license, "MIT");
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:npm/%40babel/core@7.23.2");
	p = vg_package_find(&list, "lodash", NULL);
	ASSERT_STREQ(p->license, "MIT");
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:npm/lodash@4.17.21");
	ASSERT_STREQ(vg_package_find(&list, "old", NULL)->license, "BSD");
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(python_metadata)
{
	static const char metadata[] = "Metadata-Version: 2.1\r\n"
				       "Name: Jinja2\r\n"
				       "Version: 3.1.2\r\n"
				       "Summary: A very fast and expressive template engine.\r\n"
				       "License: BSD-3-Clause\r\n"
				       "Classifier: License :: OSI Approved :: BSD License\r\n"
				       "Requires-Dist: MarkupSafe (>=2.0)\r\n"
				       "\r\n"
				       "Name: not-a-header\r\n"
				       "Version: 9\r\n";
	static const char pkg_info[] = "Metadata-Version: 1.1\n"
				       "Name: zope.interface_x\n"
				       "Version: 5.4.0\n"
				       "License: UNKNOWN\n"
				       "Description: multi\n"
				       "        line\n";
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_python_metadata_parse(S(metadata), "x/Jinja2-3.1.2.dist-info/METADATA", 0, &a,
					   &list),
		  1);
	ASSERT_EQ(vg_python_metadata_parse(S(pkg_info), NULL, 0, &a, &list), 1);
	ASSERT_EQ(vg_python_metadata_parse(S("Name: x\n"), NULL, 0, &a, &list), 0);
	ASSERT_EQ(vg_python_metadata_parse(S("Metadata-Version: 2.4\nName: y\nVersion: 1\n"
					     "License: ignored\nLicense-Expression: MIT OR "
					     "Apache-2.0\n"),
					   NULL, 0, &a, &list),
		  1);
	p = vg_package_find(&list, "Jinja2", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "3.1.2");
	ASSERT_STREQ(p->license, "BSD-3-Clause");
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:pypi/jinja2@3.1.2");
	p = vg_package_find(&list, "zope.interface_x", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_NULL(p->license);
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:pypi/zope-interface-x@5.4.0");
	ASSERT_STREQ(vg_package_find(&list, "y", NULL)->license, "MIT OR Apache-2.0");
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(composer_installed)
{
	static const char v2[] =
		"{\"packages\": [{\"name\": \"monolog/monolog\", \"version\": \"2.9.1\", "
		"\"license\": [\"MIT\"]}, {\"name\": \"psr/log\", \"version\": \"1.1.4\"}, "
		"{\"name\": \"noversion/x\"}], \"dev\": true}";
	static const char v1[] = "[{\"name\": \"symfony/yaml\", \"version\": \"v5.4.0\"}]";
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_composer_installed_parse(S(v2), NULL, 0, &a, &list), 2);
	ASSERT_EQ(vg_composer_installed_parse(S(v1), NULL, 0, &a, &list), 1);
	ASSERT_ERR(vg_composer_installed_parse(S("{\"x\": 1}"), NULL, 0, &a, &list), -EBADMSG);
	p = vg_package_find(&list, "monolog/monolog", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->license, "MIT");
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:composer/monolog/monolog@2.9.1");
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(lang_purls)
{
	struct vg_arena a;
	struct vg_package go = {.ecosystem = VG_ECOSYSTEM_GOLANG,
				.name = "github.com/sirupsen/logrus",
				.version = "v1.9.3"};
	struct vg_package mvn = {.ecosystem = VG_ECOSYSTEM_MAVEN,
				 .name = "org.apache.logging.log4j:log4j-core",
				 .version = "2.14.1"};
	struct vg_package gem = {.ecosystem = VG_ECOSYSTEM_GEM, .name = "rails", .version = "7.0"};

	vg_arena_init(&a, 0);
	ASSERT_OK(vg_package_set_purl(&go, NULL, &a));
	ASSERT_STREQ(go.purl, "pkg:golang/github.com/sirupsen/logrus@v1.9.3");
	ASSERT_OK(vg_package_set_purl(&mvn, NULL, &a));
	ASSERT_STREQ(mvn.purl, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
	ASSERT_OK(vg_package_set_purl(&gem, NULL, &a));
	ASSERT_STREQ(gem.purl, "pkg:gem/rails@7.0");
	vg_arena_done(&a);
}

/* Every installed dist-info on this machine: "<name>-<version>.dist-info" is the truth. */
TEST(host_python_dist_info)
{
	glob_t g;
	size_t checked = 0;

	if (glob("/usr/lib/python3/dist-packages/*.dist-info/METADATA", 0, NULL, &g) != 0 ||
	    g.gl_pathc == 0) {
		globfree(&g);
		TEST_SKIP("no Debian Python dist-info directories on this machine");
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		cleanup_free char *buf = NULL, *dir = NULL;
		struct vg_arena a;
		struct vg_vec list;
		struct vg_package *p;
		char *base, *dash, *want_version;
		size_t len;

		ASSERT_OK(vg_read_file(g.gl_pathv[i], VG_INV_DB_MAX, &buf, &len));
		vg_arena_init(&a, 0);
		vg_package_list_init(&list);
		ASSERT_EQ(vg_python_metadata_parse(buf, len, g.gl_pathv[i], 0, &a, &list), 1);
		p = vg_vec_at(&list, 0);
		dir = strdup(g.gl_pathv[i]);
		ASSERT_NOT_NULL(dir);
		*strrchr(dir, '/') = '\0';
		base = strrchr(dir, '/') + 1;
		*strstr(base, ".dist-info") = '\0';
		dash = strrchr(base, '-');
		ASSERT_NOT_NULL(dash);
		want_version = dash + 1;
		ASSERT_STREQ(p->version, want_version);
		checked++;
		vg_vec_done(&list);
		vg_arena_done(&a);
	}
	tap_diag("checked %zu dist-info directories\n", checked);
	globfree(&g);
}

/* npm's own bundled dependencies against `npm ls --all --parseable --long`. */
TEST(host_npm_node_modules)
{
	cleanup_free char *out = NULL;
	size_t olen, checked = 0;
	int r;

	r = inv_sh("cd /usr/lib/node_modules/npm 2>/dev/null || exit 77; "
		   "find node_modules -name package.json -path '*/node_modules/*/package.json' "
		   "-not -path '*/node_modules/*/*/*/package.json' -o -name package.json "
		   "-path 'node_modules/@*/*/package.json' | LC_ALL=C sort | head -n 200",
		   NULL, &out, &olen);
	if (r == 77)
		TEST_SKIP("npm is not installed under /usr/lib/node_modules");
	ASSERT_EQ(r, 0);
	for (char *line = out, *eol; *line; line = eol + 1) {
		cleanup_free char *path = NULL, *buf = NULL, *want = NULL;
		struct vg_arena a;
		struct vg_vec list;
		size_t len, wl;

		eol = strchr(line, '\n');
		ASSERT_NOT_NULL(eol);
		*eol = '\0';
		ASSERT_TRUE(asprintf(&path, "/usr/lib/node_modules/npm/%s", line) > 0);
		ASSERT_OK(vg_read_file(path, VG_INV_DB_MAX, &buf, &len));
		vg_arena_init(&a, 0);
		vg_package_list_init(&list);
		r = vg_npm_package_json_parse(buf, len, path, 0, &a, &list);
		ASSERT_OK(r);
		/* node's own reading of the same file */
		ASSERT_EQ(
			inv_sh("node -e 'const p=require(process.argv[1]); "
			       "process.stdout.write(p.name && p.version ? p.name+\"@\"+p.version : "
			       "\"\")' \"$1\"",
			       path, &want, &wl),
			0);
		if (r == 1) {
			struct vg_package *p = vg_vec_at(&list, 0);
			char got[1024];

			(void)snprintf(got, sizeof(got), "%s@%s", p->name, p->version);
			ASSERT_STREQ(got, want);
		} else {
			ASSERT_STREQ("", want);
		}
		checked++;
		vg_vec_done(&list);
		vg_arena_done(&a);
	}
	ASSERT_GT(checked, (size_t)10);
	tap_diag("checked %zu package.json files against node\n", checked);
}

TEST(gemspec)
{
	/* shape of the specifications/<gem>.gemspec files RubyGems 3 writes */
	static const char rake[] =
		"# -*- encoding: utf-8 -*-\n"
		"# stub: rake 13.0.6 ruby lib\n"
		"\n"
		"Gem::Specification.new do |s|\n"
		"  s.name = \"rake\".freeze\n"
		"  s.version = \"13.0.6\"\n"
		"\n"
		"  s.required_rubygems_version = Gem::Requirement.new(\">= 1.3.2\") if "
		"s.respond_to? :required_rubygems_version=\n"
		"  s.authors = [\"Hiroshi SHIBATA\".freeze, \"Eric Hodel\".freeze]\n"
		"  s.licenses = [\"MIT\".freeze]\n"
		"  s.rubygems_version = \"3.3.5\".freeze\n"
		"end\n";
	static const char old[] = "Gem::Specification.new do |spec|\n"
				  "  spec.name    = 'nokogiri'\n"
				  "  spec.version = Gem::Version.new('1.13.10')\n"
				  "  spec.license = 'MIT'\n"
				  "end\n";
	static const char stub_only[] = "# stub: bundler 2.4.22 ruby lib\n";
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_gemspec_parse(S(rake), "x/rake-13.0.6.gemspec", 0, &a, &list), 1);
	ASSERT_EQ(vg_gemspec_parse(S(old), NULL, 0, &a, &list), 1);
	ASSERT_EQ(vg_gemspec_parse(S(stub_only), NULL, 0, &a, &list), 1);
	ASSERT_EQ(vg_gemspec_parse(S("s.name == \"x\"\n"), NULL, 0, &a, &list), 0);
	p = vg_package_find(&list, "rake", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "13.0.6");
	ASSERT_STREQ(p->license, "MIT");
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:gem/rake@13.0.6");
	p = vg_package_find(&list, "nokogiri", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "1.13.10");
	ASSERT_STREQ(p->license, "MIT");
	ASSERT_STREQ(vg_package_find(&list, "bundler", NULL)->version, "2.4.22");
	vg_vec_done(&list);
	vg_arena_done(&a);
}
