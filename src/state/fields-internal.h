/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the `syscall` field extractors (fields-*.c): field ids, one extractor per
 * class, and helpers shared between the classes.
 */
#ifndef VG_STATE_FIELDS_INTERNAL_H
#define VG_STATE_FIELDS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/field.h"
#include "state/fields-syscall.h"

enum {
	/* evt.* */
	F_EVT_NUM = 1,
	F_EVT_TIME,
	F_EVT_TIME_S,
	F_EVT_TIME_ISO8601,
	F_EVT_DATETIME,
	F_EVT_DATETIME_S,
	F_EVT_RAWTIME,
	F_EVT_RAWTIME_S,
	F_EVT_RAWTIME_NS,
	F_EVT_HOSTNAME,
	F_EVT_SOURCE,
	F_EVT_TYPE,
	F_EVT_DIR,
	F_EVT_RES,
	F_EVT_RAWRES,
	F_EVT_FAILED,
	F_EVT_IS_OPEN_READ,
	F_EVT_IS_OPEN_WRITE,
	F_EVT_IS_OPEN_EXEC,
	F_EVT_IS_OPEN_CREATE,
	F_EVT_ARGS,
	F_EVT_INFO,
	F_EVT_ARG,
	F_EVT_RAWARG,
	F_EVT_BUFFER,
	F_EVT_BUFLEN,
	F_EVT_CATEGORY,
	F_EVT_ABSPATH,
	F_EVT_IS_IO,
	F_EVT_IS_IO_READ,
	F_EVT_IS_IO_WRITE,
	F_EVT_IS_WAIT,
	F_EVT_IS_SYSLOG,
	F_EVT_PLUGINNAME,
	F_EVT_CPU,
	F_EVT_LATENCY,
	/* proc.* */
	F_PROC_PID = 100,
	F_PROC_PPID,
	F_PROC_VPID,
	F_PROC_PVPID,
	F_PROC_NAME,
	F_PROC_EXE,
	F_PROC_EXEPATH,
	F_PROC_EXELINE,
	F_PROC_CMDLINE,
	F_PROC_ARGS,
	F_PROC_CMDNARGS,
	F_PROC_CMDLENARGS,
	F_PROC_PNAME,
	F_PROC_PEXE,
	F_PROC_PEXEPATH,
	F_PROC_PCMDLINE,
	F_PROC_ANAME,
	F_PROC_APID,
	F_PROC_AEXE,
	F_PROC_AEXEPATH,
	F_PROC_ACMDLINE,
	F_PROC_TTY,
	F_PROC_CWD,
	F_PROC_SID,
	F_PROC_SNAME,
	F_PROC_SID_EXE,
	F_PROC_SID_EXEPATH,
	F_PROC_VPGID,
	F_PROC_VPGID_NAME,
	F_PROC_VPGID_EXE,
	F_PROC_VPGID_EXEPATH,
	F_PROC_IS_VPGID_LEADER,
	F_PROC_IS_SID_LEADER,
	F_PROC_LOGINSHELLID,
	F_PROC_DURATION,
	F_PROC_PPID_DURATION,
	F_PROC_START_TS,
	F_PROC_PPID_TS,
	F_PROC_ENV,
	F_PROC_IS_EXE_UPPER_LAYER,
	F_PROC_IS_EXE_LOWER_LAYER,
	F_PROC_IS_EXE_FROM_MEMFD,
	F_PROC_IS_EXE_WRITABLE,
	F_PROC_EXE_INO,
	F_PROC_EXE_INO_CTIME,
	F_PROC_EXE_INO_MTIME,
	F_PROC_EXE_INO_CTIME_DURATION_PROC_START,
	F_PROC_IS_CONTAINER_HEALTHCHECK,
	F_PROC_IS_CONTAINER_LIVENESS_PROBE,
	F_PROC_IS_CONTAINER_READINESS_PROBE,
	F_PROC_STDIN_TYPE,
	F_PROC_STDIN_NAME,
	F_PROC_STDOUT_TYPE,
	F_PROC_STDOUT_NAME,
	F_PROC_STDERR_TYPE,
	F_PROC_STDERR_NAME,
	F_PROC_NTHREADS,
	F_PROC_FDOPENCOUNT,
	F_PROC_VMSIZE,
	F_PROC_VMRSS,
	/* thread.* */
	F_THREAD_TID = 200,
	F_THREAD_VTID,
	F_THREAD_ISMAIN,
	F_THREAD_CAP_EFFECTIVE,
	F_THREAD_CAP_PERMITTED,
	F_THREAD_CAP_INHERITABLE,
	F_THREAD_CGROUPS,
	/* user.*, group.* */
	F_USER_UID = 300,
	F_USER_NAME,
	F_USER_HOMEDIR,
	F_USER_SHELL,
	F_USER_LOGINUID,
	F_USER_LOGINNAME,
	F_USER_PREV_UID,
	F_GROUP_GID,
	F_GROUP_NAME,
	/* fd.* */
	F_FD_NUM = 400,
	F_FD_NAME,
	F_FD_NAMERAW,
	F_FD_DIRECTORY,
	F_FD_FILENAME,
	F_FD_TYPE,
	F_FD_TYPECHAR,
	F_FD_TYPES,
	F_FD_L4PROTO,
	F_FD_SOCKFAMILY,
	F_FD_IS_SERVER,
	F_FD_CONNECTED,
	F_FD_NAME_CHANGED,
	F_FD_CIP,
	F_FD_SIP,
	F_FD_LIP,
	F_FD_RIP,
	F_FD_IP,
	F_FD_CPORT,
	F_FD_SPORT,
	F_FD_LPORT,
	F_FD_RPORT,
	F_FD_PORT,
	F_FD_NET,
	F_FD_CNET,
	F_FD_SNET,
	F_FD_LNET,
	F_FD_RNET,
	F_FD_CIP_NAME,
	F_FD_SIP_NAME,
	F_FD_LIP_NAME,
	F_FD_RIP_NAME,
	F_FD_INO,
	F_FD_DEV,
	F_FD_CONTAINERNAME,
	F_FD_CONTAINERDIRECTORY,
	/* container.* */
	F_CT_ID = 500,
	F_CT_FULL_ID,
	F_CT_NAME,
	F_CT_IMAGE,
	F_CT_IMAGE_REPOSITORY,
	F_CT_IMAGE_TAG,
	F_CT_IMAGE_ID,
	F_CT_IMAGE_DIGEST,
	F_CT_TYPE,
	F_CT_PRIVILEGED,
	F_CT_MOUNTS,
	F_CT_MOUNT,
	F_CT_MOUNT_SOURCE,
	F_CT_MOUNT_DEST,
	F_CT_MOUNT_MODE,
	F_CT_MOUNT_RDWRITE,
	F_CT_MOUNT_PROPAGATION,
	F_CT_LABELS,
	F_CT_LABEL,
	F_CT_IP,
	F_CT_USER,
	F_CT_HOST_PID,
	F_CT_HOST_NETWORK,
	F_CT_HOST_IPC,
	F_CT_START_TS,
	F_CT_DURATION,
	F_CT_HEALTHCHECK,
	F_CT_LIVENESS_PROBE,
	F_CT_READINESS_PROBE,
	F_CT_STATE,
	/* k8s.* */
	F_K8S_NS_NAME = 600,
	F_K8S_POD_NAME,
	F_K8S_POD_UID,
	F_K8S_POD_LABELS,
	F_K8S_POD_LABEL,
	F_K8S_POD_IP,
	F_K8S_POD_SANDBOX_ID,
	F_K8S_POD_FULL_SANDBOX_ID,
};

vg_field_extract_fn vg_sf_evt;
vg_field_extract_fn vg_sf_proc;
vg_field_extract_fn vg_sf_user;
vg_field_extract_fn vg_sf_fd;
vg_field_extract_fn vg_sf_container;

/* The fields Falco's macros test on nearly every event (open_read, open_write, container,
 * the fd of an open) have an extractor of their own: the class's code with the id a constant,
 * so that an extraction is one indirect call and not also a switch the CPU mispredicts. */
vg_field_extract_fn vg_sf_evt_is_open_read;
vg_field_extract_fn vg_sf_evt_is_open_write;
vg_field_extract_fn vg_sf_evt_arg;
vg_field_extract_fn vg_sf_proc_name;
vg_field_extract_fn vg_sf_fd_num;
vg_field_extract_fn vg_sf_fd_name;
vg_field_extract_fn vg_sf_fd_directory;
vg_field_extract_fn vg_sf_fd_filename;
vg_field_extract_fn vg_sf_fd_typechar;
vg_field_extract_fn vg_sf_container_id;

/* Shared helpers (fields-proc.c). */
struct vg_proc;
const struct vg_proc *vg_sf_proc_of(const struct vg_syscall_obj *o);
const char *vg_sf_comm(const struct vg_syscall_obj *o, char buf[16]);
/* user name for uid (see fields-user.c for where names come from); NULL when unknown. */
const char *vg_sf_user_name(const struct vg_syscall_obj *o, uint32_t uid);

/* Absolute path of a path param joined with its base (fields-evt.c); NULL when absent. */
const char *vg_sf_abs_path(const struct vg_event *e, unsigned path_id, unsigned base_id, char *buf,
			   size_t size);

#endif /* VG_STATE_FIELDS_INTERNAL_H */
