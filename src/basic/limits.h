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

/* Inventory: OS detection and package databases (src/inventory) */
#define VG_INV_DB_MAX          (256 * 1024 * 1024) /* one package database file */
#define VG_INV_OS_FILE_MAX     (64 * 1024)         /* os-release, *-release, debian_version */
#define VG_INV_OS_FIELD_MAX    256                 /* one os-release value we keep */
#define VG_INV_STANZA_MAX      (1024 * 1024)       /* one dpkg stanza / apk record (bytes) */
#define VG_INV_FIELDS_MAX      512                 /* fields in one stanza / record */
#define VG_INV_PACKAGES_MAX    200000              /* packages from one database */
#define VG_INV_FILES_MAX       (4 * 1024 * 1024)   /* installed files from one database */
#define VG_INV_PURL_MAX        4096                /* one package URL */
#define VG_INV_RPM_TAGS_MAX    65536               /* index entries in one rpm header */
#define VG_INV_RPM_DATA_MAX    (64 * 1024 * 1024)  /* data store of one rpm header */

/* Images (src/image): tar layers, decompression, file index, manifests */
#define VG_TAR_ENTRIES_MAX     (1024 * 1024)      /* entries in one tar stream (layer/archive) */
#define VG_TAR_META_MAX        16                 /* pax/GNU extension headers before one entry */
#define VG_TAR_PAX_MAX         (1024 * 1024)      /* one pax extended header (bytes) */
#define VG_TAR_ENTRY_SIZE_MAX  (1ULL << 40)       /* declared size of one tar entry */
#define VG_LAYER_BYTES_MAX     (16ULL << 30)      /* decompressed bytes per layer (zip bomb) */
#define VG_IMAGE_LAYERS_MAX    256                /* layers per image */
#define VG_IMAGE_FILES_MAX     (4 * 1024 * 1024)  /* entries in the file index, all layers */
#define VG_IMAGE_INDEX_BYTES_MAX (1024ULL << 20)  /* arena bytes of the file index */
#define VG_IMAGE_MANIFEST_MAX  (4 * 1024 * 1024)  /* manifest.json / index / manifest / config */
#define VG_IMAGE_INDEX_DEPTH_MAX 8                /* nested OCI indexes followed */
#define VG_IMAGE_DOCS_MAX      1024               /* JSON documents read per image (index fan-out) */
#define VG_DOCKER_EXPORT_MAX   (64ULL << 30)      /* docker: image export spooled (bytes) */
#define VG_DOCKER_HEADER_MAX   (16 * 1024)        /* engine reply header */
#define VG_DOCKER_CHUNK_LINE_MAX 1024             /* one chunk-size line */
#define VG_SYMLINK_HOPS_MAX    40                 /* symlinks followed in one resolution */

/* ZIP archives (src/shared/zip.c): Java archives, OSV all.zip feeds */
#define VG_ZIP_FILE_MAX        (16ULL << 30)      /* archive mapped by vg_zip_open_file() */
#define VG_ZIP_ENTRIES_MAX     (1024 * 1024)      /* central directory entries (OSV: > 65535) */
#define VG_ZIP_NAME_MAX        4096               /* one entry name (bytes) */
#define VG_ZIP_EOCD_SCAN_MAX   (65535 + 22)       /* end record back-scan: comment + record */
#define VG_ZIP_NESTING_MAX     4                  /* archives inside archives followed */

/* Inventory: Java archives, Rust and Go binaries */
#define VG_INV_JAVA_ARCHIVE_MAX  (256 * 1024 * 1024) /* one jar/war/ear read from an image */
#define VG_INV_JAVA_NESTED_MAX   (128 * 1024 * 1024) /* one compressed nested archive, inflated */
#define VG_INV_JAVA_INFLATE_MAX  (1024ULL << 20)     /* bytes inflated per top-level archive */
#define VG_INV_JAVA_ARCHIVES_MAX 4096                /* nested archives followed per archive */
#define VG_INV_JAVA_META_MAX     (1024 * 1024)       /* one pom.properties / MANIFEST.MF */
#define VG_INV_RUST_DEPS_MAX     (16 * 1024 * 1024)  /* inflated cargo-auditable JSON */
#define VG_INV_ELF_SECTIONS_MAX  65535               /* section / program headers examined */

/* Secret scanning (src/secrets) */
#define VG_SECRET_RULE_FILE_MAX     (4 * 1024 * 1024)  /* one rules / allowlist file */
#define VG_SECRET_RULES_MAX         2048               /* rules in one rule set */
#define VG_SECRET_RULESET_BYTES_MAX (64 * 1024 * 1024) /* arena of one rule set */
#define VG_SECRET_ID_MAX            128                /* bytes of a rule id */
#define VG_SECRET_TITLE_MAX         512                /* bytes of a rule title */
#define VG_SECRET_KEYWORDS_MAX      64                 /* keywords of one rule */
#define VG_SECRET_KEYWORD_LEN_MIN   2                  /* bytes of one keyword */
#define VG_SECRET_KEYWORD_LEN_MAX   64
#define VG_SECRET_KEYWORDS_TOTAL_MAX 16384             /* distinct keywords in a rule set */
#define VG_SECRET_AC_STATES_MAX     65536              /* keyword automaton states */
#define VG_SECRET_GROUPS_MAX        32                 /* capture groups of one rule regex */
#define VG_SECRET_ALLOW_MAX         4096               /* entries of one allowlist kind */
#define VG_SECRET_CONTEXT_MAX       (64 * 1024)        /* bytes a rule may search past a line */
#define VG_SECRET_LINE_WINDOW       4096               /* bytes of a long line searched each side */
#define VG_SECRET_MATCH_MAX         (64 * 1024)        /* bytes of one secret */
#define VG_SECRET_SNIFF_BYTES       8192               /* bytes sniffed for a NUL (binary) */
#define VG_SECRET_FILE_SIZE_DEFAULT (10 * 1024 * 1024) /* default --secret-max-size */
#define VG_SECRET_FILE_SIZE_MAX     (1ULL << 30)       /* largest --secret-max-size */
#define VG_SECRET_FILE_FINDINGS_MAX 1000               /* findings kept per file */
#define VG_SECRET_FINDINGS_MAX      100000             /* findings kept per scan */
#define VG_SECRET_REPORT_BYTES_MAX  (512 * 1024 * 1024) /* arena of one scan's findings */
#define VG_SECRET_CONFIG_STRING_MAX (1024 * 1024)      /* bytes of one config string scanned */
#define VG_SECRET_THREADS_MAX       16                 /* scanning threads of one scan */
#define VG_SECRET_INFLIGHT_MAX      (256 * 1024 * 1024) /* file bytes queued for the scanning threads */
#define VG_SECRET_JOB_KEEP_MAX      (1024 * 1024)      /* job buffer kept between files */

/* Vulnerability matching (src/vuln) */
#define VG_VERSION_LEN_MAX       512  /* one version string (node-semver allows 256) */
#define VG_VERSION_RANGE_LEN_MAX 4096 /* one npm range expression */

/* Vulnerability database and importers (src/vuln) */
#define VG_VULN_FEED_MAX         (1024ULL << 20)   /* one feed file read whole (JSON/YAML/list) */
#define VG_VULN_RECORD_MAX       (8 * 1024 * 1024) /* one OSV record (zip entry or file) */
#define VG_VULN_ZIP_INFLATE_MAX  (4ULL << 30)      /* bytes inflated from one all.zip (bombs) */
#define VG_VULN_RECORDS_MAX      (4 * 1024 * 1024) /* records in one source */
#define VG_VULN_DIR_DEPTH_MAX    8                 /* directory levels walked by an import */
#define VG_VULN_DIR_FILES_MAX    (2 * 1024 * 1024) /* files visited by one directory import */
#define VG_VULN_ID_MAX           256               /* one vulnerability id / alias */
#define VG_VULN_NAME_MAX         1024              /* one package name / ecosystem */
#define VG_VULN_TEXT_MAX         4096              /* summary, URL, date kept (longer: cut) */
#define VG_VULN_ALIASES_MAX      4096              /* aliases + related ids of one record */
#define VG_VULN_AFFECTED_MAX     65536             /* affected entries of one record */
#define VG_VULN_RANGES_MAX       1024              /* ranges of one affected entry */
#define VG_VULN_EVENTS_MAX       4096              /* events of one range */
#define VG_VULN_VERSIONS_MAX     65536             /* explicit versions of one affected entry */
#define VG_VULN_CVSS_VECTOR_MAX  256               /* one CVSS vector string */
#define VG_VULN_LINE_MAX         (64 * 1024)       /* one line of a DSA/DLA list */
#define VG_VULN_FINDINGS_MAX     (1024 * 1024)     /* findings of one match */
#define VG_VULN_MATCH_BYTES_MAX  (512ULL << 20)    /* arena of one match's findings */
#define VG_VULN_FEEDS_MAX        256               /* URLs in one update */
#define VG_HTTP_DOWNLOAD_MAX     (4ULL << 30)      /* one downloaded feed file */
#define VG_SUPPRESS_ENTRIES_MAX  65536             /* .vigilignore entries + VEX statements */
#define VG_SUPPRESS_FILE_MAX     (4 * 1024 * 1024)  /* one .vigilignore file */
#define VG_DNS_NAMES_MAX         256               /* host names rules compare fd.*ip.name with */
#define VG_DNS_ADDRS_MAX         4096              /* addresses those names resolve to */

/* Isolation inspection (src/audit/isolation.c): /proc/PID and the cgroup files */
#define VG_ISO_MOUNTINFO_MAX     (4 * 1024 * 1024) /* one mountinfo (busy hosts exceed 64 KiB) */
#define VG_ISO_MOUNTS_MAX        16384             /* mountinfo lines */
#define VG_ISO_UID_MAP_MAX       340               /* uid_map lines (the kernel's own limit) */
#define VG_ISO_LABEL_MAX         4096              /* one AppArmor / SELinux label */
#define VG_ISO_CGROUP_DEPTH_MAX  64                /* cgroup levels walked for a limit */
#define VG_ISO_FINDINGS_MAX      4096              /* findings of one process */
#define VG_ISO_ARENA_MAX         (64 * 1024 * 1024) /* strings of one inspection */

/* Kubernetes manifests (src/audit/k8s.c) */
#define VG_K8S_FILE_MAX          VG_YAML_DOC_MAX     /* one manifest file (YAML or JSON) */
#define VG_K8S_FILES_MAX         100000              /* files of one `vigil audit k8s` run */
#define VG_K8S_PODS_MAX          100000              /* PodSpecs of one run */
#define VG_K8S_CONTAINERS_MAX    1024                /* containers (all three kinds) of a pod */
#define VG_K8S_ITEMS_MAX         4096                /* volumes, sysctls, capabilities, ports, ... */
#define VG_K8S_LIST_DEPTH_MAX    4                   /* `kind: List` inside `kind: List` */
#define VG_K8S_DIR_DEPTH_MAX     16                  /* directory levels walked for manifests */
#define VG_K8S_ARENA_MAX         (512 * 1024 * 1024) /* parsed objects of one run */
#define VG_AUDIT_FINDINGS_MAX    (1024 * 1024)       /* findings of one audit run */
#define VG_AUDIT_RULE_FILES_MAX  64                  /* -r files of one audit run */

/* Dockerfiles and image audits (src/audit/dockerfile.c, src/audit/image.c) */
#define VG_DOCKERFILE_MAX          (4 * 1024 * 1024)   /* one Dockerfile */
#define VG_DOCKERFILE_LINE_MAX     (1024 * 1024)       /* one instruction, continuations joined */
#define VG_DOCKERFILE_INSTR_MAX    65536               /* instructions of one Dockerfile */
#define VG_DOCKERFILE_WORDS_MAX    65536               /* words or commands of one script */
#define VG_DOCKERFILE_HEREDOCS_MAX 16                  /* heredocs opened by one instruction */
#define VG_DOCKERFILE_STAGES_MAX   1024                /* FROM instructions of one Dockerfile */
#define VG_DOCKERFILE_ARENA_MAX    (256 * 1024 * 1024) /* parsed objects of one Dockerfile */
#define VG_IMAGE_AUDIT_FILE_MAX    (4 * 1024 * 1024)   /* /etc/passwd, group, shadow read */
#define VG_IMAGE_AUDIT_ITEMS_MAX   100000              /* entries of one fact list */
#define VG_IMAGE_AUDIT_ARENA_MAX   (256 * 1024 * 1024) /* facts of one image */

/* Engine host and container audits (src/audit/host.c, container.c) */
#define VG_HOST_CONFIG_MAX       (1024 * 1024)       /* daemon.json, a unit file, /etc/group */
#define VG_HOST_CMDLINE_MAX      (256 * 1024)        /* /proc/PID/cmdline of dockerd */
#define VG_HOST_ARGS_MAX         4096                /* words of dockerd's command line */
#define VG_HOST_OPTS_MAX         65536               /* daemon options (flags + daemon.json) */
#define VG_HOST_HOSTS_MAX        256                 /* -H / hosts / ListenStream addresses */
#define VG_HOST_FILES_MAX        4096                /* file facts (certs.d counts) */
#define VG_HOST_DROPINS_MAX      256                 /* drop-ins of one unit directory */
#define VG_HOST_DOCKERDS_MAX     64                  /* dockerd processes considered */
#define VG_HOST_FDS_MAX          65536               /* fds of dockerd looked at */
#define VG_HOST_PROC_NET_MAX     (16 * 1024 * 1024)  /* /proc/PID/net/tcp{,6} */
#define VG_HOST_LISTENERS_MAX    1024                /* TCP listeners of dockerd */
#define VG_HOST_ARENA_MAX        (64 * 1024 * 1024)  /* strings of one host collection */
#define VG_CTR_AUDIT_MAX         100000              /* containers of one audit */
#define VG_CTR_ITEMS_MAX         4096                /* mounts, ports, caps, ... of one */
#define VG_CTR_ARENA_MAX         (512 * 1024 * 1024) /* strings of one container collection */

#endif /* VG_BASIC_LIMITS_H */
