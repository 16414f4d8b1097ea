/* SPDX-License-Identifier: Apache-2.0 */
/* The `syscall` rule source: values of representative fields of every class. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sensor/syscalls.h"
#include "sensor/names.h"
#include "state/fields-syscall.h"
#include "state/meta.h"
#include "test-helpers.h"

static struct vg_state *st;
static struct vg_evb cur;
static struct vg_event ev;
static struct vg_event_ctx ctx;
static struct vg_extract xt;
static uint64_t evnum;

static void setup(void)
{
	struct vg_state_config cfg = {.live = false};

	if (st)
		st = vg_state_free(st);
	ASSERT_OK(vg_state_new(&cfg, &st));
	evnum = 0;
}

/* Starts an event of process @pid (thread = pid) whose parent is @ppid. */
static struct vg_event_hdr *begin(unsigned kind, unsigned sc, uint32_t pid, uint32_t ppid,
				  const char *comm)
{
	vg_evb_init(&cur, kind, sc);
	evb_ids(&cur, pid, pid, ppid, comm);
	vg_evb_hdr(&cur)->ts = 2000000000ull + evnum * 1000;
	return vg_evb_hdr(&cur);
}

static void apply(void)
{
	const char *why = NULL;
	size_t n = vg_evb_finish(&cur);

	ASSERT_OK(vg_event_decode(cur.buf, n, &ev, &why));
	ASSERT_OK(vg_state_apply(st, &ev, &ctx));
	evnum++;
}

static void exec_proc(uint32_t pid, uint32_t ppid, const char *comm, const char *exe,
		      const char *const *argv, uint32_t sid, uint32_t pgid, uint16_t flags)
{
	struct vg_event_hdr *h = begin(VG_EV_EXEC, VG_SC_EXECVE, pid, ppid, comm);

	h->flags = flags;
	h->args[0] = 777; /* exe inode */
	h->args[1] = 1600000000000000000ull; /* mtime */
	h->args[2] = 1600000001000000000ull; /* ctime */
	h->args[3] = (136u << 20) | 1; /* tty */
	h->args[4] = 1500000000ull; /* start, boot ns */
	h->args[5] = (uint64_t)sid << 32 | pgid;
	vg_evb_str(&cur, VG_P_FILENAME, exe);
	vg_evb_str(&cur, VG_P_EXE, exe);
	vg_evb_list(&cur, VG_P_ARGV, argv);
	vg_evb_str(&cur, VG_P_CWD, "/root");
}

/* Extracts @name ("proc.aname[2]", "evt.arg.flags") from the current event. */
static const struct vg_extract *ex(const char *name)
{
	struct vg_syscall_obj o = {.e = &ev,
				   .ctx = &ctx,
				   .state = st,
				   .boot_offset_ns = 1700000000000000000ll,
				   .hostname = "node1",
				   .num = evnum};
	struct vg_field_arg arg = {0};
	char base[256];
	const char *br = strchr(name, '[');
	const struct vg_field *f;
	size_t off = 0;

	if (br) {
		size_t n = (size_t)(br - name), k = strlen(br + 1) - 1;
		char *end;

		memcpy(base, name, n);
		base[n] = '\0';
		arg.present = true;
		memcpy(arg.key, br + 1, k);
		arg.key[k] = '\0';
		arg.index = strtoll(arg.key, &end, 10);
		arg.is_index = *end == '\0' && end != arg.key;
		f = vg_source_field(&vg_syscall_source, base, &off);
	} else {
		f = vg_source_field(&vg_syscall_source, name, &off);
		if (f && off) {
			arg.present = true;
			snprintf(arg.key, sizeof(arg.key), "%s", name + off);
		}
	}
	if (!f)
		TAP_FAIL_AT("no field %s", name);
	vg_extract_reset(&xt);
	f->extract(f, &arg, &o, &xt);
	return &xt;
}

static char sbuf[8][4096];
static unsigned sidx;

/* i-th value as text (NULL when absent), numbers in decimal. */
static const char *val(const char *name, size_t i)
{
	const struct vg_extract *x = ex(name);
	const struct vg_value *v;
	char *b = sbuf[sidx++ % 8];

	if (i >= x->n)
		return NULL;
	v = &x->values[i];
	switch (v->type) {
	case VG_FT_STR:
		snprintf(b, 4096, "%.*s", (int)v->s.len, v->s.p);
		break;
	case VG_FT_INT:
		snprintf(b, 4096, "%lld", (long long)v->i);
		break;
	case VG_FT_UINT:
		snprintf(b, 4096, "%llu", (unsigned long long)v->u);
		break;
	case VG_FT_BOOL:
		snprintf(b, 4096, "%s", v->b ? "true" : "false");
		break;
	case VG_FT_IP:
		inet_ntop(v->ip.family == 4 ? AF_INET : AF_INET6, v->ip.addr, b, 4096);
		break;
	default:
		snprintf(b, 4096, "?");
	}
	return b;
}

static const char *s1(const char *name)
{
	return val(name, 0);
}

static size_t nvals(const char *name)
{
	return ex(name)->n;
}

/* init(1) -> bash(100) -> cat(200) */
static void chain(void)
{
	static const char *const a_init[] = {"/sbin/init", NULL};
	static const char *const a_bash[] = {"bash", "-i", NULL};
	static const char *const a_cat[] = {"cat", "/etc/shadow", "-n", NULL};

	setup();
	exec_proc(1, 0, "systemd", "/usr/lib/systemd/systemd", a_init, 1, 1, 0);
	apply();
	exec_proc(100, 1, "bash", "/usr/bin/bash", a_bash, 100, 100, 0);
	apply();
	exec_proc(200, 100, "cat", "/usr/bin/cat", a_cat, 100, 200, VG_EVF_EXE_UPPER);
	{
		static const char *const env[] = {"HOME=/root", "PATH=/bin:/usr/bin", NULL};

		vg_evb_list(&cur, VG_P_ENV, env);
	}
	vg_evb_hdr(&cur)->euid = 0;
	vg_evb_hdr(&cur)->loginuid = 1000;
	apply();
}

TEST(exec_and_proc)
{
	chain();
	ASSERT_STREQ(s1("evt.type"), "execve");
	ASSERT_STREQ(s1("evt.source"), "syscall");
	ASSERT_STREQ(s1("evt.dir"), "<");
	ASSERT_STREQ(s1("evt.res"), "SUCCESS");
	ASSERT_STREQ(s1("evt.hostname"), "node1");
	ASSERT_STREQ(s1("evt.num"), "3");
	ASSERT_STREQ(s1("evt.arg.flags"), "EXE_UPPER_LAYER");
	ASSERT_STREQ(s1("evt.arg.args"), "/etc/shadow -n");
	ASSERT_STREQ(s1("proc.name"), "cat");
	ASSERT_STREQ(s1("proc.pid"), "200");
	ASSERT_STREQ(s1("proc.ppid"), "100");
	ASSERT_STREQ(s1("proc.exe"), "cat");
	ASSERT_STREQ(s1("proc.exepath"), "/usr/bin/cat");
	ASSERT_STREQ(s1("proc.cmdline"), "cat /etc/shadow -n");
	ASSERT_STREQ(s1("proc.exeline"), "cat /etc/shadow -n");
	ASSERT_STREQ(s1("proc.args"), "/etc/shadow -n");
	ASSERT_STREQ(s1("proc.cmdnargs"), "2");
	ASSERT_STREQ(s1("proc.pname"), "bash");
	ASSERT_STREQ(s1("proc.pexepath"), "/usr/bin/bash");
	ASSERT_STREQ(s1("proc.pcmdline"), "bash -i");
	ASSERT_STREQ(s1("proc.pexe"), "bash");
	ASSERT_STREQ(s1("proc.aname[0]"), "cat");
	ASSERT_STREQ(s1("proc.aname[1]"), "bash");
	ASSERT_STREQ(s1("proc.aname[2]"), "systemd");
	ASSERT_NULL(s1("proc.aname[3]"));
	ASSERT_EQ(nvals("proc.aname"), 2u);
	ASSERT_STREQ(val("proc.aname", 0), "bash");
	ASSERT_STREQ(val("proc.aname", 1), "systemd");
	ASSERT_STREQ(s1("proc.apid[2]"), "1");
	ASSERT_STREQ(s1("proc.aexepath[2]"), "/usr/lib/systemd/systemd");
	ASSERT_STREQ(s1("proc.cwd"), "/root");
	ASSERT_STREQ(s1("proc.sid"), "100");
	ASSERT_STREQ(s1("proc.sname"), "bash");
	ASSERT_STREQ(s1("proc.vpgid"), "200");
	ASSERT_STREQ(s1("proc.is_vpgid_leader"), "true");
	ASSERT_STREQ(s1("proc.is_sid_leader"), "false");
	ASSERT_STREQ(s1("proc.loginshellid"), "100");
	ASSERT_STREQ(s1("proc.tty"), "142606337");
	ASSERT_STREQ(s1("proc.is_exe_upper_layer"), "true");
	ASSERT_STREQ(s1("proc.is_exe_lower_layer"), "false");
	ASSERT_STREQ(s1("proc.is_exe_from_memfd"), "false");
	ASSERT_STREQ(s1("proc.is_exe_writable"), "false");
	ASSERT_STREQ(s1("proc.exe_ino"), "777");
	ASSERT_STREQ(s1("proc.exe_ino.ctime"), "1600000001000000000");
	ASSERT_STREQ(s1("proc.start_ts"), "1700000001500000000");
	ASSERT_STREQ(s1("proc.duration"), "500002000");
	ASSERT_STREQ(s1("proc.exe_ino.ctime_duration_proc_start"), "100000000500000000");
	ASSERT_STREQ(s1("proc.env"), "HOME=/root PATH=/bin:/usr/bin");
	ASSERT_STREQ(s1("proc.env[PATH]"), "/bin:/usr/bin");
	ASSERT_NULL(s1("proc.env[NOPE]"));
	ASSERT_NULL(s1("proc.vmsize"));
	ASSERT_STREQ(s1("thread.tid"), "200");
	ASSERT_STREQ(s1("thread.ismain"), "true");
	ASSERT_STREQ(s1("user.uid"), "0");
	ASSERT_STREQ(s1("user.name"), "root");
	ASSERT_STREQ(s1("user.loginuid"), "1000");
	ASSERT_NULL(s1("user.loginname")); /* replay: no passwd */
	ASSERT_STREQ(s1("group.gid"), "0");
	ASSERT_STREQ(s1("container.id"), "host");
	ASSERT_STREQ(s1("container.name"), "host");
	ASSERT_STREQ(s1("container.privileged"), "false");
	ASSERT_NULL(s1("container.image.repository"));
	ASSERT_NULL(s1("k8s.ns.name"));
	ASSERT_NULL(s1("fd.name")); /* exec has no fd */
	ASSERT_NULL(s1("fd.num"));
	ASSERT_NULL(s1("fd.typechar"));
	ASSERT_NULL(s1("fd.type"));
	ASSERT_STREQ(s1("evt.is_open_read"), "false");
}

TEST(caps_names)
{
	chain();
	begin(VG_EV_SYSCALL, VG_SC_SETUID, 200, 100, "cat");
	vg_evb_hdr(&cur)->cap_eff = (1ull << 21) | (1ull << 16) | 1;
	vg_evb_hdr(&cur)->cap_prm = 0;
	vg_evb_hdr(&cur)->args[0] = 0;
	apply();
	ASSERT_STREQ(s1("thread.cap_effective"), "CAP_CHOWN CAP_SYS_MODULE CAP_SYS_ADMIN");
	ASSERT_STREQ(s1("thread.cap_permitted"), "");
	ASSERT_NULL(s1("thread.cap_inheritable"));
	ASSERT_STREQ(s1("evt.arg.uid"), "root");
	ASSERT_STREQ(s1("evt.arg[0]"), "root");
	ASSERT_STREQ(s1("evt.args"), "uid=root");
	ASSERT_STREQ(s1("evt.category"), "security");
}

TEST(open_fd_and_flags)
{
	struct vg_event_hdr *h;

	chain();
	h = begin(VG_EV_SYSCALL, VG_SC_OPENAT, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->args[2] = 01 | 0100 | 01000; /* O_WRONLY|O_CREAT|O_TRUNC */
	h->args[3] = 0755;
	h->ret = 3;
	vg_evb_str(&cur, VG_P_PATH, "../etc/./shadow");
	vg_evb_str(&cur, VG_P_BASE, "/root");
	vg_evb_str(&cur, VG_P_RESOLVED, "/etc/shadow");
	apply();
	ASSERT_STREQ(s1("evt.arg.flags"), "O_WRONLY|O_CREAT|O_TRUNC");
	ASSERT_TRUE(strstr(s1("evt.arg.flags"), "O_TRUNC") != NULL);
	ASSERT_STREQ(s1("evt.arg[flags]"), "O_WRONLY|O_CREAT|O_TRUNC");
	ASSERT_STREQ(s1("evt.rawarg.flags"), "577");
	ASSERT_STREQ(s1("evt.arg.name"), "/etc/shadow");
	ASSERT_STREQ(s1("evt.arg.mode"), "S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR");
	ASSERT_STREQ(s1("evt.arg.fd"), "3");
	ASSERT_STREQ(s1("evt.arg.dirfd"), "AT_FDCWD");
	ASSERT_NULL(s1("evt.arg.nosuch"));
	ASSERT_STREQ(s1("evt.arg[2]"), "/etc/shadow");
	ASSERT_STREQ(s1("evt.is_open_write"), "true");
	/* the formatted flags are cached by value: every distinct value, in any order, must
	 * still give its own text (and colliding cache slots must not leak another's) */
	for (unsigned round = 0; round < 2; round++)
		for (uint64_t v = 0; v < 4096; v += 7) {
			char want[256];

			h->args[2] = v | (round ? 02000000 : 0); /* O_CLOEXEC on the second round */
			(void)vg_open_flags_format(h->args[2], want, sizeof(want));
			ASSERT_STREQ(s1("evt.arg.flags"), want);
		}
	h->args[2] = 01 | 0100 | 01000;
	ASSERT_STREQ(s1("evt.is_open_read"), "false");
	ASSERT_STREQ(s1("evt.is_open_create"), "true");
	ASSERT_STREQ(s1("evt.is_open_exec"), "true");
	ASSERT_STREQ(s1("evt.rawres"), "3");
	ASSERT_STREQ(s1("fd.num"), "3");
	ASSERT_STREQ(s1("fd.name"), "/etc/shadow");
	ASSERT_STREQ(s1("fd.nameraw"), "../etc/./shadow");
	ASSERT_STREQ(s1("fd.directory"), "/etc");
	ASSERT_STREQ(s1("fd.filename"), "shadow");
	ASSERT_STREQ(s1("fd.type"), "file");
	ASSERT_STREQ(s1("fd.typechar"), "f");
	ASSERT_NULL(s1("fd.l4proto"));
	ASSERT_NULL(s1("fd.sip"));
	ASSERT_STREQ(s1("fd.containername"), "host:/etc/shadow");
	ASSERT_STREQ(s1("fd.types[3]"), "file");

	ASSERT_TRUE(strncmp(s1("evt.args"), "fd=3 dirfd=AT_FDCWD name=/etc/shadow flags=O_WRONLY",
			    50) == 0);
	ASSERT_STREQ(s1("evt.abspath"), "/etc/shadow");

	/* a failed open still names the file */
	h = begin(VG_EV_SYSCALL, VG_SC_OPEN, 200, 100, "cat");
	h->args[1] = 0;
	h->ret = -2;
	vg_evb_str(&cur, VG_P_PATH, "/etc/nope");
	apply();
	ASSERT_STREQ(s1("evt.res"), "ENOENT");
	ASSERT_STREQ(s1("evt.rawres"), "-2");
	ASSERT_STREQ(s1("evt.failed"), "true");
	ASSERT_STREQ(s1("evt.is_open_read"), "true");
	ASSERT_STREQ(s1("evt.arg.flags"), "O_RDONLY");
	ASSERT_STREQ(s1("fd.name"), "/etc/nope");
	ASSERT_NULL(s1("fd.num"));
	ASSERT_STREQ(s1("fd.typechar"), "f");
	ASSERT_STREQ(s1("fd.type"), "file");

	/* a failed open without a path has no fd at all */
	h = begin(VG_EV_SYSCALL, VG_SC_OPENAT, 200, 100, "cat");
	h->ret = -2;
	apply();
	ASSERT_NULL(s1("fd.typechar"));
	ASSERT_NULL(s1("fd.type"));
	ASSERT_NULL(s1("fd.num"));
	ASSERT_NULL(s1("fd.name"));
	/* a file in /, a directory (O_DIRECTORY): fd.directory and fd.filename of the state's fd */
	h = begin(VG_EV_SYSCALL, VG_SC_OPENAT, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->ret = 4;
	vg_evb_str(&cur, VG_P_PATH, "/vmlinuz");
	apply();
	ASSERT_STREQ(s1("fd.name"), "/vmlinuz");
	ASSERT_STREQ(s1("fd.directory"), "/");
	ASSERT_STREQ(s1("fd.filename"), "vmlinuz");
	h = begin(VG_EV_SYSCALL, VG_SC_OPENAT, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->args[2] = 0200000; /* O_DIRECTORY */
	h->ret = 5;
	vg_evb_str(&cur, VG_P_PATH, "/usr/lib");
	apply();
	ASSERT_STREQ(s1("fd.type"), "directory");
	ASSERT_STREQ(s1("fd.typechar"), "d");
	ASSERT_STREQ(s1("fd.directory"), "/usr/lib");
	ASSERT_NULL(s1("fd.filename"));
}

/* Falco's fd.name for open* is the path as passed, absolute and normalised, symlinks not
 * followed: /proc/self/fd/1 stays /proc/self/fd/1 (rule "Modify Container Entrypoint"),
 * /bin/x stays /bin/x where /bin -> usr/bin; the kernel's resolved path is not used. */
TEST(open_name_lexical)
{
	struct vg_event_hdr *h;

	chain();
	h = begin(VG_EV_SYSCALL, VG_SC_OPENAT, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->args[2] = 01; /* O_WRONLY */
	h->ret = 4;
	vg_evb_str(&cur, VG_P_PATH, "/proc/self/fd/1");
	vg_evb_str(&cur, VG_P_RESOLVED, "pipe:[4242]");
	apply();
	ASSERT_STREQ(s1("fd.name"), "/proc/self/fd/1");
	ASSERT_STREQ(s1("evt.arg.name"), "/proc/self/fd/1");
	ASSERT_STREQ(s1("evt.abspath"), "/proc/self/fd/1");

	h = begin(VG_EV_SYSCALL, VG_SC_OPENAT, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->ret = 5;
	vg_evb_str(&cur, VG_P_PATH, "x/../bin/true");
	vg_evb_str(&cur, VG_P_BASE, "/");
	vg_evb_str(&cur, VG_P_RESOLVED, "/usr/bin/true");
	apply();
	ASSERT_STREQ(s1("fd.name"), "/bin/true");
	ASSERT_STREQ(s1("fd.directory"), "/bin");
	ASSERT_STREQ(s1("evt.arg.name"), "/bin/true");
}

TEST(connect_tuple)
{
	struct vg_tuple t = {
		.family = AF_INET, .type = 1, .proto = 6, .sport = 40000, .dport = 443};
	struct vg_event_hdr *h;

	chain();
	inet_pton(AF_INET, "10.0.0.5", t.saddr);
	inet_pton(AF_INET, "93.184.216.34", t.daddr);
	h = begin(VG_EV_SYSCALL, VG_SC_CONNECT, 200, 100, "cat");
	h->args[0] = 4;
	h->ret = 0;
	vg_evb_tuple(&cur, &t);
	apply();
	ASSERT_STREQ(s1("fd.name"), "10.0.0.5:40000->93.184.216.34:443");
	ASSERT_STREQ(s1("fd.num"), "4");
	ASSERT_STREQ(s1("fd.type"), "ipv4");
	ASSERT_STREQ(s1("fd.typechar"), "4");
	ASSERT_STREQ(s1("fd.l4proto"), "tcp");
	ASSERT_STREQ(s1("fd.sockfamily"), "ip");
	ASSERT_STREQ(s1("fd.is_server"), "false");
	ASSERT_STREQ(s1("fd.connected"), "true");
	ASSERT_STREQ(s1("fd.name_changed"), "true");
	ASSERT_STREQ(s1("fd.cip"), "10.0.0.5");
	ASSERT_STREQ(s1("fd.sip"), "93.184.216.34");
	ASSERT_STREQ(s1("fd.lip"), "10.0.0.5");
	ASSERT_STREQ(s1("fd.rip"), "93.184.216.34");
	ASSERT_STREQ(s1("fd.cport"), "40000");
	ASSERT_STREQ(s1("fd.sport"), "443");
	ASSERT_STREQ(s1("fd.lport"), "40000");
	ASSERT_STREQ(s1("fd.rport"), "443");
	ASSERT_EQ(nvals("fd.ip"), 2u);
	ASSERT_EQ(nvals("fd.port"), 2u);
	ASSERT_EQ(ex("fd.snet")->values[0].type, VG_FT_IP);
	ASSERT_STREQ(s1("fd.snet"), "93.184.216.34");
	ASSERT_NULL(s1("fd.sip.name"));
	ASSERT_NULL(s1("fd.directory"));
	ASSERT_STREQ(s1("evt.arg.tuple"), "10.0.0.5:40000->93.184.216.34:443");
	ASSERT_STREQ(s1("evt.category"), "net");

	/* the server side: accept swaps client and server */
	h = begin(VG_EV_SYSCALL, VG_SC_ACCEPT4, 200, 100, "cat");
	h->args[0] = 5;
	h->ret = 6;
	{
		struct vg_tuple s = t;

		memcpy(s.saddr, t.daddr, 16);
		memcpy(s.daddr, t.saddr, 16);
		s.sport = 443;
		s.dport = 40000;
		vg_evb_tuple(&cur, &s);
	}
	apply();
	ASSERT_STREQ(s1("fd.num"), "6");
	ASSERT_STREQ(s1("fd.is_server"), "true");
	ASSERT_STREQ(s1("fd.cip"), "10.0.0.5");
	ASSERT_STREQ(s1("fd.sip"), "93.184.216.34");
	ASSERT_STREQ(s1("fd.lport"), "443");
	ASSERT_STREQ(s1("fd.cport"), "40000");
}

TEST(named_args)
{
	struct vg_event_hdr *h;

	chain();
	h = begin(VG_EV_SYSCALL, VG_SC_PTRACE, 200, 100, "cat");
	h->args[0] = 16;
	h->args[1] = 1234;
	apply();
	ASSERT_STREQ(s1("evt.arg.request"), "PTRACE_ATTACH");
	ASSERT_STREQ(s1("evt.arg.pid"), "1234");
	ASSERT_STREQ(s1("evt.type"), "ptrace");

	h = begin(VG_EV_SYSCALL, VG_SC_SOCKET, 200, 100, "cat");
	h->args[0] = 17;
	h->args[1] = 3 | 02000000;
	h->args[2] = 768;
	h->ret = 7;
	apply();
	ASSERT_STREQ(s1("evt.arg.domain"), "AF_PACKET");
	ASSERT_STREQ(s1("evt.arg.type"), "SOCK_RAW|SOCK_CLOEXEC");
	ASSERT_STREQ(s1("evt.arg.fd"), "7");

	h = begin(VG_EV_SYSCALL, VG_SC_BPF, 200, 100, "cat");
	h->args[0] = 5;
	h->ret = 9;
	apply();
	ASSERT_STREQ(s1("evt.arg.cmd"), "BPF_PROG_LOAD");
	ASSERT_STREQ(s1("evt.arg.res_or_fd"), "9");

	h = begin(VG_EV_SYSCALL, VG_SC_RENAMEAT2, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->args[2] = (uint64_t)-100;
	vg_evb_str(&cur, VG_P_PATH, "a");
	vg_evb_str(&cur, VG_P_BASE, "/root");
	vg_evb_str(&cur, VG_P_PATH2, "/usr/bin/b");
	apply();
	ASSERT_STREQ(s1("evt.arg.oldpath"), "/root/a");
	ASSERT_STREQ(s1("evt.arg.newpath"), "/usr/bin/b");

	h = begin(VG_EV_SYSCALL, VG_SC_FCHMODAT, 200, 100, "cat");
	h->args[0] = (uint64_t)-100;
	h->args[2] = 04755;
	vg_evb_str(&cur, VG_P_PATH, "/tmp/x");
	apply();
	ASSERT_STREQ(s1("evt.arg.filename"), "/tmp/x");
	ASSERT_TRUE(strstr(s1("evt.arg.mode"), "S_ISUID") != NULL);

	h = begin(VG_EV_SYSCALL, VG_SC_SYMLINKAT, 200, 100, "cat");
	h->args[1] = (uint64_t)-100;
	vg_evb_str(&cur, VG_P_PATH, "/etc/shadow");
	vg_evb_str(&cur, VG_P_PATH2, "/tmp/l");
	apply();
	ASSERT_STREQ(s1("evt.arg.target"), "/etc/shadow");
	ASSERT_STREQ(s1("evt.arg.linkpath"), "/tmp/l");

	h = begin(VG_EV_SYSCALL, VG_SC_MOUNT, 200, 100, "cat");
	h->args[3] = 4096 | 16384;
	vg_evb_str(&cur, VG_P_PATH, "/dev/sda1");
	vg_evb_str(&cur, VG_P_PATH2, "/mnt");
	vg_evb_str(&cur, VG_P_FSTYPE, "ext4");
	apply();
	ASSERT_STREQ(s1("evt.arg.dev"), "/dev/sda1");
	ASSERT_STREQ(s1("evt.arg.dir"), "/mnt");
	ASSERT_STREQ(s1("evt.arg.flags"), "MS_BIND|MS_REC");

	h = begin(VG_EV_SYSCALL, VG_SC_KILL, 200, 100, "cat");
	h->args[0] = 100;
	h->args[1] = 9;
	apply();
	ASSERT_STREQ(s1("evt.arg.sig"), "SIGKILL");
}

TEST(exit_and_evttypes)
{
	struct vg_syscall_obj o = {0};
	const struct vg_source *src = &vg_syscall_source;
	struct vg_event_hdr *h;

	chain();
	h = begin(VG_EV_EXIT, VG_SC_NONE, 200, 100, "cat");
	h->args[0] = 1;
	h->ret = 9; /* killed by SIGKILL */
	apply();
	ASSERT_STREQ(s1("evt.type"), "procexit");
	ASSERT_NULL(s1("evt.res"));
	ASSERT_STREQ(s1("evt.arg.signal"), "SIGKILL");
	ASSERT_STREQ(s1("proc.name"), "cat");
	o.e = &ev;
	ASSERT_STREQ(src->evttypes[src->evttype_of(&o)], "procexit");
	ASSERT_EQ(src->evttype_syscall(src->evttype_of(&o)), 0u);
	ASSERT_EQ(vg_source_evttype(src, "openat"), (unsigned)VG_SC_OPENAT);
	ASSERT_EQ(src->evttype_syscall(vg_source_evttype(src, "execve")), (unsigned)VG_SC_EXECVE);
	ASSERT_EQ(vg_source_evttype(src, "clone3"), (unsigned)VG_SC_CLONE3);
	ASSERT_EQ(vg_source_evttype(src, "read"), 0u);
	for (unsigned i = 1; i < VG_SC__MAX; i++)
		ASSERT_EQ(vg_source_evttype(src, vg_syscall_name(i)), i);

	/* fork: the caller's view; evt.type clone */
	h = begin(VG_EV_FORK, VG_SC_CLONE, 100, 1, "bash");
	h->args[0] = 300;
	h->args[1] = 300;
	h->args[2] = 0x11; /* SIGCHLD exit signal only */
	h->ret = 300;
	apply();
	ASSERT_STREQ(s1("evt.type"), "clone");
	ASSERT_STREQ(s1("evt.rawres"), "300");
	ASSERT_STREQ(s1("evt.arg.child_pid"), "300");
	ASSERT_STREQ(s1("proc.name"), "bash");
	o.e = &ev;
	ASSERT_EQ(src->evttype_of(&o), (unsigned)VG_SC_CLONE);
}

TEST(container_fields)
{
	static const char *const a_sh[] = {"sh", NULL};
	struct vg_container *c;
	struct vg_container_meta *m;

	setup();
	ASSERT_OK(vg_container_put(
		&st->containers, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		VG_RUNTIME_DOCKER, &c));
	ASSERT_OK(vg_container_meta_new(&m));
	free(m->name);
	m->name = strdup("web");
	ASSERT_OK(vg_container_meta_set_image(m, "nginx:1.25"));
	m->privileged = true;
	m->n_mounts = 1;
	m->mounts = calloc(1, sizeof(*m->mounts));
	m->mounts[0].source = strdup("/var/run/docker.sock");
	m->mounts[0].dest = strdup("/sock");
	m->mounts[0].mode = strdup("");
	m->mounts[0].propagation = strdup("rprivate");
	m->mounts[0].rw = true;
	m->n_labels = 2;
	m->labels = calloc(2, sizeof(*m->labels));
	m->labels[0].key = strdup("io.kubernetes.pod.name");
	m->labels[0].value = strdup("web-0");
	m->labels[1].key = strdup("io.kubernetes.pod.namespace");
	m->labels[1].value = strdup("prod");
	ASSERT_OK(vg_container_meta_normalize(m));
	c->state = VG_CONTAINER_READY;
	c->meta = m;
	ASSERT_OK(vg_container_map_cgroup(&st->containers, 5555, c));

	exec_proc(400, 1, "sh", "/bin/sh", a_sh, 1, 1, 0);
	vg_evb_hdr(&cur)->cgroup_id = 5555;
	vg_evb_hdr(&cur)->euid = 1000;
	apply();
	ASSERT_STREQ(s1("container.id"), "0123456789ab");
	ASSERT_STREQ(s1("container.name"), "web");
	ASSERT_STREQ(s1("container.image"), "nginx:1.25");
	ASSERT_STREQ(s1("container.image.repository"), "nginx");
	ASSERT_STREQ(s1("container.image.tag"), "1.25");
	ASSERT_STREQ(s1("container.privileged"), "true");
	ASSERT_STREQ(s1("container.type"), "docker");
	ASSERT_STREQ(s1("container.mount.dest[/var/run/docker.sock]"), "/sock");
	ASSERT_STREQ(s1("container.mount.dest[/var/run/*]"), "/sock");
	ASSERT_STREQ(s1("container.mount.source[/sock]"), "/var/run/docker.sock");
	ASSERT_NULL(s1("container.mount.dest[/etc]"));
	ASSERT_STREQ(s1("container.mount.dest[0]"), "/sock");
	ASSERT_STREQ(s1("container.mounts"), "/var/run/docker.sock:/sock::true:rprivate");
	ASSERT_STREQ(s1("k8s.pod.name"), "web-0");
	ASSERT_STREQ(s1("k8s.ns.name"), "prod");
	ASSERT_STREQ(s1("container.label[io.kubernetes.pod.name]"), "web-0");
	ASSERT_NULL(s1("user.name")); /* uid 1000 in a container */
	ASSERT_STREQ(s1("user.uid"), "1000");
}

TEST(users_file)
{
	char path[] = "/tmp/vg-passwd-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_GE(fd, 0);
	f = fdopen(fd, "w");
	fputs("root:x:0:0:root:/root:/bin/bash\n# comment\nalice:x:1000:1000::/home/alice:/bin/zsh\nbad line\n",
	      f);
	fclose(f);
	ASSERT_OK(vg_syscall_users_load(path, NULL));
	chain();
	begin(VG_EV_SYSCALL, VG_SC_SETUID, 200, 100, "cat");
	vg_evb_hdr(&cur)->euid = 1000;
	vg_evb_hdr(&cur)->loginuid = 1000;
	vg_evb_hdr(&cur)->args[0] = 1000;
	apply();
	ASSERT_STREQ(s1("user.name"), "alice");
	ASSERT_STREQ(s1("user.homedir"), "/home/alice");
	ASSERT_STREQ(s1("user.shell"), "/bin/zsh");
	ASSERT_STREQ(s1("user.loginname"), "alice");
	ASSERT_STREQ(s1("evt.arg.uid"), "alice");
	vg_syscall_users_reset();
	ASSERT_NULL(s1("user.name"));
	ASSERT_STREQ(s1("evt.arg.uid"), "1000");
	unlink(path);
	st = vg_state_free(st);
}

TEST(no_state_na)
{
	struct vg_syscall_obj o = {0};
	const struct vg_field *f;
	struct vg_field_arg arg = {0};
	size_t off;

	vg_evb_init(&cur, VG_EV_SYSCALL, VG_SC_OPENAT);
	ASSERT_OK(vg_event_decode(cur.buf, vg_evb_finish(&cur), &ev, &(const char *){NULL}));
	o.e = &ev;
	/* no context at all: header fields only, everything else <NA> */
	for (size_t i = 0; i < vg_syscall_source.n_fields; i++) {
		f = &vg_syscall_source.fields[i];
		vg_extract_reset(&xt);
		f->extract(f, &arg, &o, &xt);
	}
	f = vg_source_field(&vg_syscall_source, "proc.exepath", &off);
	vg_extract_reset(&xt);
	f->extract(f, &arg, &o, &xt);
	ASSERT_EQ(xt.n, 0u);
	f = vg_source_field(&vg_syscall_source, "proc.name", &off);
	vg_extract_reset(&xt);
	f->extract(f, &arg, &o, &xt);
	ASSERT_EQ(xt.n, 1u);
	f = vg_source_field(&vg_syscall_source, "container.id", &off);
	vg_extract_reset(&xt);
	f->extract(f, &arg, &o, &xt);
	ASSERT_EQ(xt.n, 0u);
}

TEST(register_idempotent)
{
	ASSERT_OK(vg_syscall_source_register());
	ASSERT_OK(vg_syscall_source_register());
	ASSERT_TRUE(vg_source_find("syscall") == &vg_syscall_source);
}
