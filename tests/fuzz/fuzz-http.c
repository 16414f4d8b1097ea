/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes vg_http_parse_response(), the decoder behind vg_http_unix_get(). The first byte
 * picks a small body cap so the -E2BIG paths are reached too; checks status range, body
 * length against the cap and NUL termination.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared/http-unix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max_body, len = 0;
	char *body = NULL;
	int status = 0, r;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	max_body = data[0] < 128 ? (size_t)data[0] + 1 : 0;
	r = vg_http_parse_response((const char *)data + 1, size - 1, max_body, &status, &body,
				   &len);
	if (r < 0) {
		if (body)
			abort();
		return 0;
	}
	if (!body || status < 100 || status > 999 || body[len] != '\0')
		abort();
	if (max_body && len > max_body)
		abort();
	if (len > size)
		abort();
	free(body);
	return 0;
}
