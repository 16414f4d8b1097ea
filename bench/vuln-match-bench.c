/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Matcher benchmark: vg_vuln_match() over N packages (default 1,000) against a database the
 * caller imported (bench/vuln-match.sh: DSA + DLA lists, Go-all.zip, Alpine secdb), with a
 * package mix taken from the database itself (Debian source packages at version "0", so every
 * advisory applies; Go modules at v0.0.1; Alpine origins at 0-r0). Baseline measured in the
 * same run (LATEST=1: every package newer than every fix instead). Baseline measured in the
 * same run: a plain loop that prepares and runs the lookup query for each package without
 * evaluating anything. Prints the best of R runs of each, in ms, and their ratio.
 *
 * Usage: vuln-match-bench DB [N] [R]
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/arena.h"
#include "vuln/db.h"
#include "vuln/match.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct vg_vuln_db *db;
	struct vg_arena arena;
	struct vg_vec pkgs;
	sqlite3_stmt *st;
	char err[512];
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000,
	       runs = argc > 3 ? strtoul(argv[3], NULL, 10) : 5;
	double best = 1e18, best_base = 1e18;
	size_t findings = 0, rows = 0, n_apk = 0;
	static const struct {
		const char *ns;
		enum vg_ecosystem e;
		const char *version, *latest;
	} mix[] = {
		{"alpine:3.10", VG_ECOSYSTEM_APK, "0-r0", "99999-r0"},
		{"Go", VG_ECOSYSTEM_GOLANG, "v0.0.1", "v99999.0.0"},
		{"debian:10", VG_ECOSYSTEM_DEB, "0", "99999"},
	};

	/* LATEST=1: every package newer than every fix (the common case: few findings) */
	bool latest = getenv("LATEST") && strcmp(getenv("LATEST"), "1") == 0;

	if (argc < 2) {
		fprintf(stderr, "Usage: %s DB [N] [RUNS]\n", argv[0]);
		return 2;
	}
	if (vg_vuln_db_open(argv[1], false, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	vg_arena_init(&arena, 0);
	vg_vec_init(&pkgs, sizeof(struct vg_package), 0);
	/* n packages, about a third from each namespace (distinct names, in database order;
	 * a namespace with fewer packages leaves its share to the next one) */
	for (size_t k = 0; k < 3; k++) {
		size_t want = (n - pkgs.len) / (3 - k);

		if (k == 1)
			n_apk = pkgs.len;
		if (sqlite3_prepare_v2(db->sql,
				       "SELECT DISTINCT package FROM affected WHERE namespace = ?1 "
				       "LIMIT ?2",
				       -1, &st, NULL) != SQLITE_OK)
			return 1;
		sqlite3_bind_text(st, 1, mix[k].ns, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)want);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct vg_package p = {.ecosystem = mix[k].e,
					       .version = latest ? mix[k].latest : mix[k].version,
					       .layer = -1};

			p.name = vg_arena_strdup(&arena, (const char *)sqlite3_column_text(st, 0));
			p.source_name = p.name;
			if (vg_vec_push(&pkgs, &p) < 0)
				return 1;
		}
		sqlite3_finalize(st);
	}
	for (size_t r = 0; r < runs; r++) {
		struct vg_vuln_findings f;
		struct vg_os os = {.id = "debian", .version_id = "10"};
		double t0, t1;

		/* one OS per scan: the Alpine packages in one call (an Alpine image), the Go and
		 * Debian ones in another (a Debian image with Go binaries) */
		struct vg_vec apk = pkgs, deb_go = pkgs;

		apk.len = n_apk;
		deb_go.data = (char *)pkgs.data + n_apk * sizeof(struct vg_package);
		deb_go.len = pkgs.len - n_apk;
		vg_vuln_findings_init(&f);
		t0 = now_ms();
		if (vg_vuln_match(db, &os, &deb_go, NULL, &f, err, sizeof(err)) < 0 ||
		    vg_vuln_match(db, &(struct vg_os){.id = "alpine", .version_id = "3.10.4"}, &apk,
				  NULL, &f, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		t1 = now_ms();
		findings = f.items.len;
		vg_vuln_findings_done(&f);
		if (t1 - t0 < best)
			best = t1 - t0;

		/* baseline: the lookups alone, a fresh statement per package */
		t0 = now_ms();
		rows = 0;
		for (size_t i = 0; i < pkgs.len; i++) {
			const struct vg_package *p = vg_vec_at(&pkgs, i);
			size_t k = p->ecosystem == VG_ECOSYSTEM_APK	 ? 0
				   : p->ecosystem == VG_ECOSYSTEM_GOLANG ? 1
									 : 2;

			if (sqlite3_prepare_v2(
				    db->sql,
				    "SELECT a.ranges, a.fixed_version, v.vuln_id FROM affected a "
				    "JOIN vulns v ON v.id = a.vuln WHERE a.namespace = ?1 AND "
				    "a.package = ?2",
				    -1, &st, NULL) != SQLITE_OK)
				return 1;
			sqlite3_bind_text(st, 1, mix[k].ns, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW)
				rows++;
			sqlite3_finalize(st);
		}
		t1 = now_ms();
		if (t1 - t0 < best_base)
			best_base = t1 - t0;
	}
	printf("packages: %zu, findings: %zu, affected rows looked up: %zu\n", pkgs.len, findings,
	       rows);
	printf("vg_vuln_match: %.2f ms (best of %zu)\n", best, runs);
	printf("baseline (plain query loop, lookups only): %.2f ms\n", best_base);
	printf("ratio: %.2fx the baseline\n", best / best_base);
	vg_vec_done(&pkgs);
	vg_arena_done(&arena);
	vg_vuln_db_close(db);
	return best <= 50 ? 0 : 3;
}
