/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /proc readers (see procfs.h). Files are read with one bounded read() into a caller or stack
 * buffer; nothing here allocates except the line reader for /proc/<pid>/net/ tables.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "state/cgroup.h"
#include "state/procfs.h"

static const char *root_or_default(const char *root)
{
	return root && root[0] ? root : VG_PROCFS_ROOT;
}

static int build_path(char *buf, size_t size, const char *root, uint32_t pid, uint32_t tid,
		      const char *file)
{
	int n;

	if (tid == 0 || tid == pid)
		n = snprintf(buf, size, "%s/%" PRIu32 "/%s", root_or_default(root), pid, file);
	else
		n = snprintf(buf, size, "%s/%" PRIu32 "/task/%" PRIu32 "/%s", root_or_default(root),
			     pid, tid, file);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* Vanished processes show up as ENOENT or ESRCH: both mean "gone". */
static int gone(int err)
{
	return err == ESRCH ? -ESRCH : -err;
}

/* Reads at most size-1 bytes, NUL-terminates; returns the length. */
static int read_small(const char *path, char *buf, size_t size)
{
	cleanup_close int fd = -EBADF;
	size_t len = 0;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return gone(errno);
	while (len < size - 1) {
		ssize_t k = read(fd, buf + len, size - 1 - len);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return gone(errno);
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	buf[len] = '\0';
	return (int)len;
}

unsigned long vg_procfs_clk_tck(void)
{
	static unsigned long tck;

	if (!tck) {
		long v = sysconf(_SC_CLK_TCK);

		tck = v > 0 ? (unsigned long)v : 100;
	}
	return tck;
}

static uint32_t tty_from_stat(uint32_t tty_nr)
{
	uint32_t major = (tty_nr >> 8) & 0xfff;
	uint32_t minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);

	return major << 20 | minor;
}

int vg_procfs_parse_stat(const char *text, size_t n, struct vg_procfs_stat *ret)
{
	const char *open_paren, *close_paren = NULL, *p, *end = text + n;
	uint64_t field[24] = {0};
	size_t clen;
	int i;

	open_paren = memchr(text, '(', n);
	if (!open_paren)
		return -EBADMSG;
	for (const char *q = end; q > open_paren; q--)
		if (q[-1] == ')') {
			close_paren = q - 1;
			break;
		}
	if (!close_paren)
		return -EBADMSG;

	*ret = (struct vg_procfs_stat){0};
	clen = VG_MIN((size_t)(close_paren - open_paren - 1), (size_t)VG_COMM_LEN - 1);
	memcpy(ret->comm, open_paren + 1, clen);
	ret->comm[clen] = '\0';

	p = close_paren + 1;
	if (p >= end || *p != ' ' || p + 1 >= end)
		return -EBADMSG;
	p++;
	ret->state = *p++;
	/* fields 4..22 */
	for (i = 4; i <= 22; i++) {
		uint64_t v = 0;
		bool neg = false, any = false;

		if (p >= end || *p != ' ')
			return -EBADMSG;
		p++;
		if (p < end && *p == '-') {
			neg = true;
			p++;
		}
		while (p < end && *p >= '0' && *p <= '9') {
			v = v * 10 + (uint64_t)(*p - '0');
			p++;
			any = true;
		}
		if (!any)
			return -EBADMSG;
		field[i] = neg ? (uint64_t) - (int64_t)v : v;
	}
	ret->ppid = (uint32_t)field[4];
	ret->pgid = (uint32_t)field[5];
	ret->sid = (uint32_t)field[6];
	ret->tty_nr = (uint32_t)field[7];
	ret->tty = tty_from_stat(ret->tty_nr);
	ret->starttime_ticks = field[22];
	ret->start_ns = field[22] * (1000000000ull / vg_procfs_clk_tck());
	return 0;
}

static const char *status_field(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *line = text; line && *line;) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			return line + kl + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

static int parse_u32_list(const char *p, uint32_t *out, size_t max, size_t *ret_n)
{
	size_t n = 0;

	while (*p && *p != '\n') {
		char *e;
		unsigned long v;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || !*p)
			break;
		errno = 0;
		v = strtoul(p, &e, 10);
		if (e == p || errno || v > UINT32_MAX)
			return -EBADMSG;
		if (n < max)
			out[n] = (uint32_t)v;
		n++;
		p = e;
	}
	*ret_n = n;
	return 0;
}

static int parse_hex_u64(const char *p, uint64_t *ret)
{
	char *e;

	while (*p == ' ' || *p == '\t')
		p++;
	errno = 0;
	*ret = strtoull(p, &e, 16);
	if (e == p || errno)
		return -EBADMSG;
	return 0;
}

int vg_procfs_parse_status(const char *text, struct vg_procfs_status *ret)
{
	const char *v;
	uint32_t list[64];
	size_t n;
	int r;

	*ret = (struct vg_procfs_status){0};
	v = status_field(text, "Name");
	if (v) {
		size_t i = 0;

		while (*v == '\t' || *v == ' ')
			v++;
		/* status escapes '\n' as "\\n" and '\\' as "\\\\"; keep it raw, bounded */
		for (; v[i] && v[i] != '\n' && i < VG_COMM_LEN - 1; i++)
			ret->name[i] = v[i];
		ret->name[i] = '\0';
	}
	v = status_field(text, "Uid");
	if (!v)
		return -EBADMSG;
	r = parse_u32_list(v, ret->uid, 4, &n);
	if (r < 0 || n < 4)
		return -EBADMSG;
	v = status_field(text, "Gid");
	if (!v)
		return -EBADMSG;
	r = parse_u32_list(v, ret->gid, 4, &n);
	if (r < 0 || n < 4)
		return -EBADMSG;

	if ((v = status_field(text, "Tgid")) && parse_u32_list(v, list, 1, &n) >= 0 && n == 1)
		ret->tgid = list[0];
	if ((v = status_field(text, "Pid")) && parse_u32_list(v, list, 1, &n) >= 0 && n == 1)
		ret->pid = list[0];
	if ((v = status_field(text, "PPid")) && parse_u32_list(v, list, 1, &n) >= 0 && n == 1)
		ret->ppid = list[0];
	ret->vpid = ret->tgid;
	ret->vtid = ret->pid;
	if ((v = status_field(text, "NStgid")) && parse_u32_list(v, list, 64, &n) >= 0 && n >= 1)
		ret->vpid = list[VG_MIN(n, (size_t)64) - 1];
	if ((v = status_field(text, "NSpid")) && parse_u32_list(v, list, 64, &n) >= 0 && n >= 1)
		ret->vtid = list[VG_MIN(n, (size_t)64) - 1];
	if ((v = status_field(text, "CapEff")))
		(void)parse_hex_u64(v, &ret->cap_eff);
	if ((v = status_field(text, "CapPrm")))
		(void)parse_hex_u64(v, &ret->cap_prm);
	return 0;
}

int vg_procfs_read_stat(const char *root, uint32_t pid, uint32_t tid, struct vg_procfs_stat *ret)
{
	char path[VG_PATH_MAX], buf[1024];
	int r;

	r = build_path(path, sizeof(path), root, pid, tid, "stat");
	if (r < 0)
		return r;
	r = read_small(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	if (r == 0)
		return -ESRCH;
	return vg_procfs_parse_stat(buf, (size_t)r, ret);
}

int vg_procfs_read_status(const char *root, uint32_t pid, uint32_t tid,
			  struct vg_procfs_status *ret)
{
	char path[VG_PATH_MAX], buf[8192];
	int r;

	r = build_path(path, sizeof(path), root, pid, tid, "status");
	if (r < 0)
		return r;
	r = read_small(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	if (r == 0)
		return -ESRCH;
	return vg_procfs_parse_status(buf, ret);
}

int vg_procfs_read_cmdline(const char *root, uint32_t pid, char *buf, size_t size, size_t *ret_len)
{
	char path[VG_PATH_MAX];
	cleanup_close int fd = -EBADF;
	size_t len = 0;
	int r, truncated = 0;

	if (!buf || size == 0)
		return -EINVAL;
	r = build_path(path, sizeof(path), root, pid, 0, "cmdline");
	if (r < 0)
		return r;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return gone(errno);
	while (len < size) {
		ssize_t k = read(fd, buf + len, size - len);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return gone(errno);
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	if (len == size) {
		char c;

		if (read(fd, &c, 1) == 1)
			truncated = 1;
	}
	/* every string NUL-terminated, the last one included */
	if (len > 0 && buf[len - 1] != '\0') {
		if (len < size)
			buf[len++] = '\0';
		else
			buf[size - 1] = '\0';
	}
	*ret_len = len;
	return truncated;
}

int vg_procfs_read_link(const char *root, uint32_t pid, const char *name, char *buf, size_t size,
			bool *ret_deleted)
{
	char path[VG_PATH_MAX];
	static const char deleted[] = " (deleted)";
	ssize_t k;
	int r;

	if (!buf || size == 0)
		return -EINVAL;
	r = build_path(path, sizeof(path), root, pid, 0, name);
	if (r < 0)
		return r;
	k = readlink(path, buf, size);
	if (k < 0)
		return gone(errno);
	if ((size_t)k >= size)
		return -ENAMETOOLONG;
	buf[k] = '\0';
	if (ret_deleted)
		*ret_deleted = false;
	if ((size_t)k >= sizeof(deleted) - 1 &&
	    strcmp(buf + k - (sizeof(deleted) - 1), deleted) == 0) {
		k -= (ssize_t)(sizeof(deleted) - 1);
		buf[k] = '\0';
		if (ret_deleted)
			*ret_deleted = true;
	}
	return (int)k;
}

int vg_procfs_read_loginuid(const char *root, uint32_t pid, uint32_t *ret)
{
	char path[VG_PATH_MAX], buf[32];
	unsigned long v;
	char *e;
	int r;

	r = build_path(path, sizeof(path), root, pid, 0, "loginuid");
	if (r < 0)
		return r;
	r = read_small(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	errno = 0;
	v = strtoul(buf, &e, 10);
	if (e == buf || errno || v > UINT32_MAX)
		return -EBADMSG;
	*ret = (uint32_t)v;
	return 0;
}

int vg_procfs_read_cgroup(const char *root, uint32_t pid, char *buf, size_t size)
{
	char path[VG_PATH_MAX];
	cleanup_free char *text = NULL;
	int r;

	r = build_path(path, sizeof(path), root, pid, 0, "cgroup");
	if (r < 0)
		return r;
	text = malloc(VG_PROC_FILE_MAX + 1);
	if (!text)
		return -ENOMEM;
	r = read_small(path, text, VG_PROC_FILE_MAX + 1);
	if (r < 0)
		return r;
	return vg_proc_cgroup_select(text, buf, size);
}

int vg_procfs_parse_inode_link(const char *target, const char *kind, uint64_t *ret_ino)
{
	size_t kl = strlen(kind);
	unsigned long long v;
	char *e;

	if (strncmp(target, kind, kl) != 0 || target[kl] != ':' || target[kl + 1] != '[')
		return -EINVAL;
	errno = 0;
	v = strtoull(target + kl + 2, &e, 10);
	if (e == target + kl + 2 || errno || strcmp(e, "]") != 0)
		return -EINVAL;
	*ret_ino = v;
	return 0;
}

int vg_procfs_read_ns(const char *root, uint32_t pid, const char *ns, uint64_t *ret_ino)
{
	char name[64], buf[128];
	int r;

	if (snprintf(name, sizeof(name), "ns/%s", ns) >= (int)sizeof(name))
		return -EINVAL;
	r = vg_procfs_read_link(root, pid, name, buf, sizeof(buf), NULL);
	if (r < 0)
		return r;
	return vg_procfs_parse_inode_link(buf, ns, ret_ino);
}

static int foreach_numeric(const char *dir, vg_procfs_pid_fn *cb, void *userdata)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d)
		return gone(errno);
	while ((de = readdir(d))) {
		unsigned long v;
		char *e;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		errno = 0;
		v = strtoul(de->d_name, &e, 10);
		if (*e || errno || v == 0 || v > UINT32_MAX)
			continue;
		r = cb(userdata, (uint32_t)v);
		if (r < 0)
			break;
		r = 0;
	}
	closedir(d);
	return r;
}

int vg_procfs_foreach_pid(const char *root, vg_procfs_pid_fn *cb, void *userdata)
{
	return foreach_numeric(root_or_default(root), cb, userdata);
}

int vg_procfs_foreach_task(const char *root, uint32_t pid, vg_procfs_pid_fn *cb, void *userdata)
{
	char path[VG_PATH_MAX];
	int r;

	r = build_path(path, sizeof(path), root, pid, 0, "task");
	if (r < 0)
		return r;
	return foreach_numeric(path, cb, userdata);
}

int vg_procfs_foreach_fd(const char *root, uint32_t pid, vg_procfs_fd_fn *cb, void *userdata)
{
	char path[VG_PATH_MAX], target[VG_PATH_MAX];
	struct dirent *de;
	DIR *d;
	int r = 0;

	r = build_path(path, sizeof(path), root, pid, 0, "fd");
	if (r < 0)
		return r;
	d = opendir(path);
	if (!d)
		return gone(errno);
	while ((de = readdir(d))) {
		char name[32];
		bool deleted = false;
		unsigned long v;
		char *e;
		int k;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		errno = 0;
		v = strtoul(de->d_name, &e, 10);
		if (*e || errno || v > INT32_MAX)
			continue;
		(void)snprintf(name, sizeof(name), "fd/%lu", v);
		k = vg_procfs_read_link(root, pid, name, target, sizeof(target), &deleted);
		if (k < 0)
			continue; /* closed meanwhile, or too long */
		r = cb(userdata, (int)v, target, deleted);
		if (r < 0)
			break;
		r = 0;
	}
	closedir(d);
	return r;
}

/* "0100007F:0277" or 32 hex digits ":" port; words are host-order u32 of network bytes. */
static int parse_inet_addr(const char *p, int family, uint8_t addr[16], uint16_t *port,
			   const char **ret_end)
{
	size_t words = family == AF_INET6 ? 4 : 1;

	memset(addr, 0, 16);
	for (size_t w = 0; w < words; w++) {
		uint32_t v = 0;

		for (int i = 0; i < 8; i++, p++) {
			int c = *p;

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (uint32_t)(c - '0');
			else if (c >= 'A' && c <= 'F')
				v |= (uint32_t)(c - 'A' + 10);
			else if (c >= 'a' && c <= 'f')
				v |= (uint32_t)(c - 'a' + 10);
			else
				return -EBADMSG;
		}
		memcpy(addr + 4 * w, &v, 4);
	}
	if (*p != ':')
		return -EBADMSG;
	p++;
	{
		char *e;
		unsigned long v;

		errno = 0;
		v = strtoul(p, &e, 16);
		if (e == p || errno || v > 0xffff)
			return -EBADMSG;
		*port = (uint16_t)v;
		p = e;
	}
	*ret_end = p;
	return 0;
}

int vg_procfs_parse_inet_line(const char *line, int family, int sock_type, struct vg_tuple *ret,
			      uint64_t *ret_ino)
{
	const char *p = line;
	unsigned long long v;
	char *e;
	int r;

	*ret = (struct vg_tuple){.family = (uint16_t)family,
				 .type = (uint16_t)sock_type,
				 .proto = sock_type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP};
	while (*p == ' ')
		p++;
	p = strchr(p, ':'); /* "sl:" */
	if (!p)
		return -EBADMSG;
	p++;
	while (*p == ' ')
		p++;
	r = parse_inet_addr(p, family, ret->saddr, &ret->sport, &p);
	if (r < 0)
		return r;
	while (*p == ' ')
		p++;
	r = parse_inet_addr(p, family, ret->daddr, &ret->dport, &p);
	if (r < 0)
		return r;
	errno = 0;
	v = strtoull(p, &e, 16); /* st */
	if (e == p || errno)
		return -EBADMSG;
	ret->state = (uint32_t)v;
	p = e;
	/* tx:rx tr:when retrnsmt uid timeout inode */
	for (int i = 0; i < 5; i++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	errno = 0;
	v = strtoull(p, &e, 10);
	if (e == p || errno)
		return -EBADMSG;
	*ret_ino = v;
	return 0;
}

static int foreach_line(const char *path, int (*fn)(void *ud, const char *line), void *ud)
{
	cleanup_fclose FILE *f = fopen(path, "re");
	char line[1024];
	bool first = true;
	int r;

	if (!f)
		return gone(errno);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		if (n > 0 && line[n - 1] != '\n' && !feof(f)) {
			/* overlong line: skip the rest */
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (first) {
			first = false;
			continue;
		}
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		r = fn(ud, line);
		if (r < 0)
			return r;
	}
	return 0;
}

struct sock_walk {
	vg_procfs_sock_fn *cb;
	void *userdata;
	int family, type;
};

static int inet_line(void *ud, const char *line)
{
	struct sock_walk *w = ud;
	struct vg_tuple t;
	uint64_t ino;

	if (vg_procfs_parse_inet_line(line, w->family, w->type, &t, &ino) < 0 || ino == 0)
		return 0;
	return w->cb(w->userdata, ino, &t, NULL);
}

static int unix_line(void *ud, const char *line)
{
	struct sock_walk *w = ud;
	unsigned long refc, proto, flags, type, st;
	unsigned long long ino;
	struct vg_tuple t = {.family = AF_UNIX};
	int pos = 0;
	const char *path;

	if (sscanf(line, "%*[0-9a-fA-F]: %lx %lx %lx %lx %lx %llu%n", &refc, &proto, &flags, &type,
		   &st, &ino, &pos) < 6)
		return 0;
	path = line + pos;
	while (*path == ' ')
		path++;
	t.type = (uint16_t)type;
	t.state = (uint32_t)st;
	if (ino == 0)
		return 0;
	return w->cb(w->userdata, ino, &t, path);
}

int vg_procfs_foreach_socket(const char *root, uint32_t pid, vg_procfs_sock_fn *cb, void *userdata)
{
	static const struct {
		const char *file;
		int family, type;
	} tables[] = {
		{"net/tcp", AF_INET, SOCK_STREAM}, {"net/tcp6", AF_INET6, SOCK_STREAM},
		{"net/udp", AF_INET, SOCK_DGRAM},  {"net/udp6", AF_INET6, SOCK_DGRAM},
		{"net/unix", AF_UNIX, 0},
	};
	char path[VG_PATH_MAX];
	int r;

	for (size_t i = 0; i < VG_ARRAY_SIZE(tables); i++) {
		struct sock_walk w = {cb, userdata, tables[i].family, tables[i].type};

		r = build_path(path, sizeof(path), root, pid, 0, tables[i].file);
		if (r < 0)
			return r;
		r = foreach_line(path, tables[i].family == AF_UNIX ? unix_line : inet_line, &w);
		if (r == -ENOENT || r == -ESRCH)
			continue; /* no IPv6, or the process is gone */
		if (r < 0)
			return r;
	}
	return 0;
}
