/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every size read from untrusted input (kernel events, capture files, /proc, engine API
 * replies, JSON, YAML, rule files, images) is bounded by one of these. Exceeding a bound is
 * a clear error (-E2BIG) or a documented truncation, never an unbounded allocation.
 */
#ifndef VG_BASIC_LIMITS_H
#define VG_BASIC_LIMITS_H

/* Paths and strings */
#define VG_PATH_MAX            4096  /* longest path we keep (PATH_MAX) */
#define VG_COMM_LEN            16    /* kernel TASK_COMM_LEN */
#define VG_CMDLINE_MAX         4096  /* bytes of argv we keep per process */
#define VG_ARGV_MAX            256   /* argv entries we keep */
#define VG_ENV_MAX             8192  /* bytes of envp captured when requested */

/* Sensor and state */
#define VG_EVENT_MAX           16384 /* largest kernel event record (bytes) */
#define VG_PROC_TABLE_MAX      65536 /* live + recently exited processes tracked */
#define VG_PROC_EXITED_KEEP    4096  /* exited processes kept for late events */
#define VG_FD_PER_PROC_MAX     1024  /* fds tracked per process */
#define VG_CONTAINER_MAX       4096  /* containers tracked */
#define VG_CGROUP_PATH_MAX     1024  /* cgroup path length */
#define VG_LABELS_MAX          256   /* labels kept per container */
#define VG_MOUNTS_MAX          256   /* mounts kept per container */

/* Files read from outside */
#define VG_PROC_FILE_MAX       (64 * 1024)        /* one file under /proc/<pid>/ */
#define VG_JSON_DOC_MAX        (64 * 1024 * 1024) /* one JSON document */
#define VG_JSON_DEPTH_MAX      256                /* JSON nesting */
#define VG_YAML_DOC_MAX        (16 * 1024 * 1024) /* one YAML file */
#define VG_YAML_DEPTH_MAX      256                /* YAML nesting */
#define VG_YAML_NODES_MAX      (4 * 1024 * 1024)  /* nodes, aliases expanded (billion laughs) */
#define VG_HTTP_REPLY_MAX      (16 * 1024 * 1024) /* engine API reply */

/* Capture files */
#define VG_CAPTURE_RECORD_MAX  (1024 * 1024) /* one capture record */
#define VG_CAPTURE_STRING_MAX  VG_PATH_MAX   /* one string inside a snapshot record */

#endif /* VG_BASIC_LIMITS_H */
