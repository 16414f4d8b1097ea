/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image facts for the image rule source, and the audit driver of `vigil audit image` and
 * `vigil audit dockerfile`.
 *
 * The facts come from the image config (Config.User, ExposedPorts, Env, Labels, Volumes,
 * Healthcheck, Entrypoint, Cmd, WorkingDir; history[].created_by, each analysed as a shell
 * script after its "/bin/sh -c [#(nop)]" prefix) and from one walk of the layers, judged on
 * the final view (what later layers deleted does not count): setuid and setgid files,
 * world-writable files and directories (directories with the sticky bit left out), credential
 * files (Dockle's names and extensions, SSH keys, cloud and registry credentials, ...),
 * directories and files that should not ship (.git, .aws, .cache, Dockerfile, ...), package
 * manager caches left behind, an sshd binary, and /etc/shadow, /etc/passwd and /etc/group:
 * accounts with an empty password, duplicate uids, gids, user and group names, extra uid 0
 * users. The config's Env, Labels and history also go through the secret scanner's built-in
 * rules (src/secrets, rules/secrets.yaml), as `vigil scan --scanners secret` reads them.
 */
#ifndef VG_AUDIT_IMAGE_H
#define VG_AUDIT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/audit.h"
#include "audit/dockerfile.h"
#include "basic/arena.h"
#include "basic/hashmap.h"
#include "basic/macro.h"
#include "shared/json.h"

struct vg_image_hist {
	const char *created_by; /* as recorded */
	const char *instruction; /* RUN, ADD, COPY, ENV, ... (RUN for a plain shell line) */
	const char *script; /* RUN: the shell script; NULL otherwise */
	bool empty_layer;
	struct vg_sh_facts sh; /* RUN */
};

struct vg_image_kv {
	const char *key, *value;
};

/* A list of strings (paths, names). */
struct vg_image_list {
	const char **v;
	size_t n;
};

struct vg_image_facts {
	struct vg_arena arena;
	struct vg_hashmap once; /* internal: what the lists without repeats hold */
	json_t *config; /* a reference: the strings below point into it */
	const char *target; /* as given */
	const char *ref; /* image reference (RepoTags[0], ref.name), or the target */
	const char *tag; /* tag of the reference, "latest" for docker:NAME without one, NULL */
	const char *id; /* config digest */
	bool has_config;
	bool content_trust; /* DOCKER_CONTENT_TRUST=1 in the environment of the audit */
	const char *user, *workdir, *os, *arch;
	struct vg_image_list env, env_keys, ports, volumes, entrypoint, cmd, shell;
	struct vg_image_list config_secrets; /* secret scanner findings in Env, Labels, history:
						"config.Env[2]: RULE-ID (AKIA**** (20 chars))" */
	struct vg_image_kv *labels;
	size_t n_labels;
	bool has_healthcheck; /* a Healthcheck whose test is not ["NONE"] */
	struct vg_image_hist *history;
	size_t n_history;
	struct vg_image_list history_programs; /* programs of the RUN entries, each once */
	unsigned n_layers;
	/* layer facts, final view */
	struct vg_image_list setuid, setgid, world_writable, credential_files, unnecessary_files,
		package_caches;
	bool has_sshd;
	bool has_shadow, has_passwd, has_group;
	struct vg_image_list empty_password, dup_uids, dup_gids, dup_users, dup_groups, uid0_users;
};

void vg_image_facts_init(struct vg_image_facts *f);
void vg_image_facts_done(struct vg_image_facts *f);

/* Opens target (image/source.h) and gathers its facts in one walk; err receives a message. */
VG_MUST_CHECK int vg_image_facts_collect(struct vg_image_facts *f, const char *target, char *err,
					 size_t errsize);

/* The config part alone (config may be NULL); used by vg_image_facts_collect(). */
VG_MUST_CHECK int vg_image_facts_config(struct vg_image_facts *f, json_t *config);

/* /etc/passwd, /etc/group and /etc/shadow contents into the account facts (NULL: absent). */
VG_MUST_CHECK int vg_image_facts_accounts(struct vg_image_facts *f, const char *passwd,
					  const char *group, const char *shadow);

/* Classification of one visible path of the image, for the layer facts: adds it to the
 * lists it belongs to. mode is the tar mode (with S_IFMT bits), dir its type. */
VG_MUST_CHECK int vg_image_facts_file(struct vg_image_facts *f, const char *path, uint32_t mode,
				      bool dir, bool regular);

/* The image rule source: evaluates a const struct vg_image_facts *. */
#define VG_IMAGE_SOURCE "image"
int vg_image_source_register(void);

/* Loads rules/audit/dockle.yaml and hadolint.yaml, compiled into the binary. */
VG_MUST_CHECK int vg_audit_image_load_builtin(struct vg_rules_collection *c, struct vg_diags *d);

/* Registers image, dockerfile and dockerfile_instr. */
int vg_audit_image_sources_register(void);

/*
 * Evaluates the image (source image) or the Dockerfile (dockerfile once, dockerfile_instr per
 * instruction) with the rules of rs selected by o (o->benchmark is a tag). Findings go to
 * rep as for vg_audit_k8s(); one object per image or Dockerfile. -ENOENT when no rule is
 * selected.
 */
VG_MUST_CHECK int vg_audit_image(const struct vg_ruleset *rs, const struct vg_image_facts *f,
				 const struct vg_audit_options *o, struct vg_audit_report *rep);
VG_MUST_CHECK int vg_audit_dockerfile(const struct vg_ruleset *rs, const struct vg_dockerfile *df,
				      const struct vg_audit_options *o,
				      struct vg_audit_report *rep);

#endif /* VG_AUDIT_IMAGE_H */
