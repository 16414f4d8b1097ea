/* SPDX-License-Identifier: Apache-2.0 */
/* Dockerfile parser and shell analysis (dockerfile.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit/dockerfile.h"
#include "basic/cleanup.h"
#include "basic/fileio.h"
#include "basic/hashmap.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "shared/json.h"

/* ---- string lists ---------------------------------------------------------------------- */

/* A growing list of strings, copied into the arena when done. */
struct slist {
	struct vg_vec v; /* const char * */
};

static void slist_init(struct slist *l)
{
	vg_vec_init(&l->v, sizeof(const char *), VG_DOCKERFILE_WORDS_MAX);
}

static int slist_push(struct slist *l, const char *s)
{
	return vg_vec_push(&l->v, &s);
}

/* Appends s unless seen (a set of borrowed strings) has it. */
static int uniq_push(struct slist *l, struct vg_hashmap *seen, const char *s)
{
	int r;

	if (vg_hashmap_get_str(seen, s))
		return 0;
	r = vg_hashmap_put_str(seen, s, (void *)s);
	return r < 0 ? r : slist_push(l, s);
}

/* Moves the list into the arena (*ret NULL when empty); frees the vector. */
static int slist_take(struct slist *l, struct vg_arena *a, const char ***ret, size_t *ret_n)
{
	*ret = NULL;
	*ret_n = l->v.len;
	if (l->v.len) {
		*ret = vg_arena_memdup(a, vg_vec_at(&l->v, 0), l->v.len * sizeof(const char *));
		if (!*ret) {
			vg_vec_done(&l->v);
			return -ENOMEM;
		}
	}
	vg_vec_done(&l->v);
	return 0;
}

/* ---- shell analysis -------------------------------------------------------------------- */

struct sh_word {
	const char *text; /* quotes removed */
	bool unquoted_var; /* has a $NAME expansion outside quotes */
	const char *var; /* the first one, "$NAME" */
};

struct sh_cmd {
	struct sh_word *w;
	size_t n;
	const char *raw;
	char sep; /* what ended it: '|' pipe, '&' (&& or &), ';', 'o' (||), 0 end */
};

struct sh_ctx {
	struct vg_arena *a;
	struct vg_vec words; /* struct sh_word of the current command */
	struct vg_vec cmds; /* struct sh_cmd */
	size_t n_words;
};

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_assignment(const char *w)
{
	if (!is_name_start(*w))
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=' || (w[0] == '+' && w[1] == '=');
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s && s[1] ? s + 1 : p;
}

static int end_command(struct sh_ctx *x, const char *text, size_t start, size_t end, char sep)
{
	struct sh_cmd c = {.sep = sep};
	int r;

	while (start < end && isspace((unsigned char)text[start]))
		start++;
	while (end > start && isspace((unsigned char)text[end - 1]))
		end--;
	if (x->words.len == 0) {
		/* an empty command: a separator after another one keeps its meaning */
		if (sep && x->cmds.len) {
			struct sh_cmd *prev = vg_vec_at(&x->cmds, x->cmds.len - 1);

			if (!prev->sep || sep == '|')
				prev->sep = sep;
		}
		return 0;
	}
	c.n = x->words.len;
	c.w = vg_arena_memdup(x->a, vg_vec_at(&x->words, 0), c.n * sizeof(struct sh_word));
	c.raw = vg_arena_strndup(x->a, text + start, end - start);
	if (!c.w || !c.raw)
		return -ENOMEM;
	vg_vec_clear(&x->words);
	r = vg_vec_push(&x->cmds, &c);
	return r;
}

/* Splits text into commands of words (POSIX quoting, $(...) and `...` kept in the word). */
static int sh_split(struct sh_ctx *x, const char *t, size_t len)
{
	struct vg_strbuf w = VG_STRBUF_INIT(VG_DOCKERFILE_LINE_MAX);
	struct sh_word cur = {0};
	bool in_word = false;
	size_t i = 0, cmd_start = 0;
	int r = 0;

#define FLUSH_WORD()                                                         \
	do {                                                                 \
		if (in_word && r >= 0) {                                     \
			cur.text = vg_arena_strdup(x->a, vg_strbuf_str(&w)); \
			if (!cur.text)                                       \
				r = -ENOMEM;                                 \
			else if (++x->n_words > VG_DOCKERFILE_WORDS_MAX)     \
				r = -E2BIG;                                  \
			else                                                 \
				r = vg_vec_push(&x->words, &cur);            \
			vg_strbuf_reset(&w);                                 \
			memset(&cur, 0, sizeof(cur));                        \
			in_word = false;                                     \
		}                                                            \
	} while (0)

	while (i < len && r >= 0) {
		char c = t[i];

		if (c == '\'') {
			const char *q = memchr(t + i + 1, '\'', len - i - 1);
			size_t n = q ? (size_t)(q - (t + i + 1)) : len - i - 1;

			in_word = true;
			r = vg_strbuf_append(&w, t + i + 1, n);
			i += n + 2;
			continue;
		}
		if (c == '"') {
			in_word = true;
			i++;
			while (i < len && t[i] != '"' && r >= 0) {
				if (t[i] == '\\' && i + 1 < len && strchr("\"\\$`\n", t[i + 1])) {
					if (t[i + 1] != '\n')
						r = vg_strbuf_putc(&w, t[i + 1]);
					i += 2;
					continue;
				}
				r = vg_strbuf_putc(&w, t[i++]);
			}
			i++;
			continue;
		}
		if (c == '\\') {
			if (i + 1 < len && t[i + 1] != '\n') {
				in_word = true;
				r = vg_strbuf_putc(&w, t[i + 1]);
			}
			i += 2;
			continue;
		}
		if (c == '#' && !in_word) {
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (c == '$' && i + 1 < len && (t[i + 1] == '(' || t[i + 1] == '{')) {
			/* $(...) or ${...}: copied whole, nesting counted */
			char open = t[i + 1], close = open == '(' ? ')' : '}';
			size_t start = i, depth = 0;

			for (; i < len; i++) {
				if (t[i] == open)
					depth++;
				else if (t[i] == close && --depth == 0)
					break;
			}
			i = i < len ? i + 1 : len;
			if (open == '{' && !cur.unquoted_var) {
				cur.unquoted_var = true;
				cur.var = vg_arena_strndup(x->a, t + start, i - start);
				if (!cur.var)
					r = -ENOMEM;
			}
			in_word = true;
			if (r >= 0)
				r = vg_strbuf_append(&w, t + start, i - start);
			continue;
		}
		if (c == '$' && i + 1 < len && is_name_start(t[i + 1])) {
			size_t start = i++;

			while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_'))
				i++;
			if (!cur.unquoted_var) {
				cur.unquoted_var = true;
				cur.var = vg_arena_strndup(x->a, t + start, i - start);
				if (!cur.var)
					r = -ENOMEM;
			}
			in_word = true;
			if (r >= 0)
				r = vg_strbuf_append(&w, t + start, i - start);
			continue;
		}
		if (c == '`') {
			const char *q = memchr(t + i + 1, '`', len - i - 1);
			size_t n = q ? (size_t)(q - (t + i)) + 1 : len - i;

			in_word = true;
			r = vg_strbuf_append(&w, t + i, n);
			i += n;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			FLUSH_WORD();
			i++;
			continue;
		}
		if (c == '&' && i > 0 && (t[i - 1] == '>' || t[i - 1] == '<')) {
			r = vg_strbuf_putc(&w, c); /* 2>&1 */
			i++;
			continue;
		}
		if (c == '>' && i + 1 < len && t[i + 1] == '&') {
			in_word = true;
			r = vg_strbuf_putc(&w, c);
			i++;
			continue;
		}
		if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
			char sep = c == '\n' || c == '(' || c == ')' ? ';' : c;
			size_t skip = 1;

			if (c == '&' && i + 1 < len && t[i + 1] == '&')
				skip = 2;
			else if (c == '|' && i + 1 < len && t[i + 1] == '|')
				sep = 'o', skip = 2;
			else if (c == ';' && i + 1 < len && t[i + 1] == ';')
				skip = 2;
			FLUSH_WORD();
			if (r >= 0)
				r = end_command(x, t, cmd_start, i, sep);
			i += skip;
			cmd_start = i;
			continue;
		}
		in_word = true;
		r = vg_strbuf_putc(&w, c);
		i++;
	}
	FLUSH_WORD();
	if (r >= 0)
		r = end_command(x, t, cmd_start, len, 0);
	vg_strbuf_done(&w);
	if (r == -ENOSPC || r == -E2BIG)
		r = -E2BIG;
	return r;
#undef FLUSH_WORD
}

/* Index of the program word of c: after assignments, sudo (and its options), env. */
static size_t program_index(const struct sh_cmd *c, bool *ret_sudo)
{
	size_t i = 0;

	*ret_sudo = false;
	for (;;) {
		while (i < c->n && is_assignment(c->w[i].text))
			i++;
		if (i >= c->n)
			return i;
		const char *p = base_name(c->w[i].text);

		if (strcmp(p, "sudo") == 0) {
			*ret_sudo = true;
			i++;
			while (i < c->n && c->w[i].text[0] == '-') {
				bool arg = strcmp(c->w[i].text, "-u") == 0 ||
					   strcmp(c->w[i].text, "-g") == 0;
				i += arg ? 2 : 1;
			}
			continue;
		}
		if (strcmp(p, "env") == 0 || strcmp(p, "command") == 0 || strcmp(p, "exec") == 0 ||
		    strcmp(p, "nohup") == 0 || strcmp(p, "time") == 0) {
			i++;
			while (i < c->n && c->w[i].text[0] == '-')
				i++;
			continue;
		}
		if (strcmp(p, "{") == 0 || strcmp(p, "!") == 0 || strcmp(p, "then") == 0 ||
		    strcmp(p, "do") == 0 || strcmp(p, "else") == 0 || strcmp(p, "if") == 0 ||
		    strcmp(p, "while") == 0 || strcmp(p, "until") == 0) {
			i++;
			continue;
		}
		return i;
	}
}

static bool word_is(const struct sh_cmd *c, size_t i, const char *s)
{
	return i < c->n && strcmp(c->w[i].text, s) == 0;
}

static bool has_word(const struct sh_cmd *c, size_t from, const char *s)
{
	for (size_t i = from; i < c->n; i++)
		if (strcmp(c->w[i].text, s) == 0)
			return true;
	return false;
}

static bool has_prefix_word(const struct sh_cmd *c, size_t from, const char *s)
{
	for (size_t i = from; i < c->n; i++)
		if (strncmp(c->w[i].text, s, strlen(s)) == 0)
			return true;
	return false;
}

/* First non-option word after from (options in with_arg take the next word). */
static size_t subcommand(const struct sh_cmd *c, size_t from, const char *const *with_arg)
{
	for (size_t i = from; i < c->n; i++) {
		const char *w = c->w[i].text;

		if (w[0] != '-')
			return i;
		for (const char *const *o = with_arg; o && *o; o++)
			if (strcmp(w, *o) == 0) {
				i++;
				break;
			}
	}
	return c->n;
}

/* The operands after word `from`, skipping options (and the arguments of with_arg). */
static int operands(const struct sh_cmd *c, size_t from, const char *const *with_arg,
		    bool (*pinned)(const char *), struct slist *out)
{
	int r = 0;

	for (size_t i = from; i < c->n && r >= 0; i++) {
		const char *w = c->w[i].text;
		bool skip = false;

		if (w[0] == '-') {
			for (const char *const *o = with_arg; *o; o++)
				if (strcmp(w, *o) == 0)
					skip = true;
			i += skip;
			continue;
		}
		if (w[0] == '>' || w[0] == '<' || (isdigit((unsigned char)w[0]) && w[1] == '>'))
			break;
		if (!pinned(w))
			r = slist_push(out, w);
	}
	return r;
}

static bool apt_pinned(const char *w)
{
	size_t n = strlen(w);

	return strchr(w, '=') || w[0] == '/' || w[0] == '.' || w[0] == '$' ||
	       (n > 4 && strcmp(w + n - 4, ".deb") == 0);
}

static bool apk_pinned(const char *w)
{
	return strpbrk(w, "=<>~") || w[0] == '$' || w[0] == '.';
}

static bool pip_pinned(const char *w)
{
	size_t n = strlen(w);

	return strstr(w, "==") || strchr(w, '@') || w[0] == '.' || w[0] == '/' || w[0] == '$' ||
	       strstr(w, "://") || (n > 4 && strcmp(w + n - 4, ".whl") == 0) ||
	       (n > 7 && strcmp(w + n - 7, ".tar.gz") == 0) ||
	       (n > 4 && strcmp(w + n - 4, ".zip") == 0);
}

static bool is_shell(const char *p)
{
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", NULL};

	for (const char *const *s = shells; *s; s++)
		if (strcmp(p, *s) == 0)
			return true;
	return false;
}

int vg_sh_analyze(struct vg_arena *a, const char *text, size_t len, struct vg_sh_facts *ret)
{
	static const char *const apt_arg[] = {"-o", "-t", "-c", "--target-release", "-q", NULL};
	static const char *const apk_arg[] = {"-t", "--virtual", "-X", "--repository",
					      "-p", "--root",	 NULL};
	static const char *const pip_arg[] = {"-r",
					      "--requirement",
					      "-c",
					      "--constraint",
					      "-i",
					      "--index-url",
					      "--extra-index-url",
					      "-e",
					      "--editable",
					      "-t",
					      "--target",
					      "-f",
					      "--find-links",
					      "--prefix",
					      "--root",
					      NULL};
	struct sh_ctx x = {.a = a};
	struct slist cmds, progs, vars, apt, apk, pip;
	bool apt_all_norec = true, apk_all_nocache = true, pip_all_nocache = true;
	int r;

	memset(ret, 0, sizeof(*ret));
	vg_vec_init(&x.words, sizeof(struct sh_word), VG_DOCKERFILE_WORDS_MAX);
	vg_vec_init(&x.cmds, sizeof(struct sh_cmd), VG_DOCKERFILE_WORDS_MAX);
	slist_init(&cmds), slist_init(&progs), slist_init(&vars);
	slist_init(&apt), slist_init(&apk), slist_init(&pip);
	r = sh_split(&x, text, len);
	for (size_t k = 0; k < x.cmds.len && r >= 0; k++) {
		const struct sh_cmd *c = vg_vec_at(&x.cmds, k);
		bool sudo;
		size_t p = program_index(c, &sudo), s;
		const char *prog;

		r = slist_push(&cmds, c->raw);
		if (r >= 0 && sudo)
			r = slist_push(&progs, "sudo");
		if (r < 0 || p >= c->n)
			continue;
		prog = base_name(c->w[p].text);
		if ((strcmp(prog, "python") == 0 || strcmp(prog, "python3") == 0) &&
		    word_is(c, p + 1, "-m") && p + 2 < c->n) {
			p += 2;
			prog = c->w[p].text;
		}
		r = slist_push(&progs, prog);
		/* arguments of the command: expansions outside quotes (not assignments) */
		for (size_t i = p + 1; i < c->n && r >= 0; i++)
			if (c->w[i].unquoted_var && !is_assignment(c->w[i].text))
				r = slist_push(&vars, c->w[i].var);
		if (r < 0)
			break;
		if (k + 1 < x.cmds.len && c->sep == '|') {
			const struct sh_cmd *n = vg_vec_at(&x.cmds, k + 1);
			bool nsudo;
			size_t np = program_index(n, &nsudo);

			ret->has_pipe = true;
			if ((strcmp(prog, "curl") == 0 || strcmp(prog, "wget") == 0) && np < n->n &&
			    is_shell(base_name(n->w[np].text)))
				ret->curl_pipe_sh = true;
		}
		if (strcmp(prog, "set") == 0 && has_word(c, p + 1, "pipefail"))
			ret->pipefail = true;
		if (strcmp(prog, "apt-get") == 0 || strcmp(prog, "apt") == 0 ||
		    strcmp(prog, "aptitude") == 0) {
			s = subcommand(c, p + 1, apt_arg);
			if (word_is(c, s, "update"))
				ret->apt_update = true;
			else if (word_is(c, s, "upgrade"))
				ret->apt_upgrade = true;
			else if (word_is(c, s, "dist-upgrade") || word_is(c, s, "full-upgrade"))
				ret->apt_dist_upgrade = true;
			else if (word_is(c, s, "install")) {
				ret->apt_install = true;
				if (!has_word(c, p + 1, "--no-install-recommends") &&
				    !has_prefix_word(c, p + 1, "APT::Install-Recommends=") &&
				    !has_word(c, p + 1, "APT::Install-Recommends=false"))
					apt_all_norec = false;
				r = operands(c, s + 1, apt_arg, apt_pinned, &apt);
			}
		} else if (strcmp(prog, "apk") == 0) {
			s = subcommand(c, p + 1, apk_arg);
			if (word_is(c, s, "add")) {
				ret->apk_add = true;
				if (!has_word(c, p + 1, "--no-cache"))
					apk_all_nocache = false;
				r = operands(c, s + 1, apk_arg, apk_pinned, &apk);
			}
		} else if (strncmp(prog, "pip", 3) == 0 &&
			   (prog[3] == '\0' || isdigit((unsigned char)prog[3]))) {
			s = subcommand(c, p + 1, pip_arg);
			if (word_is(c, s, "install")) {
				ret->pip_install = true;
				if (!has_word(c, p + 1, "--no-cache-dir"))
					pip_all_nocache = false;
				r = operands(c, s + 1, pip_arg, pip_pinned, &pip);
			}
		} else if (strcmp(prog, "rm") == 0) {
			for (size_t i = p + 1; i < c->n; i++)
				if (strstr(c->w[i].text, "/var/lib/apt/lists"))
					ret->apt_lists_removed = true;
		}
	}
	ret->apt_no_recommends = ret->apt_install && apt_all_norec;
	ret->apk_no_cache = ret->apk_add && apk_all_nocache;
	ret->pip_no_cache = ret->pip_install && pip_all_nocache;
	/* each program once */
	if (r >= 0) {
		struct slist uniq;
		struct vg_hashmap seen;

		slist_init(&uniq);
		vg_hashmap_init(&seen, VG_HASHMAP_STRING, 0, NULL);
		for (size_t i = 0; i < progs.v.len && r >= 0; i++)
			r = uniq_push(&uniq, &seen, *(const char **)vg_vec_at(&progs.v, i));
		vg_hashmap_done(&seen);
		vg_vec_done(&progs.v);
		progs = uniq;
	}
	if (r >= 0)
		r = slist_take(&cmds, a, &ret->commands, &ret->n_commands);
	if (r >= 0)
		r = slist_take(&progs, a, &ret->programs, &ret->n_programs);
	if (r >= 0)
		r = slist_take(&vars, a, &ret->unquoted_vars, &ret->n_unquoted_vars);
	if (r >= 0)
		r = slist_take(&apt, a, &ret->apt_unpinned, &ret->n_apt_unpinned);
	if (r >= 0)
		r = slist_take(&apk, a, &ret->apk_unpinned, &ret->n_apk_unpinned);
	if (r >= 0)
		r = slist_take(&pip, a, &ret->pip_unpinned, &ret->n_pip_unpinned);
	vg_vec_done(&cmds.v), vg_vec_done(&progs.v), vg_vec_done(&vars.v);
	vg_vec_done(&apt.v), vg_vec_done(&apk.v), vg_vec_done(&pip.v);
	vg_vec_done(&x.words);
	vg_vec_done(&x.cmds);
	if (r == -E2BIG || r == -ENOSPC)
		return -E2BIG;
	return r < 0 ? r : 0;
}

/* ---- Dockerfile parser ----------------------------------------------------------------- */

struct parser {
	struct vg_dockerfile *df;
	const char *buf;
	size_t len, pos;
	unsigned line; /* of the next physical line */
	const char *name;
	char *err;
	size_t errsize;
};

VG_PRINTF(4, 5)
static int perr(struct parser *p, unsigned line, size_t col, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!p->err || !p->errsize)
		return -EBADMSG;
	k = snprintf(p->err, p->errsize, "%s:%u:%zu: ", p->name, line, col + 1);
	if (k >= 0 && (size_t)k < p->errsize) {
		va_start(ap, fmt);
		vsnprintf(p->err + k, p->errsize - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

/* The next physical line (without "\n" or "\r\n"); false at the end. */
static bool next_line(struct parser *p, const char **ret, size_t *ret_len)
{
	const char *s, *nl;
	size_t n;

	if (p->pos >= p->len)
		return false;
	s = p->buf + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - s) : p->len - p->pos;
	p->pos += n + (nl ? 1 : 0);
	if (n && s[n - 1] == '\r')
		n--;
	*ret = s;
	*ret_len = n;
	p->line++;
	return true;
}

static size_t skip_blank(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static bool blank_line(const char *s, size_t n)
{
	return skip_blank(s, n, 0) == n;
}

static bool comment_line(const char *s, size_t n)
{
	size_t i = skip_blank(s, n, 0);

	return i < n && s[i] == '#';
}

/* "# key=value" with key a parser directive; sets k, v and their lengths. */
static bool directive(const char *s, size_t n, const char **k, size_t *kn, const char **v,
		      size_t *vn)
{
	size_t i = skip_blank(s, n, 0), ks, ke;

	if (i >= n || s[i] != '#')
		return false;
	i = skip_blank(s, n, i + 1);
	ks = i;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	ke = i;
	i = skip_blank(s, n, i);
	if (ke == ks || i >= n || s[i] != '=')
		return false;
	i = skip_blank(s, n, i + 1);
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*k = s + ks, *kn = ke - ks, *v = s + i, *vn = n - i;
	return true;
}

static bool keyword_known(const char *k)
{
	static const char *const kw[] = {
		"ADD",	      "ARG",	     "CMD",    "COPY",	     "ENTRYPOINT", "ENV", "EXPOSE",
		"FROM",	      "HEALTHCHECK", "LABEL",  "MAINTAINER", "ONBUILD",	   "RUN", "SHELL",
		"STOPSIGNAL", "USER",	     "VOLUME", "WORKDIR",    NULL};

	for (const char *const *p = kw; *p; p++)
		if (strcmp(k, *p) == 0)
			return true;
	return false;
}

/* Shell-style words of s (quotes removed), for FROM, ENV, COPY, ... */
static int words(struct vg_arena *a, const char *s, struct slist *out)
{
	struct vg_strbuf w = VG_STRBUF_INIT(VG_DOCKERFILE_LINE_MAX);
	bool in = false;
	int r = 0;

	for (size_t i = 0; s[i] && r >= 0; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in) {
				const char *d = vg_arena_strdup(a, vg_strbuf_str(&w));

				r = d ? slist_push(out, d) : -ENOMEM;
				vg_strbuf_reset(&w);
				in = false;
			}
			continue;
		}
		in = true;
		if (c == '"' || c == '\'') {
			size_t j = i + 1;

			while (s[j] && s[j] != c && r >= 0) {
				if (c == '"' && s[j] == '\\' && s[j + 1])
					j++;
				r = vg_strbuf_putc(&w, s[j++]);
			}
			i = s[j] ? j : j - 1;
			continue;
		}
		r = vg_strbuf_putc(&w, c);
	}
	if (in && r >= 0) {
		const char *d = vg_arena_strdup(a, vg_strbuf_str(&w));

		r = d ? slist_push(out, d) : -ENOMEM;
	}
	vg_strbuf_done(&w);
	return r == -ENOSPC ? -E2BIG : r;
}

/* The JSON exec form: an array of strings only. */
static int json_form(struct vg_arena *a, const char *s, struct slist *out, bool *ret_json)
{
	json_t *j;
	json_error_t e;
	size_t i;
	json_t *v;
	int r = 0;

	*ret_json = false;
	s += strspn(s, " \t");
	if (*s != '[')
		return 0;
	j = json_loads(s, 0, &e);
	if (!j)
		return 0;
	if (!json_is_array(j)) {
		json_decref(j);
		return 0;
	}
	for (i = 0; i < json_array_size(j); i++)
		if (!json_is_string(json_array_get(j, i))) {
			json_decref(j);
			return 0;
		}
	for (i = 0; i < json_array_size(j); i++) {
		const char *d;

		v = json_array_get(j, i);
		d = vg_arena_strndup(a, json_string_value(v), json_string_length(v));

		r = d ? slist_push(out, d) : -ENOMEM;
		if (r < 0)
			break;
	}
	json_decref(j);
	*ret_json = r >= 0;
	return r;
}

/* Leading --flags of the arguments; returns where the rest starts. */
static int take_flags(struct vg_arena *a, const char *s, struct slist *out, const char **ret_rest)
{
	int r = 0;

	for (;;) {
		size_t n;
		const char *d;

		s += strspn(s, " \t\n");
		if (strncmp(s, "--", 2) != 0 || !isalpha((unsigned char)s[2]))
			break;
		n = strcspn(s, " \t\n");
		d = vg_arena_strndup(a, s, n);
		r = d ? slist_push(out, d) : -ENOMEM;
		if (r < 0)
			return r;
		s += n;
	}
	*ret_rest = s;
	return 0;
}

static const char *flag_value(const struct vg_df_instr *in, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < in->n_flags; i++)
		if (strncmp(in->flags[i], name, n) == 0 && in->flags[i][n] == '=')
			return in->flags[i] + n + 1;
	return NULL;
}

static char *upper_dup(struct vg_arena *a, const char *s, size_t n)
{
	char *d = vg_arena_strndup(a, s, n);

	for (size_t i = 0; d && i < n; i++)
		d[i] = (char)toupper((unsigned char)d[i]);
	return d;
}

/* FROM [--platform=...] image [AS name] */
static int parse_from(struct vg_dockerfile *df, struct vg_df_instr *in)
{
	const char *img, *at, *slash, *colon;
	char *s;

	if (in->n_argv < 1)
		return 0;
	img = in->argv[0];
	if (in->n_argv >= 3 && strcasecmp(in->argv[1], "as") == 0)
		in->from_alias = in->argv[2];
	s = vg_arena_strdup(&df->arena, img);
	if (!s)
		return -ENOMEM;
	at = strchr(s, '@');
	if (at) {
		in->from_digest = at + 1;
		*(char *)at = '\0';
	}
	slash = strrchr(s, '/');
	colon = strrchr(slash ? slash : s, ':');
	if (colon) {
		in->from_tag = colon + 1;
		*(char *)colon = '\0';
	}
	in->from_image = s;
	slash = strchr(s, '/');
	if (slash && (memchr(s, '.', (size_t)(slash - s)) || memchr(s, ':', (size_t)(slash - s)) ||
		      strncmp(s, "localhost/", 10) == 0))
		in->from_registry = vg_arena_strndup(&df->arena, s, (size_t)(slash - s));
	else
		in->from_registry = "docker.io";
	if (!in->from_registry)
		return -ENOMEM;
	for (int k = 0; k < df->n_stages; k++)
		if (df->stage_names[k] && strcasecmp(df->stage_names[k], img) == 0)
			in->from_stage = true;
	return 0;
}

/* Keys of ENV / ARG / LABEL: KEY=VALUE words, or the legacy "ENV KEY VALUE". */
static int parse_keys(struct vg_dockerfile *df, struct vg_df_instr *in)
{
	struct slist keys;
	int r = 0;

	slist_init(&keys);
	if (in->n_argv && !strchr(in->argv[0], '=') && strcmp(in->keyword, "ARG") != 0) {
		r = slist_push(&keys, in->argv[0]);
	} else {
		for (size_t i = 0; i < in->n_argv && r >= 0; i++) {
			const char *eq = strchr(in->argv[i], '=');
			const char *k = eq ? vg_arena_strndup(&df->arena, in->argv[i],
							      (size_t)(eq - in->argv[i]))
					   : in->argv[i];

			r = k ? slist_push(&keys, k) : -ENOMEM;
		}
	}
	if (r >= 0)
		return slist_take(&keys, &df->arena, &in->keys, &in->n_keys);
	vg_vec_done(&keys.v);
	return r;
}

static int parse_copy(struct vg_dockerfile *df, struct vg_df_instr *in)
{
	struct slist src;
	int r = 0;

	in->copy_from = flag_value(in, "--from");
	if (in->n_argv < 1)
		return 0;
	in->dest = in->n_argv >= 2 ? in->argv[in->n_argv - 1] : NULL;
	slist_init(&src);
	for (size_t i = 0; i + 1 < in->n_argv && r >= 0; i++)
		r = slist_push(&src, in->argv[i]);
	if (r >= 0)
		return slist_take(&src, &df->arena, &in->sources, &in->n_sources);
	vg_vec_done(&src.v);
	return r;
}

/* Heredoc openers in the arguments: <<[-]["']WORD["'] */
static int find_heredocs(struct parser *p, struct vg_df_instr *in, unsigned line,
			 struct vg_df_heredoc *hd, size_t *ret_n)
{
	const char *s = in->args;
	size_t n = 0;

	char inq = 0; /* the quote the scan is in: << inside quotes opens nothing */

	for (const char *q = s; *q; q++) {
		const char *w = q + 2;
		bool strip = false;
		char quote = 0;
		size_t len;

		if (inq) {
			if (*q == inq)
				inq = 0;
			else if (*q == '\\' && inq == '"' && q[1])
				q++;
			continue;
		}
		if (*q == '"' || *q == '\'') {
			inq = *q;
			continue;
		}
		if (*q == '\\' && q[1]) {
			q++;
			continue;
		}
		if (q[0] != '<' || q[1] != '<')
			continue;
		if (*w == '<') { /* <<< here-string */
			q = w;
			continue;
		}
		if (*w == '-')
			strip = true, w++;
		if (*w == '"' || *w == '\'')
			quote = *w++;
		len = 0;
		while (isalnum((unsigned char)w[len]) || w[len] == '_')
			len++;
		if (!len || (quote && w[len] != quote)) {
			q = w - 1;
			continue;
		}
		if (n >= VG_DOCKERFILE_HEREDOCS_MAX)
			return perr(p, line, (size_t)(q - s), "more than %d heredocs",
				    VG_DOCKERFILE_HEREDOCS_MAX),
			       -E2BIG;
		hd[n].delim = vg_arena_strndup(&p->df->arena, w, len);
		if (!hd[n].delim)
			return -ENOMEM;
		hd[n].strip_tabs = strip;
		hd[n].line = line;
		n++;
		q = w + len - 1 + (quote ? 1 : 0); /* the loop steps past the delimiter */
	}
	*ret_n = n;
	return 0;
}

static int read_heredoc(struct parser *p, struct vg_df_heredoc *h)
{
	struct vg_strbuf body = VG_STRBUF_INIT(VG_DOCKERFILE_LINE_MAX);
	const char *s;
	size_t n;
	int r = 0;

	while (next_line(p, &s, &n)) {
		size_t i = 0;

		if (h->strip_tabs)
			while (i < n && s[i] == '\t')
				i++;
		if (n - i == strlen(h->delim) && memcmp(s + i, h->delim, n - i) == 0) {
			h->body = vg_arena_strdup(&p->df->arena, vg_strbuf_str(&body));
			vg_strbuf_done(&body);
			return h->body ? 0 : -ENOMEM;
		}
		r = vg_strbuf_append(&body, s + i, n - i);
		if (r >= 0)
			r = vg_strbuf_putc(&body, '\n');
		if (r < 0) {
			vg_strbuf_done(&body);
			return perr(p, h->line, 0, "heredoc <<%s longer than %d bytes", h->delim,
				    VG_DOCKERFILE_LINE_MAX),
			       -E2BIG;
		}
	}
	vg_strbuf_done(&body);
	return perr(p, h->line, 0, "unterminated heredoc <<%s", h->delim);
}

/* The stage state when an instruction runs. */
struct stage_state {
	const char *user, *workdir;
	bool pipefail;
};

static int finish_instr(struct parser *p, struct vg_df_instr *in, struct stage_state *st)
{
	struct vg_dockerfile *df = p->df;
	struct slist flags, argv;
	const char *rest = in->args;
	int r;

	slist_init(&flags);
	slist_init(&argv);
	r = take_flags(&df->arena, in->args, &flags, &rest);
	if (r >= 0 && strcmp(in->keyword, "HEALTHCHECK") != 0 &&
	    strcmp(in->keyword, "ONBUILD") != 0)
		r = json_form(&df->arena, rest, &argv, &in->json);
	if (r >= 0 && !in->json)
		r = words(&df->arena, rest, &argv);
	if (r >= 0)
		r = slist_take(&flags, &df->arena, &in->flags, &in->n_flags);
	else
		vg_vec_done(&flags.v);
	if (r >= 0)
		r = slist_take(&argv, &df->arena, &in->argv, &in->n_argv);
	else
		vg_vec_done(&argv.v);
	if (r < 0)
		return r;

	if (strcmp(in->keyword, "FROM") == 0) {
		const char **names;

		if (df->n_stages >= VG_DOCKERFILE_STAGES_MAX)
			return perr(p, in->line, 0, "more than %d stages",
				    VG_DOCKERFILE_STAGES_MAX),
			       -E2BIG;
		r = parse_from(df, in);
		if (r < 0)
			return r;
		names = vg_arena_alloc(&df->arena, sizeof(*names) * (size_t)(df->n_stages + 1));
		if (!names)
			return -ENOMEM;
		if (df->n_stages)
			memcpy(names, df->stage_names, sizeof(*names) * (size_t)df->n_stages);
		names[df->n_stages++] = in->from_alias;
		df->stage_names = names;
		*st = (struct stage_state){0};
	} else if (strcmp(in->keyword, "ENV") == 0 || strcmp(in->keyword, "ARG") == 0 ||
		   strcmp(in->keyword, "LABEL") == 0) {
		r = parse_keys(df, in);
	} else if (strcmp(in->keyword, "COPY") == 0 || strcmp(in->keyword, "ADD") == 0) {
		r = parse_copy(df, in);
	} else if (strcmp(in->keyword, "USER") == 0) {
		st->user = in->n_argv ? in->argv[0] : "";
	} else if (strcmp(in->keyword, "WORKDIR") == 0) {
		st->workdir = in->n_argv ? in->argv[0] : "";
	} else if (strcmp(in->keyword, "SHELL") == 0) {
		st->pipefail = false;
		for (size_t i = 0; i + 1 < in->n_argv; i++)
			if (strcmp(in->argv[i], "-o") == 0 &&
			    strcmp(in->argv[i + 1], "pipefail") == 0)
				st->pipefail = true;
		for (size_t i = 0; i < in->n_argv; i++)
			if (in->argv[i][0] == '-' && in->argv[i][1] != '-' &&
			    strchr(in->argv[i], 'o') && i + 1 < in->n_argv &&
			    strcmp(in->argv[i + 1], "pipefail") == 0)
				st->pipefail = true;
	} else if (strcmp(in->keyword, "HEALTHCHECK") == 0) {
		df->has_healthcheck = true;
	} else if (strcmp(in->keyword, "RUN") == 0) {
		struct vg_strbuf sb = VG_STRBUF_INIT(VG_DOCKERFILE_LINE_MAX * 2);

		if (in->n_heredocs && strncmp(rest, "<<", 2) == 0) {
			/* RUN <<EOF: the heredocs are the script; `RUN cmd <<EOF` feeds cmd */
			for (size_t i = 0; i < in->n_heredocs && r >= 0; i++)
				r = vg_strbuf_printf(&sb, "%s\n", in->heredocs[i].body);
		} else if (in->json) {
			/* ["sh", "-c", "script"] */
			if (in->n_argv >= 3 && is_shell(base_name(in->argv[0])) &&
			    strcmp(in->argv[1], "-c") == 0)
				r = vg_strbuf_append(&sb, in->argv[2], strlen(in->argv[2]));
			for (size_t i = 0; !sb.len && i < in->n_argv && r >= 0; i++)
				r = vg_strbuf_printf(&sb, "%s'%s'", i ? " " : "", in->argv[i]);
		} else {
			r = vg_strbuf_append(&sb, rest, strlen(rest));
		}
		if (r >= 0)
			r = vg_sh_analyze(&df->arena, vg_strbuf_str(&sb), sb.len, &in->sh);
		vg_strbuf_done(&sb);
		if (r == -E2BIG || r == -ENOSPC)
			return perr(p, in->line, 0, "RUN with more than %d words or commands",
				    VG_DOCKERFILE_WORDS_MAX),
			       -E2BIG;
	}
	in->user = st->user;
	in->workdir = st->workdir;
	in->shell_pipefail = st->pipefail;
	in->stage = df->n_stages - 1;
	return r;
}

static int parse(struct parser *p)
{
	struct vg_dockerfile *df = p->df;
	struct vg_strbuf logical = VG_STRBUF_INIT(VG_DOCKERFILE_LINE_MAX);
	struct stage_state st = {0};
	struct slist progs;
	struct vg_hashmap seen_progs;
	bool directives = true, seen_escape = false;
	const char *s, *prev = NULL;
	size_t n;
	int r = 0;

	if (p->len >= 3 && memcmp(p->buf, "\xef\xbb\xbf", 3) == 0)
		p->pos = 3;
	if (memchr(p->buf, '\0', p->len)) {
		size_t at = (size_t)((const char *)memchr(p->buf, '\0', p->len) - p->buf);
		unsigned line = 1;

		for (size_t i = 0; i < at; i++)
			line += p->buf[i] == '\n';
		return perr(p, line, 0, "NUL byte");
	}
	slist_init(&progs);
	vg_hashmap_init(&seen_progs, VG_HASHMAP_STRING, 0, NULL);
	while (r >= 0 && next_line(p, &s, &n)) {
		struct vg_df_instr in = {0};
		struct vg_df_heredoc hd[VG_DOCKERFILE_HEREDOCS_MAX];
		unsigned first = p->line;
		size_t i, ks;
		const char *k, *v;
		size_t kn, vn;

		if (directives) {
			if (directive(s, n, &k, &kn, &v, &vn) &&
			    ((kn == 6 && strncasecmp(k, "escape", 6) == 0) ||
			     (kn == 6 && strncasecmp(k, "syntax", 6) == 0) ||
			     (kn == 5 && strncasecmp(k, "check", 5) == 0))) {
				if (kn == 6 && strncasecmp(k, "escape", 6) == 0) {
					if (seen_escape)
						r = perr(p, first, 0, "escape directive repeated");
					else if (vn != 1 || (v[0] != '\\' && v[0] != '`'))
						r = perr(p, first, (size_t)(v - s),
							 "escape must be \\ or `, not '%.*s'",
							 (int)VG_MIN(vn, (size_t)32), v);
					else
						df->escape = v[0];
					seen_escape = true;
				}
				continue;
			}
			directives = false;
		}
		if (blank_line(s, n) || comment_line(s, n))
			continue;
		/* the logical line: continuations joined, comment and blank lines dropped */
		vg_strbuf_reset(&logical);
		for (;;) {
			size_t m = n;
			bool cont;

			while (m && (s[m - 1] == ' ' || s[m - 1] == '\t'))
				m--;
			cont = m && s[m - 1] == df->escape;
			r = vg_strbuf_append(&logical, s, cont ? m - 1 : n);
			if (r < 0) {
				perr(p, first, 0, "instruction longer than %d bytes",
				     VG_DOCKERFILE_LINE_MAX);
				r = -E2BIG;
				break;
			}
			if (!cont)
				break;
			do {
				if (!next_line(p, &s, &n)) {
					s = NULL; /* continuation at the end: the instruction ends */
					break;
				}
			} while (comment_line(s, n) || blank_line(s, n));
			if (!s)
				break;
		}
		if (r < 0)
			break;
		in.line = first;
		in.end_line = p->line;
		s = vg_strbuf_str(&logical);
		n = logical.len;
		i = skip_blank(s, n, 0);
		ks = i;
		while (i < n && isalpha((unsigned char)s[i]))
			i++;
		if (i == ks || (i < n && s[i] != ' ' && s[i] != '\t')) {
			r = perr(p, first, ks, "expected an instruction, found '%.*s'",
				 (int)VG_MIN(strcspn(s + ks, " \t"), (size_t)40), s + ks);
			break;
		}
		in.keyword = upper_dup(&df->arena, s + ks, i - ks);
		if (!in.keyword) {
			r = -ENOMEM;
			break;
		}
		if (!keyword_known(in.keyword)) {
			r = perr(p, first, ks, "unknown instruction '%.*s'",
				 (int)VG_MIN(i - ks, (size_t)40), s + ks);
			break;
		}
		i = skip_blank(s, n, i);
		while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		in.args = vg_arena_strndup(&df->arena, s + i, n - i);
		if (!in.args) {
			r = -ENOMEM;
			break;
		}
		if (strcmp(in.keyword, "RUN") == 0 || strcmp(in.keyword, "COPY") == 0 ||
		    strcmp(in.keyword, "ADD") == 0) {
			r = find_heredocs(p, &in, first, hd, &in.n_heredocs);
			for (size_t h = 0; h < in.n_heredocs && r >= 0; h++)
				r = read_heredoc(p, &hd[h]);
			if (r < 0)
				break;
			if (in.n_heredocs) {
				in.heredocs = vg_arena_memdup(&df->arena, hd,
							      in.n_heredocs * sizeof(hd[0]));
				if (!in.heredocs) {
					r = -ENOMEM;
					break;
				}
				in.end_line = p->line;
			}
		}
		if (df->instrs.len >= VG_DOCKERFILE_INSTR_MAX) {
			perr(p, first, 0, "more than %d instructions", VG_DOCKERFILE_INSTR_MAX);
			r = -E2BIG;
			break;
		}
		in.index = df->instrs.len;
		in.prev = prev;
		in.df = df;
		r = finish_instr(p, &in, &st);
		if (r < 0)
			break;
		for (size_t q = 0; q < in.sh.n_programs && r >= 0; q++)
			r = uniq_push(&progs, &seen_progs, in.sh.programs[q]);
		if (strcmp(in.keyword, "USER") == 0) {
			df->last_user = in.user;
			df->last_user_index = in.index;
		} else if (strcmp(in.keyword, "FROM") == 0)
			df->last_user = NULL;
		if (!df->first_keyword)
			df->first_keyword = in.keyword;
		prev = in.keyword;
		if (r >= 0)
			r = vg_vec_push(&df->instrs, &in);
	}
	vg_strbuf_done(&logical);
	vg_hashmap_done(&seen_progs);
	df->n_lines = p->line;
	if (r >= 0)
		r = slist_take(&progs, &df->arena, &df->programs, &df->n_programs);
	else
		vg_vec_done(&progs.v);
	if (r == -EBADMSG && p->err && !p->err[0])
		perr(p, p->line, 0, "malformed Dockerfile");
	if ((r == -E2BIG || r == -ENOSPC) && p->err && !p->err[0]) {
		perr(p, p->line, 0, "more than %d words, keys or programs",
		     VG_DOCKERFILE_WORDS_MAX);
		r = -E2BIG;
	}
	if (r == -ENOMEM && vg_arena_error(&df->arena))
		return perr(p, p->line, 0, "Dockerfile needs more than %d bytes of memory",
			    VG_DOCKERFILE_ARENA_MAX),
		       -E2BIG;
	return r;
}

void vg_dockerfile_init(struct vg_dockerfile *df)
{
	memset(df, 0, sizeof(*df));
	vg_arena_init(&df->arena, VG_DOCKERFILE_ARENA_MAX);
	vg_vec_init(&df->instrs, sizeof(struct vg_df_instr), VG_DOCKERFILE_INSTR_MAX);
	df->escape = '\\';
}

void vg_dockerfile_done(struct vg_dockerfile *df)
{
	vg_vec_done(&df->instrs);
	vg_arena_done(&df->arena);
}

int vg_dockerfile_parse(struct vg_dockerfile *df, const char *buf, size_t len, const char *name,
			char *err, size_t errsize)
{
	struct parser p = {.df = df, .buf = buf, .len = len, .err = err, .errsize = errsize};

	p.name = name ? name : "<Dockerfile>";
	if (err && errsize)
		err[0] = '\0';
	df->path = vg_arena_strdup(&df->arena, p.name);
	if (!df->path)
		return -ENOMEM;
	if (len > VG_DOCKERFILE_MAX)
		return perr(&p, 1, 0, "file larger than %d bytes", VG_DOCKERFILE_MAX), -E2BIG;
	return parse(&p);
}

int vg_dockerfile_parse_file(struct vg_dockerfile *df, const char *path, char *err, size_t errsize)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int r = vg_read_file(path, VG_DOCKERFILE_MAX, &buf, &len);

	if (r < 0) {
		if (err && errsize)
			snprintf(err, errsize, "%s: %s", path,
				 r == -E2BIG ? "file too large" : strerror(-r));
		return r;
	}
	return vg_dockerfile_parse(df, buf, len, path, err, errsize);
}
