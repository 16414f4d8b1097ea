/* SPDX-License-Identifier: Apache-2.0 */
/* Audit report writers: table, JSON, SARIF 2.1.0, JUnit XML (audit.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "basic/strbuf.h"
#include "shared/json.h"
#include "vg-config.h"

int vg_audit_format_parse(const char *s)
{
	if (strcmp(s, "table") == 0)
		return VG_AUDIT_TABLE;
	if (strcmp(s, "json") == 0)
		return VG_AUDIT_JSON;
	if (strcmp(s, "sarif") == 0)
		return VG_AUDIT_SARIF;
	if (strcmp(s, "junit") == 0)
		return VG_AUDIT_JUNIT;
	return -EINVAL;
}

static size_t n_controls(const struct vg_audit_report *rep)
{
	return rep->controls.len;
}

static const char *file_status_name(enum vg_audit_file_status st)
{
	switch (st) {
	case VG_AUDIT_FILE_OK:
		return "ok";
	case VG_AUDIT_FILE_NOT_APPLICABLE:
		return "not-applicable";
	default:
		return "error";
	}
}

static void format_date(int64_t days, char *buf, size_t size)
{
	/* civil from days (H. Hinnant) */
	int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	snprintf(buf, size, "%04lld-%02lld-%02lld", (long long)(y + (m <= 2)), (long long)m,
		 (long long)d);
}

/* Why a file was not applicable; k8s manifests without workloads need no reason given. */
static const char *na_reason(const struct vg_audit_file *f)
{
	return f->error ? f->error : "no pod-bearing object";
}

/* ---- table ----------------------------------------------------------------------------- */

static int write_table(const struct vg_audit_report *rep, FILE *out)
{
	size_t total = 0, failed = 0, na = 0, errors = 0;

	fprintf(out, "Benchmark: %s (%zu controls, %zu rules)\n\n",
		rep->benchmark ? rep->benchmark : "all", n_controls(rep), rep->rules.len);
	vg_vec_for_each(const struct vg_audit_file, f, &rep->files) {
		if (f->status == VG_AUDIT_FILE_NOT_APPLICABLE) {
			fprintf(out, "%s: not applicable (%s)\n", f->path, na_reason(f));
			na++;
		} else if (f->status == VG_AUDIT_FILE_ERROR) {
			if (f->error && strncmp(f->error, f->path, strlen(f->path)) == 0)
				fprintf(out, "error: %s\n", f->error);
			else
				fprintf(out, "%s: error: %s\n", f->path, f->error ? f->error : "");
			errors++;
		}
	}
	for (size_t i = 0; i < rep->objects.len; i++) {
		const struct vg_audit_object *o = vg_vec_at(&rep->objects, i);

		total += n_controls(rep);
		failed += o->n_failed;
		fprintf(out, "%s%s:%u %s/%s%s%s: %zu of %zu controls passed\n",
			i || na || errors ? "\n" : "", o->file, o->line, o->kind,
			o->name ? o->name : "<unnamed>", o->namespace ? " namespace=" : "",
			o->namespace ? o->namespace : "", n_controls(rep) - o->n_failed,
			n_controls(rep));
		for (size_t k = 0; k < o->n_findings; k++) {
			const struct vg_audit_finding *f =
				vg_vec_at(&rep->findings, o->first_finding + k);

			fprintf(out, "  %-10s %-26s %s%s%s%s\n",
				f->suppressed_by ? "SUPPRESSED"
						 : vg_priority_name(f->rule->priority),
				f->control, f->container ? "container=" : "",
				f->container ? f->container : "", f->container ? " " : "",
				f->output);
			if (f->suppressed_by)
				fprintf(out, "  %-10s %-26s reason: %s\n", "", "",
					f->suppressed_by->reason);
		}
	}
	fprintf(out,
		"\nSummary: %zu objects, %zu control checks, %zu passed, %zu failed; "
		"%zu findings, %zu suppressed; %zu files not applicable, %zu with errors\n",
		rep->objects.len, total, total - failed, failed, rep->n_failed + rep->n_suppressed,
		rep->n_suppressed, na, errors);
	return 0;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *tags_json(const struct vg_rule *rule)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < rule->n_tags; i++)
		json_array_append_new(a, json_string(rule->tags[i]));
	return a;
}

static int dump(json_t *root, FILE *out)
{
	int r;

	if (!root)
		return -ENOMEM;
	r = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (r < 0)
		return -EIO;
	return fputc('\n', out) == EOF ? -EIO : 0;
}

static json_t *finding_json(const struct vg_audit_report *rep, const struct vg_audit_finding *f)
{
	const struct vg_audit_object *o = vg_vec_at(&rep->objects, f->object);
	json_t *j = json_object();
	char date[64];

	if (!j)
		return NULL;
	json_object_set_new(j, "rule", json_string(f->rule->name));
	json_object_set_new(j, "control", json_string(f->control));
	json_object_set_new(j, "priority", json_string(vg_priority_name(f->rule->priority)));
	json_object_set_new(j, "tags", tags_json(f->rule));
	json_object_set_new(j, "file", json_string(f->file));
	json_object_set_new(j, "line", json_integer(f->line));
	json_object_set_new(j, "kind", json_string(o->kind));
	json_object_set_new(j, "name", str_or_null(o->name));
	json_object_set_new(j, "namespace", str_or_null(o->namespace));
	json_object_set_new(j, "container", str_or_null(f->container));
	json_object_set_new(j, "output", json_string(f->output));
	json_object_set_new(j, "suppressed", json_boolean(f->suppressed_by != NULL));
	if (f->suppressed_by) {
		json_t *s = json_object();

		json_object_set_new(s, "reason", json_string(f->suppressed_by->reason));
		if (f->suppressed_by->expires >= 0) {
			format_date(f->suppressed_by->expires, date, sizeof(date));
			json_object_set_new(s, "expires", json_string(date));
		}
		json_object_set_new(s, "line", json_integer(f->suppressed_by->line));
		json_object_set_new(j, "suppression", s);
	}
	return j;
}

static int write_json(const struct vg_audit_report *rep, FILE *out)
{
	json_t *root = json_object(), *files = json_array(), *objs = json_array(),
	       *finds = json_array(), *ctrls = json_array(), *sum = json_object();
	size_t total = 0, failed = 0;

	if (!root || !files || !objs || !finds || !ctrls || !sum) {
		json_decref(root), json_decref(files), json_decref(objs);
		json_decref(finds), json_decref(ctrls), json_decref(sum);
		return -ENOMEM;
	}
	json_object_set_new(root, "tool", json_string("vigil"));
	json_object_set_new(root, "version", json_string(VG_VERSION));
	json_object_set_new(root, "target", json_string(rep->target));
	json_object_set_new(root, "benchmark", str_or_null(rep->benchmark));
	vg_vec_for_each(const struct vg_audit_control, c, &rep->controls) {
		json_t *j = json_object();

		json_object_set_new(j, "id", json_string(c->id));
		json_object_set_new(j, "priority",
				    json_string(vg_priority_name(c->rule->priority)));
		json_object_set_new(j, "tags", tags_json(c->rule));
		json_object_set_new(j, "failed_objects",
				    json_integer((json_int_t)c->n_failed_objects));
		json_array_append_new(ctrls, j);
	}
	vg_vec_for_each(const struct vg_audit_file, f, &rep->files) {
		json_t *j = json_object();

		json_object_set_new(j, "path", json_string(f->path));
		json_object_set_new(j, "status", json_string(file_status_name(f->status)));
		json_object_set_new(j, "objects", json_integer((json_int_t)f->n_objects));
		if (f->error)
			json_object_set_new(j, "error", json_string(f->error));
		json_array_append_new(files, j);
	}
	for (size_t i = 0; i < rep->objects.len; i++) {
		const struct vg_audit_object *o = vg_vec_at(&rep->objects, i);
		json_t *j = json_object(), *c = json_object(), *fc = json_array();

		total += n_controls(rep);
		failed += o->n_failed;
		json_object_set_new(j, "file", json_string(o->file));
		json_object_set_new(j, "line", json_integer(o->line));
		json_object_set_new(j, "doc", json_integer(o->doc));
		json_object_set_new(j, "kind", json_string(o->kind));
		json_object_set_new(j, "name", str_or_null(o->name));
		json_object_set_new(j, "namespace", str_or_null(o->namespace));
		json_object_set_new(c, "total", json_integer((json_int_t)n_controls(rep)));
		json_object_set_new(c, "passed",
				    json_integer((json_int_t)(n_controls(rep) - o->n_failed)));
		json_object_set_new(c, "failed", json_integer((json_int_t)o->n_failed));
		json_object_set_new(j, "controls", c);
		vg_vec_for_each(const struct vg_audit_control, ctl, &rep->controls) {
			for (size_t k = 0; k < o->n_findings; k++) {
				const struct vg_audit_finding *f =
					vg_vec_at(&rep->findings, o->first_finding + k);

				if (!f->suppressed_by && strcmp(f->control, ctl->id) == 0) {
					json_array_append_new(fc, json_string(ctl->id));
					break;
				}
			}
		}
		json_object_set_new(j, "failed_controls", fc);
		json_object_set_new(j, "findings", json_integer((json_int_t)o->n_findings));
		json_array_append_new(objs, j);
	}
	vg_vec_for_each(const struct vg_audit_finding, f, &rep->findings)
		json_array_append_new(finds, finding_json(rep, f));
	json_object_set_new(root, "controls", ctrls);
	json_object_set_new(root, "files", files);
	json_object_set_new(root, "objects", objs);
	json_object_set_new(root, "findings", finds);
	json_object_set_new(sum, "objects", json_integer((json_int_t)rep->objects.len));
	json_object_set_new(sum, "controls", json_integer((json_int_t)n_controls(rep)));
	json_object_set_new(sum, "checks", json_integer((json_int_t)total));
	json_object_set_new(sum, "passed", json_integer((json_int_t)(total - failed)));
	json_object_set_new(sum, "failed", json_integer((json_int_t)failed));
	json_object_set_new(sum, "findings",
			    json_integer((json_int_t)(rep->n_failed + rep->n_suppressed)));
	json_object_set_new(sum, "suppressed", json_integer((json_int_t)rep->n_suppressed));
	json_object_set_new(root, "summary", sum);
	return dump(root, out);
}

/* ---- SARIF 2.1.0 ----------------------------------------------------------------------- */

static const char *sarif_level(enum vg_priority p)
{
	if (p <= VG_PRIO_ERROR)
		return "error";
	if (p == VG_PRIO_WARNING)
		return "warning";
	return "note";
}

static const char *security_severity(enum vg_priority p)
{
	if (p <= VG_PRIO_CRITICAL)
		return "9.0";
	if (p == VG_PRIO_ERROR)
		return "7.5";
	if (p == VG_PRIO_WARNING)
		return "5.5";
	if (p == VG_PRIO_NOTICE)
		return "3.5";
	return "1.0";
}

/* A relative reference (RFC 3986): unreserved characters and '/' kept, others %XX. */
static json_t *uri_json(const char *path)
{
	struct vg_strbuf sb = VG_STRBUF_INIT(0);
	json_t *j;
	int r = 0;

	for (const unsigned char *p = (const unsigned char *)path; *p && r >= 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			r = vg_strbuf_putc(&sb, (char)*p);
		else
			r = vg_strbuf_printf(&sb, "%%%02X", *p);
	}
	j = r >= 0 ? json_string(vg_strbuf_str(&sb)) : NULL;
	vg_strbuf_done(&sb);
	return j;
}

static int write_sarif(const struct vg_audit_report *rep, FILE *out)
{
	json_t *root = json_object(), *run = json_object(), *driver = json_object(),
	       *rules = json_array(), *results = json_array(), *inv = json_object(),
	       *notes = json_array(), *tool = json_object(), *runs = json_array();

	if (!root || !run || !driver || !rules || !results || !inv || !notes || !tool || !runs) {
		json_decref(root), json_decref(run), json_decref(driver), json_decref(rules);
		json_decref(results), json_decref(inv), json_decref(notes), json_decref(tool);
		json_decref(runs);
		return -ENOMEM;
	}
	json_object_set_new(root, "$schema",
			    json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("vigil"));
	json_object_set_new(driver, "version", json_string(VG_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(VG_VERSION));
	vg_vec_for_each(const struct vg_rule *const, rp, &rep->rules) {
		const struct vg_rule *rule = *rp;
		json_t *j = json_object(), *props = json_object(), *cfg = json_object();

		json_object_set_new(j, "id", json_string(rule->name));
		json_object_set_new(j, "name", json_string(vg_audit_rule_control(rule)));
		json_object_set_new(j, "shortDescription", json_pack("{s:s}", "text", rule->name));
		json_object_set_new(
			j, "fullDescription",
			json_pack("{s:s}", "text", rule->desc ? rule->desc : rule->name));
		json_object_set_new(
			j, "help",
			json_pack("{s:s}", "text", rule->desc ? rule->desc : rule->name));
		json_object_set_new(cfg, "level", json_string(sarif_level(rule->priority)));
		json_object_set_new(j, "defaultConfiguration", cfg);
		json_object_set_new(props, "tags", tags_json(rule));
		json_object_set_new(props, "security-severity",
				    json_string(security_severity(rule->priority)));
		json_object_set_new(props, "precision", json_string("very-high"));
		json_object_set_new(j, "properties", props);
		json_array_append_new(rules, j);
	}
	json_object_set_new(driver, "rules", rules);
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);
	vg_vec_for_each(const struct vg_audit_finding, f, &rep->findings) {
		const struct vg_audit_object *o = vg_vec_at(&rep->objects, f->object);
		json_t *j = json_object(), *loc = json_object(), *phys = json_object(),
		       *logical = json_object(), *props = json_object();
		size_t idx = 0;
		char fq[1024];

		for (size_t i = 0; i < rep->rules.len; i++)
			if (*(const struct vg_rule *const *)vg_vec_at(&rep->rules, i) == f->rule)
				idx = i;
		json_object_set_new(j, "ruleId", json_string(f->rule->name));
		json_object_set_new(j, "ruleIndex", json_integer((json_int_t)idx));
		json_object_set_new(j, "level", json_string(sarif_level(f->rule->priority)));
		json_object_set_new(j, "message", json_pack("{s:s}", "text", f->output));
		json_object_set_new(phys, "artifactLocation",
				    json_pack("{s:o}", "uri", uri_json(f->file)));
		json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", (int)f->line));
		json_object_set_new(loc, "physicalLocation", phys);
		snprintf(fq, sizeof(fq), "%s/%s%s%s", o->kind, o->name ? o->name : "<unnamed>",
			 f->container ? "/" : "", f->container ? f->container : "");
		json_object_set_new(logical, "fullyQualifiedName", json_string(fq));
		json_object_set_new(logical, "kind",
				    json_string(f->container ? "container" : "object"));
		json_object_set_new(loc, "logicalLocations", json_pack("[o]", logical));
		json_object_set_new(j, "locations", json_pack("[o]", loc));
		json_object_set_new(props, "control", json_string(f->control));
		json_object_set_new(props, "object", json_string(fq));
		json_object_set_new(j, "properties", props);
		if (f->suppressed_by)
			json_object_set_new(j, "suppressions",
					    json_pack("[{s:s,s:s,s:s}]", "kind", "external",
						      "status", "accepted", "justification",
						      f->suppressed_by->reason));
		json_array_append_new(results, j);
	}
	json_object_set_new(run, "results", results);
	vg_vec_for_each(const struct vg_audit_file, f, &rep->files) {
		char msg[4096];

		if (f->status == VG_AUDIT_FILE_OK)
			continue;
		if (f->status == VG_AUDIT_FILE_NOT_APPLICABLE)
			snprintf(msg, sizeof(msg), "%s: not applicable (%s)", f->path,
				 na_reason(f));
		else
			snprintf(msg, sizeof(msg), "%s: %s", f->path,
				 f->error ? f->error : "error");
		json_array_append_new(notes,
				      json_pack("{s:s,s:{s:s}}", "level",
						f->status == VG_AUDIT_FILE_ERROR ? "error" : "note",
						"message", "text", msg));
	}
	json_object_set_new(inv, "executionSuccessful", json_true());
	json_object_set_new(inv, "toolExecutionNotifications", notes);
	json_object_set_new(run, "invocations", json_pack("[o]", inv));
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_array_append_new(runs, run);
	json_object_set_new(root, "runs", runs);
	return dump(root, out);
}

/* ---- JUnit XML ------------------------------------------------------------------------- */

static void xml_puts(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			/* XML 1.0 forbids most control characters, even escaped */
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				fputc('?', out);
			else
				fputc(*p, out);
		}
	}
}

static int write_junit(const struct vg_audit_report *rep, FILE *out)
{
	size_t tests = 0, failures = 0, skipped = 0, errors = 0;

	vg_vec_for_each(const struct vg_audit_file, f, &rep->files) {
		skipped += f->status == VG_AUDIT_FILE_NOT_APPLICABLE;
		errors += f->status == VG_AUDIT_FILE_ERROR;
	}
	vg_vec_for_each(const struct vg_audit_object, o, &rep->objects) {
		tests += n_controls(rep);
		failures += o->n_failed;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out,
		"<testsuites name=\"vigil audit %s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\">\n",
		rep->target, tests + skipped + errors, failures, errors, skipped);
	vg_vec_for_each(const struct vg_audit_file, f, &rep->files) {
		if (f->status == VG_AUDIT_FILE_OK)
			continue;
		fprintf(out, "  <testsuite name=\"");
		xml_puts(out, f->path);
		if (f->status == VG_AUDIT_FILE_NOT_APPLICABLE) {
			fprintf(out, "\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\">\n"
				     "    <testcase classname=\"");
			xml_puts(out, f->path);
			fprintf(out, "\" name=\"not applicable\">\n      <skipped message=\"");
			xml_puts(out, na_reason(f));
			fprintf(out, "\"/>\n    </testcase>\n  </testsuite>\n");
		} else {
			fprintf(out, "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
				     "    <testcase classname=\"");
			xml_puts(out, f->path);
			fprintf(out, "\" name=\"parse\">\n      <error message=\"");
			xml_puts(out, f->error ? f->error : "error");
			fprintf(out, "\"/>\n    </testcase>\n  </testsuite>\n");
		}
	}
	for (size_t i = 0; i < rep->objects.len; i++) {
		const struct vg_audit_object *o = vg_vec_at(&rep->objects, i);
		char cls[1024];

		snprintf(cls, sizeof(cls), "%s/%s", o->kind, o->name ? o->name : "<unnamed>");
		fprintf(out, "  <testsuite name=\"");
		xml_puts(out, o->file);
		fprintf(out, ":%u ", o->line);
		xml_puts(out, cls);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
			n_controls(rep), o->n_failed);
		vg_vec_for_each(const struct vg_audit_control, c, &rep->controls) {
			bool failed = false;

			fprintf(out, "    <testcase classname=\"");
			xml_puts(out, cls);
			fprintf(out, "\" name=\"");
			xml_puts(out, c->id);
			fprintf(out, "\"");
			for (size_t k = 0; k < o->n_findings; k++) {
				const struct vg_audit_finding *f =
					vg_vec_at(&rep->findings, o->first_finding + k);

				if (f->suppressed_by || strcmp(f->control, c->id))
					continue;
				if (!failed) {
					fprintf(out, ">\n      <failure message=\"");
					xml_puts(out, f->rule->name);
					fprintf(out, "\" type=\"%s\">",
						vg_priority_name(f->rule->priority));
					failed = true;
				} else {
					fputc('\n', out);
				}
				xml_puts(out, f->output);
			}
			fprintf(out, failed ? "</failure>\n    </testcase>\n" : "/>\n");
		}
		fprintf(out, "  </testsuite>\n");
	}
	fprintf(out, "</testsuites>\n");
	return 0;
}

int vg_audit_write(const struct vg_audit_report *rep, enum vg_audit_format fmt, FILE *out)
{
	int r;

	switch (fmt) {
	case VG_AUDIT_TABLE:
		r = write_table(rep, out);
		break;
	case VG_AUDIT_JSON:
		r = write_json(rep, out);
		break;
	case VG_AUDIT_SARIF:
		r = write_sarif(rep, out);
		break;
	case VG_AUDIT_JUNIT:
		r = write_junit(rep, out);
		break;
	default:
		return -EINVAL;
	}
	if (r >= 0 && (fflush(out) == EOF || ferror(out)))
		r = -EIO;
	return r;
}
