/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Posture audits: objects from a collector (Kubernetes PodSpecs today) evaluated by the
 * rules of their sources, findings grouped by control, suppressions, scores, and the
 * writers (table, JSON, SARIF 2.1.0, JUnit XML).
 *
 * A rule's control is its first tag "pss/<id>" (the benchmark's check id), else the rule
 * itself; a control fails for an object when one of its rules matches the object or one of
 * its containers and the finding is not suppressed. A selected rule tagged
 * "pss-overrides/<id>" removes control <id> from the audit (restricted checks replace their
 * baseline counterparts).
 */
#ifndef VG_AUDIT_AUDIT_H
#define VG_AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit/k8s.h"
#include "basic/arena.h"
#include "basic/macro.h"
#include "basic/vec.h"
#include "rules/load.h"
#include "rules/ruleset.h"

/* Loads the audit rule files compiled into the binary (rules/audit/ *.yaml) into c; returns
 * the first error of vg_rules_load_buffer() (all files are loaded). */
VG_MUST_CHECK int vg_audit_load_builtin(struct vg_rules_collection *c, struct vg_diags *d);

/* One suppression of an ignore file:
 *   RULE_OR_TAG [file=GLOB] [name=NAME] [exp=YYYY-MM-DD] reason="..."
 * RULE_OR_TAG is a rule name (quoted when it has blanks), a tag or a control id; file is a
 * glob over the manifest path; name matches the object's name or KIND/NAME (glob). */
struct vg_audit_ignore {
	const char *what, *file_glob, *name;
	const char *reason;
	int64_t expires; /* days since 1970-01-01 of the last day it applies; -1: never */
	unsigned line;
	size_t used; /* findings it suppressed */
};

struct vg_audit_ignores {
	struct vg_arena arena;
	struct vg_vec items; /* struct vg_audit_ignore */
	const char *file;
};

void vg_audit_ignores_init(struct vg_audit_ignores *ig);
void vg_audit_ignores_done(struct vg_audit_ignores *ig);
/* Parses an ignore file (name for messages); -EBADMSG with "file:line:col: message" in err. */
VG_MUST_CHECK int vg_audit_ignores_parse(struct vg_audit_ignores *ig, const char *buf, size_t len,
					 const char *name, char *err, size_t errsize);
VG_MUST_CHECK int vg_audit_ignores_load(struct vg_audit_ignores *ig, const char *path, char *err,
					size_t errsize);
/* Days since the epoch of "YYYY-MM-DD" (proleptic Gregorian), -EINVAL when malformed. */
int64_t vg_audit_parse_date(const char *s, size_t len);

struct vg_audit_options {
	const char *benchmark; /* NULL: every rule of the target's sources; else a tag */
	struct vg_audit_ignores *ignores; /* may be NULL; their used counts are updated */
	int64_t today; /* days since the epoch, for expiry */
};

struct vg_audit_finding {
	const struct vg_rule *rule;
	const char *control;
	size_t object; /* index in report objects */
	const char *container; /* NULL for a pod-level finding */
	const char *file;
	unsigned line;
	const char *output;
	const struct vg_audit_ignore *suppressed_by; /* NULL: counts */
};

struct vg_audit_object {
	const char *file;
	unsigned line, doc;
	const char *kind, *name, *namespace;
	size_t n_failed; /* controls failed (unsuppressed findings) */
	size_t first_finding; /* its findings: findings[first_finding, + n_findings) */
	size_t n_findings, n_suppressed;
};

enum vg_audit_file_status {
	VG_AUDIT_FILE_OK, /* objects audited */
	VG_AUDIT_FILE_NOT_APPLICABLE, /* nothing to audit there (reason in .error) */
	VG_AUDIT_FILE_ERROR, /* unreadable or malformed */
};

struct vg_audit_file {
	const char *path;
	enum vg_audit_file_status status;
	size_t n_objects;
	const char *error; /* VG_AUDIT_FILE_ERROR: the error; NOT_APPLICABLE: why */
};

struct vg_audit_control {
	const char *id;
	const struct vg_rule *rule; /* the first rule of the control */
	size_t n_failed_objects;
};

struct vg_audit_report {
	struct vg_arena arena;
	const char *target; /* "k8s" */
	const char *benchmark; /* NULL: all */
	struct vg_vec rules; /* const struct vg_rule *: the selected rules */
	struct vg_vec controls; /* struct vg_audit_control */
	struct vg_vec objects; /* struct vg_audit_object */
	struct vg_vec findings; /* struct vg_audit_finding */
	struct vg_vec files; /* struct vg_audit_file */
	size_t n_failed, n_suppressed; /* findings */
};

void vg_audit_report_init(struct vg_audit_report *rep, const char *target);
void vg_audit_report_done(struct vg_audit_report *rep);

/** vg_audit_rule_has_tag() - whether @rule carries the tag @tag. */
bool vg_audit_rule_has_tag(const struct vg_rule *rule, const char *tag);

/**
 * vg_audit_ignore_applies() - whether ignore entry @ig suppresses @rule's finding on the object
 * (@file, @kind, @name) on day @today: not expired; naming the rule, its @control or one of its
 * tags; its file= glob matching @file; its name= glob matching NAME or KIND/NAME.
 */
bool vg_audit_ignore_applies(const struct vg_audit_ignore *ig, const struct vg_rule *rule,
			     const char *control, const char *file, const char *kind,
			     const char *name, int64_t today);

/* Records a file's status (its path and error text are copied). @error is the error, or for
 * VG_AUDIT_FILE_NOT_APPLICABLE the reason ("no pod-bearing object", "no such file"). */
VG_MUST_CHECK int vg_audit_report_file(struct vg_audit_report *rep, const char *path,
				       enum vg_audit_file_status st, size_t n_objects,
				       const char *error);

/*
 * Evaluates every pod of set (source k8s_pod) and each of its containers (k8s_container)
 * with the rules of rs selected by o. rs must be compiled with VG_MATCH_ALL. Returns 0,
 * -ENOMEM, -E2BIG past VG_AUDIT_FINDINGS_MAX, or -ENOENT when no rule is selected.
 */
VG_MUST_CHECK int vg_audit_k8s(const struct vg_ruleset *rs, const struct vg_k8s_set *set,
			       const struct vg_audit_options *o, struct vg_audit_report *rep);

/* The control of a rule: the text after "pss/" of its first such tag, else its name. */
const char *vg_audit_rule_control(const struct vg_rule *rule);

enum vg_audit_format {
	VG_AUDIT_TABLE,
	VG_AUDIT_JSON,
	VG_AUDIT_SARIF,
	VG_AUDIT_JUNIT,
};

int vg_audit_format_parse(const char *s); /* enum value or -EINVAL */
/* Writes the report; -EIO on a write error, -ENOMEM. */
VG_MUST_CHECK int vg_audit_write(const struct vg_audit_report *rep, enum vg_audit_format fmt,
				 FILE *out);

#endif /* VG_AUDIT_AUDIT_H */
