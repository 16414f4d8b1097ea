/* SPDX-License-Identifier: Apache-2.0 */
/* Capture files: round trip, truncation, corruption, forward compatibility, limits, stdin. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/limits.h"
#include "event-builder.h"
#include "sensor/capture.h"
#include "sensor/event.h"
#include "tap.h"

static struct vg_evb b;
static char dir[64];

static const char *tmp_path(const char *name)
{
	static char p[128];

	if (!dir[0]) {
		(void)snprintf(dir, sizeof(dir), "/tmp/vg-test-capture-XXXXXX");
		if (!mkdtemp(dir))
			TEST_SKIP("no temporary directory");
	}
	(void)snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static struct vg_capture_info test_info(void)
{
	struct vg_capture_info info = {
		.start_realtime_ns = 1700000000123456789ull,
		.boot_offset_ns = 1699990000000000000ll,
		.flags = 0,
	};

	strcpy(info.hostname, "node-1");
	strcpy(info.kernel, "6.18.0-test");
	return info;
}

static void *read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	ASSERT_NOT_NULL(f);
	ASSERT_OK(fseek(f, 0, SEEK_END));
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n + 1);
	ASSERT_NOT_NULL(p);
	ASSERT_EQ(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*ret_len = (size_t)n;
	return p;
}

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, p, n), (ssize_t)n);
	close(fd);
}

/* A small capture: 3 events, a proc, a container, drops. */
static void make_small(const char *path)
{
	struct vg_capture_info info = test_info();
	struct vg_capture_writer *w;
	uint64_t seed = 7;

	ASSERT_OK(vg_capture_writer_open(path, &info, &w));
	ASSERT_OK(vg_capture_write(w, VG_CAP_PROC, "{\"pid\":1}", 9));
	for (int i = 0; i < 3; i++) {
		size_t n = vg_evb_random(&b, &seed);

		ASSERT_OK(vg_capture_write(w, VG_CAP_EVENT, b.buf, n));
	}
	ASSERT_OK(vg_capture_write(w, VG_CAP_CONTAINER, "{\"id\":\"abc\"}", 12));
	ASSERT_OK(vg_capture_write_drops(w, 5));
	ASSERT_OK(vg_capture_writer_close(w));
}

/*
 * Reads path to the end. Returns the final result (0 clean or incomplete, < 0 error) and the
 * number of records delivered.
 */
static int read_all(const char *path, unsigned *ret_records, bool *ret_incomplete, char *msg,
		    size_t msgsize)
{
	struct vg_capture_reader *r = NULL;
	unsigned records = 0;
	int k;

	k = vg_capture_reader_open(path, &r, msg, msgsize);
	if (k < 0) {
		ASSERT_TRUE(msg[0] != '\0');
		*ret_records = 0;
		*ret_incomplete = false;
		return k;
	}
	for (;;) {
		uint32_t type;
		const void *data;
		size_t len;

		k = vg_capture_read(r, &type, &data, &len);
		if (k <= 0)
			break;
		records++;
	}
	if (k < 0) {
		ASSERT_TRUE(vg_capture_reader_error(r)[0] != '\0');
		(void)snprintf(msg, msgsize, "%s", vg_capture_reader_error(r));
		/* sticky */
		ASSERT_EQ(vg_capture_read(r, NULL, NULL, NULL), k);
	} else {
		ASSERT_STREQ(vg_capture_reader_error(r), "");
		ASSERT_EQ(vg_capture_read(r, NULL, NULL, NULL), 0);
	}
	*ret_records = records;
	*ret_incomplete = vg_capture_reader_incomplete(r);
	vg_capture_reader_free(r);
	return k;
}

TEST(round_trip_10k)
{
	const char *path = tmp_path("rt.vcap");
	struct vg_capture_info info = test_info(), got;
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	char err[256];
	uint64_t seed = 1, seed2 = 1;
	struct stat st;
	uint32_t type;
	const void *data;
	size_t len;
	int k;

	ASSERT_OK(vg_capture_writer_open(path, &info, &w));
	ASSERT_OK(vg_capture_write(w, VG_CAP_PROC, "{\"pid\":1,\"comm\":\"init\"}", 24));
	for (int i = 0; i < 10000; i++) {
		size_t n = vg_evb_random(&b, &seed);

		ASSERT_OK(vg_capture_write(w, VG_CAP_EVENT, b.buf, n));
		if (i == 5000) {
			ASSERT_OK(vg_capture_write(w, VG_CAP_CONTAINER, "{\"id\":\"c1\"}", 11));
			ASSERT_OK(vg_capture_write_drops(w, 12345));
		}
	}
	ASSERT_EQ(vg_capture_writer_events(w), 10000u);
	ASSERT_OK(vg_capture_writer_close(w));
	ASSERT_OK(stat(path, &st));
	ASSERT_EQ(st.st_mode & 0777, 0600u);

	ASSERT_OK(vg_capture_reader_open(path, &r, err, sizeof(err)));
	ASSERT_OK(vg_capture_reader_info(r, &got));
	ASSERT_STREQ(got.hostname, "node-1");
	ASSERT_STREQ(got.kernel, "6.18.0-test");
	ASSERT_EQ(got.start_realtime_ns, info.start_realtime_ns);
	ASSERT_EQ(got.boot_offset_ns, info.boot_offset_ns);
	ASSERT_EQ(got.version, VG_CAPTURE_VERSION);
	ASSERT_EQ(got.event_abi, VG_EVENT_ABI);

	ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
	ASSERT_EQ(type, (uint32_t)VG_CAP_PROC);
	ASSERT_STREQ(data, "{\"pid\":1,\"comm\":\"init\"}"); /* NUL-terminated for JSON */
	for (int i = 0; i < 10000; i++) {
		size_t n = vg_evb_random(&b, &seed2);
		struct vg_event e;

		ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
		ASSERT_EQ(type, (uint32_t)VG_CAP_EVENT);
		ASSERT_EQ(len, n);
		ASSERT_EQ(memcmp(data, b.buf, n), 0);
		ASSERT_EQ((uintptr_t)data % 8, 0u);
		ASSERT_OK(vg_event_decode(data, len, &e, NULL));
		if (i == 5000) {
			ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
			ASSERT_EQ(type, (uint32_t)VG_CAP_CONTAINER);
			ASSERT_STREQ(data, "{\"id\":\"c1\"}");
			ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
			ASSERT_EQ(type, (uint32_t)VG_CAP_DROPS);
			ASSERT_EQ(len, 8u);
			ASSERT_EQ(vg_capture_reader_drops(r), 12345u);
		}
	}
	k = vg_capture_read(r, &type, &data, &len);
	ASSERT_EQ(k, 0);
	ASSERT_FALSE(vg_capture_reader_incomplete(r));
	ASSERT_EQ(vg_capture_reader_skipped(r), 0u);
	ASSERT_EQ(vg_capture_reader_records(r), 10003u);
	ASSERT_EQ(vg_capture_reader_offset(r), (uint64_t)st.st_size);
	vg_capture_reader_free(r);
	unlink(path);
}

TEST(every_truncation_point)
{
	const char *path = tmp_path("small.vcap"), *cut = NULL;
	unsigned records, full_records;
	size_t n, errors = 0, incompletes = 0;
	bool incomplete;
	char msg[256];
	char *buf;

	make_small(path);
	buf = read_file(path, &n);
	ASSERT_EQ(read_all(path, &full_records, &incomplete, msg, sizeof(msg)), 0);
	ASSERT_EQ(full_records, 6u);
	ASSERT_FALSE(incomplete);

	cut = tmp_path("cut.vcap");
	for (size_t k = 0; k < n; k++) {
		int r;

		write_file(cut, buf, k);
		msg[0] = '\0';
		r = read_all(cut, &records, &incomplete, msg, sizeof(msg));
		/* an error, or a clean stop flagged incomplete (cut on a record boundary) */
		ASSERT_TRUE(r < 0 || incomplete);
		ASSERT_LE(records, full_records);
		if (r < 0) {
			errors++;
			if (incomplete)
				ASSERT_TRUE(strstr(msg, "the recording was interrupted") != NULL);
		} else {
			incompletes++;
		}
		if (k == n - 20) { /* just the END record missing */
			ASSERT_EQ(r, 0);
			ASSERT_TRUE(incomplete);
			ASSERT_EQ(records, full_records);
		}
		if (k == n - 21) {
			ASSERT_TRUE(strstr(msg, "capture truncated at byte ") != NULL);
			ASSERT_TRUE(strstr(msg, "(record 6)") != NULL);
		}
	}
	tap_diag("%zu prefixes: %zu errors, %zu incomplete\n", n, errors, incompletes);
	ASSERT_EQ(incompletes, 7u); /* header end + one per record boundary before END */
	free(buf);
	unlink(cut);
	unlink(path);
}

TEST(every_bit_flip_detected)
{
	const char *path = tmp_path("small.vcap"), *bad = NULL;
	unsigned records;
	bool incomplete;
	char msg[256];
	size_t n;
	char *buf;

	make_small(path);
	buf = read_file(path, &n);
	bad = tmp_path("flip.vcap");
	for (size_t k = 0; k < n; k++) {
		for (int bit = 0; bit < 8; bit += 3) {
			buf[k] ^= (char)(1 << bit);
			write_file(bad, buf, n);
			ASSERT_LT(read_all(bad, &records, &incomplete, msg, sizeof(msg)), 0);
			buf[k] ^= (char)(1 << bit);
		}
	}
	free(buf);
	unlink(bad);
	unlink(path);
}

static size_t put_record(unsigned char *p, uint32_t type, const void *data, uint32_t len)
{
	uint32_t crc;

	memcpy(p, &type, 4); /* the tests run on little-endian hosts */
	memcpy(p + 4, &len, 4);
	memcpy(p + 8, data, len);
	crc = vg_capture_crc32(0, p, 8 + len);
	memcpy(p + 8 + len, &crc, 4);
	return 12 + (size_t)len;
}

TEST(crc32_known_value)
{
	ASSERT_EQ(vg_capture_crc32(0, "123456789", 9), 0xcbf43926u);
	ASSERT_EQ(vg_capture_crc32(vg_capture_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	ASSERT_EQ(vg_capture_crc32(0, "", 0), 0u);
}

TEST(unknown_type_skipped)
{
	const char *path = tmp_path("unknown.vcap");
	struct vg_capture_info info = test_info();
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	uint32_t type;
	const void *data;
	size_t len;
	char err[256];

	ASSERT_OK(vg_capture_writer_open(path, &info, &w));
	ASSERT_OK(vg_capture_write(w, 77, "future", 6));
	ASSERT_OK(vg_capture_write(w, VG_CAP_PROC, "{}", 2));
	ASSERT_OK(vg_capture_write(w, 0xffffffffu, NULL, 0));
	ASSERT_OK(vg_capture_writer_close(w));

	ASSERT_OK(vg_capture_reader_open(path, &r, err, sizeof(err)));
	ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
	ASSERT_EQ(type, (uint32_t)VG_CAP_PROC);
	ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 0);
	ASSERT_EQ(vg_capture_reader_skipped(r), 2u);
	ASSERT_FALSE(vg_capture_reader_incomplete(r));
	vg_capture_reader_free(r);
	unlink(path);
}

/* Appends raw bytes before the END record of a small capture. */
static void splice_before_end(const char *path, const void *p, size_t n)
{
	size_t len;
	char *buf = read_file(path, &len), *out = malloc(len + n);

	ASSERT_NOT_NULL(out);
	memcpy(out, buf, len - 20);
	memcpy(out + len - 20, p, n);
	memcpy(out + len - 20 + n, buf + len - 20, 20);
	write_file(path, out, len + n);
	free(out);
	free(buf);
}

TEST(huge_length_rejected)
{
	const char *path = tmp_path("huge.vcap");
	unsigned char rec[12] = {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
	struct vg_capture_reader *r;
	unsigned records;
	bool incomplete;
	char msg[256];
	uint32_t len = VG_CAPTURE_RECORD_MAX + 1;

	make_small(path);
	splice_before_end(path, rec, sizeof(rec));
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -E2BIG);
	ASSERT_EQ(records, 6u);
	ASSERT_TRUE(strstr(msg, "more than the 1048576 byte limit") != NULL);

	make_small(path);
	memcpy(rec + 4, &len, 4);
	splice_before_end(path, rec, sizeof(rec));
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -E2BIG);

	/* exactly the limit is allowed by the length check (then truncated here) */
	len = VG_CAPTURE_RECORD_MAX;
	make_small(path);
	memcpy(rec + 4, &len, 4);
	splice_before_end(path, rec, sizeof(rec));
	ASSERT_OK(vg_capture_reader_open(path, &r, msg, sizeof(msg)));
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(vg_capture_read(r, NULL, NULL, NULL), 1);
	ASSERT_ERR(vg_capture_read(r, NULL, NULL, NULL), -EBADMSG);
	ASSERT_TRUE(vg_capture_reader_incomplete(r));
	vg_capture_reader_free(r);
	unlink(path);
}

TEST(bad_records)
{
	const char *path = tmp_path("bad.vcap");
	unsigned char rec[64];
	unsigned records;
	bool incomplete;
	char msg[256];
	size_t n;

	/* an EVENT the decoder rejects, with a valid CRC */
	make_small(path);
	n = put_record(rec, VG_CAP_EVENT, "too short", 9);
	splice_before_end(path, rec, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "invalid event in record 7") != NULL);
	ASSERT_TRUE(strstr(msg, "record shorter than the event header") != NULL);

	make_small(path);
	n = put_record(rec, VG_CAP_DROPS, "1234", 4);
	splice_before_end(path, rec, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "malformed DROPS") != NULL);

	make_small(path);
	n = put_record(rec, 0, "", 0);
	splice_before_end(path, rec, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);

	/* END claiming a different event count */
	make_small(path);
	n = put_record(rec, VG_CAP_END, "\x09\0\0\0\0\0\0\0", 8);
	splice_before_end(path, rec, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "END record says 9 events but the capture holds 3") != NULL);

	/* data after END */
	make_small(path);
	{
		size_t len;
		char *buf = read_file(path, &len);

		buf = realloc(buf, len + 1);
		buf[len] = 'x';
		write_file(path, buf, len + 1);
		free(buf);
	}
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "data after the END record") != NULL);
	ASSERT_EQ(records, 6u);

	/* corrupt payload */
	make_small(path);
	{
		size_t len;
		char *buf = read_file(path, &len);

		buf[len - 30] ^= 1;
		write_file(path, buf, len);
		free(buf);
	}
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "corrupt record 6 at byte") != NULL);
	unlink(path);
}

TEST(bad_headers)
{
	const char *path = tmp_path("hdr.vcap");
	unsigned records;
	bool incomplete;
	char msg[256];
	size_t n;
	char *buf;
	uint32_t hl, crc;

	write_file(path, "", 0);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_STREQ(msg, "not a vigil capture (empty file)");
	write_file(path, "#!/bin/sh\necho hi\n", 18);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_STREQ(msg, "not a vigil capture");
	write_file(path, "VIGIL", 5);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "capture header truncated") != NULL);

	make_small(path);
	buf = read_file(path, &n);
	memcpy(&hl, buf + 12, 4);

	buf[8] = 2; /* version 2: refused before anything else is trusted */
	write_file(path, buf, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EOPNOTSUPP);
	ASSERT_STREQ(msg, "unsupported capture format version 2 (this vigil reads version 1)");
	buf[8] = 1;

	buf[10] = 9; /* event ABI 9, header CRC fixed up */
	crc = vg_capture_crc32(0, buf, hl - 4);
	memcpy(buf + hl - 4, &crc, 4);
	write_file(path, buf, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EOPNOTSUPP);
	ASSERT_STREQ(msg, "capture uses event ABI 9; this vigil decodes ABI 1");
	buf[10] = VG_EVENT_ABI;

	buf[32] |= VG_CAPF_EVENTS_BE; /* big-endian events */
	crc = vg_capture_crc32(0, buf, hl - 4);
	memcpy(buf + hl - 4, &crc, 4);
	write_file(path, buf, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EOPNOTSUPP);
	ASSERT_TRUE(strstr(msg, "big-endian host") != NULL);
	buf[32] &= ~VG_CAPF_EVENTS_BE;
	crc = vg_capture_crc32(0, buf, hl - 4);
	memcpy(buf + hl - 4, &crc, 4);

	buf[20] ^= 1; /* header CRC */
	write_file(path, buf, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_STREQ(msg, "capture header is corrupt (CRC mismatch)");
	buf[20] ^= 1;

	buf[12] = 10; /* header length below the minimum */
	write_file(path, buf, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	ASSERT_TRUE(strstr(msg, "header length") != NULL);
	buf[13] = 0x7f; /* and above the maximum */
	write_file(path, buf, n);
	ASSERT_ERR(read_all(path, &records, &incomplete, msg, sizeof(msg)), -EBADMSG);
	memcpy(buf + 12, &hl, 4);

	write_file(path, buf, n);
	ASSERT_EQ(read_all(path, &records, &incomplete, msg, sizeof(msg)), 0);
	free(buf);

	ASSERT_ERR(read_all("/nonexistent/x.vcap", &records, &incomplete, msg, sizeof(msg)),
		   -ENOENT);
	ASSERT_TRUE(strstr(msg, "cannot open '/nonexistent/x.vcap'") != NULL);
	unlink(path);
}

TEST(writer_rejects)
{
	const char *path = tmp_path("w.vcap");
	struct vg_capture_writer *w;
	static char big[VG_CAPTURE_RECORD_MAX + 1];
	size_t n;

	ASSERT_OK(vg_capture_writer_open(path, NULL, &w)); /* info from this host */
	ASSERT_ERR(vg_capture_write(w, VG_CAP_EVENT, "junk", 4), -EBADMSG);
	ASSERT_ERR(vg_capture_write(w, VG_CAP_END, "\0\0\0\0\0\0\0\0", 8), -EINVAL);
	ASSERT_ERR(vg_capture_write(w, 0, "", 0), -EINVAL);
	ASSERT_ERR(vg_capture_write(w, VG_CAP_DROPS, "1", 1), -EINVAL);
	ASSERT_ERR(vg_capture_write(w, VG_CAP_PROC, big, sizeof(big)), -E2BIG);
	ASSERT_OK(vg_capture_write(w, VG_CAP_PROC, big, sizeof(big) - 1)); /* > write buffer */
	vg_evb_init(&b, VG_EV_EXIT, 0);
	n = vg_evb_finish(&b);
	ASSERT_OK(vg_capture_write(w, VG_CAP_EVENT, b.buf, n));
	ASSERT_OK(vg_capture_writer_flush(w));
	ASSERT_OK(vg_capture_writer_close(w)); /* rejected writes did not poison the writer */
	ASSERT_OK(vg_capture_writer_close(NULL));

	{
		struct vg_capture_reader *r;
		struct vg_capture_info info;
		char err[256];
		const void *data;
		size_t len;
		uint32_t type;

		ASSERT_OK(vg_capture_reader_open(path, &r, err, sizeof(err)));
		ASSERT_OK(vg_capture_reader_info(r, &info));
		ASSERT_TRUE(info.hostname[0] != '\0');
		ASSERT_TRUE(info.kernel[0] != '\0');
		ASSERT_GT(info.boot_offset_ns, 0);
		ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
		ASSERT_EQ(len, sizeof(big) - 1);
		ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 1);
		ASSERT_EQ(type, (uint32_t)VG_CAP_EVENT);
		ASSERT_EQ(vg_capture_read(r, &type, &data, &len), 0);
		vg_capture_reader_free(r);
	}
	unlink(path);
}

TEST(write_errors_are_reported)
{
	struct vg_capture_info info = test_info();
	struct vg_capture_writer *w = NULL;

	if (access("/dev/full", W_OK) < 0)
		TEST_SKIP("no /dev/full");
	/* the header is flushed at open, so a full disk is seen at once */
	ASSERT_ERR(vg_capture_writer_open("/dev/full", &info, &w), -ENOSPC);
	ASSERT_NULL(w);
	ASSERT_ERR(vg_capture_writer_open("/nonexistent/dir/x", &info, &w), -ENOENT);
}

TEST(stdin)
{
	const char *path = tmp_path("stdin.vcap");
	struct vg_capture_reader *r;
	int saved, fd;
	char err[256];
	int k, n = 0;

	make_small(path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	saved = dup(STDIN_FILENO);
	ASSERT_GE(saved, 0);
	ASSERT_GE(dup2(fd, STDIN_FILENO), 0);
	close(fd);
	clearerr(stdin);

	ASSERT_OK(vg_capture_reader_open("-", &r, err, sizeof(err)));
	while ((k = vg_capture_read(r, NULL, NULL, NULL)) > 0)
		n++;
	ASSERT_EQ(k, 0);
	ASSERT_EQ(n, 6);
	vg_capture_reader_free(r); /* must not close stdin */
	ASSERT_GE(fcntl(STDIN_FILENO, F_GETFD), 0);

	ASSERT_GE(dup2(saved, STDIN_FILENO), 0);
	close(saved);
	clearerr(stdin);
	unlink(path);
	rmdir(dir);
}
