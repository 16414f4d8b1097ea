// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "Dual MIT/GPL";
