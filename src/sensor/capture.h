/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capture files: what `vigil watch -w FILE` records and `vigil replay FILE` reads back. A
 * versioned, explicitly encoded little-endian header, then CRC-protected records holding raw
 * kernel event records exactly as received plus the metadata replay needs to reproduce the
 * live output (process snapshot, container metadata, drop counters). docs/capture.md is the
 * format specification.
 *
 * The writer buffers and reports every write error (sticky: the first error is returned by
 * every later call and by close). The reader is bounded in memory whatever the input: it holds
 * one record (at most VG_CAPTURE_RECORD_MAX bytes) at a time.
 */
#ifndef VG_SENSOR_CAPTURE_H
#define VG_SENSOR_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/cleanup.h"
#include "basic/limits.h"
#include "basic/macro.h"

#define VG_CAPTURE_MAGIC	"VIGILCAP" /* 8 bytes, no NUL in the file */
#define VG_CAPTURE_MAGIC_LEN	8
#define VG_CAPTURE_VERSION	1
#define VG_CAPTURE_HOSTNAME_MAX 256 /* NUL included */
#define VG_CAPTURE_KERNEL_MAX	128 /* NUL included */
#define VG_CAPTURE_HEADER_MAX	4096

enum vg_capture_type {
	VG_CAP_EVENT = 1, /* one raw kernel event record (struct vg_event_hdr + params) */
	VG_CAP_PROC = 2, /* one process of the start-up snapshot, JSON text */
	VG_CAP_CONTAINER = 3, /* one container's metadata, JSON text, whenever it arrives */
	VG_CAP_DROPS = 4, /* u64 LE: cumulative events lost by the kernel so far */
	VG_CAP_END = 5, /* u64 LE: number of EVENT records; written by close only */
};

/* vg_capture_info.flags */
#define VG_CAPF_EVENTS_BE (1u << 0) /* event records are big-endian (recorded on a BE host) */

struct vg_capture_info {
	char hostname[VG_CAPTURE_HOSTNAME_MAX];
	char kernel[VG_CAPTURE_KERNEL_MAX]; /* uname -r */
	uint64_t start_realtime_ns; /* CLOCK_REALTIME when recording started */
	int64_t boot_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME at start */
	uint32_t flags; /* VG_CAPF_*; the writer sets VG_CAPF_EVENTS_BE itself */
	uint16_t version; /* reader: format version of the file */
	uint16_t event_abi; /* reader: VG_EVENT_ABI of the file */
};

/* Fills *ret for this host, now: hostname, kernel release, realtime start and boot offset. */
VG_MUST_CHECK int vg_capture_info_from_host(struct vg_capture_info *ret);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()); start with crc = 0. */
uint32_t vg_capture_crc32(uint32_t crc, const void *p, size_t n);

struct vg_capture_writer;

/*
 * Creates path (O_CREAT|O_TRUNC, mode 0600; "-" writes to stdout) and writes the header.
 * info NULL means vg_capture_info_from_host().
 */
VG_MUST_CHECK int vg_capture_writer_open(const char *path, const struct vg_capture_info *info,
					 struct vg_capture_writer **ret);
/*
 * Appends one record. EVENT payloads must pass vg_event_decode() (-EBADMSG otherwise) and
 * DROPS payloads are 8 bytes; n > VG_CAPTURE_RECORD_MAX is -E2BIG. END is written by close,
 * type 0 is invalid; other types are written as given (readers skip unknown ones).
 */
VG_MUST_CHECK int vg_capture_write(struct vg_capture_writer *w, uint32_t type, const void *p,
				   size_t n);
VG_MUST_CHECK int vg_capture_write_drops(struct vg_capture_writer *w, uint64_t drops);
/* Flushes the buffer to the file (not to disk). */
VG_MUST_CHECK int vg_capture_writer_flush(struct vg_capture_writer *w);
uint64_t vg_capture_writer_events(const struct vg_capture_writer *w);
/*
 * Writes END, flushes, fsyncs and closes; frees w in every case. Returns the first error met
 * since open (a failed write is never silent). NULL is a no-op returning 0.
 */
VG_MUST_CHECK int vg_capture_writer_close(struct vg_capture_writer *w);
/* For cleanup attributes on error paths: closes without caring about the result. */
static inline void vg_capture_writer_closep(struct vg_capture_writer **w)
{
	if (*w) {
		int r = vg_capture_writer_close(*w);

		(void)r;
	}
}

struct vg_capture_reader;

/*
 * Opens path ("-" is stdin, which stays open) and validates the header. On failure, a message
 * fit for the user ("not a vigil capture", "unsupported capture format version 2", ...) is
 * written to err (when non-NULL) and a negative errno returned: -EBADMSG malformed or
 * truncated, -EOPNOTSUPP unsupported version/ABI/byte order, or the open/read error.
 */
VG_MUST_CHECK int vg_capture_reader_open(const char *path, struct vg_capture_reader **ret,
					 char *err, size_t errsize);
struct vg_capture_reader *vg_capture_reader_free(struct vg_capture_reader *r);
DEFINE_CLEANUP_FUNC(struct vg_capture_reader *, vg_capture_reader_free)

/* The header as read (version and event_abi filled in). */
int vg_capture_reader_info(const struct vg_capture_reader *r, struct vg_capture_info *ret);

/*
 * Reads the next record: 1 with *ret_type, *ret_data, *ret_len set (data valid until the next
 * call, 8-byte aligned, followed by a NUL not counted in *ret_len so JSON payloads are C
 * strings); 0 at the end; negative errno with vg_capture_reader_error() set when the file is
 * corrupt. EVENT records have passed vg_event_decode(). Unknown record types are skipped and
 * counted. Reaching end-of-file on a record boundary without an END record returns 0 and
 * sets vg_capture_reader_incomplete() (the recorder was killed); end-of-file inside a record
 * returns -EBADMSG "capture truncated at byte N (record K): the recording was interrupted"
 * and also sets incomplete. Every complete record before either is delivered. After an error
 * or the end, further calls return the same result.
 */
VG_MUST_CHECK int vg_capture_read(struct vg_capture_reader *r, uint32_t *ret_type,
				  const void **ret_data, size_t *ret_len);

/* Message for the last error, "" when none. */
const char *vg_capture_reader_error(const struct vg_capture_reader *r);
/* True when the file ended without an END record (recording interrupted). */
bool vg_capture_reader_incomplete(const struct vg_capture_reader *r);
/* Records of unknown type skipped so far. */
uint64_t vg_capture_reader_skipped(const struct vg_capture_reader *r);
/* Records delivered so far, and bytes consumed. */
uint64_t vg_capture_reader_records(const struct vg_capture_reader *r);
uint64_t vg_capture_reader_offset(const struct vg_capture_reader *r);
/* The DROPS value of the latest DROPS record, 0 before any. */
uint64_t vg_capture_reader_drops(const struct vg_capture_reader *r);

#endif /* VG_SENSOR_CAPTURE_H */
