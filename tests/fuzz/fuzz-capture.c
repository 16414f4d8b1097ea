/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capture reader on arbitrary files: the input is written to a memfd and read to the end
 * through /proc/self/fd, touching every record delivered. Whatever the input, the reader must
 * end with 0 or a negative errno and a message, never crash or grow without bound.
 *
 * Random mutations almost never carry a valid CRC, which would keep the fuzzer at the CRC
 * check. So when the input's last byte is odd, the harness first recomputes the header CRC
 * and the CRC of every record whose framing fits, and the reader's deeper checks (record
 * types, END count, event decoding) get fuzzed too. The fix-up is part of the harness, so the
 * replayer reproduces it exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sensor/capture.h"
#include "sensor/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned long sink;

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void fix_crcs(uint8_t *p, size_t size)
{
	size_t off, hlen;

	if (size < 16)
		return;
	hlen = get32(p + 12);
	if (hlen < 8 || hlen > size)
		return;
	put32(p + hlen - 4, vg_capture_crc32(0, p, hlen - 4));
	for (off = hlen; size - off >= 12;) {
		size_t len = get32(p + off + 4);

		if (len > size - off - 12)
			return;
		put32(p + off + 8 + len, vg_capture_crc32(0, p + off, 8 + len));
		off += 12 + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_capture_reader *r = NULL;
	struct vg_capture_info info;
	char path[64], err[256];
	unsigned long sum = 0;
	int fd, k;

	if (size > 4 * 1024 * 1024)
		return 0;
	fd = memfd_create("fuzz-capture", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size > 0 && (data[size - 1] & 1)) {
		uint8_t *copy = malloc(size);

		if (!copy)
			abort();
		memcpy(copy, data, size);
		fix_crcs(copy, size);
		if (write_all(fd, copy, size) < 0)
			abort();
		free(copy);
	} else if (write_all(fd, data, size) < 0) {
		abort();
	}
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	err[0] = '\0';
	k = vg_capture_reader_open(path, &r, err, sizeof(err));
	if (k < 0) {
		if (!err[0] || r)
			abort();
		close(fd);
		return 0;
	}
	if (vg_capture_reader_info(r, &info) < 0)
		abort();
	sum += strlen(info.hostname) + strlen(info.kernel);

	for (;;) {
		uint32_t type;
		const void *p;
		size_t len;

		k = vg_capture_read(r, &type, &p, &len);
		if (k <= 0)
			break;
		if (len > VG_CAPTURE_RECORD_MAX || ((const char *)p)[len] != '\0')
			abort();
		for (size_t i = 0; i < len; i++)
			sum += ((const unsigned char *)p)[i];
		if (type == VG_CAP_EVENT) {
			struct vg_event e;

			if (vg_event_decode(p, len, &e, NULL) < 0)
				abort(); /* the reader promised a decoded event */
			sum += strlen(vg_event_type_name(&e));
		}
	}
	if (k < 0 && !vg_capture_reader_error(r)[0])
		abort();
	if (k == 0 && vg_capture_reader_error(r)[0])
		abort();
	sum += vg_capture_reader_skipped(r) + vg_capture_reader_drops(r);
	sink = sum;
	vg_capture_reader_free(r);
	close(fd);
	return 0;
}
