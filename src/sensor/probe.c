/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/magic.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "basic/cleanup.h"
#include "sensor/probe.h"
/* NOLINTBEGIN */
#include "vigil.skel.h"
/* NOLINTEND */

#define VG_DEFAULT_RINGBUF (16u * 1024 * 1024)

struct vg_probe {
	struct vigil_bpf *skel;
	struct ring_buffer *rb;
	vg_probe_event_fn *cb;
	void *userdata;
	int cb_error;
};

/* libbpf's diagnostics (verifier log included) land here, so a load failure can show its
 * tail instead of printing on its own. */
static char libbpf_log[16384];
static size_t libbpf_log_len;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	if (libbpf_log_len >= sizeof(libbpf_log) - 1)
		libbpf_log_len = 0; /* keep the most recent part */
	n = vsnprintf(libbpf_log + libbpf_log_len, sizeof(libbpf_log) - libbpf_log_len, fmt, ap);
	if (n > 0)
		libbpf_log_len = VG_MIN(libbpf_log_len + (size_t)n, sizeof(libbpf_log) - 1);
	return 0;
}

static void set_err(char *err, size_t errsize, const char *fmt, ...) VG_PRINTF(3, 4);
static void set_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errsize)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

/* The last few lines of the libbpf log: for a verifier failure, the reason. */
static const char *log_tail(void)
{
	const char *p = libbpf_log + libbpf_log_len;
	int lines = 0;

	while (p > libbpf_log) {
		p--;
		if (*p == '\n' && ++lines > 12) {
			p++;
			break;
		}
	}
	return p;
}

static bool have_cap(unsigned cap)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

int vg_probe_check(char *err, size_t errsize)
{
	struct statfs sfs;

	if (geteuid() != 0 && !(have_cap(CAP_BPF) && have_cap(CAP_PERFMON))) {
		set_err(err, errsize,
			"the sensor needs root (or CAP_BPF and CAP_PERFMON): run vigil watch as root");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		set_err(err, errsize,
			"kernel BTF is missing (/sys/kernel/btf/vmlinux): vigil needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.8 or newer)");
		return -ENOENT;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) <= 0) {
		set_err(err, errsize,
			"BPF ring buffers are not supported by this kernel: vigil needs Linux 5.8 or newer");
		return -EOPNOTSUPP;
	}
	/* The kernel-side path walker runs under bpf_loop() (Linux 5.17): without it the
	 * verifier cannot check a 64-component walk at every call site. Only a definite "not
	 * supported" (0) refuses; a probe that cannot run (< 0) leaves it to the loader. */
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_loop, NULL) == 0) {
		set_err(err, errsize,
			"the bpf_loop() helper is missing: vigil's sensor needs Linux 5.17 or newer");
		return -EOPNOTSUPP;
	}
	if (statfs("/sys/fs/cgroup", &sfs) < 0) {
		set_err(err, errsize,
			"/sys/fs/cgroup is not mounted: containers cannot be attributed");
		return -ENOENT;
	}
	return 0;
}

int vg_probe_cgroup_subsys(void)
{
	static const char *const preferred[] = {"pids", "memory", "cpu"};
	cleanup_fclose FILE *f = NULL;
	struct statfs sfs;
	char line[256];
	int idx = 0, found[3] = {-1, -1, -1};

	if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		return -1;
	f = fopen("/proc/cgroups", "re");
	if (!f)
		return -1;
	/* Lines are in subsystem-id order: "#subsys_name hierarchy num_cgroups enabled". */
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		int hier, num, enabled;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%63s %d %d %d", name, &hier, &num, &enabled) == 4 && hier > 0 &&
		    enabled)
			for (size_t i = 0; i < VG_ARRAY_SIZE(preferred); i++)
				if (strcmp(name, preferred[i]) == 0)
					found[i] = idx;
		idx++;
	}
	for (size_t i = 0; i < VG_ARRAY_SIZE(found); i++)
		if (found[i] >= 0)
			return found[i];
	return -1;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct vg_probe *p = ctx;
	int r = p->cb(p->userdata, data, size);

	if (r < 0) {
		p->cb_error = r;
		return r;
	}
	return 0;
}

static void fill_tables(struct vigil_bpf *skel)
{
	for (unsigned sc = VG_SC_NONE + 1; sc < VG_SC__MAX; sc++) {
		int nr = vg_syscall_nr_native(sc);

		if (nr >= 0 && nr < VG_NR_MAX)
			skel->bss->vg_sc_native[nr] = sc;
		nr = vg_syscall_nr_ia32(sc);
		if (nr >= 0 && nr < VG_NR_MAX)
			skel->bss->vg_sc_ia32[nr] = sc;
		/* The pre-32-bit-uid forms (setuid, chown, ...) still exist on the ia32 entry:
		 * a hand-made binary could change credentials through them unseen. */
		nr = vg_syscall_nr_ia32_legacy(sc);
		if (nr >= 0 && nr < VG_NR_MAX)
			skel->bss->vg_sc_ia32[nr] = sc;
	}
	skel->bss->vg_execveat_nr = vg_syscall_nr_native(VG_SC_EXECVEAT);
}

/* Attaches program by program so a failure names the tracepoint that is missing. The
 * syscall hook is attached by vg_probe_set_syscalls(), and tried once here so a kernel
 * without it fails at start, not later. */
static int attach_all(struct vigil_bpf *skel, char *err, size_t errsize)
{
	struct {
		struct bpf_program *prog;
		struct bpf_link **link;
		const char *tracepoint;
	} progs[] = {
		{skel->progs.vg_exec, &skel->links.vg_exec, "sched:sched_process_exec"},
		{skel->progs.vg_fork, &skel->links.vg_fork, "sched:sched_process_fork"},
		{skel->progs.vg_exit, &skel->links.vg_exit, "sched:sched_process_exit"},
	};

	skel->links.vg_sys_exit = bpf_program__attach(skel->progs.vg_sys_exit);
	if (!skel->links.vg_sys_exit) {
		int r = -errno;

		set_err(err, errsize,
			"cannot attach to the BTF tracepoint raw_syscalls:sys_exit (%s)\n%s",
			strerror(-r), log_tail());
		return r;
	}
	bpf_link__destroy(skel->links.vg_sys_exit);
	skel->links.vg_sys_exit = NULL;

	for (size_t i = 0; i < VG_ARRAY_SIZE(progs); i++) {
		*progs[i].link = bpf_program__attach(progs[i].prog);
		if (!*progs[i].link) {
			int r = -errno;

			set_err(err, errsize,
				"cannot attach to the BTF tracepoint %s (%s): the kernel lacks it or "
				"BPF tracing is restricted\n%s",
				progs[i].tracepoint, strerror(-r), log_tail());
			return r;
		}
	}
	return 0;
}

int vg_probe_open(const struct vg_probe_config *cfg, vg_probe_event_fn *cb, void *userdata,
		  struct vg_probe **ret, char *err, size_t errsize)
{
	struct vg_probe *p;
	size_t rb_bytes = cfg->ringbuf_bytes ? cfg->ringbuf_bytes : VG_DEFAULT_RINGBUF;
	int r;

	if (rb_bytes & (rb_bytes - 1)) {
		set_err(err, errsize, "ring buffer size %zu is not a power of two", rb_bytes);
		return -EINVAL;
	}
	libbpf_set_print(libbpf_print);
	libbpf_log_len = 0;
	libbpf_log[0] = '\0';

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->cb = cb;
	p->userdata = userdata;

	p->skel = vigil_bpf__open();
	if (!p->skel) {
		r = -errno;
		set_err(err, errsize, "cannot open the BPF object: %s", strerror(-r));
		goto fail;
	}
	p->skel->rodata->vg_self_tgid = cfg->self_tgid ? cfg->self_tgid : getpid();
	p->skel->rodata->vg_cgroup_subsys = vg_probe_cgroup_subsys();
	p->skel->rodata->vg_capture_env = cfg->capture_env;
	r = bpf_map__set_max_entries(p->skel->maps.vg_events, rb_bytes);
	if (r < 0) {
		set_err(err, errsize, "cannot size the ring buffer: %s", strerror(-r));
		goto fail;
	}

	r = vigil_bpf__load(p->skel);
	if (r < 0) {
		set_err(err, errsize, "the kernel refused the BPF programs (%s):\n%s", strerror(-r),
			log_tail());
		goto fail;
	}
	fill_tables(p->skel);

	r = attach_all(p->skel, err, errsize);
	if (r < 0)
		goto fail;

	p->rb = ring_buffer__new(bpf_map__fd(p->skel->maps.vg_events), on_record, p, NULL);
	if (!p->rb) {
		r = -errno;
		set_err(err, errsize, "cannot map the ring buffer: %s", strerror(-r));
		goto fail;
	}
	*ret = p;
	return 0;
fail:
	vg_probe_free(p);
	return r;
}

int vg_probe_set_syscalls(struct vg_probe *p, const struct vg_syscall_set *set)
{
	unsigned on = 0;

	for (unsigned sc = 0; sc < VG_SC__MAX; sc++) {
		p->skel->bss->vg_sc_on[sc] = vg_syscall_set_has(set, sc);
		on += p->skel->bss->vg_sc_on[sc];
	}
	/* Hooking syscall exit puts every syscall of every task on the kernel's slow tracing
	 * path, so the hook is only attached while some syscall is switched on. */
	if (on && !p->skel->links.vg_sys_exit) {
		p->skel->links.vg_sys_exit = bpf_program__attach(p->skel->progs.vg_sys_exit);
		if (!p->skel->links.vg_sys_exit)
			return -errno;
	} else if (!on && p->skel->links.vg_sys_exit) {
		bpf_link__destroy(p->skel->links.vg_sys_exit);
		p->skel->links.vg_sys_exit = NULL;
	}
	return on;
}

int vg_probe_poll(struct vg_probe *p, int timeout_ms)
{
	int r, q;

	p->cb_error = 0;
	r = ring_buffer__poll(p->rb, timeout_ms);
	if (p->cb_error < 0)
		return p->cb_error;
	if (r < 0 && r != -EINTR)
		return r;
	/* The kernel side wakes us only once enough has piled up (BPF_RB_NO_WAKEUP keeps
	 * wakeups off the traced syscalls), so a poll that timed out must still take what is
	 * there: that bounds the latency of a lone event to timeout_ms. */
	q = ring_buffer__consume(p->rb);
	if (p->cb_error < 0)
		return p->cb_error;
	if (q < 0)
		return q;
	return (r > 0 ? r : 0) + q;
}

int vg_probe_drain(struct vg_probe *p)
{
	int r;

	p->cb_error = 0;
	r = ring_buffer__consume(p->rb);
	if (p->cb_error < 0)
		return p->cb_error;
	return r;
}

/* Must match struct vg_cpu_counters in bpf/maps.bpf.h. */
struct cpu_counters {
	__u64 events, drops, truncated, pending_bytes;
};

void vg_probe_counters(struct vg_probe *p, struct vg_probe_counters *ret)
{
	int ncpus = libbpf_num_possible_cpus();
	cleanup_free struct cpu_counters *vals = NULL;
	__u32 key = 0;

	memset(ret, 0, sizeof(*ret));
	if (ncpus <= 0)
		return;
	/* The kernel fills one value per possible CPU, however many that is. */
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return;
	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.vg_counters), &key, vals) < 0)
		return;
	ret->ncpus = VG_MIN(ncpus, (int)VG_ARRAY_SIZE(ret->drops_per_cpu));
	for (int cpu = 0; cpu < ncpus; cpu++) {
		ret->events += vals[cpu].events;
		ret->drops += vals[cpu].drops;
		ret->truncated += vals[cpu].truncated;
		if (cpu < (int)VG_ARRAY_SIZE(ret->drops_per_cpu))
			ret->drops_per_cpu[cpu] = vals[cpu].drops;
	}
}

struct vg_probe *vg_probe_free(struct vg_probe *p)
{
	if (!p)
		return NULL;
	ring_buffer__free(p->rb);
	vigil_bpf__destroy(p->skel);
	free(p);
	return NULL;
}
