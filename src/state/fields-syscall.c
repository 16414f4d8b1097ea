/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `syscall` rule source: its field table, its event types and its registration. The
 * extractors live in fields-evt.c, fields-proc.c, fields-user.c, fields-fd.c and
 * fields-container.c; docs/fields.md is generated from this table.
 */
#include <errno.h>

#include "basic/macro.h"
#include "sensor/syscalls.h"
#include "state/dns.h"
#include "state/fields-internal.h"
#include "state/fields-syscall.h"

/* Index = event type number = enum vg_syscall, then procexit; 0 is "unknown". The names are
 * the sensor's own (vg_syscall_name()), filled in before main() runs. */
static const char *evttypes[VG_SC__MAX + 1];

__attribute__((constructor)) static void evttypes_init(void)
{
	evttypes[VG_SC_NONE] = "unknown";
	for (unsigned sc = VG_SC_NONE + 1; sc < VG_SC__MAX; sc++)
		evttypes[sc] = vg_syscall_name(sc);
	evttypes[VG_SC__MAX] = "procexit";
}

#define EVT_PROCEXIT VG_SC__MAX

static unsigned evttype_of(const void *obj)
{
	const struct vg_syscall_obj *o = obj;
	const struct vg_event_hdr *h = o && o->e ? o->e->hdr : NULL;

	if (!h)
		return 0;
	if (h->kind == VG_EV_EXIT)
		return EVT_PROCEXIT;
	if (h->kind == VG_EV_EXEC)
		return h->sc == VG_SC_EXECVEAT ? VG_SC_EXECVEAT : VG_SC_EXECVE;
	if (h->kind == VG_EV_FORK)
		return h->sc == VG_SC_CLONE3 || h->sc == VG_SC_FORK || h->sc == VG_SC_VFORK
			       ? h->sc
			       : VG_SC_CLONE;
	return h->sc < VG_SC__MAX ? h->sc : 0;
}

static unsigned evttype_syscall(unsigned t)
{
	return t < VG_SC__MAX ? t : 0; /* procexit comes from a sched tracepoint */
}

#define IDX VG_FF_ARG_INDEX
#define KEY VG_FF_ARG_KEY
#define REQ VG_FF_ARG_REQUIRED
#define MUL VG_FF_MULTI
#define DOT VG_FF_DOTTED_ARG
#define HID VG_FF_HIDDEN

#define E(n, t, fl, id, d)                         \
	{                                          \
		n, VG_FT_##t, fl, d, vg_sf_evt, id \
	}
#define P(n, t, fl, id, d)                          \
	{                                           \
		n, VG_FT_##t, fl, d, vg_sf_proc, id \
	}
#define U(n, t, fl, id, d)                          \
	{                                           \
		n, VG_FT_##t, fl, d, vg_sf_user, id \
	}
#define D(n, t, fl, id, d)                        \
	{                                         \
		n, VG_FT_##t, fl, d, vg_sf_fd, id \
	}
/* a field with an extractor of its own (fields-internal.h) */
#define OWN(n, t, fl, id, fn, d)            \
	{                                   \
		n, VG_FT_##t, fl, d, fn, id \
	}
/* fd.*ip.name: names come from the rules (state/dns.h), resolved in the background */
#define DNS(n, id, d)                                                             \
	{                                                                         \
		n, VG_FT_STR, VG_FF_MULTI, d, vg_sf_fd, id, vg_dns_field_literal \
	}
#define C(n, t, fl, id, d)                               \
	{                                                \
		n, VG_FT_##t, fl, d, vg_sf_container, id \
	}

static const struct vg_field fields[] = {
	E("evt.num", UINT, 0, F_EVT_NUM, "event number in this run, from 1"),
	E("evt.time", STR, 0, F_EVT_TIME, "event time as hh:mm:ss.nnnnnnnnn (UTC)"),
	E("evt.time.s", STR, 0, F_EVT_TIME_S, "event time as hh:mm:ss (UTC)"),
	E("evt.time.iso8601", STR, 0, F_EVT_TIME_ISO8601, "event time as ISO 8601 with ns (UTC)"),
	E("evt.datetime", STR, 0, F_EVT_DATETIME,
	  "event time as YYYY-MM-DD hh:mm:ss.nnnnnnnnn (UTC)"),
	E("evt.datetime.s", STR, 0, F_EVT_DATETIME_S, "event time as YYYY-MM-DD hh:mm:ss (UTC)"),
	E("evt.rawtime", UINT, 0, F_EVT_RAWTIME, "event time in ns since the epoch"),
	E("evt.rawtime.s", UINT, 0, F_EVT_RAWTIME_S,
	  "integer part of the event time in s since the epoch"),
	E("evt.rawtime.ns", UINT, 0, F_EVT_RAWTIME_NS, "fractional part of the event time in ns"),
	E("evt.hostname", STR, 0, F_EVT_HOSTNAME, "host name of the machine that made the event"),
	E("evt.source", STR, 0, F_EVT_SOURCE, "event source: syscall"),
	E("evt.type", STR, 0, F_EVT_TYPE, "event type: syscall name, or procexit"),
	E("evt.dir", STR, 0, F_EVT_DIR, "event direction: always < (vigil reports syscall exits)"),
	E("evt.res", STR, 0, F_EVT_RES, "SUCCESS, or the errno name of a failed syscall (ENOENT)"),
	E("evt.rawres", INT, 0, F_EVT_RAWRES, "syscall return value"),
	E("evt.failed", BOOL, 0, F_EVT_FAILED, "true when the syscall returned an error"),
	OWN("evt.is_open_read", BOOL, 0, F_EVT_IS_OPEN_READ, vg_sf_evt_is_open_read,
	    "open* with read access (O_RDONLY or O_RDWR)"),
	OWN("evt.is_open_write", BOOL, 0, F_EVT_IS_OPEN_WRITE, vg_sf_evt_is_open_write,
	    "open* with write access (O_WRONLY or O_RDWR)"),
	E("evt.is_open_exec", BOOL, 0, F_EVT_IS_OPEN_EXEC,
	  "open* creating a file with execute permission"),
	E("evt.is_open_create", BOOL, 0, F_EVT_IS_OPEN_CREATE, "open* with O_CREAT"),
	E("evt.args", STR, 0, F_EVT_ARGS, "all arguments as name=value text"),
	E("evt.info", STR, 0, F_EVT_INFO, "same as evt.args"),
	OWN("evt.arg", STR, IDX | KEY | REQ | DOT, F_EVT_ARG, vg_sf_evt_arg,
	    "one argument by name (evt.arg.flags, evt.arg[flags]) or position (evt.arg[0]), as text"),
	E("evt.rawarg", INT, KEY | REQ | DOT, F_EVT_RAWARG,
	  "one numeric argument by name, unformatted (evt.rawarg.flags)"),
	E("evt.buffer", BYTES, 0, F_EVT_BUFFER,
	  "data of sendto/recvfrom: its first 80 bytes (<NA> for other events)"),
	E("evt.buflen", UINT, 0, F_EVT_BUFLEN, "bytes of evt.buffer kept (at most 80)"),
	E("evt.category", STR, 0, F_EVT_CATEGORY,
	  "event category: file, net, process, security, ipc, signal, other"),
	E("evt.abspath", STR, KEY | DOT, F_EVT_ABSPATH,
	  "absolute path of the event's path argument (src/dst for rename and link)"),
	E("evt.is_io", BOOL, 0, F_EVT_IS_IO, "read/write event: vigil traces none (false)"),
	E("evt.is_io_read", BOOL, 0, F_EVT_IS_IO_READ, "read event: vigil traces none (false)"),
	E("evt.is_io_write", BOOL, 0, F_EVT_IS_IO_WRITE, "write event: vigil traces none (false)"),
	E("evt.is_wait", BOOL, 0, F_EVT_IS_WAIT, "wait event: vigil traces none (false)"),
	E("evt.is_syslog", BOOL, 0, F_EVT_IS_SYSLOG,
	  "write to /dev/log: vigil traces none (false)"),
	E("evt.pluginname", STR, 0, F_EVT_PLUGINNAME,
	  "plugin that made the event: none (always <NA>)"),
	E("evt.cpu", UINT, 0, F_EVT_CPU, "CPU of the event: not recorded (always <NA>)"),
	E("evt.latency", UINT, 0, F_EVT_LATENCY, "syscall latency: not recorded (always <NA>)"),

	P("proc.pid", UINT, 0, F_PROC_PID, "process id (host pid namespace)"),
	P("proc.ppid", UINT, 0, F_PROC_PPID, "parent process id"),
	P("proc.vpid", UINT, 0, F_PROC_VPID, "process id in its own pid namespace"),
	P("proc.pvpid", UINT, 0, F_PROC_PVPID, "parent process id in its pid namespace"),
	OWN("proc.name", STR, 0, F_PROC_NAME, vg_sf_proc_name,
	    "process name (comm, at most 15 chars)"),
	P("proc.exe", STR, 0, F_PROC_EXE, "first command line argument (argv[0])"),
	P("proc.exepath", STR, 0, F_PROC_EXEPATH, "full path of the executable"),
	P("proc.exeline", STR, 0, F_PROC_EXELINE, "argv[0] followed by the arguments"),
	P("proc.cmdline", STR, 0, F_PROC_CMDLINE, "process name followed by the arguments"),
	P("proc.args", STR, 0, F_PROC_ARGS, "arguments (argv[1..]) joined by spaces"),
	P("proc.cmdnargs", UINT, 0, F_PROC_CMDNARGS, "number of arguments"),
	P("proc.cmdlenargs", UINT, 0, F_PROC_CMDLENARGS,
	  "total length of the arguments (without separators)"),
	P("proc.pname", STR, 0, F_PROC_PNAME, "parent process name"),
	P("proc.pexe", STR, 0, F_PROC_PEXE, "parent argv[0]"),
	P("proc.pexepath", STR, 0, F_PROC_PEXEPATH, "parent executable path"),
	P("proc.pcmdline", STR, 0, F_PROC_PCMDLINE, "parent cmdline"),
	P("proc.aname", STR, IDX | MUL, F_PROC_ANAME,
	  "ancestor name: [0] self, [1] parent, [2] grandparent...; without index every ancestor"),
	P("proc.apid", UINT, IDX | MUL, F_PROC_APID, "ancestor pid (indexed like proc.aname)"),
	P("proc.aexe", STR, IDX | MUL, F_PROC_AEXE, "ancestor argv[0] (indexed like proc.aname)"),
	P("proc.aexepath", STR, IDX | MUL, F_PROC_AEXEPATH,
	  "ancestor executable path (indexed like proc.aname)"),
	P("proc.acmdline", STR, IDX | MUL, F_PROC_ACMDLINE,
	  "ancestor cmdline (indexed like proc.aname)"),
	P("proc.tty", UINT, 0, F_PROC_TTY,
	  "controlling terminal (major << 20 | minor), 0 for none"),
	P("proc.cwd", STR, 0, F_PROC_CWD, "current working directory"),
	P("proc.sid", UINT, 0, F_PROC_SID, "session id (in the process's pid namespace)"),
	P("proc.sname", STR, 0, F_PROC_SNAME,
	  "name of the session leader (or eldest known ancestor in the session)"),
	P("proc.sid.exe", STR, 0, F_PROC_SID_EXE, "argv[0] of the session leader"),
	P("proc.sid.exepath", STR, 0, F_PROC_SID_EXEPATH, "executable path of the session leader"),
	P("proc.vpgid", UINT, 0, F_PROC_VPGID, "process group id (in the process's pid namespace)"),
	P("proc.vpgid.name", STR, 0, F_PROC_VPGID_NAME, "name of the process group leader"),
	P("proc.vpgid.exe", STR, 0, F_PROC_VPGID_EXE, "argv[0] of the process group leader"),
	P("proc.vpgid.exepath", STR, 0, F_PROC_VPGID_EXEPATH,
	  "executable path of the process group leader"),
	P("proc.is_vpgid_leader", BOOL, 0, F_PROC_IS_VPGID_LEADER,
	  "the process leads its process group"),
	P("proc.is_sid_leader", BOOL, 0, F_PROC_IS_SID_LEADER, "the process leads its session"),
	P("proc.loginshellid", UINT, 0, F_PROC_LOGINSHELLID,
	  "pid of the eldest shell among the process and its ancestors"),
	P("proc.duration", UINT, 0, F_PROC_DURATION, "ns since the process started"),
	P("proc.ppid.duration", UINT, 0, F_PROC_PPID_DURATION, "ns since the parent started"),
	P("proc.start_ts", UINT, 0, F_PROC_START_TS, "process start time, ns since the epoch"),
	P("proc.ppid.ts", UINT, 0, F_PROC_PPID_TS, "parent start time, ns since the epoch"),
	P("proc.env", STR, KEY, F_PROC_ENV,
	  "environment (exec events captured with --env only); [NAME] for one variable"),
	P("proc.is_exe_upper_layer", BOOL, 0, F_PROC_IS_EXE_UPPER_LAYER,
	  "executable on an overlayfs upper layer (container drift)"),
	P("proc.is_exe_lower_layer", BOOL, 0, F_PROC_IS_EXE_LOWER_LAYER,
	  "executable on an overlayfs lower (image) layer"),
	P("proc.is_exe_from_memfd", BOOL, 0, F_PROC_IS_EXE_FROM_MEMFD,
	  "executable is a memfd (fileless)"),
	P("proc.is_exe_writable", BOOL, 0, F_PROC_IS_EXE_WRITABLE,
	  "executable writable by the user: not collected (false)"),
	P("proc.exe_ino", UINT, 0, F_PROC_EXE_INO, "inode of the executable"),
	P("proc.exe_ino.ctime", UINT, 0, F_PROC_EXE_INO_CTIME,
	  "ctime of the executable, ns since the epoch"),
	P("proc.exe_ino.mtime", UINT, 0, F_PROC_EXE_INO_MTIME,
	  "mtime of the executable, ns since the epoch"),
	P("proc.exe_ino.ctime_duration_proc_start", UINT, 0,
	  F_PROC_EXE_INO_CTIME_DURATION_PROC_START,
	  "ns between the executable's ctime and the process start"),
	P("proc.is_container_healthcheck", BOOL, 0, F_PROC_IS_CONTAINER_HEALTHCHECK,
	  "process is a container healthcheck: not known (false)"),
	P("proc.is_container_liveness_probe", BOOL, 0, F_PROC_IS_CONTAINER_LIVENESS_PROBE,
	  "process is a liveness probe: not known (false)"),
	P("proc.is_container_readiness_probe", BOOL, 0, F_PROC_IS_CONTAINER_READINESS_PROBE,
	  "process is a readiness probe: not known (false)"),
	P("proc.stdin.type", STR, 0, F_PROC_STDIN_TYPE,
	  "fd type of stdin (file, pipe, ipv4, ...) when known"),
	P("proc.stdin.name", STR, 0, F_PROC_STDIN_NAME, "fd name of stdin when known"),
	P("proc.stdout.type", STR, 0, F_PROC_STDOUT_TYPE, "fd type of stdout when known"),
	P("proc.stdout.name", STR, 0, F_PROC_STDOUT_NAME, "fd name of stdout when known"),
	P("proc.stderr.type", STR, 0, F_PROC_STDERR_TYPE, "fd type of stderr when known"),
	P("proc.stderr.name", STR, 0, F_PROC_STDERR_NAME, "fd name of stderr when known"),
	P("proc.nthreads", UINT, 0, F_PROC_NTHREADS, "number of live threads known"),
	P("proc.fdopencount", UINT, 0, F_PROC_FDOPENCOUNT, "number of open fds known"),
	P("proc.vmsize", UINT, 0, F_PROC_VMSIZE,
	  "virtual memory size: not collected (always <NA>)"),
	P("proc.vmrss", UINT, 0, F_PROC_VMRSS, "resident memory size: not collected (always <NA>)"),

	P("thread.tid", UINT, 0, F_THREAD_TID, "thread id (host pid namespace)"),
	P("thread.vtid", UINT, 0, F_THREAD_VTID, "thread id in its pid namespace"),
	P("thread.ismain", BOOL, 0, F_THREAD_ISMAIN, "the thread is the process's main thread"),
	P("thread.cap_effective", STR, 0, F_THREAD_CAP_EFFECTIVE,
	  "effective capabilities: CAP_* names separated by spaces"),
	P("thread.cap_permitted", STR, 0, F_THREAD_CAP_PERMITTED,
	  "permitted capabilities: CAP_* names separated by spaces"),
	P("thread.cap_inheritable", STR, 0, F_THREAD_CAP_INHERITABLE,
	  "inheritable capabilities: not collected (always <NA>)"),
	P("thread.cgroups", STR, 0, F_THREAD_CGROUPS, "cgroup path (exec and fork events only)"),

	U("user.uid", UINT, 0, F_USER_UID, "effective user id"),
	U("user.name", STR, 0, F_USER_NAME,
	  "effective user name (see docs: where names come from)"),
	U("user.homedir", STR, 0, F_USER_HOMEDIR, "home directory of the user"),
	U("user.shell", STR, 0, F_USER_SHELL, "login shell of the user"),
	U("user.loginuid", INT, 0, F_USER_LOGINUID, "audit login uid, -1 when unset"),
	U("user.loginname", STR, 0, F_USER_LOGINNAME, "name of the audit login user"),
	U("user.prev_uid", UINT, 0, F_USER_PREV_UID,
	  "vigil: effective user id before this event (credential changes), <NA> when unknown"),
	U("group.gid", UINT, 0, F_GROUP_GID, "effective group id"),
	U("group.name", STR, 0, F_GROUP_NAME, "effective group name"),

	OWN("fd.num", INT, 0, F_FD_NUM, vg_sf_fd_num, "fd number of the event's fd"),
	OWN("fd.name", STR, 0, F_FD_NAME, vg_sf_fd_name,
	    "full fd name: absolute path, cip:cport->sip:sport, unix path"),
	D("fd.nameraw", STR, 0, F_FD_NAMERAW, "fd name as passed (unnormalised path for open*)"),
	OWN("fd.directory", STR, 0, F_FD_DIRECTORY, vg_sf_fd_directory,
	    "directory of a file fd (directory itself for a directory fd)"),
	OWN("fd.filename", STR, 0, F_FD_FILENAME, vg_sf_fd_filename, "base name of a file fd"),
	D("fd.type", STR, 0, F_FD_TYPE,
	  "fd type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, memfd, ..."),
	OWN("fd.typechar", STR, 0, F_FD_TYPECHAR, vg_sf_fd_typechar,
	    "fd type as one char: f d 4 6 u p e s l i t m ..."),
	D("fd.types", STR, IDX | MUL, F_FD_TYPES,
	  "types of all fds of the process (distinct); [N] for fd N"),
	D("fd.l4proto", STR, 0, F_FD_L4PROTO, "IP protocol: tcp, udp, icmp, raw"),
	D("fd.sockfamily", STR, 0, F_FD_SOCKFAMILY, "socket family: ip or unix"),
	D("fd.is_server", BOOL, 0, F_FD_IS_SERVER, "the process is the server side of the socket"),
	D("fd.connected", BOOL, 0, F_FD_CONNECTED, "the socket has a peer"),
	D("fd.name_changed", BOOL, 0, F_FD_NAME_CHANGED,
	  "the event changed the fd name (connect, sendto/sendmsg with a destination)"),
	D("fd.cip", IP, 0, F_FD_CIP, "client IP"),
	D("fd.sip", IP, 0, F_FD_SIP, "server IP"),
	D("fd.lip", IP, 0, F_FD_LIP, "local IP"),
	D("fd.rip", IP, 0, F_FD_RIP, "remote IP"),
	D("fd.ip", IP, MUL, F_FD_IP, "either IP (client or server)"),
	D("fd.cport", UINT, 0, F_FD_CPORT, "client port"),
	D("fd.sport", UINT, 0, F_FD_SPORT, "server port"),
	D("fd.lport", UINT, 0, F_FD_LPORT, "local port"),
	D("fd.rport", UINT, 0, F_FD_RPORT, "remote port"),
	D("fd.port", UINT, MUL, F_FD_PORT, "either port (client or server)"),
	D("fd.net", NET, MUL, F_FD_NET,
	  "either IP, compared with a CIDR network (fd.net = 10.0.0.0/8)"),
	D("fd.cnet", NET, 0, F_FD_CNET, "client IP, compared with a CIDR network"),
	D("fd.snet", NET, 0, F_FD_SNET, "server IP, compared with a CIDR network"),
	D("fd.lnet", NET, 0, F_FD_LNET, "local IP, compared with a CIDR network"),
	D("fd.rnet", NET, 0, F_FD_RNET, "remote IP, compared with a CIDR network"),
	DNS("fd.cip.name", F_FD_CIP_NAME,
	    "host names the rules compare with that resolve to the client IP (see docs)"),
	DNS("fd.sip.name", F_FD_SIP_NAME,
	    "host names the rules compare with that resolve to the server IP (see docs)"),
	DNS("fd.lip.name", F_FD_LIP_NAME,
	    "host names the rules compare with that resolve to the local IP (see docs)"),
	DNS("fd.rip.name", F_FD_RIP_NAME,
	    "host names the rules compare with that resolve to the remote IP (see docs)"),
	D("fd.ino", UINT, 0, F_FD_INO, "inode of a socket or pipe fd when known"),
	D("fd.dev", UINT, 0, F_FD_DEV, "device of the file: not collected (always <NA>)"),
	D("fd.containername", STR, 0, F_FD_CONTAINERNAME, "container.id:fd.name"),
	D("fd.containerdirectory", STR, 0, F_FD_CONTAINERDIRECTORY, "container.id:fd.directory"),

	OWN("container.id", STR, 0, F_CT_ID, vg_sf_container_id,
	    "container id (12 chars), host for host processes"),
	C("container.full_id", STR, 0, F_CT_FULL_ID, "full container id, host for host processes"),
	C("container.name", STR, 0, F_CT_NAME, "container name (host for host processes)"),
	C("container.image", STR, 0, F_CT_IMAGE,
	  "image reference as the container was created from"),
	C("container.image.repository", STR, 0, F_CT_IMAGE_REPOSITORY, "image repository"),
	C("container.image.tag", STR, 0, F_CT_IMAGE_TAG, "image tag"),
	C("container.image.id", STR, 0, F_CT_IMAGE_ID, "image id"),
	C("container.image.digest", STR, 0, F_CT_IMAGE_DIGEST,
	  "image digest: not collected (always <NA>)"),
	C("container.type", STR, 0, F_CT_TYPE,
	  "container runtime: docker, containerd, cri-o, podman, runc, crun"),
	C("container.privileged", BOOL, 0, F_CT_PRIVILEGED,
	  "privileged container (false for host processes)"),
	C("container.mounts", STR, MUL, F_CT_MOUNTS,
	  "mounts as source:dest:mode:rdwrite:propagation, one value each"),
	C("container.mount", STR, IDX | KEY | REQ, F_CT_MOUNT,
	  "one mount by index or by source path"),
	C("container.mount.source", STR, IDX | KEY | REQ, F_CT_MOUNT_SOURCE,
	  "source of the mount with the given index or destination (glob)"),
	C("container.mount.dest", STR, IDX | KEY | REQ, F_CT_MOUNT_DEST,
	  "destination of the mount with the given index or source (glob)"),
	C("container.mount.mode", STR, IDX | KEY | REQ, F_CT_MOUNT_MODE,
	  "mode of the mount with the given index or source (glob)"),
	C("container.mount.rdwrite", STR, IDX | KEY | REQ, F_CT_MOUNT_RDWRITE,
	  "true/false: the mount is writable"),
	C("container.mount.propagation", STR, IDX | KEY | REQ, F_CT_MOUNT_PROPAGATION,
	  "propagation of the mount"),
	C("container.labels", STR, 0, F_CT_LABELS, "labels as key:value, comma-separated"),
	C("container.label", STR, KEY | REQ | DOT, F_CT_LABEL, "one label by key"),
	C("container.ip", STR, 0, F_CT_IP, "container IP address"),
	C("container.user", STR, 0, F_CT_USER, "user the container was started as"),
	C("container.host_pid", BOOL, 0, F_CT_HOST_PID, "container shares the host pid namespace"),
	C("container.host_network", BOOL, 0, F_CT_HOST_NETWORK,
	  "container shares the host network namespace"),
	C("container.host_ipc", BOOL, 0, F_CT_HOST_IPC, "container shares the host IPC namespace"),
	C("container.start_ts", UINT, 0, F_CT_START_TS, "container start time, ns since the epoch"),
	C("container.duration", UINT, 0, F_CT_DURATION, "ns since the container started"),
	C("container.healthcheck", STR, 0, F_CT_HEALTHCHECK,
	  "healthcheck command: not collected (always <NA>)"),
	C("container.liveness_probe", STR, 0, F_CT_LIVENESS_PROBE,
	  "liveness probe command: not collected (always <NA>)"),
	C("container.readiness_probe", STR, 0, F_CT_READINESS_PROBE,
	  "readiness probe command: not collected (always <NA>)"),
	C("container.state", STR, 0, F_CT_STATE, "vigil: metadata state ready, pending or failed"),

	C("k8s.ns.name", STR, 0, F_K8S_NS_NAME, "Kubernetes namespace (from the CRI labels)"),
	C("k8s.pod.name", STR, 0, F_K8S_POD_NAME, "Kubernetes pod name"),
	C("k8s.pod.uid", STR, 0, F_K8S_POD_UID, "Kubernetes pod uid"),
	C("k8s.pod.labels", STR, 0, F_K8S_POD_LABELS,
	  "pod labels as key:value, comma-separated (container labels not set by the CRI)"),
	C("k8s.pod.label", STR, KEY | REQ | DOT, F_K8S_POD_LABEL, "one pod label by key"),
	C("k8s.pod.ip", STR, 0, F_K8S_POD_IP, "pod IP (the container's IP)"),
	C("k8s.pod.sandbox_id", STR, 0, F_K8S_POD_SANDBOX_ID, "pod sandbox id (12 chars)"),
	C("k8s.pod.full_sandbox_id", STR, 0, F_K8S_POD_FULL_SANDBOX_ID, "pod sandbox id"),
};

const struct vg_source vg_syscall_source = {
	.name = "syscall",
	.fields = fields,
	.n_fields = VG_ARRAY_SIZE(fields),
	.evttypes = evttypes,
	.n_evttypes = VG_ARRAY_SIZE(evttypes),
	.evttype_of = evttype_of,
	.evttype_syscall = evttype_syscall,
};

int vg_syscall_source_register(void)
{
	const struct vg_source *s = vg_source_find(vg_syscall_source.name);
	int r;

	if (s == &vg_syscall_source)
		return 0;
	r = vg_source_register(&vg_syscall_source);
	return r;
}
