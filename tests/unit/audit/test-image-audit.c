/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image facts (src/audit/image.c: config, history, layer paths, accounts) and the Dockle
 * rules (rules/audit/dockle.yaml) over the image source. Expected results are written from
 * the rule definitions: each rule once passing, once failing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/image.h"
#include "tap.h"

static struct vg_rules_collection coll;
static struct vg_ruleset *rs;

static const struct vg_ruleset *ruleset(void)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	struct vg_diags d;
	int r;

	if (rs)
		return rs;
	ASSERT_EQ(vg_audit_image_sources_register(), 0);
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	r = vg_audit_image_load_builtin(&coll, &d);
	if (r >= 0)
		r = vg_rules_compile(&coll, &o, &rs, &d);
	if (r < 0 || d.errors || d.warnings)
		vg_diags_print(&d, stdout);
	ASSERT_EQ(r, 0);
	ASSERT_EQ(d.errors, 0u);
	ASSERT_EQ(d.warnings, 0u);
	vg_diags_done(&d);
	return rs;
}

/* An image description: config JSON, account files, visible paths "MODE PATH" (octal). */
struct img {
	const char *config;
	const char *passwd, *group, *shadow;
	const char *const *paths;
	const char *tag;
	bool no_trust; /* DOCKER_CONTENT_TRUST not 1 */
};

/* A clean image: non-root user, healthcheck, a tag, no history findings. */
static const char *clean_config =
	"{\"os\": \"linux\", \"architecture\": \"amd64\", \"config\": {\"User\": \"app\", "
	"\"Env\": [\"PATH=/usr/bin\", \"GPG_KEY=ABCD\"], \"Healthcheck\": {\"Test\": "
	"[\"CMD\", \"true\"]}, \"Cmd\": [\"/app\"]}, \"history\": [{\"created_by\": "
	"\"/bin/sh -c #(nop) ADD file:abc in / \"}, {\"created_by\": \"/bin/sh -c #(nop)  CMD "
	"[\\\"/bin/sh\\\"]\", \"empty_layer\": true}]}";

static int load(struct vg_image_facts *f, const struct img *m, json_t **ret_j)
{
	json_error_t e;
	json_t *j = json_loads(m->config ? m->config : clean_config, 0, &e);
	int r;

	vg_image_facts_init(f);
	*ret_j = j;
	if (!j) {
		printf("# bad JSON: %s\n", e.text);
		return -EINVAL;
	}
	f->target = "archive:img.tar";
	f->ref = "img:1";
	f->tag = m->tag ? m->tag : "1";
	f->content_trust = !m->no_trust;
	r = vg_image_facts_config(f, j);
	if (r >= 0)
		r = vg_image_facts_accounts(f,
					    m->passwd ? m->passwd : "root:x:0:0::/root:/bin/sh\n",
					    m->group ? m->group : "root:x:0:\n",
					    m->shadow ? m->shadow : "root:!::0:::::\n");
	for (const char *const *p = m->paths; r >= 0 && p && *p; p++) {
		char *end;
		unsigned long mode = strtoul(*p, &end, 8);
		bool dir = *end == 'd';

		if (dir)
			end++;
		r = vg_image_facts_file(f, end + 1, (uint32_t)mode, dir, !dir);
	}
	return r;
}

static char buf[8192];

/* Rule codes (first word of the rule names) that fire, "A,B"; "" for none. */
static const char *fires(const struct img *m)
{
	struct vg_image_facts f;
	struct vg_audit_report rep;
	struct vg_audit_options o = {0};
	json_t *j = NULL;
	size_t len = 0;

	buf[0] = '\0';
	if (load(&f, m, &j) < 0) {
		snprintf(buf, sizeof(buf), "load error");
		goto out;
	}
	vg_audit_report_init(&rep, "image");
	if (vg_audit_image(ruleset(), &f, &o, &rep) < 0) {
		snprintf(buf, sizeof(buf), "audit error");
	} else {
		vg_vec_for_each(const struct vg_audit_finding, fd, &rep.findings) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%.*s",
						len ? "," : "", (int)strcspn(fd->rule->name, " "),
						fd->rule->name);
		}
	}
	vg_audit_report_done(&rep);
out:
	vg_image_facts_done(&f);
	json_decref(j);
	return buf;
}

#define F(want, ...) ASSERT_STREQ(fires(__VA_ARGS__), want)

static char cfg[8192];

/* The clean config with Config fields replaced (JSON members) and a history list. */
static const char *config_with(const char *config_members, const char *history)
{
	snprintf(cfg, sizeof(cfg),
		 "{\"config\": {%s}, \"history\": [{\"created_by\": \"/bin/sh -c #(nop) ADD "
		 "file:abc in / \"}%s%s]}",
		 config_members, history ? ", " : "", history ? history : "");
	return cfg;
}

#define RUN(s) "{\"created_by\": \"/bin/sh -c " s "\"}"
#define OKCFG  "\"User\": \"app\", \"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}"

TEST(clean_image_passes)
{
	F("", &(struct img){0});
}

TEST(config_rules)
{
	F("CIS-DI-0001",
	  &(struct img){
		  .config = config_with("\"Healthcheck\": {\"Test\": [\"CMD\", \"t\"]}", NULL)});
	F("CIS-DI-0001",
	  &(struct img){.config = config_with("\"User\": \"0:0\", \"Healthcheck\": {\"Test\": "
					      "[\"CMD\", \"t\"]}",
					      NULL)});
	F("CIS-DI-0001",
	  &(struct img){.config = config_with("\"User\": \"root:wheel\", \"Healthcheck\": "
					      "{\"Test\": [\"CMD\", \"t\"]}",
					      NULL)});
	F("",
	  &(struct img){.config = config_with("\"User\": \"1000:0\", \"Healthcheck\": {\"Test\": "
					      "[\"CMD\", \"t\"]}",
					      NULL)});
	F("CIS-DI-0005", &(struct img){.no_trust = true});
	F("CIS-DI-0006", &(struct img){.config = config_with("\"User\": \"app\"", NULL)});
	F("CIS-DI-0006",
	  &(struct img){.config = config_with("\"User\": \"app\", \"Healthcheck\": {\"Test\": "
					      "[\"NONE\"]}",
					      NULL)});
	F("CIS-DI-0010",
	  &(struct img){.config = config_with(OKCFG ", \"Env\": [\"DB_PASSWORD=x\"]", NULL)});
	F("CIS-DI-0010",
	  &(struct img){.config = config_with(OKCFG ", \"Env\": [\"aws_access_key_id=x\"]", NULL)});
	F("", &(struct img){.config = config_with(OKCFG ", \"Env\": [\"GPG_KEYS=x\", \"HOME=/\"]",
						  NULL)});
	F("DKL-DI-0002",
	  &(struct img){.config = config_with(OKCFG ", \"Volumes\": {\"/proc\": {}}", NULL)});
	F("", &(struct img){.config = config_with(OKCFG ", \"Volumes\": {\"/data\": {}}", NULL)});
	/* a token value under a harmless name: the secret scanner's github-pat rule */
	F("VG-IMG-0005",
	  &(struct img){.config = config_with(
				OKCFG
				", \"Env\": [\"CFG=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\"]",
				NULL)});
	F("VG-IMG-0005",
	  &(struct img){.config = config_with(
				OKCFG, RUN("echo ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d > /t"))});
	F("", &(struct img){.config = config_with(OKCFG ", \"Env\": [\"CFG=ghp_short\"]", NULL)});
	F("DKL-DI-0006", &(struct img){.tag = "latest"});
	F("VG-IMG-0001",
	  &(struct img){.config = config_with(OKCFG ", \"ExposedPorts\": {\"22/tcp\": {}}", NULL)});
	F("",
	  &(struct img){.config = config_with(OKCFG ", \"ExposedPorts\": {\"80/tcp\": {}}", NULL)});
}

TEST(history_rules)
{
	F("CIS-DI-0007", &(struct img){.config = config_with(OKCFG, RUN("apt-get update"))});
	F("", &(struct img){.config = config_with(OKCFG, RUN("apt-get update && apt-get install -y "
							     "x && rm -rf /var/lib/apt/lists/*"))});
	F("CIS-DI-0009",
	  &(struct img){.config = config_with(OKCFG, "{\"created_by\": \"ADD app.tar /app # "
						     "buildkit\"}")});
	F("", &(struct img){.config = config_with(OKCFG, "{\"created_by\": \"COPY app /app # "
							 "buildkit\"}")});
	F("DKL-DI-0001", &(struct img){.config = config_with(OKCFG, RUN("sudo make install"))});
	F("", &(struct img){.config = config_with(OKCFG, RUN("echo sudo"))});
	F("DKL-DI-0003",
	  &(struct img){.config = config_with(OKCFG, RUN("apt-get update && apt-get dist-upgrade "
							 "-y && rm -rf /var/lib/apt/lists"))});
	F("DKL-DI-0004", &(struct img){.config = config_with(OKCFG, RUN("apk add curl"))});
	F("", &(struct img){.config = config_with(OKCFG, RUN("apk add --no-cache curl"))});
	F("DKL-DI-0005",
	  &(struct img){.config = config_with(OKCFG, "{\"created_by\": \"RUN |1 V=2 /bin/sh -c "
						     "apt-get update && apt-get install -y x # "
						     "buildkit\"}")});
	F("VG-IMG-0004",
	  &(struct img){.config = config_with(OKCFG, RUN("curl -s https://x | sh"))});
	F("", &(struct img){.config = config_with(OKCFG, RUN("curl -s -o i https://x"))});
}

TEST(layer_rules)
{
	static const char *const suid[] = {"104755 bin/su", NULL};
	static const char *const sgid[] = {"102755 usr/bin/wall", NULL};
	static const char *const plain[] = {"100755 bin/sh", "40755d etc", "41777d tmp", NULL};
	static const char *const creds[] = {"100600 root/.ssh/id_rsa", NULL};
	static const char *const creds2[] = {"100600 home/a/.aws/credentials", NULL};
	static const char *const creds3[] = {"100644 app/keystore.jks", NULL};
	static const char *const creds4[] = {"100644 app/.npmrc", NULL};
	static const char *const nocred[] = {"100644 app/id_rsa.pub", "100644 app/.jks", NULL};
	static const char *const junk[] = {"100644 src/.git/config", NULL};
	static const char *const junk2[] = {"100644 app/Dockerfile", NULL};
	static const char *const vendored[] = {"100644 app/node_modules/x/.git/config", NULL};
	static const char *const sshd[] = {"100755 usr/sbin/sshd", NULL};
	static const char *const ww[] = {"100666 app/data", NULL};
	static const char *const wwdir[] = {"40777d app/uploads", NULL};
	static const char *const cache[] = {"100644 var/cache/apk/APKINDEX.abc.tar.gz", NULL};
	static const char *const cache2[] = {"100644 var/lib/apt/lists/deb_dists_Release", NULL};
	static const char *const nocache[] = {"100640 var/lib/apt/lists/lock",
					      "100644 var/cache/apt/archives/partial/x", NULL};

	F("CIS-DI-0008", &(struct img){.paths = suid});
	F("CIS-DI-0008", &(struct img){.paths = sgid});
	F("", &(struct img){.paths = plain});
	F("CIS-DI-0010", &(struct img){.paths = creds});
	F("CIS-DI-0010,DKL-LI-0003", &(struct img){.paths = creds2}); /* .aws/ too */
	F("CIS-DI-0010", &(struct img){.paths = creds3});
	F("CIS-DI-0010", &(struct img){.paths = creds4});
	F("", &(struct img){.paths = nocred});
	F("DKL-LI-0003", &(struct img){.paths = junk});
	F("DKL-LI-0003", &(struct img){.paths = junk2});
	F("", &(struct img){.paths = vendored});
	F("VG-IMG-0001", &(struct img){.paths = sshd});
	F("VG-IMG-0002", &(struct img){.paths = ww});
	F("VG-IMG-0002", &(struct img){.paths = wwdir});
	F("VG-IMG-0003", &(struct img){.paths = cache});
	F("VG-IMG-0003", &(struct img){.paths = cache2});
	F("", &(struct img){.paths = nocache});
}

TEST(account_rules)
{
	F("DKL-LI-0001", &(struct img){.shadow = "root:::0:::::\nbin:!::0:::::\n"});
	F("", &(struct img){.shadow = "root:*::0:::::\n# x\n\n"});
	F("DKL-LI-0002", &(struct img){.passwd = "root:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n"});
	F("DKL-LI-0002", &(struct img){.passwd = "root:x:0:0::/:/bin/sh\nroot:x:5:5::/:/bin/sh\n"});
	F("DKL-LI-0002", &(struct img){.group = "root:x:0:\nwheel:x:0:root\n"});
	F("", &(struct img){.passwd = "root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n",
			    .group = "root:x:0:\napp:x:1000:\n"});
}

TEST(facts)
{
	struct vg_image_facts f;
	json_t *j;
	static const char *const paths[] = {"104755 bin/su", "104755 usr/bin/passwd",
					    "100644 a/.git/x", "100644 a/.git/y", NULL};

	ASSERT_EQ(load(&f,
		       &(struct img){.passwd = "root:x:0:0:::\ntoor:x:0:0:::\nx:x:5:5\ny:x:5:5\n",
				     .paths = paths},
		       &j),
		  0);
	ASSERT_STREQ(f.user, "app");
	ASSERT_EQ(f.env_keys.n, 2u);
	ASSERT_STREQ(f.env_keys.v[1], "GPG_KEY");
	ASSERT_EQ(f.n_history, 2u);
	ASSERT_STREQ(f.history[0].instruction, "ADD");
	ASSERT_STREQ(f.history[1].instruction, "CMD");
	ASSERT_TRUE(f.has_healthcheck);
	ASSERT_EQ(f.setuid.n, 2u);
	ASSERT_EQ(f.unnecessary_files.n, 1u);
	ASSERT_STREQ(f.unnecessary_files.v[0], "a/.git");
	ASSERT_EQ(f.dup_uids.n, 2u);
	ASSERT_STREQ(f.dup_uids.v[0], "0");
	ASSERT_STREQ(f.dup_uids.v[1], "5");
	ASSERT_EQ(f.uid0_users.n, 1u);
	ASSERT_STREQ(f.uid0_users.v[0], "toor");
	vg_image_facts_done(&f);
	json_decref(j);
	/* the programs of the history, each once */
	ASSERT_EQ(load(&f,
		       &(struct img){.config = config_with(OKCFG, RUN("apk add x=1") ", " RUN(
									  "apk add y=2 && make"))},
		       &j),
		  0);
	ASSERT_EQ(f.history_programs.n, 2u);
	ASSERT_STREQ(f.history_programs.v[0], "apk");
	ASSERT_STREQ(f.history_programs.v[1], "make");
	vg_image_facts_done(&f);
	json_decref(j);
}

TEST(collect_errors)
{
	struct vg_image_facts f;
	char err[512];

	vg_image_facts_init(&f);
	ASSERT_TRUE(vg_image_facts_collect(&f, "archive:/nonexistent/x.tar", err, sizeof(err)) < 0);
	vg_image_facts_done(&f);
}

TEST(every_dockle_rule_is_tested)
{
	static const char *const tested[] = {
		"CIS-DI-0001", "CIS-DI-0005", "CIS-DI-0006", "CIS-DI-0007", "CIS-DI-0008",
		"CIS-DI-0009", "CIS-DI-0010", "DKL-DI-0001", "DKL-DI-0002", "DKL-DI-0003",
		"DKL-DI-0004", "DKL-DI-0005", "DKL-DI-0006", "DKL-LI-0001", "DKL-LI-0002",
		"DKL-LI-0003", "VG-IMG-0001", "VG-IMG-0002", "VG-IMG-0003", "VG-IMG-0004",
		"VG-IMG-0005", NULL};
	const struct vg_ruleset *r = ruleset();

	for (size_t i = 0; i < vg_ruleset_count(r); i++) {
		const struct vg_rule *rule = vg_ruleset_rule(r, i);
		bool found = false;

		if (strcmp(rule->source, VG_IMAGE_SOURCE) != 0)
			continue;
		for (const char *const *t = tested; *t; t++)
			found |= strncmp(rule->name, *t, strlen(*t)) == 0;
		if (!found)
			printf("# untested rule: %s\n", rule->name);
		ASSERT_TRUE(found);
	}
	vg_ruleset_free(rs);
	vg_rules_collection_done(&coll);
	rs = NULL;
}
