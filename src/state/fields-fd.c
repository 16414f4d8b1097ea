/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fd.* fields of the `syscall` source. The event's fd is the one the state engine resolved
 * (ctx->fd: created, used, updated or closed by the event); without it, the event's own
 * parameters: the path of a failed open*, the tuple of a socket call, the FDPATH of
 * fchmod-like calls. Other events have no fd (<NA>).
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "basic/macro.h"
#include "state/dns.h"
#include "state/fields-internal.h"

struct fdview {
	int64_t num;
	bool has_num;
	enum vg_fd_type type;
	const char *name; /* never NULL once found */
	const char *nameraw; /* NULL: same as name */
	bool has_tuple;
	struct vg_tuple t;
	uint64_t ino;
	int server; /* 1 server side, 0 client side, -1 unknown */
};

static enum vg_fd_type type_of_family(unsigned fam)
{
	switch (fam) {
	case AF_INET:
		return VG_FD_IPV4;
	case AF_INET6:
		return VG_FD_IPV6;
	case AF_UNIX:
		return VG_FD_UNIX;
	case AF_NETLINK:
		return VG_FD_NETLINK;
	default:
		return VG_FD_SOCKET;
	}
}

static bool is_open(unsigned sc)
{
	return sc == VG_SC_OPEN || sc == VG_SC_OPENAT || sc == VG_SC_OPENAT2 || sc == VG_SC_CREAT;
}

/* The fd an event is about. need_name false: the caller does not read v->name beyond
 * whether there is one (fd.num, fd.typechar of a failed open: no path to normalise). */
static bool find_fd(const struct vg_syscall_obj *o, struct fdview *v, char *buf, size_t size,
		    bool need_name)
{
	const struct vg_event *e = o->e;
	const struct vg_event_hdr *h = e->hdr;
	const struct vg_fd *f = o->ctx ? o->ctx->fd : NULL;

	memset(v, 0, sizeof(*v));
	v->server = -1;
	if (h->kind != VG_EV_SYSCALL)
		return false;
	if (f) {
		v->num = f->fd;
		v->has_num = true;
		v->type = f->type;
		v->name = f->name;
		v->has_tuple = f->has_tuple;
		v->t = f->tuple;
		v->ino = f->ino;
	} else if (is_open(h->sc)) {
		/* lexical, as Falco (see apply_syscall()); RESOLVED only without PATH */
		v->name = need_name ? vg_sf_abs_path(e, VG_P_PATH, VG_P_BASE, buf, size)
				    : vg_event_str(e, VG_P_PATH);
		if (!v->name)
			v->name = vg_event_str(e, VG_P_RESOLVED);
		v->type = VG_FD_FILE;
		if (h->ret >= 0) {
			v->num = h->ret;
			v->has_num = true;
		}
	} else if (vg_event_tuple_copy(e, &v->t)) {
		bool acc = h->sc == VG_SC_ACCEPT || h->sc == VG_SC_ACCEPT4;

		v->has_tuple = true;
		v->type = type_of_family(v->t.family);
		if (vg_fd_tuple_name(&v->t, acc, "", buf, size) < 0)
			buf[0] = '\0';
		v->name = buf;
		v->num = acc ? h->ret : (int32_t)h->args[0];
		v->has_num = !acc || h->ret >= 0;
	} else if (vg_event_str(e, VG_P_FDPATH) && h->sc != VG_SC_SETNS) {
		uint64_t ino;

		v->name = vg_event_str(e, VG_P_FDPATH);
		v->type = vg_fd_classify_link(v->name, &ino);
		v->num = (int32_t)h->args[0];
		v->has_num = true;
	} else {
		return false;
	}
	if (!v->name)
		return false;
	if (is_open(h->sc))
		v->nameraw = vg_event_str(e, VG_P_PATH);
	switch (h->sc) {
	case VG_SC_ACCEPT:
	case VG_SC_ACCEPT4:
	case VG_SC_LISTEN:
	case VG_SC_BIND:
		v->server = 1;
		break;
	case VG_SC_CONNECT:
	case VG_SC_SENDTO:
	case VG_SC_SENDMSG:
		v->server = 0;
		break;
	case VG_SC_RECVFROM:
	case VG_SC_RECVMSG:
		/* like sendto: the socket's own view decides (a listening or bound UDP
		 * server receives; a client's reply arrives on its connected socket) */
		if (v->has_tuple)
			v->server = v->t.state == 10 /* TCP_LISTEN */ || v->t.dport == 0;
		break;
	default:
		if (v->has_tuple)
			v->server = v->t.state == 10 /* TCP_LISTEN */;
		break;
	}
	return true;
}

static bool is_ip(const struct fdview *v)
{
	return v->has_tuple && (v->t.family == AF_INET || v->t.family == AF_INET6);
}

/* local = saddr/sport, remote = daddr/dport; the client is the local side unless server. */
static void extract_addr(const struct fdview *v, bool local, struct vg_extract *x)
{
	if (!is_ip(v))
		return;
	(void)vg_extract_ip(x, v->t.family, local ? v->t.saddr : v->t.daddr);
}

static void extract_port(const struct fdview *v, bool local, struct vg_extract *x)
{
	if (!is_ip(v))
		return;
	(void)vg_extract_uint(x, local ? v->t.sport : v->t.dport);
}

static const char *l4proto(const struct fdview *v)
{
	if (!is_ip(v))
		return NULL;
	switch (v->t.proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
	case 58:
		return "icmp";
	case 255:
		return "raw";
	default:
		break;
	}
	switch (v->t.type) {
	case 1: /* SOCK_STREAM */
		return "tcp";
	case 2: /* SOCK_DGRAM */
		return "udp";
	case 3: /* SOCK_RAW */
		return "raw";
	default:
		return NULL;
	}
}

static bool is_pathlike(enum vg_fd_type t)
{
	return t == VG_FD_FILE || t == VG_FD_DIRECTORY;
}

static void extract_dir(const struct fdview *v, struct vg_extract *x, const char *prefix)
{
	const char *slash;
	size_t n;

	if (!is_pathlike(v->type) || v->name[0] != '/')
		return;
	if (v->type == VG_FD_DIRECTORY) {
		n = strlen(v->name);
	} else {
		slash = strrchr(v->name, '/');
		n = slash == v->name ? 1 : (size_t)(slash - v->name);
	}
	if (prefix)
		(void)vg_extract_printf(x, "%s:%.*s", prefix, (int)n, v->name);
	else
		(void)vg_extract_strdup(x, v->name, n);
}

static void extract_types(const struct vg_syscall_obj *o, const struct vg_field_arg *arg,
			  struct vg_extract *x)
{
	const struct vg_proc *p = vg_sf_proc_of(o);
	struct vg_hashmap_entry *ent;
	uint64_t seen = 0;

	if (!p)
		return;
	if (arg && arg->present) {
		const struct vg_fd *f =
			arg->is_index ? vg_fdtable_get(&p->fds, (int)arg->index) : NULL;

		if (f)
			(void)vg_extract_cstr(x, vg_fd_type_to_string(f->type));
		return;
	}
	for (size_t i = 0; vg_hashmap_next(&p->fds.map, &i, &ent);) {
		const struct vg_fd *f = ent->value;

		if ((unsigned)f->type < 64 && !(seen & (1ull << f->type))) {
			seen |= 1ull << f->type;
			(void)vg_extract_cstr(x, vg_fd_type_to_string(f->type));
		}
	}
}

/* One character as a string: printable ones point into a constant (fd.typechar is tested on
 * every open), others are copied to the scratch. */
static void extract_char(struct vg_extract *x, char c)
{
	static const char printable[] =
		" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
	size_t room;
	char *dst;

	if (c >= ' ' && c <= '~') {
		(void)vg_extract_str(x, &printable[c - ' '], 1);
		return;
	}
	dst = vg_extract_buf(x, &room);
	if (!dst || room < 2) {
		x->overflow = true;
		return;
	}
	dst[0] = c;
	(void)vg_extract_commit(x, 1);
}

/*
 * fd.num, fd.typechar, fd.type, and fd.name, fd.directory, fd.filename of the state's fd, as
 * the general path would give them, without building a struct fdview: Falco's
 * open_read/open_write test the first three on every open. false: not one of the cases
 * handled here (the caller takes the general path).
 */
static inline __attribute__((always_inline)) bool extract_simple(const struct vg_syscall_obj *o,
								 int id, struct vg_extract *x)
{
	const struct vg_event_hdr *h = o->e->hdr;
	const struct vg_fd *fd = o->ctx ? o->ctx->fd : NULL;
	const char *name;
	enum vg_fd_type type;
	int64_t num;
	bool has_num;

	if (h->kind != VG_EV_SYSCALL)
		return true; /* no fd: <NA> */
	if (fd) {
		name = fd->name;
		type = fd->type;
		num = fd->fd;
		has_num = true;
	} else if (is_open(h->sc) && (id == F_FD_NUM || id == F_FD_TYPECHAR || id == F_FD_TYPE)) {
		name = vg_event_str(o->e, VG_P_PATH);
		if (!name)
			name = vg_event_str(o->e, VG_P_RESOLVED);
		type = VG_FD_FILE;
		num = h->ret;
		has_num = h->ret >= 0;
	} else {
		return false;
	}
	if (!name)
		return true;
	switch (id) {
	case F_FD_NUM:
		if (has_num)
			(void)vg_extract_int(x, num);
		break;
	case F_FD_TYPECHAR:
		extract_char(x, vg_fd_type_char(type));
		break;
	case F_FD_TYPE:
		(void)vg_extract_cstr(x, vg_fd_type_to_string(type));
		break;
	case F_FD_DIRECTORY: /* the state's fd from here on: its name lives until the next event */
		if (is_pathlike(type) && name[0] == '/') {
			const char *slash = strrchr(name, '/');

			(void)vg_extract_str(x, name,
					     type == VG_FD_DIRECTORY ? strlen(name)
					     : slash == name	     ? 1
								     : (size_t)(slash - name));
		}
		break;
	case F_FD_FILENAME:
		if (type == VG_FD_FILE && name[0] == '/') {
			const char *b = strrchr(name, '/') + 1;

			(void)vg_extract_str(x, b, strlen(b));
		}
		break;
	default: /* F_FD_NAME */
		(void)vg_extract_str(x, name, strlen(name));
		break;
	}
	return true;
}

static void extract_view(const struct vg_field *f, const struct vg_syscall_obj *o,
			 struct vg_extract *x);

void vg_sf_fd(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj,
	      struct vg_extract *x)
{
	const struct vg_syscall_obj *o = obj;

	if (f->id == F_FD_TYPES) {
		extract_types(o, arg, x);
		return;
	}
	if ((f->id == F_FD_NUM || f->id == F_FD_TYPECHAR || f->id == F_FD_TYPE ||
	     f->id == F_FD_NAME || f->id == F_FD_DIRECTORY || f->id == F_FD_FILENAME) &&
	    extract_simple(o, f->id, x))
		return;
	extract_view(f, o, x);
}

#define FD_OWN(name, ID)                                                                     \
	void name(const struct vg_field *f, const struct vg_field_arg *arg, const void *obj, \
		  struct vg_extract *x)                                                      \
	{                                                                                    \
		(void)arg;                                                                   \
		if (!extract_simple(obj, ID, x))                                             \
			extract_view(f, obj, x);                                             \
	}

FD_OWN(vg_sf_fd_num, F_FD_NUM)
FD_OWN(vg_sf_fd_name, F_FD_NAME)
FD_OWN(vg_sf_fd_directory, F_FD_DIRECTORY)
FD_OWN(vg_sf_fd_filename, F_FD_FILENAME)
FD_OWN(vg_sf_fd_typechar, F_FD_TYPECHAR)

/* The general path, through a struct fdview; apart (and not inlined) so that its path buffer
 * is not in the frame of the simple cases. */
static __attribute__((noinline)) void extract_view(const struct vg_field *f,
						    const struct vg_syscall_obj *o,
						    struct vg_extract *x)
{
	char buf[VG_PATH_MAX];
	struct fdview v;
	bool client_local;

	if (!find_fd(o, &v, buf, sizeof(buf),
		     f->id != F_FD_NUM && f->id != F_FD_TYPECHAR && f->id != F_FD_TYPE))
		return;
	client_local = v.server != 1;
	switch (f->id) {
	case F_FD_NUM:
		if (v.has_num)
			(void)vg_extract_int(x, v.num);
		break;
	case F_FD_NAME:
		(void)vg_extract_strdup(x, v.name, strlen(v.name));
		break;
	case F_FD_NAMERAW: {
		const char *n = v.nameraw ? v.nameraw : v.name;

		(void)vg_extract_strdup(x, n, strlen(n));
		break;
	}
	case F_FD_DIRECTORY:
		extract_dir(&v, x, NULL);
		break;
	case F_FD_FILENAME:
		if (v.type == VG_FD_FILE && v.name[0] == '/') {
			const char *b = strrchr(v.name, '/') + 1;

			(void)vg_extract_strdup(x, b, strlen(b));
		}
		break;
	case F_FD_TYPE:
		(void)vg_extract_cstr(x, vg_fd_type_to_string(v.type));
		break;
	case F_FD_TYPECHAR:
		extract_char(x, vg_fd_type_char(v.type));
		break;
	case F_FD_L4PROTO:
		(void)vg_extract_cstr(x, l4proto(&v));
		break;
	case F_FD_SOCKFAMILY:
		if (is_ip(&v))
			(void)vg_extract_str(x, "ip", 2);
		else if (v.type == VG_FD_UNIX)
			(void)vg_extract_str(x, "unix", 4);
		break;
	case F_FD_IS_SERVER:
		if (v.server >= 0)
			(void)vg_extract_bool(x, v.server == 1);
		break;
	case F_FD_CONNECTED: {
		static const uint8_t zero[16];

		(void)vg_extract_bool(
			x, v.has_tuple && (v.t.dport != 0 || memcmp(v.t.daddr, zero, 16) != 0));
		break;
	}
	case F_FD_NAME_CHANGED: {
		unsigned sc = o->e->hdr->sc;

		(void)vg_extract_bool(x, sc == VG_SC_CONNECT ||
						 ((sc == VG_SC_SENDTO || sc == VG_SC_SENDMSG) &&
						  o->e->param[VG_P_ADDR]));
		break;
	}
	case F_FD_CIP:
	case F_FD_CNET:
		extract_addr(&v, client_local, x);
		break;
	case F_FD_SIP:
	case F_FD_SNET:
		extract_addr(&v, !client_local, x);
		break;
	case F_FD_LIP:
	case F_FD_LNET:
		extract_addr(&v, true, x);
		break;
	case F_FD_RIP:
	case F_FD_RNET:
		extract_addr(&v, false, x);
		break;
	case F_FD_IP:
	case F_FD_NET:
		extract_addr(&v, true, x);
		extract_addr(&v, false, x);
		break;
	case F_FD_CPORT:
		extract_port(&v, client_local, x);
		break;
	case F_FD_SPORT:
		extract_port(&v, !client_local, x);
		break;
	case F_FD_LPORT:
		extract_port(&v, true, x);
		break;
	case F_FD_RPORT:
		extract_port(&v, false, x);
		break;
	case F_FD_PORT:
		extract_port(&v, true, x);
		extract_port(&v, false, x);
		break;
	case F_FD_INO:
		if (v.ino)
			(void)vg_extract_uint(x, v.ino);
		break;
	case F_FD_CONTAINERNAME:
	case F_FD_CONTAINERDIRECTORY: {
		const struct vg_container *c = o->ctx ? o->ctx->container : NULL;
		const char *id =
			!c || (c->is_host && strcmp(c->id, "host") == 0) ? "host" : c->short_id;

		if (f->id == F_FD_CONTAINERNAME)
			(void)vg_extract_printf(x, "%s:%s", id, v.name);
		else
			extract_dir(&v, x, id);
		break;
	}
	case F_FD_CIP_NAME:
	case F_FD_SIP_NAME:
	case F_FD_LIP_NAME:
	case F_FD_RIP_NAME: {
		bool local = f->id == F_FD_LIP_NAME || (f->id == F_FD_CIP_NAME && client_local) ||
			     (f->id == F_FD_SIP_NAME && !client_local);

		if (is_ip(&v))
			vg_dns_extract(v.t.family, local ? v.t.saddr : v.t.daddr, x);
		break;
	}
	default: /* fd.dev: <NA> */
		break;
	}
}
