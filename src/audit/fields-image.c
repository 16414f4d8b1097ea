/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image rule source (docs/audit.md): one image's config, history and layer facts
 * (image.h). List fields extract one value per item; image.history.* lists hold the
 * created_by lines (or RUN scripts) that show a practice, so an output names them.
 */
#include <errno.h>
#include <string.h>

#include "audit/image.h"
#include "rules/field.h"

enum {
	F_TARGET,
	F_REF,
	F_TAG,
	F_ID,
	F_OS,
	F_ARCH,
	F_HAS_CONFIG,
	F_USER,
	F_WORKDIR,
	F_ENV,
	F_ENV_KEYS,
	F_CONFIG_SECRETS,
	F_LABELS,
	F_LABEL_KEYS,
	F_PORTS,
	F_VOLUMES,
	F_HEALTHCHECK,
	F_ENTRYPOINT,
	F_CMD,
	F_SHELL,
	F_LAYERS,
	F_CONTENT_TRUST,
	H_CREATED_BY,
	H_INSTRUCTIONS,
	H_RUN,
	H_PROGRAMS,
	H_ADD,
	H_APT_UPDATE_ALONE,
	H_APT_UNCLEANED,
	H_APK_CACHED,
	H_DIST_UPGRADE,
	H_SUDO,
	H_CURL_SH,
	L_SETUID,
	L_SETGID,
	L_WORLD_WRITABLE,
	L_CREDENTIALS,
	L_UNNECESSARY,
	L_CACHES,
	L_SSHD,
	A_HAS_PASSWD,
	A_HAS_SHADOW,
	A_HAS_GROUP,
	A_EMPTY_PASSWORD,
	A_DUP_UIDS,
	A_DUP_GIDS,
	A_DUP_USERS,
	A_DUP_GROUPS,
	A_UID0,
};

static void list(struct vg_extract *x, const struct vg_image_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		vg_extract_cstr(x, l->v[i]);
}

static bool has_program(const struct vg_sh_facts *s, const char *p)
{
	for (size_t i = 0; i < s->n_programs; i++)
		if (strcmp(s->programs[i], p) == 0)
			return true;
	return false;
}

/* Does history entry h show the practice id? */
static bool hist_matches(int id, const struct vg_image_hist *h)
{
	const struct vg_sh_facts *s = &h->sh;

	if (!h->script)
		return false;
	switch (id) {
	case H_APT_UPDATE_ALONE:
		return s->apt_update && !s->apt_install && !s->apt_upgrade && !s->apt_dist_upgrade;
	case H_APT_UNCLEANED:
		return s->apt_install && !s->apt_lists_removed;
	case H_APK_CACHED:
		return s->apk_add && !s->apk_no_cache;
	case H_DIST_UPGRADE:
		return s->apt_dist_upgrade;
	case H_SUDO:
		return has_program(s, "sudo");
	case H_CURL_SH:
		return s->curl_pipe_sh;
	}
	return false;
}

static void history(int id, const struct vg_image_facts *f, struct vg_extract *x)
{
	bool base_seen = false;

	for (size_t i = 0; i < f->n_history; i++) {
		const struct vg_image_hist *h = &f->history[i];

		switch (id) {
		case H_CREATED_BY:
			vg_extract_cstr(x, h->created_by);
			break;
		case H_INSTRUCTIONS:
			vg_extract_cstr(x, h->instruction);
			break;
		case H_RUN:
			vg_extract_cstr(x, h->script);
			break;
		case H_ADD:
			/* the first layer's ADD is the base image's root filesystem */
			if (strcmp(h->instruction, "ADD") == 0 && (base_seen || h->empty_layer))
				vg_extract_cstr(x, h->created_by);
			break;
		default:
			if (hist_matches(id, h))
				vg_extract_cstr(x, h->script);
		}
		if (!h->empty_layer)
			base_seen = true;
	}
}

static void image_extract(const struct vg_field *fl, const struct vg_field_arg *arg,
			  const void *obj, struct vg_extract *x)
{
	const struct vg_image_facts *f = obj;
	int id = fl->id;

	if (id == H_PROGRAMS) {
		list(x, &f->history_programs);
		return;
	}
	if (id >= H_CREATED_BY && id <= H_CURL_SH) {
		history(id, f, x);
		return;
	}
	switch (id) {
	case F_TARGET:
		vg_extract_cstr(x, f->target);
		break;
	case F_REF:
		vg_extract_cstr(x, f->ref);
		break;
	case F_TAG:
		vg_extract_cstr(x, f->tag);
		break;
	case F_ID:
		vg_extract_cstr(x, f->id);
		break;
	case F_OS:
		vg_extract_cstr(x, f->os);
		break;
	case F_ARCH:
		vg_extract_cstr(x, f->arch);
		break;
	case F_HAS_CONFIG:
		vg_extract_bool(x, f->has_config);
		break;
	case F_USER:
		if (f->has_config)
			vg_extract_cstr(x, f->user ? f->user : "");
		break;
	case F_WORKDIR:
		vg_extract_cstr(x, f->workdir);
		break;
	case F_ENV:
		list(x, &f->env);
		break;
	case F_ENV_KEYS:
		list(x, &f->env_keys);
		break;
	case F_CONFIG_SECRETS:
		list(x, &f->config_secrets);
		break;
	case F_LABELS:
		for (size_t i = 0; i < f->n_labels; i++)
			if (strcmp(f->labels[i].key, arg->key) == 0)
				vg_extract_cstr(x, f->labels[i].value);
		break;
	case F_LABEL_KEYS:
		for (size_t i = 0; i < f->n_labels; i++)
			vg_extract_cstr(x, f->labels[i].key);
		break;
	case F_PORTS:
		list(x, &f->ports);
		break;
	case F_VOLUMES:
		list(x, &f->volumes);
		break;
	case F_HEALTHCHECK:
		if (f->has_config)
			vg_extract_bool(x, f->has_healthcheck);
		break;
	case F_ENTRYPOINT:
		list(x, &f->entrypoint);
		break;
	case F_CMD:
		list(x, &f->cmd);
		break;
	case F_SHELL:
		list(x, &f->shell);
		break;
	case F_LAYERS:
		vg_extract_uint(x, f->n_layers);
		break;
	case F_CONTENT_TRUST:
		vg_extract_bool(x, f->content_trust);
		break;
	case L_SETUID:
		list(x, &f->setuid);
		break;
	case L_SETGID:
		list(x, &f->setgid);
		break;
	case L_WORLD_WRITABLE:
		list(x, &f->world_writable);
		break;
	case L_CREDENTIALS:
		list(x, &f->credential_files);
		break;
	case L_UNNECESSARY:
		list(x, &f->unnecessary_files);
		break;
	case L_CACHES:
		list(x, &f->package_caches);
		break;
	case L_SSHD:
		vg_extract_bool(x, f->has_sshd);
		break;
	case A_HAS_PASSWD:
		vg_extract_bool(x, f->has_passwd);
		break;
	case A_HAS_SHADOW:
		vg_extract_bool(x, f->has_shadow);
		break;
	case A_HAS_GROUP:
		vg_extract_bool(x, f->has_group);
		break;
	case A_EMPTY_PASSWORD:
		list(x, &f->empty_password);
		break;
	case A_DUP_UIDS:
		list(x, &f->dup_uids);
		break;
	case A_DUP_GIDS:
		list(x, &f->dup_gids);
		break;
	case A_DUP_USERS:
		list(x, &f->dup_users);
		break;
	case A_DUP_GROUPS:
		list(x, &f->dup_groups);
		break;
	case A_UID0:
		list(x, &f->uid0_users);
		break;
	}
}

#define L   (VG_FF_MULTI | VG_FF_LIST)
#define KEY (VG_FF_ARG_KEY | VG_FF_ARG_REQUIRED)
#define X   image_extract

static const struct vg_field fields[] = {
	{"image.target", VG_FT_STR, 0, "the target as given", X, F_TARGET},
	{"image.ref", VG_FT_STR, 0, "image reference (RepoTags[0], OCI ref.name), else the target",
	 X, F_REF},
	{"image.tag", VG_FT_STR, 0,
	 "tag of the reference (latest for docker:NAME without one; <NA>: none known)", X, F_TAG},
	{"image.id", VG_FT_STR, 0, "image ID (digest of the config)", X, F_ID},
	{"image.os", VG_FT_STR, 0, "config os", X, F_OS},
	{"image.arch", VG_FT_STR, 0, "config architecture", X, F_ARCH},
	{"image.has_config", VG_FT_BOOL, 0, "the image has a config (false for a rootfs)", X,
	 F_HAS_CONFIG},
	{"image.user", VG_FT_STR, 0, "Config.User (\"\" when unset: root)", X, F_USER},
	{"image.workdir", VG_FT_STR, 0, "Config.WorkingDir", X, F_WORKDIR},
	{"image.env", VG_FT_STR, L, "Config.Env entries KEY=VALUE", X, F_ENV},
	{"image.env_keys", VG_FT_STR, L, "keys of Config.Env", X, F_ENV_KEYS},
	{"image.config_secrets", VG_FT_STR, L,
	 "secrets found by the secret scanner's rules in Env, Labels and history "
	 "(\"config.Env[2]: RULE (masked)\")",
	 X, F_CONFIG_SECRETS},
	{"image.labels", VG_FT_STR, KEY, "Config.Labels[KEY]", X, F_LABELS},
	{"image.label_keys", VG_FT_STR, L, "keys of Config.Labels", X, F_LABEL_KEYS},
	{"image.exposed_ports", VG_FT_STR, L, "Config.ExposedPorts (\"22/tcp\")", X, F_PORTS},
	{"image.volumes", VG_FT_STR, L, "Config.Volumes", X, F_VOLUMES},
	{"image.healthcheck", VG_FT_BOOL, 0, "a Config.Healthcheck whose test is not NONE", X,
	 F_HEALTHCHECK},
	{"image.entrypoint", VG_FT_STR, L, "Config.Entrypoint", X, F_ENTRYPOINT},
	{"image.cmd", VG_FT_STR, L, "Config.Cmd", X, F_CMD},
	{"image.shell", VG_FT_STR, L, "Config.Shell", X, F_SHELL},
	{"image.layers", VG_FT_UINT, 0, "number of layers", X, F_LAYERS},
	{"image.content_trust", VG_FT_BOOL, 0,
	 "DOCKER_CONTENT_TRUST=1 in the environment of the audit", X, F_CONTENT_TRUST},
	{"image.history.created_by", VG_FT_STR, L, "history[].created_by", X, H_CREATED_BY},
	{"image.history.instructions", VG_FT_STR, L,
	 "instruction of each history entry (RUN, ADD, COPY, ENV, ...)", X, H_INSTRUCTIONS},
	{"image.history.run", VG_FT_STR, L, "shell scripts of the RUN entries", X, H_RUN},
	{"image.history.programs", VG_FT_STR, L, "programs run by the RUN entries (each once)", X,
	 H_PROGRAMS},
	{"image.history.add", VG_FT_STR, L,
	 "created_by of ADD entries, the first layer's (base root filesystem) left out", X, H_ADD},
	{"image.history.apt_update_alone", VG_FT_STR, L,
	 "RUN scripts with apt-get update but no install or upgrade", X, H_APT_UPDATE_ALONE},
	{"image.history.apt_uncleaned", VG_FT_STR, L,
	 "RUN scripts with apt-get install but no rm of /var/lib/apt/lists", X, H_APT_UNCLEANED},
	{"image.history.apk_cached", VG_FT_STR, L, "RUN scripts with apk add without --no-cache", X,
	 H_APK_CACHED},
	{"image.history.dist_upgrade", VG_FT_STR, L, "RUN scripts with apt-get dist-upgrade", X,
	 H_DIST_UPGRADE},
	{"image.history.sudo", VG_FT_STR, L, "RUN scripts that use sudo", X, H_SUDO},
	{"image.history.curl_pipe_sh", VG_FT_STR, L, "RUN scripts piping curl or wget into a shell",
	 X, H_CURL_SH},
	{"image.setuid_files", VG_FT_STR, L, "regular files with the setuid bit (final view)", X,
	 L_SETUID},
	{"image.setgid_files", VG_FT_STR, L, "regular files with the setgid bit", X, L_SETGID},
	{"image.world_writable", VG_FT_STR, L,
	 "world-writable files and directories (directories with the sticky bit left out)", X,
	 L_WORLD_WRITABLE},
	{"image.credential_files", VG_FT_STR, L,
	 "credential files (id_rsa, .env, credentials, .npmrc, .pgpass, *.jks, ...)", X,
	 L_CREDENTIALS},
	{"image.unnecessary_files", VG_FT_STR, L,
	 ".git .aws .azure .gcp .cache .vscode .idea .npm directories, Dockerfile, "
	 "docker-compose.yml, .vimrc, .DS_Store",
	 X, L_UNNECESSARY},
	{"image.package_caches", VG_FT_STR, L,
	 "package manager caches holding files (var/cache/apt/archives, var/lib/apt/lists, "
	 "var/cache/apk, ...)",
	 X, L_CACHES},
	{"image.has_sshd", VG_FT_BOOL, 0, "usr/sbin/sshd is present", X, L_SSHD},
	{"image.has_passwd", VG_FT_BOOL, 0, "etc/passwd is present", X, A_HAS_PASSWD},
	{"image.has_shadow", VG_FT_BOOL, 0, "etc/shadow (or etc/master.passwd) is present", X,
	 A_HAS_SHADOW},
	{"image.has_group", VG_FT_BOOL, 0, "etc/group is present", X, A_HAS_GROUP},
	{"image.empty_password_users", VG_FT_STR, L, "shadow accounts with an empty password", X,
	 A_EMPTY_PASSWORD},
	{"image.duplicate_uids", VG_FT_STR, L, "uids of more than one etc/passwd entry", X,
	 A_DUP_UIDS},
	{"image.duplicate_gids", VG_FT_STR, L, "gids of more than one etc/group entry", X,
	 A_DUP_GIDS},
	{"image.duplicate_users", VG_FT_STR, L, "user names listed twice in etc/passwd", X,
	 A_DUP_USERS},
	{"image.duplicate_groups", VG_FT_STR, L, "group names listed twice in etc/group", X,
	 A_DUP_GROUPS},
	{"image.uid0_users", VG_FT_STR, L, "users other than root with uid 0", X, A_UID0},
};

static const struct vg_source source = {
	.name = VG_IMAGE_SOURCE,
	.fields = fields,
	.n_fields = VG_ARRAY_SIZE(fields),
};

int vg_image_source_register(void)
{
	int r = vg_source_register(&source);

	return r == -EEXIST ? 0 : r;
}
