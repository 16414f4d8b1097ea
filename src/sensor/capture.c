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

#include "basic/limits.h"
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

static const uint32_t crc32_table[256] = {
	0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu, 0xe963a535u,
	0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u, 0x09b64c2bu, 0x7eb17cbdu,
	0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u, 0xf3b97148u, 0x84be41deu, 0x1adad47du,
	0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u, 0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu,
	0x14015c4fu, 0x63066cd9u, 0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u,
	0xa2677172u, 0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
	0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u, 0x26d930acu,
	0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u, 0xcfba9599u, 0xb8bda50fu,
	0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u, 0x2f6f7c87u, 0x58684c11u, 0xc1611dabu,
	0xb6662d3du, 0x76dc4190u, 0x01db7106u, 0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu,
	0x9fbfe4a5u, 0xe8b8d433u, 0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu,
	0x086d3d2du, 0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
	0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u, 0x8bbeb8eau,
	0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u, 0x4db26158u, 0x3ab551ceu,
	0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u, 0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au,
	0x346ed9fcu, 0xad678846u, 0xda60b8d0u, 0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u,
	0x5005713cu, 0x270241aau, 0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u,
	0xce61e49fu, 0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
	0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au, 0xead54739u,
	0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u, 0x0d6d6a3eu, 0x7a6a5aa8u,
	0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u, 0xf00f9344u, 0x8708a3d2u, 0x1e01f268u,
	0x6906c2feu, 0xf762575du, 0x806567cbu, 0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u,
	0x10da7a5au, 0x67dd4accu, 0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u,
	0xa1d1937eu, 0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
	0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u, 0x316e8eefu,
	0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u, 0xcc0c7795u, 0xbb0b4703u,
	0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u, 0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u,
	0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du, 0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au,
	0x9c0906a9u, 0xeb0e363fu, 0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu,
	0x0cb61b38u, 0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
	0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u, 0x88085ae6u,
	0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u, 0x616bffd3u, 0x166ccf45u,
	0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u, 0xa7672661u, 0xd06016f7u, 0x4969474du,
	0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu, 0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u,
	0x47b2cf7fu, 0x30b5ffe9u, 0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u,
	0xcdd70693u, 0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
	0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,
};

uint32_t vg_capture_crc32(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *s = p;

	crc = ~crc;
	while (n--)
		crc = crc32_table[(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return ~crc;
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

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			return -EIO;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

static int flush_buf(struct vg_capture_writer *w)
{
	int r;

	if (w->error)
		return w->error;
	r = write_all(w->fd, w->buf, w->len);
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
			r = write_all(w->fd, p, n);
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
