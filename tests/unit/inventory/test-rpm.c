/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpm header blobs and NDB Packages.db. Ground truth: the test builds two packages with
 * rpmbuild, installs them into a fresh rpmdb.sqlite (rpm --initdb --dbpath; Debian's rpm
 * 4.18 writes only the sqlite backend), reads the blobs back with the sqlite3 tool and
 * compares what vigil parses with `rpm -qa --queryformat` and `rpm -ql` on the same db.
 * The NDB container is then built around those real blobs (rpm lib/backend/ndb/rpmpkg.c
 * layout, checksums from zlib's adler32) since no Debian tool writes NDB.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "basic/fileio.h"
#include "basic/limits.h"
#include "basic/strbuf.h"
#include "inventory/rpm.h"
#include "inv-helper.h"
#include "tap.h"

static const char build_sh[] =
	"set -e; D=\"$1\"; mkdir -p \"$D/db\"\n"
	"cat > \"$D/a.spec\" <<'EOF'\n"
	"Name: vg-hello\nVersion: 1.2.3\nRelease: 4.vg1\nEpoch: 2\nSummary: t\n"
	"License: MIT and BSD\nVendor: vigil tests\nBuildArch: noarch\n"
	"%description\nt\n%install\nmkdir -p %{buildroot}/usr/share/vg-hello %{buildroot}/etc\n"
	"echo a > %{buildroot}/usr/share/vg-hello/a.txt\n"
	"echo b > %{buildroot}/usr/share/vg-hello/b.txt\n"
	"echo c > %{buildroot}/etc/vg-hello.conf\n"
	"%files\n/usr/share/vg-hello/a.txt\n/usr/share/vg-hello/b.txt\n/etc/vg-hello.conf\n"
	"EOF\n"
	"cat > \"$D/b.spec\" <<'EOF'\n"
	"Name: vg-bare\nVersion: 0.1\nRelease: 1\nSummary: t\nLicense: GPL-2.0-only\n"
	"BuildArch: noarch\n%description\nt\n%files\n"
	"EOF\n"
	"for s in a b; do rpmbuild -bb --define \"_topdir $D/top\" \"$D/$s.spec\" "
	">/dev/null 2>&1; done\n"
	"rpm --dbpath \"$D/db\" --initdb\n"
	"rpm --dbpath \"$D/db\" -i --nodeps --justdb --ignorearch $D/top/RPMS/noarch/*.rpm "
	">/dev/null 2>&1\n"
	"test -f \"$D/db/rpmdb.sqlite\"\n";

static const char query_sh[] =
	"rpm --dbpath \"$1/db\" -qa --queryformat "
	"'%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM} "
	"%{LICENSE}\\n' | LC_ALL=C sort";

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char tmpdir[64];
static bool built;

static void cleanup_tmp(void)
{
	char *out = NULL;
	size_t n;

	if (tmpdir[0] && !getenv("VG_TEST_KEEP"))
		(void)inv_sh("rm -rf \"$1\"", tmpdir, &out, &n);
	free(out);
}

/* Builds the db once; returns the blobs decoded from sqlite3's hex output. */
static void load_blobs(uint8_t **blobs, size_t *lens, size_t *n)
{
	cleanup_free char *out = NULL, *hex = NULL;
	size_t olen;
	int r;

	if (!tmpdir[0]) {
		strcpy(tmpdir, "/tmp/vg-test-rpm-XXXXXX");
		ASSERT_NOT_NULL(mkdtemp(tmpdir));
		(void)atexit(cleanup_tmp);
	}
	r = inv_sh("command -v rpm && command -v rpmbuild && command -v sqlite3", NULL, &out,
		   &olen);
	if (r != 0)
		TEST_SKIP(
			"rpm, rpmbuild or sqlite3 is not installed (apt-get install rpm sqlite3)");
	if (!built) {
		free(out);
		out = NULL;
		ASSERT_EQ(inv_sh(build_sh, tmpdir, &out, &olen), 0);
		built = true;
	}
	ASSERT_EQ(inv_sh("sqlite3 \"$1/db/rpmdb.sqlite\" "
			 "'SELECT hex(blob) FROM Packages ORDER BY hnum'",
			 tmpdir, &hex, &olen),
		  0);
	*n = 0;
	for (char *line = hex, *eol; *line && *n < 8; line = eol + 1) {
		size_t k;

		eol = strchr(line, '\n');
		ASSERT_NOT_NULL(eol);
		k = (size_t)(eol - line) / 2;
		blobs[*n] = malloc(k);
		ASSERT_NOT_NULL(blobs[*n]);
		for (size_t i = 0; i < k; i++) {
			int hi = hexval(line[2 * i]), lo = hexval(line[2 * i + 1]);

			ASSERT_TRUE(hi >= 0 && lo >= 0);
			blobs[*n][i] = (uint8_t)(hi << 4 | lo);
		}
		lens[(*n)++] = k;
	}
	ASSERT_EQ(*n, (size_t)2);
}

static void check_against_rpm(struct vg_vec *list)
{
	cleanup_free char *want = NULL;
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	char *lines[8];
	size_t olen, i = 0;

	ASSERT_EQ(inv_sh(query_sh, tmpdir, &want, &olen), 0);
	ASSERT_LE(list->len, (size_t)8);
	vg_vec_for_each(struct vg_package, p, list) {
		ASSERT_TRUE(asprintf(&lines[i++], "%s %s %s %s-%s.src.rpm %s\n", p->name,
				     p->version, p->arch, p->source_name,
				     p->source_version
					     ? (strchr(p->source_version, ':')
							? strchr(p->source_version, ':') + 1
							: p->source_version)
					     : "",
				     p->license) > 0);
	}
	qsort(lines, list->len, sizeof(char *), cmp_str);
	for (i = 0; i < list->len; i++) {
		ASSERT_OK(vg_strbuf_puts(&sb, lines[i]));
		free(lines[i]);
	}
	ASSERT_STREQ(vg_strbuf_str(&sb), want);
	vg_strbuf_done(&sb);
}

TEST(sqlite_blobs_ground_truth)
{
	uint8_t *blobs[8];
	size_t lens[8], n = 0;
	struct vg_arena a;
	struct vg_vec list;
	struct vg_package *p;
	cleanup_free char *files = NULL;
	size_t olen;

	load_blobs(blobs, lens, &n);
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	for (size_t i = 0; i < n; i++)
		ASSERT_EQ(vg_rpm_header_parse(blobs[i], lens[i], true, "var/lib/rpm/rpmdb.sqlite",
					      3, &a, &list),
			  1);
	check_against_rpm(&list);

	p = vg_package_find(&list, "vg-hello", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "2:1.2.3-4.vg1");
	ASSERT_STREQ(p->source_name, "vg-hello");
	ASSERT_STREQ(p->source_version, "2:1.2.3-4.vg1");
	ASSERT_STREQ(p->origin, "vigil tests");
	ASSERT_EQ(p->layer, 3);
	ASSERT_OK(vg_package_set_purl(p, NULL, &a));
	ASSERT_STREQ(p->purl, "pkg:rpm/vg-hello@1.2.3-4.vg1?arch=noarch&epoch=2");
	/* files, against rpm -ql */
	ASSERT_EQ(inv_sh("rpm --dbpath \"$1/db\" -ql vg-hello | LC_ALL=C sort", tmpdir, &files,
			 &olen),
		  0);
	{
		struct vg_strbuf sb = VG_STRBUF_INIT(0);
		const char **f = malloc(p->n_files * sizeof(*f));

		ASSERT_NOT_NULL(f);
		memcpy(f, p->files, p->n_files * sizeof(*f));
		qsort(f, p->n_files, sizeof(*f), cmp_str);
		for (size_t i = 0; i < p->n_files; i++)
			ASSERT_OK(vg_strbuf_printf(&sb, "%s\n", f[i]));
		free(f);
		ASSERT_EQ(p->n_files, (size_t)3);
		ASSERT_STREQ(vg_strbuf_str(&sb), files);
		vg_strbuf_done(&sb);
	}
	p = vg_package_find(&list, "vg-bare", NULL);
	ASSERT_NOT_NULL(p);
	ASSERT_STREQ(p->version, "0.1-1");
	ASSERT_NULL(p->files);

	/* every truncation of a real blob is rejected cleanly */
	for (size_t k = 0; k < lens[0]; k += 7)
		ASSERT_ERR(vg_rpm_header_parse(blobs[0], k, false, NULL, 0, &a, &list), -EBADMSG);
	for (size_t i = 0; i < n; i++)
		free(blobs[i]);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

TEST(ndb_container)
{
	uint8_t *blobs[8], *db;
	size_t lens[8], n = 0, size = 4096, off;
	struct vg_arena a;
	struct vg_vec list;

	load_blobs(blobs, lens, &n);
	for (size_t i = 0; i < n; i++)
		size += (16 + lens[i] + 12 + 15) / 16 * 16;
	db = calloc(1, size);
	ASSERT_NOT_NULL(db);
	memcpy(db, "RpmP", 4);
	put32(db + 12, 1); /* slot pages */
	put32(db + 16, (uint32_t)n + 1); /* next package index */
	for (size_t s = 0; s < (4096 - 32) / 16; s++)
		memcpy(db + 32 + s * 16, "Slot", 4);
	off = 4096;
	for (size_t i = 0; i < n; i++) {
		size_t bs = (16 + lens[i] + 12 + 15) / 16 * 16;
		uint8_t *b = db + off, *sl = db + 32 + (i + 3) * 16; /* a few free slots first */

		put32(sl + 4, (uint32_t)i + 1);
		put32(sl + 8, (uint32_t)(off / 16));
		put32(sl + 12, (uint32_t)(bs / 16));
		memcpy(b, "BlbS", 4);
		put32(b + 4, (uint32_t)i + 1);
		put32(b + 12, (uint32_t)lens[i]);
		memcpy(b + 16, blobs[i], lens[i]);
		put32(b + bs - 12, (uint32_t)adler32(1, b, (uInt)(bs - 12)));
		put32(b + bs - 8, (uint32_t)lens[i]);
		memcpy(b + bs - 4, "BlbE", 4);
		off += bs;
	}
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_rpm_ndb_parse(db, size, true, "var/lib/rpm/Packages.db", 0, &a, &list), 2);
	check_against_rpm(&list);

	/* damage: checksum, magic, slot pointing outside */
	db[4096 + 20] ^= 1;
	ASSERT_ERR(vg_rpm_ndb_parse(db, size, false, NULL, 0, &a, &list), -EBADMSG);
	db[4096 + 20] ^= 1;
	ASSERT_ERR(vg_rpm_ndb_parse(db, 4095, false, NULL, 0, &a, &list), -EBADMSG);
	put32(db + 32 + 3 * 16 + 8, 0x7fffffff);
	ASSERT_ERR(vg_rpm_ndb_parse(db, size, false, NULL, 0, &a, &list), -EBADMSG);
	db[0] = 'X';
	ASSERT_ERR(vg_rpm_ndb_parse(db, size, false, NULL, 0, &a, &list), -EBADMSG);
	free(db);
	for (size_t i = 0; i < n; i++)
		free(blobs[i]);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

/* The same blobs as a Berkeley DB hash database written by db_load (Berkeley DB 5.3), keys
 * are header numbers (u32, little endian) as rpm writes them, plus rpm's record 0. */
static const char bdb_sh[] =
	"set -e; cd \"$1\"; command -v db5.3_load >/dev/null || exit 77\n"
	"sqlite3 -separator ' ' db/rpmdb.sqlite 'SELECT hnum, lower(hex(blob)) FROM Packages' |\n"
	"while read n h; do\n"
	"  printf '\\\\%02x\\\\%02x\\\\%02x\\\\%02x\\n' $((n&255)) $((n>>8&255)) "
	"$((n>>16&255)) $((n>>24&255))\n"
	"  echo \"$h\" | sed 's/../\\\\&/g'\n"
	"done > bdb.txt\n"
	"printf '\\\\00\\\\00\\\\00\\\\00\\n\\\\05\\\\00\\\\00\\\\00\\n' >> bdb.txt\n"
	"rm -f Packages; db5.3_load -T -t hash -c db_pagesize=4096 Packages < bdb.txt\n";

/*
 * The whole rpmdb.sqlite file, as a layer hands it over: read in memory, WAL header and all,
 * equal to rpm -qa on the same db; databases that are not rpm's are rejected cleanly.
 */
static const char sqlite_variants_sh[] =
	"set -e; cd \"$1\"; rm -f other.sqlite textblob.sqlite\n"
	"sqlite3 other.sqlite 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'\n"
	"sqlite3 textblob.sqlite 'CREATE TABLE Packages(hnum INTEGER PRIMARY KEY, blob BLOB);"
	" INSERT INTO Packages VALUES(1, \"not a header\");'\n";

static int read_db(const char *name, char **ret, size_t *ret_len)
{
	cleanup_free char *path = NULL;

	ASSERT_TRUE(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	return vg_read_file(path, VG_INV_DB_MAX, ret, ret_len);
}

TEST(sqlite_file)
{
	uint8_t *blobs[8];
	size_t lens[8], n = 0, len, olen;
	cleanup_free char *buf = NULL, *other = NULL, *text = NULL, *out = NULL;
	struct vg_arena a;
	struct vg_vec list;

	load_blobs(blobs, lens, &n); /* builds the db */
	for (size_t i = 0; i < n; i++)
		free(blobs[i]);
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);

	ASSERT_OK(read_db("db/rpmdb.sqlite", &buf, &len));
	ASSERT_TRUE(len > 100 && buf[18] == 2); /* rpm leaves its database in WAL mode */
	ASSERT_EQ(vg_rpm_sqlite_parse(buf, len, false, "var/lib/rpm/rpmdb.sqlite", 1, &a, &list),
		  2);
	check_against_rpm(&list);
	ASSERT_EQ(vg_package_find(&list, "vg-hello", NULL)->layer, 1);

	/* truncated to the header page only, garbage, and every 4 KiB truncation: no crash */
	ASSERT_ERR(vg_rpm_sqlite_parse(buf, 99, false, NULL, 0, &a, &list), -EBADMSG);
	ASSERT_ERR(vg_rpm_sqlite_parse((char[128]){ "SQLite format 2" }, 128, false, NULL, 0, &a,
				       &list),
		   -EBADMSG);
	for (size_t k = 4096; k < len; k += 4096) {
		int r = vg_rpm_sqlite_parse(buf, k, false, NULL, 0, &a, &list);

		ASSERT_TRUE(r == -EBADMSG || r >= 0);
	}
	/* flipped bytes across the file: an error or a clean result, never a crash */
	for (size_t k = 100; k < len; k += 997) {
		buf[k] ^= 0x5a;
		int r = vg_rpm_sqlite_parse(buf, len, false, NULL, 0, &a, &list);

		ASSERT_TRUE(r == -EBADMSG || r >= 0);
		buf[k] ^= 0x5a;
	}

	ASSERT_EQ(inv_sh(sqlite_variants_sh, tmpdir, &out, &olen), 0);
	ASSERT_OK(read_db("other.sqlite", &other, &len));
	ASSERT_ERR(vg_rpm_sqlite_parse(other, len, false, NULL, 0, &a, &list), -EBADMSG);
	ASSERT_OK(read_db("textblob.sqlite", &text, &len));
	ASSERT_ERR(vg_rpm_sqlite_parse(text, len, false, NULL, 0, &a, &list), -EBADMSG);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(bdb_hash_database)
{
	uint8_t *blobs[8];
	size_t lens[8], n = 0, olen, len;
	cleanup_free char *out = NULL, *path = NULL;
	char *buf = NULL;
	struct vg_arena a;
	struct vg_vec list;
	int r;

	load_blobs(blobs, lens, &n);
	for (size_t i = 0; i < n; i++)
		free(blobs[i]);
	r = inv_sh(bdb_sh, tmpdir, &out, &olen);
	if (r == 77)
		TEST_SKIP("db5.3_load is not installed (apt-get install db5.3-util)");
	ASSERT_EQ(r, 0);
	ASSERT_TRUE(asprintf(&path, "%s/Packages", tmpdir) > 0);
	ASSERT_OK(vg_read_file(path, VG_INV_DB_MAX, &buf, &len));
	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_EQ(vg_rpm_bdb_parse((const uint8_t *)buf, len, true, "var/lib/rpm/Packages", 0, &a,
				   &list),
		  2);
	check_against_rpm(&list);
	ASSERT_EQ(vg_package_find(&list, "vg-hello", NULL)->n_files, (size_t)3);

	/* not a hash database; a broken overflow chain */
	ASSERT_ERR(vg_rpm_bdb_parse((const uint8_t *)buf, 100, false, NULL, 0, &a, &list),
		   -EBADMSG);
	buf[12] ^= 1;
	ASSERT_ERR(vg_rpm_bdb_parse((const uint8_t *)buf, len, false, NULL, 0, &a, &list),
		   -EBADMSG);
	buf[12] ^= 1;
	for (size_t pg = 4096; pg < len; pg += 4096)
		if (buf[pg + 25] == 7) /* overflow page: point it at itself */
			memcpy(buf + pg + 16, buf + pg + 8, 4);
	r = vg_rpm_bdb_parse((const uint8_t *)buf, len, false, NULL, 0, &a, &list);
	ASSERT_TRUE(r == -EBADMSG || r >= 0);
	free(buf);
	vg_vec_done(&list);
	vg_arena_done(&a);
}

TEST(header_malformed)
{
	/* il=1, dl=4: NAME as STRING at offset 0 without a NUL */
	static const uint8_t no_nul[] = {0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0x03, 0xe8, 0,	0,
					 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'a',  'b',  'c', 'd'};
	/* il=1, dl=4: NAME "abc" */
	static const uint8_t ok[] = {0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0x03, 0xe8, 0,   0,
				     0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'a',	 'b',  'c', 0};
	/* il huge */
	static const uint8_t big[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
	struct vg_arena a;
	struct vg_vec list;

	vg_arena_init(&a, 0);
	vg_package_list_init(&list);
	ASSERT_ERR(vg_rpm_header_parse(no_nul, sizeof(no_nul), false, NULL, 0, &a, &list),
		   -EBADMSG);
	ASSERT_ERR(vg_rpm_header_parse(big, sizeof(big), false, NULL, 0, &a, &list), -E2BIG);
	ASSERT_EQ(vg_rpm_header_parse(ok, sizeof(ok), true, NULL, 0, &a, &list), 1);
	ASSERT_STREQ(((struct vg_package *)vg_vec_at(&list, 0))->name, "abc");
	ASSERT_STREQ(((struct vg_package *)vg_vec_at(&list, 0))->version, "");
	vg_vec_done(&list);
	vg_arena_done(&a);
}
