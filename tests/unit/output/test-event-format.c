/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "event-builder.h"
#include "output/event-format.h"
#include "tap.h"

#define OFF 1764358200000000000LL /* 2025-11-28T19:30:00Z minus 1 s of boot time */

static struct vg_state *st;

static void ids(struct vg_evb *b, uint32_t pid, const char *comm)
{
	struct vg_event_hdr *h = vg_evb_hdr(b);

	h->pid = h->tid = h->vpid = h->vtid = pid;
	h->ppid = 1;
	h->loginuid = UINT32_MAX;
	memset(h->comm, 0, sizeof(h->comm));
	strncpy(h->comm, comm, sizeof(h->comm) - 1);
}

/* Applies the event to the shared state and formats it both ways. */
static void fmt(struct vg_evb *b, char **json, char **text)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	struct vg_event_ctx ctx;
	struct vg_event e;
	const char *why;
	size_t n = vg_evb_finish(b);

	if (!st) {
		struct vg_state_config cfg = {.live = false};

		ASSERT_OK(vg_state_new(&cfg, &st));
	}
	ASSERT_OK(vg_event_decode(b->buf, n, &e, &why));
	ASSERT_OK(vg_state_apply(st, &e, &ctx));
	ASSERT_OK(vg_event_format_json(&e, &ctx, OFF, &sb));
	ASSERT_OK(vg_strbuf_steal(&sb, json));
	vg_strbuf_init(&sb, 0);
	ASSERT_OK(vg_event_format_text(&e, &ctx, OFF, &sb));
	ASSERT_OK(vg_strbuf_steal(&sb, text));
	/* byte-identical when formatted again */
	{
		struct vg_strbuf again = VG_STRBUF_INIT(0);

		ASSERT_OK(vg_event_format_json(&e, &ctx, OFF, &again));
		ASSERT_STREQ(vg_strbuf_str(&again), *json);
		vg_strbuf_done(&again);
	}
	if (getenv("VG_PRINT_GOLDEN"))
		printf("# %s\n# %s\n", *json, *text);
}

static void check(struct vg_evb *b, const char *want_json_args, const char *want_text)
{
	char *json = NULL, *text = NULL;
	const char *args;

	fmt(b, &json, &text);
	args = strstr(json, ",\"args\":");
	ASSERT_NOT_NULL(args);
	ASSERT_STREQ(args, want_json_args);
	ASSERT_STREQ(text, want_text);
	free(json);
	free(text);
}

TEST(exec_then_open_full_json)
{
	static const char *const argv[] = {"cat", "/etc/shadow", NULL};
	struct vg_evb b;
	char *json, *text;

	vg_evb_init(&b, VG_EV_EXEC, VG_SC_EXECVE);
	ids(&b, 10, "cat");
	vg_evb_str(&b, VG_P_FILENAME, "/bin/cat");
	vg_evb_str(&b, VG_P_EXE, "/usr/bin/cat");
	vg_evb_list(&b, VG_P_ARGV, argv);
	vg_evb_str(&b, VG_P_CWD, "/");
	vg_evb_str(&b, VG_P_CGROUP, "/user.slice");
	vg_evb_hdr(&b)->flags |= VG_EVF_EXE_UPPER;
	vg_evb_hdr(&b)->args[0] = 1234;
	check(&b,
	      ",\"args\":{\"filename\":\"/bin/cat\",\"exe\":\"/usr/bin/cat\",\"args\":[\"/etc/shadow\"],"
	      "\"cwd\":\"/\",\"exe_ino\":1234,\"exe_flags\":[\"EXE_UPPER_LAYER\"],\"tty\":0}}",
	      "2025-11-28T19:30:01.000000000Z host cat(10) execve filename=/bin/cat exe=/usr/bin/cat "
	      "args=/etc/shadow cwd=/ exe_ino=1234 exe_flags=EXE_UPPER_LAYER tty=0 = SUCCESS");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_OPENAT);
	ids(&b, 10, "cat");
	vg_evb_hdr(&b)->args[0] = (uint64_t)-100;
	vg_evb_hdr(&b)->args[2] = 02000000;
	vg_evb_hdr(&b)->ret = 3;
	vg_evb_str(&b, VG_P_PATH, "/etc/shadow");
	vg_evb_str(&b, VG_P_RESOLVED, "/etc/shadow");
	fmt(&b, &json, &text);
	ASSERT_STREQ(
		json,
		"{\"time\":\"2025-11-28T19:30:01.000000000Z\",\"ts\":1000000000,\"type\":\"openat\","
		"\"kind\":\"syscall\",\"ret\":3,\"res\":\"SUCCESS\",\"proc\":{\"pid\":10,\"tid\":10,"
		"\"ppid\":1,\"vpid\":10,\"vtid\":10,\"name\":\"cat\",\"exepath\":\"/usr/bin/cat\","
		"\"cmdline\":\"cat /etc/shadow\",\"cwd\":\"/\",\"tty\":0,\"uid\":0,\"gid\":0,"
		"\"euid\":0,\"egid\":0,\"loginuid\":-1,\"pname\":\"\"},\"container\":{\"id\":\"host\"},"
		"\"ns\":{\"mnt\":4026531840,\"pid\":4026531836,\"net\":4026531833,"
		"\"user\":4026531837},\"cgroup_id\":4242,\"caps\":{\"eff\":\"0x1ffffffffff\","
		"\"prm\":\"0x1ffffffffff\"},\"args\":{\"name\":\"/etc/shadow\","
		"\"nameraw\":\"/etc/shadow\",\"flags\":\"O_RDONLY|O_CLOEXEC\",\"mode\":0,"
		"\"dirfd\":-100,\"fd\":3}}");
	ASSERT_STREQ(
		text,
		"2025-11-28T19:30:01.000000000Z host cat(10) openat name=/etc/shadow "
		"nameraw=/etc/shadow flags=O_RDONLY|O_CLOEXEC mode=0 dirfd=-100 fd=3 = SUCCESS");
	free(json);
	free(text);
}

TEST(more_kinds)
{
	struct vg_evb b;
	struct vg_tuple t = {.family = AF_INET, .type = 1, .proto = 6, .sport = 5555, .dport = 80};
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(80)};

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_CONNECT);
	ids(&b, 20, "curl");
	inet_pton(AF_INET, "10.0.0.1", t.saddr);
	inet_pton(AF_INET, "1.2.3.4", t.daddr);
	inet_pton(AF_INET, "1.2.3.4", &sin.sin_addr);
	vg_evb_hdr(&b)->args[0] = 5;
	vg_evb_hdr(&b)->ret = -ECONNREFUSED;
	vg_evb_param(&b, VG_P_ADDR, &sin, sizeof(sin));
	vg_evb_tuple(&b, &t);
	check(&b,
	      ",\"args\":{\"fd\":5,\"tuple\":\"10.0.0.1:5555->1.2.3.4:80\",\"family\":\"AF_INET\","
	      "\"addr\":\"1.2.3.4:80\"}}",
	      "2025-11-28T19:30:01.000000000Z host curl(20) connect fd=5 tuple=10.0.0.1:5555->1.2.3.4:80 "
	      "family=AF_INET addr=1.2.3.4:80 = ECONNREFUSED");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_RENAMEAT2);
	ids(&b, 20, "mv x");
	vg_evb_hdr(&b)->ret = 0;
	vg_evb_str(&b, VG_P_PATH, "a/../b");
	vg_evb_str(&b, VG_P_BASE, "/tmp");
	vg_evb_str(&b, VG_P_PATH2, "/etc//c");
	check(&b, ",\"args\":{\"oldpath\":\"/tmp/b\",\"newpath\":\"/etc/c\"}}",
	      "2025-11-28T19:30:01.000000000Z host \"mv x\"(20) renameat2 oldpath=/tmp/b newpath=/etc/c = SUCCESS");

	vg_evb_init(&b, VG_EV_FORK, VG_SC_CLONE);
	ids(&b, 20, "curl");
	vg_evb_hdr(&b)->args[0] = 21;
	vg_evb_hdr(&b)->args[1] = 21;
	vg_evb_hdr(&b)->args[2] = 0x01200011;
	vg_evb_hdr(&b)->args[3] = 21;
	check(&b,
	      ",\"args\":{\"child_pid\":21,\"child_tid\":21,\"child_vpid\":21,"
	      "\"flags\":\"CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11\"}}",
	      "2025-11-28T19:30:01.000000000Z host curl(20) clone child_pid=21 child_tid=21 child_vpid=21 "
	      "flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11 = SUCCESS");

	vg_evb_init(&b, VG_EV_EXIT, VG_SC_NONE);
	ids(&b, 21, "curl");
	vg_evb_hdr(&b)->ret = 9;
	vg_evb_hdr(&b)->args[0] = 1;
	check(&b, ",\"args\":{\"status\":9,\"code\":0,\"signal\":\"SIGKILL\"}}",
	      "2025-11-28T19:30:01.000000000Z host curl(21) procexit status=9 code=0 signal=SIGKILL = SUCCESS");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_PTRACE);
	ids(&b, 20, "gdb");
	vg_evb_hdr(&b)->args[0] = 16;
	vg_evb_hdr(&b)->args[1] = 1;
	vg_evb_hdr(&b)->ret = -EPERM;
	vg_evb_hdr(&b)->flags |= VG_EVF_COMPAT;
	check(&b, ",\"args\":{\"request\":\"PTRACE_ATTACH\",\"pid\":1},\"compat\":true}",
	      "2025-11-28T19:30:01.000000000Z host gdb(20) ptrace request=PTRACE_ATTACH pid=1 = EPERM");

	vg_evb_init(&b, VG_EV_SYSCALL, VG_SC_MKDIRAT);
	ids(&b, 20, "mkdir");
	vg_evb_hdr(&b)->args[2] = 0755;
	vg_evb_str(&b, VG_P_PATH, "/x");
	check(&b, ",\"args\":{\"path\":\"/x\",\"mode\":493}}",
	      "2025-11-28T19:30:01.000000000Z host mkdir(20) mkdirat path=/x mode=0755 = SUCCESS");
	vg_state_free(st);
	st = NULL;
}
