/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capture file writer and reader; docs/capture.md is the format specification. Everything in
 * the file is encoded byte by byte (little-endian) except the EVENT payloads, which are the
 * kernel's records exactly as received (native byte order, flagged in the header).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <isa-l/crc.h>

#include "basic/limits.h"
#include "basic/fileio.h"
#include "sensor/capture.h"
#include "sensor/event.h"

/* Fixed part of the header, before the hostname: magic .. hostname length. */
#define HDR_FIXED      38
#define HDR_MIN	       (HDR_FIXED + 1 + 2 + 1 + 4) /* two 1-byte strings and the CRC */
#define REC_HEAD       8 /* u32 type, u32 length */
#define REC_TAIL       4 /* u32 CRC */
#define WRITE_BUF_SIZE (64 * 1024)

_Static_assert(VG_CAPTURE_HEADER_MAX >=
		       HDR_FIXED + VG_CAPTURE_HOSTNAME_MAX + 2 + VG_CAPTURE_KERNEL_MAX + 4,
	       "header limit too small for the v1 header");

/* ISA-L's crc32_gzip_refl() is zlib's crc32() (IEEE 802.3, reflected; same init and final
 * xor, chainable) with PCLMULQDQ folding: ~8 GB/s against zlib's ~1.7 GB/s here. Every record
 * is checked, so this was the largest single cost of a replay. */
uint32_t vg_capture_crc32(uint32_t crc, const void *p, size_t n)
{
	return crc32_gzip_refl(crc, p, n);
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static bool host_is_big_endian(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 0;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int vg_capture_info_from_host(struct vg_capture_info *ret)
{
	struct vg_capture_info info = {};
	int64_t best = INT64_MAX;
	struct utsname u;

	if (uname(&u) < 0)
		return -errno;
	(void)snprintf(info.hostname, sizeof(info.hostname), "%s", u.nodename);
	(void)snprintf(info.kernel, sizeof(info.kernel), "%s", u.release);

	/* realtime - boottime, from the tightest of a few bracketed samples */
	for (int i = 0; i < 5; i++) {
		struct timespec r1, b, r2;

		if (clock_gettime(CLOCK_REALTIME, &r1) < 0 ||
		    clock_gettime(CLOCK_BOOTTIME, &b) < 0 || clock_gettime(CLOCK_REALTIME, &r2) < 0)
			return -errno;
		if (ts_ns(&r2) - ts_ns(&r1) < best) {
			best = ts_ns(&r2) - ts_ns(&r1);
			info.boot_offset_ns = ts_ns(&r1) + best / 2 - ts_ns(&b);
			info.start_realtime_ns = (uint64_t)ts_ns(&r2);
		}
	}
	*ret = info;
	return 0;
}

/* ---- writer ---- */

struct vg_capture_writer {
	int fd;
	bool own_fd;
	int error; /* first error, sticky */
	uint64_t events;
	size_t len;
	unsigned char buf[WRITE_BUF_SIZE];
};

static int flush_buf(struct vg_capture_writer *w)
{
	int r;

	if (w->error)
		return w->error;
	r = vg_write_all(w->fd, w->buf, w->len);
	if (r < 0)
		return (w->error = r);
	w->len = 0;
	return 0;
}

int vg_capture_writer_flush(struct vg_capture_writer *w)
{
	return w ? flush_buf(w) : -EINVAL;
}

static int put_bytes(struct vg_capture_writer *w, const void *p, size_t n)
{
	int r;

	if (w->len + n > sizeof(w->buf)) {
		r = flush_buf(w);
		if (r < 0)
			return r;
		if (n > sizeof(w->buf)) {
			r = vg_write_all(w->fd, p, n);
			return r < 0 ? (w->error = r) : 0;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

static int write_header(struct vg_capture_writer *w, const struct vg_capture_info *info)
{
	unsigned char h[VG_CAPTURE_HEADER_MAX];
	size_t hl = strnlen(info->hostname, sizeof(info->hostname) - 1);
	size_t kl = strnlen(info->kernel, sizeof(info->kernel) - 1);
	uint32_t flags = info->flags & ~VG_CAPF_EVENTS_BE;
	size_t n = 0;

	if (host_is_big_endian())
		flags |= VG_CAPF_EVENTS_BE;

	memcpy(h, VG_CAPTURE_MAGIC, VG_CAPTURE_MAGIC_LEN);
	put16(h + 8, VG_CAPTURE_VERSION);
	put16(h + 10, VG_EVENT_ABI);
	/* h + 12: header length, below */
	put64(h + 16, (uint64_t)info->boot_offset_ns);
	put64(h + 24, info->start_realtime_ns);
	put32(h + 32, flags);
	n = 36;
	put16(h + n, (uint16_t)(hl + 1));
	n += 2;
	memcpy(h + n, info->hostname, hl);
	h[n + hl] = '\0';
	n += hl + 1;
	put16(h + n, (uint16_t)(kl + 1));
	n += 2;
	memcpy(h + n, info->kernel, kl);
	h[n + kl] = '\0';
	n += kl + 1;
	put32(h + 12, (uint32_t)(n + 4));
	put32(h + n, vg_capture_crc32(0, h, n));
	n += 4;
	return put_bytes(w, h, n);
}

int vg_capture_writer_open(const char *path, const struct vg_capture_info *info,
			   struct vg_capture_writer **ret)
{
	struct vg_capture_writer *w;
	struct vg_capture_info host = {};
	struct stat st;
	int r;

	if (!path || !ret)
		return -EINVAL;
	if (!info) {
		r = vg_capture_info_from_host(&host);
		if (r < 0)
			return r;
		info = &host;
	}

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
		if (w->fd < 0) {
			r = -errno;
			free(w);
			return r;
		}
		w->own_fd = true;
		/* captures hold command lines and paths: an existing file keeps no wider mode */
		if (fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) != 0600)
			(void)fchmod(w->fd, 0600);
	}

	/* flushed at once: an unwritable destination fails here, not minutes later */
	r = write_header(w, info);
	if (r >= 0)
		r = flush_buf(w);
	if (r < 0) {
		if (w->own_fd)
			(void)close(w->fd);
		free(w);
		return r;
	}
	*ret = w;
	return 0;
}

static int write_record(struct vg_capture_writer *w, uint32_t type, const void *p, size_t n)
{
	unsigned char head[REC_HEAD], tail[REC_TAIL];
	uint32_t crc;
	int r;

	put32(head, type);
	put32(head + 4, (uint32_t)n);
	crc = vg_capture_crc32(0, head, sizeof(head));
	crc = vg_capture_crc32(crc, p, n);
	put32(tail, crc);

	r = put_bytes(w, head, sizeof(head));
	if (r >= 0 && n > 0)
		r = put_bytes(w, p, n);
	if (r >= 0)
		r = put_bytes(w, tail, sizeof(tail));
	return r;
}

int vg_capture_write(struct vg_capture_writer *w, uint32_t type, const void *p, size_t n)
{
	struct vg_event ev;
	int r;

	if (!w || (!p && n > 0))
		return -EINVAL;
	if (w->error)
		return w->error;
	if (type == 0 || type == VG_CAP_END)
		return -EINVAL;
	if (n > (size_t)VG_CAPTURE_RECORD_MAX)
		return -E2BIG;
	if (type == VG_CAP_EVENT) {
		r = vg_event_decode(p, n, &ev, NULL);
		if (r < 0)
			return r;
	}
	if (type == VG_CAP_DROPS && n != 8)
		return -EINVAL;

	r = write_record(w, type, p, n);
	if (r < 0)
		return r;
	if (type == VG_CAP_EVENT)
		w->events++;
	return 0;
}

int vg_capture_write_drops(struct vg_capture_writer *w, uint64_t drops)
{
	unsigned char b[8];

	put64(b, drops);
	return vg_capture_write(w, VG_CAP_DROPS, b, sizeof(b));
}

uint64_t vg_capture_writer_events(const struct vg_capture_writer *w)
{
	return w ? w->events : 0;
}

int vg_capture_writer_close(struct vg_capture_writer *w)
{
	unsigned char b[8];
	int r;

	if (!w)
		return 0;
	if (!w->error) {
		put64(b, w->events);
		(void)write_record(w, VG_CAP_END, b, sizeof(b));
	}
	if (!w->error)
		(void)flush_buf(w); /* an error lands in w->error */
	/* pipes and character devices cannot be synced; that is not a lost write */
	if (!w->error && fsync(w->fd) < 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
		w->error = -errno;
	if (w->own_fd && close(w->fd) < 0 && !w->error && errno != EINTR)
		w->error = -errno;
	r = w->error;
	free(w);
	return r;
}

/* ---- reader ---- */

/* strerror() is not thread-safe; replay may run readers on several threads. */
static const char *errstr(int e)
{
	const char *s = strerrordesc_np(e);

	return s ? s : "unknown error";
}

struct vg_capture_reader {
	FILE *f;
	bool own_file;
	bool incomplete;
	int state; /* 0 reading, else the sticky result of vg_capture_read() */
	uint64_t offset; /* bytes consumed */
	uint64_t records;
	uint64_t events;
	uint64_t skipped;
	uint64_t drops;
	struct vg_capture_info info;
	unsigned char *buf; /* one record, RECORD_MAX + 1 at most */
	size_t cap;
	char err[256];
};

static void set_err(char *err, size_t errsize, const char *fmt, ...) VG_PRINTF(3, 4);
static void set_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (!err || errsize == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

/* Reads up to n bytes: the count read (short only at end of file), or -errno. */
static ssize_t read_full(struct vg_capture_reader *r, void *p, size_t n)
{
	size_t k = fread(p, 1, n, r->f);

	if (k < n && ferror(r->f))
		return errno ? -errno : -EIO;
	r->offset += k;
	return (ssize_t)k;
}

struct vg_capture_reader *vg_capture_reader_free(struct vg_capture_reader *r)
{
	if (!r)
		return NULL;
	if (r->f && r->own_file)
		(void)fclose(r->f);
	free(r->buf);
	free(r);
	return NULL;
}

static int read_string(const unsigned char *h, size_t hlen, size_t *off, char *dst, size_t dstsize)
{
	size_t n;

	if (hlen - *off < 2)
		return -EBADMSG;
	n = get16(h + *off);
	*off += 2;
	if (n < 1 || n > dstsize || n > hlen - *off)
		return -EBADMSG;
	if (h[*off + n - 1] != '\0' || memchr(h + *off, '\0', n - 1))
		return -EBADMSG;
	memcpy(dst, h + *off, n);
	*off += n;
	return 0;
}

static int read_header(struct vg_capture_reader *r, char *err, size_t errsize)
{
	unsigned char h[VG_CAPTURE_HEADER_MAX];
	uint32_t hlen, crc;
	uint16_t version, abi;
	size_t off;
	ssize_t k;

	k = read_full(r, h, 16);
	if (k < 0) {
		set_err(err, errsize, "read error: %s", errstr((int)-k));
		return (int)k;
	}
	if (k < VG_CAPTURE_MAGIC_LEN) {
		if (memcmp(h, VG_CAPTURE_MAGIC, (size_t)k) == 0 && k > 0) {
			set_err(err, errsize, "capture header truncated (%zd bytes)", k);
			return -EBADMSG;
		}
		set_err(err, errsize, "not a vigil capture%s", k == 0 ? " (empty file)" : "");
		return -EBADMSG;
	}
	if (memcmp(h, VG_CAPTURE_MAGIC, VG_CAPTURE_MAGIC_LEN) != 0) {
		set_err(err, errsize, "not a vigil capture");
		return -EBADMSG;
	}
	if (k < 16) {
		set_err(err, errsize, "capture header truncated (%zd bytes)", k);
		return -EBADMSG;
	}
	version = get16(h + 8);
	abi = get16(h + 10);
	hlen = get32(h + 12);
	if (version != VG_CAPTURE_VERSION) {
		set_err(err, errsize,
			"unsupported capture format version %u (this vigil reads version %u)",
			version, VG_CAPTURE_VERSION);
		return -EOPNOTSUPP;
	}
	if (hlen < HDR_MIN || hlen > VG_CAPTURE_HEADER_MAX) {
		set_err(err, errsize, "capture header length %u is invalid", hlen);
		return -EBADMSG;
	}
	k = read_full(r, h + 16, hlen - 16);
	if (k < 0) {
		set_err(err, errsize, "read error: %s", errstr((int)-k));
		return (int)k;
	}
	if ((size_t)k < hlen - 16) {
		set_err(err, errsize, "capture header truncated (%zd of %u bytes)", k + 16, hlen);
		return -EBADMSG;
	}
	crc = get32(h + hlen - 4);
	if (crc != vg_capture_crc32(0, h, hlen - 4)) {
		set_err(err, errsize, "capture header is corrupt (CRC mismatch)");
		return -EBADMSG;
	}
	if (abi != VG_EVENT_ABI) {
		set_err(err, errsize, "capture uses event ABI %u; this vigil decodes ABI %u", abi,
			VG_EVENT_ABI);
		return -EOPNOTSUPP;
	}

	r->info.version = version;
	r->info.event_abi = abi;
	r->info.boot_offset_ns = (int64_t)get64(h + 16);
	r->info.start_realtime_ns = get64(h + 24);
	r->info.flags = get32(h + 32);
	off = 36;
	/* bytes between the kernel string and the CRC are later v1 extensions: ignored */
	if (read_string(h, hlen - 4, &off, r->info.hostname, sizeof(r->info.hostname)) < 0 ||
	    read_string(h, hlen - 4, &off, r->info.kernel, sizeof(r->info.kernel)) < 0) {
		set_err(err, errsize, "capture header is malformed (hostname or kernel field)");
		return -EBADMSG;
	}
	if (!!(r->info.flags & VG_CAPF_EVENTS_BE) != host_is_big_endian()) {
		set_err(err, errsize,
			"capture was recorded on a %s-endian host; this one is %s-endian",
			host_is_big_endian() ? "little" : "big",
			host_is_big_endian() ? "big" : "little");
		return -EOPNOTSUPP;
	}
	return 0;
}

int vg_capture_reader_open(const char *path, struct vg_capture_reader **ret, char *err,
			   size_t errsize)
{
	cleanup(vg_capture_reader_freep) struct vg_capture_reader *r = NULL;
	int fr;

	set_err(err, errsize, "%s", "");
	if (!path || !ret) {
		set_err(err, errsize, "invalid argument");
		return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		set_err(err, errsize, "out of memory");
		return -ENOMEM;
	}
	if (strcmp(path, "-") == 0) {
		r->f = stdin;
	} else {
		r->f = fopen(path, "rbe");
		if (!r->f) {
			fr = -errno;
			set_err(err, errsize, "cannot open '%s': %s", path, errstr(-fr));
			return fr;
		}
		r->own_file = true;
	}
	fr = read_header(r, err, errsize);
	if (fr < 0)
		return fr;
	*ret = TAKE_PTR(r);
	return 0;
}

int vg_capture_reader_info(const struct vg_capture_reader *r, struct vg_capture_info *ret)
{
	if (!r || !ret)
		return -EINVAL;
	*ret = r->info;
	return 0;
}

static int fail(struct vg_capture_reader *r, int err, const char *fmt, ...) VG_PRINTF(3, 4);
static int fail(struct vg_capture_reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	r->state = err;
	return err;
}

static int truncated(struct vg_capture_reader *r, uint64_t rec)
{
	r->incomplete = true;
	return fail(r, -EBADMSG,
		    "capture truncated at byte %llu (record %llu): the recording was interrupted",
		    (unsigned long long)r->offset, (unsigned long long)rec);
}

static int grow(struct vg_capture_reader *r, size_t need)
{
	unsigned char *p;
	size_t cap;

	if (need <= r->cap)
		return 0;
	cap = VG_MAX(need, VG_MIN(r->cap * 2, (size_t)VG_CAPTURE_RECORD_MAX + 1));
	cap = VG_MAX(cap, (size_t)4096);
	p = realloc(r->buf, cap);
	if (!p)
		return -ENOMEM;
	r->buf = p;
	r->cap = cap;
	return 0;
}

/* Called after END: anything but end-of-file is an error. */
static int expect_eof(struct vg_capture_reader *r)
{
	int c = fgetc(r->f);

	if (c != EOF)
		return fail(r, -EBADMSG, "data after the END record at byte %llu",
			    (unsigned long long)r->offset);
	if (ferror(r->f))
		return fail(r, -EIO, "read error: %s", errstr(errno ? errno : EIO));
	r->state = 0;
	return 0;
}

int vg_capture_read(struct vg_capture_reader *r, uint32_t *ret_type, const void **ret_data,
		    size_t *ret_len)
{
	if (!r)
		return -EINVAL;

	for (;;) {
		unsigned char head[REC_HEAD];
		uint64_t start = r->offset, rec = r->records + r->skipped + 1;
		uint32_t type, len, crc;
		struct vg_event ev;
		const char *why;
		ssize_t k;
		int e;

		if (r->state != 0)
			return r->state > 0 ? 0 : r->state;

		k = read_full(r, head, sizeof(head));
		if (k < 0)
			return fail(r, (int)k, "read error: %s", errstr((int)-k));
		if (k == 0) {
			/* end of file on a record boundary, but no END: recorder was killed */
			r->incomplete = true;
			r->state = 1;
			return 0;
		}
		if ((size_t)k < sizeof(head))
			return truncated(r, rec);
		type = get32(head);
		len = get32(head + 4);
		if (len > VG_CAPTURE_RECORD_MAX)
			return fail(
				r, -E2BIG,
				"record %llu at byte %llu claims %u bytes, more than the %u byte limit: the capture is corrupt",
				(unsigned long long)rec, (unsigned long long)start, len,
				VG_CAPTURE_RECORD_MAX);
		e = grow(r, (size_t)len + REC_TAIL + 1);
		if (e < 0)
			return fail(r, e, "out of memory");
		k = read_full(r, r->buf, (size_t)len + REC_TAIL);
		if (k < 0)
			return fail(r, (int)k, "read error: %s", errstr((int)-k));
		if ((size_t)k < (size_t)len + REC_TAIL)
			return truncated(r, rec);
		crc = vg_capture_crc32(0, head, sizeof(head));
		crc = vg_capture_crc32(crc, r->buf, len);
		if (crc != get32(r->buf + len))
			return fail(r, -EBADMSG, "corrupt record %llu at byte %llu (CRC mismatch)",
				    (unsigned long long)rec, (unsigned long long)start);
		r->buf[len] = '\0';

		switch (type) {
		case 0:
			return fail(r, -EBADMSG, "invalid record %llu at byte %llu (type 0)",
				    (unsigned long long)rec, (unsigned long long)start);
		case VG_CAP_EVENT:
			if (vg_event_decode(r->buf, len, &ev, &why) < 0)
				return fail(r, -EBADMSG,
					    "invalid event in record %llu at byte %llu: %s",
					    (unsigned long long)rec, (unsigned long long)start,
					    why);
			r->events++;
			break;
		case VG_CAP_PROC:
		case VG_CAP_CONTAINER:
			break;
		case VG_CAP_DROPS:
			if (len != 8)
				return fail(r, -EBADMSG,
					    "malformed DROPS record %llu at byte %llu (%u bytes)",
					    (unsigned long long)rec, (unsigned long long)start,
					    len);
			r->drops = get64(r->buf);
			break;
		case VG_CAP_END:
			if (len != 8)
				return fail(r, -EBADMSG,
					    "malformed END record %llu at byte %llu (%u bytes)",
					    (unsigned long long)rec, (unsigned long long)start,
					    len);
			if (get64(r->buf) != r->events)
				return fail(
					r, -EBADMSG,
					"END record says %llu events but the capture holds %llu",
					(unsigned long long)get64(r->buf),
					(unsigned long long)r->events);
			e = expect_eof(r);
			if (e < 0)
				return e;
			r->state = 1;
			return 0;
		default:
			r->skipped++; /* a newer writer's record type: forward compatible */
			continue;
		}

		r->records++;
		if (ret_type)
			*ret_type = type;
		if (ret_data)
			*ret_data = r->buf;
		if (ret_len)
			*ret_len = len;
		return 1;
	}
}

const char *vg_capture_reader_error(const struct vg_capture_reader *r)
{
	return r && r->state < 0 ? r->err : "";
}

bool vg_capture_reader_incomplete(const struct vg_capture_reader *r)
{
	return r && r->incomplete;
}

uint64_t vg_capture_reader_skipped(const struct vg_capture_reader *r)
{
	return r ? r->skipped : 0;
}

uint64_t vg_capture_reader_records(const struct vg_capture_reader *r)
{
	return r ? r->records : 0;
}

uint64_t vg_capture_reader_offset(const struct vg_capture_reader *r)
{
	return r ? r->offset : 0;
}

uint64_t vg_capture_reader_drops(const struct vg_capture_reader *r)
{
	return r ? r->drops : 0;
}
