/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Dockerfile parser and shell analysis (src/audit/dockerfile.c) and the hadolint rules
 * (rules/audit/hadolint.yaml) over the dockerfile and dockerfile_instr sources. Expected
 * results are written from the rule definitions: each rule once passing, once failing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/dockerfile.h"
#include "audit/image.h"
#include "basic/limits.h"
#include "tap.h"

static char err[2048];

static int parse(struct vg_dockerfile *df, const char *text)
{
	vg_dockerfile_init(df);
	return vg_dockerfile_parse(df, text, strlen(text), "Dockerfile", err, sizeof(err));
}

static const struct vg_df_instr *at(const struct vg_dockerfile *df, size_t i)
{
	return vg_dockerfile_instr(df, i);
}

/* ---- parser ---------------------------------------------------------------------------- */

TEST(instructions_keep_their_lines)
{
	struct vg_dockerfile df;

	ASSERT_EQ(parse(&df, "# a comment\n\nARG V=1\nFROM alpine:3.19 AS build\n"
			     "RUN apk add --no-cache gcc \\\n"
			     "    # a comment inside the continuation\n"
			     "\n"
			     "    make\n"
			     "copy --from=build /a /b\n"
			     "CMD [\"/bin/sh\", \"-c\", \"echo hi\"]\n"),
		  0);
	ASSERT_EQ(vg_dockerfile_count(&df), 5u);
	ASSERT_STREQ(at(&df, 0)->keyword, "ARG");
	ASSERT_EQ(at(&df, 0)->line, 3u);
	ASSERT_EQ(at(&df, 0)->stage, -1);
	ASSERT_STREQ(at(&df, 1)->from_image, "alpine");
	ASSERT_STREQ(at(&df, 1)->from_tag, "3.19");
	ASSERT_STREQ(at(&df, 1)->from_alias, "build");
	ASSERT_STREQ(at(&df, 1)->from_registry, "docker.io");
	ASSERT_EQ(at(&df, 1)->stage, 0);
	ASSERT_STREQ(at(&df, 2)->keyword, "RUN");
	ASSERT_EQ(at(&df, 2)->line, 5u);
	ASSERT_EQ(at(&df, 2)->end_line, 8u);
	ASSERT_STREQ(at(&df, 2)->args, "apk add --no-cache gcc     make");
	ASSERT_EQ(at(&df, 2)->sh.n_apk_unpinned, 2u);
	ASSERT_TRUE(at(&df, 2)->sh.apk_no_cache);
	ASSERT_STREQ(at(&df, 3)->keyword, "COPY"); /* keywords are case-insensitive */
	ASSERT_EQ(at(&df, 3)->line, 9u);
	ASSERT_STREQ(at(&df, 3)->copy_from, "build");
	ASSERT_EQ(at(&df, 3)->n_sources, 1u);
	ASSERT_STREQ(at(&df, 3)->dest, "/b");
	ASSERT_TRUE(at(&df, 4)->json);
	ASSERT_EQ(at(&df, 4)->n_argv, 3u);
	ASSERT_STREQ(at(&df, 4)->argv[2], "echo hi");
	ASSERT_STREQ(df.first_keyword, "ARG");
	vg_dockerfile_done(&df);
}

TEST(escape_directive_and_backtick_continuations)
{
	struct vg_dockerfile df;

	ASSERT_EQ(parse(&df, "# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\n"
			     "WORKDIR C:\\app\n"
			     "RUN dir `\n  c:\\windows\n"),
		  0);
	ASSERT_EQ(df.escape, '`');
	ASSERT_EQ(vg_dockerfile_count(&df), 3u);
	ASSERT_STREQ(at(&df, 0)->from_registry, "mcr.microsoft.com");
	ASSERT_STREQ(at(&df, 1)->args, "C:\\app"); /* a backslash is not an escape any more */
	ASSERT_EQ(at(&df, 2)->line, 4u);
	ASSERT_EQ(at(&df, 2)->end_line, 5u);
	ASSERT_STREQ(at(&df, 2)->args, "dir   c:\\windows");
	vg_dockerfile_done(&df);

	/* a directive after a comment is a comment; a bad escape value is an error */
	ASSERT_EQ(parse(&df, "# hello\n# escape=`\nFROM a:1\nRUN x \\\n y\n"), 0);
	ASSERT_EQ(df.escape, '\\');
	ASSERT_EQ(vg_dockerfile_count(&df), 2u);
	vg_dockerfile_done(&df);
	ASSERT_EQ(parse(&df, "# escape=x\nFROM a\n"), -EBADMSG);
	ASSERT_STREQ(err, "Dockerfile:1:10: escape must be \\ or `, not 'x'");
	vg_dockerfile_done(&df);
	ASSERT_EQ(parse(&df, "# escape=`\n# escape=\\\nFROM a\n"), -EBADMSG);
	ASSERT_STREQ(err, "Dockerfile:2:1: escape directive repeated");
	vg_dockerfile_done(&df);
}

TEST(heredocs)
{
	struct vg_dockerfile df;

	ASSERT_EQ(parse(&df, "FROM debian:12\n"
			     "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"
			     "COPY <<-\"CONF\" /etc/app.conf\n\tkey=value\n\tCONF\n"
			     "USER app\n"),
		  0);
	ASSERT_EQ(vg_dockerfile_count(&df), 4u);
	ASSERT_EQ(at(&df, 1)->line, 2u);
	ASSERT_EQ(at(&df, 1)->end_line, 5u);
	ASSERT_EQ(at(&df, 1)->n_heredocs, 1u);
	ASSERT_STREQ(at(&df, 1)->heredocs[0].body, "apt-get update\napt-get install -y curl\n");
	ASSERT_TRUE(at(&df, 1)->sh.apt_update);
	ASSERT_TRUE(at(&df, 1)->sh.apt_install);
	ASSERT_EQ(at(&df, 1)->sh.n_commands, 2u);
	ASSERT_STREQ(at(&df, 2)->heredocs[0].delim, "CONF");
	ASSERT_STREQ(at(&df, 2)->heredocs[0].body, "key=value\n");
	ASSERT_EQ(at(&df, 3)->line, 9u);
	ASSERT_STREQ(df.last_user, "app");
	vg_dockerfile_done(&df);

	ASSERT_EQ(parse(&df, "FROM a:1\nRUN <<EOF\necho never ends\n"), -EBADMSG);
	ASSERT_STREQ(err, "Dockerfile:2:1: unterminated heredoc <<EOF");
	vg_dockerfile_done(&df);
	/* a heredoc that feeds a command is data, not script; quoted << opens nothing */
	ASSERT_EQ(parse(&df, "FROM a:1\nRUN python3 <<EOF\nimport sudo\nEOF\n"
			     "RUN echo \"<<EOF\" '<<X'\nUSER x\n"),
		  0);
	ASSERT_EQ(vg_dockerfile_count(&df), 4u);
	ASSERT_EQ(at(&df, 1)->n_heredocs, 1u);
	ASSERT_EQ(at(&df, 1)->sh.n_programs, 1u);
	ASSERT_STREQ(at(&df, 1)->sh.programs[0], "python3");
	ASSERT_EQ(at(&df, 2)->n_heredocs, 0u);
	ASSERT_EQ(at(&df, 2)->line, 5u);
	vg_dockerfile_done(&df);
	ASSERT_EQ(parse(&df, "FROM a:1\nRUN cat <<EOF"), -EBADMSG);
	vg_dockerfile_done(&df);
	/* a here-string is not a heredoc */
	ASSERT_EQ(parse(&df, "FROM a:1\nRUN cat <<<word\nUSER x\n"), 0);
	ASSERT_EQ(vg_dockerfile_count(&df), 3u);
	vg_dockerfile_done(&df);
}

TEST(shell_and_json_forms)
{
	struct vg_dockerfile df;

	ASSERT_EQ(parse(&df, "FROM a:1\nCMD [\"a\", \"b\"]\nCMD [\"a\", 1]\nCMD [broken\n"
			     "ENTRYPOINT python app.py\n"
			     "RUN [\"/bin/bash\", \"-c\", \"curl -s x | bash\"]\n"),
		  0);
	ASSERT_TRUE(at(&df, 1)->json);
	ASSERT_FALSE(at(&df, 2)->json); /* not an array of strings: shell form */
	ASSERT_FALSE(at(&df, 3)->json);
	ASSERT_FALSE(at(&df, 4)->json);
	ASSERT_EQ(at(&df, 4)->n_argv, 2u);
	ASSERT_TRUE(at(&df, 5)->json);
	ASSERT_TRUE(at(&df, 5)->sh.curl_pipe_sh);
	vg_dockerfile_done(&df);
}

TEST(multi_stage)
{
	struct vg_dockerfile df;

	ASSERT_EQ(parse(&df, "ARG BASE=alpine:3.19\nFROM ${BASE} AS deps\nUSER root\n"
			     "FROM golang:1.22@sha256:abc AS build\nWORKDIR /src\n"
			     "FROM deps\nCOPY --from=build / /\nUSER nobody\n"),
		  0);
	ASSERT_EQ(df.n_stages, 3);
	ASSERT_STREQ(df.stage_names[0], "deps");
	ASSERT_STREQ(at(&df, 3)->from_digest, "sha256:abc");
	ASSERT_STREQ(at(&df, 3)->from_tag, "1.22");
	ASSERT_TRUE(at(&df, 5)->from_stage);
	ASSERT_EQ(at(&df, 6)->stage, 2);
	ASSERT_NULL(at(&df, 6)->workdir); /* WORKDIR belongs to stage 1 */
	ASSERT_NULL(at(&df, 6)->user);
	ASSERT_STREQ(df.last_user, "nobody");
	ASSERT_EQ(df.last_user_index, 7u);
	vg_dockerfile_done(&df);
}

TEST(errors_and_hostile_input)
{
	struct vg_dockerfile df;
	size_t n = VG_DOCKERFILE_LINE_MAX + 100;
	char *big = malloc(2 * n + 64);

	ASSERT_EQ(parse(&df, "FROM a\nFROBNICATE x\n"), -EBADMSG);
	ASSERT_STREQ(err, "Dockerfile:2:1: unknown instruction 'FROBNICATE'");
	vg_dockerfile_done(&df);
	ASSERT_EQ(parse(&df, "FROM a\n  RUN-x\n"), -EBADMSG);
	ASSERT_STREQ(err, "Dockerfile:2:3: expected an instruction, found 'RUN-x'");
	vg_dockerfile_done(&df);
	vg_dockerfile_init(&df);
	ASSERT_EQ(vg_dockerfile_parse(&df, "FROM a\nRUN a\0b\n", 14, "D", err, sizeof(err)),
		  -EBADMSG);
	ASSERT_STREQ(err, "D:2:1: NUL byte");
	vg_dockerfile_done(&df);

	/* a continuation at the end of the file ends the instruction, as BuildKit does */
	ASSERT_EQ(parse(&df, "FROM a:1\nRUN echo a \\\n"), 0);
	ASSERT_EQ(vg_dockerfile_count(&df), 2u);
	ASSERT_STREQ(at(&df, 1)->args, "echo a");
	vg_dockerfile_done(&df);
	ASSERT_EQ(parse(&df, "FROM a:1\nRUN echo a \\\n# only comments follow\n\n"), 0);
	ASSERT_EQ(vg_dockerfile_count(&df), 2u);
	vg_dockerfile_done(&df);

	/* one huge line, and one huge instruction of continuations */
	ASSERT_NOT_NULL(big);
	memcpy(big, "FROM a\nRUN ", 11);
	memset(big + 11, 'x', n);
	big[11 + n] = '\0';
	ASSERT_EQ(parse(&df, big), -E2BIG);
	ASSERT_STREQ(err, "Dockerfile:2:1: instruction longer than 1048576 bytes");
	vg_dockerfile_done(&df);
	memset(big + 11, 'x', 2 * n);
	for (size_t i = 11 + 30; i + 2 < 11 + 2 * n; i += 32)
		memcpy(big + i, "\\\n", 2);
	big[11 + 2 * n] = '\0';
	ASSERT_EQ(parse(&df, big), -E2BIG);
	vg_dockerfile_done(&df);
	/* many words in one RUN */
	memcpy(big, "FROM a\nRUN ", 11);
	for (size_t i = 11; i + 2 < 11 + 2 * (VG_DOCKERFILE_WORDS_MAX + 5); i += 2)
		memcpy(big + i, "a ", 2);
	big[11 + 2 * (VG_DOCKERFILE_WORDS_MAX + 5)] = '\0';
	ASSERT_EQ(parse(&df, big), -E2BIG);
	vg_dockerfile_done(&df);
	free(big);

	/* many stages; many distinct programs (kept once each, in a set) */
	big = malloc(16 * (VG_DOCKERFILE_STAGES_MAX + 2) + 64);
	ASSERT_NOT_NULL(big);
	big[0] = '\0';
	for (size_t i = 0, len = 0; i <= VG_DOCKERFILE_STAGES_MAX; i++)
		len += (size_t)sprintf(big + len, "FROM a:%zu\n", i);
	ASSERT_EQ(parse(&df, big), -E2BIG);
	ASSERT_TRUE(strstr(err, "more than 1024 stages") != NULL);
	vg_dockerfile_done(&df);
	free(big);
	big = malloc(16 * 30000 + 64);
	ASSERT_NOT_NULL(big);
	strcpy(big, "FROM a:1\nRUN ");
	for (size_t i = 0, len = strlen(big); i < 30000; i++)
		len += (size_t)sprintf(big + len, "p%zu;p%zu;", i % 20000, i);
	ASSERT_EQ(parse(&df, big), 0);
	ASSERT_EQ(df.n_programs, 30000u);
	ASSERT_EQ(at(&df, 1)->sh.n_commands, 60000u);
	vg_dockerfile_done(&df);
	free(big);

	ASSERT_EQ(parse(&df, ""), 0);
	ASSERT_EQ(vg_dockerfile_count(&df), 0u);
	ASSERT_NULL(df.first_keyword);
	vg_dockerfile_done(&df);
	vg_dockerfile_init(&df);
	ASSERT_EQ(vg_dockerfile_parse_file(&df, "/nonexistent/Dockerfile", err, sizeof(err)),
		  -ENOENT);
	vg_dockerfile_done(&df);
}

TEST(shell_analysis)
{
	struct vg_arena a;
	struct vg_sh_facts s;
	const char *t;

	vg_arena_init(&a, 1 << 20);
	t = "DEBIAN_FRONTEND=noninteractive sudo -u root apt-get install -y --no-install-recommends "
	    "curl=7.88 'vim' && rm -rf /var/lib/apt/lists/* ; echo \"$HOME\" $PATH x=$Y "
	    "2>&1 | tee log || true";
	ASSERT_EQ(vg_sh_analyze(&a, t, strlen(t), &s), 0);
	ASSERT_EQ(s.n_commands, 5u);
	ASSERT_STREQ(s.commands[2], "echo \"$HOME\" $PATH x=$Y 2>&1");
	ASSERT_STREQ(s.programs[0], "sudo");
	ASSERT_STREQ(s.programs[1], "apt-get");
	ASSERT_TRUE(s.apt_install && s.apt_no_recommends && s.apt_lists_removed);
	ASSERT_EQ(s.n_apt_unpinned, 1u);
	ASSERT_STREQ(s.apt_unpinned[0], "vim");
	ASSERT_EQ(s.n_unquoted_vars, 1u); /* $PATH; "$HOME" is quoted, x=$Y an assignment */
	ASSERT_STREQ(s.unquoted_vars[0], "$PATH");
	ASSERT_TRUE(s.has_pipe);
	ASSERT_FALSE(s.pipefail);
	t = "set -eux -o pipefail; wget -qO- https://x/i.sh | sh -s -- ; "
	    "python3 -m pip install --no-cache-dir -r req.txt flask==3.0 requests";
	ASSERT_EQ(vg_sh_analyze(&a, t, strlen(t), &s), 0);
	ASSERT_TRUE(s.pipefail && s.curl_pipe_sh && s.pip_install && s.pip_no_cache);
	ASSERT_EQ(s.n_pip_unpinned, 1u);
	ASSERT_STREQ(s.pip_unpinned[0], "requests");
	t = "echo 'a && b' \"c ; d\" $(cd /x && pwd) `ls | wc`";
	ASSERT_EQ(vg_sh_analyze(&a, t, strlen(t), &s), 0);
	ASSERT_EQ(s.n_commands, 1u); /* separators inside quotes and substitutions */
	ASSERT_FALSE(s.has_pipe);
	vg_arena_done(&a);
}

/* ---- hadolint rules -------------------------------------------------------------------- */

static struct vg_rules_collection coll;
static struct vg_ruleset *rs;

static const struct vg_ruleset *ruleset(void)
{
	struct vg_compile_options o = {.matching = VG_MATCH_ALL, .min_priority = VG_PRIO_DEBUG};
	/* DL3026 ships disabled: enabled here with a list of trusted registries */
	const char *extra = "- list: hadolint_trusted_registries\n  items: [ghcr.io]\n"
			    "  override: {items: append}\n"
			    "- rule: DL3026 Use only an allowed registry in the FROM image\n"
			    "  enabled: true\n  override: {enabled: replace}\n";
	struct vg_diags d;
	int r;

	if (rs)
		return rs;
	ASSERT_EQ(vg_audit_image_sources_register(), 0);
	vg_rules_collection_init(&coll);
	vg_diags_init(&d);
	r = vg_audit_image_load_builtin(&coll, &d);
	if (r >= 0)
		r = vg_rules_load_buffer(&coll, "extra.yaml", extra, strlen(extra), &d);
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

static char hits_buf[4096];

/* Lines where the rule whose name starts with code fires on text, "1,4"; "" for none. */
static const char *hits(const char *text, const char *code)
{
	struct vg_dockerfile df;
	struct vg_audit_report rep;
	struct vg_audit_options o = {0};
	size_t n = strlen(code), len = 0;

	hits_buf[0] = '\0';
	if (parse(&df, text) < 0) {
		snprintf(hits_buf, sizeof(hits_buf), "parse error: %s", err);
		vg_dockerfile_done(&df);
		return hits_buf;
	}
	vg_audit_report_init(&rep, "dockerfile");
	if (vg_audit_dockerfile(ruleset(), &df, &o, &rep) < 0) {
		snprintf(hits_buf, sizeof(hits_buf), "audit error");
	} else {
		vg_vec_for_each(const struct vg_audit_finding, f, &rep.findings) {
			if (strncmp(f->rule->name, code, n) != 0 || f->rule->name[n] != ' ')
				continue;
			len += (size_t)snprintf(hits_buf + len, sizeof(hits_buf) - len, "%s%u",
						len ? "," : "", f->line);
		}
	}
	vg_audit_report_done(&rep);
	vg_dockerfile_done(&df);
	return hits_buf;
}

#define H(text, code, want) ASSERT_STREQ(hits(text, code), want)

TEST(hadolint_rules_pass_and_fail)
{
	H("FROM a:1\nWORKDIR app\n", "DL3000", "2");
	H("FROM a:1\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR \"/x\"\n", "DL3000", "");
	H("FROM a:1\nRUN ps aux && top -b\n", "DL3001", "2");
	H("FROM a:1\nRUN echo ps\n", "DL3001", "");
	H("FROM a:1\nUSER app\nFROM b:1\nUSER root:root\n", "DL3002", "4");
	H("FROM a:1\nUSER 0\nUSER app\n", "DL3002", "");
	H("FROM a:1\nUSER root\nFROM b:1\nRUN x\n", "DL3002", ""); /* final stage has no USER */
	H("FROM a:1\nRUN cd /tmp && make\n", "DL3003", "2");
	H("FROM a:1\nRUN make -C /tmp\n", "DL3003", "");
	H("FROM a:1\nRUN sudo make install\n", "DL3004", "2");
	H("FROM a:1\nRUN echo sudo\n", "DL3004", "");
	H("FROM ubuntu\nFROM scratch\nFROM a:1 AS s\nFROM s\nFROM $X\nFROM b@sha256:0\n", "DL3006",
	  "1");
	H("FROM ubuntu:latest\nFROM ubuntu:22.04\n", "DL3007", "1");
	H("FROM a:1\nRUN apt-get install -y curl=7 wget\n", "DL3008", "2");
	H("FROM a:1\nRUN apt-get install -y curl=7 ./x.deb\n", "DL3008", "");
	H("FROM a:1\nRUN apt-get install -y x=1\n", "DL3009", "2");
	H("FROM a:1\nRUN apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n", "DL3009", "");
	H("FROM a:1\nRUN pip install flask\n", "DL3013", "2");
	H("FROM a:1\nRUN pip3 install flask==3 -r r.txt .\n", "DL3013", "");
	H("FROM a:1\nRUN apt-get install -y x=1\n", "DL3015", "2");
	H("FROM a:1\nRUN apt-get install --no-install-recommends -y x=1\n", "DL3015", "");
	H("FROM a:1\nRUN apk add --no-cache curl\n", "DL3018", "2");
	H("FROM a:1\nRUN apk add --no-cache curl=8.5-r0 --virtual .deps\n", "DL3018", "");
	H("FROM a:1\nRUN apk add curl=8\n", "DL3019", "2");
	H("FROM a:1\nRUN apk add --no-cache curl=8\n", "DL3019", "");
	H("FROM a:1\nADD app.py /app/\n", "DL3020", "2");
	H("FROM a:1\nADD https://x/y.tgz /y\nADD rootfs.tar.xz /\n", "DL3020", "");
	H("FROM a:1\nCMD python app.py\nENTRYPOINT exec x\n", "DL3025", "2,3");
	H("FROM a:1\nCMD [\"python\", \"app.py\"]\n", "DL3025", "");
	H("FROM quay.io/a:1\nFROM ghcr.io/b:1\nFROM alpine:3\nFROM scratch\n", "DL3026", "1");
	H("FROM a:1\nRUN apt install -y x=1\n", "DL3027", "2");
	H("FROM a:1\nRUN apt-get install -y x=1\n", "DL3027", "");
	H("FROM a:1\nRUN pip install flask==3\n", "DL3042", "2");
	H("FROM a:1\nRUN pip install --no-cache-dir flask==3\n", "DL3042", "");
	H("FROM a:1\nCOPY a.txt conf/\n", "DL3045", "2");
	H("FROM a:1\nWORKDIR /app\nCOPY a.txt conf/\nCOPY b /abs\n", "DL3045", "");
	H("FROM a:1\n", "DL3057", "1");
	H("FROM a:1\nHEALTHCHECK CMD curl -f http://localhost/\n", "DL3057", "");
	H("FROM a:1\nRUN a\nRUN b\nUSER x\nRUN c\n", "DL3059", "3");
	H("FROM a:1\nRUN a\n", "DL3059", "");
	H("# c\nRUN a\nFROM a:1\n", "DL3061", "1");
	H("# c\nARG V=1\nFROM a:$V\n", "DL3061", "");
	H("FROM a:1\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x MODE=y\nENV API_KEY k\n", "DL3064",
	  "2,3,4");
	H("FROM a:1\nENV PATH=/x MODE=y\nLABEL password=x\n", "DL3064", "");
	H("FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n", "DL3067", "3");
	H("FROM a:1 AS b\nFROM c:1\nCOPY --from=b /app /app\n", "DL3067", "");
	H("FROM a:1\nMAINTAINER me\n", "DL4000", "2");
	H("FROM a:1\nLABEL maintainer=me\n", "DL4000", "");
	H("FROM a:1\nRUN curl -O x\nRUN wget y\n", "DL4001", "1");
	H("FROM a:1\nRUN curl -O x && curl y\n", "DL4001", "");
	H("FROM a:1\nRUN curl x | tar x\n", "DL4006", "2");
	H("FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | tar x\n",
	  "DL4006", "");
	H("FROM a:1\nRUN set -o pipefail && curl x | tar x\n", "DL4006", "");
	H("FROM a:1\nRUN echo $HOME\n", "SC2086", "2");
	H("FROM a:1\nRUN echo \"$HOME\" && X=$Y\n", "SC2086", "");
	H("FROM a:1\nRUN curl -fsSL https://x/i.sh | bash\n", "VG-DF-0001", "2");
	H("FROM a:1\nRUN curl -fsSL -o i.sh https://x/i.sh && sh i.sh\n", "VG-DF-0001", "");
}

TEST(every_hadolint_rule_is_tested)
{
	static const char *const tested[] = {
		"DL3000", "DL3001", "DL3002", "DL3003", "DL3004",     "DL3006", "DL3007", "DL3008",
		"DL3009", "DL3013", "DL3015", "DL3018", "DL3019",     "DL3020", "DL3025", "DL3026",
		"DL3027", "DL3042", "DL3045", "DL3057", "DL3059",     "DL3061", "DL3064", "DL3067",
		"DL4000", "DL4001", "DL4006", "SC2086", "VG-DF-0001", NULL};
	const struct vg_ruleset *r = ruleset();
	size_t n = 0;

	for (size_t i = 0; i < vg_ruleset_count(r); i++) {
		const struct vg_rule *rule = vg_ruleset_rule(r, i);
		bool found = false;

		if (strcmp(rule->source, VG_DOCKERFILE_SOURCE) != 0 &&
		    strcmp(rule->source, VG_DOCKERFILE_INSTR_SOURCE) != 0)
			continue;
		n++;
		for (const char *const *t = tested; *t; t++)
			found |= strncmp(rule->name, *t, strlen(*t)) == 0;
		if (!found)
			printf("# untested rule: %s\n", rule->name);
		ASSERT_TRUE(found);
	}
	ASSERT_EQ(n, VG_ARRAY_SIZE(tested) - 1);
}

TEST(benchmark_and_suppression)
{
	struct vg_dockerfile df;
	struct vg_audit_report rep;
	struct vg_audit_ignores ig;
	struct vg_audit_options o = {.benchmark = "hadolint", .ignores = &ig, .today = 20000};
	const char *ign = "DL3007 file=Dock* reason=\"pinned by digest elsewhere\"\n"
			  "DL4000 exp=2020-01-01 reason=\"expired\"\n";
	const struct vg_audit_finding *f;

	vg_audit_ignores_init(&ig);
	ASSERT_EQ(vg_audit_ignores_parse(&ig, ign, strlen(ign), "ign", err, sizeof(err)), 0);
	ASSERT_EQ(parse(&df, "FROM a:latest\nMAINTAINER x\nHEALTHCHECK NONE\n"
			     "RUN curl -fsSL https://x/i.sh | bash\n"),
		  0);
	vg_audit_report_init(&rep, "dockerfile");
	ASSERT_EQ(vg_audit_dockerfile(ruleset(), &df, &o, &rep), 0);
	/* DL3007 suppressed, DL4000 counted (its suppression expired), DL4006; VG-DF-0001 is
	 * not in the hadolint benchmark */
	ASSERT_EQ(rep.findings.len, 3u);
	f = vg_vec_at(&rep.findings, 0);
	ASSERT_TRUE(strncmp(f->rule->name, "DL3007", 6) == 0);
	ASSERT_NOT_NULL(f->suppressed_by);
	ASSERT_EQ(rep.n_failed, 2u);
	ASSERT_EQ(rep.n_suppressed, 1u);
	ASSERT_EQ(((const struct vg_audit_object *)vg_vec_at(&rep.objects, 0))->n_failed, 2u);
	vg_audit_report_done(&rep);
	o.benchmark = "pss-baseline";
	vg_audit_report_init(&rep, "dockerfile");
	ASSERT_EQ(vg_audit_dockerfile(ruleset(), &df, &o, &rep), -ENOENT);
	vg_audit_report_done(&rep);
	vg_dockerfile_done(&df);
	vg_audit_ignores_done(&ig);
	vg_ruleset_free(rs);
	vg_rules_collection_done(&coll);
	rs = NULL;
}
