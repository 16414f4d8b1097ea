/* SPDX-License-Identifier: Apache-2.0 */
/*
 * State snapshots and records (see state.h): one compact JSON object per process or
 * container, written in a fixed key order and sorted so the same state always gives the
 * same bytes. Strings that are not valid UTF-8 (paths and argv are bytes) are written as
 * "<key>_hex" so that loading restores them exactly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "basic/string-util.h"
#include "shared/json.h"
#include "state/state.h"

static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;

		if (c < 0x80) {
			if (c == 0)
				return false;
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			k = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

static int put_hex(struct vg_strbuf *sb, const char *s, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	int r = vg_strbuf_putc(sb, '"');

	for (size_t i = 0; i < n && r >= 0; i++) {
		char b[2] = {hx[(unsigned char)s[i] >> 4], hx[(unsigned char)s[i] & 15]};

		r = vg_strbuf_append(sb, b, 2);
	}
	return r < 0 ? r : vg_strbuf_putc(sb, '"');
}

/* ,"key":"value" or ,"key_hex":"..." */
static int put_str(struct vg_strbuf *sb, const char *key, const char *s, size_t n)
{
	bool ok = valid_utf8((const unsigned char *)s, n);
	int r = vg_strbuf_printf(sb, ",\"%s%s\":", key, ok ? "" : "_hex");

	if (r < 0)
		return r;
	return ok ? vg_strbuf_put_json_string(sb, s, n) : put_hex(sb, s, n);
}

static int put_tuple(struct vg_strbuf *sb, const struct vg_tuple *t)
{
	int r = vg_strbuf_printf(sb,
				 ",\"tuple\":{\"family\":%u,\"type\":%u,\"proto\":%u,\"sport\":%u,"
				 "\"dport\":%u,\"state\":%u,\"saddr\":",
				 t->family, t->type, t->proto, t->sport, t->dport, t->state);

	if (r >= 0)
		r = put_hex(sb, (const char *)t->saddr, 16);
	if (r >= 0)
		r = vg_strbuf_puts(sb, ",\"daddr\":");
	if (r >= 0)
		r = put_hex(sb, (const char *)t->daddr, 16);
	if (r >= 0)
		r = vg_strbuf_putc(sb, '}');
	return r;
}

static int proc_json(const struct vg_proc *p, struct vg_strbuf *sb)
{
	cleanup_free struct vg_fd **fds = NULL;
	size_t nfds = 0;
	int r;

	r = vg_strbuf_printf(
		sb,
		"{\"tgid\":%u,\"ptgid\":%u,\"vpid\":%u,\"sid\":%u,\"pgid\":%u,\"tty\":%u,"
		"\"loginuid\":%u,\"uid\":%u,\"gid\":%u,\"euid\":%u,\"egid\":%u,\"cap_eff\":%llu,"
		"\"cap_prm\":%llu,\"start_ns\":%llu,\"exit_ns\":%llu,\"exit_code\":%lld,"
		"\"cgroup_id\":%llu,\"exe_ino\":%llu,\"exe_mtime_ns\":%llu,\"exe_ctime_ns\":%llu,"
		"\"exe_flags\":%u,\"mnt_ns\":%u,\"pid_ns\":%u,\"net_ns\":%u,\"user_ns\":%u,"
		"\"exited\":%s,\"partial\":%s",
		p->tgid, p->ptgid, p->vpid, p->sid, p->pgid, p->tty, p->loginuid, p->uid, p->gid,
		p->euid, p->egid, (unsigned long long)p->cap_eff, (unsigned long long)p->cap_prm,
		(unsigned long long)p->start_ns, (unsigned long long)p->exit_ns,
		(long long)p->exit_code, (unsigned long long)p->cgroup_id,
		(unsigned long long)p->exe_ino, (unsigned long long)p->exe_mtime_ns,
		(unsigned long long)p->exe_ctime_ns, p->exe_flags, p->mnt_ns, p->pid_ns, p->net_ns,
		p->user_ns, p->exited ? "true" : "false", p->partial ? "true" : "false");
	if (r >= 0)
		r = put_str(sb, "comm", p->comm, strlen(p->comm));
	if (r >= 0)
		r = put_str(sb, "exe", p->exe, strlen(p->exe));
	if (r >= 0)
		r = put_str(sb, "cwd", p->cwd, strlen(p->cwd));
	if (r >= 0)
		r = vg_strbuf_puts(sb, ",\"args_hex\":");
	if (r >= 0)
		r = put_hex(sb, p->args, p->args_len);
	if (r >= 0)
		r = put_str(sb, "container", p->container ? p->container->id : "host",
			    strlen(p->container ? p->container->id : "host"));
	if (r >= 0)
		r = vg_strbuf_puts(sb, ",\"threads\":[");
	/* threads sorted by tid: the list is in insertion order, so sort a copy */
	if (r >= 0) {
		uint32_t n = 0;
		struct vg_thread *v[256];
		size_t cnt = 0;

		for (struct vg_thread *th = p->threads; th && cnt < VG_ARRAY_SIZE(v); th = th->next)
			v[cnt++] = th;
		for (size_t i = 1; i < cnt; i++)
			for (size_t j = i; j > 0 && v[j - 1]->tid > v[j]->tid; j--) {
				struct vg_thread *tmp = v[j];

				v[j] = v[j - 1];
				v[j - 1] = tmp;
			}
		for (size_t i = 0; i < cnt && r >= 0; i++, n++) {
			r = vg_strbuf_printf(sb, "%s{\"tid\":%u,\"vtid\":%u", n ? "," : "",
					     v[i]->tid, v[i]->vtid);
			if (r >= 0)
				r = put_str(sb, "comm", v[i]->comm, strlen(v[i]->comm));
			if (r >= 0)
				r = vg_strbuf_putc(sb, '}');
		}
	}
	if (r >= 0)
		r = vg_strbuf_puts(sb, "],\"fds\":[");
	if (r >= 0)
		r = vg_fdtable_sorted(&p->fds, &fds, &nfds);
	for (size_t i = 0; i < nfds && r >= 0; i++) {
		const struct vg_fd *f = fds[i];

		r = vg_strbuf_printf(sb, "%s{\"fd\":%d,\"type\":\"%s\",\"flags\":%u,\"ino\":%llu",
				     i ? "," : "", f->fd, vg_fd_type_to_string(f->type), f->flags,
				     (unsigned long long)f->ino);
		if (r >= 0)
			r = put_str(sb, "name", f->name, strlen(f->name));
		if (r >= 0 && f->has_tuple)
			r = put_tuple(sb, &f->tuple);
		if (r >= 0)
			r = vg_strbuf_putc(sb, '}');
	}
	if (r >= 0)
		r = vg_strbuf_puts(sb, "]}");
	return r;
}

int vg_state_proc_to_json(const struct vg_state *s, const struct vg_proc *p, char **ret,
			  size_t *ret_len)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(VG_CAPTURE_RECORD_MAX);
	int r;

	(void)s;
	r = proc_json(p, &sb);
	if (r < 0) {
		vg_strbuf_done(&sb);
		return r;
	}
	*ret_len = sb.len;
	return vg_strbuf_steal(&sb, ret);
}

int vg_state_container_to_json(const struct vg_container *c, char **ret, size_t *ret_len)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(VG_CAPTURE_RECORD_MAX);
	cleanup_free char *meta = NULL;
	int r;

	r = vg_strbuf_puts(&sb, "{\"id\":");
	if (r >= 0)
		r = vg_strbuf_put_json_string(&sb, c->id, strlen(c->id));
	if (r >= 0)
		r = vg_strbuf_printf(
			&sb, ",\"runtime\":\"%s\",\"state\":\"%s\",\"error\":%d,\"pod_uid\":",
			vg_runtime_to_string(c->runtime), vg_container_state_to_string(c->state),
			c->error);
	if (r >= 0)
		r = vg_strbuf_put_json_string(&sb, c->pod_uid, strlen(c->pod_uid));
	if (r >= 0)
		r = vg_strbuf_puts(&sb, ",\"cgroup_ids\":[");
	for (uint32_t i = 0; i < c->n_cgroup_ids && r >= 0; i++)
		r = vg_strbuf_printf(&sb, "%s%llu", i ? "," : "",
				     (unsigned long long)c->cgroup_ids[i]);
	if (r >= 0)
		r = vg_strbuf_puts(&sb, "],\"meta\":");
	if (r >= 0 && c->meta) {
		r = vg_container_meta_to_json(c->meta, &meta);
		if (r >= 0)
			r = vg_strbuf_puts(&sb, meta);
	} else if (r >= 0) {
		r = vg_strbuf_puts(&sb, "null");
	}
	if (r >= 0)
		r = vg_strbuf_putc(&sb, '}');
	if (r < 0) {
		vg_strbuf_done(&sb);
		return r;
	}
	*ret_len = sb.len;
	return vg_strbuf_steal(&sb, ret);
}

static int cmp_container(const void *a, const void *b)
{
	return strcmp((*(struct vg_container *const *)a)->id,
		      (*(struct vg_container *const *)b)->id);
}

static int cmp_proc(const void *a, const void *b)
{
	uint32_t x = (*(struct vg_proc *const *)a)->tgid, y = (*(struct vg_proc *const *)b)->tgid;

	return (x > y) - (x < y);
}

int vg_state_snapshot(struct vg_state *s,
		      int (*emit)(void *ud, int rectype, const char *json, size_t n), void *ud)
{
	size_t nc = vg_hashmap_size(&s->containers.by_id), np = vg_proc_table_nprocs(&s->procs);
	cleanup_free struct vg_container **cv = calloc(nc ? nc : 1, sizeof(*cv));
	cleanup_free struct vg_proc **pv = calloc(np ? np : 1, sizeof(*pv));
	struct vg_hashmap_entry *e;
	size_t k;
	int r;

	if (!cv || !pv)
		return -ENOMEM;
	k = 0;
	for (size_t i = 0; vg_hashmap_next(&s->containers.by_id, &i, &e) && k < nc;)
		cv[k++] = e->value;
	nc = k;
	qsort(cv, nc, sizeof(*cv), cmp_container);
	k = 0;
	for (size_t i = 0; vg_hashmap_next(&s->procs.procs, &i, &e) && k < np;)
		pv[k++] = e->value;
	np = k;
	qsort(pv, np, sizeof(*pv), cmp_proc);

	for (size_t i = 0; i < nc; i++) {
		cleanup_free char *json = NULL;
		size_t n;

		r = vg_state_container_to_json(cv[i], &json, &n);
		if (r < 0)
			return r;
		r = emit(ud, VG_STATE_REC_CONTAINER, json, n);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < np; i++) {
		cleanup_free char *json = NULL;
		size_t n;

		r = vg_state_proc_to_json(s, pv[i], &json, &n);
		if (r < 0)
			return r;
		r = emit(ud, VG_STATE_REC_PROC, json, n);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- loading ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes a hex string into @buf (at most @size bytes); returns the length. */
static int unhex(const char *h, char *buf, size_t size)
{
	size_t n = strlen(h);

	if (n % 2 || n / 2 > size)
		return n % 2 ? -EBADMSG : -E2BIG;
	for (size_t i = 0; i < n / 2; i++) {
		int a = hexval(h[2 * i]), b = hexval(h[2 * i + 1]);

		if (a < 0 || b < 0)
			return -EBADMSG;
		buf[i] = (char)(a << 4 | b);
	}
	return (int)(n / 2);
}

/* String field @key (or @key_hex) into @buf, NUL-terminated; "" when absent. */
static int get_str(json_t *o, const char *key, char *buf, size_t size)
{
	char hk[64];
	const char *v;
	int n;

	buf[0] = '\0';
	v = vg_json_get_str(o, key);
	if (v) {
		if (strlen(v) >= size)
			return -E2BIG;
		memcpy(buf, v, strlen(v) + 1);
		return 0;
	}
	(void)snprintf(hk, sizeof(hk), "%s_hex", key);
	v = vg_json_get_str(o, hk);
	if (!v)
		return 0;
	n = unhex(v, buf, size - 1);
	if (n < 0)
		return n;
	buf[n] = '\0';
	if (strlen(buf) != (size_t)n)
		return -EBADMSG; /* embedded NUL */
	return 0;
}

static int get_u64(json_t *o, const char *key, uint64_t *ret)
{
	int r = vg_json_get_u64(o, key, ret);

	if (r == -ENOENT) {
		*ret = 0;
		return 0;
	}
	return r < 0 ? -EBADMSG : 0;
}

static int get_u32(json_t *o, const char *key, uint32_t *ret)
{
	uint64_t v;
	int r = get_u64(o, key, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -EBADMSG;
	*ret = (uint32_t)v;
	return 0;
}

static int load_tuple(json_t *o, struct vg_tuple *t)
{
	char buf[17];
	uint32_t v;
	int r = 0;

	*t = (struct vg_tuple){0};
	if ((r = get_u32(o, "family", &v)) < 0 || v > 0xffff)
		return -EBADMSG;
	t->family = (uint16_t)v;
	if ((r = get_u32(o, "type", &v)) < 0 || v > 0xffff)
		return -EBADMSG;
	t->type = (uint16_t)v;
	if ((r = get_u32(o, "proto", &v)) < 0 || v > 0xffff)
		return -EBADMSG;
	t->proto = (uint16_t)v;
	if ((r = get_u32(o, "sport", &v)) < 0 || v > 0xffff)
		return -EBADMSG;
	t->sport = (uint16_t)v;
	if ((r = get_u32(o, "dport", &v)) < 0 || v > 0xffff)
		return -EBADMSG;
	t->dport = (uint16_t)v;
	if ((r = get_u32(o, "state", &t->state)) < 0)
		return r;
	{
		const char *h = vg_json_get_str(o, "saddr");

		if (h && (strlen(h) != 32 || unhex(h, buf, 16) != 16))
			return -EBADMSG;
		if (h)
			memcpy(t->saddr, buf, 16);
		h = vg_json_get_str(o, "daddr");
		if (h && (strlen(h) != 32 || unhex(h, buf, 16) != 16))
			return -EBADMSG;
		if (h)
			memcpy(t->daddr, buf, 16);
	}
	return 0;
}

static int load_container(struct vg_state *s, json_t *o)
{
	char id[VG_CONTAINER_ID_MAX + 1], pod[VG_POD_UID_MAX + 1];
	const char *rt = vg_json_get_str(o, "runtime"), *st = vg_json_get_str(o, "state");
	struct vg_container *c;
	json_t *cg, *meta;
	int runtime, state, r;
	int64_t err = 0;

	r = get_str(o, "id", id, sizeof(id));
	if (r < 0)
		return r;
	if (!id[0] || strcmp(id, "host") == 0 || strcmp(id, "unknown") == 0)
		return -EBADMSG;
	runtime = rt ? vg_runtime_from_string(rt) : VG_RUNTIME_NONE;
	state = st ? vg_container_state_from_string(st) : VG_CONTAINER_PENDING;
	if (runtime < 0 || state < 0)
		return -EBADMSG;
	r = get_str(o, "pod_uid", pod, sizeof(pod));
	if (r < 0)
		return r;
	r = vg_json_get_int(o, "error", &err);
	if (r < 0 && r != -ENOENT)
		return -EBADMSG;
	if (err > 0 || err < -4095)
		return -EBADMSG;

	r = vg_container_put(&s->containers, id, (enum vg_runtime)runtime, &c);
	if (r < 0)
		return r;
	memcpy(c->pod_uid, pod, sizeof(pod));
	c->state = (enum vg_container_state)state;
	c->error = (int)err;
	meta = vg_json_get_obj(o, "meta");
	if (meta) {
		cleanup_free char *mj = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
		struct vg_container_meta *m = NULL;

		if (!mj)
			return -ENOMEM;
		r = vg_container_meta_from_json(mj, strlen(mj), &m);
		if (r < 0)
			return r;
		vg_container_meta_free(c->meta);
		c->meta = m;
	} else {
		vg_container_meta_free(c->meta);
		c->meta = NULL;
	}
	cg = vg_json_get_array(o, "cgroup_ids");
	if (cg) {
		size_t i;
		json_t *v;

		if (json_array_size(cg) > VG_CONTAINER_CGROUPS_MAX)
			return -E2BIG;
		json_array_foreach(cg, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				return -EBADMSG;
			r = vg_container_map_cgroup(&s->containers, (uint64_t)json_integer_value(v),
						    c);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

struct proc_fields {
	char comm[VG_COMM_LEN + 1];
	char exe[VG_PATH_MAX + 1];
	char cwd[VG_PATH_MAX + 1];
	char args[VG_CMDLINE_MAX + 1];
	char container[VG_CONTAINER_ID_MAX + 1];
	char name[VG_PATH_MAX + 1];
};

static int load_proc(struct vg_state *s, json_t *o)
{
	cleanup_free struct proc_fields *f = calloc(1, sizeof(*f));
	struct vg_proc *p;
	struct vg_thread *th;
	uint32_t tgid;
	uint64_t v;
	json_t *arr, *it;
	size_t i;
	int r, args_len = 0;
	bool exited = false, partial = false;
	const char *hex;

	if (!f)
		return -ENOMEM;
	r = get_u32(o, "tgid", &tgid);
	if (r < 0)
		return r;
	if (tgid == 0)
		return -EBADMSG;
	if ((r = get_str(o, "comm", f->comm, VG_COMM_LEN)) < 0 ||
	    (r = get_str(o, "exe", f->exe, sizeof(f->exe))) < 0 ||
	    (r = get_str(o, "cwd", f->cwd, sizeof(f->cwd))) < 0 ||
	    (r = get_str(o, "container", f->container, sizeof(f->container))) < 0)
		return r;
	hex = vg_json_get_str(o, "args_hex");
	if (hex) {
		args_len = unhex(hex, f->args, VG_CMDLINE_MAX);
		if (args_len < 0)
			return args_len;
	}
	arr = vg_json_get_array(o, "threads");
	if (arr && json_array_size(arr) > 256)
		return -E2BIG;
	if ((r = vg_json_get_bool(o, "exited", &exited)) < 0 && r != -ENOENT)
		return -EBADMSG;
	if ((r = vg_json_get_bool(o, "partial", &partial)) < 0 && r != -ENOENT)
		return -EBADMSG;

	/* the leader thread: the first listed, or tgid itself */
	r = vg_proc_new(&s->procs, tgid, tgid, &p, &th);
	if (r < 0)
		return r;
#define U32(k, field)                                   \
	do {                                            \
		if ((r = get_u32(o, k, &p->field)) < 0) \
			goto fail;                      \
	} while (0)
#define U64(k, field)                            \
	do {                                     \
		if ((r = get_u64(o, k, &v)) < 0) \
			goto fail;               \
		p->field = v;                    \
	} while (0)
	U32("ptgid", ptgid);
	U32("vpid", vpid);
	U32("sid", sid);
	U32("pgid", pgid);
	U32("tty", tty);
	U32("loginuid", loginuid);
	U32("uid", uid);
	p->creds_known = true;
	U32("gid", gid);
	U32("euid", euid);
	U32("egid", egid);
	U64("cap_eff", cap_eff);
	U64("cap_prm", cap_prm);
	U64("start_ns", start_ns);
	U64("exit_ns", exit_ns);
	U64("cgroup_id", cgroup_id);
	U64("exe_ino", exe_ino);
	U64("exe_mtime_ns", exe_mtime_ns);
	U64("exe_ctime_ns", exe_ctime_ns);
	U32("exe_flags", exe_flags);
	U32("mnt_ns", mnt_ns);
	U32("pid_ns", pid_ns);
	U32("net_ns", net_ns);
	U32("user_ns", user_ns);
#undef U32
#undef U64
	{
		int64_t code = 0;

		r = vg_json_get_int(o, "exit_code", &code);
		if (r < 0 && r != -ENOENT) {
			r = -EBADMSG;
			goto fail;
		}
		p->exit_code = code;
	}
	vg_proc_set_comm(p, f->comm);
	memcpy(th->comm, p->comm, sizeof(th->comm));
	if ((r = vg_proc_set_exe(p, f->exe)) < 0 || (r = vg_proc_set_cwd(p, f->cwd)) < 0 ||
	    (r = vg_proc_set_args(p, f->args, (size_t)args_len)) < 0)
		goto fail;
	p->partial = partial;
	{
		struct vg_container *c =
			f->container[0] ? vg_container_get(&s->containers, f->container) : NULL;

		if (!c && f->container[0]) {
			r = vg_container_put(&s->containers, f->container, VG_RUNTIME_NONE, &c);
			if (r < 0)
				goto fail;
		}
		vg_proc_set_container(p, c ? c : &s->containers.host);
	}

	json_array_foreach(arr, i, it)
	{
		uint32_t tid, vtid;
		struct vg_thread *t2;

		if ((r = get_u32(it, "tid", &tid)) < 0 || (r = get_u32(it, "vtid", &vtid)) < 0)
			goto fail;
		if ((r = get_str(it, "comm", f->comm, VG_COMM_LEN)) < 0)
			goto fail;
		if (tid == 0) {
			r = -EBADMSG;
			goto fail;
		}
		if (tid == tgid)
			t2 = th;
		else if ((r = vg_thread_new(&s->procs, p, tid, &t2)) < 0)
			goto fail;
		t2->vtid = vtid;
		(void)vg_strlcpy(t2->comm, f->comm, sizeof(t2->comm));
	}

	arr = vg_json_get_array(o, "fds");
	if (arr && json_array_size(arr) > p->fds.max) {
		r = -E2BIG;
		goto fail;
	}
	json_array_foreach(arr, i, it)
	{
		int64_t fdn;
		uint32_t flags;
		uint64_t ino;
		const char *ty = vg_json_get_str(it, "type");
		int type = ty ? vg_fd_type_from_string(ty) : VG_FD_UNKNOWN;
		struct vg_tuple t;
		json_t *tj = vg_json_get_obj(it, "tuple");
		struct vg_fd *fd;

		if (type < 0 || vg_json_get_int(it, "fd", &fdn) < 0 || fdn < 0 || fdn > INT32_MAX) {
			r = -EBADMSG;
			goto fail;
		}
		if ((r = get_u32(it, "flags", &flags)) < 0 || (r = get_u64(it, "ino", &ino)) < 0 ||
		    (r = get_str(it, "name", f->name, sizeof(f->name))) < 0)
			goto fail;
		if (tj && (r = load_tuple(tj, &t)) < 0)
			goto fail;
		r = vg_fdtable_set(&p->fds, (int)fdn, (enum vg_fd_type)type, f->name,
				   tj ? &t : NULL, flags, &fd);
		if (r < 0)
			goto fail;
		fd->ino = ino;
	}
	if (exited) {
		uint64_t ts = p->exit_ns;

		vg_proc_exit(&s->procs, p, ts, p->exit_code);
	}
	return 0;
fail:
	/* drop the half-loaded process */
	vg_proc_exit(&s->procs, p, 0, 0);
	return r;
}

int vg_state_load_record(struct vg_state *s, int rectype, const char *json, size_t n)
{
	cleanup_json json_t *o = NULL;
	int r;

	if (rectype != VG_STATE_REC_PROC && rectype != VG_STATE_REC_CONTAINER)
		return -EINVAL;
	if (n > VG_CAPTURE_RECORD_MAX)
		return -E2BIG;
	r = vg_json_parse(json, n, &o, NULL, 0);
	if (r < 0)
		return r;
	if (!json_is_object(o))
		return -EBADMSG;
	vg_proc_table_collect(&s->procs);
	if (rectype == VG_STATE_REC_CONTAINER)
		return load_container(s, o);
	return load_proc(s, o);
}
