/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the systemd unit parser (ExecStart with resets and continuations, ListenStream),
 * the ExecStart word splitter feeding the command-line parser, and the /proc/net/tcp parser
 * over the same input (every inode of the input is "dockerd's").
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/host.h"
#include "basic/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t inodes[] = {0, 1, 5555, 12345};
	struct vg_host h;
	const char *exec = NULL;
	char *text, *words;
	size_t wl;
	int r;

	vg_host_init(&h);
	r = vg_host_parse_unit(&h, (const char *)data, size, &exec);
	if (r < 0 && r != -E2BIG && r != -ENOMEM)
		abort();
	if (r >= 0 && exec) {
		r = vg_host_split_exec(&h, exec, &words, &wl);
		if (r < 0 && r != -E2BIG && r != -ENOMEM)
			abort();
		if (r >= 0) {
			if (wl && words[wl - 1] != '\0')
				abort();
			r = vg_host_parse_cmdline(&h, words, wl, VG_HOST_FROM_UNIT);
			if (r < 0 && r != -E2BIG && r != -ENOMEM)
				abort();
		}
	}
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (int v6 = 0; v6 < 2; v6++) {
		r = vg_host_parse_proc_net_tcp(&h, text, v6, inodes, 4);
		if (r < 0 && r != -EBADMSG && r != -E2BIG && r != -ENOMEM)
			abort();
	}
	vg_vec_for_each(const struct vg_host_listener, li, &h.listeners)
		if (!li->addr[0] || strnlen(li->addr, sizeof(li->addr)) == sizeof(li->addr))
			abort();
	(void)vg_host_version_from_output(&h, text);
	free(text);
	vg_host_done(&h);
	return 0;
}
